"""cu.check's runner: what every check shares, and that every check has its lecture's tests."""

import importlib
from pathlib import Path

from course_utils import check

LECTURE_TESTS = sorted(Path(__file__).parent.glob("test_check_lecture*.py"))


def test_every_check_is_tested_by_its_lecture_module():
    tested = set()
    for path in LECTURE_TESTS:
        tested |= set(importlib.import_module(path.stem).SOLUTIONS)
    assert tested == set(check.__all__) - {"CheckResult"}


def test_the_result_shows_nothing_more_in_a_notebook(capsys):
    result = check.softmax(lambda Z: check.lecture04._softmax(Z))
    assert result._ipython_display_() is None and "passed=True" in repr(result)
    assert capsys.readouterr().out.startswith("✓ softmax")
