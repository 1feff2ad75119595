"""`synth`: a valid synthetic events file for benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from timeline.cli import output
from timeline.synth import write_synthetic
from timeline.words import plural


def add_parser(commands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add `synth` to the sub-commands."""
    parser = commands.add_parser("synth", help="write a synthetic events file for benchmarks")
    parser.add_argument("--events", type=int, required=True, help="how many events")
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same file)")
    parser.add_argument("--out", type=Path, required=True, help="the events file to write")
    return parser


def run(arguments: argparse.Namespace) -> int:
    """Write the file and say what it holds; 1 if it cannot be written."""
    try:
        counts = write_synthetic(arguments.events, arguments.seed, arguments.out)
    except OSError as error:
        output.problems(f"{error.filename or arguments.out}: error: cannot write: {error.strerror}")
        return 1
    size = arguments.out.stat().st_size
    output.results(f"{arguments.out}: {plural(counts['events'], 'event')}, {size / 1e6:.1f} MB")
    return 0
