"""``python -m coachflow``: the command line."""

import sys

from coachflow._cli import main

sys.exit(main())
