"""`python -m coopflow`: the same as the `coopflow` command."""

import sys

from coopflow.cli import main

sys.exit(main())
