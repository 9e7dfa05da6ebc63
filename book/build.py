"""Assemble the site's sources in _build/src and render them with Sphinx into _build/html.

Usage: python book/build.py --notebooks _build/executed (what `make book` runs). The site shows the
outputs the notebooks hold: nothing is executed here; make executes fresh copies first. Every build
reads every source again, so the pages always show the notebooks as they are now.
Another edition: python book/build.py --notebooks _build/student/notebooks --out _build/student
(writes OUT/src, OUT/doctrees and OUT/html; `make student` does this for the student edition).
"""

import argparse
import os
import shutil
import sys
from pathlib import Path

from sphinx.cmd.build import build_main

from course import ROOT, notebooks
from mathjax import mathjax_dir

SRC, HTML = ROOT / "_build" / "src", ROOT / "_build" / "html"


def assemble(src=SRC, folder=ROOT / "notebooks"):
    """Copy book/ and the lecture notebooks (of folder) into a fresh src, every file dated now
    (a copy keeping an old date would look unchanged to Sphinx's incremental build)."""
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(ROOT / "book", src, copy_function=shutil.copyfile,
                    ignore=shutil.ignore_patterns("build.py", "__pycache__"))
    for notebook in notebooks(folder):
        shutil.copyfile(notebook, src / notebook.name)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Render the course site.")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the edition's lecture notebooks (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build",
                        help="where src/, doctrees/ and html/ go (default: _build)")
    parser.add_argument("--student", action="store_true",
                        help="the student edition: its buttons open the student repository")
    args = parser.parse_args(argv)
    os.environ["COURSE_EDITION"] = "student" if args.student else "instructor"  # read by conf.py
    src, html = args.out.resolve() / "src", args.out.resolve() / "html"
    assemble(src, args.notebooks)
    mathjax_dir()  # fetched now if it must be: inside Sphinx, a failure could not say why
    shutil.rmtree(html, ignore_errors=True)  # no file of an older build (another MathJax) lingers
    # -E: a fresh environment, every page read and written again (the pages are few).
    status = build_main(["-b", "html", "-q", "-W", "--keep-going", "-E",
                         "-d", str(args.out / "doctrees"), str(src), str(html)])
    if status:
        sys.exit(status)
    print(f"The course site is at {html / 'index.html'}")


if __name__ == "__main__":
    main()
