"""The seed article's example: Gemeente Tilburg and Tilburg University, from exploring to operating.

At every step the demo first asks for the next transition, prints what is still needed (in
English or Dutch), then records the facts that were missing and fires again. It uses only the
public API, so it doubles as a worked example; `examples/tilburg.py` runs it as a script.

What comes from the article and what is made up:

- *Sourced*: the two parties; their mutual dependency in realising their own ambitions (the
  municipality wants knowledge-based policy for its big-city challenges, the university
  stronger ties with society); the common interest of coupling the city's challenges to the
  university's knowledge; the cooperation declaration signed on 14 June by the rector
  magnificus, Emile Aarts, and an alderman of the municipality. The seed article spells her
  Marcelle Hendricks; public sources spell the alderman of Tilburg Marcelle Hendrickx, which
  the demo follows.
- *Not from the article*: the year (the article says "14 June", no year; the demo's clock uses
  2017 and 2018) and the titles of the five themes; docs/tutorial.md names its source for them.
- *Illustrative*, invented for the demo: every other date, the themes' owners and indicators,
  the scores, the budget and the contributions, the decision rule and the roles in the
  programme office.

Under ``--lang nl`` the demo's own data (themes, interests, roles) is Dutch too.

Example:
    >>> from coopflow import demo
    >>> lines = []
    >>> t = demo.tilburg(locale="en", out=lines.append)
    >>> t.state
    'operating'
    >>> lines[0]
    'Gemeente Tilburg and Tilburg University: Exploration'
"""

from coopflow._demo import PARTIES, THEMES, store, tilburg

__all__ = ["PARTIES", "THEMES", "store", "tilburg"]
