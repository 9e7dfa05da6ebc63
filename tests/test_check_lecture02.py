"""cu.check for lecture 02: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np

from course_utils.gradcheck import numerical_gradient  # noqa: F401

from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401


def rbf_gradient(x, y, w_h, w_o, b_o=None, c=None, bug=None):
    u = x - (0 if c is None else c)
    z_h = u * w_h
    h = np.exp(-z_h ** 2)
    y_hat = sigmoid(h * w_o + (-1 if b_o is None or bug == "fixed_bias" else b_o))
    delta_o = y_hat - y
    if bug == "keeps_sigma_prime":
        delta_o = (y_hat - y) * y_hat * (1 - y_hat)
    phi_prime = {"phi_left_out": 1.0, "no_minus_2z": h, "no_h_in_phi_prime": -2 * z_h}.get(
        bug, -2 * z_h * h)
    delta_h = delta_o * (1.0 if bug == "no_w_o" else w_o) * phi_prime
    mean = np.sum if bug == "summed" else np.mean
    dw_h = mean({"no_x": 1.0, "x_not_u": x}.get(bug, u) * delta_h)
    dw_o = mean((1.0 if bug == "no_h" else h) * delta_o)
    grads = [dw_h, dw_o]
    if b_o is not None:
        grads.append({"db_sign": -delta_o.mean(), "db_not_averaged": delta_o,
                      "db_summed": delta_o.sum()}.get(bug, mean(delta_o)))
    if c is not None:
        grads.append(mean({"dc_sign": w_h, "dc_no_w_h": -1.0}.get(bug, -w_h) * delta_h))
    return tuple(grads)


def rbf_bias_gradient(x, y, w_h, w_o, b_o, bug=None):
    return rbf_gradient(x, y, w_h, w_o, b_o=b_o, bug=bug)


def rbf_centre_gradient(x, y, w_h, w_o, c, bug=None):
    return rbf_gradient(x, y, w_h, w_o, c=c, bug=bug)


SOLUTIONS = {"rbf_gradient": rbf_gradient, "rbf_bias_gradient": rbf_bias_gradient,
             "rbf_centre_gradient": rbf_centre_gradient}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("rbf_gradient", partial(rbf_gradient, bug="phi_left_out"), "φ′ is left out"),
    ("rbf_gradient", partial(rbf_gradient, bug="no_minus_2z"), "−2z factor"),
    ("rbf_gradient", partial(rbf_gradient, bug="no_x"), "x factor is missing"),
    ("rbf_gradient", partial(rbf_gradient, bug="summed"), "summed over the samples, not averaged"),
    ("rbf_gradient", partial(rbf_gradient, bug="no_h"), "Hint: ∂J/∂w_o = mean of h·δ_o"),
    ("rbf_gradient", partial(rbf_gradient, bug="keeps_sigma_prime"), "δ_o keeps the sigmoid's slope"),
    ("rbf_gradient", partial(rbf_gradient, bug="no_w_o"), "w_o is left out of δ_h"),
    ("rbf_gradient", partial(rbf_gradient, bug="no_h_in_phi_prime"), "missing its φ(z) factor"),
    ("rbf_bias_gradient", partial(rbf_bias_gradient, bug="fixed_bias"), "still the fixed −1"),
    ("rbf_bias_gradient", partial(rbf_bias_gradient, bug="keeps_sigma_prime"), "δ_o keeps"),
    ("rbf_centre_gradient", partial(rbf_centre_gradient, bug="no_w_o"), "w_o is left out of δ_h"),
    ("rbf_bias_gradient", partial(rbf_bias_gradient, bug="db_sign"), "wrong sign"),
    ("rbf_bias_gradient", partial(rbf_bias_gradient, bug="db_not_averaged"), "should be one number"),
    ("rbf_bias_gradient", partial(rbf_bias_gradient, bug="db_summed"), "∂J/∂b_o is summed"),
    ("rbf_bias_gradient", partial(rbf_bias_gradient, bug="phi_left_out"), "φ′ is left out"),
    ("rbf_bias_gradient", partial(rbf_bias_gradient, bug="summed"), "not averaged"),
    ("rbf_centre_gradient", partial(rbf_centre_gradient, bug="dc_sign"), "∂J/∂c has the wrong sign"),
    ("rbf_centre_gradient", partial(rbf_centre_gradient, bug="dc_no_w_h"), "lacks the factor w_h"),
    ("rbf_centre_gradient", partial(rbf_centre_gradient, bug="x_not_u"), "still uses x"),
    ("rbf_centre_gradient", partial(rbf_centre_gradient, bug="no_x"), "(x − c) factor"),
    ("rbf_centre_gradient", partial(rbf_centre_gradient, bug="phi_left_out"), "φ′ is left out"),
    ("rbf_centre_gradient", partial(rbf_centre_gradient, bug="summed"), "not averaged"),
]


def test_the_gradient_references_agree_with_finite_differences():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=5), np.array([1, 0, 1, 0, 1.0])

    def cost(p, c=0.0):
        z = np.exp(-((x - c) * p[0]) ** 2) * p[1] + p[2]
        return np.mean(np.logaddexp(0, z) - y * z)

    assert np.allclose(rbf_gradient(x, y, 1.3, -2.0), numerical_gradient(cost, [1.3, -2.0, -1.0])[:2])
    assert np.allclose(rbf_bias_gradient(x, y, 1.3, -2.0, 0.4),
                       numerical_gradient(cost, [1.3, -2.0, 0.4]))
    numeric = numerical_gradient(lambda q: cost([q[0], q[1], -1.0], c=q[2]), [1.3, -2.0, 0.3])
    assert np.allclose(rbf_centre_gradient(x, y, 1.3, -2.0, 0.3), numeric)


def test_an_array_or_a_list_of_the_right_length_is_accepted(capsys):
    for name, fn in SOLUTIONS.items():
        result, out = run(name, lambda *args, fn=fn: np.array(fn(*args)), capsys)
        assert result, out
        result, out = run(name, lambda *args, fn=fn: list(fn(*args)), capsys)
        assert result, out


def test_a_wrong_length_is_still_named(capsys):
    result, out = run("rbf_bias_gradient", lambda *args: np.array(rbf_gradient(*args[:4])), capsys)
    assert not result and "expected 3 results, got 2" in out, out


def test_the_hint_speaks_of_the_component_that_differs(capsys):
    def wrong_w_o(x, y, w_h, w_o, b_o):
        dw_h, _dw_o, db_o = rbf_bias_gradient(x, y, w_h, w_o, b_o)
        return dw_h, 0.5, db_o

    result, out = run("rbf_bias_gradient", wrong_w_o, capsys)
    assert not result and "What differs: ∂J/∂w_o" in out, out
    assert "Hint: ∂J/∂w_o = mean of h·δ_o" in out and "∂J/∂b_o =" not in out, out
    result, out = run("rbf_bias_gradient", partial(rbf_bias_gradient, bug="no_h"), capsys)
    assert not result and "∂J/∂w_o = mean of h·δ_o" in out and "∂J/∂b_o =" not in out, out
