"""TEMPORARY STAND-IN for the steering-group report (branch cli11 only; drop it at the merge).

The report helper's real ``coopflow.report`` package replaces this file. It exists only so that
the ``coopflow report`` subcommand and ``coopflow demo --report`` can be built and tested against
the agreed interface: ``report(trajectory, *, locale, format)`` and ``portfolio(trajectories,
*, locale, format)``, each returning the page as text.

Example:
    >>> import coopflow as cf
    >>> from coopflow.report import report
    >>> t = cf.Trajectory.start(cf.default_process(), title="T", parties=[cf.Party("a"),
    ...                                                                   cf.Party("b")])
    >>> "<h1>T</h1>" in report(t)
    True
"""

import html
from collections.abc import Iterable

from coopflow._trajectory import Trajectory

__all__ = ["portfolio", "report"]


def _page(title: str, body: str, locale: str, format: str) -> str:
    if format == "md":
        return f"# {title}\n\n{body}\n"
    return (
        f'<!DOCTYPE html>\n<html lang="{locale}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>"
        f"<body><h1>{html.escape(title)}</h1><p>{html.escape(body)}</p></body></html>\n"
    )


def report(trajectory: Trajectory, *, locale: str = "en", format: str = "html") -> str:
    """A stand-in page with the trajectory's title and phase (see the module docstring)."""
    state = trajectory.process.label(trajectory.state, locale=locale)
    return _page(trajectory.title or trajectory.id, state, locale, format)


def portfolio(
    trajectories: Iterable[Trajectory], *, locale: str = "en", format: str = "html"
) -> str:
    """A stand-in page listing the trajectories' titles (see the module docstring)."""
    titles = ", ".join(t.title or t.id for t in trajectories)
    return _page("Portfolio", titles, locale, format)
