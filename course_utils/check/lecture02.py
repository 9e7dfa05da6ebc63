"""Checks of lecture 02's exercises (a hidden layer, the RBF toy): notebooks/02_*.ipynb."""

import numpy as np

from ._formulas import _rng, _sigmoid
from ._runner import _run

__all__ = ["rbf_gradient", "rbf_bias_gradient", "rbf_centre_gradient"]


def _rbf_cases(extra=None):
    """The three cases (x, y, w_h, w_o), with a fourth parameter appended when extra is
    (its name, its three values)."""
    r = _rng(2)
    x = np.concatenate([r.normal(0, 0.5, 4), r.normal(-2, 0.5, 2), r.normal(2, 0.5, 2)])
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0.0])
    cases = [("8 points at w_h = 2, w_o = −5", (x, y, 2.0, -5.0)),
             ("8 points at w_h = −0.7, w_o = 3", (x, y, -0.7, 3.0)),
             ("3 points at w_h = 1.3, w_o = 4", (np.array([-1.0, 0.2, 1.5]),
                                                 np.array([0, 1, 0.0]), 1.3, 4.0))]
    if extra:
        name, values = extra
        cases = [(f"{words}, {name} = {value:g}".replace("-", "−"), (*args, value))
                 for (words, args), value in zip(cases, values, strict=True)]
    return cases


def _rbf_grads(x, y, w_h, w_o, b_o=-1.0, c=0.0, slope="right", x_factor="right", c_sign=-1.0,
               scale=1.0, mean=True, sigma_prime=False, w_o_factor=True):
    """(∂J/∂w_h, ∂J/∂w_o, ∂J/∂b_o, ∂J/∂c) for ŷ = σ(φ((x − c)·w_h)·w_o + b_o), J the mean
    cross-entropy; the keywords make the classic mistakes."""
    u = x - c
    z_h = u * w_h
    h = np.exp(-z_h ** 2)
    y_hat = _sigmoid(h * w_o + b_o)
    delta_o = (y_hat - y) * (y_hat * (1 - y_hat) if sigma_prime else 1.0)
    phi_prime = {"right": -2 * z_h * h, "phi": h, "none": 1.0, "no_h": -2 * z_h}[slope]
    delta_h = delta_o * (w_o if w_o_factor else 1.0) * phi_prime
    factor = {"right": u, "x": x, "none": 1.0}[x_factor]
    total = np.mean if mean else np.sum
    grads = (total(factor * delta_h), total(h * delta_o), total(delta_o),
             total(c_sign * w_h * delta_h))
    return tuple(scale * float(g) for g in grads)


_WH, _WO, _BO = ("∂J/∂w_h = mean of x·δ_h, with δ_h = δ_o·w_o·φ′(z_h) and φ′(z) = −2z·φ(z).",
                 "∂J/∂w_o = mean of h·δ_o: the edge from w_o into × carries h.",
                 "∂J/∂b_o = mean of δ_o: the bias enters + along an edge whose local derivative "
                 "is 1, so its gradient is the output error averaged over the samples (one number).")

_RBF_MISTAKES = [
    ({"slope": "phi"}, "φ′ is missing its −2z factor: φ′(z) = −2z·φ(z), not φ(z)."),
    ({"slope": "no_h"}, ("φ′ is missing its φ(z) factor: the derivative of e^(−z²) is "
                        "−2z·e^(−z²) = −2z·h, not −2z.")),
    ({"sigma_prime": True}, ("δ_o keeps the sigmoid's slope: (ŷ − y)·ŷ(1 − ŷ). The cross-entropy's "
                            "derivative (ŷ − y)/(ŷ(1 − ŷ)) cancels it, so δ_o = ŷ − y.")),
    ({"w_o_factor": False}, ("w_o is left out of δ_h: the path from z_o back to h passes through "
                            "× w_o, so δ_h = δ_o · w_o · φ′(z_h).")),
    ({"slope": "none"}, ("φ′ is left out of δ_h: the chain rule passes through the hidden unit, "
                        "δ_h = δ_o · w_o · φ′(z_h) with φ′(z) = −2z·e^(−z²).")),
    ({"x_factor": "none"}, "the x factor is missing: z_h = x·w_h, so ∂J/∂w_h = mean of x·δ_h."),
    ({"scale": -1.0}, "the sign is flipped: δ_o = ŷ − y (prediction minus label)."),
    ({"mean": False}, ("summed over the samples, not averaged: J is the MEAN cross-entropy, so "
                       "divide by the number of samples.")),
]


def rbf_gradient(fn):
    """Lecture 02: fn(x, y, w_h, w_o) -> (∂J/∂w_h, ∂J/∂w_o) for ŷ = σ(φ(x·w_h)·w_o − 1),
    φ(z) = exp(−z²), J the cross-entropy averaged over the samples."""
    def variant(**kw):
        return lambda x, y, w_h, w_o: _rbf_grads(x, y, w_h, w_o, **kw)[:2]

    mistakes = [(variant(**kw), advice) for kw, advice in _RBF_MISTAKES]
    return _run("rbf_gradient", fn, _rbf_cases(), variant(), ("∂J/∂w_h", "∂J/∂w_o"), mistakes,
                (_WH, _WO))


def rbf_bias_gradient(fn):
    """Lecture 02: fn(x, y, w_h, w_o, b_o) -> (∂J/∂w_h, ∂J/∂w_o, ∂J/∂b_o) for
    ŷ = σ(φ(x·w_h)·w_o + b_o), J the cross-entropy averaged over the samples."""
    def variant(**kw):
        return lambda x, y, w_h, w_o, b_o: _rbf_grads(x, y, w_h, w_o, b_o, **kw)[:3]

    def bias_sign(*args):
        dw_h, dw_o, db_o = variant()(*args)
        return dw_h, dw_o, -db_o

    def bias_summed(*args):
        dw_h, dw_o, db_o = variant()(*args)
        return dw_h, dw_o, db_o * len(args[0])

    mistakes = [(bias_sign, "the bias gradient has the wrong sign: ∂J/∂b_o = mean of (ŷ − y).")]
    def fixed_bias(x, y, w_h, w_o, b_o):
        return variant()(x, y, w_h, w_o, -1.0)

    mistakes.append((fixed_bias, ("the bias is still the fixed −1: use the argument b_o in "
                                  "z_o = h·w_o + b_o.")))
    mistakes += [(variant(**kw), advice) for kw, advice in _RBF_MISTAKES]
    mistakes.append((bias_summed, "∂J/∂b_o is summed: J is the MEAN over the samples, so "
                                  "∂J/∂b_o is the mean of δ_o."))
    return _run("rbf_bias_gradient", fn, _rbf_cases(("b_o", (-1.0, 0.5, 0.5))), variant(),
                ("∂J/∂w_h", "∂J/∂w_o", "∂J/∂b_o"), mistakes, (_WH, _WO, _BO))


def rbf_centre_gradient(fn):
    """Lecture 02: fn(x, y, w_h, w_o, c) -> (∂J/∂w_h, ∂J/∂w_o, ∂J/∂c) for a hidden unit with a
    learnable centre c, ŷ = σ(φ((x − c)·w_h)·w_o − 1), J the mean cross-entropy."""
    def variant(**kw):
        def grads(x, y, w_h, w_o, c):
            dw_h, dw_o, _db_o, dc = _rbf_grads(x, y, w_h, w_o, c=c, **kw)
            return dw_h, dw_o, dc
        return grads

    mistakes = [
        (variant(c_sign=1.0), ("∂J/∂c has the wrong sign: z_h = (x − c)·w_h, so ∂z_h/∂c = −w_h "
                               "and ∂J/∂c = mean of −w_h·δ_h.")),
        (variant(x_factor="x"), ("∂J/∂w_h still uses x: with the centre, z_h = (x − c)·w_h, so "
                                 "∂z_h/∂w_h = x − c.")),
        (variant(x_factor="none"), ("the (x − c) factor of ∂J/∂w_h is missing: z_h = (x − c)·w_h, "
                                    "so ∂J/∂w_h = mean of (x − c)·δ_h.")),
    ]

    def no_w_h(x, y, w_h, w_o, c):
        dw_h, dw_o, dc = variant()(x, y, w_h, w_o, c)
        return dw_h, dw_o, dc / w_h

    mistakes.append((no_w_h, ("∂J/∂c lacks the factor w_h: ∂z_h/∂c = −w_h, so ∂J/∂c = mean of "
                              "−w_h·δ_h.")))
    mistakes += [(variant(**kw), advice) for kw, advice in _RBF_MISTAKES if "x_factor" not in kw]
    return _run("rbf_centre_gradient", fn, _rbf_cases(("c", (0.3, -0.5, 0.8))), variant(),
                ("∂J/∂w_h", "∂J/∂w_o", "∂J/∂c"), mistakes,
                ("∂J/∂w_h = mean of (x − c)·δ_h, with δ_h = δ_o·w_o·φ′(z_h) and "
                 "z_h = (x − c)·w_h.", _WO,
                 "∂J/∂c = mean of δ_h·∂z_h/∂c, with z_h = (x − c)·w_h."))
