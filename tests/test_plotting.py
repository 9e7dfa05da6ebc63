"""course_utils.plotting: helpers take and return an ax and leave global state alone."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.plotting import (  # noqa: E402
    COURSE_RC,
    course_style,
    digit_mosaic,
    filter_mosaic,
    plot_activation,
    plot_confusion,
    plot_filters,
    plot_loss,
    plot_occlusion,
    show_digits,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_helpers_draw_on_the_given_ax_without_touching_rcparams():
    before = dict(plt.rcParams)
    fig, axes = plt.subplots(2, 2)
    X = np.random.default_rng(0).random((12, 400))
    assert show_digits(X, labels=range(12), ncols=6, ax=axes[0, 0]) is axes[0, 0]
    assert plot_confusion([0, 1, 1, 2], [0, 1, 2, 2], ax=axes[0, 1]) is axes[0, 1]
    assert plot_loss([3.0, 2.0, 1.5], ax=axes[1, 0]) is axes[1, 0]
    assert plot_activation("relu", ax=axes[1, 1]) is axes[1, 1]
    assert dict(plt.rcParams) == before
    assert len(axes[0, 1].texts) == 9  # a count in every cell of the 3x3 matrix
    assert axes[1, 0].get_xlabel() == "epoch"


def test_helpers_make_their_own_figure_when_no_ax_is_given():
    ax = plot_loss([1.0, 0.5])
    assert ax.figure is not None and len(ax.lines) == 1


def test_mosaic_tiles_with_gaps_and_colours_the_ink():
    X = np.zeros((3, 4))
    X[1] = 1.0
    mosaic = digit_mosaic(X, ncols=2, colors=["k", "red", "k"])
    assert mosaic.shape == (2 * 3 - 1, 2 * 3 - 1, 3)
    assert np.allclose(mosaic[0:2, 3:5], [1.0, 0.0, 0.0])  # image 1 is all red ink
    assert np.allclose(mosaic[0:2, 0:2], 1.0)  # image 0 has no ink: white


def test_uint8_images_are_scaled():
    X = np.full((1, 4), 255, dtype=np.uint8)
    assert np.allclose(digit_mosaic(X), 0.0)


def test_course_style_sets_the_course_rc():
    with matplotlib.rc_context():
        course_style()
        assert plt.rcParams["font.family"] == ["DejaVu Sans"]
        assert plt.rcParams["axes.titlesize"] == COURSE_RC["axes.titlesize"]
        assert plt.rcParams["image.cmap"] == COURSE_RC["image.cmap"]


@pytest.mark.parametrize("call, message", [
    (lambda: show_digits(np.zeros((2, 10))), "not image_shape"),
    (lambda: show_digits(np.zeros((2, 4)), labels=[1]), "labels has 1 entries"),
    (lambda: show_digits(np.zeros((2, 4)), colors=["k"]), "colors has 1 entries"),
    (lambda: show_digits(-np.ones((2, 4))), "non-negative"),
    (lambda: show_digits(np.zeros(4)), "2-D"),
    (lambda: show_digits(np.zeros((2, 4)), ncols=0), "ncols"),
    (lambda: plot_confusion([0, 1], [0]), "2 samples|1 labels"),
    (lambda: plot_confusion([0, -1], [0, 1]), "at least 0"),
    (lambda: plot_confusion([0, 1], [0, 1], labels=["a"]), "1 names for 2 classes"),
    (lambda: plot_confusion([0.5, 1], [0, 1]), "integer"),
    (lambda: plot_loss([[1.0]]), "1-D"),
    (lambda: plot_loss([np.nan]), "NaN"),
    (lambda: plot_activation("sinus"), "unknown activation"),
])
def test_bad_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_filters_share_one_symmetric_scale_and_leave_gaps():
    W = np.zeros((4, 3))
    W[:, 0], W[:, 2] = 2.0, -1.0
    ax = plot_filters(W, image_shape=(2, 2), ncols=2, labels=["a", "b", "c"])
    image = ax.images[0]
    assert image.get_clim() == (-2.0, 2.0)
    mosaic = filter_mosaic(W, (2, 2), ncols=2)
    assert mosaic.shape == (5, 5) and np.isnan(mosaic[2]).all() and np.isnan(mosaic[:, 2]).all()
    assert np.allclose(mosaic[3:, :2], -1.0) and len(ax.texts) == 3


def test_occlusion_overlay():
    ax = plot_occlusion(np.linspace(0, 1, 400), np.linspace(-0.2, 0.5, 400))
    assert len(ax.images) == 2 and ax.images[1].get_clim() == (-0.5, 0.5)


@pytest.mark.parametrize("call, message", [
    (lambda: plot_filters(np.zeros((10, 3))), "not image_shape"),
    (lambda: plot_filters(np.zeros((400, 3)), labels=[1]), "labels has 1 entries"),
    (lambda: plot_filters(np.zeros((400, 3)), vmax=0), "vmax"),
    (lambda: plot_filters(np.full((400, 3), np.nan)), "NaN"),
    (lambda: plot_occlusion(np.zeros(400), np.zeros(100)), "400 pixels"),
    (lambda: plot_occlusion(np.zeros((20, 20)), np.zeros(400)), "1-D"),
])
def test_bad_filter_and_occlusion_input_is_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_right_and_wrong_are_not_red_and_green_and_carry_a_mark():
    from matplotlib.colors import to_rgb

    from course_utils.plotting import RIGHT, RIGHT_MARK, WRONG, WRONG_MARK, mark_answer

    right, wrong = np.array(to_rgb(RIGHT)), np.array(to_rgb(WRONG))
    assert right[2] > right[1] and right[2] > right[0]  # a blue
    assert wrong[0] > wrong[2] and wrong[1] > wrong[2]  # an orange: red and green both above blue
    fig, (ax_right, ax_wrong) = plt.subplots(1, 2)
    assert mark_answer(ax_right, "7", True) is ax_right
    mark_answer(ax_wrong, "3", False)
    assert ax_right.get_title().startswith(RIGHT_MARK) and ax_wrong.get_title().startswith(WRONG_MARK)
    assert not ax_right.patches and len(ax_wrong.patches) == 1  # only the wrong one is framed


def test_digit_labels_are_readable_and_wrong_digits_framed():
    from course_utils.plotting import WRONG_MARK

    fig, ax = plt.subplots(figsize=(6, 6))
    X = np.random.default_rng(0).random((100, 400))
    wrong = np.zeros(100, bool)
    wrong[[3, 50]] = True
    show_digits(X, labels=np.arange(100) % 10, wrong=wrong, ax=ax)
    labels = [t for t in ax.texts if t.get_text() != WRONG_MARK]
    assert len(labels) == 100 and min(t.get_fontsize() for t in labels) >= 7
    assert all(t.get_color() == "black" for t in labels)
    assert len(ax.patches) == 2 and sum(t.get_text() == WRONG_MARK for t in ax.texts) == 2
    with pytest.raises(ValueError, match="wrong has 1 entries"):
        show_digits(X, wrong=[True])


def test_cell_text_is_white_on_dark_cells_and_black_on_light_ones():
    from course_utils.plotting import annotate_cells, text_color_for

    assert text_color_for("black") == "white" and text_color_for("white") == "black"
    assert text_color_for((1.0, 1.0, 0.0, 1.0)) == "black"  # yellow is light
    values = np.array([[0.0, 1.0]])
    for cmap, dark in [("viridis", 0), ("gray_r", 1)]:
        fig, ax = plt.subplots()
        ax.imshow(values, cmap=cmap, vmin=0, vmax=1)
        assert annotate_cells(ax, values, fmt="{:.0f}") is ax
        colors = [t.get_color() for t in ax.texts]
        assert colors[dark] == "white" and colors[1 - dark] == "black"
    ax = plot_confusion([0, 0, 0, 1], [0, 0, 0, 0])
    assert [t.get_color() for t in ax.texts] == ["white", "black", "black", "black"]
    with pytest.raises(ValueError, match="needs a heat map"):
        annotate_cells(plt.subplots()[1], values)


def test_occlusion_map_can_carry_its_colour_bar():
    fig, ax = plt.subplots()
    plot_occlusion(np.zeros(400), np.linspace(-0.1, 0.3, 400), vmax=0.3, colorbar=True, ax=ax)
    assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "drop in P(true class)"


def test_labels_get_a_band_of_their_own_above_each_tile():
    X = np.ones((2, 4))
    assert digit_mosaic(X, ncols=2, band=1).shape == (1 + 2, 5, 3)
    assert np.allclose(digit_mosaic(X, ncols=2, band=1)[0], 1.0)  # the band is blank
    ax = show_digits(np.ones((3, 400)), labels=[1, 2, 3], ncols=3)
    band = int(np.ceil(0.45 * 20))
    assert ax.images[0].get_array().shape[0] == band + 20
    assert all(t.get_position()[1] < band for t in ax.texts)  # in the band, not on the ink


def test_every_public_plot_helper_is_exported():
    """`cu.__all__` names every public function of course_utils.plotting (the notebooks use them)."""
    import inspect

    import course_utils as cu

    helpers = {name for name, f in inspect.getmembers(cu.plotting, inspect.isfunction)
               if f.__module__ == cu.plotting.__name__ and not name.startswith("_")}
    helpers -= {"digit_mosaic", "filter_mosaic", "text_color_for"}  # pixel arrays, not plots
    assert helpers <= set(cu.__all__), sorted(helpers - set(cu.__all__))
    assert all(hasattr(cu, name) for name in cu.__all__)
