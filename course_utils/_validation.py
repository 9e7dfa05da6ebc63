"""Input checks shared by the public functions: each raises ValueError naming the problem."""

import numbers

import numpy as np


def check_array(A, name, *, ndim=None, shape=None, finite=True, kinds="biuf"):
    """Return `A` as an ndarray after checking its dimensions, shape, dtype and values.

    `ndim` is an int or a tuple of allowed ints; `shape` a tuple where None matches any length;
    `kinds` the allowed numpy dtype kinds (b bool, i int, u unsigned, f float).
    """
    try:
        A = np.asarray(A)
    except (TypeError, ValueError, OverflowError) as exc:  # ragged lists and other non-arrays
        raise ValueError(f"{name} cannot be read as an array: {exc}") from None
    if A.dtype.kind not in kinds:
        raise ValueError(f"{name} must have a numeric dtype, got {A.dtype}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
        if A.ndim not in allowed:
            raise ValueError(f"{name} must be {' or '.join(map(str, allowed))}-D, got shape {A.shape}")
    if shape is not None and (
        A.ndim != len(shape) or any(s is not None and s != a for s, a in zip(shape, A.shape))
    ):
        want = "(" + ", ".join("n" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} must have shape {want}, got {A.shape}")
    if A.size == 0:
        raise ValueError(f"{name} is empty (shape {A.shape})")
    if finite and A.dtype.kind == "f" and not np.all(np.isfinite(A)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return A


def check_labels(y, name="y", *, n_samples=None, n_classes=None):
    """Return integer class labels `y` (m,) after checking dtype, length and range [0, n_classes)."""
    y = check_array(y, name, ndim=1)
    if y.dtype.kind == "f":
        if not np.all(y == np.round(y)):
            raise ValueError(f"{name} must hold integer class labels, got non-integer floats")
    elif y.dtype.kind == "b":
        raise ValueError(f"{name} must hold integer class labels, got booleans")
    y = y.astype(np.int64)
    if n_samples is not None and len(y) != n_samples:
        raise ValueError(f"{name} has {len(y)} labels but there are {n_samples} samples")
    if y.min() < 0 or (n_classes is not None and y.max() >= n_classes):
        top = "" if n_classes is None else f" and below {n_classes}"
        raise ValueError(f"{name} labels must be at least 0{top}, got range [{y.min()}, {y.max()}]")
    return y


def check_number(x, name, *, low=None, high=None, integer=False, low_open=False):
    """Return the scalar `x` after checking its type and that it lies in [low, high]."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(x, bool) or not isinstance(x, kind):
        raise ValueError(  # noqa: TRY004 (the course reports every bad argument as a ValueError)
            f"{name} must be {'an integer' if integer else 'a number'}, got {x!r}"
        )
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x!r}")
    if low is not None and (x <= low if low_open else x < low):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {x!r}")
    if high is not None and x > high:
        raise ValueError(f"{name} must be <= {high}, got {x!r}")
    return x


def check_choice(value, name, choices):
    """Return `value` after checking that it is one of `choices`."""
    if value not in choices:
        raise ValueError(f"unknown {name} {value!r}; choose one of {', '.join(map(repr, choices))}")
    return value
