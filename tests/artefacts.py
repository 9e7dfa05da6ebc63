"""What the artefact tests share: make's word on whether an artefact is built and up to date, and
the alt text of a page's figures. The tests read `_build/`; only make builds it."""

import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "_build" / "student"  # the student edition, as `make student` makes it
# Make's own variables are left out: make -q here is a fresh make, not a part of a running one.
MAKE_ENV = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}


def make(*args):
    """make's result for args, run in the repository (make -q: 0 up to date, 1 out of date)."""
    return subprocess.run(["make", *args], cwd=ROOT, env=MAKE_ENV, capture_output=True,
                          text=True, timeout=120)


def require(path, target):
    """path, once make says it is built and up to date; else the test fails naming the target."""
    shown = path.relative_to(ROOT)
    if not path.exists():
        pytest.fail(f"{shown} is missing: run `make {target}` first (the tests do not build)")
    if shutil.which("make"):
        result = make("-q", str(shown))
        if result.returncode == 1:
            pytest.fail(f"{shown} is older than what it is made from: run `make {target}`")
        if result.returncode not in (0, 1):
            pytest.fail(f"make -q {shown} failed:\n{result.stderr}")
    return path


class ImageParser(HTMLParser):
    """The attributes of every <img> of one page."""

    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def images_without_alt(page):
    """(every <img>, the sources of those without real alt text): none, empty, the file name that
    docutils writes or the placeholder that nbconvert writes when a cell gives none."""
    parser = ImageParser()
    parser.feed(page)
    missing = []
    for image in parser.images:
        alt, src = (image.get("alt") or "").strip(), image.get("src", "")
        if (not alt or alt == src or alt.endswith((".png", ".jpg", ".svg"))
                or alt.startswith("No description has been provided")):
            missing.append(src[:60])
    return parser.images, missing
