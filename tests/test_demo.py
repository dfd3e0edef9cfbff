"""Tests of the Tilburg demo: the seed's example from exploring to operating."""

import runpy
import sys
from pathlib import Path

import pytest

import coopflow as cf
from coopflow import demo

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_tilburg_reaches_operating_with_the_seed_facts() -> None:
    """Five themes, the declaration of 14 June by the rector and the alderman (Hendrickx)."""
    lines: list[str] = []
    t = demo.tilburg(out=lines.append)
    assert t.state == "operating"
    registers = t.snapshot.registers
    assert [theme.title for theme in registers.agenda[-1].themes] == [
        "Innovative education city",
        "Sustainable city",
        "Resilient and healthy city",
        "Governable city",
        "Entrepreneurial city",
    ]
    assert {(s.signatory, s.role) for s in registers.signatures} == {
        ("Emile Aarts", "rector magnificus"),
        ("Marcelle Hendrickx", "alderman"),
    }
    assert {s.version for s in registers.signatures} == {1}
    assert "Signed on 14 June by Emile Aarts (rector magnificus, Tilburg University)" in "\n".join(
        lines
    )


def test_tilburg_narrates_each_refusal_before_fixing_it() -> None:
    """Every forward step is refused once, with its reasons, then fired."""
    t = demo.tilburg(out=lambda line: None)
    refused = [r.event for r in t.history if r.outcome is cf.Outcome.REFUSED]
    assert [event.trigger for event in refused if isinstance(event, cf.Fire)] == [
        "form_culture",
        "set_agenda",
        "open_signing",
        "organise",
        "start",
    ]
    states = [tr.dest for r in t.history for tr in r.transitions]
    assert states == ["building_culture", "agenda_setting", "signing", "organising", "operating"]


def test_tilburg_speaks_dutch() -> None:
    """With locale nl, states, triggers and reasons are Dutch."""
    lines: list[str] = []
    demo.tilburg(locale="nl", out=lines.append)
    text = "\n".join(lines)
    assert "voor Gemeente Tilburg is nog geen score voor vertrouwen vastgelegd" in text
    assert "-> Uitvoering" in text


def test_tilburg_refuses_an_unknown_locale() -> None:
    """A locale coopflow does not speak is an UnknownNameError, before anything happens."""
    lines: list[str] = []
    with pytest.raises(cf.UnknownNameError):
        demo.tilburg(locale="de", out=lines.append)
    assert lines == []


def test_example_script_runs_the_demo(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """examples/tilburg.py runs the same demo and exits 0."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["tilburg.py", "--lang", "nl"])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(str(EXAMPLES / "tilburg.py"), run_name="__main__")
    assert exit_.value.code == 0
    assert capsys.readouterr().out.splitlines()[-1].endswith("is nu in de fase Uitvoering.")


def test_the_dutch_demo_records_dutch_data() -> None:
    """Under nl the demo's themes and the alderman's role are Dutch; no English data is left."""
    t = demo.tilburg(locale="nl", out=lambda line: None)
    registers = t.snapshot.registers
    assert (registers.agenda[-1].themes[0].title, sorted(s.role for s in registers.signatures)) == (
        "Innovatieve onderwijsstad",
        ["rector magnificus", "wethouder"],
    )
