"""resize_digits: MNIST's 28x28 digits as the classic 20x20 teaching digits (lectures 03, 05, 06)."""

import functools

import numpy as np

from ._validation import check_array, check_number


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
