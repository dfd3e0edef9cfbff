"""Tests that README tells the truth beyond its doctests."""

import re
from pathlib import Path

import coopflow as cf
from coopflow import demo

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_diagram_is_what_the_demo_draws() -> None:
    """The Mermaid block in README is the current diagram of the Tilburg trajectory."""
    match = re.search(r"```mermaid\n(.*?)```", README, re.DOTALL)
    assert match is not None
    t = demo.tilburg(out=lambda line: None)
    assert match.group(1) == cf.to_mermaid(t.process, highlight=t)


def test_readme_names_the_two_commands() -> None:
    """The quickstart shows exactly `make demo` and `make test`."""
    quickstart = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^make \w+", quickstart, re.MULTILINE)
    assert commands == ["make demo", "make test"]
