"""The `coopflow` command: a thin shell over the library and its store, in English or Dutch.

Exit codes: 0 done; 1 refused (a step whose guards do not hold, a process that breaks a rule,
a store that another writer changed first or that already holds the id); 2 bad input or an I/O
error, said in one line; 130 interrupted. A reader that stops reading (``| head``) ends the
command quietly.

Example:
    >>> from coopflow import cli
    >>> cli.main(["--version"])  # doctest: +ELLIPSIS
    coopflow ...
    0
"""

import os
import sys
from collections.abc import Sequence
from contextlib import redirect_stdout
from typing import IO

from coopflow._text import Phrase
from coopflow.cli._parser import UsageError, build, speaking
from coopflow.cli._shell import BAD_INPUT, DONE, REFUSED, CommandError, Context, chosen_locale
from coopflow.exceptions import ConflictError, CoopflowError, UnknownNameError

__all__ = ["main"]

_INTERRUPTED = 130


def _line(text: str) -> str:
    return " ".join(text.split())


def main(
    argv: Sequence[str] | None = None,
    *,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    """Run the command line with `argv` (default: the process's arguments); return the exit code.

    Args:
        argv: the arguments after the program name.
        out: where the answers go (default: standard output).
        err: where errors and progress go (default: standard error).

    Example:
        >>> from coopflow import cli
        >>> cli.main(["--lang", "nl", "check", "pilot"])  # doctest: +ELLIPSIS
        Proces pilot voldoet aan alle regels (... configuraties, ... overgangen).
        Reikwijdte: 2 partijen (party-a, party-b), hoogstens ... seconden. De tijd staat stil: ...
        0
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    locale = chosen_locale(args_list, os.environ)
    try:
        return _run(args_list, locale, out, err)
    except BrokenPipeError:
        # The reader stopped reading (`coopflow history x | head`): nothing more to say, and
        # the interpreter must not complain when it flushes standard output at exit.
        _silence(out)
        return DONE
    except KeyboardInterrupt:
        print(Phrase("coopflow: interrupted").render(locale), file=err)
        return _INTERRUPTED


def _silence(stream: IO[str]) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _run(argv: list[str], locale: str, out: IO[str], err: IO[str]) -> int:
    with speaking(locale), redirect_stdout(out):  # --help writes to sys.stdout
        parser = build(locale)
        try:
            args = parser.parse_args(argv)
        except UsageError as error:
            print(
                Phrase("{prog}: error: {message}", prog=error.prog, message=str(error)).render(
                    locale
                ),
                file=err,
            )
            return BAD_INPUT
        except SystemExit as done:  # --help
            return done.code if isinstance(done.code, int) else DONE
    if args.version:
        from coopflow import __version__

        print(f"coopflow {__version__}", file=out)
        return DONE
    if args.command is None:
        with speaking(locale):
            parser.print_help(err)
        return BAD_INPUT
    args.lang = args.lang or locale
    context = Context(args, out, err)
    try:
        code: int = args.run(context)
    except CommandError as error:
        return _fail(err, locale, error.message(locale), error.code)
    except ConflictError as error:
        return _fail(err, locale, error.message(locale), REFUSED)
    except UnknownNameError as error:
        message = error.message(locale)
        if error.kind == "trajectory":
            message = Phrase("there is no trajectory {id} in the store", id=error.name).render(
                locale
            )
        return _fail(err, locale, message, BAD_INPUT)
    except CoopflowError as error:
        return _fail(err, locale, error.message(locale), BAD_INPUT)
    out.flush()
    return code


def _fail(err: IO[str], locale: str, message: str, code: int) -> int:
    print(Phrase("coopflow: {message}", message=_line(message)).render(locale), file=err)
    return code
