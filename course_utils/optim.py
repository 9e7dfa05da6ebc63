"""Gradient descent with momentum, apart from the model: it sees only θ and a cost function.

Derived in notebooks/04_mnist_softmax.ipynb (mini-batches and momentum) and
notebooks/03_shallow_network.ipynb (full-batch gradient descent, momentum 0).
"""

import numpy as np


def momentum_step(theta, velocity, grad, learning_rate, momentum):
    """One step: v ← μv − η∇J, then θ ← θ + v. Returns the new (theta, velocity).

    theta, velocity and grad have the same shape and dtype, which the results keep; with
    momentum 0 this is plain gradient descent, θ ← θ − η∇J.
    """
    velocity = momentum * velocity - learning_rate * grad
    return theta + velocity, velocity


def minibatch_descent(fun, theta, X, Y, *, learning_rate, momentum, batch_size, epochs, rng):
    """Minimise fun over the examples by gradient descent with momentum, `epochs` times.

    fun(theta, X_batch, Y_batch) → (J, ∂J/∂θ) for a batch of rows of X (m, n) and Y (m, K).
    Each epoch visits the rows in an order drawn from rng (in order when batch_size ≥ m, i.e.
    full-batch gradient descent), one momentum_step per batch. Returns (θ, loss_curve), where
    loss_curve[e] is the mean of the batch costs met during epoch e (weighted by batch size).
    """
    m = len(X)
    full_batch = batch_size >= m
    velocity = np.zeros_like(theta)
    loss_curve = []
    for _ in range(epochs):
        order = None if full_batch else rng.permutation(m)
        epoch_cost = 0.0
        for start in range(0, m, batch_size):
            if full_batch:
                J, grad = fun(theta, X, Y)
            else:
                rows = order[start: start + batch_size]
                J, grad = fun(theta, X[rows], Y[rows])
            theta, velocity = momentum_step(theta, velocity, grad, learning_rate, momentum)
            epoch_cost += J * min(batch_size, m - start) / m
        loss_curve.append(epoch_cost)
    return theta, loss_curve
