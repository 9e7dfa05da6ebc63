"""environment.yml (what Binder builds) and pyproject.toml list the same dependencies."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

from conftest import ROOT

REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(>=\s*[0-9][^\s,;]*)?")


def parse(requirement):
    """('name', '>=x.y') of a requirement string, the name normalised as in PEP 503."""
    match = REQUIREMENT.match(requirement)
    name, bound = match.group(1), (match.group(2) or "").replace(" ", "")
    return re.sub(r"[-_.]+", "-", name).lower(), bound


def environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text())


def test_environment_yml_and_pyproject_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    from_pyproject = dict(parse(r) for r in project["dependencies"])
    conda = [d for d in environment()["dependencies"] if isinstance(d, str)]
    from_conda = dict(parse(d) for d in conda if parse(d)[0] not in ("python", "pip"))
    assert from_conda == from_pyproject
    assert all(bound for bound in from_pyproject.values()), "every dependency has a lower bound"


def test_environment_is_python_311_from_conda_forge_and_installs_the_package():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    assert "python=3.11" in env["dependencies"]
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == ["-e ."]
    assert "python=3.11" in (ROOT / "environment.yml").read_text()
    packages = [line for line in (ROOT / "environment.yml").read_text().splitlines() if ">=" in line]
    assert packages and all("#" in line for line in packages), "each dependency has a comment"


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
