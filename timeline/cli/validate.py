"""`validate [FILE]`: every problem of an events file with its position, then a summary line."""

from __future__ import annotations

import argparse

from timeline.cache import load_timeline_cached
from timeline.cli import output
from timeline.words import summary


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `validate` to the sub-commands."""
    parser = commands.add_parser(
        "validate",
        help="check an events file and report every problem with its position",
        description="Check an events file and report every problem at once, then a summary "
        "line. The report is the command's result, so all of it goes to stdout; the exit "
        "status is 1 if there is an error (warnings alone: 0).",
    )
    parser.add_argument("file", nargs="?", default=output.DEFAULT_FILE, help="default: events.yaml")
    return parser


def run(arguments: argparse.Namespace) -> int:
    """Print the report; 0 valid (warnings allowed), 1 any error."""
    # Cached like the dashboard's loads: an unchanged file is not read again, an edited one
    # only where it changed.
    timeline = load_timeline_cached(arguments.file)
    output.results(*timeline.problems, summary(timeline))
    return 0 if timeline.ok else 1
