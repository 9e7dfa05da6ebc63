"""NeuralNetwork: the course's multi-layer perceptron as a scikit-learn compatible classifier.

Derived in notebooks/06_neural_network_class.ipynb. The class checks its parameters and data,
chooses the optimizer and predicts; the math is in course_utils.mlp (forward pass, loss,
backpropagation) and course_utils.optim (gradient descent with momentum).
"""

import numpy as np
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from . import mlp
from ._validation import check_array, check_choice, check_number
from .activations import ACTIVATIONS
from .optim import minibatch_descent

METHODS = ("CG", "L-BFGS-B", "TNC", "gd", "sgd")

# Training runs thousands of small matrix products with Python in between, and BLAS threads
# that wait for each other at every product stall whenever another program (a browser, a
# second kernel) holds a core. Measured on 2 busy cores, 20 epochs of 784–64–10 SGD: 36 s with
# BLAS free to use both, 3.7 s with one thread. On idle cores two threads would win at most
# 1.8x on these products. threadpoolctl sets the limit for the fit only.
TRAINING_BLAS_THREADS = 1


class NeuralNetwork(ClassifierMixin, BaseEstimator):
    """A fully connected network trained by backpropagation.

    Parameters
    ----------
    hidden_layer_sizes : tuple of int, the units of each hidden layer; () is logistic regression.
    alpha : float >= 0, the L2 regularisation strength λ (bias rows are not regularised).
    method : "CG", "L-BFGS-B", "TNC" (scipy.optimize.minimize with the analytic gradient),
        "gd" (full-batch gradient descent) or "sgd" (mini-batch gradient descent with momentum).
    max_iter : int, optimizer iterations (function evaluations for "TNC"), or epochs for "gd"
        and "sgd".
    tol : float or None, passed to scipy.optimize.minimize; ignored by "gd" and "sgd".
    init : "uniform" (U(±init_epsilon), the lectures' choice), "xavier" or "he"
        (see course_utils.mlp.init_theta).
    init_epsilon : float > 0, the half-width of the "uniform" initialisation.
    activation : the hidden units' activation, a name from course_utils.ACTIVATIONS.
    output : "sigmoid" (K independent sigmoid units with binary cross-entropy, the lectures'
        network) or "softmax" (with multi-class cross-entropy).
    learning_rate, momentum, batch_size : for "gd" and "sgd" ("gd" uses no momentum).
    dtype : np.float64 or np.float32, the precision of the forward and backward passes.
    random_state : None or int seed for np.random.default_rng (initialisation, shuffling).

    Attributes
    ----------
    thetas_ : list of Θ matrices, Θˡ of shape (n_in + 1, n_out).
    classes_ : (K,) the class labels, in the order of the output units.
    n_features_in_, n_iter_, loss_ (the final training cost), loss_curve_ (cost per iteration).
    """

    def __init__(self, hidden_layer_sizes=(25,), alpha=1.0, method="CG", max_iter=400, tol=None,
                 init="uniform", init_epsilon=0.12, activation="sigmoid", output="sigmoid",
                 learning_rate=1.0, momentum=0.9, batch_size=128, dtype=np.float64,
                 random_state=None):
        self.hidden_layer_sizes = hidden_layer_sizes
        self.alpha = alpha
        self.method = method
        self.max_iter = max_iter
        self.tol = tol
        self.init = init
        self.init_epsilon = init_epsilon
        self.activation = activation
        self.output = output
        self.learning_rate = learning_rate
        self.momentum = momentum
        self.batch_size = batch_size
        self.dtype = dtype
        self.random_state = random_state

    def _check_params(self):
        """The hidden layer sizes as a tuple, after checking every parameter."""
        sizes = self.hidden_layer_sizes
        sizes = (sizes,) if isinstance(sizes, (int, np.integer)) else tuple(sizes)
        for size in sizes:
            check_number(size, "each hidden layer size", low=1, integer=True)
        check_number(self.alpha, "alpha", low=0)
        check_choice(self.method, "method", METHODS)
        check_number(self.max_iter, "max_iter", low=1, integer=True)
        if self.tol is not None:
            check_number(self.tol, "tol", low=0, low_open=True)
        check_choice(self.init, "init", mlp.INITS)
        check_number(self.init_epsilon, "init_epsilon", low=0, low_open=True)
        check_choice(self.activation, "activation", tuple(ACTIVATIONS))
        check_choice(self.output, "output", mlp.OUTPUTS)
        check_number(self.learning_rate, "learning_rate", low=0, low_open=True)
        check_number(self.momentum, "momentum", low=0, high=0.999)
        check_number(self.batch_size, "batch_size", low=1, integer=True)
        try:
            dtype_ok = np.dtype(self.dtype) in (np.float32, np.float64)
        except TypeError:  # not a dtype at all
            dtype_ok = False
        if not dtype_ok:
            raise ValueError(f"dtype must be np.float32 or np.float64, got {self.dtype!r}")
        return sizes

    # --- lecture 06's helpers, with its names, for the layers n → hidden layers → K --------

    def shapes(self, n, K):
        """[(n_in + 1, n_out), ...]: the shape of each Θˡ for n features and K outputs."""
        return mlp.shapes(n, self._check_params(), K)

    def init_theta(self, n, K, rng=None):
        """θ (float64) for n features and K outputs, by the chosen initialisation; rng defaults
        to np.random.default_rng(random_state)."""
        rng = np.random.default_rng(self.random_state) if rng is None else rng
        return mlp.init_theta(self.shapes(n, K), rng, self.init, self.init_epsilon)

    unroll = staticmethod(mlp.unroll)

    def unwrap(self, theta, n, K):
        """[Θ¹, Θ², ...]: views into θ for n features and K outputs (the inverse of unroll)."""
        shapes = self.shapes(n, K)
        theta = check_array(theta, "theta", ndim=1)
        needed = sum(rows * cols for rows, cols in shapes)
        if len(theta) != needed:
            raise ValueError(f"theta has {len(theta)} values; the layers {shapes} need {needed}")
        return mlp.unwrap(theta, shapes)

    def _math(self):
        return {"alpha": self.alpha, "activation": self.activation, "output": self.output}

    def _prepare(self, theta, X, Y):
        """θ, X, Y checked, and the layers' shapes: the inputs of cost and gradient."""
        self._check_params()
        X = check_array(X, "X", ndim=2).astype(self.dtype, copy=False)
        Y = check_array(Y, "Y", ndim=2).astype(self.dtype, copy=False)
        if len(X) != len(Y):
            raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
        theta = check_array(theta, "theta", ndim=1, kinds="f")
        self.unwrap(theta, X.shape[1], Y.shape[1])  # checks θ's length
        return theta, X, Y, self.shapes(X.shape[1], Y.shape[1])

    def cost(self, theta, X, Y):
        """J(θ) for examples X (m, n) and one-hot targets Y (m, K)."""
        return mlp.cost(*self._prepare(theta, X, Y), **self._math())

    def gradient(self, theta, X, Y):
        """∂J/∂θ (θ's length, float64) by backpropagation, for X (m, n) and one-hot Y (m, K)."""
        return mlp.gradient(*self._prepare(theta, X, Y), **self._math()).astype(np.float64)

    # --- training --------------------------------------------------------------------------

    def fit(self, X, y):
        """Train on examples X (m, n) and labels y (m,) of any kind (ints, strings ...)."""
        hidden = self._check_params()
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], ensure_min_samples=2)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"y has 1 class ({self.classes_[0]!r}); a classifier needs 2 or more")
        # Mini-batches gather rows, fastest from row-major X; the full-batch methods multiply
        # by all of X at once, fastest from column-major X, the one layout trick of the core
        # (mlp.forward's other product path). It pays with OpenBLAS's SkylakeX and Haswell
        # kernels both (benchmarks/fast_paths.py; tests/test_mlp.py checks both paths agree).
        X = (np.ascontiguousarray if self.method == "sgd" else np.asfortranarray)(X, self.dtype)
        Y = np.eye(len(self.classes_), dtype=self.dtype)[y_index]
        shapes = mlp.shapes(X.shape[1], hidden, Y.shape[1])
        rng = np.random.default_rng(self.random_state)  # θ first, then the shuffles
        theta = self.init_theta(X.shape[1], Y.shape[1], rng)
        with threadpool_limits(limits=TRAINING_BLAS_THREADS, user_api="blas"):
            if self.method in ("gd", "sgd"):
                theta, self.loss_curve_ = self._descend(theta.astype(self.dtype), X, Y, shapes,
                                                        rng)
                self.n_iter_ = self.max_iter
                self.loss_ = mlp.cost(theta, X, Y, shapes, **self._math())
            else:
                theta = self._minimize(theta, X, Y, shapes)
        self.thetas_ = [T.copy() for T in mlp.unwrap(theta.astype(np.float64), shapes)]
        return self

    def _descend(self, theta, X, Y, shapes, rng):
        """Full-batch gradient descent ("gd") or mini-batches with momentum ("sgd")."""
        m, math = len(X), self._math()

        def fun(theta, X_batch, Y_batch):  # the penalty is scaled by the whole set's m
            return mlp.cost_and_gradient(theta, X_batch, Y_batch, shapes, m=m, **math)

        sgd = self.method == "sgd"
        return minibatch_descent(fun, theta, X, Y, learning_rate=self.learning_rate,
                                 momentum=self.momentum if sgd else 0.0,
                                 batch_size=self.batch_size if sgd else m,
                                 epochs=self.max_iter, rng=rng)

    def _minimize(self, theta, X, Y, shapes):
        """θ from scipy.optimize.minimize, which works in float64 whatever self.dtype."""
        math = self._math()

        def fun(theta):
            J, grad = mlp.cost_and_gradient(theta, X, Y, shapes, **math)
            return J, grad.astype(np.float64)

        self.loss_curve_ = []

        def record(intermediate_result):  # this name makes scipy pass the cost along
            if isinstance(intermediate_result, np.ndarray):  # TNC passes θ alone
                J = mlp.cost(intermediate_result, X, Y, shapes, **math)
            else:
                J = intermediate_result.fun
            self.loss_curve_.append(float(J))

        limit = "maxfun" if self.method == "TNC" else "maxiter"  # TNC counts evaluations
        result = minimize(fun, theta, jac=True, method=self.method, tol=self.tol,
                          callback=record, options={limit: self.max_iter})
        self.n_iter_, self.loss_ = int(result.nit), float(result.fun)
        return result.x

    # --- prediction ------------------------------------------------------------------------

    def _forward(self, X, dtype):
        """forward() of the trained network on checked examples X, computed in dtype."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        thetas = [Theta.astype(dtype) for Theta in self.thetas_]
        return mlp.forward(thetas, X.astype(dtype), self.activation)

    def predict_proba(self, X):
        """(m, K) class probabilities, rows summing to 1.

        For output="softmax" these are the softmax outputs. For output="sigmoid" the K units are
        independent one-vs-rest probabilities; each row is divided by its sum.
        """
        # In the training precision, so that a float32 network predicts what it was trained on.
        Z = self._forward(X, self.dtype)[1][-1]
        P = mlp.output_probabilities(Z, self.output).astype(np.float64)
        if self.output == "sigmoid":
            P /= np.maximum(P.sum(axis=1, keepdims=True), np.finfo(np.float64).tiny)
        return P

    def predict(self, X):
        """(m,) the most probable class of each example, as one of classes_."""
        P = self.predict_proba(X)  # first: it checks that the network was fitted
        return self.classes_[np.argmax(P, axis=1)]

    def hidden_activations(self, X):
        """[A¹, ..., A^(L-1)]: each hidden layer's activations (m, units) for examples X."""
        return self._forward(X, np.float64)[0][1:]
