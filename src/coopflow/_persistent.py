"""A small persistent hash map: the index behind the registers.

Why by hand: snapshots are immutable values that old snapshots, `Applied` results and the
checker keep using while newer ones are made from them, so a register cannot be a dict that is
changed in place, and copying a tuple or a dict on every event makes `record()` slower with every
event. A persistent map shares everything but the path it changes: setting or deleting a key
costs a few small list copies, whatever the size of the map. The core install stays attrs,
cattrs and transitions (no pyrsistent or immutables), so this is a hash array mapped trie
(Bagwell 2001) of some hundred lines: each node holds a 32-bit bitmap of the hash slices present
and a list with one entry per set bit, either a ``(key, value)`` pair or a deeper node; keys whose
whole hashes are equal share a collision node. Nothing is ever changed after it is built, so
any number of threads may read one map while others make new maps from it.

A small map (up to `SMALL` keys) is a dict that is copied on every change instead: copying a few
dozen entries in C is faster than walking a trie in Python, and most registers of most
trajectories are small. Such a map is its own dict (`PMap` subclasses `dict`), so that it is one
object the garbage collector tracks, not a wrapper and its dict, and its reads are dict's own, at C
speed. Its in-place methods (``m[k] = v``, `update`, `pop`...) raise `TypeError`, so that a slip
is caught: a new map is made from a plain copy set as any dict (cheaper than calling
``dict.__setitem__`` on a fresh map), or is a fresh copy that loses a key through
``dict.__delitem__``, and is never changed after it is returned. A map above `SMALL` keys is a
`PMap` whose dict part stays empty and whose trie is in a slot; its reads are methods in Python
that walk the trie.
"""

from collections.abc import Hashable, ItemsView, Iterator, KeysView, ValuesView
from typing import TYPE_CHECKING, Any, NoReturn, Self, TypeVar

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


_del_item = dict.__delitem__  # how a fresh copy loses a key (the map's own refuses)


class PMap(dict[K, V]):
    """An immutable mapping: `set` and `delete` return a new map that shares the rest.

    Up to `SMALL` keys it is a dict, copied on every change, and reads are dict's own; above, it
    is a trie map (`_Trie`, a subclass). A map is never changed once built: the in-place dict
    methods raise `TypeError`.

    Example:
        >>> from coopflow._persistent import PMap
        >>> empty = PMap()
        >>> one = empty.set("a", 1)
        >>> (len(empty), one.get("a"), len(one.delete("a")))
        (0, 1, 0)
        >>> one["b"] = 2
        Traceback (most recent call last):
        TypeError: a persistent map is never changed: use set or delete
    """

    __slots__ = ()

    if TYPE_CHECKING:  # dict's own at run time; typed as before, any value for any default

        def get(self, key: K, default: Any = None) -> Any:
            """The value of `key`, or `default`."""

    def set(self, key: K, value: V) -> "PMap[K, V]":
        """A map with `key` set to `value`."""
        if len(self) < SMALL or key in self:
            small = dict.copy(self)  # a plain dict, set as any; the map is made of it
            small[key] = value
            return PMap(small)
        trie: Any = _EMPTY_NODE
        for k, v in dict.items(self):
            trie = _set(trie, 0, k, hash(k), v)[0]
        return _Trie._of(_set(trie, 0, key, hash(key), value)[0], len(self) + 1)

    def delete(self, key: K) -> Self:
        """A map without `key` (this map itself when `key` is absent)."""
        if key not in self:
            return self
        new = type(self)(self)
        _del_item(new, key)
        return new

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PMap):
            # A dict would answer for itself by its contents, empty for a trie map: not equal.
            return False if isinstance(other, dict) else NotImplemented
        return len(self) == len(other) and all(
            other.get(key, _MISSING) == value for key, value in self.items()
        )

    def __ne__(self, other: object) -> bool:  # dict's own would compare the dict parts
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def __repr__(self) -> str:
        return f"PMap({dict(self.items())!r})"

    def __reduce__(self) -> tuple[Any, ...]:  # copy and pickle: dict's would set item by item
        return _rebuilt, (type(self) is Flat, list(self.items()))

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a persistent map is never changed: use set or delete")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = __ior__ = _refuse


class _Trie(PMap[K, V]):
    """A map above `SMALL` keys: its trie in a slot and its dict part empty (never changed)."""

    __slots__ = ("_size", "_trie")

    _trie: Any
    _size: int

    @classmethod
    def _of(cls, trie: Any, size: int) -> "_Trie[K, V]":
        new: _Trie[K, V] = cls()
        new._trie = trie
        new._size = size
        return new

    def get(self, key: K, default: Any = None) -> Any:
        """The value of `key`, or `default`."""
        value = _get(self._trie, key, hash(key))
        return default if value is _MISSING else value

    def __getitem__(self, key: K) -> V:
        value = _get(self._trie, key, hash(key))
        if value is _MISSING:
            raise KeyError(key)
        return value  # type: ignore[no-any-return]

    def __contains__(self, key: object) -> bool:
        return _get(self._trie, key, hash(key)) is not _MISSING

    def set(self, key: K, value: V) -> "PMap[K, V]":
        """A map with `key` set to `value`."""
        trie, added = _set(self._trie, 0, key, hash(key), value)
        return _Trie._of(trie, self._size + added)

    def delete(self, key: K) -> Self:
        """A map without `key` (this map itself when `key` is absent)."""
        trie = _delete(self._trie, 0, key, hash(key))
        if trie is _MISSING:
            return self
        return self._of(_EMPTY_NODE if trie is None else trie, self._size - 1)  # type: ignore[return-value]

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[K]:
        return (key for key, _ in _pairs(self._trie))

    def items(self) -> ItemsView[K, V]:  # type: ignore[override]
        """Every (key, value) pair, in no particular order."""
        return _Items(self)

    def keys(self) -> KeysView[K]:  # type: ignore[override]
        """Every key, in no particular order."""
        return KeysView(self)

    def values(self) -> ValuesView[V]:  # type: ignore[override]
        """Every value, in no particular order."""
        return _Values(self)

    def __reversed__(self) -> Iterator[K]:  # no order to reverse: dict's would see no keys
        return iter(self)

    def copy(self) -> dict[K, V]:
        """A dict of the pairs."""
        return dict(self.items())

    def __or__(self, other: Any) -> Any:  # dict's own would copy the empty dict part
        return self.copy() | other


class _Items(ItemsView[K, V]):
    """The pairs of a trie map, walked from its trie."""

    _mapping: _Trie[K, V]

    def __iter__(self) -> Iterator[tuple[K, V]]:
        return _pairs(self._mapping._trie)


class _Values(ValuesView[V]):
    """The values of a trie map, walked from its trie."""

    _mapping: _Trie[Any, V]

    def __iter__(self) -> Iterator[V]:
        return (value for _, value in _pairs(self._mapping._trie))


def _rebuilt(flat: bool, pairs: list[tuple[Any, Any]]) -> PMap[Any, Any]:
    """The map of `pairs` (how a copied or unpickled map is made again)."""
    if flat:
        return Flat(pairs)
    built: PMap[Any, Any] = EMPTY
    for key, value in pairs:
        built = built.set(key, value)
    return built


EMPTY: PMap[Any, Any] = PMap()
"""The empty map, shared."""


class Flat(PMap[K, V]):
    """A persistent map that stays a dict copied on every change, however large it grows.

    For the registers whose size is bounded by the number of parties (a party's scores per
    dimension, per-party counts, signatures): a change then costs a copy linear in the parties,
    and a read is a dict lookup, several times faster than walking a trie. It has no read of its
    own: every read is dict's.

    Example:
        >>> from coopflow._persistent import FLAT
        >>> FLAT.set("a", 1).set("b", 2).delete("a").get("b")
        2
    """

    __slots__ = ()

    def set(self, key: K, value: V) -> "Flat[K, V]":
        """A map with `key` set to `value`."""
        flat = dict.copy(self)
        flat[key] = value
        return Flat(flat)


FLAT: Flat[Any, Any] = Flat()
"""The empty flat map, shared."""
