"""The seed's example as a script: Gemeente Tilburg and Tilburg University.

Run it with ``python examples/tilburg.py`` (add ``--lang nl`` for Dutch). The story itself, the
events recorded at each step, lives in `coopflow.demo`, so ``coopflow demo`` tells the same one.
"""

import sys

from coopflow.cli import main

if __name__ == "__main__":
    sys.exit(main(["demo", *sys.argv[1:]]))
