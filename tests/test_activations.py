"""course_utils.activations: every derivative against finite differences, no overflow."""

import warnings

import numpy as np
import pytest

from course_utils.activations import ACTIVATIONS, activation_curves, get_activation
from course_utils.gradcheck import relative_error

NAMES = sorted(ACTIVATIONS)


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_central_differences(name):
    f, f_prime = ACTIVATIONS[name]
    # Points away from the kinks of ReLU-like functions at 0.
    z = np.concatenate([np.linspace(-4, -0.05, 40), np.linspace(0.05, 4, 40)])
    eps = 1e-6
    numeric = (f(z + eps) - f(z - eps)) / (2 * eps)
    assert relative_error(f_prime(z), numeric) < 1e-8


@pytest.mark.parametrize("name", NAMES)
def test_no_overflow_or_nan_at_extreme_inputs(name):
    f, f_prime = ACTIVATIONS[name]
    z = np.array([-1e300, -1000.0, -50.0, 0.0, 50.0, 1000.0, 1e300])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values, slopes = f(z), f_prime(z)
    assert not np.isnan(values).any() and np.isfinite(slopes).all()


@pytest.mark.parametrize("name", NAMES)
def test_shape_and_float32_are_kept(name):
    f, f_prime = ACTIVATIONS[name]
    Z = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    assert f(Z).shape == f_prime(Z).shape == (3, 4)
    assert f(Z).dtype == np.float32 and f_prime(Z).dtype == np.float32


@pytest.mark.parametrize("name, z, value, slope", [
    ("sigmoid", 0.0, 0.5, 0.25),
    ("tanh", 0.0, 0.0, 1.0),
    ("relu", -2.0, 0.0, 0.0),
    ("relu", 3.0, 3.0, 1.0),
    ("leaky_relu", -2.0, -0.02, 0.01),
    ("elu", 0.0, 0.0, 1.0),
    ("softplus", 0.0, np.log(2), 0.5),
    ("gelu", 0.0, 0.0, 0.5),
    ("silu", 0.0, 0.0, 0.5),
    ("gaussian", 0.0, 1.0, 0.0),
])
def test_known_values(name, z, value, slope):
    f, f_prime = get_activation(name)
    assert np.isclose(f(np.array(z)), value) and np.isclose(f_prime(np.array(z)), slope)


@pytest.mark.parametrize("call, message", [
    (lambda: get_activation("sigmod"), "unknown activation 'sigmod'"),
    (lambda: activation_curves("swish"), "unknown activation"),
    (lambda: activation_curves("relu", 1.0, -1.0), "z_max must exceed z_min"),
    (lambda: activation_curves("relu", num=1), "num"),
    (lambda: activation_curves("relu", z_min=float("nan")), "finite"),
])
def test_bad_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()
