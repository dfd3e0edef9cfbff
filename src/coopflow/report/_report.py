"""`report` and `portfolio`: check the locale and format, build the view, write it."""

from collections.abc import Iterable
from datetime import datetime

from coopflow._engine import moment
from coopflow._i18n import check_locale
from coopflow._text import Phrase
from coopflow._trajectory import Trajectory
from coopflow.exceptions import UnknownNameError
from coopflow.report import _html, _markdown
from coopflow.report._view import build, date, summary, t, words

FORMATS = ("html", "md")
"""The formats a report is written in: an HTML page, or Markdown."""


def _check(locale: str, format: str) -> None:
    check_locale(locale)
    if format not in FORMATS:
        raise UnknownNameError("file format", format, choices=FORMATS)


def report(
    trajectory: Trajectory,
    *,
    locale: str = "en",
    format: str = "html",
    at: datetime | None = None,
) -> str:
    """The steering-group report of `trajectory`, as an HTML page or Markdown text.

    Args:
        trajectory: the trajectory to report on.
        locale: ``"en"`` or ``"nl"``.
        format: ``"html"`` (one self-contained page) or ``"md"`` (Markdown).
        at: the moment the report describes (timezone-aware; default: now). Scores older than
            the process's ``max_score_age`` then count as missing.

    Raises:
        UnknownNameError: the locale or the format is not one coopflow writes.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> "Current phase: Exploration" in cf.report(t, format="md")
        True
        >>> cf.report(t, format="pdf")
        Traceback (most recent call last):
        ...
        coopflow.exceptions.UnknownNameError: unknown file format 'pdf' (choose from: html, md)
    """
    _check(locale, format)
    view = build(trajectory, locale, moment(at))
    return _html.page(view) if format == "html" else _markdown.page(view)


def portfolio(
    trajectories: Iterable[Trajectory],
    *,
    locale: str = "en",
    format: str = "html",
    at: datetime | None = None,
) -> str:
    """Many trajectories on one page: each with its phase, traffic lights and last change.

    Args:
        trajectories: the trajectories, in the order they are listed.
        locale: ``"en"`` or ``"nl"``.
        format: ``"html"`` or ``"md"``.
        at: the moment the page describes (timezone-aware; default: now).

    Raises:
        UnknownNameError: the locale or the format is not one coopflow writes.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")],
        ...                         title="Pilot")
        >>> page = cf.portfolio([t], locale="nl", format="md")
        >>> page.splitlines()[0], "| Pilot | Verkenning |" in page
        ('# Portefeuille van samenwerkingstrajecten', True)
    """
    _check(locale, format)
    when = moment(at)
    summaries = [summary(trajectory, locale, when) for trajectory in trajectories]
    said = words(locale)
    statuses = list(said.values())
    legend = [
        t(Phrase("{word}: at or above the entry threshold", word=statuses[0]), locale),
        t(
            Phrase("{word}: between the regression and the entry threshold", word=statuses[1]),
            locale,
        ),
        t(Phrase("{word}: under the regression threshold", word=statuses[2]), locale),
        t(Phrase("{word}: missing or too old", word=statuses[3]), locale),
    ]
    writer = _html.portfolio_page if format == "html" else _markdown.portfolio_page
    return writer(summaries, statuses, legend, locale, date(when, locale))
