"""One locked environment: requirements-lock.txt pins everything `make setup` installs, for every
supported Python and platform (one universal lock with markers); pyproject.toml states true minimums
that admit the pins; environment.yml (what Binder builds) pins the same."""

import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from course_utils import _requirements as reqs

from conftest import ROOT
from course import NOTEBOOKS

LOCK = ROOT / "requirements-lock.txt"
PYTHONS = reqs.pythons(ROOT / "pyproject.toml")
TARGETS = [(platform, python) for python in PYTHONS for platform in reqs.PLATFORMS]


def locked(environment=None):
    """{name: version} of the lock's entries for `environment` (default: this interpreter)."""
    return reqs.read_lock(LOCK, environment)


def project():
    return reqs.project(ROOT / "pyproject.toml")


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def pip_section():
    return next(d["pip"] for d in environment()["dependencies"] if isinstance(d, dict))


def binder_pins(environment=None):
    """{name: version} of environment.yml's pip section, the entries for `environment`."""
    pins = reqs.parse_lock("\n".join(pip_section()), "environment.yml")
    return {pin.name: pin.version for pin in pins if pin.applies(environment)}


def setup_requirements():
    """What `make setup` installs: the dependencies and the test and docs extras."""
    extras = project()["optional-dependencies"]
    return [Requirement(r) for r in (*project()["dependencies"], *extras["test"], *extras["docs"])]


@pytest.mark.parametrize("platform, python", TARGETS)
def test_the_lock_pins_everything_make_setup_asks_for_within_pyprojects_bounds(platform, python):
    """On every supported Python and platform: one pin per package, each within pyproject's bounds."""
    environment = reqs.target_environment(platform, python)
    pins = locked(environment)  # raises if two entries pin one package for this environment
    assert "pip" in pins, "the lock pins pip too"
    for requirement in setup_requirements():
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        name = reqs.canonical(requirement.name)
        assert name in pins, f"{name} is not in the lock for {platform}, {python}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"pyproject.toml asks for {requirement}, the lock has {pins[name]}")


def test_the_lock_is_universal_with_markers():
    """Entries that only some Pythons or platforms need carry their marker (uv --universal)."""
    pins = {pin.name: pin for pin in reqs.read_pins(LOCK)}
    here = {(platform, python): reqs.target_environment(platform, python)
            for platform, python in TARGETS}
    assert pins["overrides"].applies(here["Linux x86-64", "3.11"])  # only below 3.12
    assert not pins["overrides"].applies(here["Linux x86-64", "3.12"])
    assert pins["colorama"].applies(here["Windows x86-64", "3.13"])
    assert not pins["colorama"].applies(here["macOS arm64", "3.13"])
    counts = {platform: len(locked(reqs.target_environment(platform, PYTHONS[-1])))
              for platform in reqs.PLATFORMS}
    assert counts["Windows x86-64"] != counts["Linux x86-64"], counts


def test_every_dependency_has_a_lower_bound():
    for requirement in setup_requirements():
        assert any(spec.operator in (">=", "==") for spec in requirement.specifier), requirement


@pytest.mark.parametrize("platform, python", TARGETS)
def test_environment_yml_pins_the_locked_versions(platform, python):
    environment = reqs.target_environment(platform, python)
    pins, binder = locked(environment), binder_pins(environment)
    differ = {name: (pinned, pins.get(name)) for name, pinned in binder.items()
              if pins.get(name) != pinned}
    assert not differ, f"environment.yml against the lock (run `make lock`): {differ}"
    for name in project()["dependencies"]:
        assert reqs.canonical(Requirement(name).name) in binder, f"{name} is missing for Binder"
    assert pip_section()[-1] == "-e .", "Binder installs course_utils last, from the repository"


def test_this_environment_is_the_locked_one():
    """The tests run in what `make setup` installed: the lock's entries for this Python and OS."""
    differ = {}
    for name, pinned in locked().items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = None
        if installed != pinned:
            differ[name] = (pinned, installed)
    assert not differ, f"locked against installed (run `make setup`): {differ}"


@pytest.mark.parametrize("module", ["sklearn", "scipy.stats", "matplotlib.pyplot", "nbclient"])
def test_make_setup_compiled_the_installed_packages(module):
    """Every process imports from bytecode (tools/setup.py's compile_command says why)."""
    import importlib.util

    source = importlib.util.find_spec(module).origin
    assert Path(importlib.util.cache_from_source(source)).exists(), f"{source} has no bytecode"


@pytest.mark.parametrize("platform, python", TARGETS)
def test_the_lock_keeps_every_hold(platform, python):
    """tools/pins.py's HOLDS (each with its reason) are kept by the lock on every Python and OS."""
    from pins import HOLDS

    environment = reqs.target_environment(platform, python)
    pins = locked(environment)
    for hold in map(Requirement, HOLDS):
        name = reqs.canonical(hold.name)
        if name in pins and (hold.marker is None or hold.marker.evaluate(environment)):
            assert hold.specifier.contains(pins[name]), f"the lock has {name} {pins[name]}: {hold}"


def test_reading_a_notebook_builds_no_parsers():
    """nbformat, which every execution, build and test worker imports, starts without
    rfc3987-syntax and its parser generator (the jsonschema hold in tools/pins.py says why)."""
    code = "import sys, nbformat; print(sorted({'rfc3987_syntax', 'lark'} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", f"importing nbformat imported {done.stdout.strip()}"


def test_environment_is_the_lowest_supported_python_from_conda_forge_with_pip():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert conda == [f"python={PYTHONS[0]}", "pip"]
    assert project()["requires-python"] == f">={PYTHONS[0]}"
    assert PYTHONS == ["3.11", "3.12", "3.13"]


def test_repo2docker_parses_the_environment(tmp_path):
    """repo2docker --no-build writes Binder's Dockerfile without Docker; it must pick Python 3.11."""
    repo2docker = Path(sys.executable).parent / "repo2docker"
    result = subprocess.run([str(repo2docker), "--no-build", "--debug", str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    log = result.stdout + result.stderr
    assert "Building conda environment for python=3.11" in log
    assert 'env update -p ${NB_PYTHON_PREFIX} --file "environment.yml"' in log


def test_readme_quick_start_gives_two_commands_on_every_platform():
    readme = (ROOT / "README.md").read_text()
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^(make \w+|python tools/setup\.py|\S+ -m jupyter lab \S+)$",
                          quick_start, flags=re.M)
    assert commands[:2] == ["make book", "make test"]
    assert "python tools/setup.py" in commands and len(commands) == 4, commands
    for place in ("Windows", "macOS", "Linux", "Colab", "Binder", "VS Code"):
        assert place in quick_start, place
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
        names = {reqs.canonical(d) for d in distributions.get(module, [])}
        if not names & declared:
            missing.append(f"{module} (from {', '.join(sorted(names)) or 'an unknown package'})")
    assert not missing, f"imports not provided by environment.yml: {missing}"
    assert "course_utils" in notebook_imports()  # provided by `pip: -e .`


def test_the_order_of_the_test_modules_names_modules_that_exist():
    """conftest.py's LONGEST_FIRST (make test's order) names test modules that are there."""
    from conftest import LONGEST_FIRST

    assert len(set(LONGEST_FIRST)) == len(LONGEST_FIRST)
    assert [name for name in LONGEST_FIRST if not (ROOT / "tests" / name).is_file()] == []
