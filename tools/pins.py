"""The course's pinned versions: the lock that everyone installs and the floors pyproject.toml states.

    python tools/pins.py lock [--upgrade]   write requirements-lock.txt and environment.yml's pins
    python tools/pins.py floors             print pyproject's minimum versions as `name==version`
    python tools/pins.py floors --check     print them with the installed versions; fail if they differ
    python tools/pins.py wheels             prove that every pin has a wheel on every platform

`lock` resolves pyproject.toml's dependencies with the `test` and `docs` extras (everything
`make setup` installs, pip included) with uv's universal resolution: one lock for every supported
Python (pyproject's classifiers) and platform, exact versions, with an environment marker on the
entries that only some need (`overrides==7.7.0 ; python_full_version < '3.12'`). Pins already in
the lock are kept unless `--upgrade` is given. It then writes the pip section of environment.yml:
the course's run-time dependencies and everything they pull in, each at its locked version (with
its marker), so that Binder installs the same wheels as `make setup` and CI.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

from course_utils import _requirements as reqs

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements-lock.txt"
ENVIRONMENT = ROOT / "environment.yml"
EXTRAS = ("test", "docs")
PIP_SECTION = "# pip section written by `make lock` from requirements-lock.txt: do not edit by hand"
# Packages the floors pull in, held to releases of their time: matplotlib 3.8 to 3.10.0 call
# pyparsing's camelCase names, which pyparsing 3.3 deprecates (a DeprecationWarning on import).
FLOOR_ERA = ["pyparsing<3.3"]
# Releases held back, each for its reason; `make lock` and `make upgrade` keep them.
HOLDS = [
    # argon2-cffi-bindings 26 ships no wheel for macOS x86-64 (`make wheels` finds such pins).
    "argon2-cffi-bindings<26 ; sys_platform == 'darwin' and platform_machine == 'x86_64'",
    # jsonschema 4.25 brings rfc3987-syntax, which builds its parsers on import: 2 s more in every
    # process that reads a notebook (nbformat imports jsonschema), dozens of them in `make test`.
    "jsonschema<4.25",
]


def requirements(extras=EXTRAS):
    """The requirement strings of the course's dependencies and of the given extras."""
    return [str(r) for r in reqs.requirements(extras, ROOT / "pyproject.toml")]


def uv(*args, stdin=None):
    lowest = reqs.pythons(ROOT / "pyproject.toml")[0]
    command = [str(Path(sys.executable).parent / "uv"), "pip", "compile", "--quiet",
               "--universal", "--python-version", lowest, *args]
    return subprocess.run(command, input=stdin, text=True, check=True, cwd=ROOT,
                          stdout=subprocess.PIPE).stdout


def lock(upgrade=False):
    """Resolve and write requirements-lock.txt, then environment.yml's pip section."""
    extras = [arg for extra in EXTRAS for arg in ("--extra", extra)]
    uv("pyproject.toml", "-", *extras, *(["--upgrade"] if upgrade else []),
       "--custom-compile-command", "make lock", "--output-file", LOCK.name,
       stdin="\n".join(["pip", "uv", *HOLDS]) + "\n")
    runtime = reqs.parse_lock(uv("pyproject.toml", "-", "--constraint", LOCK.name, "--no-header",
                                 "--no-annotate", stdin="\n".join(HOLDS) + "\n"))
    locked = reqs.read_pins(LOCK)
    if not {(p.name, p.version) for p in runtime} <= {(p.name, p.version) for p in locked}:
        sys.exit("the run-time packages did not resolve to the locked versions")
    head = ENVIRONMENT.read_text().split(PIP_SECTION, 1)[0]
    lines = [f"      - {pin}" for pin in sorted(runtime, key=lambda p: (p.name, str(p)))]
    ENVIRONMENT.write_text(head + PIP_SECTION + "\n" + "\n".join(lines)
                           + "\n      - -e .  # course_utils, the helper package of this repository\n")
    print(f"{LOCK.name}: {len(locked)} packages; environment.yml: {len(runtime)} of them for Binder")


def floors():
    """`name==version` for every `name>=version` of the dependencies and of pytest, then FLOOR_ERA."""
    pyproject = ROOT / "pyproject.toml"
    chosen = reqs.requirements((), pyproject) + [
        r for r in reqs.requirements(("test",), pyproject) if reqs.canonical(r.name) == "pytest"]
    lines = [f"{reqs.canonical(r.name)}=={reqs.floor(r)}" for r in chosen if reqs.floor(r)]
    return "\n".join(lines + FLOOR_ERA)


def check_floors():
    """Print each floor and the installed version; 1 if any differs, else 0."""
    from importlib.metadata import PackageNotFoundError, version

    wrong = 0
    for line in floors().splitlines():
        if "==" not in line:
            continue
        name, floor = line.split("==")
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        ok = installed != "not installed" and reqs.same_version(installed, floor)
        wrong += not ok
        print(f"{name:14} floor {floor:6} installed {installed}{'' if ok else '  <- differs'}")
    return int(wrong > 0)


def wheel_command(pins, platform, python, target):
    """pip's dry run that installs `pins` from wheels only, for `platform` and CPython `python`."""
    tag = reqs.PLATFORMS[platform][0]
    platforms = [tag] + (["manylinux2014_x86_64", "manylinux_2_17_x86_64"]
                         if tag.startswith("manylinux") else [])
    return [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
            "--no-deps", "--only-binary=:all:", "--target", str(target),
            "--implementation", "cp", "--python-version", python,
            *(arg for p in platforms for arg in ("--platform", p)), *map(str, pins)]


def missing_wheels(pins, platform, python, target):
    """The pins (`name==version`) with no wheel there: pip is asked again without each one found."""
    missing, pins = [], list(pins)
    while pins:
        done = subprocess.run(wheel_command(pins, platform, python, target),
                              capture_output=True, text=True)
        if done.returncode == 0:
            break
        said = done.stderr.strip().splitlines() or ["pip failed"]
        found = [pin for pin in pins if f"{pin.name}=={pin.version}" in said[-1]]
        if not found:  # not a missing wheel (the registry could not be reached, say)
            return missing + [said[-1]]
        missing.append(str(found[0]))
        pins.remove(found[0])
    return missing


def wheels():
    """For each supported Python and platform: do the pins that apply there all have a wheel?

    Asks the package registry (pip's dry run reads the wheels' metadata, downloads none); prints
    a line per pair and returns 1 if any pin lacks a wheel.
    """
    locked = reqs.read_pins(LOCK)
    failed = 0
    with tempfile.TemporaryDirectory() as target:
        for python in reqs.pythons(ROOT / "pyproject.toml"):
            for platform in reqs.PLATFORMS:
                environment = reqs.target_environment(platform, python)
                pins = [pin for pin in locked if pin.applies(environment)]
                pins = [reqs.Pin(p.name, p.version) for p in pins]
                missing = missing_wheels(pins, platform, python, target)
                failed += bool(missing)
                result = (f"all {len(pins)} pins have a wheel" if not missing else
                          f"NO WHEEL for {', '.join(missing)}")
                print(f"Python {python}  {platform:15} {result}", flush=True)
    return int(failed > 0)


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["lock"]:
        lock(upgrade="--upgrade" in sys.argv[2:])
    elif command == ["floors"] and "--check" in sys.argv[2:]:
        sys.exit(check_floors())
    elif command == ["floors"]:
        print(floors())
    elif command == ["wheels"]:
        sys.exit(wheels())
    else:
        sys.exit(__doc__)
