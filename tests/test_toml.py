"""Tests of the canonical TOML writer."""

import tomllib
from typing import Any

import pytest

from coopflow import _toml


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
        {"odd key": 1, "ключ": True, "": "empty key"},
        {"nested": {"deeper": [{"kind": "not", "guard": {"kind": "trust"}}]}},
        {"numbers": [0, -1, 1.5, 1e300, -0.0]},
        {"empty": []},
    ],
)
def test_output_reads_back_as_the_same_document(document: dict[str, Any]) -> None:
    """What the writer writes, tomllib reads back unchanged."""
    assert tomllib.loads(_toml.dumps(document)) == document


@pytest.mark.parametrize("value", [None, float("inf"), float("nan"), object()])
def test_refuses_what_toml_cannot_hold(value: object) -> None:
    """Nulls, non-finite numbers and other objects have no TOML form."""
    with pytest.raises(ValueError, match="TOML"):
        _toml.dumps({"value": value})
