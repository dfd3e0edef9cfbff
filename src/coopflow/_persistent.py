"""A small persistent hash map: the index behind the registers.

Why by hand: snapshots are immutable values that old snapshots, `Applied` results and the
checker keep using while newer ones are made from them, so a register cannot be a dict that is
changed in place, and copying a tuple or a dict on every event makes `record()` slower with every
event. A persistent map shares everything but the path it changes: setting or deleting a key
costs a few small tuple copies, whatever the size of the map. The core install stays attrs,
cattrs and transitions (no pyrsistent or immutables), so this is a hash array mapped trie
(Bagwell 2001) of some hundred lines: each node holds a 32-bit bitmap of the hash slices present
and a tuple with one entry per set bit, either a ``(key, value)`` pair or a deeper node; keys whose
whole hashes are equal share a collision node. Nothing is ever changed after it is built, so
any number of threads may read one map while others make new maps from it.

A small map (up to `SMALL` keys) is a plain dict that is copied on every change instead: copying a
few dozen entries in C is faster than walking a trie in Python, and most registers of most
trajectories are small. The dict of a map is never changed after the map is made.
"""

from collections.abc import Hashable, Iterator
from typing import Any, Generic, Self, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_BITS = 5
_MASK = (1 << _BITS) - 1
_DEPTH = 64  # hash bits used by the trie; equal hashes below this meet in a collision node
SMALL = 32


class _Node:
    """A trie node: a bitmap of the present slices and one entry per set bit (never changed)."""

    __slots__ = ("bitmap", "entries")

    def __init__(self, bitmap: int, entries: list[Any]) -> None:
        self.bitmap = bitmap
        self.entries = entries


class _Collision:
    """Keys whose hashes are equal in every slice: a short tuple of pairs, searched in order."""

    __slots__ = ("hash", "pairs")

    def __init__(self, hash: int, pairs: tuple[tuple[Any, Any], ...]) -> None:
        self.hash = hash
        self.pairs = pairs


_EMPTY_NODE = _Node(0, [])
_MISSING: Any = object()


def _pair_node(
    shift: int, first: tuple[Any, Any], h1: int, second: tuple[Any, Any], h2: int
) -> Any:
    """A node holding two pairs whose keys differ (deeper nodes until their slices differ)."""
    if shift >= _DEPTH:
        return _Collision(h1, (first, second))
    i1, i2 = (h1 >> shift) & _MASK, (h2 >> shift) & _MASK
    if i1 == i2:
        return _Node(1 << i1, [_pair_node(shift + _BITS, first, h1, second, h2)])
    entries = [first, second] if i1 < i2 else [second, first]
    return _Node((1 << i1) | (1 << i2), entries)


def _get(node: Any, key: Any, h: int) -> Any:
    shift = 0
    while True:
        if type(node) is _Collision:
            for k, v in node.pairs:
                if k == key:
                    return v
            return _MISSING
        bit = 1 << ((h >> shift) & _MASK)
        if not node.bitmap & bit:
            return _MISSING
        entry = node.entries[(node.bitmap & (bit - 1)).bit_count()]
        if type(entry) is tuple:
            return entry[1] if entry[0] is key or entry[0] == key else _MISSING
        node = entry
        shift += _BITS


def _set(node: Any, shift: int, key: Any, h: int, value: Any) -> tuple[Any, bool]:
    """The node with `key` set to `value`, and whether the key is new."""
    if type(node) is _Collision:
        for index, (k, _) in enumerate(node.pairs):
            if k == key:
                pairs = (*node.pairs[:index], (key, value), *node.pairs[index + 1 :])
                return _Collision(node.hash, pairs), False
        return _Collision(node.hash, (*node.pairs, (key, value))), True
    bit = 1 << ((h >> shift) & _MASK)
    index = (node.bitmap & (bit - 1)).bit_count()
    entries = node.entries.copy()  # the copy is the new node's: nothing built is ever changed
    if not node.bitmap & bit:
        entries.insert(index, (key, value))
        return _Node(node.bitmap | bit, entries), True
    entry = entries[index]
    if type(entry) is tuple:
        if entry[0] is key or entry[0] == key:
            new: Any = (key, value)
            added = False
        else:
            new = _pair_node(shift + _BITS, entry, hash(entry[0]), (key, value), h)
            added = True
    else:
        new, added = _set(entry, shift + _BITS, key, h, value)
    entries[index] = new
    return _Node(node.bitmap, entries), added


def _delete(node: Any, shift: int, key: Any, h: int) -> Any:
    """The node without `key` (None when it becomes empty); `_MISSING` when `key` is absent."""
    if type(node) is _Collision:
        pairs = tuple(pair for pair in node.pairs if pair[0] != key)
        if len(pairs) == len(node.pairs):
            return _MISSING
        return _Collision(node.hash, pairs) if len(pairs) > 1 else pairs[0]
    bit = 1 << ((h >> shift) & _MASK)
    if not node.bitmap & bit:
        return _MISSING
    index = (node.bitmap & (bit - 1)).bit_count()
    entries = node.entries
    entry = entries[index]
    if type(entry) is tuple:
        if not (entry[0] is key or entry[0] == key):
            return _MISSING
        new: Any = None
    else:
        new = _delete(entry, shift + _BITS, key, h)
        if new is _MISSING:
            return _MISSING
    entries = entries.copy()
    if new is None:
        if node.bitmap == bit:
            return None
        del entries[index]
        return _Node(node.bitmap & ~bit, entries)
    entries[index] = new
    return _Node(node.bitmap, entries)


def _pairs(node: Any) -> Iterator[tuple[Any, Any]]:
    entries = node.pairs if type(node) is _Collision else node.entries
    for entry in entries:
        if type(entry) is tuple:
            yield entry
        else:
            yield from _pairs(entry)


class PMap(Generic[K, V]):
    """An immutable mapping: `set` and `delete` return a new map that shares the rest.

    Example:
        >>> from coopflow._persistent import PMap
        >>> empty = PMap()
        >>> one = empty.set("a", 1)
        >>> (len(empty), one.get("a"), len(one.delete("a")))
        (0, 1, 0)
    """

    __slots__ = ("_len", "_root")

    def __init__(self, _root: Any = None, _len: int = 0) -> None:
        self._root = {} if _root is None else _root
        self._len = _len

    def get(self, key: K, default: Any = None) -> Any:
        """The value of `key`, or `default`."""
        root = self._root
        if type(root) is dict:
            return root.get(key, default)
        value = _get(root, key, hash(key))
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        root = self._root
        if type(root) is dict:
            return key in root
        return _get(root, key, hash(key)) is not _MISSING

    def set(self, key: K, value: V) -> "PMap[K, V]":
        """A map with `key` set to `value`."""
        root = self._root
        if type(root) is dict:
            if len(root) < SMALL or key in root:
                small = root.copy()
                small[key] = value
                return PMap(small, len(small))
            trie: Any = _EMPTY_NODE
            for k, v in root.items():
                trie = _set(trie, 0, k, hash(k), v)[0]
            root = trie
        root, added = _set(root, 0, key, hash(key), value)
        return PMap(root, self._len + added)

    def delete(self, key: K) -> Self:
        """A map without `key` (this map itself when `key` is absent)."""
        root = self._root
        if type(root) is dict:
            if key not in root:
                return self
            small = root.copy()
            del small[key]
            return type(self)(small, len(small))
        root = _delete(root, 0, key, hash(key))
        if root is _MISSING:
            return self
        return type(self)(_EMPTY_NODE if root is None else root, self._len - 1)

    def __len__(self) -> int:
        return self._len

    def __bool__(self) -> bool:
        return self._len > 0

    def items(self) -> Iterator[tuple[K, V]]:
        """Every (key, value) pair, in no particular order."""
        root = self._root
        return iter(root.items()) if type(root) is dict else _pairs(root)

    def keys(self) -> Iterator[K]:
        """Every key, in no particular order."""
        return (key for key, _ in self.items())

    def values(self) -> Iterator[V]:
        """Every value, in no particular order."""
        return (value for _, value in self.items())

    def __iter__(self) -> Iterator[K]:
        return self.keys()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PMap):
            return NotImplemented
        return self._len == other._len and all(
            other.get(key, _MISSING) == value for key, value in self.items()
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PMap({dict(self.items())!r})"


EMPTY: PMap[Any, Any] = PMap()
"""The empty map, shared."""


class Flat(PMap[K, V]):
    """A persistent map that stays a dict copied on every change, however large it grows.

    For the registers whose size is bounded by the number of parties (a party's scores per
    dimension, per-party counts, signatures): a change then costs a copy linear in the parties,
    and a read is a dict lookup, several times faster than walking a trie.

    Example:
        >>> from coopflow._persistent import FLAT
        >>> FLAT.set("a", 1).set("b", 2).delete("a").get("b")
        2
    """

    __slots__ = ()

    def set(self, key: K, value: V) -> "Flat[K, V]":
        """A map with `key` set to `value`."""
        flat = self._root.copy()
        flat[key] = value
        return Flat(flat, len(flat))


FLAT: Flat[Any, Any] = Flat()
"""The empty flat map, shared."""
