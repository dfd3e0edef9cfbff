"""The report as one self-contained HTML page: inline CSS and SVG, no script, no font to fetch.

Written with `string.Template` and `html.escape`, not Jinja2: the report then works with a plain
``pip install coopflow`` (no extra to install, nothing to configure), and a page this regular
needs no template language. Every text of the page comes from a `Page` (already in the reader's
language) and is escaped here, so nothing a party typed can become markup.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from string import Template

from coopflow._text import Phrase, percent
from coopflow.report._view import (
    AMBER,
    GREEN,
    GREY,
    RED,
    Card,
    Light,
    Page,
    Summary,
    Trend,
    date,
    plain,
    t,
)

_CSS = """
:root {
  --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --paper: #ffffff; --wash: #f5f7fa;
  --accent: #1f4e79; --green: #1a7f37; --amber: #a15c00; --red: #b42318; --grey: #616e7c;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--wash); color: var(--ink);
  font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    sans-serif;
}
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
header.top { border-bottom: 3px solid var(--accent); padding-bottom: 1rem; margin-bottom: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .25rem; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 2.25rem 0 .75rem; padding-bottom: .25rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.25rem 0 .5rem; }
h4 { font-size: 1rem; margin: .75rem 0 .25rem; }
p { margin: .25rem 0 .75rem; }
.meta { color: var(--muted); margin: 0; }
.now { display: inline-block; margin-top: .75rem; padding: .35rem .75rem; border-radius: 999px;
  background: var(--accent); color: #fff; font-weight: 600; }
section { break-inside: auto; }
.phases { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: .5rem;
  counter-reset: phase; }
.phases li { counter-increment: phase; background: var(--paper); border: 1px solid var(--line);
  border-radius: .5rem; padding: .45rem .6rem; font-size: .9rem; flex: 1 1 7rem;
  min-width: min-content; }
.phases li::before { content: counter(phase) ". "; font-weight: 700; color: var(--muted); }
.phases li.done { border-color: var(--green); }
.phases li.current { border: 2px solid var(--accent); background: #e8f0f8; font-weight: 600; }
.phases .state { display: block; font-size: .8rem; color: var(--muted); font-weight: 400; }
.side { color: var(--muted); font-size: .95rem; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: .6rem;
  padding: .25rem 1rem 1rem; margin: 0 0 1rem; break-inside: avoid; }
.cards { display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr)); }
.cards .card { margin: 0; }
dl.facts { display: grid; grid-template-columns: fit-content(45%) 1fr; gap: .15rem .75rem;
  margin: 0; }
dl.facts dt { color: var(--muted); overflow-wrap: anywhere; }
dl.facts dd { margin: 0; }
ul { margin: .25rem 0 .75rem; padding-left: 1.25rem; }
.ok { color: var(--green); font-weight: 600; }
table { border-collapse: collapse; width: 100%; background: var(--paper); font-size: .95rem; }
caption { text-align: left; color: var(--muted); padding: .25rem 0; caption-side: bottom; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line);
  vertical-align: top; }
@media (max-width: 64rem) { th, td { overflow-wrap: anywhere; } }
@media (min-width: 64.01rem) { td .light > span { white-space: nowrap; } }
thead th { background: #eef2f6; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.light { display: inline-flex; align-items: flex-start; gap: .4rem; vertical-align: top; }
.light svg { flex: none; margin-top: .2em; }
.light small { display: block; color: var(--muted); }
.chips { display: flex; flex-wrap: wrap; gap: .1rem 1rem; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
.charts { display: grid; gap: 1rem;
  grid-template-columns: repeat(auto-fit, minmax(min(100%, 17rem), 1fr)); }
figure { margin: 0; background: var(--paper); border: 1px solid var(--line); border-radius: .6rem;
  padding: .75rem; break-inside: avoid; }
figure h3 { margin-top: 0; font-size: 1rem; }
figure svg.chart { width: 100%; height: auto; display: block; }
figcaption ul { list-style: none; padding: 0; margin: .5rem 0 0; font-size: .9rem; }
figcaption .meta { font-size: .85rem; margin-top: .35rem; }
.bar { width: 100%; height: 1.25rem; display: block; margin: .5rem 0 1rem; }
.day h3 { font-size: 1rem; color: var(--accent); margin: .9rem 0 .2rem; }
.day ul { padding-left: 0; margin: 0; list-style: none; border-left: 3px solid var(--line); }
.day li { padding: .1rem 0 .1rem .75rem; }
.day .actor { color: var(--muted); font-size: .85rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
.portfolio td:first-child { font-weight: 600; }
@media (max-width: 40rem) {
  h1 { font-size: 1.45rem; }
  main { padding: 1rem .75rem 2rem; }
  .card { padding: .25rem .75rem .75rem; }
  td, th { padding: .35rem .4rem; hyphens: auto; }
  table.stack, table.stack tbody, table.stack tr, table.stack td, table.stack th {
    display: block; width: 100%; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap; }
  table.stack tr { border: 1px solid var(--line); border-radius: .5rem; margin-bottom: .75rem;
    background: var(--paper); }
  table.stack th[scope=row] { background: #eef2f6; }
  table.stack td { display: grid; grid-template-columns: minmax(6rem, 40%) 1fr; gap: .75rem; }
  table.stack td::before { content: attr(data-label); color: var(--muted); }
  table.stack td.num { text-align: left; }
}
@media print {
  body { background: #fff; font-size: 10.5pt; }
  table { font-size: 9pt; }
  th, td { padding: .2rem .3rem; overflow-wrap: anywhere; }
  main { max-width: none; padding: 0; }
  .card, figure, table, .day { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  .now, .phases li.current { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  @page { margin: 16mm 14mm; }
}
"""

_PAGE = Template(
    """<!DOCTYPE html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>$css</style>
</head>
<body>
<main>
$body
<footer>$footer</footer>
</main>
</body>
</html>
"""
)

# A shape per status, so that a light never relies on colour alone.
_SHAPES = {
    GREEN: '<circle cx="7" cy="7" r="6" fill="var(--green)"/>'
    '<path d="M4 7.2l2 2 4-4.4" fill="none" stroke="#fff" stroke-width="1.6"/>',
    AMBER: '<path d="M7 1l6 11H1z" fill="var(--amber)"/>'
    '<rect x="6.3" y="4.6" width="1.4" height="4" fill="#fff"/>'
    '<rect x="6.3" y="9.4" width="1.4" height="1.4" fill="#fff"/>',
    RED: '<rect x="1" y="1" width="12" height="12" rx="1.5" fill="var(--red)"/>'
    '<path d="M4.5 4.5l5 5M9.5 4.5l-5 5" stroke="#fff" stroke-width="1.6"/>',
    GREY: '<circle cx="7" cy="7" r="5.5" fill="none" stroke="var(--grey)" stroke-width="1.5"'
    ' stroke-dasharray="2 1.6"/>',
}
# Series of a chart: a colour, a dash pattern and a marker each.
_COLOURS = ("#1f4e79", "#9c2c77", "#0b6e4f", "#8a4b08", "#4b3f9e", "#3d4f5c")
_DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "4 4")
_MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")


def e(text: object) -> str:
    """`text` escaped for HTML (quotes too)."""
    return escape(str(text), quote=True)


def shape(status: str) -> str:
    """The inline SVG of a status's shape (decorative: the word next to it says it)."""
    return (
        '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false">'
        f"{_SHAPES[status]}</svg>"
    )


def light(found: Light | None, locale: str) -> str:
    """A traffic light: shape, word, score and date; a dash when the score is not asked for."""
    if found is None:
        return f'<span class="light meta">— {e(t(Phrase("not asked"), locale))}</span>'
    score = f" <strong>{e(found.score)}</strong>" if found.score else ""
    when = f"<small>{e(found.date)}</small>" if found.date else ""
    return (
        f'<span class="light">{shape(found.status)}<span>{e(found.word)}{score}{when}</span></span>'
    )


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{e(item)}</li>" for item in items) + "</ul>"


def _phases(page: Page) -> str:
    locale = page.locale
    marks = {
        "done": t(Phrase("done"), locale),
        "current": t(Phrase("current phase"), locale),
        "ahead": t(Phrase("ahead"), locale),
    }
    current = ' aria-current="step"'
    items = "".join(
        f'<li class="{p.status}"{current if p.status == "current" else ""}>'
        f'{e(p.label)}<span class="state">{"✓ " if p.status == "done" else ""}'
        f"{e(marks[p.status])}</span></li>"
        for p in page.phases
    )
    html = f'<ol class="phases">{items}</ol>'
    if page.side:
        side = ", ".join(
            f"<strong>{e(p.label)} ({e(marks['current'])})</strong>"
            if p.status == "current"
            else e(p.label)
            for p in page.side
        )
        html += f'<p class="side">{e(t(Phrase("Other phases"), locale))}: {side}</p>'
    return html


def _steps(page: Page) -> str:
    locale = page.locale
    if not page.steps:
        return f"<p>{e(t(Phrase('No further step: the trajectory has ended.'), locale))}</p>"
    parts = []
    for step in page.steps:
        parts.append(f"<h3>{e(step.label)}</h3>")
        if step.allowed:
            text = t(Phrase("Nothing blocks this step: it can be taken now."), locale)
            parts.append(f'<p class="ok">✓ {e(text)}</p>')
            continue
        for who, actions in step.blocks:
            parts.append(f"<h4>{e(who)}</h4>{_list(actions)}")
    return "".join(parts)


def _lights(page: Page) -> str:
    locale = page.locale
    if not page.dimensions:
        return f"<p>{e(t(Phrase('No scores are asked for or recorded.'), locale))}</p>"
    party = t(Phrase("Party"), locale)
    head = f'<th scope="col">{e(party)}</th>' + "".join(
        f'<th scope="col">{e(d)}'
        + (f'<small class="meta"> ({e(n)})</small>' if n else "")
        + "</th>"
        for d, n in zip(page.dimensions, page.notes, strict=True)
    )
    labels = [f"{d} ({n})" if n else d for d, n in zip(page.dimensions, page.notes, strict=True)]
    rows = "".join(
        f'<tr><th scope="row">{e(name)}</th>'
        + "".join(
            f'<td data-label="{e(d)}">{light(found, locale)}</td>'
            for d, found in zip(labels, lights, strict=True)
        )
        + "</tr>"
        for name, lights in page.lights
    )
    legend = "".join(
        f'<li class="light">{shape(status)}<span>{e(text)}</span></li>'
        for status, text in zip((GREEN, AMBER, RED, GREY), page.thresholds, strict=True)
    )
    return (
        f'<ul class="legend">{legend}</ul>'
        f'<table class="stack"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
    )


def _card(card: Card, locale: str) -> str:
    none = t(Phrase("nothing recorded yet"), locale)
    facts = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in card.facts)
    parts = [f'<article class="card"><h3>{e(card.name)}</h3><dl class="facts">{facts}</dl>']
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
            parts.append(f"<h4>{e(t(heading, locale))}</h4>{_list(items)}")
    parts.append(f"<h4>{e(t(Phrase('Scores'), locale))}</h4>")
    if card.scores:
        rows = "".join(
            f"<tr><td>{e(row.dimension)}</td><td>{light(row.light, locale)}</td>"
            f'<td class="num">{e(row.scale)}</td></tr>'
            for row in card.scores
        )
        head = "".join(
            f'<th scope="col"{cls}>{e(t(p, locale))}</th>'
            for p, cls in (
                (Phrase("Dimension"), ""),
                (Phrase("Score"), ""),
                (Phrase("Scale"), ' class="num"'),
            )
        )
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    else:
        parts.append(f'<p class="meta">{e(none)}</p>')
    given = (
        (Phrase("Contributions in money"), card.money),
        (Phrase("Contributions in kind"), card.in_kind),
    )
    for heading, pairs in given:
        if pairs:
            shown = [f"{name}: {amount}" if amount else name for name, amount in pairs]
            parts.append(f"<h4>{e(t(heading, locale))}</h4>{_list(shown)}")
    empty = [t(heading, locale) for heading, items in (*sections, *given) if not items]
    if empty:
        said = t(Phrase("Nothing recorded yet: {items}", items=", ".join(empty)), locale)
        parts.append(f'<p class="meta">{e(said)}</p>')
    parts.append("</article>")
    return "".join(parts)


def _x(when: datetime, first: datetime, last: datetime, left: float, width: float) -> float:
    if last == first:
        return left + width / 2
    return left + width * (when - first).total_seconds() / (last - first).total_seconds()


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 4.5:.1f}l4.5 8h-9z" fill="{colour}"/>'
    if kind == "diamond":
        return f'<path d="M{x:.1f} {y - 4.5:.1f}l4.5 4.5-4.5 4.5-4.5-4.5z" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.8" fill="{colour}"/>'


def chart(trend: Trend, scale: Sequence[float], locale: str, index: int) -> str:
    """A small line chart of one dimension: a line per party, the two thresholds dashed."""
    width, height, left, right, top, bottom = 320.0, 170.0, 30.0, 12.0, 10.0, 26.0
    low, high = float(scale[0]), float(scale[1])
    plot_w, plot_h = width - left - right, height - top - bottom
    times = [when for s in trend.series for when, _ in s.points]
    first, last = min(times), max(times)

    def y(value: float) -> float:
        return top + plot_h * (high - value) / (high - low)

    parts = [
        f'<svg class="chart" viewBox="0 0 {width:.0f} {height:.0f}" role="img" '
        f'aria-labelledby="chart-{index}">'
        f'<title id="chart-{index}">{e(trend.dimension)}</title>'
    ]
    step = 1.0 if high - low <= 10 else (high - low) / 5
    tick = low
    while tick <= high + 1e-9:
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#e4e7eb"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#3e4c59">{e(plain(tick, locale))}</text>'
        )
        tick += step
    for value, colour, dash in (
        (trend.entry, "#1a7f37", "5 3"),
        (trend.regression, "#b42318", "2 3"),
    ):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="{colour}" stroke-width="1.4" stroke-dasharray="{dash}"/>'
        )
    ends = [(first, "middle", left + plot_w / 2)] if first == last else []
    ends = ends or [(first, "start", left), (last, "end", width - right)]
    parts.extend(
        f'<text x="{x:.1f}" y="{height - 8}" text-anchor="{anchor}" font-size="11" '
        f'fill="#3e4c59">{e(date(when, locale))}</text>'
        for when, anchor, x in ends
    )
    for i, series in enumerate(trend.series):
        colour, dash, marker = (
            _COLOURS[i % len(_COLOURS)],
            _DASHES[i % len(_DASHES)],
            _MARKERS[i % len(_MARKERS)],
        )
        points = [(_x(w, first, last, left, plot_w), y(s)) for w, s in series.points]
        if len(points) > 1:
            path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"'
                f"{dashed}/>"
            )
        parts.extend(_marker(marker, px, py, colour) for px, py in points)
    parts.append("</svg>")
    keys = "".join(
        f'<li><svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">'
        f"{_marker(_MARKERS[i % len(_MARKERS)], 7, 7.5, _COLOURS[i % len(_COLOURS)])}</svg> "
        f"{e(s.name)}: {e(s.summary)}</li>"
        for i, s in enumerate(trend.series)
    )
    lines = t(
        Phrase(
            "dashed lines: entry threshold {entry} (green) and regression threshold "
            "{regression} (red)",
            entry=plain(trend.entry, locale),
            regression=plain(trend.regression, locale),
        ),
        locale,
    )
    return (
        f"<figure><h3>{e(trend.dimension)}</h3>{''.join(parts)}"
        f'<figcaption><ul>{keys}</ul><p class="meta">{e(lines)}</p></figcaption></figure>'
    )


def _budget(page: Page) -> str:
    locale, budget = page.locale, page.budget
    rows = [
        (Phrase("Programme budget"), budget.budget),
        (
            Phrase(
                "Needed from the commitments ({share} of the budget)",
                share=percent(budget.goal, locale),
            ),
            budget.needed,
        ),
        (Phrase("Committed in total"), budget.committed),
        (Phrase("of which in money"), budget.cash),
        (Phrase("of which in kind (valued)"), budget.in_kind),
    ]
    table = "".join(
        f'<tr><th scope="row">{e(t(label, locale))}</th><td class="num">{e(value)}</td></tr>'
        for label, value in rows
    )
    if budget.covered is None:
        verdict = t(Phrase("No programme budget has been set yet."), locale)
        bar = ""
    else:
        verdict = (
            t(Phrase("The commitments cover the budget."), locale)
            if budget.covered
            else t(Phrase("The commitments do not cover the budget yet."), locale)
        )
        filled = max(0.0, min(budget.share, 1.0)) * 300
        goal = min(budget.goal, 1.0) * 300
        colour = "var(--green)" if budget.covered else "var(--amber)"
        said = Phrase("{share} of the budget is committed", share=percent(budget.share, locale))
        bar = (
            '<svg class="bar" viewBox="0 0 300 22" preserveAspectRatio="none" role="img" '
            'aria-label="'
            f'{e(t(said, locale))}">'
            '<rect width="300" height="22" rx="4" fill="#e4e7eb"/>'
            f'<rect width="{filled:.1f}" height="22" rx="4" fill="{colour}"/>'
            f'<line x1="{goal:.1f}" x2="{goal:.1f}" y1="0" y2="22" stroke="#1f2933" '
            'stroke-width="2"/></svg>'
        )
    mark = "✓" if budget.covered else "!"
    in_money, in_kind = e(t(Phrase("Money"), locale)), e(t(Phrase("In kind"), locale))
    per_party = "".join(
        f'<tr><th scope="row">{e(name)}</th>'
        f'<td class="num" data-label="{in_money}">{e(cash)}</td>'
        f'<td class="num" data-label="{in_kind}">{e(kind)}</td></tr>'
        for name, cash, kind in budget.rows
    )
    head = (
        f'<th scope="col">{e(t(Phrase("Party"), locale))}</th>'
        f'<th scope="col" class="num">{e(t(Phrase("Money"), locale))}</th>'
        f'<th scope="col" class="num">{e(t(Phrase("In kind"), locale))}</th>'
    )
    return (
        f"<p><strong>{mark} {e(verdict)}</strong></p>{bar}"
        f"<table><tbody>{table}</tbody></table>"
        f"<h3>{e(t(Phrase('Commitments per party'), locale))}</h3>"
        f'<table class="stack"><thead><tr>{head}</tr></thead><tbody>{per_party}</tbody></table>'
    )


def _timeline(page: Page) -> str:
    locale = page.locale
    parts = []
    if page.shown < page.total:
        note = Phrase("The last {shown} of {total} entries.", shown=page.shown, total=page.total)
        parts.append(f'<p class="meta">{e(t(note, locale))}</p>')
    for day in page.days:
        items = "".join(
            f"<li>{e(sentence)}"
            + (f' <span class="actor">({e(actor)})</span>' if actor else "")
            + "</li>"
            for sentence, actor in day.entries
        )
        parts.append(f'<div class="day"><h3>{e(day.date)}</h3><ul>{items}</ul></div>')
    return "".join(parts)


def page(view: Page) -> str:
    """The whole report as an HTML document."""
    locale = view.locale
    sections = (
        (Phrase("Phases"), _phases(view)),
        (Phrase("What blocks the next step"), _steps(view)),
        (Phrase("Traffic lights per party"), _lights(view)),
        (
            Phrase("Parties"),
            '<div class="cards">' + "".join(_card(c, locale) for c in view.cards) + "</div>",
        ),
        (Phrase("Scores over time"), _trends(view)),
        (Phrase("Budget and commitments"), _budget(view)),
        (Phrase("Timeline"), _timeline(view)),
    )
    body = [
        '<header class="top">'
        f"<h1>{e(view.title)}</h1>"
        f'<p class="meta">{e(t(Phrase("Steering-group report"), locale))} · {e(view.subtitle)}</p>'
        f'<p class="meta">{e(t(Phrase("Situation on {date}", date=view.as_of), locale))}</p>'
        f'<p class="now">{e(t(Phrase("Current phase: {phase}", phase=view.phase), locale))}</p>'
        "</header>"
    ]
    for i, (heading, html) in enumerate(sections):
        body.append(
            f'<section aria-labelledby="s{i}"><h2 id="s{i}">{e(t(heading, locale))}</h2>'
            f"{html}</section>"
        )
    footer = t(Phrase("Made with coopflow from the trajectory's audit log."), locale)
    return _PAGE.substitute(
        lang=locale, title=e(view.title), css=_CSS, body="\n".join(body), footer=e(footer)
    )


def _trends(view: Page) -> str:
    if not view.trends:
        return f"<p>{e(t(Phrase('No scores are recorded yet.'), view.locale))}</p>"
    return (
        '<div class="charts">'
        + "".join(chart(trend, view.scale, view.locale, i) for i, trend in enumerate(view.trends))
        + "</div>"
    )


def counts(lights: Sequence[int], words: Sequence[str]) -> str:
    """A party's lights in a portfolio: a shape, a number and a word per status that occurs."""
    chips = [
        f'<span class="light">{shape(status)}<span>{count} {e(word)}</span></span>'
        for status, count, word in zip((GREEN, AMBER, RED, GREY), lights, words, strict=True)
        if count
    ]
    return f'<span class="chips">{"".join(chips)}</span>' if chips else "—"


def portfolio_page(
    summaries: Sequence[Summary],
    words: Sequence[str],
    legend: Sequence[str],
    locale: str,
    as_of: str,
) -> str:
    """The portfolio as an HTML document: one row per trajectory."""
    title = t(Phrase("Portfolio of cooperation trajectories"), locale)
    count = Phrase("{count} trajectory", "{count} trajectories", count=len(summaries))
    body = [
        '<header class="top">'
        f"<h1>{e(title)}</h1>"
        f'<p class="meta">{e(t(count, locale))} · '
        f"{e(t(Phrase('Situation on {date}', date=as_of), locale))}</p></header>"
    ]
    heading = t(Phrase("Trajectories"), locale)
    body.append(f'<section aria-labelledby="s0"><h2 id="s0">{e(heading)}</h2>')
    if not summaries:
        body.append(f"<p>{e(t(Phrase('No trajectories yet.'), locale))}</p>")
    else:
        keys = "".join(
            f'<li class="light">{shape(status)}<span>{e(text)}</span></li>'
            for status, text in zip((GREEN, AMBER, RED, GREY), legend, strict=True)
        )
        body.append(f'<ul class="legend">{keys}</ul>')
        columns = [
            t(Phrase("Trajectory"), locale),
            t(Phrase("Phase"), locale),
            t(Phrase("Traffic lights"), locale),
            t(Phrase("Open actions"), locale),
            t(Phrase("Last change"), locale),
        ]
        head = "".join(f'<th scope="col">{e(c)}</th>' for c in columns)
        rows = []
        for row in summaries:
            lights = "".join(
                f"<div><strong>{e(name)}</strong> {counts(found, words)}</div>"
                for name, found in row.lights
            )
            lights = f"<div>{lights}</div>" if lights else ""
            cells = (
                (columns[1], e(row.phase)),
                (columns[2], lights or "—"),
                (columns[3], e(row.blocked)),
                (columns[4], e(row.last_change)),
            )
            rows.append(
                f'<tr><th scope="row">{e(row.title)}<br><small class="meta">{e(row.process)}'
                "</small></th>"
                + "".join(f'<td data-label="{e(label)}">{html}</td>' for label, html in cells)
                + "</tr>"
            )
        body.append(
            f'<table class="stack portfolio"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )
    body.append("</section>")
    footer = t(Phrase("Made with coopflow from the trajectories' audit logs."), locale)
    return _PAGE.substitute(
        lang=locale, title=e(title), css=_CSS, body="\n".join(body), footer=e(footer)
    )
