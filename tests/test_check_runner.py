"""cu.check's runner: what every check shares, and that every check has its lecture's tests."""

import importlib
from pathlib import Path

from course_utils import check

LECTURE_TESTS = sorted(Path(__file__).parent.glob("test_check_lecture*.py"))


def test_every_check_is_tested_by_its_lecture_module():
    tested = set()
    for path in LECTURE_TESTS:
        tested |= set(importlib.import_module(path.stem).SOLUTIONS)
    assert tested == set(check.__all__) - {"CheckResult"}


def test_the_result_shows_nothing_more_in_a_notebook(capsys):
    result = check.softmax(lambda Z: check.lecture04._softmax(Z))
    assert result._ipython_display_() is None and "passed=True" in repr(result)
    assert capsys.readouterr().out.startswith("✓ softmax")


# --- findings of issue 20: inputs changed in place, broken exercise cells, sequences -------------

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.check import _runner  # noqa: E402


def test_a_function_that_changes_its_input_in_place_is_warned_by_name(capsys):
    def softmax(Z):
        Z -= Z.max(axis=1, keepdims=True)  # changes the caller's scores
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    result = check.softmax(softmax)
    out = capsys.readouterr().out
    assert result, out  # the values are right: it ran on a copy of each case
    assert "Warning: your function changed its argument `Z` in place (case 1)" in out, out
    Z = np.array([[1.0, 2.0], [3.0, 5.0]])
    kept = Z.copy()
    _runner._run("double", lambda Z: Z * 2, [("Z", (Z,))], lambda Z: Z * 2, "Y")
    assert np.array_equal(Z, kept) and "Warning" not in capsys.readouterr().out


def test_an_undefined_function_is_told_to_run_its_exercise_cell(capsys):
    result = check.softmax(_runner._Undefined("softmax"))
    out = capsys.readouterr().out
    assert not result and out == ("✗ softmax: the function isn't defined: run the exercise cell "
                                  "above; if it shows an error, fix that first.\n")


def test_a_stub_is_told_to_run_its_exercise_cell_if_it_was_written(capsys):
    def softmax(Z):
        raise NotImplementedError("softmax: replace this line with your code")

    assert not check.softmax(softmax)
    first, second = capsys.readouterr().out.splitlines()
    assert first == ("✗ softmax: not written yet: replace the `raise NotImplementedError(...)` "
                     "line with your code.")
    assert "If you have written it, run the exercise cell above (it may show an error: fix that" \
        " first)" in second


def test_check_cells_survive_a_broken_exercise_cell_in_a_kernel():
    """In a real kernel: a syntax error in the exercise cell, then its check cell (no error, the
    advice printed, the next cells run); a stub that ran earlier, then edited but not re-run."""
    import nbclient
    import nbformat

    cells = ["import course_utils as cu",
             "def weights_image(w):\n    return w.reshape(28, 28",  # the student's typo
             "cu.check.weights_image(weights_image)",
             "def softmax(Z):\n    raise NotImplementedError('softmax: replace this line')",
             "cu.check.softmax(softmax)",
             "print('the cells below still run')"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.cells[1].metadata["tags"] = ["raises-exception"]
    nbclient.NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    outputs = [c.outputs for c in nb.cells]
    # SyntaxError; Python 3.13 names an unclosed bracket _IncompleteInputError, its subclass
    assert outputs[1][0].ename in ("SyntaxError", "_IncompleteInputError")
    assert [o.output_type for o in outputs[2]] == ["stream"], outputs[2]
    assert outputs[2][0].text.startswith("✗ weights_image: the function isn't defined: run the "
                                         "exercise cell above; if it shows an error, fix that "
                                         "first.")
    assert "If you have written it, run the exercise cell above" in outputs[4][0].text
    assert outputs[5][0].text == "the cells below still run\n"


@pytest.mark.parametrize("as_", [np.array, list], ids=["array", "list"])
def test_any_sequence_of_the_right_length_stands_for_a_pair(as_, capsys):
    cases = [("one case", (np.arange(3.0),))]

    def reference(x):
        return x.sum(), x.max()

    result = _runner._run("pair", lambda x: as_([x.sum(), x.max()]), cases, reference, ("s", "m"))
    assert result, capsys.readouterr().out
    result = _runner._run("pair", lambda x: as_([x.sum()]), cases, reference, ("s", "m"))
    assert not result and "expected 2 results, got 1" in capsys.readouterr().out


def test_hints_only_about_the_component_that_differs(capsys):
    cases = [("one case", (np.arange(3.0),))]

    def reference(x):
        return x.sum(), x.max()

    hints = ("the first is the sum", "the second is the maximum")
    _runner._run("pair", lambda x: np.array([x.sum(), x.min()]), cases, reference, ("s", "m"),
                 hint=hints)
    out = capsys.readouterr().out
    assert "What differs: m is 0, expected 2" in out and "Hint: the second is the maximum" in out
    assert "the first is the sum" not in out, out
    _runner._run("pair", lambda x: (x.sum() + 1, x.max()), cases, reference, ("s", "m"),
                 hint=hints)
    out = capsys.readouterr().out
    assert "Hint: the first is the sum" in out and "maximum" not in out, out


def test_a_list_of_arrays_where_one_vector_is_wanted_is_told_to_unroll(capsys):
    from test_check_lecture03 import backprop_loop, unwrap3

    def as_list(theta, X, Y, lam, h):
        D = backprop_loop(theta, X, Y, lam, h)
        return list(unwrap3(D, X.shape[1], h, Y.shape[1]))  # [D1, D2], the right values

    assert not check.backprop_loop(as_list)
    out = capsys.readouterr().out
    assert "is not made of numbers" not in out, out
    assert ("return one unrolled vector: np.concatenate([D1.ravel(), D2.ravel()]); its values are "
            "right") in out, out
