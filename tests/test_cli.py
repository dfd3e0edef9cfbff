"""Tests of the `coopflow` command and `python -m coopflow`."""

import pathlib
import subprocess
import sys

import pytest

import coopflow as cf
from coopflow import cli, demo


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
    assert "tilburg.mmd" in lines[-3]
    assert str(tmp_path / "coopflow.db") in lines[-2]
    diagram = (tmp_path / "tilburg.mmd").read_text(encoding="utf-8")
    assert diagram.startswith("flowchart LR\n")
    assert "class operating current" in diagram


def test_demo_writes_the_diagram_where_asked(
    capsys: pytest.CaptureFixture[str], tmp_path: pathlib.Path
) -> None:
    """--diagram chooses the file the Mermaid diagram goes to."""
    target = tmp_path / "out.mmd"
    assert cli.main(["demo", "--diagram", str(target), "--store", str(tmp_path / "c.db")]) == 0
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


def _demo(folder: pathlib.Path, *args: str, code: str | None = None) -> list[str]:
    command = ["-c", code] if code else ["-m", "coopflow"]
    done = subprocess.run(
        [sys.executable, *command, "demo", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=folder,
    )
    return done.stdout.splitlines()


def test_the_demo_stores_the_trajectory_in_coopflow_db_and_loads_it_back(
    tmp_path: pathlib.Path,
) -> None:
    """`coopflow demo` in a folder leaves coopflow.db there with the Tilburg trajectory; a
    second run adds its own."""
    from coopflow.store import Store

    lines = _demo(tmp_path)
    database = tmp_path / "coopflow.db"
    stored = next(line for line in lines if line.startswith("Stored as "))
    assert str(database) in stored
    assert stored.endswith("and loaded back from it: Implementation.")
    trajectory_id = stored.split()[2]
    dutch = _demo(tmp_path, "--lang", "nl")
    assert any(line.startswith("Opgeslagen als ") and str(database) in line for line in dutch)
    with Store.open(f"sqlite:///{database}") as store:
        summaries = store.find().items
        assert len(summaries) == 2
        loaded = store.load(trajectory_id, replay=True)
    assert (loaded.state, loaded.title) == ("operating", "Gemeente Tilburg and Tilburg University")
    assert len(loaded.history) == 37


def test_the_demo_without_the_store_extra_says_so_and_succeeds(tmp_path: pathlib.Path) -> None:
    """Without SQLAlchemy (a core install) the demo runs, says the trajectory was not stored and
    why, and writes no database."""
    code = (
        "import sys; sys.modules['sqlalchemy'] = None; from coopflow import cli; "
        "raise SystemExit(cli.main(sys.argv[1:]))"
    )
    lines = _demo(tmp_path, "--lang", "nl", code=code)
    assert "Niet opgeslagen: de opslag heeft SQLAlchemy nodig (pip install 'coopflow[store]')." in (
        lines
    )
    assert lines[-1].endswith(" is nu in de fase Uitvoering.")
    assert not (tmp_path / "coopflow.db").exists()


def test_demo_store_without_sqlalchemy_returns_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """demo.store itself: no SQLAlchemy, no store, and a sentence that says so."""
    for name in [
        m for m in sys.modules if m == "coopflow.store" or m.startswith("coopflow.store.")
    ]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "sqlalchemy", None)
    lines: list[str] = []
    assert demo.store(demo.tilburg(out=lambda line: None), out=lines.append) is None
    assert lines == ["Not stored: the store needs SQLAlchemy (pip install 'coopflow[store]')."]


def test_demo_store_into_a_folder_that_does_not_exist_says_so(tmp_path: pathlib.Path) -> None:
    """A file that cannot be written: the store's error, in a sentence, and None."""
    lines: list[str] = []
    target = tmp_path / "no" / "such" / "folder" / "coopflow.db"
    assert demo.store(demo.tilburg(out=lambda line: None), target, out=lines.append) is None
    assert lines[0].startswith(f"Not stored in {target}: ")
    assert not target.exists()
