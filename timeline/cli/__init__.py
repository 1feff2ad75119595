"""The command line, `python -m timeline COMMAND`: one module a command, one convention for all.

- A command is a module here: named after it (`add_article.py` is `add-article`), its docstring
  the command's help, `add_arguments(parser)` its options, `run(arguments)` the command;
  `output.command` makes every command's parser alike.
- stdout carries results: the data asked for (an export, extracted rows) or a summary of what
  was done ("events.yaml: added 7 events ..."). A dry run shows what would change, as a unified
  diff of the file (`add-article`, `extract --into`) or the YAML it would append
  (`import-acled`), then its summary as a `# ` comment line.
- stderr carries problems and warnings, one a line: `file:line:col: error: ...` where there is
  a position, `file: error: ...` where there is only a file.
- `validate`'s problems are its result, the report it was asked for: they go to stdout, then
  the summary line, as linters print their findings (`validate > report.txt` keeps the whole
  report; stderr stays empty).
- Exit status: 0 done; 1 invalid input or a refused operation (nothing written), and also when
  the reader of stdout went away (`| head`), which ends quietly; 2 a usage error (argparse's)
  or an internal error.
- Never a traceback: an unexpected exception is one line on stderr,
  `timeline: internal error: ... (please report it)`, with status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from timeline.cli import (
    add_article,
    export,
    extract,
    extract_corpus,
    import_acled,
    output,
    publish,
    synth,
    validate,
)
from timeline.cli.output import UsageError
from timeline.errors import TimelineError

COMMANDS = (validate, extract, extract_corpus, add_article, export, publish, import_acled, synth)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command; each command's namespace carries its `run` function."""
    parser = argparse.ArgumentParser(
        prog="python -m timeline", description="Conflict events timeline tools."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command_parser = output.command(commands, command)
        command.add_arguments(command_parser)
        command_parser.set_defaults(run=command.run, command_parser=command_parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 done, 1 invalid or refused, 2 usage)."""
    try:
        try:
            return _dispatch(build_parser(), argv)
        finally:
            sys.stdout.flush()  # a closed pipe shows up here, not in the interpreter's last flush
    except BrokenPipeError:
        output.drop_stdout()
        return 1


def _dispatch(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> int:
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments)
    except UsageError as error:
        arguments.command_parser.error(str(error))  # exits with status 2, as argparse does
    except TimelineError as error:
        output.problems(f"timeline: error: {error}")
        return 1
    except BrokenPipeError:
        raise
    except Exception as error:  # the contract is: no traceback, ever
        output.problems(
            f"timeline: internal error: {type(error).__name__}: {error} (please report it)"
        )
        return 2
