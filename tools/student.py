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

Its outputs are those that running it top to bottom gives, without running the lecture twice.
The exercises close each lecture (after the first answer cell, every code cell is an answer or
its check, `cu.check.NAME(NAME)`: exercise_section), so:
- up to the exercises the student's cells are the instructor's, and so are their outputs: the
  same code run in the same order in a fresh kernel (the instructor's execution) gives the same
  outputs, as nbval finds each time it compares a lecture's executions;
- the exercises need nothing of the lecture but its set-up cell (its imports): they run here in
  a fresh kernel, after that cell. A stub that needed more would fail there, by name.
A lecture's student edition made so equals its execution top to bottom (tests/test_editions.py
runs one to compare); the lectures' seconds are spent once, not twice.

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
import copy
import re
import sys
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError

from course_utils import execute

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


def exercise_section(nb):
    """(setup, start): the indices of the lecture's set-up cell (its first code cell that holds
    SETUP) and of its first code cell that is an answer.

    Raises ValueError, naming the cell, unless every code cell from `start` on is an answer or a
    check (tagged `check`): a student's outputs after the exercises could then depend on them."""
    code = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    setup = next((i for i in code if SETUP in nb.cells[i].source), None)
    start = next((i for i in code if is_answer(nb.cells[i])), None)
    if setup is None or start is None or setup > start:
        raise ValueError(f"a lecture needs a set-up cell ({SETUP!r}) and, after it, its exercises")
    for i in code:
        if i > start and not is_answer(nb.cells[i]) and "check" not in tags(nb.cells[i]):
            raise ValueError(
                f"cell {i} is lecture code after the exercises began (cell {start}); the "
                f"exercises close a lecture, so move it before them:\n{nb.cells[i].source[:200]}")
    return setup, start


def number(nb):
    """Execution counts 1, 2, ... over the code cells that run (not the empty ones), as one run
    top to bottom numbers them; each result shows its cell's count."""
    count = 0
    for cell in (c for c in nb.cells if c.cell_type == "code"):
        count += bool(cell.source.strip())
        cell.execution_count = count if cell.source.strip() else None
        for output in cell.outputs:
            if output.output_type == "execute_result":
                output.execution_count = cell.execution_count


def student_edition(executed, folder):
    """The student's notebook, with the outputs that its run top to bottom gives (see the module's
    docstring), from `executed`: the instructor's, as course_utils.execute left it.

    The exercises run in a fresh kernel in `folder`. Raises ValueError when `executed` did not
    run top to bottom, or when the exercises' run shows an error that a whole run would not."""
    setup, start = exercise_section(executed)
    before = [c for c in executed.cells[:start] if c.cell_type == "code" and c.source.strip()]
    if [c.execution_count for c in before] != list(range(1, len(before) + 1)):
        raise ValueError("the instructor's notebook was not executed top to bottom "
                         "(python -m course_utils.execute makes it so)")
    nb = student_notebook(executed)
    section = [c for c in nb.cells[start:] if c.cell_type == "code"]
    ran = execute.run(nbformat.v4.new_notebook(
        cells=[copy.deepcopy(c) for c in [nb.cells[setup], *section]]), folder)
    for cell, done in zip(section, ran.cells[1:], strict=True):
        errors = [o for o in done.outputs if o.output_type == "error"]
        if errors:  # in a whole run, stubs only define functions and checks report
            raise ValueError(f"the exercises, run after the set-up cell, fail in:\n"
                             f"{cell.source[:200]}\n{errors[0].ename}: {errors[0].evalue}")
        cell.outputs = done.outputs
    number(nb)
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executed", type=Path,
                        help="the instructor's notebook, executed (_build/executed/NN_name.ipynb)")
    parser.add_argument("out", type=Path, help="where the student's notebook goes")
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    try:
        nb = student_edition(nbformat.read(args.executed, as_version=4), args.out.parent)
    except (ValueError, CellExecutionError) as error:
        sys.exit(f"{args.executed}: no student edition made.\n{error}")
    nbformat.write(nb, args.out)
    print(f"{args.out}: the instructor's outputs up to the exercises, then the exercises run")


if __name__ == "__main__":
    main()
