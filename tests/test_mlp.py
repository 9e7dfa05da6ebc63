"""course_utils.mlp: every function against an independent plain version or finite differences."""

import itertools

import numpy as np
import pytest

from course_utils import mlp
from course_utils.activations import ACTIVATIONS
from course_utils.gradcheck import numerical_gradient, relative_error

from plain_network import add_bias, plain_cost_and_gradient, plain_recipe

ACTIVATION_NAMES = sorted(ACTIVATIONS)
HIDDEN = [(), (4,), (5, 4)]


def problem(seed, m=7, n=5, K=3, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(m, n)).astype(dtype),
            np.eye(K, dtype=dtype)[rng.integers(0, K, m)])


def random_theta(shapes, seed, scale=1.0):
    return np.random.default_rng(seed).normal(scale=scale, size=sum(r * c for r, c in shapes))


# --- parameters -------------------------------------------------------------------------------

def test_shapes_unroll_and_unwrap_are_the_lectures():
    assert mlp.shapes(400, (25, 25), 10) == [(401, 25), (26, 25), (26, 10)]
    assert mlp.shapes(4, (), 3) == [(5, 3)]
    rng = np.random.default_rng(0)
    thetas = [rng.normal(size=(6, 4)), rng.normal(size=(5, 3))]
    theta = mlp.unroll(thetas)
    assert np.array_equal(theta[:24], thetas[0].ravel())  # Θ¹ first, row by row
    views = mlp.unwrap(theta, [(6, 4), (5, 3)])
    assert all(np.array_equal(a, b) for a, b in zip(views, thetas))
    assert all(np.shares_memory(view, theta) for view in views)
    # lecture 03's unroll and unwrap agree with the package's on its two-layer network
    T1, T2 = plain_recipe.unwrap(theta, 5, 4, 3)
    assert np.array_equal(T1, thetas[0]) and np.array_equal(plain_recipe.unroll(T1, T2), theta)


@pytest.mark.parametrize("init", mlp.INITS)
def test_init_theta(init):
    shapes = [(401, 50), (51, 10)]
    theta = mlp.init_theta(shapes, np.random.default_rng(0), init, epsilon=0.12)
    T1, T2 = mlp.unwrap(theta, shapes)
    assert theta.dtype == np.float64 and len(theta) == 401 * 50 + 51 * 10
    if init == "uniform":
        assert np.abs(theta).max() <= 0.12 and np.abs(T1[0]).max() > 0
    else:
        assert not T1[0].any() and not T2[0].any()  # zero biases
        expected = np.sqrt(2 / 400) if init == "he" else np.sqrt(6 / 450) / np.sqrt(3)
        assert abs(T1[1:].std() - expected) / expected < 0.05


# --- forward and output -------------------------------------------------------------------------

def test_forward_lists_each_layers_input_and_pre_activation():
    X, _ = problem(0)
    shapes = mlp.shapes(5, (4, 2), 3)
    thetas = mlp.unwrap(random_theta(shapes, 1), shapes)
    As, Zs = mlp.forward(thetas, X, "tanh")
    assert [A.shape for A in As] == [(7, 5), (7, 4), (7, 2)] and As[0] is X
    assert [Z.shape for Z in Zs] == [(7, 4), (7, 2), (7, 3)]
    assert np.allclose(Zs[0], add_bias(X) @ thetas[0]) and np.allclose(As[1], np.tanh(Zs[0]))
    assert np.allclose(Zs[2], add_bias(As[2]) @ thetas[2])


@pytest.mark.parametrize("output", mlp.OUTPUTS)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_output_loss_and_dZ(output, dtype):
    rng = np.random.default_rng(2)
    Z, Y = (3 * rng.normal(size=(6, 4))).astype(dtype), np.eye(4, dtype=dtype)[[0, 1, 2, 3, 0, 1]]
    loss, dZ = mlp.output_loss(Z, Y, output)
    P = mlp.output_probabilities(Z, output)
    Z64 = Z.astype(np.float64)
    if output == "sigmoid":
        H = 1 / (1 + np.exp(-Z64))
        expected = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H)) / 6
    else:
        H = np.exp(Z64) / np.exp(Z64).sum(axis=1, keepdims=True)
        expected = -np.sum(Y * np.log(H)) / 6
    tol = 1e-12 if dtype == np.float64 else 1e-6
    assert isinstance(loss, float) and loss == pytest.approx(expected, rel=tol)
    assert P.dtype == dZ.dtype == dtype
    assert np.allclose(P, H, rtol=tol, atol=0 if dtype == np.float64 else 1e-7)
    numeric = numerical_gradient(lambda z: mlp.output_loss(z, Y.astype(np.float64), output)[0],
                                 Z64)
    assert relative_error(dZ, numeric) < (1e-8 if dtype == np.float64 else 1e-5)


def test_output_loss_is_finite_for_huge_scores():
    Z = np.array([[1000.0, -1000.0], [-1000.0, 1000.0]])
    for output in mlp.OUTPUTS:
        loss, dZ = mlp.output_loss(Z, np.eye(2), output)
        assert np.isfinite(loss) and loss < 1e-300 and np.all(np.isfinite(dZ))
        assert mlp.output_loss(Z, np.eye(2)[::-1], output)[0] == pytest.approx(
            2000, rel=1e-12)


# --- cost and gradient: every path against the plain reference ---------------------------------

@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("output", mlp.OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN, ids=str)
def test_gradient_matches_finite_differences(activation, output, hidden):
    X, Y = problem(len(hidden))
    shapes = mlp.shapes(5, hidden, 3)
    theta = random_theta(shapes, 3, scale=1.5)  # away from the linear regime of every g
    kwargs = {"alpha": 0.7, "activation": activation, "output": output}
    J, grad = mlp.cost_and_gradient(theta, X, Y, shapes, **kwargs)
    numeric = numerical_gradient(lambda t: mlp.cost(t, X, Y, shapes, **kwargs), theta)
    assert relative_error(grad, numeric) < 1e-7
    assert J == pytest.approx(mlp.cost(theta, X, Y, shapes, **kwargs), rel=1e-12)
    assert np.array_equal(grad, mlp.gradient(theta, X, Y, shapes, **kwargs))


@pytest.mark.parametrize("activation", ACTIVATION_NAMES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", ["C", "F"], ids=["row-major X", "column-major X"])
@pytest.mark.parametrize("m, m_override", [(7, None), (300, None), (300, 5000)],
                         ids=["7 rows", "300 rows", "300-row batch of 5000"])
def test_cost_and_gradient_match_the_plain_reference(activation, dtype, order, m, m_override):
    """float32 and float64, X in either memory order (column-major X takes forward's
    examples-last product), batches over 256 rows, the penalty's m override, every activation."""
    X, Y = problem(4, m=m, n=6, K=4, dtype=dtype)
    X = np.asarray(X, order=order)
    assert X.flags.f_contiguous == (order == "F")
    shapes = mlp.shapes(6, (5, 4), 4)
    theta = random_theta(shapes, 5)
    for output, alpha in itertools.product(mlp.OUTPUTS, (2.0, 0.0)):  # alpha 0 skips the penalty
        kwargs = {"alpha": alpha, "activation": activation, "output": output}
        J, grad = mlp.cost_and_gradient(theta, X, Y, shapes, m=m_override, **kwargs)
        J_ref, grad_ref = plain_cost_and_gradient(mlp.unwrap(theta, shapes), X, Y, m=m_override,
                                                  **kwargs)
        tol = 1e-12 if dtype == np.float64 else 1e-5
        assert grad.dtype == dtype and len(grad) == len(theta)
        assert J == pytest.approx(J_ref, rel=tol)
        assert relative_error(grad, grad_ref) < tol


def test_m_override_scales_only_the_penalty():
    X, Y = problem(6, m=10)
    shapes = mlp.shapes(5, (4,), 3)
    theta = random_theta(shapes, 7)
    J10, grad10 = mlp.cost_and_gradient(theta, X, Y, shapes, alpha=3.0)
    J40, grad40 = mlp.cost_and_gradient(theta, X, Y, shapes, alpha=3.0, m=40)
    J0, grad0 = mlp.cost_and_gradient(theta, X, Y, shapes, alpha=0.0)
    assert J40 - J0 == pytest.approx((J10 - J0) / 4, rel=1e-12)
    assert np.allclose(grad40 - grad0, (grad10 - grad0) / 4, rtol=1e-10, atol=1e-15)


def test_the_lectures_cost_and_gradient_on_400_25_10():
    """Lecture 03's functions, read from the notebook, and the package agree on its network."""
    rng = np.random.default_rng(8)
    X = rng.random((300, 400))
    Y = np.eye(10)[rng.integers(0, 10, 300)]
    shapes = mlp.shapes(400, (25,), 10)
    theta = mlp.init_theta(shapes, rng)
    J, grad = mlp.cost_and_gradient(theta, X, Y, shapes, alpha=1.5)
    assert J == pytest.approx(plain_recipe.cost(theta, X, Y, 1.5), rel=1e-12)
    assert relative_error(grad, plain_recipe.gradient(theta, X, Y, 1.5)) < 1e-12
    J32, grad32 = mlp.cost_and_gradient(theta, X.astype(np.float32), Y.astype(np.float32),
                                        shapes, alpha=1.5)
    assert grad32.dtype == np.float32 and J32 == pytest.approx(J, rel=1e-5)
    assert relative_error(grad32, grad) < 1e-5


def test_backprop_returns_one_gradient_per_theta_with_its_shape():
    X, Y = problem(9)
    shapes = mlp.shapes(5, (4, 2), 3)
    thetas = mlp.unwrap(random_theta(shapes, 9), shapes)
    As, Zs = mlp.forward(thetas, X, "relu")
    _, dZ = mlp.output_loss(Zs[-1], Y, "softmax")
    grads = mlp.backprop(thetas, As, Zs, dZ, "relu")
    assert [G.shape for G in grads] == shapes
    assert np.allclose(grads[-1][0], dZ.sum(axis=0)) and np.allclose(grads[-1][1:], As[-1].T @ dZ)
