"""cu.check for lecture 04: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np
from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401

from course_utils.gradcheck import numerical_gradient  # noqa: F401


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


SOLUTIONS = {"softmax": softmax, "log_softmax_loss": log_softmax_loss}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("softmax", partial(softmax, bug="no_shift"), "no max shift"),
    ("softmax", partial(softmax, bug="wrong_axis"), "wrong axis"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="overflow"), "no max shift"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="log_of_probabilities"), "log 0"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="not_mean"), "not divided by m"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="sign"), "wrong sign"),
]


def test_the_report_is_the_same_every_time(capsys):
    outputs = {run("log_softmax_loss", partial(log_softmax_loss, bug="sign"), capsys)[1]
               for _ in range(2)}
    assert len(outputs) == 1
