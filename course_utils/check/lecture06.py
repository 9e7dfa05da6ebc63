"""Checks of lecture 06's exercises (the NeuralNetwork class): notebooks/06_*.ipynb."""

import itertools

import numpy as np

from ._formulas import _bias, _rng, _sigmoid
from ._runner import _matmul_hint, _run

__all__ = ["unwrap", "relu_backprop"]


def _unwrap(theta, shapes, order="C"):
    out, start = [], 0
    for rows, cols in shapes:
        out.append(theta[start: start + rows * cols].reshape(rows, cols, order=order))
        start += rows * cols
    return out


def unwrap(fn):
    """Lecture 06: fn(theta, shapes) -> [Θ¹, Θ², ...] with the given shapes, taken from θ in
    order, each row by row."""
    cases = [("shapes (3, 2), (3, 4)", (np.arange(18.0), [(3, 2), (3, 4)])),
             ("one matrix (4, 3)", (np.arange(12.0) * 0.5, [(4, 3)])),
             ("shapes (2, 5), (6, 1), (2, 3)", (_rng(6).normal(size=22), [(2, 5), (6, 1), (2, 3)]))]

    def on_error(error):
        if isinstance(error, ValueError) and "reshape" in str(error):
            return ("a slice has the wrong length: matrix l takes rows·cols entries, starting "
                    "where the previous one ended.")
        return None

    def listed(theta, shapes):
        out = fn(theta, shapes)
        return out if out is None or isinstance(out, np.ndarray) else list(out)

    mistakes = [
        (lambda t, s: _unwrap(t, s, order="F"), ("column-major (order='F'): θ was unrolled row by "
                                                "row, so reshape with NumPy's default order.")),
    ]
    return _run("unwrap", listed if callable(fn) else fn, cases, _unwrap, "Θ", mistakes,
                "Θˡ = theta[start : start + rows·cols].reshape(rows, cols), start moving on by "
                "rows·cols each time.", on_error)


def _relu_grads(thetas, X, Y, lam, slope="step", reg_rows=1, reg=1.0, mean=True):
    m = len(X)
    As, Zs = [_bias(X)], []
    for T in thetas[:-1]:
        Zs.append(As[-1] @ T)
        As.append(_bias(np.maximum(Zs[-1], 0)))
    Delta = _sigmoid(As[-1] @ thetas[-1]) - Y
    grads = [None] * len(thetas)
    for layer in range(len(thetas) - 1, -1, -1):
        grads[layer] = As[layer].T @ Delta
        grads[layer][reg_rows:] += reg * lam * thetas[layer][reg_rows:]
        grads[layer] /= m if mean else 1
        if layer:
            A = As[layer][:, 1:]
            g = (Zs[layer - 1] > 0) if slope == "step" else A * (1 - A)
            Delta = (Delta @ thetas[layer][1:].T) * g
    return grads


def relu_backprop(fn):
    """Lecture 06: fn(thetas, X, Y, lam) -> [∂J/∂Θ¹, ...] with ReLU hidden units, sigmoid
    outputs, and lecture 06's cost (mean summed cross-entropy + λ/(2m) Σ non-bias Θ²)."""
    cases = []
    for seed, sizes, m, lam in [(61, (3, 4, 2), 5, 1.0), (62, (2, 5, 3, 2), 6, 0.5),
                                (63, (4, 3, 3), 3, 0.0)]:
        r = _rng(seed)
        thetas = [r.normal(size=(a + 1, b)) for a, b in itertools.pairwise(sizes)]
        X, Y = r.normal(size=(m, sizes[0])), np.eye(sizes[-1])[r.integers(0, sizes[-1], m)]
        cases.append((f"{m} examples, {'–'.join(map(str, sizes))}, λ = {lam}",
                      (thetas, X, Y, lam)))
    mistakes = [
        (lambda *a: _relu_grads(*a, slope="sigmoid"), ("the sigmoid's slope A(1 − A) is used: "
         "the hidden units are ReLU, whose slope is 1 where z > 0 and 0 elsewhere (Z > 0).")),
        (lambda *a: _relu_grads(*a, reg_rows=0), ("the bias is regularised: add λ/m · Θ to rows 1 "
         "onwards only (row 0 holds the biases).")),
        (lambda *a: _relu_grads(*a, reg=0.0), "λ is missing: add λ/m · Θ to the non-bias rows."),
        (lambda *a: _relu_grads(*a, mean=False), ("not divided by m: each gradient is averaged "
         "over the m examples.")),
        (lambda *a: _relu_grads(*a, mean=False, reg=1 / len(a[1])), ("not divided by m: Aᵀ Δ "
         "sums over the examples; divide it by m.")),
    ]
    return _run("relu_backprop", fn, cases, _relu_grads, "∂J/∂Θ", mistakes,
                "Δ = H − Y; for each layer l from the last: ∂J/∂Θ⁽ˡ⁾ = [1, A⁽ˡ⁻¹⁾]ᵀ Δ⁽ˡ⁾ / m "
                "(+ λ/m Θ on rows 1:), then Δ⁽ˡ⁻¹⁾ = (Δ⁽ˡ⁾ Θ⁽ˡ⁾[1:]ᵀ) ⊙ (Z⁽ˡ⁻¹⁾ > 0).", _matmul_hint)
