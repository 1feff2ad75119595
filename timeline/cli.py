"""The command line: `python -m timeline validate [FILE]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from timeline import acled, export, extract, synth
from timeline.errors import TimelineError
from timeline.load import load_timeline
from timeline.model import Timeline

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


def summary(timeline: Timeline) -> str:
    """One line: what the file holds, or how many problems it has."""
    errors, warnings = len(timeline.errors), len(timeline.warnings)
    if errors:
        counts = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
        stopped = f"; {timeline.stop_notice}" if timeline.stop_notice else ""
        return f"{timeline.path}: invalid: {counts}{stopped}"
    text = (
        f"{timeline.path}: {_plural(len(timeline.events), 'event')}, "
        f"{_plural(len(timeline.sources), 'source')}, {_plural(len(timeline.places), 'place')}, "
        f"{_plural(len(timeline.actors), 'actor')}, {_plural(len(timeline.stories), 'story')}"
    )
    return text + (f" ({_plural(warnings, 'warning')})" if warnings else "")


def _plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count:,} {plural}"


if __name__ == "__main__":
    sys.exit(main())
