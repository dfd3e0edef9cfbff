"""Tests of the canonical TOML writer and the reader that matches it."""

import math
import tomllib
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopflow import _toml
from tests.strategies import unicode_texts


def test_writes_scalars_tables_and_arrays_of_tables_readably() -> None:
    """Top-level scalars first, then [tables], then [[arrays of tables]]."""
    document = {
        "format": 1,
        "name": "Tilburg",
        "settings": {"share": 0.5, "roles": ["programme_manager"], "open": False},
        "states": [{"id": "a", "labels": {"en": "A", "nl": "Ä"}}, {"id": "b", "labels": {}}],
    }
    assert _toml.dumps(document) == (
        "format = 1\n"
        'name = "Tilburg"\n'
        "\n"
        "[settings]\n"
        "share = 0.5\n"
        'roles = ["programme_manager"]\n'
        "open = false\n"
        "\n"
        "[[states]]\n"
        'id = "a"\n'
        'labels = { en = "A", nl = "Ä" }\n'
        "\n"
        "[[states]]\n"
        'id = "b"\n'
        "labels = {}\n"
    )


@pytest.mark.parametrize(
    "document",
    [
        {"text": 'quotes " and \\ backslashes\nand a newline\t\u0001'},
        {"odd key": 1, "ключ": True, "": "empty key", "a.b": 2, "key\n": 3, "=": 4, "#": 5},
        {"nested": {"deeper": [{"kind": "not", "guard": {"kind": "trust"}}]}},
        {"numbers": [0, -1, 1.5, 1e300, -0.0, 5e-324, 2**63 - 1, -(2**63)]},
        {"empty": [], "table": {}, "tables": [{}, {}]},
        {"bare": "true", "true": "bare", "1": 1, "-": "_"},
    ],
)
def test_output_reads_back_as_the_same_document(document: dict[str, Any]) -> None:
    """What the writer writes, tomllib reads back unchanged."""
    assert tomllib.loads(_toml.dumps(document)) == document


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("\x7f", '"\\u007F"'),
        ("\x00\x1b\x1f", '"\\u0000\\u001B\\u001F"'),
        ("\x80\x85\x9f", '"\\u0080\\u0085\\u009F"'),
        ('"\\', '"\\"\\\\"'),
        ("\b\t\n\f\r", '"\\b\\t\\n\\f\\r"'),
        ("\xa0\u2028\ufeff\U0010ffff é", '"\xa0\u2028\ufeff\U0010ffff é"'),
    ],
)
def test_control_characters_are_escaped_and_the_rest_is_written_as_is(
    text: str, written: str
) -> None:
    """C0, DEL and C1 become \\u escapes, quotes and backslashes are escaped, nothing else is."""
    assert _toml.dumps({"a": text}) == f"a = {written}\n"
    assert tomllib.loads(_toml.dumps({"a": text})) == {"a": text}


def test_a_key_with_a_trailing_newline_is_quoted() -> None:
    """A key is bare only when all of it is letters, digits, _ and -."""
    assert _toml.dumps({"key\n": 1}) == '"key\\n" = 1\n'


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (None, "cannot write None as TOML"),
        (float("inf"), "TOML documents of coopflow hold finite numbers only, not inf"),
        (float("nan"), "TOML documents of coopflow hold finite numbers only, not nan"),
        (b"bytes", "cannot write b'bytes' as TOML"),
        ({1, 2}, "cannot write {1, 2} as TOML"),
        (2**63, "TOML integers are 64-bit, and 9223372036854775808 is beyond them"),
        (-(2**63) - 1, "TOML integers are 64-bit, and -9223372036854775809 is beyond them"),
        pytest.param(
            10**5000,
            "TOML integers are 64-bit, and <int too large to show> is beyond them",
            id="10**5000",
        ),
        ("\ud800", "TOML holds Unicode text only, and '\\ud800' has a lone surrogate"),
        ({1: "a"}, "TOML keys are text, not 1"),
        ({"\udc00": "a"}, "TOML holds Unicode text only, and '\\udc00' has a lone surrogate"),
    ],
)
def test_refuses_what_toml_cannot_hold(value: object, problem: str) -> None:
    """Nulls, non-finite numbers, big integers, surrogates and other objects have no TOML form."""
    for document in ({"value": value}, {"table": {"value": value}}, {"list": [[value]]}):
        with pytest.raises(ValueError, match="TOML") as error:
            _toml.dumps(document)
        assert str(error.value) == problem


def _nested(depth: int) -> dict[str, Any]:
    value: Any = 1
    for _ in range(depth - 1):
        value = {"a": value}
    return {"a": value}


def test_nesting_is_written_up_to_the_limit_and_refused_beyond() -> None:
    """tomllib reads the deepest document the writer writes; deeper ones are refused."""
    deepest = _nested(_toml.MAX_NESTING)
    assert tomllib.loads(_toml.dumps(deepest)) == deepest
    with pytest.raises(ValueError, match="at most 100 levels deep"):
        _toml.dumps(_nested(_toml.MAX_NESTING + 1))


@pytest.mark.parametrize(
    "text",
    [
        "a = 9223372036854775808",
        "a = -9223372036854775809",
        "a = [1, [2, 0x8000000000000000]]",
        "[t]\nb = { c = 99999999999999999999999 }",
        "[[t]]\n[[t]]\nb = [{ c = -99999999999999999999999 }]",
    ],
)
def test_the_reader_refuses_integers_beyond_64_bits(text: str) -> None:
    """tomllib reads any integer; TOML allows 64 bits, so coopflow's reader refuses the rest."""
    with pytest.raises(ValueError, match="TOML integers are 64-bit"):
        _toml.loads(text)


def test_the_reader_reads_64_bit_integers_and_everything_else_as_tomllib() -> None:
    """At the bounds and below them, the reader is tomllib."""
    text = "a = 9223372036854775807\nb = -9223372036854775808\nc = [true, 1.5, 'x']\n[d]\ne = {}"
    assert _toml.loads(text) == tomllib.loads(text)
    assert _toml.loads(text)["a"] == 2**63 - 1


# --- the property: whatever the writer writes reads back exactly --------------------------------

_INTEGERS = st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.sampled_from(
    (-(2**63), 2**63 - 1, 0, -1)
)
_BIG_INTEGERS = st.integers(min_value=2**63) | st.integers(max_value=-(2**63) - 1)
_LEAVES = (
    st.booleans()
    | _INTEGERS
    | st.floats(allow_nan=False, allow_infinity=False)
    | unicode_texts(max_size=10)
)


def _containers(children: st.SearchStrategy[Any], *, least: int = 0) -> st.SearchStrategy[Any]:
    tables = st.dictionaries(unicode_texts(max_size=6), children, min_size=least, max_size=4)
    return (
        st.lists(children, min_size=least, max_size=4)
        | tables
        | st.lists(tables, min_size=1, max_size=3)
    )


_VALUES = st.recursive(_LEAVES, _containers, max_leaves=10)
documents = st.dictionaries(unicode_texts(max_size=6), _VALUES, max_size=5)
"""TOML-able data trees: text of every Unicode category, nested tables, arrays of tables."""


def _exactly(value: Any) -> Any:
    """`value` with every leaf tagged by its type and repr: 1, 1.0, True and -0.0 all differ."""
    if isinstance(value, dict):
        return {key: _exactly(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exactly(item) for item in value]
    return (type(value).__name__, repr(value))


@given(documents)
def test_every_toml_able_document_reads_back_exactly(document: dict[str, Any]) -> None:
    """Written and read back (by tomllib and by coopflow's reader), a document is unchanged."""
    text = _toml.dumps(document)
    assert _exactly(tomllib.loads(text)) == _exactly(document)
    assert _exactly(_toml.loads(text)) == _exactly(document)
    assert _toml.dumps(document) == text


_HOLDING_A_BIG_INTEGER = st.recursive(
    _BIG_INTEGERS, lambda children: _containers(children, least=1), max_leaves=5
)


@given(documents, unicode_texts(max_size=6), _HOLDING_A_BIG_INTEGER)
def test_integers_beyond_64_bits_are_refused_wherever_they_are(
    document: dict[str, Any], key: str, holding_a_big_integer: Any
) -> None:
    """An integer beyond TOML's 64 bits anywhere is a ValueError, never a file nobody reads."""
    document[key] = holding_a_big_integer
    with pytest.raises(ValueError, match="TOML integers are 64-bit"):
        _toml.dumps(document)


def test_floats_are_written_as_python_writes_them() -> None:
    """repr gives the shortest text that reads back to the same float, valid TOML included."""
    values = [0.1, 1e16, 1e-7, -0.0, 5e-324, 1.7976931348623157e308, math.pi]
    text = _toml.dumps({"a": values})
    assert (
        text
        == "a = [0.1, 1e+16, 1e-07, -0.0, 5e-324, 1.7976931348623157e+308, 3.141592653589793]\n"
    )
    assert _exactly(tomllib.loads(text)) == _exactly({"a": values})
