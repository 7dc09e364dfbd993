"""State graphs, drawn from a lifecycle table (a ``paykit.machine.Machine``) and nothing else.

Any machine draws the same way (``machine=paykit.refund_lifecycle.REFUND``); the
default is the PaymentIntent's. The pipeline is the machine's rows → ``graph_model``
(plain frozen dataclasses: which nodes and edges, their labels and *style names*)
→ ``to_digraph`` (DOT, via the ``graphviz`` package) → ``render_svg`` (the system
``dot``, or Graphviz compiled to WebAssembly when there is none; see
``paykit.rendering``). Every look is named once, in
``STYLES``; the model only says which names apply, so tests read the DOT text.

Three ways to look at the same table:

- the lifecycle itself: ``state_graph()``;
- one intent's history: ``state_graph(path=[...], highlight=...)`` numbers the steps
  and draws any step the table does not allow in the ``illegal`` style;
- a process map of a log: ``state_graph(counts={(source, target): n})``.

Only this module and ``paykit.rendering`` touch Graphviz, and ``graphviz`` itself is
imported on first use, so ``import paykit`` stays light.

>>> g = state_graph(path=["requires_payment_method", "requires_action", "succeeded"])
>>> "requires_action -> succeeded" in g.source
True
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, cast

from paykit.lifecycle import PAYMENT_INTENT, Status
from paykit.machine import Machine, Row
from paykit.rendering import (
    GraphvizUnavailableError,
    render_svg,
)

if TYPE_CHECKING:
    import graphviz

__all__ = [
    "START",
    "STYLES",
    "TRIGGER_STYLES",
    "GraphEdge",
    "GraphModel",
    "GraphNode",
    "GraphView",
    "StatusLike",
    "graph_model",
    "history_view",
    "state_graph",
    "to_digraph",
    "to_mermaid",
]

#: Id of the small point node the creation edge leaves from.
START = "start"

_FONT = "Helvetica"

#: Every look of the graph, by name. A style may set ``graph``, ``node`` and ``edge``
#: attributes (Graphviz's own names) and a ``legend`` text; ``default`` is the base
#: every element starts from, the others are layered on top in the order listed by
#: the element. Change a colour here and every graph, legend and Mermaid export follows.
STYLES: dict[str, dict[str, Any]] = {
    "default": {
        "graph": {
            "fontname": _FONT,
            "fontsize": "10",
            "bgcolor": "white",
            "nodesep": "0.35",
            "ranksep": "0.45",
            "pad": "0.2",
        },
        "node": {
            "shape": "box",
            "style": "rounded,filled",
            "fontname": _FONT,
            "fontsize": "11",
            "fontcolor": "#1f2933",
            "color": "#9aa5b1",
            "fillcolor": "#f5f7fa",
            "margin": "0.12,0.05",
            "height": "0.36",
        },
        "edge": {
            "fontname": _FONT,
            "fontsize": "9",
            "color": "#9aa5b1",
            "fontcolor": "#52606d",
            "arrowsize": "0.7",
        },
    },
    # -- where the lifecycle starts and ends --------------------------------------------
    "start": {"node": {"shape": "point", "width": "0.12", "color": "#52606d",
                       "fillcolor": "#52606d", "label": ""}},
    "initial": {"node": {"penwidth": "1.8", "color": "#52606d"}},
    "terminal": {"node": {"peripheries": "2", "fillcolor": "#eef1f5"}},
    # -- who moves the intent (edge colour) -----------------------------------------------
    "api": {"edge": {"color": "#7b8794", "fontcolor": "#52606d"},
            "legend": "grey: API call (your server)"},
    "customer": {"edge": {"color": "#a78bfa", "fontcolor": "#6d28d9"},
                 "legend": "purple: the customer (3D Secure)"},
    "stripe": {"edge": {"color": "#5eb5a6", "fontcolor": "#0f766e"},
               "legend": "green: Stripe (settlement, expiry)"},
    # -- how the lifecycle reads: its main path straight, the rest lighter --------------------
    "main": {"edge": {"penwidth": "2.2", "weight": "8"},
             "legend": "thick: the main path"},
    "aside": {"edge": {"penwidth": "0.8", "weight": "1"},
              "legend": "pale: a way out, or back"},
    # a move back up the main path: pale too, and it does not pull the layers
    "back": {"edge": {"penwidth": "0.8", "weight": "1", "constraint": "false"}},
    # -- what happened (history and logs) ---------------------------------------------------
    "visited": {"node": {"fillcolor": "#dbeafe", "color": "#3b82f6"},
                "edge": {"color": "#3b82f6", "fontcolor": "#1d4ed8", "penwidth": "2"},
                "legend": "blue, numbered: the path taken"},
    "current": {"node": {"fillcolor": "#fde68a", "color": "#d97706", "penwidth": "2"},
                "legend": "amber: the current status"},
    "illegal": {"edge": {"color": "#dc2626", "fontcolor": "#dc2626", "style": "dashed",
                         "penwidth": "1.6", "constraint": "false"},
                "legend": "red dashed: not in the lifecycle"},
    "unobserved": {"edge": {"color": "#dde2e8", "fontcolor": "#aab4bf"},
                   "legend": "pale: allowed, never seen"},
    # -- the caption that explains the colours ---------------------------------------------
    "legend": {"graph": {"labelloc": "b", "labeljust": "l", "fontsize": "9",
                         "fontcolor": "#52606d"}},
}

#: The style names that colour an edge by who triggers it (``Trigger`` values).
TRIGGER_STYLES: tuple[str, ...] = ("api", "customer", "stripe")
# The shape and history styles, in the order the legend lists them after the triggers.
_STATE_LEGEND_ORDER: tuple[str, ...] = ("main", "aside", "current", "visited", "illegal",
                                        "unobserved")
# How much of an ``aside`` edge's colour shows (hex alpha): the exits stay readable.
_ASIDE_ALPHA = "70"


@dataclass(frozen=True, slots=True)
class GraphNode:
    """A status (or the start point): its id, what it shows, and its style names."""

    id: str
    label: str
    styles: tuple[str, ...] = ()
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """One drawn arrow: every table row between the same two statuses, merged.

    ``triggers`` colour it, ``styles`` layer history/log looks on top, ``steps`` are the
    path positions that took it, ``count`` how often a log saw it.
    """

    source: str
    target: str
    label: str
    actions: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    styles: tuple[str, ...] = ()
    steps: tuple[int, ...] = ()
    count: int | None = None
    penwidth: float | None = None
    tooltip: str = ""

    @property
    def legal(self) -> bool:
        """Whether the lifecycle allows this move."""
        return "illegal" not in self.styles


@dataclass(frozen=True, slots=True)
class GraphModel:
    """Everything a renderer needs, and nothing Graphviz-specific."""

    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]
    description: str
    rankdir: str = "TB"
    legend: tuple[str, ...] = ()
    #: the machine's name (``payment_intent``, ``refund``): the DOT graph's name
    name: str = "payment_intent"

    def node(self, node_id: str) -> GraphNode:
        """The node with this id (a status's wire value, or ``START``)."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def edge(self, source: str, target: str) -> GraphEdge:
        """The edge between two node ids."""
        for edge in self.edges:
            if (edge.source, edge.target) == (source, target):
                return edge
        raise KeyError((source, target))


StatusLike = Status | str


def _status(value: Any, machine: Machine) -> Any:
    """A status of ``machine`` from a member, a wire name, or an older wire name."""
    if isinstance(value, machine.statuses):
        return value
    if isinstance(value, str):
        return machine.parse(value)
    raise TypeError(f"a status must be a {machine.statuses.__name__} or a str, "
                    f"not {type(value).__name__}")


def _node_id(status: Any) -> str:
    return START if status is None else str(status.value)


def _pair_order(machine: Machine) -> Callable[[tuple[str, str]], tuple[int, int]]:
    statuses = cast(Iterable[Any], machine.statuses)
    order = {START: 0, **{status.value: i for i, status in enumerate(statuses, 1)}}
    return lambda pair: (order[pair[0]], order[pair[1]])


def _table_edges(machine: Machine) -> dict[tuple[str, str], list[Row]]:
    """The table's rows grouped by (source, target), in the order the table lists them."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in machine.rows:
        groups.setdefault((_node_id(row.source), row.target.value), []).append(row)
    return groups


def _roles(machine: Machine) -> dict[tuple[str, str], str]:
    """How each pair reads in the lifecycle: ``main`` (a step of the machine's main
    path, creation included), ``aside`` (an exit to a terminal status off that path) or
    ``back`` (a move back up the path). Other pairs have no role."""
    main = [_node_id(s) for s in machine.main_path]
    if not main:
        return {}
    position = {status: i for i, status in enumerate(main)}
    roles = {(START, main[0]): "main", **{pair: "main" for pair in pairwise(main)}}
    terminal = {_node_id(s) for s in machine.terminal}
    for pair in _table_edges(machine):
        source, target = pair
        if pair in roles or source == target:
            continue
        if target in terminal and target not in position:
            roles[pair] = "aside"
        elif source in position and target in position and position[target] < position[source]:
            roles[pair] = "back"
    return roles


def _around(edges: list[GraphEdge], nodes: list[GraphNode],
            steps: Mapping[tuple[str, str], list[int]], current: Any,
            ) -> tuple[list[GraphEdge], list[GraphNode]]:
    """The edges of the path taken and those leaving ``current``, and their nodes."""
    here = None if current is None else _node_id(current)
    kept = [e for e in edges if (e.source, e.target) in steps or e.source == here]
    shown = {here} | {end for e in kept for end in (e.source, e.target)}
    return kept, [n for n in nodes if n.id in shown]


def _share(part: int, total: int) -> str:
    """``"56%"``; never a misleading ``"0%"`` for something that did happen."""
    share = part / total if total else 0.0
    if 0 < share < 0.005:
        return "<1%"
    return f"{share:.0%}"


def _normalise_counts(
    counts: Mapping[tuple[StatusLike | None, StatusLike], int], machine: Machine,
) -> dict[tuple[str, str], int]:
    """Counts keyed by node ids; current and legacy names of a status add up."""
    normalised: dict[tuple[str, str], int] = {}
    for (source, target), n in counts.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"count for {(source, target)!r} must be an int >= 0, not {n!r}")
        key = (START if source is None else _status(source, machine).value,
               _status(target, machine).value)
        normalised[key] = normalised.get(key, 0) + n
    return normalised


def _describe(
    machine: Machine, current: Any, path: Sequence[Any], counts: Mapping[Any, int] | None,
    api_version: str | None,
) -> str:
    """The stable one-line text a notebook shows as ``text/plain``."""
    parts = []
    if current is not None:
        parts.append(f"current={machine.show(current, api_version)}")
    if path:
        parts.append("path=" + " -> ".join(machine.show(s, api_version) for s in path))
    if counts is not None:
        parts.append(f"transitions counted={sum(counts.values()):,}")
    if api_version:
        parts.append(f"api_version={api_version}")
    return f"{machine.title} state graph" + (": " + ", ".join(parts) if parts else "")


def graph_model(
    highlight: StatusLike | None = None,
    path: Iterable[StatusLike] | None = None,
    counts: Mapping[tuple[StatusLike | None, StatusLike], int] | None = None,
    api_version: str | None = None,
    *,
    legend: bool = True,
    rankdir: str = "TB",
    machine: Machine = PAYMENT_INTENT,
    around: bool = False,
) -> GraphModel:
    """The state graph as plain data: nodes and edges with their labels and style names.

    ``highlight`` is drawn ``current``; ``path`` (statuses in the order an intent went
    through them) draws its nodes and edges ``visited`` and numbers each step; a step
    the table does not allow becomes an extra ``illegal`` edge. ``counts`` maps
    ``(source, target)`` (``source=None`` for creation) to how often a log saw it.
    ``machine`` is the lifecycle to draw (default: the PaymentIntent's). ``around``
    draws only the path and the moves open from ``highlight``: one object's story, small
    enough to read at a glance (the whole table is for where it is taught).

    >>> m = graph_model(path=["requires_payment_method", "succeeded"])
    >>> edge = m.edge("requires_payment_method", "succeeded")
    >>> edge.steps, edge.actions, edge.styles
    ((1,), ('confirm',), ('visited',))
    """
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"rankdir must be TB, LR, BT or RL, not {rankdir!r}")
    current = None if highlight is None else _status(highlight, machine)
    steps_taken = tuple(_status(s, machine) for s in path) if path is not None else ()
    counted = None if counts is None else _normalise_counts(counts, machine)
    table = _table_edges(machine)
    entries = machine.entry_statuses()

    # Which pairs the path took, and at which step numbers (1 = first move).
    steps: dict[tuple[str, str], list[int]] = {}
    for number, (a, b) in enumerate(pairwise(steps_taken), start=1):
        steps.setdefault((a.value, b.value), []).append(number)
    if steps_taken:
        steps.setdefault((START, steps_taken[0].value), [])  # created: visited, unnumbered

    def allowed(pair: tuple[str, str]) -> bool:
        source, target = pair
        if source == START:
            return machine.statuses(target) in entries
        return machine.can_move(machine.statuses(source), machine.statuses(target))

    # Pairs drawn besides the table's: silent creations (create with payment_method
    # shows requires_confirmation first) and anything the table does not allow.
    extra = sorted(
        (set(steps) | {p for p, n in (counted or {}).items() if n > 0}) - set(table),
        key=_pair_order(machine),
    )

    roles = _roles(machine)
    totals: dict[str, int] = {}
    for (source, _), n in (counted or {}).items():
        totals[source] = totals.get(source, 0) + n
    biggest = max((counted or {}).values(), default=0)

    edges: list[GraphEdge] = []
    for pair in [*table, *extra]:
        rows = table.get(pair, [])
        legal = bool(rows) or allowed(pair)
        actions = tuple(dict.fromkeys(r.action.value for r in rows))
        triggers = tuple(dict.fromkeys(r.trigger.value for r in rows))
        tooltip = "\\n".join(f"{r.action} ({r.trigger}): {r.condition}" for r in rows)
        if not rows and legal:  # a creation that already attached a payment method
            actions, triggers = ("create",), ("api",)
            tooltip = "create with payment_method: attaching emits no event"
        elif not rows:
            tooltip = "not a row of the lifecycle table"

        styles: list[str] = []
        label_lines: list[str] = []
        numbers = tuple(steps.get(pair, ()))
        if numbers:
            label_lines.append(", ".join(str(n) for n in numbers))
        label_lines.extend(actions if legal else ("not in lifecycle",))
        count = penwidth = None
        if counted is not None:
            count = counted.get(pair, 0)
            if count:
                label_lines.append(f"{count:,} ({_share(count, totals[pair[0]])})")
                penwidth = round(1 + 5 * count / biggest, 1)
            elif legal and pair not in steps:
                styles.append("unobserved")
        if pair in roles:
            styles.append(roles[pair])
        if pair in steps and legal:
            styles.append("visited")
        if not legal:
            styles.append("illegal")
        edges.append(GraphEdge(
            source=pair[0], target=pair[1], label="\\n".join(label_lines), actions=actions,
            triggers=triggers, styles=tuple(styles), steps=numbers, count=count,
            penwidth=penwidth, tooltip=tooltip,
        ))

    visited = set(steps_taken)
    nodes = [GraphNode(START, "", ("start",), "created")]
    every_status = cast(Iterable[Any], machine.statuses)
    for status in every_status:
        styles = []  # reused name: a node's styles
        if status in machine.initial_statuses:
            styles.append("initial")
        if status in machine.terminal:
            styles.append("terminal")
        if status in visited:
            styles.append("visited")
        if status == current:
            styles.append("current")
        allowed_here = ", ".join(a.value for a in machine.allowed_actions(status))
        tooltip = (f"allowed: {allowed_here}" if allowed_here
                   else "terminal: nothing leaves it")
        nodes.append(GraphNode(status.value, machine.show(status, api_version),
                               tuple(styles), tooltip))

    if around:
        edges, nodes = _around(edges, nodes, steps, current)
    legend_names: tuple[str, ...] = ()
    if legend:
        used_triggers = {t for e in edges for t in e.triggers}
        used_states = {s for e in edges for s in e.styles} | {s for n in nodes for s in n.styles}
        if "back" in used_states:  # one legend line says both
            used_states.add("aside")
        legend_names = (
            *(t for t in TRIGGER_STYLES if t in used_triggers),
            *(s for s in _STATE_LEGEND_ORDER if s in used_states),
        )
    return GraphModel(
        nodes=tuple(nodes),
        edges=tuple(edges),
        description=_describe(machine, current, steps_taken, counted, api_version),
        rankdir=rankdir,
        legend=legend_names,
        name=machine.name,
    )


# -- model → DOT -----------------------------------------------------------------------


def _layer(kind: str, names: Iterable[str]) -> dict[str, str]:
    """Attributes of ``kind`` from each named style, later names winning."""
    attrs: dict[str, str] = {}
    for name in names:
        attrs.update(STYLES[name].get(kind, {}))
    return attrs


def _edge_attrs(edge: GraphEdge) -> dict[str, str]:
    """Trigger colour first (one parallel line per trigger when mixed), then states."""
    attrs: dict[str, str] = {}
    if len(edge.triggers) == 1:
        attrs.update(_layer("edge", edge.triggers))
    elif edge.triggers:
        attrs["color"] = ":".join(STYLES[t]["edge"]["color"] for t in edge.triggers)
    faint = {"aside", "back"} & set(edge.styles) and not {"visited", "illegal",
                                                          "unobserved"} & set(edge.styles)
    if faint:  # the trigger's colours, see-through, its label too
        attrs.setdefault("fontcolor", STYLES["default"]["edge"]["fontcolor"])
        for key in ("color", "fontcolor"):
            if key in attrs:
                attrs[key] = ":".join(c + _ASIDE_ALPHA for c in attrs[key].split(":"))
    attrs.update(_layer("edge", edge.styles))
    if edge.penwidth is not None:
        attrs["penwidth"] = f"{edge.penwidth:.1f}"
    if edge.tooltip:
        attrs["tooltip"] = edge.tooltip
    return attrs


def _legend_caption(names: Sequence[str]) -> str:
    """The legend as the graph's caption: who moves the object, then what happened.

    Plain text naming the colours, not swatches: the WebAssembly Graphviz has no
    HTML-like labels, and a caption leaves the layout of the lifecycle untouched.
    """
    # one entry a line: Graphviz sizes the drawing from its own estimate of the text's
    # width, and a browser's font is wider, so a long line is cut on a small graph (one
    # intent's story)
    ordered = [*(n for n in names if n in TRIGGER_STYLES),
               *(n for n in names if n not in TRIGGER_STYLES)]
    return "".join(STYLES[n]["legend"] + "\\l" for n in ordered)


@functools.cache
def _digraph_class() -> type[graphviz.Digraph]:
    """A ``graphviz.Digraph`` that shows itself in notebooks without system Graphviz.

    Built on first use so that importing this module does not import ``graphviz``.
    """
    import graphviz

    class PaymentIntentDigraph(graphviz.Digraph):
        """``graphviz.Digraph`` rendered through ``paykit.rendering``, stable ``repr``."""

        description = "PaymentIntent state graph"

        def _repr_mimebundle_(
            self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None,
            **kwargs: Any,
        ) -> dict[str, str]:
            return _mimebundle(lambda: render_svg(self.source), self.description,
                               include, exclude)

        def __repr__(self) -> str:
            return f"<{self.description}>"

    return PaymentIntentDigraph


def to_digraph(model: GraphModel) -> graphviz.Digraph:
    """The model as a ``graphviz.Digraph``; its ``.source`` is deterministic DOT text."""
    default = STYLES["default"]
    graph = _digraph_class()(
        name=model.name,
        graph_attr={**default["graph"], "rankdir": model.rankdir},
        node_attr=default["node"],
        edge_attr=default["edge"],
    )
    graph.description = model.description
    for node in model.nodes:
        attrs = _layer("node", node.styles)
        label = attrs.pop("label", node.label)
        if node.tooltip:
            attrs["tooltip"] = node.tooltip
        graph.node(node.id, label, **attrs)
    for edge in model.edges:
        graph.edge(edge.source, edge.target, edge.label, **_edge_attrs(edge))
    if model.legend:
        graph.attr(label=_legend_caption(model.legend), **STYLES["legend"]["graph"])
    return graph


def state_graph(
    highlight: StatusLike | None = None,
    path: Iterable[StatusLike] | None = None,
    counts: Mapping[tuple[StatusLike | None, StatusLike], int] | None = None,
    api_version: str | None = None,
    *,
    legend: bool = True,
    rankdir: str = "TB",
    machine: Machine = PAYMENT_INTENT,
) -> graphviz.Digraph:
    """The lifecycle as a ``graphviz.Digraph`` (see ``graph_model`` for the arguments).

    It displays itself in Jupyter with or without the system ``dot`` program.

    >>> g = state_graph(highlight="succeeded")
    >>> "succeeded [label=succeeded" in g.source
    True
    """
    return to_digraph(graph_model(highlight, path, counts, api_version,
                                  legend=legend, rankdir=rankdir, machine=machine))


# -- notebooks -----------------------------------------------------------------------------

_UNAVAILABLE_NOTE = " (no graph renderer here: pip install paykit[graph])"


def _mimebundle(
    svg: Callable[[], str], text: str,
    include: Iterable[str] | None, exclude: Iterable[str] | None,
) -> dict[str, str]:
    """The IPython display bundle; only renders the SVG when it is wanted."""
    wanted = set(include) if include is not None else {"image/svg+xml", "text/plain"}
    wanted -= set(exclude or ())
    bundle: dict[str, str] = {}
    if "image/svg+xml" in wanted:
        try:
            bundle["image/svg+xml"] = svg()
        except GraphvizUnavailableError:
            text += _UNAVAILABLE_NOTE  # a notebook still shows something, and why
    if "text/plain" in wanted:
        bundle["text/plain"] = text
    return bundle


class GraphView:
    """A state graph that shows itself in a notebook as SVG, with a stable text form.

    The SVG is rendered once, on first display, by ``paykit.rendering.render_svg``.
    """

    def __init__(self, model: GraphModel, *, renderer: str | None = None) -> None:
        self.model = model
        self.renderer = renderer
        self._svg: str | None = None

    @property
    def description(self) -> str:
        """The ``text/plain`` form: what the graph shows, no memory address."""
        return self.model.description

    @functools.cached_property
    def digraph(self) -> graphviz.Digraph:
        """The ``graphviz.Digraph`` (imports ``graphviz`` on first use)."""
        return to_digraph(self.model)

    @property
    def source(self) -> str:
        """The DOT text."""
        return str(self.digraph.source)

    def svg(self) -> str:
        """The rendered SVG text, cached."""
        if self._svg is None:
            self._svg = render_svg(self.source, renderer=self.renderer)
        return self._svg

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> dict[str, str]:
        return _mimebundle(self.svg, self.description, include, exclude)

    def __repr__(self) -> str:
        return f"<{self.description}>"


def history_view(
    statuses: Iterable[StatusLike],
    current: StatusLike | None = None,
    api_version: str | None = None,
    *,
    machine: Machine = PAYMENT_INTENT,
) -> GraphView:
    """One intent's history for its notebook display: the path numbered, ``current`` lit,
    and the moves open from it (``graph_model(around=True)``).

    ``current`` defaults to the last status of the path.

    >>> history_view(["requires_payment_method", "succeeded"])
    <PaymentIntent state graph: current=succeeded, path=requires_payment_method -> succeeded>
    """
    path = tuple(statuses)
    if current is None and path:
        current = path[-1]
    model = graph_model(highlight=current, path=path, api_version=api_version,
                        machine=machine, around=True)
    here = None if current is None else _node_id(_status(current, machine))
    fan_out = sum(1 for e in model.edges if e.source == here and e.target != here)
    if fan_out > _MOST_SIDE_BY_SIDE:  # stacked, not side by side: the text stays large
        model = dataclasses.replace(model, rankdir="LR")
    return GraphView(model)


# More moves than this from one status are drawn left to right (stacked one above the
# other): side by side, six statuses make a drawing so wide that a notebook shrinks its
# text below the body text's size.
_MOST_SIDE_BY_SIDE = 3


# -- Mermaid ------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    """A Mermaid quoted label: DOT line breaks become ``<br>``, quotes an entity."""
    return text.replace("\\n", "<br>").replace('"', "#quot;")


def _mermaid_css(attrs: Mapping[str, str]) -> str:
    """Graphviz colour attributes as Mermaid ``style`` properties."""
    css = []
    if "fillcolor" in attrs:
        css.append(f"fill:{attrs['fillcolor']}")
    if "color" in attrs:
        css.append(f"stroke:{attrs['color'].split(':')[0]}")
    if "fontcolor" in attrs:
        css.append(f"color:{attrs['fontcolor']}")
    if "penwidth" in attrs:
        css.append(f"stroke-width:{attrs['penwidth']}px")
    if "dashed" in attrs.get("style", ""):
        css.append("stroke-dasharray:5 4")
    return ",".join(css)


def to_mermaid(model: GraphModel) -> str:
    """The model as a Mermaid flowchart, for Markdown cells and docs that render Mermaid.

    >>> to_mermaid(graph_model()).splitlines()[0]
    'flowchart TB'
    """
    lines = [f"flowchart {model.rankdir}"]
    for node in model.nodes:
        if node.id == START:
            lines.append(f'    {START}((" "))')
        elif "terminal" in node.styles:
            lines.append(f'    {node.id}(["{_mermaid_text(node.label)}"])')
        else:
            lines.append(f'    {node.id}["{_mermaid_text(node.label)}"]')
    for edge in model.edges:
        arrow = "-.->" if not edge.legal else "-->"
        lines.append(f'    {edge.source} {arrow}|"{_mermaid_text(edge.label)}"| {edge.target}')
    for node in model.nodes:
        css = _mermaid_css(_layer("node", ("default", *node.styles)))
        if css:
            lines.append(f"    style {node.id} {css}")
    for index, edge in enumerate(model.edges):
        css = _mermaid_css(_edge_attrs(edge))
        if css:
            lines.append(f"    linkStyle {index} {css}")
    return "\n".join(lines) + "\n"
