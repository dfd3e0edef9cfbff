"""The report and the portfolio as Markdown: the same parts as the HTML page, in text.

A traffic light is a symbol and a word (``● on track``), a chart is the list of its scores, so the
text reads the same on paper, in an e-mail or in a wiki.
"""

from collections.abc import Iterable, Sequence

from coopflow._text import Phrase, percent
from coopflow.report._view import AMBER, GREEN, GREY, RED, Light, Page, Summary, t

_SYMBOLS = {GREEN: "●", AMBER: "▲", RED: "■", GREY: "○"}


def md(text: object) -> str:
    """`text` with the characters that Markdown would read as markup escaped."""
    out = str(text).replace("\\", "\\\\")
    for char in "`*_[]<>|#":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", " ")


def light(found: Light | None, locale: str) -> str:
    """A traffic light as text: symbol, word, score and date."""
    if found is None:
        return "— " + t(Phrase("not asked"), locale)
    parts = [_SYMBOLS[found.status], found.word]
    if found.score:
        parts.append(f"**{found.score}**")
    if found.date:
        parts.append(f"({found.date})")
    return " ".join(parts)


def _items(items: Iterable[str]) -> list[str]:
    return [f"- {md(item)}" for item in items]


def _table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def page(view: Page) -> str:
    """The whole report as Markdown."""
    locale = view.locale
    out = [
        f"# {md(view.title)}",
        "",
        f"{md(t(Phrase('Steering-group report'), locale))} · {md(view.subtitle)}  ",
        md(t(Phrase("Situation on {date}", date=view.as_of), locale)),
        "",
        f"**{md(t(Phrase('Current phase: {phase}', phase=view.phase), locale))}**",
        "",
        f"## {md(t(Phrase('Phases'), locale))}",
        "",
    ]
    marks = {
        "done": t(Phrase("done"), locale),
        "current": t(Phrase("current phase"), locale),
        "ahead": t(Phrase("ahead"), locale),
    }
    for i, phase in enumerate(view.phases, 1):
        text = f"{md(phase.label)} ({md(marks[phase.status])})"
        out.append(f"{i}. **{text}**" if phase.status == "current" else f"{i}. {text}")
    if view.side:
        side = ", ".join(
            f"**{md(p.label)} ({md(marks['current'])})**" if p.status == "current" else md(p.label)
            for p in view.side
        )
        out += ["", f"{md(t(Phrase('Other phases'), locale))}: {side}"]
    out += ["", f"## {md(t(Phrase('What blocks the next step'), locale))}", ""]
    if not view.steps:
        out += [md(t(Phrase("No further step: the trajectory has ended."), locale)), ""]
    for step in view.steps:
        out += [f"### {md(step.label)}", ""]
        if step.allowed:
            text = t(Phrase("Nothing blocks this step: it can be taken now."), locale)
            out += [f"✓ {md(text)}", ""]
        for who, actions in step.blocks:
            out += [f"#### {md(who)}", "", *_items(actions), ""]
    out += [f"## {md(t(Phrase('Traffic lights per party'), locale))}", ""]
    if view.dimensions:
        out += [
            f"- {_SYMBOLS[s]} {md(text)}" for s, text in zip(_SYMBOLS, view.thresholds, strict=True)
        ]
        out.append("")
        head = [
            md(t(Phrase("Party"), locale)),
            *(
                md(f"{d} ({n})" if n else d)
                for d, n in zip(view.dimensions, view.notes, strict=True)
            ),
        ]
        out += _table(
            head, ([md(name), *(light(x, locale) for x in lights)] for name, lights in view.lights)
        )
    else:
        out.append(md(t(Phrase("No scores are asked for or recorded."), locale)))
    out += ["", f"## {md(t(Phrase('Parties'), locale))}", ""]
    none = t(Phrase("nothing recorded yet"), locale)
    for card in view.cards:
        out += [f"### {md(card.name)}", ""]
        out += [f"- {md(k)}: {md(v)}" for k, v in card.facts]
        out.append("")
        sections = (
            (Phrase("Interests"), card.interests),
            (Phrase("What it brings"), card.brings),
            (Phrase("What it gains"), card.gains),
            (Phrase("Depends on"), card.depends_on),
            (Phrase("Is depended on by"), card.depended_on),
            (Phrase("Themes it leads"), card.themes),
        )
        for heading, items in sections:
            if items:
                out += [f"#### {md(t(heading, locale))}", "", *_items(items), ""]
        out += [f"#### {md(t(Phrase('Scores'), locale))}", ""]
        if card.scores:
            head = [
                md(t(p, locale)) for p in (Phrase("Dimension"), Phrase("Score"), Phrase("Scale"))
            ]
            rows = ([md(r.dimension), light(r.light, locale), r.scale] for r in card.scores)
            out += _table(head, rows)
        else:
            out.append(f"*{md(none)}*")
        out.append("")
        given = (
            (Phrase("Contributions in money"), card.money),
            (Phrase("Contributions in kind"), card.in_kind),
        )
        for heading, pairs in given:
            if pairs:
                shown = [f"{name}: {amount}" if amount else name for name, amount in pairs]
                out += [f"#### {md(t(heading, locale))}", "", *_items(shown), ""]
        empty = [t(heading, locale) for heading, items in (*sections, *given) if not items]
        if empty:
            said = t(Phrase("Nothing recorded yet: {items}", items=", ".join(empty)), locale)
            out += [f"*{md(said)}*", ""]
    out += [f"## {md(t(Phrase('Scores over time'), locale))}", ""]
    if not view.trends:
        out += [md(t(Phrase("No scores are recorded yet."), locale)), ""]
    for trend in view.trends:
        out += [f"### {md(trend.dimension)}", ""]
        out += [f"- {md(s.name)}: {md(s.summary)}" for s in trend.series]
        out.append("")
    budget = view.budget
    out += [f"## {md(t(Phrase('Budget and commitments'), locale))}", ""]
    if budget.covered is None:
        out.append(f"**{md(t(Phrase('No programme budget has been set yet.'), locale))}**")
    elif budget.covered:
        out.append(f"**✓ {md(t(Phrase('The commitments cover the budget.'), locale))}**")
    else:
        out.append(f"**! {md(t(Phrase('The commitments do not cover the budget yet.'), locale))}**")
    out.append("")
    needed = Phrase(
        "Needed from the commitments ({share} of the budget)", share=percent(budget.goal, locale)
    )
    for label, value in (
        (Phrase("Programme budget"), budget.budget),
        (needed, budget.needed),
        (Phrase("Committed in total"), budget.committed),
        (Phrase("of which in money"), budget.cash),
        (Phrase("of which in kind (valued)"), budget.in_kind),
    ):
        out.append(f"- {md(t(label, locale))}: {md(value)}")
    out += ["", f"### {md(t(Phrase('Commitments per party'), locale))}", ""]
    head = [md(t(p, locale)) for p in (Phrase("Party"), Phrase("Money"), Phrase("In kind"))]
    out += _table(head, ([md(n), md(c), md(k)] for n, c, k in budget.rows))
    out += ["", f"## {md(t(Phrase('Timeline'), locale))}", ""]
    if view.shown < view.total:
        note = Phrase("The last {shown} of {total} entries.", shown=view.shown, total=view.total)
        out += [f"*{md(t(note, locale))}*", ""]
    for day in view.days:
        out += [f"### {md(day.date)}", ""]
        out += [
            f"- {md(sentence)}" + (f" ({md(actor)})" if actor else "")
            for sentence, actor in day.entries
        ]
        out.append("")
    made = Phrase("Made with coopflow from the trajectory's audit log.")
    out.append(f"*{md(t(made, locale))}*")
    return "\n".join(out) + "\n"


def portfolio_page(
    summaries: Sequence[Summary],
    words: Sequence[str],
    legend: Sequence[str],
    locale: str,
    as_of: str,
) -> str:
    """The portfolio as Markdown: a table with a row per trajectory."""
    count = Phrase("{count} trajectory", "{count} trajectories", count=len(summaries))
    out = [
        f"# {md(t(Phrase('Portfolio of cooperation trajectories'), locale))}",
        "",
        f"{md(t(count, locale))} · {md(t(Phrase('Situation on {date}', date=as_of), locale))}",
        "",
        f"## {md(t(Phrase('Trajectories'), locale))}",
        "",
    ]
    if not summaries:
        out.append(md(t(Phrase("No trajectories yet."), locale)))
    else:
        out += [f"- {_SYMBOLS[s]} {md(text)}" for s, text in zip(_SYMBOLS, legend, strict=True)]
        out.append("")
        head = [
            md(t(p, locale))
            for p in (
                Phrase("Trajectory"),
                Phrase("Phase"),
                Phrase("Traffic lights"),
                Phrase("Open actions"),
                Phrase("Last change"),
            )
        ]
        rows = []
        for row in summaries:
            lights = "; ".join(
                f"{md(name)}: "
                + (
                    ", ".join(
                        f"{_SYMBOLS[s]} {n} {md(w)}"
                        for s, n, w in zip(_SYMBOLS, found, words, strict=True)
                        if n
                    )
                    or "—"
                )
                for name, found in row.lights
            )
            rows.append(
                [md(row.title), md(row.phase), lights or "—", str(row.blocked), md(row.last_change)]
            )
        out += _table(head, rows)
    made = Phrase("Made with coopflow from the trajectories' audit logs.")
    out += ["", f"*{md(t(made, locale))}*"]
    return "\n".join(out) + "\n"
