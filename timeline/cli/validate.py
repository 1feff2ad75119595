"""Check an events file and report every problem with its position.

Every problem is reported at once, then a summary line. The report is the command's result, so
all of it goes to stdout; the exit status is 1 if there is an error (warnings alone: 0).
"""

from __future__ import annotations

import argparse

from timeline.cache import load_timeline_cached
from timeline.cli import output
from timeline.words import summary


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `validate`."""
    output.add_events_file(parser)


def run(arguments: argparse.Namespace) -> int:
    """Print the report; 0 valid (warnings allowed), 1 any error."""
    # Cached like the dashboard's loads: an unchanged file is not read again, an edited one
    # only where it changed.
    timeline = load_timeline_cached(arguments.file)
    output.results(*timeline.problems, summary(timeline))
    return 0 if timeline.ok else 1
