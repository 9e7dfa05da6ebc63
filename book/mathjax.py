"""MathJax 3, which typesets the math of the site, the PDF and the slides: one version, one
configuration, one local copy, so that no page loads anything from the network.

The copy is the MathJax project's own release on the npm registry (the `mathjax` package),
downloaded by pooch once into the course's cache folder (course_utils.datasets.cache_dir) and
checked against the registry's SHA-512; no Node.js is needed. Of the package, the pages keep what
they load: the combined TeX and CommonHTML component, its fonts, the menu and the accessibility
parts that it loads when a reader asks for them (the explorer and its speech rules), and the
licence.

MathJax 3 and not MathJax 2 (the jupyter-server-mathjax wheel, used before): on the 2-core Intel
Xeon (Sapphire Rapids) that the course is timed on, the page that book/pdf.py writes for lecture
04 (195 formulas) took 4.5-5.0 s in Chromium from opening to its last formula typeset with
MathJax 2, and 1.4-1.7 s with MathJax 3 (five times each, alternately). `make test` typesets 30
lecture pages: each lecture in the two editions' PDFs and decks, and on the site in its tests.
"""

import json
import os
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

import pooch
import requests  # pooch's HTTP library

from course_utils.datasets import cache_dir

VERSION = "3.2.2"
URL = f"https://registry.npmjs.org/mathjax/-/mathjax-{VERSION}.tgz"
# The registry's "integrity" of that tarball (base64 there, hexadecimal here).
SHA512 = ("06df9249553c7811b6ef30a155ec0e89c62ced7b1db78d2a9b8f94a47c97ee4d"
          "3f3bd36588f73ec7bee4d7f144b0fb2328f64626fb5164cd6f3be81e5b43a11b")
SCRIPT = "tex-chtml-full.js"
KEPT = (SCRIPT, "output/chtml/fonts/woff-v2/", "ui/", "a11y/", "sre/")
# The package's folders inside the tarball: the licence at its top, the browser's files in es5/.
TOP, ES5 = PurePosixPath("package"), PurePosixPath("package/es5")
# The copy's folder: in the cache, and beside the pages of the PDF and the decks (the site's in
# _static/).
FOLDER = "mathjax"

# The configuration of every page. `$...$` and `\(...\)` are inline math (the lectures' Markdown
# uses `$`). Without noundefined and noerrors, an unknown macro or a TeX error is typeset as an
# error box (an mjx-merror element) that the browser tests count, not as red or raw text.
CONFIG = {
    "tex": {"inlineMath": [["$", "$"], ["\\(", "\\)"]], "processEscapes": True,
            "packages": {"[-]": ["noundefined", "noerrors"]}},
}
# True in a page (Playwright's wait_for_function) once MathJax has loaded, typeset it all, and
# the page's fonts (MathJax's among them) have loaded: a PDF printed earlier would show others.
TYPESET = ("() => window.MathJax?.startup?.promise"
           "?.then(() => document.fonts.ready).then(() => true)")


def page_scripts(folder=FOLDER):
    """The HTML that loads the local MathJax (in `folder`, relative to the page) with CONFIG."""
    return (f"<script>window.MathJax = {json.dumps(CONFIG)};</script>\n"
            f'<script defer src="{folder}/{SCRIPT}"></script>')


def kept_name(member):
    """The path a tarball member keeps in the local copy, or None when the pages don't need it."""
    path = PurePosixPath(member)
    if path == TOP / "LICENSE":
        return "LICENSE"
    if ".." in path.parts or not path.is_relative_to(ES5):
        return None
    name = path.relative_to(ES5).as_posix()
    kept = any(name == k or (k.endswith("/") and name.startswith(k)) for k in KEPT)
    return name if kept else None


def extract(tarball, folder):
    """Write the kept files of the tarball to folder, whole or not at all: they are staged in the
    cache (not beside folder, whose parent the site copies whole) and moved into place in one
    step; two builds at once may both get here, and the second keeps the first one's copy."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=Path(tarball).parent) as work:
        staged = Path(work) / FOLDER
        with tarfile.open(tarball) as archive:
            for member in archive.getmembers():
                name = kept_name(member.name)
                if member.isfile() and name:
                    (staged / name).parent.mkdir(parents=True, exist_ok=True)
                    (staged / name).write_bytes(archive.extractfile(member).read())
        if not (staged / SCRIPT).is_file():
            raise SystemExit(f"{tarball} holds no es5/{SCRIPT}: it is not MathJax {VERSION}")
        try:
            os.replace(staged, folder)
        except OSError:
            if not (folder / SCRIPT).is_file():  # not another build's copy: a real failure
                raise


def cause(error):
    """What went wrong, in words, for a failed pooch.retrieve."""
    if isinstance(error, requests.HTTPError) and error.response is not None:
        error.response.close()  # pooch streams the download: its connection is let go now
        return f"HTTP {error.response.status_code}"
    if isinstance(error, ValueError) and "does not match the known hash" in str(error):
        return "the file downloaded does not match its SHA-512, so it was not kept"
    return f"{type(error).__name__}: {error}"  # requests' other errors, a URL pooch can't fetch


def mathjax_dir(cache=None, url=URL, sha512=SHA512):
    """The local MathJax folder (its SCRIPT, fonts and licence), fetched and unpacked on first use.

    Exits with a message saying what to do when the tarball cannot be downloaded or does not
    match its SHA-512 (pooch keeps no such download).
    """
    cache = Path(cache) if cache else cache_dir()
    folder = cache / f"mathjax-{VERSION}" / FOLDER
    if (folder / SCRIPT).is_file():
        return folder
    fname = f"mathjax-{VERSION}.tgz"
    print(f"MathJax {VERSION}: making its copy in {folder.parent}, from {fname} (fetched once from "
          f"the npm registry)")
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")  # pooch logs each download to stderr; the line above says it
    try:
        tarball = pooch.retrieve(url, known_hash=f"sha512:{sha512}", path=cache, fname=fname,
                                 progressbar=False)
    except (requests.RequestException, ValueError) as error:
        raise SystemExit(
            f"MathJax {VERSION}, which typesets the math of the site, the PDF and the slides, "
            f"could not be fetched from {url}: {cause(error)}. It is fetched once into {cache}: "
            f"run the command again where the npm registry can be reached, or put the "
            f"registry's {fname} into that folder (a file there that does not match its "
            f"SHA-512 is fetched again).") from None  # the cause is in the message
    finally:
        logger.setLevel(level)
    extract(tarball, folder)
    return folder
