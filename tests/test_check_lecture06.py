"""cu.check for lecture 06: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np
from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401

from course_utils.gradcheck import numerical_gradient  # noqa: F401


def unwrap(theta, shapes, bug=None):
    out, start = [], 0
    for rows, cols in shapes:
        shape = (cols, rows) if bug == "shapes_swapped" else (rows, cols)
        out.append(theta[start:start + rows * cols].reshape(shape, order="F" if bug == "order_F" else "C"))
        start += rows * cols
    return out


def relu_backprop(thetas, X, Y, lam, bug=None):
    m = len(X)
    As, Zs = [add_bias(X)], []
    for Theta in thetas[:-1]:
        Zs.append(As[-1] @ Theta)
        As.append(add_bias(np.maximum(Zs[-1], 0)))
    Delta = sigmoid(As[-1] @ thetas[-1]) - Y
    grads = [None] * len(thetas)
    for layer in reversed(range(len(thetas))):
        grads[layer] = As[layer].T @ Delta / m
        first = 0 if bug == "bias_regularised" else 1
        if bug != "lambda_missing":
            grads[layer][first:] += lam / m * thetas[layer][first:]
        if layer:
            A = As[layer][:, 1:]
            slope = A * (1 - A) if bug == "sigmoid_slope" else Zs[layer - 1] > 0
            Delta = (Delta @ thetas[layer][1:].T) * slope
    return grads


SOLUTIONS = {"unwrap": unwrap, "relu_backprop": relu_backprop}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("unwrap", partial(unwrap, bug="order_F"), "column-major"),
    ("unwrap", partial(unwrap, bug="shapes_swapped"), "has shape (2, 3), expected (3, 2)"),
    ("relu_backprop", partial(relu_backprop, bug="sigmoid_slope"), "sigmoid's slope"),
    ("relu_backprop", partial(relu_backprop, bug="bias_regularised"), "bias is regularised"),
    ("relu_backprop", partial(relu_backprop, bug="lambda_missing"), "λ is missing"),
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
