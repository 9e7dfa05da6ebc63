"""The course's pinned versions: the lock that everyone installs and the floors pyproject.toml states.

    python tools/pins.py lock [--upgrade]   write requirements-lock.txt and environment.yml's pins
    python tools/pins.py floors             print pyproject's minimum versions as `name==version`
    python tools/pins.py floors --check     print them with the installed versions; fail if they differ

`lock` resolves pyproject.toml's dependencies with the `test` and `docs` extras (everything
`make setup` installs, pip included) for Python 3.11 on x86-64 Linux with uv, keeping the pins
already in the lock unless `--upgrade` is given. It then writes the pip section of environment.yml:
the course's run-time dependencies and everything they pull in, each at its locked version, so that
Binder installs the same wheels as `make setup` and CI.
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-lock.txt"
ENVIRONMENT = ROOT / "environment.yml"
PYTHON = "3.11"
PLATFORM = "x86_64-manylinux_2_28"  # x86-64 Linux with glibc >= 2.28, as CI and Binder run
EXTRAS = ("test", "docs")
PIP_SECTION = "# pip section written by `make lock` from requirements-lock.txt: do not edit by hand"
# Packages the floors pull in, held to releases of their time: matplotlib 3.8 to 3.10.0 call
# pyparsing's camelCase names, which pyparsing 3.3 deprecates (a DeprecationWarning on import).
FLOOR_ERA = ["pyparsing<3.3"]
REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")


def normalise(name):
    """A distribution name as PEP 503 compares them: 'Scikit_Learn' -> 'scikit-learn'."""
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement(line):
    """('name', 'specifier') of a requirement such as 'numpy>=1.26  # comment'."""
    match = REQUIREMENT.match(line.split("#", 1)[0].split(";", 1)[0])
    return normalise(match.group(1)), match.group(3).replace(" ", "")


def pins(text):
    """{name: version} of the `name==version` lines of a lock or requirements text."""
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line and not line.startswith("-"):
            name, version = line.split(";", 1)[0].split("==")
            found[normalise(name)] = version.strip()
    return found


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def requirements(extras=EXTRAS):
    """The requirement strings of the course's dependencies and of the given extras."""
    table = project()
    return [*table["dependencies"], *(r for extra in extras
                                      for r in table["optional-dependencies"][extra])]


def uv(*args, stdin=None):
    command = [str(Path(sys.executable).parent / "uv"), "pip", "compile", "--quiet",
               "--python-version", PYTHON, "--python-platform", PLATFORM, *args]
    return subprocess.run(command, input=stdin, text=True, check=True, cwd=ROOT,
                          stdout=subprocess.PIPE).stdout


def lock(upgrade=False):
    """Resolve and write requirements-lock.txt, then environment.yml's pip section."""
    extras = [arg for extra in EXTRAS for arg in ("--extra", extra)]
    uv("pyproject.toml", "-", *extras, *(["--upgrade"] if upgrade else []),
       "--custom-compile-command", "make lock", "--output-file", LOCK.name, stdin="pip\n")
    runtime = pins(uv("pyproject.toml", "--constraint", LOCK.name, "--no-header", "--no-annotate"))
    locked = pins(LOCK.read_text())
    if any(locked.get(name) != version for name, version in runtime.items()):
        sys.exit("the run-time packages did not resolve to the locked versions")
    head = ENVIRONMENT.read_text().split(PIP_SECTION, 1)[0]
    lines = [f"      - {name}=={version}" for name, version in sorted(runtime.items())]
    ENVIRONMENT.write_text(head + PIP_SECTION + "\n" + "\n".join(lines)
                           + "\n      - -e .  # course_utils, the helper package of this repository\n")
    print(f"{LOCK.name}: {len(locked)} packages; environment.yml: {len(runtime)} of them for Binder")


def floors():
    """`name==version` for every `name>=version` of the dependencies and of pytest, then FLOOR_ERA."""
    lines = []
    for line in requirements(extras=()) + [r for r in requirements(("test",)) if "pytest>" in r]:
        name, specifier = requirement(line)
        if specifier.startswith(">="):
            lines.append(f"{name}=={specifier[2:].split(',')[0]}")
    return "\n".join(lines + FLOOR_ERA)


def check_floors():
    """Print each floor and the installed version; 1 if any differs, else 0."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.version import Version

    wrong = 0
    for line in floors().splitlines():
        if "==" not in line:
            continue
        name, floor = line.split("==")
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        ok = installed != "not installed" and Version(installed) == Version(floor)
        wrong += not ok
        print(f"{name:14} floor {floor:6} installed {installed}{'' if ok else '  <- differs'}")
    return int(wrong > 0)


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["lock"]:
        lock(upgrade="--upgrade" in sys.argv[2:])
    elif command == ["floors"] and "--check" in sys.argv[2:]:
        sys.exit(check_floors())
    elif command == ["floors"]:
        print(floors())
    else:
        sys.exit(__doc__)
