"""Checks of lecture 06's exercises (the NeuralNetwork class): notebooks/06_*.ipynb."""

import itertools

import numpy as np

from ._formulas import _bias, _rng, _sigmoid
from ._runner import _matmul_hint, _run

__all__ = ["relu_backprop", "dropout_backprop"]


def _relu_grads(thetas, X, Y, lam, slope="step", reg_rows=1, reg=1.0, mean=True,
                output_slope=False):
    m = len(X)
    As, Zs = [_bias(X)], []
    for T in thetas[:-1]:
        Zs.append(As[-1] @ T)
        As.append(_bias(np.maximum(Zs[-1], 0)))
    Y_hat = _sigmoid(As[-1] @ thetas[-1])
    Delta = (Y_hat - Y) * (Y_hat * (1 - Y_hat) if output_slope else 1)
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
    """Lecture 06: fn(thetas, X, Y, lam) -> [∂J/∂Θ⁽¹⁾, ..., ∂J/∂Θ⁽ᴰ⁾] (D the depth) with ReLU
    hidden units, sigmoid outputs, and lecture 06's cost (mean summed cross-entropy + λ/(2m) Σ
    non-bias Θ²)."""
    cases = []
    for seed, sizes, m, lam in [(61, (3, 4, 2), 5, 1.0), (62, (2, 5, 3, 2), 6, 0.5),
                                (63, (4, 3, 3), 3, 0.0)]:
        r = _rng(seed)
        thetas = [r.normal(size=(a + 1, b)) for a, b in itertools.pairwise(sizes)]
        X, Y = r.normal(size=(m, sizes[0])), np.eye(sizes[-1])[r.integers(0, sizes[-1], m)]
        cases.append((f"{m} examples, {'–'.join(map(str, sizes))}, λ = {lam}",
                      (thetas, X, Y, lam)))
    mistakes = [
        (lambda *a: _relu_grads(*a, output_slope=True), ("the output error is multiplied by the sigmoid's slope Ŷ(1 − Ŷ): with the "
         "cross-entropy the slope cancels, and Δ⁽ᴰ⁾ = Ŷ − Y (BP1).")),
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
                "Δ⁽ᴰ⁾ = Ŷ − Y; for each layer l from the last: ∂J/∂Θ⁽ˡ⁾ = [1, A⁽ˡ⁻¹⁾]ᵀ Δ⁽ˡ⁾ / m "
                "(+ λ/m Θ on rows 1:), then Δ⁽ˡ⁻¹⁾ = (Δ⁽ˡ⁾ Θ⁽ˡ⁾[1:]ᵀ) ⊙ (Z⁽ˡ⁻¹⁾ > 0).", _matmul_hint)


def _dropout_grads(thetas, X, Y, masks, p, back_mask=True, back_scale="inverse", slope="clean",
                   weight_input="dropped", mean=True, keep_share="1 - p", output_slope=False):
    """The reference (and, with other arguments, the classic mistakes) of dropout_backprop."""
    keep = 1 / (1 - p if keep_share == "1 - p" else p)
    As, clean, Ss = [_bias(X)], [_bias(X)], []
    for Theta, M in zip(thetas[:-1], masks):
        S = _sigmoid(As[-1] @ Theta)
        Ss.append(S)
        clean.append(_bias(S))
        As.append(_bias(S * M * keep))
    Y_hat = _sigmoid(As[-1] @ thetas[-1])
    Delta = (Y_hat - Y) * (Y_hat * (1 - Y_hat) if output_slope else 1)
    inputs = As if weight_input == "dropped" else clean
    grads = [None] * len(thetas)
    for layer in range(len(thetas) - 1, -1, -1):
        grads[layer] = inputs[layer].T @ Delta / (len(X) if mean else 1)
        if layer:
            S, M = Ss[layer - 1], masks[layer - 1]
            gate = 1.0
            if back_mask:
                gate = M * {"inverse": keep, "none": 1.0, "times": 1 / keep}[back_scale]
            slope_ = S * (1 - S) if slope == "clean" else As[layer][:, 1:] * (1 - As[layer][:, 1:])
            Delta = (Delta @ thetas[layer][1:].T) * gate * slope_
    return grads


def dropout_backprop(fn):
    """Lecture 06: fn(thetas, X, Y, masks, p) -> [∂J/∂Θ⁽¹⁾, ..., ∂J/∂Θ⁽ᴰ⁾] (D the depth) for
    sigmoid hidden units under inverted dropout (each hidden layer's σ(Z⁽ˡ⁾) times masks[l-1] /
    (1 − p)), sigmoid outputs and J = the mean over the m examples of the cross-entropy summed
    over the K outputs."""
    cases = []
    for seed, sizes, m, p in [(64, (3, 4, 2), 6, 0.4), (65, (2, 5, 3, 2), 5, 0.2),
                              (66, (4, 6, 3), 4, 0.25)]:
        r = _rng(seed)
        thetas = [r.normal(size=(a + 1, b)) for a, b in itertools.pairwise(sizes)]
        X, Y = r.normal(size=(m, sizes[0])), np.eye(sizes[-1])[r.integers(0, sizes[-1], m)]
        masks = [(r.random((m, units)) >= p).astype(float) for units in sizes[1:-1]]
        for M in masks:  # every mask drops some units and keeps some, so each mistake shows
            M[0, 0], M[-1, -1] = 0.0, 1.0
        cases.append((f"{m} examples, {'–'.join(map(str, sizes))}, p = {p}",
                      (thetas, X, Y, masks, p)))
    mistakes = [
        (lambda *a: _dropout_grads(*a, keep_share="p"), (
            "divides by p: p is the share of units dropped, so 1 − p is the share kept, and "
            "inverted dropout divides the kept units by 1 − p (forward and backward).")),
        (lambda *a: _dropout_grads(*a, output_slope=True), (
            "the output error is multiplied by the sigmoid's slope Ŷ(1 − Ŷ): with the "
            "cross-entropy the slope cancels, and Δ⁽ᴰ⁾ = Ŷ − Y (BP1) as without dropout.")),
        (lambda *a: _dropout_grads(*a, back_mask=False), (
            "the mask is missing on the way back: a dropped unit sent nothing forward, so no "
            "error may flow back through it; the error of layer l is multiplied by M⁽ˡ⁾ / (1 − p) "
            "as its activations were.")),
        (lambda *a: _dropout_grads(*a, back_scale="none"), (
            "the error is masked but not scaled: the forward pass multiplied the kept units by "
            "1 / (1 − p), so the error flowing back through them is multiplied by it too.")),
        (lambda *a: _dropout_grads(*a, back_scale="times"), (
            "the error is scaled by (1 − p): the forward pass divided by (1 − p), and the chain "
            "rule takes the same factor, 1 / (1 − p).")),
        (lambda *a: _dropout_grads(*a, slope="dropped"), (
            "the sigmoid's slope is taken from the dropped, rescaled activations: the slope is "
            "σ'(Z⁽ˡ⁾) = σ(Z⁽ˡ⁾)(1 − σ(Z⁽ˡ⁾)) of the units before the mask, whatever the mask does.")),
        (lambda *a: _dropout_grads(*a, weight_input="clean"), (
            "the weight gradient uses the activations before dropout: the next layer's scores "
            "were computed from the masked, rescaled activations, so [1, Ã⁽ˡ⁾] is its input.")),
        (lambda *a: _dropout_grads(*a, mean=False), (
            "not divided by m: J averages over the m examples, so each gradient does too.")),
    ]
    return _run("dropout_backprop", fn, cases, _dropout_grads, "∂J/∂Θ", mistakes,
                "write the forward pass as the docstring says, then apply the chain rule through "
                "the mask: which of BP1–BP4 see Ã⁽ˡ⁾ = σ(Z⁽ˡ⁾) ⊙ M⁽ˡ⁾ / (1 − p), and which σ(Z⁽ˡ⁾)?",
                _matmul_hint)
