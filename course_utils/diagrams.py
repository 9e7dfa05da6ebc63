"""Diagrams of the lectures' networks, drawn with matplotlib so site, PDF and JupyterLab agree.

Each function takes and returns a matplotlib `ax`; it creates its own figure only when `ax` is
None, never calls `plt.show()` and never changes global settings.
"""

import numbers

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

INK = "black"
DERIVATIVE = "tab:purple"  # colour of the local derivatives on the computational graph
FILL = {"input": "#dce9f5", "hidden": "#fde2c8", "output": "#d9efd5", "bias": "#eeeeee",
        "op": "white"}


def _new_ax(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _finish(ax, xlim, ylim):
    ax.set(xlim=xlim, ylim=ylim, aspect="equal")
    ax.set_axis_off()
    return ax


def _node(ax, xy, text, r=0.4, fill="white", fontsize=13, lw=1.3, ls="-"):
    ax.add_patch(Circle(xy, r, facecolor=fill, edgecolor=INK, lw=lw, ls=ls, zorder=3))
    if text:
        ax.text(*xy, text, ha="center", va="center", fontsize=fontsize, zorder=4)


def _arrow(ax, start, end, shrink_a=0.0, shrink_b=0.0, color=INK, lw=1.2, head=12):
    """An arrow from start to end (data coordinates), shortened by points at either end."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=head, color=color,
                                 lw=lw, shrinkA=shrink_a, shrinkB=shrink_b, zorder=2))


def draw_neuron(ax=None):
    """Lecture 01's neuron: inputs x_1..x_n, weights w_j, the sum z = w·x + b, σ, and ŷ.

    Returns the ax (a new 8 x 3.8 inch figure when ax is None).
    """
    ax = _new_ax(ax, (8, 3.8))
    xlim, ylim = (-0.6, 10.4), (-2.7, 2.6)
    _finish(ax, xlim, ylim)
    inputs = [(r"$x_1$", 1.8), (r"$x_2$", 0.9), (r"$x_3$", 0.0), (None, -0.9),
              (r"$x_n$", -1.8)]
    weights = [r"$w_1$", r"$w_2$", r"$w_3$", None, r"$w_n$"]
    centre, r_in, r_sum = (5.0, 0.0), 0.38, 0.85
    for (text, y), w in zip(inputs, weights):
        if text is None:
            ax.text(0.6, y + 0.1, r"$\vdots$", ha="center", va="center", fontsize=16)
            continue
        _node(ax, (0.6, y), text, r=r_in, fill=FILL["input"], fontsize=12)
        # the arrow runs from the input's edge to the sum's edge
        dx, dy = centre[0] - 0.6, centre[1] - y
        d = (dx**2 + dy**2) ** 0.5
        start = (0.6 + r_in * dx / d, y + r_in * dy / d)
        end = (centre[0] - r_sum * dx / d, centre[1] - r_sum * dy / d)
        _arrow(ax, start, end, lw=1.0)
        t = 0.42  # write the weight on the arrow, a little past its middle
        ax.text(start[0] + t * (end[0] - start[0]), start[1] + t * (end[1] - start[1]) + 0.1,
                w, ha="center", va="bottom", fontsize=12,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none"})
    # the bias enters from below
    _node(ax, (centre[0], -2.2), "$+1$", r=0.34, fill=FILL["bias"], fontsize=10)
    _arrow(ax, (centre[0], -2.2 + 0.34), (centre[0], -r_sum), lw=1.0)
    ax.text(centre[0] + 0.12, -1.55, "$b$", ha="left", va="center", fontsize=12)
    _node(ax, centre, r"$\Sigma$", r=r_sum, fill=FILL["hidden"], fontsize=20)
    ax.text(centre[0], 1.05, r"$z = \mathbf{w}\cdot\mathbf{x} + b$", ha="center", va="bottom",
            fontsize=12)
    # activation box and output
    ax.add_patch(FancyBboxPatch((7.0, -0.45), 0.9, 0.9, boxstyle="round,pad=0.05", fc="white",
                                ec=INK, lw=1.3, zorder=3))
    ax.text(7.45, 0.0, r"$\sigma$", ha="center", va="center", fontsize=18, zorder=4)
    _arrow(ax, (centre[0] + r_sum, 0), (6.95, 0))
    ax.text(6.4, 0.12, "$z$", ha="center", va="bottom", fontsize=12)
    _arrow(ax, (7.95, 0), (9.2, 0))
    ax.text(9.3, 0.0, r"$\hat y = \sigma(z)$", ha="left", va="center", fontsize=12)
    ax.text(0.6, 2.35, "inputs", ha="center", va="bottom", fontsize=10)
    ax.text(2.8, 2.35, "weights", ha="center", va="bottom", fontsize=10)
    ax.text(centre[0], 2.35, "weighted sum + bias", ha="center", va="bottom", fontsize=10)
    ax.text(7.45, 2.35, "activation", ha="center", va="bottom", fontsize=10)
    ax.text(9.75, 2.35, "output", ha="center", va="bottom", fontsize=10)
    return ax


def draw_rbf_graph(ax=None):
    """Lecture 02's network as a computational graph, with each edge's local derivative.

    x → (·w_h) → z_h → φ → h → (·w_o) → (−1) → z_o → σ → ŷ → L (one sample's loss against its
    label y). Above each edge: the value it carries (black); below or beside it: the derivative
    of the next node's output with respect to that value (purple). Multiplying the purple labels
    along the path from L back to a weight gives that weight's gradient (the chain rule); purple
    arrows on top run back along the graph with the errors δ_o = ∂L/∂z_o and δ_h = ∂L/∂z_h.
    Returns the ax (a new 10 x 3.5 inch figure when ax is None).
    """
    ax = _new_ax(ax, (10, 3.5))
    xlim, ylim = (-0.7, 15.0), (-3.6, 1.9)
    _finish(ax, xlim, ylim)
    r = 0.42
    ops = [(r"$\times$", 1.6), (r"$\varphi$", 4.1), (r"$\times$", 6.6), ("$+$", 8.9),
           (r"$\sigma$", 11.2), ("$L$", 13.5)]
    for text, x0 in ops:
        _node(ax, (x0, 0), text, r=r, fill=FILL["op"], fontsize=15)
    ax.text(-0.15, 0, "$x$", ha="center", va="center", fontsize=14)
    _arrow(ax, (0.1, 0), (1.6 - r, 0))
    ax.text(14.55, 0, "$L$", ha="center", va="center", fontsize=14)
    _arrow(ax, (13.5 + r, 0), (14.35, 0))
    # (value carried, local derivative) on the main edges between consecutive operations
    edges = [("$z_h$", "$-2z_h h$"), ("$h$", "$w_o$"),
             ("$hw_o$", "$1$"), ("$z_o$", r"$\hat y(1-\hat y)$"),
             (r"$\hat y$", r"$\dfrac{\hat y-y}{\hat y(1-\hat y)}$")]
    for (_, x0), (_, x1), (value, slope) in zip(ops, ops[1:], edges):
        _arrow(ax, (x0 + r, 0), (x1 - r, 0))
        mid = (x0 + x1) / 2
        ax.text(mid, 0.12, value, ha="center", va="bottom", fontsize=13)
        ax.text(mid, -0.14, slope, ha="center", va="top", fontsize=12, color=DERIVATIVE)
    # side inputs from below: the weights, the fixed bias and the label
    sides = [(1.6, "$w_h$", "$x$"), (6.6, "$w_o$", "$h$"), (8.9, "$-1$", None),
             (13.5, "$y$", None)]
    for x0, text, slope in sides:
        ax.text(x0, -2.35, text, ha="center", va="center", fontsize=14)
        _arrow(ax, (x0, -2.05), (x0, -r))
        if slope is not None:
            ax.text(x0 + 0.12, -1.3, slope, ha="left", va="center", fontsize=12,
                    color=DERIVATIVE)
    # the backward pass: the errors run back from L, each the product of the labels behind it
    # from L to the middle of the z_o edge, then on to the middle of the z_h edge
    backward = [(13.5, 10.05, r"$\delta_o = \partial L/\partial z_o = \hat y - y$"),
                (10.05, 2.85, r"$\delta_h = \partial L/\partial z_h = \delta_o\, w_o\,(-2z_h h)$")]
    for start, end, label in backward:
        _arrow(ax, (start - 0.1, 1.05), (end + 0.1, 1.05), color=DERIVATIVE)
        ax.text((start + end) / 2, 1.2, label, ha="center", va="bottom", fontsize=12,
                color=DERIVATIVE)
    ax.text(7.15, -2.85, "black, above an edge: the value it carries", ha="center", va="center",
            fontsize=10)
    ax.text(7.15, -3.3, "purple, below or beside an edge: the local derivative of the node it"
            " enters; on top: the errors flowing back", ha="center", va="center", fontsize=10,
            color=DERIVATIVE)
    return ax


_LABEL_KEYS = ("titles", "layers", "weights")


def _check_layer_sizes(layer_sizes):
    try:
        sizes = tuple(layer_sizes)
    except TypeError:
        raise ValueError(f"layer_sizes must be a sequence of layer widths, got {layer_sizes!r}")
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least an input and an output layer, got {sizes}")
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1:
            raise ValueError(f"layer_sizes must hold positive integers, got {sizes}")
    return tuple(int(s) for s in sizes)


def _default_labels(sizes):
    L = len(sizes) - 1
    titles = ["layer 0\ninput"] + [f"layer {k}\nhidden (sigmoid)" for k in range(1, L)]
    titles.append(f"layer {L}\noutput (sigmoid)")
    layers = [f"$X = A^{{(0)}}$\n(m, {sizes[0]})"]
    layers += [f"$A^{{({k})}}$\n(m, {sizes[k]})" for k in range(1, L)]
    layers.append(f"$\\hat Y = A^{{({L})}}$\n(m, {sizes[L]})")
    weights = [rf"$\Theta^{{({k})}}$" + f"\n({sizes[k - 1] + 1}, {sizes[k]})"
               for k in range(1, L + 1)]
    return {"titles": titles, "layers": layers, "weights": weights}


def _merge_labels(sizes, labels):
    merged = _default_labels(sizes)
    if labels is None:
        return merged
    if not isinstance(labels, dict):
        raise ValueError(  # noqa: TRY004  (the course raises ValueError for every bad input)
            f"labels must be a dict with keys among {_LABEL_KEYS}, got {labels!r}")
    for key, texts in labels.items():
        if key not in _LABEL_KEYS:
            raise ValueError(f"labels has an unknown key {key!r}; use {_LABEL_KEYS}")
        if isinstance(texts, str) or len(texts) != len(merged[key]):
            raise ValueError(f"labels[{key!r}] must be a list of {len(merged[key])} texts (one "
                             f"per {'matrix' if key == 'weights' else 'layer'}), got {texts!r}")
        merged[key] = [d if s is None else str(s) for d, s in zip(merged[key], texts)]
    return merged


def _unit_names(k, n, L):
    """The names written in the units shown for layer k of width n."""
    shown = list(range(1, n + 1)) if n <= 5 else [1, 2, 3, None, n]
    if k == 0:
        return [None if j is None else f"$x_{{{j}}}$" for j in shown]
    if k == L:
        return [None if j is None else f"$\\hat y_{{{j}}}$" for j in shown]
    return [None if j is None else f"$a^{{({k})}}_{{{j}}}$" for j in shown]


def draw_network(layer_sizes=(400, 25, 10), labels=None, ax=None):
    """A layered network with the shape of every layer's matrix and every weight matrix on it.

    layer_sizes: widths from the input to the output layer, e.g. (400, 25, 10) or
    (400, 25, 25, 10). Layer 0 is the input. Each layer shows at most five units ("⋮" stands for
    the rest) plus a "+1" bias unit feeding the next layer. Under each layer its matrix, e.g.
    X = A⁽⁰⁾ (m, 400), A⁽¹⁾ (m, 25), Ŷ = A⁽²⁾ (m, 10); between layers the weights, e.g.
    Θ⁽¹⁾ (401, 25) with the bias in row 0.

    labels: optional dict overriding the default texts, with any of the keys
      "titles"  (one per layer, written above it),
      "layers"  (one per layer, written below it: its matrix and shape),
      "weights" (one per weight matrix, written between the layers);
    each a list of the right length, where None keeps the default. Mathtext ($...$) and "\\n"
    work. Example, lecture 04's 784–64–10 network:

        draw_network((784, 64, 10), labels={
            "titles": [None, None, "layer 2\\noutput (softmax)"],
            "weights": ["$W_1$ (784, 64)\\n$b_1$ (64,)", "$W_2$ (64, 10)\\n$b_2$ (10,)"]})

    Returns the ax (a new figure, wider for more layers, when ax is None). Raises ValueError
    naming layer_sizes or labels when they are malformed.
    """
    sizes = _check_layer_sizes(layer_sizes)
    texts = _merge_labels(sizes, labels)
    L = len(sizes) - 1
    gap = 3.6  # horizontal distance between layers
    xlim, ylim = (-1.6, gap * L + 1.6), (-3.9, 3.6)
    height = 4.6
    ax = _new_ax(ax, (height * (xlim[1] - xlim[0]) / (ylim[1] - ylim[0]), height))
    _finish(ax, xlim, ylim)
    r, dy = 0.36, 0.95
    positions = []  # per layer: list of (y, name) for the units drawn, None for the ⋮
    for k, n in enumerate(sizes):
        names = _unit_names(k, n, L)
        ys = [dy * (len(names) - 1) / 2 - dy * k for k in range(len(names))]
        positions.append(list(zip(ys, names)))
    y_bias = max(p[0][0] for p in positions) + dy * 1.15
    y_label = min(p[-1][0] for p in positions) - r - 0.35
    # edges first, under the units
    for k in range(L):
        x0, x1 = gap * k, gap * (k + 1)
        sources = [y for y, name in positions[k] if name is not None] + [y_bias]
        targets = [y for y, name in positions[k + 1] if name is not None]
        for ys in sources:
            for yt in targets:
                ax.plot([x0, x1], [ys, yt], color="0.6", lw=0.6, zorder=1)
    kinds = ["input"] + ["hidden"] * (L - 1) + ["output"]
    for k in range(L + 1):
        x0 = gap * k
        for y, name in positions[k]:
            if name is None:
                ax.text(x0, y + 0.1, r"$\vdots$", ha="center", va="center", fontsize=15)
            else:
                _node(ax, (x0, y), name, r=r, fill=FILL[kinds[k]], fontsize=10)
        if k < L:
            _node(ax, (x0, y_bias), "$+1$", r=r, fill=FILL["bias"], fontsize=9, ls="--")
        ax.text(x0, y_bias + r + 0.25, texts["titles"][k], ha="center", va="bottom",
                fontsize=10, linespacing=1.3)
        ax.text(x0, y_label, texts["layers"][k], ha="center",
                va="top", fontsize=11, linespacing=1.4)
    for k in range(L):
        ax.text(gap * (k + 0.5), y_label, texts["weights"][k],
                ha="center", va="top", fontsize=11, linespacing=1.4,
                bbox={"boxstyle": "round,pad=0.3", "fc": "#f4f4f4", "ec": "0.7"})
    return ax
