"""tools/student_repo.py: the student archive as a repository of its own. Fast checks of what it
holds; `make student-repo` sets it up in a temporary folder and executes every lecture there."""

import json
import re
import zipfile

import nbformat
import pytest

import colab
import student_repo
from course import NOTEBOOKS
from leaks import needles, scan
from student import student_notebook


@pytest.fixture(scope="module")
def student(tmp_path_factory):
    """Student notebooks (not executed) made from the lectures, one with a Colab cell."""
    folder = tmp_path_factory.mktemp("student")
    (folder / "notebooks").mkdir()
    for path in NOTEBOOKS:
        nbformat.write(student_notebook(nbformat.read(path, as_version=4)),
                       folder / "notebooks" / path.name)
    colab.insert(folder / "notebooks" / NOTEBOOKS[0].name)
    return folder


@pytest.fixture(scope="module")
def repo(student):
    return student_repo.files(student)


def test_it_is_a_complete_repository(repo):
    for name in ("README.md", "pyproject.toml", "environment.yml", "requirements-lock.txt",
                 "tools/setup.py", "course_utils/__init__.py", "course_utils/registry/bundled.txt",
                 "data/README.md", *(f"notebooks/{p.name}" for p in NOTEBOOKS)):
        assert name in repo, name
    assert not any(name.startswith(("tests/", "book/", "benchmarks/")) for name in repo)


def test_its_readme_has_its_own_two_commands_and_links(repo):
    readme = repo["README.md"].decode()
    assert re.findall(r"^(python tools/setup\.py|\.venv/bin/python -m jupyter lab notebooks)$",
                      readme, re.M) == ["python tools/setup.py",
                                        ".venv/bin/python -m jupyter lab notebooks"]
    student = colab.repository(student=True)
    assert colab.binder_link(student) in readme
    for path in NOTEBOOKS:
        assert colab.colab_link(student, f"notebooks/{path.name}") in readme


def test_no_link_leads_to_the_instructors_repository(repo):
    instructor = re.compile(re.escape(colab.repository()).encode() + rb"(?![\w.-])")
    for name, body in repo.items():
        assert not instructor.search(body), name
    cell = next(c for c in json.loads(repo[f"notebooks/{NOTEBOOKS[0].name}"])["cells"]
                if colab.TAG in c["metadata"].get("tags", []))
    assert "".join(cell["source"]) == colab.cell_source(colab.repository(student=True))


def test_it_holds_no_solution_text(student, repo, tmp_path):
    assert scan(repo, needles(NOTEBOOKS)) == []
    archive = tmp_path / "student.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        student_repo.add_to(zipped, "student", student)
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(n.split("/", 1)[1] for n in zipped.namelist()) == sorted(repo)
