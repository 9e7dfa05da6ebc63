"""Assemble the site's sources in _build/src and render them with Sphinx into _build/html.

Usage: python book/build.py. The notebooks are executed afresh by myst-nb during the build.
Another edition: python book/build.py --notebooks _build/student/notebooks --out _build/student
(writes OUT/src, OUT/doctrees and OUT/html; tools/editions.py does this for the student edition).
"""

import argparse
import shutil
import sys
from pathlib import Path

from sphinx.cmd.build import build_main

from course import ROOT, notebooks

SRC, HTML = ROOT / "_build" / "src", ROOT / "_build" / "html"


def assemble(src=SRC, folder=ROOT / "notebooks"):
    """Copy book/ and the lecture notebooks (of folder) into a fresh src."""
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(ROOT / "book", src, ignore=shutil.ignore_patterns("build.py", "__pycache__"))
    for notebook in notebooks(folder):
        shutil.copy2(notebook, src / notebook.name)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Render the course site.")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the edition's lecture notebooks (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build",
                        help="where src/, doctrees/ and html/ go (default: _build)")
    args = parser.parse_args(argv)
    src, html = args.out / "src", args.out / "html"
    assemble(src, args.notebooks)
    status = build_main(["-b", "html", "-q", "-W", "--keep-going", "-d", str(args.out / "doctrees"),
                         str(src), str(html)])
    if status:
        sys.exit(status)
    print(f"The course site is at {html / 'index.html'}")


if __name__ == "__main__":
    main()
