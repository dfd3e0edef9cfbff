"""The subcommands on files: check, diagram, export, import, report and demo."""

import json
import pathlib
from typing import Any

from coopflow import demo as _demo
from coopflow._check import check as _check
from coopflow._default import default_process
from coopflow._diagram import to_dot, to_mermaid
from coopflow._examples import example_names
from coopflow._serialize import dumps, from_dict, to_dict
from coopflow._text import Phrase
from coopflow._trajectory import Trajectory
from coopflow.cli._shell import (
    DONE,
    REFUSED,
    CommandError,
    Context,
    as_json,
    load_process,
    read_text,
    write_text,
)
from coopflow.exceptions import ConflictError, UnknownNameError


def check(ctx: Context) -> int:
    """``coopflow check PROCESS_FILE``: every rule of the process checked; 1 on a violation."""
    process = load_process(ctx.args.process_file)
    report = _check(process)
    if ctx.args.json:
        data = {
            "process": report.process,
            "ok": report.ok,
            "configurations": report.configurations,
            "edges": report.edges,
            "state_coverage": report.state_coverage,
            "transition_coverage": report.transition_coverage,
            "violations": [
                {
                    "kind": v.kind,
                    "property": v.property,
                    "message": v.describe(ctx.locale),
                    "path": None if v.path is None else str(v.path),
                }
                for v in report.violations
            ],
        }
        ctx.emit(as_json(data))
    else:
        ctx.emit(report.render(ctx.locale))
    return DONE if report.ok else REFUSED


def _is_process_file(target: str) -> bool:
    path = pathlib.Path(target)
    return path.exists() or path.suffix in {".toml", ".json"} or target in example_names()


def diagram(ctx: Context) -> int:
    """``coopflow diagram ID|PROCESS_FILE``: the process as Mermaid or DOT text."""
    args = ctx.args
    highlight: Trajectory | None = None
    if _is_process_file(args.target):
        process = load_process(args.target)
    else:
        with ctx.store() as store:
            highlight = store.load(args.target)
        process = highlight.process
    draw = to_dot if args.format == "dot" else to_mermaid
    ctx.emit(draw(process, highlight=highlight, locale=ctx.locale), args.output)
    return DONE


def _all_ids(ctx: Context) -> list[str]:
    ids: list[str] = []
    with ctx.store() as store:
        after = None
        while True:
            page = store.find(after=after)
            ids.extend(summary.id for summary in page.items)
            if page.next is None:
                return ids
            after = page.next


def export(ctx: Context) -> int:
    """``coopflow export [ID ...]``: one trajectory as JSON, or several (all) as a JSON list."""
    args = ctx.args
    ids = list(args.ids) or _all_ids(ctx)
    with ctx.store() as store:
        trajectories = [store.load(id) for id in ids]
    if len(args.ids) == 1:
        text = dumps(trajectories[0], indent=2)
    else:
        text = json.dumps([to_dict(t) for t in trajectories], indent=2, ensure_ascii=False)
    ctx.emit(text, args.output)
    return DONE


def _document_process(ctx: Context, document: Any) -> Any:
    # The process a document names by fingerprint, among the chosen one and the default one.
    wanted = document.get("process", {}).get("fingerprint") if isinstance(document, dict) else None
    for process in (ctx.process, default_process()):
        if process.fingerprint == wanted:
            return process
    return ctx.process


def import_(ctx: Context) -> int:
    """``coopflow import FILE``: trajectories exported as JSON, into the store."""
    text = read_text(ctx.args.file)
    try:
        data = json.loads(text)
    except ValueError as error:
        raise CommandError(
            Phrase("{path} is not JSON: {error}", path=ctx.args.file, error=str(error))
        ) from None
    documents = data if isinstance(data, list) else [data]
    trajectories = [
        from_dict(document, process=_document_process(ctx, document)) for document in documents
    ]
    with ctx.store(create=True) as store:
        for trajectory in trajectories:
            try:
                store.load(trajectory.id)
            except UnknownNameError:
                continue
            raise ConflictError(
                Phrase("the store already holds trajectory {id}", id=repr(trajectory.id))
            )
        for trajectory in trajectories:
            store.save(trajectory)
            ctx.say(Phrase("Imported {id}: {title}.", id=trajectory.id, title=trajectory.title))
    return DONE


def report(ctx: Context) -> int:
    """``coopflow report ID -o FILE`` and ``coopflow report --all -o FILE``."""
    from coopflow.report import portfolio
    from coopflow.report import report as make_report

    args = ctx.args
    if (args.id is None) == (not args.all):
        raise CommandError(Phrase("name one trajectory, or --all for the portfolio"))
    with ctx.store() as store:
        if args.all:
            text = portfolio(
                [store.load(id) for id in _all_ids(ctx)], locale=ctx.locale, format=args.format
            )
        else:
            text = make_report(store.load(args.id), locale=ctx.locale, format=args.format)
    ctx.emit(text, args.output)
    return DONE


def demo(ctx: Context) -> int:
    """``coopflow demo``: the Tilburg trajectory, stored; its diagram and report when asked."""
    args = ctx.args
    locale = ctx.locale
    trajectory = _demo.tilburg(locale=locale, out=ctx.say)
    ctx.say("")
    if args.diagram is not None:
        write_text(
            args.diagram, to_mermaid(trajectory.process, highlight=trajectory, locale=locale)
        )
        ctx.say(Phrase("The process diagram (Mermaid) is saved in {path}.", path=args.diagram))
    if args.report is not None:
        from coopflow.report import report as make_report

        folder = pathlib.Path(args.report)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(
                Phrase("cannot make the folder {path}: {reason}", path=args.report, reason=error)
            ) from None
        target = folder / f"tilburg.{locale}.html"
        write_text(str(target), make_report(trajectory, locale=locale, format="html"))
        ctx.say(Phrase("The steering-group report is in {path}.", path=str(target)))
    path = args.store if args.store is not None else args.db
    _demo.store(trajectory, path, locale=locale, out=ctx.say)
    state = trajectory.process.label(trajectory.state, locale=locale)
    ctx.say(Phrase("Trajectory {id} is now in the {state} phase.", id=trajectory.id, state=state))
    return DONE
