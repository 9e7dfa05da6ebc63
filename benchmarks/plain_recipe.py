"""Lecture 03's own code, read from notebooks/03_shallow_network.ipynb when this module is imported.

The functions sigmoid, add_bias, forward, unroll, unwrap, cost, sigmoid_prime and gradient are
taken from the notebook's code cells by name (the last top-level definition of each, wherever
its cell is), compiled and executed here, so that the baseline the package is timed and tested
against is exactly what the lecture teaches: separate cost and gradient functions, each with its
own forward pass, bias columns of ones prepended with np.hstack, float64. Only `fit` is new.
"""

import ast
import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "03_shallow_network.ipynb"
NAMES = ("sigmoid", "add_bias", "forward", "unroll", "unwrap", "cost", "sigmoid_prime", "gradient")


def lecture_functions(path=NOTEBOOK, names=NAMES):
    """{name: function} for the top-level `def`s of those names in the notebook's code cells.

    Cells are read as Python after dropping IPython lines (%magic, !shell); a cell that still
    does not parse is skipped. Cells tagged "solution" hold alternatives and planted bugs, not
    the lecture's code, and are skipped too. The notebook's top-level imports run first, so the
    functions see the names they use (np, ...). Raises ValueError naming any function not found.
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    imports, found = [], {}
    for cell in cells:
        if cell["cell_type"] != "code" or "solution" in cell["metadata"].get("tags", []):
            continue
        source = "".join(cell["source"])
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(node)
            elif isinstance(node, ast.FunctionDef) and node.name in names:
                found[node.name] = node
    missing = [name for name in names if name not in found]
    if missing:
        raise ValueError(f"{Path(path).name} defines no function named {', '.join(missing)}")
    module = ast.Module(body=imports + [found[name] for name in names], type_ignores=[])
    namespace = {}
    exec(compile(module, f"<code cells of {Path(path).name}>", "exec"), namespace)
    return {name: namespace[name] for name in names}


_lecture = lecture_functions()
sigmoid, add_bias, forward, unroll, unwrap, cost, sigmoid_prime, gradient = (
    _lecture[name] for name in NAMES)


def fit(theta0, X, y, lam=1.0, max_iter=335, h=25):
    """CG on the lecture's cost and gradient; returns θ and the training accuracy."""
    Y = np.eye(10)[y]
    result = minimize(cost, theta0, args=(X, Y, lam, h), jac=gradient, method="CG",
                      options={"maxiter": max_iter})
    H = forward(*unwrap(result.x, X.shape[1], h, 10), X)[3]
    return result.x, float(np.mean(np.argmax(H, axis=1) == y))
