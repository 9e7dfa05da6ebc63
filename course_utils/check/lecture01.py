"""Checks of lecture 01's exercises (a single neuron): notebooks/01_*.ipynb."""

import numpy as np

from ._formulas import _rng, _sigmoid
from ._runner import _matmul_hint, _run

__all__ = ["weights_image", "logistic_gradients", "logistic_hessian", "weighted_gradients"]


def weights_image(fn):
    """Lecture 01: fn(w) turns the 784 weights into a 28×28 image, row by row (image[i, j] is
    pixel row i, column j)."""
    cases = [("w = 0, 1, …, 783", (np.arange(784.0),)),
             ("random weights", (_rng(1).normal(size=784),))]
    mistakes = [
        (lambda w: w.reshape(28, 28, order="F"),
         ("the image is transposed (order='F' or a .T): pixels were stored row by row, so "
         "w.reshape(28, 28) puts pixel row i, column j at image[i, j].")),
        (lambda w: (w.reshape(28, 28) - w.min()) / (w.max() - w.min()),
         ("the values were rescaled: return the weights themselves and let imshow's colour "
         "scale (vmin, vmax) do the display.")),
    ]
    return _run("weights_image", fn, cases, lambda w: w.reshape(28, 28), "image", mistakes,
                "each row of the image is 28 consecutive weights: w[28 * i + j] is image[i, j].")


def _logistic_parts(X, y, w, b):
    p = _sigmoid(X @ w + b)
    return p, p - y


def logistic_gradients(fn):
    """Lecture 01: fn(X, y, w, b) -> (dw (n,), db), the gradient of the mean binary
    cross-entropy of σ(Xw + b) against y."""
    r = _rng(11)
    cases = [("5 examples of 3 features", (r.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1.0]),
                                           r.normal(size=3), 0.3)),
             ("3 examples of 3 features", (r.normal(size=(3, 3)), np.array([1, 0, 1.0]),
                                           r.normal(size=3), -0.5)),
             ("8 examples of 2 features", (r.normal(size=(8, 2)), r.integers(0, 2, 8) * 1.0,
                                           np.array([2.0, -1.0]), 1.0))]

    def reference(X, y, w, b):
        _p, e = _logistic_parts(X, y, w, b)
        return X.T @ e / len(y), float(e.mean())

    def sigma_prime(X, y, w, b):
        p, e = _logistic_parts(X, y, w, b)
        e = e * p * (1 - p)
        return X.T @ e / len(y), float(e.mean())

    def summed(X, y, w, b):
        e = _logistic_parts(X, y, w, b)[1]
        return X.T @ e, float(e.sum())

    def flipped(X, y, w, b):
        dw, db = reference(X, y, w, b)
        return -dw, -db

    def untransposed(X, y, w, b):
        e = _logistic_parts(X, y, w, b)[1]
        return X @ e / len(y), float(e.mean())

    mistakes = [
        (sigma_prime, ("σ′(z) = ŷ(1 − ŷ) is multiplied in: that is the squared-error gradient. "
                      "With cross-entropy it cancels, and the error is simply ŷ − y.")),
        (summed, "not divided by m: the loss is the MEAN over the examples, so divide by len(y)."),
        (flipped, "the sign is flipped: the error is ŷ − y (prediction minus label)."),
        (untransposed, "X instead of X.T: dw[j] = Σᵢ xᵢⱼ (ŷᵢ − yᵢ) / m is X.T @ (ŷ − y) / m."),
    ]
    return _run("logistic_gradients", fn, cases, reference, ("dw", "db"), mistakes,
                "dw = X.T @ (ŷ − y) / m and db = mean(ŷ − y), with ŷ = σ(X @ w + b).",
                _matmul_hint)


def _hessian(X, w, b, slope=True, rows=True, mean=True, sign=1.0):
    """(1/m) Xᵀ diag(ŷ(1 − ŷ)) X, ŷ = σ(Xw + b); the keywords make the mistakes."""
    p = _sigmoid(X @ w + b)
    s = p * (1 - p) if slope else np.ones(len(X))
    H = X.T @ (s[:, None] * X) if rows else (s[:, None] * X) @ X.T
    return sign * H / (len(X) if mean else 1.0)


def logistic_hessian(fn):
    """Lecture 01: fn(X, w, b) -> H (n, n), the matrix of second derivatives ∂²J/∂wⱼ∂wₖ of the
    mean binary cross-entropy of σ(Xw + b) (it does not depend on the labels)."""
    r = _rng(13)
    cases = [("5 examples of 3 features", (r.normal(size=(5, 3)), r.normal(size=3), 0.3)),
             ("2 examples of 4 features", (r.normal(size=(2, 4)), r.normal(size=4), -0.5)),
             ("7 examples of 2 features", (r.normal(size=(7, 2)), np.array([2.0, -1.0]), 1.0))]

    def variant(**kw):
        return lambda X, w, b: _hessian(X, w, b, **kw)

    mistakes = [
        (variant(slope=False), ("ŷ(1 − ŷ) is left out: differentiating ŷᵢ − yᵢ once more "
                                "brings in σ′(zᵢ) = ŷᵢ(1 − ŷᵢ), which weights example i's "
                                "xᵢxᵢᵀ.")),
        (variant(rows=False), ("X Xᵀ (m × m) instead of Xᵀ X (n × n): H has one row and one "
                               "column per weight, H = Xᵀ diag(ŷ(1 − ŷ)) X / m.")),
        (variant(mean=False), "not divided by m: J is the MEAN over the examples, so is H."),
        (variant(sign=-1.0), ("the sign is flipped: J's second derivatives are "
                              "+ŷ(1 − ŷ)xⱼxₖ averaged, never negative on the diagonal.")),
    ]
    return _run("logistic_hessian", fn, cases, variant(), "H", mistakes,
                "H[j, k] = Σᵢ ŷᵢ(1 − ŷᵢ) xᵢⱼ xᵢₖ / m, i.e. X.T @ (ŷ(1 − ŷ)[:, None] * X) / m.",
                _matmul_hint)


def _weighted(X, y, w, b, alpha, weight="right", sigma_prime=False, normalise="m", sign=1.0):
    """(dw, db) of (1/m) Σ −[α y log ŷ + (1 − y) log(1 − ŷ)]; the keywords make the mistakes."""
    p = _sigmoid(X @ w + b)
    e = {"right": alpha * y * (p - 1) + (1 - y) * p,     # α(ŷ − 1) for a one, ŷ for a zero
         "everywhere": alpha * (p - y),                  # α on every example
         "negatives": np.where(y == 0, alpha, 1.0) * (p - y),  # α on the other class
         "label": p - alpha * y,                        # α on the label only, not on ŷ
         "ignored": p - y}[weight]
    if sigma_prime:
        e = e * p * (1 - p)
    n = {"m": len(y), "weights": float(np.sum(np.where(y == 1, alpha, 1.0))), "none": 1.0}[normalise]
    return sign * (X.T @ e) / n, sign * float(e.sum()) / n


def weighted_gradients(fn):
    """Lecture 01: fn(X, y, w, b, alpha) -> (dw (n,), db) of the class-weighted mean
    cross-entropy J = (1/m) Σ −[α y log ŷ + (1 − y) log(1 − ŷ)], ŷ = σ(Xw + b)."""
    r = _rng(12)
    cases = [("6 examples of 3 features, α = 9", (r.normal(size=(6, 3)),
                                                  np.array([1, 0, 0, 1, 0, 0.0]),
                                                  r.normal(size=3), 0.2, 9.0)),
             ("4 examples of 2 features, α = 3", (r.normal(size=(4, 2)), np.array([0, 1, 0, 0.0]),
                                                  np.array([1.0, -2.0]), -0.5, 3.0)),
             ("5 examples of 4 features, α = 0.5", (r.normal(size=(5, 4)),
                                                    np.array([1, 1, 0, 1, 0.0]),
                                                    r.normal(size=4), 0.7, 0.5))]

    def variant(**kw):
        return lambda X, y, w, b, alpha: _weighted(X, y, w, b, alpha, **kw)

    mistakes = [
        (variant(weight="ignored"), ("α is ignored: this is the unweighted gradient. The ones "
                                     "(y = 1) carry the weight α in the loss, so in the error too.")),
        (variant(weight="everywhere"), ("α multiplies every example's error: only the ones "
         "(y = 1) are weighted, so the error is α(ŷ − 1) for a one and ŷ for a zero (y = 0).")),
        (variant(weight="negatives"), ("α weights the wrong class: it multiplies the term of the "
                                       "ones, y log ŷ, not the term of y = 0.")),
        (variant(weight="label"), ("α multiplies the label only (ŷ − αy): for y = 1, "
                                   "∂L/∂z = α(ŷ − 1); α multiplies ŷ as well as the label.")),
        (variant(sigma_prime=True), ("σ′(z) = ŷ(1 − ŷ) is multiplied in: it cancels against the "
                                     "logarithms' derivatives here too, as in the lecture.")),
        (variant(normalise="weights"), ("divided by the sum of the weights: this J divides by m, "
                                        "the number of examples.")),
        (variant(normalise="none"), "not divided by m: J is a MEAN over the examples."),
        (variant(sign=-1.0), "the sign is flipped: derive ∂L/∂z for y = 1 and for y = 0 again."),
    ]
    return _run("weighted_gradients", fn, cases, variant(), ("dw", "db"), mistakes,
                "derive ∂L/∂z for a one (y = 1) and for a zero (y = 0) separately; then "
                "dw = X.T @ (∂L/∂z) / m and db = mean(∂L/∂z).", _matmul_hint)
