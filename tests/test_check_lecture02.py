"""cu.check for lecture 02: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np
from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401

from course_utils.gradcheck import numerical_gradient  # noqa: F401


def rbf_gradient(x, t, w_h, w_o, b_o=None, bug=None):
    z_h = x * w_h
    h = np.exp(-z_h ** 2)
    y = sigmoid(h * w_o + (-1 if b_o is None else b_o))
    delta_o = y - t
    phi_prime = {"phi_left_out": 1.0, "no_minus_2z": h}.get(bug, -2 * z_h * h)
    delta_h = delta_o * w_o * phi_prime
    dw_h = np.sum(delta_h if bug == "no_x" else x * delta_h)
    grads = [dw_h, np.sum(h * delta_o)]
    if b_o is not None:
        grads.append({"db_sign": -delta_o.sum(), "db_not_summed": delta_o}.get(bug, delta_o.sum()))
    return tuple(grads)


SOLUTIONS = {"rbf_gradient": rbf_gradient,
    "rbf_bias_gradient": lambda x, t, w_h, w_o, b_o: rbf_gradient(x, t, w_h, w_o, b_o)}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("rbf_gradient", partial(rbf_gradient, bug="phi_left_out"), "φ′ is left out"),
    ("rbf_gradient", partial(rbf_gradient, bug="no_minus_2z"), "−2z factor"),
    ("rbf_gradient", partial(rbf_gradient, bug="no_x"), "x factor is missing"),
    ("rbf_bias_gradient", partial(rbf_gradient, bug="db_sign"), "wrong sign"),
    ("rbf_bias_gradient", partial(rbf_gradient, bug="db_not_summed"), "should be one number"),
    ("rbf_bias_gradient", partial(rbf_gradient, bug="phi_left_out"), "φ′ is left out"),
]


def test_the_gradient_reference_agrees_with_finite_differences():
    rng = np.random.default_rng(0)
    x, t = rng.normal(size=5), np.array([1, 0, 1, 0, 1.0])

    def cost(p):
        z = np.exp(-(x * p[0]) ** 2) * p[1] - 1
        return np.sum(np.logaddexp(0, z) - t * z)

    assert np.allclose(rbf_gradient(x, t, 1.3, -2.0), numerical_gradient(cost, [1.3, -2.0]))
