"""Where commands write: results to stdout, problems and warnings to stderr (see timeline.cli)."""

from __future__ import annotations

import contextlib
import os
import sys

DEFAULT_FILE = "events.yaml"  # the file every command reads or writes when none is named


class UsageError(Exception):
    """The arguments parse, but do not make sense together."""


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
