"""How sure a set of test digits can make us: the course's one rule for comparing models.

Derived in notebooks/03_shallow_network.ipynb ("How sure can 1,000 validation digits make us?");
lectures 04–06 reuse these. Two sources of chance are kept apart:

- the digits: an accuracy on n digits has standard error √(p(1 − p)/n); two models scored on
  the SAME digits are compared by McNemar's exact test on the digits where exactly one of them
  is right (the digits both get right or both get wrong say nothing about which is better);
- the seed: when training is random, each seed gives another model; the spread over seeds is
  reported as mean ± SE (sd/√k) of the k runs.

The rule (`verdict`), A against B, with McNemar's test run once per seed: better (worse) when
p < ALPHA in A's (B's) favour for every seed; can't tell apart when p ≥ ALPHA for every seed
(which is not the same as "no difference"); any other mix depends on the seed. When the rule
prefers neither, the course takes the simpler model.
"""

from typing import NamedTuple

import numpy as np

from ._validation import check_array

ALPHA = 0.05  # the course's significance level, one for every lecture

__all__ = ["ALPHA", "McNemar", "accuracy_se", "mcnemar", "seed_spread", "verdict"]


class McNemar(NamedTuple):
    """McNemar's exact test: b digits only A gets right, c only B does, the two-sided p-value."""

    b: int
    c: int
    p_value: float


def _correct(correct, name):
    correct = check_array(correct, name, ndim=(1, 2), kinds="bi")
    if correct.dtype.kind == "i" and not np.isin(correct, (0, 1)).all():
        raise ValueError(f"{name} must hold True/False (or 1/0) per digit")
    return correct.astype(bool)


def accuracy_se(correct):
    """(accuracy, its standard error √(p(1 − p)/n)) of `correct` (n,) booleans, one per digit."""
    correct = _correct(correct, "correct")
    if correct.ndim != 1:
        raise ValueError(f"correct must be 1-D (one entry per digit), got shape {correct.shape}")
    p = correct.mean()
    return float(p), float(np.sqrt(p * (1 - p) / correct.size))


def mcnemar(correct_a, correct_b):
    """McNemar's exact test of two models scored on the same digits: `correct_a`, `correct_b`
    (n,) booleans. Under "equally good", each of the b + c disagreements is a fair coin."""
    a, b = _correct(correct_a, "correct_a"), _correct(correct_b, "correct_b")
    if a.ndim != 1 or a.shape != b.shape:
        raise ValueError(f"correct_a and correct_b must be 1-D of one length, got {a.shape} "
                         f"and {b.shape}")
    from scipy.stats import binomtest  # here: scipy.stats is slow to import

    only_a, only_b = int(np.sum(a & ~b)), int(np.sum(~a & b))
    p = 1.0 if only_a + only_b == 0 else binomtest(only_a, only_a + only_b, 0.5).pvalue
    return McNemar(only_a, only_b, float(p))


def seed_spread(values):
    """(mean, sd, se = sd/√k) of a result (an accuracy, a cost) over k ≥ 2 seeds: (k,)."""
    values = check_array(values, "values", ndim=1)
    if values.size < 2:
        raise ValueError("seed_spread needs at least 2 seeds")
    sd = float(np.std(values, ddof=1))
    return float(np.mean(values)), sd, sd / np.sqrt(values.size)


def verdict(correct_a, correct_b, alpha=ALPHA):
    """The course's rule on two models scored on the same digits, A against B: "better" ("worse")
    when McNemar's p < alpha in A's (B's) favour for every seed; "can't tell apart" when
    p ≥ alpha for every seed; "depends on the seed" for any other mix.

    correct_a, correct_b: (n,) booleans for one seed, or (k, n) for k seeds (row s of each from
    the same seed's run).
    """
    a, b = _correct(correct_a, "correct_a"), _correct(correct_b, "correct_b")
    if a.shape != b.shape:
        raise ValueError(f"correct_a and correct_b must have one shape, got {a.shape} and {b.shape}")
    words = []
    for row_a, row_b in zip(np.atleast_2d(a), np.atleast_2d(b)):
        test = mcnemar(row_a, row_b)
        words.append("can't tell apart" if test.p_value >= alpha
                     else "better" if test.b > test.c else "worse")
    if len(set(words)) == 1:
        return words[0]
    return "depends on the seed"
