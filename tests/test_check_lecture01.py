"""cu.check for lecture 01: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np

from course_utils.gradcheck import numerical_gradient  # noqa: F401

from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401


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


def logistic_hessian(X, w, b, bug=None):
    y_hat = sigmoid(X @ w + b)
    slope = np.ones_like(y_hat) if bug == "no_slope" else y_hat * (1 - y_hat)
    H = (slope[:, None] * X) @ X.T if bug == "XXt" else X.T @ np.diag(slope) @ X
    if bug == "sign":
        H = -H
    return H if bug == "not_mean" else H / len(X)


def weighted_gradients(X, y, w, b, alpha, bug=None):
    y_hat = sigmoid(X @ w + b)
    weight = np.where(y == 1, alpha, 1.0)
    error = {"everywhere": alpha * (y_hat - y), "ignored": y_hat - y,
             "negatives": np.where(y == 0, alpha, 1.0) * (y_hat - y),
             "label": y_hat - alpha * y}.get(bug, weight * (y_hat - y))
    if bug == "sigma_prime":
        error = error * y_hat * (1 - y_hat)
    if bug == "sign":
        error = -error
    m = {"weight_sum": weight.sum(), "not_mean": 1}.get(bug, len(y))
    return X.T @ error / m, error.sum() / m


SOLUTIONS = {"weights_image": weights_image, "logistic_gradients": logistic_gradients,
             "logistic_hessian": logistic_hessian, "weighted_gradients": weighted_gradients}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("weights_image", lambda w: w.reshape(28, 28).T, "transposed"),
    ("weights_image", lambda w: w.reshape(28, 28, order="F"), "transposed"),
    ("weights_image", lambda w: w, "shape (784,), expected (28, 28)"),
    ("logistic_gradients", partial(logistic_gradients, bug="sigma_prime"), "σ′(z) = ŷ(1 − ŷ) is multiplied in"),
    ("logistic_gradients", partial(logistic_gradients, bug="not_mean"), "not divided by m"),
    ("logistic_gradients", partial(logistic_gradients, bug="sign"), "sign is flipped"),
    ("logistic_gradients", partial(logistic_gradients, bug="transposed"), "X.T"),
    ("logistic_hessian", partial(logistic_hessian, bug="no_slope"), "ŷ(1 − ŷ) is left out"),
    ("logistic_hessian", partial(logistic_hessian, bug="XXt"), "X Xᵀ (m × m)"),
    ("logistic_hessian", partial(logistic_hessian, bug="not_mean"), "not divided by m"),
    ("logistic_hessian", partial(logistic_hessian, bug="sign"), "sign is flipped"),
    ("weighted_gradients", partial(weighted_gradients, bug="ignored"), "α is ignored"),
    ("weighted_gradients", partial(weighted_gradients, bug="label"),
     "α multiplies ŷ as well as the label"),
    ("weighted_gradients", partial(weighted_gradients, bug="everywhere"), "α multiplies every example"),
    ("weighted_gradients", partial(weighted_gradients, bug="negatives"), "weights the wrong class"),
    ("weighted_gradients", partial(weighted_gradients, bug="sigma_prime"), "σ′(z) = ŷ(1 − ŷ) is multiplied in"),
    ("weighted_gradients", partial(weighted_gradients, bug="weight_sum"), "sum of the weights"),
    ("weighted_gradients", partial(weighted_gradients, bug="not_mean"), "not divided by m"),
    ("weighted_gradients", partial(weighted_gradients, bug="sign"), "sign is flipped"),
]


def test_the_gradient_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(0)
    X, y, w, b = rng.normal(size=(6, 3)), np.array([0, 1, 1, 0, 1, 0.0]), rng.normal(size=3), 0.2

    def cost(w):
        z = X @ w + b
        return np.mean(np.logaddexp(0, z) - y * z)

    assert np.allclose(logistic_gradients(X, y, w, b)[0], numerical_gradient(cost, w))


def test_the_weighted_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(1)
    X, y, w, b, alpha = rng.normal(size=(6, 3)), np.array([1, 0, 0, 1, 0, 0.0]), rng.normal(size=3), 0.2, 9.0

    def cost(p):
        z = X @ p[:-1] + p[-1]
        return np.mean(alpha * y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))

    dw, db = weighted_gradients(X, y, w, b, alpha)
    assert np.allclose(np.append(dw, db), numerical_gradient(cost, np.append(w, b)))


def test_the_hessian_reference_agrees_with_finite_differences_of_the_gradient():
    rng = np.random.default_rng(2)
    X, y, w, b = rng.normal(size=(7, 3)), np.array([0, 1, 1, 0, 1, 0, 1.0]), rng.normal(size=3), 0.4
    H = logistic_hessian(X, w, b)
    columns = [numerical_gradient(lambda v: logistic_gradients(X, y, v, b)[0][k], w) for k in range(3)]
    assert H.shape == (3, 3) and np.allclose(H, np.array(columns), atol=1e-7)
    assert np.all(np.linalg.eigvalsh(H) >= -1e-12)  # convex: no negative curvature
