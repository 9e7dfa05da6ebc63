"""course_utils.gradcheck: numerical gradients and the relative error."""

import numpy as np
import pytest

from course_utils.gradcheck import numerical_gradient, relative_error


def test_numerical_gradient_of_a_quadratic_form():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(5, 5))
    x = rng.normal(size=5)
    numeric = numerical_gradient(lambda v: v @ A @ v, x)
    assert relative_error(numeric, (A + A.T) @ x) < 1e-9


def test_numerical_gradient_keeps_shape_and_leaves_x_alone():
    x = np.arange(6.0).reshape(2, 3)
    before = x.copy()
    grad = numerical_gradient(lambda W: np.sum(W**3), x)
    assert grad.shape == (2, 3) and np.allclose(grad, 3 * before**2, atol=1e-6)
    assert np.array_equal(x, before)


def test_relative_error_detects_a_wrong_factor():
    a = np.array([1.0, -2.0, 3.0])
    assert relative_error(a, a) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert np.isclose(relative_error(a, 2 * a), 1 / 3)


@pytest.mark.parametrize("call, message", [
    (lambda: numerical_gradient("f", np.zeros(2)), "function"),
    (lambda: numerical_gradient(np.sum, np.array([1, 2])), "dtype"),
    (lambda: numerical_gradient(np.sum, np.array([np.nan])), "NaN"),
    (lambda: numerical_gradient(np.sum, np.zeros(2), eps=0), "eps"),
    (lambda: relative_error(np.zeros(2), np.zeros(3)), "same shape"),
    (lambda: relative_error(np.zeros(2), np.array([np.inf, 0])), "NaN or infinite"),
    (lambda: relative_error([], []), "empty"),
])
def test_bad_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
