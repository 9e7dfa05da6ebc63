"""Checks of lecture 04's exercises (MNIST with a softmax output): notebooks/04_*.ipynb."""

import numpy as np

from ._formulas import _rng
from ._runner import _run, _symptom

__all__ = ["softmax", "log_softmax_loss"]


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
            ("equal scores", (np.zeros((2, 5)),))]


def softmax(fn):
    """Lecture 04: fn(Z) -> P, the row-wise softmax of the scores Z (m, K)."""
    mistakes = [
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
                                                           np.eye(3)[[1, 2]]))]


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
