"""Append the rows of an ACLED-style CSV to an events file as new events.

ACLED rows become events (origin imported, status reported), with the source they are quoted
from when the file has none, in one write. No existing line changes; ids already present are
skipped, so running it twice adds nothing. See docs/export.md for the mapping.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from timeline.acled import DEFAULT_SOURCE_ID, import_acled
from timeline.cli import output
from timeline.errors import InvalidTimeline, TimelineError
from timeline.words import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `import-acled`."""
    parser.add_argument("csv_file", metavar="FILE.csv", help="an ACLED-style CSV export")
    output.add_into_file(parser)
    parser.add_argument(
        "--story",
        action="append",
        default=[],
        dest="stories",
        metavar="ID",
        help="story id of the new events (repeat for several; default: none); it must exist",
    )
    parser.add_argument(
        "--source-id",
        default=DEFAULT_SOURCE_ID,
        help="id of the source the ACLED rows are quoted from, added if missing (default: acled)",
    )
    output.add_day_argument(
        parser,
        "--published",
        "when the source is added: the day the export was downloaded (default: the latest "
        "event_date of the rows)",
    )
    output.add_dry_run(parser, "print the events as YAML")


def run(arguments: argparse.Namespace) -> int:
    """Import the rows; 0 imported (or nothing new), 1 on any problem (nothing written)."""
    into, csv_name = arguments.into, Path(arguments.csv_file).name
    try:
        plan = import_acled(
            arguments.csv_file,
            into,
            arguments.source_id,
            arguments.stories,
            arguments.dry_run,
            arguments.published,
        )
    except InvalidTimeline as error:
        errors = [problem for problem in error.problems if problem.is_error]
        output.problems(*errors, f"{into}: nothing added: {plural(len(errors), 'error')}")
        return 1
    except TimelineError as error:
        output.problems(f"{into}: error: {error}", f"{into}: nothing added")
        return 1
    output.problems(*plan.warnings)
    added, skipped = plural(len(plan.added), "event"), f"{len(plan.skipped):,} already present"
    registered = f"; source '{plan.source['id']}' added to sources" if plan.source else ""
    if arguments.dry_run:
        output.data("".join(plan.blocks))
        output.results(
            f"# {into}: would add {added} from {csv_name} ({skipped}){registered}; nothing "
            "written (--dry-run)"
        )
    elif plan.added:
        output.results(f"{into}: added {added} from {csv_name} ({skipped}){registered}")
    else:
        output.results(f"{into}: nothing to add from {csv_name} ({skipped})")
    return 0
