"""course_utils.diagrams: each diagram draws on the given ax, writes its labels, checks inputs."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from matplotlib.colors import to_rgb

from course_utils.diagrams import DERIVATIVE, draw_network, draw_neuron, draw_rbf_graph


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("draw", [draw_neuron, draw_rbf_graph, draw_network])
def test_draws_on_the_given_ax_without_a_new_figure_or_global_state(draw):
    _, ax = plt.subplots()
    before = dict(plt.rcParams)
    n_figures = len(plt.get_fignums())
    assert draw(ax=ax) is ax
    assert len(plt.get_fignums()) == n_figures
    assert dict(plt.rcParams) == before
    assert ax.texts and ax.patches


@pytest.mark.parametrize("draw", [draw_neuron, draw_rbf_graph, draw_network])
def test_makes_its_own_figure_when_no_ax_is_given(draw):
    ax = draw()
    assert ax.figure in [plt.figure(n) for n in plt.get_fignums()]


def test_neuron_names_its_parts():
    written = " ".join(texts(draw_neuron()))
    for part in ["$x_1$", "$x_n$", "$w_1$", "$b$", r"\sigma", r"\hat y"]:
        assert part in written


def test_rbf_graph_writes_every_local_derivative():
    written = texts(draw_rbf_graph())
    for slope in ["$-2z_h h$", "$w_o$", "$1$", r"$\hat y(1-\hat y)$",
                  r"$\dfrac{\hat y-y}{\hat y(1-\hat y)}$", "$x$", "$h$"]:
        assert slope in written
    assert "$L$" in written and "$y$" in written  # the course's notation: ŷ, y and L


def test_rbf_graph_draws_the_backward_pass():
    ax = draw_rbf_graph()
    written = " ".join(texts(ax))
    assert r"\delta_o" in written and r"\delta_h" in written
    purple = [p for p in ax.patches if p.get_edgecolor()[:3] == to_rgb(DERIVATIVE)]
    assert len(purple) == 2  # the two errors' arrows, running back (right to left)
    for arrow in purple:
        (x0, _), (x1, _) = arrow._posA_posB
        assert x1 < x0


def test_network_writes_the_shapes_of_the_course_convention():
    written = " ".join(texts(draw_network()))
    for shape in ["(m, 400)", "(401, 25)", "(m, 25)", "(26, 10)", "(m, 10)"]:
        assert shape in written
    assert "A^{(0)}" in written and "A^{(1)}" in written and r"\Theta^{(2)}" in written


def test_network_of_four_layers():
    written = " ".join(texts(draw_network((400, 25, 25, 10))))
    for shape in ["(401, 25)", "(26, 25)", "(26, 10)", "layer 3", r"\Theta^{(3)}"]:
        assert shape in written


def test_labels_override_only_what_is_given():
    ax = draw_network((784, 64, 10), labels={
        "titles": [None, None, "layer 2\noutput (softmax)"],
        "weights": ["$W_1$ (784, 64)\n$b_1$ (64,)", "$W_2$ (64, 10)\n$b_2$ (10,)"]})
    written = texts(ax)
    assert "layer 2\noutput (softmax)" in written and "layer 0\ninput" in written
    assert "$W_1$ (784, 64)\n$b_1$ (64,)" in written
    assert not any("Theta" in t for t in written)
    assert any("(m, 784)" in t for t in written)


@pytest.mark.parametrize("sizes", [(400,), (), (400, 0, 10), (400, 2.5, 10), (400, -1), 7,
                                   (400, True)])
def test_bad_layer_sizes_are_named(sizes):
    with pytest.raises(ValueError, match="layer_sizes"):
        draw_network(sizes)


@pytest.mark.parametrize("labels", [["a"], {"colours": ["a", "b", "c"]}, {"titles": ["a"]},
                                    {"weights": "W"}])
def test_bad_labels_are_named(labels):
    with pytest.raises(ValueError, match="labels"):
        draw_network((4, 3, 2), labels=labels)


def test_small_layers_show_every_unit():
    written = texts(draw_network((2, 3, 1)))
    assert "$x_{2}$" in written and "$a^{(1)}_{3}$" in written and r"$\hat y_{1}$" in written
    assert r"$\vdots$" not in written
