"""cu.check for lecture 03: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np
from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401

from course_utils.gradcheck import numerical_gradient  # noqa: F401


def unwrap3(theta, n, h, K):
    split = (n + 1) * h
    return theta[:split].reshape(n + 1, h), theta[split:].reshape(h + 1, K)


def regularised_cost(theta, X, Y, lam, h, bug=None):
    m, n = X.shape
    Theta1, Theta2 = unwrap3(theta, n, h, Y.shape[1])
    H = sigmoid(add_bias(sigmoid(add_bias(X) @ Theta1)) @ Theta2)
    J = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H))
    first = 0 if bug == "bias_regularised" else 1
    penalty = 0 if bug == "lambda_missing" else (
        lam / 2 * (np.sum(Theta1[first:] ** 2) + np.sum(Theta2[first:] ** 2)))
    return J + penalty if bug == "not_mean" else (J + penalty) / m


def backprop_loop(theta, X, Y, lam, h, bug=None):
    m, n = X.shape
    Theta1, Theta2 = unwrap3(theta, n, h, Y.shape[1])
    D1, D2 = np.zeros_like(Theta1), np.zeros_like(Theta2)
    for i in range(m):
        a1 = np.concatenate([[1.0], X[i]])
        s = sigmoid(a1 @ Theta1)
        a2 = np.concatenate([[1.0], s])
        d3 = sigmoid(a2 @ Theta2) - Y[i]
        d2 = Theta2[1:] @ d3 * (1.0 if bug == "sigma_prime" else s * (1 - s))
        D1 += np.outer(a1, d2)
        D2 += np.outer(a2, d3)
    D1, D2 = (D1, D2) if bug == "not_mean" else (D1 / m, D2 / m)
    first = 0 if bug == "bias_regularised" else 1
    if bug != "lambda_missing":
        D1[first:] += lam / m * Theta1[first:]
        D2[first:] += lam / m * Theta2[first:]
    return np.concatenate([D1.ravel(), D2.ravel()])


SOLUTIONS = {"regularised_cost": regularised_cost, "backprop_loop": backprop_loop}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("regularised_cost", partial(regularised_cost, bug="lambda_missing"), "λ is missing"),
    ("regularised_cost", partial(regularised_cost, bug="bias_regularised"), "bias is regularised"),
    ("regularised_cost", partial(regularised_cost, bug="not_mean"), "not averaged over m"),
    ("backprop_loop", partial(backprop_loop, bug="sigma_prime"), "σ′ is left out"),
    ("backprop_loop", partial(backprop_loop, bug="bias_regularised"), "bias is regularised"),
    ("backprop_loop", partial(backprop_loop, bug="lambda_missing"), "λ is missing"),
    ("backprop_loop", partial(backprop_loop, bug="not_mean"), "not divided by m"),
]


def test_the_gradient_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(0)
    X, Y, theta = rng.normal(size=(4, 3)), np.eye(2)[[0, 1, 1, 0]], rng.normal(size=4 * 3 + 4 * 2)
    numeric = numerical_gradient(lambda t: regularised_cost(t, X, Y, 0.8, 3), theta)
    assert np.allclose(backprop_loop(theta, X, Y, 0.8, 3), numeric, atol=1e-7)
