"""tools/colab.py: the links made from pyproject's one repository URL, and the Colab set-up cell:
put first, idempotent, silent outside Colab, and on Colab (a stand-in module) installing the course
package, tested offline from a local wheel."""

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest

import colab
from conftest import ROOT
from course import NOTEBOOKS


def test_every_link_comes_from_pyprojects_repository_url():
    repo = colab.repository()
    assert repo == "https://github.com/nn-from-scratch/course"
    assert colab.colab_link(repo, "notebooks/01_single_neuron.ipynb") == (
        "https://colab.research.google.com/github/nn-from-scratch/course/blob/main/"
        "notebooks/01_single_neuron.ipynb")
    assert colab.binder_link(repo) == (
        "https://mybinder.org/v2/gh/nn-from-scratch/course/HEAD?urlpath=lab/tree/notebooks")
    assert colab.repository(student=True) != repo
    readme = (ROOT / "README.md").read_text()
    assert colab.binder_link(repo) in readme
    for notebook in NOTEBOOKS:
        link = colab.colab_link(repo, notebook.relative_to(ROOT))
        assert f"[Colab]({link})" in readme, link
    owners = set(re.findall(r"(?:github\.com|gh)/([\w-]+/[\w-]+)", readme))
    assert owners <= {"nn-from-scratch/course", "computationalmodelling/nbval"}, owners
    with pytest.raises(ValueError, match="not a GitHub repository URL"):
        colab.colab_link("https://example.org/x", "a.ipynb")


def test_the_cell_installs_this_release_from_the_repository():
    source = colab.cell_source()
    version = colab.version()
    assert f'"course_utils @ git+{colab.repository()}@v{version}"' in source
    assert 'if "google.colab" in sys.modules:' in source
    compile(source, "cell", "exec")


@pytest.fixture
def notebook(tmp_path):
    """Lecture 01 without its set-up cell."""
    path = tmp_path / "lecture.ipynb"
    shutil.copy(NOTEBOOKS[0], path)
    nb = json.loads(path.read_text())
    nb["cells"] = [c for c in nb["cells"] if colab.TAG not in c["metadata"].get("tags", [])]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
    return path


def test_insert_puts_the_cell_first_and_is_idempotent(notebook):
    before = json.loads(notebook.read_text())
    assert colab.check(notebook) is not None
    assert colab.insert(notebook) is True
    first = notebook.read_text()
    assert colab.insert(notebook) is False and notebook.read_text() == first
    cells = json.loads(first)["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    assert code[0]["metadata"]["tags"] == ["colab-setup"] and code[0]["id"] == "colab-setup"
    assert "".join(code[0]["source"]) == colab.cell_source()
    assert len(cells) == len(before["cells"]) + 1
    assert [c for c in cells if c is not code[0]] == before["cells"]  # the rest untouched
    assert colab.check(notebook) is None
    assert first.endswith("}\n") and '\n "cells": [\n  {\n' in first  # indent=1, as committed
    # A new release updates the cell in place.
    assert colab.insert(notebook, colab.cell_source(release="9.9.9")) is True
    cells = json.loads(notebook.read_text())["cells"]
    assert sum("colab-setup" in c["metadata"].get("tags", []) for c in cells) == 1
    assert colab.check(notebook) == f"{notebook}: the Colab set-up cell is not this release's"


def run_cell(source, tmp_path, on_colab, **env):
    """Run the cell's code in a fresh interpreter, with a stand-in google.colab module or not."""
    stand_in = "import sys, types; sys.modules['google.colab'] = types.ModuleType('google.colab')\n"
    script = tmp_path / "cell.py"
    script.write_text((stand_in if on_colab else "") + source + "\n")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "PIP_"))}
    environ.update(env)
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          env=environ, timeout=300, check=False)


def test_outside_colab_the_cell_does_nothing(tmp_path):
    # A requirement pip could never install: had the cell called pip, it would fail.
    done = run_cell(colab.cell_source(spec="no-such-package-anywhere==0"), tmp_path, False,
                    PIP_NO_INDEX="1")
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


def build_wheel(folder):
    """A wheel of course_utils (the package files and its metadata), made with the standard library."""
    version = colab.version()
    name = f"course_utils-{version}"
    files = {str(p.relative_to(ROOT)): p.read_bytes()
             for p in sorted((ROOT / "course_utils").rglob("*"))
             if p.is_file() and p.suffix in (".py", ".txt")}
    metadata = f"Metadata-Version: 2.1\nName: course_utils\nVersion: {version}\n"
    files[f"{name}.dist-info/METADATA"] = metadata.encode()
    files[f"{name}.dist-info/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: test\n"
                                        b"Root-Is-Purelib: true\nTag: py3-none-any\n")
    record = [f"{path},sha256={base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b'=').decode()},{len(body)}"
              for path, body in files.items()] + [f"{name}.dist-info/RECORD,,"]
    files[f"{name}.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / f"{name}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, body in files.items():
            archive.writestr(path, body)
    return wheel


def test_on_colab_the_cell_installs_the_course_package(tmp_path):
    """Offline: the cell, as rendered, but installing from a local wheel instead of the repository."""
    wheel = build_wheel(tmp_path)
    site = tmp_path / "site"
    source = colab.cell_source(spec=f"course_utils @ {wheel.as_uri()}")
    done = run_cell(source, tmp_path, True, PIP_NO_INDEX="1", PIP_NO_DEPS="1",
                    PIP_TARGET=str(site))
    assert done.returncode == 0, done.stdout + done.stderr
    installed = (site / "course_utils" / "__init__.py").read_text()
    assert f'__version__ = "{colab.version()}"' in installed
    assert (site / "course_utils" / "registry" / "bundled.txt").is_file()  # the data's registry
    assert (site / f"course_utils-{colab.version()}.dist-info").is_dir()
