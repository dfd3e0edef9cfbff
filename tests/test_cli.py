"""Tests of the `coopflow` command: every subcommand end to end, in English and Dutch.

Each subcommand runs at least once through a real subprocess (`python -m coopflow ...`); the
other tests call `cli.main` in the test's process, so that they are quick and counted by coverage.
"""

import argparse
import io
import json
import os
import pathlib
import pty
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

import coopflow as cf
from coopflow import cli
from coopflow._text import has
from coopflow.cli import _files, _parser, _shell
from coopflow.cli._events import EVENTS
from coopflow.store import Store
from tests import planted

PARTIES = ["--party", "gemeente=Gemeente Tilburg:government", "--party", "uni=Tilburg University"]


def _environment(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"LC_ALL", "LC_MESSAGES", "LANG"}}
    return {**env, "LANG": "C.UTF-8", **values}


def coopflow(
    *args: str, cwd: pathlib.Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m coopflow ARGS` in `cwd`, English unless `env` says otherwise."""
    return subprocess.run(
        [sys.executable, "-m", "coopflow", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=_environment() if env is None else env,
        check=False,
    )


class Run:
    """What one in-process run of the command printed, and its exit code."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def folder(tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> pathlib.Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str) -> Run:
    """`cli.main(ARGS)` in this process (its store: ./coopflow.db of the test's folder)."""
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out=out, err=err)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def tilburg(folder: pathlib.Path) -> str:
    """A trajectory `tilburg` in ./coopflow.db, started on 1 September 2017."""
    done = run(
        "new", "Tilburg x Tilburg University", "--id", "tilburg", *PARTIES, "--at", "2017-09-01"
    )
    assert (done.code, done.out) == (0, "tilburg\n")
    return "tilburg"


def _load(
    id: str = "tilburg", db: str = "coopflow.db", process: cf.Process | None = None
) -> cf.Trajectory:
    processes = [cf.default_process()] + ([] if process is None else [process])
    with Store.open(f"sqlite:///{pathlib.Path(db).resolve()}", processes=processes) as store:
        return store.load(id)


def _one_line_error(result: Any, code: int = 2) -> str:
    err = result.err if isinstance(result, Run) else result.stderr
    assert (result.code if isinstance(result, Run) else result.returncode) == code, err
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    return str(err.strip())


# --- new, party ---------------------------------------------------------------------------------


def test_new_prints_the_id_of_the_stored_trajectory(folder: pathlib.Path) -> None:
    """`coopflow new` starts a trajectory with its parties, saves it and prints its new id."""
    done = coopflow("new", "Tilburg", *PARTIES, cwd=folder)
    assert (done.returncode, done.stderr) == (0, "")
    (id,) = done.stdout.split()
    trajectory = _load(id)
    assert (trajectory.title, trajectory.state) == ("Tilburg", "exploring")
    assert trajectory.snapshot.parties == (
        cf.Party("gemeente", name="Gemeente Tilburg", sector=cf.Sector.GOVERNMENT),
        cf.Party("uni", name="Tilburg University"),
    )


@pytest.mark.parametrize(
    "party", ["gemeente=Gemeente:governmnet", "=Nobody", "gemeente"], ids=["sector", "id", "alone"]
)
def test_new_refuses_a_bad_party(folder: pathlib.Path, party: str) -> None:
    """A party with an unknown sector or no id is bad input; one party alone is too few."""
    result = run("new", "T", "--party", party, "--party", "uni=Uni")
    if party == "gemeente":
        assert result.code == 0  # the id alone: its name is the id
        return
    message = _one_line_error(result)
    assert message.startswith("coopflow new: error: argument --party: ")
    assert not (folder / "coopflow.db").exists()


def test_new_with_one_party_is_bad_input_and_stores_nothing(folder: pathlib.Path) -> None:
    """The library's refusal (a cooperation needs two parties) comes out as one line, exit 2."""
    message = _one_line_error(run("new", "T", "--party", "a=A"))
    assert "at least two parties" in message


def test_an_id_that_is_taken_is_refused(tilburg: str) -> None:
    """Starting a second trajectory with the same id: refused by the store (exit 1)."""
    _one_line_error(run("new", "Again", "--id", tilburg, *PARTIES), code=1)


def test_party_add_and_leave_record_the_events(tilburg: str, folder: pathlib.Path) -> None:
    """`party add` records PartyJoined, `party leave` PartyLeft with its reason."""
    added = coopflow(
        "party", "add", tilburg, "brabant=Provincie Noord-Brabant:government", cwd=folder
    )
    assert (added.returncode, added.stdout) == (0, "Recorded in tilburg: party-joined.\n")
    left = run("party", "leave", tilburg, "brabant", "--reason", "elections")
    assert left.code == 0
    events = [record.event for record in _load().history[1:]]
    assert events == [
        cf.PartyJoined(cf.Party("brabant", name="Provincie Noord-Brabant", sector="government")),
        cf.PartyLeft("brabant", reason="elections"),
    ]


# --- record -------------------------------------------------------------------------------------

THEMES = '[{"id": "t", "title": "T", "owner": "uni", "indicator": "x", "interests": ["i"]}]'
INTEREST = ["interest-shared", "--interest", "i", "--parties", "gemeente", "uni"]
AGENDA = ["agenda-proposed", "--version", "1", "--themes", THEMES]

# Each event type: what must be recorded before it, its flags, and the event they make.
RECORDED: dict[str, tuple[list[list[str]], list[str], object]] = {
    "party-joined": (
        [],
        ["--party", "c=C:business"],
        cf.PartyJoined(cf.Party("c", name="C", sector="business")),
    ),
    "party-left": ([], ["--party", "uni", "--reason", "gone"], cf.PartyLeft("uni", reason="gone")),
    "interest-shared": (
        [],
        [*INTEREST[1:], "--description", "city"],
        cf.InterestShared("i", {"gemeente", "uni"}, description="city"),
    ),
    "value-named": (
        [],
        ["--party", "uni", "--brings", "research", "--gains", "impact"],
        cf.ValueNamed("uni", brings="research", gains="impact"),
    ),
    "dependency-declared": (
        [],
        ["--party", "uni", "--depends-on", "gemeente", "--need", "a city"],
        cf.DependencyDeclared("uni", "gemeente", need="a city"),
    ),
    "assessed": (
        [],
        ["--party", "uni", "--dimension", "trust", "--score", "3,75", "--respondent", "r1"],
        cf.Assessed("uni", "trust", 3.75, respondent="r1"),
    ),
    "contribution-committed": (
        [],
        ["--party", "uni", "--contribution", "staff", "--cash", "1000,50", "--in-kind"],
        cf.ContributionCommitted("uni", "staff", cash=Decimal("1000.50"), in_kind=True),
    ),
    "contribution-withdrawn": (
        [["contribution-committed", "--party", "uni", "--contribution", "staff"]],
        ["--party", "uni", "--contribution", "staff"],
        cf.ContributionWithdrawn("uni", "staff"),
    ),
    "decision-rule-set": (
        [],
        ["--rule", "weighted", "--weights", "gemeente=2", "uni=1,5"],
        cf.DecisionRuleSet("weighted", weights={"gemeente": 2.0, "uni": 1.5}),
    ),
    "agenda-proposed": (
        [INTEREST],
        AGENDA[1:],
        cf.AgendaProposed(1, [cf.Theme("t", "T", "uni", "x", ["i"])]),
    ),
    "agenda-approved": (
        [INTEREST, AGENDA],
        ["--party", "uni", "--version", "1"],
        cf.AgendaApproved("uni", 1),
    ),
    "declaration-signed": (
        [INTEREST, AGENDA],
        ["--party", "uni", "--signatory", "Emile Aarts", "--version", "1", "--role", "rector"],
        cf.DeclarationSigned("uni", "Emile Aarts", 1, role="rector"),
    ),
    "role-assigned": (
        [],
        ["--role", "programme_manager", "--party", "gemeente", "--person", "M"],
        cf.RoleAssigned("programme_manager", "gemeente", person="M"),
    ),
    "budget-set": ([], ["--amount", "1000000"], cf.BudgetSet(Decimal("1000000"))),
    "theme-closed": ([INTEREST, AGENDA], ["--theme", "t"], cf.ThemeClosed("t")),
    "review-recorded": (
        [],
        ["--summary", "five years", "--final"],
        cf.ReviewRecorded("five years", final=True),
    ),
    "fact-recorded": (
        [],
        ["--fact", "champion", "--no-holds", "--note", "left"],
        cf.FactRecorded("champion", holds=False, note="left"),
    ),
}


def test_record_has_a_subcommand_for_every_event_type() -> None:
    """Every data event of the library is a subcommand of `record`, and each is tested here."""
    assert sorted(EVENTS) == sorted(RECORDED)


@pytest.mark.parametrize("event", sorted(RECORDED))
def test_record_makes_the_event_its_flags_describe(folder: pathlib.Path, event: str) -> None:
    """`coopflow record ID EVENT --field value ...` records exactly that event (a subprocess)."""
    before, flags, expected = RECORDED[event]
    process = ["--process", "collective-impact"] if event == "fact-recorded" else []
    assert run(*process, "new", "T", "--id", "t", *PARTIES).code == 0
    for earlier in before:
        assert run(*process, "record", "t", *earlier).code == 0
    done = coopflow(*process, "record", "t", event, *flags, "--actor", "facilitator", cwd=folder)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[0] == f"Recorded in t: {event}."
    last = _load("t", process=cf.Process.from_file(cf.example_file("collective-impact"))).history[
        -1
    ]
    assert (last.event, last.actor) == (expected, "facilitator")


def test_record_takes_a_whole_event_as_json(tilburg: str, folder: pathlib.Path) -> None:
    """--json gives the fields in the form `history --json` shows them."""
    event = '{"type": "ContributionCommitted", "party": "uni", "contribution": "c", "cash": "5"}'
    done = coopflow("record", tilburg, "contribution-committed", "--json", event, cwd=folder)
    assert done.returncode == 0, done.stderr
    assert _load().history[-1].event == cf.ContributionCommitted("uni", "c", cash=Decimal(5))
    assert (
        run(
            "record",
            tilburg,
            "value-named",
            "--json",
            '{"party": "uni", "brings": "a", "gains": "b"}',
        ).code
        == 0
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["assessed", "--party", "uni"],
            "the following arguments are required: --dimension, --score",
        ),
        (
            ["assessed", "--party", "uni", "--dimension", "trust", "--score", "high"],
            "'high' is not a number",
        ),
        (["agenda-approved", "--party", "uni", "--version", "one"], "'one' is not a whole number"),
        (
            ["decision-rule-set", "--rule", "weighted", "--weights", "uni"],
            "'uni' is not PARTY=WEIGHT",
        ),
        (["agenda-proposed", "--version", "1", "--themes", "[{"], "argument --themes: JSON: "),
        (["agenda-proposed", "--version", "1", "--themes", '[{"id": 1}]'], "themes="),
        (["assessed", "--party", "uni", "--json", "{}"], "give the fields or --json, not both"),
        (["assessed", "--json", "{"], "--json is not JSON"),
        (["assessed", "--json", '{"party": "uni"}'], "assessed="),
        (["assessed", "--json", '{"party": "", "dimension": "trust", "score": 4.0}'], "party=''"),
        (["assessed", "--party", "nobody", "--dimension", "trust", "--score", "4"], "nobody"),
        (["assessed", "--party", "uni", "--dimension", "trust", "--score", "9"], "score"),
        (["budget-set", "--amount", "lots"], "amount="),
        (["budget-set", "--amount", "5", "--at", "1999-01-01"], "earlier than the last record"),
        (["budget-set", "--amount", "5", "--at", "yesterday"], "is not a date"),
    ],
)
def test_a_bad_event_is_one_line_and_changes_nothing(
    tilburg: str, args: list[str], says: str
) -> None:
    """A missing flag, a value that is no number, an unknown party: exit 2, nothing recorded."""
    message = _one_line_error(run("record", tilburg, *args))
    assert says in message
    assert len(_load().history) == 1


def test_record_help_lists_the_fields_of_the_event(folder: pathlib.Path) -> None:
    """`record ID assessed --help` shows a flag per field, in Dutch with --lang nl."""
    done = run("--lang", "nl", "record", "x", "assessed", "--help")
    assert done.code == 0
    assert "--dimension DIMENSION" in done.out
    assert "Een score van een partij op een dimensie" in done.out
    assert "verplicht" in done.out


# --- fire, why ----------------------------------------------------------------------------------


def _culture(id: str) -> None:
    for args in (
        INTEREST,
        ["value-named", "--party", "gemeente", "--brings", "a", "--gains", "b"],
        ["value-named", "--party", "uni", "--brings", "a", "--gains", "b"],
        ["dependency-declared", "--party", "gemeente", "--depends-on", "uni"],
        ["dependency-declared", "--party", "uni", "--depends-on", "gemeente"],
    ):
        assert run("record", id, *args).code == 0


def test_fire_takes_the_step_and_says_where_it_went(tilburg: str, folder: pathlib.Path) -> None:
    """A step whose guards hold: exit 0 and the move in the labels of the chosen language."""
    _culture(tilburg)
    done = coopflow(
        "--lang", "nl", "fire", tilburg, "form_culture", "--reason", "ready", cwd=folder
    )
    assert (done.returncode, done.stdout) == (0, "Verkenning -> Vorming samenwerkingscultuur\n")
    assert _load().state == "building_culture"
    assert _load().history[-1].event == cf.Fire("form_culture", reason="ready")


def test_fire_refused_says_why_and_keeps_the_attempt(tilburg: str, folder: pathlib.Path) -> None:
    """A refused step: exit 1, the explanation on stderr, the refusal in the audit log."""
    done = coopflow("fire", tilburg, "form_culture", cwd=folder)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "‘Complete the exploration’ is not yet possible from the Exploration phase. Still needed:"
    )
    assert _load().history[-1].outcome == cf.Outcome.REFUSED
    assert _one_line_error(run("fire", tilburg, "fly")).startswith("coopflow: unknown trigger")


def test_an_automatic_regression_is_shown(tilburg: str) -> None:
    """A party leaving two behind: the automatic move to ended shows with its trigger."""
    done = run("party", "leave", tilburg, "uni")
    assert done.code == 0
    assert "(automatically: ‘" in done.lines[-1]


def test_why_explains_a_step_and_every_step_of_the_phase(
    tilburg: str, folder: pathlib.Path
) -> None:
    """`why ID TRIGGER` gives the explanation; without TRIGGER, every step of the phase."""
    done = coopflow("--lang", "nl", "why", tilburg, "form_culture", cwd=folder)
    assert done.returncode == 0
    assert done.stdout.startswith("‘Verkenning afronden’ kan nog niet vanuit de fase Verkenning.")
    every = run("why", tilburg)
    assert every.out.count("\n\n") == 2  # form_culture, stall, dissolve
    data = json.loads(run("why", tilburg, "form_culture", "--json").out)
    assert (data[0]["allowed"], data[0]["results"][0]["guard"]) == (False, "common_ground")
    assert data[0]["results"][0]["failures"][0]["key"] == "no_common_interest"


def test_why_in_an_end_state_explains_that_it_ended(tilburg: str) -> None:
    """In a terminal state no step is valid: `why` says the trajectory has ended."""
    assert run("fire", tilburg, "dissolve").code == 0
    assert run("why", tilburg).code == 0


# --- status, history, list ----------------------------------------------------------------------


def test_status_shows_the_phase_parties_and_steps(tilburg: str, folder: pathlib.Path) -> None:
    """`status` in text and JSON: phase, parties with sectors, possible steps, borderline scores."""
    run(
        "record",
        tilburg,
        "assessed",
        "--party",
        "uni",
        "--dimension",
        "trust",
        "--score",
        "3.2",
        "--at",
        "2017-10-01",
    )
    done = coopflow("status", tilburg, cwd=folder)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "Tilburg x Tilburg University (tilburg)",
        "Phase: Exploration",
        "Parties:",
        "- Gemeente Tilburg (gemeente, government)",
        "- Tilburg University (uni)",
        "Steps possible now: ‘Stall’, ‘Dissolve’",
        "! Tilburg University: trust 3.2 is borderline (between 3.0 and 3.5)",
        "Last change: 2017-10-01 00:00 (record 1)",
    ]
    data = json.loads(run("--lang", "nl", "status", tilburg, "--json").out)
    assert (data["state"], data["state_label"], data["enabled"]) == (
        "exploring",
        "Verkenning",
        ["stall", "dissolve"],
    )
    assert (data["parties"][0]["sector"], data["updated"]) == (
        "government",
        "2017-10-01T00:00:00+00:00",
    )


def test_history_shows_every_record(tilburg: str, folder: pathlib.Path) -> None:
    """`history` lists each record with its time, actor, what happened and its outcome."""
    run("record", tilburg, "budget-set", "--amount", "5", "--at", "2017-10-01", "--actor", "fac")
    run("fire", tilburg, "form_culture", "--at", "2017-10-02")
    run("fire", tilburg, "stall", "--at", "2017-10-03", "--reason", "elections")
    done = coopflow("--lang", "nl", "history", tilburg, cwd=folder)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [
        "   0  2017-09-01 00:00  -  gestart met Gemeente Tilburg, Tilburg University  [start]",
        "   1  2017-10-01 00:00  fac  budget-set amount=5  [ok]",
        "   2  2017-10-02 00:00  -  stap ‘Verkenning afronden’  [niet toegestaan]",
        "   3  2017-10-03 00:00  -  stap ‘Stilleggen’: elections  [ok]",
        "      -> Stilgevallen",
    ]
    data = json.loads(run("history", tilburg, "--json").out)
    assert [record["outcome"] for record in data] == ["started", "applied", "refused", "applied"]


def test_history_shows_lists_themes_and_parties_shortly(tilburg: str) -> None:
    """Ids in a set are joined, a list of themes is counted, a text with spaces is quoted."""
    run("record", tilburg, *INTEREST, "--description", "the city")
    run("record", tilburg, *AGENDA)
    run("record", tilburg, "party-joined", "--party", "c=C")
    lines = run("history", tilburg).lines
    assert "interest-shared interest=i parties=gemeente,uni description='the city'" in lines[1]
    assert "agenda-proposed version=1 themes=[1]" in lines[2]
    assert "party-joined party=c" in lines[3]


def test_list_finds_by_state_and_party(tilburg: str, folder: pathlib.Path) -> None:
    """`list` shows id, phase and title; --state and --party narrow it; --json for tools."""
    assert run("new", "Other", "--id", "other", "--party", "a", "--party", "b").code == 0
    assert run("fire", "other", "stall").code == 0
    done = coopflow("list", cwd=folder)
    assert done.stdout.splitlines() == [
        "other    Stalled      Other",
        "tilburg  Exploration  Tilburg x Tilburg University",
    ]
    assert run("list", "--state", "stalled").lines == ["other  Stalled  Other"]
    assert run("list", "--party", "uni").lines == [
        "tilburg  Exploration  Tilburg x Tilburg University"
    ]
    assert run("list", "--party", "nobody").lines == ["No trajectories found."]
    data = json.loads(run("list", "--json").out)
    assert [(t["id"], t["state"]) for t in data] == [("other", "stalled"), ("tilburg", "exploring")]


def test_list_pages_through_a_large_store(folder: pathlib.Path) -> None:
    """More trajectories than one page of the store holds are all listed and exported."""
    with Store.open(f"sqlite:///{folder / 'coopflow.db'}") as store:
        for n in range(101):
            parties = [cf.Party("a"), cf.Party("b")]
            store.save(cf.Trajectory.start(cf.default_process(), id=f"t{n:03}", parties=parties))
    assert len(run("list").lines) == 101
    assert len(json.loads(run("export").out)) == 101


# --- check, diagram -----------------------------------------------------------------------------


def test_check_a_process_file(folder: pathlib.Path) -> None:
    """`check` says the process keeps its rules (0), or lists the violations (1)."""
    ok = coopflow("check", "pilot", cwd=folder)
    assert (ok.returncode, ok.stdout.split(" (")[0]) == (0, "Process pilot keeps every rule")
    planted.trap().to_file(folder / "trap.toml")
    bad = run("--lang", "nl", "check", "trap.toml")
    assert bad.code == 1
    assert bad.lines[0].startswith("Proces trap houdt zich niet aan zijn regels")
    data = json.loads(run("check", "trap.toml", "--json").out)
    assert (data["ok"], data["violations"][0]["property"]) == (False, "no_deadlock")
    assert data["violations"][0]["path"] == "start -[enter]-> trap"
    assert not (folder / "coopflow.db").exists()


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (None, "missing.toml", "cannot read missing.toml: no such file or folder"),
        ("not = [toml", "broken.toml", "not TOML"),
        ("{}", "process.yaml", "yaml"),
        (b"\xff\xfe", "binary.toml", "not TOML"),
    ],
)
def test_check_a_file_that_is_no_process_is_bad_input(
    folder: pathlib.Path, content: str | bytes | None, name: str, says: str
) -> None:
    """A missing file, broken TOML, an unknown suffix: one line, exit 2."""
    if isinstance(content, bytes):
        (folder / name).write_bytes(content)
    elif content is not None:
        (folder / name).write_text(content, encoding="utf-8")
    assert says in _one_line_error(run("check", name))


def test_a_folder_as_the_process_file_is_bad_input(folder: pathlib.Path) -> None:
    """A folder where a file should be: one line, exit 2."""
    (folder / "dir.toml").mkdir()
    assert "it is a folder" in _one_line_error(run("check", "dir.toml"))


def test_diagram_of_a_trajectory_and_of_a_process_file(tilburg: str, folder: pathlib.Path) -> None:
    """A trajectory's diagram highlights its phase; a process file's is plain; -o writes it."""
    done = coopflow("diagram", tilburg, cwd=folder)
    assert done.returncode == 0
    assert done.stdout.startswith("flowchart LR\n")
    assert "class exploring current" in done.stdout
    cf.default_process().to_file(folder / "default.json")
    dot = run("--lang", "nl", "diagram", "default.json", "--format", "dot", "-o", "d.dot")
    assert (dot.code, dot.out) == (0, "Geschreven naar d.dot.\n")
    assert (folder / "d.dot").read_text(encoding="utf-8").startswith('digraph "coopflow-default"')
    assert "Verkenning" in run("--lang", "nl", "diagram", "pilot").out


def test_output_into_a_missing_folder_is_one_line(tilburg: str, folder: pathlib.Path) -> None:
    """-o in a folder that does not exist: no traceback, exit 2, in the chosen language."""
    done = coopflow("--lang", "nl", "diagram", tilburg, "-o", "nowhere/d.mmd", cwd=folder)
    assert _one_line_error(done) == (
        "coopflow: nowhere/d.mmd kan niet worden geschreven: bestand of map bestaat niet"
    )


# --- export, import -----------------------------------------------------------------------------


def test_export_and_import_round_trip(tilburg: str, folder: pathlib.Path) -> None:
    """A trajectory exported as JSON and imported into another store is the same trajectory."""
    _culture(tilburg)
    assert coopflow("export", tilburg, "-o", "t.json", cwd=folder).returncode == 0
    assert (
        cf.loads((folder / "t.json").read_text(encoding="utf-8"), process=cf.default_process())
        == _load()
    )
    done = coopflow("--db", "other.db", "import", "t.json", cwd=folder)
    assert (done.returncode, done.stdout) == (
        0,
        "Imported tilburg: Tilburg x Tilburg University.\n",
    )
    assert _load(db="other.db") == _load()
    again = run("--db", "other.db", "import", "t.json")
    assert "already holds trajectory 'tilburg'" in _one_line_error(again, code=1)


def test_export_everything_as_a_list_and_import_it_from_standard_input(
    tilburg: str, folder: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without ids, export writes every trajectory as a JSON list; import - reads stdin."""
    run("new", "Other", "--id", "other", "--party", "a", "--party", "b")
    listed = json.loads(run("export").out)
    assert [document["id"] for document in listed] == ["other", "tilburg"]
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(listed)))
    assert run("--db", "copy.db", "import", "-").code == 0
    assert [line.split()[0] for line in run("--db", "copy.db", "list").lines] == [
        "other",
        "tilburg",
    ]


def test_import_of_a_trajectory_of_an_example_process(folder: pathlib.Path) -> None:
    """A document names its process: the one of --process is found by its fingerprint."""
    run("--process", "pilot", "new", "P", "--id", "p", "--party", "a", "--party", "b")
    run("--process", "pilot", "export", "p", "-o", "p.json")
    assert run("--process", "pilot", "--db", "copy.db", "import", "p.json").code == 0
    message = _one_line_error(run("--db", "other.db", "import", "p.json"))
    assert message.startswith("coopflow: ")


@pytest.mark.parametrize(("text", "says"), [("{", "is not JSON"), ('{"format": 2}', "coopflow: ")])
def test_import_of_no_trajectory_is_bad_input(folder: pathlib.Path, text: str, says: str) -> None:
    """Text that is not JSON, or JSON that is not a trajectory: one line, exit 2."""
    (folder / "x.json").write_text(text, encoding="utf-8")
    assert says in _one_line_error(run("import", "x.json"))


# --- import-scores ------------------------------------------------------------------------------

SCORES = """partij;dimensie;score;respondent;datum
Gemeente Tilburg;vertrouwen;4,0;wethouder;2017-11-01
uni;trust;3.8;rector;2017-10-15

uni;Voice (a say in decisions);4;;01-11-2017
"""


def test_import_scores_records_the_answers_in_date_order(
    tilburg: str, folder: pathlib.Path
) -> None:
    """A survey export (Dutch header, semicolons, decimal commas, names and labels) is recorded."""
    (folder / "scores.csv").write_text(SCORES, encoding="utf-8")
    done = coopflow("import-scores", tilburg, "scores.csv", cwd=folder)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == ["Imported 3 scores into tilburg.", "Phase: Exploration"]
    records = _load().history[1:]
    assert [(r.at.date().isoformat(), r.event) for r in records] == [
        ("2017-10-15", cf.Assessed("uni", "trust", 3.8, respondent="rector")),
        ("2017-11-01", cf.Assessed("gemeente", "trust", 4.0, respondent="wethouder")),
        ("2017-11-01", cf.Assessed("uni", "voice", 4.0)),
    ]


def test_import_scores_without_dates_records_them_now(tilburg: str, folder: pathlib.Path) -> None:
    """A comma-separated file with the English header and no date column; one answer: singular."""
    (folder / "s.csv").write_text("party,dimension,score\nuni,trust,4\n", encoding="utf-8")
    assert (
        run("--lang", "nl", "import-scores", tilburg, "s.csv").lines[0]
        == "1 score ingelezen in tilburg."
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "s.csv is empty"),
        ("party,score\nuni,4\n", "s.csv has no column dimension"),
        (
            "party,dimension,score\nuni,trust,4\nuni,trust,high\n",
            "s.csv, line 3: 'high' is not a number",
        ),
        ("party,dimension,score\nuni,trust,4\nnobody,trust,4\n", "s.csv, line 3: "),
        (
            "party,dimension,score,date\nuni,trust,4,2017-10-01\nuni,trust,4,1999-01-01\n",
            "s.csv, line 3: ",
        ),
        (
            "party,dimension,score,date\nuni,trust,4,someday\n",
            "s.csv, line 2: someday is not a date",
        ),
    ],
)
def test_import_scores_refuses_the_whole_file_for_one_bad_row(
    tilburg: str, folder: pathlib.Path, text: str, says: str
) -> None:
    """An empty file, a missing column, a bad score, party or date: one line naming the row,
    and nothing recorded."""
    (folder / "s.csv").write_text(text, encoding="utf-8")
    assert says in _one_line_error(run("import-scores", tilburg, "s.csv"))
    assert len(_load().history) == 1


def _many_scores(folder: pathlib.Path, count: int) -> pathlib.Path:
    rows = "".join(f"uni,trust,{3 + (n % 20) / 10},r{n},2017-10-01\n" for n in range(count))
    path = folder / "many.csv"
    path.write_text("party,dimension,score,respondent,date\n" + rows, encoding="utf-8")
    return path


def test_a_long_import_draws_a_progress_bar_on_a_terminal(
    tilburg: str, folder: pathlib.Path
) -> None:
    """On a terminal (a pseudo-terminal here) stderr shows the bar; on a pipe it stays empty."""
    _many_scores(folder, 150)
    main, other = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "coopflow", "import-scores", tilburg, "many.csv"],
        cwd=folder,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=other,
        text=True,
    ) as process:
        os.close(other)
        drawn = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            drawn += chunk
        assert process.wait() == 0
    os.close(main)
    assert b"[" + b"#" * 30 + b"] 150/150" in drawn
    assert run("import-scores", tilburg, "many.csv").err == ""  # not a terminal: no bar


def test_the_progress_bar_is_only_drawn_for_long_work() -> None:
    """A short import draws nothing even on a terminal; a long one redraws only per percent."""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    short = Terminal()
    bar = _shell.Progress(3, short)
    bar.step(1)
    bar.close()
    assert short.getvalue() == ""
    long = Terminal()
    bar = _shell.Progress(1000, long, label="x")
    for done in range(1, 1001):
        bar.step(done)
    bar.close()
    assert long.getvalue().count("\r") == 101  # 0 % to 100 %
    assert long.getvalue().endswith("] 1000/1000\n")


# --- report, demo -------------------------------------------------------------------------------


def test_report_writes_the_page_of_a_trajectory(tilburg: str, folder: pathlib.Path) -> None:
    """`report ID -o FILE` writes the report (HTML, or Markdown with --format md)."""
    done = coopflow("report", tilburg, "-o", "report.html", cwd=folder)
    assert (done.returncode, done.stdout) == (0, "Written to report.html.\n")
    assert "Tilburg x Tilburg University" in (folder / "report.html").read_text(encoding="utf-8")
    assert run("--lang", "nl", "report", tilburg, "--format", "md", "-o", "r.md").code == 0
    assert "Tilburg x Tilburg University" in (folder / "r.md").read_text(encoding="utf-8")


def test_report_all_writes_the_portfolio(tilburg: str, folder: pathlib.Path) -> None:
    """`report --all -o portfolio.html` writes one page for every trajectory of the store."""
    run("new", "Other cooperation", "--party", "a", "--party", "b")
    done = coopflow("report", "--all", "-o", "portfolio.html", cwd=folder)
    assert done.returncode == 0, done.stderr
    page = (folder / "portfolio.html").read_text(encoding="utf-8")
    assert "Tilburg x Tilburg University" in page
    assert "Other cooperation" in page


@pytest.mark.parametrize("args", [["tilburg", "--all"], []])
def test_report_needs_one_trajectory_or_all(tilburg: str, args: list[str]) -> None:
    """Both an id and --all, or neither: bad input."""
    assert "--all" in _one_line_error(run("report", *args, "-o", "r.html"))


def test_report_into_a_missing_folder_is_one_line(tilburg: str) -> None:
    """-o in a folder that does not exist: exit 2."""
    assert "nowhere/r.html" in _one_line_error(run("report", tilburg, "-o", "nowhere/r.html"))


def test_demo_stores_tilburg_and_writes_no_diagram_unless_asked(folder: pathlib.Path) -> None:
    """`coopflow demo` tells the story and stores it; it leaves no tilburg.mmd behind."""
    done = coopflow("demo", cwd=folder)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Gemeente Tilburg and Tilburg University: Exploration"
    assert lines[-2].startswith("Stored as ")
    assert str(folder / "coopflow.db") in lines[-2]
    assert lines[-1].endswith(" is now in the Implementation phase.")
    assert sorted(p.name for p in folder.iterdir()) == ["coopflow.db"]


def test_demo_writes_the_diagram_and_the_report_where_asked(folder: pathlib.Path) -> None:
    """--diagram writes the Mermaid text, --report DIR the report in the demo's language."""
    done = run(
        "demo", "--lang", "nl", "--diagram", "t.mmd", "--report", "build/demo", "--store", "d.db"
    )
    assert done.code == 0
    assert "Het procesdiagram (Mermaid) is opgeslagen in t.mmd." in done.lines
    assert "De stuurgroeprapportage staat in build/demo/tilburg.nl.html." in done.lines
    assert "class operating current" in (folder / "t.mmd").read_text(encoding="utf-8")
    report = (folder / "build" / "demo" / "tilburg.nl.html").read_text(encoding="utf-8")
    assert "Samenwerking gemeente Tilburg – Tilburg University" in report
    assert (folder / "d.db").exists()


def test_demo_report_into_a_folder_it_cannot_make(folder: pathlib.Path) -> None:
    """--report under a file: one line, exit 2."""
    (folder / "file").write_text("", encoding="utf-8")
    assert "file/demo" in _one_line_error(run("demo", "--report", "file/demo"))


# --- the language, the usage and the errors -----------------------------------------------------


def test_help_in_dutch(folder: pathlib.Path) -> None:
    """`coopflow --lang nl --help` is Dutch, argparse's own words included."""
    done = coopflow("--lang", "nl", "--help", cwd=folder)
    assert done.returncode == 0
    assert done.stdout.startswith("gebruik: coopflow")
    assert "opties:" in done.stdout
    assert "een traject starten en het id ervan tonen" in done.stdout


@pytest.mark.parametrize(
    ("env", "dutch"),
    [
        ({"LANG": "nl_NL.UTF-8"}, True),
        ({"LANG": "nl_BE.UTF-8", "LC_ALL": "en_GB.UTF-8"}, False),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "nl_NL"}, True),
        ({"LANG": ""}, False),
    ],
)
def test_the_language_comes_from_the_environment(
    env: dict[str, str], dutch: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """LC_ALL, then LC_MESSAGES, then LANG: Dutch when the first one set starts with nl."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert run("--help").out.startswith("gebruik:") is dutch


def test_lang_after_the_subcommand_and_the_environment_in_a_subprocess(
    folder: pathlib.Path,
) -> None:
    """LANG=nl_NL makes the command Dutch; --lang en after the subcommand overrides it."""
    dutch = coopflow("check", "pilot", cwd=folder, env=_environment(LANG="nl_NL.UTF-8"))
    assert dutch.stdout.startswith("Proces pilot voldoet aan alle regels")
    english = coopflow(
        "check", "pilot", "--lang", "en", cwd=folder, env=_environment(LANG="nl_NL.UTF-8")
    )
    assert english.stdout.startswith("Process pilot keeps every rule")


def test_every_help_text_is_translated() -> None:
    """Each help text and description of every (sub)command differs between en and nl."""

    def texts(parser: argparse.ArgumentParser) -> Iterator[str | None]:
        yield parser.description
        for action in parser._actions:
            yield action.help
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    yield choice.help
                for sub in dict.fromkeys(action.choices.values()):
                    yield from texts(sub)

    parsers = {}
    for locale in ("en", "nl"):
        with _parser.speaking(locale):
            parsers[locale] = list(texts(_parser.build(locale)))
    same = [
        en
        for en, nl in zip(parsers["en"], parsers["nl"], strict=True)
        if en is not None and en == nl
    ]
    assert same == []
    for cls in EVENTS.values():
        assert has((cls.__doc__ or "").strip().splitlines()[0], "nl"), cls


def test_speaking_gives_argparse_its_own_words_back() -> None:
    """After a Dutch parse, argparse speaks English again (the patch is undone)."""
    with _parser.speaking("nl"):
        assert argparse._("options") == "opties"  # type: ignore[attr-defined]
        plural = argparse.ngettext  # type: ignore[attr-defined]
        assert plural("expected %s argument", "expected %s arguments", 2) == "verwacht %s waarden"
    assert argparse._("options") == "options"  # type: ignore[attr-defined]


def test_no_command_prints_help_and_fails() -> None:
    """Without a command the usage goes to stderr and the exit code is 2."""
    done = run()
    assert (done.code, done.err.startswith("usage: coopflow")) == (2, True)


def test_version_prints_the_version() -> None:
    """--version prints the installed version."""
    assert run("--version").out == f"coopflow {cf.__version__}\n"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["frob"], "coopflow: error: argument COMMAND: invalid choice: 'frob'"),
        (["--lang", "de", "list"], "coopflow: error: argument --lang: invalid choice: 'de'"),
        (["status"], "coopflow status: error: the following arguments are required: ID"),
        (["list", "--frob"], "coopflow: error: unrecognized arguments: --frob"),
        (["status", "nobody"], "coopflow: there is no store at coopflow.db"),
        (
            ["--db", "nowhere/c.db", "new", "T", *PARTIES],
            "coopflow: the folder of nowhere/c.db does not exist",
        ),
        (
            ["--process", "nothing.toml", "list"],
            "coopflow: cannot read nothing.toml: no such file or folder",
        ),
        (["--db", "mysql+nothing://x", "list"], "coopflow: cannot open"),
    ],
)
def test_usage_errors_are_one_line_with_exit_code_2(
    folder: pathlib.Path, args: list[str], says: str
) -> None:
    """A bad command line: one line on stderr, no traceback, exit 2."""
    assert _one_line_error(run(*args)).startswith(says)


def test_an_unknown_trajectory_is_named(tilburg: str, folder: pathlib.Path) -> None:
    """`status nobody`: exit 2, one line in the chosen language."""
    done = coopflow("--lang", "nl", "status", "nobody", cwd=folder)
    assert _one_line_error(done) == "coopflow: er is geen traject nobody in de opslag"


def test_a_store_another_writer_changed_first_is_refused(
    tilburg: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lost race (ConflictError) is a refusal: exit 1, one line."""

    def lost(self: Store, trajectory: cf.Trajectory) -> int:
        raise cf.ConflictError("another writer saved first")

    monkeypatch.setattr(Store, "save", lost)
    assert _one_line_error(run("record", tilburg, "budget-set", "--amount", "5"), code=1) == (
        "coopflow: another writer saved first"
    )


def test_a_reader_that_stops_reading_ends_the_command_quietly(folder: pathlib.Path) -> None:
    """`coopflow history ID | head -1`: no traceback, no complaint at exit, exit 0."""
    _many_scores(folder, 1)
    run("new", "T", "--id", "t", *PARTIES, "--at", "2017-09-01")
    run("import-scores", "t", str(_many_scores(folder, 1500)))  # more than a pipe holds
    with subprocess.Popen(
        [sys.executable, "-m", "coopflow", "history", "t"],
        cwd=folder,
        env=_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        error = process.stderr.read()
        code = process.wait()
    assert first.startswith(b"   0  2017-09-01")
    assert (code, error) == (0, b"")


def test_a_broken_pipe_in_process_returns_done() -> None:
    """main() itself: a BrokenPipeError while writing ends with 0 and nothing on stderr."""

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError

    err = io.StringIO()
    assert cli.main(["--version"], out=Closed(), err=err) == 0
    assert err.getvalue() == ""


def test_an_interrupt_is_one_line_and_exit_130(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C: one line, exit 130, no traceback."""

    def interrupted(ctx: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(_files, "check", interrupted)
    done = run("--lang", "nl", "check", "pilot")
    assert (done.code, done.err) == (130, "coopflow: onderbroken\n")


def test_without_the_store_extra_the_store_commands_say_what_to_install(
    folder: pathlib.Path,
) -> None:
    """On a core install (no SQLAlchemy) `list` names the extra; `check` still works."""
    code = (
        "import sys; sys.modules['sqlalchemy'] = None; from coopflow import cli; "
        "raise SystemExit(cli.main(sys.argv[1:]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "list"],
        capture_output=True,
        text=True,
        cwd=folder,
        env=_environment(),
        check=False,
    )
    assert "pip install 'coopflow[store]'" in _one_line_error(done)
    checked = subprocess.run(
        [sys.executable, "-c", code, "check", "pilot"],
        capture_output=True,
        text=True,
        cwd=folder,
        env=_environment(),
        check=False,
    )
    assert checked.returncode == 0


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018-06-14", "2018-06-14T00:00:00+00:00"),
        ("14-06-2018", "2018-06-14T00:00:00+00:00"),
        ("2018-06-14T10:00+02:00", "2018-06-14T10:00:00+02:00"),
    ],
)
def test_dates_are_iso_or_day_month_year(text: str, expected: str) -> None:
    """--at and the date column read ISO 8601 and the Dutch day-month-year; UTC unless said."""
    assert _shell.parse_time(text).isoformat() == expected


# --- the same paths in this process, for what the subprocesses above do not count ----------------


def test_in_process_runs_of_what_the_subprocesses_do(tilburg: str, folder: pathlib.Path) -> None:
    """status, history with a fired step, a diagram of a trajectory, weights, a typed --json,
    blank rows of a survey and the portfolio, each run by cli.main."""
    assert (
        run(
            "record",
            tilburg,
            "decision-rule-set",
            "--rule",
            "weighted",
            "--weights",
            "gemeente=2",
            "uni=1",
        ).code
        == 0
    )
    event = '{"type": "BudgetSet", "amount": "5"}'
    assert run("record", tilburg, "budget-set", "--json", event).code == 0
    run("record", tilburg, "assessed", "--party", "uni", "--dimension", "trust", "--score", "3.2")
    assert run("fire", tilburg, "stall", "--reason", "elections").code == 0
    status = run("status", tilburg).lines
    assert (status[1], status[-2][:2]) == ("Phase: Stalled", "! ")
    assert run("history", tilburg).lines[-1] == "      -> Stalled"
    assert "class stalled current" in run("diagram", tilburg).out
    (folder / "scores.csv").write_text(SCORES, encoding="utf-8")
    run("fire", tilburg, "resume")
    assert run("import-scores", tilburg, "scores.csv").code == 2  # earlier than the last record
    assert run("report", "--all", "-o", "p.html").code == 0
    assert "Tilburg x Tilburg University" in (folder / "p.html").read_text(encoding="utf-8")
    assert (
        _one_line_error(run("status", "nobody"))
        == "coopflow: there is no trajectory nobody in the store"
    )


def test_blank_rows_of_a_survey_are_skipped(tilburg: str, folder: pathlib.Path) -> None:
    """The empty line of SCORES is no answer (in this process)."""
    (folder / "scores.csv").write_text(SCORES, encoding="utf-8")
    assert run("import-scores", tilburg, "scores.csv").lines[0] == "Imported 3 scores into tilburg."


@pytest.mark.parametrize(
    ("content", "says"), [(b"\xff\xfe\x00", "is not UTF-8 text"), (None, "no such file or folder")]
)
def test_a_survey_file_that_cannot_be_read(
    tilburg: str, folder: pathlib.Path, content: bytes | None, says: str
) -> None:
    """A file that is not UTF-8 text, or no file at all: one line, exit 2."""
    if content is not None:
        (folder / "s.csv").write_bytes(content)
    assert says in _one_line_error(run("import-scores", tilburg, "s.csv"))


def test_a_state_the_chosen_process_does_not_know_shows_as_its_id(
    tilburg: str, folder: pathlib.Path
) -> None:
    """`list --process other.toml` shows a trajectory of another process by its state's id."""
    planted.trap().to_file(folder / "trap.toml")
    assert run("--process", "trap.toml", "list").lines == [
        "tilburg  exploring  Tilburg x Tilburg University"
    ]


def test_the_store_commands_without_the_store_extra_in_process(
    tilburg: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """cli.main itself, when coopflow.store cannot be imported: the extra's name, exit 2."""
    monkeypatch.setitem(sys.modules, "coopflow.store", None)
    assert "coopflow[store]" in _one_line_error(run("list"))


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--lang=nl", "list"], "nl"),
        (["--", "--lang", "nl"], "en"),
        (["--lang"], "en"),
        (["--lang", "fr"], "en"),
    ],
)
def test_the_language_of_the_command_line(argv: list[str], expected: str) -> None:
    """--lang X or --lang=X before a `--`; anything else leaves the environment's language."""
    assert _shell.chosen_locale(argv, {}) == expected


def test_json_answers_write_times_as_iso_and_anything_else_as_text() -> None:
    """as_json: a time in ISO 8601, an amount as its text."""
    from datetime import UTC, datetime

    data = {"at": datetime(2018, 6, 14, tzinfo=UTC), "cash": Decimal("5.50")}
    assert json.loads(_shell.as_json(data)) == {"at": "2018-06-14T00:00:00+00:00", "cash": "5.50"}


def test_demo_without_a_report_in_process(folder: pathlib.Path) -> None:
    """`coopflow demo` by cli.main: stored, no diagram, no report."""
    assert run("demo").lines[-1].endswith(" is now in the Implementation phase.")
    assert sorted(p.name for p in folder.iterdir()) == ["coopflow.db"]


def test_demo_store_without_sqlalchemy_returns_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """demo.store itself: no SQLAlchemy, no store, and a sentence that says so."""
    from coopflow import demo

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
    from coopflow import demo

    lines: list[str] = []
    target = tmp_path / "no" / "such" / "folder" / "coopflow.db"
    assert demo.store(demo.tilburg(out=lambda line: None), target, out=lines.append) is None
    assert lines[0].startswith(f"Not stored in {target}: ")
    assert not target.exists()
