"""Set the course up with Python alone (Windows, or anywhere without make): `python tools/setup.py`.

It checks that this Python is one the course supports (pyproject.toml's classifiers), makes the
virtual environment `.venv` with it (remaking one that holds another Python), installs the course
from the lock (`requirements-lock.txt`, exact versions, only the entries for this Python and
platform), and prints how to start JupyterLab. `make setup` runs it too.

    python tools/setup.py                         .venv with the course
    python tools/setup.py --extras test,docs      ... and the test and docs extras (`make setup`)
    python tools/setup.py --venv DIR --python EXE a venv elsewhere, made with another Python
    python tools/setup.py --pythons               print the supported versions, one a line
    python tools/setup.py --find 3.12             print an interpreter of Python 3.12, if found

Only the standard library, and nothing newer than Python 3.6, so that an old Python gets a clear
message rather than a syntax error.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

ROOT = Path(__file__).resolve().parent.parent
LOCK = "requirements-lock.txt"
ASK_VERSION = "import sys; print('%d.%d' % sys.version_info[:2])"


def supported_pythons(pyproject=ROOT / "pyproject.toml"):
    """["3.11", "3.12", "3.13"]: the `Programming Language :: Python :: 3.x` classifiers."""
    text = Path(pyproject).read_text(encoding="utf-8")
    found = re.findall(r'"Programming Language :: Python :: (3\.\d+)"', text)
    return sorted(found, key=lambda v: tuple(map(int, v.split("."))))


def is_supported(version, pythons):
    return version in pythons


def version_of(python):
    """"3.11" for the interpreter `python` (a path or a command), or None if it does not run."""
    try:
        done = subprocess.run([str(python), "-c", ASK_VERSION], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, universal_newlines=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    answer = done.stdout.strip()
    return answer if done.returncode == 0 and re.fullmatch(r"\d+\.\d+", answer) else None


def venv_bin(venv, windows=None):
    """The folder of a venv's programs: `Scripts` on Windows, `bin` elsewhere."""
    windows = os.name == "nt" if windows is None else windows
    path = PureWindowsPath(venv) if windows else PurePosixPath(venv)
    return path / ("Scripts" if windows else "bin")


def venv_python(venv, windows=None):
    """A venv's interpreter: `.venv\\Scripts\\python.exe` on Windows, `.venv/bin/python` elsewhere."""
    windows = os.name == "nt" if windows is None else windows
    return venv_bin(venv, windows) / ("python.exe" if windows else "python")


def next_steps(venv, windows=None):
    """What to type next, as lines: start JupyterLab, check the set-up, VS Code."""
    windows = os.name == "nt" if windows is None else windows
    python = venv_python(venv, windows)
    return [
        "Start JupyterLab on the lectures:",
        "    {} -m jupyter lab notebooks".format(python),
        "Check the set-up at any time:",
        "    {} -m course_utils.check_env".format(python),
        "In VS Code, open this folder and pick the kernel `{}` (Select Kernel > Python "
        "Environments).".format(venv),
    ]


def find_python(version, pythons_on_path=None):
    """An interpreter of Python `version` ("3.12") on this machine, or None.

    Tried in order: python3 and pythonX.Y on PATH, `py -X.Y` (Windows), `pyenv prefix X.Y`.
    """
    candidates = pythons_on_path if pythons_on_path is not None else [
        shutil.which("python3"), shutil.which("python" + version)]
    for candidate in filter(None, candidates):
        if version_of(candidate) == version:
            return str(candidate)
    if pythons_on_path is not None:
        return None
    if shutil.which("py"):  # the Windows launcher
        done = subprocess.run(["py", "-" + version, "-c", "import sys; print(sys.executable)"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              universal_newlines=True)
        if done.returncode == 0:
            return done.stdout.strip()
    if shutil.which("pyenv"):
        done = subprocess.run(["pyenv", "prefix", version], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, universal_newlines=True)
        prefix = done.stdout.strip().split(os.pathsep)[0]
        if done.returncode == 0 and prefix:
            python = Path(prefix) / "bin" / ("python" + version)
            if version_of(python) == version:
                return str(python)
    return None


def plan(python_version, venv_version, venv_exists, pythons):
    """What to do, as (action, message): action is "refuse", "remake", "make" or "keep".

    python_version: the Python that would make the venv ("3.11", or None if it does not run);
    venv_version: the Python inside the existing venv (None if it has none that runs).
    """
    wanted = "{}–{}".format(pythons[0], pythons[-1])
    if python_version is None or not is_supported(python_version, pythons):
        return ("refuse", "Python {} is not supported: the course needs Python {}. Install one "
                "(python.org, or pyenv or conda) and run this again with it; nothing was "
                "created.".format(python_version or "(did not run)", wanted))
    if venv_exists and venv_version != python_version:
        return ("remake", "The existing venv has Python {} but this is Python {}: removing it "
                "and making it again.".format(venv_version or "that does not run",
                                              python_version))
    if venv_exists:
        return ("keep", "Using the existing venv (Python {}).".format(python_version))
    return ("make", "Making a venv with Python {}.".format(python_version))


def install_commands(venv, extras=(), windows=None):
    """The commands that install the course (and `extras`) from the lock: pip and uv at the
    lock's versions; the course by uv (seconds, where pip takes a minute); the course by pip,
    run only when uv fails (an index set up for pip alone, say)."""
    python = str(venv_python(venv, windows))
    target = "." + ("[{}]".format(",".join(extras)) if extras else "")
    return [
        [python, "-m", "pip", "install", "--quiet", "-c", LOCK, "pip", "uv"],
        [python, "-m", "uv", "pip", "install", "--quiet", "--python", python, "-c", LOCK,
         "-e", target],
        [python, "-m", "pip", "install", "--quiet", "-c", LOCK, "-e", target],
    ]


def compile_command(venv, windows=None):
    """The command that compiles every installed package to bytecode (seconds when done before).

    uv installs without bytecode, and where PYTHONDONTWRITEBYTECODE is set (as on many CI
    machines) Python never writes it either: every kernel, build and test would then compile
    scikit-learn, SciPy and matplotlib again, about 3.5 s a process. This also mends a venv made
    before the step existed. The packages' own test suites (folders named test or tests), which
    the course never imports, are left out: a third of the step's time (pandas' alone is 1,100
    files)."""
    return [str(venv_python(venv, windows)), "-c", "import compileall, re, sysconfig; "
            "compileall.compile_dir(sysconfig.get_path('purelib'), quiet=2, workers=0, "
            r"rx=re.compile(r'[\\/]tests?[\\/]'))"]


def run(command, root):
    print("$ " + " ".join(command), flush=True)
    return subprocess.run(command, cwd=str(root)).returncode == 0


def setup(venv=".venv", python=sys.executable, extras=(), root=ROOT):
    """Make (or remake) `venv` with `python` and install the course from the lock; 0 if done."""
    pythons = supported_pythons(Path(root) / "pyproject.toml")
    venv_path = Path(root) / venv
    here = version_of(python)
    action, message = plan(here, version_of(venv_python(venv_path)), venv_path.exists(), pythons)
    print("{}: {}".format(venv, message), flush=True)
    if action == "refuse":
        return 2
    if action == "remake":
        shutil.rmtree(str(venv_path))
    if action in ("make", "remake"):
        subprocess.run([str(python), "-m", "venv", str(venv_path)], check=True)
    installers, by_uv, by_pip = install_commands(venv_path, extras)
    if not run(installers, root):
        return 1
    if not run(by_uv, root):
        print("uv could not install the course: pip installs it instead (about a minute).",
              flush=True)
        if not run(by_pip, root):
            return 1
    return 0 if run(compile_command(venv_path), root) else 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tools/setup.py", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--venv", default=".venv", help="the venv to make (default .venv)")
    parser.add_argument("--python", default=sys.executable,
                        help="the Python to make it with (default: this one)")
    parser.add_argument("--extras", default="", help="extras to install too, e.g. test,docs")
    parser.add_argument("--quiet", action="store_true", help="no next steps at the end")
    parser.add_argument("--pythons", action="store_true", help="print the supported versions")
    parser.add_argument("--find", metavar="X.Y", help="print an interpreter of Python X.Y")
    args = parser.parse_args(argv)
    if args.pythons:
        print("\n".join(supported_pythons()))
        return 0
    if args.find:
        found = find_python(args.find)
        if found:
            print(found)
        return 0 if found else 1
    status = setup(args.venv, args.python, [e for e in args.extras.split(",") if e])
    if status == 0 and not args.quiet:
        print("\nThe course is set up in {}.".format(args.venv))
        print("\n".join(next_steps(args.venv)))
    return status


if __name__ == "__main__":
    sys.exit(main())
