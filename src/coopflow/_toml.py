"""A canonical TOML writer for coopflow documents (reading uses the standard library's tomllib).

coopflow documents are small trees of tables, arrays, strings, numbers and booleans, with no
nulls. This writer puts top-level scalars first, then each table as ``[name]`` and each array of
tables as ``[[name]]``; anything deeper is written inline. Strings use TOML basic strings, whose
escapes are a superset of JSON's, so ``json.dumps`` quotes them correctly. The output is
deterministic: the same document always gives the same text.
"""

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"TOML documents of coopflow hold finite numbers only, not {value!r}")
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Mapping):
        items = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    if isinstance(value, Sequence):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    raise ValueError(f"cannot write {value!r} as TOML")


def _is_table_array(value: Any) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and bool(value)
        and all(isinstance(item, Mapping) for item in value)
    )


def _body(table: Mapping[str, Any]) -> list[str]:
    return [f"{_key(key)} = {_value(value)}" for key, value in table.items()]


def dumps(document: Mapping[str, Any]) -> str:
    """Write `document` as canonical TOML text.

    Raises:
        ValueError: the document holds something TOML cannot (a null, a non-finite number).
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
            lines.append(f"{_key(key)} = {_value(value)}")
    return "\n".join([*lines, *tables]) + "\n"
