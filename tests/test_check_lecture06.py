"""cu.check for lecture 06: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np

from course_utils.gradcheck import numerical_gradient  # noqa: F401

from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401


def relu_backprop(thetas, X, Y, lam, bug=None):
    m = len(X)
    As, Zs = [add_bias(X)], []
    for Theta in thetas[:-1]:
        Zs.append(As[-1] @ Theta)
        As.append(add_bias(np.maximum(Zs[-1], 0)))
    Y_hat = sigmoid(As[-1] @ thetas[-1])
    Delta = Y_hat - Y
    if bug == "output_slope":
        Delta = Delta * Y_hat * (1 - Y_hat)
    grads = [None] * len(thetas)
    for layer in reversed(range(len(thetas))):
        grads[layer] = As[layer].T @ Delta / (1 if bug in ("sum", "sum_data") else m)
        first = 0 if bug == "bias_regularised" else 1
        if bug != "lambda_missing":
            grads[layer][first:] += (lam if bug == "sum" else lam / m) * thetas[layer][first:]
        if layer:
            A = As[layer][:, 1:]
            slope = A * (1 - A) if bug == "sigmoid_slope" else Zs[layer - 1] > 0
            Delta = (Delta @ thetas[layer][1:].T) * slope
    return grads


def dropout_backprop(thetas, X, Y, masks, p, bug=None):
    m = len(X)
    As, clean, Ss = [add_bias(X)], [add_bias(X)], []
    for Theta, M in zip(thetas[:-1], masks):
        S = sigmoid(As[-1] @ Theta)
        Ss.append(S)
        clean.append(add_bias(S))
        As.append(add_bias(S * M / (p if bug == "divides_by_p" else 1 - p)))
    Y_hat = sigmoid(As[-1] @ thetas[-1])
    Delta = Y_hat - Y
    if bug == "output_slope":
        Delta = Delta * Y_hat * (1 - Y_hat)
    inputs = clean if bug == "clean_input" else As
    grads = [None] * len(thetas)
    for layer in reversed(range(len(thetas))):
        grads[layer] = inputs[layer].T @ Delta / (1 if bug == "sum" else m)
        if layer:
            S, M = Ss[layer - 1], masks[layer - 1]
            gate = {"no_mask": 1.0, "no_scale": M, "times": M * (1 - p),
                    "divides_by_p": M / p}.get(bug, M / (1 - p))
            if bug == "dropped_slope":
                D = S * M / (1 - p)
                slope = D * (1 - D)
            else:
                slope = S * (1 - S)
            Delta = (Delta @ thetas[layer][1:].T) * gate * slope
    return grads


SOLUTIONS = {"relu_backprop": relu_backprop, "dropout_backprop": dropout_backprop}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("relu_backprop", partial(relu_backprop, bug="output_slope"), "the slope cancels"),
    ("relu_backprop", partial(relu_backprop, bug="sigmoid_slope"), "sigmoid's slope"),
    ("relu_backprop", partial(relu_backprop, bug="bias_regularised"), "bias is regularised"),
    ("relu_backprop", partial(relu_backprop, bug="lambda_missing"), "λ is missing"),
    ("relu_backprop", partial(relu_backprop, bug="sum"), "each gradient is averaged"),
    ("relu_backprop", partial(relu_backprop, bug="sum_data"), "Aᵀ Δ sums over the examples"),
    ("dropout_backprop", partial(dropout_backprop, bug="divides_by_p"), "divides by p"),
    ("dropout_backprop", partial(dropout_backprop, bug="output_slope"), "the slope cancels"),
    ("dropout_backprop", partial(dropout_backprop, bug="no_mask"), "mask is missing"),
    ("dropout_backprop", partial(dropout_backprop, bug="no_scale"), "masked but not scaled"),
    ("dropout_backprop", partial(dropout_backprop, bug="times"), "scaled by (1 − p)"),
    ("dropout_backprop", partial(dropout_backprop, bug="dropped_slope"), "dropped, rescaled"),
    ("dropout_backprop", partial(dropout_backprop, bug="clean_input"), "before dropout"),
    ("dropout_backprop", partial(dropout_backprop, bug="sum"), "not divided by m"),
]


def test_the_gradient_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(0)
    thetas = [rng.normal(size=s) for s in [(4, 5), (6, 2)]]
    X, Y = rng.normal(size=(5, 3)), np.eye(2)[[0, 1, 1, 0, 1]]

    def cost(t):
        T1, T2 = t[:20].reshape(4, 5), t[20:].reshape(6, 2)
        z = add_bias(np.maximum(add_bias(X) @ T1, 0)) @ T2
        J = np.sum(np.logaddexp(0, z) - Y * z) / 5
        return J + 0.7 / 10 * (np.sum(T1[1:] ** 2) + np.sum(T2[1:] ** 2))

    theta = np.concatenate([t.ravel() for t in thetas])
    analytic = np.concatenate([g.ravel() for g in relu_backprop(thetas, X, Y, 0.7)])
    assert np.allclose(analytic, numerical_gradient(cost, theta), atol=1e-7)


def test_the_dropout_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(1)
    thetas = [rng.normal(size=s) for s in [(4, 5), (6, 3), (4, 2)]]
    X, Y = rng.normal(size=(6, 3)), np.eye(2)[[0, 1, 1, 0, 1, 0]]
    masks = [(rng.random((6, 5)) >= 0.4).astype(float), (rng.random((6, 3)) >= 0.4).astype(float)]

    def cost(t):
        T1, T2, T3 = t[:20].reshape(4, 5), t[20:38].reshape(6, 3), t[38:].reshape(4, 2)
        A1 = sigmoid(add_bias(X) @ T1) * masks[0] / 0.6
        A2 = sigmoid(add_bias(A1) @ T2) * masks[1] / 0.6
        z = add_bias(A2) @ T3
        return np.sum(np.logaddexp(0, z) - Y * z) / 6

    theta = np.concatenate([t.ravel() for t in thetas])
    analytic = np.concatenate([g.ravel() for g in dropout_backprop(thetas, X, Y, masks, 0.4)])
    assert np.allclose(analytic, numerical_gradient(cost, theta), atol=1e-7)
