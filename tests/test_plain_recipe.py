"""benchmarks/plain_recipe.py: the baseline is lecture 03's own code, read from the notebook."""

import json

import numpy as np
import pytest

from plain_network import plain_recipe


def notebook(tmp_path, *cells):
    """A notebook file with the given (source, tags) code cells."""
    path = tmp_path / "lecture.ipynb"
    path.write_text(json.dumps({"cells": [
        {"cell_type": "code", "metadata": {"tags": tags}, "source": source, "outputs": []}
        for source, tags in cells]}))
    return path


def test_the_functions_come_from_the_notebooks_cells():
    for name in plain_recipe.NAMES:
        function = getattr(plain_recipe, name)
        assert function.__code__.co_filename == "<code cells of 03_shallow_network.ipynb>", name


def test_the_lectures_gradient_passes_a_finite_difference_check():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 4)), np.eye(3)[[0, 1, 2, 0, 1, 2]]
    theta = rng.normal(size=5 * 5 + 6 * 3)
    eps = 1e-6
    numeric = [(plain_recipe.cost(theta + eps * e, X, Y, 1.5, h=5)
                - plain_recipe.cost(theta - eps * e, X, Y, 1.5, h=5)) / (2 * eps)
               for e in np.eye(len(theta))]
    assert np.allclose(plain_recipe.gradient(theta, X, Y, 1.5, h=5), numeric, atol=1e-7)


def test_loader_takes_functions_by_name_and_skips_magics_and_solutions(tmp_path):
    path = notebook(
        tmp_path,
        ("import numpy as np\n%matplotlib inline", []),
        ("def double(x):\n    return 2 * x\n\nprint(double(3))", []),
        ("def double(x):\n    return np.multiply(x, 2.0)  # a later, final version", []),
        ("def double(x):\n    return 0  # a planted bug", ["solution", "hide-cell"]),
        ("!ls\ndef half(x):\n    return x / 2", []),
    )
    functions = plain_recipe.lecture_functions(path, ("double", "half"))
    assert functions["double"](3) == 6.0 and isinstance(functions["double"](3), np.floating)
    assert functions["half"](3) == 1.5


def test_loader_names_the_missing_function(tmp_path):
    path = notebook(tmp_path, ("def cost(theta):\n    return 0.0", []))
    with pytest.raises(ValueError, match="defines no function named gradient"):
        plain_recipe.lecture_functions(path, ("cost", "gradient"))
