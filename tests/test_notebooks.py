"""The lecture notebooks as committed: structure, executed outputs, checkpoints, exercises.

nbval (`make test`) re-executes them and compares outputs; this checks what a reader relies on.
"""

import json

import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def load(path):
    return json.loads(path.read_text())


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def test_the_lectures_are_there():
    names = [p.stem for p in NOTEBOOKS]
    assert names == ["01_single_neuron", "02_rbf_hidden_layer", "03_shallow_network",
                     "04_mnist_softmax", "05_inside_the_network", "06_neural_network_class"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_title_and_what_you_will_learn(path):
    first = "".join(load(path)["cells"][0]["source"])
    assert first.startswith(f"# {path.stem[:2]} — ") and "What you will learn" in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_top_to_bottom_without_errors_or_stderr(path):
    cells = code_cells(load(path))
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1))
    outputs = [o for c in cells for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_checkpoints_exercises_and_hidden_solutions(path):
    cells = code_cells(load(path))
    asserts = [c for c in cells if "\nassert " in "\n" + "".join(c["source"])]
    hidden = [c for c in cells if "hide-input" in c["metadata"].get("tags", [])]
    assert len(asserts) >= 3, "at least three asserted checkpoints"
    assert len(hidden) >= 2, "at least two hidden worked solutions"
    assert all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in hidden)
    assert all(c["outputs"] for c in hidden), "every solution shows its result"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_a_title(path):
    """Each figure cell sets a title (set_title, title=, or suptitle), so no figure is anonymous."""
    for cell in code_cells(load(path)):
        source = "".join(cell["source"])
        makes_png = any("image/png" in o.get("data", {}) for o in cell["outputs"])
        if makes_png:
            assert "title" in source, f"figure without a title in:\n{source[:300]}"
