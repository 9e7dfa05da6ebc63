"""Solution text left in an edition: the instructor solutions' distinctive lines, searched for in
notebooks, HTML and PDF (through poppler's `pdftotext`).

    python tools/leaks.py --masters notebooks/*.ipynb -- PATH...   # folders, files or .zip

Exits 1, listing 'FILE: fragment' lines, when any solution text is found (`make student` runs
it on _build/student; tools/release.py on the student archive).
"""

import argparse
import hashlib
import html.parser
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat

from student import BEGIN, END, tags

ROOT = Path(__file__).resolve().parent.parent
MIN_NEEDLE = 20  # shorter fragments of a solution are too common to prove a leak
TEXT_SUFFIXES = (".ipynb", ".html", ".htm", ".pdf", ".txt", ".md", ".py", ".json", ".js")


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


def needles(masters):
    """The distinctive fragments of the solutions in the instructor notebooks `masters` that
    appear nowhere a student may look (the lectures' other cells, the course's package, the
    site's front page)."""
    secret, public = set(), []
    for path in masters:
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


_PDF_TEXTS = {}  # SHA-256 of a PDF -> its text: the tests scan the same PDFs in several places


def pdf_text(data):
    """The text of a PDF (its bytes), normalised, through pdftotext; each PDF is read once."""
    key = hashlib.sha256(data).digest()
    if key not in _PDF_TEXTS:
        if not shutil.which("pdftotext"):
            raise RuntimeError("reading a PDF needs pdftotext: apt-get install poppler-utils")
        result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                                capture_output=True, check=True)
        _PDF_TEXTS[key] = normalise(result.stdout.decode("utf-8", "replace"))
    return _PDF_TEXTS[key]


def text_of(name, data):
    """The text a reader sees in a file (notebook, HTML, PDF or plain text), normalised."""
    if name.endswith(".pdf"):
        return pdf_text(data)
    text = data.decode("utf-8", "replace")
    if name.endswith(".ipynb"):
        nb = nbformat.reads(text, as_version=4)
        text = "\n".join(part for cell in nb.cells for part in (cell.source, output_text(cell)))
    elif name.endswith((".html", ".htm")):
        parser = _Text()
        parser.feed(text)
        text = "\n".join(parser.parts)
    return normalise(text)


def files_in(folder):
    """{path relative to folder: bytes} of the folder's text, HTML and PDF files."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(Path(folder).rglob("*"))
            if p.is_file() and p.name.endswith(TEXT_SUFFIXES)}


def files_in_archive(path):
    """{name inside the archive's top folder: bytes} of the archive's text, HTML and PDF files."""
    with zipfile.ZipFile(path) as archive:
        return {info.filename.split("/", 1)[1]: archive.read(info)
                for info in archive.infolist() if info.filename.endswith(TEXT_SUFFIXES)}


def scan(files, found_needles):
    """Lines 'FILE: solution fragment' for each of found_needles in files {name: bytes}."""
    leaks = []
    for name, data in files.items():
        if any(folder in f"/{name}" for folder in ("/_static/", "/mathjax/", "/reveal.js/")):
            continue  # the theme's, MathJax's and reveal.js's own files
        text = text_of(name, data)
        leaks += [f"{name}: {needle}" for needle in found_needles if needle in text]
    return leaks


def scan_paths(paths, found_needles):
    """scan() over folders, single files and .zip archives."""
    leaks = []
    for path in map(Path, paths):
        if path.suffix == ".zip":
            files = files_in_archive(path)
        elif path.is_dir():
            files = files_in(path)
        else:
            files = {str(path): path.read_bytes()}
        leaks += scan(files, found_needles)
    return leaks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--masters", nargs="+", type=Path, required=True,
                        help="the instructor's notebooks, whose solutions are looked for")
    parser.add_argument("paths", nargs="+", type=Path, help="folders, files or .zip archives")
    args = parser.parse_args(argv)
    leaks = scan_paths(args.paths, needles(args.masters))
    if leaks:
        sys.exit("Solution text found:\n" + "\n".join(leaks))
    print(f"No solution text in {', '.join(map(str, args.paths))}.")


if __name__ == "__main__":
    main()
