"""The command line: `python -m timeline validate [FILE]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from timeline import acled, export, extract, synth
from timeline.errors import TimelineError
from timeline.load import load_timeline
from timeline.words import summary

DEFAULT_FILE = "events.yaml"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 valid, 1 invalid, 2 usage)."""
    parser = argparse.ArgumentParser(
        prog="python -m timeline", description="Conflict events timeline tools."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    validate = commands.add_parser(
        "validate", help="check an events file and report every problem with its position"
    )
    validate.add_argument("file", nargs="?", default=DEFAULT_FILE, help="default: events.yaml")
    validate.set_defaults(handler=lambda arguments: run_validate(arguments.file))
    synth.register(commands)
    export.register(commands)
    acled.register(commands)
    extract.register(commands)
    arguments = parser.parse_args(argv)
    try:
        return arguments.handler(arguments)
    except TimelineError as error:
        print(f"timeline: error: {error}")
        return 1
    except Exception as error:  # the contract is: no traceback, ever
        print(f"timeline: internal error: {type(error).__name__}: {error} (please report it)")
        return 2


def run_validate(path: str) -> int:
    """Print every problem of an events file, then a summary; 1 if any is an error."""
    timeline = load_timeline(path)
    for problem in timeline.problems:
        print(problem)
    print(summary(timeline))
    return 0 if timeline.ok else 1


if __name__ == "__main__":
    sys.exit(main())
