"""``python -m tests.bad_inputs [CASE ...] [--json FILE]``: run the corpus, print the counts."""

import sys

from .runner import main

sys.exit(main())
