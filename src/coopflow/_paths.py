"""Paths through a process: what the checker reports, and how a path becomes a real trajectory."""

import re
from datetime import UTC, datetime

import attrs

from coopflow._events import Event, Fire, Party
from coopflow._process import Process, Transition
from coopflow._text import Phrase, shown
from coopflow._trajectory import Trajectory
from coopflow._witness import witness
from coopflow.exceptions import CoopflowError, TrajectoryError

_ARROW = re.compile(r"^-\[([~+]?)([^\]]+)\]->$")
_REPLAYED_AT = datetime(2000, 1, 1, tzinfo=UTC)


@attrs.frozen
class Step:
    """One transition of a path: its trigger, source and destination, and how it happened.

    An ``automatic`` step is a regression. A ``chained`` step happened within the same event as
    the step before it (the engine tries the regressions again after each one); an automatic step
    that is not chained was caused by a data event of its own.

    Example:
        >>> import coopflow as cf
        >>> str(cf.Step("form_culture", "exploring", "building_culture"))
        '-[form_culture]-> building_culture'
    """

    trigger: str
    source: str
    dest: str
    automatic: bool = attrs.field(kw_only=True, default=False)
    chained: bool = attrs.field(kw_only=True, default=False)

    def __str__(self) -> str:
        mark = ("+" if self.chained else "~") if self.automatic else ""
        return f"-[{mark}{self.trigger}]-> {self.dest}"


@attrs.frozen
class Path:
    """A sequence of transitions from a start state; `len(path)` counts the transitions.

    Its text form reads ``signing -[~breach_culture]-> building_culture -[form_culture]-> ...``:
    ``~`` marks an automatic transition caused by a data event, ``+`` one that followed the
    step before within the same event; `Path.parse` reads it back. A path `check` found also
    holds the real `events` (and `parties`) that produced it, and replays them exactly; it may
    end within one event (a state the engine passes without resting in it).

    Example:
        >>> import coopflow as cf
        >>> path = cf.Path.parse("exploring -[stall]-> stalled -[resume]-> exploring")
        >>> len(path), path.final_state
        (2, 'exploring')
        >>> path.replay(cf.default_process()).state
        'exploring'
    """

    start: str
    steps: tuple[Step, ...] = ()
    events: tuple[Event, ...] = attrs.field(default=(), kw_only=True, eq=False, repr=False)
    parties: tuple[Party, ...] | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False
    )

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        return " ".join([self.start, *(str(step) for step in self.steps)])

    @property
    def final_state(self) -> str:
        """The state the path ends in."""
        return self.steps[-1].dest if self.steps else self.start

    @property
    def states(self) -> tuple[str, ...]:
        """Every state the path passes, its start included."""
        return (self.start, *(step.dest for step in self.steps))

    @classmethod
    def parse(cls, text: str) -> "Path":
        """Read the text form that ``str(path)`` writes.

        Raises:
            TrajectoryError: the text is not a path.

        Example:
            >>> import coopflow as cf
            >>> cf.Path.parse("signing -[~breach_culture]-> building_culture").steps[0].automatic
            True
        """
        tokens = text.split() if isinstance(text, str) else []
        arrows = [match for token in tokens[1::2] if (match := _ARROW.match(token))]
        if not tokens or len(tokens) % 2 == 0 or len(arrows) != len(tokens) // 2:
            raise TrajectoryError(
                Phrase("{text} is not a path like 'exploring -[stall]-> stalled'", text=shown(text))
            )
        start = tokens[0]
        steps: list[Step] = []
        here = start
        for arrow, dest in zip(arrows, tokens[2::2], strict=True):
            mark = arrow.group(1)
            steps.append(
                Step(arrow.group(2), here, dest, automatic=bool(mark), chained=mark == "+")
            )
            here = dest
        return cls(start, tuple(steps))

    def replay(
        self,
        process: Process,
        *,
        parties: tuple[Party, ...] | None = None,
        at: datetime = _REPLAYED_AT,
    ) -> Trajectory:
        """Build a real trajectory that follows this path, using only public events.

        A path that holds its `events` records them again, with its `parties` (the steps must
        come out the same; after the last step, the same event may go on to other states).
        Otherwise, before each manual step, the witnesses of its transition's guards are
        recorded and the trigger is fired; an automatic step is caused by recording the witness
        of its condition.

        Args:
            process: the process to follow.
            parties: who takes part (default: two parties, ``party-a`` and ``party-b``).
            at: the time of every event (default: a fixed time, so replays are repeatable).

        Raises:
            TrajectoryError: the path does not fit the process, a guard has no witness, or the
                engine ends somewhere else than the path says.

        Example:
            >>> import coopflow as cf
            >>> p = cf.default_process()
            >>> cf.Path.parse("exploring -[form_culture]-> building_culture").replay(p).state
            'building_culture'
        """
        if self.events and self.parties is not None and parties in (None, self.parties):
            return self._replay_events(process, self.parties, at)
        members = parties or (Party("party-a"), Party("party-b"))
        t = Trajectory.start(process, parties=members, title=str(self), at=at)
        if t.state != self.start:
            raise TrajectoryError(
                Phrase(
                    "the path starts in {start}, the process in {state}",
                    start=shown(self.start),
                    state=shown(t.state),
                )
            )
        for index, step in enumerate(self.steps):
            previous = self.steps[index - 1].dest if index else self.start
            if step.source != previous:
                raise TrajectoryError(
                    Phrase(
                        "step {value} leaves {source}, not {previous}",
                        value=index + 1,
                        source=shown(step.source),
                        previous=shown(previous),
                    )
                )
        index = 0
        while index < len(self.steps):
            step = self.steps[index]
            group = [step]
            while index + len(group) < len(self.steps) and self.steps[index + len(group)].chained:
                group.append(self.steps[index + len(group)])
            # One event causes the whole group; make the later regressions' conditions hold
            # before the event that sets the group off.
            witnessed = [_transition(process, member) for member in reversed(group)]
            seen = len(t.history)
            try:
                for part in witnessed:
                    for guard in part.guards:
                        for event in witness(guard, t.snapshot, process.settings, True):
                            t.record(event, at=at, actor="coopflow.replay")
                if not step.automatic:
                    t.fire(step.trigger, at=at, actor="coopflow.replay")
            except TrajectoryError:
                raise
            except CoopflowError as error:
                raise TrajectoryError(
                    Phrase(
                        "step {value} ({step}) cannot be replayed: {error}",
                        value=index + 1,
                        step=step,
                        error=error,
                    )
                ) from error
            # Witnesses and triggers may set off a chain of regressions: each must be on the path.
            made = [
                Step(tr.trigger, tr.source, tr.dest, automatic=tr.automatic, chained=position > 0)
                for record in t.history[seen:]
                for position, tr in enumerate(record.transitions)
            ]
            if not made:
                raise TrajectoryError(
                    Phrase(
                        "step {value} ({step}) did not happen on the engine",
                        value=index + 1,
                        step=step,
                    )
                )
            for taken in made:
                if index >= len(self.steps) or taken != self.steps[index]:
                    expected = self.steps[index] if index < len(self.steps) else Phrase("the end")
                    raise TrajectoryError(
                        Phrase(
                            "the engine took {source} {taken} where the path says {expected}",
                            source=taken.source,
                            taken=taken,
                            expected=expected,
                        )
                    )
                index += 1
        return t

    def _replay_events(
        self, process: Process, parties: tuple[Party, ...], at: datetime
    ) -> Trajectory:
        t = Trajectory.start(process, parties=parties, title=str(self), at=at)
        made: list[Step] = []
        for number, event in enumerate(self.events):
            try:
                if isinstance(event, Fire):
                    t.fire(event.trigger, at=at, actor="coopflow.replay")
                else:
                    t.record(event, at=at, actor="coopflow.replay")
            except CoopflowError as error:
                raise TrajectoryError(
                    Phrase(
                        "event {value} ({event}) cannot be replayed: {error}",
                        value=number + 1,
                        event=shown(event),
                        error=error,
                    )
                ) from error
            transitions = t.history[-1].transitions
            made += [
                Step(tr.trigger, tr.source, tr.dest, automatic=tr.automatic, chained=position > 0)
                for position, tr in enumerate(transitions)
            ]
        rest = made[len(self.steps) :]
        if tuple(made[: len(self.steps)]) != self.steps or any(not s.chained for s in rest):
            raise TrajectoryError(
                Phrase(
                    "the engine took {taken} where the path says {expected}",
                    taken=Path(self.start, tuple(made)),
                    expected=self,
                )
            )
        return t


def _transition(process: Process, step: Step) -> Transition:
    for transition in process.transitions:
        if (
            transition.trigger == step.trigger
            and step.source in transition.source
            and transition.dest == step.dest
            and transition.automatic == step.automatic
        ):
            return transition
    raise TrajectoryError(
        Phrase("the process has no transition {source} {step}", source=step.source, step=step)
    )
