"""``python -m analysis.batch``: the ``batch`` subcommand on its own."""

import sys

from analysis.batch.cli import _main

sys.exit(_main())
