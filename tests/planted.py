"""Processes with planted bugs: the checker must catch each one, with a shortest path.

Each builder returns a small process (or a variant of the default one) with exactly one kind of
mistake in it; `CAUGHT_BY_CHECK` says what `cf.check` must report for it, and `BUILD_BUGS`
lists the mistakes that building the process already refuses.
"""

from collections.abc import Callable

import attrs
from hypothesis import reject
from hypothesis import strategies as st

import coopflow as cf
from coopflow import guards, rules

DEFAULT = cf.default_process()


def state(id: str, *, terminal: bool = False, initial: bool = False) -> cf.State:
    """A state labelled in English and Dutch."""
    return cf.State(id, {"en": id.title(), "nl": id.upper()}, terminal=terminal, initial=initial)


def move(
    trigger: str,
    source: str | tuple[str, ...],
    dest: str,
    *conditions: guards.Guard,
    automatic: bool = False,
) -> cf.Transition:
    """A transition labelled in English and Dutch."""
    return cf.Transition(
        trigger,
        source=source,
        dest=dest,
        guards=conditions,
        automatic=automatic,
        labels={"en": trigger.title(), "nl": trigger.upper()},
    )


def extended(
    process: cf.Process,
    *transitions: cf.Transition,
    states: tuple[cf.State, ...] = (),
) -> cf.Process:
    """`process` with more states and transitions (validated again)."""
    return attrs.evolve(
        process,
        id=f"{process.id}-planted",
        states=process.states + states,
        transitions=process.transitions + transitions,
    )


def small_states(*names: str) -> tuple[cf.State, ...]:
    """``start`` (initial), the named states, and ``done`` (terminal)."""
    return (
        state("start", initial=True),
        *(state(name) for name in names),
        state("done", terminal=True),
    )


# --- mistakes check() must find -------------------------------------------------------------


def trap() -> cf.Process:
    """A non-terminal state one step from the start with no way out."""
    return cf.Process(
        "trap",
        small_states("trap"),
        (move("enter", "start", "trap"), move("finish", "start", "done")),
    )


def trap_two_ways() -> cf.Process:
    """The same trap, reached directly and through a detour."""
    return cf.Process(
        "trap-two-ways",
        small_states("detour", "trap"),
        (
            move("take_detour", "start", "detour"),
            move("enter", ("start", "detour"), "trap"),
            move("finish", ("start", "detour"), "done"),
        ),
    )


def overlapping() -> cf.Process:
    """Two transitions of trigger ``split`` from ``a``, guarded by trust and by energy."""
    return cf.Process(
        "overlapping",
        small_states("a", "b", "c"),
        (
            move("go", "start", "a"),
            move("split", "a", "b", guards.trust()),
            move("split", "a", "c", guards.energy()),
            move("finish", ("start", "a", "b", "c"), "done"),
        ),
    )


def shortcut() -> cf.Process:
    """The default process with a manual jump from exploring to agenda_setting: no trust gate."""
    return extended(DEFAULT, move("jump", "exploring", "agenda_setting"))


CONTRADICTION = guards.all_of(guards.trust(), guards.not_(guards.trust()))
TAUTOLOGY = guards.any_of(guards.trust(), guards.not_(guards.trust()))


def never_true() -> cf.Process:
    """The default process with a transition guarded by ``all_of(trust, not_(trust))``."""
    return extended(DEFAULT, move("leap", "exploring", "signing", CONTRADICTION))


def unreached_pilot() -> cf.Process:
    """The default process with a pilot state entered only through a guard that never holds."""
    return extended(
        DEFAULT,
        move("start_pilot", "exploring", "pilot", CONTRADICTION),
        move("end_pilot", "pilot", "dissolved"),
        states=(state("pilot"),),
    )


def loop() -> cf.Process:
    """Two automatic transitions a -> b and b -> a whose conditions can hold together."""
    return cf.Process(
        "loop",
        (state("a", initial=True), state("b"), state("done", terminal=True)),
        (
            move("finish", ("a", "b"), "done"),
            move("there", "a", "b", guards.culture_breached(), automatic=True),
            move("back", "b", "a", guards.energy_lost(), automatic=True),
        ),
    )


def limbo() -> cf.Process:
    """The default process with a state from which only dissolving, not completing, is left."""
    return extended(
        DEFAULT,
        move("drift", "exploring", "limbo"),
        move("give_up", "limbo", "dissolved"),
        states=(state("limbo"),),
    )


def circle() -> cf.Process:
    """Two states that only lead to each other: no end state is reachable from them."""
    return cf.Process(
        "circle",
        small_states("a", "b"),
        (
            move("go", "start", "a"),
            move("on", "a", "b"),
            move("round", "b", "a"),
            move("finish", "start", "done"),
        ),
    )


def reopened() -> cf.Process:
    """A ``closed`` state that looks final (a note keeps it closed) but can be reopened."""
    return cf.Process(
        "reopened",
        small_states("closed"),
        (
            move("close", "start", "closed"),
            move("note", "closed", "closed"),
            move("reopen", "closed", "start"),
            move("finish", "start", "done"),
        ),
    )


@attrs.frozen
class Planted:
    """A planted bug: its process, the rules to check too, and what check() must report."""

    name: str
    build: Callable[[], cf.Process]
    kind: str
    property: str
    length: int | None
    properties: tuple[rules.Rule, ...] = ()


PRECEDES_TRUST = rules.precedes("building_culture", "agenda_setting")

CAUGHT_BY_CHECK = (
    Planted("trap state", trap, "deadlock", "no_deadlock", 1),
    Planted("trap state, no end", trap, "no_terminal", "completion", 1),
    Planted("overlapping guards", overlapping, "nondeterministic", "determinism", 1),
    Planted("skipped trust gate", shortcut, "precedes", PRECEDES_TRUST.name, 1, (PRECEDES_TRUST,)),
    Planted("guard that never holds", never_true, "dead_transition", "no_dead_transitions", None),
    Planted("state behind a dead guard", unreached_pilot, "unreachable", "reachable", None),
    Planted("regression loop", loop, "regression_loop", "no_regression_loop", 2),
    Planted("completion impossible", limbo, "no_completion", "completion", 1),
    Planted("no end state reachable", circle, "no_terminal", "completion", 1),
    Planted(
        "final-looking state reopened",
        reopened,
        "changed_after",
        "never_after(closed)",
        2,
        (rules.never_after("closed"),),
    ),
)
"""Every mistake check() must report, with the minimal length of its path (None: no path)."""


# --- mistakes building the process refuses --------------------------------------------------


def orphan_state() -> cf.Process:
    """A state no transition leads to."""
    return extended(DEFAULT, states=(state("orphan"),))


def terminal_left() -> cf.Process:
    """A terminal state with a transition out of it."""
    return extended(DEFAULT, move("reopen", "completed", "operating"))


def state_without_dutch() -> cf.Process:
    """A state labelled in English only."""
    pilot = cf.State("pilot", {"en": "Pilot"})
    return extended(DEFAULT, move("start_pilot", "organising", "pilot"), states=(pilot,))


def transition_without_dutch() -> cf.Process:
    """A transition labelled in English only."""
    pause = cf.Transition("pause", source="operating", dest="stalled", labels={"en": "Pause"})
    return extended(DEFAULT, pause)


BUILD_BUGS: dict[Callable[[], cf.Process], str] = {
    orphan_state: "state 'orphan' cannot be reached from 'exploring'",
    terminal_left: "terminal state 'completed' has outgoing transitions",
    state_without_dutch: "state 'pilot' has no 'nl' label",
    transition_without_dutch: "transition 'pause' has no 'nl' label",
}
"""Each mistake that building refuses, with the problem it reports."""


# --- generated processes ------------------------------------------------------------------------

_GUARD_POOL: tuple[guards.Guard, ...] = (
    guards.trust(),
    guards.energy(),
    guards.common_ground(),
    guards.not_(guards.trust()),
    guards.all_of(guards.trust(), guards.energy()),
    guards.any_of(guards.reciprocity(), guards.completion()),
)
_CONDITION_POOL: tuple[guards.Guard, ...] = (
    guards.culture_breached(),
    guards.energy_lost(),
    guards.funding_lost(),
)


@st.composite
def generated_processes(draw: st.DrawFn) -> cf.Process:
    """Small random valid processes: a spine of manual steps plus random manual and automatic
    transitions with guards and conditions from small pools."""
    count = draw(st.integers(min_value=2, max_value=6))
    ids = [f"s{i}" for i in range(count)]
    terminal = set(ids[count - draw(st.integers(min_value=1, max_value=min(2, count - 1))) :])
    states = [state(i, initial=i == "s0", terminal=i in terminal) for i in ids]
    open_ids = [i for i in ids if i not in terminal]
    spine = [move(f"go{n}", ids[n], ids[n + 1]) for n in range(count - 1)]
    extra_manual = draw(
        st.lists(
            st.tuples(
                st.sampled_from(("t0", "t1", "t2")),
                st.sampled_from(open_ids),
                st.sampled_from(ids),
                st.lists(st.sampled_from(_GUARD_POOL), max_size=2),
            ),
            max_size=5,
        )
    )
    extra_automatic = draw(
        st.lists(
            st.tuples(
                st.sampled_from(open_ids),
                st.sampled_from(ids),
                st.lists(st.sampled_from(_CONDITION_POOL), min_size=1, max_size=2),
            ),
            max_size=3,
        )
    )
    transitions = spine + [
        move(trigger, source, dest, *conditions)
        for trigger, source, dest, conditions in extra_manual
    ]
    transitions += [
        move(f"auto{n}", source, dest, *conditions, automatic=True)
        for n, (source, dest, conditions) in enumerate(extra_automatic)
    ]
    try:
        return cf.Process("generated", states, transitions)
    except cf.InvalidProcessError:
        reject()  # a duplicated transition, say: not a process worth checking


# --- rules broken only deep in a run, for the stateful test --------------------------------------

DEEP_BYPASS = 6
"""The states ``b1`` ... ``b6`` of the bypass of a deep process."""


def deep(
    name: str,
    steps: tuple[guards.Guard, ...],
    *,
    automatic: frozenset[int] = frozenset(),
    vocabulary: cf.Vocabulary | None = None,
) -> cf.Process:
    """A process where ``target`` is entered without passing ``gate`` only along a long bypass.

    The short way is ``start -> gate -> target``; the bypass ``start -> b1 -> ... -> b6 ->
    target`` takes seven steps, guarded by `steps` (one guard per step; the steps numbered in
    `automatic` are automatic, their guard a condition). ``gate`` hops straight to ``b3`` ...
    ``b6``, so every shortest path to those states passes ``gate``: a run that breaks
    ``precedes(gate, target)`` takes at least five steps after any shortest path's end. From
    every bypass state one can also retreat to ``start`` or finish.
    """
    bypass = [f"b{n}" for n in range(1, DEEP_BYPASS + 1)]
    chain = ["start", *bypass, "target"]
    transitions = [
        move("open_gate", "start", "gate"),
        move("through", "gate", "target"),
        *(move(f"hop{n}", "gate", f"b{n}") for n in range(3, DEEP_BYPASS + 1)),
        *(
            move(
                f"step{n + 1}",
                chain[n],
                chain[n + 1],
                steps[n],
                automatic=n + 1 in automatic,
            )
            for n in range(len(chain) - 1)
        ),
        move("retreat", tuple(bypass), "start"),
        move("finish", ("start", "gate", *bypass, "target"), "done"),
    ]
    return cf.Process(
        name,
        small_states("gate", *bypass, "target"),
        transitions,
        vocabulary=vocabulary or cf.Vocabulary(),
    )


GATE_FIRST = rules.precedes("gate", "target")
"""The rule the deep processes break, only along their bypass."""

_OWN_WORDS = cf.Vocabulary(
    dimensions={"communication": {"en": "communication", "nl": "communicatie"}},
    facts={
        "council_approval": {"en": "council approval", "nl": "goedkeuring van de raad"},
        "mandate": cf.Fact({"en": "mandate", "nl": "mandaat"}, per_party=True),
    },
    tags={"backbone": {"en": "backbone organisation", "nl": "backbone-organisatie"}},
)


def deep_precedes() -> cf.Process:
    """The bypass guarded by the seed's cooperation guards, one after the other."""
    return deep(
        "deep-precedes",
        (
            guards.common_ground(),
            guards.trust(),
            guards.reciprocity(),
            guards.energy(),
            guards.agenda_approved(),
            guards.declaration_signed(),
            guards.roles_assigned(),
        ),
    )


def deep_completion() -> cf.Process:
    """The bypass ends with ``completion``: every theme of the approved agenda closed."""
    return deep(
        "deep-completion",
        (
            guards.common_ground(),
            guards.agenda_approved(),
            guards.trust(),
            guards.declaration_signed(),
            guards.energy(),
            guards.finances_covered(),
            guards.completion(),
        ),
    )


def deep_own_words() -> cf.Process:
    """The bypass guarded by a vocabulary's own dimensions, facts and tags."""
    return deep(
        "deep-own-words",
        (
            guards.score("communication"),
            guards.fact("council_approval"),
            guards.fact("mandate", parties={"tag": "backbone"}),
            guards.mean_score(["communication", "trust"], at_least=4.0),
            guards.not_(guards.fact("council_approval")),
            guards.fact("mandate", parties="all"),
            guards.score("communication", at_least=4.5, parties="any"),
        ),
        vocabulary=_OWN_WORDS,
    )


def deep_regressions() -> cf.Process:
    """The bypass takes two automatic regressions: a culture breach and lost energy."""
    return deep(
        "deep-regressions",
        (
            guards.common_ground(),
            guards.trust(),
            guards.culture_breached(),
            guards.energy(),
            guards.energy_lost(),
            guards.agenda_approved(),
            guards.reciprocity(),
        ),
        automatic=frozenset({3, 5}),
    )


DEEP_BUGS: dict[str, Callable[[], cf.Process]] = {
    "deep precedes": deep_precedes,
    "deep completion": deep_completion,
    "deep own words": deep_own_words,
    "deep regressions": deep_regressions,
}
"""Processes that break `GATE_FIRST` only at least five steps after any shortest path."""
