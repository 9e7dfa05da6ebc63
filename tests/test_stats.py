"""course_utils.stats: the SE of an accuracy, McNemar's exact test and the course's rule."""

import numpy as np
import pytest
from scipy.stats import binom

from course_utils import stats


def test_the_standard_error_of_an_accuracy():
    correct = np.array([True] * 850 + [False] * 150)
    p, se = stats.accuracy_se(correct)
    assert p == 0.85 and se == pytest.approx(np.sqrt(0.85 * 0.15 / 1000))  # ≈ 0.0113


def test_mcnemar_counts_only_the_disagreements_and_matches_the_binomial_tail():
    a = np.array([1, 1, 1, 1, 1, 1, 0, 0, 1, 0], bool)
    b = np.array([1, 0, 0, 0, 0, 0, 1, 0, 1, 0], bool)
    test = stats.mcnemar(a, b)
    assert (test.b, test.c) == (5, 1)
    assert test.p_value == pytest.approx(2 * binom.cdf(1, 6, 0.5))
    assert stats.mcnemar(a, a).p_value == 1.0


def test_the_rule_says_cant_tell_apart_better_worse_and_depends_on_the_seed():
    rng = np.random.default_rng(0)
    base = rng.random(1000) < 0.9
    better = base.copy()
    better[np.flatnonzero(~base)[:60]] = True  # right on 60 more digits, wrong on none
    assert stats.verdict(better, base) == "better"
    assert stats.verdict(base, better) == "worse"
    close = base.copy()
    close[np.flatnonzero(~base)[:3]] = True
    assert stats.verdict(close, base) == "can't tell apart"
    assert stats.verdict(np.stack([better, close]), np.stack([base, base])) == "depends on the seed"


def test_seed_spread():
    mean, sd, se = stats.seed_spread([0.90, 0.92, 0.91])
    assert mean == pytest.approx(0.91) and sd == pytest.approx(0.01)
    assert se == pytest.approx(0.01 / np.sqrt(3))


@pytest.mark.parametrize(("call", "words"), [
    (lambda: stats.accuracy_se([0.5, 1.0]), "numeric dtype|True/False"),
    (lambda: stats.accuracy_se([2, 1]), "True/False"),
    (lambda: stats.mcnemar([True, False], [True]), "one length"),
    (lambda: stats.verdict(np.ones((2, 3), bool), np.ones(3, bool)), "one shape"),
    (lambda: stats.seed_spread([0.9]), "at least 2"),
])
def test_bad_input_is_a_value_error_naming_it(call, words):
    with pytest.raises(ValueError, match=words):
        call()
