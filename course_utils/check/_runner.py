"""The runner behind every check: run the student's function on the cases, compare with the
reference, recognise classic mistakes, print a plain-words report, return a `CheckResult`."""

import ast
import copy
import inspect
import sys
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


class _Undefined:
    """What a check cell passes when its function is not defined (see `_watch_check_cells`)."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<{self.name} is not defined>"


def _defined(name, get):
    """get() (the student's function), or an _Undefined stand-in when it raises NameError."""
    try:
        return get()
    except NameError:
        return _Undefined(name)


def _quiet(fn, args):
    """fn(*args) on copies of args, with NumPy's floating-point warnings silenced."""
    return _quiet_on(fn, copy.deepcopy(args))


def _quiet_on(fn, args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*args)


def _same(a, b):
    """Whether a and b hold the same values (arrays: shape, dtype and entries, NaN == NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)):
            return False
        if a.shape != b.shape or a.dtype != b.dtype:
            return False
        try:
            return bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        except TypeError:
            return bool(np.array_equal(a, b))
    if isinstance(a, (list, tuple)):
        return (type(a) is type(b) and len(a) == len(b)
                and all(_same(x, y) for x, y in zip(a, b)))
    if isinstance(a, dict):
        return (isinstance(b, dict) and a.keys() == b.keys()
                and all(_same(a[k], b[k]) for k in a))
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 (an object that cannot say: not a change we can see)
        return True


def _positional_names(fn):
    try:
        parameters = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in parameters
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]


def _cell_contents(cell):
    try:
        return cell.cell_contents
    except ValueError:  # a closure variable not assigned yet
        return None


def _argument_names(fn, count):
    """The names of fn's first count positional parameters ('argument 3' where unknown). A
    check's `def wrapper(*args)` around the student's function is seen through."""
    names = _positional_names(fn)
    if not names:
        inner = [c for c in map(_cell_contents, getattr(fn, "__closure__", None) or ())
                 if callable(c)]
        names = next((n for n in map(_positional_names, inner) if n), [])
    return [names[i] if i < len(names) else f"argument {i + 1}" for i in range(count)]


def _changed_in_place(fn, args, copies):
    """The names of the arguments that fn changed (copies are what it was given)."""
    names = _argument_names(fn, len(args))
    return [n for n, a, c in zip(names, args, copies) if not _same(a, c)]


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
    return _first_difference(got, want, name, nan_ok)[1]


def _is_sequence(got):
    """A tuple, a list or an array of at least one dimension: what may stand for a tuple."""
    return isinstance(got, (tuple, list)) or (isinstance(got, np.ndarray) and got.ndim >= 1)


def _unrolled_hint(got, want, name):
    """For a list of arrays where one vector is wanted: how to unroll it, or None."""
    if (not isinstance(got, (tuple, list)) or len(got) < 2 or np.ndim(want) != 1
            or not all(isinstance(g, np.ndarray) and g.ndim >= 1 for g in got)):
        return None
    parts = [f"D{i}" for i in range(1, len(got) + 1)]
    shapes = ", ".join(str(g.shape) for g in got)
    words = (f"{name} is a {type(got).__name__} of {len(got)} arrays (shapes {shapes}): return "
             f"one unrolled vector: np.concatenate([{', '.join(p + '.ravel()' for p in parts)}])")
    try:
        values = np.concatenate([np.ravel(g) for g in got]).astype(np.float64)
        if values.shape == np.shape(want) and _close(values, np.asarray(want, dtype=np.float64)):
            words += "; its values are right"
    except (TypeError, ValueError):
        pass
    return words


def _first_difference(got, want, name, nan_ok=False):
    """(the index of the component that differs, or None; the sentence, or None when none does).

    The index is a tuple of positions into a tuple or list answer: () for a plain answer."""
    if got is None:
        return (), (f"your function returned None: is a `return` missing? Expected "
                    f"{_shape_words(want)}")
    if isinstance(want, (tuple, list)):
        if isinstance(got, str) or not _is_sequence(got):
            what = (f"an array of shape {got.shape}" if isinstance(got, np.ndarray)
                    else type(got).__name__)
            return (), f"expected {_shape_words(want)}, got {what}"
        if len(got) != len(want):
            return (), f"expected {len(want)} results, got {len(got)}"
        names = name if isinstance(name, tuple) else [f"{name}[{i}]" for i in range(len(want))]
        for i, (g, w, n) in enumerate(zip(got, want, names)):
            where, problem = _first_difference(g, w, n, nan_ok)
            if problem:
                return (i, *where), problem
        return None, None
    return ((), problem) if (problem := _value_difference(got, want, name, nan_ok)) else (None, None)


def _value_difference(got, want, name, nan_ok):
    """_difference for one array or number."""
    unrolled = _unrolled_hint(got, want, name)
    if unrolled:
        return unrolled
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

    cases: [(words, args)]; outputs: the answer's name, or a tuple of names for a tuple answer
    (any sequence or array of that length is accepted for it); mistakes: [(wrong_function,
    hint)], tried in order when an answer differs; hint: what to say when no classic mistake
    matches, either one text or, for a tuple answer, one text (or None) per component, of which
    only the differing component's is said; on_error(error) -> a hint for an exception, or None.
    A function that changes its arguments in place gets a warning naming them (it runs on
    copies, so the check's verdict does not depend on it).
    """
    failure, changed = None, None
    if isinstance(fn, _Undefined):
        failure = [f"✗ {name}: the function isn't defined: run the exercise cell above; if it "
                   "shows an error, fix that first."]
    elif not callable(fn):
        failure = [(f"✗ {name}: expected a function, got {type(fn).__name__}; pass the function "
                   "itself, without calling it (no parentheses).")]
    for number, (words, args) in enumerate(cases, 1):
        if failure:
            break
        head = f"✗ {name}: case {number} of {len(cases)} ({words}) fails."
        want = _quiet(reference, args)
        given = copy.deepcopy(args)
        try:
            got = _quiet_on(fn, given)
        except NotImplementedError:
            failure = [(f"✗ {name}: not written yet: replace the `raise NotImplementedError(...)` "
                       "line with your code."),
                       ("  If you have written it, run the exercise cell above (it may show an "
                        "error: fix that first), then this check again.")]
            break
        except Exception as error:  # noqa: BLE001 (a bug in the student's code is reported)
            failure = [head, f"  Your function raised {type(error).__name__}{_where(error)}: "
                             f"{error}".rstrip(": ")]
            advice = on_error(error) if on_error else None
            failure.append(f"  Expected: {_shape_words(want)}.")
            if advice:
                failure.append(f"  Likely cause: {advice}")
            break
        if changed is None:
            altered = _changed_in_place(fn, args, given)
            if altered:
                changed = (number, altered)
        where, problem = _first_difference(got, want, outputs)
        if problem:
            failure = [head, f"  What differs: {problem}.", f"  Expected: {_shape_words(want)}."]
            for wrong, advice in mistakes:
                if _matches(got, wrong, args, outputs):
                    failure.append(f"  Likely cause: {advice}")
                    break
            else:
                advice = _hint_for(hint, where)
                if advice:
                    failure.append(f"  Hint: {advice}")
    if failure:
        lines = failure
    else:
        lines = [f"✓ {name}: all {len(cases)} cases pass "
                 f"({'; '.join(words for words, _ in cases)})."]
    if changed:
        number, altered = changed
        listed = ", ".join(f"`{a}`" for a in altered)
        lines.append(f"  ⚠ Warning: your function changed its argument{'s' * (len(altered) > 1)} "
                     f"{listed} in place (case {number}). The check ran on a copy, but in the "
                     f"notebook your own data would change: work on a new array (`X = X - m`, "
                     f"not `X -= m`; or `X = X.copy()` first).")
    report = "\n".join(lines)
    print(report)
    return CheckResult(name, failure is None, report)


def _hint_for(hint, where):
    """The hint to say: hint itself, or for per-component hints the differing component's."""
    if not isinstance(hint, (tuple, list, dict)):
        return hint
    if not where:  # the answer as a whole is wrong (its type or length): no component to name
        return None
    try:
        return hint[where[0]]
    except (IndexError, KeyError):
        return None


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


# --- check cells that survive a broken exercise cell ------------------------------------------
# A check cell is exactly `cu.check.NAME(function)`. When the exercise cell above it failed (a
# syntax error) or was never run, `function` is not defined and Python would stop at the check
# cell with a NameError before the check is even called, so "Run All" stops there too. Inside
# IPython (JupyterLab, VS Code, Colab, nbclient) an AST transformer rewrites only such cells to
# pass `_defined("function", lambda: function)`: the check then runs as usual when the function
# exists, and otherwise reports, as a failed check and not as an error, what to do.

def check_cell_call(module):
    """The call of a whole check cell, `X.check.NAME(fn)` (module: the cell's ast.Module), or
    None when the cell is anything else."""
    if len(module.body) != 1 or not isinstance(module.body[0], ast.Expr):
        return None
    call = module.body[0].value
    if (isinstance(call, ast.Call) and len(call.args) == 1 and not call.keywords
            and isinstance(call.args[0], ast.Name)
            and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Attribute)
            and call.func.value.attr == "check"):
        return call
    return None


class _CheckCellTransformer(ast.NodeTransformer):
    """`X.check.NAME(fn)` as a whole cell -> `X.check.NAME(_defined("fn", lambda: fn))`."""

    def visit_Module(self, node):
        call = check_cell_call(node)
        if call is None:
            return node
        name = call.args[0].id
        wrapped = ast.parse(f"__import__('course_utils.check._runner', fromlist=['_runner'])"
                            f"._defined({name!r}, lambda: {name})", mode="eval").body
        call.args[0] = ast.copy_location(wrapped, call.args[0])
        return ast.fix_missing_locations(node)


def _watch_check_cells(shell=None):
    """Install the check-cell transformer in the running IPython shell (once); no-op outside."""
    if shell is None:
        ipython = sys.modules.get("IPython")  # not imported: not running inside IPython
        shell = ipython.get_ipython() if ipython is not None else None
    if shell is None or not hasattr(shell, "ast_transformers"):
        return False
    if not any(type(t).__name__ == "_CheckCellTransformer" for t in shell.ast_transformers):
        shell.ast_transformers.append(_CheckCellTransformer())
    return True
