"""`coopflow._make.maker`: the engine's way of building its frozen values without ``__init__``."""

from datetime import UTC, datetime

import attrs
import pytest

import coopflow as cf
from coopflow._make import maker
from coopflow._results import Applied, Outcome, Record
from coopflow._snapshot import Snapshot

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def test_what_it_builds_equals_what_init_builds() -> None:
    """A snapshot, an applied result and a record: equal values, every slot set."""
    parties = (cf.Party("a"), cf.Party("b"))
    snapshot = maker(Snapshot)("exploring", parties, cf.Registers(), "stalled", 3, AT, None)
    assert snapshot == Snapshot("exploring", parties, previous="stalled", version=3, at=AT)
    assert snapshot._settled is None
    assert maker(Applied)(snapshot, ()) == Applied(snapshot, ())
    event = cf.Assessed("a", cf.Dimension.TRUST, 4)
    record = maker(Record)(1, AT, "me", event, Outcome.APPLIED, (), None)
    assert record == Record(1, AT, "me", event, Outcome.APPLIED)
    assert attrs.asdict(record, recurse=False) == attrs.asdict(
        Record(1, AT, "me", event, Outcome.APPLIED), recurse=False
    )


def test_what_it_builds_stays_frozen() -> None:
    """The instance is the class's own: attrs' frozen setattr still refuses a change."""
    made = maker(Applied)(Snapshot("exploring", ()), ())
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        made.transitions = ()  # type: ignore[misc]


def test_it_takes_one_value_per_field() -> None:
    """Too few values is a TypeError, as for any function."""
    with pytest.raises(TypeError):
        maker(Applied)(Snapshot("exploring", ()))


@attrs.frozen
class _Validated:
    x: int = attrs.field(validator=attrs.validators.instance_of(int))


@attrs.frozen
class _Converted:
    x: int = attrs.field(converter=int)


@attrs.frozen
class _Made:
    x: list[int] = attrs.Factory(list)


@attrs.frozen(slots=False)
class _Unslotted:
    x: int


@pytest.mark.parametrize("cls", [_Validated, _Converted, _Made, _Unslotted])
def test_it_refuses_a_class_whose_init_does_more(cls: type) -> None:
    """A validator, a converter, a factory or no slot: TypeError naming the field."""
    with pytest.raises(TypeError, match=rf"{cls.__qualname__}\.x is more than a slot to set"):
        maker(cls)


def test_the_function_says_what_it_builds() -> None:
    """Its name and docstring name the class."""
    make = maker(Snapshot)
    assert make.__qualname__ == "make_Snapshot"
    assert "Snapshot" in (make.__doc__ or "")
