"""Write a synthetic events file or article corpus for benchmarks."""

from __future__ import annotations

import argparse
from pathlib import Path

from timeline.cli import output
from timeline.synth import write_articles, write_synthetic
from timeline.words import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `synth`."""
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--events", type=int, help="how many events (--out: the events file)")
    what.add_argument(
        "--articles",
        type=int,
        help="how many articles (--out: a folder; their dates also in OUT/dates.csv)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (same seed, same file)")
    parser.add_argument("--out", type=Path, required=True, help="the file or folder to write")


def run(arguments: argparse.Namespace) -> int:
    """Write the file or folder and say what it holds; 1 if it cannot be written."""
    out = arguments.out
    try:
        if arguments.articles is not None:
            counts = write_articles(arguments.articles, arguments.seed, out)
        else:
            counts = write_synthetic(arguments.events, arguments.seed, out)
    except OSError as error:
        output.problems(f"{error.filename or out}: error: cannot write: {error.strerror}")
        return 1
    if arguments.articles is not None:
        output.results(
            f"{out}: {plural(counts['articles'], 'article')} "
            f"({plural(counts['sentences'], 'sentence')}), dates in {out / 'dates.csv'}"
        )
        return 0
    size = out.stat().st_size
    output.results(f"{out}: {plural(counts['events'], 'event')}, {size / 1e6:.1f} MB")
    return 0
