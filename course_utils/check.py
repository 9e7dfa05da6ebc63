"""Offline checks for the lectures' "write it yourself" exercises: `cu.check.NAME(fn)`.

Each check runs the student's function on a few small cases with fixed seeds, compares the
answer with a reference written here from the lecture's formulas, and prints a plain-words
report: "✓ NAME: all N cases pass", or for a failure what differs, the expected shape and a
likely cause. Classic mistakes (σ′ left out, the bias regularised, λ missing, no max shift in the
softmax, rows and columns swapped, not divided by m, ...) are recognised by comparing the
student's answer with the answers of deliberately wrong versions of the reference.

A check never raises for a wrong or unfinished function, needs no network, and returns a
`CheckResult` that is true when every case passes. The printed text has no digits that depend on
the machine, so notebooks can compare it.
"""

import copy
import itertools
import traceback
import warnings
from pathlib import Path

import numpy as np

_NUMPY_DIR = str(Path(np.__file__).parent)

__all__ = [
    "CheckResult",
    "backprop_loop",
    "hidden_layer",
    "log_softmax_loss",
    "logistic_gradients",
    "rbf_bias_gradient",
    "rbf_gradient",
    "regularised_cost",
    "relu_backprop",
    "saliency",
    "softmax",
    "unwrap",
    "weights_image",
]


# --- the runner --------------------------------------------------------------------------------

class CheckResult:
    """The outcome of one check: true when every case passed; `report` is the printed text."""

    def __init__(self, name, passed, report):
        self.name, self.passed, self.report = name, passed, report

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return f"CheckResult({self.name!r}, passed={self.passed})"

    def _ipython_display_(self):
        """Show nothing more in a notebook: the report has been printed already."""


def _quiet(fn, args):
    """fn(*args) on copies of args, with NumPy's floating-point warnings silenced."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn(*copy.deepcopy(args))


def _shape_words(want):
    """What an answer should look like, e.g. 'an array of shape (3, 4)' or 'one number'."""
    if isinstance(want, list):
        shapes = ", ".join(str(np.shape(w)) for w in want)
        return f"a list of {len(want)} arrays, of shapes {shapes}"
    if isinstance(want, tuple):
        return "a tuple (" + ", ".join(_shape_words(w) for w in want) + ")"
    if np.ndim(want) == 0:
        return "one number"
    return f"an array of shape {np.shape(want)}"


def _difference(got, want, name, nan_ok=False):
    """None when got matches want (to rounding); otherwise a sentence saying what differs.

    nan_ok: NaN and infinities match where want has them too (for deliberately wrong answers).
    """
    if got is None:
        return f"your function returned None: is a `return` missing? Expected {_shape_words(want)}"
    if isinstance(want, (tuple, list)):
        if isinstance(got, np.ndarray) or not isinstance(got, (tuple, list)):
            return f"expected {_shape_words(want)}, got {type(got).__name__}"
        if len(got) != len(want):
            return f"expected {len(want)} results, got {len(got)}"
        names = name if isinstance(name, tuple) else [f"{name}[{i}]" for i in range(len(want))]
        for g, w, n in zip(got, want, names):
            problem = _difference(g, w, n, nan_ok)
            if problem:
                return problem
        return None
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return f"{name} is not made of numbers (got {type(got).__name__})"
    want = np.asarray(want, dtype=np.float64)
    if want.ndim == 0:
        if got.size != 1:
            return f"{name} should be one number, but has shape {got.shape}"
        got = got.reshape(())
    elif got.shape != want.shape:
        if got.shape == want.shape[::-1] and _close(got.T, want):
            return (f"{name} has its rows and columns swapped: shape {got.shape}, "
                    f"expected {want.shape} (it is the transpose of the right answer)")
        return f"{name} has shape {got.shape}, expected {want.shape}"
    if nan_ok:
        finite = want[np.isfinite(want)]
        same = np.isclose(got, want, rtol=1e-4, atol=_atol(finite), equal_nan=True)
        return None if same.all() else "differs"
    if not np.all(np.isfinite(got)):
        what = "NaN (not a number)" if np.isnan(got).any() else "infinity"
        return f"{name} contains {what}"
    if not _close(got, want):
        if want.ndim == 0:
            return f"{name} is {got.item():.6g}, expected {want.item():.6g}"
        wrong = ~np.isclose(got, want, rtol=1e-4, atol=_atol(want))
        index = tuple(int(i) for i in np.argwhere(wrong)[0])
        return (f"{int(wrong.sum())} of {want.size} entries of {name} differ; e.g. entry "
                f"{index if len(index) > 1 else index[0]} is {got[index]:.6g}, "
                f"expected {want[index]:.6g}")
    return None


def _atol(want):
    return 1e-7 + 1e-5 * float(np.max(np.abs(want), initial=0.0))


def _close(got, want):
    return bool(np.allclose(got, want, rtol=1e-4, atol=_atol(want)))


def _where(error):
    """'in `fn`, line 3: `code`' for the innermost frame of the student's code."""
    frames = [f for f in traceback.extract_tb(error.__traceback__)
              if f.filename != __file__ and not f.filename.startswith(_NUMPY_DIR)]
    if not frames:
        return ""
    frame = frames[-1]
    code = f": `{frame.line.strip()}`" if frame.line else ""
    return f" in `{frame.name}`, line {frame.lineno}{code}"


def _run(name, fn, cases, reference, outputs, mistakes=(), hint="", on_error=None):
    """Run fn on every case, compare with reference, print the report, return a CheckResult.

    cases: [(words, args)]; outputs: the answer's name, or a tuple of names for a tuple answer;
    mistakes: [(wrong_function, hint)], tried in order when an answer differs; hint: what to
    say when no classic mistake matches; on_error(error) -> a hint for an exception, or None.
    """
    failure = None
    if not callable(fn):
        failure = [(f"✗ {name}: expected a function, got {type(fn).__name__}; pass the function "
                   "itself, without calling it (no parentheses).")]
    for number, (words, args) in enumerate(cases, 1):
        if failure:
            break
        head = f"✗ {name}: case {number} of {len(cases)} ({words}) fails."
        want = _quiet(reference, args)
        try:
            got = _quiet(fn, args)
        except NotImplementedError:
            failure = [(f"✗ {name}: not written yet: replace the `raise NotImplementedError(...)` "
                       "line with your code.")]
            break
        except Exception as error:  # noqa: BLE001 (a bug in the student's code is reported)
            failure = [head, f"  Your function raised {type(error).__name__}{_where(error)}: "
                             f"{error}".rstrip(": ")]
            advice = on_error(error) if on_error else None
            failure.append(f"  Expected: {_shape_words(want)}.")
            if advice:
                failure.append(f"  Likely cause: {advice}")
            break
        problem = _difference(got, want, outputs)
        if problem:
            failure = [head, f"  What differs: {problem}.", f"  Expected: {_shape_words(want)}."]
            for wrong, advice in mistakes:
                if _matches(got, wrong, args, outputs):
                    failure.append(f"  Likely cause: {advice}")
                    break
            else:
                if hint:
                    failure.append(f"  Hint: {hint}")
    if failure:
        report = "\n".join(failure)
    else:
        report = (f"✓ {name}: all {len(cases)} cases pass "
                  f"({'; '.join(words for words, _ in cases)}).")
    print(report)
    return CheckResult(name, failure is None, report)


def _symptom(test):
    """Mark test(got, *args) -> bool as a mistake recognised by a symptom, not by its answer."""
    test.is_symptom = True
    return test


def _matches(got, wrong, args, outputs):
    """Whether got is what the deliberately wrong function gives (False if that one fails), or
    shows the symptom that wrong tests for."""
    try:
        if getattr(wrong, "is_symptom", False):
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                return bool(wrong(got, *args))
        return _difference(got, _quiet(wrong, args), outputs, nan_ok=True) is None
    except (ValueError, TypeError, IndexError, ZeroDivisionError, FloatingPointError):
        return False


def _matmul_hint(error):
    if isinstance(error, ValueError) and ("matmul" in str(error) or "align" in str(error)):
        return ("two shapes do not fit a matrix product: write each array's shape next to it "
                "and check which one needs a transpose (.T) or a bias column.")
    return None


# --- shared formulas of the lectures --------------------------------------------------------------

def _sigmoid(z):
    e = np.exp(-np.abs(np.asarray(z, dtype=np.float64)))
    return np.where(np.asarray(z) >= 0, 1 / (1 + e), e / (1 + e))


def _bias(A):
    return np.hstack([np.ones((len(A), 1)), A])


def _rng(seed):
    return np.random.default_rng(seed)


# --- 01: a single neuron --------------------------------------------------------------------------

def weights_image(fn):
    """Lecture 01: fn(w) turns the 784 weights into a 28×28 image, row by row (image[i, j] is
    pixel row i, column j)."""
    cases = [("w = 0, 1, …, 783", (np.arange(784.0),)),
             ("random weights", (_rng(1).normal(size=784),))]
    mistakes = [
        (lambda w: w.reshape(28, 28, order="F"),
         ("the image is transposed (order='F' or a .T): pixels were stored row by row, so "
         "w.reshape(28, 28) puts pixel row i, column j at image[i, j].")),
        (lambda w: (w.reshape(28, 28) - w.min()) / (w.max() - w.min()),
         ("the values were rescaled: return the weights themselves and let imshow's colour "
         "scale (vmin, vmax) do the display.")),
    ]
    return _run("weights_image", fn, cases, lambda w: w.reshape(28, 28), "image", mistakes,
                "each row of the image is 28 consecutive weights: w[28 * i + j] is image[i, j].")


def _logistic_parts(X, y, w, b):
    p = _sigmoid(X @ w + b)
    return p, p - y


def logistic_gradients(fn):
    """Lecture 01: fn(X, y, w, b) -> (dw (n,), db), the gradient of the mean binary
    cross-entropy of σ(Xw + b) against y."""
    r = _rng(11)
    cases = [("5 examples of 3 features", (r.normal(size=(5, 3)), np.array([0, 1, 1, 0, 1.0]),
                                           r.normal(size=3), 0.3)),
             ("3 examples of 3 features", (r.normal(size=(3, 3)), np.array([1, 0, 1.0]),
                                           r.normal(size=3), -0.5)),
             ("8 examples of 2 features", (r.normal(size=(8, 2)), r.integers(0, 2, 8) * 1.0,
                                           np.array([2.0, -1.0]), 1.0))]

    def reference(X, y, w, b):
        _p, e = _logistic_parts(X, y, w, b)
        return X.T @ e / len(y), float(e.mean())

    def sigma_prime(X, y, w, b):
        p, e = _logistic_parts(X, y, w, b)
        e = e * p * (1 - p)
        return X.T @ e / len(y), float(e.mean())

    def summed(X, y, w, b):
        e = _logistic_parts(X, y, w, b)[1]
        return X.T @ e, float(e.sum())

    def flipped(X, y, w, b):
        dw, db = reference(X, y, w, b)
        return -dw, -db

    def untransposed(X, y, w, b):
        e = _logistic_parts(X, y, w, b)[1]
        return X @ e / len(y), float(e.mean())

    mistakes = [
        (sigma_prime, ("σ′(z) = ŷ(1 − ŷ) is multiplied in: that is the squared-error gradient. "
                      "With cross-entropy it cancels, and the error is simply ŷ − y.")),
        (summed, "not divided by m: the loss is the MEAN over the examples, so divide by len(y)."),
        (flipped, "the sign is flipped: the error is ŷ − y (prediction minus label)."),
        (untransposed, "X instead of X.T: dw[j] = Σᵢ xᵢⱼ (ŷᵢ − yᵢ) / m is X.T @ (ŷ − y) / m."),
    ]
    return _run("logistic_gradients", fn, cases, reference, ("dw", "db"), mistakes,
                "dw = X.T @ (ŷ − y) / m and db = mean(ŷ − y), with ŷ = σ(X @ w + b).",
                _matmul_hint)


# --- 02: a hidden layer, the RBF toy ----------------------------------------------------------------

def _rbf_cases(with_bias):
    r = _rng(2)
    x = np.concatenate([r.normal(0, 0.5, 4), r.normal(-2, 0.5, 2), r.normal(2, 0.5, 2)])
    t = np.array([1, 1, 1, 1, 0, 0, 0, 0.0])
    cases = [("8 points at w_h = 2, w_o = −5", (x, t, 2.0, -5.0)),
             ("8 points at w_h = −0.7, w_o = 3", (x, t, -0.7, 3.0)),
             ("3 points at w_h = 1.3, w_o = 4", (np.array([-1.0, 0.2, 1.5]),
                                                 np.array([0, 1, 0.0]), 1.3, 4.0))]
    if with_bias:
        cases = [(f"{words}, b_o = {b_o:g}".replace("-", "−"), (*args, b_o))
                 for (words, args), b_o in zip(cases, (-1.0, 0.5, 0.5), strict=True)]
    return cases


def _rbf_grads(x, t, w_h, w_o, b_o=-1.0, slope="right", x_factor=True, scale=1.0):
    """(dξ/dw_h, dξ/dw_o, dξ/db_o) for y = σ(φ(x·w_h)·w_o + b_o), ξ the summed cross-entropy."""
    z_h = x * w_h
    h = np.exp(-z_h ** 2)
    delta_o = _sigmoid(h * w_o + b_o) - t
    phi_prime = {"right": -2 * z_h * h, "phi": h, "none": 1.0}[slope]
    delta_h = delta_o * w_o * phi_prime
    dw_h = np.sum((x if x_factor else 1.0) * delta_h)
    return scale * float(dw_h), scale * float(np.sum(h * delta_o)), scale * float(delta_o.sum())


_RBF_MISTAKES = [
    ({"slope": "phi"}, "φ′ is missing its −2z factor: φ′(z) = −2z·φ(z), not φ(z)."),
    ({"slope": "none"}, ("φ′ is left out of δ_h: the chain rule passes through the hidden unit, "
                        "δ_h = δ_o · w_o · φ′(z_h) with φ′(z) = −2z·e^(−z²).")),
    ({"x_factor": False}, "the x factor is missing: z_h = x·w_h, so ∂ξ/∂w_h = Σ x·δ_h."),
    ({"scale": -1.0}, "the sign is flipped: δ_o = y − t (prediction minus target)."),
]


def rbf_gradient(fn):
    """Lecture 02: fn(x, t, w_h, w_o) -> (dξ/dw_h, dξ/dw_o) for y = σ(φ(x·w_h)·w_o − 1),
    φ(z) = exp(−z²), ξ the cross-entropy summed over the samples."""
    def variant(**kw):
        return lambda x, t, w_h, w_o: _rbf_grads(x, t, w_h, w_o, **kw)[:2]

    mistakes = [(variant(**kw), advice) for kw, advice in _RBF_MISTAKES]
    mistakes.append((lambda x, t, w_h, w_o: tuple(g / len(x) for g in variant()(x, t, w_h, w_o)),
                     "divided by the number of samples: this lecture's ξ is the SUM over samples."))
    return _run("rbf_gradient", fn, _rbf_cases(False), variant(), ("dξ/dw_h", "dξ/dw_o"),
                mistakes, "δ_o = y − t, ∂ξ/∂w_o = Σ h·δ_o, δ_h = δ_o·w_o·φ′(z_h), "
                          "∂ξ/∂w_h = Σ x·δ_h.")


def rbf_bias_gradient(fn):
    """Lecture 02: fn(x, t, w_h, w_o, b_o) -> (dξ/dw_h, dξ/dw_o, dξ/db_o) for
    y = σ(φ(x·w_h)·w_o + b_o), ξ the cross-entropy summed over the samples."""
    def variant(**kw):
        return lambda x, t, w_h, w_o, b_o: _rbf_grads(x, t, w_h, w_o, b_o, **kw)

    def bias_sign(*args):
        dw_h, dw_o, db_o = variant()(*args)
        return dw_h, dw_o, -db_o

    def bias_mean(*args):
        dw_h, dw_o, db_o = variant()(*args)
        return dw_h, dw_o, db_o / len(args[0])

    mistakes = [(bias_sign, "the bias gradient has the wrong sign: ∂ξ/∂b_o = Σ (y − t).")]
    mistakes += [(variant(**kw), advice) for kw, advice in _RBF_MISTAKES]
    mistakes.append((bias_mean, "∂ξ/∂b_o is averaged: ξ is the SUM over samples, so is Σ δ_o."))
    return _run("rbf_bias_gradient", fn, _rbf_cases(True), variant(),
                ("dξ/dw_h", "dξ/dw_o", "dξ/db_o"), mistakes,
                "∂ξ/∂b_o = Σ δ_o: the bias's input is always 1, so its gradient is the output "
                "error summed over the samples (one number).")


# --- 03: the 400–25–10 network, small ---------------------------------------------------------------

def _net_cases():
    """(θ, X, Y, λ, h) for small versions of lecture 03's network, θ = Θ¹ then Θ² row by row."""
    cases = []
    for seed, (m, n, h, K), lam in [(31, (5, 3, 4, 3), 1.5), (32, (4, 2, 3, 2), 0.7),
                                    (33, (6, 4, 2, 3), 0.0)]:
        r = _rng(seed)
        theta = r.normal(size=(n + 1) * h + (h + 1) * K)
        Y = np.eye(K)[r.integers(0, K, m)]
        cases.append((f"{m} examples, {n}–{h}–{K}, λ = {lam}",
                      (theta, r.normal(size=(m, n)), Y, lam, h)))
    return cases


def _net_unwrap(theta, n, h, K, order="C"):
    split = (n + 1) * h
    return (theta[:split].reshape(n + 1, h, order=order),
            theta[split:].reshape(h + 1, K, order=order))


def _net_cost(theta, X, Y, lam, h, reg_rows=1, reg=1.0, mean=True, order="C"):
    m, n = X.shape
    T1, T2 = _net_unwrap(theta, n, h, Y.shape[1], order)
    z = _bias(_sigmoid(_bias(X) @ T1)) @ T2
    J = np.sum(np.logaddexp(0, z) - Y * z)  # the summed cross-entropy of σ(z), computed from z
    penalty = reg * lam / 2 * (np.sum(T1[reg_rows:] ** 2) + np.sum(T2[reg_rows:] ** 2))
    return float((J + penalty) / m) if mean else float(J + penalty)


def regularised_cost(fn):
    """Lecture 03: fn(theta, X, Y, lam, h) -> J, the mean summed cross-entropy of the network
    plus λ/(2m) times the squared non-bias weights."""
    mistakes = [
        (lambda *a: _net_cost(*a, reg=0.0), ("λ is missing: add λ/(2m) times the sum of the "
                                            "squared weights, bias rows excepted.")),
        (lambda *a: _net_cost(*a, reg_rows=0), ("the bias is regularised: skip row 0 of each Θ "
                                               "(Theta[1:] ** 2), only weights are penalised.")),
        (lambda *a: _net_cost(*a, mean=False), ("not averaged over m: divide the whole cost, "
                                               "cross-entropy and penalty, by m.")),
        (lambda *a: _net_cost(*a, mean=False, reg=1 / len(a[1])), ("not averaged over m: the "
         "cross-entropy is summed over the examples; divide it by m too.")),
        (lambda *a: _net_cost(*a, reg=2.0), "the penalty is λ/m · Σθ²: it is λ/(2m) · Σθ²."),
        (lambda *a: _net_cost(*a, order="F"), ("θ unrolled column by column: Θ¹ is the first "
                                              "(n+1)·h entries, reshaped row by row.")),
    ]
    return _run("regularised_cost", fn, _net_cases(), _net_cost, "J", mistakes,
                "J = −Σ [Y log H + (1 − Y) log(1 − H)] / m + λ/(2m) (ΣΘ¹[1:]² + ΣΘ²[1:]²).",
                _matmul_hint)


def _net_gradient(theta, X, Y, lam, h, slope=True, reg_rows=1, reg=1.0, mean=True, last=False):
    if last:
        X, Y = X[-1:], Y[-1:]
    m, n = X.shape
    T1, T2 = _net_unwrap(theta, n, h, Y.shape[1])
    A1 = _bias(X)
    S = _sigmoid(A1 @ T1)
    A2 = _bias(S)
    D3 = _sigmoid(A2 @ T2) - Y
    D2 = (D3 @ T2[1:].T) * (S * (1 - S) if slope else 1.0)
    G1, G2 = A1.T @ D2, A2.T @ D3
    G1[reg_rows:] += reg * lam * T1[reg_rows:]
    G2[reg_rows:] += reg * lam * T2[reg_rows:]
    return np.concatenate([G1.ravel(), G2.ravel()]) / (m if mean else 1)


def backprop_loop(fn):
    """Lecture 03: fn(theta, X, Y, lam, h) -> ∂J/∂θ unrolled like θ, from a loop over the
    examples."""
    mistakes = [
        (lambda *a: _net_gradient(*a, slope=False), ("σ′ is left out: the error passed back "
         "through the hidden layer is multiplied by σ′(z) = a(1 − a) of the hidden units.")),
        (lambda *a: _net_gradient(*a, reg_rows=0), ("the bias is regularised: add λ/m · Θ to "
         "rows 1 onwards only (row 0 holds the biases).")),
        (lambda *a: _net_gradient(*a, reg=0.0), ("λ is missing: add λ/m · Θ to the non-bias "
         "rows of each gradient.")),
        (lambda *a: _net_gradient(*a, mean=False), ("not divided by m: average the accumulated "
         "gradients (and λ·Θ) over the m examples.")),
        (lambda *a: _net_gradient(*a, mean=False, reg=1 / len(a[1])), ("not divided by m: the "
         "accumulated gradients are summed over the examples; divide them by m too.")),
        (lambda *a: _net_gradient(*a, reg=2.0), ("the penalty's gradient is λ/m · Θ (the 2 of Θ² "
         "cancels the ½), not 2λ/m · Θ.")),
        (lambda *a: _net_gradient(*a, last=True), ("only the last example counts: accumulate "
         "(+=) each example's contribution instead of overwriting it.")),
    ]
    return _run("backprop_loop", fn, _net_cases(), _net_gradient, "∂J/∂θ", mistakes,
                "for each example: δ⁽²⁾ = h − y, δ⁽¹⁾ = (Θ⁽²⁾[1:] δ⁽²⁾) ⊙ σ′(z⁽¹⁾), "
                "∂Θ⁽¹⁾ += [1, x]ᵀδ⁽¹⁾, ∂Θ⁽²⁾ += [1, a⁽¹⁾]ᵀδ⁽²⁾; then divide by m and add "
                "λ/m · Θ to the non-bias rows.",
                _matmul_hint)


# --- 04: softmax --------------------------------------------------------------------------------

def _softmax(Z, shift="row", axis=1):
    Z = np.asarray(Z, dtype=np.float64)
    if shift == "row":
        Z = Z - Z.max(axis=axis, keepdims=True)
    elif shift == "all":
        Z = Z - Z.max()
    E = np.exp(Z)
    return E / E.sum(axis=axis, keepdims=True)


def _softmax_cases():
    r = _rng(4)
    return [("a 3×4 batch of scores", (r.normal(size=(3, 4)),)),
            ("one row", (np.array([[1.0, 2.0, 3.0]]),)),
            ("scores near +1000 and −1000", (np.array([[1000.0, 1001.0, 1002.0],
                                                       [-1000.0, -1002.0, -1001.0]]),)),
            ("equal scores", (np.zeros((2, 5)),))]


def softmax(fn):
    """Lecture 04: fn(Z) -> P, the row-wise softmax of the scores Z (m, K)."""
    mistakes = [
        (lambda Z: _softmax(Z, shift=None),
         ("no max shift: e^1000 overflows to infinity and ∞/∞ is NaN. Subtract each row's "
         "maximum first (Z - Z.max(axis=1, keepdims=True)): the result is the same.")),
        (lambda Z: _softmax(Z, shift="all"),
         ("the shift uses the largest score of the whole batch: subtract each ROW's maximum "
         "(axis=1, keepdims=True), or rows with low scores underflow to 0/0.")),
        (_symptom(lambda P, Z: np.shape(P) == Z.shape and len(Z) > 1
                  and np.allclose(np.sum(P, axis=0), 1) and not np.allclose(np.sum(P, axis=1), 1)),
         ("normalised over the wrong axis: each ROW (one example) must sum to 1, so use "
         "axis=1 with keepdims=True.")),
        (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)) / np.exp(Z).sum(),
         "normalised over the whole batch: divide by each row's own sum (axis=1)."),
    ]
    return _run("softmax", fn, _softmax_cases(), _softmax, "P", mistakes,
                "P[i, k] = exp(Z[i, k] − max_j Z[i, j]) / Σ_j exp(Z[i, j] − max_j Z[i, j]).")


def _loss_cases():
    r = _rng(44)
    Z = r.normal(size=(4, 3))
    return [("4 examples, 3 classes", (Z, np.eye(3)[[0, 2, 1, 2]])),
            ("one example", (np.array([[0.5, -1.0, 2.0, 0.0]]), np.eye(4)[[1]])),
            ("scores near 1000, a wrong class far ahead", (np.array([[1000.0, 0.0, -5.0],
                                                                     [2.0, 1000.0, 999.0]]),
                                                           np.eye(3)[[1, 2]]))]


def _loss(Z, Y, how="log", dz_mean=True, sign=1.0, loss_mean=True):
    Z = np.asarray(Z, dtype=np.float64)
    if how == "log":
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    else:  # the probabilities first, then their log
        log_p = np.log(_softmax(Z, shift=None if how == "naive" else "row"))
    losses = -np.sum(Y * log_p, axis=1)
    dZ = sign * (np.exp(log_p) - Y) / (len(Z) if dz_mean else 1)
    return float(losses.mean() if loss_mean else losses.sum()), dZ


def log_softmax_loss(fn):
    """Lecture 04: fn(Z, Y) -> (loss, dZ): the mean cross-entropy of softmax(Z) against the
    one-hot Y, computed with log-softmax, and dZ = (softmax(Z) − Y) / m."""
    mistakes = [
        (lambda Z, Y: _loss(Z, Y, how="naive"),
         "no max shift: e^1000 overflows. Compute log-softmax as (Z − max) − log Σ exp(Z − max)."),
        (lambda Z, Y: _loss(Z, Y, how="probabilities"),
         ("log of the probabilities: a probability that rounds to 0 gives log 0 = −∞. Use "
         "log-softmax, (Z − max) − log Σ exp(Z − max), which never takes the log of 0.")),
        (lambda Z, Y: _loss(Z, Y, dz_mean=False),
         "dZ is not divided by m: the loss is the mean over the m examples, so is its gradient."),
        (lambda Z, Y: _loss(Z, Y, sign=-1.0),
         "dZ has the wrong sign: it is softmax(Z) − Y (prediction minus target)."),
        (lambda Z, Y: _loss(Z, Y, loss_mean=False),
         "the loss is summed over the examples: it is the MEAN."),
    ]
    return _run("log_softmax_loss", fn, _loss_cases(), _loss, ("loss", "dZ"), mistakes,
                "log P = (Z − max) − log Σ exp(Z − max) row by row; loss = −mean Σ Y·log P; "
                "dZ = (exp(log P) − Y) / m.")


# --- 05: inside the network ----------------------------------------------------------------------

def hidden_layer(fn):
    """Lecture 05: fn(Theta1, X) -> σ([1, X] Θ¹), the hidden activations (m, h)."""
    r = _rng(5)
    cases = [("4 examples, 3 inputs, 5 hidden units", (r.normal(size=(4, 5)), r.normal(size=(4, 3)))),
             ("2 examples, 6 inputs, 3 hidden units", (r.normal(size=(7, 3)), r.normal(size=(2, 6)))),
             ("1 example, 400 inputs, 25 hidden units", (r.normal(0, 0.1, size=(401, 25)),
                                                         r.uniform(size=(1, 400))))]
    mistakes = [
        (lambda T, X: _sigmoid(X @ T[1:]), ("the bias row is ignored: prepend a column of ones to "
                                           "X so that row 0 of Θ¹ adds the biases.")),
        (lambda T, X: _sigmoid(np.hstack([X, np.ones((len(X), 1))]) @ T), ("the column of "
         "ones is appended last: the bias is row 0 of Θ¹, so the column of ones goes FIRST.")),
        (lambda T, X: _sigmoid(X @ T[:-1]), ("the bias row is used as a weight: the bias is row 0 "
                                            "of Θ¹, so the column of ones goes FIRST.")),
        (lambda T, X: _bias(X) @ T, ("the sigmoid is missing: these are the scores Z, not the "
                                    "activations σ(Z).")),
    ]
    return _run("hidden_layer", fn, cases, lambda T, X: _sigmoid(_bias(X) @ T), "A", mistakes,
                "A = σ(add_bias(X) @ Theta1): one row per example, one column per hidden unit.",
                _matmul_hint)


def _saliency(T1, T2, x, k, hidden_slope=True, output_slope=True, bias_row=False, bias_x=False):
    a = _sigmoid(np.concatenate([[1.0], x]) @ T1)
    p = _sigmoid(np.concatenate([[1.0], a]) @ T2)
    d_out = p[k] * (1 - p[k]) if output_slope else 1.0
    d_hidden = (T2[:-1, k] if bias_row else T2[1:, k]) * d_out
    d_hidden = d_hidden * (a * (1 - a) if hidden_slope else 1.0)
    return (T1[:-1] if bias_x else T1[1:]) @ d_hidden


def saliency(fn):
    """Lecture 05: fn(Theta1, Theta2, x, k) -> ∂p_k/∂x (400,), p_k = σ(z_k) the k-th output of
    the 400–25–10 network."""
    r = _rng(55)
    cases = [(f"a random network, class {k}", (r.normal(0, 0.3, (401, 25)),
                                               r.normal(0, 1.0, (26, 10)), r.uniform(size=400), k))
             for k in (0, 3, 9)]
    mistakes = [
        (lambda *a: _saliency(*a, hidden_slope=False), ("σ′ of the hidden layer is left out: "
         "multiply by a(1 − a) of the hidden units on the way back.")),
        (lambda *a: _saliency(*a, output_slope=False), ("σ′ of the output is left out: "
         "∂p_k/∂z_k = p_k(1 − p_k).")),
        (lambda *a: _saliency(*a, hidden_slope=False, output_slope=False), ("both σ′ are left out:"
         " multiply by p_k(1 − p_k) at the output and by a(1 − a) at the hidden layer.")),
        (lambda *a: _saliency(*a, bias_row=True), ("the bias row of Θ² is used in the backward "
         "pass: the hidden units' weights are Theta2[1:, k]; row 0 is the bias.")),
        (lambda *a: _saliency(*a, bias_x=True), ("the bias row of Θ¹ is used in the backward pass: "
         "the pixels' weights are Theta1[1:]; row 0 is the bias.")),
    ]

    def on_error(error):
        if isinstance(error, ValueError) and "broadcast" in str(error):
            return ("shapes (26,) and (25,) do not match: drop the bias row of Θ² "
                    "(Theta2[1:, k]) when going back to the 25 hidden units.")
        return _matmul_hint(error)

    return _run("saliency", fn, cases, _saliency, "∂p_k/∂x", mistakes,
                "∂p_k/∂x = Θ¹[1:] @ (Θ²[1:, k] · p_k(1 − p_k) · a(1 − a)), a the hidden "
                "activations.", on_error)


# --- 06: the NeuralNetwork class ---------------------------------------------------------------

def _unwrap(theta, shapes, order="C"):
    out, start = [], 0
    for rows, cols in shapes:
        out.append(theta[start: start + rows * cols].reshape(rows, cols, order=order))
        start += rows * cols
    return out


def unwrap(fn):
    """Lecture 06: fn(theta, shapes) -> [Θ¹, Θ², ...] with the given shapes, taken from θ in
    order, each row by row."""
    cases = [("shapes (3, 2), (3, 4)", (np.arange(18.0), [(3, 2), (3, 4)])),
             ("one matrix (4, 3)", (np.arange(12.0) * 0.5, [(4, 3)])),
             ("shapes (2, 5), (6, 1), (2, 3)", (_rng(6).normal(size=22), [(2, 5), (6, 1), (2, 3)]))]

    def on_error(error):
        if isinstance(error, ValueError) and "reshape" in str(error):
            return ("a slice has the wrong length: matrix l takes rows·cols entries, starting "
                    "where the previous one ended.")
        return None

    def listed(theta, shapes):
        out = fn(theta, shapes)
        return out if out is None or isinstance(out, np.ndarray) else list(out)

    mistakes = [
        (lambda t, s: _unwrap(t, s, order="F"), ("column-major (order='F'): θ was unrolled row by "
                                                "row, so reshape with NumPy's default order.")),
    ]
    return _run("unwrap", listed if callable(fn) else fn, cases, _unwrap, "Θ", mistakes,
                "Θˡ = theta[start : start + rows·cols].reshape(rows, cols), start moving on by "
                "rows·cols each time.", on_error)


def _relu_grads(thetas, X, Y, lam, slope="step", reg_rows=1, reg=1.0, mean=True):
    m = len(X)
    As, Zs = [_bias(X)], []
    for T in thetas[:-1]:
        Zs.append(As[-1] @ T)
        As.append(_bias(np.maximum(Zs[-1], 0)))
    Delta = _sigmoid(As[-1] @ thetas[-1]) - Y
    grads = [None] * len(thetas)
    for layer in range(len(thetas) - 1, -1, -1):
        grads[layer] = As[layer].T @ Delta
        grads[layer][reg_rows:] += reg * lam * thetas[layer][reg_rows:]
        grads[layer] /= m if mean else 1
        if layer:
            A = As[layer][:, 1:]
            g = (Zs[layer - 1] > 0) if slope == "step" else A * (1 - A)
            Delta = (Delta @ thetas[layer][1:].T) * g
    return grads


def relu_backprop(fn):
    """Lecture 06: fn(thetas, X, Y, lam) -> [∂J/∂Θ¹, ...] with ReLU hidden units, sigmoid
    outputs, and lecture 06's cost (mean summed cross-entropy + λ/(2m) Σ non-bias Θ²)."""
    cases = []
    for seed, sizes, m, lam in [(61, (3, 4, 2), 5, 1.0), (62, (2, 5, 3, 2), 6, 0.5),
                                (63, (4, 3, 3), 3, 0.0)]:
        r = _rng(seed)
        thetas = [r.normal(size=(a + 1, b)) for a, b in itertools.pairwise(sizes)]
        X, Y = r.normal(size=(m, sizes[0])), np.eye(sizes[-1])[r.integers(0, sizes[-1], m)]
        cases.append((f"{m} examples, {'–'.join(map(str, sizes))}, λ = {lam}",
                      (thetas, X, Y, lam)))
    mistakes = [
        (lambda *a: _relu_grads(*a, slope="sigmoid"), ("the sigmoid's slope A(1 − A) is used: "
         "the hidden units are ReLU, whose slope is 1 where z > 0 and 0 elsewhere (Z > 0).")),
        (lambda *a: _relu_grads(*a, reg_rows=0), ("the bias is regularised: add λ/m · Θ to rows 1 "
         "onwards only (row 0 holds the biases).")),
        (lambda *a: _relu_grads(*a, reg=0.0), "λ is missing: add λ/m · Θ to the non-bias rows."),
        (lambda *a: _relu_grads(*a, mean=False), ("not divided by m: each gradient is averaged "
         "over the m examples.")),
        (lambda *a: _relu_grads(*a, mean=False, reg=1 / len(a[1])), ("not divided by m: Aᵀ Δ "
         "sums over the examples; divide it by m.")),
    ]
    return _run("relu_backprop", fn, cases, _relu_grads, "∂J/∂Θ", mistakes,
                "Δ = H − Y; for each layer l from the last: ∂J/∂Θ⁽ˡ⁾ = [1, A⁽ˡ⁻¹⁾]ᵀ Δ⁽ˡ⁾ / m "
                "(+ λ/m Θ on rows 1:), then Δ⁽ˡ⁻¹⁾ = (Δ⁽ˡ⁾ Θ⁽ˡ⁾[1:]ᵀ) ⊙ (Z⁽ˡ⁻¹⁾ > 0).", _matmul_hint)
