"""The default process of the seed article, as PROCESS.md specifies it, labelled en/nl."""

import functools

from coopflow import guards
from coopflow._process import Process, State, Transition
from coopflow._settings import Settings
from coopflow._vocabulary import SEED_VOCABULARY, Vocabulary
from coopflow.guards import Guard

_STATES = (
    ("exploring", "Exploration", "Verkenning"),
    ("building_culture", "Building a cooperation culture", "Vorming samenwerkingscultuur"),
    (
        "agenda_setting",
        "Drafting the cooperation agenda",
        "Opstellen samenwerkingsagenda en programma",
    ),
    ("signing", "Signing the cooperation declaration", "Ondertekening samenwerkingsverklaring"),
    ("organising", "Setting up the programme office", "Inrichting programmabureau"),
    ("operating", "Implementation", "Uitvoering"),
    ("stalled", "Stalled", "Stilgevallen"),
    ("completed", "Completed", "Afgerond"),
    ("dissolved", "Dissolved", "Beëindigd"),
)
ACTIVE = ("exploring", "building_culture", "agenda_setting", "signing", "organising", "operating")
_TERMINAL = ("completed", "dissolved")

# The forward path: trigger, from, to, guards, English label, Dutch label.
_FORWARD: tuple[tuple[str, str, str, tuple[Guard, ...], str, str], ...] = (
    (
        "form_culture",
        "exploring",
        "building_culture",
        (guards.common_ground(),),
        "Complete the exploration",
        "Verkenning afronden",
    ),
    (
        "set_agenda",
        "building_culture",
        "agenda_setting",
        (guards.trust(), guards.reciprocity(), guards.equal_standing(), guards.energy()),
        "Complete the preliminary phase",
        "Voortraject afronden",
    ),
    (
        "open_signing",
        "agenda_setting",
        "signing",
        (guards.agenda_approved(),),
        "Open for signature",
        "Ter ondertekening aanbieden",
    ),
    (
        "organise",
        "signing",
        "organising",
        (guards.declaration_signed(),),
        "Set up the programme office",
        "Programmabureau inrichten",
    ),
    (
        "start",
        "organising",
        "operating",
        (guards.roles_assigned(), guards.finances_covered()),
        "Start implementation",
        "Uitvoering starten",
    ),
    ("complete", "operating", "completed", (guards.completion(),), "Complete", "Traject afronden"),
)

_ON_OFFICE = ("organising", "operating")
_BEFORE_OFFICE = ("agenda_setting", "signing")

# The automatic regressions, in priority order: trigger, from, to, condition, labels, voids.
_REGRESSIONS: tuple[tuple[str, tuple[str, ...], str, Guard, str, str, bool], ...] = (
    (
        "lose_quorum",
        (*ACTIVE, "stalled"),
        "dissolved",
        guards.quorum_lost(),
        "Too few parties left",
        "Te weinig partijen over",
        False,
    ),
    (
        "void_declaration",
        _ON_OFFICE,
        "signing",
        guards.declaration_incomplete(),
        "Signatures voided",
        "Handtekeningen vervallen",
        False,
    ),
    (
        "breach_culture",
        _BEFORE_OFFICE,
        "building_culture",
        guards.culture_breached(),
        "Cooperation culture eroded",
        "Samenwerkingscultuur onder druk",
        True,
    ),
    (
        "breach_culture",
        _ON_OFFICE,
        "stalled",
        guards.culture_breached(),
        "Cooperation culture eroded",
        "Samenwerkingscultuur onder druk",
        False,
    ),
    (
        "lose_energy",
        ACTIVE[1:],
        "stalled",
        guards.energy_lost(),
        "Energy lost",
        "Energie weggevallen",
        False,
    ),
    (
        "lose_funding",
        ("operating",),
        "organising",
        guards.funding_lost(),
        "Funding lost",
        "Financiering niet meer rond",
        False,
    ),
)


def _labels(en: str, nl: str) -> dict[str, str]:
    return {"en": en, "nl": nl}


def default_process(
    *, settings: Settings | None = None, vocabulary: Vocabulary | None = None
) -> Process:
    """The seed's process: from exploring to operating, with stalls, regressions and dissolving.

    Args:
        settings: other thresholds or rules; the defaults of PROCESS.md when None.
        vocabulary: more words (roles the settings require, dimensions, facts, tags) for a
            process built on this one; the seed's vocabulary when None.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process(settings=cf.Settings(entry_threshold=4.0))
        >>> p.settings.entry_threshold, p.label("signing")
        (4.0, 'Signing the cooperation declaration')
    """
    chosen = Settings() if settings is None else settings
    if vocabulary is None:
        return _cached(chosen)
    return _build(chosen, vocabulary)


@functools.cache
def _cached(settings: Settings) -> Process:
    # A process is immutable, so one per settings serves everyone (and builds its machine once).
    return _build(settings, SEED_VOCABULARY)


def _build(settings: Settings, vocabulary: Vocabulary) -> Process:
    states = tuple(
        State(
            state_id,
            _labels(en, nl),
            terminal=state_id in _TERMINAL,
            initial=state_id == "exploring",
            success=state_id == "completed",
        )
        for state_id, en, nl in _STATES
    )
    forward = tuple(
        Transition(trigger, source=source, dest=dest, guards=gs, labels=_labels(en, nl))
        for trigger, source, dest, gs, en, nl in _FORWARD
    )
    entry_guards = {dest: gs for _, _, dest, gs, _, _ in _FORWARD}
    regressions = tuple(
        Transition(
            trigger,
            source=sources,
            dest=dest,
            guards=(condition,),
            automatic=True,
            labels=_labels(en, nl),
            voids_declaration=voids,
        )
        for trigger, sources, dest, condition, en, nl, voids in _REGRESSIONS
    )
    # Resuming returns to the remembered state: one transition per active state, selected by
    # came_from, guarded by that state's entry guards and by none of its regressions holding.
    resumes = tuple(
        Transition(
            "resume",
            source="stalled",
            dest=state,
            guards=(
                guards.came_from(state),
                *entry_guards.get(state, ()),
                *(
                    guards.not_(condition)
                    for _, sources, _, condition, _, _, _ in _REGRESSIONS
                    if state in sources
                ),
            ),
            labels=_labels("Resume", "Hervatten"),
        )
        for state in ACTIVE
    )
    around = (
        Transition("stall", source=ACTIVE, dest="stalled", labels=_labels("Stall", "Stilleggen")),
        *resumes,
        Transition(
            "dissolve",
            source=(*ACTIVE, "stalled"),
            dest="dissolved",
            labels=_labels("Dissolve", "Beëindigen"),
        ),
    )
    return Process(
        "coopflow-default",
        states,
        forward + around + regressions,
        settings=settings,
        vocabulary=vocabulary,
    )
