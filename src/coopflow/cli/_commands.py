"""The subcommands on the trajectories of the store: new, party, record, fire, why, status,
history and list.
"""

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from coopflow._events import Fire, Party, PartyJoined, PartyLeft, Started
from coopflow._i18n import WORDS
from coopflow._process import Process
from coopflow._results import Applied, Explanation, Outcome, Record
from coopflow._serialize import record_to_data
from coopflow._text import Phrase
from coopflow._trajectory import Trajectory
from coopflow.cli._events import command_name, event_from
from coopflow.cli._shell import DONE, REFUSED, Context, as_json
from coopflow.exceptions import TransitionRefused, UnknownNameError

if TYPE_CHECKING:  # pragma: no cover - the store needs an extra
    from coopflow.store import Summary

T = TypeVar("T")


def label(process: Process, name: str, locale: str) -> str:
    """The label of a state or trigger, or the name itself when the process does not know it."""
    try:
        return process.label(name, locale=locale)
    except UnknownNameError:
        return name


def _change(ctx: Context, id: str, action: Callable[[Trajectory], T]) -> tuple[Trajectory, T]:
    with ctx.store() as store:
        trajectory = store.load(id)
        result = action(trajectory)
        store.save(trajectory)
    return trajectory, result


def _moves(ctx: Context, trajectory: Trajectory, applied: Applied) -> None:
    for move in applied.transitions:
        process, locale = trajectory.process, ctx.locale
        params = {
            "trigger": label(process, move.trigger, locale),
            "source": label(process, move.source, locale),
            "dest": label(process, move.dest, locale),
        }
        if move.automatic:
            ctx.say(Phrase("{source} -> {dest} (automatically: ‘{trigger}’)", **params))
        else:
            ctx.say(Phrase("{source} -> {dest}", **params))


def new(ctx: Context) -> int:
    """``coopflow new TITLE --party ID=NAME[:SECTOR] ...``: start a trajectory, print its id."""
    args = ctx.args
    trajectory = Trajectory.start(
        ctx.process, parties=args.party, title=args.title, id=args.id, at=args.at
    )
    with ctx.store(create=True) as store:
        store.save(trajectory)
    ctx.say(trajectory.id)
    return DONE


def party(ctx: Context) -> int:
    """``coopflow party add ID PARTY`` and ``coopflow party leave ID PARTY_ID``."""
    args = ctx.args
    event = (
        PartyJoined(args.party)
        if args.party_action == "add"
        else PartyLeft(args.party, reason=args.reason)
    )
    trajectory, applied = _change(
        ctx, args.id, lambda t: t.record(event, at=args.at, actor=args.actor)
    )
    ctx.say(Phrase("Recorded in {id}: {event}.", id=trajectory.id, event=command_name(type(event))))
    _moves(ctx, trajectory, applied)
    return DONE


def record(ctx: Context) -> int:
    """``coopflow record ID EVENT [--field value ...]``: record a data event."""
    args = ctx.args
    event = event_from(args, ctx.locale)
    trajectory, applied = _change(
        ctx, args.id, lambda t: t.record(event, at=args.at, actor=args.actor)
    )
    ctx.say(Phrase("Recorded in {id}: {event}.", id=trajectory.id, event=command_name(type(event))))
    _moves(ctx, trajectory, applied)
    return DONE


def fire(ctx: Context) -> int:
    """``coopflow fire ID TRIGGER``: take a step; refused (exit 1) with the explanation."""
    args = ctx.args
    with ctx.store() as store:
        trajectory = store.load(args.id)
        try:
            applied = trajectory.fire(
                args.trigger, reason=args.reason, at=args.at, actor=args.actor
            )
        except TransitionRefused as refusal:
            store.save(trajectory)  # the audit log keeps the refused attempt
            ctx.warn(refusal.explanation.message(ctx.locale, process=trajectory.process))
            return REFUSED
        store.save(trajectory)
    _moves(ctx, trajectory, applied)
    return DONE


def _load(ctx: Context, id: str) -> Trajectory:
    with ctx.store() as store:
        return store.load(id)


def _explanation_data(explanation: Explanation, ctx: Context, process: Process) -> dict[str, Any]:
    return {
        "trigger": explanation.trigger,
        "state": explanation.state,
        "valid_in_state": explanation.valid_in_state,
        "allowed": explanation.allowed,
        "message": explanation.message(ctx.locale, process=process),
        "results": [
            {
                "guard": result.guard,
                "passed": result.passed,
                "failures": [
                    {
                        "party": failure.party,
                        "key": failure.key,
                        "message": failure.message(ctx.locale),
                    }
                    for failure in result.failures
                ],
            }
            for result in explanation.results
        ],
    }


def why(ctx: Context) -> int:
    """``coopflow why ID [TRIGGER]``: why a step may or may not be taken now."""
    args = ctx.args
    trajectory = _load(ctx, args.id)
    process = trajectory.process
    if args.trigger is not None:
        explanations = [trajectory.explain(args.trigger)]
    else:
        every = (trajectory.explain(trigger) for trigger in process.triggers)
        explanations = [e for e in every if e.valid_in_state] or [
            trajectory.explain(process.triggers[0])
        ]
    if args.json:
        ctx.emit(as_json([_explanation_data(e, ctx, process) for e in explanations]))
        return DONE
    ctx.emit("\n\n".join(e.message(ctx.locale, process=process) for e in explanations))
    return DONE


def _sector(party: Party, ctx: Context) -> str:
    return "" if party.sector is None else WORDS[party.sector.value][ctx.locale]


def status(ctx: Context) -> int:
    """``coopflow status ID``: the phase, the parties and the steps that can be taken now."""
    args = ctx.args
    trajectory = _load(ctx, args.id)
    process, locale = trajectory.process, ctx.locale
    snapshot, history = trajectory._consistent()
    enabled = trajectory.enabled()
    borderline = [failure.message(locale) for failure in trajectory.borderline()]
    last = history[-1]
    if args.json:
        data = {
            "id": trajectory.id,
            "title": trajectory.title,
            "state": snapshot.state,
            "state_label": label(process, snapshot.state, locale),
            "parties": [
                {
                    "id": p.id,
                    "name": p.name,
                    "sector": None if p.sector is None else p.sector.value,
                    "tags": sorted(p.tags),
                }
                for p in snapshot.parties
            ],
            "enabled": list(enabled),
            "borderline": borderline,
            "version": snapshot.version,
            "revision": len(history) - 1,
            "updated": last.at,
        }
        ctx.emit(as_json(data))
        return DONE
    ctx.say(f"{trajectory.title or trajectory.id} ({trajectory.id})")
    ctx.say(Phrase("Phase: {state}", state=label(process, snapshot.state, locale)))
    ctx.say(Phrase("Parties:"))
    for p in snapshot.parties:
        sector = _sector(p, ctx)
        ctx.say(f"- {p.name} ({p.id}{', ' + sector if sector else ''})")
    steps = ", ".join(f"‘{label(process, t, locale)}’" for t in enabled)
    ctx.say(Phrase("Steps possible now: {steps}", steps=steps or "-"))
    for line in borderline:
        ctx.say(f"! {line}")
    ctx.say(
        Phrase("Last change: {at} (record {seq})", at=_when(last), seq=last.seq),
    )
    return DONE


def _when(record: Record) -> str:
    return record.at.strftime("%Y-%m-%d %H:%M")


def _value(value: object) -> str:
    if isinstance(value, frozenset):
        return ",".join(sorted(value))
    if attrs.has(type(value)):
        return str(getattr(value, "id", type(value).__name__))
    if isinstance(value, tuple):
        return f"[{len(value)}]"
    text = str(getattr(value, "value", value))
    return repr(text) if " " in text else text


def _what(record: Record, process: Process, locale: str) -> str:
    event = record.event
    if isinstance(event, Started):
        parties = ", ".join(party.name for party in event.parties)
        return Phrase("started with {parties}", parties=parties).render(locale)
    if isinstance(event, Fire):
        text = Phrase("step ‘{trigger}’", trigger=label(process, event.trigger, locale)).render(
            locale
        )
        return f"{text}: {event.reason}" if event.reason else text
    cls = type(event)
    fields = [
        f"{field.name}={_value(getattr(event, field.name))}"
        for field in attrs.fields(cls)
        if field.default is attrs.NOTHING or getattr(event, field.name) != field.default
    ]
    return " ".join([command_name(cls), *fields])


_OUTCOMES = {
    Outcome.STARTED: Phrase("start"),
    Outcome.APPLIED: Phrase("ok"),
    Outcome.REFUSED: Phrase("not allowed"),
}


def _lines(record: Record, process: Process, locale: str) -> Iterator[str]:
    outcome = _OUTCOMES[record.outcome].render(locale)
    actor = record.actor or "-"
    what = _what(record, process, locale)
    yield f"{record.seq:>4}  {_when(record)}  {actor}  {what}  [{outcome}]"
    for move in record.transitions:
        yield f"      -> {label(process, move.dest, locale)}"


def history(ctx: Context) -> int:
    """``coopflow history ID``: the audit log, one line per record."""
    trajectory = _load(ctx, ctx.args.id)
    if ctx.args.json:
        ctx.emit(as_json([record_to_data(record) for record in trajectory.history]))
        return DONE
    process = trajectory.process
    ctx.emit(
        "\n".join(
            line for record in trajectory.history for line in _lines(record, process, ctx.locale)
        )
    )
    return DONE


def listing(ctx: Context) -> int:
    """``coopflow list [--state S] [--party P]``: the trajectories of the store."""
    args = ctx.args
    found: list[Summary] = []
    with ctx.store() as store:
        after = None
        while True:
            page = store.find(state=args.state, party=args.party, after=after)
            found.extend(page.items)
            if page.next is None:
                break
            after = page.next
    if args.json:
        data = [
            {
                "id": s.id,
                "title": s.title,
                "state": s.state,
                "state_label": label(ctx.process, s.state, ctx.locale),
                "revision": s.revision,
                "process": s.process_id,
            }
            for s in found
        ]
        ctx.emit(as_json(data))
        return DONE
    if not found:
        ctx.say(Phrase("No trajectories found."))
        return DONE
    width = max(len(s.id) for s in found)
    states = [label(ctx.process, s.state, ctx.locale) for s in found]
    state_width = max(len(state) for state in states)
    for summary, state in zip(found, states, strict=True):
        ctx.say(f"{summary.id:<{width}}  {state:<{state_width}}  {summary.title}")
    return DONE
