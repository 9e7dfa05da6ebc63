"""cu.check for lecture 05: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np
from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401

from course_utils.gradcheck import numerical_gradient  # noqa: F401


def hidden_layer(Theta1, X, bug=None):
    if bug == "bias_ignored":
        return sigmoid(X @ Theta1[1:])
    if bug == "bias_last":
        return sigmoid(np.hstack([X, np.ones((len(X), 1))]) @ Theta1)
    A = sigmoid(add_bias(X) @ Theta1)
    return A.T if bug == "transposed" else A


def saliency(Theta1, Theta2, x, k, bug=None):
    a = sigmoid(np.concatenate([[1.0], x]) @ Theta1)
    p = sigmoid(np.concatenate([[1.0], a]) @ Theta2)
    d = 1.0 if bug == "output_slope" else p[k] * (1 - p[k])
    d = (Theta2[:-1, k] if bug == "bias_row" else Theta2[1:, k]) * d
    d = d * (1.0 if bug == "sigma_prime" else a * (1 - a))
    return Theta1[1:] @ d


SOLUTIONS = {"hidden_layer": hidden_layer, "saliency": saliency}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("hidden_layer", partial(hidden_layer, bug="bias_ignored"), "bias row is ignored"),
    ("hidden_layer", partial(hidden_layer, bug="transposed"), "rows and columns swapped"),
    ("hidden_layer", partial(hidden_layer, bug="bias_last"), "column of ones is appended last"),
    ("saliency", partial(saliency, bug="sigma_prime"), "σ′ of the hidden layer is left out"),
    ("saliency", partial(saliency, bug="output_slope"), "σ′ of the output is left out"),
    ("saliency", partial(saliency, bug="bias_row"), "bias row of Θ² is used"),
]


def test_a_shape_error_gets_a_hint(capsys):
    result, out = run("hidden_layer", lambda Theta1, X: sigmoid(X @ Theta1), capsys)
    assert not result and "raised ValueError" in out and "bias column" in out
