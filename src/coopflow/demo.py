"""The seed article's example: Gemeente Tilburg and Tilburg University, from exploring to operating.

At every step the demo first asks for the next transition, prints what is refused and why (in
English or Dutch), then records the facts that were missing and fires again. It uses only the
public API, so it doubles as a worked example; `examples/tilburg.py` runs it as a script.

Example:
    >>> from coopflow import demo
    >>> lines = []
    >>> t = demo.tilburg(locale="en", out=lines.append)
    >>> t.state
    'operating'
    >>> lines[0]
    'Tilburg x Tilburg University: Exploration'
"""

import pathlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal

import coopflow as cf
from coopflow._events import DataEvent
from coopflow._i18n import check_locale

__all__ = ["PARTIES", "THEMES", "store", "tilburg"]

GEMEENTE = "gemeente-tilburg"
UNIVERSITY = "tilburg-university"

PARTIES = (
    cf.Party(GEMEENTE, name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT),
    cf.Party(UNIVERSITY, name="Tilburg University", sector=cf.Sector.KNOWLEDGE),
)
"""The two parties of the seed's example."""

THEMES = (
    cf.Theme(
        "innovative-education-city",
        "Innovative education city",
        UNIVERSITY,
        "school leavers with a starting qualification",
        ["evidence-based-policy", "science-with-a-soul"],
    ),
    cf.Theme(
        "sustainable-city",
        "Sustainable city",
        GEMEENTE,
        "CO2 emissions of the city",
        ["evidence-based-policy"],
    ),
    cf.Theme(
        "resilient-healthy-city",
        "Resilient and healthy city",
        UNIVERSITY,
        "residents who report good health",
        ["science-with-a-soul"],
    ),
    cf.Theme(
        "governable-city",
        "Governable city",
        GEMEENTE,
        "policy decisions that cite research",
        ["evidence-based-policy"],
    ),
    cf.Theme(
        "entrepreneurial-city",
        "Entrepreneurial city",
        GEMEENTE,
        "start-ups founded with university knowledge",
        ["evidence-based-policy", "science-with-a-soul"],
    ),
)
"""The five themes of the Tilburg cooperation agenda."""

_SAY = {
    "en": {
        "state": "{title}: {state}",
        "try": "Trying '{trigger}':",
        "fix": "Recording what was missing ({count} events) ...",
        "moved": "-> {state}",
        "signed": "Signed on {date} by {people}.",
        "stored": "Stored as {id} in {path} and loaded back from it: {state}.",
        "no_store": "Not stored: the store needs SQLAlchemy (pip install 'coopflow[store]').",
        "store_failed": "Not stored in {path}: {error}",
    },
    "nl": {
        "state": "{title}: {state}",
        "try": "Poging '{trigger}':",
        "fix": "Vastleggen wat ontbrak ({count} gebeurtenissen) ...",
        "moved": "-> {state}",
        "signed": "Getekend op {date} door {people}.",
        "stored": "Opgeslagen als {id} in {path} en daaruit weer geladen: {state}.",
        "no_store": "Niet opgeslagen: de opslag heeft SQLAlchemy nodig "
        "(pip install 'coopflow[store]').",
        "store_failed": "Niet opgeslagen in {path}: {error}",
    },
}


def _day(month: int, day: int, year: int = 2018) -> datetime:
    return datetime(year, month, day, 10, 0, tzinfo=UTC)


def _culture() -> list[cf.InterestShared | cf.ValueNamed | cf.DependencyDeclared]:
    both = {GEMEENTE, UNIVERSITY}
    return [
        cf.InterestShared("evidence-based-policy", both, description="knowledge-based policy"),
        cf.InterestShared("science-with-a-soul", both, description="ties with society"),
        cf.ValueNamed(GEMEENTE, brings="big-city challenges and data", gains="evidence"),
        cf.ValueNamed(UNIVERSITY, brings="social and behavioural science", gains="impact"),
        cf.DependencyDeclared(GEMEENTE, UNIVERSITY, need="knowledge for policy"),
        cf.DependencyDeclared(UNIVERSITY, GEMEENTE, need="the city as a field of study"),
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


def _agenda() -> list[cf.AgendaProposed | cf.AgendaApproved]:
    return [
        cf.AgendaProposed(1, THEMES),
        cf.AgendaApproved(GEMEENTE, 1),
        cf.AgendaApproved(UNIVERSITY, 1),
    ]


def _declaration() -> list[cf.DeclarationSigned]:
    return [
        cf.DeclarationSigned(UNIVERSITY, "Emile Aarts", 1, role="rector magnificus"),
        cf.DeclarationSigned(GEMEENTE, "Marcelle Hendricks", 1, role="wethouder"),
    ]


def _office() -> list[cf.RoleAssigned | cf.BudgetSet]:
    return [
        cf.RoleAssigned("programme_manager", GEMEENTE, person="programme manager"),
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
    title = "Tilburg x Tilburg University"
    t = cf.Trajectory.start(process, parties=PARTIES, title=title, id=id, at=_day(9, 1, 2017))
    out(say["state"].format(title=title, state=process.label(t.state, locale=locale)))
    steps: Sequence[tuple[str, datetime, Sequence[DataEvent]]] = (
        ("form_culture", _day(11, 15, 2017), _culture()),
        ("set_agenda", _day(2, 1), _preliminary()),
        ("open_signing", _day(5, 1), _agenda()),
        ("organise", _day(6, 14), _declaration()),
        ("start", _day(9, 3), _office()),
    )
    for trigger, when, events in steps:
        out("")
        out(say["try"].format(trigger=process.label(trigger, locale=locale)))
        try:
            t.fire(trigger, at=when, actor="facilitator")
        except cf.TransitionRefused as refusal:
            out(refusal.explanation.message(locale, process=process))
        out(say["fix"].format(count=len(events)))
        for event in events:
            t.record(event, at=when, actor="facilitator")
        t.fire(trigger, at=when, actor="facilitator")
        out(say["moved"].format(state=process.label(t.state, locale=locale)))
        if trigger == "organise":
            people = ", ".join(f"{s.signatory} ({s.role})" for s in t.snapshot.registers.signatures)
            out(say["signed"].format(date=when.date().isoformat(), people=people))
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
        out(say["store_failed"].format(path=target, error=error))
        return None
    state = loaded.process.label(loaded.state, locale=locale)
    out(say["stored"].format(id=loaded.id, path=target, state=state))
    return loaded
