"""Imported inside a submission's kernel by the grading cells that stand in for its check cells.

`grade(check, function, nonce)` runs the instructor's check, and the hidden cases, on the
student's function as it is defined at that point of the notebook, from freshly imported copies
of `course_utils.check` and of the hidden cases (so that a cell that replaced `cu.check.NAME`
changes nothing), and returns the outcome as the cell's result, in a MIME type of its own.
What the student's function prints while it runs is captured, not shown.
"""

import contextlib
import importlib
import io
import sys

MIME = "application/vnd.nn-from-scratch.grade+json"


class Outcome:
    """The cell's result: a JSON payload only the grader reads, and a line for people."""

    def __init__(self, payload):
        self.payload = payload

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {MIME: self.payload, "text/plain": f"graded {self.payload['check']}"}


def _fresh(name):
    for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[loaded]
    return importlib.import_module(name)


def grade(check, function, nonce):
    payload = {"nonce": nonce, "check": check, "error": None, "result": None, "hidden": None}
    from IPython import get_ipython

    shell = get_ipython()
    namespace = shell.user_ns if shell is not None else vars(sys.modules["__main__"])
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            checks = _fresh("course_utils.check")
            runner = sys.modules["course_utils.check._runner"]
            fn = namespace.get(function, runner._Undefined(function))
            result = getattr(checks, check)(fn)
            payload["result"] = {"passed": bool(result.passed), "report": result.report}
            hidden = _fresh("grade.hidden").HIDDEN.get(check)
            if hidden is not None and not isinstance(fn, runner._Undefined):
                extra = hidden(fn)
                payload["hidden"] = {"passed": bool(extra.passed), "report": extra.report}
    except Exception as error:  # noqa: BLE001 (reported as the exercise's reason, never raised)
        payload["error"] = f"{type(error).__name__}: {error}"
    return Outcome(payload)
