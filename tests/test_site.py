"""The rendered site (`make book`): its pages, and lecture 02 typeset in headless Chromium."""

import functools
import os
import re
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

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


def test_lecture_02_renders_math_and_figures_in_chromium(served_site, chromium):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{served_site}/02_rbf_hidden_layer.html", wait_until="load")
    page.wait_for_function(
        "() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0 "
        "&& document.querySelectorAll('.MathJax, .MathJax_Display').length > 0",
        timeout=60_000,
    )
    typeset = page.locator(".MathJax, .MathJax_Display").count()
    math_errors = page.locator(".MathJax .merror, .MathJax_Error").count()
    images = page.evaluate(
        "() => Array.from(document.images).filter(i => i.src.includes('/_images/'))"
        ".map(i => [i.complete, i.naturalWidth])"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "02_rbf_hidden_layer.png"), full_page=True)
    page.close()
    assert typeset > 20 and math_errors == 0
    assert len(images) >= 7 and all(complete and width > 0 for complete, width in images)
    assert not errors
