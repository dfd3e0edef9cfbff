"""Tests of `coopflow.diagram`: Mermaid and DOT text for a process and a highlighted trajectory."""

import re
from collections.abc import Callable

import pytest

import coopflow as cf
from coopflow import guards
from coopflow.diagram import to_dot, to_mermaid

ACTIVE = ("exploring", "building_culture", "agenda_setting", "signing", "organising", "operating")
PARTIES = (cf.Party("a"), cf.Party("b"))

TINY = cf.Process(
    "tiny",
    (
        cf.State("idea", {"en": "Idea", "nl": "Idee"}, initial=True),
        cf.State("pilot", {"en": "Pilot", "nl": "Pilotfase"}),
        cf.State("done", {"en": "Done", "nl": "Beëindigd"}, terminal=True),
    ),
    (
        cf.Transition(
            "try_out",
            "idea",
            "pilot",
            guards=(guards.trust(), guards.not_(guards.quorum_lost())),
            labels={"en": "Try it out", "nl": "Uitproberen"},
        ),
        cf.Transition(
            "finish",
            ("idea", "pilot"),
            "done",
            guards=(guards.all_of(guards.trust(), guards.energy()),),
            labels={"en": "Finish", "nl": "Afronden"},
        ),
        cf.Transition(
            "fall_back",
            "pilot",
            "idea",
            guards=(guards.energy_lost(),),
            automatic=True,
            labels={"en": "Energy lost", "nl": "Energie weggevallen"},
        ),
    ),
)

TINY_MERMAID = """\
flowchart LR
    entry((" "))
    idea["Idea<br/>(idea)"]
    pilot["Pilot<br/>(pilot)"]
    done((("Done<br/>(done)")))
    entry --> idea
    idea -->|"Try it out<br/>[enough trust, not too few parties]"| pilot
    idea -->|"Finish<br/>[all of the conditions (enough trust, enough energy)]"| done
    pilot -->|"Finish<br/>[all of the conditions (enough trust, enough energy)]"| done
    pilot -.->|"Energy lost<br/>[energy that has fallen away]"| idea
    style entry fill:#000,stroke:#000
"""

TINY_DOT = """\
digraph "tiny" {
    rankdir=LR;
    node [shape=box];
    "entry" [shape=point, width=0.2];
    "idea" [label="Idee", style="rounded"];
    "pilot" [label="Pilotfase", style="rounded"];
    "done" [label="Beëindigd", shape=doublecircle];
    "entry" -> "idea";
    "idea" -> "pilot" [label="Uitproberen\\n[voldoende vertrouwen, niet te weinig partijen]"];
    "idea" -> "done" [label="Afronden\\n[alle voorwaarden (voldoende vertrouwen, voldoende energie)]"];
    "pilot" -> "done" [label="Afronden\\n[alle voorwaarden (voldoende vertrouwen, voldoende energie)]"];
    "pilot" -> "idea" [label="Energie weggevallen\\n[weggevallen energie]", style=dashed];
}
"""


def _labels(text: str) -> dict[str, str]:
    return {"en": text, "nl": text}


def _stalled(process: cf.Process) -> cf.Trajectory:
    t = cf.Trajectory.start(process, parties=PARTIES)
    t.fire("stall")
    return t


def _mermaid_edges(text: str, arrow: str) -> list[tuple[str, str]]:
    edge = re.compile(rf'    (\S+) {re.escape(arrow)}(?:\|".*"\|)? (\S+)')
    return [(found[1], found[2]) for found in map(edge.fullmatch, text.splitlines()) if found]


def _dot_edges(text: str, dashed: bool) -> list[tuple[str, str]]:
    return [
        (line.split('"')[1], line.split('"')[3])
        for line in text.splitlines()
        if " -> " in line and "[label=" in line and ("style=dashed" in line) == dashed
    ]


def _pairs(process: cf.Process, automatic: bool) -> list[tuple[str, str]]:
    return [
        (source, t.dest)
        for t in process.transitions
        if t.automatic == automatic
        for source in t.source
    ]


# --- a small process, exactly -------------------------------------------------------------------


def test_mermaid_draws_a_small_process_exactly() -> None:
    """Entry node, labelled states, a double circle, an edge per source, a dashed regression."""
    assert to_mermaid(TINY) == TINY_MERMAID


def test_dot_draws_a_small_process_exactly() -> None:
    """The DOT text has an entry point, Dutch labels, a doublecircle and a dashed regression."""
    assert to_dot(TINY, locale="nl") == TINY_DOT


def test_mermaid_speaks_dutch_when_asked() -> None:
    """The Dutch locale labels states and edges in Dutch, diacritics intact."""
    lines = to_mermaid(TINY, locale="nl").splitlines()
    assert (lines[4], lines[6]) == (
        '    done((("Beëindigd")))',
        '    idea -->|"Uitproberen<br/>[voldoende vertrouwen, niet te weinig partijen]"| pilot',
    )


def test_dot_speaks_english_by_default() -> None:
    """Without a locale, the DOT labels are English."""
    assert to_dot(TINY).splitlines()[4] == '    "idea" [label="Idea\\n(idea)", style="rounded"];'


def test_any_of_and_nested_combinators_are_readable() -> None:
    """any_of lists its guards in parentheses and not prefixes whatever it negates."""
    guard = guards.not_(guards.any_of(guards.trust(), guards.not_(guards.energy())))
    process = cf.Process(
        "p",
        (cf.State("a", _labels("A"), initial=True), cf.State("b", _labels("B"))),
        (cf.Transition("go", "a", "b", guards=(guard,), labels=_labels("Go")),),
    )
    assert to_mermaid(process).splitlines()[5] == (
        '    a -->|"Go<br/>[not one of the conditions (enough trust, not enough energy)]"| b'
    )


# --- escaping and node names --------------------------------------------------------------------

AWKWARD = cf.Process(
    'odd "one"',
    (
        cf.State(
            "two words",
            _labels('Say "hi" [now] #1; <b>R&D</b> `x`\nnext'),
            initial=True,
        ),
        cf.State("end", _labels("Beëindigd"), terminal=True),
        cf.State("state0", _labels("Zero")),
        cf.State("entry", _labels("Entry")),
    ),
    (
        cf.Transition("go", "two words", "end", labels=_labels('Go "now" |x| a\\b')),
        cf.Transition("zero", "two words", "state0", labels=_labels("Zero")),
        cf.Transition("enter", "state0", "entry", labels=_labels("Enter")),
    ),
)


def test_mermaid_escapes_labels_and_renames_unsafe_state_ids() -> None:
    """Quotes, entities and line breaks are escaped; ids Mermaid cannot take get fresh names."""
    assert to_mermaid(AWKWARD) == (
        "flowchart LR\n"
        '    entry_((" "))\n'
        '    state0_["Say #quot;hi#quot; [now] #35;1; #lt;b#gt;R#amp;D#lt;/b#gt; #96;x#96;'
        '<br/>next<br/>(two words)"]\n'
        '    state1((("Beëindigd<br/>(end)")))\n'
        '    state0["Zero<br/>(state0)"]\n'
        '    entry["Entry<br/>(entry)"]\n'
        "    entry_ --> state0_\n"
        '    state0_ -->|"Go #quot;now#quot; |x| a\\b"| state1\n'
        '    state0_ -->|"Zero"| state0\n'
        '    state0 -->|"Enter"| entry\n'
        "    style entry_ fill:#000,stroke:#000\n"
    )


def test_dot_escapes_quotes_backslashes_and_line_breaks() -> None:
    """DOT strings escape quotes and backslashes and turn line breaks into \\n."""
    lines = to_dot(AWKWARD).splitlines()
    assert (lines[0], lines[3], lines[4], lines[9]) == (
        'digraph "odd \\"one\\"" {',
        '    "entry_" [shape=point, width=0.2];',
        '    "two words" [label="Say \\"hi\\" [now] #1; <b>R&D</b> `x`\\nnext\\n(two words)", '
        'style="rounded"];',
        '    "two words" -> "end" [label="Go \\"now\\" |x| a\\\\b"];',
    )


# --- the default process ------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_mermaid_shows_every_state_of_the_default_process(process: cf.Process, locale: str) -> None:
    """Each state is a node with its label in the locale (and its id in English), terminals
    double-circled."""
    lines = to_mermaid(process, locale=locale).splitlines()
    shown = {
        s.id: s.labels[locale] + (f"<br/>({s.id})" if locale == "en" else "")
        for s in process.states
    }
    expected = [
        f'    {s.id}((("{shown[s.id]}")))' if s.terminal else f'    {s.id}["{shown[s.id]}"]'
        for s in process.states
    ]
    assert lines[2:11] == expected


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_dot_shows_every_state_of_the_default_process(process: cf.Process, locale: str) -> None:
    """Each state is a node with its label in the locale (and its id in English), terminals as
    doublecircles."""
    lines = to_dot(process, locale=locale).splitlines()
    shown = {
        s.id: s.labels[locale] + (f"\\n({s.id})" if locale == "en" else "") for s in process.states
    }
    expected = [
        f'    "{s.id}" [label="{shown[s.id]}", shape=doublecircle];'
        if s.terminal
        else f'    "{s.id}" [label="{shown[s.id]}", style="rounded"];'
        for s in process.states
    ]
    assert lines[4:13] == expected


def test_mermaid_marks_the_initial_and_terminal_states_of_the_default_process(
    process: cf.Process,
) -> None:
    """The entry node points at exploring; only completed and dissolved are double circles."""
    text = to_mermaid(process)
    terminal = [line.split("(((")[0].strip() for line in text.splitlines() if "(((" in line]
    assert ("    entry --> exploring" in text.splitlines(), terminal) == (
        True,
        ["completed", "dissolved"],
    )


def test_dot_marks_the_initial_and_terminal_states_of_the_default_process(
    process: cf.Process,
) -> None:
    """The entry point leads to exploring; only completed and dissolved are doublecircles."""
    lines = to_dot(process).splitlines()
    terminal = [line.split('"')[1] for line in lines if "shape=doublecircle" in line]
    assert ('    "entry" -> "exploring";' in lines, terminal) == (True, ["completed", "dissolved"])


def test_mermaid_dashes_exactly_the_automatic_transitions(process: cf.Process) -> None:
    """Dashed edges are the automatic regressions, solid ones the manual transitions, in order."""
    text = to_mermaid(process)
    assert (_mermaid_edges(text, "-.->"), _mermaid_edges(text, "-->")[1:]) == (
        _pairs(process, automatic=True),
        _pairs(process, automatic=False),
    )


def test_dot_dashes_exactly_the_automatic_transitions(process: cf.Process) -> None:
    """Dashed edges are the automatic regressions, solid ones the manual transitions, in order."""
    text = to_dot(process)
    assert (_dot_edges(text, dashed=True), _dot_edges(text, dashed=False)) == (
        _pairs(process, automatic=True),
        _pairs(process, automatic=False),
    )


def test_mermaid_draws_one_resume_edge_per_active_state(process: cf.Process) -> None:
    """Resume leads from stalled back to each active state, with that state's guards."""
    lines = [line for line in to_mermaid(process, locale="nl").splitlines() if "Hervatten" in line]
    assert ([line.split()[-1] for line in lines], lines[0]) == (
        list(ACTIVE),
        '    stalled -->|"Hervatten<br/>[de onthouden fase, niet te weinig partijen]"| exploring',
    )


def test_dot_labels_the_set_agenda_edge_with_its_four_guards(process: cf.Process) -> None:
    """The key rule of the process shows its four guards on its edge."""
    assert to_dot(process).splitlines()[15] == (
        '    "building_culture" -> "agenda_setting" '
        '[label="Complete the preliminary phase\\n'
        '[enough trust, reciprocity, equal standing, enough energy]"];'
    )


# --- highlighting -------------------------------------------------------------------------------


def test_mermaid_highlights_a_stalled_trajectory_and_its_remembered_state(
    process: cf.Process,
) -> None:
    """Stalled from exploring: stalled gets class current, exploring class remembered."""
    lines = to_mermaid(process, highlight=_stalled(process)).splitlines()
    assert lines[-4:] == [
        "    classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px",
        "    class stalled current",
        "    classDef remembered fill:#fff3e0,stroke:#e65100,stroke-width:2px,stroke-dasharray:5 5",
        "    class exploring remembered",
    ]


def test_dot_highlights_a_stalled_trajectory_and_its_remembered_state(
    process: cf.Process,
) -> None:
    """Stalled from exploring: stalled is filled, exploring filled lighter and dashed."""
    lines = to_dot(process, highlight=_stalled(process)).splitlines()
    assert (lines[4], lines[10]) == (
        '    "exploring" [label="Exploration\\n(exploring)", style="rounded,filled,dashed", '
        'fillcolor="#fff3e0", color="#e65100", penwidth=2];',
        '    "stalled" [label="Stalled\\n(stalled)", style="rounded,filled", '
        'fillcolor="#ffd54f", color="#e65100", penwidth=3];',
    )


def test_a_snapshot_highlights_like_its_trajectory(process: cf.Process) -> None:
    """Passing the snapshot gives the same text as passing the trajectory."""
    t = _stalled(process)
    assert (to_mermaid(process, highlight=t.snapshot), to_dot(process, highlight=t.snapshot)) == (
        to_mermaid(process, highlight=t),
        to_dot(process, highlight=t),
    )


def test_a_trajectory_that_is_not_paused_highlights_only_its_state(process: cf.Process) -> None:
    """A fresh trajectory in exploring marks exploring as current and nothing as remembered."""
    t = cf.Trajectory.start(process, parties=PARTIES)
    assert to_mermaid(process, highlight=t).splitlines()[-2:] == [
        "    classDef current fill:#ffd54f,stroke:#e65100,stroke-width:3px",
        "    class exploring current",
    ]


def test_a_previous_state_outside_a_pause_is_not_highlighted() -> None:
    """A snapshot that came from idea but cannot resume marks only its own state."""
    snapshot = cf.Snapshot("pilot", PARTIES, previous="idea")
    assert to_mermaid(TINY, highlight=snapshot).splitlines()[-1] == "    class pilot current"


def test_dot_fills_a_highlighted_terminal_state_without_rounding() -> None:
    """A terminal current state stays a doublecircle, filled."""
    lines = to_dot(TINY, highlight=cf.Snapshot("done", PARTIES)).splitlines()
    assert lines[6] == (
        '    "done" [label="Done\\n(done)", shape=doublecircle, style="filled", '
        'fillcolor="#ffd54f", color="#e65100", penwidth=3];'
    )


# --- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize("draw", [to_mermaid, to_dot])
def test_an_unknown_locale_is_an_unknown_name(
    process: cf.Process, draw: Callable[..., str]
) -> None:
    """Only en and nl are spoken."""
    with pytest.raises(cf.UnknownNameError) as caught:
        draw(process, locale="de")
    assert (caught.value.kind, caught.value.name) == ("locale", "de")


@pytest.mark.parametrize("draw", [to_mermaid, to_dot])
def test_a_highlight_in_a_foreign_state_is_invalid(
    process: cf.Process, draw: Callable[..., str]
) -> None:
    """A trajectory of another process, in a state this one lacks, cannot be highlighted."""
    t = cf.Trajectory.start(TINY, parties=PARTIES)
    with pytest.raises(cf.InvalidEventError) as caught:
        draw(process, highlight=t)
    assert (caught.value.field, caught.value.value) == ("highlight", "idea")


def test_a_highlight_must_be_a_trajectory_or_snapshot(process: cf.Process) -> None:
    """Any other value, a state name included, is invalid input."""
    with pytest.raises(cf.InvalidEventError) as caught:
        to_mermaid(process, highlight="stalled")  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("highlight", "stalled")


def test_a_remembered_state_outside_the_process_is_invalid(process: cf.Process) -> None:
    """A paused snapshot remembering a state the process lacks cannot be highlighted."""
    snapshot = cf.Snapshot("stalled", PARTIES, previous="pilot")
    with pytest.raises(cf.InvalidEventError) as caught:
        to_dot(process, highlight=snapshot)
    assert (caught.value.field, caught.value.value) == ("highlight", "pilot")


def test_only_a_process_can_be_drawn() -> None:
    """Anything but a Process is invalid input, named as the process argument."""
    with pytest.raises(cf.InvalidEventError) as caught:
        to_mermaid("tiny")  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("process", "tiny")
