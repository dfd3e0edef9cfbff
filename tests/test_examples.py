"""Tests of `example_names` and `example_file`: the process files that ship in the package."""

import pathlib
import shutil
from typing import Any

import pytest

import coopflow as cf
from coopflow import _examples

PACKAGE = pathlib.Path(cf.__file__).parent


def test_the_three_examples_ship_with_the_package() -> None:
    """The default process and its two variants are examples, in sorted order."""
    names = cf.example_names()
    assert {"declaration-after-office", "default", "pilot"} <= set(names)
    assert list(names) == sorted(names)


@pytest.mark.parametrize("name", cf.example_names())
def test_every_example_is_a_file_of_the_package_that_loads(name: str) -> None:
    """Each example is a .toml file in coopflow/examples, and it is a valid process."""
    path = cf.example_file(name)
    assert (path.parent, path.name, path.is_file()) == (PACKAGE / "examples", f"{name}.toml", True)
    assert isinstance(cf.Process.from_file(path), cf.Process)


def test_the_default_example_is_the_default_process() -> None:
    """example_file("default") holds exactly `cf.default_process()`."""
    assert cf.Process.from_file(cf.example_file("default")) == cf.default_process()


def test_a_file_added_to_the_folder_is_an_example_with_no_list_to_update(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every .toml file in the folder is found by its stem; other files and folders are not."""
    for name in ("partnering-cycle", "collective-impact"):
        shutil.copy(PACKAGE / "examples" / "default.toml", tmp_path / f"{name}.toml")
    (tmp_path / "README.txt").write_text("not a process", encoding="utf-8")
    (tmp_path / "drafts").mkdir()
    shutil.copy(PACKAGE / "examples" / "pilot.toml", tmp_path / "drafts" / "draft.toml")
    monkeypatch.setattr(_examples, "_FOLDER", tmp_path)
    assert cf.example_names() == ("collective-impact", "partnering-cycle")
    assert cf.example_file("collective-impact") == tmp_path / "collective-impact.toml"


@pytest.mark.parametrize("name", ["pilott", "pilot.toml", "../examples/pilot", "", None, 3])
def test_an_unknown_name_is_refused_with_the_names_there_are(name: Any) -> None:
    """A name that is not an example (a file name, a path, not a string) lists the examples."""
    with pytest.raises(cf.UnknownNameError) as caught:
        cf.example_file(name)
    error = caught.value
    assert (error.kind, error.name, error.choices) == ("example process", name, cf.example_names())
