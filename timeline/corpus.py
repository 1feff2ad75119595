"""A whole news archive extracted to a Parquet dataset of candidates, on Dask or in one process.

Extraction is a pure function of one article and its publication date, so an archive splits
into batches of articles that run anywhere: `extract_corpus` hands the batches to a Dask
cluster (a local cluster of processes, or an existing one by its scheduler address) or, with
`workers=0`, runs them in this process, one after the other. Both paths call `run_batch`,
which writes the batch's rows itself, so their output is the same bytes.

The output is a folder: `part-<hash>.parquet`, one file of candidate rows per batch
(`SCHEMA`), and `_articles/part-<hash>.parquet`, which articles the batch held, by content
hash, with their number of candidates or the reason they failed (Parquet readers skip
`_`-prefixed folders, so the candidates read as one dataset). A part is named after the
paths and content hashes of its articles; rows are in path and text order; the writer's
options are fixed and no time goes into the files: the same input gives the same bytes.
Articles already extracted (same path and content hash) are skipped, so an interrupted run
resumes where it stopped; the part of a failed or changed article is dropped and its articles
are extracted again.

An article that cannot be read, decoded or dated, or whose extraction raises, is a failure
with its reason; the rest of the run goes on.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import importlib.util
import json
import multiprocessing
import os
import resource
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from timeline.articles import decode_article
from timeline.candidates import Article, CandidateEvent
from timeline.errors import TimelineError
from timeline.extract import ExtractionContext, extract
from timeline.load import load_timeline
from timeline.temporal import dateline

# Enough work per task to hide Dask's overhead (a few ms a task), small enough to spread.
BATCH_ARTICLES = 100
# The last batches shrink, each an eighth of the articles left, so that when the work runs out
# no worker is still on a long batch while the others wait (guided self-scheduling; on 2
# workers the wait at the end went from 0.2-0.4 s to 0.02 s). Never below SMALLEST_BATCH:
# under about 10 articles a batch's own cost (a task, two Parquet writes: 2-3 ms) passes a
# tenth of its work.
TAPER = 8
SMALLEST_BATCH = 10
ROW_GROUP_ROWS = 65_536
# Fixed writer options: what makes two runs write the same bytes.
PARQUET_OPTIONS = {
    "compression": "zstd",
    "compression_level": 3,
    "row_group_size": ROW_GROUP_ROWS,
    "use_dictionary": True,
    "write_statistics": True,
    "version": "2.6",
}
ARTICLES_FOLDER = "_articles"
# A local cluster is this command's own engine, and nobody reads its dashboard: it runs without
# the statistical profiler (it walks the running task's stack every 10 ms), with the event
# loops' responsiveness tick every second instead of every 20 ms (it still warns of a loop
# blocked for 3 s) and the system monitor every 5 s instead of 0.5 s. Measured on the synthetic
# archive, these took 5-7% of each worker's CPU on top of the extraction (1-2% without them),
# and 2-3% of a core for the scheduler and nannies (1% without). An existing cluster keeps its
# operator's settings.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}
# A local cluster's workers are forked from a server process started before the articles are
# planned, which imports once what every batch needs: distributed, this module with extraction,
# and the pandas that pyarrow imports on the first table it builds. Spawned, each worker
# imported them itself (1.3-1.5 s of CPU a worker, after the cluster had started) and ended
# with a full interpreter teardown (closing took 0.3-0.6 s, now 0.04 s). The server is a fresh
# interpreter, never a fork of this threaded process; the workers get its environment, not the
# one distributed sets before a spawn (its MALLOC_TRIM_THRESHOLD_ of 64 KiB cost extraction
# 3-5% of its CPU, and there is no numpy work for its OMP_NUM_THREADS=1 to tame).
WORKER_PRELOAD = ["distributed", __name__, "pandas"]
DATES_COLUMNS = ("path", "published", "outlet", "url")

SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("outlet", pa.string()),
        ("url", pa.string()),
        ("published", pa.date32()),
        ("published_from", pa.string()),
        ("candidate", pa.string()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("date", pa.string()),
        ("date_start", pa.date32()),
        ("date_end", pa.date32()),
        ("precision", pa.string()),
        ("title", pa.string()),
        ("category", pa.string()),
        ("story", pa.string()),
        ("places", pa.list_(pa.string())),
        ("actors", pa.list_(pa.string())),
        ("figures", pa.string()),
        ("sentence", pa.string()),
        ("sentence_start", pa.int32()),
        ("sentence_end", pa.int32()),
    ]
)
ARTICLES_SCHEMA = pa.schema(
    [
        ("path", pa.string()),
        ("sha256", pa.string()),
        ("published", pa.date32()),
        ("candidates", pa.int32()),
        ("error", pa.string()),
    ]
)


class CorpusError(TimelineError):
    """The corpus cannot be extracted as asked (no articles, an unreadable dates file)."""


class MissingDependency(TimelineError):
    """An optional package that the corpus tools need is not installed."""


INSTALL_HINT = "pip install -r requirements-corpus.txt"


def require_dask() -> None:
    """Raise MissingDependency, with the install command, when dask or distributed is missing."""
    for name in ("dask", "distributed"):
        # found, not imported: the import (0.3 s) waits until the cluster is made
        if importlib.util.find_spec(name) is None:
            raise MissingDependency(
                f"extract-corpus needs the package '{name}' (install it with: {INSTALL_HINT})"
            )


@dataclass(frozen=True, slots=True)
class Job:
    """One article to extract, with what is known of it before it is read: its date from the
    dates file, else (after the article's own dateline) the date given for every article."""

    path: str
    sha256: str
    published: date | None = None
    outlet: str = ""
    url: str = ""
    fallback: date | None = None


@dataclass(frozen=True, slots=True)
class Failure:
    """An article that gave no candidates because it could not be used, and why."""

    path: str
    reason: str


@dataclass(slots=True)
class BatchResult:
    """What one batch did: its articles, candidates, failures, the CPU time it took and its
    worker's peak memory."""

    part: str
    articles: int
    candidates: int
    failures: list[Failure]
    peak_kb: int
    worker: str
    cpu_seconds: float = 0.0


@dataclass(slots=True)
class Summary:
    """What a run did: articles found, skipped as done, extracted, candidates, failures."""

    found: int
    skipped: int
    extracted: int = 0
    candidates: int = 0
    failures: list[Failure] = field(default_factory=list)
    peak_kb_by_worker: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the batches' own, on whichever workers ran them

    def add(self, result: BatchResult) -> None:
        """Count one finished batch."""
        self.extracted += result.articles - len(result.failures)
        self.candidates += result.candidates
        self.failures += result.failures
        peak = max(self.peak_kb_by_worker.get(result.worker, 0), result.peak_kb)
        self.peak_kb_by_worker[result.worker] = peak
        self.cpu_seconds += result.cpu_seconds


# Which articles, and their publication dates


def expand(patterns: Sequence[str]) -> list[str]:
    """The files that paths and glob patterns name (folders: their *.txt, recursively), sorted,
    each once."""
    found: set[str] = set()
    for pattern in patterns:
        if Path(pattern).is_dir():
            found.update(str(p) for p in Path(pattern).rglob("*.txt"))
        elif glob.has_magic(pattern):
            found.update(p for p in glob.glob(pattern, recursive=True) if Path(p).is_file())
        else:
            found.add(pattern)
    return sorted(os.path.normpath(p) for p in found)


def read_dates(path: str | Path) -> dict[str, tuple[date, str, str]]:
    """A sidecar CSV's rows by resolved article path: (published, outlet, url); its paths are
    relative to the CSV's folder. Raises CorpusError naming the line of a bad row."""
    base = Path(path).parent
    resolve = _resolver()
    rows: dict[str, tuple[date, str, str]] = {}
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in DATES_COLUMNS[:2] if c not in (reader.fieldnames or ())]
            if missing:
                raise CorpusError(
                    f"{path}:1: error: the header has no column {', '.join(missing)} "
                    f"(expected {','.join(DATES_COLUMNS)})"
                )
            for row in reader:
                try:
                    published = date.fromisoformat(row["published"] or "")
                except ValueError:
                    raise CorpusError(
                        f"{path}:{reader.line_num}: error: published '{row['published']}' is "
                        "not a day (expected YYYY-MM-DD)"
                    ) from None
                where = resolve(str(base / row["path"]))
                rows[where] = (published, row.get("outlet") or "", row.get("url") or "")
    except OSError as error:
        raise CorpusError(f"{path}: error: cannot read the dates file: {error.strerror}") from None
    return rows


def plan_jobs(
    paths: Sequence[str], dates: dict[str, tuple[date, str, str]], published: date | None
) -> tuple[list[Job], list[Failure]]:
    """A job per readable file, hashed, with its row of the dates file and `published` as the
    date of last resort; a failure per unreadable file."""
    jobs, failures = [], []
    resolve = _resolver()
    for path in paths:
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            failures.append(Failure(path, f"cannot read the file: {error.strerror}"))
            continue
        day, outlet, url = dates.get(resolve(path), (None, "", ""))
        jobs.append(Job(path, hashlib.sha256(raw).hexdigest(), day, outlet, url, published))
    return jobs, failures


def _resolver() -> Callable[[str], str]:
    """os.path.realpath that resolves each folder once: it checks every folder of a path each
    time, and an archive has thousands of files a folder (10,000 paths: 0.19 s, not 0.05 s)."""
    folders: dict[str, str] = {}

    def resolve(path: str) -> str:
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        return os.path.join(folders[folder], name)

    return resolve


# One batch: what runs on a worker


# Per process: each worker loads the file and builds its lookups once.
_CONTEXTS: dict[tuple[str, str] | None, ExtractionContext] = {}


def events_context(events: str | None) -> ExtractionContext:
    """The events file's timeline (places, actors, stories) and extraction's lookups in it,
    built once per process and file content."""
    key = None
    if events is not None:
        key = (os.path.realpath(events), hashlib.sha256(Path(events).read_bytes()).hexdigest())
    if key not in _CONTEXTS:
        _CONTEXTS[key] = ExtractionContext.of(load_timeline(events) if events else None)
    return _CONTEXTS[key]


def article_events(job: Job, raw: bytes, context: ExtractionContext) -> list[CandidateEvent]:
    """The candidate events of one article; raises TimelineError when it cannot be used."""
    text = decode_article(raw)
    found = dateline(text)
    if job.published is not None:
        article = Article(job.path, text, job.published, "dates file")
    elif found is not None:
        article = Article(job.path, text, found[0], "dateline")
    elif job.fallback is not None:
        article = Article(job.path, text, job.fallback, "--published")
    else:
        raise TimelineError(
            "no publication date known, and none is guessed (give it in --dates, start "
            "the file with a line 'date YYYY-MM-DD', or give --published YYYY-MM-DD)"
        )
    return extract([article], context.timeline, context)


def candidate_rows(job: Job, events: Sequence[CandidateEvent]) -> Iterator[dict]:
    """One row per candidate (its anchor expression as the mention), in text order."""
    for event in events:
        for member in event.members:
            anchor = member.anchor
            yield {
                "path": job.path,
                "sha256": job.sha256,
                "outlet": job.outlet,
                "url": job.url,
                "published": member.article.published,
                "published_from": member.article.published_from,
                "candidate": event.id,
                "text": anchor.text,
                "start": anchor.start,
                "end": anchor.end,
                "date": str(member.date),
                "date_start": anchor.date_start,
                "date_end": anchor.date_end,
                "precision": anchor.precision.value,
                "title": member.title,
                "category": member.category,
                "story": event.stories[0] if event.stories else None,
                "places": list(event.places),
                "actors": list(event.actors),
                "figures": json.dumps(
                    [dict(f) for f in member.figures], ensure_ascii=False, sort_keys=True
                ),
                "sentence": member.sentence,
                "sentence_start": member.start,
                "sentence_end": member.end,
            }


def part_name(jobs: Sequence[Job]) -> str:
    """The file name of a batch's part: a hash of its articles' paths and contents."""
    digest = hashlib.sha256("".join(f"{j.path}\0{j.sha256}\n" for j in jobs).encode())
    return f"part-{digest.hexdigest()[:20]}.parquet"


def run_batch(jobs: Sequence[Job], out: str, events: str | None, root: str = ".") -> BatchResult:
    """Extract a batch of articles and write its two part files; never raises for an article.

    Relative paths are read from `root` (the caller's folder: a worker's may differ) and kept
    as given in the rows.
    """
    cpu = time.process_time()
    context = events_context(events)
    rows: list[dict] = []
    done: list[dict] = []
    failures: list[Failure] = []
    for job in jobs:
        published, error, before = job.published, None, len(rows)
        try:
            found = article_events(job, (Path(root) / job.path).read_bytes(), context)
            rows += sorted(candidate_rows(job, found), key=_text_order)
            published = rows[before]["published"] if len(rows) > before else published
        except (TimelineError, OSError) as problem:
            error = str(problem)
        except Exception as problem:  # a bug on one article must not stop an archive
            error = f"internal error: {type(problem).__name__}: {problem} (please report it)"
        if error is not None:
            failures.append(Failure(job.path, error))
        done.append(
            {"path": job.path, "sha256": job.sha256, "published": published,
             "candidates": len(rows) - before, "error": error}
        )  # fmt: skip
    name = part_name(jobs)
    _write(pa.Table.from_pylist(rows, schema=SCHEMA), Path(out) / name)
    _write(pa.Table.from_pylist(done, schema=ARTICLES_SCHEMA), Path(out) / ARTICLES_FOLDER / name)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    worker = f"{os.uname()[1]}:{os.getpid()}"
    cpu = time.process_time() - cpu
    return BatchResult(name, len(jobs), len(rows), failures, peak, worker, cpu)


def _text_order(row: dict) -> tuple[int, int]:
    return (row["sentence_start"], row["start"])


def _write(table: pa.Table, path: Path) -> None:
    # Written beside and renamed: a part is either whole or absent, so resuming never reads
    # half a file.
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    pq.write_table(table, partial, **PARQUET_OPTIONS)
    os.replace(partial, path)


# The run


def done_articles(out: str | Path, jobs: Sequence[Job]) -> set[tuple[str, str]]:
    """(path, content hash) of the articles already extracted into `out`.

    The articles list of a part is written after its candidates, so a part is done when its
    list is there. A part that holds a failure, or an article whose content has changed since,
    is removed (both its files): its articles are extracted again, and no stale row stays.
    """
    current = {job.path: job.sha256 for job in jobs}
    done: set[tuple[str, str]] = set()
    for part in sorted((Path(out) / ARTICLES_FOLDER).glob("part-*.parquet")):
        table = pq.read_table(part, columns=["path", "sha256", "error"])
        held = list(zip(*(table[c].to_pylist() for c in table.column_names), strict=True))
        if any(error is not None or current.get(path, digest) != digest
               for path, digest, error in held):  # fmt: skip
            (Path(out) / part.name).unlink(missing_ok=True)
            part.unlink()
            continue
        done.update((path, digest) for path, digest, _ in held)
    # a run stopped between a batch's two writes leaves candidates that no list vouches for
    for part in Path(out).glob("part-*.parquet"):
        if not (Path(out) / ARTICLES_FOLDER / part.name).exists():
            part.unlink()
    return done


def batch_sizes(count: int, size: int = BATCH_ARTICLES) -> list[int]:
    """The sizes of the batches of `count` articles: `size`, then shrinking towards the end
    to `SMALLEST_BATCH` (never below it: a smaller `size` is kept to the end).

    They depend on the articles alone, never on the workers, so every mode and every cluster
    writes the same parts.
    """
    if size < 1:
        raise ValueError(f"a batch holds at least one article, not {size}")
    sizes: list[int] = []
    left = count
    while left > 0:
        sizes.append(min(left, size, max(SMALLEST_BATCH, -(-left // TAPER))))
        left -= sizes[-1]
    return sizes


def batches(jobs: Sequence[Job], size: int = BATCH_ARTICLES) -> list[list[Job]]:
    """The jobs in path order, cut into batches of `batch_sizes`."""
    ordered = sorted(jobs, key=lambda job: job.path)
    cut, start = [], 0
    for length in batch_sizes(len(ordered), size):
        cut.append(ordered[start : start + length])
        start += length
    return cut


def extract_corpus(
    jobs: Sequence[Job] | Callable[[], Sequence[Job]],
    out: str | Path,
    events: str | None = None,
    workers: int = 2,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_ARTICLES,
) -> Summary:
    """Extract every job not done yet into the dataset at `out`: on the cluster at `scheduler`,
    on a local cluster of `workers` processes, or in this process when workers is 0.

    `jobs` may be the function that plans them (`plan_jobs`): it then runs while the local
    cluster's worker processes start.
    """
    started = time.perf_counter()
    on_dask = scheduler is not None or workers > 0
    if on_dask:
        require_dask()
        if scheduler is None:
            _start_worker_server()
    if callable(jobs):
        jobs = jobs()
    Path(out).mkdir(parents=True, exist_ok=True)
    done = done_articles(out, jobs)
    todo = [job for job in jobs if (job.path, job.sha256) not in done]
    summary = Summary(found=len(jobs), skipped=len(jobs) - len(todo))
    work = batches(todo, batch_size)
    events = os.path.abspath(events) if events else None
    root = os.getcwd()
    if not on_dask or not work:  # with every article done, no cluster is started (1 s)
        results: Iterator[BatchResult] = (run_batch(b, str(out), events, root) for b in work)
        _collect(results, summary, len(work), progress)
    else:
        with _client(scheduler, workers) as client:
            futures = [
                client.submit(run_batch, batch, os.path.abspath(out), events, root, pure=False)
                for batch in work
            ]
            from distributed import as_completed

            _collect((f.result() for f in as_completed(futures)), summary, len(work), progress)
    summary.failures.sort(key=lambda failure: failure.path)
    summary.seconds = time.perf_counter() - started
    return summary


def _collect(
    results: Iterator[BatchResult],
    summary: Summary,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> None:
    for count, result in enumerate(results, 1):
        summary.add(result)
        if progress is not None:
            progress(count, total)


def _forking() -> bool:
    return "forkserver" in multiprocessing.get_all_start_methods()  # not on Windows


def _start_worker_server() -> None:
    """Start the process that will fork a local cluster's workers, with WORKER_PRELOAD imported
    (it returns at once; the server imports while this process goes on)."""
    if _forking():
        from multiprocessing import forkserver

        forkserver.set_forkserver_preload(WORKER_PRELOAD)
        forkserver.ensure_running()


def _client(scheduler: str | None, workers: int):  # -> distributed.Client
    import dask
    import distributed.utils
    from distributed import Client, LocalCluster

    if scheduler is not None:
        return Client(scheduler)
    settings = dict(LOCAL_CLUSTER_CONFIG)
    if _forking():
        _start_worker_server()  # already running when called from extract_corpus
        settings["distributed.worker.multiprocessing-method"] = "forkserver"
        # Else distributed sets its own preload list, importing here every package on it to
        # see whether it is installed (pandas: 0.5 s), to no effect on a running server.
        distributed.utils._forkserver_preload_set = True
    # Set while the scheduler and the nannies are made: they read it then, and each nanny
    # hands it to its worker process; the caller's own settings are left as they were.
    with dask.config.set(settings):
        # One thread per process: extraction is pure Python, so threads would share one GIL.
        cluster = LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    return _ClosingClient(Client(cluster), cluster)


class _ClosingClient:
    """A client that closes the local cluster it was made with (closing a client alone leaves
    its cluster running)."""

    def __init__(self, client, cluster) -> None:
        self.client, self.cluster = client, cluster

    def __enter__(self):
        return self.client

    def __exit__(self, *exc) -> None:
        self.client.close()
        self.cluster.close()


def read_candidates(out: str | Path) -> pa.Table:
    """Every candidate row of a dataset, in part-name order (for tests and small corpora)."""
    parts = sorted(Path(out).glob("part-*.parquet"))
    if not parts:
        return SCHEMA.empty_table()
    return pa.concat_tables(pq.read_table(part, schema=SCHEMA) for part in parts)
