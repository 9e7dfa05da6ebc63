"""`make pdf`: one PDF per lecture and the course PDF, checked page by page with poppler."""

import json
import os
import shutil
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from conftest import ROOT

PDF = ROOT / "_build" / "pdf"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def title(path):
    return json.loads(path.read_text())["cells"][0]["source"][0].lstrip("#").strip()


@pytest.fixture(scope="module")
def pdfs():
    missing = [tool for tool in ("chromium", "pdftoppm", "pdftotext") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"no {', '.join(missing)}: install Debian's chromium and poppler-utils")
    course = PDF / "course.pdf"
    sources = [*NOTEBOOKS, ROOT / "book" / "pdf.py"]
    if not course.exists() or max(p.stat().st_mtime for p in sources) > course.stat().st_mtime:
        subprocess.run([sys.executable, str(ROOT / "book" / "pdf.py")], check=True, cwd=ROOT,
                       capture_output=True, timeout=600, env=dict(os.environ))
    return PDF


def text_of(pdf):
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_one_pdf_per_lecture_and_a_course_pdf(pdfs):
    for notebook in NOTEBOOKS:
        assert (pdfs / f"{notebook.stem}.pdf").stat().st_size > 50_000
    assert (pdfs / "course.pdf").exists()


def test_course_pdf_has_title_contents_every_lecture_and_formulas(pdfs):
    text = text_of(pdfs / "course.pdf")
    first_pages = [" ".join(page.split()) for page in text.split("\f")[:2]]
    assert "Neural networks from scratch" in first_pages[0]
    assert "Contents" in first_pages[1]
    for notebook in NOTEBOOKS:
        assert title(notebook) in " ".join(text.split()), f"{title(notebook)} is not in the PDF"
        assert title(notebook) in first_pages[1], "every lecture is in the table of contents"
    # Typeset formulas come through as text: the gradient of lecture 01 and σ, ∂, Θ, λ, η.
    assert "(ŷ − y)" in text.replace("( ŷ", "(ŷ")
    for symbol in ("σ", "∂", "Θ", "λ", "η", "∑"):
        assert symbol in text, f"{symbol} not found: math or Greek letters did not render"


def test_no_page_is_blank(pdfs, tmp_path):
    subprocess.run(["pdftoppm", "-r", "20", "-gray", str(pdfs / "course.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) > 6 * 5
    blank = [p.name for p in pages if np.asarray(Image.open(p)).min() > 200]
    assert not blank, f"blank pages: {blank}"
