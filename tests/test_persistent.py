"""Tests of coopflow._persistent: the persistent map against a dict model."""

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopflow._persistent import EMPTY, FLAT, SMALL, Flat, PMap


class Clash:
    """A key whose hash is chosen, so that different keys can share a whole hash."""

    def __init__(self, name: int, hash: int) -> None:
        self.name = name
        self.hash = hash

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Clash) and (other.name, other.hash) == (self.name, self.hash)

    def __repr__(self) -> str:
        return f"Clash({self.name}, {self.hash})"


# Small ints, keys that clash on their whole hash, and hashes that share long prefixes.
KEYS = st.one_of(
    st.integers(-200, 200),
    st.builds(Clash, st.integers(0, 6), st.sampled_from([0, 1, -1, 2**62, -(2**63), 1 << 40])),
    st.integers().map(lambda i: i << 55),
)
OPS = st.lists(st.tuples(st.booleans(), KEYS, st.integers()), max_size=60)


def _run(start: PMap[Any, int], ops: list[tuple[bool, Any, int]]) -> None:
    model: dict[Any, int] = {}
    maps: list[tuple[PMap[Any, int], dict[Any, int]]] = []
    current = start
    for is_set, key, value in ops:
        if is_set:
            current = current.set(key, value)
            model[key] = value
        else:
            current = current.delete(key)
            model.pop(key, None)
        maps.append((current, dict(model)))
        assert (len(current), bool(current), key in current) == (
            len(model),
            bool(model),
            key in model,
        )
        assert current.get(key, "absent") == model.get(key, "absent")
    # Every earlier map still holds exactly what it held when it was made.
    for old, seen in maps:
        assert dict(old.items()) == seen
        assert (set(old.keys()), sorted(map(repr, old.values()))) == (
            set(seen),
            sorted(map(repr, seen.values())),
        )
        assert set(old) == set(seen)
        assert all(old.get(key) == value for key, value in seen.items())


@given(OPS)
def test_a_map_behaves_as_a_dict_and_old_maps_never_change(
    ops: list[tuple[bool, Any, int]],
) -> None:
    """Setting and deleting behave as on a dict; every earlier version keeps its contents."""
    _run(EMPTY, ops)


@given(OPS)
def test_a_flat_map_behaves_as_a_dict(ops: list[tuple[bool, Any, int]]) -> None:
    """A flat map behaves the same and stays flat."""
    _run(FLAT, ops)
    assert isinstance(FLAT.set(1, 1).delete(1), Flat)


@given(st.lists(KEYS, unique=True, min_size=SMALL + 1, max_size=3 * SMALL))
def test_maps_compare_by_value_whatever_their_shape(keys: list[Any]) -> None:
    """Two maps with the same pairs are equal, built in any order; a map is not a dict."""
    forward: PMap[Any, int] = EMPTY
    for index, key in enumerate(keys):
        forward = forward.set(key, index)
    backward: PMap[Any, int] = EMPTY
    for index, key in reversed(list(enumerate(keys))):
        backward = backward.set(key, index)
    assert (forward == backward, forward == forward.set(keys[0], -1), forward == {}) == (
        True,
        False,
        False,
    )
    assert forward != forward.delete(keys[0])


def test_deleting_an_absent_key_returns_the_same_map() -> None:
    """Deleting a key that is not there changes nothing, small or large, clash or not."""
    small = EMPTY.set(1, 1)
    large = EMPTY
    for i in range(100):
        large = large.set(i, i)
    clashing = EMPTY
    for i in range(SMALL + 3):
        clashing = clashing.set(Clash(i, 7), i)
    assert (
        small.delete(2) is small,
        large.delete(-5) is large,
        large.delete(1 << 40) is large,
    ) == (
        True,
        True,
        True,
    )
    assert clashing.delete(Clash(99, 7)) is clashing
    assert clashing.delete(Clash(98, 8)) is clashing


def test_a_map_shows_its_pairs() -> None:
    """repr shows the pairs as a dict would; a map is not hashable."""
    assert repr(EMPTY.set("a", 1)) == "PMap({'a': 1})"
    assert PMap.__hash__ is None


def test_a_large_map_answers_absent_keys_and_empties_completely() -> None:
    """A trie map finds absent keys absent (clash or not) and can lose every key again."""
    keys: list[Any] = [*range(SMALL + 10), *(Clash(i, 3) for i in range(3))]
    large: PMap[Any, int] = EMPTY
    for index, key in enumerate(keys):
        large = large.set(key, index)
    assert (5 in large, 1 << 40 in large, Clash(9, 3) in large, large.get(Clash(9, 3))) == (
        True,
        False,
        False,
        None,
    )
    for key in keys:
        large = large.delete(key)
    assert (len(large), list(large.items()), 5 in large) == (0, [], False)


def _large(count: int = SMALL + 8) -> PMap[Any, int]:
    large: PMap[Any, int] = EMPTY
    for i in range(count):
        large = large.set(i, i)
    return large


def test_a_small_map_is_its_own_dict_and_a_large_one_keeps_a_trie() -> None:
    """Up to SMALL keys a map is a dict of its pairs; above, its dict part is empty."""
    small = _large(SMALL)
    large = small.set(SMALL, SMALL)
    assert (type(small) is PMap, dict.__len__(small), dict.__len__(large)) == (True, SMALL, 0)
    assert (type(FLAT.set(1, 1)), isinstance(large, PMap), len(large)) == (Flat, True, SMALL + 1)


MUTATORS: list[Callable[[Any], Any]] = [
    lambda m: m.__setitem__(1, 2),
    lambda m: m.__delitem__(1),
    lambda m: m.update({1: 2}),
    lambda m: m.pop(1),
    lambda m: m.popitem(),
    lambda m: m.clear(),
    lambda m: m.setdefault(1, 2),
    lambda m: m.__ior__({1: 2}),
]


@pytest.mark.parametrize("mutate", MUTATORS)
@pytest.mark.parametrize("kind", ["empty", "small", "flat", "large"])
def test_no_in_place_method_changes_a_map(mutate: Callable[[Any], Any], kind: str) -> None:
    """Every in-place dict method raises TypeError and leaves the map as it was."""
    built: PMap[Any, int] = {
        "empty": EMPTY,
        "small": EMPTY.set(1, 1),
        "flat": FLAT.set(1, 1),
        "large": _large(),
    }[kind]
    before = dict(built.items())
    with pytest.raises(TypeError, match="never changed"):
        mutate(built)
    assert dict(built.items()) == before


def test_in_place_operators_refuse_too() -> None:
    """``m[k] = v``, ``del m[k]`` and ``m |= ...`` are refused as the methods are."""
    small = EMPTY.set(1, 1)
    held = small
    with pytest.raises(TypeError):
        small[2] = 2
    with pytest.raises(TypeError):
        del small[1]
    with pytest.raises(TypeError):
        held |= {3: 3}
    assert (held is small, dict(small)) == (True, {1: 1})


def test_maps_compare_by_contents_across_representations() -> None:
    """A trie map, a small map and a flat map with the same pairs are equal; a dict is not."""
    shrunk = _large()
    for i in range(3, SMALL + 8):
        shrunk = shrunk.delete(i)
    small = EMPTY.set(0, 0).set(1, 1).set(2, 2)
    flat = FLAT.set(2, 2).set(1, 1).set(0, 0)
    assert (dict.__len__(shrunk), len(shrunk)) == (0, 3)  # still a trie map
    assert (shrunk == small, small == shrunk, flat == shrunk, shrunk == flat) == (True,) * 4
    assert (shrunk != small, small != flat, shrunk != small.set(2, 3)) == (False, False, True)
    none: dict[int, int] = {}
    assert (shrunk == {0: 0, 1: 1, 2: 2}, small == {0: 0, 1: 1, 2: 2}, none == EMPTY) == (
        False,
        False,
        False,
    )
    assert (_large() == none, _large() != none, EMPTY == 0, EMPTY != 0) == (
        False,
        True,
        False,
        True,
    )


def test_a_trie_map_reads_as_a_mapping() -> None:
    """The reads of a trie map answer from its trie: views, lookups, copies, `|`."""
    large = _large().set("a", -1)
    pairs: dict[Any, int] = {**{i: i for i in range(SMALL + 8)}, "a": -1}
    assert (large["a"], large[3], dict(large), {**large}, large.copy()) == (
        -1,
        3,
        pairs,
        pairs,
        pairs,
    )
    with pytest.raises(KeyError):
        large["b"]
    assert (len(large.items()), ("a", -1) in large.items(), ("a", 0) in large.items()) == (
        len(pairs),
        True,
        False,
    )
    assert (sorted(large.values()), set(large.keys()), list(reversed(large))) == (
        sorted(pairs.values()),
        set(pairs),
        list(large),
    )
    assert (large | {"b": 2}, {"b": 2} | large) == ({**pairs, "b": 2}, {"b": 2, **pairs})
    assert (repr(large)[:6], "'a': -1" in repr(large)) == ("PMap({", True)


@pytest.mark.parametrize("kind", ["small", "flat", "large"])
def test_a_map_copies_and_pickles_as_itself(kind: str) -> None:
    """copy, deepcopy and pickle give an equal map of the same kind (no item is set in place)."""
    built: PMap[Any, int] = {
        "small": EMPTY.set(1, 1),
        "flat": FLAT.set(1, 1),
        "large": _large(),
    }[kind]
    for again in (copy.copy(built), copy.deepcopy(built), pickle.loads(pickle.dumps(built))):
        assert (again == built, type(again) is type(built)) == (True, True)
