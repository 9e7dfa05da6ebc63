"""Offline checks for the lectures' "write it yourself" exercises: `cu.check.NAME(fn)`.

Each check runs the student's function on a few small cases with fixed seeds, compares the
answer with a reference written here from the lecture's formulas, and prints a plain-words
report: "✓ NAME: all N cases pass", or for a failure what differs, the expected shape and a
likely cause. Classic mistakes (σ′ left out, the bias regularised, λ missing, no max shift in the
softmax, rows and columns swapped, not divided by m, ...) are recognised by comparing the
student's answer with the answers of deliberately wrong versions of the reference.

A check never raises for a wrong or unfinished function, needs no network, and returns a
`CheckResult` that is true when every case passes. The printed text has no digits that depend on
the machine, so notebooks can compare it.

The runner is `_runner.py`; each lecture's checks, with the classic mistakes they name beside
them, are in `lectureNN.py`.
"""

from ._runner import CheckResult
from .lecture01 import logistic_gradients, weights_image
from .lecture02 import rbf_bias_gradient, rbf_gradient
from .lecture03 import backprop_loop, regularised_cost
from .lecture04 import log_softmax_loss, softmax
from .lecture05 import hidden_layer, saliency
from .lecture06 import relu_backprop, unwrap

__all__ = [
    "CheckResult",
    # 01
    "weights_image",
    "logistic_gradients",
    # 02
    "rbf_gradient",
    "rbf_bias_gradient",
    # 03
    "regularised_cost",
    "backprop_loop",
    # 04
    "softmax",
    "log_softmax_loss",
    # 05
    "hidden_layer",
    "saliency",
    # 06
    "unwrap",
    "relu_backprop",
]
