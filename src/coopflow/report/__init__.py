"""The steering-group report: one trajectory, or a portfolio of many, as HTML or Markdown.

`report` writes one self-contained HTML page (inline CSS and SVG, no script, nothing fetched)
or a Markdown text: the phases and the current one, what blocks the next step per party, a
traffic light per party and condition, a card per party, the scores over time, the budget
against the commitments and the audit timeline in plain language, in English or Dutch.
`portfolio` lists many trajectories with their phase, lights and last change.

Example:
    >>> import coopflow as cf
    >>> from coopflow import demo
    >>> t = demo.tilburg(out=lambda line: None)
    >>> html = cf.report(t, locale="nl")
    >>> html.startswith("<!DOCTYPE html>"), '<html lang="nl">' in html, "Uitvoering" in html
    (True, True, True)
    >>> cf.report(t, format="md").splitlines()[0]
    '# Gemeente Tilburg and Tilburg University'
"""

from coopflow.report._report import FORMATS, portfolio, report

__all__ = ["FORMATS", "portfolio", "report"]
