"""Checks of lecture 05's exercises (looking inside the network): notebooks/05_*.ipynb."""

import numpy as np

from ._formulas import _rng, _sigmoid
from ._runner import _matmul_hint, _run

__all__ = ["saliency", "probability_gradient"]


def _saliency(T1, T2, x, k, hidden_slope=True, output_slope=True, bias_row=False, bias_x=False):
    a = _sigmoid(np.concatenate([[1.0], x]) @ T1)
    y_hat = _sigmoid(np.concatenate([[1.0], a]) @ T2)
    d_out = y_hat[k] * (1 - y_hat[k]) if output_slope else 1.0
    d_hidden = (T2[:-1, k] if bias_row else T2[1:, k]) * d_out
    d_hidden = d_hidden * (a * (1 - a) if hidden_slope else 1.0)
    return (T1[:-1] if bias_x else T1[1:]) @ d_hidden


def _network_cases(seed, labels, word):
    """Random 400–25–10 networks and digits, one case per output or label."""
    r = _rng(seed)
    return [(f"a random network, {word} {k}", (r.normal(0, 0.3, (401, 25)),
                                              r.normal(0, 1.0, (26, 10)), r.uniform(size=400), k))
            for k in labels]


def _broadcast_hint(error):
    if isinstance(error, ValueError) and "broadcast" in str(error):
        return ("shapes (26,) and (25,) do not match: drop the bias row of Θ² "
                "(Theta2[1:]) when going back to the 25 hidden units.")
    return _matmul_hint(error)


def saliency(fn):
    """Lecture 05: fn(Theta1, Theta2, x, k) -> ∂ŷ_k/∂x (400,), ŷ_k = σ(z_k) the k-th output of
    the 400–25–10 network."""
    mistakes = [
        (lambda *a: _saliency(*a, hidden_slope=False), ("σ′ of the hidden layer is left out: "
         "multiply by a(1 − a) of the hidden units on the way back.")),
        (lambda *a: _saliency(*a, output_slope=False), ("σ′ of the output is left out: "
         "∂ŷ_k/∂z_k = ŷ_k(1 − ŷ_k).")),
        (lambda *a: _saliency(*a, hidden_slope=False, output_slope=False), ("both σ′ are left out:"
         " multiply by ŷ_k(1 − ŷ_k) at the output and by a(1 − a) at the hidden layer.")),
        (lambda *a: _saliency(*a, bias_row=True), ("the bias row of Θ² is used in the backward "
         "pass: the hidden units' weights are Theta2[1:, k]; row 0 is the bias.")),
        (lambda *a: _saliency(*a, bias_x=True), ("the bias row of Θ¹ is used in the backward pass: "
         "the pixels' weights are Theta1[1:]; row 0 is the bias.")),
    ]
    return _run("saliency", fn, _network_cases(55, (0, 3, 9), "class"), _saliency, "∂ŷ_k/∂x",
                mistakes,
                "∂ŷ_k/∂x = Θ¹[1:] @ (Θ²[1:, k] · ŷ_k(1 − ŷ_k) · a(1 − a)), a the hidden "
                "activations.", _broadcast_hint)


def _probability_gradient(T1, T2, x, k, delta="quotient", hidden_slope=True, bias_row=False,
                          bias_x=False):
    """∂p_k/∂x (400,), p_k = ŷ_k / Σⱼ ŷⱼ for one digit; the keyword arguments give the classic
    wrong versions."""
    a = _sigmoid(np.concatenate([[1.0], x]) @ T1)
    z = np.concatenate([[1.0], a]) @ T2
    y_hat, e_k = _sigmoid(z), np.eye(len(z))[k]
    slope, total = y_hat * (1 - y_hat), y_hat.sum()
    p_k = y_hat[k] / total
    softmax = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
    d_out = {"quotient": slope * (e_k - p_k) / total,  # the right one
             "sign": slope * (p_k - e_k) / total,
             "label_only": slope * e_k / total,
             "saliency": slope * e_k,
             "square": slope * (e_k - p_k),
             "output_slope": (e_k - p_k) / total,
             "softmax": softmax[k] * (e_k - softmax)}[delta]
    d_hidden = (T2[:-1] if bias_row else T2[1:]) @ d_out
    d_hidden = d_hidden * (a * (1 - a) if hidden_slope else 1.0)
    return (T1[:-1] if bias_x else T1[1:]) @ d_hidden


def probability_gradient(fn):
    """Lecture 05: fn(Theta1, Theta2, x, k) -> ∂p_k/∂x (400,), p_k = ŷ_k / Σⱼ ŷⱼ the probability
    predict_proba gives class k, ŷ the ten sigmoid outputs of the 400–25–10 network."""
    mistakes = [
        (lambda *a: _probability_gradient(*a, delta="label_only"), ("only output k is used "
         "(Σⱼ ŷⱼ held constant): every ŷⱼ is in the sum, so all ten outputs contribute, each "
         "other class j with −p_k ŷⱼ(1 − ŷⱼ)/Σŷ.")),
        (lambda *a: _probability_gradient(*a, delta="saliency"), ("this is the saliency ∂ŷ_k/∂x: "
         "p_k divides ŷ_k by Σⱼ ŷⱼ, so use the quotient rule.")),
        (lambda *a: _probability_gradient(*a, delta="sign"), ("the quotient rule's sign is "
         "flipped: (f/g)′ = (f′g − fg′)/g², so ∂p_k/∂ŷⱼ = (δ_kj − p_k)/Σŷ, positive for j = k.")),
        (lambda *a: _probability_gradient(*a, delta="square"), ("the quotient rule's square is "
         "missing: (f/g)′ = (f′g − fg′)/g², so ∂p_k/∂ŷⱼ = (δ_kj Σŷ − ŷ_k)/(Σŷ)² = "
         "(δ_kj − p_k)/Σŷ.")),
        (lambda *a: _probability_gradient(*a, delta="output_slope"), ("σ′ of the outputs is left "
         "out: ∂ŷⱼ/∂zⱼ = ŷⱼ(1 − ŷⱼ) multiplies each output's term.")),
        (lambda *a: _probability_gradient(*a, delta="softmax"), ("a softmax's derivative is used:"
         " p_k divides ten sigmoid outputs by their sum, not exponentials (lecture 03's network).")),
        (lambda *a: _probability_gradient(*a, hidden_slope=False), ("σ′ of the hidden layer is "
         "left out: the error passed back to the hidden units is multiplied by a(1 − a).")),
        (lambda *a: _probability_gradient(*a, bias_row=True), ("the bias row of Θ² is used in "
         "the backward pass: the hidden units' weights are Theta2[1:]; row 0 is the bias.")),
        (lambda *a: _probability_gradient(*a, bias_x=True), ("the bias row of Θ¹ is used in the "
         "backward pass: the pixels' weights are Theta1[1:]; row 0 is the bias.")),
    ]
    return _run("probability_gradient", fn, _network_cases(56, (0, 4, 7), "class"),
                _probability_gradient, "∂p_k/∂x", mistakes,
                "derive ∂p_k/∂z⁽²⁾ first (the quotient rule, one entry per output), then go back "
                "through Θ²[1:], the hidden units' σ′ and Θ¹[1:].", _broadcast_hint)
