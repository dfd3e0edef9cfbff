"""What a steering-group report shows, as plain data in the reader's language.

`build` reads a trajectory (its process, snapshot, history and explanations) and returns a
`Page`: every text already rendered in one locale, every status a word. The HTML and Markdown
writers only lay it out, so both say the same thing.
"""

from collections.abc import Iterator, Mapping
from datetime import datetime
from decimal import Decimal

import attrs

from coopflow._events import Assessed, Party, PartyJoined, PartyLeft, Started
from coopflow._i18n import WORDS
from coopflow._process import Process
from coopflow._results import Outcome, Record
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase, money, number
from coopflow._trajectory import Trajectory
from coopflow.guards._registry import Guard
from coopflow.guards._scores import ENERGY
from coopflow.guards._select import Selection, select
from coopflow.report._timeline import label, say

#: The statuses of a traffic light, from good to unknown.
GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
STATUSES = (GREEN, AMBER, RED, GREY)

# The seed's named guards and the dimensions they read (the generic ones name theirs).
_SEED_DIMENSIONS: Mapping[str, tuple[str, ...]] = {
    "trust": ("trust",),
    "equal_standing": ("voice",),
    "energy": ENERGY,
    "energy_lost": ENERGY,
    "culture_breached": ("trust", "voice"),
}


@attrs.frozen
class Light:
    """One traffic light: its status, the word for it, and the score and date behind it."""

    status: str
    word: str
    score: str = ""
    date: str = ""


@attrs.frozen
class ScoreRow:
    """A party's score on one dimension, for its card and the lights table."""

    dimension: str
    light: Light
    scale: str


@attrs.frozen
class Card:
    """Everything the report says about one party."""

    id: str
    name: str
    facts: tuple[tuple[str, str], ...]  # (label, text): sector, role, signature
    interests: tuple[str, ...]
    brings: tuple[str, ...]
    gains: tuple[str, ...]
    depends_on: tuple[str, ...]
    depended_on: tuple[str, ...]
    scores: tuple[ScoreRow, ...]
    money: tuple[tuple[str, str], ...]  # (contribution, amount)
    in_kind: tuple[tuple[str, str], ...]
    themes: tuple[str, ...]


@attrs.frozen
class Step:
    """A next step out of the current phase: can it be taken, and what blocks it for whom."""

    label: str
    allowed: bool
    blocks: tuple[tuple[str, tuple[str, ...]], ...]  # (party name or "everyone", actions)


@attrs.frozen
class Phase:
    """A phase of the process: its label and whether it is done, current or ahead."""

    label: str
    status: str  # "done", "current", "ahead"


@attrs.frozen
class Series:
    """One party's scores on one dimension over time: (time, score) points."""

    name: str
    points: tuple[tuple[datetime, float], ...]
    summary: str


@attrs.frozen
class Trend:
    """The scores of every party on one dimension over time, with the thresholds."""

    dimension: str
    series: tuple[Series, ...]
    entry: float
    regression: float


@attrs.frozen
class Day:
    """What happened on one day, in plain sentences (with who recorded it)."""

    date: str
    entries: tuple[tuple[str, str], ...]  # (sentence, actor)


@attrs.frozen
class Budget:
    """The budget against the commitments, as texts and as numbers for the bar."""

    budget: str
    committed: str
    cash: str
    in_kind: str
    needed: str
    covered: bool | None  # None: no budget set
    share: float  # committed / budget (0 without a budget)
    goal: float  # the share the process asks for
    rows: tuple[tuple[str, str, str], ...]  # (party, money, in kind)


@attrs.frozen
class Page:
    """A whole report in one locale."""

    locale: str
    title: str
    subtitle: str
    as_of: str
    phase: str
    phases: tuple[Phase, ...]
    side: tuple[Phase, ...]
    steps: tuple[Step, ...]
    dimensions: tuple[str, ...]
    notes: tuple[str, ...]  # per dimension: its own thresholds, when they differ
    thresholds: tuple[str, ...]  # one legend line per status
    lights: tuple[tuple[str, tuple[Light | None, ...]], ...]  # party name, a light per dimension
    cards: tuple[Card, ...]
    trends: tuple[Trend, ...]
    scale: tuple[float, float]
    budget: Budget
    days: tuple[Day, ...]
    shown: int
    total: int
    last_change: str


def t(phrase: Phrase, locale: str) -> str:
    """A phrase in `locale` (a short name for the writers)."""
    return phrase.render(locale)


_MONTHS = (
    Phrase("January"),
    Phrase("February"),
    Phrase("March"),
    Phrase("April"),
    Phrase("May"),
    Phrase("June"),
    Phrase("July"),
    Phrase("August"),
    Phrase("September"),
    Phrase("October"),
    Phrase("November"),
    Phrase("December"),
)


def date(when: datetime, locale: str) -> str:
    """A day as a reader writes it: ``14 June 2018``, ``14 juni 2018``."""
    month = _MONTHS[when.month - 1].render(locale)
    return f"{when.day} {month} {when.year}"


def cap(text: str) -> str:
    """`text` with a capital first letter (a label as a heading)."""
    return text[:1].upper() + text[1:]


def plain(value: float, locale: str) -> str:
    """A number without needless decimals: ``5``, ``3.5``, ``3,5``."""
    text = format(value, "g")
    return text.replace(".", ",") if locale == "nl" else text


def _guards(guard: object) -> Iterator[object]:
    """The guard and every guard inside it (of `all_of`, `any_of`, `not_`)."""
    yield guard
    inner = getattr(guard, "guards", None)
    if isinstance(inner, tuple):
        for item in inner:
            yield from _guards(item)
    single = getattr(guard, "guard", None)
    if isinstance(single, Guard):
        yield from _guards(single)


def _asked(process: Process) -> list[tuple[str, Selection, float | None, float | None]]:
    """(dimension, selection, entry override, regression override) of every score guard."""
    found: list[tuple[str, Selection, float | None, float | None]] = []
    for transition in process.transitions:
        for guard in (g for top in transition.guards for g in _guards(top)):
            kind = getattr(guard, "kind", "")
            selection: Selection = getattr(guard, "parties", None)
            if kind == "score":
                found.append((guard.dimension, selection, guard.at_least, None))  # type: ignore[attr-defined]
            elif kind == "mean_score":
                found += [(d, selection, None, None) for d in guard.dimensions]  # type: ignore[attr-defined]
            elif kind == "score_below":
                found.append((guard.dimension, selection, None, guard.below))  # type: ignore[attr-defined]
            elif kind == "trust":
                found.append(("trust", None, guard.threshold, None))  # type: ignore[attr-defined]
            else:
                found += [(d, None, None, None) for d in _SEED_DIMENSIONS.get(kind, ())]
    return found


def thresholds(process: Process) -> dict[str, tuple[float, float]]:
    """Per asked-for dimension: (entry, regression), from the guards or else the settings."""
    settings = process.settings
    result: dict[str, tuple[float, float]] = {}
    for dimension, _, entry, regression in _asked(process):
        old_entry, old_regression = result.get(
            dimension, (settings.entry_threshold, settings.regression_threshold)
        )
        result[dimension] = (
            old_entry if entry is None else max(entry, old_entry),
            old_regression if regression is None else max(regression, old_regression),
        )
    return result


def status(score: float | None, entry: float, regression: float) -> str:
    """The traffic light of a score: green at or above entry, red under regression."""
    if score is None:
        return GREY
    if score >= entry:
        return GREEN
    return AMBER if score >= regression else RED


def words(locale: str) -> dict[str, str]:
    """The word of each status in `locale`."""
    return {
        GREEN: t(Phrase("on track"), locale),
        AMBER: t(Phrase("borderline score"), locale),
        RED: t(Phrase("below the threshold"), locale),
        GREY: t(Phrase("no score"), locale),
    }


def _dimensions(process: Process, snapshot: Snapshot) -> list[str]:
    wanted = {d for d, *_ in _asked(process)} | {s.dimension for s in snapshot.registers.scores}
    return [d for d in process.vocabulary.dimensions if d in wanted]


def _asked_of(process: Process, snapshot: Snapshot) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for dimension, selection, _, _ in _asked(process):
        chosen, _ = select(snapshot, selection)
        pairs.update((party.id, dimension) for party in chosen)
    return pairs


class _Reader:
    """Builds the parts of a page for one trajectory in one locale."""

    def __init__(self, trajectory: Trajectory, locale: str, at: datetime) -> None:
        self.trajectory = trajectory
        self.process = trajectory.process
        self.snapshot = trajectory.snapshot
        self.history = trajectory.history
        self.locale = locale
        self.at = at
        self.thresholds = thresholds(self.process)
        self.dimensions = _dimensions(self.process, self.snapshot)
        self.asked = _asked_of(self.process, self.snapshot)
        self.words = words(locale)
        self.names = {p.id: p.name for r in self.history for p in _parties_of(r)}
        self.names.update({p.id: p.name for p in self.snapshot.parties})

    def name(self, id: str) -> str:
        return self.names.get(id, id)

    def label(self, name: str) -> str:
        return self.process.label(name, locale=self.locale)

    def limits(self, dimension: str) -> tuple[float, float]:
        settings = self.process.settings
        return self.thresholds.get(
            dimension, (settings.entry_threshold, settings.regression_threshold)
        )

    def light(self, party: str, dimension: str) -> Light | None:
        settings = self.process.settings
        score = self.snapshot.score(party, dimension, at=self.at, max_age=settings.max_score_age)
        if score is None and (party, dimension) not in self.asked:
            return None
        entry, regression = self.limits(dimension)
        found = status(score, entry, regression)
        latest = [
            s.at
            for s in self.snapshot.registers.scores
            if s.party == party and s.dimension == dimension
        ]
        when = date(max(latest), self.locale) if latest and score is not None else ""
        shown = "" if score is None else number(round(score, 2), self.locale)
        return Light(found, self.words[found], shown, when)

    def note(self, dimension: str) -> str:
        settings = self.process.settings
        entry, regression = self.limits(dimension)
        if (entry, regression) == (settings.entry_threshold, settings.regression_threshold):
            return ""
        return t(
            Phrase(
                "thresholds {entry} and {regression}",
                entry=plain(entry, self.locale),
                regression=plain(regression, self.locale),
            ),
            self.locale,
        )

    # --- the phases --------------------------------------------------------------------------

    def phases(self) -> tuple[tuple[Phase, ...], tuple[Phase, ...]]:
        process = self.process
        line = [process.initial]
        while True:
            onward = [
                tr.dest
                for tr in process.transitions
                if not tr.automatic and tr.guards and line[-1] in tr.source and tr.dest not in line
            ]
            if not onward:
                break
            line.append(onward[0])
        current = self.snapshot.state
        visited = {process.initial} | {
            tr.dest for record in self.history for tr in record.transitions
        }
        position = line.index(current) if current in line else -1
        main = tuple(
            Phase(
                self.label(s),
                "current"
                if s == current
                else ("done" if i < position or (position < 0 and s in visited) else "ahead"),
            )
            for i, s in enumerate(line)
        )
        side = tuple(
            Phase(self.label(s.id), "current" if s.id == current else "ahead")
            for s in process.states
            if s.id not in line
        )
        return main, side

    # --- what blocks the next step -----------------------------------------------------------

    def steps(self) -> tuple[Step, ...]:
        current = self.snapshot.state
        out = [tr for tr in self.process.transitions if not tr.automatic and current in tr.source]
        # The steps with conditions; when there are none, the steps there are (always open).
        chosen = [tr.trigger for tr in out if tr.guards] or [tr.trigger for tr in out]
        seen = list(dict.fromkeys(chosen))
        steps = []
        for trigger in seen:
            explanation = self.trajectory.explain(trigger, at=self.at)
            by: dict[str | None, dict[str, None]] = {}
            for failure in explanation.failures:  # each action once, in the guards' order
                by.setdefault(failure.party, {})[failure.message(self.locale)] = None
            everyone = t(Phrase("The whole cooperation"), self.locale)
            order = [None, *(p.id for p in self.snapshot.parties)]
            keys = [k for k in order if k in by] + [k for k in by if k not in order]
            blocks = tuple(
                (everyone if key is None else self.name(key), tuple(by[key])) for key in keys
            )
            steps.append(Step(self.label(trigger), explanation.allowed, blocks))
        return tuple(steps)

    # --- the party cards ---------------------------------------------------------------------

    def card(self, party: Party) -> Card:
        locale, registers, id = self.locale, self.snapshot.registers, party.id
        facts: list[tuple[str, str]] = []
        if party.sector is not None:
            facts.append((t(Phrase("Sector"), locale), WORDS[party.sector.value][locale]))
        roles = [
            label(self.process, "role", r.role, locale) for r in registers.roles if r.party == id
        ]
        none = t(Phrase("none"), locale)
        facts.append((t(Phrase("Role"), locale), ", ".join(roles) or none))
        facts.append((t(Phrase("Declaration"), locale), self.signature(id)))
        interests = tuple(i.description or i.id for i in registers.interests if id in i.parties)
        values = [v for v in registers.values if v.party == id]
        depends = tuple(
            self.need(d.depends_on, d.need) for d in registers.dependencies if d.party == id
        )
        depended = tuple(
            self.need(d.party, d.need) for d in registers.dependencies if d.depends_on == id
        )
        scale = self.process.settings.scale
        rows = []
        for dimension in self.dimensions:
            light = self.light(id, dimension)
            if light is not None:
                word = label(self.process, "dimension", dimension, locale)
                rows.append(
                    ScoreRow(
                        cap(word), light, f"{plain(scale[0], locale)}–{plain(scale[1], locale)}"
                    )
                )
        cash, kind = [], []
        for c in self.snapshot.committed(id):
            if c.in_kind:
                kind.append((c.id, money(c.cash, locale) if c.cash else ""))
            else:
                cash.append((c.id, money(c.cash, locale)))
        agenda = self.snapshot.approved_agenda() or (
            registers.agenda[-1] if registers.agenda else None
        )
        themes = () if agenda is None else tuple(th.title for th in agenda.themes if th.owner == id)
        return Card(
            id,
            party.name,
            tuple(facts),
            interests,
            tuple(v.brings for v in values),
            tuple(v.gains for v in values),
            depends,
            depended,
            tuple(rows),
            tuple(cash),
            tuple(kind),
            themes,
        )

    def need(self, other: str, need: str) -> str:
        return f"{self.name(other)} ({need})" if need else self.name(other)

    def signature(self, party: str) -> str:
        signed = [s for s in self.snapshot.registers.signatures if s.party == party]
        if not signed:
            return t(Phrase("not signed yet"), self.locale)
        last = signed[-1]
        who = f"{last.signatory}, {last.role}" if last.role else last.signatory
        return t(
            Phrase("signed by {who} (agenda version {version})", who=who, version=last.version),
            self.locale,
        )

    # --- trends ------------------------------------------------------------------------------

    def trends(self) -> tuple[Trend, ...]:
        history: dict[tuple[str, str], list[tuple[datetime, float]]] = {}
        latest: dict[tuple[str, str], dict[str, float]] = {}
        for record in self.history:
            event = record.event
            if isinstance(event, Assessed) and record.outcome is Outcome.APPLIED:
                key = (event.party, event.dimension)
                by = latest.setdefault(key, {})
                by[event.respondent] = event.score
                history.setdefault(key, []).append((record.at, sum(by.values()) / len(by)))
            elif isinstance(event, PartyLeft):
                for key in [k for k in latest if k[0] == event.party]:
                    del latest[key]
        trends = []
        current = [p.id for p in self.snapshot.parties]
        for dimension in self.dimensions:
            series = []
            for party in current:
                points = history.get((party, dimension))
                if points:
                    scores = " → ".join(number(round(s, 2), self.locale) for _, s in points[-4:])
                    series.append(Series(self.name(party), tuple(points[-POINTS:]), scores))
            if series:
                entry, regression = self.limits(dimension)
                word = label(self.process, "dimension", dimension, self.locale)
                trends.append(Trend(cap(word), tuple(series), entry, regression))
        return tuple(trends)

    # --- the budget --------------------------------------------------------------------------

    def budget(self) -> Budget:
        locale, snapshot = self.locale, self.snapshot
        live = [c for p in snapshot.parties for c in snapshot.committed(p.id)]
        cash = sum((c.cash for c in live if not c.in_kind), Decimal(0))
        kind = sum((c.cash for c in live if c.in_kind), Decimal(0))
        committed = snapshot.committed_cash()
        budget = snapshot.registers.budget
        goal = self.process.settings.coverage
        rows = tuple(
            (
                p.name,
                money(
                    sum((c.cash for c in snapshot.committed(p.id) if not c.in_kind), Decimal(0)),
                    locale,
                ),
                money(
                    sum((c.cash for c in snapshot.committed(p.id) if c.in_kind), Decimal(0)), locale
                ),
            )
            for p in snapshot.parties
        )
        if budget is None or budget <= 0:
            none = t(Phrase("not set"), locale)
            return Budget(
                none,
                money(committed, locale),
                money(cash, locale),
                money(kind, locale),
                none,
                None,
                0.0,
                goal,
                rows,
            )
        needed = budget * Decimal(str(goal))
        return Budget(
            money(budget, locale),
            money(committed, locale),
            money(cash, locale),
            money(kind, locale),
            money(needed, locale),
            committed >= needed,
            float(committed / budget),
            goal,
            rows,
        )

    # --- the timeline ------------------------------------------------------------------------

    def days(self, limit: int) -> tuple[Day, ...]:
        records = self.history[-limit:]
        days: list[Day] = []
        for record in records:
            when = date(record.at, self.locale)
            sentences = say(record, self.process, self.snapshot, self.names, self.locale)
            entries = tuple((s, record.actor or "") for s in sentences)
            if days and days[-1].date == when:
                days[-1] = Day(when, days[-1].entries + entries)
            else:
                days.append(Day(when, entries))
        return tuple(days)

    def last_change(self) -> str:
        record = self.history[-1]
        sentence = say(record, self.process, self.snapshot, self.names, self.locale)[-1]
        return f"{date(record.at, self.locale)}: {sentence}"


def _parties_of(record: Record) -> tuple[Party, ...]:
    event = record.event
    if isinstance(event, Started):
        return event.parties
    if isinstance(event, PartyJoined):
        return (event.party,)
    return ()


#: How many scores a line of a chart shows at most (the latest).
POINTS = 60

#: How many records the timeline shows at most (the latest).
TIMELINE = 80


def build(trajectory: Trajectory, locale: str, at: datetime) -> Page:
    """The page of `trajectory` in `locale`, as of `at`."""
    reader = _Reader(trajectory, locale, at)
    process, snapshot = reader.process, reader.snapshot
    main, side = reader.phases()
    words = reader.words
    settings = process.settings
    entry, regression = (
        plain(settings.entry_threshold, locale),
        plain(settings.regression_threshold, locale),
    )
    legend = (
        t(Phrase("{word}: at or above {entry}", word=words[GREEN], entry=entry), locale),
        t(
            Phrase(
                "{word}: from {regression} up to {entry}",
                word=words[AMBER],
                regression=regression,
                entry=entry,
            ),
            locale,
        ),
        t(Phrase("{word}: under {regression}", word=words[RED], regression=regression), locale),
        t(Phrase("{word}: missing or too old", word=words[GREY]), locale),
    )
    lights = tuple(
        (p.name, tuple(reader.light(p.id, d) for d in reader.dimensions)) for p in snapshot.parties
    )
    labels = tuple(cap(label(process, "dimension", d, locale)) for d in reader.dimensions)
    count = len(snapshot.parties)
    subtitle = t(
        Phrase(
            "{count} party · process {process}, version {version}",
            "{count} parties · process {process}, version {version}",
            count=count,
            process=process.id,
            version=process.version,
        ),
        locale,
    )
    days = reader.days(TIMELINE)
    return Page(
        locale=locale,
        title=trajectory.title or trajectory.id,
        subtitle=subtitle,
        as_of=date(at, locale),
        phase=reader.label(snapshot.state),
        phases=main,
        side=side,
        steps=reader.steps(),
        dimensions=labels,
        notes=tuple(reader.note(d) for d in reader.dimensions),
        thresholds=legend,
        lights=lights,
        cards=tuple(reader.card(p) for p in snapshot.parties),
        trends=reader.trends(),
        scale=settings.scale,
        budget=reader.budget(),
        days=days,
        shown=min(len(trajectory.history), TIMELINE),
        total=len(trajectory.history),
        last_change=reader.last_change(),
    )


@attrs.frozen
class Summary:
    """One trajectory of a portfolio: its phase, its lights per party, its last change."""

    title: str
    process: str
    phase: str
    lights: tuple[tuple[str, tuple[int, ...]], ...]  # party name, how many lights per status
    last_change: str
    blocked: int  # how many things block its next steps


def summary(trajectory: Trajectory, locale: str, at: datetime) -> Summary:
    """The line of `trajectory` in a portfolio, in `locale`, as of `at`."""
    reader = _Reader(trajectory, locale, at)
    snapshot = reader.snapshot
    lights = []
    for party in snapshot.parties:
        found = [reader.light(party.id, d) for d in reader.dimensions]
        statuses = [light.status for light in found if light is not None]
        lights.append((party.name, tuple(statuses.count(s) for s in STATUSES)))
    blocked = sum(len(actions) for step in reader.steps() for _, actions in step.blocks)
    return Summary(
        trajectory.title or trajectory.id,
        trajectory.process.id,
        reader.label(snapshot.state),
        tuple(lights),
        reader.last_change(),
        blocked,
    )
