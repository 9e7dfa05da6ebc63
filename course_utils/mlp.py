"""The multi-layer perceptron as pure functions: parameters, forward pass, loss, backpropagation.

Derived in notebooks/03_shallow_network.ipynb (one hidden layer: forward pass, cost, gradient)
and notebooks/06_neural_network_class.ipynb (any number of layers: shapes, init_theta, unwrap,
forward, backprop, gradient). The conventions of the lectures:

* examples are rows: X is (m, n); Y is the one-hot (m, K) matrix of the labels;
* layer 0 is the input, A⁰ = X; Θˡ has shape (n_in + 1, n_out) with the bias in row 0, so
  Zˡ = A^(l-1) Θˡ[1:] + Θˡ[0] (the bias row is broadcast: no column of ones is copied onto A);
* the parameters are unrolled as Θ¹, Θ², ... each row-major, into one vector θ;
* J = the cross-entropy summed over the K outputs, averaged over the m examples, plus
  alpha / (2m) times the squared non-bias weights.

Every function returns new arrays and computes in the dtype of X (float32 or float64); none
checks its inputs, which the estimator in course_utils.network does once per fit.
"""

import numpy as np

from .activations import ACTIVATIONS, sigmoid

INITS = ("uniform", "xavier", "he")
OUTPUTS = ("sigmoid", "softmax")


# --- parameters -------------------------------------------------------------------------------

def shapes(n, hidden_layer_sizes, K):
    """[(n_in + 1, n_out), ...]: the shape of each Θˡ for the layers n → hidden sizes → K."""
    units = [n, *hidden_layer_sizes, K]
    return [(n_in + 1, n_out) for n_in, n_out in zip(units[:-1], units[1:])]


def init_theta(shapes, rng, init="uniform", epsilon=0.12):
    """Random θ (float64), unrolled Θ¹, Θ², ...

    "uniform": every entry in [-epsilon, epsilon] (lecture 03: equal weights never break
    symmetry); "xavier": weights uniform in ±sqrt(6 / (n_in + n_out)) (lecture 04); "he":
    weights N(0, 2 / n_in). Biases start at 0 for "xavier" and "he".
    """
    thetas = []
    for rows, cols in shapes:
        n_in, n_out = rows - 1, cols
        if init == "uniform":
            Theta = rng.uniform(-epsilon, epsilon, (rows, cols))
        else:
            Theta = np.zeros((rows, cols))
            if init == "xavier":
                limit = np.sqrt(6.0 / (n_in + n_out))
                Theta[1:] = rng.uniform(-limit, limit, (n_in, n_out))
            else:
                Theta[1:] = rng.normal(0.0, np.sqrt(2.0 / n_in), (n_in, n_out))
        thetas.append(Theta)
    return unroll(thetas)


def unroll(thetas):
    """θ: the matrices Θ¹, Θ², ... flattened row by row and concatenated."""
    return np.concatenate([np.ravel(Theta) for Theta in thetas])


def unwrap(theta, shapes):
    """[Θ¹, Θ², ...]: views into θ with the given shapes (the inverse of unroll)."""
    thetas, start = [], 0
    for rows, cols in shapes:
        thetas.append(theta[start: start + rows * cols].reshape(rows, cols))
        start += rows * cols
    return thetas


# --- forward ----------------------------------------------------------------------------------

def forward(thetas, X, activation="sigmoid"):
    """Every layer's input and pre-activation, for examples X (m, n).

    Returns (As, Zs): As = [A⁰ = X, A¹, ..., A^(L-1)], the inputs of the L layers, Aˡ of shape
    (m, units of layer l); Zs = [Z¹, ..., Z^L], Zˡ = A^(l-1) Θˡ[1:] + Θˡ[0] of shape
    (m, units of layer l). The hidden layers apply `activation`; Z^L, the output scores, is
    left to output_loss and output_probabilities.
    """
    g = ACTIVATIONS[activation][0]
    As, Zs = [X], []
    for Theta in thetas:
        A = As[-1]
        if A.flags.f_contiguous and not A.flags.c_contiguous:
            # A stored column by column (the full-batch fits store X so): the same product
            # computed examples-last, (Θ[1:]ᵀ Aᵀ)ᵀ, is what OpenBLAS runs fastest (measured on
            # 5,000 × 400 digits, 25 units, float64, one thread: 8 ms against 16 ms; 1.2x with
            # the Haswell kernel; benchmarks/fast_paths.py times it on both).
            Zs.append((Theta[1:].T @ A.T).T + Theta[0])
        else:
            Zs.append(A @ Theta[1:] + Theta[0])
        if len(Zs) < len(thetas):
            As.append(g(Zs[-1]))
    return As, Zs


def output_probabilities(Z, output="sigmoid"):
    """The output layer's values P (m, K) for scores Z (m, K): sigmoid or softmax of each row."""
    if output == "softmax":
        P = np.exp(Z - Z.max(axis=1, keepdims=True))  # the shift keeps exp from overflowing
        return P / P.sum(axis=1, keepdims=True)
    return sigmoid(Z)


def output_loss(Z, Y, output="sigmoid"):
    """(loss, dZ): the mean cross-entropy of the outputs for scores Z (m, K) and one-hot Y (m, K),
    and its gradient dZ = ∂loss/∂Z = (P - Y) / m (m, K), the same formula for both outputs.

    "sigmoid": K binary cross-entropies summed per example (lectures 03 and 06);
    "softmax": the multi-class cross-entropy (lecture 04). The loss is computed from the scores,
    never as log P, so log never sees 0 and no clipping is needed.
    """
    m = len(Z)
    if output == "softmax":
        shifted = Z - Z.max(axis=1, keepdims=True)
        exps = np.exp(shifted)
        sums = exps.sum(axis=1, keepdims=True)
        log_P = shifted - np.log(sums)
        loss = -np.sum(Y * log_P, dtype=np.float64) / m
        P = exps / sums
    else:
        # -[y log σ(z) + (1 - y) log(1 - σ(z))] = log(1 + e^z) - y z, and
        # log(1 + e^z) = max(z, 0) + log(1 + e^-|z|) never overflows.
        softplus = np.maximum(Z, 0) + np.log1p(np.exp(-np.abs(Z)))
        loss = np.sum(softplus - Y * Z, dtype=np.float64) / m
        P = sigmoid(Z)
    return float(loss), (P - Y) / m


# --- backward ---------------------------------------------------------------------------------

def backprop(thetas, As, Zs, dZ, activation="sigmoid"):
    """[dΘ¹, ..., dΘ^L]: the gradient of a loss with respect to each Θˡ (Θˡ's shape).

    As, Zs come from forward(thetas, X, activation); dZ = ∂loss/∂Z^L (m, K) from output_loss.
    For each layer, from the output back: dΘˡ[1:] = A^(l-1)ᵀ dZˡ, dΘˡ[0] = the column sums of
    dZˡ, and the error sent down is dZ^(l-1) = (dZˡ Θˡ[1:]ᵀ) ∘ g'(Z^(l-1)).
    """
    g_prime = ACTIVATIONS[activation][1]
    grads = [None] * len(thetas)
    for layer in range(len(thetas) - 1, -1, -1):
        grads[layer] = np.concatenate([dZ.sum(axis=0, keepdims=True), As[layer].T @ dZ])
        if layer > 0:
            if activation == "sigmoid":  # σ'(Z) = A(1 - A): lecture 06 reuses the forward pass
                slope = As[layer] * (1 - As[layer])
            else:
                slope = g_prime(Zs[layer - 1])
            dZ = (dZ @ thetas[layer][1:].T) * slope
    return grads


# --- cost and gradient of θ -------------------------------------------------------------------

def penalty(thetas, alpha, m):
    """alpha / (2m) times the squared weights of every Θˡ, bias rows Θˡ[0] excepted: a float."""
    return alpha / (2 * m) * sum(float(np.vdot(Theta[1:], Theta[1:])) for Theta in thetas)


def cost_and_gradient(theta, X, Y, shapes, alpha=0.0, activation="sigmoid", output="sigmoid",
                      m=None):
    """(J, ∂J/∂θ) for the unrolled θ, examples X (m_batch, n) and one-hot Y (m_batch, K).

    One forward pass feeds both. The arithmetic runs in X's dtype and so does the gradient
    (θ's length). m is the number of examples the penalty alpha / (2m) is scaled by: len(X),
    unless X is a mini-batch of a larger training set.
    """
    m = len(X) if m is None else m
    thetas = unwrap(np.asarray(theta, dtype=X.dtype), shapes)
    As, Zs = forward(thetas, X, activation)
    loss, dZ = output_loss(Zs[-1], Y, output)
    grads = backprop(thetas, As, Zs, dZ, activation)
    if alpha == 0:  # no penalty: skip its passes over θ (measured: ~10% of an SGD step)
        return loss, unroll(grads)
    for Theta, dTheta in zip(thetas, grads):
        dTheta[1:] += alpha / m * Theta[1:]  # the penalty's gradient; bias rows are free
    return loss + penalty(thetas, alpha, m), unroll(grads)


def cost(theta, X, Y, shapes, alpha=0.0, activation="sigmoid", output="sigmoid", m=None):
    """J(θ), a float: the regularised cross-entropy of cost_and_gradient, without the gradient."""
    m = len(X) if m is None else m
    thetas = unwrap(np.asarray(theta, dtype=X.dtype), shapes)
    loss = output_loss(forward(thetas, X, activation)[1][-1], Y, output)[0]
    return loss + penalty(thetas, alpha, m)


def gradient(theta, X, Y, shapes, alpha=0.0, activation="sigmoid", output="sigmoid", m=None):
    """∂J/∂θ, unrolled like θ (see cost_and_gradient)."""
    return cost_and_gradient(theta, X, Y, shapes, alpha, activation, output, m)[1]
