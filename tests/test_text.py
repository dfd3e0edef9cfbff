"""Tests of coopflow._text and the gettext catalogues: plural forms, money, shares, and that every
text coopflow writes (messages and errors) exists in Dutch."""

import ast
import re
import string
import tempfile
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import coopflow as cf
from coopflow import _text
from coopflow._i18n import CATALOGUE, LOCALES, render
from coopflow._text import Money, Phrase, Share, money, percent, plural_index
from coopflow.store import Store

SRC = Path(cf.__file__).parent
# The errors whose texts the raise-site checks below read, and where a text is among the arguments.
_ERRORS = {"InvalidEventError", "TrajectoryError", "UnknownNameError", "GuardError"}
_ERRORS |= {"ConflictError", "StoreError"}


def _po(locale: str) -> dict[str, object]:
    with (SRC / "_locale" / locale / "LC_MESSAGES" / "coopflow.po").open("rb") as file:
        catalog = read_po(file, locale=locale)
    return {str(m.id[0] if isinstance(m.id, tuple) else m.id): m.string for m in catalog if m.id}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


# Every parameter any catalogue message uses, with a count filled in by each test.
PARAMS: dict[str, object] = {
    "cash": 600000.0,
    "configurations": 2,
    "dest": "stalled",
    "dests": "signing, stalled",
    "dimension": "trust",
    "dimensions": ["stake", "urgency", "impact"],
    "edges": 2,
    "entry": 3.5,
    "fact": "council_approval",
    "finding": "state exploring cannot be reached",
    "first": "building_culture",
    "guard": "te weinig partijen",
    "kind": "weather",
    "limit": 0.5,
    "max_configs": 100,
    "max_seconds": 10.0,
    "mean": 2.5,
    "name": "Gemeente Tilburg",
    "needed": 1000000.0,
    "other": "energy",
    "parties": "party-a, party-b",
    "party": "stichting-x",
    "process": "coopflow-default",
    "regression": 3.0,
    "role": "programme_manager",
    "score": 2.75,
    "seconds": 10.0,
    "sector": "government",
    "share": 0.75,
    "source": "organising",
    "state": "exploring",
    "tag": "backbone",
    "then": "agenda_setting",
    "theme": "Duurzame stad",
    "threshold": 3.5,
    "trigger": "form_culture",
    "version": 2,
}
# Messages that read the same in both languages on purpose (a word borrowed, an id).
SAME_IN_BOTH = {"kind.start"}


@pytest.mark.parametrize("count", [0, 1, 2])
@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_renders_in_both_languages_with_counts_0_1_and_2(
    key: str, count: int
) -> None:
    """Each message renders with no placeholder left, in Dutch unlike the English, per count."""
    params = {**PARAMS, "count": count, "configurations": count, "edges": count}
    english, dutch = render(key, params, "en"), render(key, params, "nl")
    assert (
        re.search(r"\{\w*\}", english),
        re.search(r"\{\w*\}", dutch),
        dutch == english and key not in SAME_IN_BOTH,
    ) == (None, None, False)


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_a_message_with_a_count_has_its_plural_forms_in_both_languages(key: str) -> None:
    """A template that shows {count} has a singular and a plural form in both catalogues."""
    for locale in LOCALES:
        templates = CATALOGUE[key][locale]
        forms = templates if isinstance(templates, tuple) else (templates,)
        if any("count" in _fields(form) for form in forms):
            assert (key, locale, len(forms)) == (key, locale, 2)


@pytest.mark.parametrize(
    ("key", "count", "locale", "expected"),
    [
        ("too_few_parties", 1, "en", "only 1 party takes part; at least 2 are needed"),
        ("too_few_parties", 0, "en", "only 0 parties take part; at least 2 are needed"),
        ("too_few_parties", 1, "nl", "er doet nog maar 1 partij mee; er zijn er minstens 2 nodig"),
        (
            "too_few_parties",
            0,
            "nl",
            "er doen nog maar 0 partijen mee; er zijn er minstens 2 nodig",
        ),
        ("check_path", 1, "nl", "kortste pad (1 overgang)"),
        ("check_path", 3, "nl", "kortste pad (3 overgangen)"),
        ("check_path", 1, "en", "shortest path (1 transition)"),
    ],
)
def test_plural_forms_follow_the_count(key: str, count: int, locale: str, expected: str) -> None:
    """The singular form is for 1, the plural form for 0 and more than 1, in both languages."""
    assert render(key, {"count": count}, locale) == expected


def test_two_counts_in_one_message_each_take_their_own_form() -> None:
    """The check summary counts configurations and transitions, each with its own plural."""
    params = {"process": "p", "configurations": 1, "edges": 3}
    assert (render("check_ok", params, "nl"), render("check_ok", params, "en")) == (
        "Proces p voldoet aan alle regels (1 configuratie, 3 overgangen).",
        "Process p keeps every rule (1 configuration, 3 transitions).",
    )


@pytest.mark.parametrize(
    ("value", "locale", "expected"),
    [
        (600000.0, "nl", "€ 600.000"),
        (600000.0, "en", "€600,000"),
        (1000000, "nl", "€ 1.000.000"),
        (1234.5, "nl", "€ 1.234,50"),
        (1234.5, "en", "€1,234.50"),
        (Decimal("0.05"), "en", "€0.05"),
        (-2500.0, "nl", "-€ 2.500"),
        (float("inf"), "nl", "€ inf"),
        (float("inf"), "en", "€inf"),
    ],
)
def test_money_has_the_euro_sign_and_thousands_separators(
    value: float, locale: str, expected: str
) -> None:
    """Amounts in euros: whole euros without cents, two decimals otherwise, grouped per locale."""
    assert money(value, locale) == expected


@pytest.mark.parametrize(
    ("share", "locale", "expected"),
    [(0.75, "nl", "75 %"), (0.75, "en", "75%"), (0.125, "nl", "12,5 %"), (1.0, "en", "100%")],
)
def test_shares_render_as_percentages(share: float, locale: str, expected: str) -> None:
    """A share of the votes is a percentage: a space before % in Dutch, none in English."""
    assert percent(share, locale) == expected


def test_a_share_that_is_no_number_still_renders() -> None:
    """An infinite or NaN share shows as such instead of raising."""
    assert (percent(float("inf"), "nl"), percent(float("nan"), "en")) == ("inf %", "nan%")


def test_money_and_shares_among_the_guard_parameters_render_per_locale() -> None:
    """cash_short and share_too_high show euros and percentages."""
    cash = {"cash": 600000.0, "needed": 1000000.0}
    share = {"name": "A", "share": 0.75, "limit": 0.5}
    assert (render("cash_short", cash, "en"), render("share_too_high", share, "nl")) == (
        "the committed contributions (€600,000) do not cover the programme budget (€1,000,000)",
        "A heeft 75 % van de stemmen; dat is meer dan de toegestane 50 %",
    )


def test_a_phrase_renders_its_parameters_in_the_readers_locale() -> None:
    """Money, shares, floats and nested phrases inside a phrase render per locale."""
    inner = Phrase("{count} party takes part", "{count} parties take part", count=1)
    phrase = Phrase("{field}={value}: {reason}", field="x", value=Money(5.0), reason=inner)
    assert (phrase.render("nl"), str(phrase), Share(0.5).render("nl")) == (
        "x=€ 5: 1 partij doet mee",
        "x=€5: 1 party takes part",
        "50 %",
    )


def test_phrases_compare_by_template_and_parameters() -> None:
    """Two phrases are equal when their templates and parameters are; a string never is."""
    one, same = Phrase("must be a number", x=1), Phrase("must be a number", x=1)
    assert (one == same, hash(one) == hash(same), one == Phrase("must be a number", x=2)) == (
        True,
        True,
        False,
    )
    assert (one == "must be a number", repr(one)) == (False, "Phrase('must be a number', {'x': 1})")


def test_the_plural_rule_comes_from_the_catalogue_header() -> None:
    """Dutch and English both use form 0 for one and form 1 for every other count."""
    assert [plural_index(locale, n) for locale in LOCALES for n in (0, 1, 2)] == [1, 0, 1] * 2


def test_a_missing_compiled_catalogue_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without its .mo file, loading a catalogue says what to do instead of failing vaguely."""
    _text.catalogue.cache_clear()
    monkeypatch.setattr(_text, "DOMAIN", "nothing-here")
    try:
        with pytest.raises(FileNotFoundError, match="reinstall coopflow"):
            _text.catalogue("nl")
    finally:
        monkeypatch.undo()
        _text.catalogue.cache_clear()
    assert _text.has("too_few_parties", "nl")


def _texts(node: ast.Call) -> list[ast.expr]:
    """The arguments of an error's construction that are its text (a reason or a message)."""
    name = getattr(node.func, "id", getattr(node.func, "attr", ""))
    if name in {"InvalidEventError", "UnknownNameError", "GuardError"}:
        return node.args[2:] if name != "GuardError" else node.args[1:]
    if name in {"TrajectoryError", "ConflictError", "StoreError"}:
        return node.args[:1]
    return []


def _msgids() -> dict[str, tuple[str, int]]:
    """Every literal template of a `Phrase` in src, and every plain text an error is raised with
    (it is translated as a template too), with where it is."""
    found: dict[str, tuple[str, int]] = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if (
                isinstance(node.func, ast.Name)
                and node.func.id == "Phrase"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.setdefault(str(node.args[0].value), (path.name, node.lineno))
            for text in _texts(node):
                if isinstance(text, ast.Constant) and isinstance(text.value, str) and text.value:
                    found.setdefault(text.value, (path.name, text.lineno))
    return found


MSGIDS = _msgids()


@pytest.mark.parametrize("msgid", sorted(MSGIDS))
def test_every_text_written_in_the_code_has_a_dutch_translation(msgid: str) -> None:
    """The Dutch catalogue translates every template of the code, with the same placeholders."""
    dutch = _po("nl").get(msgid)
    forms = dutch if isinstance(dutch, tuple) else (dutch,)
    assert (MSGIDS[msgid], all(forms), [_fields(str(f)) == _fields(msgid) for f in forms]) == (
        MSGIDS[msgid],
        True,
        [True] * len(forms),
    )


def _raise_sites_with_english_only() -> list[str]:
    """f-strings passed straight to an error (or appended as a problem) outside the catalogue."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("testing/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in _ERRORS:
                texts = _texts(node)
            elif name == "InvalidProcessError" and node.args:
                first = node.args[0]
                texts = list(first.elts) if isinstance(first, ast.List) else []
            elif name == "append" and getattr(node.func.value, "id", "") == "problems":  # type: ignore[attr-defined]
                texts = node.args
            else:
                continue
            found += [f"{relative}:{t.lineno}" for t in texts if isinstance(t, ast.JoinedStr)]
    return found


def test_no_error_text_is_an_english_f_string() -> None:
    """Raise sites pass a Phrase (an English template and its parameters), never an f-string."""
    assert _raise_sites_with_english_only() == []


# English words that have no business in a Dutch sentence (ids and quoted values are removed
# first, so `must_not_hold` or 'exploring' do not count).
ENGLISH = {
    "the",
    "must",
    "be",
    "not",
    "has",
    "have",
    "and",
    "to",
    "from",
    "with",
    "which",
    "cannot",
    "can",
    "no",
    "only",
    "unknown",
    "invalid",
    "should",
    "does",
    "was",
    "were",
    "this",
    "that",
    "its",
    "for",
    "by",
    "are",
    "been",
    "yet",
    "any",
    "every",
    "than",
    "there",
    "between",
    "none",
    "already",
    "needs",
    "needed",
    "party",
    "parties",
    "state",
    "trigger",
    "guard",
    "it",
    "would",
    "could",
}


def _english_words(text: str) -> set[str]:
    quoted = "'[^']*'|\"[^\"]*\"|\u2018[^\u2019]*\u2019|<[^>]*>|\\S*[_.=/()\\[\\]]\\S*"
    text = re.sub(quoted, " ", text)
    return set(re.findall(r"[A-Za-z]+", text.lower())) & ENGLISH


PARTIES = [
    cf.Party("gemeente", name="Gemeente Tilburg"),
    cf.Party("uni", name="Tilburg University"),
]


def _call(action: Callable[[], object]) -> cf.CoopflowError:
    try:
        action()
    except cf.CoopflowError as error:
        return error
    raise AssertionError(f"{action} raised nothing")


def _trajectory() -> cf.Trajectory:
    return cf.Trajectory.start(cf.default_process(), parties=PARTIES)


def _store() -> Store:
    store = Store.open("sqlite://")
    store.save(
        cf.Trajectory.start(cf.default_process(), parties=PARTIES, id="t", title="Spoorzone")
    )
    return store


def _conflict() -> None:
    store = _store()
    first, second = store.load("t"), store.load("t")
    for t in (first, second):
        t.fire("stall", at=t.history[-1].at)
        store.save(t)


def _unknown_process() -> None:
    stricter = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(f"sqlite:///{folder}/store.db") as store:
            store.save(cf.Trajectory.start(stricter, parties=PARTIES, id="t"))
        with Store.open(f"sqlite:///{folder}/store.db") as store:
            store.load("t")


def _proposed_twice() -> None:
    t = _trajectory()
    t.record(cf.AgendaProposed(2, ()))
    t.record(cf.AgendaProposed(1, ()))


ERRORS: dict[str, Callable[[], object]] = {
    "nan score": lambda: cf.Assessed("gemeente", cf.Dimension.TRUST, float("nan")),
    "bad settings": lambda: cf.Settings(entry_threshold=2.5, regression_threshold=3.0),
    "unknown label": lambda: cf.default_process().label("nowhere"),
    "refused": lambda: _trajectory().fire("form_culture"),
    "unknown trigger": lambda: _trajectory().fire("fly"),
    "one party": lambda: cf.Trajectory.start(cf.default_process(), parties=PARTIES[:1]),
    "not json": lambda: cf.loads("not json", process=cf.default_process()),
    "no process": lambda: cf.loads("{}"),  # type: ignore[call-overload]
    "file format": lambda: cf.Process.from_file("process.yaml"),
    "locale": lambda: cf.default_process().label("exploring", locale="fr"),
    "bad share": lambda: cf.Settings(max_weight_share=2.0),
    "bad scale": lambda: cf.Settings(scale=(5, 1)),
    "bad money": lambda: cf.ContributionCommitted("uni", "c1", cash="lots"),
    "naive time": lambda: _trajectory().record(
        cf.PartyJoined(cf.Party("x")),
        at=datetime(2018, 6, 14),
    ),
    "undeclared role": lambda: cf.Vocabulary().label("role", "nobody"),
    "unknown party": lambda: _trajectory().record(cf.Assessed("nobody", "trust", 3.0)),
    "empty process": lambda: cf.Process("", states=[], transitions=[]),
    "store: unknown trajectory": lambda: _store().load("nowhere"),
    "store: no such generation": lambda: _store().history("t", generation=3),
    "store: lost race": _conflict,
    "store: bad limit": lambda: _store().find(limit=0),
    "store: bad retries": lambda: _store().rebase(cf.default_process(), retries=-1),
    "store: unknown process": _unknown_process,
    "store: not a url": lambda: Store.open(5),  # type: ignore[arg-type]
    "score off the scale": lambda: _trajectory().record(cf.Assessed("uni", "trust", 9.0)),
    "lower agenda version": _proposed_twice,
    "unknown theme": lambda: _trajectory().record(cf.ThemeClosed("mobility")),
    "snapshot: unknown party": lambda: _trajectory().snapshot.party("nobody"),
    "missing extra": lambda: (_ for _ in ()).throw(
        cf.MissingExtraError("hypothesis", extra="testing", needed_by="coopflow.testing")
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_errors_render_in_dutch_without_english_words(case: str) -> None:
    """A broad sample of the errors coopflow raises reads as Dutch: no English word is left."""
    error = _call(ERRORS[case])
    dutch = error.message("nl")
    assert (dutch != error.message("en"), _english_words(dutch)) == (True, set()), dutch


def test_an_error_message_refuses_an_unknown_locale() -> None:
    """message() speaks en and nl only."""
    with pytest.raises(cf.UnknownNameError):
        cf.TrajectoryError("x").message("fr")


def test_an_error_raised_with_plain_text_renders_that_text() -> None:
    """A CoopflowError given a string (or several arguments) shows it as it is."""
    assert (cf.TrajectoryError("x", 1).message("nl"), cf.ConflictError().message()) == (
        "('x', 1)",
        "",
    )


def test_invalid_process_error_gives_each_problem_in_dutch() -> None:
    """problem_messages renders every problem in the locale asked, problems stay English."""
    error = _call(ERRORS["bad settings"])
    assert isinstance(error, cf.InvalidProcessError)
    assert (error.problems, error.problem_messages("nl")) == (
        ("regression_threshold 3.0 is above entry_threshold 2.5",),
        ("regression_threshold 3.0 ligt boven entry_threshold 2.5",),
    )
