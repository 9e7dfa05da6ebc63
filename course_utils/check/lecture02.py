"""Checks of lecture 02's exercises (a hidden layer, the RBF toy): notebooks/02_*.ipynb."""

import numpy as np

from ._formulas import _rng, _sigmoid
from ._runner import _run

__all__ = ["rbf_gradient", "rbf_bias_gradient"]


def _rbf_cases(with_bias):
    r = _rng(2)
    x = np.concatenate([r.normal(0, 0.5, 4), r.normal(-2, 0.5, 2), r.normal(2, 0.5, 2)])
    t = np.array([1, 1, 1, 1, 0, 0, 0, 0.0])
    cases = [("8 points at w_h = 2, w_o = −5", (x, t, 2.0, -5.0)),
             ("8 points at w_h = −0.7, w_o = 3", (x, t, -0.7, 3.0)),
             ("3 points at w_h = 1.3, w_o = 4", (np.array([-1.0, 0.2, 1.5]),
                                                 np.array([0, 1, 0.0]), 1.3, 4.0))]
    if with_bias:
        cases = [(f"{words}, b_o = {b_o:g}".replace("-", "−"), (*args, b_o))
                 for (words, args), b_o in zip(cases, (-1.0, 0.5, 0.5), strict=True)]
    return cases


def _rbf_grads(x, t, w_h, w_o, b_o=-1.0, slope="right", x_factor=True, scale=1.0):
    """(dξ/dw_h, dξ/dw_o, dξ/db_o) for y = σ(φ(x·w_h)·w_o + b_o), ξ the summed cross-entropy."""
    z_h = x * w_h
    h = np.exp(-z_h ** 2)
    delta_o = _sigmoid(h * w_o + b_o) - t
    phi_prime = {"right": -2 * z_h * h, "phi": h, "none": 1.0}[slope]
    delta_h = delta_o * w_o * phi_prime
    dw_h = np.sum((x if x_factor else 1.0) * delta_h)
    return scale * float(dw_h), scale * float(np.sum(h * delta_o)), scale * float(delta_o.sum())


_RBF_MISTAKES = [
    ({"slope": "phi"}, "φ′ is missing its −2z factor: φ′(z) = −2z·φ(z), not φ(z)."),
    ({"slope": "none"}, ("φ′ is left out of δ_h: the chain rule passes through the hidden unit, "
                        "δ_h = δ_o · w_o · φ′(z_h) with φ′(z) = −2z·e^(−z²).")),
    ({"x_factor": False}, "the x factor is missing: z_h = x·w_h, so ∂ξ/∂w_h = Σ x·δ_h."),
    ({"scale": -1.0}, "the sign is flipped: δ_o = y − t (prediction minus target)."),
]


def rbf_gradient(fn):
    """Lecture 02: fn(x, t, w_h, w_o) -> (dξ/dw_h, dξ/dw_o) for y = σ(φ(x·w_h)·w_o − 1),
    φ(z) = exp(−z²), ξ the cross-entropy summed over the samples."""
    def variant(**kw):
        return lambda x, t, w_h, w_o: _rbf_grads(x, t, w_h, w_o, **kw)[:2]

    mistakes = [(variant(**kw), advice) for kw, advice in _RBF_MISTAKES]
    mistakes.append((lambda x, t, w_h, w_o: tuple(g / len(x) for g in variant()(x, t, w_h, w_o)),
                     "divided by the number of samples: this lecture's ξ is the SUM over samples."))
    return _run("rbf_gradient", fn, _rbf_cases(False), variant(), ("dξ/dw_h", "dξ/dw_o"),
                mistakes, "δ_o = y − t, ∂ξ/∂w_o = Σ h·δ_o, δ_h = δ_o·w_o·φ′(z_h), "
                          "∂ξ/∂w_h = Σ x·δ_h.")


def rbf_bias_gradient(fn):
    """Lecture 02: fn(x, t, w_h, w_o, b_o) -> (dξ/dw_h, dξ/dw_o, dξ/db_o) for
    y = σ(φ(x·w_h)·w_o + b_o), ξ the cross-entropy summed over the samples."""
    def variant(**kw):
        return lambda x, t, w_h, w_o, b_o: _rbf_grads(x, t, w_h, w_o, b_o, **kw)

    def bias_sign(*args):
        dw_h, dw_o, db_o = variant()(*args)
        return dw_h, dw_o, -db_o

    def bias_mean(*args):
        dw_h, dw_o, db_o = variant()(*args)
        return dw_h, dw_o, db_o / len(args[0])

    mistakes = [(bias_sign, "the bias gradient has the wrong sign: ∂ξ/∂b_o = Σ (y − t).")]
    mistakes += [(variant(**kw), advice) for kw, advice in _RBF_MISTAKES]
    mistakes.append((bias_mean, "∂ξ/∂b_o is averaged: ξ is the SUM over samples, so is Σ δ_o."))
    return _run("rbf_bias_gradient", fn, _rbf_cases(True), variant(),
                ("dξ/dw_h", "dξ/dw_o", "dξ/db_o"), mistakes,
                "∂ξ/∂b_o = Σ δ_o: the bias's input is always 1, so its gradient is the output "
                "error summed over the samples (one number).")
