"""A timing fuzz of the trajectory loader: which mutated documents take longest to refuse?

Run it with ``.venv/bin/python -m benchmarks.slow_documents [EXAMPLES]`` from the project root.
It is a report, not a test. It draws ``EXAMPLES`` (default 3,000) mutated golden trajectory
documents with the strategies of tests/test_fuzz_loaders.py, times ``cf.loads`` on each, and
prints the five slowest with what became of them.

This is how the slow documents of issue 9 were found: a history turned into a string (or a
list) of some 20,000 items made cattrs' detailed validation build one exception per item and
group them, taking seconds; the converter now fails at the first error and refuses text where
a list belongs, and the slowest document takes a fraction of a second.
"""

import json
import sys
import time
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings

import coopflow as cf
from tests import test_fuzz_loaders as fuzz

WORST = 5


def main(examples: int) -> None:
    """Time `examples` mutated documents and print the slowest."""
    worst: list[tuple[float, str, int]] = []

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(fuzz.mutated(fuzz.TRAJECTORY_DOCUMENTS))
    def run(document: Any) -> None:
        text = json.dumps(document, ensure_ascii=False)
        start = time.perf_counter()
        try:
            cf.loads(text, process=fuzz.PROCESS)
            outcome = "loaded"
        except cf.CoopflowError as error:
            outcome = f"{type(error).__name__}: {str(error)[:100]}"
        worst.append((time.perf_counter() - start, outcome, len(text)))
        worst.sort(reverse=True)
        del worst[WORST:]

    run()
    for seconds, outcome, size in worst:
        print(f"{seconds:8.3f} s  {size:8d} chars  {outcome}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3_000)
