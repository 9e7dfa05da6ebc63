"""Grade one submission in a fresh kernel: `python -m grade.worker JOB.json` (tools/ on PYTHONPATH).

Run by the grader in a process of its own for each submission. The job (JSON) names the
submitted notebook, its exercises, the limits and where to write the result. The notebook runs
cell by cell in a new kernel whose address space is limited (RLIMIT_AS, set on the kernel process
before any cell runs); each check cell, if intact, is replaced by a grading cell that runs the
instructor's check and hidden cases on the student's function (kernel_side.py). Whatever happens
(an error, a timeout, a dead kernel, a file that is not a notebook), the result file says, for
each exercise, its points and the reason.
"""

import json
import re
import secrets
import sys
import time
import traceback
from pathlib import Path

from course_utils.run_env import RUN_ENV

from grade.kernel_side import MIME

# Run like `make execute` (the bundled digits, one BLAS thread), figures drawn off screen.
ENVIRONMENT = {**RUN_ENV, "MPLBACKEND": "agg"}


def source(cell):
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else str(text)


def defines(cell, function):
    return re.search(rf"^def {re.escape(function)}\s*\(", source(cell), re.MULTILINE) is not None


def locate(cells, exercise):
    """(index of the exercise cell, index of its intact check cell or None, why not)."""
    function, check = exercise["function"], exercise["check"]
    code = [i for i, c in enumerate(cells) if c.get("cell_type") == "code" and source(c).strip()]
    found = [i for i in code if defines(cells[i], function)]
    tagged = [i for i in found if "exercise" in cells[i].get("metadata", {}).get("tags", [])]
    if not found:
        return None, None, f"the exercise cell defining `{function}` is missing"
    at = (tagged or found)[0]
    following = [i for i in code if i > at]
    expected = f"cu.check.{check}({function})"
    if following and source(cells[following[0]]).strip() == expected:
        return at, following[0], None
    if following and ("check" in cells[following[0]].get("metadata", {}).get("tags", [])
                      or check in source(cells[following[0]]) or "✓" in source(cells[following[0]])):
        return at, None, f"its check cell was edited (it must be exactly `{expected}`)"
    return at, None, f"its check cell `{expected}` was deleted"


def grading_cell(exercise, nonce):
    import nbformat

    code = (f"__import__('grade.kernel_side', fromlist=['grade']).grade("
            f"{exercise['check']!r}, {exercise['function']!r}, {nonce!r})")
    return nbformat.v4.new_code_cell(code)


def outcome(cell, nonce):
    for output in cell.get("outputs", []):
        payload = output.get("data", {}).get(MIME) if output.get("output_type") == "execute_result" else None
        if isinstance(payload, dict) and payload.get("nonce") == nonce:
            return payload
    return None


def first_line(text):
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def gist(report):
    """A report's first line, and the next one when it says what went wrong."""
    lines = [line.strip() for line in (report or "").strip().splitlines()]
    if len(lines) > 1 and lines[1].startswith(("Your function raised", "What differs")):
        return f"{lines[0]} {lines[1]}"
    return lines[0] if lines else ""


def run(job):
    exercises = job["exercises"]
    results = {e["function"]: {"points": 0, "max": e["points"], "reason": "not graded",
                               "report": "", "hidden": ""} for e in exercises}
    notes = []
    started = time.monotonic()

    def finish():
        return {"exercises": results, "notes": notes,
                "seconds": round(time.monotonic() - started, 1)}

    def fail_all(reason, only=None):
        for e in exercises:
            r = results[e["function"]]
            if r["reason"] == "not graded" and (only is None or e["function"] in only):
                r["reason"] = reason

    import nbformat

    try:
        text = Path(job["submission"]).read_text(encoding="utf-8")
        json.loads(text)  # invalid JSON is named as such
        nb = nbformat.reads(text, as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("it has no list of cells")
    except Exception as error:  # noqa: BLE001
        fail_all(f"the file is not a readable notebook (invalid JSON?): "
                 f"{type(error).__name__}: {str(error)[:200]}")
        return finish()

    cells = nb.cells
    nonce = secrets.token_hex(8)
    graded_at = {}  # cell index -> exercise
    for e in exercises:
        _at, check_at, why = locate(cells, e)
        if why:
            results[e["function"]]["reason"] = why
        else:
            graded_at[check_at] = e
    for index, e in graded_at.items():
        cells[index] = grading_cell(e, nonce)
    for cell in cells:
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
            tags = cell.get("metadata", {}).get("tags", [])
            cell.setdefault("metadata", {})["tags"] = [t for t in tags if t != "raises-exception"]

    import os

    import psutil
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    from course_utils.execute import WakingClient, over_ipc

    os.environ.update(ENVIRONMENT)
    deadline = started + job["notebook_timeout"]
    client = WakingClient(
        nb, timeout=job["cell_timeout"], kernel_name="python3", allow_errors=False,
        interrupt_on_timeout=True, record_timing=False, startup_timeout=60,
        error_on_timeout={"ename": "Timeout", "evalue": "the cell ran out of time",
                          "traceback": []},
        resources={"metadata": {"path": job["workdir"]}})
    limit = job["memory_mb"] * 1024 * 1024
    try:
        with over_ipc(client), client.setup_kernel(cwd=job["workdir"]):
            kernel = psutil.Process(client.km.provisioner.process.pid)
            kernel.rlimit(psutil.RLIMIT_AS, (limit, limit))
            for index, cell in enumerate(cells):
                if cell.get("cell_type") != "code" or not source(cell).strip():
                    continue
                remaining = deadline - time.monotonic()
                if remaining < 1:
                    notes.append(f"the notebook ran out of time ({job['notebook_timeout']} s) "
                                 f"before cell {index}")
                    fail_all(f"not reached: the notebook ran out of time "
                             f"({job['notebook_timeout']} s) before its check")
                    break
                exercise = graded_at.get(index)
                limit_here = job["check_timeout"] if exercise else job["cell_timeout"]
                client.timeout = max(1, int(min(limit_here, remaining)))
                what = f"the check of `{exercise['function']}`" if exercise else f"cell {index}"
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as error:
                    if error.ename == "Timeout":
                        reason = (f"{what} ran out of time ({client.timeout} s): an endless "
                                  f"loop, or far too slow")
                    else:
                        reason = f"{what} raised {error.ename}: {first_line(error.evalue)[:200]}"
                    notes.append(reason)
                    if exercise:
                        results[exercise["function"]]["reason"] = reason
                        continue
                except DeadKernelError:
                    reason = (f"the kernel died in {what} (os._exit, a crash, or the memory "
                              f"limit of {job['memory_mb']} MB)")
                    notes.append(reason)
                    fail_all(f"not reached: {reason}")
                    break
                if exercise:
                    grade(results[exercise["function"]], outcome(cell, nonce))
    except Exception as error:  # noqa: BLE001 (a kernel that would not start, a limit refused)
        notes.append(f"the notebook could not be run: {type(error).__name__}: {error}")
        fail_all(f"not graded: the notebook could not be run ({type(error).__name__})")
    fail_all("not graded")
    return finish()


def grade(result, payload):
    if payload is None:
        result["reason"] = "the check gave no result (its cell printed nothing the grader reads)"
        return
    if payload.get("error"):
        result["reason"] = f"the check could not run: {payload['error']}"
        return
    check, hidden = payload["result"], payload.get("hidden")
    result["report"] = check["report"]
    result["hidden"] = hidden["report"] if hidden else ""
    if not check["passed"]:
        result["reason"] = gist(check["report"])
    elif hidden and not hidden["passed"]:
        result["reason"] = "passes the check but not the hidden cases: " + gist(hidden["report"])
    else:
        result["points"] = result["max"]
        result["reason"] = "passes the check" + (" and the hidden cases" if hidden else "")


def main():
    job = json.loads(Path(sys.argv[1]).read_text())
    try:
        result = run(job)
    except Exception:  # noqa: BLE001 (the grader's own failure, reported for every exercise)
        reason = "the grader failed on this notebook: " + traceback.format_exc(limit=3)[-300:]
        result = {"exercises": {e["function"]: {"points": 0, "max": e["points"], "reason": reason,
                                                "report": "", "hidden": ""}
                                for e in job["exercises"]}, "notes": [reason], "seconds": None}
    Path(job["result"]).write_text(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
