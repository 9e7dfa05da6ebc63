"""The runner behind every check: run the student's function on the cases, compare with the
reference, recognise classic mistakes, print a plain-words report, return a `CheckResult`."""

import copy
import traceback
import warnings
from pathlib import Path

import numpy as np

_NUMPY_DIR = str(Path(np.__file__).parent)
_CHECK_DIR = str(Path(__file__).parent)


class CheckResult:
    """The outcome of one check: true when every case passed; `report` is the printed text."""

    def __init__(self, name, passed, report):
        self.name, self.passed, self.report = name, passed, report

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"CheckResult({self.name!r}, passed={self.passed})"

    def _ipython_display_(self):
        """Show nothing more in a notebook: the report has been printed already."""


def _quiet(fn, args):
    """fn(*args) on copies of args, with NumPy's floating-point warnings silenced."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*copy.deepcopy(args))


def _shape_words(want):
    """What an answer should look like, e.g. 'an array of shape (3, 4)' or 'one number'."""
    if isinstance(want, list):
        shapes = ", ".join(str(np.shape(w)) for w in want)
        return f"a list of {len(want)} arrays, of shapes {shapes}"
    if isinstance(want, tuple):
        return "a tuple (" + ", ".join(_shape_words(w) for w in want) + ")"
    if np.ndim(want) == 0:
        return "one number"
    return f"an array of shape {np.shape(want)}"


def _difference(got, want, name, nan_ok=False):
    """None when got matches want (to rounding); otherwise a sentence saying what differs.

    nan_ok: NaN and infinities match where want has them too (for deliberately wrong answers).
    """
    if got is None:
        return f"your function returned None: is a `return` missing? Expected {_shape_words(want)}"
    if isinstance(want, (tuple, list)):
        if isinstance(got, np.ndarray) or not isinstance(got, (tuple, list)):
            return f"expected {_shape_words(want)}, got {type(got).__name__}"
        if len(got) != len(want):
            return f"expected {len(want)} results, got {len(got)}"
        names = name if isinstance(name, tuple) else [f"{name}[{i}]" for i in range(len(want))]
        for g, w, n in zip(got, want, names):
            problem = _difference(g, w, n, nan_ok)
            if problem:
                return problem
        return None
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{name} is not made of numbers (got {type(got).__name__})"
    want = np.asarray(want, dtype=np.float64)
    if want.ndim == 0:
        if got.size != 1:
            return f"{name} should be one number, but has shape {got.shape}"
        got = got.reshape(())
    elif got.shape != want.shape:
        if got.shape == want.shape[::-1] and _close(got.T, want):
            return (f"{name} has its rows and columns swapped: shape {got.shape}, "
                    f"expected {want.shape} (it is the transpose of the right answer)")
        return f"{name} has shape {got.shape}, expected {want.shape}"
    if nan_ok:
        finite = want[np.isfinite(want)]
        same = np.isclose(got, want, rtol=1e-4, atol=_atol(finite), equal_nan=True)
        return None if same.all() else "differs"
    if not np.all(np.isfinite(got)):
        what = "NaN (not a number)" if np.isnan(got).any() else "infinity"
        return f"{name} contains {what}"
    if not _close(got, want):
        if want.ndim == 0:
            return f"{name} is {got.item():.6g}, expected {want.item():.6g}"
        wrong = ~np.isclose(got, want, rtol=1e-4, atol=_atol(want))
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        return (f"{int(wrong.sum())} of {want.size} entries of {name} differ; e.g. entry "
                f"{index if len(index) > 1 else index[0]} is {got[index]:.6g}, "
                f"expected {want[index]:.6g}")
    return None


def _atol(want):
    return 1e-7 + 1e-5 * float(np.max(np.abs(want), initial=0.0))


def _close(got, want):
    return bool(np.allclose(got, want, rtol=1e-4, atol=_atol(want)))


def _where(error):
    """'in `fn`, line 3: `code`' for the innermost frame of the student's code."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if not f.filename.startswith(_CHECK_DIR) and not f.filename.startswith(_NUMPY_DIR)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": `{frame.line.strip()}`" if frame.line else ""
    return f" in `{frame.name}`, line {frame.lineno}{code}"


def _run(name, fn, cases, reference, outputs, mistakes=(), hint="", on_error=None):
    """Run fn on every case, compare with reference, print the report, return a CheckResult.

    cases: [(words, args)]; outputs: the answer's name, or a tuple of names for a tuple answer;
    mistakes: [(wrong_function, hint)], tried in order when an answer differs; hint: what to
    say when no classic mistake matches; on_error(error) -> a hint for an exception, or None.
    """
    failure = None
    if not callable(fn):
        failure = [(f"✗ {name}: expected a function, got {type(fn).__name__}; pass the function "
                   "itself, without calling it (no parentheses).")]
    for number, (words, args) in enumerate(cases, 1):
        if failure:
            break
        head = f"✗ {name}: case {number} of {len(cases)} ({words}) fails."
        want = _quiet(reference, args)
        try:
            got = _quiet(fn, args)
        except NotImplementedError:
            failure = [(f"✗ {name}: not written yet: replace the `raise NotImplementedError(...)` "
                       "line with your code.")]
            break
        except Exception as error:  # noqa: BLE001 (a bug in the student's code is reported)
            failure = [head, f"  Your function raised {type(error).__name__}{_where(error)}: "
                             f"{error}".rstrip(": ")]
            advice = on_error(error) if on_error else None
            failure.append(f"  Expected: {_shape_words(want)}.")
            if advice:
                failure.append(f"  Likely cause: {advice}")
            break
        problem = _difference(got, want, outputs)
        if problem:
            failure = [head, f"  What differs: {problem}.", f"  Expected: {_shape_words(want)}."]
            for wrong, advice in mistakes:
                if _matches(got, wrong, args, outputs):
                    failure.append(f"  Likely cause: {advice}")
                    break
            else:
                if hint:
                    failure.append(f"  Hint: {hint}")
    if failure:
        report = "\n".join(failure)
    else:
        report = (f"✓ {name}: all {len(cases)} cases pass "
                  f"({'; '.join(words for words, _ in cases)}).")
    print(report)
    return CheckResult(name, failure is None, report)


def _symptom(test):
    """Mark test(got, *args) -> bool as a mistake recognised by a symptom, not by its answer."""
    test.is_symptom = True
    return test


def _matches(got, wrong, args, outputs):
    """Whether got is what the deliberately wrong function gives (False if that one fails), or
    shows the symptom that wrong tests for."""
    try:
        if getattr(wrong, "is_symptom", False):
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                return bool(wrong(got, *args))
        return _difference(got, _quiet(wrong, args), outputs, nan_ok=True) is None
    except (ValueError, TypeError, IndexError, ZeroDivisionError, FloatingPointError):
        return False


def _matmul_hint(error):
    if isinstance(error, ValueError) and ("matmul" in str(error) or "align" in str(error)):
        return ("two shapes do not fit a matrix product: write each array's shape next to it "
                "and check which one needs a transpose (.T) or a bias column.")
    return None
