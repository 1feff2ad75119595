"""Entry point of `python -m timeline`."""

import sys

from timeline.cli import main

sys.exit(main())
