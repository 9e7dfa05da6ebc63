"""The tests every exercise check must pass, shared by the tests/test_check_lectureNN.py modules.

A lecture's module defines SOLUTIONS ({check name: a correct function, as a student would write
it}) and MISTAKES ([(check name, a buggy function, words the report must contain)]), then takes
these tests with `from check_harness import *`; conftest.py parametrizes them from those two.
"""

import numpy as np

from course_utils import check

__all__ = [
    "run",
    "sigmoid",
    "add_bias",
    "test_passes_on_the_solution",
    "test_fails_on_the_stub_saying_it_is_not_written",
    "test_names_the_classic_mistake",
    "test_never_raises_and_says_what_went_wrong",
]


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def add_bias(A):
    return np.hstack([np.ones((len(A), 1)), A])


def run(name, fn, capsys):
    """check.NAME(fn) and what it printed."""
    result = getattr(check, name)(fn)
    return result, capsys.readouterr().out


def test_passes_on_the_solution(check_name, solutions, capsys):
    result, out = run(check_name, solutions[check_name], capsys)
    assert result, out
    assert out.startswith(f"✓ {check_name}: all ") and " cases pass (" in out
    assert out.count("\n") == 1


def test_fails_on_the_stub_saying_it_is_not_written(check_name, capsys):
    def stub(*args):
        raise NotImplementedError("write the function")

    result, out = run(check_name, stub, capsys)
    assert not result
    assert out.startswith(f"✗ {check_name}: not written yet: replace the "
                          "`raise NotImplementedError(...)` line with your code."), out


def test_names_the_classic_mistake(mistake, capsys):
    name, buggy, words = mistake
    result, out = run(name, buggy, capsys)
    assert not result
    assert out.startswith(f"✗ {name}: case ") and "Expected: " in out, out
    assert words in out, out


def test_never_raises_and_says_what_went_wrong(check_name, capsys):
    def broken(*args):
        return {}["missing"]

    result, out = run(check_name, broken, capsys)
    assert not result and "Your function raised KeyError in `broken`" in out, out
    result, out = run(check_name, lambda *args: None, capsys)
    assert not result and "returned None" in out, out
    result, out = run(check_name, "not a function", capsys)
    assert not result and "expected a function" in out, out
