"""Sphinx configuration of the course site (built by `make book` through book/build.py)."""

import os

from course_utils import __version__ as release

# book/ is on the path: Sphinx runs inside book/build.py.
import mathjax
from course import repository_url

project = "Neural networks from scratch"
author = "The course authors"
copyright = "2026, the course authors"
# The course's version has one place, course_utils.__version__ (`release`, imported above);
# every page's footer shows it.
version = release

extensions = ["myst_nb"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "build.py"]
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]

# The notebooks come executed (make runs them once, for the site and the PDF alike): render them.
nb_execution_mode = "off"
nb_merge_streams = True

# The local MathJax 3 (book/mathjax.py), served from _static/<its folder>: math renders offline.
# The configuration is the PDF's and the slides' too; MyST adds the classes of the math it marked.
MATHJAX_DIR = mathjax.mathjax_dir()
mathjax_path = f"{mathjax.FOLDER}/{mathjax.SCRIPT}"
mathjax3_config = dict(mathjax.CONFIG)

# Widgets need a live kernel: no CDN scripts for them, the pages show the static figures instead.
nb_ipywidgets_js = {}

html_theme = "sphinx_book_theme"
html_title = project
html_static_path = ["_static", str(MATHJAX_DIR.parent)]  # the parent: its folder into _static
html_css_files = ["course.css"]
html_theme_options = {
    # The student site's buttons open the student repository (book/build.py --student).
    "repository_url": repository_url(student=os.environ.get("COURSE_EDITION") == "student"),
    "repository_branch": "main",
    "path_to_docs": "notebooks",
    "use_download_button": True,
    "use_repository_button": True,
    "launch_buttons": {"binderhub_url": "https://mybinder.org",
                       "colab_url": "https://colab.research.google.com",
                       "notebook_interface": "jupyterlab"},
    "show_navbar_depth": 1,
    "extra_footer": f"<p>{project} · version {release}</p>",
}
html_show_sourcelink = False
