"""Guards: the conditions of good cooperation, as frozen data (a public namespace).

A guard is a frozen attrs value with a stable `kind` name and its parameters. Called with a
snapshot, the settings and the time of evaluation, it returns a `GuardResult` saying whether it
holds and, when it does not, which party failed and why. Guards never read the clock or do I/O,
so evaluating them has no side effects. The factories are the way to write one; the classes
behind them are private. Each family of guards is one private module (``_scores``, ``_facts``,
``_cooperation``, ``_conditions``, ``_combinators``) that names its factories in its own
``__all__``; this namespace is their union, so a new guard kind is written in its family's
module alone.

The *generic* guards read a process's own words (its `Vocabulary`): `score`, `mean_score` and
`fact`, with the conditions `score_below` and `fact_revoked`. Each takes ``parties=``: ``"all"``
(the default), ``"any"``, a list of party ids, or ``{"tag": ...}``, ``{"sector": ...}``,
``{"role": ...}``. The seed's named guards (`trust`, `energy`, ...) are built on them.

A *condition* is a guard of an automatic regression: ``passed`` means it holds, and
``failures`` lists the findings that make it hold.

A custom guard is an attrs class registered with `register`, with its own messages; it may
also define ``problems(vocabulary, settings)`` (checked when a process is built) and
``witness(snapshot, settings, holds)`` (events that make it hold or fail, so that the checker's
paths through it replay), and declare ``reads``, the registers it reads (so that the engine
skips it after an event that writes none of them). See the page "Your own process" of the
documentation.

Example:
    >>> import coopflow as cf
    >>> from coopflow import guards
    >>> p = cf.default_process()
    >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
    >>> result = guards.trust()(t.snapshot, p.settings, t.snapshot.at)
    >>> result.passed, [f.key for f in result.failures]
    (False, ['score_missing', 'score_missing'])
"""

from typing import TypeAlias as _TypeAlias

from coopflow.guards import _combinators, _conditions, _cooperation, _facts, _scores
from coopflow.guards._combinators import *  # noqa: F403
from coopflow.guards._conditions import *  # noqa: F403
from coopflow.guards._cooperation import *  # noqa: F403
from coopflow.guards._facts import *  # noqa: F403
from coopflow.guards._registry import Guard as Guard
from coopflow.guards._registry import kinds as kinds
from coopflow.guards._registry import register as register
from coopflow.guards._scores import *  # noqa: F403
from coopflow.guards._select import Parties as _Parties

Parties: _TypeAlias = _Parties
"""What ``parties=`` takes: "all", "any", party ids, or {"tag" | "sector" | "role": id}."""

_FAMILIES = (_scores, _facts, _cooperation, _conditions, _combinators)

__all__ = sorted(  # the union of the families' factories
    ["Guard", "Parties", "kinds", "register", *(name for f in _FAMILIES for name in f.__all__)],
    key=lambda name: (0 if name.isupper() else 1 if name[0].isupper() else 2, name),
)
