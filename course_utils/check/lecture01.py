"""Checks of lecture 01's exercises (a single neuron): notebooks/01_*.ipynb."""

import numpy as np

from ._formulas import _rng, _sigmoid
from ._runner import _matmul_hint, _run

__all__ = ["weights_image", "logistic_gradients"]


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
