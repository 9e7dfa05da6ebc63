"""course_utils.network.NeuralNetwork: training against plain loops, checks, scikit-learn API."""

import numpy as np
import pytest
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from course_utils import load_digits20, mlp
from course_utils.activations import ACTIVATIONS
from course_utils.gradcheck import numerical_gradient, relative_error
from course_utils.network import NeuralNetwork

from plain_network import plain_cost_and_gradient, plain_recipe

SHAPES = [(), (3,), (4, 3), (5, 4, 3)]


def random_problem(rng, m=7, n=5, K=3):
    return rng.normal(size=(m, n)), np.eye(K)[rng.integers(0, K, m)]


@pytest.mark.parametrize("hidden", SHAPES, ids=str)
@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_gradient_method_matches_finite_differences_of_the_cost_method(hidden, output):
    rng = np.random.default_rng(len(hidden))
    net = NeuralNetwork(hidden_layer_sizes=hidden, alpha=0.7, activation="gaussian", output=output)
    X, Y = random_problem(rng)
    theta = net.init_theta(5, 3, rng) * 8  # away from the linear regime
    numeric = numerical_gradient(lambda t: net.cost(t, X, Y), theta)
    assert relative_error(net.gradient(theta, X, Y), numeric) < 1e-7


def test_the_class_has_lecture_06s_helpers_with_its_names_and_arguments():
    """Lecture 06's Network builds shapes(n, K), init_theta(n, K) and unwrap(theta, n, K); the
    package's class answers to the same calls with the same results."""
    net = NeuralNetwork(hidden_layer_sizes=(4, 2), random_state=7)
    assert net.shapes(5, 3) == mlp.shapes(5, (4, 2), 3) == [(6, 4), (5, 2), (3, 3)]
    theta = net.init_theta(5, 3)
    # the lecture's: one uniform draw in [-ε, ε] from default_rng(seed), unrolled
    lecture = np.random.default_rng(7).uniform(-0.12, 0.12, 6 * 4 + 5 * 2 + 3 * 3)
    assert np.array_equal(theta, lecture)
    thetas = net.unwrap(theta, 5, 3)
    assert [T.shape for T in thetas] == net.shapes(5, 3)
    assert all(np.shares_memory(T, theta) for T in thetas)
    assert np.array_equal(net.unroll(thetas), theta)
    assert not hasattr(net, "reshape") and not hasattr(net, "layer_shapes")
    with pytest.raises(ValueError, match="theta has 3 values"):
        net.unwrap(np.zeros(3), 5, 3)


def test_float32_gives_the_float64_cost_and_gradient_to_single_precision():
    rng = np.random.default_rng(2)
    X, Y = random_problem(rng, m=50, n=20, K=4)
    net64, net32 = NeuralNetwork((6,)), NeuralNetwork((6,), dtype=np.float32)
    theta = net64.init_theta(20, 4, rng)
    assert np.isclose(net32.cost(theta, X, Y), net64.cost(theta, X, Y), rtol=1e-5)
    assert net32.gradient(theta, X, Y).dtype == np.float64  # what scipy.optimize expects
    assert relative_error(net32.gradient(theta, X, Y), net64.gradient(theta, X, Y)) < 1e-5


# --- training: one epoch and three full-batch steps against plain loops -----------------------

def plain_epoch(X, y, hidden, activation, alpha, learning_rate, momentum, batch_size, seed):
    """One epoch of mini-batch SGD with momentum written out with lecture 06's plain recipe
    (tests/test_mlp.plain_cost_and_gradient: bias columns, float64), drawing the same random
    numbers as NeuralNetwork: the initial θ, then the epoch's permutation."""
    K, m = len(np.unique(y)), len(X)
    Y = np.eye(K)[y]
    shapes = mlp.shapes(X.shape[1], hidden, K)
    rng = np.random.default_rng(seed)
    theta = mlp.init_theta(shapes, rng, "xavier")
    velocity = np.zeros_like(theta)
    order = rng.permutation(m)
    for start in range(0, m, batch_size):
        rows = order[start: start + batch_size]
        _, grad = plain_cost_and_gradient(mlp.unwrap(theta, shapes), X[rows], Y[rows], alpha,
                                          activation, "softmax", m=m)
        velocity = momentum * velocity - learning_rate * grad
        theta = theta + velocity
    return theta


@pytest.mark.parametrize("activation", sorted(ACTIVATIONS))
@pytest.mark.parametrize("dtype, m, batch_size", [
    (np.float64, 300, 64),   # mini-batches of 64 and a last one of 44
    (np.float32, 300, 64),
    (np.float64, 600, 280),  # batches over 256 rows
    (np.float32, 600, 280),
])
def test_one_sgd_epoch_matches_a_plain_loop(activation, dtype, m, batch_size):
    """Every batch's gradient carries the whole set's m in its penalty (the m override)."""
    rng = np.random.default_rng(11)
    X, y = rng.normal(size=(m, 8)), rng.integers(0, 3, m)
    kwargs = {"alpha": 5.0, "learning_rate": 0.05, "momentum": 0.9, "batch_size": batch_size}
    net = NeuralNetwork(hidden_layer_sizes=(5,), activation=activation, method="sgd",
                        output="softmax", init="xavier", max_iter=1, dtype=dtype,
                        random_state=3, **kwargs).fit(X, y)
    expected = plain_epoch(X, y, (5,), activation, seed=3, **kwargs)
    theta = NeuralNetwork.unroll(net.thetas_)
    assert relative_error(theta, expected) < (1e-12 if dtype == np.float64 else 1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_gd_is_three_steps_of_lecture_03s_gradient(dtype):
    """method="gd": θ ← θ − η ∂J/∂θ with lecture 03's own gradient, 3 epochs, full batch."""
    rng = np.random.default_rng(12)
    X, y = rng.random((400, 30)), np.arange(400) % 10
    net = NeuralNetwork(hidden_layer_sizes=(7,), alpha=1.5, method="gd", learning_rate=2.0,
                        max_iter=3, dtype=dtype, random_state=4).fit(X, y)
    theta = net.init_theta(30, 10)
    Y, costs = np.eye(10)[y], []
    for _ in range(3):
        costs.append(plain_recipe.cost(theta, X, Y, 1.5, h=7))
        theta = theta - 2.0 * plain_recipe.gradient(theta, X, Y, 1.5, h=7)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    assert relative_error(NeuralNetwork.unroll(net.thetas_), theta) < tol
    assert net.loss_curve_ == pytest.approx(costs, rel=tol) and net.n_iter_ == 3
    assert net.loss_ == pytest.approx(plain_recipe.cost(theta, X, Y, 1.5, h=7), rel=tol)


@pytest.fixture(scope="module")
def digits():
    return load_digits20()


def test_defaults_reach_99_percent_training_accuracy_on_the_20x20_digits(digits):
    """Every fifth digit (1,000, 100 per class): lecture 03 shows the same on all 5,000."""
    X, y = digits[0][::5], digits[1][::5]
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
    (lambda net, X, Y: net.unwrap(np.zeros(5), 3, 2), "theta has 5 values"),
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


def test_training_runs_with_one_blas_thread_and_restores_the_setting(monkeypatch):
    """Every BLAS library (NumPy's and SciPy's OpenBLAS) is limited to one thread during fit, not
    after, whatever the student's setting: here two threads (make and the tests pin one through
    the environment, so the limit is raised first, or fit's own limit would go unseen)."""
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads():
        return {lib["filepath"]: lib["num_threads"] for lib in threadpool_info()
                if lib["user_api"] == "blas"}

    during = []
    real = mlp.cost_and_gradient

    def spy(*args, **kwargs):
        during.append(blas_threads())
        return real(*args, **kwargs)

    monkeypatch.setattr(mlp, "cost_and_gradient", spy)
    X, y = random_problem(np.random.default_rng(0), m=20)
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        assert before and set(before.values()) == {2}, "BLAS would not take two threads"
        for method in ("sgd", "L-BFGS-B"):
            NeuralNetwork(hidden_layer_sizes=(3,), method=method, max_iter=2).fit(
                X, y.argmax(axis=1))
        assert blas_threads() == before
    assert during and all(set(threads.values()) == {1} for threads in during)
