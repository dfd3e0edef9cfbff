"""The demo's story and data; `coopflow.demo` is its public face (see there)."""

import pathlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal

import coopflow as cf
from coopflow._events import DataEvent
from coopflow._i18n import check_locale
from coopflow._text import Phrase

GEMEENTE = "gemeente-tilburg"
UNIVERSITY = "tilburg-university"

PARTIES = (
    cf.Party(GEMEENTE, name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT),
    cf.Party(UNIVERSITY, name="Tilburg University", sector=cf.Sector.KNOWLEDGE),
)
"""The two parties of the seed's example."""

INTEREST = "city-challenges-and-knowledge"

# The illustrative themes: (id, lead party, {locale: (title, indicator)}).
_THEMES = (
    (
        "innovative-education-city",
        UNIVERSITY,
        {
            "en": ("Innovative education city", "school leavers with a starting qualification"),
            "nl": ("Innovatieve onderwijsstad", "schoolverlaters met een startkwalificatie"),
        },
    ),
    (
        "sustainable-city",
        GEMEENTE,
        {
            "en": ("Sustainable city", "CO2 emissions of the city"),
            "nl": ("Duurzame stad", "CO2-uitstoot van de stad"),
        },
    ),
    (
        "resilient-healthy-city",
        UNIVERSITY,
        {
            "en": ("Resilient and healthy city", "residents who report good health"),
            "nl": ("Veerkrachtige en gezonde stad", "inwoners die hun gezondheid goed noemen"),
        },
    ),
    (
        "governable-city",
        GEMEENTE,
        {
            "en": ("Governable city", "policy decisions that cite research"),
            "nl": ("Bestuurbare stad", "beleidsbesluiten die zich op onderzoek beroepen"),
        },
    ),
    (
        "entrepreneurial-city",
        GEMEENTE,
        {
            "en": ("Entrepreneurial city", "start-ups founded with university knowledge"),
            "nl": ("Ondernemende stad", "start-ups die met kennis van de universiteit ontstaan"),
        },
    ),
)


def _themes(locale: str) -> tuple[cf.Theme, ...]:
    return tuple(
        cf.Theme(id, texts[locale][0], owner, texts[locale][1], [INTEREST])
        for id, owner, texts in _THEMES
    )


THEMES = _themes("en")
"""The five themes of the cooperation agenda (not in the article; owners and indicators are
illustrative)."""

_SAY = {
    "en": {
        "title": "Gemeente Tilburg and Tilburg University",
        "state": "{title}: {state}",
        "try": "Next step: ‘{trigger}’",
        "moved": "-> {state}",
        "signed": "Signed on 14 June by Emile Aarts (rector magnificus, Tilburg University) "
        "and Marcelle Hendrickx (alderman, Gemeente Tilburg).",
        "stored": "Stored as {id} in {path} and loaded back from it: {state}.",
        "no_store": "Not stored: the store needs SQLAlchemy (pip install 'coopflow[store]').",
        "store_failed": "Not stored in {path}: {error}",
    },
    "nl": {
        "title": "Samenwerking gemeente Tilburg – Tilburg University",
        "state": "{title}: fase {state}",
        "try": "Volgende stap: ‘{trigger}’",
        "moved": "-> {state}",
        "signed": "Op 14 juni ondertekend door rector magnificus Emile Aarts (Tilburg University) "
        "en wethouder Marcelle Hendrickx (gemeente Tilburg).",
        "stored": "Opgeslagen als {id} in {path} en daaruit weer geladen: fase {state}.",
        "no_store": "Niet opgeslagen: de opslag heeft SQLAlchemy nodig "
        "(pip install 'coopflow[store]').",
        "store_failed": "Niet opgeslagen in {path}: {error}",
    },
}
_FIX = (
    "Recording the missing information ({count} registration) ...",
    "Recording the missing information ({count} registrations) ...",
)
# The demo's own data, in the reader's language.
_DATA = {
    "en": {
        "interest": "coupling the city's challenges to the university's knowledge",
        "g_brings": "big-city challenges and data",
        "g_gains": "knowledge-based (evidence-based) policy",
        "u_brings": "social and behavioural science",
        "u_gains": "stronger ties with society (Science with a soul)",
        "g_needs": "knowledge for its policy",
        "u_needs": "the city as a field of study",
        "rector": "rector magnificus",
        "alderman": "alderman",
    },
    "nl": {
        "interest": "stedelijke opgaven koppelen aan de kennis van de universiteit",
        "g_brings": "grootstedelijke opgaven en gegevens",
        "g_gains": "kennisgestuurd beleid (evidence-based policy)",
        "u_brings": "sociale en gedragswetenschappen",
        "u_gains": "sterkere banden met de samenleving (Science with a soul)",
        "g_needs": "kennis voor het beleid",
        "u_needs": "de stad als onderzoeksveld",
        "rector": "rector magnificus",
        "alderman": "wethouder",
    },
}


def _day(month: int, day: int, year: int = 2018) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


def _culture(locale: str) -> list[cf.InterestShared | cf.ValueNamed | cf.DependencyDeclared]:
    both, data = {GEMEENTE, UNIVERSITY}, _DATA[locale]
    return [
        cf.InterestShared(INTEREST, both, description=data["interest"]),
        cf.ValueNamed(GEMEENTE, brings=data["g_brings"], gains=data["g_gains"]),
        cf.ValueNamed(UNIVERSITY, brings=data["u_brings"], gains=data["u_gains"]),
        cf.DependencyDeclared(GEMEENTE, UNIVERSITY, need=data["g_needs"]),
        cf.DependencyDeclared(UNIVERSITY, GEMEENTE, need=data["u_needs"]),
    ]


def _preliminary() -> list[cf.Assessed | cf.ContributionCommitted | cf.DecisionRuleSet]:
    scores = {
        cf.Dimension.TRUST: (4.0, 4.2),
        cf.Dimension.VOICE: (4.1, 3.9),
        cf.Dimension.STAKE: (4.5, 4.0),
        cf.Dimension.URGENCY: (4.2, 3.6),
        cf.Dimension.IMPACT: (4.0, 4.4),
    }
    events: list[cf.Assessed | cf.ContributionCommitted | cf.DecisionRuleSet] = [
        cf.Assessed(party, dimension, value)
        for dimension, values in scores.items()
        for party, value in zip((GEMEENTE, UNIVERSITY), values, strict=True)
    ]
    events += [
        cf.ContributionCommitted(GEMEENTE, "programme-funding", cash=Decimal("600000")),
        cf.ContributionCommitted(UNIVERSITY, "researchers", cash=Decimal("400000"), in_kind=True),
        cf.DecisionRuleSet(cf.DecisionRule.CONSENSUS),
    ]
    return events


def _agenda(locale: str) -> list[cf.AgendaProposed | cf.AgendaApproved]:
    return [
        cf.AgendaProposed(1, _themes(locale)),
        cf.AgendaApproved(GEMEENTE, 1),
        cf.AgendaApproved(UNIVERSITY, 1),
    ]


def _declaration(locale: str) -> list[cf.DeclarationSigned]:
    data = _DATA[locale]
    return [
        cf.DeclarationSigned(UNIVERSITY, "Emile Aarts", 1, role=data["rector"]),
        cf.DeclarationSigned(GEMEENTE, "Marcelle Hendrickx", 1, role=data["alderman"]),
    ]


def _office() -> list[cf.RoleAssigned | cf.BudgetSet]:
    # Role ids are words of the vocabulary; messages show them by their labels.
    return [
        cf.RoleAssigned("programme_manager", GEMEENTE),
        cf.RoleAssigned("scientific_director", UNIVERSITY),
        cf.BudgetSet(Decimal("1000000")),
    ]


def tilburg(
    *,
    locale: str = "en",
    out: Callable[[str], object] = print,
    process: cf.Process | None = None,
    id: str | None = None,
) -> cf.Trajectory:
    """Run the Tilburg trajectory from exploring to operating, narrating every refusal.

    Args:
        locale: ``"en"`` or ``"nl"``.
        out: where each line goes (default: `print`).
        process: the process to follow (default: `default_process()`).
        id: the trajectory's id (default: a new one).

    Returns:
        The trajectory, in state ``operating``.

    Example:
        >>> from coopflow import demo
        >>> demo.tilburg(locale="nl", out=lambda line: None).state
        'operating'
    """
    check_locale(locale)
    process = cf.default_process() if process is None else process
    say = _SAY[locale]
    title = say["title"]
    t = cf.Trajectory.start(process, parties=PARTIES, title=title, id=id, at=_day(9, 1, 2017))
    out(say["state"].format(title=title, state=process.label(t.state, locale=locale)))
    steps: Sequence[tuple[str, datetime, Sequence[DataEvent]]] = (
        ("form_culture", _day(11, 15, 2017), _culture(locale)),
        ("set_agenda", _day(2, 1), _preliminary()),
        ("open_signing", _day(5, 1), _agenda(locale)),
        ("organise", _day(6, 14), _declaration(locale)),
        ("start", _day(9, 3), _office()),
    )
    for trigger, when, events in steps:
        out("")
        out(say["try"].format(trigger=process.label(trigger, locale=locale)))
        try:
            t.fire(trigger, at=when, actor="facilitator")
        except cf.TransitionRefused as refusal:
            out(refusal.explanation.message(locale, process=process))
        out(Phrase(*_FIX, count=len(events)).render(locale))
        for event in events:
            t.record(event, at=when, actor="facilitator")
        t.fire(trigger, at=when, actor="facilitator")
        out(say["moved"].format(state=process.label(t.state, locale=locale)))
        if trigger == "organise":
            out(say["signed"])
    return t


def store(
    trajectory: cf.Trajectory,
    path: str | pathlib.Path = "coopflow.db",
    *,
    locale: str = "en",
    out: Callable[[str], object] = print,
) -> cf.Trajectory | None:
    """Save `trajectory` in the SQLite file at `path`, load it back, and say where it is.

    The file is created if needed and keeps what earlier runs stored (each run's trajectory has
    an id of its own).

    Args:
        trajectory: the trajectory to store (the demo's, say).
        path: the SQLite database file.
        locale: ``"en"`` or ``"nl"``.
        out: where the line saying where it is goes (default: `print`).

    Returns:
        The trajectory as loaded back from the file; None, after saying why, when it could not
        be stored: the ``store`` extra (SQLAlchemy) is not installed, or the file cannot be
        written.

    Example:
        >>> import pathlib, tempfile
        >>> from coopflow import demo
        >>> t = demo.tilburg(out=lambda line: None, id="tilburg")
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "coopflow.db"
        >>> lines = []
        >>> demo.store(t, path, out=lines.append) == t
        True
        >>> lines[0].startswith("Stored as tilburg in ")
        True
    """
    check_locale(locale)
    say = _SAY[locale]
    try:
        from coopflow.store import Store
    except ImportError:
        out(say["no_store"])
        return None
    target = pathlib.Path(path).resolve()
    try:
        with Store.open(f"sqlite:///{target}", processes=[trajectory.process]) as opened:
            opened.save(trajectory)
            loaded = opened.load(trajectory.id, replay=True)
    except cf.StoreError as error:
        out(say["store_failed"].format(path=target, error=error.message(locale)))
        return None
    state = loaded.process.label(loaded.state, locale=locale)
    out(say["stored"].format(id=loaded.id, path=target, state=state))
    return loaded
