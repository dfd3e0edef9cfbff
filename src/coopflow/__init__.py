"""coopflow: cooperation trajectories between organisations as explained state machines.

A trajectory moves from exploring to operating only when the conditions of good cooperation
hold (common ground, trust, reciprocity, equal standing, energy, an approved agenda, a signed
declaration, roles and money in place), and always says why a step is refused, for which party,
in English or Dutch.

Example:
    >>> import coopflow as cf
    >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
    >>> t.state
    'exploring'
"""

from importlib import metadata as _metadata

from coopflow import _events, guards, rules
from coopflow._check import (
    DEFAULT_PROPERTIES,
    CheckReport,
    ProcessRuleViolation,
    Scope,
    Violation,
    check,
)
from coopflow._default import default_process
from coopflow._events import *  # noqa: F403  (every name of _events.__all__)
from coopflow._examples import example_file, example_names
from coopflow._paths import Path, Step
from coopflow._process import Process, State, Transition
from coopflow._rebase import Change, ChangeKind, Rebased, rebase
from coopflow._registers import (
    AgendaVersion,
    Contribution,
    FactState,
    Interest,
    Registers,
    Score,
)
from coopflow._results import (
    Applied,
    Explanation,
    Failure,
    GuardResult,
    Outcome,
    Record,
    Refused,
    TransitionRecord,
)
from coopflow._serialize import dumps, from_dict, loads, to_dict
from coopflow._settings import Settings
from coopflow._snapshot import Snapshot
from coopflow._trajectory import Trajectory
from coopflow._vocabulary import Fact, Vocabulary
from coopflow.diagram import to_dot, to_mermaid
from coopflow.exceptions import (
    ConflictError,
    CoopflowError,
    GuardError,
    InvalidEventError,
    InvalidProcessError,
    MissingExtraError,
    StoreError,
    TrajectoryError,
    TransitionRefused,
    UnknownNameError,
)
from coopflow.report import portfolio, report

try:
    __version__ = _metadata.version("coopflow")
except _metadata.PackageNotFoundError:  # pragma: no cover - only when run from a bare source tree
    __version__ = "0+unknown"

__all__ = [
    "DEFAULT_PROPERTIES",
    "AgendaVersion",
    "Applied",
    "Change",
    "ChangeKind",
    "CheckReport",
    "ConflictError",
    "Contribution",
    "CoopflowError",
    "Explanation",
    "Fact",
    "FactState",
    "Failure",
    "GuardError",
    "GuardResult",
    "Interest",
    "InvalidEventError",
    "InvalidProcessError",
    "MissingExtraError",
    "Outcome",
    "Path",
    "Process",
    "ProcessRuleViolation",
    "Rebased",
    "Record",
    "Refused",
    "Registers",
    "Scope",
    "Score",
    "Settings",
    "Snapshot",
    "State",
    "Step",
    "StoreError",
    "Trajectory",
    "TrajectoryError",
    "Transition",
    "TransitionRecord",
    "TransitionRefused",
    "UnknownNameError",
    "Violation",
    "Vocabulary",
    "__version__",
    "check",
    "default_process",
    "dumps",
    "example_file",
    "example_names",
    "from_dict",
    "guards",
    "loads",
    "portfolio",
    "rebase",
    "report",
    "rules",
    "to_dict",
    "to_dot",
    "to_mermaid",
]
# The event types are listed once, in coopflow._events: every name of its __all__ is exported.
__all__ += _events.__all__
__all__.sort(key=lambda name: (0 if name.isupper() else 1 if name[0].isupper() else 2, name))
