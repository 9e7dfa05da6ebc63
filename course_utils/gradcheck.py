"""Numerical gradients by central differences, to check hand-derived backpropagation.

Derived in notebooks/01_single_neuron.ipynb.
"""

import numpy as np

from ._validation import check_array, check_number


def numerical_gradient(f, x, eps=1e-5):
    """Central-difference gradient of the scalar function f at x: (f(x + ε eᵢ) - f(x - ε eᵢ)) / 2ε.

    x: float array of any shape (not modified). Returns an array of x's shape. The error is
    O(ε²) from truncation plus O(machine ε / ε) from rounding, so ε = 1e-5 suits float64.
    """
    if not callable(f):
        raise ValueError(f"f must be a function of x, got {type(f).__name__}")
    x = check_array(x, "x", kinds="f").astype(np.float64)
    eps = check_number(eps, "eps", low=0, low_open=True)
    grad = np.zeros_like(x)
    flat, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + eps
        f_plus = float(f(x))
        flat[i] = old - eps
        f_minus = float(f(x))
        flat[i] = old
        flat_grad[i] = (f_plus - f_minus) / (2.0 * eps)
    return grad


def relative_error(a, b):
    """‖a - b‖ / (‖a‖ + ‖b‖): about 1e-9 or less when an analytic gradient is right.

    a and b must have the same shape; two zero arrays have error 0.
    """
    a = check_array(a, "a", kinds="biuf").astype(np.float64)
    b = check_array(b, "b", kinds="biuf").astype(np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    denominator = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)
