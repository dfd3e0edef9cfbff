"""The example process files that ship inside the package, found by name."""

import pathlib

from coopflow.exceptions import UnknownNameError

# Every .toml file here is an example, found when asked for: adding one needs no list kept in step.
_FOLDER = pathlib.Path(__file__).parent / "examples"


def example_names() -> tuple[str, ...]:
    """The names of the example process files that ship with coopflow, sorted.

    Each ``.toml`` file in the ``examples`` folder of the installed package is one example,
    named by its file name without ``.toml``.

    Example:
        >>> import coopflow as cf
        >>> "default" in cf.example_names(), "pilot" in cf.example_names()
        (True, True)
    """
    return tuple(sorted(path.stem for path in _FOLDER.glob("*.toml")))


def example_file(name: str) -> pathlib.Path:
    """The path of the example process file `name`, ready for `Process.from_file`.

    The file is part of the installed package: read it, load it, or copy it to start a process
    of your own (``shutil.copy(cf.example_file("default"), "mine.toml")``).

    Args:
        name: one of `example_names()`, such as ``"default"`` or ``"pilot"``.

    Raises:
        UnknownNameError: coopflow ships no example of that name; its ``choices`` are the
            names it does ship.

    Example:
        >>> import coopflow as cf
        >>> pilot = cf.Process.from_file(cf.example_file("pilot"))
        >>> pilot.id, cf.example_file("pilot").name
        ('pilot', 'pilot.toml')
    """
    names = example_names()
    if name not in names:
        raise UnknownNameError("example process", name, choices=names)
    return _FOLDER / f"{name}.toml"
