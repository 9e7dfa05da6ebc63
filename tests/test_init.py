"""course_utils/__init__.py: every public name resolves, and each module is imported on first use."""

import subprocess
import sys

import pytest

import course_utils as cu


def imported_after(code):
    """The course_utils modules and heavy libraries in sys.modules after `code`, in a fresh
    Python (outside IPython, as a build script or the set-up check runs)."""
    probe = (f"import sys\n{code}\nprint(' '.join(sorted(m for m in sys.modules if m.split('.')[0] "
             "in {'course_utils', 'numpy', 'scipy', 'sklearn', 'matplotlib'})))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_importing_the_package_loads_nothing_else():
    assert imported_after("import course_utils; course_utils.__version__") == {"course_utils"}


def test_a_helper_loads_its_module_and_not_scikit_learn():
    loaded = imported_after("import course_utils as cu; cu.show_digits; cu.make_rbf_toy")
    assert {"course_utils.plotting", "course_utils.datasets"} <= loaded
    assert not any(m.startswith(("sklearn", "scipy.stats")) for m in loaded), sorted(loaded)
    assert "course_utils.network" not in loaded


def test_every_public_name_resolves_to_its_modules_object():
    from course_utils import datasets, network, plotting

    assert all(hasattr(cu, name) for name in cu.__all__)
    assert cu.load_mnist is datasets.load_mnist and cu.NeuralNetwork is network.NeuralNetwork
    assert cu.plotting is plotting and cu.gradcheck.relative_error is cu.relative_error
    assert set(cu.__all__) <= set(dir(cu))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'load_cifar'"):
        cu.load_cifar  # noqa: B018


def test_inside_ipython_the_checks_are_loaded_with_the_package():
    """A kernel has IPython imported: the check cells' transformer is then installed at once."""
    loaded = imported_after("import IPython\nimport course_utils")
    assert "course_utils.check" in loaded
