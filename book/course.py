"""What the site, the PDF, the slides, the tests and the benchmarks share: the lectures, in order.

`python book/course.py` prints the lecture notebooks' paths, one a line (the Makefile's list).
The scripts of book/ import it as `course` (their folder is on the path when they run); the tests
too (pyproject.toml's pytest `pythonpath` holds book/, tools/ and benchmarks/).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The lectures, in the order students take them: notebooks/<name>.ipynb.
LECTURES = (
    "01_single_neuron",
    "02_rbf_hidden_layer",
    "03_shallow_network",
    "04_mnist_softmax",
    "05_inside_the_network",
    "06_neural_network_class",
)


def notebooks(folder=ROOT / "notebooks"):
    """The lecture notebooks' paths in `folder` (another edition's folder may be given)."""
    return [Path(folder) / f"{name}.ipynb" for name in LECTURES]


NOTEBOOKS = notebooks()


def repository_url(student=False):
    """The repository the site's buttons open: pyproject.toml's [project.urls] "Repository", or
    "Student edition" for the student site (tools/colab.py makes the other links from the same)."""
    import tomllib

    urls = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]
    return urls["Student edition" if student else "Repository"].rstrip("/")


# nbconvert passes the HTML of every cell through bleach's sanitiser, about half of the time it
# takes to export a lecture. The lectures are the course's own, and the sanitiser changes nothing
# in them (their PDF and slide HTML came out byte for byte the same without it): the PDF and the
# slides skip it.
OWN_HTML = {"clean_html": lambda html: html}


if __name__ == "__main__":
    print("\n".join(str(path.relative_to(ROOT)) for path in NOTEBOOKS))
