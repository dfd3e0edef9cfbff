"""Whom a guard is about: ``parties=`` of the generic guards.

A selection is ``"all"`` (the default, also written as None), ``"any"``, a list of party ids, or
one of ``{"tag": ...}``, ``{"sector": ...}``, ``{"role": ...}``. For a guard, every selected party
must pass (``"any"``: one suffices), and a selection that finds nobody fails: absence is failure.
For a condition, one selected party with a finding makes it hold (``"any"``: every selected party
must have one), and a selection that finds nobody never makes it hold: absence never moves a
trajectory back.

The witnesses of the guards over a selection (`coopflow._witness`) start from `chosen` and
`failing`: whom to give the events that make such a guard hold or fail.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from typing import Any, TypeAlias

from coopflow._events import Party, PartyJoined, RoleAssigned, Sector
from coopflow._results import Failure
from coopflow._snapshot import Snapshot
from coopflow._text import Phrase, Problem, shown
from coopflow._validators import is_text
from coopflow._vocabulary import Vocabulary
from coopflow._witness import Events, newcomer
from coopflow.exceptions import InvalidProcessError
from coopflow.guards._registry import term

Selection: TypeAlias = str | tuple[str, ...] | Mapping[str, str] | None
"""What ``parties=`` holds once checked: None (all), "any", ids, or a one-key mapping."""

Parties: TypeAlias = str | Iterable[str] | Mapping[str, str] | None
"""What ``parties=`` takes: "all", "any", party ids, or {"tag" | "sector" | "role": id}."""

_KEYS = ("tag", "sector", "role")


class Pick(Mapping[str, str]):
    """A selector of one key, ``{"tag": "backbone"}``: a mapping that is hashable, as guards are."""

    __slots__ = ("_id", "_key")

    def __init__(self, key: str, id: str) -> None:
        self._key = key
        self._id = id

    def __getitem__(self, key: str) -> str:
        if key != self._key:
            raise KeyError(key)
        return self._id

    def __iter__(self) -> Iterator[str]:
        return iter((self._key,))

    def __len__(self) -> int:
        return 1

    def __hash__(self) -> int:
        return hash((self._key, self._id))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(other) == {self._key: self._id}

    def __repr__(self) -> str:
        return repr({self._key: self._id})


def to_selection(value: object) -> Selection:
    """Check and normalise a ``parties=`` value (None and ``"all"`` are the same)."""
    if value is None or value == "all":
        return None
    if value == "any":
        return "any"
    if isinstance(value, Mapping):
        if len(value) != 1 or next(iter(value)) not in _KEYS:
            raise InvalidProcessError(
                [
                    Phrase(
                        "parties {value} must be one of {{'tag': ...}}, {{'sector': "
                        "...}}, {{'role': ...}}",
                        value=shown(value),
                    )
                ]
            )
        key, id = next(iter(value.items()))
        if not is_text(id):
            raise InvalidProcessError(
                [Phrase("parties {value}: the {key} must be an id", value=shown(value), key=key)]
            )
        if key == "sector" and id not in {sector.value for sector in Sector}:
            choices = ", ".join(sector.value for sector in Sector)
            raise InvalidProcessError(
                [
                    Phrase(
                        "parties {value}: the sector must be one of {choices}",
                        value=shown(value),
                        choices=choices,
                    )
                ]
            )
        return Pick(key, str(id))
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidProcessError(
            [
                Phrase(
                    "parties {value} must be 'all', 'any', a list of party ids or a selector",
                    value=shown(value),
                )
            ]
        )
    ids = tuple(value)
    if not ids or not all(is_text(id) for id in ids):
        raise InvalidProcessError(
            [Phrase("parties {value} must list at least one party id", value=shown(value))]
        )
    # A set has no order of its own: sorted, the guard (and the fingerprint) is the same in
    # every run.
    return tuple(sorted(ids)) if isinstance(value, Set) else ids


def selection_problems(selection: Selection, vocabulary: Vocabulary, owner: str) -> list[Problem]:
    """Words a selection names that the vocabulary does not declare."""
    if isinstance(selection, Mapping):
        key, id = next(iter(selection.items()))
        if key in ("tag", "role") and not vocabulary.declares(key, id):
            return [
                Phrase(
                    "guard {owner} selects {key} {id}, which the vocabulary does not declare",
                    owner=shown(owner),
                    key=key,
                    id=shown(id),
                )
            ]
    return []


def selection_reads(selection: Selection, *reads: str) -> frozenset[str]:
    """The registers a guard over `selection` reads: `reads`, and the roles for a role selector."""
    if isinstance(selection, Mapping) and next(iter(selection)) == "role":
        return frozenset(("roles", *reads))
    return frozenset(reads)


def select(snapshot: Snapshot, selection: Selection) -> tuple[list[Party], list[Failure]]:
    """The selected current parties, and the failures of a selection that misses someone."""
    parties = snapshot.parties
    if selection is None or selection == "any":
        return list(parties), []
    if isinstance(selection, Mapping):
        key, id = next(iter(selection.items()))
        if key == "tag":
            chosen = [party for party in parties if id in party.tags]
            missing = Failure(None, "nobody_tagged", {"tag": term("tag", id)})
        elif key == "sector":
            chosen = [party for party in parties if party.sector == id]
            missing = Failure(None, "nobody_in_sector", {"sector": id})
        else:
            holder = snapshot.role_holder(id)
            chosen = [party for party in parties if party.id == holder]
            missing = Failure(None, "role_missing", {"role": term("role", id)})
        return chosen, [] if chosen else [missing]
    present = {party.id: party for party in parties}
    chosen = [present[id] for id in selection if id in present]
    absent = [Failure(id, "party_absent", {"party": id}) for id in selection if id not in present]
    return chosen, absent


def is_selected(snapshot: Snapshot, selection: Selection, party: str) -> bool:
    """Whether the current party `party` is one that `selection` selects (not for "any").

    Example:
        >>> import coopflow as cf
        >>> from coopflow.guards._select import is_selected
        >>> s = cf.Snapshot("x", (cf.Party("a", tags={"backbone"}), cf.Party("b")))
        >>> is_selected(s, {"tag": "backbone"}, "a"), is_selected(s, ("a",), "b")
        (True, False)
    """
    if selection is None:
        return True
    if isinstance(selection, Mapping):
        key, id = next(iter(selection.items()))
        if key == "role":
            return snapshot.role_holder(id) == party
        found = snapshot.party(party)
        return id in found.tags if key == "tag" else found.sector == id
    return party in selection


def _every(snapshot: Snapshot, per_party: Any) -> list[Failure]:
    """What `per_party` finds of every current party, in order."""
    found: list[Failure] = []
    for party in snapshot.parties:
        mine = per_party(party)
        if mine:
            found += mine
    return found


def guard_failures(snapshot: Snapshot, selection: Selection, per_party: Any) -> list[Failure]:
    """The failures of a guard over a selection; `per_party(party)` lists one party's failures."""
    if selection is None:  # every party: the common case, in one pass
        if not snapshot.parties:  # nobody left: absence is failure, as for any selection
            return [Failure(None, "too_few_parties", {"count": 0})]
        return _every(snapshot, per_party)
    chosen, missing = select(snapshot, selection)
    found: list[list[Failure]] = [per_party(party) for party in chosen]
    if selection == "any":
        if any(not failures for failures in found):
            return []
        if not chosen:
            return [Failure(None, "too_few_parties", {"count": 0})]
    return missing + [failure for failures in found for failure in failures]


def condition_findings(snapshot: Snapshot, selection: Selection, per_party: Any) -> list[Failure]:
    """The findings of a condition over a selection; empty when it does not hold."""
    if selection is None:
        return _every(snapshot, per_party)
    chosen, _ = select(snapshot, selection)
    found: Sequence[list[Failure]] = [per_party(party) for party in chosen]
    if selection == "any" and any(not findings for findings in found):
        return []
    return [finding for findings in found for finding in findings]


# --- witnesses: whom the events go to that make a guard over a selection hold or fail ------


def chosen(snapshot: Snapshot, selection: Selection | str) -> tuple[list[str], Events]:
    """The ids a selection picks, and events that make it pick someone when it picks nobody.

    Raises:
        LookupError: nobody takes part at all, so no events are known.
    """
    if selection == "all":
        selection = None
    picked, _ = select(snapshot, selection)
    if isinstance(selection, tuple):
        # Every id named must take part: the absent ones join.
        present = {party.id for party in picked}
        named = list(dict.fromkeys(selection))
        return named, [PartyJoined(Party(id)) for id in named if id not in present]
    if picked:
        ids = [party.id for party in picked]
        return (ids[:1] if selection == "any" else ids), []
    if isinstance(selection, Mapping):
        key, id = next(iter(selection.items()))
        if key == "role":
            first = snapshot.parties[0].id
            return [first], [RoleAssigned(id, first)]
        party = newcomer(snapshot)
        party = Party(party.id, tags={id}) if key == "tag" else Party(party.id, sector=id)
        return [party.id], [PartyJoined(party)]
    raise LookupError  # nobody takes part at all


def everyone(selection: Selection | str) -> Selection | str:
    """A condition over "any" holds only when every party has a finding: all of them."""
    return None if selection == "any" else selection


def failing(snapshot: Snapshot, selection: Selection | str) -> list[str]:
    """The ids whose events make a guard over `selection` fail (or a condition not hold): none
    when the selection finds nobody, for then a guard fails and a condition does not hold.

    Raises:
        LookupError: nobody takes part at all, so no events are known.
    """
    every = selection in (None, "all")
    ids = [party.id for party in select(snapshot, None if every else selection)[0]]
    if not ids and every:
        raise LookupError  # nobody takes part at all
    return ids
