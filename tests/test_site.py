"""The rendered site (`make book`): its pages, and lecture 02 typeset in headless Chromium."""

import functools
import os
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT
from course import LECTURES, NOTEBOOKS

HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"


def site_is_stale():
    index = HTML / "index.html"
    if not index.exists():
        return True
    sources = [*NOTEBOOKS, *(ROOT / "book").rglob("*.*")]
    return max(p.stat().st_mtime for p in sources) > index.stat().st_mtime


@pytest.fixture(scope="module")
def site():
    """The built site, built now (as `make book` does) if missing or older than its sources."""
    if site_is_stale():
        env = dict(os.environ, COURSE_MNIST="bundled", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        subprocess.run([sys.executable, str(ROOT / "book" / "build.py")], check=True, env=env,
                       cwd=ROOT, capture_output=True, timeout=900)
    return HTML


@pytest.fixture(scope="module")
def served_site(site):
    """The site over HTTP on 127.0.0.1 (web fonts do not load from file:// URLs)."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_the_list_of_lectures_is_every_notebook():
    assert NOTEBOOKS == sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def test_landing_page_gives_each_lecture_study_time_prerequisites_and_objectives():
    """book/index.md: a section per lecture, in order, with a person's study time, what it needs
    and what the student will be able to do; no build timings."""
    source = (ROOT / "book" / "index.md").read_text()
    sections = re.split(r"^### ", source, flags=re.M)[1:]
    assert [re.search(r"\]\(([^)]+)\.ipynb\)", s).group(1) for s in sections] == list(LECTURES)
    for section in sections:
        name = section.splitlines()[0]
        assert re.search(r"\*Study time:\* about \d+ min\.", section), name
        assert "*Needs:*" in section, name
        assert len(re.findall(r"^- ", section, flags=re.M)) >= 3, f"{name}: objectives"
    assert "nb-exec-table" not in source


def test_landing_page_links_every_lecture(site):
    index = (site / "index.html").read_text()
    for lecture in LECTURES:
        assert f'href="{lecture}.html"' in index
        assert (site / f"{lecture}.html").exists()
    assert "Study time" in index and "Execution times" not in index


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


@pytest.mark.parametrize("lecture", LECTURES)
def test_every_figure_on_the_site_has_alt_text(site, lecture):
    """Each figure carries its cell's "mystnb": {"image": {"alt": ...}} metadata."""
    images, missing = images_without_alt((site / f"{lecture}.html").read_text())
    assert images, "no figures found"
    assert not missing, f"{len(missing)} of {len(images)} figures have no alt text: {missing}"


def test_mathjax_is_served_locally(site):
    page = (site / "02_rbf_hidden_layer.html").read_text()
    scripts = re.findall(r'<script[^>]+src="([^"]*MathJax[^"]*)"', page)
    assert scripts and not any("://" in s for s in scripts), scripts
    assert (site / "_static" / "MathJax.js").exists()


class LinkParser(HTMLParser):
    """Collects href/src targets and element ids of one page."""

    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key) and not (tag == "a" and key == "src"):
                self.links.append(attrs[key])


def parse(path):
    parser = LinkParser()
    parser.feed(path.read_text())
    return parser


def test_every_internal_link_resolves(site):
    pages = {path: parse(path) for path in site.rglob("*.html") if "_static" not in path.parts}
    broken = []
    for path, parser in pages.items():
        for link in parser.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.exists():
                broken.append(f"{path.name}: {link}")
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{path.name}: {link} (no such anchor)")
    assert not broken, "\n".join(broken[:20])


@pytest.mark.parametrize("lecture", LECTURES)
def test_lecture_pages_have_launch_links_navigation_and_solution_toggles(site, lecture):
    page = (site / f"{lecture}.html").read_text()
    assert f"urlpath=lab/tree/notebooks/{lecture}.ipynb" in page  # Binder, opening JupyterLab
    assert f'href="_sources/{lecture}.ipynb"' in page  # download the notebook
    assert (site / "_sources" / f"{lecture}.ipynb").exists()
    assert "prev-next-area" in page
    assert page.count('<details class="admonition hide above-input">') >= 2  # hidden solutions


@pytest.mark.parametrize("lecture", LECTURES)
def test_lectures_render_math_and_figures_in_chromium(served_site, chromium, lecture):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{served_site}/{lecture}.html", wait_until="load")
    page.wait_for_function(
        "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
        "&& document.querySelectorAll('.MathJax, .MathJax_Display').length > 0",
        timeout=60_000,
    )
    typeset = page.locator(".MathJax, .MathJax_Display").count()
    math_errors = page.locator(".MathJax .merror, .MathJax_Error").count()
    images = page.evaluate(
        "() => Array.from(document.images).filter(i => i.src.includes('/_images/'))"
        ".map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().width])"
    )
    content_width = page.evaluate("() => document.querySelector('article').clientWidth")
    solution = page.locator("details.hide.above-input").first
    solution.locator("summary").click()
    solution_open = solution.evaluate("d => d.open") and solution.locator("pre").first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"site_{lecture}.png"), full_page=True)
    page.close()
    assert typeset > 5 and math_errors == 0
    assert images and all(complete and width > 0 for complete, width, _ in images)
    assert all(shown <= content_width + 1 for _, _, shown in images), "a figure overflows the page"
    assert solution_open, "the hidden solution did not open"
    assert not errors
