"""The rendered site (`make book`): its pages, and every lecture typeset in headless Chromium.

The site is made by make, never here: the tests fail, naming the target, when it is missing or
older than anything it is made from (make -q decides, from the Makefile's dependencies).
"""

import functools
import json
import os
import re
import subprocess
import sys
import threading
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

import pytest

from artefacts import ROOT, images_without_alt, make, require
from conftest import POLL
from course import LECTURES, NOTEBOOKS, repository_url
from mathjax import FOLDER, SCRIPT, TYPESET

HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"


@pytest.fixture(scope="module")
def site():
    """The site `make book` built, up to date."""
    require(HTML / ".built", "book")
    return HTML


@pytest.fixture(scope="module")
def served_site(site):
    """The site over HTTP on 127.0.0.1 (web fonts do not load from file:// URLs)."""
    handler = functools.partial(QuietHandler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, args=(POLL,), daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def repository_path(student=False):
    """owner/name of the repository the buttons open (pyproject.toml's [project.urls])."""
    return repository_url(student).removeprefix("https://github.com/")


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


@pytest.mark.parametrize("lecture", LECTURES)
def test_every_figure_on_the_site_has_alt_text(site, lecture):
    """Each figure carries its cell's "mystnb": {"image": {"alt": ...}} metadata."""
    images, missing = images_without_alt((site / f"{lecture}.html").read_text())
    assert images, "no figures found"
    assert not missing, f"{len(missing)} of {len(images)} figures have no alt text: {missing}"


def test_mathjax_is_served_locally(site):
    page = (site / "02_rbf_hidden_layer.html").read_text()
    scripts = re.findall(r'<script[^>]+src="([^"?]*mathjax[^"?]*)', page, re.IGNORECASE)
    assert scripts == [f"_static/{FOLDER}/{SCRIPT}"], scripts  # Sphinx adds ?v=<checksum>
    local = site / "_static" / FOLDER
    assert (local / SCRIPT).exists() and (local / "LICENSE").exists()
    assert list((local / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff"))


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
    assert f"colab.research.google.com/github/{repository_path()}/blob/main/notebooks/{lecture}.ipynb" in page
    assert f'href="_sources/{lecture}.ipynb"' in page  # download the notebook
    assert (site / "_sources" / f"{lecture}.ipynb").exists()
    assert "prev-next-area" in page
    assert page.count('<details class="admonition hide above-input">') >= 4  # hidden solutions
    exercise = json.loads((ROOT / "notebooks" / f"{lecture}.ipynb").read_text())
    bodies = [c for c in exercise["cells"] if "exercise" in c["metadata"].get("tags", [])]
    assert page.count("hide-input") >= len(bodies), "each exercise's solution is collapsed"


@pytest.mark.parametrize("lecture", LECTURES)
def test_lectures_render_math_and_figures_in_chromium(served_site, chromium, lecture):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{served_site}/{lecture}.html", wait_until="load")
    page.wait_for_function(TYPESET, timeout=60_000)
    typeset = page.locator("mjx-container").count()
    math_errors = page.locator("mjx-merror").count()
    images = page.evaluate(
        "() => Array.from(document.images).filter(i => i.src.includes('/_images/'))"
        ".map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().width])"
    )
    content_width = page.evaluate("() => document.querySelector('article').clientWidth")
    solution = page.locator("details.hide.above-input").first
    solution.locator("summary").click()
    solution_open = solution.evaluate("d => d.open") and solution.locator("pre").first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"site_{lecture}.png"))
    page.close()
    assert typeset > 5 and math_errors == 0
    assert images and all(complete and width > 0 for complete, width, _ in images)
    assert all(shown <= content_width + 1 for _, _, shown in images), "a figure overflows the page"
    assert solution_open, "the hidden solution did not open"
    assert not errors


# --- the site is remade from whatever it is made from (make's dependencies, Sphinx's re-reading) ---

@pytest.mark.parametrize("changed", ["course_utils/plotting.py", "course_utils/registry/mnist.txt",
                                     "course_utils/check/__init__.py", "book/conf.py",
                                     "notebooks/02_rbf_hidden_layer.ipynb"])
def test_make_book_remakes_the_site_after_a_change_to_anything_it_is_made_from(site, changed):
    """What `make book` would run were `changed` edited now (make -n -W): a change to the package
    executes every lecture again, a lecture's change that lecture, and the site is rendered."""
    plan = make("-n", "-W", changed, "book")
    assert plan.returncode == 0, plan.stderr
    executed = sorted(re.findall(r"--out \S+ (notebooks/\S+\.ipynb)", plan.stdout))
    lectures = sorted(str(p.relative_to(ROOT)) for p in NOTEBOOKS)
    expected = {"course_utils": lectures, "notebooks": [changed], "book": []}[changed.split("/")[0]]
    assert executed == expected
    assert "book/build.py --notebooks _build/executed" in plan.stdout


def tiny_lecture(name, printed):
    """A lecture notebook as make leaves it executed: a title and a cell that printed `printed`."""
    return {"cells": [
        {"cell_type": "markdown", "id": "title", "metadata": {},
         "source": f"# {name[:2]} — A stand-in\n\nWhat you will learn: nothing."},
        {"cell_type": "code", "id": "run", "metadata": {}, "execution_count": 1,
         "source": "print(value)",
         "outputs": [{"output_type": "stream", "name": "stdout", "text": f"{printed}\n"}]}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}


def test_a_second_build_shows_the_outputs_the_notebooks_hold_now(tmp_path):
    """book/build.py twice on stand-in lectures, the second time with a new output in a notebook
    whose date is the old one (what a copy keeping dates gives): the page shows the new output,
    and no file of the first build is left."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for name in LECTURES:
        (folder / f"{name}.ipynb").write_text(json.dumps(tiny_lecture(name, "the old output")))
    build = [sys.executable, str(ROOT / "book" / "build.py"), "--notebooks", str(folder),
             "--out", str(tmp_path / "out")]
    subprocess.run(build, check=True, cwd=ROOT, capture_output=True, timeout=300)
    stale = tmp_path / "out" / "html" / "_static" / "MathJax.js"  # an older build's file
    stale.write_text("// MathJax 2")
    lecture = folder / f"{LECTURES[1]}.ipynb"
    when = lecture.stat()
    lecture.write_text(json.dumps(tiny_lecture(LECTURES[1], "the new output")))
    os.utime(lecture, ns=(when.st_atime_ns, when.st_mtime_ns))
    subprocess.run(build, check=True, cwd=ROOT, capture_output=True, timeout=300)
    page = (tmp_path / "out" / "html" / f"{LECTURES[1]}.html").read_text()
    assert "the new output" in page and "the old output" not in page
    assert not stale.exists(), "a file of the older build is left in the site"
