"""How often `ProcessStateMachine` finds a rule broken only deep in a run, how fast, how short.

Run it from the repository root with ``.venv/bin/python -m benchmarks.stateful_find_rate``
(``--seeds 10 --examples 200`` are the defaults; ``--only "deep precedes"`` runs one process;
``--no-shrink`` stops at the first find, which is much faster: shrinking replays hundreds of
runs).
It is a report, not a test: it prints one line per planted process and seed, then a summary,
and always exits with status 0.

The planted processes are `tests.planted.DEEP_BUGS`: each breaks ``precedes(gate, target)``
only along a bypass of seven guarded steps, at least five of them after the end of any
shortest path the machine can start from (one is guarded by ``completion``, which needs the
checker's ``witness-theme`` closed; one uses a vocabulary's own dimensions, facts and tags; one
has two automatic regressions on the way). For each process and seed the machine runs with
``max_examples`` examples of Hypothesis's default 50 steps, no database, the seed fixed with
`hypothesis.seed`. Reported: found or not, the wall and CPU time (search and shrinking; the
CPU time is the fairer figure on a shared machine), the CPU time until the first run that
breaks the rule, the shrunk
program's number of steps after the shortest path it starts from (a walk of the start or of
``steer`` counts its steps, every other rule one) and the length of the path that breaks the rule.
"""

import argparse
import contextlib
import io
import re
import statistics
import sys
import time

from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis.stateful import get_state_machine_test, invariant

import coopflow as cf
from coopflow.testing import ProcessStateMachine
from tests.planted import DEEP_BUGS, GATE_FIRST

_BROKEN = re.compile(r"rule '[^']+' is broken: (.*)")
_STEPS = re.compile(r"steps=(\d+)")
_FIRST: dict[str, float] = {}


def machine(process: cf.Process) -> type[ProcessStateMachine]:
    """The ready-made stateful test of `process`, checking the rule the deep bugs break."""

    class Deep(ProcessStateMachine, process=process, rules=[GATE_FIRST]):
        @invariant()
        def the_rules_hold(self) -> None:
            try:
                super().the_rules_hold()
            except AssertionError:
                _FIRST.setdefault("found", time.process_time())  # before shrinking begins
                raise

    Deep.__name__ = Deep.__qualname__ = f"Deep_{process.id.replace('-', '_')}"
    return Deep


Row = tuple[bool, float, float, float, int, int]


def run(process: cf.Process, run_seed: int, examples: int, *, shrink: bool = True) -> Row:
    """Found, wall and CPU seconds, CPU seconds to the first find, shrunk steps, path length."""
    options = settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
        phases=list(Phase) if shrink else [Phase.explicit, Phase.generate],
    )
    test = seed(run_seed)(get_state_machine_test(machine(process), settings=options))
    output = io.StringIO()
    _FIRST.clear()
    began, began_cpu = time.perf_counter(), time.process_time()
    try:
        with contextlib.redirect_stdout(output):
            test()
    except AssertionError as error:
        seconds, cpu = time.perf_counter() - began, time.process_time() - began_cpu
        found = _BROKEN.search(str(error))
        if found is None:
            raise
        text = output.getvalue() + "\n".join(getattr(error, "__notes__", []))
        lines = text.splitlines()
        rules = [
            line
            for line in lines
            if line.startswith("state.")
            and not line.startswith(("state.start_from_a_reachable_state", "state.teardown"))
        ]
        # The start's walk and every steer take `steps` steps, every other rule one.
        walks = [int(steps) for steps in _STEPS.findall(text)]
        steps = len(rules) - sum(1 for line in rules if "steer(" in line) + sum(walks)
        first = _FIRST["found"] - began_cpu
        return True, seconds, cpu, first, steps, len(cf.Path.parse(found.group(1)))
    return False, time.perf_counter() - began, time.process_time() - began_cpu, 0.0, 0, 0


def main(argv: list[str] | None = None) -> None:
    """Run every planted process under every seed and print the table and the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--only", action="append", choices=sorted(DEEP_BUGS))
    parser.add_argument(
        "--no-shrink", action="store_true", help="stop at the first find (no shrunk length)"
    )
    arguments = parser.parse_args(argv)
    names = arguments.only or list(DEEP_BUGS)
    print(f"seeds 0..{arguments.seeds - 1}, max_examples={arguments.examples}, {sys.version}")
    total_found = total_runs = 0
    for name in names:
        process = DEEP_BUGS[name]()
        shrink = not arguments.no_shrink
        rows = [run(process, n, arguments.examples, shrink=shrink) for n in range(arguments.seeds)]
        for n, (found, seconds, cpu, first, steps, length) in enumerate(rows):
            shown = f"found, {steps} steps, path {length}" if found else "not found"
            if found and not shrink:
                shown = f"found, path {length}"
            print(
                f"{name:18} seed {n}: {shown:26} {seconds:6.1f} s wall {cpu:6.1f} s CPU"
                f" (found after {first:5.1f} s CPU)",
                flush=True,
            )
        hits = [row for row in rows if row[0]]
        total_found += len(hits)
        total_runs += len(rows)
        wall = statistics.median(row[1] for row in rows)
        cpu = statistics.median(row[2] for row in rows)
        summary = (
            f"{name:18} found {len(hits)}/{len(rows)}, median {wall:.1f} s wall {cpu:.1f} s CPU"
        )
        if hits:
            counted = "shrunk steps" if shrink else "steps (not shrunk)"
            summary += (
                f", to the find median {statistics.median(row[3] for row in hits):.1f} s CPU"
                f", {counted} median {statistics.median(row[4] for row in hits)}"
                f" (max {max(row[4] for row in hits)}),"
                f" path median {statistics.median(row[5] for row in hits)}"
            )
        print(summary, flush=True)
    print(f"all: found {total_found}/{total_runs}")


if __name__ == "__main__":
    main()
