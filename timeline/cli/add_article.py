"""Register an article as a source and add its candidate events, in one write.

FILE is registered as a source (new lines at the end of `sources`), its dated candidate events
are extracted and added (status: candidate); a candidate that reports an event already in the
file becomes a further source of it instead. One atomic write; no existing line changes.
Running it again adds nothing. FILE must lie in the events file's folder tree (its path is
kept relative to it).
"""

from __future__ import annotations

import argparse

from timeline.cli import output
from timeline.errors import TimelineError, UnreadableArticle
from timeline.extract import EventsFileError
from timeline.intake import NewArticle, add_article


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `add-article`."""
    parser.add_argument("file", metavar="FILE", help="the article's text file")
    parser.add_argument("--outlet", required=True, metavar="NAME", help="publisher, e.g. BBC News")
    output.add_day_argument(parser, "--published", "publication day", required=True)
    parser.add_argument("--url", help="web address of the article")
    parser.add_argument("--author", metavar="NAME", help="byline")
    output.add_into_file(parser)
    output.add_dry_run(parser, "print the change as a diff")


def run(arguments: argparse.Namespace) -> int:
    """Add the article; 0 done (or nothing new), 1 refused (nothing written)."""
    into = arguments.into
    article = NewArticle(
        arguments.file, arguments.outlet, arguments.published, arguments.url, arguments.author
    )
    try:
        plan, changes = add_article(into, article, arguments.dry_run)
    except EventsFileError as error:
        output.refused(error.path, error)
        return 1
    except UnreadableArticle as error:
        output.refused(arguments.file, error)
        return 1
    except TimelineError as error:
        output.refused(into, error)
        return 1
    output.intake(plan, into, arguments.file, changes, arguments.dry_run)
    return 0
