"""course_utils.network.NeuralNetwork: gradients, the lecture's cost, scikit-learn compatibility."""

import numpy as np
import pytest
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from course_utils import load_digits20
from course_utils.gradcheck import numerical_gradient, relative_error
from course_utils.network import NeuralNetwork

SHAPES = [(), (3,), (4, 3), (5, 4, 3)]


def random_problem(rng, m=7, n=5, K=3):
    return rng.normal(size=(m, n)), np.eye(K)[rng.integers(0, K, m)]


@pytest.mark.parametrize("hidden", SHAPES, ids=str)
@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus",
                                        "gelu", "silu", "mish"])
def test_gradient_matches_finite_differences(hidden, output, activation):
    rng = np.random.default_rng(len(hidden))
    net = NeuralNetwork(hidden_layer_sizes=hidden, alpha=0.7, activation=activation, output=output)
    X, Y = random_problem(rng)
    theta = net.initial_theta(net.layer_shapes(5, 3), rng) * 8  # away from the linear regime
    numeric = numerical_gradient(lambda t: net.cost(t, X, Y), theta)
    assert relative_error(net.gradient(theta, X, Y), numeric) < 1e-7


@pytest.mark.parametrize("init", ["uniform", "xavier", "he"])
def test_initialisations(init):
    net = NeuralNetwork(hidden_layer_sizes=(50,), init=init, init_epsilon=0.12)
    T1, T2 = net.reshape(net.initial_theta([(401, 50), (51, 10)], np.random.default_rng(0)),
                         [(401, 50), (51, 10)])
    if init == "uniform":
        assert np.abs(T1).max() <= 0.12 and np.abs(T1[0]).max() > 0
    else:
        assert not T1[0].any() and not T2[0].any()  # zero biases
        expected = np.sqrt(2 / 400) if init == "he" else np.sqrt(6 / 450) / np.sqrt(3)
        assert abs(T1[1:].std() - expected) / expected < 0.05


def lecture_cost(thetas, X, Y, lam):
    """The lecture's cost, written plainly with bias columns of ones (the reference)."""
    A = X
    for T in thetas:
        A = 1 / (1 + np.exp(-(np.hstack([np.ones((len(A), 1)), A]) @ T)))
    m = len(X)
    J = -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m
    return J + lam / (2 * m) * sum(np.sum(T[1:] ** 2) for T in thetas)


def test_cost_is_the_lecture_cost_and_unrolling_is_row_major():
    rng = np.random.default_rng(1)
    net = NeuralNetwork(hidden_layer_sizes=(4,), alpha=2.0)
    X, Y = random_problem(rng)
    thetas = [rng.normal(size=(6, 4)), rng.normal(size=(5, 3))]
    theta = net.unroll(thetas)
    assert np.array_equal(theta[:24], thetas[0].ravel())  # Θ¹ first, row by row
    assert all(np.array_equal(a, b) for a, b in zip(net.reshape(theta, [(6, 4), (5, 3)]), thetas))
    assert np.isclose(net.cost(theta, X, Y), lecture_cost(thetas, X, Y, 2.0))


def test_float32_gives_the_float64_cost_and_gradient_to_single_precision():
    rng = np.random.default_rng(2)
    X, Y = random_problem(rng, m=50, n=20, K=4)
    net64, net32 = NeuralNetwork((6,)), NeuralNetwork((6,), dtype=np.float32)
    theta = net64.initial_theta(net64.layer_shapes(20, 4), rng)
    assert np.isclose(net32.cost(theta, X, Y), net64.cost(theta, X, Y), rtol=1e-5)
    assert relative_error(net32.gradient(theta, X, Y), net64.gradient(theta, X, Y)) < 1e-5


@pytest.fixture(scope="module")
def digits():
    return load_digits20()


def test_defaults_reach_99_percent_training_accuracy_on_the_20x20_digits(digits):
    X, y = digits
    net = NeuralNetwork(random_state=0).fit(X, y)
    assert net.score(X, y) >= 0.99
    assert [T.shape for T in net.thetas_] == [(401, 25), (26, 10)]
    assert net.n_features_in_ == 400 and list(net.classes_) == list(range(10))
    assert net.loss_curve_[-1] == pytest.approx(net.loss_) and net.n_iter_ <= 400


@pytest.mark.parametrize("method, kwargs", [
    ("CG", {}), ("L-BFGS-B", {}), ("TNC", {}),
    ("gd", {"learning_rate": 1.0, "max_iter": 300}), ("sgd", {"learning_rate": 0.1, "batch_size": 64}),
])
def test_every_method_learns(digits, method, kwargs):
    X, y = digits[0][::5], digits[1][::5]
    net = NeuralNetwork(method=method, **{"max_iter": 60, "random_state": 0, **kwargs}).fit(X, y)
    assert net.score(X, y) > 0.85
    assert net.loss_curve_[-1] < net.loss_curve_[0]


def test_softmax_output_and_scaled_init_with_sgd(digits):
    X, y = digits[0][::2], digits[1][::2]
    net = NeuralNetwork(hidden_layer_sizes=(64,), output="softmax", init="xavier", method="sgd",
                        learning_rate=0.1, momentum=0.9, batch_size=32, max_iter=10, alpha=0.0,
                        dtype=np.float32, random_state=0).fit(X, y)
    assert net.score(X, y) > 0.95
    P = net.predict_proba(X[:20])
    assert np.allclose(P.sum(axis=1), 1.0)


def test_same_seed_same_network(digits):
    X, y = digits[0][::10], digits[1][::10]
    a = NeuralNetwork(method="sgd", max_iter=3, random_state=5).fit(X, y)
    b = NeuralNetwork(method="sgd", max_iter=3, random_state=5).fit(X, y)
    c = NeuralNetwork(method="sgd", max_iter=3, random_state=6).fit(X, y)
    assert all(np.array_equal(s, t) for s, t in zip(a.thetas_, b.thetas_))
    assert not np.array_equal(a.thetas_[0], c.thetas_[0])


def test_string_labels_binary_problems_and_probabilities():
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(-2, 1, (30, 2)), rng.normal(2, 1, (30, 2))])
    y = np.array(["cat"] * 30 + ["dog"] * 30)
    net = NeuralNetwork(hidden_layer_sizes=(3,), alpha=0.1, random_state=0).fit(X, y)
    assert list(net.classes_) == ["cat", "dog"] and net.score(X, y) > 0.95
    P = net.predict_proba(X)
    assert P.shape == (60, 2) and np.allclose(P.sum(axis=1), 1.0)
    assert set(net.predict(X)) <= {"cat", "dog"}


def test_pipeline_and_cross_validation(digits):
    X, y = digits[0][::5], digits[1][::5]
    pipeline = make_pipeline(MinMaxScaler(), NeuralNetwork(max_iter=50, random_state=0))
    scores = cross_val_score(pipeline, X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.8


def test_hidden_activations(digits):
    X, y = digits[0][::50], digits[1][::50]
    net = NeuralNetwork(hidden_layer_sizes=(6, 4), max_iter=5, random_state=0).fit(X, y)
    H1, H2 = net.hidden_activations(X[:3])
    assert H1.shape == (3, 6) and H2.shape == (3, 4) and (0 < H1).all() and (H1 < 1).all()


@pytest.mark.parametrize("params, message", [
    ({"hidden_layer_sizes": (0,)}, "hidden layer size"),
    ({"hidden_layer_sizes": (2.5,)}, "hidden layer size"),
    ({"alpha": -1}, "alpha"),
    ({"method": "adam"}, "unknown method 'adam'"),
    ({"max_iter": 0}, "max_iter"),
    ({"tol": 0}, "tol"),
    ({"init": "zeros"}, "unknown init"),
    ({"init_epsilon": 0}, "init_epsilon"),
    ({"activation": "swish"}, "unknown activation"),
    ({"output": "linear"}, "unknown output"),
    ({"learning_rate": 0}, "learning_rate"),
    ({"momentum": 1.0}, "momentum"),
    ({"batch_size": 0}, "batch_size"),
    ({"dtype": np.int32}, "dtype"),
    ({"dtype": "no such type"}, "dtype"),
])
def test_bad_parameters_are_rejected_at_fit(params, message):
    with pytest.raises(ValueError, match=message):
        NeuralNetwork(**params).fit(np.eye(4), [0, 1, 0, 1])


@pytest.mark.parametrize("X, y, message", [
    (np.full((4, 2), np.nan), [0, 1, 0, 1], "NaN"),
    (np.ones((4, 2)), [0, 0, 0, 0], "1 class"),
    (np.ones((4, 2)), [0, 1, 0], "inconsistent numbers of samples"),
    (np.ones((4, 2)), [0.5, 1.5, 0.5, 1.5], "Unknown label type"),
    (np.ones(4), [0, 1, 0, 1], "2D array"),
])
def test_bad_data_is_rejected(X, y, message):
    with pytest.raises(ValueError, match=message):
        NeuralNetwork().fit(X, y)


@pytest.mark.parametrize("call, message", [
    (lambda net, X, Y: net.cost(np.zeros(3), X, Y), "theta has 3 values"),
    (lambda net, X, Y: net.gradient(np.zeros(16), X[:2], Y), "X has 2 rows but Y has 4"),
    (lambda net, X, Y: net.cost(np.zeros(16), X, Y[:, 0]), "Y must be 2-D"),
    (lambda net, X, Y: net.cost(np.zeros(16), X * np.nan, Y), "NaN"),
    (lambda net, X, Y: net.reshape(np.zeros(5), [(2, 2)]), "theta has 5 values"),
])
def test_bad_input_to_cost_and_gradient_is_rejected(call, message):
    net = NeuralNetwork(hidden_layer_sizes=(2,))
    X, Y = np.ones((4, 3)), np.eye(2)[[0, 1, 0, 1]]  # θ: (4, 2) + (3, 2) = 14 ... + bias rows
    with pytest.raises(ValueError, match=message):
        call(net, X, Y)


def test_predicting_with_the_wrong_number_of_features_is_explained(digits):
    net = NeuralNetwork(max_iter=2).fit(digits[0][::100], digits[1][::100])
    with pytest.raises(ValueError, match="X has 3 features"):
        net.predict(np.ones((2, 3)))


@parametrize_with_checks([NeuralNetwork(hidden_layer_sizes=(8,), alpha=0.1, max_iter=200,
                                        random_state=0)])
def test_scikit_learn_estimator_checks(estimator, check):
    check(estimator)
