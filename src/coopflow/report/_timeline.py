"""The audit log in plain language: one or more sentences per record, in the reader's locale.

Parties show by their names, states, triggers, dimensions, roles and facts by their labels,
amounts as euros; ids appear only where a record has nothing else to show (a contribution).
"""

from collections.abc import Mapping

from coopflow._events import (
    AgendaApproved,
    AgendaProposed,
    Assessed,
    BudgetSet,
    ContributionCommitted,
    ContributionWithdrawn,
    DataEvent,
    DecisionRule,
    DecisionRuleSet,
    DeclarationSigned,
    DependencyDeclared,
    FactRecorded,
    Fire,
    InterestShared,
    PartyJoined,
    PartyLeft,
    ReviewRecorded,
    RoleAssigned,
    Started,
    ThemeClosed,
    ValueNamed,
)
from coopflow._process import Process
from coopflow._results import Outcome, Record
from coopflow._snapshot import Snapshot
from coopflow._text import Money, Phrase

_RULES = {
    DecisionRule.CONSENSUS: Phrase("consensus"),
    DecisionRule.UNANIMITY: Phrase("unanimity"),
    DecisionRule.WEIGHTED: Phrase("weighted votes"),
}


def label(process: Process, kind: str, id: str, locale: str) -> str:
    """The label of a word of the process's vocabulary, or the id made readable."""
    labels = process.vocabulary.labels(kind, id)
    if locale in labels:
        return str(labels[locale])
    return id.replace("_", " ").replace("-", " ")


def _theme(snapshot: Snapshot, id: str) -> str:
    titles = (t.title for v in reversed(snapshot.registers.agenda) for t in v.themes if t.id == id)
    return next(titles, id)


def _event(
    event: DataEvent | Started,
    process: Process,
    snapshot: Snapshot,
    names: Mapping[str, str],
    locale: str,
) -> Phrase:
    def name(id: str) -> str:
        return names.get(id, id)

    if isinstance(event, Started):
        count = len(event.parties)
        return Phrase("Started with {count} party", "Started with {count} parties", count=count)
    if isinstance(event, PartyLeft):
        if event.reason:
            return Phrase("{name} left: {reason}", name=name(event.party), reason=event.reason)
        return Phrase("{name} left", name=name(event.party))
    if isinstance(event, InterestShared):
        who = ", ".join(sorted(name(p) for p in event.parties))
        return Phrase(
            "Common interest shared by {who}: {interest}",
            who=who,
            interest=event.description or event.interest,
        )
    if isinstance(event, ValueNamed):
        return Phrase(
            "{name} brings {brings}; it gains {gains}",
            name=name(event.party),
            brings=event.brings,
            gains=event.gains,
        )
    if isinstance(event, DependencyDeclared):
        other = name(event.depends_on)
        if event.need:
            return Phrase(
                "{name} depends on {other} for {need}",
                name=name(event.party),
                other=other,
                need=event.need,
            )
        return Phrase("{name} depends on {other}", name=name(event.party), other=other)
    if isinstance(event, Assessed):
        return Phrase(
            "{name} scored {score} on {dimension}",
            name=name(event.party),
            score=event.score,
            dimension=label(process, "dimension", event.dimension, locale),
        )
    if isinstance(event, ContributionCommitted):
        if event.in_kind and event.cash:
            return Phrase(
                "{name} committed a contribution in kind worth {amount}",
                name=name(event.party),
                amount=Money(event.cash),
            )
        if event.in_kind:
            return Phrase("{name} committed a contribution in kind", name=name(event.party))
        return Phrase("{name} committed {amount}", name=name(event.party), amount=Money(event.cash))
    if isinstance(event, ContributionWithdrawn):
        return Phrase("{name} withdrew a contribution", name=name(event.party))
    if isinstance(event, DecisionRuleSet):
        return Phrase("The parties decide by {rule}", rule=_RULES[event.rule])
    if isinstance(event, AgendaProposed):
        return Phrase(
            "Agenda version {version} proposed with {count} theme",
            "Agenda version {version} proposed with {count} themes",
            version=event.version,
            count=len(event.themes),
        )
    if isinstance(event, AgendaApproved):
        return Phrase(
            "{name} approved agenda version {version}",
            name=name(event.party),
            version=event.version,
        )
    if isinstance(event, DeclarationSigned):
        who = f"{event.signatory}, {event.role}" if event.role else event.signatory
        return Phrase(
            "{name} signed the cooperation declaration ({who})", name=name(event.party), who=who
        )
    if isinstance(event, RoleAssigned):
        return Phrase(
            "{name} takes the role of {role}",
            name=name(event.party),
            role=label(process, "role", event.role, locale),
        )
    if isinstance(event, BudgetSet):
        return Phrase("Programme budget set at {amount}", amount=Money(event.amount))
    if isinstance(event, ThemeClosed):
        return Phrase("Theme closed: {theme}", theme=_theme(snapshot, event.theme))
    if isinstance(event, ReviewRecorded):
        if event.final:
            return Phrase("Final review recorded: {summary}", summary=event.summary)
        return Phrase("Review recorded: {summary}", summary=event.summary)
    if isinstance(event, FactRecorded):
        fact = label(process, "fact", event.fact, locale)
        if event.party is not None:
            if event.holds:
                return Phrase("Recorded for {name}: {fact}", name=name(event.party), fact=fact)
            return Phrase("Withdrawn for {name}: {fact}", name=name(event.party), fact=fact)
        if event.holds:
            return Phrase("Recorded: {fact}", fact=fact)
        return Phrase("Withdrawn: {fact}", fact=fact)
    # Every other event type has its sentence above: mypy refuses this line when a new event
    # type joins `DataEvent` without one.
    joined: PartyJoined = event
    return Phrase("{name} joined", name=joined.party.name)


def say(
    record: Record, process: Process, snapshot: Snapshot, names: Mapping[str, str], locale: str
) -> list[str]:
    """The sentences of one record: what happened, and every move of phase it caused."""
    event = record.event
    lines: list[str] = []
    if isinstance(event, Fire) and record.outcome is Outcome.REFUSED:
        trigger = process.label(event.trigger, locale=locale)
        count = len(record.explanation.failures) if record.explanation else 0
        lines.append(
            Phrase(
                "The step ‘{trigger}’ was refused ({count} reason)",
                "The step ‘{trigger}’ was refused ({count} reasons)",
                trigger=trigger,
                count=count,
            ).render(locale)
        )
    elif not isinstance(event, Fire):
        lines.append(_event(event, process, snapshot, names, locale).render(locale))
    for move in record.transitions:
        params = {
            "trigger": process.label(move.trigger, locale=locale),
            "source": process.label(move.source, locale=locale),
            "dest": process.label(move.dest, locale=locale),
        }
        if move.automatic:
            phrase = Phrase("Moved automatically ({trigger}): from {source} to {dest}", **params)
        else:
            phrase = Phrase("Step taken ({trigger}): from {source} to {dest}", **params)
        lines.append(phrase.render(locale))
    return lines
