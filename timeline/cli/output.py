"""Where commands write: results to stdout, problems and warnings to stderr (see timeline.cli)."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from datetime import date

DEFAULT_FILE = "events.yaml"  # the file every command reads or writes when none is named


class UsageError(Exception):
    """The arguments parse, but do not make sense together."""


def day(text: str) -> date:
    """A day given as YYYY-MM-DD (an argparse type: a wrong one is a usage error)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a day (expected YYYY-MM-DD)") from None


def add_day_argument(
    parser: argparse.ArgumentParser, flag: str, help_text: str, *, required: bool = False
) -> None:
    """Add an option that takes one day, YYYY-MM-DD, as a date."""
    parser.add_argument(flag, type=day, required=required, metavar="YYYY-MM-DD", help=help_text)


def add_events_file(parser: argparse.ArgumentParser) -> None:
    """Add the optional positional `file`: the events file to read, events.yaml when omitted."""
    parser.add_argument("file", nargs="?", default=DEFAULT_FILE, help="default: events.yaml")


def add_into_file(parser: argparse.ArgumentParser) -> None:
    """Add `--into`: the events file to write to, events.yaml when omitted."""
    parser.add_argument(
        "--into",
        default=DEFAULT_FILE,
        metavar="EVENTS_YAML",
        help="events file (default: events.yaml)",
    )


def results(*lines: object) -> None:
    """Write result lines to stdout: data, or a summary of what was done."""
    for line in lines:
        print(line)


def data(content: str | bytes) -> None:
    """Write a document to stdout exactly as given (bytes untouched, e.g. CRLF line ends)."""
    if isinstance(content, str):
        sys.stdout.write(content)
        return
    sys.stdout.flush()  # text written before must come first
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()


def problems(*lines: object) -> None:
    """Write problems and warnings to stderr, one a line."""
    for line in lines:
        print(line, file=sys.stderr)


def drop_stdout() -> None:
    """Point stdout at /dev/null once its reader has gone, so no later flush fails again."""
    # Without a file descriptor (stdout captured in-process) there is nothing left to flush.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
