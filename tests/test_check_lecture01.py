"""cu.check for lecture 01: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np
from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401

from course_utils.gradcheck import numerical_gradient  # noqa: F401


def weights_image(w):
    return w.reshape(28, 28)


def logistic_gradients(X, y, w, b, bug=None):
    y_hat = sigmoid(X @ w + b)
    error = y_hat - y
    if bug == "sigma_prime":
        error = error * y_hat * (1 - y_hat)
    if bug == "sign":
        error = -error
    m = 1 if bug == "not_mean" else len(y)
    return (X if bug == "transposed" else X.T) @ error / m, error.sum() / m


SOLUTIONS = {"weights_image": weights_image, "logistic_gradients": logistic_gradients}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("weights_image", lambda w: w.reshape(28, 28).T, "transposed"),
    ("weights_image", lambda w: w.reshape(28, 28, order="F"), "transposed"),
    ("weights_image", lambda w: w, "shape (784,), expected (28, 28)"),
    ("logistic_gradients", partial(logistic_gradients, bug="sigma_prime"), "σ′(z) = ŷ(1 − ŷ) is multiplied in"),
    ("logistic_gradients", partial(logistic_gradients, bug="not_mean"), "not divided by m"),
    ("logistic_gradients", partial(logistic_gradients, bug="sign"), "sign is flipped"),
    ("logistic_gradients", partial(logistic_gradients, bug="transposed"), "X.T"),
]


def test_the_gradient_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(0)
    X, y, w, b = rng.normal(size=(6, 3)), np.array([0, 1, 1, 0, 1, 0.0]), rng.normal(size=3), 0.2

    def cost(w):
        z = X @ w + b
        return np.mean(np.logaddexp(0, z) - y * z)

    assert np.allclose(logistic_gradients(X, y, w, b)[0], numerical_gradient(cost, w))
