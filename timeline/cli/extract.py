"""`extract`: dated event candidates from articles, printed or appended to an events file."""

from __future__ import annotations

import argparse
import os

from timeline.cli import output
from timeline.cli.output import UsageError
from timeline.errors import TimelineError
from timeline.extract import (
    FORMATS,
    EventsFileError,
    extract,
    find_events_file,
    load_events_file,
    mention_rows,
    merge,
    read_articles,
    render,
)

# extract_corpus still imports the day type from here.
_day = output.day


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `extract` to the sub-commands."""
    parser = commands.add_parser(
        "extract",
        help="find dated event candidates in articles; print them or add them to events.yaml",
        description=(
            "Find temporal expressions in articles, resolve them against the publication date "
            "and print one row per expression with its candidate event (JSON or YAML), or "
            "append the candidates to an events file."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="article text files")
    output.add_day_argument(
        parser,
        "--published",
        "publication date of every FILE (default: a leading 'date YYYY-MM-DD' line, "
        "else the events file's source whose file is FILE)",
    )
    parser.add_argument("--format", choices=FORMATS, default="json", help="default: json")
    parser.add_argument(
        "--events",
        metavar="EVENTS_YAML",
        help="events file for sources, places, actors and stories (default: the --into file, "
        "else ./events.yaml, else the nearest events.yaml above the first FILE)",
    )
    parser.add_argument("--into", metavar="EVENTS_YAML", help="append new candidates to this file")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="with --into: print the YAML that would be added, write nothing",
    )
    return parser


def run(arguments: argparse.Namespace) -> int:
    """Print the rows or merge the candidates; 1 if an article or the events file has problems.

    Without --into, the articles that could be read are still printed when others fail.
    """
    into = arguments.into
    if arguments.dry_run and not into:
        raise UsageError("--dry-run needs --into EVENTS_YAML")
    if into and arguments.events and os.path.realpath(into) != os.path.realpath(arguments.events):
        raise UsageError(
            "--events and --into name different files (the file merged into is the one read)"
        )
    try:
        path = find_events_file(into or arguments.events, arguments.files)
        timeline, warning = load_events_file(path, must_be_valid=bool(into))
        if warning is not None:
            output.problems(warning)
        articles, problems = read_articles(arguments.files, arguments.published, timeline)
        output.problems(*problems)
        if into and problems:
            output.problems(f"{into}: error: nothing added (fix the articles above)")
            return 1
        events = extract(articles, timeline)
        if not into:
            output.data(render(mention_rows(events), arguments.format))
            return 1 if problems else 0
        blocks, summary = merge(into, events, timeline, arguments.dry_run)
        if arguments.dry_run:
            output.data("".join(blocks))
            output.results(f"# {summary}")
        else:
            output.results(summary)
        return 0
    except EventsFileError as error:
        output.problems(f"{error.path}: error: {error}")
    except TimelineError as error:
        # Rejections list positioned problems after their first line, each a line of its own.
        first, *rest = str(error).splitlines() or [type(error).__doc__]
        output.problems(f"{into or 'timeline extract'}: error: {first}", *rest)
    return 1
