"""cu.check: every check passes on a correct solution, fails on the stub, and names the classic
mistakes of buggy versions; it never raises and answers within a second."""

import time

import numpy as np
import pytest

from course_utils import check
from course_utils.gradcheck import numerical_gradient

# --- solutions as a student would write them, following the lectures ---------------------------

def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def add_bias(A):
    return np.hstack([np.ones((len(A), 1)), A])


def weights_image(w):
    return w.reshape(28, 28)


def logistic_gradients(X, y, w, b, bug=None):
    y_hat = sigmoid(X @ w + b)
    error = y_hat - y
    if bug == "sigma_prime":
        error = error * y_hat * (1 - y_hat)
    if bug == "sign":
        error = -error
    m = 1 if bug == "not_mean" else len(y)
    return (X if bug == "transposed" else X.T) @ error / m, error.sum() / m


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


def unwrap3(theta, n, h, K):
    split = (n + 1) * h
    return theta[:split].reshape(n + 1, h), theta[split:].reshape(h + 1, K)


def regularised_cost(theta, X, Y, lam, h, bug=None):
    m, n = X.shape
    Theta1, Theta2 = unwrap3(theta, n, h, Y.shape[1])
    H = sigmoid(add_bias(sigmoid(add_bias(X) @ Theta1)) @ Theta2)
    J = -np.sum(Y * np.log(H) + (1 - Y) * np.log(1 - H))
    first = 0 if bug == "bias_regularised" else 1
    penalty = 0 if bug == "lambda_missing" else (
        lam / 2 * (np.sum(Theta1[first:] ** 2) + np.sum(Theta2[first:] ** 2)))
    return J + penalty if bug == "not_mean" else (J + penalty) / m


def backprop_loop(theta, X, Y, lam, h, bug=None):
    m, n = X.shape
    Theta1, Theta2 = unwrap3(theta, n, h, Y.shape[1])
    D1, D2 = np.zeros_like(Theta1), np.zeros_like(Theta2)
    for i in range(m):
        a1 = np.concatenate([[1.0], X[i]])
        s = sigmoid(a1 @ Theta1)
        a2 = np.concatenate([[1.0], s])
        d3 = sigmoid(a2 @ Theta2) - Y[i]
        d2 = Theta2[1:] @ d3 * (1.0 if bug == "sigma_prime" else s * (1 - s))
        D1 += np.outer(a1, d2)
        D2 += np.outer(a2, d3)
    D1, D2 = (D1, D2) if bug == "not_mean" else (D1 / m, D2 / m)
    first = 0 if bug == "bias_regularised" else 1
    if bug != "lambda_missing":
        D1[first:] += lam / m * Theta1[first:]
        D2[first:] += lam / m * Theta2[first:]
    return np.concatenate([D1.ravel(), D2.ravel()])


def softmax(Z, bug=None):
    if bug != "no_shift":
        Z = Z - Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=0 if bug == "wrong_axis" else 1, keepdims=True)


def log_softmax_loss(Z, Y, bug=None):
    m = len(Z)
    if bug == "overflow":
        log_p = np.log(np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))
    elif bug == "log_of_probabilities":
        log_p = np.log(softmax(Z))
    else:
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(Y * log_p) / m
    dZ = np.exp(log_p) - Y
    if bug == "sign":
        dZ = -dZ
    return loss, dZ if bug == "not_mean" else dZ / m


def hidden_layer(Theta1, X, bug=None):
    if bug == "bias_ignored":
        return sigmoid(X @ Theta1[1:])
    if bug == "bias_last":
        return sigmoid(np.hstack([X, np.ones((len(X), 1))]) @ Theta1)
    A = sigmoid(add_bias(X) @ Theta1)
    return A.T if bug == "transposed" else A


def saliency(Theta1, Theta2, x, k, bug=None):
    a = sigmoid(np.concatenate([[1.0], x]) @ Theta1)
    p = sigmoid(np.concatenate([[1.0], a]) @ Theta2)
    d = 1.0 if bug == "output_slope" else p[k] * (1 - p[k])
    d = (Theta2[:-1, k] if bug == "bias_row" else Theta2[1:, k]) * d
    d = d * (1.0 if bug == "sigma_prime" else a * (1 - a))
    return Theta1[1:] @ d


def unwrap(theta, shapes, bug=None):
    out, start = [], 0
    for rows, cols in shapes:
        shape = (cols, rows) if bug == "shapes_swapped" else (rows, cols)
        out.append(theta[start:start + rows * cols].reshape(shape, order="F" if bug == "order_F" else "C"))
        start += rows * cols
    return out


def relu_backprop(thetas, X, Y, lam, bug=None):
    m = len(X)
    As, Zs = [add_bias(X)], []
    for Theta in thetas[:-1]:
        Zs.append(As[-1] @ Theta)
        As.append(add_bias(np.maximum(Zs[-1], 0)))
    Delta = sigmoid(As[-1] @ thetas[-1]) - Y
    grads = [None] * len(thetas)
    for layer in reversed(range(len(thetas))):
        grads[layer] = As[layer].T @ Delta / m
        first = 0 if bug == "bias_regularised" else 1
        if bug != "lambda_missing":
            grads[layer][first:] += lam / m * thetas[layer][first:]
        if layer:
            A = As[layer][:, 1:]
            slope = A * (1 - A) if bug == "sigmoid_slope" else Zs[layer - 1] > 0
            Delta = (Delta @ thetas[layer][1:].T) * slope
    return grads


SOLUTIONS = {
    "weights_image": weights_image, "logistic_gradients": logistic_gradients,
    "rbf_gradient": rbf_gradient,
    "rbf_bias_gradient": lambda x, t, w_h, w_o, b_o: rbf_gradient(x, t, w_h, w_o, b_o),
    "regularised_cost": regularised_cost, "backprop_loop": backprop_loop, "softmax": softmax,
    "log_softmax_loss": log_softmax_loss, "hidden_layer": hidden_layer, "saliency": saliency,
    "unwrap": unwrap, "relu_backprop": relu_backprop,
}

# (check, bug, words the report must contain)
MISTAKES = [
    ("weights_image", lambda w: w.reshape(28, 28).T, "transposed"),
    ("weights_image", lambda w: w.reshape(28, 28, order="F"), "transposed"),
    ("weights_image", lambda w: w, "shape (784,), expected (28, 28)"),
    ("logistic_gradients", "sigma_prime", "σ′(z) = ŷ(1 − ŷ) is multiplied in"),
    ("logistic_gradients", "not_mean", "not divided by m"),
    ("logistic_gradients", "sign", "sign is flipped"),
    ("logistic_gradients", "transposed", "X.T"),
    ("rbf_gradient", "phi_left_out", "φ′ is left out"),
    ("rbf_gradient", "no_minus_2z", "−2z factor"),
    ("rbf_gradient", "no_x", "x factor is missing"),
    ("rbf_bias_gradient", "db_sign", "wrong sign"),
    ("rbf_bias_gradient", "db_not_summed", "should be one number"),
    ("rbf_bias_gradient", "phi_left_out", "φ′ is left out"),
    ("regularised_cost", "lambda_missing", "λ is missing"),
    ("regularised_cost", "bias_regularised", "bias is regularised"),
    ("regularised_cost", "not_mean", "not averaged over m"),
    ("backprop_loop", "sigma_prime", "σ′ is left out"),
    ("backprop_loop", "bias_regularised", "bias is regularised"),
    ("backprop_loop", "lambda_missing", "λ is missing"),
    ("backprop_loop", "not_mean", "not divided by m"),
    ("softmax", "no_shift", "no max shift"),
    ("softmax", "wrong_axis", "wrong axis"),
    ("log_softmax_loss", "overflow", "no max shift"),
    ("log_softmax_loss", "log_of_probabilities", "log 0"),
    ("log_softmax_loss", "not_mean", "not divided by m"),
    ("log_softmax_loss", "sign", "wrong sign"),
    ("hidden_layer", "bias_ignored", "bias row is ignored"),
    ("hidden_layer", "transposed", "rows and columns swapped"),
    ("hidden_layer", "bias_last", "column of ones is appended last"),
    ("saliency", "sigma_prime", "σ′ of the hidden layer is left out"),
    ("saliency", "output_slope", "σ′ of the output is left out"),
    ("saliency", "bias_row", "bias row of Θ² is used"),
    ("unwrap", "order_F", "column-major"),
    ("unwrap", "shapes_swapped", "has shape (2, 3), expected (3, 2)"),
    ("relu_backprop", "sigmoid_slope", "sigmoid's slope"),
    ("relu_backprop", "bias_regularised", "bias is regularised"),
    ("relu_backprop", "lambda_missing", "λ is missing"),
]


def run(name, fn, capsys):
    start = time.perf_counter()
    result = getattr(check, name)(fn)
    seconds = time.perf_counter() - start
    assert seconds < 1.0, f"{name} took {seconds:.2f} s"
    return result, capsys.readouterr().out


@pytest.mark.parametrize("name", check.__all__[1:])
def test_passes_on_the_solution(name, capsys):
    result, out = run(name, SOLUTIONS[name], capsys)
    assert result, out
    assert out.startswith(f"✓ {name}: all ") and " cases pass (" in out
    assert out.count("\n") == 1


@pytest.mark.parametrize("name", check.__all__[1:])
def test_fails_on_the_stub_saying_it_is_not_written(name, capsys):
    def stub(*args):
        raise NotImplementedError("write the function")

    result, out = run(name, stub, capsys)
    assert not result
    assert out == (f"✗ {name}: not written yet: replace the `raise NotImplementedError(...)` line "
                   "with your code.\n")


@pytest.mark.parametrize(("name", "bug", "words"), MISTAKES,
                         ids=[f"{n}-{b if isinstance(b, str) else i}"
                              for i, (n, b, _) in enumerate(MISTAKES)])
def test_names_the_classic_mistake(name, bug, words, capsys):
    def buggy(*args):
        return SOLUTIONS[name](*args, bug=bug)

    if name == "rbf_bias_gradient":
        def buggy(*args):
            return rbf_gradient(*args, bug=bug)

    result, out = run(name, bug if callable(bug) else buggy, capsys)
    assert not result
    assert out.startswith(f"✗ {name}: case ") and "Expected: " in out
    assert words in out, out


@pytest.mark.parametrize("name", check.__all__[1:])
def test_never_raises_and_says_what_went_wrong(name, capsys):
    def broken(*args):
        return {}["missing"]

    result, out = run(name, broken, capsys)
    assert not result and "Your function raised KeyError in `broken`" in out
    result, out = run(name, lambda *args: None, capsys)
    assert not result and "returned None" in out
    result, out = run(name, "not a function", capsys)
    assert not result and "expected a function" in out


def test_a_shape_error_gets_a_hint(capsys):
    result, out = run("hidden_layer", lambda Theta1, X: sigmoid(X @ Theta1), capsys)
    assert not result and "raised ValueError" in out and "bias column" in out


def test_the_report_is_the_same_every_time(capsys):
    outputs = {run("log_softmax_loss", lambda Z, Y: log_softmax_loss(Z, Y, bug="sign"), capsys)[1]
               for _ in range(2)}
    assert len(outputs) == 1


def test_the_result_shows_nothing_more_in_a_notebook(capsys):
    result, _ = run("softmax", softmax, capsys)
    assert result._ipython_display_() is None and "passed=True" in repr(result)


@pytest.mark.parametrize("name", ["logistic_gradients", "rbf_gradient", "backprop_loop",
                                  "relu_backprop"])
def test_the_gradient_references_agree_with_finite_differences(name):
    """The module's references are the lectures' formulas: check them against the cost."""
    rng = np.random.default_rng(0)
    if name == "logistic_gradients":
        X, y, w, b = rng.normal(size=(6, 3)), np.array([0, 1, 1, 0, 1, 0.0]), rng.normal(size=3), 0.2

        def cost(w):
            z = X @ w + b
            return np.mean(np.logaddexp(0, z) - y * z)

        assert np.allclose(logistic_gradients(X, y, w, b)[0], numerical_gradient(cost, w))
    elif name == "rbf_gradient":
        x, t = rng.normal(size=5), np.array([1, 0, 1, 0, 1.0])

        def cost(p):
            z = np.exp(-(x * p[0]) ** 2) * p[1] - 1
            return np.sum(np.logaddexp(0, z) - t * z)

        assert np.allclose(rbf_gradient(x, t, 1.3, -2.0), numerical_gradient(cost, [1.3, -2.0]))
    elif name == "backprop_loop":
        X, Y, theta = rng.normal(size=(4, 3)), np.eye(2)[[0, 1, 1, 0]], rng.normal(size=4 * 3 + 4 * 2)
        numeric = numerical_gradient(lambda t: regularised_cost(t, X, Y, 0.8, 3), theta)
        assert np.allclose(backprop_loop(theta, X, Y, 0.8, 3), numeric, atol=1e-7)
    else:
        thetas = [rng.normal(size=s) for s in [(4, 5), (6, 2)]]
        X, Y = rng.normal(size=(5, 3)), np.eye(2)[[0, 1, 1, 0, 1]]

        def cost(t):
            T1, T2 = t[:20].reshape(4, 5), t[20:].reshape(6, 2)
            z = add_bias(np.maximum(add_bias(X) @ T1, 0)) @ T2
            J = np.sum(np.logaddexp(0, z) - Y * z) / 5
            return J + 0.7 / 10 * (np.sum(T1[1:] ** 2) + np.sum(T2[1:] ** 2))

        theta = np.concatenate([t.ravel() for t in thetas])
        analytic = np.concatenate([g.ravel() for g in relu_backprop(thetas, X, Y, 0.7)])
        assert np.allclose(analytic, numerical_gradient(cost, theta), atol=1e-7)
