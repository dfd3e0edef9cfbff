"""Tests of the `coopflow` command and `python -m coopflow`."""

import pathlib
import subprocess
import sys

import pytest

import coopflow as cf
from coopflow import cli


def test_version_prints_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    """--version prints the installed version."""
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"coopflow {cf.__version__}\n"


def test_no_command_prints_help_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    """Without a command the usage goes to stderr and the exit code is 2."""
    assert cli.main([]) == 2
    assert "usage: coopflow" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("lang", "first", "last"),
    [
        ("en", "Gemeente Tilburg and Tilburg University: Exploration", "Implementation"),
        ("nl", "Samenwerking gemeente Tilburg – Tilburg University: fase Verkenning", "Uitvoering"),
    ],
)
def test_demo_reaches_operating_in_both_languages(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: pathlib.Path,
    lang: str,
    first: str,
    last: str,
) -> None:
    """The demo tells the Tilburg story, ends in operating and writes tilburg.mmd."""
    monkeypatch.chdir(tmp_path)
    assert cli.main(["demo", "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == first
    assert f" {last} " in lines[-1] or lines[-1].endswith(f" {last}.")
    assert "tilburg.mmd" in lines[-2]
    diagram = (tmp_path / "tilburg.mmd").read_text(encoding="utf-8")
    assert diagram.startswith("flowchart LR\n")
    assert "class operating current" in diagram


def test_demo_writes_the_diagram_where_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    """--diagram chooses the file the Mermaid diagram goes to."""
    target = tmp_path / "out.mmd"
    assert cli.main(["demo", "--diagram", str(target)]) == 0
    assert "Implementation" in target.read_text(encoding="utf-8")
    assert str(target) in capsys.readouterr().out


def test_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """argparse refuses a language coopflow does not speak."""
    with pytest.raises(SystemExit) as exit_:
        cli.main(["demo", "--lang", "de"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_python_dash_m_runs_the_same_command(tmp_path: pathlib.Path) -> None:
    """`python -m coopflow demo --lang nl` prints the Dutch demo."""
    done = subprocess.run(
        [sys.executable, "-m", "coopflow", "demo", "--lang", "nl"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert "Op 14 juni ondertekend door rector magnificus Emile Aarts" in done.stdout


def test_the_module_entry_point_runs_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """coopflow/__main__.py hands its arguments to cli.main and exits with its code."""
    import runpy

    monkeypatch.setattr(sys, "argv", ["coopflow", "--version"])
    with pytest.raises(SystemExit) as exit_:
        # run_path, not run_module: pytest's assertion rewriter loads coopflow and lacks get_code.
        runpy.run_path(str(pathlib.Path(cf.__file__).parent / "__main__.py"), run_name="__main__")
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("coopflow ")
