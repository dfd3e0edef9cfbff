"""Tests of a process's vocabulary: `Vocabulary` and `Fact`, `Process(vocabulary=)`, tags of
parties, scores on any declared dimension, the ``[vocabulary]`` table of process files (format 2,
format 1 upgraded), and fingerprints that leave labels out.
"""

import json
import os
import pathlib
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest

import coopflow as cf
from coopflow import guards
from tests.planted import move, state

AT = datetime(2021, 3, 1, 10, tzinfo=UTC)
COMMS = {"en": "continuous communication", "nl": "continue communicatie"}
COUNCIL = {"en": "council approval", "nl": "goedkeuring van de raad"}
MANDATE = {"en": "board mandate", "nl": "mandaat van het bestuur"}
BACKBONE = {"en": "backbone organisation", "nl": "backbone-organisatie"}
SEED_DIMENSIONS = ["trust", "voice", "stake", "urgency", "impact"]


def loose(value: object) -> Any:
    """Pass a deliberately ill-typed value past the type checker."""
    return value


def words() -> cf.Vocabulary:
    """A vocabulary with a word of every kind."""
    return cf.Vocabulary(
        dimensions={"communication": COMMS},
        facts={
            "council_approval": cf.Fact(COUNCIL),
            "board_mandate": cf.Fact(MANDATE, per_party=True),
        },
        roles={"backbone_lead": {"en": "backbone lead", "nl": "trekker"}},
        tags={"backbone": BACKBONE},
    )


def process(vocabulary: cf.Vocabulary | None = None, *conditions: guards.Guard) -> cf.Process:
    """A small process with `vocabulary` and a transition ``close`` guarded by `conditions`."""
    return cf.Process(
        "words",
        (state("open", initial=True), state("closed", terminal=True)),
        (move("close", "open", "closed", *conditions),),
        vocabulary=words() if vocabulary is None else vocabulary,
    )


# --- Vocabulary and Fact ------------------------------------------------------------------------


def test_the_seed_words_are_part_of_every_vocabulary() -> None:
    """An empty vocabulary has the seed's five dimensions and its role, no facts or tags."""
    empty = cf.Vocabulary()
    assert (list(empty.dimensions), list(empty.roles), dict(empty.facts), dict(empty.tags)) == (
        SEED_DIMENSIONS,
        ["programme_manager"],
        {},
        {},
    )


def test_given_words_are_added_after_the_seed_words() -> None:
    """A process's own words come after the seed's, with their labels."""
    vocabulary = words()
    assert (
        list(vocabulary.dimensions),
        list(vocabulary.roles),
        list(vocabulary.facts),
        list(vocabulary.tags),
        vocabulary.label("tag", "backbone", "nl"),
    ) == (
        [*SEED_DIMENSIONS, "communication"],
        ["programme_manager", "backbone_lead"],
        ["council_approval", "board_mandate"],
        ["backbone"],
        "backbone-organisatie",
    )


def test_a_seed_word_can_be_relabelled() -> None:
    """Giving a seed dimension keeps its place and takes the new labels."""
    vocabulary = cf.Vocabulary(
        dimensions={"trust": {"en": "mutual trust", "nl": "wederzijds vertrouwen"}}
    )
    assert (list(vocabulary.dimensions), vocabulary.label("dimension", "trust", "nl")) == (
        SEED_DIMENSIONS,
        "wederzijds vertrouwen",
    )


def test_a_fact_given_as_labels_is_a_fact_of_the_whole_trajectory() -> None:
    """A plain mapping of labels is read as a Fact without per_party."""
    vocabulary = cf.Vocabulary(facts={"council_approval": COUNCIL})
    assert vocabulary.facts["council_approval"] == cf.Fact(COUNCIL, per_party=False)


def test_a_vocabulary_is_read_only() -> None:
    """Its mappings cannot be changed after it is built, nor can the caller's dict change it."""
    given = {"communication": dict(COMMS)}
    vocabulary = cf.Vocabulary(dimensions=given)
    given["other"] = dict(COMMS)
    with pytest.raises(TypeError):
        loose(vocabulary.dimensions)["x"] = COMMS
    assert "other" not in vocabulary.dimensions


@pytest.mark.parametrize(
    ("build", "problems"),
    [
        (
            lambda: cf.Vocabulary(dimensions={"communication": {"en": "communication"}}),
            ("dimension 'communication' has no 'nl' label",),
        ),
        (
            lambda: cf.Vocabulary(dimensions={"": COMMS}),
            ("dimension id '' must be a non-empty string",),
        ),
        (
            lambda: cf.Vocabulary(roles={loose(3): COMMS}),
            ("role id 3 must be a non-empty string",),
        ),
        (
            lambda: cf.Vocabulary(tags={"backbone": loose("backbone")}),
            ("tag 'backbone' labels 'backbone' must map a locale to a text",),
        ),
        (
            lambda: cf.Vocabulary(tags={"backbone": {"en": " ", "nl": "\ud800"}}),
            ("tag 'backbone' has no 'en' label", "tag 'backbone' has no 'nl' label"),
        ),
        (
            lambda: cf.Vocabulary(facts={"council_approval": cf.Fact({"nl": "goedkeuring"})}),
            ("fact 'council_approval' has no 'en' label",),
        ),
        (
            lambda: cf.Vocabulary(facts={"council_approval": loose("approved")}),
            ("fact 'council_approval' 'approved' must be a Fact",),
        ),
        (
            lambda: cf.Vocabulary(dimensions=loose(["communication"])),
            ("vocabulary words ['communication'] must be a mapping",),
        ),
        (
            lambda: cf.Vocabulary(
                dimensions={"a": {"en": "a"}}, roles={"": COMMS}, tags={"t": {"nl": "t"}}
            ),
            (
                "dimension 'a' has no 'nl' label",
                "role id '' must be a non-empty string",
                "tag 't' has no 'en' label",
            ),
        ),
        (lambda: cf.Fact(loose("council")), ("labels 'council' must map a locale to a text",)),
        (lambda: cf.Fact(COUNCIL, per_party=loose(1)), ("Fact per_party 1 must be True or False",)),
    ],
)
def test_a_bad_vocabulary_names_every_problem(build: Any, problems: tuple[str, ...]) -> None:
    """A missing label, an empty id or a value of the wrong type is an InvalidProcessError."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        build()
    assert caught.value.problems == problems


@pytest.mark.parametrize(
    ("kind", "id"),
    [
        ("dimension", "communication"),
        ("fact", "board_mandate"),
        ("role", "backbone_lead"),
        ("tag", "backbone"),
    ],
)
def test_words_of_each_kind_are_declared_and_labelled(kind: str, id: str) -> None:
    """words, declares, label and labels agree for every kind of word."""
    vocabulary = words()
    labels = vocabulary.labels(kind, id)
    assert (
        id in vocabulary.words(kind),
        vocabulary.declares(kind, id),
        vocabulary.declares(kind, "unheard_of"),
        vocabulary.label(kind, id, "en"),
        vocabulary.label(kind, id, "nl"),
    ) == (True, True, False, labels["en"], labels["nl"])


def test_label_defaults_to_english() -> None:
    """label without a locale is the English label."""
    assert words().label("fact", "council_approval") == "council approval"


@pytest.mark.parametrize(
    ("call", "kind", "name"),
    [
        (lambda v: v.words("colour"), "kind of word", "colour"),
        (lambda v: v.declares("colour", "red"), "kind of word", "colour"),
        (lambda v: v.label("dimension", "unheard_of"), "dimension", "unheard_of"),
        (lambda v: v.label("dimension", "trust", "fr"), "locale", "fr"),
    ],
)
def test_asking_for_an_unknown_word_is_an_unknown_name_error(
    call: Any, kind: str, name: str
) -> None:
    """An unknown kind of word, an undeclared word or an unknown locale is named."""
    with pytest.raises(cf.UnknownNameError) as caught:
        call(words())
    assert (caught.value.kind, caught.value.name) == (kind, name)


@pytest.mark.parametrize(("kind", "id"), [("colour", "red"), ("dimension", "unheard_of")])
def test_labels_of_an_unknown_word_are_empty(kind: str, id: str) -> None:
    """labels never raises: an unknown word has no labels."""
    assert dict(words().labels(kind, id)) == {}


# --- the vocabulary of a process ----------------------------------------------------------------


def test_the_default_process_declares_the_seed_words() -> None:
    """The default process's vocabulary is the seed's: five dimensions and its role."""
    vocabulary = cf.default_process().vocabulary
    assert (list(vocabulary.dimensions), list(vocabulary.roles)) == (
        [d.value for d in cf.Dimension],
        ["programme_manager"],
    )


def test_a_process_without_a_vocabulary_has_the_seed_s() -> None:
    """Process() without vocabulary= has the seed's words."""
    p = cf.Process(
        "bare",
        (state("open", initial=True), state("closed", terminal=True)),
        (move("close", "open", "closed"),),
    )
    assert p.vocabulary == cf.Vocabulary()


def test_a_process_vocabulary_must_be_a_vocabulary() -> None:
    """Anything else than a Vocabulary is refused, naming it."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        process(loose({"dimensions": {}}))
    assert caught.value.problems == ("Process vocabulary {'dimensions': {}} must be a Vocabulary",)


def test_a_label_in_another_locale_must_be_valid_unicode() -> None:
    """Labels in locales coopflow does not speak are kept, and must be writable as UTF-8."""
    labels = {**COMMS, "fr": "\ud800"}
    with pytest.raises(cf.InvalidProcessError) as caught:
        process(cf.Vocabulary(dimensions={"communication": labels}))
    assert caught.value.problems == (
        "'\\ud800' is not valid Unicode text (it cannot be written as UTF-8)",
    )


def test_a_success_state_must_be_terminal() -> None:
    """success=True on a state that is not terminal is refused."""
    labels = {"en": "Done", "nl": "Klaar"}
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.Process(
            "x",
            (
                state("open", initial=True),
                cf.State("done", labels, success=True),
                state("closed", terminal=True),
            ),
            (move("finish", "open", "done"), move("close", "done", "closed")),
        )
    assert caught.value.problems == ("success state 'done' must be terminal",)


@pytest.mark.parametrize("value", [1, "yes", None])
def test_success_must_be_a_flag(value: object) -> None:
    """State(success=...) takes True or False only."""
    with pytest.raises(cf.InvalidProcessError):
        cf.State("done", {"en": "Done", "nl": "Klaar"}, terminal=True, success=loose(value))


# --- events over the vocabulary -----------------------------------------------------------------


def test_a_score_on_a_declared_dimension_is_recorded() -> None:
    """Assessed takes any dimension the process declares."""
    t = cf.Trajectory.start(process(), parties=[cf.Party("a"), cf.Party("b")], at=AT)
    t.record(cf.Assessed("a", "communication", 4), at=AT)
    assert t.snapshot.score("a", "communication") == 4.0


def test_a_score_on_an_undeclared_dimension_is_refused_and_changes_nothing() -> None:
    """An undeclared dimension is an InvalidEventError naming it."""
    t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")], at=AT)
    before = t.snapshot
    with pytest.raises(cf.InvalidEventError) as caught:
        t.record(cf.Assessed("a", "communication", 4), at=AT)
    assert (caught.value.field, caught.value.value, t.snapshot) == (
        "dimension",
        "communication",
        before,
    )


def test_a_seed_dimension_as_a_string_is_the_enum_member() -> None:
    """ "trust" and cf.Dimension.TRUST are the same dimension, in events and in the snapshot."""
    t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")], at=AT)
    t.record(cf.Assessed("a", "trust", 4), at=AT)
    t.record(cf.Assessed("b", cf.Dimension.TRUST, 2), at=AT)
    assert (
        t.snapshot.score("a", cf.Dimension.TRUST),
        t.snapshot.score("b", "trust"),
        cf.Assessed("a", "trust", 4) == cf.Assessed("a", cf.Dimension.TRUST, 4),
    ) == (4.0, 2.0, True)


@pytest.mark.parametrize("dimension", ["", "  ", None, 3, "\ud800"])
def test_a_dimension_that_is_no_id_is_refused(dimension: object) -> None:
    """An Assessed dimension must be a non-empty id."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.Assessed("a", loose(dimension), 4)
    assert caught.value.field == "dimension"


def test_party_tags_are_a_set_of_ids() -> None:
    """tags takes any collection of ids and keeps them as a frozenset."""
    party = cf.Party("x", tags=["backbone", "funder", "backbone"])
    assert (party.tags, cf.Party("y").tags) == (frozenset({"backbone", "funder"}), frozenset())


@pytest.mark.parametrize("tags", ["backbone", ["backbone", ""], [3], 7])
def test_bad_party_tags_are_refused(tags: object) -> None:
    """One string, an empty id or a value that is no id is an InvalidEventError."""
    with pytest.raises(cf.InvalidEventError) as caught:
        cf.Party("x", tags=loose(tags))
    assert caught.value.field == "tags"


# --- the vocabulary in files --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_a_process_with_a_vocabulary_round_trips_through_a_file(
    tmp_path: pathlib.Path, suffix: str
) -> None:
    """Writing and reading a process keeps its vocabulary and its generic guards."""
    p = process(
        words(),
        guards.score("communication", parties={"tag": "backbone"}),
        guards.fact("board_mandate", parties={"role": "backbone_lead"}),
        guards.fact("council_approval"),
    )
    path = tmp_path / f"words{suffix}"
    p.to_file(path)
    loaded = cf.Process.from_file(path)
    assert (loaded, loaded.vocabulary, loaded.fingerprint) == (p, p.vocabulary, p.fingerprint)


TOML = """
format = 2
kind = "process"
id = "collective"

[vocabulary.dimensions.communication]
en = "continuous communication"
nl = "continue communicatie"

[vocabulary.facts.board_mandate]
labels = { en = "board mandate", nl = "mandaat van het bestuur" }
per_party = true

[vocabulary.facts.council_approval]
labels = { en = "council approval", nl = "goedkeuring van de raad" }

[vocabulary.tags.backbone]
en = "backbone organisation"
nl = "backbone-organisatie"

[[states]]
id = "open"
initial = true
labels = { en = "Open", nl = "Open" }

[[states]]
id = "done"
terminal = true
success = true
labels = { en = "Done", nl = "Klaar" }

[[transitions]]
trigger = "finish"
source = ["open"]
dest = "done"
labels = { en = "Finish", nl = "Afronden" }
guards = [
    { kind = "score", dimension = "communication", at_least = 4.0, parties = { tag = "backbone" } },
    { kind = "fact", fact = "board_mandate", parties = "all" },
]
"""


def test_a_toml_file_declares_its_vocabulary_in_a_vocabulary_table(tmp_path: pathlib.Path) -> None:
    """A [vocabulary] table declares dimensions, facts (per party or not) and tags."""
    path = tmp_path / "collective.toml"
    path.write_text(TOML, encoding="utf-8")
    p = cf.Process.from_file(path)
    assert (
        p.vocabulary.label("dimension", "communication", "nl"),
        p.vocabulary.facts["board_mandate"].per_party,
        p.vocabulary.facts["council_approval"].per_party,
        p.state("done").success,
        p.transitions[0].guards,
    ) == (
        "continue communicatie",
        True,
        False,
        True,
        (
            guards.score("communication", at_least=4.0, parties={"tag": "backbone"}),
            guards.fact("board_mandate", parties="all"),
        ),
    )


def document(**vocabulary: Any) -> dict[str, Any]:
    """A process document of format 2 with the given vocabulary table."""
    data = cf.to_dict(process(cf.Vocabulary()))
    data["vocabulary"] = vocabulary
    return data


@pytest.mark.parametrize(
    ("vocabulary", "problem"),
    [
        ({"colours": {}}, "vocabulary has an unknown key 'colours'"),
        ({"dimensions": ["communication"]}, "vocabulary dimensions must be a table"),
        (
            {"dimensions": {"communication": "talk"}},
            "dimensions 'communication' labels must be a table",
        ),
        (
            {"dimensions": {"communication": {"en": "talk", "nl": 3}}},
            "dimensions 'communication' labels must map a locale to a text",
        ),
        (
            {"dimensions": {"communication": {"en": "talk"}}},
            "dimension 'communication' has no 'nl' label",
        ),
        ({"tags": {"backbone": {"en": "backbone"}}}, "tag 'backbone' has no 'nl' label"),
        ({"roles": {"chair": ["chair"]}}, "roles 'chair' labels must be a table"),
        ({"facts": ["council_approval"]}, "vocabulary facts must be a table"),
        ({"facts": {"council_approval": COUNCIL}}, "fact 'council_approval' lacks 'labels'"),
        ({"facts": {"council_approval": "yes"}}, "fact 'council_approval' must be a table"),
        (
            {"facts": {"council_approval": {"labels": COUNCIL, "holds": True}}},
            "fact 'council_approval' has an unknown key 'holds'",
        ),
        (
            {"facts": {"council_approval": {"labels": COUNCIL, "per_party": "yes"}}},
            "Fact per_party 'yes' must be True or False",
        ),
        (
            {"facts": {"council_approval": {"labels": "approved"}}},
            "fact 'council_approval' labels must be a table",
        ),
    ],
)
def test_a_bad_vocabulary_table_is_an_invalid_process_error(vocabulary: Any, problem: str) -> None:
    """Every part of the [vocabulary] table is checked, naming what is wrong."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.loads(json.dumps(document(**vocabulary)), cf.Process)
    assert any(p.startswith(problem) for p in caught.value.problems), caught.value.problems


def test_a_vocabulary_that_is_no_table_is_refused() -> None:
    """The vocabulary must be a table."""
    data = cf.to_dict(process(cf.Vocabulary()))
    data["vocabulary"] = ["communication"]
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.loads(json.dumps(data), cf.Process)
    assert caught.value.problems[0].startswith("vocabulary must be a table")


# --- format 1 -----------------------------------------------------------------------------------


def format_1(p: cf.Process) -> dict[str, Any]:
    """`p` written as a format-1 document: no vocabulary, no success flags."""
    data = cf.to_dict(p)
    data["format"] = 1
    del data["vocabulary"]
    for item in data["states"]:
        del item["success"]
    return data


def test_a_format_1_document_loads_with_the_seed_vocabulary() -> None:
    """Format 1 had no vocabulary: it loads with the seed's words."""
    p = cf.Process(
        "old",
        (
            state("open", initial=True),
            state("completed", terminal=True),
            state("dropped", terminal=True),
        ),
        (move("finish", "open", "completed"), move("drop", "open", "dropped")),
    )
    loaded = cf.loads(json.dumps(format_1(p)), cf.Process)
    assert (loaded.vocabulary, [s.id for s in loaded.states if s.success]) == (
        cf.Vocabulary(),
        ["completed"],
    )


def test_a_format_1_state_completed_that_is_not_terminal_is_no_success() -> None:
    """Only a terminal state named completed becomes the success state of a format-1 process."""
    p = cf.Process(
        "old",
        (state("open", initial=True), state("completed"), state("closed", terminal=True)),
        (move("finish", "open", "completed"), move("close", "completed", "closed")),
    )
    loaded = cf.loads(json.dumps(format_1(p)), cf.Process)
    assert [s.id for s in loaded.states if s.success] == []


@pytest.mark.parametrize("key", ["vocabulary", "success"])
def test_a_format_1_document_cannot_hold_format_2_keys(key: str) -> None:
    """A vocabulary or a success flag in a format-1 document is an unknown key."""
    data = cf.to_dict(process(cf.Vocabulary()))
    data["format"] = 1
    if key == "vocabulary":
        for item in data["states"]:
            del item["success"]
    else:
        del data["vocabulary"]
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.loads(json.dumps(data), cf.Process)
    assert any(f"unknown key '{key}'" in p for p in caught.value.problems)


@pytest.mark.parametrize("format", [0, 3, True, "2", None])
def test_an_unknown_format_is_refused(format: object) -> None:
    """Only formats 1 and 2 load (a bool is not a format)."""
    data = format_1(process(cf.Vocabulary()))
    data["format"] = format
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.loads(json.dumps(data), cf.Process)
    assert "unsupported document" in caught.value.problems[0]


def test_a_format_1_trajectory_loads_against_a_relabelled_process() -> None:
    """A format-1 trajectory's fingerprint covered labels: not compared; id and version are."""
    p = process(cf.Vocabulary())
    t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")], at=AT)
    data = cf.to_dict(t)
    data["format"] = 1
    data["process"]["fingerprint"] = "sha256:" + "0" * 64
    assert cf.loads(json.dumps(data), process=p) == t


# --- fingerprints of behaviour ------------------------------------------------------------------


def relabel(p: cf.Process) -> cf.Process:
    """`p` with every label of states, transitions and vocabulary words changed."""
    states = tuple(attrs.evolve(s, labels={"en": s.id + "!", "nl": s.id + "?"}) for s in p.states)
    transitions = tuple(
        attrs.evolve(t, labels={"en": t.trigger + "!", "nl": t.trigger + "?"})
        for t in p.transitions
    )
    other = {"en": "other", "nl": "ander"}
    vocabulary = cf.Vocabulary(
        dimensions=dict.fromkeys(p.vocabulary.dimensions, other),
        facts={id: cf.Fact(other, per_party=f.per_party) for id, f in p.vocabulary.facts.items()},
        roles=dict.fromkeys(p.vocabulary.roles, other),
        tags=dict.fromkeys(p.vocabulary.tags, other),
    )
    return attrs.evolve(p, states=states, transitions=transitions, vocabulary=vocabulary)


def test_correcting_labels_keeps_the_fingerprint() -> None:
    """Labels are for people: changing every one leaves the fingerprint as it is."""
    p = process()
    relabelled = relabel(p)
    assert (relabelled == p, relabelled.fingerprint == p.fingerprint) == (False, True)


def test_the_default_process_relabelled_keeps_its_fingerprint() -> None:
    """Correcting a Dutch label of the default process changes nothing stored trajectories need."""
    p = cf.default_process()
    assert relabel(p).fingerprint == p.fingerprint


def test_a_stored_trajectory_loads_after_its_labels_were_corrected() -> None:
    """A trajectory stored under one labelling loads against the corrected process."""
    p = process()
    t = cf.Trajectory.start(p, parties=[cf.Party("a", tags={"backbone"}), cf.Party("b")], at=AT)
    t.record(cf.Assessed("a", "communication", 4), at=AT)
    t.record(cf.FactRecorded("council_approval"), at=AT)
    loaded = cf.loads(cf.dumps(t), process=relabel(p))
    assert (loaded.snapshot.registers, loaded.state) == (t.snapshot.registers, t.state)


@pytest.mark.parametrize(
    "change",
    [
        lambda v: cf.Vocabulary(
            dimensions={**v.dimensions, "budgeting": COMMS},
            facts=v.facts,
            roles=v.roles,
            tags=v.tags,
        ),
        lambda v: cf.Vocabulary(
            dimensions=v.dimensions,
            facts={**v.facts, "council_approval": cf.Fact(COUNCIL, per_party=True)},
            roles=v.roles,
            tags=v.tags,
        ),
        lambda v: cf.Vocabulary(dimensions=v.dimensions, facts=v.facts, roles=v.roles, tags={}),
        lambda v: cf.Vocabulary(
            dimensions=v.dimensions, facts=v.facts, roles={**v.roles, "chair": COMMS}, tags=v.tags
        ),
    ],
    ids=["dimension-added", "fact-made-per-party", "tag-removed", "role-added"],
)
def test_changing_the_words_changes_the_fingerprint(change: Any) -> None:
    """Which words a process declares, and how a fact is recorded, are behaviour."""
    p = process()
    changed = attrs.evolve(p, vocabulary=change(p.vocabulary))
    assert changed.fingerprint != p.fingerprint


FINGERPRINT_OF_SETS = """
import coopflow as cf
from coopflow import guards
from tests.test_vocabulary import process, words
ids = {"alpha", "beta", "gamma", "delta"}
p = process(
    words(),
    guards.score("communication", parties=ids),
    guards.mean_score({"trust", "voice", "stake", "communication"}),
)
print(p.fingerprint)
"""


def test_a_process_built_from_sets_has_one_fingerprint_in_every_run() -> None:
    """Guards given sets are the same in every interpreter, whatever its hash seed, so a
    trajectory stored in one run loads in the next."""
    root = pathlib.Path(__file__).resolve().parent.parent
    prints = {
        subprocess.run(
            [sys.executable, "-c", FINGERPRINT_OF_SETS],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(3)
    }
    assert len(prints) == 1


def test_declaring_a_success_state_changes_the_fingerprint() -> None:
    """Which terminal state counts as success is behaviour."""
    p = process(cf.Vocabulary())
    done = attrs.evolve(p.states[1], success=True)
    assert attrs.evolve(p, states=(p.states[0], done)).fingerprint != p.fingerprint
