"""Activation functions and their derivatives, as a table: ACTIVATIONS[name] = (f, f_prime).

Each function maps an array Z of any shape to an array of the same shape, elementwise, and stays
finite without overflow warnings for |z| up to 1e300. Derived in notebooks/03_shallow_network.ipynb
(sigmoid in 01, the Gaussian RBF in 02).
"""

import math

import numpy as np
from scipy.special import erf, expit

from ._validation import check_array, check_choice, check_number

_SQRT2 = math.sqrt(2.0)  # Python floats keep float32 inputs float32
_SQRT_2PI = math.sqrt(2.0 * math.pi)
LEAKY_SLOPE = 0.01


def sigmoid(Z):
    """σ(z) = 1 / (1 + e^-z).

    float32 arrays go through the identity σ(z) = (1 + tanh(z/2)) / 2, because NumPy's float32
    tanh is vectorised and several times faster than scipy's expit (measured); float64 uses expit.
    """
    if getattr(Z, "dtype", None) == np.float32:
        S = np.tanh(Z * np.float32(0.5))
        S *= np.float32(0.5)
        S += np.float32(0.5)
        return S
    return expit(Z)


def sigmoid_prime(Z):
    """σ'(z) = σ(z)(1 - σ(z))."""
    S = sigmoid(Z)
    return S * (1.0 - S)


def tanh(Z):
    """tanh(z)."""
    return np.tanh(Z)


def tanh_prime(Z):
    """1 - tanh²(z)."""
    return 1.0 - np.tanh(Z) ** 2


def relu(Z):
    """max(0, z)."""
    return np.maximum(Z, 0.0)


def relu_prime(Z):
    """1 for z > 0, else 0 (the subgradient 0 is taken at z = 0)."""
    return (np.asarray(Z) > 0).astype(np.result_type(Z, np.float32))


def leaky_relu(Z):
    """z for z > 0, else 0.01 z: negative inputs keep a small gradient."""
    return np.where(np.asarray(Z) > 0, Z, LEAKY_SLOPE * np.asarray(Z))


def leaky_relu_prime(Z):
    """1 for z > 0, else 0.01."""
    return np.where(np.asarray(Z) > 0, 1.0, LEAKY_SLOPE).astype(np.result_type(Z, np.float32))


def elu(Z):
    """z for z > 0, else e^z - 1."""
    Z = np.asarray(Z)
    return np.where(Z > 0, Z, np.expm1(np.minimum(Z, 0.0)))  # min() keeps exp from overflowing


def elu_prime(Z):
    """1 for z > 0, else e^z."""
    Z = np.asarray(Z)
    return np.where(Z > 0, 1.0, np.exp(np.minimum(Z, 0.0)))


def softplus(Z):
    """log(1 + e^z), a smooth ReLU (computed as logaddexp(0, z) to avoid overflow)."""
    return np.logaddexp(0.0, Z)


def softplus_prime(Z):
    """σ(z)."""
    return expit(Z)


def gelu(Z):
    """z Φ(z), with Φ the standard normal CDF (the exact GELU of BERT and GPT)."""
    return 0.5 * Z * (1.0 + erf(np.asarray(Z) / _SQRT2))


def gelu_prime(Z):
    """Φ(z) + z φ(z), with φ the standard normal density."""
    Z = np.asarray(Z)
    pdf = np.exp(-0.5 * np.minimum(np.abs(Z), 100.0) ** 2) / _SQRT_2PI  # cap: no overflow
    return 0.5 * (1.0 + erf(Z / _SQRT2)) + Z * pdf


def silu(Z):
    """z σ(z), also called swish."""
    return Z * expit(Z)


def silu_prime(Z):
    """σ(z)(1 + z(1 - σ(z)))."""
    S = expit(Z)
    return S * (1.0 + Z * (1.0 - S))


def mish(Z):
    """z tanh(softplus(z))."""
    return Z * np.tanh(np.logaddexp(0.0, Z))


def mish_prime(Z):
    """tanh(sp(z)) + z σ(z)(1 - tanh²(sp(z))), with sp = softplus."""
    T = np.tanh(np.logaddexp(0.0, Z))
    return T + Z * expit(Z) * (1.0 - T * T)


def gaussian(Z):
    """φ(z) = e^(-z²), the radial basis function of lecture 02."""
    Z = np.asarray(Z)
    return np.exp(-np.minimum(np.abs(Z), 100.0) ** 2)  # cap |z|: z² would overflow past 1e154


def gaussian_prime(Z):
    """-2z e^(-z²)."""
    return -2.0 * np.asarray(Z) * gaussian(Z)


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
    "leaky_relu": (leaky_relu, leaky_relu_prime),
    "elu": (elu, elu_prime),
    "softplus": (softplus, softplus_prime),
    "gelu": (gelu, gelu_prime),
    "silu": (silu, silu_prime),
    "mish": (mish, mish_prime),
    "gaussian": (gaussian, gaussian_prime),
}


def get_activation(name):
    """(f, f_prime) for an activation name from ACTIVATIONS."""
    check_choice(name, "activation", tuple(ACTIVATIONS))
    return ACTIVATIONS[name]


def activation_curves(name, z_min=-5.0, z_max=5.0, num=401):
    """Sample an activation and its derivative: z (num,), f(z) (num,), f'(z) (num,)."""
    f, f_prime = get_activation(name)
    z_min, z_max = check_number(z_min, "z_min"), check_number(z_max, "z_max")
    if z_max <= z_min:
        raise ValueError(f"z_max must exceed z_min, got [{z_min}, {z_max}]")
    num = check_number(num, "num", low=2, integer=True)
    z = check_array(np.linspace(z_min, z_max, num), "z")
    return z, f(z), f_prime(z)
