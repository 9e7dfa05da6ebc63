"""Shared fixtures: the repository root, a local HTTP server, headless Chromium."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from chromium import CHROMIUM, INSTALL_HINT, launch  # book/chromium.py (pytest's pythonpath)

ROOT = Path(__file__).resolve().parent.parent


POLL = 0.02  # seconds between a test server's looks at its shutdown flag


class FileServer:
    """An HTTP server on 127.0.0.1 serving `files` ({path: bytes}) and counting requests."""

    def __init__(self):
        self.files, self.requests = {}, []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # keep the test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        # shutdown() waits for the loop's next look at its flag: every 0.5 s by default.
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(POLL,), daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def file_server():
    server = FileServer()
    yield server
    server.close()


@pytest.fixture(scope="session")
def chromium():
    """Playwright's Chromium, driving Debian's browser; skips in one line where there is none."""
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {INSTALL_HINT}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()


# `make test` hands the test modules to its two workers in this order (pytest-xdist's
# --dist loadfile --no-loadscope-reorder; the others follow in file order): the longest first, so
# that neither worker waits for the other at the end, and the modules that drive the browser
# (lab, slides, site) apart, since two at a time ran each about a quarter slower on 2 cores. Only
# the time depends on it: the tests ran in 156-173 s this way, 169-190 s in xdist's own order
# (with MathJax 2; with MathJax 3 the two workers ended within half a second of each other).
LONGEST_FIRST = ["test_lab.py", "test_pdf.py", "test_slides.py", "test_editions.py",
                 "test_execute.py", "test_network.py", "test_site.py", "test_grade.py",
                 "test_check_env.py"]


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONGEST_FIRST)))  # stable


def pytest_addoption(parser):
    parser.addoption("--lab-all", action="store_true",
                     help="test_lab.py: run every lecture in JupyterLab, not only those with widgets")


def pytest_generate_tests(metafunc):
    """The shared check tests (check_harness.py) run on the module's SOLUTIONS and MISTAKES."""
    module = metafunc.module
    if "check_name" in metafunc.fixturenames:
        metafunc.parametrize("check_name", list(module.SOLUTIONS))
    if "mistake" in metafunc.fixturenames:
        metafunc.parametrize("mistake", module.MISTAKES,
                             ids=[f"{name}-{i}" for i, (name, _, _) in enumerate(module.MISTAKES)])


@pytest.fixture
def solutions(request):
    return request.module.SOLUTIONS
