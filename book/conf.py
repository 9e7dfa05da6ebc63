"""Sphinx configuration of the course site (built by `make book` through book/build.py)."""

import os
from pathlib import Path

import jupyter_server_mathjax

project = "Neural networks from scratch"
author = "The course authors"
copyright = "2026, the course authors"

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
MATHJAX_DIR = Path(jupyter_server_mathjax.__file__).parent / "static"
mathjax_path = "MathJax.js?config=TeX-AMS-MML_HTMLorMML-full"
myst_update_mathjax = False  # MyST's MathJax 3 settings would confuse MathJax 2
mathjax2_config = {
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "processEscapes": True},
    # The wheel carries the STIX-Web fonts only (as Jupyter uses them).
    "HTML-CSS": {"availableFonts": [], "preferredFont": None, "webFont": "STIX-Web",
                 "imageFont": None},
    "messageStyle": "none",
}

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
}
html_show_sourcelink = False
