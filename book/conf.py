"""Sphinx configuration of the course site (built by `make book` through book/build.py)."""

import os
import sys
from pathlib import Path

from course_utils import __version__ as release

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course import MATHJAX_CONFIG, MATHJAX_FILE, mathjax_dir  # noqa: E402  (book/ is not a package)

project = "Neural networks from scratch"
author = "The course authors"
copyright = "2026, the course authors"
# The course's version has one place, course_utils.__version__ (`release`, imported above);
# every page's footer shows it.
version = release

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "build.py"]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]

# Execute every notebook from a clean kernel on each build; a cell error fails the build.
nb_execution_mode = os.environ.get("COURSE_BOOK_EXECUTE", "force")
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# MathJax 2 from the jupyter-server-mathjax wheel, served from _static: math renders offline.
# The configuration is the PDF's too (book/course.py).
MATHJAX_DIR = mathjax_dir()
mathjax_path = MATHJAX_FILE
myst_update_mathjax = False  # MyST's MathJax 3 settings would confuse MathJax 2
mathjax2_config = MATHJAX_CONFIG

# Widgets need a live kernel: no CDN scripts for them, the pages show the static figures instead.
nb_ipywidgets_js = {}

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static", str(MATHJAX_DIR)]
html_css_files = ["course.css"]
html_theme_options = {
    "repository_url": "https://github.com/nn-from-scratch/course",
    "repository_branch": "main",
    "path_to_docs": "notebooks",
    "use_download_button": True,
    "use_repository_button": True,
    "launch_buttons": {"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"},
    "show_navbar_depth": 1,
    "extra_footer": f"<p>{project} · version {release}</p>",
}
html_show_sourcelink = False
