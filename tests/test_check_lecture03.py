"""cu.check for lecture 03: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np

from course_utils import check
from course_utils.gradcheck import numerical_gradient  # noqa: F401

from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401


def unwrap3(theta, n, h, K):
    split = (n + 1) * h
    return theta[:split].reshape(n + 1, h), theta[split:].reshape(h + 1, K)


def regularised_cost(theta, X, Y, lam, h, bug=None):
    m, n = X.shape
    Theta1, Theta2 = unwrap3(theta, n, h, Y.shape[1])
    H = sigmoid(add_bias(sigmoid(add_bias(X) @ Theta1)) @ Theta2)
    J = -np.sum(Y * np.log(H) + (0 if bug == "no_one_minus" else (1 - Y) * np.log(1 - H)))
    if bug == "mean_mK":
        J = J / Y.shape[1]  # np.mean over the (m, K) matrix instead of a sum over K
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
        slope = sigmoid(s) * (1 - sigmoid(s)) if bug == "sigma_prime_of_a" else s * (1 - s)
        d2 = Theta2[1:] @ d3 * (1.0 if bug == "sigma_prime" else slope)
        D1 += np.outer(a1, d2)
        D2 += np.outer(a2, d3)
    D1, D2 = (D1, D2) if bug == "not_mean" else (D1 / m, D2 / m)
    first = 0 if bug == "bias_regularised" else 1
    if bug != "lambda_missing":
        D1[first:] += lam / m * Theta1[first:]
        D2[first:] += lam / m * Theta2[first:]
    return np.concatenate([D1.ravel(), D2.ravel()])


def tanh_cost(theta, X, Y, lam, h):
    """The regularised cost of the n–h–K network with tanh hidden units (sigmoid outputs)."""
    m, n = X.shape
    Theta1, Theta2 = unwrap3(theta, n, h, Y.shape[1])
    Y_hat = sigmoid(add_bias(np.tanh(add_bias(X) @ Theta1)) @ Theta2)
    J = -np.sum(Y * np.log(Y_hat) + (1 - Y) * np.log(1 - Y_hat)) / m
    return J + lam / (2 * m) * (np.sum(Theta1[1:] ** 2) + np.sum(Theta2[1:] ** 2))


def tanh_backprop(theta, X, Y, lam, h, bug=None):
    m, n = X.shape
    Theta1, Theta2 = unwrap3(theta, n, h, Y.shape[1])
    A0b = add_bias(X)
    Z1 = A0b @ Theta1
    A1 = sigmoid(Z1) if bug == "sigmoid_forward" else np.tanh(Z1)
    A1b = add_bias(A1)
    Delta2 = sigmoid(A1b @ Theta2) - Y
    slope = {"sigmoid_slope": A1 * (1 - A1), "slope_of_z": 1 - Z1 ** 2,
             "no_slope": 1.0, "tanh_twice": 1 - np.tanh(A1) ** 2}.get(bug, 1 - A1 ** 2)
    Delta1 = Delta2 @ Theta2[1:].T * slope
    D1, D2 = A0b.T @ Delta1, A1b.T @ Delta2
    if bug != "not_mean":
        D1, D2 = D1 / m, D2 / m
    first = 0 if bug == "bias_regularised" else 1
    D1[first:] += lam / m * Theta1[first:]
    D2[first:] += lam / m * Theta2[first:]
    return np.concatenate([D1.ravel(), D2.ravel()])


SOLUTIONS = {"regularised_cost": regularised_cost, "backprop_loop": backprop_loop,
             "tanh_backprop": tanh_backprop}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("regularised_cost", partial(regularised_cost, bug="lambda_missing"), "λ is missing"),
    ("regularised_cost", partial(regularised_cost, bug="bias_regularised"), "bias is regularised"),
    ("regularised_cost", partial(regularised_cost, bug="not_mean"), "not averaged over m"),
    ("regularised_cost", partial(regularised_cost, bug="no_one_minus"),
     "(1 − Y) log(1 − Ŷ) term is missing"),
    ("regularised_cost", partial(regularised_cost, bug="mean_mK"), "divided by m·K"),
    ("backprop_loop", partial(backprop_loop, bug="sigma_prime"), "σ′ is left out"),
    ("backprop_loop", partial(backprop_loop, bug="bias_regularised"), "bias is regularised"),
    ("backprop_loop", partial(backprop_loop, bug="lambda_missing"), "λ is missing"),
    ("backprop_loop", partial(backprop_loop, bug="not_mean"), "not divided by m"),
    ("backprop_loop", partial(backprop_loop, bug="sigma_prime_of_a"),
     "σ′ is applied to the activation"),
    ("tanh_backprop", partial(tanh_backprop, bug="sigmoid_slope"), "sigmoid's slope a(1 − a)"),
    ("tanh_backprop", partial(tanh_backprop, bug="slope_of_z"), "slope is taken of z"),
    ("tanh_backprop", partial(tanh_backprop, bug="no_slope"), "slope is left out"),
    ("tanh_backprop", partial(tanh_backprop, bug="tanh_twice"), "tanh is applied twice"),
    ("tanh_backprop", partial(tanh_backprop, bug="sigmoid_forward"), "computed with σ"),
    ("tanh_backprop", partial(backprop_loop), "gradient of the sigmoid network"),
    ("tanh_backprop", partial(tanh_backprop, bug="bias_regularised"), "bias is regularised"),
    ("tanh_backprop", partial(tanh_backprop, bug="not_mean"), "not divided by m"),
]


def test_the_gradient_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(0)
    X, Y, theta = rng.normal(size=(4, 3)), np.eye(2)[[0, 1, 1, 0]], rng.normal(size=4 * 3 + 4 * 2)
    numeric = numerical_gradient(lambda t: regularised_cost(t, X, Y, 0.8, 3), theta)
    assert np.allclose(backprop_loop(theta, X, Y, 0.8, 3), numeric, atol=1e-7)


def test_the_tanh_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(1)
    X, Y, theta = rng.normal(size=(5, 3)), np.eye(3)[[0, 1, 2, 0, 1]], rng.normal(size=4 * 4 + 5 * 3)
    numeric = numerical_gradient(lambda t: tanh_cost(t, X, Y, 1.2, 4), theta)
    assert np.allclose(tanh_backprop(theta, X, Y, 1.2, 4), numeric, atol=1e-7)
    assert np.allclose(check.lecture03._tanh_gradient(theta, X, Y, 1.2, 4), numeric, atol=1e-7)
