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


def notebook_imports():
    """Top-level module names imported by the code cells of every notebook."""
    import ast
    import json

    modules = set()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
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

    declared = {parse(d)[0] for d in environment()["dependencies"] if isinstance(d, str)}
    distributions = packages_distributions()
    missing = []
    for module in sorted(notebook_imports() - set(sys.stdlib_module_names) - {"course_utils"}):
        names = {parse(d)[0] for d in distributions.get(module, [])}
        if not names & declared:
            missing.append(f"{module} (from {', '.join(sorted(names)) or 'an unknown package'})")
    assert not missing, f"imports not provided by environment.yml: {missing}"
    assert "course_utils" in notebook_imports()  # provided by `pip: -e .`
