"""cu.check for lecture 05: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np

from course_utils.gradcheck import numerical_gradient

from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import run, sigmoid


def saliency(Theta1, Theta2, x, k, bug=None):
    a = sigmoid(np.concatenate([[1.0], x]) @ Theta1)
    y_hat = sigmoid(np.concatenate([[1.0], a]) @ Theta2)
    d = 1.0 if bug == "output_slope" else y_hat[k] * (1 - y_hat[k])
    d = (Theta2[:-1, k] if bug == "bias_row" else Theta2[1:, k]) * d
    d = d * (1.0 if bug == "sigma_prime" else a * (1 - a))
    return Theta1[1:] @ d


def probability(Theta1, Theta2, x, k):
    """predict_proba's p_k = ŷ_k / Σⱼ ŷⱼ for one digit."""
    y_hat = sigmoid(np.concatenate([[1.0], sigmoid(np.concatenate([[1.0], x]) @ Theta1)]) @ Theta2)
    return y_hat[k] / y_hat.sum()


def probability_gradient(Theta1, Theta2, x, k, bug=None):
    a = sigmoid(Theta1[0] + x @ Theta1[1:])
    z = Theta2[0] + a @ Theta2[1:]
    y_hat = sigmoid(z)
    S = y_hat.sum()
    one_hot = np.zeros(10)
    one_hot[k] = 1
    dp_dyhat = (one_hot * S - y_hat[k]) / S**2  # the quotient rule
    if bug == "label_only":
        dp_dyhat = one_hot / S
    if bug == "saliency":
        dp_dyhat = one_hot
    if bug == "sign":
        dp_dyhat = -dp_dyhat
    if bug == "square":
        dp_dyhat = (one_hot * S - y_hat[k]) / S
    delta2 = dp_dyhat if bug == "output_slope" else dp_dyhat * y_hat * (1 - y_hat)
    if bug == "softmax":
        s = np.exp(z) / np.exp(z).sum()
        delta2 = s[k] * (one_hot - s)
    delta1 = (Theta2[:-1] if bug == "bias_row" else Theta2[1:]) @ delta2
    if bug != "sigma_prime":
        delta1 = delta1 * a * (1 - a)
    return (Theta1[:-1] if bug == "bias_x" else Theta1[1:]) @ delta1


SOLUTIONS = {"saliency": saliency, "probability_gradient": probability_gradient}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("saliency", partial(saliency, bug="sigma_prime"), "σ′ of the hidden layer is left out"),
    ("saliency", partial(saliency, bug="output_slope"), "σ′ of the output is left out"),
    ("saliency", partial(saliency, bug="bias_row"), "bias row of Θ² is used"),
    ("probability_gradient", partial(probability_gradient, bug="label_only"),
     "only output k is used"),
    ("probability_gradient", partial(probability_gradient, bug="saliency"),
     "this is the saliency"),
    ("probability_gradient", partial(probability_gradient, bug="sign"),
     "the quotient rule's sign is flipped"),
    ("probability_gradient", partial(probability_gradient, bug="square"),
     "the quotient rule's square is missing"),
    ("probability_gradient", partial(probability_gradient, bug="output_slope"),
     "σ′ of the outputs is left out"),
    ("probability_gradient", partial(probability_gradient, bug="softmax"),
     "a softmax's derivative is used"),
    ("probability_gradient", partial(probability_gradient, bug="sigma_prime"),
     "σ′ of the hidden layer is left out"),
    ("probability_gradient", partial(probability_gradient, bug="bias_row"),
     "bias row of Θ² is used"),
    ("probability_gradient", partial(probability_gradient, bug="bias_x"),
     "bias row of Θ¹ is used"),
]


def test_the_input_gradients_agree_with_finite_differences():
    rng = np.random.default_rng(0)
    Theta1, Theta2 = rng.normal(0, 0.3, (401, 25)), rng.normal(0, 1.0, (26, 10))
    x = rng.uniform(size=400)
    for k in (2, 8):
        numeric = numerical_gradient(lambda v: probability(Theta1, Theta2, v, k), x)
        assert np.allclose(probability_gradient(Theta1, Theta2, x, k), numeric, atol=1e-8)
    output_3 = numerical_gradient(lambda v: sigmoid(np.concatenate(
        [[1.0], sigmoid(np.concatenate([[1.0], v]) @ Theta1)]) @ Theta2)[3], x)
    assert np.allclose(saliency(Theta1, Theta2, x, 3), output_3, atol=1e-8)


def test_a_shape_error_gets_a_hint(capsys):
    def forgets_the_bias_row(Theta1, Theta2, x, k):
        a = sigmoid(Theta1[0] + x @ Theta1[1:])
        return Theta1[1:] @ ((Theta2 @ (sigmoid(Theta2[0] + a @ Theta2[1:]) - 1)) * a)

    result, out = run("probability_gradient", forgets_the_bias_row, capsys)
    assert not result and "raised ValueError" in out and "drop the bias row of Θ²" in out, out
