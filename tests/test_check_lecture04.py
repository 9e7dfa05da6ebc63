"""cu.check for lecture 04: each check passes on a solution written as a student would, fails on
the stub, and names the classic mistakes (the shared tests are in check_harness.py)."""
from functools import partial

import numpy as np

from course_utils.gradcheck import numerical_gradient  # noqa: F401

from check_harness import *  # noqa: F403  (the shared tests)
from check_harness import add_bias, run, sigmoid  # noqa: F401

SHIFTS = {None: lambda Z: Z.max(axis=1, keepdims=True),  # the right one: each row's maximum
          "row_min": lambda Z: Z.min(axis=1, keepdims=True),
          "row_mean": lambda Z: Z.mean(axis=1, keepdims=True),
          "first_column": lambda Z: Z[:, :1]}


def softmax(Z, bug=None):
    if bug != "no_shift":
        Z = Z - SHIFTS[bug if bug in SHIFTS else None](Z)
    E = np.exp(Z)
    return E / E.sum(axis=0 if bug == "wrong_axis" else 1, keepdims=True)


def log_softmax_loss(Z, Y, bug=None):
    m = len(Z)
    if bug == "overflow":
        log_p = np.log(np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True))
    elif bug == "log_of_probabilities":
        log_p = np.log(softmax(Z))
    else:
        shifted = Z - SHIFTS[bug if bug in SHIFTS else None](Z)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -np.sum(Y * log_p) / m
    dZ = np.exp(log_p) - Y
    if bug == "sign":
        dZ = -dZ
    return loss, dZ if bug == "not_mean" else dZ / m


def softmax_temperature_grad(Z, Y, T, bug=None):
    m = len(Z)
    U = Z * T if bug == "multiplied" else Z if bug == "left_out" else Z / T
    if bug == "no_shift":  # the probabilities first
        log_p = np.log(np.exp(U) / np.exp(U).sum(axis=1, keepdims=True))
    else:
        if bug != "no_shift_log":
            U = U - SHIFTS[bug if bug in SHIFTS else None](U)
        log_p = U - np.log(np.exp(U).sum(axis=1, keepdims=True))
    loss = -np.sum(Y * log_p) / m
    P = np.exp(log_p)
    dZ = {"forgot": P - Y, "multiplied": T * (P - Y), "y_only": P - Y / T}.get(bug, (P - Y) / T)
    if bug == "sign":
        dZ = -dZ
    dU_dT = {"dT_no_square": -Z / T, "dT_no_T": -Z, "dT_scaled_z": -(Z / T) / T ** 2,
             "dT_sign": Z / T ** 2}.get(bug, -Z / T ** 2)  # ∂(z/T)/∂T = −z/T²
    dT = np.sum((P - Y) * dU_dT) / m
    return (loss * m if bug == "summed" else loss), dZ if bug == "not_mean" else dZ / m, dT


SOLUTIONS = {"softmax": softmax, "log_softmax_loss": log_softmax_loss,
             "softmax_temperature_grad": softmax_temperature_grad}

# (check, buggy function, words the report must contain)
MISTAKES = [
    ("softmax", partial(softmax, bug="no_shift"), "no max shift"),
    ("softmax", partial(softmax, bug="wrong_axis"), "wrong axis"),
    # a shift other than the row maximum passes rows whose scores are close together, and gives
    # NaN once a row spreads by more than 709 (e^709 is the largest float64 power of e)
    ("softmax", partial(softmax, bug="row_min"), "subtract the row MAXIMUM"),
    ("softmax", partial(softmax, bug="row_mean"), "subtract the row MAXIMUM"),
    ("softmax", partial(softmax, bug="first_column"), "subtract the row MAXIMUM"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="overflow"), "no max shift"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="log_of_probabilities"), "log 0"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="not_mean"), "not divided by m"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="sign"), "wrong sign"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="row_mean"), "subtract the row MAXIMUM"),
    ("log_softmax_loss", partial(log_softmax_loss, bug="row_min"), "subtract the row MAXIMUM"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="forgot"),
     "the 1/T is forgotten"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="multiplied"),
     "the scores are multiplied by T"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="y_only"),
     "T applied to y"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="left_out"),
     "T is left out of the softmax"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="no_shift"),
     "no max shift"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="no_shift_log"),
     "no max shift"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="not_mean"),
     "not divided by m"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="sign"), "wrong sign"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="summed"),
     "summed over the examples"),
    # Z/T spreads by 3,000 within a row in one case: only the row maximum keeps e^(Z/T) finite
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="row_min"),
     "subtract the row MAXIMUM"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="row_mean"),
     "subtract the row MAXIMUM"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="dT_sign"),
     "dT has the wrong sign"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="dT_no_T"),
     "misses the 1/T²"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="dT_no_square"),
     "one factor 1/T too few"),
    ("softmax_temperature_grad", partial(softmax_temperature_grad, bug="dT_scaled_z"),
     "scaled scores Z/T where Z belongs"),
]


def test_the_report_is_the_same_every_time(capsys):
    outputs = {run("log_softmax_loss", partial(log_softmax_loss, bug="sign"), capsys)[1]
               for _ in range(2)}
    assert len(outputs) == 1
