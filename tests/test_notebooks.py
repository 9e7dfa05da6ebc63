"""The lecture notebooks as committed: structure, executed outputs, checkpoints, exercises.

nbval (`make test`) re-executes them and compares outputs; this checks what a reader relies on,
and the conventions the student edition is made from (tools/student.py):
- a worked solution is a cell tagged `solution` and `hide-cell`, its code and output collapsed;
- a "write it yourself" exercise is a code cell tagged `exercise` whose body lies between
  `### BEGIN SOLUTION` and `### END SOLUTION`, followed by a one-line check cell tagged `check`,
  `cu.check.NAME(function)`, whose executed output says the check passes.
"""

import ast
import json
import re

import pytest

from course_utils import check
from course_utils.check._runner import check_cell_call

from course import LECTURES, NOTEBOOKS

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


def load(path):
    return json.loads(path.read_text())


def source(cell):
    return "".join(cell["source"])


def tags(cell):
    return cell["metadata"].get("tags", [])


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and source(c).strip()]


def stdout(cell):
    return "".join("".join(o.get("text", "")) for o in cell["outputs"] if o.get("name") == "stdout")


def test_the_lectures_are_there():
    assert [p.stem for p in NOTEBOOKS] == list(LECTURES)
    assert all(p.exists() for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_title_and_what_you_will_learn(path):
    first = source(load(path)["cells"][0])
    assert first.startswith(f"# {path.stem[:2]} — ") and "What you will learn" in first


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_top_to_bottom_without_errors_or_stderr(path):
    cells = code_cells(load(path))
    assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1))
    outputs = [o for c in cells for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_checkpoints(path):
    asserts = [c for c in code_cells(load(path)) if "\nassert " in "\n" + source(c)]
    assert len(asserts) >= 3, "at least three asserted checkpoints"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_worked_solutions_hide_code_and_output(path):
    cells = load(path)["cells"]
    solutions = [c for c in cells if "solution" in tags(c)]
    assert len(solutions) >= 2, "at least two worked solutions, tagged 'solution'"
    for cell in solutions:
        where = f"solution cell:\n{source(cell)[:200]}"
        assert "hide-cell" in tags(cell) and "hide-input" not in tags(cell), where
        hidden = cell["metadata"].get("jupyter", {})
        assert hidden.get("source_hidden") is True, where
        if cell["cell_type"] == "code":
            assert hidden.get("outputs_hidden") is True, where
            assert cell["outputs"], f"a worked solution shows its result; {where}"
    old_style = [c for c in cells if "hide-input" in tags(c) and "solution" not in tags(c)
                 and source(c).lstrip().lower().startswith("# solution")]
    assert not old_style, "solutions are tagged ['solution', 'hide-cell'], not 'hide-input'"


def exercises(nb):
    """[(exercise cell, the next code cell, the code cells after that)] of a notebook."""
    cells = code_cells(nb)
    return [(cell, cells[i + 1] if i + 1 < len(cells) else None, cells[i + 2:])
            for i, cell in enumerate(cells) if "exercise" in tags(cell)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercises_are_written_between_markers_and_checked(path):
    found = exercises(load(path))
    assert len(found) >= 2, "at least two 'write it yourself' exercises, tagged 'exercise'"
    for cell, following, later in found:
        text = source(cell)
        lines = [line.strip() for line in text.splitlines()]
        assert lines.count(BEGIN) == lines.count(END) == 1, f"one {BEGIN} … {END} in:\n{text}"
        assert lines.index(BEGIN) < lines.index(END) - 1, f"a solution between the markers:\n{text}"
        assert '"""' in text.split(BEGIN)[0], f"a docstring saying what to write:\n{text}"
        name = re.search(r"^def (\w+)", text, re.MULTILINE)
        assert name, f"an exercise defines a function:\n{text}"
        assert following is not None and "check" in tags(following), (
            f"the cell after the exercise {name.group(1)} is its check, tagged 'check'")
        line = source(following).strip()
        call = check_cell_call(ast.parse(line))  # the shape the check cells' transformer knows
        assert call and "\n" not in line and line.startswith("cu.check."), (
            f"a check cell is one line, cu.check.NAME(function): {source(following)!r}")
        checked, function = call.func.attr, call.args[0].id
        assert checked in check.__all__, f"no check named {checked}"
        assert function == name.group(1), "the check is given the exercise's function"
        assert stdout(following).startswith(f"✓ {checked}: all "), (
            f"the check passes on the solution: {stdout(following)!r}")
        users = [c for c in later if re.search(rf"\b{name.group(1)}\b", source(c))
                 and not {"solution", "check"} & set(tags(c))]
        assert not users, (f"no later cell may use {name.group(1)} (the student edition runs "
                           f"with a stub): {source(users[0])[:200] if users else ''}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_is_empty(path):
    """JupyterLab leaves an empty cell unnumbered, and the lab test waits for every number."""
    empty = [i for i, c in enumerate(load(path)["cells"])
             if c["cell_type"] == "code" and not source(c).strip()]
    assert not empty, f"empty code cells (delete them): {empty}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_markers_outside_exercises(path):
    for cell in load(path)["cells"]:
        if BEGIN in source(cell) or END in source(cell):
            assert "exercise" in tags(cell), f"markers in a cell not tagged 'exercise':\n{source(cell)[:200]}"


def figure_cells(nb):
    return [c for c in code_cells(nb)
            if any("image/png" in o.get("data", {}) for o in c["outputs"])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_a_title(path):
    """Each figure cell sets a title (set_title, title=, or suptitle), or draws a diagram."""
    for cell in figure_cells(load(path)):
        text = source(cell)
        assert "title" in text or "cu.diagrams." in text, f"figure without a title in:\n{text[:300]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_has_alt_text(path):
    """The site and the PDF give each figure its cell's metadata mystnb.image.alt."""
    for cell in figure_cells(load(path)):
        alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
        assert isinstance(alt, str) and len(alt.split()) >= 5, (
            f"figure without alt text (metadata mystnb.image.alt) in:\n{source(cell)[:300]}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_exercise_solutions_are_collapsed_in_the_instructor_edition(path):
    """An exercise cell holds its solution: collapsed in JupyterLab and on the site (the student
    edition replaces the body by a stub and shows the cell)."""
    for cell, _, _ in exercises(load(path)):
        assert "hide-input" in tags(cell), source(cell)[:100]
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, source(cell)[:100]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_ends_with_key_points(path):
    cells = load(path)["cells"]
    headings = [i for i, c in enumerate(cells)
                if c["cell_type"] == "markdown" and source(c).startswith("## Key points")]
    assert headings, "a '## Key points' cell"
    assert headings[-1] >= len(cells) - 3, "the key points end the lecture"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_points_and_one_is_derive_then_code(path):
    """The grader reads each exercise's points (cell metadata); 2 marks a derive-then-code one."""
    found = [cell["metadata"].get("points") for cell, _, _ in exercises(load(path))]
    assert all(isinstance(p, int) and p >= 1 for p in found), found
    assert 2 in found, "at least one derive-then-code exercise (2 points)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_first_code_cell_is_this_releases_colab_set_up(path):
    import colab

    assert colab.check(path) is None, colab.check(path)
