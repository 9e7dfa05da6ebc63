"""The tests every exercise check must pass, shared by the tests/test_check_lectureNN.py modules.

A lecture's module defines SOLUTIONS ({check name: a correct function, as a student would write
it}) and MISTAKES ([(check name, a buggy function, words the report must contain)]), then takes
these tests with `from check_harness import *`; conftest.py parametrizes them from those two.
"""

import copy
import functools

import numpy as np

from course_utils import check
from course_utils.check import _runner

__all__ = [
    "run",
    "sigmoid",
    "add_bias",
    "test_passes_on_the_solution",
    "test_fails_on_the_stub_saying_it_is_not_written",
    "test_names_the_classic_mistake",
    "test_never_raises_and_says_what_went_wrong",
    "test_warns_when_the_function_changes_its_input_in_place",
    "test_says_what_to_do_when_the_function_is_not_defined",
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


def test_warns_when_the_function_changes_its_input_in_place(check_name, solutions, capsys):
    solution = solutions[check_name]
    changed = []

    @functools.wraps(solution)  # keeps the solution's parameter names, which the warning uses
    def changes_its_input(*args):
        answer = copy.deepcopy(solution(*args))
        for i, a in enumerate(args):
            if isinstance(a, np.ndarray) and a.size and a.flags.writeable:
                a.flat[0] = -a.flat[0] - 1  # after computing: the answer stays right
                changed.append(i)
                break
        return answer

    result, out = run(check_name, changes_its_input, capsys)
    if not changed:
        return  # no array argument to change
    assert result, out
    name = _runner._argument_names(solution, changed[0] + 1)[changed[0]]
    assert f"Warning: your function changed its argument `{name}` in place" in out, out


def test_says_what_to_do_when_the_function_is_not_defined(check_name, capsys):
    result, out = run(check_name, _runner._Undefined(check_name), capsys)
    assert not result and out.startswith(
        f"✗ {check_name}: the function isn't defined: run the exercise cell above; if it shows "
        "an error, fix that first."), out

    def stub(*args):
        raise NotImplementedError("write the function")

    result, out = run(check_name, stub, capsys)
    assert "If you have written it, run the exercise cell above (it may show an error: fix " \
        "that first)" in out, out
