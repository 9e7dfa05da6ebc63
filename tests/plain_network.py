"""Plain, independent versions of the network's math: the references the package is tested against.

`plain_recipe` is lecture 03's own code, read from notebooks/03_shallow_network.ipynb
(benchmarks/plain_recipe.py); `plain_cost_and_gradient` is lecture 06's loop over layers,
generalised to any activation and output.
"""

import numpy as np

from course_utils.activations import ACTIVATIONS

import plain_recipe  # noqa: F401  (benchmarks/plain_recipe.py, re-exported for the tests)


def add_bias(A):
    return np.hstack([np.ones((len(A), 1)), A])


def plain_cost_and_gradient(thetas, X, Y, alpha, activation, output, m=None):
    """The reference: lecture 06's loops in float64 with bias columns of ones, any g and output.

    It uses g'(Z) for every activation (the package reuses A(1 - A) for the sigmoid), builds
    every product as a plain `A.T @ Delta` and computes the loss from log P.
    """
    g, g_prime = ACTIVATIONS[activation]
    thetas = [np.asarray(T, dtype=np.float64) for T in thetas]
    X, Y = np.asarray(X, np.float64), np.asarray(Y, np.float64)
    m_batch = len(X)
    m = m_batch if m is None else m
    As, Zs = [add_bias(X)], []
    for Theta in thetas[:-1]:
        Zs.append(As[-1] @ Theta)
        As.append(add_bias(g(Zs[-1])))
    Z = As[-1] @ thetas[-1]
    if output == "sigmoid":
        H = 1 / (1 + np.exp(-Z))
        J = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m_batch
    else:
        H = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        J = -np.sum(Y * np.log(H)) / m_batch
    J += alpha / (2 * m) * sum(np.sum(Theta[1:] ** 2) for Theta in thetas)
    Delta = (H - Y) / m_batch
    grads = [None] * len(thetas)
    for layer in range(len(thetas) - 1, -1, -1):
        grads[layer] = As[layer].T @ Delta
        grads[layer][1:] += alpha / m * thetas[layer][1:]
        if layer > 0:
            Delta = (Delta @ thetas[layer][1:].T) * g_prime(Zs[layer - 1])
    return J, np.concatenate([G.ravel() for G in grads])
