"""The lectures run in a real JupyterLab, in Debian's chromium driven by Playwright, as students
run them: their student edition (`_build/student/notebooks`, made by `make student`).

A JupyterLab server on 127.0.0.1 (its own port, token, settings and workspace directories, news
off) serves copies of the notebooks; each is opened, run with Run → Run All Cells, and checked:
no error or stderr output, its figures present, every check reporting on its stub. In lecture 05
a digit is drawn on the canvas with the mouse. Screenshots go to _build/screenshots/.

By default the lectures with widgets run here: a widget runs only in a front end. The others'
cells are the kernel code that their executed copies (`_build/executed`, which `make test`
compares with the committed outputs) ran already. `make lab-test` runs every lecture
(`pytest tests/test_lab.py --lab-all`).
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from course_utils.run_env import run_env

from artefacts import ROOT, STUDENT, require
from course import NOTEBOOKS

SCREENSHOTS = ROOT / "_build" / "screenshots"
STUDENT_LECTURES = [STUDENT / "notebooks" / master.name for master in NOTEBOOKS]
WIDGET_LECTURES = [student for student, master in zip(STUDENT_LECTURES, NOTEBOOKS)
                   if "import ipywidgets" in master.read_text()]
DRAWING = STUDENT / "notebooks" / "05_inside_the_network.ipynb"
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, chromium):
    """(base URL, token) of a JupyterLab serving copies of the notebooks; stopped by its PID."""
    for notebook in STUDENT_LECTURES:
        require(notebook, notebook.relative_to(ROOT).as_posix())
    home = tmp_path_factory.mktemp("lab")
    work = home / "notebooks"
    work.mkdir()
    for notebook in STUDENT_LECTURES:
        shutil.copy(notebook, work / notebook.name)
    for name, values in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), "course-test-token"
    env = dict(run_env(), JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"))
    log = open(home / "lab.log", "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={work}",
         "--ServerApp.port_retries=0", "--LabApp.news_url=None", "--allow-root"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError((home / "lab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield url, token
    finally:
        if server.poll() is None:
            os.kill(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def cells(notebook):
    """The notebook's code cells that run (JupyterLab skips the empty ones)."""
    return [c for c in json.loads(notebook.read_text())["cells"]
            if c["cell_type"] == "code" and "".join(c["source"]).strip()]


def expected_figures(notebook):
    """The number of PNG figures in the notebook's outputs as made."""
    return sum("image/png" in o.get("data", {}) for c in cells(notebook) for o in c["outputs"])


def checks(notebook):
    """The number of check cells (tagged `check`)."""
    return sum("check" in c["metadata"].get("tags", []) for c in cells(notebook))


def list_kernels(url, token, attempts=50):
    """The server's kernels. While a kernel is starting, jupyter_server can answer this request
    with a 500 (its last_activity is still None): that answer is waited out."""
    for attempt in range(attempts):
        try:
            listing = urllib.request.urlopen(f"{url}/api/kernels?token={token}", timeout=10)
            return json.loads(listing.read())
        except urllib.error.HTTPError as error:
            if error.code != 500 or attempt == attempts - 1:
                raise
            time.sleep(0.2)


def shutdown_kernels(url, token):
    """Stop every kernel the server runs, so that each lecture starts alone."""
    for kernel in list_kernels(url, token):
        request = urllib.request.Request(f"{url}/api/kernels/{kernel['id']}?token={token}",
                                         method="DELETE")
        urllib.request.urlopen(request, timeout=30)


def describe(page, url, token, notebook):
    """What the page and the server show when a lecture does not finish: kept for the report."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"lab_{notebook.stem}_unfinished.png"
    page.screenshot(path=str(shot), full_page=True)
    cells = page.evaluate(
        "() => [...document.querySelectorAll('.jp-CodeCell')].map((c, i) => i + ' '"
        " + (c.querySelector('.jp-InputPrompt') || {textContent: '?'}).textContent.trim()"
        " + ' outputs=' + c.querySelectorAll('.jp-OutputArea-output').length)")
    errors = page.locator(".jp-OutputArea-output[data-mime-type*='error'],"
                          ".jp-OutputArea-output[data-mime-type*='stderr']").all_inner_texts()
    dialogs = page.locator(".jp-Dialog").all_inner_texts()
    status = page.locator(".jp-Notebook-ExecutionIndicator").get_attribute("data-status")
    return (f"cells (prompt, outputs): {cells}\nerrors: {[e[:500] for e in errors]}\n"
            f"dialogs: {dialogs}\nexecution indicator: {status}\n"
            f"kernels: {list_kernels(url, token)}\nscreenshot: {shot}")


def wait_for_connection(url, token, timeout=60):
    """Wait until the page's kernel has its websocket open on the server."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(k["connections"] > 0 for k in list_kernels(url, token)):
            return
        time.sleep(0.2)
    pytest.fail(f"no kernel connected within {timeout} s")


STARTED = ("() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
           ".some(p => /^\\[(\\*|\\d+)\\]/.test(p.textContent.trim()))")


def run_all(page, attempts=3):
    """Run → Run All Cells, and see the first cell start.

    A click that lands while the front end is still connecting to its new kernel runs nothing and
    leaves every prompt blank (jupyterlab/jupyterlab#8490); the run is then asked for again.
    """
    for _ in range(attempts):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(STARTED, timeout=20_000, polling=200)
            return
        except PlaywrightTimeout:
            print("Run All Cells started nothing: asked again")
            page.keyboard.press("Escape")
    pytest.fail(f"Run All Cells started nothing in {attempts} attempts")


def open_and_run_all(browser, url, token, notebook):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    # A workspace of its own, reset: only this notebook is open, whatever ran before.
    page.goto(f"{url}/lab/workspaces/{notebook.stem}/tree/{notebook.name}?token={token}&reset")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    wait_for_connection(url, token)
    # Clear the committed outputs first, so that what is checked is what this run produced.
    page.get_by_role("menuitem", name="Edit", exact=True).click()
    page.get_by_role("menuitem", name="Clear Outputs of All Cells", exact=True).click()
    page.wait_for_function("() => !document.querySelector('.jp-CodeCell .jp-OutputArea-output')")
    run_all(page)
    # Done when every shown prompt has its number (a cell with its input hidden shows none; the
    # last cell, an empty answer, shows no output).
    try:
        page.wait_for_function(
            "() => { const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
            ".map(p => p.textContent.trim()).filter(t => t);"
            " return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:?$/.test(t)); }",
            timeout=240_000, polling=500)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                               timeout=60_000)
    except PlaywrightTimeout:
        pytest.fail(f"{notebook.name} did not finish in JupyterLab:\n"
                    f"{describe(page, url, token, notebook)}")
    return page


def pytest_generate_tests(metafunc):
    if "notebook" in metafunc.fixturenames:
        chosen = STUDENT_LECTURES if metafunc.config.getoption("lab_all") else WIDGET_LECTURES
        metafunc.parametrize("notebook", chosen, ids=lambda p: p.stem)


@pytest.fixture(scope="module")
def run_in_lab(lab, chromium):
    """run_in_lab(notebook): its page after Run All Cells, run once in this module (the drawing
    test goes on in lecture 05's run). Other lectures' kernels are stopped before a run, so that
    each runs alone; every kernel is stopped at the end, passed or failed."""
    pages = {}

    def run(notebook):
        if notebook not in pages:
            for page in pages.values():
                page.close()
            pages.clear()
            shutdown_kernels(*lab)
            start = time.perf_counter()
            pages[notebook] = open_and_run_all(chromium, *lab, notebook)
            print(f"{notebook.stem}: ran in JupyterLab in {time.perf_counter() - start:.1f} s")
        return pages[notebook]

    yield run
    shutdown_kernels(*lab)


def test_lecture_runs_in_jupyterlab(run_in_lab, notebook):
    page = run_in_lab(notebook)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"lab_{notebook.stem}.png"))
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    error_text = [errors.nth(i).inner_text()[:300] for i in range(errors.count())]
    figures = page.locator(".jp-OutputArea-output img").count()
    reports = page.locator(".jp-OutputArea-output", has_text="not written yet").count()
    counts = [int(t.strip("[]: ")) for t in page.locator(".jp-CodeCell .jp-InputPrompt")
              .all_inner_texts() if t.strip()]
    assert not error_text, error_text
    assert figures >= expected_figures(notebook)
    assert reports == checks(notebook) > 0, "each check reports that its exercise is not written"
    # Each cell ran once, in order, in this run, the last one last.
    assert counts[0] == 1 and all(a < b for a, b in zip(counts, counts[1:])), counts
    assert counts[-1] == len(cells(notebook)), counts


def test_drawing_a_digit_updates_the_prediction_and_hidden_units(run_in_lab):
    page = run_in_lab(DRAWING)
    canvas = page.locator(".jp-OutputArea-output canvas").last
    canvas.evaluate("c => c.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    box = canvas.bounding_box()
    panels = page.locator(".jp-OutputArea-output .widget-output").last

    def stroke(points):
        page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=8)
        page.mouse.up()

    stroke([(140, 40), (140, 240)])  # a one
    page.wait_for_function("() => [...document.querySelectorAll('.widget-label')]"
                           ".some(l => l.textContent.startsWith('The network reads'))",
                           timeout=30_000)
    first_answer = page.locator(".widget-label", has_text="The network reads").inner_text()
    page.wait_for_timeout(500)
    first_panel = panels.locator("img").first.get_attribute("src")
    page.get_by_role("button", name="Clear").click()
    stroke([(60, 50), (220, 50), (150, 150), (110, 240)])  # a seven
    page.wait_for_function(
        f"() => [...document.querySelectorAll('.widget-label')].some(l => l.textContent"
        f".startsWith('The network reads') && l.textContent !== {json.dumps(first_answer)})",
        timeout=30_000)
    second_answer = page.locator(".widget-label", has_text="The network reads").inner_text()
    page.wait_for_timeout(500)
    second_panel = panels.locator("img").first.get_attribute("src")
    page.screenshot(path=str(SCREENSHOTS / "lab_05_drawing.png"))
    assert first_answer != second_answer
    assert first_panel and second_panel and first_panel != second_panel
