"""Checks of lecture 04's exercises (MNIST with a softmax output): notebooks/04_*.ipynb."""

import numpy as np

from ._formulas import _rng
from ._runner import _run, _symptom

__all__ = ["softmax", "log_softmax_loss", "softmax_temperature_grad"]


def _softmax(Z, shift="row", axis=1):
    Z = np.asarray(Z, dtype=np.float64)
    if shift == "row":
        Z = Z - Z.max(axis=axis, keepdims=True)
    elif shift == "all":
        Z = Z - Z.max()
    E = np.exp(Z)
    return E / E.sum(axis=axis, keepdims=True)


def _softmax_cases():
    r = _rng(4)
    return [("a 3×4 batch of scores", (r.normal(size=(3, 4)),)),
            ("one row", (np.array([[1.0, 2.0, 3.0]]),)),
            ("scores near +1000 and −1000", (np.array([[1000.0, 1001.0, 1002.0],
                                                       [-1000.0, -1002.0, -1001.0]]),)),
            ("equal scores", (np.zeros((2, 5)),)),
            # shifted by anything but the row maximum, e^(z − c) overflows once a row spreads
            # by more than 709 (e^709 is the largest power of e a float64 holds)
            ("scores spread by more than 709 within a row", (np.array([[0.0, 1000.0],
                                                                      [0.0, 2000.0]]),))]


def _spread_past_709(Z):
    """Whether some row of the scores Z spreads by more than 709."""
    Z = np.asarray(Z, dtype=np.float64)
    return bool(np.any(Z.max(axis=1) - Z.min(axis=1) > 709))


def _not_the_maximum(scores=lambda Z, *rest: Z):
    """The symptom of a shift by anything but the row maximum: a non-finite answer where some
    row of the exponentiated scores, scores(*args), spreads by more than 709."""
    return _symptom(lambda got, *args: _spread_past_709(scores(*args)) and not all(
        np.all(np.isfinite(np.asarray(g, dtype=np.float64)))
        for g in (got if isinstance(got, tuple) else (got,))))


_NOT_THE_MAXIMUM = _not_the_maximum()
_NOT_THE_MAXIMUM_HINT = (
    "shifted by the row minimum/mean (or the first column), not the row maximum: in a row "
    "whose scores spread by more than 709, e^(z − c) overflows for a c that far below the "
    "largest score: subtract the row MAXIMUM, Z.max(axis=1, keepdims=True), and every exponent "
    "is ≤ 0.")


def softmax(fn):
    """Lecture 04: fn(Z) -> P, the row-wise softmax of the scores Z (m, K)."""
    mistakes = [
        (_NOT_THE_MAXIMUM, _NOT_THE_MAXIMUM_HINT),
        (lambda Z: _softmax(Z, shift=None),
         ("no max shift: e^1000 overflows to infinity and ∞/∞ is NaN. Subtract each row's "
         "maximum first (Z - Z.max(axis=1, keepdims=True)): the result is the same.")),
        (lambda Z: _softmax(Z, shift="all"),
         ("the shift uses the largest score of the whole batch: subtract each ROW's maximum "
         "(axis=1, keepdims=True), or rows with low scores underflow to 0/0.")),
        (_symptom(lambda P, Z: np.shape(P) == Z.shape and len(Z) > 1
                  and np.allclose(np.sum(P, axis=0), 1) and not np.allclose(np.sum(P, axis=1), 1)),
         ("normalised over the wrong axis: each ROW (one example) must sum to 1, so use "
         "axis=1 with keepdims=True.")),
        (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z).sum(),
         "normalised over the whole batch: divide by each row's own sum (axis=1)."),
    ]
    return _run("softmax", fn, _softmax_cases(), _softmax, "P", mistakes,
                "P[i, k] = exp(Z[i, k] − max_j Z[i, j]) / Σ_j exp(Z[i, j] − max_j Z[i, j]).")


def _loss_cases():
    r = _rng(44)
    Z = r.normal(size=(4, 3))
    return [("4 examples, 3 classes", (Z, np.eye(3)[[0, 2, 1, 2]])),
            ("one example", (np.array([[0.5, -1.0, 2.0, 0.0]]), np.eye(4)[[1]])),
            ("scores near 1000, a wrong class far ahead", (np.array([[1000.0, 0.0, -5.0],
                                                                     [2.0, 1000.0, 999.0]]),
                                                           np.eye(3)[[1, 2]])),
            ("scores spread by more than 709 within a row", (np.array([[0.0, 0.0, 1100.0],
                                                                      [-1500.0, 2.0, 0.0]]),
                                                            np.eye(3)[[2, 1]]))]


def _loss(Z, Y, how="log", dz_mean=True, sign=1.0, loss_mean=True):
    Z = np.asarray(Z, dtype=np.float64)
    if how == "log":
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    else:  # the probabilities first, then their log
        log_p = np.log(_softmax(Z, shift=None if how == "naive" else "row"))
    losses = -np.sum(Y * log_p, axis=1)
    dZ = sign * (np.exp(log_p) - Y) / (len(Z) if dz_mean else 1)
    return float(losses.mean() if loss_mean else losses.sum()), dZ


def log_softmax_loss(fn):
    """Lecture 04: fn(Z, Y) -> (loss, dZ): the mean cross-entropy of softmax(Z) against the
    one-hot Y, computed with log-softmax, and dZ = (softmax(Z) − Y) / m."""
    mistakes = [
        (lambda Z, Y: _loss(Z, Y, how="naive"),
         "no max shift: e^1000 overflows. Compute log-softmax as (Z − max) − log Σ exp(Z − max)."),
        (lambda Z, Y: _loss(Z, Y, how="probabilities"),
         ("log of the probabilities: a probability that rounds to 0 gives log 0 = −∞. Use "
         "log-softmax, (Z − max) − log Σ exp(Z − max), which never takes the log of 0.")),
        (_NOT_THE_MAXIMUM, _NOT_THE_MAXIMUM_HINT),
        (lambda Z, Y: _loss(Z, Y, dz_mean=False),
         "dZ is not divided by m: the loss is the mean over the m examples, so is its gradient."),
        (lambda Z, Y: _loss(Z, Y, sign=-1.0),
         "dZ has the wrong sign: it is softmax(Z) − Y (prediction minus target)."),
        (lambda Z, Y: _loss(Z, Y, loss_mean=False),
         "the loss is summed over the examples: it is the MEAN."),
    ]
    return _run("log_softmax_loss", fn, _loss_cases(), _loss, ("loss", "dZ"), mistakes,
                "log P = (Z − max) − log Σ exp(Z − max) row by row; loss = −mean Σ Y·log P; "
                "dZ = (exp(log P) − Y) / m.")


def _temperature_cases():
    r = _rng(45)
    return [("3 examples, 4 classes, T = 2", (2 * r.normal(size=(3, 4)), np.eye(4)[[3, 0, 1]], 2.0)),
            ("one example, T = 0.5", (np.array([[0.5, -1.0, 2.0]]), np.eye(3)[[0]], 0.5)),
            ("scores near ±100 at T = 0.1, so Z/T near ±1000",
             (np.array([[100.0, 99.0, 97.0], [-100.0, -98.0, -99.5]]), np.eye(3)[[1, 0]], 0.1)),
            # Z/T spreads by 3,000 within a row: a shift by the row minimum or mean overflows
            ("scores 0 and 3 at T = 0.001, so Z/T spreads by 3,000 within a row",
             (np.array([[0.0, 3.0], [1.0, 0.0]]), np.eye(2)[[0, 0]], 0.001))]


def _temperature(Z, Y, T, scores="divide", grad="whole", shift=True, dz_mean=True, sign=1.0,
                 loss_mean=True, dt_power=2, dt_sign=1.0):
    """The mean cross-entropy J of softmax(Z/T) against Y, ∂J/∂Z and ∂J/∂T, or a classic wrong
    version: scores "multiply" (Z·T) or "ignore" (Z); grad "forgot" (no 1/T), "times" (T
    instead of 1/T), "y_only" (Y/T), "p_only" (softmax/T); shift False (no max shift); dt_power
    the power of T that ∂J/∂T divides Z by (2 is right); dt_sign −1 for ∂J/∂T's sign flipped."""
    Z = np.asarray(Z, dtype=np.float64)
    U = {"divide": Z / T, "multiply": Z * T, "ignore": Z}[scores]
    if shift:
        U = U - U.max(axis=1, keepdims=True)
        log_p = U - np.log(np.exp(U).sum(axis=1, keepdims=True))
    else:  # the probabilities first, then their log
        log_p = np.log(np.exp(U) / np.exp(U).sum(axis=1, keepdims=True))
    P = np.exp(log_p)
    dU = {"whole": (P - Y) / T, "forgot": P - Y, "times": T * (P - Y), "y_only": P - Y / T,
          "p_only": P / T - Y}[grad]
    losses = -np.sum(Y * log_p, axis=1)
    dZ = sign * dU / (len(Z) if dz_mean else 1)
    dT = -dt_sign * np.sum((P - Y) * Z) / (T ** dt_power * len(Z))
    return float(losses.mean() if loss_mean else losses.sum()), dZ, float(dT)


def softmax_temperature_grad(fn):
    """Lecture 04: fn(Z, Y, T) -> (loss, dZ, dT): the mean cross-entropy J of softmax(Z/T)
    against the one-hot Y, both (m, K), dZ = ∂J/∂Z = (softmax(Z/T) − Y) / (T·m) and
    dT = ∂J/∂T = −Σᵢⱼ (softmax(Z/T) − Y)ᵢⱼ Zᵢⱼ / (T²·m)."""
    overflow = _symptom(lambda got, Z, Y, T: float(np.max(np.abs(Z / T))) > 709 and not all(
        np.all(np.isfinite(np.asarray(g, dtype=np.float64))) for g in got))
    not_the_maximum = _not_the_maximum(lambda Z, Y, T: np.asarray(Z, dtype=np.float64) / T)
    one_term = ("T applied to y (or to softmax(Z/T)) only: the chain rule multiplies the whole "
                "error softmax(Z/T) − Y by 1/T.")
    mistakes = [
        (lambda *a: _temperature(*a, grad="forgot"),
         ("the 1/T is forgotten: with U = Z/T, ∂L/∂U = softmax(U) − y as derived in the lecture, "
          "and ∂U/∂Z = 1/T, so ∂L/∂Z = (softmax(Z/T) − y)/T.")),
        (lambda *a: _temperature(*a, grad="times"),
         ("the gradient is multiplied by T: ∂(Z/T)/∂Z = 1/T, so the chain rule DIVIDES "
          "softmax(Z/T) − Y by T.")),
        (lambda *a: _temperature(*a, grad="y_only"), one_term),
        (lambda *a: _temperature(*a, grad="p_only"), one_term),
        (lambda *a: _temperature(*a, scores="multiply", grad="times"),
         ("the scores are multiplied by T: the temperature DIVIDES them, softmax(Z/T), so a "
          "large T flattens the distribution.")),
        (lambda *a: _temperature(*a, scores="ignore"),
         ("T is left out of the softmax: the probabilities are softmax(Z/T), not softmax(Z); "
          "the loss and the gradient both use them.")),
        (lambda *a: _temperature(*a, scores="ignore", grad="forgot"),
         "T is ignored: the probabilities are softmax(Z/T) and the gradient carries a 1/T."),
        (not_the_maximum, _NOT_THE_MAXIMUM_HINT.replace("scores spread", "scores Z/T spread")),
        (overflow,
         ("no max shift: Z/T is large when T is small, and e^(Z/T) overflows. Subtract each "
          "row's maximum of Z/T before exponentiating.")),
        (lambda *a: _temperature(*a, dz_mean=False),
         "dZ is not divided by m: the loss is the mean over the m examples, so is its gradient."),
        (lambda *a: _temperature(*a, sign=-1.0),
         "dZ has the wrong sign: it is (softmax(Z/T) − Y)/(T·m), prediction minus target."),
        (lambda *a: _temperature(*a, loss_mean=False),
         "the loss is summed over the examples: it is the MEAN."),
        (lambda *a: _temperature(*a, dt_sign=-1.0),
         ("dT has the wrong sign: ∂(z/T)/∂T = −z/T², so ∂J/∂T = −Σ (softmax(Z/T) − Y)·Z / "
          "(T²·m).")),
        (lambda *a: _temperature(*a, dt_power=0),
         ("dT misses the 1/T²: ∂(z/T)/∂T = −z/T², so ∂J/∂T = −Σ (softmax(Z/T) − Y)·Z / "
          "(T²·m).")),
        (lambda *a: _temperature(*a, dt_power=1),
         ("dT has one factor 1/T too few (z/T in place of z/T²): ∂(z/T)/∂T = −z/T², not −z/T.")),
        (lambda *a: _temperature(*a, dt_power=3),
         ("dT uses the scaled scores Z/T where Z belongs: ∂(z/T)/∂T = −z/T² with the raw "
          "score z, so ∂J/∂T = −Σ (softmax(Z/T) − Y)·Z / (T²·m).")),
    ]
    return _run("softmax_temperature_grad", fn, _temperature_cases(), _temperature,
                ("loss", "dZ", "dT"), mistakes,
                ("U = Z/T, log P = (U − max) − log Σ exp(U − max) row by row; loss = −mean Σ "
                 "Y·log P", "dZ = (exp(log P) − Y) / (T·m)",
                 "dT = −Σ (exp(log P) − Y)·Z / (T²·m), summed over rows and classes"))
