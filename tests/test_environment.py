"""One locked environment: requirements-lock.txt pins everything `make setup` installs; pyproject.toml
states true minimums that admit the pins; environment.yml (what Binder builds) pins the same."""

import re
import subprocess
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT
from course import NOTEBOOKS

LOCK = ROOT / "requirements-lock.txt"


def locked():
    """{name: version} of requirements-lock.txt, names normalised as in PEP 503."""
    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][^\s;]*", line), f"not name==version: {line}"
            name, pinned = line.split("==")
            pins[canonicalize_name(name)] = pinned
    return pins


def project():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def pip_section():
    return next(d["pip"] for d in environment()["dependencies"] if isinstance(d, dict))


def binder_pins():
    """{name: version} of environment.yml's pip section."""
    pins = {}
    for line in pip_section():
        if not line.startswith("-"):
            name, pinned = line.split("==")
            pins[canonicalize_name(name)] = pinned
    return pins


def setup_requirements():
    """What `make setup` installs: the dependencies and the test and docs extras."""
    extras = project()["optional-dependencies"]
    return [Requirement(r) for r in (*project()["dependencies"], *extras["test"], *extras["docs"])]


def test_the_lock_pins_everything_make_setup_asks_for_within_pyprojects_bounds():
    pins = locked()
    assert "pip" in pins, "the lock pins pip too"
    for requirement in setup_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in the lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"pyproject.toml asks for {requirement}, the lock has {pins[name]}")


def test_every_dependency_has_a_lower_bound():
    for requirement in setup_requirements():
        assert any(spec.operator in (">=", "==") for spec in requirement.specifier), requirement


def test_environment_yml_pins_the_locked_versions():
    pins, binder = locked(), binder_pins()
    differ = {name: (pinned, pins.get(name)) for name, pinned in binder.items()
              if pins.get(name) != pinned}
    assert not differ, f"environment.yml against the lock (run `make lock`): {differ}"
    for name in project()["dependencies"]:
        assert canonicalize_name(Requirement(name).name) in binder, f"{name} is missing for Binder"
    assert pip_section()[-1] == "-e .", "Binder installs course_utils last, from the repository"


def test_this_environment_is_the_locked_one():
    """The tests run in what `make setup` installed from the lock."""
    differ = {}
    for name, pinned in locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            differ[name] = (pinned, installed)
    assert not differ, f"locked against installed (run `make setup`): {differ}"


def test_make_setup_installs_from_the_lock():
    makefile = (ROOT / "Makefile").read_text()
    assert "$(STAMP): pyproject.toml $(LOCK)" in makefile
    assert '-m pip install --quiet -c $(LOCK) -e ".[test,docs]"' in makefile


def test_environment_is_python_311_from_conda_forge_with_pip():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert conda == ["python=3.11", "pip"]
    assert project()["requires-python"] == ">=3.11"


def test_repo2docker_parses_the_environment(tmp_path):
    """repo2docker --no-build writes Binder's Dockerfile without Docker; it must pick Python 3.11."""
    repo2docker = Path(sys.executable).parent / "repo2docker"
    result = subprocess.run([str(repo2docker), "--no-build", "--debug", str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    log = result.stdout + result.stderr
    assert "Building conda environment for python=3.11" in log
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"' in log


def test_readme_quick_start_is_the_two_make_commands():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+)$", quick_start, flags=re.M)
    assert commands == ["make book", "make test"]
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    assert "mybinder.org" in readme and "urlpath=lab" in readme


def notebook_imports():
    """Top-level module names imported by the code cells of every notebook."""
    import ast
    import json

    modules = set()
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            source = "\n".join(line for line in source.splitlines() if not line.startswith(("%", "!")))
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    modules.add(node.module.split(".")[0])
    return modules


def test_every_notebook_import_is_in_environment_yml():
    """What Binder installs (environment.yml) covers every import of every notebook."""
    from importlib.metadata import packages_distributions

    declared = set(binder_pins())
    distributions = packages_distributions()
    missing = []
    for module in sorted(notebook_imports() - set(sys.stdlib_module_names) - {"course_utils"}):
        names = {canonicalize_name(d) for d in distributions.get(module, [])}
        if not names & declared:
            missing.append(f"{module} (from {', '.join(sorted(names)) or 'an unknown package'})")
    assert not missing, f"imports not provided by environment.yml: {missing}"
    assert "course_utils" in notebook_imports()  # provided by `pip: -e .`
