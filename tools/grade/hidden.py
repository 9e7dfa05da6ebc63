"""Hidden cases: each check's own reference on new random inputs, kept on the instructor's side.

They live in tools/, which the student edition and its release archive do not contain. For a
check named in HIDDEN, the check is run once with its runner replaced by a recorder, which
captures its cases, reference and answer names without running anything; then the real runner
compares the student's function with that same reference on new cases of the same shapes and
kinds as the check's own (one-hot labels stay one-hot, 0/1 targets stay 0/1, shapes and sizes and
non-negative λ stay what they were, values are drawn anew at the same scale), plus the extra
cases listed in EXTRA. A reference that changes in the lecture's check module is followed
automatically, and so is a new check (tests/test_grade.py shows every check's solution passes its
hidden cases).
"""

import sys

import numpy as np

SEED = 20_2024  # fixed: a student's grade does not depend on when it was graded


def _new_like(value, rng):
    """A new random value of the same shape and kind as value."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.size:
        kinds = np.unique(value)
        if set(kinds.tolist()) <= {0.0, 1.0}:
            if value.ndim == 2 and np.all(value.sum(axis=1) == 1):  # one-hot rows
                return np.eye(value.shape[1])[rng.integers(0, value.shape[1], len(value))]
            return rng.integers(0, 2, value.shape).astype(value.dtype)
        if value.min() >= 0 and value.max() <= 1:
            return rng.uniform(size=value.shape).astype(value.dtype)
        scale = float(value.std()) or float(np.abs(value).max()) or 1.0
        return rng.normal(float(value.mean()), scale, value.shape).astype(value.dtype)
    if isinstance(value, np.ndarray) and value.dtype.kind in "iu" and value.size:
        return rng.permutation(value.ravel()).reshape(value.shape)
    if isinstance(value, list) and all(isinstance(v, np.ndarray) for v in value):
        return [_new_like(v, rng) for v in value]
    if isinstance(value, float) and not isinstance(value, bool):
        if value == 0:
            return 0.0
        magnitude = abs(value) * rng.uniform(0.5, 1.5)
        return float(np.copysign(magnitude, value))
    return value  # ints (sizes, classes), shapes, anything else: kept


def _recorded(check, fn):
    """The arguments a check passes to its runner (without running it)."""
    module = sys.modules[check.__module__]
    seen = {}

    def record(name, fn, cases, reference, outputs, mistakes=(), hint="", on_error=None):
        seen.update(name=name, fn=fn, cases=cases, reference=reference, outputs=outputs,
                    on_error=on_error)

    real, module._run = module._run, record
    try:
        check(fn)
    finally:
        module._run = real
    return seen


def _hidden(check_name, extra=()):
    def run(fn):
        from course_utils import check
        from course_utils.check._runner import _run

        seen = _recorded(getattr(check, check_name), fn)
        rng = np.random.default_rng([SEED, sum(map(ord, check_name))])
        cases = [(f"hidden case {i}", tuple(_new_like(a, rng) for a in args))
                 for i, (_words, args) in enumerate(seen["cases"], 1)]
        cases += [(f"hidden case {len(cases) + i}", args) for i, args in enumerate(extra, 1)]
        return _run(f"{check_name} (hidden cases)", seen["fn"], cases, seen["reference"],
                    seen["outputs"], on_error=seen["on_error"])

    return run


# Scores whose spread within a row exceeds 709: exp overflows unless each row's maximum is
# subtracted (a shift by the minimum, the mean or the first column does not do).
_WIDE = np.array([[0.0, 1000.0, -3.0], [0.0, 2000.0, 1999.0], [-1500.0, 20.0, 0.0]])

EXTRA = {
    "softmax": [(_WIDE,)],
    "log_softmax_loss": [(_WIDE, np.eye(3)[[2, 1, 0]])],
}

def _all_checks():
    from course_utils import check

    return [name for name in check.__all__ if name != "CheckResult"]


# Every check of every lecture: a check added to a lecture module gets its hidden cases with it.
HIDDEN = {name: _hidden(name, EXTRA.get(name, ())) for name in _all_checks()}
