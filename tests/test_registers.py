"""Tests of coopflow._registers: indexed registers answer exactly as the plain tuples do."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import coopflow as cf
from coopflow._registers import FIELDS, index_of, replace_registers, without_signatures
from coopflow._snapshot import FoldContext, fold
from tests import strategies as sts
from tests.conftest import T0

PROCESS = cf.default_process()
CONTEXT = PROCESS._index.context


def plain(s: cf.Snapshot) -> cf.Snapshot:
    """The same snapshot with registers built by hand from its tuples (no index)."""
    registers = cf.Registers(*(getattr(s.registers, name) for name in FIELDS))
    return cf.Snapshot(
        s.state, s.parties, registers, previous=s.previous, version=s.version, at=s.at
    )


def answers(s: cf.Snapshot) -> tuple[Any, ...]:
    """Every query a guard can make, for every party, dimension, role, version and theme."""
    ids = [*s.party_ids, "ghost"]
    dims = list(cf.Dimension)
    roles = [role.role for role in s.registers.roles] + ["programme_manager"]
    versions = [v.version for v in s.registers.agenda] + [99]
    themes = [t.id for v in s.registers.agenda for t in v.themes] + ["nope"]
    at = (s.at or T0) + timedelta(hours=2)
    return (
        [s.score(p, d) for p in ids for d in dims],
        [s.score(p, d, at=at, max_age=timedelta(hours=3)) for p in ids for d in dims],
        s.approved_agenda(),
        [(s.committed(p), s.has_committed(p), s.has_withdrawn(p)) for p in ids],
        (s.committed_cash(), str(s.committed_cash())),
        [(s.has_named_value(p), s.depends_on_another(p), s.is_depended_on(p)) for p in ids],
        s.has_common_interest(),
        [(s.role_holder(r), s.holds_role(r)) for r in roles],
        [s.holds_role(p) for p in ids],
        [s.signed(p, v) for p in ids for v in versions],
        (s.has_final_review(), [s.is_theme_closed(t) for t in themes]),
        [s.fact("f", p) for p in [*ids, None]],
    )


@given(
    steps=st.lists(sts.steps(["gemeente", "uni"]), max_size=25),
    hours=st.lists(st.integers(0, 5), min_size=25, max_size=25),
)
def test_indexed_registers_answer_as_their_tuples_and_old_snapshots_never_change(
    steps: list[Any], hours: list[int]
) -> None:
    """After every step the index answers as a scan of the tuples, and folding into plain
    registers gives the same registers; every earlier snapshot keeps what it held."""
    t = cf.Trajectory.start(PROCESS, parties=[cf.Party("gemeente"), cf.Party("uni")], id="r", at=T0)
    seen: list[tuple[cf.Snapshot, Any]] = []
    at = T0
    for step, hour in zip(steps, hours, strict=False):
        at = at + timedelta(hours=hour)
        before = t.snapshot
        try:
            if isinstance(step, cf.Fire):
                t.fire(step.trigger, at=at)
            else:
                t.record(step, at=at)
                again = fold(plain(before), step, CONTEXT, at)
                assert again.registers == fold(before, step, CONTEXT, at).registers
        except (cf.InvalidEventError, cf.TransitionRefused):
            pass
        s = t.snapshot
        assert answers(s) == answers(plain(s))
        assert s.registers == plain(s).registers
        index = s.registers._index
        seen.append((s, None if index is None else index.fields()))
    for s, fields in seen:
        index = s.registers._index
        assert (None if index is None else index.fields()) == fields


def test_registers_built_by_hand_with_strangers_are_scanned_after_folding() -> None:
    """Registers that name a party not taking part fold, and their queries scan the tuples."""
    registers = cf.Registers(
        dependencies=(cf.DependencyDeclared("a", "ghost"),),
        roles=(cf.RoleAssigned("programme_manager", "ghost"),),
        interests=(cf.Interest("x", frozenset({"a", "ghost"})),),
        agenda=(cf.AgendaVersion(1, (), approvals=frozenset({"a", "ghost"})),),
        signatures=(cf.DeclarationSigned("a", "Mayor", 1),),
        facts=(cf.FactState("f", "a", True, "", T0),),
        reviews=(cf.ReviewRecorded("done", final=True),),
        closed_themes=frozenset({"t"}),
    )
    s = cf.Snapshot("exploring", (cf.Party("a"), cf.Party("b")), registers)
    folded = fold(s, cf.BudgetSet(Decimal(5)), CONTEXT, T0)
    assert index_of(folded.registers, folded.parties) is None
    assert answers(folded) == answers(plain(folded))
    assert (folded.depends_on_another("a"), folded.role_holder("programme_manager")) == (
        False,
        None,
    )


def test_an_index_holds_only_for_its_own_parties() -> None:
    """Equal parties find the index; other parties scan the tuples."""
    t = cf.Trajectory.start(PROCESS, parties=[cf.Party("a"), cf.Party("b")], at=T0)
    t.record(cf.ValueNamed("a", "x", "y"), at=T0)
    s = t.snapshot
    other = attrs.evolve(s, parties=(cf.Party("a"),))
    assert (
        index_of(s.registers, tuple(s.parties)) is s.registers._index,
        index_of(s.registers, (cf.Party("a"), cf.Party("b"))) is s.registers._index,
        index_of(other.registers, other.parties),
    ) == (True, True, None)
    assert answers(other) == answers(plain(other))


def test_a_party_leaving_keeps_what_others_recorded() -> None:
    """Leaving removes the party's endorsements and roles, not others' interests or roles."""
    parties = [cf.Party("a"), cf.Party("b"), cf.Party("c")]
    t = cf.Trajectory.start(PROCESS, parties=parties, at=T0)
    for event in (
        cf.InterestShared("x", ["a"]),
        cf.InterestShared("y", ["b"]),
        cf.RoleAssigned("secretary", "a"),
        cf.RoleAssigned("secretary", "b"),
        cf.Assessed("a", cf.Dimension.TRUST, 4, respondent="r1"),
        cf.Assessed("a", cf.Dimension.TRUST, 2, respondent="r2"),
        cf.Assessed("a", cf.Dimension.TRUST, 5, respondent="r1"),
    ):
        t.record(event, at=T0)
    assert t.snapshot.score("a", cf.Dimension.TRUST) == 3.5
    t.record(cf.PartyLeft("a"), at=T0)
    s = t.snapshot
    assert ([(i.id, i.parties) for i in s.registers.interests], s.role_holder("secretary")) == (
        [("x", frozenset()), ("y", frozenset({"b"}))],
        "b",
    )
    assert answers(s) == answers(plain(s))


def test_old_scores_are_skipped_in_recorded_order() -> None:
    """With max_age, a score too old is skipped and the rest are averaged."""
    t = cf.Trajectory.start(PROCESS, parties=[cf.Party("a"), cf.Party("b")], at=T0)
    t.record(cf.Assessed("a", "trust", 2, respondent="old"), at=T0)
    t.record(cf.Assessed("a", "trust", 4, respondent="new"), at=T0 + timedelta(days=10))
    later = T0 + timedelta(days=11)
    assert t.snapshot.score("a", "trust", at=later, max_age=timedelta(days=5)) == 4.0


def test_registers_are_frozen_values() -> None:
    """Registers refuse changes, compare only with registers, hash and show as before."""
    t = cf.Trajectory.start(PROCESS, parties=[cf.Party("a"), cf.Party("b")], at=T0)
    t.record(cf.ReviewRecorded("r"), at=T0)
    registers = t.snapshot.registers
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        registers.budget = Decimal(1)  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del registers.budget
    assert (registers == "r", registers == registers) == (False, True)
    assert repr(registers).startswith("Registers(interests=(), values=()")
    assert hash(cf.Registers(weights=frozenset())) == hash(  # type: ignore[arg-type]
        cf.Registers(weights=frozenset())  # type: ignore[arg-type]
    )
    with pytest.raises(TypeError):
        hash(registers)  # its weights are a read-only dict, as they always were


def test_voiding_signatures_of_plain_registers() -> None:
    """Signatures are voided on plain and on indexed registers alike."""
    signed = cf.Registers(signatures=(cf.DeclarationSigned("a", "Mayor", 1),))
    assert without_signatures(signed) == replace_registers(signed, signatures=())
    assert (
        plain(cf.Snapshot("signing", (cf.Party("a"),), signed)).registers.decision_rule
        == cf.DecisionRule.CONSENSUS
    )


def test_folding_into_a_plain_copy_of_full_registers_gives_the_same() -> None:
    """Every register indexed from its tuples answers and folds as the registers it came from."""
    parties = [cf.Party("a"), cf.Party("b")]
    t = cf.Trajectory.start(PROCESS, parties=parties, at=T0)
    for event in (
        cf.InterestShared("x", ["a", "b"]),
        cf.ValueNamed("a", "p", "q"),
        cf.DependencyDeclared("a", "b"),
        cf.Assessed("a", "trust", 4),
        cf.ContributionCommitted("a", "money", cash=Decimal("1.50")),
        cf.ContributionCommitted("b", "staff", in_kind=True),
        cf.ContributionWithdrawn("b", "staff"),
        cf.AgendaProposed(1, [cf.Theme("t", "T", "a", "i", ["x"])]),
        cf.AgendaApproved("a", 1),
        cf.AgendaApproved("b", 1),
        cf.DeclarationSigned("a", "Mayor", 1),
        cf.RoleAssigned("secretary", "b"),
        cf.ThemeClosed("t"),
        cf.ReviewRecorded("r", final=True),
    ):
        t.record(event, at=T0)
    s = t.snapshot
    copy = plain(s)
    assert (answers(copy), copy.approved_agenda()) == (answers(s), s.registers.agenda[0])
    gone = cf.PartyLeft("a")
    assert fold(copy, gone, CONTEXT, T0).registers == fold(s, gone, CONTEXT, T0).registers


def test_a_later_duplicate_interest_wins_when_hand_built_registers_are_indexed() -> None:
    """Of two interests with one id the later counts; the earlier endorser leaving keeps it."""
    registers = cf.Registers(
        interests=(cf.Interest("x", frozenset({"a"})), cf.Interest("x", frozenset({"b"})))
    )
    s = cf.Snapshot("exploring", (cf.Party("a"), cf.Party("b"), cf.Party("c")), registers)
    left = fold(s, cf.PartyLeft("a"), CONTEXT, T0)
    assert [(i.id, i.parties) for i in left.registers.interests] == [("x", frozenset({"b"}))]


def test_ids_holding_a_colon_keep_each_party_s_entries_apart_when_one_leaves() -> None:
    """The index keys counts and tags by strings joined with ":": party, interest, contribution,
    fact and dimension ids that hold one still name exactly their own entries, and the party
    "a:b" leaving takes what it recorded (a fact of its own, several respondents' scores) and
    nothing of party "a"."""
    words = {"en": "w", "nl": "w"}
    vocabulary = cf.Vocabulary(
        dimensions={"d:1": words}, facts={"mandate:x": cf.Fact(words, per_party=True)}
    )
    context = FoldContext((1.0, 5.0), vocabulary)
    s = cf.Snapshot("exploring", (cf.Party("a:b"), cf.Party("a"), cf.Party("b")))
    for event in (
        cf.InterestShared("x:1", ["a:b", "a"]),
        cf.ValueNamed("a:b", "p", "q"),
        cf.DependencyDeclared("a:b", "a"),
        cf.DependencyDeclared("b", "a:b"),
        cf.Assessed("a:b", "d:1", 4, respondent="r:1"),
        cf.Assessed("a:b", "d:1", 2, respondent="r"),
        cf.Assessed("a", "d:1", 3),
        cf.ContributionCommitted("a:b", "money:1", cash=Decimal(1)),
        cf.ContributionCommitted("a", "money:1", cash=Decimal(2)),
        cf.AgendaProposed(1, [cf.Theme("t", "T", "a:b", "i", ["x:1"])]),
        cf.AgendaApproved("a:b", 1),
        cf.AgendaApproved("a", 1),
        cf.RoleAssigned("programme_manager", "a:b"),
        cf.FactRecorded("mandate:x", party="a:b"),
        cf.FactRecorded("mandate:x", party="a"),
    ):
        s = fold(s, event, context, T0)
    assert [
        (s.has_named_value(p), s.depends_on_another(p), s.is_depended_on(p), s.holds_role(p))
        for p in ("a:b", "a", "b")
    ] == [(True, True, True, True), (False, False, True, False), (False, True, False, False)]
    assert (s.score("a:b", "d:1"), s.score("a", "d:1"), s.score("b", "d:1")) == (3.0, 3.0, None)
    s = fold(s, cf.PartyLeft("a:b"), context, T0)
    registers = s.registers
    assert [(i.id, i.parties) for i in registers.interests] == [("x:1", frozenset({"a"}))]
    assert (registers.values, registers.dependencies, registers.roles) == ((), (), ())
    assert (s.score("a:b", "d:1"), s.score("a", "d:1"), dict(s.scores_on("d:1"))) == (
        None,
        3.0,
        {"a": 3.0},
    )
    assert [(c.party, c.id) for c in registers.contributions] == [("a", "money:1")]
    assert s.committed_cash() == Decimal(2)
    assert [(f.fact, f.party) for f in registers.facts] == [("mandate:x", "a")]
    (version,) = registers.agenda
    assert ([theme.owner for theme in version.themes], version.approvals) == (
        [""],
        frozenset({"a"}),
    )
    assert [
        (s.has_named_value(p), s.depends_on_another(p), s.is_depended_on(p), s.holds_role(p))
        for p in ("a:b", "a", "b")
    ] == [(False, False, False, False)] * 3
    assert (s.has_committed("a:b"), s.has_committed("a"), s.role_holder("programme_manager")) == (
        False,
        True,
        None,
    )
    assert s.registers == plain(s).registers
