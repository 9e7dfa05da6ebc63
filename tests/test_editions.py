"""Editions and releases: the student edition (`make student`: tools/student.py, tools/leaks.py)
has no solution text in its notebooks, site or PDF and runs top to bottom; releases
(tools/release.py); the version is the same everywhere.

The student edition is made by make, never here: the tests that read it fail, naming the target,
when it is missing or older than anything it is made from.
"""

import configparser
import json
import re
import shutil
import subprocess
import tomllib
import zipfile

import nbformat
import pytest
import yaml

from course_utils import execute
from course_utils.run_env import RUN_ENV

import leaks
import release
from artefacts import ROOT, STUDENT, make, require
from course import LECTURES, NOTEBOOKS
from student import BEGIN, END, exercise_section, student_edition, student_notebook


def version():
    return release.version()


# --- the transformation, on a small notebook made here --------------------------------------

def master():
    """An instructor's notebook with one exercise, its check and two worked solutions."""
    cells = [
        nbformat.v4.new_markdown_cell("# 00 — A test\n\nWrite `double`."),
        nbformat.v4.new_code_cell("import course_utils as cu"),
        nbformat.v4.new_code_cell(
            'def double(x):\n    """2x for an array x."""\n    ### BEGIN SOLUTION\n'
            "    doubled_for_the_instructor_only = 2 * x\n"
            "    return doubled_for_the_instructor_only\n    ### END SOLUTION",
            metadata={"tags": ["exercise"]}),
        nbformat.v4.new_code_cell("cu.check.weights_image(double)", metadata={"tags": ["check"]}),
        nbformat.v4.new_code_cell(
            "# Solution 1: a secret loop over the examples\nprint('the secret printed answer')",
            metadata={"tags": ["solution", "hide-cell"],
                      "jupyter": {"source_hidden": True, "outputs_hidden": True}},
            outputs=[nbformat.v4.new_output("stream", text="the secret printed answer\n")]),
        nbformat.v4.new_markdown_cell(
            "The reason, in words: **the cost is not convex in the weights** at all.",
            metadata={"tags": ["solution", "hide-cell"], "jupyter": {"source_hidden": True}}),
        nbformat.v4.new_code_cell("print('after the exercises')"),
    ]
    return nbformat.v4.new_notebook(cells=cells)


def test_exercise_bodies_become_a_stub_that_raises():
    nb = student_notebook(master())
    exercise = nb.cells[2]
    assert exercise.source == ('def double(x):\n    """2x for an array x."""\n    raise '
                               'NotImplementedError("double: replace this line with your code")')
    assert "raises-exception" in exercise.metadata["tags"]
    assert nb.cells[3].source == "cu.check.weights_image(double)"


def test_worked_solutions_become_answer_cells_shown_and_empty():
    nb = student_notebook(master())
    code, text = nb.cells[4], nb.cells[5]
    assert code.source == "# Your answer here" and code.outputs == []
    assert text.source == "*Your answer here.*"
    for cell in (code, text):
        assert "jupyter" not in cell.metadata
        assert not {"solution", "hide-cell"} & set(cell.metadata.get("tags", []))
    assert master().cells[4].metadata["tags"] == ["solution", "hide-cell"], "the master is kept"


def test_the_student_edition_does_not_promise_hidden_solutions():
    nb = master()
    nb.cells.insert(1, nbformat.v4.new_markdown_cell(
        "1. **A question.** Why?\n\nSolutions are in the hidden cells below (click to expand)."))
    assert student_notebook(nb).cells[1].source == (
        "1. **A question.** Why?\n\nWrite your answers in the cells below.")


def test_unclosed_markers_are_an_error():
    nb = master()
    nb.cells[2].source = nb.cells[2].source.replace("### END SOLUTION", "")
    with pytest.raises(ValueError, match="without"):
        student_notebook(nb)


def test_the_exercises_must_close_a_lecture():
    """The student edition keeps the instructor's outputs before the exercises: a lecture cell
    after them is refused by name (the master above ends with one); an empty cell is not."""
    with pytest.raises(ValueError, match=r"cell 6 is lecture code after the exercises began "
                                         r"\(cell 2\)(.|\n)*after the exercises"):
        exercise_section(master())
    nb = master()
    nb.cells[6].source = "  \n"
    assert exercise_section(nb) == (1, 2)
    nb.cells[1].source = "import numpy as np"
    with pytest.raises(ValueError, match="no set-up cell"):
        exercise_section(nb)
    nb.cells[1].source = "import course_utils as cu\n### BEGIN SOLUTION\n### END SOLUTION"
    with pytest.raises(ValueError, match=r"set-up cell \(cell 1\) must come before"):
        exercise_section(nb)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_exercises_close_each_lecture(path):
    exercise_section(nbformat.read(path, as_version=4))  # raises, naming the cell, if not


def executed_master():
    """master() without its last cell, as if executed: counts 1, 2, ... on the code cells."""
    nb = master()
    del nb.cells[6]
    for count, cell in enumerate((c for c in nb.cells if c.cell_type == "code"), 1):
        cell.execution_count = count
    return nb


def test_an_unexecuted_lecture_is_refused():
    nb = executed_master()
    nb.cells[1].execution_count = None
    with pytest.raises(ValueError, match="not executed top to bottom"):
        student_edition(nb, ROOT)


@pytest.mark.parametrize("cell, source, words", [
    (2, "\n\n\nprint(scale)", "line 6 runs when the cell does"),
    (2, "\n\n\ndef triple(x, k=scale):\n    return k * x", "`def triple` has defaults"),
    (2, "\n\n\n@functools.cache\ndef triple(x):\n    return 3 * x", "`def triple` has defaults"),
    (3, "\nprint(scale)", "a check cell is one line"),
    (2, "\n\n\ndef triple(x:\n    pass", "it does not parse"),
])
def test_an_exercise_that_could_read_the_lecture_is_refused(cell, source, words):
    """Run after the set-up cell alone, such a cell could print what the whole run does not."""
    nb = executed_master()
    nb.cells.insert(2, nbformat.v4.new_code_cell("scale = 2", execution_count=2))
    nb.cells[cell + 1].source += source
    with pytest.raises(ValueError, match=rf"cell {cell + 1}: {words}(.|\n)*set-up cell \(cell 1\)"):
        student_edition(nb, ROOT)


def test_the_exercises_run_after_the_set_up_cell(tmp_path):
    """The check reports on the stub, the outputs before the exercises are the instructor's,
    and the counts run on as one run numbers them."""
    nb = executed_master()
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="set up\n")]
    made = student_edition(nb, tmp_path)
    printed = "".join(o.get("text", "") for o in made.cells[3].outputs)
    assert printed.startswith("✗ weights_image") and "not written yet" in printed, printed
    assert made.cells[1].outputs == nb.cells[1].outputs
    assert [c.execution_count for c in made.cells if c.cell_type == "code"] == [1, 2, 3, 4]


def test_only_the_widgets_the_outputs_show_are_kept():
    """The instructor's saved widget state also holds those of its worked solutions."""
    from student import WIDGET_STATE, WIDGET_VIEW, keep_shown_widgets

    nb = executed_master()
    nb.cells[1].outputs = [nbformat.v4.new_output(
        "display_data", data={WIDGET_VIEW: {"model_id": "a1"}, "text/plain": "Slider"})]
    nb.metadata.widgets = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {
        "a1": {"state": {"layout": "IPY_MODEL_b2"}}, "b2": {"state": {}},
        "c3": {"state": {"value": "the secret"}}}}}
    keep_shown_widgets(nb)
    assert set(nb.metadata.widgets[WIDGET_STATE]["state"]) == {"a1", "b2"}


def masked(nb):
    """Each code cell's source, count and outputs, as nbval compares them: with its masks
    (tests/nbval_sanitize.cfg) applied, and no outputs for a cell tagged nbval-ignore-output."""
    config = configparser.ConfigParser()
    config.read(ROOT / "tests" / "nbval_sanitize.cfg", encoding="utf-8")
    masks = [(re.compile(config[s]["regex"]), config[s]["replace"]) for s in config.sections()]
    text = json.dumps([[c.source, c.execution_count,
                        [] if "nbval-ignore-output" in c.metadata.get("tags", []) else c.outputs]
                       for c in nb.cells if c.cell_type == "code"],
                      sort_keys=True, indent=1, ensure_ascii=False)
    for pattern, replacement in masks:
        text = pattern.sub(replacement, text)
    return text.splitlines()


def test_the_scan_finds_each_kind_of_solution_text(tmp_path):
    path = tmp_path / "00_test.ipynb"
    nbformat.write(master(), path)
    needles = leaks.needles([path])
    for secret in ["doubled_for_the_instructor_only = 2 * x", "the secret printed answer",
                   "Solution 1: a secret loop over the examples",
                   "the cost is not convex in the weights"]:
        assert secret in needles
    assert not [n for n in needles if "after the exercises" in n or "2x for an array" in n]
    student = nbformat.writes(student_notebook(master())).encode()
    assert leaks.scan({"00_test.ipynb": student}, needles) == []
    leaked = "<p>The reason: <strong>the cost is not convex in the weights</strong> at all.</p>"
    assert leaks.scan({"page.html": leaked.encode()}, needles) == [
        "page.html: the cost is not convex in the weights"]
    archive = tmp_path / "edition.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("top/notebooks/00_test.ipynb", nbformat.writes(master()))
    assert leaks.scan(leaks.files_in_archive(archive), needles)


# --- the student edition, built once ------------------------------------------------------------

@pytest.fixture(scope="module")
def student():
    """_build/student as `make student` left it, up to date."""
    require(STUDENT / ".built", "student")
    return STUDENT


def test_a_change_to_the_package_remakes_every_student_lecture(student):
    """What `make student` would run were course_utils edited now (make -n -W): each lecture
    executed, then its student edition made from that execution."""
    plan = make("-n", "-W", "course_utils/plotting.py", "student")
    assert plan.returncode == 0, plan.stderr
    made = re.findall(r"tools/student\.py (_build/executed/\S+\.ipynb) "
                      r"(_build/student/notebooks/\S+\.ipynb)", plan.stdout)
    assert sorted(made) == [(f"_build/executed/{name}.ipynb",
                             f"_build/student/notebooks/{name}.ipynb") for name in LECTURES]
    executed = re.findall(r"--out _build/executed (notebooks/\S+\.ipynb)", plan.stdout)
    assert sorted(executed) == [f"notebooks/{name}.ipynb" for name in LECTURES]
    assert "tools/leaks.py" in plan.stdout


def test_the_student_edition_is_what_running_it_top_to_bottom_gives(student, monkeypatch,
                                                                    tmp_path):
    """tools/student.py keeps the instructor's outputs up to the exercises and runs only these:
    lecture 01's student notebook, so made, equals a whole run of it in a fresh kernel, every
    output and count as nbval compares them (timings masked)."""
    whole = student_notebook(nbformat.read(NOTEBOOKS[0], as_version=4))
    for cell in whole.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    for key, value in RUN_ENV.items():  # as make runs it (the bundled digits, one thread)
        monkeypatch.setenv(key, value)
    execute.run(whole, tmp_path)
    made = nbformat.read(student_notebooks(student)[0], as_version=4)
    assert masked(made) == masked(whole)


def student_notebooks(folder):
    return [folder / "notebooks" / f"{name}.ipynb" for name in LECTURES]


@pytest.fixture(scope="module")
def needles():
    """The instructor solutions' distinctive lines; the lectures have solutions to look for."""
    found = leaks.needles(NOTEBOOKS)
    assert len(found) >= 10 * len(LECTURES)
    return found


def test_every_lecture_is_there_with_its_exercises_stubbed(student):
    for path, master_path in zip(student_notebooks(student), NOTEBOOKS, strict=True):
        nb, master_nb = (json.loads(p.read_text()) for p in (path, master_path))
        assert len(nb["cells"]) == len(master_nb["cells"])
        for cell in nb["cells"]:
            text = "".join(cell["source"])
            assert BEGIN not in text and END not in text
            if "exercise" in cell["metadata"].get("tags", []):
                assert "raise NotImplementedError(" in text


def test_the_student_notebooks_hold_no_solution_text(student, needles):
    files = {p.name: p.read_bytes() for p in student_notebooks(student)}
    assert leaks.scan(files, needles) == []


def test_the_student_notebooks_count_as_one_run_and_their_checks_report_the_stubs(student):
    for path in student_notebooks(student):
        cells = [c for c in json.loads(path.read_text())["cells"]
                 if c["cell_type"] == "code" and "".join(c["source"]).strip()]
        assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1)), path.name
        outputs = [o for c in cells for o in c["outputs"]]
        assert not [o for o in outputs if o["output_type"] == "error"], path.name
        for cell in cells:
            if "check" in cell["metadata"].get("tags", []):
                printed = "".join("".join(o.get("text", "")) for o in cell["outputs"])
                assert printed.startswith("✗ ") and "not written yet" in printed, printed


def test_the_student_sites_buttons_open_the_student_repository(student):
    from course import repository_url

    instructor = repository_url().removeprefix("https://github.com/")
    student_repo = repository_url(student=True).removeprefix("https://github.com/")
    for name in LECTURES:
        page = (student / "html" / f"{name}.html").read_text()
        assert f"gh/{student_repo}/" in page and f"github/{student_repo}/" in page  # Binder, Colab
        assert f"gh/{instructor}/" not in page and f"github/{instructor}/" not in page


def test_the_student_site_holds_no_solution_text(student, needles):
    pages = leaks.files_in(student / "html")
    assert {f"{name}.html" for name in LECTURES} <= set(pages)
    assert leaks.scan(pages, needles) == []


@pytest.fixture
def student_pdf(student):
    """The student edition's course PDF (make student writes it where there is a browser)."""
    course = student / "pdf" / "course.pdf"
    if not course.exists():
        pytest.skip("no PDF: the student PDF needs Debian's chromium and poppler-utils")
    return course


def test_the_student_pdf_holds_no_solution_text(student_pdf, needles):
    assert leaks.scan({"course.pdf": student_pdf.read_bytes()}, needles) == []


def test_a_pdf_is_read_once_under_any_name(student, student_pdf, monkeypatch):
    """The tests scan the same PDFs in several places: each is read by pdftotext once."""
    course = student_pdf
    calls, run = [], subprocess.run
    monkeypatch.setattr(leaks.subprocess, "run", lambda *a, **k: calls.append(a) or run(*a, **k))
    monkeypatch.setattr(leaks, "_PDF_TEXTS", {})
    first = leaks.text_of("pdf/course.pdf", course.read_bytes())
    assert leaks.text_of("nn-from-scratch/pdf/course.pdf", course.read_bytes()) == first
    lecture = leaks.text_of("pdf/01.pdf", (student / "pdf" / f"{LECTURES[0]}.pdf").read_bytes())
    assert lecture != first
    assert len(calls) == 2


# --- releases ------------------------------------------------------------------------------------

def fake_instructor_build(folder, student):
    """Stand-ins for the instructor's site and PDF (make book and make pdf take minutes)."""
    (folder / "html").mkdir(parents=True)
    (folder / "html" / "index.html").write_text("<p>the instructor's site</p>")
    shutil.copytree(student / "pdf", folder / "pdf", ignore=shutil.ignore_patterns("html"))
    return folder


def test_a_release_packs_both_editions_with_the_version(student, needles, tmp_path):
    instructor = fake_instructor_build(tmp_path / "instructor", student)
    student_zip, instructor_zip = release.build_release(NOTEBOOKS, tmp_path / "release",
                                                        student, instructor)
    assert student_zip.name == f"nn-from-scratch-{version()}-student.zip"
    assert instructor_zip.name == f"nn-from-scratch-{version()}-instructor.zip"
    with zipfile.ZipFile(student_zip) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
    for name in LECTURES:
        assert {f"notebooks/{name}.ipynb", f"html/{name}.html"} <= names
    assert {"README.md", "data/README.md", "course_utils/__init__.py", "pyproject.toml",
            "CHANGELOG.md", "CITATION.cff", "requirements-lock.txt", "environment.yml",
            "tools/setup.py"} <= names, "the student archive is a repository of its own"
    assert not [n for n in names if n.startswith("pdf/") and not n.endswith(".pdf")
                or n.startswith("pdf/html/")], "the PDFs only, not their working files"
    assert leaks.scan(leaks.files_in_archive(student_zip), needles) == []
    with zipfile.ZipFile(instructor_zip) as archive:
        names = {n.split("/", 1)[1] for n in archive.namelist()}
    assert {f"notebooks/{name}.ipynb" for name in LECTURES} <= names
    assert {"_build/html/index.html", "Makefile", "tools/student.py"} <= names
    assert leaks.scan(leaks.files_in_archive(instructor_zip), needles), (
        "the instructor archive holds the solutions")


def test_a_release_refuses_a_student_edition_with_solutions(student, tmp_path):
    leaky = tmp_path / "student"
    shutil.copytree(student, leaky, ignore=shutil.ignore_patterns("html", "pdf"))
    for part in ("html", "pdf"):
        (leaky / part).mkdir()
    shutil.copy2(NOTEBOOKS[0], leaky / "notebooks")
    instructor = fake_instructor_build(tmp_path / "instructor", student)
    with pytest.raises(SystemExit, match="Solution text in the student archive"):
        release.build_release(NOTEBOOKS, tmp_path / "release", leaky, instructor)
    assert not list((tmp_path / "release").glob("*student.zip"))


# --- one version everywhere ---------------------------------------------------------------------

def test_the_version_is_one_string_of_the_form_major_minor_patch():
    assert re.fullmatch(r"\d+\.\d+\.\d+", version())
    import course_utils

    assert course_utils.__version__ == version()


def test_pyproject_takes_the_version_from_the_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    if "version" in project["project"]:
        assert project["project"]["version"] == version()
    else:
        assert "version" in project["project"]["dynamic"]
        dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
        assert dynamic == {"attr": "course_utils.__version__"}


def test_citation_cff_is_valid_and_carries_the_version():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str) and isinstance(cff["title"], str)
    assert cff["authors"] and all({"name", "family-names"} & set(a) for a in cff["authors"])
    assert cff["version"] == version()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(cff["date-released"]))
    allowed = {"abstract", "authors", "cff-version", "date-released", "doi", "identifiers",
               "keywords", "license", "message", "repository-code", "title", "type", "url",
               "version", "contact", "preferred-citation", "references", "commit"}
    assert set(cff) <= allowed


def test_the_changelog_latest_release_is_the_version():
    text = (ROOT / "CHANGELOG.md").read_text()
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", text, re.MULTILINE)
    assert releases and releases[0][0] == version()
    assert "## [Unreleased]" in text and f"[{version()}]: " in text
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert str(cff["date-released"]) == releases[0][1]


def test_the_site_footer_shows_the_version(student):
    page = (student / "html" / f"{LECTURES[0]}.html").read_text()
    assert f"version {version()}" in page


def test_the_pdf_title_page_shows_the_version(student):
    course = student / "pdf" / "course.pdf"
    if not course.exists():
        pytest.skip("no PDF: the student PDF needs Debian's chromium and poppler-utils")
    first = subprocess.run(["pdftotext", "-l", "1", str(course), "-"], capture_output=True,
                           text=True, check=True).stdout
    assert f"Version {version()}" in first and "Student edition" in first
