"""make grade (tools/grade): a batch of synthetic submissions of one lecture, built here from the
instructor's notebook by its tags (exercise cells, the check cell after each), graded once with
short limits; the points, reasons, CSV columns and the batch's wall time are asserted."""

import csv
import json
import os
import re
import subprocess
import sys
import time

import nbformat
import pytest

import grade
from artefacts import ROOT

LECTURE = "02_rbf_hidden_layer"  # a small lecture: about 15 s a run on 2 busy cores
MASTER = ROOT / "notebooks" / f"{LECTURE}.ipynb"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
LIMITS = {"cell_timeout": 60, "check_timeout": 5, "notebook_timeout": 150, "memory_mb": 1600}
HOG_GB = 2  # more than the kernel's limit, much less than the machine's memory


def with_body(cell, lines):
    """The exercise cell with its solution region replaced by lines (indented like it)."""
    out, inside = [], False
    for line in cell.source.splitlines():
        if line.strip() == BEGIN:
            indent = line[: len(line) - len(line.lstrip())]
            out += [indent + x for x in lines]
            inside = True
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    cell.source = "\n".join(out)


def parameters(cell):
    return re.search(r"^def \w+\(([^)]*)\)", cell.source, re.MULTILINE).group(1)


def student_copy():
    """The instructor notebook as a student starts it: worked solutions empty, no outputs."""
    nb = nbformat.read(MASTER, as_version=4)
    for cell in nb.cells:
        if "solution" in cell.metadata.get("tags", []):
            cell.source = "# Your answer here"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def exercise_cells(nb):
    return [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]


def check_cell_after(nb, cell):
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    return code[code.index(cell) + 1]


def classic_mistake(check):
    """(index, words) of the lecture's first catalogued classic mistake for this check."""
    from test_check_lecture02 import MISTAKES

    return next((i, words) for i, (name, _fn, words) in enumerate(MISTAKES) if name == check)


def build(directory):
    """The synthetic submissions; returns what each student's exercises must get."""
    exercises = grade.exercises_of(MASTER)
    assert len(exercises) >= 3, "this test needs a lecture with three exercises"
    first, second, third = exercises[:3]
    write = {}

    nb = student_copy()  # complete, with a widget cell
    at = nb.cells.index(exercise_cells(nb)[0])
    nb.cells.insert(at, nbformat.v4.new_code_cell(
        "import ipywidgets as widgets\nfrom IPython.display import display\n"
        "display(widgets.IntSlider(3))\nwidgets.interact(lambda k: k * 2, k=(0, 5));"))
    write["alice/" + LECTURE] = nb

    nb = student_copy()  # the stubs
    for cell in exercise_cells(nb):
        name = re.search(r"^def (\w+)", cell.source, re.MULTILINE).group(1)
        with_body(cell, [f'raise NotImplementedError("{name}: replace this line with your code")'])
    write["bob/" + LECTURE] = nb

    nb = student_copy()  # a classic mistake, an endless loop, a memory hog
    cells = exercise_cells(nb)
    k, words = classic_mistake(first["check"])
    with_body(cells[0], [f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r})",
                         "from test_check_lecture02 import MISTAKES",
                         f"return MISTAKES[{k}][1]({parameters(cells[0])})"])
    with_body(cells[1], ["while True:", "    pass"])
    with_body(cells[2], ["import numpy as np", f"hog = np.ones(({HOG_GB * 128}, 2**20))",
                         "return hog"])
    write["carol_1001_2001_" + LECTURE] = nb  # Canvas's flat name

    nb = student_copy()  # the kernel dies after the first check
    at = nb.cells.index(check_cell_after(nb, exercise_cells(nb)[0]))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    write["Dan Doe_77_assignsubmission_file_" + LECTURE] = nb  # Moodle's flat name

    nb = student_copy()  # first check cell deleted, second edited, third intact
    cells = exercise_cells(nb)
    nb.cells.remove(check_cell_after(nb, cells[0]))
    check_cell_after(nb, cells[1]).source = f'print("✓ {second["check"]}: all 3 cases pass")'
    write["erin/" + LECTURE] = nb

    for name, nb in write.items():
        path = directory / f"{name}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
    (directory / "frank").mkdir()
    (directory / "frank" / f"{LECTURE}.ipynb").write_text(
        nbformat.writes(student_copy())[:5000])  # cut short: invalid JSON
    (directory / "notes.txt").write_text("not a notebook")
    return exercises, words


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    submissions = tmp_path_factory.mktemp("submissions")
    out = tmp_path_factory.mktemp("grades")
    exercises, words = build(submissions)
    options = [f"--{k.replace('_', '-')}={v}" for k, v in LIMITS.items()]
    start = time.monotonic()
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "grade"), str(submissions),
                          "--out", str(out), "--jobs=2", *options],
                         capture_output=True, text=True, timeout=600)
    seconds = time.monotonic() - start
    assert run.returncode == 0, run.stderr[-3000:]
    print(run.stdout)  # the terminal summary (shown with pytest -s)
    grades = {r["student"]: r for r in json.loads((out / "grades.json").read_text())}
    return {"out": out, "stdout": run.stdout, "stderr": run.stderr, "seconds": seconds,
            "exercises": exercises, "words": words, "grades": grades}


def points(batch, student):
    row = batch["grades"][student]
    return [row["exercises"][f"{LECTURE[:2]} {e['function']}"]["points"] for e in batch["exercises"]]


def reasons(batch, student):
    row = batch["grades"][student]
    return [row["exercises"][f"{LECTURE[:2]} {e['function']}"]["reason"] for e in batch["exercises"]]


def test_points_come_from_the_instructor_notebook():
    nb = json.loads(MASTER.read_text())
    declared = [c["metadata"].get("points", 1) for c in nb["cells"]
                if "exercise" in c["metadata"].get("tags", [])]
    assert [e["points"] for e in grade.exercises_of(MASTER)] == declared


def test_submission_names_folders_canvas_and_moodle():
    lectures = [LECTURE, "01_single_neuron"]
    assert grade.lecture_of(f"doejane_late_123_456_{LECTURE}-1.ipynb", lectures) == (
        LECTURE, "doejane_late_123_456")
    assert grade.lecture_of("01_single_neuron (1).ipynb", lectures) == ("01_single_neuron", "")
    assert grade.lecture_of("homework.ipynb", lectures) == (None, None)


@pytest.mark.skipif(os.name == "nt", reason="zmq has no IPC on Windows: the kernels keep TCP")
def test_the_kernels_talk_over_ipc(batch):
    """Kernels side by side never race for a TCP port (a lost race left a submission ungraded)."""
    logs = sorted((batch["out"] / "logs").glob("*.log"))
    assert logs and not [log.name for log in logs if "running over TCP" in log.read_text()]


def test_the_complete_solution_gets_every_point_widgets_and_all(batch):
    assert points(batch, "alice") == [e["points"] for e in batch["exercises"]]
    assert all(r.startswith("passes the check") for r in reasons(batch, "alice"))
    feedback = (batch["out"] / "feedback" / "alice.html").read_text()
    assert "✓ " in feedback and "all " in feedback


def test_stubs_get_nothing_and_are_told_they_are_not_written(batch):
    assert points(batch, "bob") == [0] * len(batch["exercises"])
    assert all("not written yet" in r for r in reasons(batch, "bob"))


def test_a_mistake_a_loop_and_a_memory_hog_get_nothing_with_their_reasons(batch):
    row = batch["grades"]["carol"]
    assert row["id"] == "1001" and points(batch, "carol")[:3] == [0, 0, 0]
    mistake, loop, hog = reasons(batch, "carol")[:3]
    first = batch["exercises"][0]["function"]
    assert mistake.startswith(f"✗ {batch['exercises'][0]['check']}: case 1 of")
    assert batch["words"] in row["exercises"][f"{LECTURE[:2]} {first}"]["report"]
    assert "ran out of time (5 s)" in loop
    assert "Your function raised MemoryError" in hog, hog


def test_a_dead_kernel_costs_only_the_exercises_after_it(batch):
    first, *rest = batch["exercises"]
    assert points(batch, "Dan Doe") == [first["points"]] + [0] * len(rest)
    assert all("the kernel died" in r for r in reasons(batch, "Dan Doe")[1:])


def test_a_deleted_or_edited_check_cell_gets_nothing(batch):
    deleted, edited, intact = reasons(batch, "erin")[:3]
    assert points(batch, "erin")[:3] == [0, 0, batch["exercises"][2]["points"]]
    assert "was deleted" in deleted and "was edited" in edited


def test_invalid_json_gets_nothing_and_the_batch_carries_on(batch):
    assert points(batch, "frank") == [0] * len(batch["exercises"])
    assert all("not a readable notebook (invalid JSON?)" in r for r in reasons(batch, "frank"))


def test_the_csv_has_a_row_per_student_a_column_per_exercise_and_the_total(batch):
    with open(batch["out"] / "grades.csv", newline="") as f:
        rows = list(csv.reader(f))
    maximum = sum(e["points"] for e in batch["exercises"])
    assert rows[0] == ["Student", "ID", *(f"{LECTURE[:2]} {e['function']} ({e['points']})"
                                          for e in batch["exercises"]), f"Total ({maximum})"]
    table = {r[0]: r for r in rows[1:]}
    assert sorted(table) == ["Dan Doe", "alice", "bob", "carol", "erin", "frank"]
    assert table["alice"][-1] == str(maximum) and table["bob"][-1] == "0"
    assert table["carol"][1] == "1001" and table["Dan Doe"][1] == "77"


def test_the_summary_and_the_batch_stay_within_the_limits(batch):
    assert "students graded in" in batch["stdout"] and "alice" in batch["stdout"]
    assert "grading: 100%" in batch["stderr"]  # the progress bar
    kernels = 5  # frank's file never reaches a kernel
    bound = -(-kernels // 2) * (LIMITS["notebook_timeout"] + 90)
    assert batch["seconds"] < bound
    assert len(list((batch["out"] / "feedback").glob("*.html"))) == 6


def test_hidden_cases_pass_the_solutions_and_catch_an_answer_learnt_by_heart(capsys):
    """Each hidden check passes the lecture tests' solutions and fails a function that knows
    only the check's own cases (it passes the check)."""
    import importlib

    from course_utils import check
    from course_utils.check._runner import _same

    from grade import hidden

    tested = 0
    for path in sorted((ROOT / "tests").glob("test_check_lecture*.py")):
        for name, solution in importlib.import_module(path.stem).SOLUTIONS.items():
            assert hidden.HIDDEN[name](solution), capsys.readouterr().out
            known = hidden._recorded(getattr(check, name), solution)["cases"]

            def by_heart(*args, known=known, solution=solution):
                for _words, case in known:
                    if all(_same(a, b) for a, b in zip(args, case)):
                        return solution(*args)
                raise ValueError("not a case I know")

            assert getattr(check, name)(by_heart), capsys.readouterr().out
            assert not hidden.HIDDEN[name](by_heart)
            tested += 1
    assert tested == len(hidden.HIDDEN) == len(check.__all__) - 1  # every check but CheckResult
