"""Find dated event candidates in articles; print them, or add them to an events file.

Temporal expressions are found and resolved against the publication date; one row per
expression is printed with its candidate event (JSON or YAML). With --into, the candidates go
into the events file instead: a candidate that reports an event already there becomes a further
source of it, the others are appended (status: candidate), in one write that changes no
existing line.
"""

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
    read_articles,
    render,
)
from timeline.intake import plan_candidates, read_events, save, valid_timeline
from timeline.words import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `extract`."""
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
    parser.add_argument(
        "--into",
        metavar="EVENTS_YAML",
        help="add the new candidates to this file, or cite their words in the events they report",
    )
    output.add_dry_run(parser, "with --into: print the change as a diff")


def run(arguments: argparse.Namespace) -> int:
    """Print the rows or take the candidates in; 1 if an article or the events file has
    problems. Without --into, the articles that could be read are still printed when others
    fail."""
    into = arguments.into
    if arguments.dry_run and not into:
        raise UsageError("--dry-run needs --into EVENTS_YAML")
    if into and arguments.events and os.path.realpath(into) != os.path.realpath(arguments.events):
        raise UsageError(
            "--events and --into name different files (the file merged into is the one read)"
        )
    try:
        return _into(arguments) if into else _listing(arguments)
    except EventsFileError as error:
        output.refused(error.path, error)
    except TimelineError as error:
        output.refused(into or "timeline extract", error)
    return 1


def _listing(arguments: argparse.Namespace) -> int:
    path = find_events_file(arguments.events, arguments.files)
    timeline, warning = load_events_file(path, must_be_valid=False)
    if warning is not None:
        output.problems(warning)
    articles, problems = read_articles(arguments.files, arguments.published, timeline)
    output.problems(*problems)
    output.data(render(mention_rows(extract(articles, timeline)), arguments.format))
    return 1 if problems else 0


def _into(arguments: argparse.Namespace) -> int:
    # One read of the file: the candidates are planned against the bytes that are written over.
    into = arguments.into
    data = read_events(into)
    timeline = valid_timeline(data, into)
    articles, problems = read_articles(arguments.files, arguments.published, timeline)
    if problems:
        output.problems(*problems, f"{into}: error: nothing added (fix the articles above)")
        return 1
    plan = plan_candidates(data, into, timeline, extract(articles, timeline))
    changes = "" if arguments.dry_run else save(into, plan)
    files = arguments.files
    what = files[0] if len(files) == 1 else plural(len(files), "article")
    output.intake(plan, into, what, changes, arguments.dry_run)
    return 0
