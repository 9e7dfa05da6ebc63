"""The student edition of one lecture: `notebooks/` is the instructor's; this writes the student's.

    python tools/student.py _build/executed/NN_name.ipynb _build/student/notebooks/NN_name.ipynb

`make student` runs it for every lecture, on the lecture as `make` executed it, then renders the
edition's site and PDF and scans it for solution text (tools/leaks.py).

The master notebooks follow nbgrader's conventions, so they stay plain notebooks that read and
render well: an exercise is a code cell tagged `exercise` whose body lies between the lines
`### BEGIN SOLUTION` and `### END SOLUTION`; a worked solution is a whole cell tagged `solution`
(plus `hide-cell`, collapsed in the instructor's site). The student edition replaces each
exercise body by `raise NotImplementedError(...)` and each worked solution by an empty answer
cell (tagged `raises-exception`, so that Run All carries on past an unfinished answer), and
rewords the few sentences that promise hidden solutions (STUDENT_WORDING).

Its outputs are those that running it top to bottom gives (up to what varies from run to run:
timings, and the last digits that nbval is told to ignore), without running the lecture twice.
The exercises close each lecture (exercise_section), and once stubbed they read nothing of it
(section_error: plain `def`s, comment-only answers, one-line checks `cu.check.NAME(NAME)`), so:
- up to the exercises the student's code cells are the instructor's, and so are their outputs:
  the same code run in the same order in a fresh kernel (the instructor's execution, in
  `notebooks/`) gives the same outputs;
- the exercises run here, in a fresh kernel in the student's folder, after the lecture's set-up
  cell, which defines what their `def`s and checks name (`cu`).
The saved widget state keeps the widgets that the kept outputs show; a worked solution that
changed one of them would leave its change there (none does). tests/test_editions.py runs lecture
01's student notebook whole and compares.

Why a small nbformat script and not a library: nbgrader's `ClearSolutions` understands these
markers, but by default wants nbgrader metadata on every solution cell, knows nothing of whole
worked-solution cells, and brings a grading database (SQLAlchemy, Alembic), Notebook 7 and its
own JupyterLab extensions into the students' environment. otter-grader's `otter assign` wants
raw `# BEGIN QUESTION` / `# BEGIN SOLUTION` / `# BEGIN TESTS` cells and YAML in the masters,
which show as clutter on the site and in JupyterLab, and brings pydantic and a Docker client.
jupytext pairs notebooks with scripts; it makes no exercises. The transformation here is about
fifty lines and leaves the masters as ordinary notebooks.
"""

import argparse
import ast
import copy
import json
import re
import sys
from pathlib import Path

import nbformat

from course_utils.check._runner import check_cell_call

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDE_TAGS = {"hide-cell", "hide-input", "hide-output", "remove-cell", "remove-input",
             "remove-output", "solution"}
CODE_STUB, TEXT_STUB = "# Your answer here", "*Your answer here.*"
SETUP = "import course_utils as cu"  # the lecture's set-up cell: the first code cell holding this
# Sentences of the masters that only the instructor edition makes true, and the student's words.
STUDENT_WORDING = [
    (re.compile(r"Solutions are in the hidden cells below( \(click to expand\))?\."),
     "Write your answers in the cells below."),
]


def tags(cell):
    return cell.metadata.get("tags", [])


def function_name(source):
    match = re.search(r"^\s*def (\w+)", source, re.MULTILINE)
    return match.group(1) if match else "this function"


def clear_regions(source, stub):
    """source with each BEGIN/END SOLUTION region replaced by stub(indent)."""
    lines, out, inside = source.splitlines(), [], False
    for line in lines:
        if line.strip() == BEGIN:
            inside = True
            out.append(stub(line[: len(line) - len(line.lstrip())]))
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"'{BEGIN}' without '{END}' in:\n{source[:300]}")
    return "\n".join(out)


def make_stub(cell):
    """The student's version of one cell: exercise bodies and worked solutions taken out."""
    if "solution" in tags(cell):
        cell.source = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
    elif BEGIN in cell.source and cell.cell_type == "code":
        name = function_name(cell.source)
        cell.source = clear_regions(cell.source, lambda indent: (
            f'{indent}raise NotImplementedError("{name}: replace this line with your code")'))
    elif BEGIN in cell.source:
        cell.source = clear_regions(cell.source, lambda indent: indent + TEXT_STUB)
    else:
        if cell.cell_type == "markdown":
            for pattern, words in STUDENT_WORDING:
                cell.source = pattern.sub(words, cell.source)
        return cell
    cell.metadata.pop("jupyter", None)
    cell.metadata["tags"] = [t for t in tags(cell) if t not in HIDE_TAGS]
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
        # Run all carries on past an answer the student has not finished (JupyterLab, myst-nb).
        cell.metadata["tags"].append("raises-exception")
    if not cell.metadata["tags"]:
        del cell.metadata["tags"]
    return cell


def student_notebook(nb):
    """A copy of the instructor's notebook nb with every solution replaced by its stub."""
    nb = nbformat.from_dict(nb)
    nb.cells = [make_stub(cell) for cell in nb.cells]
    return nb


def is_answer(cell):
    """An exercise or a worked solution: a cell that the student edition changes."""
    return "solution" in tags(cell) or BEGIN in cell.source


def runs(cell):
    """A code cell that a run executes (nbclient and JupyterLab skip the empty ones)."""
    return cell.cell_type == "code" and bool(cell.source.strip())


def exercise_section(nb):
    """(setup, start): the indices of the lecture's set-up cell (its first code cell holding
    SETUP) and of its first code cell that is an answer (an exercise or a worked solution).

    Raises ValueError, naming the cell, unless the set-up cell comes first and every code cell
    that runs from `start` on is an answer or a check (tagged `check`)."""
    code = [i for i, cell in enumerate(nb.cells) if runs(cell)]
    setup = next((i for i in code if SETUP in nb.cells[i].source), None)
    start = next((i for i in code if is_answer(nb.cells[i])), None)
    if setup is None:
        raise ValueError(f"no set-up cell: no code cell holds {SETUP!r}")
    if start is None:
        raise ValueError("no exercise: no code cell is tagged `solution` or holds " + BEGIN)
    if setup >= start:
        raise ValueError(f"the set-up cell (cell {setup}) must come before the first exercise "
                         f"(cell {start})")
    for i in code:
        cell = nb.cells[i]
        if i > start and not is_answer(cell) and "check" not in tags(cell):
            raise ValueError(
                f"cell {i} is lecture code after the exercises began (cell {start}): move it "
                f"before them, or tag it `check` (a check) or `solution` (a worked solution):\n"
                f"{cell.source[:200]}")
    return setup, start


def section_error(cell):
    """Why a code cell of the student's exercise section could read the lecture's state, or None.

    A stubbed exercise holds only plain `def`s: no defaults, decorators or annotations, which
    run with the cell. An empty answer holds comments only; a check is `cu.check.NAME(NAME)`."""
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as error:
        return f"it does not parse ({error.msg}, line {error.lineno})"
    if "check" in tags(cell):
        return None if check_cell_call(tree) else "a check cell is one line, cu.check.NAME(NAME)"
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            return f"line {node.lineno} runs when the cell does: only `def`s may stay in an exercise"
        arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
        if (node.decorator_list or node.returns or node.args.defaults or node.args.vararg
                or node.args.kwarg or any(node.args.kw_defaults)
                or any(a.annotation for a in arguments)):
            return (f"`def {node.name}` has defaults, decorators or annotations, which run when "
                    f"the cell does")
    return None


def number(nb):
    """Execution counts 1, 2, ... over the code cells that run, as one run top to bottom numbers
    them; each result shows its cell's count."""
    count = 0
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        count += runs(cell)
        cell.execution_count = count if runs(cell) else None
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.execution_count = cell.execution_count


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def keep_shown_widgets(nb):
    """nb's saved widget state cut to the models that its outputs show and those they refer to
    (the instructor's state also holds the widgets of worked solutions)."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state")
    if not state:
        return
    todo = [o.data[WIDGET_VIEW]["model_id"] for c in nb.cells if c.cell_type == "code"
            for o in c.outputs if WIDGET_VIEW in o.get("data", {})]
    kept = set()
    while todo:
        model = todo.pop()
        if model in state and model not in kept:
            kept.add(model)
            todo += re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(state[model]))
    nb.metadata.widgets[WIDGET_STATE].state = {m: v for m, v in state.items() if m in kept}


def student_edition(executed, folder):
    """The student's notebook, with the outputs that its run top to bottom gives (see the module's
    docstring), from `executed`: the instructor's, as course_utils.execute left it.

    The exercises run in a fresh kernel in `folder` (a check that fails there raises nbclient's
    CellExecutionError). Raises ValueError, naming the cell, when `executed` did not run top to
    bottom or an exercise could read the lecture's state."""
    from course_utils import execute

    setup, start = exercise_section(executed)
    before = [c for c in executed.cells[:start] if runs(c)]
    if [c.execution_count for c in before] != list(range(1, len(before) + 1)):
        raise ValueError("the instructor's notebook was not executed top to bottom: "
                         "`make _build/student/notebooks/NAME.ipynb` executes it first")
    nb = student_notebook(executed)
    if [c.source for c in nb.cells[:start] if runs(c)] != [c.source for c in before]:
        raise ValueError("the student edition changed code before the exercises")
    section = [(i, c) for i, c in enumerate(nb.cells) if i >= start and runs(c)]
    for i, cell in section:
        if error := section_error(cell):
            raise ValueError(f"cell {i}: {error}; an exercise may use only what the set-up cell "
                             f"(cell {setup}) defines:\n{cell.source[:200]}")
    ran = execute.run(nbformat.v4.new_notebook(
        cells=[copy.deepcopy(c) for c in [nb.cells[setup], *(c for _, c in section)]]), folder)
    for (_, cell), done in zip(section, ran.cells[1:], strict=True):
        cell.outputs = done.outputs
    number(nb)
    keep_shown_widgets(nb)
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executed", type=Path,
                        help="the instructor's notebook, executed (_build/executed/NN_name.ipynb)")
    parser.add_argument("out", type=Path, help="where the student's notebook goes")
    args = parser.parse_args(argv)
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = student_edition(nbformat.read(args.executed, as_version=4), args.out.parent)
    except (OSError, ValueError, TimeoutError, CellExecutionError, DeadKernelError) as error:
        sys.exit(f"{args.executed}: no student edition made.\n{error}")
    nbformat.write(nb, args.out)
    print(f"{args.out}: the instructor's outputs up to the exercises, then the exercises run")


if __name__ == "__main__":
    main()
