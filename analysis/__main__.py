"""``python -m analysis`` runs the ``halfyear`` command."""

import sys

from analysis.cli import main

sys.exit(main())
