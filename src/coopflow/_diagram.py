"""Diagrams of `coopflow.diagram` (implementation; the public names live there)."""

import re

import attrs

from coopflow._i18n import GUARD_WORDS, check_locale
from coopflow._process import Process
from coopflow._snapshot import Snapshot
from coopflow._trajectory import Trajectory
from coopflow.exceptions import InvalidEventError
from coopflow.guards import Guard
from coopflow.guards._combinators import AllOf, AnyOf, Not

__all__ = ["to_dot", "to_mermaid"]

_CURRENT = "current"
_REMEMBERED = "remembered"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

# --- the model: what both formats draw ----------------------------------------------------------


@attrs.frozen
class _Node:
    id: str
    label: str
    initial: bool
    terminal: bool
    mark: str | None  # _CURRENT, _REMEMBERED or None
    shows_id: bool = True  # the English diagram names each state's id too; others show labels only


@attrs.frozen
class _Edge:
    source: str
    dest: str
    label: str
    guards: str  # the guard kinds, readable, in brackets; empty without guards
    automatic: bool


_NOT = {"en": "not", "nl": "niet"}


def _guard_text(guard: Guard, locale: str) -> str:
    # A built-in guard reads as what it asks for, in the diagram's language; a custom one by kind.
    if isinstance(guard, Not):
        inner = _guard_text(guard.guard, locale)
        if locale == "nl" and inner.startswith("een "):
            return "geen " + inner.removeprefix("een ")
        return f"{_NOT[locale]} {inner}"
    words = GUARD_WORDS.get(guard.kind)
    name = words[locale] if words is not None else guard.kind
    if isinstance(guard, (AllOf, AnyOf)):
        return f"{name} ({', '.join(_guard_text(inner, locale) for inner in guard.guards)})"
    return name


def _marks(process: Process, highlight: object) -> dict[str, str]:
    if highlight is None:
        return {}
    if isinstance(highlight, Trajectory):
        snapshot = highlight.snapshot
    elif isinstance(highlight, Snapshot):
        snapshot = highlight
    else:
        raise InvalidEventError("highlight", highlight, "must be a Trajectory, a Snapshot or None")
    known = {state.id for state in process.states}
    if snapshot.state not in known:
        raise InvalidEventError("highlight", snapshot.state, "is not a state of this process")
    marks = {snapshot.state: _CURRENT}
    previous = snapshot.previous
    # A state the process resumes from is a pause: the state it remembers is where it goes back.
    resumable = any(
        transition.trigger == "resume"
        and not transition.automatic
        and snapshot.state in transition.source
        for transition in process.transitions
    )
    if resumable and previous is not None and previous != snapshot.state:
        if previous not in known:
            raise InvalidEventError(
                "highlight", previous, "remembers a state that is not a state of this process"
            )
        marks[previous] = _REMEMBERED
    return marks


def _model(
    process: object, highlight: object, locale: str
) -> tuple[Process, list[_Node], list[_Edge]]:
    check_locale(locale)
    if not isinstance(process, Process):
        raise InvalidEventError("process", process, "must be a coopflow Process")
    marks = _marks(process, highlight)
    nodes = [
        _Node(
            state.id,
            process.label(state.id, locale=locale),
            state.initial,
            state.terminal,
            marks.get(state.id),
            shows_id=locale == "en",
        )
        for state in process.states
    ]
    edges: list[_Edge] = []
    for transition in process.transitions:
        kinds = ", ".join(_guard_text(guard, locale) for guard in transition.guards)
        label = process.label(transition.trigger, locale=locale)
        edges.extend(
            _Edge(
                source, transition.dest, label, f"[{kinds}]" if kinds else "", transition.automatic
            )
            for source in transition.source
        )
    return process, nodes, edges


def _node_text(node: _Node) -> str:
    return f"{node.label}\n({node.id})" if node.shows_id else node.label


def _edge_text(edge: _Edge) -> str:
    return f"{edge.label}\n{edge.guards}" if edge.guards else edge.label


def _fresh(name: str, taken: set[str]) -> str:
    while name in taken:
        name += "_"
    taken.add(name)
    return name


# --- Mermaid ------------------------------------------------------------------------------------

_MERMAID_ID = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Words the flowchart grammar reads as keywords where a node id is expected.
_MERMAID_KEYWORDS = frozenset(
    (
        "class",
        "classdef",
        "click",
        "default",
        "direction",
        "end",
        "flowchart",
        "graph",
        "linkstyle",
        "style",
        "subgraph",
    )
)
# Mermaid's own entity codes: "#" first, since every replacement starts with one.
_MERMAID_ESCAPES = (
    ("#", "#35;"),
    ("&", "#amp;"),
    ('"', "#quot;"),
    ("<", "#lt;"),
    (">", "#gt;"),
    ("`", "#96;"),
)
_MERMAID_STYLES = {
    _CURRENT: "fill:#ffd54f,stroke:#e65100,stroke-width:3px",
    _REMEMBERED: "fill:#fff3e0,stroke:#e65100,stroke-width:2px,stroke-dasharray:5 5",
}


def _mermaid_text(text: str) -> str:
    for old, new in _MERMAID_ESCAPES:
        text = text.replace(old, new)
    return _LINE_BREAK.sub("<br/>", text)


def _mermaid_names(nodes: list[_Node]) -> dict[str, str]:
    # A state id that is not a plain identifier gets a made-up node name; its label keeps the id.
    names = {
        node.id: node.id
        for node in nodes
        if _MERMAID_ID.fullmatch(node.id) and node.id.lower() not in _MERMAID_KEYWORDS
    }
    taken = set(names.values())
    for index, node in enumerate(nodes):
        if node.id not in names:
            names[node.id] = _fresh(f"state{index}", taken)
    return names


def to_mermaid(
    process: Process, *, highlight: Trajectory | Snapshot | None = None, locale: str = "en"
) -> str:
    r"""The process as a Mermaid flowchart (``flowchart LR``), in definition order.

    Args:
        process: the process to draw.
        highlight: a trajectory (or its snapshot) whose current state is highlighted (class
            ``current``); when it is stalled, the state it remembers gets class ``remembered``.
        locale: the language of the labels, ``"en"`` or ``"nl"``.

    Returns:
        The Mermaid text, ending with a newline.

    Raises:
        UnknownNameError: the locale is unknown.
        InvalidEventError: `highlight` is not a Trajectory or Snapshot, or its state (or the
            state it remembers) is not a state of `process` (field ``"highlight"``); or
            `process` is not a Process (field ``"process"``).

    Example:
        >>> import coopflow as cf
        >>> from coopflow.diagram import to_mermaid
        >>> lines = to_mermaid(cf.default_process(), locale="nl").splitlines()
        >>> print(lines[0], lines[10], lines[-1], sep="\n")
        flowchart LR
            dissolved((("Beëindigd")))
            style entry fill:#000,stroke:#000
    """
    process, nodes, edges = _model(process, highlight, locale)
    names = _mermaid_names(nodes)
    entry = _fresh("entry", set(names.values()))
    lines = ["flowchart LR", f'    {entry}((" "))']
    for node in nodes:
        text = _mermaid_text(_node_text(node))
        shape = f'((("{text}")))' if node.terminal else f'["{text}"]'
        lines.append(f"    {names[node.id]}{shape}")
    lines.extend(f"    {entry} --> {names[node.id]}" for node in nodes if node.initial)
    for edge in edges:
        arrow = "-.->" if edge.automatic else "-->"
        text = _mermaid_text(_edge_text(edge))
        lines.append(f'    {names[edge.source]} {arrow}|"{text}"| {names[edge.dest]}')
    lines.append(f"    style {entry} fill:#000,stroke:#000")
    for mark, style in _MERMAID_STYLES.items():
        marked = [names[node.id] for node in nodes if node.mark == mark]
        if marked:
            lines.append(f"    classDef {mark} {style}")
            lines.append(f"    class {','.join(marked)} {mark}")
    return "\n".join(lines) + "\n"


# --- Graphviz DOT -------------------------------------------------------------------------------

_DOT_MARKS = {
    _CURRENT: ("filled", 'fillcolor="#ffd54f", color="#e65100", penwidth=3'),
    _REMEMBERED: ("filled,dashed", 'fillcolor="#fff3e0", color="#e65100", penwidth=2'),
}


def _dot_text(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _LINE_BREAK.sub("\\\\n", escaped) + '"'


def _dot_node(node: _Node) -> str:
    attributes = [f"label={_dot_text(_node_text(node))}"]
    styles = [] if node.terminal else ["rounded"]
    colours = ""
    if node.terminal:
        attributes.append("shape=doublecircle")
    if node.mark is not None:
        style, colours = _DOT_MARKS[node.mark]
        styles.append(style)
    if styles:
        attributes.append(f'style="{",".join(styles)}"')
    if colours:
        attributes.append(colours)
    return f"    {_dot_text(node.id)} [{', '.join(attributes)}];"


def to_dot(
    process: Process, *, highlight: Trajectory | Snapshot | None = None, locale: str = "en"
) -> str:
    r"""The process as a Graphviz DOT digraph, left to right, in definition order.

    Args:
        process: the process to draw.
        highlight: a trajectory (or its snapshot) whose current state is filled; when it is
            stalled, the state it remembers is filled lighter, with a dashed border.
        locale: the language of the labels, ``"en"`` or ``"nl"``.

    Returns:
        The DOT text, ending with a newline.

    Raises:
        UnknownNameError: the locale is unknown.
        InvalidEventError: `highlight` is not a Trajectory or Snapshot, or its state (or the
            state it remembers) is not a state of `process` (field ``"highlight"``); or
            `process` is not a Process (field ``"process"``).

    Example:
        >>> import coopflow as cf
        >>> from coopflow.diagram import to_dot
        >>> lines = to_dot(cf.default_process(), locale="nl").splitlines()
        >>> print(lines[0], lines[12], lines[-3], sep="\n")  # doctest: +ELLIPSIS
        digraph "coopflow-default" {
            "dissolved" [label="Beëindigd", shape=doublecircle];
            "operating" -> "stalled" [label="Energie weggevallen\n[...]", style=dashed];
    """
    process, nodes, edges = _model(process, highlight, locale)
    entry = _fresh("entry", {node.id for node in nodes})
    lines = [
        f"digraph {_dot_text(process.id)} {{",
        "    rankdir=LR;",
        "    node [shape=box];",
        f"    {_dot_text(entry)} [shape=point, width=0.2];",
    ]
    lines.extend(_dot_node(node) for node in nodes)
    lines.extend(
        f"    {_dot_text(entry)} -> {_dot_text(node.id)};" for node in nodes if node.initial
    )
    for edge in edges:
        text = _dot_text(_edge_text(edge))
        style = ", style=dashed" if edge.automatic else ""
        lines.append(
            f"    {_dot_text(edge.source)} -> {_dot_text(edge.dest)} [label={text}{style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"
