"""Checks of lecture 05's exercises (looking inside the network): notebooks/05_*.ipynb."""

import numpy as np

from ._formulas import _bias, _rng, _sigmoid
from ._runner import _matmul_hint, _run

__all__ = ["hidden_layer", "saliency"]


def hidden_layer(fn):
    """Lecture 05: fn(Theta1, X) -> σ([1, X] Θ¹), the hidden activations (m, h)."""
    r = _rng(5)
    cases = [("4 examples, 3 inputs, 5 hidden units", (r.normal(size=(4, 5)), r.normal(size=(4, 3)))),
             ("2 examples, 6 inputs, 3 hidden units", (r.normal(size=(7, 3)), r.normal(size=(2, 6)))),
             ("1 example, 400 inputs, 25 hidden units", (r.normal(0, 0.1, size=(401, 25)),
                                                         r.uniform(size=(1, 400))))]
    mistakes = [
        (lambda T, X: _sigmoid(X @ T[1:]), ("the bias row is ignored: prepend a column of ones to "
                                           "X so that row 0 of Θ¹ adds the biases.")),
        (lambda T, X: _sigmoid(np.hstack([X, np.ones((len(X), 1))]) @ T), ("the column of "
         "ones is appended last: the bias is row 0 of Θ¹, so the column of ones goes FIRST.")),
        (lambda T, X: _sigmoid(X @ T[:-1]), ("the bias row is used as a weight: the bias is row 0 "
                                            "of Θ¹, so the column of ones goes FIRST.")),
        (lambda T, X: _bias(X) @ T, ("the sigmoid is missing: these are the scores Z, not the "
                                    "activations σ(Z).")),
    ]
    return _run("hidden_layer", fn, cases, lambda T, X: _sigmoid(_bias(X) @ T), "A", mistakes,
                "A = σ(add_bias(X) @ Theta1): one row per example, one column per hidden unit.",
                _matmul_hint)


def _saliency(T1, T2, x, k, hidden_slope=True, output_slope=True, bias_row=False, bias_x=False):
    a = _sigmoid(np.concatenate([[1.0], x]) @ T1)
    p = _sigmoid(np.concatenate([[1.0], a]) @ T2)
    d_out = p[k] * (1 - p[k]) if output_slope else 1.0
    d_hidden = (T2[:-1, k] if bias_row else T2[1:, k]) * d_out
    d_hidden = d_hidden * (a * (1 - a) if hidden_slope else 1.0)
    return (T1[:-1] if bias_x else T1[1:]) @ d_hidden


def saliency(fn):
    """Lecture 05: fn(Theta1, Theta2, x, k) -> ∂p_k/∂x (400,), p_k = σ(z_k) the k-th output of
    the 400–25–10 network."""
    r = _rng(55)
    cases = [(f"a random network, class {k}", (r.normal(0, 0.3, (401, 25)),
                                               r.normal(0, 1.0, (26, 10)), r.uniform(size=400), k))
             for k in (0, 3, 9)]
    mistakes = [
        (lambda *a: _saliency(*a, hidden_slope=False), ("σ′ of the hidden layer is left out: "
         "multiply by a(1 − a) of the hidden units on the way back.")),
        (lambda *a: _saliency(*a, output_slope=False), ("σ′ of the output is left out: "
         "∂p_k/∂z_k = p_k(1 − p_k).")),
        (lambda *a: _saliency(*a, hidden_slope=False, output_slope=False), ("both σ′ are left out:"
         " multiply by p_k(1 − p_k) at the output and by a(1 − a) at the hidden layer.")),
        (lambda *a: _saliency(*a, bias_row=True), ("the bias row of Θ² is used in the backward "
         "pass: the hidden units' weights are Theta2[1:, k]; row 0 is the bias.")),
        (lambda *a: _saliency(*a, bias_x=True), ("the bias row of Θ¹ is used in the backward pass: "
         "the pixels' weights are Theta1[1:]; row 0 is the bias.")),
    ]

    def on_error(error):
        if isinstance(error, ValueError) and "broadcast" in str(error):
            return ("shapes (26,) and (25,) do not match: drop the bias row of Θ² "
                    "(Theta2[1:, k]) when going back to the 25 hidden units.")
        return _matmul_hint(error)

    return _run("saliency", fn, cases, _saliency, "∂p_k/∂x", mistakes,
                "∂p_k/∂x = Θ¹[1:] @ (Θ²[1:, k] · p_k(1 − p_k) · a(1 − a)), a the hidden "
                "activations.", on_error)
