"""``coopflow import-scores ID FILE.csv``: the answers of a survey, as scores of the parties.

The file has a header row with the columns party, dimension, score, respondent and date (in
English or Dutch: partij, dimensie, score, respondent, datum); comma or semicolon separated, a
decimal comma is fine. A party is its id or its name, a dimension its id or its label in either
language. The answers are recorded in date order; one bad row refuses the whole file.
"""

import csv
import io
from datetime import datetime
from typing import Any

from coopflow._events import Assessed
from coopflow._text import LOCALES, Phrase
from coopflow._trajectory import Trajectory
from coopflow.cli._shell import DONE, CommandError, Context, Progress, parse_time, read_text
from coopflow.exceptions import CoopflowError

_COLUMNS = {
    "party": "party",
    "partij": "party",
    "dimension": "dimension",
    "dimensie": "dimension",
    "score": "score",
    "respondent": "respondent",
    "date": "date",
    "datum": "date",
}
_NEEDED = ("party", "dimension", "score")


def _rows(text: str, path: str) -> list[tuple[int, dict[str, str]]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        raise CommandError(Phrase("{path} is empty", path=path)) from None
    names = [_COLUMNS.get(name.strip().lower(), "") for name in header]
    missing = [name for name in _NEEDED if name not in names]
    if missing:
        raise CommandError(
            Phrase("{path} has no column {columns}", path=path, columns=", ".join(missing))
        )
    rows = []
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        rows.append(
            (
                reader.line_num,
                {name: cell.strip() for name, cell in zip(names, row, strict=False) if name},
            )
        )
    return rows


def _lookup(trajectory: Trajectory) -> tuple[dict[str, str], dict[str, str]]:
    snapshot, vocabulary = trajectory.snapshot, trajectory.process.vocabulary
    parties = {party.name.lower(): party.id for party in snapshot.parties}
    parties.update({party.id.lower(): party.id for party in snapshot.parties})
    dimensions = {
        vocabulary.label("dimension", id, locale).lower(): id
        for id in vocabulary.dimensions
        for locale in LOCALES
    }
    dimensions.update({id.lower(): id for id in vocabulary.dimensions})
    return parties, dimensions


def _answer(
    row: dict[str, str], parties: dict[str, str], dimensions: dict[str, str]
) -> tuple[datetime | None, Assessed]:
    text = row.get("score", "")
    try:
        score = float(text.replace(",", ".") if "." not in text else text)
    except ValueError:
        raise CommandError(Phrase("{text} is not a number", text=repr(text))) from None
    party = parties.get(row["party"].lower(), row["party"])
    dimension = dimensions.get(row["dimension"].lower(), row["dimension"])
    event = Assessed(party, dimension, score, respondent=row.get("respondent", ""))
    day = row.get("date", "")
    return (parse_time(day) if day else None), event


def import_scores(ctx: Context) -> int:
    """Record every answer of the file; nothing is saved when one of them is refused."""
    args = ctx.args
    text = read_text(args.file)
    rows = _rows(text, args.file)
    with ctx.store() as store:
        trajectory = store.load(args.id)
        parties, dimensions = _lookup(trajectory)
        answers = []
        for line, row in rows:
            try:
                at, event = _answer(row, parties, dimensions)
                answers.append((at, line, event))
            except (CommandError, CoopflowError) as error:
                raise CommandError(
                    Phrase("{path}, line {line}: {error}", path=args.file, line=line, error=error)
                ) from None
        # In date order (answers without a date count as now), the file's order within a day.
        first = trajectory.history[-1].at
        now = datetime.now(first.tzinfo)
        answers.sort(key=lambda answer: answer[0] or now)
        progress = Progress(len(answers), ctx.err, label=args.file)
        for done, (at, line, event) in enumerate(answers, start=1):
            try:
                trajectory.record(event, at=at or now, actor=args.actor)
            except CoopflowError as error:
                progress.close()
                raise CommandError(
                    Phrase("{path}, line {line}: {error}", path=args.file, line=line, error=error)
                ) from None
            progress.step(done)
        progress.close()
        store.save(trajectory)
    ctx.say(
        Phrase(
            "Imported {count} score into {id}.",
            "Imported {count} scores into {id}.",
            count=len(answers),
            id=trajectory.id,
        )
    )
    state = trajectory.process.label(trajectory.state, locale=ctx.locale)
    ctx.say(Phrase("Phase: {state}", state=state))
    return DONE
