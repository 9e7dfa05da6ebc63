"""The one reader of the course's requirements and of its lock, on `packaging`.

Used by `check_env`, `tools/pins.py` (the lock and the floors), `tools/student_repo.py` and the
environment tests. The lock (`requirements-lock.txt`) is one universal resolution for every
supported Python and platform: each line is `name==version`, some with an environment marker
(`overrides==7.7.0 ; python_full_version < '3.12'`); an entry applies where its marker holds.
"""

import importlib.metadata
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = REPO / "pyproject.toml"
LOCK = REPO / "requirements-lock.txt"
# Wheel platforms every pin must have, as pip's `--platform` tags, with their marker values.
PLATFORMS = {
    "Linux x86-64": ("manylinux_2_28_x86_64",
                     {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix",
                      "platform_machine": "x86_64"}),
    "macOS arm64": ("macosx_14_0_arm64",
                    {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                     "platform_machine": "arm64"}),
    "macOS x86-64": ("macosx_13_0_x86_64",
                     {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                      "platform_machine": "x86_64"}),
    "Windows x86-64": ("win_amd64",
                       {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
                        "platform_machine": "AMD64"}),
}


def canonical(name):
    """A distribution name as PEP 503 compares them: 'Scikit_Learn' -> 'scikit-learn'."""
    return canonicalize_name(name)


@dataclass(frozen=True)
class Pin:
    """One line of the lock: `name==version`, applying where `marker` holds (None: everywhere)."""

    name: str
    version: str
    marker: Marker | None = None

    def applies(self, environment=None):
        """Whether the pin is for `environment` (marker values; default: this interpreter)."""
        return self.marker is None or self.marker.evaluate(environment)

    def __str__(self):
        return f"{self.name}=={self.version}" + (f" ; {self.marker}" if self.marker else "")


def parse_lock(text, source="lock"):
    """Every Pin of a pip-format lock `text`, whatever its marker.

    Comments, options (`-e .`, `--index-url ...`) and blank lines are skipped. Raises ValueError
    naming the line that is not `name==version`.
    """
    found = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split(" #")[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            raise ValueError(f"{source} line {number} is not `name==version`: {raw!r}") from None
        pinned = [s for s in requirement.specifier if s.operator == "=="]
        if len(pinned) != 1 or len(requirement.specifier) != 1:
            raise ValueError(f"{source} line {number} is not `name==version`: {raw!r}")
        found.append(Pin(canonical(requirement.name), pinned[0].version, requirement.marker))
    return found


def read_pins(path=LOCK):
    """Every Pin of the lock file at `path`; ValueError if it does not exist or is malformed."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"lock file {path} does not exist")
    return parse_lock(path.read_text(encoding="utf-8"), path.name)


def read_lock(path=LOCK, environment=None):
    """{name: version} of the pins of the lock at `path` that apply to `environment`.

    environment: marker values (see PLATFORMS) overriding this interpreter's; default: here.
    """
    pins = {}
    for pin in read_pins(path):
        if pin.applies(environment):
            if pins.get(pin.name, pin.version) != pin.version:
                raise ValueError(f"{Path(path).name} pins {pin.name} twice for one environment")
            pins[pin.name] = pin.version
    return pins


def target_environment(platform, python):
    """Marker values of `platform` (a key of PLATFORMS) with CPython `python` ("3.12")."""
    values = dict(PLATFORMS[platform][1])
    values.update(python_version=python, python_full_version=f"{python}.0",
                  implementation_name="cpython", platform_python_implementation="CPython")
    return values


def project(path=PYPROJECT):
    """The [project] table of pyproject.toml."""
    return tomllib.loads(Path(path).read_text(encoding="utf-8"))["project"]


def requirements(extras=(), path=PYPROJECT):
    """The Requirements of pyproject.toml's dependencies and of the given extras, in order."""
    table = project(path)
    texts = [*table["dependencies"],
             *(r for extra in extras for r in table["optional-dependencies"][extra])]
    return [Requirement(text) for text in texts]


def course_requirements():
    """The course's run-time Requirements: the installed course_utils's, else pyproject.toml's."""
    try:
        texts = importlib.metadata.requires("course_utils")
    except importlib.metadata.PackageNotFoundError:
        texts = None
    if texts is None:
        return requirements()
    out = [Requirement(text) for text in texts]
    return [r for r in out if r.marker is None or r.marker.evaluate({"extra": ""})]


def floor(requirement):
    """The version of `requirement`'s `>=` (or `==`) bound, or None."""
    for spec in requirement.specifier:
        if spec.operator in (">=", "=="):
            return spec.version
    return None


def pythons(path=PYPROJECT):
    """The supported Python versions ("3.11", ...): pyproject's `Python :: 3.x` classifiers."""
    found = [m.group(1) for c in project(path).get("classifiers", [])
             if (m := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", c))]
    return sorted(found, key=Version)


def same_version(a, b):
    """Whether two version strings are the same release (`2.0` and `2.0.0` are)."""
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def at_least(have, needed):
    """Whether version string `have` is at or above `needed` (an invalid `have` is not)."""
    try:
        return Version(have) >= Version(needed)
    except InvalidVersion:
        return False
