"""The plain recipe of notebooks/03_shallow_network.ipynb, as the lecture first writes it.

Separate cost and gradient functions, each with its own forward pass, bias columns of ones
prepended with np.hstack, float64 — the baseline the package's NeuralNetwork is timed against.
"""

import numpy as np
from scipy.optimize import minimize


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def add_bias(A):
    return np.hstack([np.ones((len(A), 1)), A])


def unwrap(theta, n, h, K):
    split = (n + 1) * h
    return theta[:split].reshape(n + 1, h), theta[split:].reshape(h + 1, K)


def forward(Theta1, Theta2, X):
    A1 = add_bias(X)
    Z2 = A1 @ Theta1
    A2 = add_bias(sigmoid(Z2))
    return A1, Z2, A2, sigmoid(A2 @ Theta2)


def cost(theta, X, Y, lam, h=25):
    m, n = X.shape
    Theta1, Theta2 = unwrap(theta, n, h, Y.shape[1])
    H = np.clip(forward(Theta1, Theta2, X)[3], 1e-15, 1 - 1e-15)
    J = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / m
    return J + lam / (2 * m) * (np.sum(Theta1[1:] ** 2) + np.sum(Theta2[1:] ** 2))


def gradient(theta, X, Y, lam, h=25):
    m, n = X.shape
    Theta1, Theta2 = unwrap(theta, n, h, Y.shape[1])
    A1, Z2, A2, H = forward(Theta1, Theta2, X)
    Delta3 = H - Y
    s = sigmoid(Z2)
    Delta2 = (Delta3 @ Theta2[1:].T) * (s * (1 - s))
    D1, D2 = A1.T @ Delta2 / m, A2.T @ Delta3 / m
    D1[1:] += lam / m * Theta1[1:]
    D2[1:] += lam / m * Theta2[1:]
    return np.concatenate([D1.ravel(), D2.ravel()])


def fit(theta0, X, y, lam=1.0, max_iter=335, h=25):
    """CG on the plain cost and gradient; returns θ and the training accuracy."""
    Y = np.eye(10)[y]
    result = minimize(cost, theta0, args=(X, Y, lam, h), jac=gradient, method="CG",
                      options={"maxiter": max_iter})
    H = forward(*unwrap(result.x, X.shape[1], h, 10), X)[3]
    return result.x, float(np.mean(np.argmax(H, axis=1) == y))
