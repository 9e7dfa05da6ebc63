"""The release of this version (course_utils.__version__): the student and the instructor archive.

    python tools/release.py --masters notebooks/*.ipynb    # _build/release/ (make release)

The student archive is the student repository (tools/student_repo.py) with the student site and
PDF; it is checked for the masters' solution text (tools/leaks.py) and removed if it holds any.
"""

import argparse
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import student_repo
from leaks import files_in_archive, needles, scan

ROOT = Path(__file__).resolve().parent.parent
STUDENT = ROOT / "_build" / "student"
RELEASE = ROOT / "_build" / "release"

def version():
    text = (ROOT / "course_utils" / "__init__.py").read_text()
    return re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE).group(1)


def shown(path):
    """path relative to the repository when it is inside it."""
    path = Path(path)
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


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


def add_tree(archive, prefix, folder, arcdir):
    """Add folder's files to the archive under prefix/arcdir (of a PDF folder, the PDFs only)."""
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file() and (Path(folder).name != "pdf" or path.parent == Path(folder)):
            archive.write(path, f"{prefix}/{arcdir}/{path.relative_to(folder)}")


def build_release(masters, out=RELEASE, student=STUDENT, instructor=ROOT / "_build"):
    """The student and instructor archives of this version in out/; the student one is checked
    for the solution text of the instructor notebooks `masters` (and removed if it holds any).
    Returns the archives' paths."""
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
    with zipfile.ZipFile(student_zip, "w", zipfile.ZIP_DEFLATED) as archive:
        # A repository of its own (tools/student_repo.py): README with its two commands, the
        # package, the lock, the student notebooks; then the student site and handout.
        student_repo.add_to(archive, name, student)
        for part in ("html", "pdf"):
            add_tree(archive, name, student / part, part)
    leaks = scan(files_in_archive(student_zip), needles(masters))
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--masters", nargs="+", type=Path, required=True,
                        help="the instructor's notebooks, whose solutions must not leak")
    build_release(parser.parse_args(argv).masters)


if __name__ == "__main__":
    main()
