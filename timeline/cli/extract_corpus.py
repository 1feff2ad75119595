"""Extract every article of an archive to a Parquet dataset, on Dask.

Candidate events from every article (files, folders of *.txt, or glob patterns), extracted on a
local Dask cluster or an existing one, into a folder of Parquet parts: one row per candidate.
The same input gives the same bytes; articles already in the output (same path, same content)
are skipped; an article that cannot be read, decoded or dated is reported and the rest goes on.
Needs: pip install -r requirements-corpus.txt
"""

from __future__ import annotations

import argparse
import os
import sys

from timeline.cli import output
from timeline.cli.output import UsageError
from timeline.words import plural

BAR_WIDTH = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `extract-corpus`."""
    parser.add_argument("paths", nargs="+", metavar="PATH_OR_GLOB", help="articles")
    parser.add_argument(
        "--out", required=True, metavar="DIR", help="the dataset folder, e.g. candidates.parquet"
    )
    parser.add_argument(
        "--dates",
        metavar="CSV",
        help="sidecar CSV with columns path,published,outlet,url (paths relative to the CSV)",
    )
    output.add_day_argument(
        parser,
        "--published",
        "publication date of articles that neither --dates nor a leading 'date YYYY-MM-DD' "
        "line dates",
    )
    parser.add_argument(
        "--events",
        metavar="EVENTS_YAML",
        help="events file for places, actors and stories (default: ./events.yaml if present)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="processes of the local cluster (default: one per core; 0: no Dask, this process)",
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="an existing Dask scheduler, e.g. tcp://host:8786"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(arguments: argparse.Namespace) -> int:
    """Extract the corpus and print its summary; 1 if any article failed (the rest is written)."""
    from timeline.corpus import (
        CorpusError,
        Failure,
        Job,
        MissingDependency,
        expand,
        extract_corpus,
        plan_jobs,
        read_dates,
    )

    if arguments.workers < 0:
        raise UsageError(f"--workers must be 0 or more, not {arguments.workers}")
    events = arguments.events
    if events is None and os.path.isfile(output.DEFAULT_FILE):
        events = output.DEFAULT_FILE
    if events is not None and not os.path.isfile(events):
        output.problems(f"{events}: error: cannot read the events file: no such file")
        return 1
    unreadable: list[Failure] = []

    def plan() -> list[Job]:
        # run by extract_corpus while the local cluster's worker processes start
        dates = read_dates(arguments.dates) if arguments.dates else {}
        jobs, failures = plan_jobs(paths, dates, arguments.published)
        unreadable.extend(failures)
        return jobs

    try:
        paths = expand(arguments.paths)
        if not paths:
            raise CorpusError(
                f"no articles found in {' '.join(arguments.paths)} (expected files, folders "
                "of *.txt files or glob patterns)"
            )
        summary = extract_corpus(
            plan,
            arguments.out,
            events,
            workers=arguments.workers,
            scheduler=arguments.scheduler,
            progress=None if arguments.quiet else _progress,
        )
    except MissingDependency as error:
        output.problems(f"timeline extract-corpus: error: {error}")
        return 1
    except CorpusError as error:
        output.problems(str(error) if ": error: " in str(error) else f"timeline: error: {error}")
        return 1
    failures = unreadable + summary.failures
    output.problems(*(f"{failure.path}: error: {failure.reason}" for failure in failures))
    output.results(
        f"{arguments.out}: {plural(summary.extracted, 'article')} extracted, "
        f"{plural(summary.candidates, 'candidate')}, {summary.skipped:,} already done, "
        f"{plural(len(failures), 'failure')} ({summary.seconds:.1f} s)"
    )
    return 1 if failures else 0


def _progress(done: int, total: int) -> None:
    # stderr, rewritten in place: stdout stays the summary alone
    if not sys.stderr.isatty():
        return
    filled = BAR_WIDTH * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} batches")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
