"""Extracting a synthetic archive on Dask (1 and 2 workers) beside the plain loop; the corpus
view's queries at a million candidates.

    python benchmarks/corpus.py [--articles 10000] [--runs 3] [--candidates 1000000]

Each extraction runs in a fresh interpreter from an empty output folder, the three modes
interleaved run after run so that the machine's other load falls on all of them alike;
figures are medians. Wall time includes planning (reading and hashing every article, as the
command does it: while the local cluster's workers start), starting the cluster and closing
it. The outputs of every mode are compared byte for byte. The query figures build a dataset
of --candidates rows by repeating the extracted rows under new paths, then time the view's
queries in a fresh interpreter (median and fastest of 9 each). Writes
benchmarks/results/corpus.md.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import tempfile
from pathlib import Path

if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, fresh_process, measured_on, run_timed

MODES = {"plain loop": 0, "dask 1 worker": 1, "dask 2 workers": 2}

EXTRACT = """
import json, os, resource, sys, time
import psutil
from timeline.corpus import expand, extract_corpus, plan_jobs, read_dates
if __name__ == "__main__":
    corpus, out, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    failures = []
    def plan():  # as the command plans: while the local cluster's workers start
        jobs, unreadable = plan_jobs(paths, read_dates(os.path.join(corpus, "dates.csv")), None)
        failures.extend(unreadable)
        return jobs
    start = time.perf_counter()
    paths = expand([corpus])
    summary = extract_corpus(plan, out, os.path.join(ROOT, "events.yaml"), workers=workers)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # every process of the run: this one, the spawned workers it reaped, and the processes
    # still alive (the server that forked the workers, with the workers it reaped)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    alive = sum(sum(c.cpu_times()[:4]) for c in psutil.Process().children())
    print(json.dumps({"seconds": seconds, "articles": summary.extracted,
                      "worker_cpu": summary.cpu_seconds,
                      "client_cpu": usage.ru_utime + usage.ru_stime,
                      "all_cpu": usage.ru_utime + usage.ru_stime + reaped.ru_utime
                                 + reaped.ru_stime + alive,
                      "candidates": summary.candidates,
                      "failures": len(summary.failures) + len(failures),
                      "worker_peak_kb": sorted(summary.peak_kb_by_worker.values()),
                      "load": os.getloadavg()[0]}))
"""

QUERY = """
import json, statistics, sys, time
from timeline.corpus_query import Corpus, CorpusFilter
corpus = Corpus(sys.argv[1])
def timed(call):
    call()  # the view keeps its dataset open: Parquet footers are read once, not per query
    times = []
    for _ in range(9):
        start = time.perf_counter()
        value = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times), value
opened = time.perf_counter()
total = corpus.count()
results = {"rows": total, "open_and_count": time.perf_counter() - opened}
for name, call in {
    "search 'power station'": lambda: len(corpus.search(CorpusFilter(text="power station"))),
    "count 'power station'": lambda: corpus.count(CorpusFilter(text="power station")),
    "search a rare word": lambda: len(corpus.search(CorpusFilter(text="Balakliia on Monday"))),
    "per day by category": lambda: len(corpus.per_day("category")["day"]),
    "per day by story, strikes, 'drones'": lambda: len(corpus.per_day(
        "story", CorpusFilter(text="drones", categories=("strike",)))["day"]),
}.items():
    seconds, fastest, value = timed(call)
    results[name] = {"seconds": seconds, "fastest": fastest, "value": value}
print(json.dumps(results))
"""


def run_python(code: str, *args: str) -> dict:
    """Run code in a fresh interpreter, with this environment (Dask's workers need it) and
    ROOT set, and return the JSON it prints last."""
    return fresh_process(
        f"ROOT = {str(ROOT)!r}\n" + code, *args, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )


def folder_digest(folder: Path) -> str:
    """One hash of every file's relative path and bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def folder_bytes(folder: Path, pattern: str) -> int:
    """The size of the files matching pattern directly in folder."""
    return sum(p.stat().st_size for p in folder.glob(pattern))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "corpus.md")
    arguments = parser.parse_args()
    from timeline.synth import write_articles

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder) / "corpus"
        write_articles(arguments.articles, 1, corpus)
        measured: dict[str, list[dict]] = {mode: [] for mode in MODES}
        digests: set[str] = set()
        last_out = None
        for run in range(arguments.runs):
            for mode, workers in MODES.items():
                out = Path(folder) / f"out-{workers}-{run}"
                result = run_python(EXTRACT, str(corpus), str(out), str(workers))
                digests.add(folder_digest(out))
                measured[mode].append(result)
                rate = result["articles"] / result["seconds"]
                print(f"run {run + 1} {mode}: {rate:.1f} articles/s, load {result['load']:.1f}",
                      flush=True)  # fmt: skip
                last_out = out
        identical = len(digests) == 1
        parquet = folder_bytes(last_out, "part-*.parquet")
        candidates = measured["plain loop"][-1]["candidates"]
        query = query_figures(last_out, arguments.candidates, Path(folder))
    text = report(arguments, measured, identical, parquet, candidates, query)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {arguments.out}")
    return 0 if identical else 1


def query_figures(extracted: Path, wanted: int, folder: Path) -> dict:
    """The view's query times over a dataset of `wanted` rows made from the extracted rows."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from timeline.corpus import PARQUET_OPTIONS, read_candidates

    rows = read_candidates(extracted)
    big = folder / "million"
    big.mkdir()
    copies = -(-wanted // rows.num_rows)
    written = 0
    for copy in range(copies):
        part = rows.slice(0, min(rows.num_rows, wanted - written))
        paths = pc.binary_join_element_wise(pa.scalar(f"copy-{copy:04d}/"), part["path"], "")
        part = part.set_column(part.schema.get_field_index("path"), "path", paths)
        pq.write_table(part, big / f"part-{copy:05d}.parquet", **PARQUET_OPTIONS)
        written += part.num_rows
    result = run_python(QUERY, str(big))
    result["bytes"] = folder_bytes(big, "part-*.parquet")
    return result


def report(arguments, measured, identical, parquet, candidates, query) -> str:
    """The results as Markdown."""
    plain = [r["articles"] / r["seconds"] for r in measured["plain loop"]]
    loads = [r["load"] for rs in measured.values() for r in rs]
    lines = [
        f"{measured_on()}; {arguments.articles:,} synthetic articles "
        f"(`python -m timeline synth --articles {arguments.articles} --seed 1`), median of "
        f"{arguments.runs} runs per mode, interleaved, each in a fresh process; 1-minute load "
        f"average at the end of each run {min(loads):.1f}–{max(loads):.1f} (other work shares "
        "the machine).",
        "",
        "| mode | articles/s | vs plain loop | wall s | worker CPU ms an article | client + "
        "scheduler CPU s | CPU s, every process | articles/s if each worker had a core | "
        "candidates | failures | peak MB per worker |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for mode, results in measured.items():
        rate = statistics.median(r["articles"] / r["seconds"] for r in results)
        # against the plain loop of the same round, which ran under the same neighbours
        ratio = statistics.median(
            r["articles"] / r["seconds"] / base for r, base in zip(results, plain, strict=True)
        )
        seconds = statistics.median(r["seconds"] for r in results)
        peaks = [kb / 1024 for r in results for kb in r["worker_peak_kb"]]
        cpu = statistics.median(r["worker_cpu"] / r["articles"] for r in results)
        client = statistics.median(r["client_cpu"] for r in results)
        every = statistics.median(r["all_cpu"] for r in results)
        workers = max(MODES[mode], 1)
        lines.append(
            f"| {mode} | {rate:.1f} | {ratio:.2f}× | {seconds:.1f} | {cpu * 1000:.2f} | "
            f"{client:.1f} | {every:.1f} | {workers / cpu:.0f} | {results[-1]['candidates']:,} | "
            f"{results[-1]['failures']} | {statistics.median(peaks):.0f} |"
        )
    lines += [
        "",
        "'vs plain loop' = the median over runs of the rate against the plain loop's in the "
        "same round. Worker CPU = the CPU time of the batches themselves (all of their "
        "process's threads), wherever they ran; for the plain loop the client is the worker. "
        "Every process = the client (with the scheduler and nannies), the workers whole (their "
        "start, imports and background work too) and the process that forks them. "
        "'If each worker had a core' = workers / (worker CPU an article): the wall rate on an "
        "otherwise idle machine, the client's share aside.",
        "",
        f"Output of every run and mode byte-identical: **{'yes' if identical else 'NO'}**. "
        f"Parquet: {parquet / 1e6:.1f} MB for {candidates:,} candidates = "
        f"**{parquet / candidates:.0f} bytes a candidate, {parquet / candidates:.0f} MB per "
        "million** (zstd, dictionary-encoded; sentences and titles dominate).",
        "",
        f"Corpus view at {query['rows']:,} candidates ({query['bytes'] / 1e6:.0f} MB of Parquet; "
        f"DuckDB over the files, opened and counted in {query['open_and_count']:.3f} s), "
        "median and fastest of 9 after one to warm up (the view keeps the dataset open):",
        "",
        "| query | median s | fastest s | result |",
        "|---|---:|---:|---:|",
    ]
    for name, value in query.items():
        if isinstance(value, dict):
            lines.append(
                f"| {name} | {value['seconds']:.3f} | {value['fastest']:.3f} | {value['value']:,} |"
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    run_timed(main)
