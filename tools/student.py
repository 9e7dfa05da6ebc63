"""The student edition of one lecture: `notebooks/` is the instructor's; this writes the student's.

    python tools/student.py notebooks/NN_name.ipynb _build/student/notebooks/NN_name.ipynb

`make student` runs it for every lecture, executes each result (as `make execute` does), renders
the edition's site and PDF, and scans it for solution text (tools/leaks.py).

The master notebooks follow nbgrader's conventions, so they stay plain notebooks that read and
render well: an exercise is a code cell tagged `exercise` whose body lies between the lines
`### BEGIN SOLUTION` and `### END SOLUTION`; a worked solution is a whole cell tagged `solution`
(plus `hide-cell`, collapsed in the instructor's site). The student edition replaces each
exercise body by `raise NotImplementedError(...)` and each worked solution by an empty answer
cell (tagged `raises-exception`, so that Run All carries on past an unfinished answer), and
rewords the few sentences that promise hidden solutions (STUDENT_WORDING).

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
import re
from pathlib import Path

import nbformat

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDE_TAGS = {"hide-cell", "hide-input", "hide-output", "remove-cell", "remove-input",
             "remove-output", "solution"}
CODE_STUB, TEXT_STUB = "# Your answer here", "*Your answer here.*"
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("master", type=Path, help="the instructor's notebook")
    parser.add_argument("out", type=Path, help="where the student's notebook goes")
    args = parser.parse_args(argv)
    nbformat.write(student_notebook(nbformat.read(args.master, as_version=4)), args.out)


if __name__ == "__main__":
    main()
