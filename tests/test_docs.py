"""Every code example of the documentation site and README runs as a test.

pytest runs the ``pycon`` blocks (``>>>`` examples) of README.md and docs/ as doctests. This
module finds every other fenced block and tests it by its language: ``python`` blocks run
(a block with ``def test_`` runs as a pytest module), ``console`` blocks may only hold commands
that are checked here. A block in any other language fails, so that no example goes untested.

The ``coopflow`` commands of one console block run one after the other, in one empty folder that
holds a copy of the files in ``docs/examples`` (the pages show them with ``literalinclude``), so a
block can start a trajectory and work on it; each must exit 0, or the code its comment names
(``coopflow fire ...   # refused: exit code 1``).
"""

import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
from importlib import metadata

import pytest

ROOT = pathlib.Path(__file__).parent.parent
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
# A directive may take an argument on its first line: ```{literalinclude} examples/scores.csv
FENCE = re.compile(r"^```(?P<lang>\S*)[^\n]*\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
DIRECTIVES = {"{toctree}", "{eval-rst}", "{include}", "{literalinclude}"}
EXAMPLES = ROOT / "docs" / "examples"
EXIT_CODE = re.compile(r"exit code (?P<code>\d+)")

pytest_plugins = ["pytester"]


def _blocks(lang: str) -> list[tuple[str, str]]:
    """(page: line, body) of every fenced block in `lang`."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match["lang"] == lang:
                line = text.count("\n", 0, match.start()) + 1
                found.append((f"{page.relative_to(ROOT)}:{line}", match["body"]))
    return found


def _commands() -> list[tuple[str, str]]:
    """(page: line, command) of every command in a console block but coopflow's, comments
    stripped."""
    return [
        (where, command)
        for where, body in _blocks("console")
        for line in body.splitlines()
        if (command := line.split("#", 1)[0].strip()) and not command.startswith("coopflow ")
    ]


def _coopflow_blocks() -> list[tuple[str, list[tuple[str, int]]]]:
    """(page: line, [(command, expected exit code), ...]) of each console block with coopflow
    commands."""
    found = []
    for where, body in _blocks("console"):
        commands = []
        for line in body.splitlines():
            command, _, comment = line.partition("#")
            if command.strip().startswith("coopflow "):
                code = EXIT_CODE.search(comment)
                commands.append((command.strip(), int(code["code"]) if code else 0))
        if commands:
            found.append((where, commands))
    return found


def test_every_block_is_in_a_language_that_is_tested() -> None:
    """pycon, python, console (and README's mermaid diagram) are the only code blocks."""
    tested = {"pycon", "python", "console", *DIRECTIVES}
    untested = [
        f"{page.relative_to(ROOT)}: {match['lang'] or 'a block without a language'}"
        for page in PAGES
        for match in FENCE.finditer(page.read_text(encoding="utf-8"))
        if match["lang"] not in tested and (page.name, match["lang"]) != ("README.md", "mermaid")
    ]
    assert untested == []


@pytest.mark.parametrize(("where", "body"), _blocks("pycon"), ids=[w for w, _ in _blocks("pycon")])
def test_every_pycon_block_is_a_doctest(where: str, body: str) -> None:
    """A pycon block holds >>> examples, which pytest's --doctest-glob runs."""
    assert body.lstrip().startswith(">>> "), where


@pytest.mark.parametrize(
    ("where", "body"), _blocks("python"), ids=[w for w, _ in _blocks("python")]
)
def test_every_python_block_runs(where: str, body: str, pytester: pytest.Pytester) -> None:
    """A python block runs as it is; one that defines tests passes under pytest."""
    if "def test_" in body:
        pytester.makepyfile(test_block=body)
        result = pytester.runpytest("-p", "no:cacheprovider")
        result.assert_outcomes(passed=body.count("def test_"))
    else:
        exec(compile(body, where, "exec"), {"__name__": "docs_block"})


@pytest.mark.parametrize(("where", "command"), _commands(), ids=[c for _, c in _commands()])
def test_every_console_command_exists(where: str, command: str, tmp_path: pathlib.Path) -> None:
    """make targets exist, pip installs name real extras, coopflow commands run and exit 0."""
    words = command.split()
    if words[0] == "make":
        makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
        assert re.search(rf"^{re.escape(words[1])}:", makefile, re.MULTILINE), where
    elif words[:2] == ["pip", "install"]:
        match = re.fullmatch(r"'?coopflow(?:\[(?P<extras>[\w,]+)\])?'?", " ".join(words[2:]))
        assert match is not None, f"{where}: {command}"
        extras = set((match["extras"] or "").split(",")) - {""}
        assert extras <= set(metadata.metadata("coopflow").get_all("Provides-Extra") or [])
    else:
        pytest.fail(f"{where}: no test knows how to check the command {command!r}")


@pytest.mark.parametrize(
    ("where", "commands"), _coopflow_blocks(), ids=[w for w, _ in _coopflow_blocks()]
)
def test_the_coopflow_commands_of_a_block_run_in_order(
    where: str, commands: list[tuple[str, int]], tmp_path: pathlib.Path
) -> None:
    """Each command of the block exits with its code, in a folder with docs/examples' files."""
    for example in EXAMPLES.iterdir() if EXAMPLES.is_dir() else ():
        shutil.copy(example, tmp_path / example.name)
    env = {k: v for k, v in os.environ.items() if k not in {"LC_ALL", "LC_MESSAGES", "LANG"}}
    for command, code in commands:
        words = shlex.split(command)
        done = subprocess.run(
            [sys.executable, "-m", "coopflow", *words[1:]],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**env, "LANG": "C.UTF-8"},
            check=False,
        )
        assert done.returncode == code, f"{where}: {command}\n{done.stderr}"
