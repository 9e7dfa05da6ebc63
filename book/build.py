"""Assemble the site's sources in _build/src and render them with Sphinx into _build/html.

Usage: python book/build.py. The notebooks are executed afresh by myst-nb during the build.
"""

import shutil
import sys
from pathlib import Path

from sphinx.cmd.build import build_main

ROOT = Path(__file__).resolve().parent.parent
SRC, HTML = ROOT / "_build" / "src", ROOT / "_build" / "html"


def assemble():
    """Copy book/ and notebooks/*.ipynb into a fresh _build/src."""
    shutil.rmtree(SRC, ignore_errors=True)
    shutil.copytree(ROOT / "book", SRC, ignore=shutil.ignore_patterns("build.py", "__pycache__"))
    for notebook in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
        shutil.copy2(notebook, SRC / notebook.name)


def main():
    assemble()
    status = build_main(["-b", "html", "-q", "-W", "--keep-going", "-d", str(ROOT / "_build" / "doctrees"),
                         str(SRC), str(HTML)])
    if status:
        sys.exit(status)
    print(f"The course site is at {HTML / 'index.html'}")


if __name__ == "__main__":
    main()
