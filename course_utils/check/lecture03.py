"""Checks of lecture 03's exercises (the 400–25–10 network): notebooks/03_*.ipynb."""

import numpy as np

from ._formulas import _bias, _rng, _sigmoid
from ._runner import _matmul_hint, _run

__all__ = ["regularised_cost", "backprop_loop", "tanh_backprop"]


def _net_cases():
    """(θ, X, Y, λ, h) for small versions of lecture 03's network, θ = Θ¹ then Θ² row by row."""
    cases = []
    for seed, (m, n, h, K), lam in [(31, (5, 3, 4, 3), 1.5), (32, (4, 2, 3, 2), 0.7),
                                    (33, (6, 4, 2, 3), 0.0)]:
        r = _rng(seed)
        theta = r.normal(size=(n + 1) * h + (h + 1) * K)
        Y = np.eye(K)[r.integers(0, K, m)]
        cases.append((f"{m} examples, {n}–{h}–{K}, λ = {lam}",
                      (theta, r.normal(size=(m, n)), Y, lam, h)))
    return cases


def _net_unwrap(theta, n, h, K, order="C"):
    split = (n + 1) * h
    return (theta[:split].reshape(n + 1, h, order=order),
            theta[split:].reshape(h + 1, K, order=order))


def _net_cost(theta, X, Y, lam, h, reg_rows=1, reg=1.0, mean=True, order="C", both_terms=True,
              per_output=False):
    m, n = X.shape
    T1, T2 = _net_unwrap(theta, n, h, Y.shape[1], order)
    z = _bias(_sigmoid(_bias(X) @ T1)) @ T2
    J = np.sum(np.logaddexp(0, z) - Y * z)  # the summed cross-entropy of σ(z), computed from z
    if not both_terms:  # −Σ Y log σ(z) alone: the (1 − Y) log(1 − Ŷ) term dropped
        J = np.sum(Y * np.logaddexp(0, -z))
    if per_output:  # np.mean over the (m, K) matrix: the cross-entropy divided by m·K
        J = J / Y.shape[1]
    penalty = reg * lam / 2 * (np.sum(T1[reg_rows:] ** 2) + np.sum(T2[reg_rows:] ** 2))
    return float((J + penalty) / m) if mean else float(J + penalty)


def regularised_cost(fn):
    """Lecture 03: fn(theta, X, Y, lam, h) -> J, the mean summed cross-entropy of the network
    plus λ/(2m) times the squared non-bias weights."""
    mistakes = [
        (lambda *a: _net_cost(*a, reg=0.0), ("λ is missing: add λ/(2m) times the sum of the "
                                            "squared weights, bias rows excepted.")),
        (lambda *a: _net_cost(*a, reg_rows=0), ("the bias is regularised: skip row 0 of each Θ "
                                               "(Theta[1:] ** 2), only weights are penalised.")),
        (lambda *a: _net_cost(*a, mean=False), ("not averaged over m: divide the whole cost, "
                                               "cross-entropy and penalty, by m.")),
        (lambda *a: _net_cost(*a, mean=False, reg=1 / len(a[1])), ("not averaged over m: the "
         "cross-entropy is summed over the examples; divide it by m too.")),
        (lambda *a: _net_cost(*a, reg=2.0), "the penalty is λ/m · Σθ²: it is λ/(2m) · Σθ²."),
        (lambda *a: _net_cost(*a, order="F"), ("θ unrolled column by column: Θ¹ is the first "
                                              "(n+1)·h entries, reshaped row by row.")),
        (lambda *a: _net_cost(*a, both_terms=False), ("the (1 − Y) log(1 − Ŷ) term is missing: "
         "each output is a yes/no classifier, and its cross-entropy has both terms.")),
        (lambda *a: _net_cost(*a, per_output=True), ("divided by m·K (np.mean over the whole "
         "matrix): J sums the K outputs' cross-entropies and averages over the m examples only.")),
    ]
    return _run("regularised_cost", fn, _net_cases(), _net_cost, "J", mistakes,
                "J = −Σ [Y log Ŷ + (1 − Y) log(1 − Ŷ)] / m + λ/(2m) (ΣΘ¹[1:]² + ΣΘ²[1:]²).",
                _matmul_hint)


def _net_gradient(theta, X, Y, lam, h, slope=True, reg_rows=1, reg=1.0, mean=True, last=False):
    """∂J/∂θ; slope: True for σ′(z), False for none, "of_a" for σ′ applied to the activation."""
    if last:
        X, Y = X[-1:], Y[-1:]
    m, n = X.shape
    T1, T2 = _net_unwrap(theta, n, h, Y.shape[1])
    A1 = _bias(X)
    S = _sigmoid(A1 @ T1)
    A2 = _bias(S)
    D3 = _sigmoid(A2 @ T2) - Y
    S_of = _sigmoid(S) if slope == "of_a" else S
    D2 = (D3 @ T2[1:].T) * (S_of * (1 - S_of) if slope else 1.0)
    G1, G2 = A1.T @ D2, A2.T @ D3
    G1[reg_rows:] += reg * lam * T1[reg_rows:]
    G2[reg_rows:] += reg * lam * T2[reg_rows:]
    return np.concatenate([G1.ravel(), G2.ravel()]) / (m if mean else 1)


def backprop_loop(fn):
    """Lecture 03: fn(theta, X, Y, lam, h) -> ∂J/∂θ unrolled like θ, from a loop over the
    examples."""
    mistakes = [
        (lambda *a: _net_gradient(*a, slope=False), ("σ′ is left out: the error passed back "
         "through the hidden layer is multiplied by σ′(z) = a(1 − a) of the hidden units.")),
        (lambda *a: _net_gradient(*a, reg_rows=0), ("the bias is regularised: add λ/m · Θ to "
         "rows 1 onwards only (row 0 holds the biases).")),
        (lambda *a: _net_gradient(*a, reg=0.0), ("λ is missing: add λ/m · Θ to the non-bias "
         "rows of each gradient.")),
        (lambda *a: _net_gradient(*a, mean=False), ("not divided by m: average the accumulated "
         "gradients (and λ·Θ) over the m examples.")),
        (lambda *a: _net_gradient(*a, mean=False, reg=1 / len(a[1])), ("not divided by m: the "
         "accumulated gradients are summed over the examples; divide them by m too.")),
        (lambda *a: _net_gradient(*a, reg=2.0), ("the penalty's gradient is λ/m · Θ (the 2 of Θ² "
         "cancels the ½), not 2λ/m · Θ.")),
        (lambda *a: _net_gradient(*a, last=True), ("only the last example counts: accumulate "
         "(+=) each example's contribution instead of overwriting it.")),
        (lambda *a: _net_gradient(*a, slope="of_a"), ("σ′ is applied to the activation "
         "(sigmoid_prime(a)): σ′ takes the weighted sum z; with the activation a = σ(z) in hand "
         "it is a(1 − a).")),
    ]
    return _run("backprop_loop", fn, _net_cases(), _net_gradient, "∂J/∂θ", mistakes,
                "for each example: δ⁽²⁾ = ŷ − y, δ⁽¹⁾ = (Θ⁽²⁾[1:] δ⁽²⁾) ⊙ σ′(z⁽¹⁾), "
                "∂Θ⁽¹⁾ += [1, x]ᵀδ⁽¹⁾, ∂Θ⁽²⁾ += [1, a⁽¹⁾]ᵀδ⁽²⁾; then divide by m and add "
                "λ/m · Θ to the non-bias rows.",
                _matmul_hint)


def _tanh_gradient(theta, X, Y, lam, h, slope="tanh", hidden=np.tanh, reg_rows=1, reg=1.0,
                   mean=True):
    """∂J/∂θ of the n–h–K network with tanh hidden units and sigmoid outputs; the keywords
    make the classic wrong versions (slope: which derivative multiplies the error passed back)."""
    m, n = X.shape
    T1, T2 = _net_unwrap(theta, n, h, Y.shape[1])
    A0b = _bias(X)
    Z1 = A0b @ T1
    A1 = hidden(Z1)
    A1b = _bias(A1)
    D2 = _sigmoid(A1b @ T2) - Y
    slopes = {"tanh": 1 - A1 ** 2, "sigmoid_of_a": A1 * (1 - A1),
              "sigmoid_of_z": _sigmoid(Z1) * (1 - _sigmoid(Z1)), "of_z": 1 - Z1 ** 2,
              "tanh_twice": 1 - np.tanh(A1) ** 2,
              "none": 1.0}
    D1 = (D2 @ T2[1:].T) * slopes[slope]
    G1, G2 = A0b.T @ D1, A1b.T @ D2
    G1[reg_rows:] += reg * lam * T1[reg_rows:]
    G2[reg_rows:] += reg * lam * T2[reg_rows:]
    return np.concatenate([G1.ravel(), G2.ravel()]) / (m if mean else 1)


def tanh_backprop(fn):
    """Lecture 03, derive then code: fn(theta, X, Y, lam, h) -> ∂J/∂θ unrolled like θ, for the
    network whose hidden units compute tanh (the outputs stay sigmoids, J is unchanged)."""
    mistakes = [
        (lambda *a: _tanh_gradient(*a, slope="sigmoid_of_a"), ("the sigmoid's slope a(1 − a) is "
         "used: for a = tanh z the slope is tanh′(z) = 1 − a², derive it from tanh's definition.")),
        (lambda *a: _tanh_gradient(*a, slope="sigmoid_of_z"), ("σ′(z) = σ(z)(1 − σ(z)) is used: "
         "the hidden units are tanh now, and their slope is tanh′(z) = 1 − tanh²(z).")),
        (lambda *a: _tanh_gradient(*a, slope="of_z"), ("the slope is taken of z: tanh′(z) = 1 − a² "
         "with a = tanh z, the unit's value, not 1 − z².")),
        (lambda *a: _tanh_gradient(*a, slope="tanh_twice"), ("tanh is applied twice: 1 − "
         "tanh²(a) with a = tanh z already; the slope is 1 − a².")),
        (lambda *a: _tanh_gradient(*a, slope="none"), ("the hidden units' slope is left out: the "
         "error passed back through the hidden layer is multiplied by tanh′(z) = 1 − a².")),
        (lambda *a: _net_gradient(*a), ("this is the gradient of the sigmoid network: the forward "
         "pass must compute the hidden layer with tanh, and step 3 use tanh's slope.")),
        (lambda *a: _tanh_gradient(*a, hidden=_sigmoid, slope="tanh"), ("the hidden layer is "
         "computed with σ: the hidden units compute tanh(z) in the forward pass.")),
        (lambda *a: _tanh_gradient(*a, reg_rows=0), ("the bias is regularised: add λ/m · Θ to "
         "rows 1 onwards only (row 0 holds the biases).")),
        (lambda *a: _tanh_gradient(*a, reg=0.0), ("λ is missing: add λ/m · Θ to the non-bias rows "
         "of each gradient.")),
        (lambda *a: _tanh_gradient(*a, mean=False), ("not divided by m: average the gradients "
         "(and λ·Θ) over the m examples.")),
        (lambda *a: _tanh_gradient(*a, mean=False, reg=1 / len(a[1])), ("not divided by m: the "
         "gradients are summed over the examples; divide them by m too.")),
        (lambda *a: _tanh_gradient(*a, reg=2.0), ("the penalty's gradient is λ/m · Θ (the 2 of Θ² "
         "cancels the ½), not 2λ/m · Θ.")),
    ]
    return _run("tanh_backprop", fn, _net_cases(), _tanh_gradient, "∂J/∂θ", mistakes,
                "only step 3 changes: the hidden units' slope is tanh′(z), which you can write "
                "with the unit's value a = tanh z alone; the output error is still ŷ − y.",
                _matmul_hint)
