"""A canonical TOML writer for coopflow documents, and the reader that matches it.

coopflow documents are small trees of tables, arrays, strings, numbers and booleans, with no
nulls. This writer puts top-level scalars first, then each table as ``[name]`` and each array of
tables as ``[[name]]``; anything deeper is written inline. The output is deterministic: the same
document always gives the same text.

What TOML cannot hold is refused with a `ValueError` rather than written wrongly: nulls,
non-finite numbers, integers beyond TOML's 64 bits, text that is not Unicode (a lone surrogate),
keys that are not text, and nesting deeper than a reader can follow. `loads` reads with the
standard library's tomllib and refuses the integers beyond 64 bits that tomllib lets through, so
both sides hold exactly what the TOML specification allows.
"""

import math
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from coopflow._text import shown

INTEGERS = range(-(2**63), 2**63)
"""The integers TOML holds: 64-bit signed ones."""

MAX_NESTING = 100
"""The deepest nesting of tables and arrays written; tomllib reads several times deeper."""

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)
# A quotation mark, a backslash and every control character: C0, DEL and C1. TOML forbids C0 and
# DEL unescaped; C1 is allowed, but escaped it cannot hide in an editor or trip another reader.
_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f-\x9f]')
_SHORT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _escape(match: "re.Match[str]") -> str:
    char = match.group()
    return _SHORT_ESCAPES.get(char) or f"\\u{ord(char):04X}"


def _string(text: str) -> str:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(
            f"TOML holds Unicode text only, and {shown(text)} has a lone surrogate"
        ) from None
    return '"' + _ESCAPED.sub(_escape, text) + '"'


def _key(key: object) -> str:
    if not isinstance(key, str):
        raise ValueError(f"TOML keys are text, not {shown(key)}")
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: Any, depth: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        if value not in INTEGERS:
            raise ValueError(f"TOML integers are 64-bit, and {shown(value)} is beyond them")
        return str(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML documents of coopflow hold finite numbers only, not {value!r}")
        return float.__repr__(value)
    if isinstance(value, str):
        return _string(value)
    if depth >= MAX_NESTING:
        raise ValueError(f"TOML documents of coopflow nest at most {MAX_NESTING} levels deep")
    if isinstance(value, Mapping):
        items = ", ".join(f"{_key(k)} = {_value(v, depth + 1)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, Sequence) and not isinstance(value, (bytes, bytearray)):
        return "[" + ", ".join(_value(item, depth + 1) for item in value) + "]"
    raise ValueError(f"cannot write {shown(value)} as TOML")


def _is_table_array(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, (str, bytes, bytearray))
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _body(table: Mapping[str, Any]) -> list[str]:
    return [f"{_key(key)} = {_value(value, 2)}" for key, value in table.items()]


def dumps(document: Mapping[str, Any]) -> str:
    """Write `document` as canonical TOML text.

    Raises:
        ValueError: the document holds something TOML cannot (see the module's docstring).
    """
    lines: list[str] = []
    tables: list[str] = []
    for key, value in document.items():
        if isinstance(value, Mapping):
            tables.extend(["", f"[{_key(key)}]", *_body(value)])
        elif _is_table_array(value):
            for item in value:
                tables.extend(["", f"[[{_key(key)}]]", *_body(item)])
        else:
            lines.append(f"{_key(key)} = {_value(value, 1)}")
    return "\n".join([*lines, *tables]) + "\n"


def loads(text: str) -> dict[str, Any]:
    """Read TOML text, as tomllib does, refusing integers beyond 64 bits as the specification asks.

    Raises:
        ValueError: the text is not TOML (`tomllib.TOMLDecodeError`), or holds such an integer.
    """
    document = tomllib.loads(text)
    stack: list[object] = [document]
    while stack:  # without recursion: tomllib reads deeper than Python's recursion limit allows
        item = stack.pop()
        if isinstance(item, int) and item not in INTEGERS:
            raise ValueError(f"TOML integers are 64-bit, and {shown(item)} is beyond them")
        if isinstance(item, dict):
            children: Iterable[object] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        stack.extend(children)
    return document
