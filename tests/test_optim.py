"""course_utils.optim: the momentum step against its formula, the descent loop on known problems."""

import numpy as np
import pytest

from course_utils.optim import minibatch_descent, momentum_step


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_momentum_step_is_the_formula(dtype):
    theta = np.array([1.0, 2.0, -3.0], dtype)
    velocity = np.array([0.5, -1.0, 0.0], dtype)
    grad = np.array([2.0, 0.0, -4.0], dtype)
    new_theta, new_velocity = momentum_step(theta, velocity, grad, learning_rate=0.1, momentum=0.9)
    # v ← 0.9 v − 0.1 ∇J = [0.45 − 0.2, −0.9 − 0, 0 + 0.4]; θ ← θ + v
    assert np.allclose(new_velocity, [0.25, -0.9, 0.4], rtol=1e-6)
    assert np.allclose(new_theta, [1.25, 1.1, -2.6], rtol=1e-6)
    assert new_theta.dtype == new_velocity.dtype == dtype
    assert np.array_equal(theta, [1.0, 2.0, -3.0]) and np.array_equal(velocity, [0.5, -1.0, 0.0])


def test_momentum_zero_is_gradient_descent():
    rng = np.random.default_rng(0)
    theta, velocity, grad = rng.normal(size=(3, 10))
    new_theta, _ = momentum_step(theta, velocity, grad, learning_rate=0.3, momentum=0.0)
    assert np.array_equal(new_theta, theta - 0.3 * grad)


def test_full_batch_descent_on_a_quadratic():
    """J(θ) = ½‖θ − c‖²: gradient descent shrinks the error by (1 − η) each epoch."""
    c = np.array([3.0, -1.0])
    X, Y = np.zeros((5, 1)), np.zeros((5, 1))

    def fun(theta, X_batch, Y_batch):
        assert len(X_batch) == 5  # the whole set, every time
        return 0.5 * float(np.sum((theta - c) ** 2)), theta - c

    theta, curve = minibatch_descent(fun, np.zeros(2), X, Y, learning_rate=0.25, momentum=0.0,
                                     batch_size=5, epochs=4, rng=np.random.default_rng(0))
    assert np.allclose(theta - c, -c * 0.75 ** 4)
    assert np.allclose(curve, [0.5 * np.sum(c ** 2) * 0.75 ** (2 * e) for e in range(4)])


def test_minibatches_visit_every_row_once_per_epoch_in_the_rngs_order():
    X = np.arange(10.0)[:, None]
    seen = []

    def fun(theta, X_batch, Y_batch):
        seen.append(X_batch[:, 0].astype(int).tolist())
        return float(len(X_batch)), np.zeros_like(theta)

    _, curve = minibatch_descent(fun, np.zeros(1), X, X, learning_rate=0.1, momentum=0.9,
                                 batch_size=4, epochs=2, rng=np.random.default_rng(7))
    rng = np.random.default_rng(7)
    expected = []
    for _ in range(2):
        order = rng.permutation(10).tolist()
        expected += [order[0:4], order[4:8], order[8:10]]
    assert seen == expected
    # the epoch's cost is the batch costs weighted by batch size: (4·4 + 4·4 + 2·2) / 10
    assert curve == pytest.approx([3.6, 3.6])


def test_momentum_accumulates_across_steps():
    """Constant gradient g: the velocity after k steps is −ηg(1 + μ + … + μ^(k−1))."""
    X = np.zeros((6, 1))

    def fun(theta, X_batch, Y_batch):
        return 0.0, np.ones_like(theta)

    theta, _ = minibatch_descent(fun, np.zeros(1), X, X, learning_rate=0.1, momentum=0.5,
                                 batch_size=2, epochs=1, rng=np.random.default_rng(0))
    velocities = [-0.1, -0.1 * 1.5, -0.1 * 1.75]
    assert theta[0] == pytest.approx(sum(velocities))
