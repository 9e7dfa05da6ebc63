"""Helpers for the lecture notebooks of *Neural networks from scratch*.

The notebooks write the lesson; this package holds the plumbing (data, plots, gradient checks)
and the reference versions of what earlier notebooks derived and later ones reuse.
"""

__version__ = "0.2.0"  # the course's version, in one place (see CHANGELOG.md)

from . import check, diagrams, mlp, optim, plotting, stats
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
from .plotting import (
    annotate_cells,
    course_style,
    mark_answer,
    plot_activation,
    plot_confusion,
    plot_filters,
    plot_loss,
    plot_occlusion,
    show_digits,
)

__all__ = [
    "ACTIVATIONS",
    "NeuralNetwork",
    "annotate_cells",
    "check",
    "check_env",
    "course_style",
    "diagrams",
    "get_activation",
    "load_bundled_mnist",
    "load_digits20",
    "load_mnist",
    "make_rbf_toy",
    "mark_answer",
    "mlp",
    "numerical_gradient",
    "optim",
    "plot_activation",
    "plot_confusion",
    "plot_filters",
    "plot_loss",
    "plot_occlusion",
    "plotting",
    "read_idx",
    "relative_error",
    "resize_digits",
    "show_digits",
    "stats",
]


def __getattr__(name):
    # check_env is imported on first use, so that `python -m course_utils.check_env` runs it
    # without a warning that the module was imported twice.
    if name == "check_env":
        import importlib

        return importlib.import_module(".check_env", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
