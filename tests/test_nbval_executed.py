"""tests/nbval_executed.py: nbval's verdicts on committed notebooks against their executed copies.

One pytest run (a subprocess) judges a committed notebook against several copies, one case per
notebook name; each test reads its case's verdicts from that run's JUnit report.
"""

import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from artefacts import ROOT

# The plugin is nbval's: where nbval is not installed (`make floors` installs the package alone)
# there is nothing to judge with.
pytest.importorskip("nbval", reason="nbval (the test extra) is not installed")


def notebook(*cells):
    """A notebook of (source, outputs, tags) code cells, numbered as an execution numbers them."""
    nb = new_notebook()
    for n, (source, outputs, tags) in enumerate(cells, 1):
        nb.cells.append(new_code_cell(source, outputs=outputs, execution_count=n,
                                      metadata={"tags": tags} if tags else {}))
    return nb


def printed(text):
    return [new_output("stream", name="stdout", text=text)]


ERROR = [new_output("error", ename="NameError", evalue="name 'X' is not defined",
                    traceback=["NameError: name 'X' is not defined"])]
LECTURE = [("print(0.25)", printed("0.25\n"), []),
           ("import time; print(f'{time.time()}')", printed("1.5 s\n"), ["nbval-ignore-output"]),
           ("print('took 0.8 s')", printed("took 0.8 s\n"), []),
           ("raise ValueError('shown on purpose')",
            [new_output("error", ename="ValueError", evalue="shown on purpose", traceback=[])],
            ["raises-exception"])]
# case: its executed copy (None: no copy).
COPIES = {
    "equal": notebook(LECTURE[0], (LECTURE[1][0], printed("99 s\n"), []),
                      (LECTURE[2][0], printed("took 1.9 s\n"), []), LECTURE[3]),
    "changed_number": notebook((LECTURE[0][0], printed("0.26\n"), []), *LECTURE[1:]),
    "unexpected_error": notebook((LECTURE[0][0], ERROR, []), *LECTURE[1:]),
    "cells_missing": notebook(*LECTURE[:2]),
    "another_source": notebook(("print(1)", printed("1\n"), []), *LECTURE[1:]),
    "no_copy": None,
}


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory):
    """{case: [(outcome, message) per cell]} from one nbval run on every case."""
    folder = tmp_path_factory.mktemp("nbval")
    (folder / "executed").mkdir()
    for case, copy in COPIES.items():
        nbformat.write(notebook(*LECTURE), folder / f"{case}.ipynb")
        if copy is not None:  # the copy is made after the notebook, as make makes it
            nbformat.write(copy, folder / "executed" / f"{case}.ipynb")
    report = folder / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.nbval_executed",
         "--rootdir", str(folder), "--nbval-executed", str(folder / "executed"),
         "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
         f"--junitxml={report}", *(str(folder / f"{case}.ipynb") for case in COPIES)],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    found = {case: [] for case in COPIES}
    for testcase in ElementTree.parse(report).iter("testcase"):
        case = testcase.get("classname").removesuffix(".ipynb").rsplit(".", 1)[-1]
        problem = next(iter(testcase), None)
        found[case].append(("passed", "") if problem is None else
                           (problem.tag, (problem.get("message") or "") + (problem.text or "")))
    return found


def test_equal_outputs_pass_with_nbvals_masks_and_tags(verdicts):
    assert verdicts["equal"] == [("passed", "")] * 4


def test_a_changed_number_fails_its_cell_only(verdicts):
    outcomes = [outcome for outcome, _ in verdicts["changed_number"]]
    assert outcomes == ["failure", "passed", "passed", "passed"]
    assert "Cell outputs differ" in verdicts["changed_number"][0][1]
    assert "0.26" in verdicts["changed_number"][0][1]


def test_an_error_the_notebook_does_not_expect_fails(verdicts):
    outcome, message = verdicts["unexpected_error"][0]
    assert outcome == "failure"
    assert "Cell execution caused an exception" in message and "NameError" in message


@pytest.mark.parametrize("case", ["cells_missing", "another_source"])
def test_a_copy_of_another_version_of_the_notebook_fails(verdicts, case):
    assert any(outcome != "passed" and "holds no cell with this source" in message
               for outcome, message in verdicts[case])


def test_a_missing_copy_says_how_to_make_it(verdicts):
    assert verdicts["no_copy"]
    assert all(outcome == "error" and "is missing: `make" in message
               for outcome, message in verdicts["no_copy"])
