"""Gradient descent with momentum, apart from the model: it sees only θ and a cost function.

Derived in notebooks/04_mnist_softmax.ipynb (mini-batches and momentum) and
notebooks/03_shallow_network.ipynb (full-batch gradient descent, momentum 0).
"""

import numpy as np


def momentum_step(theta, velocity, grad, learning_rate, momentum):
    """One step: v ← μv − η∇J, then θ ← θ + v, on theta and velocity in place (a step makes no
    new arrays: ~15% of a 784–100–10 SGD step, measured in benchmarks/targets.py). Returns them.

    theta, velocity and grad have the same shape and dtype, which stays; with momentum 0 this is
    plain gradient descent, θ ← θ − η∇J.
    """
    velocity *= momentum
    velocity -= learning_rate * grad
    theta += velocity
    return theta, velocity


def minibatch_descent(fun, theta, X, Y, *, learning_rate, momentum, batch_size, epochs, rng):
    """Minimise fun over the examples by gradient descent with momentum, `epochs` times.

    fun(theta, X_batch, Y_batch) → (J, ∂J/∂θ) for a batch of rows of X (m, n) and Y (m, K).
    Each epoch visits the rows in an order drawn from rng (in order when batch_size ≥ m, i.e.
    full-batch gradient descent), one momentum_step per batch. Returns (θ, loss_curve), where
    loss_curve[e] is the mean of the batch costs met during epoch e (weighted by batch size).
    The θ passed in is left as it was.
    """
    m = len(X)
    full_batch = batch_size >= m
    theta, velocity = theta.copy(), np.zeros_like(theta)
    if not full_batch:  # each batch's rows are gathered into these, not into new arrays
        X_rows = np.empty((batch_size, *X.shape[1:]), X.dtype)
        Y_rows = np.empty((batch_size, *Y.shape[1:]), Y.dtype)
    loss_curve = []
    for _ in range(epochs):
        order = None if full_batch else rng.permutation(m)
        epoch_cost = 0.0
        for start in range(0, m, batch_size):
            if full_batch:
                J, grad = fun(theta, X, Y)
            else:
                rows = order[start: start + batch_size]
                X_batch = np.take(X, rows, axis=0, out=X_rows[: len(rows)])
                Y_batch = np.take(Y, rows, axis=0, out=Y_rows[: len(rows)])
                J, grad = fun(theta, X_batch, Y_batch)
            theta, velocity = momentum_step(theta, velocity, grad, learning_rate, momentum)
            epoch_cost += J * min(batch_size, m - start) / m
        loss_curve.append(epoch_cost)
    return theta, loss_curve
