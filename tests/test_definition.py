"""Tests of process definitions as data: guards by kind, documents, files, fingerprints."""

import json
import pathlib
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any, ClassVar

import attrs
import pytest
from hypothesis import given, settings

import coopflow as cf
from coopflow import _definition, guards
from coopflow.guards import _registry
from coopflow.guards import _scores as gs
from tests import strategies
from tests.planted import generated_processes


@pytest.fixture
def registry() -> Iterator[None]:
    """Keep kinds registered by a test out of the other tests."""
    saved = dict(_registry._REGISTRY)
    yield
    _registry._REGISTRY.clear()
    _registry._REGISTRY.update(saved)


def test_every_built_in_guard_round_trips_with_its_parameters() -> None:
    """Each built-in guard, parameters and combinators included, comes back equal."""
    samples: list[guards.Guard] = [
        guards.common_ground(),
        guards.trust(threshold=4),
        guards.reciprocity(),
        guards.equal_standing(max_share=0.4),
        guards.energy(),
        guards.agenda_approved(),
        guards.declaration_signed(),
        guards.roles_assigned(roles=["secretary", "treasurer"]),
        guards.finances_covered(coverage=0.8),
        guards.completion(),
        guards.came_from("signing"),
        guards.quorum_lost(),
        guards.declaration_incomplete(),
        guards.culture_breached(),
        guards.energy_lost(),
        guards.funding_lost(),
        guards.all_of(guards.trust(), guards.not_(guards.energy_lost())),
        guards.any_of(guards.trust(threshold=3.0), guards.completion()),
    ]
    for guard in samples:
        data = _definition.guard_to_data(guard)
        assert _definition.guard_from_data(json.loads(json.dumps(data))) == guard


def test_guard_data_names_the_kind_and_leaves_out_defaults() -> None:
    """A guard is its kind plus the parameters that are set."""
    assert _definition.guard_to_data(guards.trust()) == {"kind": "trust"}
    assert _definition.guard_to_data(guards.not_(guards.trust(threshold=4.0))) == {
        "kind": "not",
        "guard": {"kind": "trust", "threshold": 4.0},
    }


def test_a_registered_custom_guard_round_trips_in_a_process(registry: None) -> None:
    """A custom guard serialises by kind name and parameters, like the built-ins."""

    @guards.register("test_budget_floor")
    @attrs.frozen
    class BudgetFloor:
        kind: ClassVar[str]
        minimum: float

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            budget = snapshot.registers.budget or 0
            return cf.GuardResult(self.kind, budget >= self.minimum)

    p = cf.default_process()
    start = next(t for t in p.transitions if t.trigger == "start")
    changed = attrs.evolve(start, guards=(*start.guards, BudgetFloor(50_000.0)))
    mine = attrs.evolve(
        p,
        id="with-floor",
        transitions=tuple(changed if t is start else t for t in p.transitions),
    )
    assert cf.loads(cf.dumps(mine), cf.Process) == mine
    assert cf.from_dict(cf.to_dict(mine), cf.Process).fingerprint == mine.fingerprint


def test_an_unregistered_guard_cannot_be_serialised() -> None:
    """A guard class that is not registered has no kind to write."""

    @attrs.frozen
    class Loose:
        kind: ClassVar[str] = "loose"

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, True)

    with pytest.raises(cf.UnknownNameError):
        _definition.guard_to_data(Loose())


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "no_such_guard"}, cf.UnknownNameError),
        ({"kind": 3}, cf.InvalidProcessError),
        ("trust", cf.InvalidProcessError),
        ({"kind": "trust", "threshold": "4"}, cf.InvalidProcessError),
        ({"kind": "trust", "threshold": True}, cf.InvalidProcessError),
        ({"kind": "trust", "cutoff": 4.0}, cf.InvalidProcessError),
        ({"kind": "roles_assigned", "roles": "chair"}, cf.InvalidProcessError),
        ({"kind": "came_from"}, cf.InvalidProcessError),
        ({"kind": "came_from", "state": 1}, cf.InvalidProcessError),
        ({"kind": "came_from", "state": " "}, cf.InvalidProcessError),
        ({"kind": "not", "guard": {"kind": "os.system"}}, cf.UnknownNameError),
        ({"kind": "all_of", "guards": [{"kind": "trust"}, 7]}, cf.InvalidProcessError),
    ],
)
def test_bad_guard_data_is_refused_without_running_anything(
    data: object, error: type[Exception]
) -> None:
    """Unknown kinds name themselves; bad parameters are InvalidProcessError."""
    with pytest.raises(error):
        _definition.guard_from_data(data)


def test_process_documents_round_trip_exactly(process: cf.Process) -> None:
    """JSON and dict round trips give an equal process with the same fingerprint."""
    again = cf.loads(cf.dumps(process), cf.Process)
    assert again == process
    assert again.fingerprint == process.fingerprint
    assert cf.from_dict(cf.to_dict(process), cf.Process) == process


def test_settings_with_a_score_age_round_trip() -> None:
    """max_score_age is written as an ISO 8601 duration and read back."""
    p = cf.default_process(settings=cf.Settings(max_score_age=timedelta(days=30, hours=6)))
    assert cf.to_dict(p)["settings"]["max_score_age"] == "P30DT6H"
    assert cf.loads(cf.dumps(p), cf.Process) == p


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (timedelta(days=30), "P30D"),
        (timedelta(hours=12), "PT12H"),
        (timedelta(minutes=90), "PT1H30M"),
        (timedelta(days=1, seconds=0.5), "P1DT0.5S"),
    ],
)
def test_durations_are_iso_8601(value: timedelta, text: str) -> None:
    """Durations are written in ISO 8601 and parsed back."""
    assert _definition.duration_to_text(value) == text
    assert _definition.text_to_duration(text) == value


@pytest.mark.parametrize("text", ["P", "PT", "30 days", "P-1D", 30, None])
def test_bad_durations_are_refused(text: object) -> None:
    """Anything but a duration like P30D is an InvalidProcessError."""
    with pytest.raises(cf.InvalidProcessError):
        _definition.text_to_duration(text)


def test_the_fingerprint_covers_behaviour_not_labels(process: cf.Process) -> None:
    """A relabelled state keeps the fingerprint, a renamed one changes it; equal is equal."""
    first = process.states[0]
    relabelled = attrs.evolve(first, labels={"en": "Discovery", "nl": "Ontdekkingstocht"})
    other = attrs.evolve(process, states=(relabelled, *process.states[1:]))
    assert other.fingerprint == process.fingerprint
    stricter = attrs.evolve(process, settings=cf.Settings(entry_threshold=4.0))
    assert stricter.fingerprint != process.fingerprint
    assert attrs.evolve(process).fingerprint == process.fingerprint
    assert process.fingerprint == process.fingerprint


def _document(process: cf.Process) -> dict[str, Any]:
    return cf.to_dict(process)


@pytest.mark.parametrize(
    "edit",
    [
        lambda d: d.update(format=3),
        lambda d: d.update(format=True),
        lambda d: d.update(kind="trajectory"),
        lambda d: d.pop("states"),
        lambda d: d.update(colour="blue"),
        lambda d: d.update(states="exploring"),
        lambda d: d["states"][0].update(labels="Exploration"),
        lambda d: d["states"][0].update(labels={"en": 1, "nl": "Verkenning"}),
        lambda d: d["states"][0].update(initial="yes"),
        lambda d: d["transitions"][0].update(guards={"kind": "trust"}),
        lambda d: d["transitions"][0].update(source=7),
        lambda d: d["transitions"][0].update(dest="nowhere"),
        lambda d: d["settings"].update(scale="1-5"),
        lambda d: d["settings"].update(entry_threshold=2.0),
        lambda d: d["settings"].update(max_score_age="a month"),
        lambda d: d["settings"].update({1: 2}),
        lambda d: d.update(settings=[]),
    ],
)
def test_bad_process_documents_are_refused(process: cf.Process, edit: Any) -> None:
    """Every kind of damage is an InvalidProcessError, never a half-built process."""
    data = _document(process)
    edit(data)
    with pytest.raises(cf.InvalidProcessError):
        cf.from_dict(data, cf.Process)


def test_a_transition_source_may_be_one_state_id(process: cf.Process) -> None:
    """A hand-written file may give one source as a string."""
    data = _document(process)
    data["transitions"][0]["source"] = "exploring"
    assert cf.from_dict(data, cf.Process) == process


def test_optional_keys_take_their_defaults(process: cf.Process) -> None:
    """Flags, labels, guards, settings and version may be left out of a hand-written file."""
    data = {
        "format": 1,
        "kind": "process",
        "id": "tiny",
        "states": [
            {"id": "a", "initial": True, "labels": {"en": "A", "nl": "A"}},
            {"id": "b", "terminal": True, "labels": {"en": "B", "nl": "B"}},
        ],
        "transitions": [
            {"trigger": "go", "source": ["a"], "dest": "b", "labels": {"en": "Go", "nl": "Ga"}}
        ],
    }
    tiny = cf.from_dict(data, cf.Process)
    assert (tiny.version, tiny.settings, tiny.transitions[0].guards) == ("1", cf.Settings(), ())


@pytest.mark.parametrize("suffix", [".json", ".toml", ".JSON"])
def test_files_round_trip(process: cf.Process, tmp_path: pathlib.Path, suffix: str) -> None:
    """to_file and from_file agree for JSON and TOML, whatever the case of the suffix."""
    path = tmp_path / f"process{suffix}"
    process.to_file(path)
    assert cf.Process.from_file(path) == process
    assert cf.Process.from_file(str(path)) == process


def test_files_need_a_known_suffix(process: cf.Process, tmp_path: pathlib.Path) -> None:
    """Only .json and .toml are understood, for reading and writing."""
    with pytest.raises(cf.UnknownNameError):
        process.to_file(tmp_path / "process.yaml")
    (tmp_path / "process.yaml").write_text("id: x", encoding="utf-8")
    with pytest.raises(cf.UnknownNameError):
        cf.Process.from_file(tmp_path / "process.yaml")


@pytest.mark.parametrize(
    ("text", "toml"),
    [
        ("{", False),
        ("[[[", True),
        (b"\xff\xfe", True),
        ("[" * 100_000 + "]" * 100_000, False),
        ("format = 1\nkind = 'process'", True),
    ],
)
def test_text_that_is_not_a_process_is_refused(text: str | bytes, toml: bool) -> None:
    """Broken JSON or TOML, bad bytes and absurd nesting are InvalidProcessError."""
    with pytest.raises(cf.InvalidProcessError):
        _definition.process_from_text(text, toml=toml)


def test_toml_bytes_are_read_as_utf8(process: cf.Process) -> None:
    """TOML given as bytes is decoded as UTF-8."""
    from coopflow import _toml

    text = _toml.dumps(cf.to_dict(process)).encode("utf-8")
    assert _definition.process_from_text(text, toml=True) == process


def test_deeply_nested_guards_are_refused() -> None:
    """A guard nested beyond recursion limits is an InvalidProcessError, not a crash."""
    depth = 5000
    guard = '{"kind": "not", "guard": ' * depth + '{"kind": "trust"}' + "}" * depth
    data = cf.to_dict(cf.default_process())
    data["transitions"][0]["guards"] = ["GUARD"]
    text = json.dumps(data).replace('"GUARD"', guard)
    with pytest.raises(cf.InvalidProcessError):
        _definition.process_from_text(text)


def test_a_guard_whose_class_is_not_the_registered_one_cannot_be_serialised() -> None:
    """A subclass inherits a kind name but is not what the registry would load."""

    @attrs.frozen
    class StricterTrust(gs.Trust):
        pass

    with pytest.raises(cf.InvalidProcessError):
        _definition.guard_to_data(StricterTrust(threshold=4.0))


def test_guards_nested_too_deeply_are_refused_before_building() -> None:
    """JSON that parses but nests guards past the limit is an InvalidProcessError."""
    depth = 400
    guard = '{"kind": "not", "guard": ' * depth + '{"kind": "trust"}' + "}" * depth
    data = cf.to_dict(cf.default_process())
    data["transitions"][0]["guards"] = ["GUARD"]
    text = json.dumps(data).replace('"GUARD"', guard)
    with pytest.raises(cf.InvalidProcessError, match="more than 64 deep"):
        _definition.process_from_text(text)
    with pytest.raises(cf.InvalidProcessError, match="more than 64 deep"):
        cf.from_dict(json.loads(text), cf.Process)


def test_guards_nested_within_the_limit_load() -> None:
    """Sixty-odd levels of combinators are a legitimate, if odd, definition."""
    guard: dict[str, Any] = {"kind": "trust"}
    for _ in range(30):
        guard = {"kind": "not", "guard": {"kind": "not", "guard": guard}}
    data = cf.to_dict(cf.default_process())
    data["transitions"][0]["guards"] = [guard]
    loaded = cf.from_dict(data, cf.Process)
    assert cf.from_dict(cf.to_dict(loaded), cf.Process) == loaded


@pytest.mark.parametrize("text", ["P1000000000D", "P99999999999999999999D"])
def test_durations_too_long_for_a_timedelta_are_refused(text: str) -> None:
    """A duration beyond what a timedelta holds is an InvalidProcessError."""
    with pytest.raises(cf.InvalidProcessError, match="too long"):
        _definition.text_to_duration(text)


@pytest.mark.parametrize(
    "text", ["PT0.0000015S", "PT1.2345678S", "PT0.000001S", "P3DT4H5M6.07S", "PT59M"]
)
def test_durations_read_back_exactly_after_one_load(text: str) -> None:
    """What a loaded duration writes reads back to the same timedelta."""
    value = _definition.text_to_duration(text)
    assert _definition.text_to_duration(_definition.duration_to_text(value)) == value


def test_labels_that_are_not_unicode_text_are_refused(process: cf.Process) -> None:
    """A lone surrogate cannot be written as UTF-8, so a definition holding one is invalid."""
    data = cf.to_dict(process)
    data["states"][0]["labels"]["en"] = "\ud800"
    with pytest.raises(cf.InvalidProcessError, match="not valid Unicode"):
        cf.from_dict(data, cf.Process)


def test_huge_integers_are_shown_without_failing() -> None:
    """An int too long to print still gives a readable InvalidProcessError."""
    with pytest.raises(cf.InvalidProcessError, match="too large to show"):
        cf.from_dict(10**5000, cf.Process)


@settings(max_examples=50, deadline=None)
@given(generated_processes())
def test_generated_processes_round_trip_and_behave_the_same(process: cf.Process) -> None:
    """JSON and TOML round trips of generated processes are equal and check the same."""
    from coopflow import _toml

    again = cf.loads(cf.dumps(process), cf.Process)
    from_toml = _definition.process_from_text(_toml.dumps(cf.to_dict(process)), toml=True)
    assert (again, from_toml) == (process, process)
    assert again.fingerprint == from_toml.fingerprint == process.fingerprint
    assert cf.check(again).violations == cf.check(process).violations


# --- durations: the ISO 8601 grammar -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("P1W", timedelta(weeks=1)),
        ("P2W", timedelta(weeks=2)),
        ("P1W3D", timedelta(days=10)),
        ("P1.5W", timedelta(days=10, hours=12)),
        ("P0.5D", timedelta(hours=12)),
        ("P1,5D", timedelta(days=1, hours=12)),
        ("PT1.5H", timedelta(minutes=90)),
        ("PT0,25M", timedelta(seconds=15)),
        ("P2DT3H4M5S", timedelta(days=2, hours=3, minutes=4, seconds=5)),
        ("PT36H", timedelta(days=1, hours=12)),
        ("PT0.0000025S", timedelta(microseconds=2)),  # half to even, below a microsecond
        ("PT0.0000035S", timedelta(microseconds=4)),
        ("P999999999DT23H59M59.999999S", timedelta.max),
    ],
)
def test_durations_follow_the_iso_8601_grammar(text: str, value: timedelta) -> None:
    """Weeks, fractions (point or comma) on the last component, and any mix of the others."""
    assert _definition.text_to_duration(text) == value


@pytest.mark.parametrize(
    "text",
    [
        "P1DT",  # a T with no time after it
        "P30D\n",
        "P\u0663D",  # an Arabic-Indic digit three
        "P1.5DT1H",  # a fraction on a component that is not the last
        "P1.5W2D",
        "p30d",
        "P1D2W",  # out of order
        "PT1H2H",
        " P1D",
        "P.5D",
        "P1.D",
        "P-1W",
    ],
)
def test_texts_outside_the_duration_grammar_are_refused(text: str) -> None:
    """What the grammar does not allow is an InvalidProcessError naming the text."""
    with pytest.raises(cf.InvalidProcessError) as error:
        _definition.text_to_duration(text)
    assert error.value.problems == (
        f"max_score_age {text!r} is not an ISO 8601 duration like 'P30D' or 'P2W'",
    )


@pytest.mark.parametrize("text", ["P1Y", "P6M", "P1Y2M3D", "P1MT1M"])
def test_years_and_months_are_refused_for_having_no_fixed_length(text: str) -> None:
    """A month is 28 to 31 days: such a duration is refused with a sentence saying why."""
    with pytest.raises(cf.InvalidProcessError) as error:
        _definition.text_to_duration(text)
    assert error.value.problems == (
        f"max_score_age {text!r} counts years or months, which have no fixed length; "
        "give it in weeks, days or hours, like 'P26W' or 'P180D'",
    )


@pytest.mark.parametrize(
    "text",
    [
        "P142857143W",
        "P999999999DT23H59M59.9999995S",  # rounds to one microsecond past the longest
        "PT" + "9" * 400 + "H",
        "P" + "9" * 1_000_010 + "D",  # beyond Decimal's exponents
    ],
    ids=["weeks", "rounded-up", "400-digit-hours", "million-digit-days"],
)
def test_durations_beyond_a_timedelta_are_refused(text: str) -> None:
    """However they overflow, durations too long for a timedelta are InvalidProcessError."""
    with pytest.raises(cf.InvalidProcessError, match="is too long"):
        _definition.text_to_duration(text)


def test_a_score_age_in_weeks_loads_and_is_written_in_days(process: cf.Process) -> None:
    """P2W in a file is 14 days, written back canonically as P14D."""
    data = cf.to_dict(process)
    data["settings"]["max_score_age"] = "P2W"
    loaded = cf.from_dict(data, cf.Process)
    assert loaded.settings.max_score_age == timedelta(days=14)
    assert cf.to_dict(loaded)["settings"]["max_score_age"] == "P14D"


# --- guard parameters: sentences naming the guard and the parameter ---------------------------


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (
            {"kind": "trust", "treshold": 4.0},
            ["guard 'trust' has no parameter 'treshold' (it takes 'threshold')"],
        ),
        (
            {"kind": "trust", "b": 1, "a": 2},
            ["guard 'trust' has no parameters 'a', 'b' (it takes 'threshold')"],
        ),
        (
            {"kind": "common_ground", "threshold": 4.0},
            ["guard 'common_ground' has no parameter 'threshold' (it takes none)"],
        ),
        ({"kind": "came_from"}, ["guard 'came_from' lacks its required parameter 'state'"]),
        (
            {"kind": "came_from", "stat": "exploring"},
            [
                "guard 'came_from' has no parameter 'stat' (it takes 'state')",
                "guard 'came_from' lacks its required parameter 'state'",
            ],
        ),
        (
            {"kind": "trust", "threshold": "4"},
            ["guard 'trust' parameter 'threshold' is not valid: '4' is not a number"],
        ),
        (
            {"kind": "trust", "threshold": True},
            ["guard 'trust' parameter 'threshold' is not valid: True is not a number"],
        ),
        (
            {"kind": "trust", "threshold": float("nan")},
            ["guard 'trust' parameter 'threshold' is not valid: nan is not a finite number"],
        ),
        (
            {"kind": "trust", "threshold": -float("inf")},
            ["guard 'trust' parameter 'threshold' is not valid: -inf is not a finite number"],
        ),
        pytest.param(
            {"kind": "trust", "threshold": 10**400},
            [
                f"guard 'trust' parameter 'threshold' is not valid: 1{'0' * 196}... "
                "is not a finite number"
            ],
            id="int-beyond-float",
        ),
        (
            {"kind": "roles_assigned", "roles": "chair"},
            ["guard 'roles_assigned' parameter 'roles' is not valid: 'chair' is not a list"],
        ),
        (
            {"kind": "roles_assigned", "roles": ["chair", 3]},
            ["guard 'roles_assigned' parameter 'roles' is not valid: 3 is not a text"],
        ),
        (
            {"kind": "came_from", "state": None},
            ["guard 'came_from' parameter 'state' is not valid: None is not a text"],
        ),
        (
            {"kind": "all_of", "guards": {"kind": "trust"}},
            ["guard 'all_of' parameter 'guards' is not valid: {'kind': 'trust'} is not a list"],
        ),
        (
            {"kind": "not", "guard": {"kind": "trust", "treshold": 4.0}},
            ["guard 'trust' has no parameter 'treshold' (it takes 'threshold')"],
        ),
        (
            {"kind": "any_of", "guards": [{"kind": "trust"}, {"kind": "came_from"}]},
            ["guard 'came_from' lacks its required parameter 'state'"],
        ),
    ],
)
def test_bad_guard_parameters_are_sentences_naming_the_guard_and_the_parameter(
    data: dict[str, Any], problems: list[str]
) -> None:
    """Unknown, missing and mistyped parameters each say which guard and which parameter."""
    with pytest.raises(cf.InvalidProcessError) as error:
        _definition.guard_from_data(data)
    assert error.value.problems == tuple(problems)


def test_a_misspelt_guard_parameter_in_a_toml_file_names_the_guard(tmp_path: pathlib.Path) -> None:
    """What a user sees for `{kind = "trust", treshold = 4.0}` in a process file."""
    text = cf.example_file("default").read_text(encoding="utf-8")
    assert '  { kind = "trust" },\n' in text
    path = tmp_path / "mine.toml"
    mistake = '  { kind = "trust", treshold = 4.0 },\n'
    path.write_text(text.replace('  { kind = "trust" },\n', mistake, 1), encoding="utf-8")
    with pytest.raises(cf.InvalidProcessError) as error:
        cf.Process.from_file(path)
    assert error.value.problems == (
        "guard 'trust' has no parameter 'treshold' (it takes 'threshold')",
    )
    assert str(error.value) == (
        "invalid process: guard 'trust' has no parameter 'treshold' (it takes 'threshold')"
    )


def _loading(kind: str, **params: object) -> tuple[str, ...]:
    with pytest.raises(cf.InvalidProcessError) as error:
        _definition.guard_from_data({"kind": kind, **params})
    return error.value.problems


def _holds(snapshot: cf.Snapshot, settings: cf.Settings, at: datetime) -> cf.GuardResult:
    return cf.GuardResult("custom", True)


def test_custom_guards_that_cannot_be_loaded_say_why(registry: None) -> None:
    """An annotation that does not resolve, a type cattrs lacks (a plain class is refused when
    it is registered, see test_guard_registry)."""

    @guards.register("test_unresolved")
    @attrs.frozen
    class Unresolved:
        limit: "NoSuchType"  # type: ignore[name-defined]  # noqa: F821
        __call__ = staticmethod(_holds)

    @guards.register("test_union")
    @attrs.frozen
    class Union:
        limit: int | str
        __call__ = staticmethod(_holds)

    @guards.register("test_pair")
    @attrs.frozen
    class Pair:
        pair: tuple[int, str]
        __call__ = staticmethod(_holds)

    assert _loading("test_unresolved", limit=1) == (
        "guard 'test_unresolved' has parameter types that cannot be resolved: "
        "NameError(\"name 'NoSuchType' is not defined\")",
    )
    assert _loading("test_union", limit=1) == (
        "guard 'test_union' parameter 'limit' has a type coopflow cannot load: int | str",
    )
    assert _loading("test_pair", pair=[1, "a"]) == (
        "guard 'test_pair' parameter 'pair' has a type coopflow cannot load: tuple[int, str]",
    )


def test_a_custom_guard_parameter_without_a_type_takes_any_value(registry: None) -> None:
    """A field without an annotation is loaded as it is, as cattrs does for an untyped field."""

    class Holds:
        __call__ = staticmethod(_holds)

    untyped = attrs.make_class(
        "Untyped", {"anything": attrs.field(default=0)}, bases=(Holds,), frozen=True
    )
    guards.register("test_untyped")(untyped)
    assert attrs.fields(untyped).anything.type is None
    loaded = _definition.guard_from_data({"kind": "test_untyped", "anything": ["x", 1]})
    assert loaded == untyped(anything=["x", 1])


def test_custom_guard_parameters_are_checked_like_the_built_in_ones(registry: None) -> None:
    """Wrong types, values cattrs cannot read and the guard's own validators are sentences."""

    @guards.register("test_custom")
    @attrs.frozen
    class Custom:
        minimum: int = attrs.field(validator=attrs.validators.gt(0))
        weights: dict[str, float] = attrs.field(factory=dict)
        anything: Any = attrs.field(default=None)
        __call__ = staticmethod(_holds)

    loaded = _definition.guard_from_data(
        {"kind": "test_custom", "minimum": 2, "weights": {"a": 1}, "anything": [1]}
    )
    assert isinstance(loaded, Custom)
    assert (loaded.minimum, loaded.weights, loaded.anything) == (2, {"a": 1.0}, [1])
    assert _loading("test_custom", minimum=1.5) == (
        "guard 'test_custom' parameter 'minimum' is not valid: 1.5 is not a whole number",
    )
    assert _loading("test_custom", minimum=1, weights=[1]) == (
        "guard 'test_custom' parameter 'weights' is not valid: [1] cannot be read as "
        "dict[str, float]",
    )
    assert _loading("test_custom", minimum=0) == (
        "guard 'test_custom' refused its parameters: ValueError(\"'minimum' must be > 0: 0\")",
    )
    assert _loading("test_custom", minimum="1", weights={"a": "b"}) == (
        "guard 'test_custom' parameter 'minimum' is not valid: '1' is not a whole number",
        "guard 'test_custom' parameter 'weights' is not valid: 'b' is not a number",
    )


# --- writing files: only what reads back as the same process -------------------------------------


@attrs.frozen
class _Limit:
    """A custom guard with an integer and a text parameter, registered by `custom_kinds`."""

    kind: ClassVar[str]
    count: int = 1
    note: str = ""
    __call__ = staticmethod(_holds)


@attrs.frozen
class _Loose:
    """A custom guard whose parameter type can be written but not loaded."""

    kind: ClassVar[str]
    value: int | str = 1
    __call__ = staticmethod(_holds)


@attrs.define(eq=False)
class _Unequal:
    """A custom guard without value equality: loaded again, it equals nothing."""

    kind: ClassVar[str]
    __call__ = staticmethod(_holds)


@attrs.frozen
class _Ratio:
    """A custom guard with a float parameter."""

    kind: ClassVar[str]
    ratio: float = 0.5
    __call__ = staticmethod(_holds)


@attrs.frozen
class _Tagged:
    """A custom guard with a set parameter, which neither JSON nor TOML has."""

    kind: ClassVar[str]
    tags: frozenset[str] = frozenset()
    __call__ = staticmethod(_holds)


@pytest.fixture
def custom_kinds(registry: None) -> None:
    """Register the custom guards above for one test."""
    for cls, kind in [
        (_Limit, "test_limit"),
        (_Loose, "test_loose"),
        (_Unequal, "test_unequal"),
        (_Ratio, "test_ratio"),
        (_Tagged, "test_tagged"),
    ]:
        guards.register(kind)(cls)


def _with_guard(guard: guards.Guard) -> cf.Process:
    p = cf.default_process()
    start = next(t for t in p.transitions if t.trigger == "start")
    changed = attrs.evolve(start, guards=(*start.guards, guard))
    transitions = tuple(changed if t is start else t for t in p.transitions)
    return attrs.evolve(p, id="custom", transitions=transitions)


def _refused_writing(process: cf.Process, path: pathlib.Path) -> tuple[str, ...]:
    with pytest.raises(cf.InvalidProcessError) as error:
        process.to_file(path)
    assert not path.exists()
    return error.value.problems


def test_a_process_with_every_hard_character_round_trips_through_both_files(
    tmp_path: pathlib.Path,
) -> None:
    """Controls (C0, DEL, C1), quotes, backslashes and separators in ids, labels and roles."""
    hard = '"\\\b\t\n\f\r\x00\x1b\x7f\x80\x85\x9f\u2028\ufeff\U0010ffff'
    p = cf.default_process()
    states = tuple(
        attrs.evolve(s, labels={"en": s.labels["en"] + hard, "nl": hard + s.labels["nl"]})
        for s in p.states
    )
    settings = cf.Settings(required_roles=[f"role {hard}"], max_score_age=timedelta(weeks=2))
    words = cf.Vocabulary(roles={f"role {hard}": {"en": f"role {hard}", "nl": f"{hard} rol"}})
    mine = attrs.evolve(
        p, id=f"id {hard}", version=hard, states=states, settings=settings, vocabulary=words
    )
    for name in ("mine.toml", "mine.json"):
        mine.to_file(tmp_path / name)
        again = cf.Process.from_file(tmp_path / name)
        assert (again, again.fingerprint) == (mine, mine.fingerprint)


def test_an_integer_beyond_64_bits_goes_to_json_but_not_to_toml(
    custom_kinds: None, tmp_path: pathlib.Path
) -> None:
    """TOML integers are 64-bit: writing one beyond is refused, and no file is made."""
    big = _with_guard(_Limit(2**64))
    assert _refused_writing(big, tmp_path / "big.toml") == (
        "process 'custom' cannot be written to a .toml file: TOML integers are 64-bit, and "
        "18446744073709551616 is beyond them",
    )
    big.to_file(tmp_path / "big.json")
    assert cf.Process.from_file(tmp_path / "big.json") == big
    edge = _with_guard(_Limit(2**63 - 1))
    edge.to_file(tmp_path / "edge.toml")
    assert cf.Process.from_file(tmp_path / "edge.toml") == edge


def test_a_toml_file_with_an_integer_beyond_64_bits_is_refused(
    custom_kinds: None, tmp_path: pathlib.Path
) -> None:
    """The reader refuses what the writer would not write (tomllib alone would accept it)."""
    _with_guard(_Limit(2**63 - 1)).to_file(tmp_path / "edge.toml")
    text = (tmp_path / "edge.toml").read_text(encoding="utf-8")
    (tmp_path / "big.toml").write_text(
        text.replace("9223372036854775807", "9223372036854775808"), encoding="utf-8"
    )
    with pytest.raises(cf.InvalidProcessError) as error:
        cf.Process.from_file(tmp_path / "big.toml")
    assert error.value.problems == (
        "not TOML: TOML integers are 64-bit, and 9223372036854775808 is beyond them",
    )


@pytest.mark.parametrize(
    ("guard", "suffix", "problem"),
    [
        (_Limit(note="\ud800"), ".json", "it holds text that is not Unicode"),
        (
            _Limit(note="\ud800"),
            ".toml",
            "TOML holds Unicode text only, and '\\ud800' has a lone surrogate",
        ),
        (
            _Loose(),
            ".toml",
            "it would not load again (invalid process: guard 'test_loose' parameter 'value' has "
            "a type coopflow cannot load: int | str)",
        ),
        (_Unequal(), ".json", "it would read back as a different process"),
    ],
)
def test_a_process_a_file_cannot_carry_is_refused_before_writing(
    custom_kinds: None, tmp_path: pathlib.Path, guard: guards.Guard, suffix: str, problem: str
) -> None:
    """Text that is not Unicode, non-finite numbers, values no loader reads: refused, no file."""
    (refusal,) = _refused_writing(_with_guard(guard), tmp_path / f"process{suffix}")
    # The json module's own sentences end differently in different Python versions.
    assert refusal.startswith(f"process 'custom' cannot be written to a {suffix} file: {problem}")


@pytest.mark.parametrize(
    ("guard", "problem"),
    [
        (_Ratio(float("nan")), "guard 'test_ratio' parameter 'ratio' nan is not a finite number"),
        (
            _Tagged(frozenset({"a"})),
            "guard 'test_tagged' parameter 'tags' frozenset({'a'}) cannot be written as data: "
            "use text, numbers, true or false, lists and tables",
        ),
    ],
)
@pytest.mark.parametrize("suffix", [".json", ".toml"])
def test_a_guard_parameter_no_document_can_hold_is_refused(
    custom_kinds: None, tmp_path: pathlib.Path, guard: guards.Guard, problem: str, suffix: str
) -> None:
    """nan or a set in a custom guard: refused, naming guard and parameter, and no file."""
    path = tmp_path / f"process{suffix}"
    assert _refused_writing(_with_guard(guard), path) == (problem,)
    with pytest.raises(cf.InvalidProcessError) as caught:
        cf.dumps(_with_guard(guard))
    assert caught.value.problems == (problem,)


def test_guards_nested_beyond_what_loads_are_not_written(tmp_path: pathlib.Path) -> None:
    """A process built in code may nest guards deeper than a file may; it is not written."""
    guard: guards.Guard = guards.trust()
    for _ in range(70):
        guard = guards.not_(guard)
    assert _refused_writing(_with_guard(guard), tmp_path / "deep.json") == (
        "process 'custom' cannot be written to a .json file: it would not load again (invalid "
        "process: transition 'start' nests its guards more than 64 deep)",
    )


def test_an_existing_file_is_left_alone_when_writing_is_refused(
    custom_kinds: None, tmp_path: pathlib.Path
) -> None:
    """Refusing changes nothing: the file that was there stays as it was."""
    path = tmp_path / "process.toml"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(cf.InvalidProcessError):
        _with_guard(_Limit(2**64)).to_file(path)
    assert path.read_text(encoding="utf-8") == "keep me"


@settings(max_examples=50, deadline=None)
@given(strategies.processes())
def test_processes_with_any_text_round_trip_through_both_files(process: cf.Process) -> None:
    """Any valid process, with text of every Unicode category, reads back equal from both files."""
    from coopflow import _toml

    data = cf.to_dict(process)
    assert _toml.loads(_toml.dumps(data)) == data
    with tempfile.TemporaryDirectory() as folder:
        for name in ("process.toml", "process.json"):
            path = pathlib.Path(folder) / name
            process.to_file(path)
            again = cf.Process.from_file(path)
            assert (again, again.fingerprint) == (process, process.fingerprint)


@pytest.mark.parametrize(
    ("suffix", "written"),
    [(".json", "NaN"), (".json", "-Infinity"), (".toml", "nan"), (".toml", "inf")],
)
def test_a_file_with_a_non_finite_number_is_refused(
    custom_kinds: None, tmp_path: pathlib.Path, suffix: str, written: str
) -> None:
    """JSON's NaN and TOML's nan and inf parse, but no process file holds them."""
    path = tmp_path / f"process{suffix}"
    _with_guard(_Ratio(0.25)).to_file(path)
    text = path.read_text(encoding="utf-8")
    assert text.count("0.25") == 1
    path.write_text(text.replace("0.25", written), encoding="utf-8")
    with pytest.raises(cf.InvalidProcessError) as error:
        cf.Process.from_file(path)
    number = written.lower().replace("infinity", "inf")
    assert error.value.problems == (
        f"guard 'test_ratio' parameter 'ratio' is not valid: {number} is not a finite number",
    )
