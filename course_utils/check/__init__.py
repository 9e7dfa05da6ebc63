"""Offline checks for the lectures' "write it yourself" exercises: `cu.check.NAME(fn)`.

Each check runs the student's function on a few small cases with fixed seeds, compares the
answer with a reference written here from the lecture's formulas, and prints a plain-words
report: "✓ NAME: all N cases pass", or for a failure what differs, the expected shape and a
likely cause. Classic mistakes (σ′ left out, the bias regularised, λ missing, no max shift in the
softmax, rows and columns swapped, not divided by m, ...) are recognised by comparing the
student's answer with the answers of deliberately wrong versions of the reference.

A check never raises for a wrong or unfinished function, needs no network, and returns a
`CheckResult` that is true when every case passes. Inside IPython, a check cell whose function is
not defined (its exercise cell has an error or was not run) says so instead of stopping "Run All"
with a NameError; a function that changes its arguments in place gets a warning. The printed text has no digits that depend on
the machine, so notebooks can compare it.

The runner is `_runner.py`; each lecture's checks, with the classic mistakes they name beside
them, are in `lectureNN.py`, whose `__all__` lists them.
"""

from . import lecture01, lecture02, lecture03, lecture04, lecture05, lecture06
from ._runner import CheckResult, _watch_check_cells

_LECTURES = [lecture01, lecture02, lecture03, lecture04, lecture05, lecture06]
for _module in _LECTURES:
    globals().update({name: getattr(_module, name) for name in _module.__all__})

__all__ = ["CheckResult", *(name for module in _LECTURES for name in module.__all__)]

_watch_check_cells()  # inside IPython: check cells survive a broken exercise cell
