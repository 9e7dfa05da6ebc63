"""`make pdf`: one PDF per lecture and the course PDF, checked page by page with poppler.

The PDFs are made by make, never here: the tests fail, naming the target, when they are missing or
older than anything they are made from.
"""

import json
import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from artefacts import ROOT, images_without_alt, require
from course import NOTEBOOKS

PDF = ROOT / "_build" / "pdf"


def title(path):
    return json.loads(path.read_text())["cells"][0]["source"][0].lstrip("#").strip()


@pytest.fixture(scope="module")
def pdfs():
    missing = [tool for tool in ("chromium", "pdftoppm", "pdftotext") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"no {', '.join(missing)}: install Debian's chromium and poppler-utils")
    require(PDF / "course.pdf", "pdf")
    return PDF


def lecture_html(notebook):
    """The HTML page that book/pdf.py had chromium print for a lecture (it keeps them)."""
    import pdf

    return (pdf.WORK / f"{notebook.stem}.html").read_text(encoding="utf-8")


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


def alt_texts(node, found):
    """The /Alt entries of a tagged PDF's structure tree under `node`."""
    node = node.get_object()
    if isinstance(node, dict):
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            kids = kids.get_object()
            for kid in kids if isinstance(kids, list) else [kids]:
                alt_texts(kid, found)
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_lecture_pdf_carries_the_alt_text_of_its_figures(pdfs, notebook):
    """The lecture PDFs are tagged: a screen reader finds each figure's alt text in them."""
    from pypdf import PdfReader

    root = PdfReader(pdfs / f"{notebook.stem}.pdf").trailer["/Root"]
    assert "/StructTreeRoot" in root, "the PDF is not tagged"
    alts = alt_texts(root["/StructTreeRoot"], [])
    images, _ = images_without_alt(lecture_html(notebook))
    wanted = [image["alt"] for image in images if image.get("alt")]
    assert all(alt.strip() for alt in alts)
    assert len(alts) >= len(wanted) > 0, (len(alts), len(wanted))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_figure_in_the_pdf_has_alt_text(pdfs, notebook):
    """The HTML that chromium printed gives each figure its cell's alt text (the site's too);
    it is read from the PDF's build, so it needs chromium, as the PDFs do."""
    images, missing = images_without_alt(lecture_html(notebook))
    assert images, "no figures found"
    assert not missing, f"{len(missing)} of {len(images)} figures have no alt text"


def test_the_pdf_carries_a_cells_alt_text(tmp_path):
    """The mechanism, on a notebook made here: two figures in one cell, one in another, none in a
    third."""
    import nbformat

    import pdf

    dot = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    figure = nbformat.v4.new_output("display_data", data={"image/png": dot, "text/plain": "<Figure>"})
    cells = [nbformat.v4.new_markdown_cell("# 00 — A test"),
             nbformat.v4.new_code_cell("plot()", outputs=[figure, figure]),
             nbformat.v4.new_code_cell("plot()", outputs=[figure]),
             nbformat.v4.new_code_cell("plot()", outputs=[figure])]
    cells[1].metadata["mystnb"] = {"image": {"alt": 'Two dots: x < 1 & "y"'}}
    cells[2].metadata["mystnb"] = {"image": {"alt": "One dot"}}
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "lecture.ipynb")
    _, page = pdf.to_html(tmp_path / "lecture.ipynb")
    images, missing = images_without_alt(page)
    alts = [image.get("alt") for image in images]
    assert alts[:3] == ['Two dots: x < 1 & "y"'] * 2 + ["One dot"]
    assert len(images) == 4 and len(missing) == 1  # nbconvert's placeholder is no alt text
