"""Tests of the guard registry and of custom guards: registering kinds with their own messages,
registering again, and custom guards that misbehave (each a clear `CoopflowError` naming it).
"""

import copy
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar

import attrs
import pytest

import coopflow as cf
from coopflow import _i18n, guards
from coopflow._vocabulary import Vocabulary
from coopflow.guards import _registry
from tests.planted import move, state

AT = datetime(2021, 3, 1, 10, tzinfo=UTC)
MESSAGES = {
    "test_no_quorum_yet": {
        "en": "{name} has not confirmed {count} members",
        "nl": "{name} heeft geen {count} leden bevestigd",
    }
}


@pytest.fixture(autouse=True)
def registry() -> Iterator[None]:
    """Keep the kinds and messages registered by a test out of the other tests."""
    kinds = dict(_registry._REGISTRY)
    messages = dict(_i18n._REGISTERED)
    yield
    _registry._REGISTRY.clear()
    _registry._REGISTRY.update(kinds)
    _i18n._REGISTERED.clear()
    _i18n._REGISTERED.update(messages)


def loose(value: object) -> Any:
    """Pass a deliberately ill-typed value past the type checker."""
    return value


def process(*conditions: guards.Guard) -> cf.Process:
    """A process whose one transition ``close`` is guarded by `conditions`."""
    return cf.Process(
        "custom",
        (state("open", initial=True), state("closed", terminal=True)),
        (move("close", "open", "closed", *conditions),),
    )


def start(*conditions: guards.Guard) -> cf.Trajectory:
    """A trajectory of `process(*conditions)` with two parties."""
    return cf.Trajectory.start(
        process(*conditions), parties=[cf.Party("a", name="Alpha"), cf.Party("b")], at=AT
    )


def define_quorum() -> Any:
    """A custom guard class, defined anew on every call (as a reloaded module would)."""

    @attrs.frozen
    class Quorum:
        kind: ClassVar[str]
        members: int = 3

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            if len(snapshot.parties) >= self.members:
                return cf.GuardResult(self.kind, True)
            failure = cf.Failure(
                None, "test_no_quorum_yet", {"name": "the board", "count": self.members}
            )
            return cf.GuardResult(self.kind, False, (failure,))

    return Quorum


# --- registering --------------------------------------------------------------------------------


def test_a_registered_guard_s_failure_renders_its_own_messages() -> None:
    """A kind registered with messages renders its failures in English and Dutch."""
    quorum = guards.register("test_quorum", messages=MESSAGES)(define_quorum())
    t = start(quorum())
    failures = t.explain("close", at=AT).failures
    assert [(f.message("en"), f.message("nl")) for f in failures] == [
        ("the board has not confirmed 3 members", "the board heeft geen 3 leden bevestigd")
    ]


def test_a_registered_guard_works_in_a_process() -> None:
    """A custom guard decides a transition like a built-in one."""
    quorum = guards.register("test_quorum")(define_quorum())
    t = start(quorum(members=2))
    assert (t.fire("close", at=AT).snapshot.state, quorum.kind) == ("closed", "test_quorum")


def test_registering_the_same_definition_again_is_allowed() -> None:
    """A class of the same module and qualified name (a reload, a notebook cell) takes over."""
    first = guards.register("test_quorum", messages=MESSAGES)(define_quorum())
    second = guards.register("test_quorum", messages=MESSAGES)(define_quorum())
    assert (first is second, _registry.guard_class("test_quorum")) == (False, second)


def test_registering_another_class_under_a_taken_kind_is_refused() -> None:
    """Another class under a taken kind is a mistake: InvalidProcessError naming the holder."""
    quorum = guards.register("test_quorum")(define_quorum())

    @attrs.frozen
    class Impostor:
        kind: ClassVar[str]

    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.register("test_quorum")(Impostor)
    assert caught.value.problems == (
        "guard kind 'test_quorum' is already registered by "
        f"{quorum.__module__}.{quorum.__qualname__}; pass replace=True to take it over",
    )
    assert _registry.guard_class("test_quorum") is quorum


def test_replace_takes_a_kind_over() -> None:
    """replace=True lets another class take a taken kind."""
    guards.register("test_quorum")(define_quorum())

    @attrs.frozen
    class Successor:
        kind: ClassVar[str]

    guards.register("test_quorum", replace=True)(Successor)
    assert (_registry.guard_class("test_quorum"), Successor.kind) == (Successor, "test_quorum")


def test_a_class_that_is_not_attrs_is_refused() -> None:
    """A guard must be an attrs class, so that it can be compared, hashed and written."""

    class Plain:
        kind: ClassVar[str]

    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.register("test_plain")(Plain)
    assert "must be an attrs class (@attrs.frozen)" in caught.value.problems[0]
    assert "test_plain" not in guards.kinds()


@pytest.mark.parametrize(
    ("messages", "problem"),
    [
        (loose(["en", "nl"]), "messages ['en', 'nl'] must map a key to its texts"),
        ({"": {"en": "x", "nl": "x"}}, "message key '' must be a non-empty string"),
        ({loose(3): {"en": "x", "nl": "x"}}, "message key 3 must be a non-empty string"),
        ({"score_missing": {"en": "x", "nl": "x"}}, "message key 'score_missing' is built in"),
        ({"test_key": loose("text")}, "message 'test_key' must map a locale to a text"),
        ({"test_key": {"en": "only English"}}, "message 'test_key' has no 'nl' text"),
        ({"test_key": {"en": " ", "nl": "x"}}, "message 'test_key' has no 'en' text"),
        ({"test_key": {"en": "x", "nl": loose(7)}}, "message 'test_key' has no 'nl' text"),
        (
            {"test_key": {"en": "{name", "nl": "x"}},
            "message 'test_key' (en) is not a valid template",
        ),
        ({"test_key": {"en": "x", "nl": "{}"}}, "message 'test_key' (nl) is not a valid template"),
        (
            {"test_key": {"en": "{a.b}", "nl": "x"}},
            "message 'test_key' (en) is not a valid template",
        ),
        ({"test_key": {"en": "{0}", "nl": "x"}}, "message 'test_key' (en) is not a valid template"),
    ],
)
def test_bad_messages_are_refused_and_register_nothing(messages: Any, problem: str) -> None:
    """Messages are checked when the kind is registered; a bad one registers neither."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.register("test_quorum", messages=messages)(define_quorum())
    assert problem in caught.value.problems[0]
    assert ("test_quorum" in guards.kinds(), "test_key" in _i18n._REGISTERED) == (False, False)


def test_every_bad_message_is_named_at_once() -> None:
    """Several bad messages give several problems."""
    messages = {"": {"en": "x", "nl": "x"}, "test_key": {"en": "x"}}
    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.register("test_quorum", messages=messages)(define_quorum())
    assert len(caught.value.problems) == 2


def test_a_message_key_of_another_kind_is_refused() -> None:
    """Two kinds cannot share a message key; the same kind registering again can."""
    guards.register("test_quorum", messages=MESSAGES)(define_quorum())
    guards.register("test_quorum", messages=MESSAGES)(define_quorum())

    @attrs.frozen
    class Other:
        kind: ClassVar[str]

    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.register("test_other", messages=MESSAGES)(Other)
    assert caught.value.problems == (
        "message key 'test_no_quorum_yet' belongs to guard kind 'test_quorum'",
    )


# --- custom guards that misbehave ---------------------------------------------------------------


@attrs.frozen
class Raises:
    """A custom guard that raises."""

    kind: ClassVar[str]

    def __call__(self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime) -> Any:
        return 1 / 0


@attrs.frozen
class ReturnsBool:
    """A custom guard that returns a bool instead of a GuardResult."""

    kind: ClassVar[str]

    def __call__(self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime) -> Any:
        return True


@attrs.frozen
class RaisesOurs:
    """A custom guard that raises a coopflow error of its own."""

    kind: ClassVar[str]

    def __call__(self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime) -> Any:
        raise cf.UnknownNameError("party", "zed")


def test_a_guard_that_raises_is_a_guard_error_naming_it() -> None:
    """A raising guard makes explain and fire raise GuardError with its kind; nothing changes."""
    guards.register("test_raises")(Raises)
    t = start(Raises())
    with pytest.raises(cf.GuardError) as caught:
        t.explain("close", at=AT)
    with pytest.raises(cf.GuardError):
        t.fire("close", at=AT)
    assert (caught.value.kind, caught.value.problems, t.state, len(t.history)) == (
        "test_raises",
        ("guard 'test_raises' raised ZeroDivisionError: ZeroDivisionError('division by zero')",),
        "open",
        1,
    )
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


def test_a_raising_condition_of_a_regression_refuses_the_event_and_changes_nothing() -> None:
    """A regression whose condition raises makes record raise GuardError; nothing is recorded."""
    guards.register("test_raises")(Raises)
    p = cf.Process(
        "regressing",
        (state("open", initial=True), state("closed", terminal=True)),
        (move("close", "open", "closed", Raises(), automatic=True),),
    )
    t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")], at=AT)
    before = (t.snapshot, t.history)
    with pytest.raises(cf.GuardError) as caught:
        t.record(cf.Assessed("a", "trust", 4), at=AT)
    assert (caught.value.kind, (t.snapshot, t.history)) == ("test_raises", before)


def test_asking_what_is_enabled_names_a_raising_guard_too() -> None:
    """can and enabled evaluate guards like explain does."""
    guards.register("test_raises")(Raises)
    t = start(Raises())
    kinds = []
    for ask in (lambda: t.can("close", at=AT), lambda: t.enabled(at=AT)):
        with pytest.raises(cf.GuardError) as caught:
            ask()
        kinds.append(caught.value.kind)
    assert kinds == ["test_raises", "test_raises"]


def test_a_guard_that_returns_a_bool_is_a_guard_error_naming_it() -> None:
    """A guard must return a GuardResult; the error says how."""
    guards.register("test_bool")(ReturnsBool)
    with pytest.raises(cf.GuardError) as caught:
        start(ReturnsBool()).explain("close", at=AT)
    assert (caught.value.kind, caught.value.problems) == (
        "test_bool",
        (
            "guard 'test_bool' returned True, not a GuardResult "
            "(return cf.GuardResult('test_bool', passed, failures))",
        ),
    )


def test_a_guard_inside_a_combinator_is_named_too() -> None:
    """all_of, any_of and not_ evaluate their guards safely as well."""
    guards.register("test_raises")(Raises)
    kinds = []
    for combined in (
        guards.all_of(guards.trust(), Raises()),
        guards.any_of(Raises()),
        guards.not_(Raises()),
    ):
        with pytest.raises(cf.GuardError) as caught:
            start(combined).explain("close", at=AT)
        kinds.append(caught.value.kind)
    assert kinds == ["test_raises"] * 3


def test_a_coopflow_error_of_a_guard_passes_through_unchanged() -> None:
    """A guard that raises a CoopflowError itself keeps its error."""
    guards.register("test_ours")(RaisesOurs)
    with pytest.raises(cf.UnknownNameError) as caught:
        start(RaisesOurs()).explain("close", at=AT)
    assert (caught.value.kind, caught.value.name) == ("party", "zed")


def test_evaluating_something_without_a_kind_names_its_class() -> None:
    """A callable that is no registered guard is named by its class."""
    snapshot = start().snapshot
    with pytest.raises(cf.GuardError) as caught:
        _registry.evaluate(loose(lambda *_: None), snapshot, cf.Settings(), AT)
    assert caught.value.kind == "function"


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (datetime(2020, 1, 1), "cannot be written as data: use text, numbers"),
        (float("nan"), "nan is not a finite number"),
        (object(), "cannot be written as data: use text, numbers"),
    ],
    ids=["datetime", "nan", "object"],
)
def test_a_guard_with_a_field_that_cannot_be_written_is_named(value: object, error: str) -> None:
    """Writing a process whose custom guard holds what is not data names guard and field."""

    @guards.register("test_holds")
    @attrs.frozen
    class Holds:
        kind: ClassVar[str]
        thing: object = None

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, True)

    p = process(Holds(value))
    writes: list[Callable[[], object]] = [lambda: p.fingerprint, lambda: cf.dumps(p)]
    for write in writes:
        with pytest.raises(cf.InvalidProcessError) as caught:
            write()
        (problem,) = caught.value.problems
        assert problem.startswith("guard 'test_holds' parameter 'thing' ")
        assert error in problem


def test_a_guard_with_plain_data_fields_is_written_and_read_back() -> None:
    """Strings, numbers, lists and tables in a custom guard's fields round-trip."""

    @guards.register("test_data")
    @attrs.frozen
    class Data:
        kind: ClassVar[str]
        words: tuple[str, ...] = ()
        limit: float = 1.0

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, True)

    p = process(Data(("x", "y"), 2.0))
    assert cf.loads(cf.dumps(p), cf.Process) == p


# --- problems of custom guards ------------------------------------------------------------------


def test_a_custom_guard_s_problems_refuse_the_process() -> None:
    """A guard's problems(vocabulary, settings) is asked when the process is built."""

    @guards.register("test_picky")
    @attrs.frozen
    class Picky:
        kind: ClassVar[str]

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, True)

        def problems(self, vocabulary: Vocabulary, settings: cf.Settings) -> list[str]:
            return [] if vocabulary.declares("tag", "vip") else ["needs the tag 'vip'"]

    with pytest.raises(cf.InvalidProcessError) as caught:
        process(Picky())
    assert caught.value.problems == ("transition 'close': needs the tag 'vip'",)


@pytest.mark.parametrize(
    ("raised", "problem"),
    [
        (
            cf.InvalidProcessError(["threshold missing"]),
            "transition 'close': invalid process: threshold missing",
        ),
        (
            KeyError("tags"),
            "transition 'close': guard 'test_broken' could not be checked: KeyError: 'tags'",
        ),
    ],
    ids=["coopflow-error", "other-error"],
)
def test_a_custom_guard_whose_problems_raise_is_named(raised: Exception, problem: str) -> None:
    """problems() that raises becomes a problem of the process, naming the guard."""

    @guards.register("test_broken")
    @attrs.frozen
    class Broken:
        kind: ClassVar[str]

        def __call__(
            self, snapshot: cf.Snapshot, settings: cf.Settings, at: datetime
        ) -> cf.GuardResult:
            return cf.GuardResult(self.kind, True)

        def problems(self, vocabulary: Vocabulary, settings: cf.Settings) -> list[str]:
            raise raised

    with pytest.raises(cf.InvalidProcessError) as caught:
        process(Broken())
    assert caught.value.problems == (problem,)


# --- messages never raise -----------------------------------------------------------------------


def test_a_missing_parameter_shows_as_its_name_not_a_key_error() -> None:
    """Failure.message of a registered key without its parameters shows {name}."""
    guards.register("test_quorum", messages=MESSAGES)(define_quorum())
    failure = cf.Failure(None, "test_no_quorum_yet", {"count": 3})
    assert (failure.message("en"), failure.message("nl")) == (
        "{name} has not confirmed 3 members",
        "{name} heeft geen 3 leden bevestigd",
    )


def test_a_missing_parameter_of_a_built_in_message_shows_as_its_name() -> None:
    """A built-in key without its parameters renders too."""
    assert cf.Failure(None, "score_missing").message("nl") == (
        "voor {name} is nog geen score voor {dimension} vastgelegd"
    )


def test_an_unregistered_key_renders_as_the_key_and_its_parameters() -> None:
    """A key nobody registered shows itself and its parameters, in any locale."""
    failure = cf.Failure("a", "test_mystery", {"b": 2.5, "a": "x"})
    assert (
        failure.message("en"),
        failure.message("nl"),
        cf.Failure(None, "test_bare").message(),
    ) == (
        "test_mystery (a=x, b=2.5)",
        "test_mystery (a=x, b=2,5)",
        "test_bare",
    )


def test_a_format_spec_that_does_not_fit_shows_the_template() -> None:
    """A template whose format spec does not fit the value renders unformatted, never raising."""
    messages = {"test_spec": {"en": "count {count:d}", "nl": "aantal {count:d}"}}
    guards.register("test_quorum", messages=messages)(define_quorum())
    assert cf.Failure(None, "test_spec", {"count": "many"}).message("nl") == "aantal {count:d}"


def test_a_failure_in_an_unknown_locale_is_an_unknown_name_error() -> None:
    """Only en and nl are spoken."""
    with pytest.raises(cf.UnknownNameError):
        cf.Failure(None, "score_missing").message("fr")


# --- terms --------------------------------------------------------------------------------------


def test_a_term_renders_its_label_and_falls_back_to_its_id() -> None:
    """term() labels a word by the current vocabulary; an undeclared one shows its id."""
    known, unknown = _registry.term("dimension", "voice"), _registry.term("tag", "vip")
    assert (known.render("nl"), unknown.render("nl"), known == "voice") == (
        "zeggenschap",
        "vip",
        True,
    )


def test_a_copied_term_keeps_its_kind_and_labels() -> None:
    """A Term copies as itself, not as a plain string."""
    term = _registry.term("dimension", "trust")
    copied = copy.copy(term)
    assert (copied, copied.kind, copied.render("nl"), type(copied)) == (
        "trust",
        "dimension",
        "vertrouwen",
        _i18n.Term,
    )


PLURAL_MESSAGES = {
    "test_no_quorum_yet": {
        "en": ("{name} has confirmed {count} member", "{name} has confirmed {count} members"),
        "nl": ("{name} heeft {count} lid bevestigd", "{name} heeft {count} leden bevestigd"),
    }
}


@pytest.mark.parametrize(
    ("members", "english", "dutch"),
    [
        (1, "the board has confirmed 1 member", "the board heeft 1 lid bevestigd"),
        (2, "the board has confirmed 2 members", "the board heeft 2 leden bevestigd"),
        (0, "the board has confirmed 0 members", "the board heeft 0 leden bevestigd"),
    ],
)
def test_a_custom_message_may_have_plural_forms_chosen_by_count(
    members: int, english: str, dutch: str
) -> None:
    """A pair of texts per locale is (one, other), picked by the count with the locale's rule."""
    quorum = guards.register("test_quorum", messages=PLURAL_MESSAGES)(define_quorum())
    t = start(quorum(members=members + 3))
    failure = cf.Failure(None, "test_no_quorum_yet", {"name": "the board", "count": members})
    assert (failure.message("en"), failure.message("nl"), t.state) == (english, dutch, "open")


def test_plural_forms_without_a_count_take_the_other_form() -> None:
    """Without an int count a plural message shows its last (other) form."""
    guards.register("test_quorum", messages=PLURAL_MESSAGES)(define_quorum())
    failure = cf.Failure(None, "test_no_quorum_yet", {"name": "the board"})
    assert failure.message("nl") == "the board heeft {count} leden bevestigd"


@pytest.mark.parametrize(
    ("texts", "problem"),
    [
        ({"en": ("one",), "nl": "x"}, "message 'test_key' (en) must give 2 plural forms, not 1"),
        ({"en": "x", "nl": ("a", "")}, "message 'test_key' has no 'nl' text"),
        ({"en": ("{0}", "b"), "nl": "x"}, "message 'test_key' (en) is not a valid template"),
    ],
)
def test_bad_plural_forms_are_refused(texts: Any, problem: str) -> None:
    """Plural forms must be exactly two non-empty templates per locale."""
    with pytest.raises(cf.InvalidProcessError) as caught:
        guards.register("test_quorum", messages={"test_key": texts})(define_quorum())
    assert caught.value.problems == (problem,)
