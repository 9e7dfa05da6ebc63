"""Helpers for the lecture notebooks of *Neural networks from scratch*.

The notebooks write the lesson; this package holds the plumbing (data, plots, gradient checks)
and the reference versions of what earlier notebooks derived and later ones reuse.

Each helper's module is imported the first time the helper is used (`cu.load_mnist`, `cu.mlp`),
not by `import course_utils`: scikit-learn and scipy.stats are slow to import, and a lecture (or
the set-up check, or a build script that wants only `__version__`) pays only for what it uses.
"""

__version__ = "0.3.0"  # the course's version, in one place (see CHANGELOG.md)

import importlib as _importlib
import sys as _sys

# The package's modules that a lecture uses by name (cu.mlp, cu.check, ...).
_MODULES = ("activations", "check", "check_env", "diagrams", "mlp", "optim", "plotting", "stats")
# Every helper a lecture uses by itself, and the module it lives in.
_HELPERS = {
    "ACTIVATIONS": "activations", "get_activation": "activations",
    "load_bundled_mnist": "datasets", "load_digits20": "datasets", "load_mnist": "datasets",
    "make_rbf_toy": "datasets", "read_idx": "datasets",
    "numerical_gradient": "gradcheck", "relative_error": "gradcheck",
    "NeuralNetwork": "network",
    "annotate_cells": "plotting", "course_style": "plotting", "mark_answer": "plotting",
    "plot_activation": "plotting", "plot_confusion": "plotting", "plot_filters": "plotting",
    "plot_loss": "plotting", "plot_occlusion": "plotting", "show_digits": "plotting",
    "resize_digits": "resize",
    "use_one_core": "run_env",
}
__all__ = sorted([*_MODULES, *_HELPERS])


def __getattr__(name):
    # Why not lazy_loader (scikit-image's): `python -m course_utils.check_env` imports this file
    # first, and must run on the standard library alone to say which packages are missing.
    if name in _HELPERS:
        return getattr(_importlib.import_module(f".{_HELPERS[name]}", __name__), name)
    try:  # a module of the package: those of _MODULES, and the others (cu.network, cu.datasets)
        return _importlib.import_module(f".{name}", __name__)
    except ModuleNotFoundError as error:
        if error.name != f"{__name__}.{name}":  # the module exists but lacks what it imports
            raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Inside IPython (a lecture's kernel), the transformer that lets a check cell survive a broken
# exercise cell must be in place before the first check cell runs (course_utils/check/_runner.py).
if "IPython" in _sys.modules:
    from . import check  # noqa: F401  (imported for its transformer)


def __dir__():
    return [*__all__, "__version__"]
