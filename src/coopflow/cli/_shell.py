"""What every subcommand shares: the language, the store, the process, files and printing."""

import errno
import json
import pathlib
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import IO, TYPE_CHECKING, Any

from coopflow._default import default_process
from coopflow._examples import example_file, example_names
from coopflow._process import Process
from coopflow._text import LOCALES, Phrase, rendered
from coopflow.exceptions import MissingExtraError

if TYPE_CHECKING:  # pragma: no cover - the store needs an extra; imported when used
    from coopflow.store import Store

#: Exit codes: done, refused (a guard, a check, a store that was written first), bad input.
DONE, REFUSED, BAD_INPUT = 0, 1, 2


class CommandError(Exception):
    """Bad input or an I/O error of the command line: one line, in the reader's language."""

    def __init__(self, text: "Phrase | str", code: int = BAD_INPUT) -> None:
        self.text = text
        self.code = code
        super().__init__(str(text))

    def message(self, locale: str) -> str:
        """The error's text in `locale`."""
        return rendered(self.text, locale)


def environment_locale(environ: Mapping[str, str]) -> str:
    """The language of `environ`: Dutch when the first of LC_ALL, LC_MESSAGES, LANG set is nl."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "nl" if value.lower().startswith("nl") else "en"
    return "en"


def chosen_locale(argv: list[str], environ: Mapping[str, str]) -> str:
    """The language asked for with ``--lang`` anywhere in `argv`, else the environment's."""
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        value = None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        elif arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        if value in LOCALES:
            return value
    return environment_locale(environ)


_REASONS = {
    errno.ENOENT: Phrase("no such file or folder"),
    errno.EACCES: Phrase("permission denied"),
    errno.EISDIR: Phrase("it is a folder"),
    errno.ENOTDIR: Phrase("a part of the path is not a folder"),
}


def _reason(error: OSError) -> "Phrase | str":
    return _REASONS.get(error.errno or 0) or (error.strerror or str(error))


def read_text(path: str) -> str:
    """The UTF-8 text of the file at `path` (``-``: standard input), or `CommandError`."""
    if path == "-":
        return sys.stdin.read()
    try:
        return pathlib.Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(Phrase("{path} is not UTF-8 text", path=path)) from None
    except OSError as error:
        raise CommandError(
            Phrase("cannot read {path}: {reason}", path=path, reason=_reason(error))
        ) from None


def write_text(path: str, text: str) -> None:
    """Write `text` to the file at `path` as UTF-8, or raise `CommandError`."""
    try:
        pathlib.Path(path).write_text(text, encoding="utf-8")
    except OSError as error:
        raise CommandError(
            Phrase("cannot write {path}: {reason}", path=path, reason=_reason(error))
        ) from None


def parse_time(text: str) -> datetime:
    """An ISO 8601 date or time (``2018-06-14``, ``2018-06-14T10:00``); UTC unless it says."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        try:
            day = datetime.strptime(text.strip(), "%d-%m-%Y")
        except ValueError:
            raise CommandError(
                Phrase("{text} is not a date (write 2018-06-14 or 14-06-2018)", text=text)
            ) from None
        moment = day
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def as_json(data: Any) -> str:
    """`data` as indented JSON text with a final newline (dates and amounts as text)."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_plain) + "\n"


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime | date) else str(value)


class Context:
    """One run of the command: its language, its options and where its text goes."""

    def __init__(self, args: Any, out: IO[str], err: IO[str]) -> None:
        self.args = args
        self.locale: str = args.lang
        self.out = out
        self.err = err
        self._process: Process | None = None

    def say(self, text: "Phrase | str") -> None:
        """Print one line (a phrase in the chosen language) on standard output."""
        print(rendered(text, self.locale) if isinstance(text, Phrase) else text, file=self.out)

    def warn(self, text: "Phrase | str") -> None:
        """Print one line on standard error."""
        print(rendered(text, self.locale) if isinstance(text, Phrase) else text, file=self.err)

    def emit(self, text: str, output: str | None = None) -> None:
        """Text to standard output, or to the file `output`, saying where it went."""
        if output is None:
            self.out.write(text if text.endswith("\n") else text + "\n")
        else:
            write_text(output, text)
            self.say(Phrase("Written to {path}.", path=output))

    @property
    def process(self) -> Process:
        """The process of ``--process``: a file, a shipped example's name, or the default."""
        if self._process is None:
            self._process = load_process(self.args.process)
        return self._process

    @contextmanager
    def store(self, *, create: bool = False) -> Iterator["Store"]:
        """The store of ``--db``; a missing SQLite file is an error unless `create`."""
        try:
            from coopflow.store import Store
        except ImportError:
            raise MissingExtraError(
                "sqlalchemy", extra="store", needed_by="coopflow --db"
            ) from None
        processes = [self.process, default_process()]
        url = self.args.db
        if "://" not in url:
            path = pathlib.Path(url).resolve()
            if not path.exists() and not create:
                raise CommandError(Phrase("there is no store at {path}", path=url))
            if not path.parent.is_dir():
                raise CommandError(Phrase("the folder of {path} does not exist", path=url))
            url = f"sqlite:///{path}"
        with Store.open(url, processes=processes) as opened:
            yield opened


def load_process(name: str | None) -> Process:
    """The process in file `name`, or the shipped example of that name; None: the default."""
    if name is None:
        return default_process()
    if not pathlib.Path(name).exists() and name in example_names():
        return Process.from_file(example_file(name))
    try:
        return Process.from_file(name)
    except OSError as error:
        raise CommandError(
            Phrase("cannot read {path}: {reason}", path=name, reason=_reason(error))
        ) from None


class Progress:
    """A progress bar on standard error, drawn only when it is a terminal and the work is long."""

    WIDTH = 30
    LONG = 100

    def __init__(self, total: int, err: IO[str], *, label: str = "") -> None:
        self.total = total
        self.err = err
        self.label = label
        isatty: Callable[[], bool] = getattr(err, "isatty", lambda: False)
        self.shown = total >= self.LONG and isatty()
        self._drawn = -1

    def step(self, done: int) -> None:
        """Redraw the bar for `done` of `total` (only when a whole percent has passed)."""
        if not self.shown:
            return
        percent = done * 100 // self.total
        if percent == self._drawn:
            return
        self._drawn = percent
        filled = done * self.WIDTH // self.total
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.err.write(f"\r{self.label} [{bar}] {done}/{self.total}")
        self.err.flush()

    def close(self) -> None:
        """End the bar's line."""
        if self.shown:
            self.err.write("\n")
            self.err.flush()
