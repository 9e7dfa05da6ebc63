"""tools/setup.py (the set-up without make, which `make setup` runs too): its platform branches,
its plan (refuse an unsupported Python, remake a venv of another Python), and the Makefile doing
both with a stand-in python3 on the PATH, in a temporary copy of the repository."""

import os
import shutil
import subprocess
import sys
from pathlib import PureWindowsPath

import pytest

import setup
from conftest import ROOT

PYTHONS = ["3.11", "3.12", "3.13"]


def test_the_supported_pythons_are_pyprojects_classifiers():
    assert setup.supported_pythons() == PYTHONS


def test_windows_paths():
    assert setup.venv_python(".venv", windows=True) == PureWindowsPath(".venv/Scripts/python.exe")
    assert str(setup.venv_python(".venv", windows=True)) == ".venv\\Scripts\\python.exe"
    steps = setup.next_steps(".venv", windows=True)
    assert "    .venv\\Scripts\\python.exe -m jupyter lab notebooks" in steps
    commands = setup.install_commands(".venv", ("test",), windows=True)
    python = ".venv\\Scripts\\python.exe"
    assert commands[1] == [python, "-m", "uv", "pip", "install", "--quiet", "--python", python,
                           "-c", "requirements-lock.txt", "-e", ".[test]"]
    assert commands[2] == [python, "-m", "pip", "install", "--quiet",
                           "-c", "requirements-lock.txt", "-e", ".[test]"]


def test_posix_paths():
    assert str(setup.venv_python(".venv", windows=False)) == ".venv/bin/python"
    assert "    .venv/bin/python -m jupyter lab notebooks" in setup.next_steps(".venv", False)
    commands = setup.install_commands(".venv", (), windows=False)
    assert commands[1][-2:] == commands[2][-2:] == ["-e", "."]
    assert commands[0][-4:] == ["-c", "requirements-lock.txt", "pip", "uv"]


@pytest.mark.parametrize("python, venv, exists, action", [
    ("3.10", None, False, "refuse"),
    ("3.14", "3.14", True, "refuse"),
    (None, None, False, "refuse"),
    ("3.11", None, False, "make"),
    ("3.11", "3.10", True, "remake"),
    ("3.13", None, True, "remake"),  # a venv whose Python does not run
    ("3.12", "3.12", True, "keep"),
])
def test_plan(python, venv, exists, action):
    done, message = setup.plan(python, venv, exists, PYTHONS)
    assert done == action, message
    if action == "refuse":
        assert "the course needs Python 3.11–3.13" in message and "nothing was created" in message
    if action == "remake":
        assert "removing it and making it again" in message


def test_the_venvs_python_is_asked_not_guessed(tmp_path):
    assert setup.version_of(sys.executable) == f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert setup.version_of(tmp_path / "no-python") is None
    assert setup.find_python("3.99", pythons_on_path=[sys.executable]) is None


def fake_python(folder, version, uv_exit=0):
    """A `python3` that says it is `version` and makes a venv holding the same stand-in; its
    `-m pip` and `-m uv` do nothing but log their arguments (uv then exits with uv_exit), and the
    bytecode step logs "compileall"."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "python3"
    script.write_text(f"""#!/bin/bash
if [ "$1" = "-c" ] && [[ "$2" == *compileall* ]]; then echo compileall >> {folder}/installs.log; exit 0; fi
if [ "$1" = "-c" ]; then echo {version}; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$@" >> {folder}/installs.log; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "uv" ]; then echo "$@" >> {folder}/installs.log; exit {uv_exit}; fi
exec {sys.executable} "$@"
""")
    script.chmod(0o755)
    return script


def test_the_bytecode_step_compiles_the_packages_but_not_their_test_suites(tmp_path):
    """compile_command's code, run on a stand-in site-packages (sysconfig answers with it)."""
    from importlib.util import cache_from_source

    site = tmp_path / "site-packages"
    files = ["pkg/__init__.py", "pkg/testing.py", "pkg/tests/test_pkg.py", "pkg/sub/test/case.py"]
    for name in files:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x = 1\n")
    code = setup.compile_command(tmp_path / "venv")[2]
    subprocess.run([sys.executable, "-c", "import sysconfig\n"
                    f"sysconfig.get_path = lambda name: {str(site)!r}\n{code}"], check=True,
                   env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    compiled = [name for name in files if os.path.exists(cache_from_source(str(site / name)))]
    assert compiled == ["pkg/__init__.py", "pkg/testing.py"]


@pytest.mark.parametrize("uv_exit", [0, 1], ids=["uv installs", "uv fails"])
def test_uv_installs_the_course_and_pip_does_when_uv_fails(tmp_path, capsys, uv_exit):
    python = fake_python(tmp_path / "bin", "3.11", uv_exit)
    (tmp_path / "repo").mkdir()
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "repo")
    assert setup.setup(".venv", str(python), ("test",), root=tmp_path / "repo") == 0
    installs = (tmp_path / "bin" / "installs.log").read_text().splitlines()
    assert installs[0].endswith("-c requirements-lock.txt pip uv")
    assert installs[1].startswith("-m uv pip install") and installs[1].endswith("-e .[test]")
    if uv_exit:
        assert installs[2] == "-m pip install --quiet -c requirements-lock.txt -e .[test]"
        assert "pip installs it instead" in capsys.readouterr().out
    assert installs[2 + uv_exit:] == ["compileall"], "then every installed package is compiled"


@pytest.fixture
def copy(tmp_path):
    """The files `make setup` reads, in a temporary folder."""
    out = tmp_path / "repo"
    for name in ("Makefile", "pyproject.toml", "requirements-lock.txt", "tools/setup.py",
                 "book/course.py", "course_utils/run_env.py"):
        if (ROOT / name).exists():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / name, out / name)
    return out


def make_setup(folder, bin_dir):
    environ = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    environ.pop("MAKEFLAGS", None)
    return subprocess.run(["make", "--no-print-directory", "setup"], cwd=folder, env=environ,
                          capture_output=True, text=True, timeout=300, check=False)


def test_make_refuses_an_unsupported_python3_before_making_anything(copy, tmp_path):
    fake_python(tmp_path / "bin", "3.10")
    done = make_setup(copy, tmp_path / "bin")
    assert done.returncode != 0
    assert "Python 3.10 is not supported: the course needs Python 3.11–3.13" in done.stdout
    assert not (copy / ".venv").exists()


def test_make_remakes_a_venv_of_another_python_and_says_so(copy, tmp_path):
    """A 3.10 .venv left from before, python3 now 3.11: make setup remakes it by itself."""
    fake_python(tmp_path / "old", "3.10")
    (copy / ".venv" / "bin").mkdir(parents=True)
    shutil.copy(tmp_path / "old" / "python3", copy / ".venv" / "bin" / "python")
    fake_python(tmp_path / "bin", "3.11")
    done = make_setup(copy, tmp_path / "bin")
    assert done.returncode == 0, done.stdout + done.stderr
    assert ("The existing venv has Python 3.10 but this is Python 3.11: removing it and making it "
            "again.") in done.stdout
    assert setup.version_of(copy / ".venv" / "bin" / "python") == "3.11"
    assert (copy / ".venv" / ".installed-py3.11").is_file()
    again = make_setup(copy, tmp_path / "bin")
    assert "Nothing to be done" in again.stdout
