"""Helpers for the lecture notebooks of *Neural networks from scratch*.

The notebooks write the lesson; this package holds the plumbing (data, plots, gradient checks)
and the reference versions of what earlier notebooks derived and later ones reuse.
"""

from . import check, check_env, diagrams
from .activations import ACTIVATIONS, get_activation
from .datasets import (
    load_bundled_mnist,
    load_digits20,
    load_mnist,
    make_rbf_toy,
    read_idx,
    resize_digits,
)
from .gradcheck import numerical_gradient, relative_error
from .network import NeuralNetwork
from .plotting import course_style, plot_confusion, plot_loss, show_digits

__all__ = [
    "ACTIVATIONS",
    "check",
    "check_env",
    "course_style",
    "diagrams",
    "get_activation",
    "load_bundled_mnist",
    "load_digits20",
    "load_mnist",
    "make_rbf_toy",
    "NeuralNetwork",
    "numerical_gradient",
    "plot_confusion",
    "plot_loss",
    "read_idx",
    "relative_error",
    "resize_digits",
    "show_digits",
]
