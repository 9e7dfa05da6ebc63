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

HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
LECTURES = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))


def site_is_stale():
    index = HTML / "index.html"
    if not index.exists():
        return True
    sources = [*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "book").rglob("*.*")]
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


def test_landing_page_links_every_lecture(site):
    index = (site / "index.html").read_text()
    for lecture in LECTURES:
        assert f'href="{lecture}.html"' in index
        assert (site / f"{lecture}.html").exists()
    assert "Execution times of this build" in index


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
