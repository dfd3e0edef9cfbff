"""Trajectories as JSON: one private cattrs converter, and a loader that trusts nothing.

A serialised trajectory holds its history and its snapshot. Loading replays the history on the
given process and checks that it arrives at the stored snapshot, so a document that was edited,
or that belongs to another process, is refused with `TrajectoryError` instead of half-loaded.
"""

import json
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any, get_origin

import cattrs
from cattrs.strategies import configure_tagged_union

from coopflow._events import Event, Started
from coopflow._process import Process
from coopflow._results import Record
from coopflow._snapshot import Snapshot
from coopflow._trajectory import Trajectory
from coopflow.exceptions import CoopflowError, InvalidEventError, TrajectoryError

FORMAT = 1
"""The version of the serialised format; it changes whenever the format does."""


def _structure_datetime(value: Any, _: type) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not an ISO 8601 time")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise InvalidEventError("at", value, "must be timezone-aware")
    return moment


def _structure_decimal(value: Any, _: type) -> Decimal:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not an amount written as text")
    return Decimal(value)


def _structure_text(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _make_converter() -> cattrs.Converter:
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(datetime, _structure_datetime)
    converter.register_unstructure_hook(Decimal, str)
    converter.register_structure_hook(Decimal, _structure_decimal)
    converter.register_structure_hook(str, _structure_text)
    converter.register_unstructure_hook_func(
        lambda cls: get_origin(cls) is frozenset,  # type: ignore[comparison-overlap]
        lambda value: sorted(value),
    )
    converter.register_unstructure_hook_func(
        lambda cls: get_origin(cls) is Mapping,  # type: ignore[comparison-overlap]
        lambda mapping: dict(mapping),
    )
    configure_tagged_union(
        Event | Started,
        converter,
        tag_name="type",
        tag_generator=lambda cls: cls.__name__,
    )
    return converter


_CONVERTER = _make_converter()


def to_dict(trajectory: Trajectory) -> dict[str, Any]:
    """A trajectory as plain JSON-ready data: format, process, id, title, snapshot, history.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> sorted(cf.to_dict(t))
        ['format', 'history', 'id', 'kind', 'process', 'snapshot', 'title']
    """
    if not isinstance(trajectory, Trajectory):
        raise InvalidEventError("trajectory", trajectory, "must be a Trajectory")
    return {
        "format": FORMAT,
        "kind": "trajectory",
        "process": {"id": trajectory.process.id, "version": trajectory.process.version},
        "id": trajectory.id,
        "title": trajectory.title,
        "snapshot": _CONVERTER.unstructure(trajectory.snapshot, Snapshot),
        "history": _CONVERTER.unstructure(trajectory.history, tuple[Record, ...]),
    }


def from_dict(data: Any, *, process: Process) -> Trajectory:
    """Rebuild a trajectory from `to_dict` data by replaying its history on `process`.

    Raises:
        TrajectoryError: the data is not a serialised trajectory of this process, or was changed.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process()
        >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
        >>> cf.from_dict(cf.to_dict(t), process=p) == t
        True
    """
    if not isinstance(data, Mapping):
        raise TrajectoryError("a serialised trajectory is a JSON object")
    if data.get("format") != FORMAT or data.get("kind") != "trajectory":
        raise TrajectoryError(
            f"unsupported document: format {data.get('format')!r}, kind {data.get('kind')!r}"
        )
    expected = {"id": process.id, "version": process.version}
    if data.get("process") != expected:
        raise TrajectoryError(
            f"the trajectory belongs to process {data.get('process')!r}, not {expected!r}"
        )
    try:
        history = _CONVERTER.structure(data["history"], tuple[Record, ...])
        snapshot = _CONVERTER.structure(data["snapshot"], Snapshot)
    except CoopflowError as error:
        raise TrajectoryError(f"the document holds bad data: {error}") from error
    except (cattrs.BaseValidationError, KeyError, TypeError, ValueError, ArithmeticError) as error:
        raise TrajectoryError(f"the document is not a valid trajectory: {error!r}") from error
    trajectory = Trajectory.replay(process, history)
    if trajectory.snapshot != snapshot:
        raise TrajectoryError("the stored snapshot differs from what the history replays to")
    if trajectory.id != data.get("id") or trajectory.title != data.get("title"):
        raise TrajectoryError("the stored id or title differs from the start record")
    return trajectory


def dumps(trajectory: Trajectory, *, indent: int | None = None) -> str:
    """A trajectory as JSON text.

    Example:
        >>> import coopflow as cf
        >>> t = cf.Trajectory.start(cf.default_process(), parties=[cf.Party("a"), cf.Party("b")])
        >>> cf.dumps(t).startswith('{"format": 1')
        True
    """
    return json.dumps(to_dict(trajectory), indent=indent, ensure_ascii=False)


def loads(text: str | bytes, *, process: Process) -> Trajectory:
    """Load a trajectory from JSON text, replaying its history on `process`.

    Raises:
        TrajectoryError: the text is not a serialised trajectory of this process.

    Example:
        >>> import coopflow as cf
        >>> p = cf.default_process()
        >>> t = cf.Trajectory.start(p, parties=[cf.Party("a"), cf.Party("b")])
        >>> cf.loads(cf.dumps(t), process=p) == t
        True
    """
    if not isinstance(process, Process):
        raise TrajectoryError(f"process {process!r} is not a coopflow Process")
    try:
        data = json.loads(text)
    except (TypeError, ValueError) as error:
        raise TrajectoryError(f"not JSON: {error}") from error
    return from_dict(data, process=process)
