"""Helpers for the lecture notebooks of *Neural networks from scratch*.

The notebooks write the lesson; this package holds the plumbing (data, plots, gradient checks)
and the reference versions of what earlier notebooks derived and later ones reuse.
"""

__version__ = "0.3.0"  # the course's version, in one place (see CHANGELOG.md)

import sys as _sys

# `python -m course_utils.check_env` (or `.execute`) imports this package first: it then skips the
# rest, so that the set-up check runs on the standard library alone and can say which packages are
# missing, and an execution starts without loading what only the kernel uses.
_TOOLS = ("course_utils.check_env", "course_utils.execute")
if not set(_TOOLS) & set(_sys.orig_argv[1:3]):
    from . import check, diagrams, mlp, optim, plotting, stats
    from .activations import ACTIVATIONS, get_activation
    from .datasets import load_bundled_mnist, load_digits20, load_mnist, make_rbf_toy, read_idx
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
    from .resize import resize_digits
    from .run_env import use_one_core

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
    "use_one_core",
]


def __getattr__(name):
    # check_env is imported on first use, so that `python -m course_utils.check_env` runs it
    # without a warning that the module was imported twice.
    if name == "check_env":
        import importlib

        return importlib.import_module(".check_env", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
