"""Tests of coopflow.report: the steering-group report and the portfolio, in HTML and Markdown.

The pages are read as a reader would: the texts that must be there in each language, the traffic
light of each score by the thresholds of the process, the next actions per party, the budget and
the timeline. tests/test_report_browser.py renders the same pages in Chromium.
"""

import importlib
import itertools
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import attrs
import pytest

import coopflow as cf
from coopflow import guards
from coopflow.report import FORMATS, portfolio, report
from coopflow.report._view import GREEN, GREY, RED, status, thresholds
from tests.reports import AT, BEDRIJF, collective_impact, tilburg

T0 = datetime(2020, 3, 2, 9, 0, tzinfo=UTC)


class _Outline(HTMLParser):
    """The headings of a page, its tags and whether it has a script or an outside resource."""

    def __init__(self) -> None:
        super().__init__()
        self.levels: list[int] = []
        self.tags: set[str] = set()
        self.outside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        self.outside += [v for k, v in attrs if k in {"src", "href"} and v]


def _outline(html: str) -> _Outline:
    outline = _Outline()
    outline.feed(html)
    return outline


def _text(html: str) -> str:
    """The visible text of a page, in one line, without tags."""
    body = html.split("<body>", 1)[1]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def _tiny(*, scale: tuple[float, float] = (1.0, 5.0), facts: bool = False) -> cf.Process:
    """Two states on one line (no side states): a trust step, or a fact step without scores."""
    labels = {"en": "Ready", "nl": "Gereed"}
    guard = guards.fact("ready") if facts else guards.trust(threshold=scale[1] * 0.8)
    return cf.Process(
        "tiny",
        [
            cf.State("start", labels={"en": "Start", "nl": "Begin"}, initial=True),
            cf.State("done", labels={"en": "Done", "nl": "Klaar"}, terminal=True, success=True),
        ],
        [
            cf.Transition(
                "finish",
                source="start",
                dest="done",
                guards=[guard],
                labels={"en": "Finish", "nl": "Afronden"},
            )
        ],
        settings=cf.Settings(
            scale=scale,
            entry_threshold=scale[1] * 0.7,
            regression_threshold=scale[1] * 0.5,
            required_roles=(),
        ),
        vocabulary=cf.Vocabulary(facts={"ready": labels}),
    )


PAIR = [cf.Party("a", name="Alpha"), cf.Party("b", name="Beta")]


# --- the interface -------------------------------------------------------------------------------


def test_report_and_portfolio_are_the_packages_names() -> None:
    """`cf.report` and `cf.portfolio` are the functions of coopflow.report, whose namespace
    holds exactly its sorted __all__ (and its private modules)."""
    module = importlib.import_module("coopflow.report")
    assert (cf.report, cf.portfolio, FORMATS) == (report, portfolio, ("html", "md"))
    public = {n for n in vars(module) if n.isidentifier() and not n.startswith("_")}
    assert (module.__all__, public) == (["FORMATS", "portfolio", "report"], set(module.__all__))


@pytest.mark.parametrize("write", [report, portfolio])
@pytest.mark.parametrize(
    ("locale", "format", "kind"), [("de", "html", "locale"), ("en", "pdf", "file format")]
)
def test_a_bad_locale_or_format_is_named_in_both_languages(
    write: object, locale: str, format: str, kind: str
) -> None:
    """An unknown locale or format raises UnknownNameError before anything is written."""
    t = cf.Trajectory.start(cf.default_process(), parties=PAIR)
    argument = t if write is report else [t]
    with pytest.raises(cf.UnknownNameError) as raised:
        write(argument, locale=locale, format=format)  # type: ignore[operator]
    assert (raised.value.kind, raised.value.name) == (kind, locale if kind == "locale" else format)
    assert raised.value.message("nl") != raised.value.message("en")


# --- the HTML page -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tilburg_en() -> str:
    return report(tilburg(), at=AT)


def test_the_page_is_self_contained_with_its_language_and_headings_in_order(
    tilburg_en: str,
) -> None:
    """One document: lang attribute, inline style and SVG, no script, nothing fetched."""
    outline = _outline(tilburg_en)
    assert tilburg_en.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert ("script" in outline.tags, "svg" in outline.tags, "style" in outline.tags) == (
        False,
        True,
        True,
    )
    assert outline.outside == []
    assert (outline.levels[0], outline.levels.count(1)) == (1, 1)
    assert all(b - a <= 1 for a, b in itertools.pairwise(outline.levels))
    assert ("@media print" in tilburg_en, "@media (max-width: 40rem)" in tilburg_en) == (True, True)


def test_the_tilburg_report_in_english(tilburg_en: str) -> None:
    """Phases, next step, lights, cards, budget and timeline say what the demo recorded."""
    text = _text(tilburg_en)
    for expected in (
        "Gemeente Tilburg and Tilburg University",
        "Situation on 1 October 2018",
        "Current phase: Implementation",
        "Implementation current phase",
        "Exploration ✓ done",
        "Completed ahead",
        "Other phases: Stalled, Dissolved",
        "Complete The whole cooperation",
        "theme ‘Sustainable city’ is not completed yet",
        "on track: at or above 3.5",
        "borderline score: from 3 up to 3.5",
        "Sector government",
        "Role programme manager",
        "Role scientific director",
        "Declaration signed by Emile Aarts, rector magnificus (agenda version 1)",
        "Themes it leads Sustainable city Governable city Entrepreneurial city",
        "Contributions in money programme-funding: €600,000",
        "Contributions in kind researchers: €400,000",
        "Nothing recorded yet: Contributions in kind",
        "Trust on track 4.0 1 February 2018 1–5",
        "The commitments cover the budget.",
        "Committed in total €1,000,000",
        "of which in kind (valued) €400,000",
        "1 September 2017 Started with 2 parties",
        "Tilburg University signed the cooperation declaration (Emile Aarts, rector magnificus)",
        "Step taken (Start implementation): from Setting up the programme office to "
        "Implementation (facilitator)",
        "The step ‘Complete the exploration’ was refused (7 reasons)",
    ):
        assert expected in text, expected
    assert ("tilburg-university" in text, "programme_manager" in text) == (False, False)


def test_the_tilburg_report_in_dutch() -> None:
    """The same page in Dutch: labels, dates, money and sentences."""
    text = _text(report(tilburg("nl"), locale="nl", at=AT))
    for expected in (
        "Rapportage voor de stuurgroep",
        "Stand van zaken op 1 oktober 2018",
        "Huidige fase: Uitvoering",
        "Wat de volgende stap nog tegenhoudt",
        "op koers: 3,5 of hoger",
        "Sector overheid",
        "Rol programmamanager",
        "Bijdragen in geld programme-funding: € 600.000",
        "Vertrouwen op koers 4,0 1 februari 2018 1–5",
        "De toezeggingen dekken de begroting.",
        "1 september 2017 Gestart met 2 partijen",
        "Programmabudget vastgesteld op € 1.000.000",
        "Agendaversie 1 voorgesteld met 5 thema’s",
    ):
        assert expected in text, expected


def test_a_party_typing_markup_cannot_change_the_page() -> None:
    """Every text is escaped: a name with a tag shows as text."""
    parties = [cf.Party("a", name="<script>alert(1)</script>"), cf.Party("b")]
    t = cf.Trajectory.start(cf.default_process(), parties=parties, title="A & B")
    html = report(t)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<title>A &amp; B</title>" in html


# --- traffic lights ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [(3.5, GREEN), (3.49, "amber"), (3.0, "amber"), (2.99, RED), (None, GREY)],
)
def test_a_light_is_green_from_the_entry_threshold_and_red_under_the_regression_one(
    score: float | None, expected: str
) -> None:
    """Green at or above entry, amber between, red under regression, grey when missing."""
    assert status(score, 3.5, 3.0) == expected


def test_thresholds_come_from_the_guards_else_from_the_settings() -> None:
    """A score guard's `at_least` and a condition's `below` override the settings' thresholds."""
    process = cf.Process.from_file(cf.example_file("collective-impact"))
    found = thresholds(process)
    assert found["backbone_support"] == (4.0, 3.0)
    assert found["communication"] == (3.5, 3.0)
    assert thresholds(_tiny())["trust"] == (4.0, 2.5)
    partnering = thresholds(cf.Process.from_file(cf.example_file("partnering-cycle")))
    assert set(partnering) >= {"equity", "transparency", "mutual_benefit"}
    default = thresholds(cf.default_process())
    assert set(default) == {"trust", "voice", "stake", "urgency", "impact"}


def test_every_colour_shows_with_a_word_and_a_score_asked_of_some_parties_only() -> None:
    """Collective Impact: green, amber, red and grey lights, and 'not asked' for the backbone
    dimension of the partners that are not the backbone."""
    html = report(collective_impact(), at=AT)
    text = _text(html)
    for expected in (
        "Support by the backbone organisation (thresholds 4 and 3)",
        "borderline score 3.4 14 September 2018",
        "below the threshold 2.7 17 September 2018",
        "no score",
        "— not asked",
        "Current phase: Organising for impact",
        "Sustain action and impact The whole cooperation",
        "Stichting Samen Sterk: the score for support by the backbone organisation is 3.4; "
        "at least 4.0 is needed",
        "Other phases: Ended",
    ):
        assert expected in text, expected
    assert {"var(--green)", "var(--amber)", "var(--red)", "var(--grey)"} <= set(
        re.findall(r"var\(--(?:green|amber|red|grey)\)", html)
    )
    assert text.count("— not asked") == 3


def test_an_old_score_counts_as_missing_when_the_process_lets_scores_age() -> None:
    """The pilot process ignores scores older than 180 days: the light turns grey."""
    process = cf.Process.from_file(cf.example_file("pilot"))
    t = cf.Trajectory.start(process, parties=PAIR, at=T0)
    t.record(cf.Assessed("a", "trust", 4.5), at=T0)
    fresh = _text(report(t, format="html", at=T0 + timedelta(days=10)))
    old = _text(report(t, format="html", at=T0 + timedelta(days=400)))
    assert "Trust on track 4.5 2 March 2020" in fresh
    assert "Trust no score" in old


# --- next actions --------------------------------------------------------------------------------


def test_what_blocks_the_next_step_is_listed_per_party() -> None:
    """At the start, the exploration step lists what each party still has to record."""
    t = cf.Trajectory.start(cf.default_process(), parties=PAIR, at=T0)
    text = _text(report(t, at=T0))
    assert "Complete the exploration The whole cooperation" in text
    assert "Alpha Alpha has not yet named what it brings and what it gains" in text
    assert text.index("The whole cooperation") < text.index("Alpha Alpha") < text.index("Beta Beta")


def test_a_step_that_can_be_taken_says_so_and_an_ended_trajectory_has_none() -> None:
    """A step whose guards hold is ready; after the last phase there is no step."""
    t = cf.Trajectory.start(_tiny(), parties=PAIR, at=T0)
    for party in PAIR:
        t.record(cf.Assessed(party.id, "trust", 4.5), at=T0)
    ready = _text(report(t, at=T0))
    assert "Finish ✓ Nothing blocks this step: it can be taken now." in ready
    assert "Other phases" not in ready
    t.fire("finish", at=T0)
    done = _text(report(t, at=T0))
    assert "No further step: the trajectory has ended." in done
    assert "Start ✓ done Done current phase" in done


def test_a_side_phase_is_marked_current_and_the_line_shows_what_was_done() -> None:
    """A stalled trajectory: the phases it passed are done, Stalled is the current one."""
    t = cf.Trajectory.start(cf.default_process(), parties=PAIR, at=T0)
    t.fire("stall", at=T0)
    text = _text(report(t, at=T0))
    assert "Exploration ✓ done Building a cooperation culture ahead" in text
    assert "Other phases: Stalled (current phase)" in text
    assert "Resume" in text


# --- cards, trends, budget, timeline -------------------------------------------------------------


def _full() -> cf.Trajectory:
    """A default-process trajectory (with a fact of its own) with one of every kind of event."""
    mandate = cf.Fact({"en": "board mandate", "nl": "bestuursmandaat"}, per_party=True)
    facts = {
        "council_approval": {"en": "council approval", "nl": "raadsbesluit"},
        "mandate": mandate,
    }
    process = attrs.evolve(cf.default_process(), vocabulary=cf.Vocabulary(facts=facts))
    t = cf.Trajectory.start(process, parties=PAIR, at=T0, title="")
    day = [T0]

    def at() -> datetime:
        day[0] += timedelta(days=1)
        return day[0]

    for event in (
        cf.InterestShared("x", {"a", "b"}),
        cf.ValueNamed("a", brings="data", gains="insight"),
        cf.DependencyDeclared("a", "b"),
        cf.DependencyDeclared("b", "a", need="money"),
        cf.Assessed("a", "trust", 3.2, respondent="r1"),
        cf.Assessed("a", "trust", 4.0, respondent="r2"),
        cf.ContributionCommitted("a", "cash", cash=100),
        cf.ContributionCommitted("b", "hours", in_kind=True),
        cf.ContributionCommitted("b", "gone", cash=5),
        cf.ContributionWithdrawn("b", "gone"),
        cf.DecisionRuleSet(cf.DecisionRule.WEIGHTED, weights={"a": 1, "b": 1}),
        cf.DecisionRuleSet(cf.DecisionRule.UNANIMITY),
        cf.AgendaProposed(1, [cf.Theme("th", "Clean air", "a", "NO2", ["x"])]),
        cf.AgendaApproved("a", 1),
        cf.DeclarationSigned("a", "An", 1),
        cf.RoleAssigned("programme_manager", "a", person="An"),
        cf.BudgetSet(1000),
        cf.ThemeClosed("th"),
        cf.ReviewRecorded("Half-way"),
        cf.ReviewRecorded("The end", final=True),
        cf.FactRecorded("council_approval"),
        cf.FactRecorded("council_approval", holds=False),
        cf.FactRecorded("mandate", party="a"),
        cf.FactRecorded("mandate", party="a", holds=False),
        cf.ContributionCommitted("a", "desk", cash=50, in_kind=True),
        cf.PartyJoined(cf.Party("c", name="Gamma")),
        cf.Assessed("c", "trust", 2.0),
        cf.PartyLeft("c", reason="merged"),
        cf.PartyJoined(cf.Party("d", name="Delta")),
        cf.PartyLeft("d"),
    ):
        t.record(event, at=at())
    return t


def test_every_event_reads_as_a_sentence_in_both_languages() -> None:
    """The timeline names parties, labels, amounts and plural forms, never an id."""
    t = _full()
    english, dutch = _text(report(t, at=AT)), _text(report(t, locale="nl", at=AT))
    for expected in (
        "Common interest shared by Alpha, Beta: x",
        "Alpha brings data; it gains insight",
        "Alpha depends on Beta",
        "Beta depends on Alpha for money",
        "Alpha scored 3.2 on trust",
        "Alpha committed €100",
        "Beta committed a contribution in kind",
        "Beta withdrew a contribution",
        "The parties decide by weighted votes",
        "The parties decide by unanimity",
        "Agenda version 1 proposed with 1 theme",
        "Alpha approved agenda version 1",
        "Alpha signed the cooperation declaration (An)",
        "Alpha takes the role of programme manager",
        "Programme budget set at €1,000",
        "Theme closed: Clean air",
        "Review recorded: Half-way",
        "Final review recorded: The end",
        "Recorded: council approval",
        "Withdrawn: council approval",
        "Recorded for Alpha: board mandate",
        "Withdrawn for Alpha: board mandate",
        "Alpha committed a contribution in kind worth €50",
        "Gamma joined",
        "Gamma left: merged",
        "Delta left",
    ):
        assert expected in english, expected
    for expected in (
        "Beta heeft Alpha nodig voor money",
        "De partijen besluiten bij gewogen stemmen",
        "Agendaversie 1 voorgesteld met 1 thema ",
        "Gamma is uitgetreden: merged",
    ):
        assert expected in dutch, expected


def test_a_card_shows_what_the_party_recorded() -> None:
    """Interests, values, dependencies both ways, signature, themes, money and in kind apart."""
    text = _text(report(_full(), at=AT))
    assert "Alpha Sector" not in text  # no sector given: no sector line
    for expected in (
        "Alpha Role programme manager Declaration not signed yet",  # Gamma joined: signatures void
        "Beta Role none Declaration not signed yet",
        "Interests x What it brings data What it gains insight Depends on Beta "
        "Is depended on by Beta (money) Themes it leads Clean air",
        "Contributions in money cash: €100 Contributions in kind desk: €50 Beta",
        "Contributions in kind hours",
        "Trust on track 3.6 8 March 2020",
    ):
        assert expected in text, expected


def test_the_trend_of_a_dimension_is_the_mean_of_the_respondents_over_time() -> None:
    """Two respondents: the line goes 3.2, then the mean 3.6; a party that left has no line."""
    html = report(_full(), at=AT)
    text = _text(html)
    assert "Alpha: 3.2 → 3.6" in text
    assert "Gamma:" not in text
    assert "<polyline" in html


def test_the_timeline_shows_the_latest_entries_of_a_long_history() -> None:
    """More records than the page shows: the last ones, with a note how many there are."""
    t = cf.Trajectory.start(cf.default_process(), parties=PAIR, at=T0)
    for i in range(90):
        t.record(cf.Assessed("a", "trust", 1 + (i % 5)), at=T0 + timedelta(hours=i))
    html = report(t, at=AT)
    assert "The last 80 of 91 entries." in _text(html)
    line = re.search(r'<polyline points="([^"]*)"', html)
    assert line is not None
    assert len(line.group(1).split()) == 60  # a chart's line shows the latest 60 scores
    assert "De laatste 80 van 91 vermeldingen." in _text(report(t, locale="nl", at=AT))


@pytest.mark.parametrize(
    ("cash", "expected"),
    [
        (None, "No programme budget has been set yet."),
        (Decimal(500), "The commitments do not cover the budget yet."),
        (Decimal(1000), "The commitments cover the budget."),
    ],
)
def test_the_budget_is_set_against_the_commitments(cash: Decimal | None, expected: str) -> None:
    """No budget, a budget half covered, and one fully covered."""
    t = cf.Trajectory.start(cf.default_process(), parties=PAIR, at=T0)
    if cash is not None:
        t.record(cf.BudgetSet(1000), at=T0)
        t.record(cf.ContributionCommitted("a", "c", cash=cash), at=T0)
    html = report(t, at=T0)
    assert expected in _text(html)
    assert ('class="bar"' in html) == (cash is not None)


def test_a_process_without_scores_and_a_wide_scale() -> None:
    """No score guard and no score: the lights and trends say so; a 0-100 scale gets ticks."""
    text = _text(report(cf.Trajectory.start(_tiny(facts=True), parties=PAIR), at=AT))
    assert "No scores are asked for or recorded." in text
    assert "No scores are recorded yet." in text
    t = cf.Trajectory.start(_tiny(scale=(0.0, 100.0)), parties=PAIR, at=T0)
    t.record(cf.Assessed("a", "trust", 85), at=T0)
    t.record(cf.Assessed("a", "trust", 75), at=T0 + timedelta(days=1))
    html = report(t, at=AT)
    assert (">80</text>" in html, ">100</text>" in html) == (True, True)
    assert "Trust (thresholds 80 and 50)" in _text(html)


# --- Markdown ------------------------------------------------------------------------------------


def test_the_markdown_report_has_the_same_parts() -> None:
    """Headings in order, tables, lights as symbol and word, the timeline."""
    text = report(collective_impact(), format="md", at=AT)
    lines = text.splitlines()
    assert lines[0] == "# Samen sterk in Breda-Noord"
    levels = [len(line) - len(line.lstrip("#")) for line in lines if line.startswith("#")]
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    for expected in (
        "**Current phase: Organising for impact**",
        "3. **Organising for impact (current phase)**",
        "Other phases: Ended",
        "| Party | Urgency | Commitment to the common agenda |",
        "▲ borderline score **3.4** (14 September 2018)",
        "■ below the threshold **2.7**",
        "— not asked",
        f"### {BEDRIJF.name}",
        "**! The commitments do not cover the budget yet.**",
        "- Stichting Samen Sterk: 4.5 → 4.6 → 4.6",
        "### 8 January 2018",
        "- lectoraat: €80,000",
        "- kwartiermaker",
    ):
        assert expected in text, expected


def test_markdown_escapes_what_would_be_markup() -> None:
    """A name with Markdown characters stays text."""
    parties = [cf.Party("a", name="*A* | [B]"), cf.Party("b")]
    text = report(cf.Trajectory.start(cf.default_process(), parties=parties), format="md")
    assert "\\*A\\* \\| \\[B\\]" in text


@pytest.mark.parametrize("locale", ["en", "nl"])
def test_every_branch_of_the_markdown_report(locale: str) -> None:
    """Budget states, a ready step, an ended trajectory, no scores, a long timeline."""
    t = cf.Trajectory.start(_tiny(), parties=PAIR, at=T0)
    for i in range(85):
        t.record(cf.Assessed(PAIR[i % 2].id, "trust", 4.5), at=T0)
    ready = report(t, locale=locale, format="md", at=T0)
    t.fire("finish", at=T0)
    done = report(t, locale=locale, format="md", at=T0)
    none = report(cf.Trajectory.start(_tiny(facts=True), parties=PAIR), locale=locale, format="md")
    covered = report(tilburg(locale), locale=locale, format="md", at=AT)
    assert ("✓ " in ready, "80" in ready, "86" in ready) == (True, True, True)
    assert ("No further step" in done) == (locale == "en")
    assert ("Er volgt geen stap meer" in done) == (locale == "nl")
    nothing = "*Nothing recorded yet:" if locale == "en" else "*Nog niets vastgelegd:"
    assert (nothing in none, "**✓" in covered) == (True, True)
    budget = "No programme budget" if locale == "en" else "Er is nog geen programmabudget"
    assert f"**{budget}" in none


# --- the portfolio -------------------------------------------------------------------------------


def test_the_portfolio_lists_each_trajectory_with_phase_lights_and_last_change() -> None:
    """Two trajectories: their titles, phases, light counts per party and last change."""
    html = portfolio([tilburg(), collective_impact()], at=AT)
    text = _text(html)
    assert ('<html lang="en">' in html, "<script" in html) == (True, False)
    for expected in (
        "Portfolio of cooperation trajectories",
        "2 trajectories · Situation on 1 October 2018",
        "Gemeente Tilburg and Tilburg University coopflow-default Implementation",
        "Gemeente Tilburg 5 on track",
        "Bouwbedrijf De Hoeksteen 2 on track 1 borderline score 1 below the threshold",
        "3 September 2018: Step taken (Start implementation)",
        "Samen sterk in Breda-Noord collective-impact Organising for impact",
    ):
        assert expected in text, expected
    levels = _outline(html).levels
    assert levels == [1, 2]


def test_the_portfolio_in_dutch_and_markdown_and_empty() -> None:
    """An empty portfolio says so; a party without lights shows a dash."""
    assert "Er zijn nog geen trajecten." in _text(portfolio([], locale="nl", at=AT))
    assert "No trajectories yet." in portfolio([], format="md", at=AT)
    bare = cf.Trajectory.start(_tiny(facts=True), parties=PAIR, title="Bare", at=T0)
    md = portfolio([bare, tilburg("nl")], locale="nl", format="md", at=AT)
    assert "| Bare | Begin | Alpha: —; Beta: — | 1 |" in md
    assert "Gemeente Tilburg: ● 5 op koers" in md
    assert md.startswith("# Portefeuille van samenwerkingstrajecten\n\n1 traject") is False
    assert "2 trajecten" in md
    html = portfolio([bare], locale="nl", at=AT)
    assert "1 traject ·" in _text(html)
    assert "<strong>Alpha</strong> —" in html


@pytest.mark.parametrize("format", FORMATS)
def test_a_full_card_has_no_line_of_what_is_missing(format: str) -> None:
    """A party that recorded everything: no 'nothing recorded yet' for it."""
    page = report(_full(), format=format, at=AT)
    alpha = page[page.index("Alpha") : page.index("Beta", page.index("Parties"))]
    assert "Nothing recorded yet" not in alpha.split("Scores")[0]


def test_a_regression_reads_as_an_automatic_move() -> None:
    """Trust falls under the regression threshold: the light is red, the timeline says it moved."""
    t = tilburg()
    t.record(cf.Assessed("tilburg-university", "trust", 2.5), at=AT - timedelta(days=1))
    text = _text(report(t, at=AT))
    moved = "Moved automatically (Cooperation culture eroded): from Implementation to Stalled"
    assert moved in text
    assert "Trust below the threshold 2.5 30 September 2018" in text
    assert "Current phase: Stalled" in text


def test_a_phase_whose_steps_have_no_conditions_lists_them_as_open() -> None:
    """Without a step that has conditions, the steps out of the phase are shown as open."""
    process = cf.Process(
        "open",
        [
            cf.State("a", labels={"en": "A", "nl": "A"}, initial=True),
            cf.State("b", labels={"en": "B", "nl": "B"}, terminal=True, success=True),
        ],
        [cf.Transition("go", source="a", dest="b", labels={"en": "Go on", "nl": "Verder"})],
        settings=cf.Settings(required_roles=()),
    )
    text = _text(report(cf.Trajectory.start(process, parties=PAIR), at=AT))
    assert "Go on ✓ Nothing blocks this step: it can be taken now." in text
