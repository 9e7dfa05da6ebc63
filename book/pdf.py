"""Print the lectures to PDF: one PDF per lecture and one course PDF with a title page and a table
of contents, in _build/pdf/. nbconvert renders each executed notebook to HTML with the local
MathJax (book/mathjax.py, fetched once by the first build), and Debian's chromium (driven by
Playwright) prints it; nothing else needs the network.

Usage: python book/pdf.py --notebooks _build/executed (what `make pdf` runs, on the freshly executed
lectures). Another edition: python book/pdf.py --notebooks _build/student/notebooks --out
_build/student --edition "Student edition" (writes OUT/pdf; `make student` does this).
"""

import argparse
import datetime
import html
import shutil
import sys
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from pypdf import PdfReader, PdfWriter

from course_utils import __version__ as VERSION

from chromium import CHROMIUM, INSTALL_HINT, launch
from course import OWN_HTML, ROOT, notebooks
from mathjax import FOLDER, TYPESET, mathjax_dir, page_scripts

OUT = ROOT / "_build" / "pdf"
WORK = OUT / "html"
TITLE = "Neural networks from scratch"
# nbconvert's lab template, with each figure's <img> given the alt text of its cell
# (metadata "mystnb": {"image": {"alt": ...}}, which the site's myst-nb uses too), and the local
# MathJax 3 in its folder beside the page instead of the template's MathJax 2.
ALT_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_mathjax -%}{% raw %}""" + page_scripts() + """{% endraw %}
{%- endblock html_head_js_mathjax -%}
{%- macro with_alt(html, cell) -%}
{%- set alt = cell.metadata.get('mystnb', {}).get('image', {}).get('alt', '') -%}
{%- if alt -%}{{ html | replace('<img ', '<img alt="' ~ (alt | escape_html) ~ '" ') }}
{%- else -%}{{ html }}{%- endif -%}
{%- endmacro -%}
{% block data_png scoped %}{{ with_alt(super(), cell) }}{% endblock data_png %}
{% block data_jpg scoped %}{{ with_alt(super(), cell) }}{% endblock data_jpg %}
{% block data_svg scoped %}{{ with_alt(super(), cell) }}{% endblock data_svg %}
"""
PRINT_CSS = """
<style>
  body { font-size: 11pt; }
  .jp-InputPrompt, .jp-OutputPrompt { display: none !important; }
  .jp-Cell { break-inside: auto; }
  .jp-OutputArea-output img { max-width: 100% !important; height: auto; }
  pre { white-space: pre-wrap; word-break: break-word; }
  h1 { break-before: avoid; }
</style>
"""


def lecture_title(nb):
    """The notebook's first heading, e.g. '01 — A single neuron'."""
    first = nb.cells[0].source.splitlines()[0]
    return first.lstrip("#").strip()


def strip_widgets(nb):
    """Drop widget views and state: a printed page has no widget front end."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop("application/vnd.jupyter.widget-view+json", None)
        cell["outputs"] = [o for o in cell.get("outputs", [])
                           if o.get("output_type") not in ("display_data", "execute_result")
                           or set(o.get("data", {})) - {"text/plain"}]
    return nb


def to_html(path):
    """The executed notebook as standalone HTML using the MathJax copied beside it."""
    nb = strip_widgets(nbformat.read(path, as_version=4))
    exporter = HTMLExporter(template_name="lab", template_file="course.html.j2", filters=OWN_HTML,
                            extra_loaders=[DictLoader({"course.html.j2": ALT_TEMPLATE})])
    body, _ = exporter.from_notebook_node(nb)
    body = body.replace("<head>", "<head>" + PRINT_CSS, 1)
    return lecture_title(nb), body


def print_pdf(browser, html_path, pdf_path, footer):
    page = browser.new_page()
    page.goto(html_path.as_uri(), wait_until="load")
    page.wait_for_function(TYPESET, timeout=120_000)
    # Tagged: the PDF keeps the page's structure, with each figure's alt text, for screen readers.
    page.pdf(path=str(pdf_path), format="A4", print_background=True, display_header_footer=True,
             tagged=True, header_template="<span></span>",
             footer_template=f"<div style='font-size:8px; width:100%; text-align:center'>"
                             f"{html.escape(footer)} — <span class='pageNumber'></span></div>",
             margin={"top": "15mm", "bottom": "18mm", "left": "14mm", "right": "14mm"})
    page.close()


def front_matter(lectures, edition=""):
    """HTML of the title page (with the course's version and the edition's name) and the table
    of contents; lectures = [(title, first page)]."""
    edition = f"{html.escape(edition)} · " if edition else ""
    rows = "".join(f"<tr><td>{html.escape(t)}</td><td class='num'>{p}</td></tr>" for t, p in lectures)
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
      body {{ font-family: 'DejaVu Sans', sans-serif; }}
      .title {{ height: 240mm; display: flex; flex-direction: column; justify-content: center; }}
      .title h1 {{ font-size: 34pt; margin: 0 0 8mm; }}
      .toc {{ break-before: page; }} table {{ width: 100%; font-size: 13pt; border-collapse: collapse; }}
      td {{ padding: 3mm 0; border-bottom: 1px dotted #999; }} .num {{ text-align: right; }}
    </style></head><body>
      <div class="title"><h1>{TITLE}</h1>
        <p style="font-size:15pt">Lecture notebooks: from a single neuron to a reusable network class,
        built in NumPy</p><p>{edition}Version {VERSION} · {datetime.date.today().isoformat()}</p>
      </div>
      <div class="toc"><h2>Contents</h2><table>{rows}</table></div>
    </body></html>"""


def main(argv=None):
    parser = argparse.ArgumentParser(description="Print the lectures to PDF.")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the edition's executed lecture notebooks (default: notebooks/)")
    parser.add_argument("--out", type=Path, default=ROOT / "_build",
                        help="the PDFs go to OUT/pdf (default: _build)")
    parser.add_argument("--edition", default="", help="the edition's name on the title page")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        sys.exit(f"make pdf needs a browser: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    out = args.out.resolve() / "pdf"  # absolute: the browser opens its pages by file:// URL
    work = out / "html"
    mathjax = mathjax_dir()  # first: a failed fetch leaves the last PDFs in place
    shutil.rmtree(out, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copytree(mathjax, work / FOLDER)
    with sync_playwright() as p:
        browser = launch(p)
        lectures = []
        for path in notebooks(args.notebooks):
            title, body = to_html(path)
            html_path = work / f"{path.stem}.html"
            html_path.write_text(body, encoding="utf-8")
            pdf_path = out / f"{path.stem}.pdf"
            print_pdf(browser, html_path, pdf_path, f"{TITLE} · {title}")
            lectures.append((title, pdf_path, len(PdfReader(pdf_path).pages)))
            print(f"{pdf_path.relative_to(ROOT)}: {lectures[-1][2]} pages")
        front_pdf = work / "front.pdf"
        front_pages = 2  # a title page and one page of contents; checked below
        while True:
            starts, page = [], front_pages + 1
            for title, _, count in lectures:
                starts.append((title, page))
                page += count
            front = work / "front.html"
            front.write_text(front_matter(starts, args.edition))
            tab = browser.new_page()
            tab.goto(front.as_uri())
            tab.pdf(path=str(front_pdf), format="A4", print_background=True,
                    margin={"top": "20mm", "bottom": "20mm", "left": "20mm", "right": "20mm"})
            tab.close()
            if len(PdfReader(front_pdf).pages) == front_pages:
                break
            front_pages = len(PdfReader(front_pdf).pages)
        browser.close()
    writer = PdfWriter()
    for part in [front_pdf, *(pdf for _, pdf, _ in lectures)]:
        writer.append(str(part))
    for (title, start) in starts:
        writer.add_outline_item(title=title, page_number=start - 1)
    course = out / "course.pdf"
    with open(course, "wb") as f:
        writer.write(f)
    print(f"{course.relative_to(ROOT)}: {page - 1} pages (title, contents and {len(lectures)} lectures)")


if __name__ == "__main__":
    main()
