"""Slides: one offline reveal.js deck per lecture, made from the same executed notebooks.

A Markdown cell that starts with a `#` or `##` heading starts a slide, `###` a sub-slide (reveal's
vertical stack); every other cell continues the slide it is in, which scrolls when it is long. A
cell tagged `notes` becomes the speaker notes of its slide (press S in the deck). The decks use
reveal.js from book/slides/package-lock.json (installed from the npm registry into
_build/slides/node_modules by `make slides`) and the local MathJax of the site and the PDF: no
page loads anything from the network.

Usage: python book/slides.py [--notebooks DIR --out DIR]; writes OUT/slides/NN_name.html and
OUT/slides/index.html. The student edition's decks come from its notebooks, which hold no solution.
"""

import argparse
import html
import shutil
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import SlidesExporter

from course import OWN_HTML, ROOT, notebooks
from mathjax import FOLDER, mathjax_dir
from pdf import ALT_TEMPLATE, lecture_title, strip_widgets

REVEAL = ROOT / "_build" / "slides" / "node_modules" / "reveal.js"
# reveal's template, with nothing from a CDN: no jQuery, RequireJS, Mermaid or widget manager;
# reveal.js and its notes plugin as plain scripts from the deck's folder; the local MathJax (as
# the PDF's pages load it).
DECK_TEMPLATE = ALT_TEMPLATE + """
{% block html_head_js %}{% endblock html_head_js %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block footer_js %}
<script src="reveal.js/dist/reveal.js"></script>
<script src="reveal.js/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({controls: true, progress: true, hash: true, slideNumber: "c/t",
                   width: 1100, height: 760, plugins: [RevealNotes]});
// Typeset formulas change the slides' heights: lay the deck out again once MathJax is done (its
// deferred script has run by DOMContentLoaded).
document.addEventListener("DOMContentLoaded", function () {
  MathJax.startup.promise.then(function () { Reveal.layout(); });
});
</script>
<style>
  .reveal .slides section { overflow-y: auto; max-height: 100%; text-align: left; }
  .reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
  .reveal pre { font-size: 0.5em; }
  .reveal .jp-OutputArea-output img { max-height: 520px; width: auto; }
</style>
{% endblock footer_js %}
"""


def slide_type(cell):
    """reveal's slide type of a cell, from its heading level and its tags."""
    if "notes" in cell.metadata.get("tags", []):
        return "notes"
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if first.startswith(("# ", "## ")):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def mark_slides(nb):
    """The notebook with each cell's `slideshow.slide_type` set (the first cell always starts a
    slide, so nothing falls before the title)."""
    for i, cell in enumerate(nb.cells):
        kind = "slide" if i == 0 else slide_type(cell)
        cell.metadata["slideshow"] = {"slide_type": kind}
    return nb


def to_deck(path):
    """(title, HTML of the deck) of one executed notebook."""
    nb = mark_slides(strip_widgets(nbformat.read(path, as_version=4)))
    exporter = SlidesExporter(extra_loaders=[DictLoader({"deck.html.j2": DECK_TEMPLATE})],
                              template_file="deck.html.j2", reveal_url_prefix="reveal.js",
                              reveal_theme="white", filters=OWN_HTML)
    body, _ = exporter.from_notebook_node(nb)
    return lecture_title(nb), body


def index_page(decks, edition):
    rows = "".join(f'<li><a href="{html.escape(name)}">{html.escape(title)}</a></li>'
                   for title, name in decks)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Slides</title>"
            f"</head><body><h1>Neural networks from scratch: slides</h1><p>{html.escape(edition)}"
            f"</p><ul>{rows}</ul><p>Arrow keys move between slides; S opens the speaker notes."
            f"</p></body></html>")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write one reveal.js deck per lecture.")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the edition's executed lecture notebooks (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build",
                        help="the decks go to OUT/slides (default: _build)")
    parser.add_argument("--edition", default="Instructor edition", help="named on the index page")
    args = parser.parse_args(argv)
    if not (REVEAL / "dist" / "reveal.js").exists():
        raise SystemExit(f"reveal.js is missing from {REVEAL}: run `make slides`, which installs "
                         "it from the npm registry (npm ci --prefix _build/slides book/slides)")
    out = args.out.resolve() / "slides"
    mathjax = mathjax_dir()  # first: a failed fetch leaves the last decks in place
    for name in ("reveal.js", FOLDER):
        shutil.rmtree(out / name, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    for part in ("dist", "plugin/notes"):
        shutil.copytree(REVEAL / part, out / "reveal.js" / part)
    shutil.copytree(mathjax, out / FOLDER)
    decks = []
    for path in notebooks(args.notebooks):
        title, body = to_deck(path)
        (out / f"{path.stem}.html").write_text(body)
        decks.append((title, f"{path.stem}.html"))
        print(f"{(out / path.stem).relative_to(ROOT)}.html: {body.count('<section')} sections")
    (out / "index.html").write_text(index_page(decks, args.edition))


if __name__ == "__main__":
    main()
