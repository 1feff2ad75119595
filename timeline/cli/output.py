"""How commands are made and where they write: one parser shape for all, results to stdout,
problems and warnings to stderr (see timeline.cli)."""

from __future__ import annotations

import argparse
import contextlib
import difflib
import inspect
import os
import re
import sys
from datetime import date
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from timeline.intake import IntakePlan

DEFAULT_FILE = "events.yaml"  # the file every command reads or writes when none is named
EXIT_STATUS = (
    "exit status: 0 done, 1 invalid input or refused (nothing written), 2 usage error or\n"
    "internal error (a bug: please report it); "
    "results go to stdout, problems to stderr"
)


class UsageError(Exception):
    """The arguments parse, but do not make sense together."""


def command(commands: argparse._SubParsersAction, module: ModuleType) -> argparse.ArgumentParser:
    """The parser of the command a module of timeline.cli implements, named after the module
    (`add_article` is `add-article`): the first line of its docstring in the list of commands,
    the whole docstring atop its --help, the exit statuses below it; options are never
    abbreviated. The module then adds its arguments."""
    name = module.__name__.rsplit(".", 1)[-1].replace("_", "-")
    text = inspect.cleandoc(module.__doc__ or name)  # (python -OO drops docstrings)
    return commands.add_parser(
        name,
        help=text.splitlines()[0].rstrip("."),
        description=text,
        epilog=EXIT_STATUS,
        formatter_class=argparse.RawDescriptionHelpFormatter,  # the docstring's lines as written
        # an abbreviation that works today would break the day an option with its prefix is added
        allow_abbrev=False,
    )


def add_dry_run(parser: argparse.ArgumentParser, shows: str) -> None:
    """Add `--dry-run`: show what would change (`shows` says how), write nothing."""
    parser.add_argument("--dry-run", action="store_true", help=f"{shows}; write nothing")


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


def refused(where: str, error: Exception) -> None:
    """Write why an operation was refused: `where: error: ` and the error's first line, then
    its other lines (the positioned problems a rejected write lists) as they are."""
    first, *rest = str(error).splitlines() or [type(error).__doc__ or type(error).__name__]
    problems(f"{where}: error: {first}", *rest)


def intake(plan: IntakePlan, name: str, article: str, changes: str, dry_run: bool) -> None:
    """Write what taking articles in did (its summary and the lines that changed) or, for a
    dry run, would do: the change as a unified diff, then the summary as a `# ` line."""
    summary = plan.summary(name, article)
    if dry_run:
        old, new = (_lines(raw.decode("utf-8-sig")) for raw in (plan.data, plan.new_data))
        data("".join(map(_ended, difflib.unified_diff(old, new, name, name))))
        results(f"# {summary}; dry run, nothing written")
    else:
        results(f"{summary}; {changes}" if plan.changed else summary)


def _lines(text: str) -> list[str]:
    # Split at newlines only: a U+2028 inside a quoted value is not where a line of the file ends.
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def _ended(line: str) -> str:
    # A last line without its newline would run into the diff's next line (as diff -u marks it).
    return line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n"


def drop_stdout() -> None:
    """Point stdout at /dev/null once its reader has gone, so no later flush fails again."""
    # Without a file descriptor (stdout captured in-process) there is nothing left to flush.
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
