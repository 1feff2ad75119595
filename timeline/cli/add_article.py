"""`add-article`: one command per new source — registered, extracted and merged in one write."""

from __future__ import annotations

import argparse
import difflib

from timeline.cli import output
from timeline.errors import TimelineError
from timeline.extract import EventsFileError
from timeline.intake import add_article


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `add-article` to the sub-commands."""
    parser = commands.add_parser(
        "add-article",
        help="register an article as a source and add its candidate events, in one write",
        description=(
            "Register FILE as a source (new lines at the end of `sources`), extract its dated "
            "candidate events and add them (status: candidate); a candidate that reports an "
            "event already in the file becomes a further source of it instead. One atomic "
            "write; no existing line changes. Running it again adds nothing. FILE must lie in "
            "the events file's folder tree (its path is kept relative to it)."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the article's text file")
    parser.add_argument("--outlet", required=True, metavar="NAME", help="publisher, e.g. BBC News")
    output.add_day_argument(parser, "--published", "publication day", required=True)
    parser.add_argument("--url", help="web address of the article")
    parser.add_argument("--author", metavar="NAME", help="byline")
    output.add_into_file(parser)
    parser.add_argument(
        "--dry-run", action="store_true", help="print the change as a diff; write nothing"
    )
    return parser


def run(arguments: argparse.Namespace) -> int:
    """Add the article; 0 done (or nothing new), 1 refused (nothing written)."""
    into = arguments.into
    try:
        plan, lines = add_article(
            into,
            arguments.file,
            arguments.outlet,
            arguments.published,
            arguments.url,
            arguments.author,
            arguments.dry_run,
        )
    except EventsFileError as error:
        output.problems(f"{error.path}: error: {error}")
        return 1
    except TimelineError as error:
        # Rejections list positioned problems after their first line, each a line of its own.
        first, *rest = str(error).splitlines() or [type(error).__doc__]
        output.problems(f"{into}: error: {first}", *rest)
        return 1
    summary = plan.summary(into, arguments.file)
    if arguments.dry_run:
        old = plan.data.decode("utf-8-sig").splitlines(keepends=True)
        new = plan.new_data.decode("utf-8-sig").splitlines(keepends=True)
        output.data("".join(difflib.unified_diff(old, new, into, into)))
        output.results(f"# {summary}; dry run, nothing written")
    elif plan.changed:
        output.results(f"{summary}; {lines}")
    else:
        output.results(summary)
    return 0
