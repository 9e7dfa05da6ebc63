"""NeuralNetwork: the course's multi-layer perceptron, a scikit-learn compatible classifier.

Derived in notebooks/03_shallow_network.ipynb (forward pass, cost, backpropagation) and
notebooks/06_neural_network_class.ipynb (the class). Conventions of the lectures:

* examples are rows: X is (m, n); Y is the one-hot (m, K) matrix of the labels;
* Θˡ has shape (n_in + 1, n_out) with the bias in row 0, so Zˡ = A^(l-1) Θˡ[1:] + Θˡ[0];
* the parameters are unrolled as Θ¹, Θ², ... each row-major, into one vector θ;
* cost = cross-entropy summed over the K outputs, averaged over the m examples, plus
  alpha / (2m) times the squared non-bias weights.

Speed comes from the shapes, not from tricks hidden from the lecture: one forward pass feeds both
the cost and the backward pass, the bias is added by broadcasting instead of copying a column of
ones onto every layer's input, gradients are written straight into one preallocated vector, and
float32 halves the memory traffic of the matrix products.
"""

import numpy as np
from scipy.linalg import get_blas_funcs
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._validation import check_array, check_choice, check_number
from .activations import ACTIVATIONS, sigmoid

METHODS = ("CG", "L-BFGS-B", "TNC", "gd", "sgd")
OUTPUTS = ("sigmoid", "softmax")
INITS = ("uniform", "xavier", "he")


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
    init : "uniform" (U(-init_epsilon, init_epsilon), the lectures' choice), "xavier"
        (U(±sqrt(6 / (n_in + n_out)))) or "he" (N(0, 2 / n_in)); biases start at 0 for
        "xavier" and "he".
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

    # --- shapes and parameters ----------------------------------------------------------------

    def _check_params(self):
        sizes = self._hidden_sizes()
        for size in sizes:
            check_number(size, "each hidden layer size", low=1, integer=True)
        check_number(self.alpha, "alpha", low=0)
        check_choice(self.method, "method", METHODS)
        check_number(self.max_iter, "max_iter", low=1, integer=True)
        if self.tol is not None:
            check_number(self.tol, "tol", low=0, low_open=True)
        check_choice(self.init, "init", INITS)
        check_number(self.init_epsilon, "init_epsilon", low=0, low_open=True)
        check_choice(self.activation, "activation", tuple(ACTIVATIONS))
        check_choice(self.output, "output", OUTPUTS)
        check_number(self.learning_rate, "learning_rate", low=0, low_open=True)
        check_number(self.momentum, "momentum", low=0, high=0.999)
        check_number(self.batch_size, "batch_size", low=1, integer=True)
        try:
            dtype_ok = np.dtype(self.dtype) in (np.float32, np.float64)
        except TypeError:  # not a dtype at all, e.g. "float"-like typos
            dtype_ok = False
        if not dtype_ok:
            raise ValueError(f"dtype must be np.float32 or np.float64, got {self.dtype!r}")
        return sizes

    def _hidden_sizes(self):
        sizes = self.hidden_layer_sizes
        return (sizes,) if isinstance(sizes, (int, np.integer)) else tuple(sizes)

    def layer_shapes(self, n_features, n_outputs):
        """[(n_in + 1, n_out), ...]: the shape of each Θˡ for this architecture."""
        return _layer_shapes(n_features, self._check_params(), n_outputs)

    @staticmethod
    def unroll(thetas):
        """θ: the matrices Θ¹, Θ², ... flattened row-major and concatenated."""
        return np.concatenate([np.ravel(T) for T in thetas])

    @staticmethod
    def reshape(theta, shapes):
        """[Θ¹, Θ², ...]: views into θ with the given shapes (the inverse of unroll)."""
        sizes = [rows * cols for rows, cols in shapes]
        if len(theta) != sum(sizes):
            raise ValueError(f"theta has {len(theta)} values; the layers {shapes} need {sum(sizes)}")
        ends = np.cumsum(sizes)
        return [theta[end - size: end].reshape(shape)
                for end, size, shape in zip(ends, sizes, shapes)]

    def initial_theta(self, shapes, rng):
        """θ for the chosen initialisation, float64."""
        thetas = []
        for rows, cols in shapes:
            n_in, n_out = rows - 1, cols
            if self.init == "uniform":
                T = rng.uniform(-self.init_epsilon, self.init_epsilon, (rows, cols))
            else:
                T = np.zeros((rows, cols))
                if self.init == "xavier":
                    limit = np.sqrt(6.0 / (n_in + n_out))
                    T[1:] = rng.uniform(-limit, limit, (n_in, n_out))
                else:
                    T[1:] = rng.normal(0.0, np.sqrt(2.0 / n_in), (n_in, n_out))
            thetas.append(T)
        return self.unroll(thetas)

    # --- forward, cost, backward ----------------------------------------------------------------

    def _forward(self, thetas, X, XT=None):
        """The layers' inputs [A⁰ = X, A¹, ...], hidden pre-activations [Z¹, ...] and Z^L.

        Zˡ = A^(l-1) Θˡ[1:] + Θˡ[0]: the bias row is broadcast, never a column of ones copied
        onto A. XT, a C-ordered copy of X.T made once per fit, lets the first (largest) product
        be computed as (Θ¹[1:]ᵀ Xᵀ)ᵀ, which BLAS runs faster at these skinny shapes (measured).
        """
        g = ACTIVATIONS[self.activation][0]
        A, Z = [X], []
        for layer, T in enumerate(thetas):
            Z_l = (T[1:].T @ XT).T if layer == 0 and XT is not None else A[-1] @ T[1:]
            Z_l += T[0]
            if layer == len(thetas) - 1:
                return A, Z, Z_l
            Z.append(Z_l)
            A.append(g(Z_l))

    def _output(self, Z_out, Y=None):
        """The outputs P (m, K) and, given targets Y, their summed cross-entropy.

        The loss is computed from the scores Z, never as log P, so log never sees 0.
        """
        if self.output == "softmax":  # one exp serves both P and log P
            shifted = Z_out - Z_out.max(axis=1, keepdims=True)
            P = np.exp(shifted)
            S = P.sum(axis=1, keepdims=True)
            P /= S
            if Y is None:
                return P
            return P, -np.sum(Y * (shifted - np.log(S)), dtype=np.float64)
        P = sigmoid(Z_out)
        if Y is None:
            return P
        # log(1 + e^z) = max(z, 0) + log(1 + e^-|z|): the same as np.logaddexp(0, z), 4x faster
        softplus = np.maximum(Z_out, 0) + np.log1p(np.exp(-np.abs(Z_out)))
        return P, np.sum(softplus - Y * Z_out, dtype=np.float64)

    def _backprop(self, thetas, X, Y, dthetas=None, XT=None, m=None):
        """The cost J for the parameters [Θ¹, ...] and, when dthetas (views into a gradient vector)
        is given, ∂J/∂Θˡ written into them — all from one forward pass.

        XT is None or np.ascontiguousarray(X.T), for speed. m is the number of examples the
        regularisation is scaled by (len(X) unless X is a mini-batch of a larger training set).
        """
        m_batch = len(X)
        m = m_batch if m is None else m
        A, Z, Z_out = self._forward(thetas, X, XT)
        P, data_loss = self._output(Z_out, Y)
        J = data_loss / m_batch
        if self.alpha:
            J += self.alpha / (2 * m) * sum(float(np.vdot(T[1:], T[1:])) for T in thetas)
        if dthetas is None:
            return float(J)
        g_prime = ACTIVATIONS[self.activation][1]
        delta = P  # ∂J/∂Z^L = (P - Y) / m for both output types, made in P's place
        delta -= Y
        delta /= m_batch
        for layer in range(len(thetas) - 1, -1, -1):
            T, dT = thetas[layer], dthetas[layer]
            if layer == 0 and XT is not None and XT.dtype == np.float32:
                np.matmul(XT, delta, out=dT[1:])  # the fastest in float32, not float64 (measured)
            elif m_batch > 256:  # (δᵀA)ᵀ is up to 1.5x faster than Aᵀδ for long A (measured)
                dT[1:] = (delta.T @ A[layer]).T
            else:  # for mini-batches, Aᵀδ straight into the gradient vector is faster
                np.matmul(A[layer].T, delta, out=dT[1:])
            if self.alpha:
                dT[1:] += (self.alpha / m) * T[1:]
            delta.sum(axis=0, out=dT[0])
            if layer > 0:  # δ^(l-1) = (δˡ Θˡ[1:]ᵀ) ∘ g'(Z^(l-1))
                delta = delta @ T[1:].T
                if self.activation == "sigmoid":  # σ'(Z) = A(1 - A): reuse the forward pass
                    slope = 1 - A[layer]
                    slope *= A[layer]
                    delta *= slope
                else:
                    delta *= g_prime(Z[layer - 1])
        return float(J)

    def _cost_and_gradient(self, theta, X, Y, XT=None, with_gradient=True):
        """J(θ) and, with_gradient, ∂J/∂θ as float64 (θ's length): the function scipy minimizes."""
        # The parameters were checked by the caller: no validation in the optimizer's inner loop.
        shapes = _layer_shapes(X.shape[1], self._hidden_sizes(), Y.shape[1])
        thetas = self.reshape(np.asarray(theta, dtype=self.dtype), shapes)
        if not with_gradient:
            return self._backprop(thetas, X, Y, XT=XT)
        grad = np.empty(len(theta), dtype=self.dtype)
        J = self._backprop(thetas, X, Y, self.reshape(grad, shapes), XT)
        return J, grad.astype(np.float64)

    def _prepare(self, theta, X, Y):
        self._check_params()
        X = check_array(X, "X", ndim=2).astype(self.dtype, copy=False)
        Y = check_array(Y, "Y", ndim=2).astype(self.dtype, copy=False)
        if len(X) != len(Y):
            raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
        theta = check_array(theta, "theta", ndim=1, kinds="f")
        self.reshape(theta, self.layer_shapes(X.shape[1], Y.shape[1]))  # checks θ's length
        return theta, np.ascontiguousarray(X), Y

    def cost(self, theta, X, Y):
        """J(θ) for examples X (m, n) and one-hot targets Y (m, K)."""
        return self._cost_and_gradient(*self._prepare(theta, X, Y), with_gradient=False)

    def gradient(self, theta, X, Y):
        """∂J/∂θ (the length of θ) by backpropagation, for examples X (m, n) and one-hot Y (m, K)."""
        return self._cost_and_gradient(*self._prepare(theta, X, Y))[1]

    # --- training --------------------------------------------------------------------------------

    def fit(self, X, y):
        """Train on examples X (m, n) and labels y (m,) of any kind (ints, strings ...)."""
        self._check_params()
        X, y = validate_data(self, X, y, dtype=[np.float64, np.float32], ensure_min_samples=2)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(f"y has 1 class ({self.classes_[0]!r}); a classifier needs 2 or more")
        X = np.ascontiguousarray(X, dtype=self.dtype)
        Y = np.eye(len(self.classes_), dtype=self.dtype)[y_index]
        XT = np.ascontiguousarray(X.T) if self.method != "sgd" else None
        shapes = self.layer_shapes(X.shape[1], Y.shape[1])
        rng = np.random.default_rng(self.random_state)
        theta = self.initial_theta(shapes, rng)
        self.loss_curve_ = []
        if self.method in ("gd", "sgd"):
            theta = self._descend(theta, X, Y, XT, rng)
            self.n_iter_ = self.max_iter
            self.loss_ = self._cost_and_gradient(theta, X, Y, XT, with_gradient=False)
        else:

            def record(intermediate_result):  # this name makes scipy pass the cost along
                if isinstance(intermediate_result, np.ndarray):  # TNC passes θ alone
                    J = self._cost_and_gradient(intermediate_result, X, Y, XT, with_gradient=False)
                else:
                    J = intermediate_result.fun
                self.loss_curve_.append(float(J))

            limit = "maxfun" if self.method == "TNC" else "maxiter"  # TNC counts evaluations
            result = minimize(self._cost_and_gradient, theta, args=(X, Y, XT), jac=True,
                              method=self.method, tol=self.tol, callback=record,
                              options={limit: self.max_iter})
            theta, self.n_iter_, self.loss_ = result.x, int(result.nit), float(result.fun)
        self.thetas_ = [T.copy() for T in self.reshape(np.asarray(theta, np.float64), shapes)]
        return self

    def _descend(self, theta, X, Y, XT, rng):
        """Gradient descent: full batch ("gd") or shuffled mini-batches with momentum ("sgd")."""
        m = len(X)
        theta = theta.astype(self.dtype)  # the parameters live in the working precision
        grad, velocity = np.empty_like(theta), np.zeros_like(theta)
        # BLAS's scal and axpy update the vectors in place, in half the time of NumPy's
        # four passes (measured): v ← μv, v ← v − η∇J, θ ← θ + v.
        scal, axpy = get_blas_funcs(("scal", "axpy"), (theta,))
        # Views made once: updating θ in place updates every Θˡ, and the gradient is written
        # straight into `grad`.
        shapes = _layer_shapes(X.shape[1], self._hidden_sizes(), Y.shape[1])
        thetas, dthetas = self.reshape(theta, shapes), self.reshape(grad, shapes)
        batch = m if self.method == "gd" else min(self.batch_size, m)
        momentum = 0.0 if self.method == "gd" else self.momentum
        for _ in range(self.max_iter):
            order = np.arange(m) if self.method == "gd" else rng.permutation(m)
            epoch_cost = 0.0  # the mean of the mini-batch costs met during the epoch
            for start in range(0, m, batch):
                rows = order[start: start + batch]
                if batch == m:
                    J = self._backprop(thetas, X, Y, dthetas, XT)
                else:
                    J = self._backprop(thetas, X[rows], Y[rows], dthetas, m=m)
                scal(momentum, velocity)
                axpy(grad, velocity, a=-self.learning_rate)
                axpy(velocity, theta)
                epoch_cost += J * len(rows) / m
            self.loss_curve_.append(epoch_cost)
        return theta

    # --- prediction ----------------------------------------------------------------------------

    def predict_proba(self, X):
        """(m, K) class probabilities, rows summing to 1.

        For output="softmax" these are the softmax outputs. For output="sigmoid" the K units are
        independent one-vs-rest probabilities; each row is divided by its sum.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        thetas = [T.astype(self.dtype) for T in self.thetas_]
        P = self._output(self._forward(thetas, X.astype(self.dtype))[2]).astype(np.float64)
        if self.output == "sigmoid":
            P /= np.maximum(P.sum(axis=1, keepdims=True), np.finfo(np.float64).tiny)
        return P

    def predict(self, X):
        """(m,) the most probable class of each example, as one of classes_."""
        P = self.predict_proba(X)
        return self.classes_[np.argmax(P, axis=1)]

    def hidden_activations(self, X):
        """[A¹, ..., A^(L-1)]: each hidden layer's activations (m, units) for examples X."""
        check_is_fitted(self)
        X = validate_data(self, X, dtype=[np.float64, np.float32], reset=False)
        return self._forward(self.thetas_, X.astype(np.float64))[0][1:]


def _layer_shapes(n_features, hidden_layer_sizes, n_outputs):
    units = [n_features, *hidden_layer_sizes, n_outputs]
    return [(n_in + 1, n_out) for n_in, n_out in zip(units[:-1], units[1:])]
