"""The student edition as a repository of its own: what `make release` puts in the student archive.

    python tools/student_repo.py OUT_DIR [STUDENT_DIR]   write the repository's files to OUT_DIR
    python tools/student_repo.py --check                  build it in a temporary folder, set it
                                                          up there and execute every lecture
                                                          (`make student-repo`; minutes)

The repository holds the student notebooks (_build/student/notebooks, made by `make student`), the
course package, pyproject.toml, the lock, environment.yml (Binder), tools/setup.py (the set-up),
the data notice, CHANGELOG and CITATION, and a README with its own two commands and its Binder
and Colab links. Every link that pointed at this repository (pyproject's "Repository") points at
the student repository instead (pyproject's "Student edition"), so that nothing leads a student
to the solutions. An instructor who publishes the student edition pushes these files, tagged
`vX.Y.Z`, to that repository (the Colab cell installs the package from that tag).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

import colab

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "_build" / "student"
TOP_FILES = ("pyproject.toml", "environment.yml", "requirements-lock.txt", "CHANGELOG.md",
             "CITATION.cff", "LICENSE", ".gitignore")
README = """# Neural networks from scratch — student edition {version}

[![Launch Binder](https://mybinder.org/badge_logo.svg)]({binder})

A lecture-notebook course in Python: you build a neural network in NumPy, from a single neuron to a
hidden layer trained by backpropagation you derive yourself. The exercises are left for you: each
"write it yourself" cell says what to write and raises `NotImplementedError` until you do; the
one-line check under it (`cu.check.NAME(your_function)`) tells you, offline, whether your function
is right, and if not what differs and the likely cause.

## Set up (Python {pythons}; Linux, macOS, Windows)

```
python tools/setup.py
.venv/bin/python -m jupyter lab notebooks
```

The first makes `.venv` with the course at the locked versions and prints the second (on Windows
it is `.venv\\Scripts\\python.exe -m jupyter lab notebooks`). `python -m course_utils.check_env`
(with `.venv`'s Python) says whether the set-up is right, and what to type if not. With conda:
`conda env create -f environment.yml`. In VS Code: open this folder, open a lecture and pick the
kernel of `.venv`. Nothing to install: the Binder badge above, or a lecture's Colab link below.

## The lectures

{lectures}

The data: see [`data/README.md`](data/README.md) (provenance and licences).
"""


def version():
    return colab.version()


def _rewrite(text):
    """Links to this repository turned into links to the student repository."""
    instructor = re.escape(colab.repository()) + r"(?![\w.-])"  # not a longer name
    return re.sub(instructor, colab.repository(student=True), text)


def _notebook(path):
    """A student notebook, its Colab cell (if it has one) installing from the student repository."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    source = colab.cell_source(colab.repository(student=True))
    for cell in notebook["cells"]:
        if colab.TAG in cell.get("metadata", {}).get("tags", []):
            cell["source"] = source.splitlines(keepends=True)
    return _rewrite(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode()


def _title(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]).splitlines()[0] if cells else path.stem
    return first.lstrip("# ").strip() or path.stem


def readme(notebooks):
    """The student repository's README: its two commands, Binder and a Colab link per lecture."""
    student = colab.repository(student=True)
    rows = [f"- [{_title(p)}](notebooks/{p.name}) "
            f"([Colab]({colab.colab_link(student, f'notebooks/{p.name}')}))" for p in notebooks]
    pythons = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["classifiers"]
    versions = [c.rsplit(" ", 1)[1] for c in pythons if c.startswith("Programming Language")]
    return README.format(version=version(), binder=colab.binder_link(student),
                         pythons=f"{versions[0]}–{versions[-1]}", lectures="\n".join(rows))


def files(student=STUDENT):
    """{path inside the student repository: bytes} of every file but the site and the PDFs."""
    notebooks = sorted((Path(student) / "notebooks").glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no student notebooks in {student}/notebooks: run `make student`")
    out = {"README.md": readme(notebooks).encode()}
    for name in TOP_FILES:
        if (ROOT / name).is_file():
            out[name] = _rewrite((ROOT / name).read_text(encoding="utf-8")).encode()
    for path in sorted((ROOT / "course_utils").rglob("*")):
        if path.is_file() and path.suffix in (".py", ".txt") and "__pycache__" not in path.parts:
            out[path.relative_to(ROOT).as_posix()] = path.read_bytes()
    out["tools/setup.py"] = (ROOT / "tools" / "setup.py").read_bytes()
    notice = Path(student) / "data" / "README.md"
    out["data/README.md"] = (notice if notice.is_file() else ROOT / "data" / "README.md").read_bytes()
    for path in notebooks:
        out[f"notebooks/{path.name}"] = _notebook(path)
    return out


def add_to(archive, prefix, student=STUDENT):
    """Write the student repository into the open zipfile `archive` under `prefix/`."""
    for name, body in files(student).items():
        archive.writestr(f"{prefix}/{name}", body)


def write(out, student=STUDENT):
    """Write the student repository's files into the folder `out`."""
    for name, body in files(student).items():
        (Path(out) / name).parent.mkdir(parents=True, exist_ok=True)
        (Path(out) / name).write_bytes(body)


def check(student=STUDENT):
    """Build the student repository in a temporary folder, set it up with its own README's first
    command, and execute every lecture there with its own .venv. Returns 0 when all ran."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "student.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            add_to(zipped, "student", student)
        with zipfile.ZipFile(archive) as zipped:
            zipped.extractall(tmp)
        repo = Path(tmp) / "student"
        environ = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        subprocess.run([sys.executable, "tools/setup.py"], cwd=repo, check=True, env=environ)
        python = repo / ".venv" / "bin" / "python"
        failed = []
        for notebook in sorted((repo / "notebooks").glob("*.ipynb")):
            done = subprocess.run([str(python), "-m", "course_utils.execute", "--inplace",
                                   str(notebook)], cwd=repo, env=environ,
                                  capture_output=True, text=True)
            print(f"{'ran' if done.returncode == 0 else 'FAILED'}  {notebook.name}", flush=True)
            if done.returncode:
                failed.append(notebook.name)
                print(done.stderr[-3000:])
        return int(bool(failed))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:
        sys.exit(check(*sys.argv[2:3]))
    if not sys.argv[1:]:
        sys.exit(__doc__)
    write(*sys.argv[1:3])
