"""The course's editions: `notebooks/` is the instructor edition; this derives the student one.

    python tools/editions.py student [--no-site] [--no-pdf]   # _build/student/ (make student)
    python tools/editions.py release                          # _build/release/ (make release)
    python tools/editions.py scan PATH...                     # solution text left in files?

The master notebooks follow nbgrader's conventions, so they stay plain notebooks that read and
render well: an exercise is a code cell tagged `exercise` whose body lies between the lines
`### BEGIN SOLUTION` and `### END SOLUTION`; a worked solution is a whole cell tagged `solution`
(plus `hide-cell`, collapsed in the instructor's site). The student edition replaces each
exercise body by `raise NotImplementedError(...)` and each worked solution by an empty answer
cell (tagged `raises-exception`, so that Run All carries on past an unfinished answer), rewords
the few sentences that promise hidden solutions (STUDENT_WORDING), then executes every lecture
top to bottom.

Why a small nbformat script and not a library: nbgrader's `ClearSolutions` understands these
markers, but by default wants nbgrader metadata on every solution cell, knows nothing of whole
worked-solution cells, and brings a grading database (SQLAlchemy, Alembic), Notebook 7 and its
own JupyterLab extensions into the students' environment. otter-grader's `otter assign` wants
raw `# BEGIN QUESTION` / `# BEGIN SOLUTION` / `# BEGIN TESTS` cells and YAML in the masters,
which show as clutter on the site and in JupyterLab, and brings pydantic and a Docker client.
jupytext pairs notebooks with scripts; it makes no exercises. The transformation here is about
fifty lines and leaves the masters as ordinary notebooks.

The solution check searches an edition's notebooks, HTML and PDF (through poppler's
`pdftotext`) for the distinctive lines of the instructor's solutions.
"""

import argparse
import html.parser
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "book"))
from course import notebooks  # noqa: E402  (book/ is not a package)

STUDENT = ROOT / "_build" / "student"
RELEASE = ROOT / "_build" / "release"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
HIDE_TAGS = {"hide-cell", "hide-input", "hide-output", "remove-cell", "remove-input",
             "remove-output", "solution"}
CODE_STUB, TEXT_STUB = "# Your answer here", "*Your answer here.*"
# Run like `make execute`: the bundled digits, one BLAS thread, the same outputs everywhere.
ENVIRONMENT = {"COURSE_MNIST": "bundled", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "PYTHONHASHSEED": "0", "JUPYTER_PLATFORM_DIRS": "1"}
# Sentences of the masters that only the instructor edition makes true, and the student's words.
STUDENT_WORDING = [
    (re.compile(r"Solutions are in the hidden cells below( \(click to expand\))?\."),
     "Write your answers in the cells below."),
]
STAMP = ".built"  # written last by a complete build of the student edition
MIN_NEEDLE = 20  # shorter fragments of a solution are too common to prove a leak


# --- from the instructor's notebook to the student's -------------------------------------------

def tags(cell):
    return cell.metadata.get("tags", [])


def function_name(source):
    match = re.search(r"^\s*def (\w+)", source, re.MULTILINE)
    return match.group(1) if match else "this function"


def clear_regions(source, stub):
    """source with each BEGIN/END SOLUTION region replaced by stub(indent)."""
    lines, out, inside = source.splitlines(), [], False
    for line in lines:
        if line.strip() == BEGIN:
            inside = True
            out.append(stub(line[: len(line) - len(line.lstrip())]))
        elif line.strip() == END:
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise ValueError(f"'{BEGIN}' without '{END}' in:\n{source[:300]}")
    return "\n".join(out)


def make_stub(cell):
    """The student's version of one cell: exercise bodies and worked solutions taken out."""
    if "solution" in tags(cell):
        cell.source = CODE_STUB if cell.cell_type == "code" else TEXT_STUB
    elif BEGIN in cell.source and cell.cell_type == "code":
        name = function_name(cell.source)
        cell.source = clear_regions(cell.source, lambda indent: (
            f'{indent}raise NotImplementedError("{name}: replace this line with your code")'))
    elif BEGIN in cell.source:
        cell.source = clear_regions(cell.source, lambda indent: indent + TEXT_STUB)
    else:
        if cell.cell_type == "markdown":
            for pattern, words in STUDENT_WORDING:
                cell.source = pattern.sub(words, cell.source)
        return cell
    cell.metadata.pop("jupyter", None)
    cell.metadata["tags"] = [t for t in tags(cell) if t not in HIDE_TAGS]
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None
        # Run all carries on past an answer the student has not finished (JupyterLab, myst-nb).
        cell.metadata["tags"].append("raises-exception")
    if not cell.metadata["tags"]:
        del cell.metadata["tags"]
    return cell


def student_notebook(nb):
    """A copy of the instructor's notebook nb with every solution replaced by its stub."""
    nb = nbformat.from_dict(nb)
    nb.cells = [make_stub(cell) for cell in nb.cells]
    return nb


def execute(path):
    """Execute the notebook at path in place, top to bottom, as `make execute` does."""
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor, ExecutePreprocessor

    nb = nbformat.read(path, as_version=4)
    os.environ.update({k: os.environ.get(k, v) for k, v in ENVIRONMENT.items()})
    os.environ["COURSE_MNIST"] = "bundled"
    ExecutePreprocessor(timeout=600, kernel_name="python3", record_timing=False).preprocess(
        nb, {"metadata": {"path": str(path.parent)}})
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    nbformat.write(nb, path)


def build_student(out=STUDENT, site=True, pdf=True, source=ROOT / "notebooks"):
    """The student edition of the notebooks in source, in out/: notebooks/ (executed),
    data/README.md, html/ and pdf/."""
    start = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    (out / "notebooks").mkdir(parents=True)
    (out / "data").mkdir()
    shutil.copy2(ROOT / "data" / "README.md", out / "data" / "README.md")
    targets = [out / "notebooks" / master.name for master in notebooks(source)]
    for master, target in zip(notebooks(source), targets, strict=True):
        nbformat.write(student_notebook(nbformat.read(master, as_version=4)), target)

    def run(target):  # one kernel per notebook, in its own process; two at a time on two cores
        done = subprocess.run([sys.executable, __file__, "execute", str(target)]).returncode == 0
        print(f"{shown(target)}: {'executed' if done else 'FAILED'} "
              f"({time.perf_counter() - start:.0f} s)")
        return done

    with ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        failed = [t.name for t, done in zip(targets, pool.map(run, targets)) if not done]
    if failed:
        sys.exit(f"Not run top to bottom (the failing cell is printed above): {', '.join(failed)}")
    book = [sys.executable, str(ROOT / "book" / "build.py")]
    edition = ["--notebooks", str(out / "notebooks"), "--out", str(out)]
    if site:  # the notebooks are executed already: the site renders their outputs
        subprocess.run([*book, *edition], check=True,
                       env={**os.environ, "COURSE_BOOK_EXECUTE": "off"})
    if pdf and not chromium_available():
        print("No student PDF: it needs Debian's chromium (apt-get install chromium)")
    elif pdf:
        subprocess.run([sys.executable, str(ROOT / "book" / "pdf.py"), *edition,
                        "--edition", "Student edition"], check=True)
    leaks = scan(student_files(out), needles(notebooks(source)))
    if leaks:
        sys.exit("Solution text in the student edition:\n" + "\n".join(leaks))
    (out / STAMP).write_text(f"{version()}\n")
    print(f"The student edition is in {out.relative_to(ROOT)} "
          f"({time.perf_counter() - start:.0f} s); no solution text found in it.")


# --- finding solution text -------------------------------------------------------------------

def normalise(text):
    return " ".join(text.split())


def fragments(text):
    """Distinctive pieces of text: its lines, and for prose the runs between Markdown or LaTeX
    markup, whitespace-normalised, at least MIN_NEEDLE characters long."""
    pieces = set()
    for line in text.splitlines():
        for piece in [line, *re.split(r"[*_`$\\{}|#<>\[\]]+", line)]:
            piece = normalise(piece)
            if len(piece) >= MIN_NEEDLE:
                pieces.add(piece)
    return pieces


def output_text(cell):
    texts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            texts.append(output.get("text", ""))
        else:
            texts.append(output.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


def solution_and_public_text(nb):
    """(the solutions' text, everything else a student sees) of an instructor notebook."""
    secret, public = [], []
    for cell in nb.cells:
        if "solution" in tags(cell):
            secret += [cell.source, output_text(cell)]
        elif BEGIN in cell.source:
            inside = False
            for line in cell.source.splitlines():
                if line.strip() in (BEGIN, END):
                    inside = line.strip() == BEGIN
                else:
                    (secret if inside else public).append(line)
        else:
            public += [cell.source, output_text(cell)]
    return "\n".join(secret), "\n".join(public)


def needles(paths=None):
    """The instructor solutions' distinctive fragments that appear nowhere a student may look
    (the lectures' other cells, the course's package, the site's front page)."""
    secret, public = set(), []
    for path in paths or notebooks():
        s, p = solution_and_public_text(nbformat.read(path, as_version=4))
        secret |= fragments(s)
        public.append(p)
    for path in [*sorted((ROOT / "course_utils").rglob("*.py")), ROOT / "book" / "index.md"]:
        public.append(path.read_text())
    public = normalise("\n".join(public))
    return sorted(f for f in secret if f not in public)


class _Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(name, data):
    """The text a reader sees in a file (notebook, HTML, PDF or plain text), normalised."""
    if name.endswith(".pdf"):
        if not shutil.which("pdftotext"):
            raise RuntimeError("reading a PDF needs pdftotext: apt-get install poppler-utils")
        result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                                capture_output=True, check=True)
        return normalise(result.stdout.decode("utf-8", "replace"))
    text = data.decode("utf-8", "replace")
    if name.endswith(".ipynb"):
        nb = nbformat.reads(text, as_version=4)
        text = "\n".join(part for cell in nb.cells for part in (cell.source, output_text(cell)))
    elif name.endswith((".html", ".htm")):
        parser = _Text()
        parser.feed(text)
        text = "\n".join(parser.parts)
    return normalise(text)


TEXT_SUFFIXES = (".ipynb", ".html", ".htm", ".pdf", ".txt", ".md", ".py", ".json", ".js")


def student_files(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*"))
            if p.is_file() and p.name.endswith(TEXT_SUFFIXES)}


def scan(files, found_needles=None):
    """Lines 'FILE: solution fragment' for each solution fragment found in files {name: bytes}."""
    found_needles = needles() if found_needles is None else found_needles
    leaks = []
    for name, data in files.items():
        if "/_static/" in f"/{name}" or "/mathjax/" in f"/{name}":
            continue  # the theme's and MathJax's own files
        text = text_of(name, data)
        leaks += [f"{name}: {needle}" for needle in found_needles if needle in text]
    return leaks


# --- releases ---------------------------------------------------------------------------------

def version():
    text = (ROOT / "course_utils" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE).group(1)


def repository_files():
    """The instructor's sources: every file git tracks or would track (not _build/, .venv/);
    outside a git checkout, every file but those build products and caches."""
    try:
        listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"],
                                cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        skip = {".git", ".venv", "_build", "__pycache__", ".pytest_cache", ".ruff_cache"}
        return sorted(p for p in ROOT.rglob("*") if p.is_file()
                      and not skip & set(p.relative_to(ROOT).parts)
                      and not any(part.endswith(".egg-info") for part in p.parts)
                      and not p.relative_to(ROOT).as_posix().startswith("data/mnist/"))
    return sorted({ROOT / line for line in listed.splitlines() if (ROOT / line).is_file()})


STUDENT_README = """# Neural networks from scratch — student edition {version}

The lectures as notebooks with the exercises left for you: each "write it yourself" cell says
what to write and raises `NotImplementedError` until you do; the one-line check under it
(`cu.check.NAME(your_function)`) tells you, offline, whether your function is right, and if not
what differs and the likely cause. The worked solutions are left out ("Your answer here").

- `notebooks/`: the six lectures, executed top to bottom.
- `html/index.html`: the course site; `pdf/course.pdf`: the handout.
- `course_utils/`: the course's helper package (data, plots, checks).
- `data/README.md`: where the data comes from and under which licence.

Set up (Python 3.11): `python3 -m venv .venv`, then
`.venv/bin/pip install -c requirements-lock.txt -e .` and `.venv/bin/jupyter lab notebooks/`.
Or with conda: `conda env create -f environment.yml`.
"""


def add_tree(archive, prefix, folder, arcdir):
    """Add folder's files to the archive under prefix/arcdir (of a PDF folder, the PDFs only)."""
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and (Path(folder).name != "pdf" or path.parent == Path(folder)):
            archive.write(path, f"{prefix}/{arcdir}/{path.relative_to(folder)}")


def shown(path):
    """path relative to the repository when it is inside it."""
    path = Path(path)
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def build_release(out=RELEASE, student=STUDENT, instructor=ROOT / "_build"):
    """The student and instructor archives of this version in out/; the student one is checked
    for solution text (and removed if it holds any). Returns the archives' paths."""
    v = version()
    for needed in [student / "notebooks", student / "html", student / "pdf",
                   instructor / "html", instructor / "pdf"]:
        if not needed.exists():
            sys.exit(f"{shown(needed)} is missing: run `make student book pdf` first")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    sources = repository_files()
    name = f"nn-from-scratch-{v}-student"
    student_zip = out / f"{name}.zip"
    runtime = [p for p in sources if p.relative_to(ROOT).parts[0] == "course_utils"
               or (p.parent == ROOT and p.name in ("pyproject.toml", "environment.yml",
                                                   "requirements-lock.txt", "CHANGELOG.md",
                                                   "CITATION.cff", "LICENSE"))]
    with zipfile.ZipFile(student_zip, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}/README.md", STUDENT_README.format(version=v))
        for path in runtime:
            archive.write(path, f"{name}/{path.relative_to(ROOT)}")
        for part in ("notebooks", "data", "html", "pdf"):
            add_tree(archive, name, student / part, part)
    leaks = scan_archive(student_zip)
    if leaks:
        student_zip.unlink()
        sys.exit("Solution text in the student archive (removed):\n" + "\n".join(leaks))
    name = f"nn-from-scratch-{v}-instructor"
    instructor_zip = out / f"{name}.zip"
    with zipfile.ZipFile(instructor_zip, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sources:
            archive.write(path, f"{name}/{path.relative_to(ROOT)}")
        for part in ("html", "pdf"):
            add_tree(archive, name, instructor / part, f"_build/{part}")
        for part in ("notebooks", "html", "pdf"):
            add_tree(archive, name, student / part, f"_build/student/{part}")
    for archive in (student_zip, instructor_zip):
        print(f"{shown(archive)}: {archive.stat().st_size / 2**20:.1f} MiB")
    print("The student archive holds no solution text.")
    return student_zip, instructor_zip


def files_in_archive(path):
    """{name inside the archive's top folder: bytes} of the archive's text, HTML and PDF files."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename.split("/", 1)[1]: archive.read(info)
                for info in archive.infolist() if info.filename.endswith(TEXT_SUFFIXES)}


def scan_archive(path):
    return scan(files_in_archive(path))


def chromium_available():
    from chromium import CHROMIUM

    return CHROMIUM.exists()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    student = commands.add_parser("student", help="build the student edition in _build/student")
    student.add_argument("--no-site", action="store_true", help="skip the HTML site")
    student.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    student.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                         help="the instructor's notebooks (default: notebooks/)")
    student.add_argument("--out", type=Path, default=STUDENT, help="default: _build/student")
    commands.add_parser("release", help="write the archives of this version to _build/release")
    run = commands.add_parser("execute", help="execute one notebook in place (as make execute)")
    run.add_argument("notebook", type=Path)
    scan_files = commands.add_parser("scan", help="look for solution text in files or folders")
    scan_files.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args(argv)
    if args.command == "student":
        build_student(args.out, not args.no_site, not args.no_pdf, args.notebooks)
    elif args.command == "release":
        build_release()
    elif args.command == "execute":
        execute(args.notebook)
    else:
        leaks = []
        for path in args.paths:
            if path.suffix == ".zip":
                leaks += scan_archive(path)
            else:
                leaks += scan(student_files(path) if path.is_dir()
                              else {str(path): path.read_bytes()})
        print("\n".join(leaks) or "no solution text")
        sys.exit(1 if leaks else 0)


if __name__ == "__main__":
    main()
