"""The audit log in plain language: one or more sentences per record, in the reader's locale.

Parties show by their names, states, triggers, dimensions, roles and facts by their labels,
amounts as euros; ids appear only where a record has nothing else to show (a contribution).
"""

from collections.abc import Mapping

from coopflow._events import DataEvent, Fire, Started
from coopflow._process import Process
from coopflow._results import Outcome, Record
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase


def label(process: Process, kind: str, id: str, locale: str) -> str:
    """The label of a word of the process's vocabulary, or the id made readable."""
    labels = process.vocabulary.labels(kind, id)
    if locale in labels:
        return str(labels[locale])
    return id.replace("_", " ").replace("-", " ")


def _theme(snapshot: Snapshot, id: str) -> str:
    titles = (t.title for v in reversed(snapshot.registers.agenda) for t in v.themes if t.id == id)
    return next(titles, id)


class _Words:
    """The words of one process, snapshot and reader, as an event's sentence asks for them."""

    def __init__(
        self, process: Process, snapshot: Snapshot, names: Mapping[str, str], locale: str
    ) -> None:
        self._process = process
        self._snapshot = snapshot
        self._names = names
        self._locale = locale

    def name(self, party: str) -> str:
        return self._names.get(party, party)

    def label(self, kind: str, id: str) -> str:
        return label(self._process, kind, id, self._locale)

    def theme(self, id: str) -> str:
        return _theme(self._snapshot, id)


def _event(
    event: DataEvent | Started,
    process: Process,
    snapshot: Snapshot,
    names: Mapping[str, str],
    locale: str,
) -> Phrase:
    # Each event type says its own sentence (coopflow._events); mypy refuses a type without one.
    return event._sentence(_Words(process, snapshot, names, locale))


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
