"""The slides `make slides` wrote (_build/slides, and the student edition's in
_build/student/slides): one deck per lecture, opened in Chromium with every request that would
leave the machine blocked; math typeset, slides counted, speaker notes from the `notes` tag.
The decks are made by make, never here."""

import shutil

import nbformat
import pytest

from artefacts import ROOT, require
from course import LECTURES, NOTEBOOKS
from leaks import needles, scan_paths
from mathjax import TYPESET
from slides import mark_slides, slide_type

EDITIONS = {"instructor": ROOT / "_build" / "slides", "student": ROOT / "_build" / "student" / "slides"}


@pytest.fixture(scope="module")
def decks():
    if not shutil.which("npm"):
        pytest.skip("no npm: `make slides` fetches reveal.js with it (install Node.js)")
    for folder in EDITIONS.values():
        require(folder / ".built", "slides")
    return EDITIONS


def deck(edition, lecture):
    return EDITIONS[edition] / f"{lecture}.html"


def test_headings_start_slides_and_the_notes_tag_makes_speaker_notes():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 01 — Title"),
        nbformat.v4.new_markdown_cell("Some words."),
        nbformat.v4.new_markdown_cell("## A section"),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("### A sub-section"),
        nbformat.v4.new_markdown_cell("Say this aloud.", metadata={"tags": ["notes"]}),
    ])
    kinds = [c.metadata.slideshow.slide_type for c in mark_slides(nb).cells]
    assert kinds == ["slide", "-", "slide", "-", "subslide", "notes"]
    assert slide_type(nbformat.v4.new_markdown_cell("#hashtag, not a heading")) == "-"


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lecture", LECTURES)
def test_a_deck_shows_its_slides_offline_with_math_typeset(decks, chromium, edition, lecture):
    path = deck(edition, lecture)
    headings = path.read_text().count("<section")
    page = chromium.new_page(viewport={"width": 1280, "height": 860})
    leaving = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            leaving.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_function("() => window.Reveal && Reveal.isReady()", timeout=60_000)
    page.wait_for_function(TYPESET, timeout=60_000)
    slides = page.evaluate("Reveal.getTotalSlides()")
    text = page.evaluate("document.querySelector('.reveal .slides').innerText")
    typeset = page.locator("mjx-container").count()
    math_errors = page.locator("mjx-merror").count()
    # The last slide with math, hidden while MathJax typeset it, shows it at its size.
    page.evaluate("() => { const s = Reveal.getSlides().filter(s => s.querySelector('mjx-container'));"
                  " const i = Reveal.getIndices(s[s.length - 1]); Reveal.slide(i.h, i.v); }")
    late_width = page.evaluate("() => Reveal.getCurrentSlide().querySelector('mjx-container')"
                               ".getBoundingClientRect().width")
    page.close()
    assert leaving == [], f"requests that would leave the machine: {leaving}"
    assert 5 <= slides <= headings, f"{slides} slides"
    assert "$$" not in text and "\\frac" not in text, "raw LaTeX left on a slide"
    assert typeset > 10 and math_errors == 0, f"{typeset} formulas typeset, {math_errors} errors"
    assert late_width > 0, "a slide's formula has no width once shown"
    assert text.lstrip().startswith(lecture[:2]), "the first slide is the lecture's title"


def test_the_student_decks_hold_no_solution_and_the_instructors_do(decks):
    found = needles(NOTEBOOKS)
    assert scan_paths([decks["student"]], found) == []
    assert scan_paths([decks["instructor"]], found), "the scan finds the instructor's solutions"
