"""Grade submitted notebooks offline: `make grade SUBMISSIONS=DIR` (python tools/grade DIR).

Submissions are DIR/<student>/<lecture>.ipynb, or flat names as Canvas and Moodle downloads give
them, <student>_<anything>_<lecture>.ipynb (e.g. `doejane_12345_678_02_rbf_hidden_layer.ipynb`,
`Jane Doe_4321_assignsubmission_file_02_rbf_hidden_layer.ipynb`); <lecture> is a notebook's name
in notebooks/ (a Canvas `-1` resubmission suffix is allowed). The exercises and their points
come from the instructor's notebooks in notebooks/ (an exercise cell's metadata "points",
1 where absent).

Each submission runs in a fresh kernel in a process of its own (worker.py), two at a time, with
a time limit per cell and per notebook and a memory limit on the kernel. Each exercise is graded
by the grader itself: its check and the hidden cases (hidden.py) on the student's function, at
the place of the check cell; the cell's printed output is not trusted. A dead kernel, a
timeout, memory exhausted, invalid JSON, a deleted or edited check cell or an exception gives
the exercises it affects 0 points with the reason, and the batch carries on.

Written to OUT (default _build/grades): grades.csv (one row per student), grades.json (the same with the reasons),
feedback/<student>.html
(each exercise's points, reason and check reports), logs/ (each worker's output); and a summary
table in the terminal.

The limits protect against accidents: an endless loop, a runaway allocation, a crash, a notebook
that never ends. They are not a sandbox: student code runs as the grading user, with its files
and the network. For code that may be malicious, run this inside a container or VM without
network (e.g. `docker run --network none --memory 2g -v "$PWD":/course ...`) or under firejail.
"""

import argparse
import csv
import html
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
# The worker runs as `python -m grade.worker` with tools/ as its PYTHONPATH, which its kernel
# inherits: the grading cells import grade.kernel_side and the hidden cases from there.
WORKER_ENV = {"PYTHONPATH": str(ROOT / "tools")}
CHECK_CALL = re.compile(r"^cu\.check\.(\w+)\((\w+)\)$")
DEFAULTS = {"cell_timeout": 120, "check_timeout": 60, "notebook_timeout": 600, "memory_mb": 3072,
            "jobs": 2}


# --- the exercises, from the instructor's notebooks ---------------------------------------------

def exercises_of(path):
    """[{function, check, points}] of an instructor notebook, in order."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    found = []
    for cell, following in zip(code, code[1:] + [None]):
        if "exercise" not in cell["metadata"].get("tags", []):
            continue
        name = re.search(r"^def (\w+)", "".join(cell["source"]), re.MULTILINE)
        call = CHECK_CALL.match("".join(following["source"]).strip()) if following else None
        if name and call:
            found.append({"function": name.group(1), "check": call.group(1),
                          "points": int(cell["metadata"].get("points", 1))})
    return found


def instructor_notebooks(directory=ROOT / "notebooks"):
    return {p.stem: p for p in sorted(Path(directory).glob("[0-9][0-9]_*.ipynb"))}


# --- the submissions ---------------------------------------------------------------------------

def lecture_of(filename, lectures):
    """The lecture a submitted file is for, or None: `<lecture>.ipynb`, `…_<lecture>.ipynb`,
    with Canvas's `-1` (resubmission) or a ` (1)` (second download) allowed at the end."""
    stem = re.sub(r"(-\d+| \(\d+\))$", "", Path(filename).stem)
    for lecture in sorted(lectures, key=len, reverse=True):
        if stem == lecture or stem.endswith("_" + lecture):
            return lecture, stem[: len(stem) - len(lecture)].rstrip("_")
    return None, None


def discover(directory, lectures):
    """({(student, lecture): {path, id}}, [ignored files with why])."""
    found, ignored = {}, []
    directory = Path(directory)
    for path in sorted(directory.rglob("*.ipynb")):
        relative = path.relative_to(directory)
        if ".ipynb_checkpoints" in relative.parts:
            continue
        lecture, prefix = lecture_of(path.name, lectures)
        if lecture is None:
            ignored.append(f"{relative}: not named after a lecture ({', '.join(lectures)})")
            continue
        if len(relative.parts) > 1:
            student, ident = relative.parts[0], ""
        elif prefix:
            parts = prefix.split("_")
            student = parts[0]
            ident = next((p for p in parts[1:] if p.isdigit()), "")
        else:
            ignored.append(f"{relative}: no student in its name (<student>_…_{lecture}.ipynb)")
            continue
        if (student, lecture) in found:
            ignored.append(f"{relative}: a second submission of {lecture} by {student} "
                           f"(graded: {found[student, lecture]['path'].name})")
            continue
        found[student, lecture] = {"path": path, "id": ident}
    return found, ignored


# --- running the workers -----------------------------------------------------------------------

def _kill_tree(process):
    import psutil

    try:
        parent = psutil.Process(process.pid)
        for child in parent.children(recursive=True):
            child.kill()
        parent.kill()
    except psutil.NoSuchProcess:
        pass


def grade_one(student, lecture, submission, exercises, limits, out):
    """The worker's result for one submission; a failed or stuck worker becomes reasons."""
    logs = out / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^\w.-]+", "_", f"{student}__{lecture}")
    with tempfile.TemporaryDirectory(prefix="grade-") as workdir:
        job = {"submission": str(submission), "exercises": exercises, "workdir": workdir,
               "result": str(Path(workdir) / "result.json"), **limits}
        job_file = Path(workdir) / "job.json"
        job_file.write_text(json.dumps(job))
        reason = None
        with open(logs / f"{safe}.log", "w") as log:
            process = subprocess.Popen([sys.executable, "-m", "grade.worker", str(job_file)],
                                       stdout=log, stderr=subprocess.STDOUT, cwd=workdir,
                                       env={**os.environ, **WORKER_ENV})
            try:
                process.wait(timeout=limits["notebook_timeout"] + 90)
            except subprocess.TimeoutExpired:
                _kill_tree(process)
                process.wait()
                reason = (f"the notebook was stopped after {limits['notebook_timeout']} s "
                          "(its kernel did not answer)")
        try:
            result = json.loads(Path(job["result"]).read_text())
        except (OSError, ValueError):
            reason = reason or f"the grader's worker ended without a result (see logs/{safe}.log)"
            result = {"exercises": {e["function"]: {"points": 0, "max": e["points"],
                                                    "reason": reason, "report": "", "hidden": ""}
                                    for e in exercises}, "notes": [reason], "seconds": None}
    result["file"] = str(submission)
    return result


def grade(submissions, out=ROOT / "_build" / "grades", notebooks=None, progress=True,
          **limits):
    """Grade every submission in the directory submissions; returns the rows written."""
    limits = {k: limits.get(k) or DEFAULTS[k] for k in DEFAULTS}
    jobs = limits.pop("jobs")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    masters = instructor_notebooks(notebooks or ROOT / "notebooks")
    found, ignored = discover(submissions, masters)
    lectures = sorted({lecture for _student, lecture in found})
    exercises = {lecture: exercises_of(masters[lecture]) for lecture in lectures}
    students = sorted({student for student, _lecture in found})
    tasks = [(s, lec) for s in students for lec in lectures if (s, lec) in found]

    from tqdm import tqdm

    bar = tqdm(total=len(tasks), desc="grading", unit="notebook", disable=not progress,
               file=sys.stderr)

    def work(task):
        student, lecture = task
        result = grade_one(student, lecture, found[task]["path"], exercises[lecture], limits, out)
        bar.update(1)
        return task, result

    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        results = dict(pool.map(work, tasks))
    bar.close()

    columns = [(lec, e) for lec in lectures for e in exercises[lec]]
    rows = []
    for student in students:
        ident = next((found[s, lec]["id"] for s, lec in found if s == student), "")
        cells, notes = {}, []
        for lecture in lectures:
            result = results.get((student, lecture))
            if result is None:
                for e in exercises[lecture]:
                    cells[lecture, e["function"]] = {"points": 0, "max": e["points"],
                                                     "reason": f"no submission of {lecture}",
                                                     "report": "", "hidden": ""}
                continue
            for e in exercises[lecture]:
                cells[lecture, e["function"]] = result["exercises"][e["function"]]
            notes += [f"{lecture}: {n}" for n in result["notes"]]
        total = sum(c["points"] for c in cells.values())
        rows.append({"student": student, "id": ident, "cells": cells, "notes": notes,
                     "total": total})
    write_csv(out / "grades.csv", rows, columns)
    (out / "grades.json").write_text(json.dumps(  # the reasons too, for scripts
        [{"student": r["student"], "id": r["id"], "total": r["total"], "notes": r["notes"],
          "exercises": {f"{lec[:2]} {fn}": c for (lec, fn), c in r["cells"].items()}}
         for r in rows], ensure_ascii=False, indent=1))
    for row in rows:
        write_feedback(out / "feedback", row, columns)
    print(summary(rows, columns, time.monotonic() - start, limits, jobs, ignored, out))
    return rows


def column_name(lecture, exercise):
    return f"{lecture[:2]} {exercise['function']} ({exercise['points']})"


def write_csv(path, rows, columns):
    maximum = sum(e["points"] for _lec, e in columns)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["Student", "ID", *(column_name(lec, e) for lec, e in columns),
                         f"Total ({maximum})"])
        for row in rows:
            writer.writerow([row["student"], row["id"],
                             *(row["cells"][lec, e["function"]]["points"] for lec, e in columns),
                             row["total"]])


def write_feedback(directory, row, columns):
    directory.mkdir(parents=True, exist_ok=True)
    maximum = sum(e["points"] for _lec, e in columns)
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>Feedback: {esc(row['student'])}</title><style>"
             "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
             "pre{background:#f4f4f4;padding:.6em;white-space:pre-wrap}"
             ".ok{color:#1a7f37}.no{color:#b3261e}</style></head><body>",
             f"<h1>Feedback for {esc(row['student'])}</h1>",
             f"<p>Total: <strong>{row['total']} of {maximum}</strong> points.</p>"]
    for lecture, exercise in columns:
        cell = row["cells"][lecture, exercise["function"]]
        mark = "ok" if cell["points"] == cell["max"] else "no"
        parts.append(f"<h2 class='{mark}'>{esc(lecture)}: <code>{esc(exercise['function'])}"
                     f"</code>, {cell['points']} of {cell['max']}</h2>"
                     f"<p>{esc(cell['reason'])}</p>")
        for title, text in (("The check", cell["report"]), ("Hidden cases", cell["hidden"])):
            if text:
                parts.append(f"<h3>{title}</h3><pre>{esc(text)}</pre>")
    if row["notes"]:
        parts.append("<h2>While running the notebook</h2><ul>"
                     + "".join(f"<li>{esc(n)}</li>" for n in row["notes"]) + "</ul>")
    parts.append("</body></html>")
    name = re.sub(r"[^\w.-]+", "_", row["student"]) + ".html"
    (directory / name).write_text("\n".join(parts), encoding="utf-8")


def summary(rows, columns, seconds, limits, jobs, ignored, out):
    headers = ["student", *(f"{lec[:2]} {e['function']}" for lec, e in columns), "total", "why"]
    maximum = sum(e["points"] for _lec, e in columns)
    table = []
    for row in rows:
        cells = [row["cells"][lec, e["function"]] for lec, e in columns]
        why = next((f"{e['function']}: {c['reason']}" for (_lec, e), c in zip(columns, cells)
                    if c["points"] < c["max"]), "")
        table.append([row["student"], *(f"{c['points']}/{c['max']}" for c in cells),
                      f"{row['total']}/{maximum}", why[:70]])
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *table)]
    lines = ["  ".join(str(x).ljust(w) for x, w in zip(line, widths)).rstrip()
             for line in [headers, ["-" * w for w in widths], *table]]
    lines.append(f"{len(rows)} students graded in {seconds:.0f} s ({jobs} at a time; limits: "
                 f"{limits['cell_timeout']} s a cell, {limits['check_timeout']} s a check, "
                 f"{limits['notebook_timeout']} s a notebook, "
                 f"{limits['memory_mb']} MB a kernel). Written: {out / 'grades.csv'}, "
                 f"{out / 'feedback'}/")
    lines += [f"Ignored: {i}" for i in ignored]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="make grade SUBMISSIONS=DIR", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", type=Path)
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "grades")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="the instructor's notebooks (default notebooks/)")
    parser.add_argument("--cell-timeout", type=int, default=DEFAULTS["cell_timeout"],
                        help="seconds a cell may run (default %(default)s)")
    parser.add_argument("--check-timeout", type=int, default=DEFAULTS["check_timeout"],
                        help="seconds an exercise's check may run (default %(default)s)")
    parser.add_argument("--notebook-timeout", type=int, default=DEFAULTS["notebook_timeout"],
                        help="seconds a whole notebook may run (default %(default)s)")
    parser.add_argument("--memory-mb", type=int, default=DEFAULTS["memory_mb"],
                        help="address space of a kernel, MB (default %(default)s)")
    parser.add_argument("--jobs", type=int, default=DEFAULTS["jobs"],
                        help="notebooks at a time (default %(default)s)")
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        parser.error(f"{args.submissions} is not a directory")
    os.environ.setdefault("PYTHONHASHSEED", "0")
    grade(args.submissions, args.out, args.notebooks, cell_timeout=args.cell_timeout,
          check_timeout=args.check_timeout, notebook_timeout=args.notebook_timeout,
          memory_mb=args.memory_mb, jobs=args.jobs)
