"""The course's figure style and plot helpers; each helper takes and returns a matplotlib `ax`."""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb

from ._validation import check_array, check_labels, check_number
from .activations import activation_curves

# DejaVu Sans ships with matplotlib, so no font lookup can fail or warn.
COURSE_RC = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "image.cmap": "gray_r",
    "legend.frameon": False,
}
# Right/wrong colours that stay distinct with red-green colour blindness (Okabe & Ito's blue and
# vermilion), always paired with a shape difference: a ✓/✗ mark, and a frame around wrong answers.
RIGHT, WRONG = "#0072B2", "#D55E00"
RIGHT_MARK, WRONG_MARK = "✓", "✗"


def course_style():
    """Apply the course's matplotlib settings (COURSE_RC); call once at the top of a notebook."""
    plt.rcParams.update(COURSE_RC)


def _new_ax(ax, figsize=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def digit_mosaic(X, ncols=10, image_shape=None, colors=None, band=0):
    """Tile the images X (n, h*w) into one RGB picture (rows*(band+h+1)-1, ncols*(w+1)-1, 3).

    Ink is drawn dark on white, or in colors[i] for image i when colors is given. band > 0 leaves
    that many blank pixel rows above every tile (room for a label).
    """
    X = check_array(X, "X", ndim=2).astype(np.float64)
    n, d = X.shape
    h, w = image_shape if image_shape is not None else (int(round(np.sqrt(d))),) * 2
    if h * w != d:
        raise ValueError(f"X rows have {d} pixels, which is not image_shape {(h, w)}")
    ncols = check_number(ncols, "ncols", low=1, integer=True)
    band = check_number(band, "band", low=0, integer=True)
    if colors is not None and len(colors) != n:
        raise ValueError(f"colors has {len(colors)} entries for {n} images")
    X = X / (255.0 if X.max() > 1.0 else 1.0)
    if X.min() < 0:
        raise ValueError("X must hold non-negative pixel intensities")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    step = band + h + 1
    mosaic = np.ones((nrows * step - 1, ncols * (w + 1) - 1, 3))
    for i in range(n):
        r, c = divmod(i, ncols)
        ink = np.zeros(3) if colors is None else np.array(to_rgb(colors[i]))
        tile = 1.0 - X[i].reshape(h, w, 1) * (1.0 - ink)  # white where no ink, ink colour at 1
        mosaic[r * step + band: r * step + band + h, c * (w + 1): c * (w + 1) + w] = tile
    return mosaic


def show_digits(X, labels=None, ncols=10, image_shape=None, colors=None, wrong=None,
                fontsize=None, ax=None):
    """Draw the images X (n, h*w) in a grid, optionally with a label above each image.

    Labels sit in a blank band above their tile, black, sized to the tiles (or fontsize points).
    wrong (n,) marks images with a WRONG-coloured frame and a ✗, so the mark does not rest on
    colour alone.
    """
    n, d = check_array(X, "X", ndim=2).shape
    h, w = image_shape if image_shape is not None else (int(round(np.sqrt(d))),) * 2
    band = int(np.ceil(0.45 * h)) if labels is not None else 0
    mosaic = digit_mosaic(X, ncols=ncols, image_shape=image_shape, colors=colors, band=band)
    if labels is not None and len(labels) != n:
        raise ValueError(f"labels has {len(labels)} entries for {n} images")
    if wrong is not None:
        wrong = np.asarray(wrong, dtype=bool).ravel()
        if len(wrong) != n:
            raise ValueError(f"wrong has {len(wrong)} entries for {n} images")
    ax = _new_ax(ax)
    ax.imshow(mosaic, interpolation="nearest")
    ncols, step = min(ncols, n), band + h + 1
    if fontsize is None:  # points per mosaic pixel, from the axes' size (the image keeps aspect 1)
        box = ax.get_position()
        pixel = min(box.width * ax.figure.get_figwidth() / mosaic.shape[1],
                    box.height * ax.figure.get_figheight() / mosaic.shape[0]) * 72
        fontsize = float(np.clip(0.95 * max(band, 0.45 * h) * pixel, 6, 14))
    else:
        fontsize = check_number(fontsize, "fontsize", low=0, low_open=True)
    if labels is not None:
        for i, label in enumerate(labels):
            r, c = divmod(i, ncols)
            ax.text(c * (w + 1) + (w - 1) / 2, r * step + (band - 1) / 2, str(label),
                    fontsize=fontsize, ha="center", va="center", color="black")
    if wrong is not None:
        for i in np.flatnonzero(wrong):
            r, c = divmod(i, ncols)
            ax.add_patch(plt.Rectangle((c * (w + 1) - 0.5, r * step + band - 0.5), w, h,
                                       fill=False, edgecolor=WRONG, linewidth=1.5))
            ax.text(c * (w + 1) + w - 1, r * step + band, WRONG_MARK, fontsize=fontsize,
                    va="top", ha="right", color=WRONG, fontweight="bold")
    ax.set_axis_off()
    return ax


def mark_answer(ax, text, correct, fontsize=None):
    """Title ax with text, prefixed ✓ in RIGHT or ✗ in WRONG; a wrong answer also gets a frame.

    For image axes whose title says whether a prediction was right (colour plus shape).
    """
    ax.set_title(f"{RIGHT_MARK if correct else WRONG_MARK} {text}", fontsize=fontsize,
                 color=RIGHT if correct else WRONG)
    if not correct:
        ax.add_patch(plt.Rectangle((0, 0), 1, 1, transform=ax.transAxes, fill=False,
                                   edgecolor=WRONG, linewidth=2, clip_on=False))
    return ax


def text_color_for(rgba):
    """Return "black" or "white", whichever reads better on the colour rgba (relative luminance)."""
    r, g, b = np.asarray(to_rgb(rgba)) ** 2.2  # approximately linear light
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.18 else "white"


def annotate_cells(ax, values, fmt="{:.1f}", image=None, fontsize=7):
    """Write each value of the 2-D array values in its cell of the heat map drawn on ax.

    The text is black on light cells and white on dark ones, read from the image's colour map
    (image defaults to the last one drawn on ax).
    """
    values = check_array(values, "values", ndim=2)
    if image is None and not ax.images:
        raise ValueError("annotate_cells needs a heat map (imshow) on ax, or image=")
    image = ax.images[-1] if image is None else image
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, fmt.format(v), ha="center", va="center", fontsize=fontsize,
                color=text_color_for(image.cmap(image.norm(v))))
    return ax


def plot_confusion(y_true, y_pred, labels=None, ax=None, title="Confusion matrix"):
    """Heat map of the confusion matrix with the count in every cell; rows are true classes."""
    y_true = check_labels(y_true, "y_true")
    y_pred = check_labels(y_pred, "y_pred", n_samples=len(y_true))
    classes = np.arange(max(y_true.max(), y_pred.max()) + 1)
    from sklearn.metrics import confusion_matrix  # here: scikit-learn is slow to import

    C = confusion_matrix(y_true, y_pred, labels=classes)
    names = [str(c) for c in classes] if labels is None else [str(s) for s in labels]
    if len(names) != len(classes):
        raise ValueError(f"labels has {len(names)} names for {len(classes)} classes")
    ax = _new_ax(ax, figsize=(2.4 + 0.45 * len(classes),) * 2)
    ax.imshow(C, cmap="Blues", vmin=0)
    ax.grid(False)
    annotate_cells(ax, C, fmt="{:.0f}", fontsize=8)
    ax.set(xticks=classes, yticks=classes, xticklabels=names, yticklabels=names,
           xlabel="predicted class", ylabel="true class", title=title)
    return ax


def plot_loss(losses, ax=None, label=None, xlabel="epoch", ylabel="loss", title=None):
    """Line plot of a loss per epoch (or iteration)."""
    losses = check_array(losses, "losses", ndim=1)
    ax = _new_ax(ax)
    ax.plot(np.arange(1, len(losses) + 1), losses, label=label)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title or f"{ylabel} during training")
    if label is not None:
        ax.legend()
    return ax


def plot_activation(name, ax=None, z_min=-5.0, z_max=5.0):
    """An activation function and its derivative over [z_min, z_max]."""
    z, a, a_prime = activation_curves(name, z_min, z_max)
    ax = _new_ax(ax)
    ax.plot(z, a, label=f"{name}(z)")
    ax.plot(z, a_prime, "--", label="derivative")
    ax.axhline(0, color="gray", lw=0.5)
    ax.set(xlabel="z", title=name)
    ax.legend(fontsize=8)
    return ax


def filter_mosaic(W, image_shape=(20, 20), ncols=5):
    """Tile the columns of W (h*w, k) into one 2-D array with NaN gaps between the images."""
    W = check_array(W, "W", ndim=2).astype(np.float64)
    h, w = image_shape
    if W.shape[0] != h * w:
        raise ValueError(f"W has {W.shape[0]} rows, which is not image_shape {image_shape}")
    ncols = min(check_number(ncols, "ncols", low=1, integer=True), W.shape[1])
    nrows = -(-W.shape[1] // ncols)
    mosaic = np.full((nrows * (h + 1) - 1, ncols * (w + 1) - 1), np.nan)
    for k in range(W.shape[1]):
        r, c = divmod(k, ncols)
        mosaic[r * (h + 1): r * (h + 1) + h, c * (w + 1): c * (w + 1) + w] = W[:, k].reshape(h, w)
    return mosaic


def plot_filters(W, image_shape=(20, 20), ncols=5, labels=None, vmax=None, ax=None):
    """Draw each column of W (h*w, k) as an image, all on one symmetric colour scale ±vmax.

    Red is positive, blue negative, white zero; the gaps are blank. ax.images[0] is the mappable
    for a colour bar. labels (k,) are written in each image's corner.
    """
    mosaic = filter_mosaic(W, image_shape, ncols)
    vmax = float(np.nanmax(np.abs(mosaic))) if vmax is None else check_number(vmax, "vmax", low=0,
                                                                               low_open=True)
    if labels is not None and len(labels) != np.shape(W)[1]:
        raise ValueError(f"labels has {len(labels)} entries for {np.shape(W)[1]} filters")
    cmap = plt.get_cmap("RdBu_r").with_extremes(bad="white")
    ax = _new_ax(ax)
    ax.imshow(mosaic, cmap=cmap, vmin=-vmax, vmax=vmax, interpolation="nearest")
    if labels is not None:
        h, w = image_shape
        ncols = min(ncols, np.shape(W)[1])
        for k, label in enumerate(labels):
            r, c = divmod(k, ncols)
            ax.text(c * (w + 1) + 0.3, r * (h + 1) + 0.3, str(label), fontsize=7, va="top")
    ax.set_axis_off()
    return ax


def plot_occlusion(image, drops, image_shape=(20, 20), vmax=None, colorbar=False, ax=None):
    """A digit in grey with an occlusion map over it: how much hiding each pixel lowered the
    probability of the true class (red) or raised it (blue). image and drops are (h*w,).

    ax.images[1] is the map, the mappable for a colour bar; colorbar=True adds one to this ax.
    """
    image = check_array(image, "image", ndim=1)
    drops = check_array(drops, "drops", ndim=1)
    h, w = image_shape
    if image.shape != (h * w,) or drops.shape != (h * w,):
        raise ValueError(f"image and drops must both have {h * w} pixels, got {image.shape} and "
                         f"{drops.shape}")
    if vmax is None:
        vmax = float(np.abs(drops).max()) or 1.0  # an all-zero map still gets a valid scale
    ax = _new_ax(ax)
    ax.imshow(image.reshape(h, w), cmap="gray_r", interpolation="nearest")
    overlay = ax.imshow(drops.reshape(h, w), cmap="RdBu_r", vmin=-vmax, vmax=vmax, alpha=0.6,
                        interpolation="nearest")
    if colorbar:
        ax.figure.colorbar(overlay, ax=ax, shrink=0.8, label="drop in P(true class)")
    ax.set_axis_off()
    return ax
