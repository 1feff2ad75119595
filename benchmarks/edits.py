"""Edits at scale: a reload after a one-event edit, beside a full cold load, in one run.

    python benchmarks/edits.py [--events 1000 10000 100000] [--runs 3]

For each size, in fresh processes (median of --runs): PyYAML's C loader (the reference), a
cold load as before record-by-record reading (fastload whole, else the exact path), a cold
load now, the same file with one typo both ways, and the reload after each of four one-event
edits (title changed, date changed, event appended, event deleted) given the records of the
file before the edit, as the dashboard holds them (its collector frozen after the load, as the
dashboard's is). "Dashboard" is the whole load the dashboard does on a save (load_cached:
the reload and both tables; no cache entry for an edit of a file over 16 MB), after each edit
in turn, beside its cold load (the same with an empty cache: a full load, both tables, the entry
written); "restart after the edit" is its load after the date edit in a new process, after a
cold start of another one wrote the cache on disk. Writes benchmarks/results/edits.md with the
load average: the machine is shared, read the ratios.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import ROOT, probe_medians, synthetic_file
from timeline.synth import with_typo

EDITS = ("title", "date", "append", "delete")

SETUP = """
import json, resource, time
from pathlib import Path
PATH = Path(PATH)
data = PATH.read_bytes()
"""
# Each probe sets `result`, a dict of seconds (and anything else worth reporting).
PROBES = {
    "raw_pyyaml_c": """
import yaml
start = time.perf_counter()
yaml.load(data, Loader=yaml.CSafeLoader)
result = {"seconds": time.perf_counter() - start}
""",
    "cold_before": """
from timeline.load import parse_timeline
start = time.perf_counter()
timeline = parse_timeline(data, "events.yaml", PATH.parent, by_records=False)
result = {"seconds": time.perf_counter() - start, "errors": len(timeline.errors)}
""",
    "cold_now": """
from timeline.load import parse_timeline
start = time.perf_counter()
timeline = parse_timeline(data, "events.yaml", PATH.parent)
result = {"seconds": time.perf_counter() - start, "errors": len(timeline.errors)}
""",
    "edits": """
import gc
import numpy  # as in the dashboard: a reload imports it when it first needs it
from timeline.incremental import reload
from benchmarks.edits import edited
before = reload(data, "events.yaml", PATH.parent)
gc.freeze()  # as the dashboard does after each load (dashboard/data.py)
result = {}
for kind in EDITS:
    changed = edited(data, kind)
    start = time.perf_counter()
    after = reload(changed, "events.yaml", PATH.parent, before.snapshot)
    result[kind] = time.perf_counter() - start
    result[kind + "_read"] = after.read
    result[kind + "_whole"] = after.whole
    result[kind + "_errors"] = len(after.timeline.errors)
""",
    "cache_reload": """
import gc, shutil
from timeline.cache import load_cached
from benchmarks.edits import edited
shutil.rmtree(CACHE, ignore_errors=True)
start = time.perf_counter()
load_cached(data, "events.yaml", PATH.parent, Path(CACHE))
result = {"cold": time.perf_counter() - start}
gc.freeze()  # as the dashboard does after each load (dashboard/data.py)
version = data
for kind in EDITS:  # one after another, as saves come
    version = edited(version, kind)
    start = time.perf_counter()
    loaded = load_cached(version, "events.yaml", PATH.parent, Path(CACHE))
    result[kind] = time.perf_counter() - start
    result[kind + "_hit"] = loaded.from_cache
    gc.freeze()
""",
    # A cold start writes the cache (another process); this one starts after the date edit.
    "restart_after_edit": """
import shutil, subprocess, sys
from timeline.cache import load_cached
from benchmarks.edits import edited
shutil.rmtree(CACHE, ignore_errors=True)
first = "from pathlib import Path; from timeline.cache import load_cached; " + (
    f"load_cached(Path({str(PATH)!r}).read_bytes(), 'events.yaml', Path({str(PATH.parent)!r}), "
    f"Path({CACHE!r}))"
)
subprocess.run([sys.executable, "-c", first], check=True)
changed = edited(data, "date")
start = time.perf_counter()
loaded = load_cached(changed, "events.yaml", PATH.parent, Path(CACHE))
result = {"seconds": time.perf_counter() - start, "hit": loaded.from_cache}
""",
}
FOOTER = """
result["peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(result))
"""


def edited(data: bytes, kind: str) -> bytes:
    """The file after a one-event edit of the event in the middle of its events section."""
    text = data.decode("utf-8")
    events = text.index("\nevents:\n")
    middle = text.index("\n  - id: ", events + (len(text) - events) // 2) + 1
    following = text.index("\n  - id: ", middle) + 1
    if kind == "title":
        at = text.index("    title: ", middle)
        new = text[:at] + "    title: An edited title" + text[text.index("\n", at) :]
    elif kind == "date":
        at = text.index("    date: ", middle)
        new = text[:at] + "    date: 2022-10-03" + text[text.index("\n", at) :]
    elif kind == "append":
        new = text + text[middle:following].replace("  - id: ", "  - id: appended-", 1)
    elif kind == "delete":
        new = text[:middle] + text[following:]
    else:
        raise ValueError(kind)
    return new.encode("utf-8")


def median_of(name: str, path: Path, runs: int) -> dict:
    """Medians of what one probe measured on the file, each run in a fresh interpreter."""
    return probe_medians(f"EDITS = {EDITS!r}\n" + SETUP + PROBES[name] + FOOTER, path, runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "edits.md")
    arguments = parser.parse_args()
    rows = []
    loads = [os.getloadavg()]
    with tempfile.TemporaryDirectory() as folder:
        for count in arguments.events:
            path = synthetic_file(count, Path(folder) / f"events-{count}.yaml")
            bad = path.with_name(f"typo-{count}.yaml")
            bad.write_bytes(with_typo(path.read_bytes()))
            row = {
                "count": count,
                "mb": path.stat().st_size / 1e6,
                "raw": median_of("raw_pyyaml_c", path, arguments.runs),
                "cold_before": median_of("cold_before", path, arguments.runs),
                "cold_now": median_of("cold_now", path, arguments.runs),
                "typo_before": median_of("cold_before", bad, arguments.runs),
                "typo_now": median_of("cold_now", bad, arguments.runs),
                "edits": median_of("edits", path, arguments.runs),
                "cache": median_of("cache_reload", path, arguments.runs),
                "restart": median_of("restart_after_edit", path, arguments.runs),
            }
            for kind in ("typo_before", "typo_now"):
                if row[kind]["errors"] != 1:
                    raise SystemExit(f"expected the one typo to be reported, got {row[kind]}")
            if any(row["edits"][f"{kind}_whole"] for kind in EDITS):
                raise SystemExit(f"an edit was not reloaded incrementally: {row['edits']}")
            if any(row["cache"][f"{kind}_hit"] for kind in EDITS):
                raise SystemExit(f"an edit was found in the cache: {row['cache']}")
            loads.append(os.getloadavg())
            rows.append(row)
            print(summary_line(row), flush=True)
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(report(rows, arguments.runs, loads), encoding="utf-8")
    print(f"wrote {arguments.out}")
    return 0


def summary_line(row: dict) -> str:
    edits = ", ".join(f"{kind} {row['edits'][kind]:.3f} s" for kind in EDITS)
    return (
        f"{row['count']:>7,} events: cold {row['cold_now']['seconds']:.2f} s (before "
        f"{row['cold_before']['seconds']:.2f} s), one typo {row['typo_now']['seconds']:.2f} s "
        f"(before {row['typo_before']['seconds']:.2f} s), edits: {edits}"
    )


# The headings of the cells edit_cells makes: keep them in the order of EDITS.
EDIT_COLUMNS = "title edit | date edit | appended | deleted"


def edit_cells(seconds: dict, cold: float) -> str:
    """Table cells: each edit's seconds, in the order of EDITS, then the worst over `cold`."""
    worst = max(seconds[kind] for kind in EDITS)
    return " | ".join(f"{seconds[kind]:.3f}" for kind in EDITS) + f" | {worst / cold:.3f}"


def report(rows: list[dict], runs: int, loads: list[tuple[float, float, float]]) -> str:
    """The results as Markdown tables."""
    load_text = ", ".join(f"{one:.1f}" for one, _, _ in loads)
    lines = [
        f"Measured {date.today().isoformat()} on {platform.machine()} ({os.cpu_count()} cores, "
        f"shared), Python {platform.python_version()}, median of {runs} runs, each in a fresh "
        f"process. 1-minute load average at the start and after each size: {load_text}.",
        "",
        "Reload after a one-event edit, given the records of the file before it "
        "(incremental.reload), beside a cold load now (s):",
        "",
        f"| events | file MB | cold load | {EDIT_COLUMNS} | worst edit / cold | records read |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        edits, cold = row["edits"], row["cold_now"]["seconds"]
        read = "/".join(str(edits[f"{kind}_read"]) for kind in EDITS)
        lines.append(
            f"| {row['count']:,} | {row['mb']:.1f} | {cold:.2f} | {edit_cells(edits, cold)} "
            f"| {read} |"
        )
    lines += [
        "",
        "The dashboard's whole load on a save (load_cached: reload and both tables) after each "
        "edit in turn, beside its cold load (empty cache: full load, both tables, entry "
        "written), and its load after the date edit in a new process whose cache another one "
        "wrote (s):",
        "",
        f"| events | dashboard cold load | {EDIT_COLUMNS} | worst edit / dashboard cold "
        "| restart after the edit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        cold = row["cache"]["cold"]
        lines.append(
            f"| {row['count']:,} | {cold:.2f} | {edit_cells(row['cache'], cold)} "
            f"| {row['restart']['seconds']:.2f} |"
        )
    lines += [
        "",
        "Cold loads and one typo (an unknown category in the last event), before and now (s); "
        "raw = PyYAML's C loader on the same file:",
        "",
        "| events | raw | cold before | cold now | now / raw | peak MB before | peak MB now "
        "| typo before | typo now | typo now / cold now |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        raw, before, now = row["raw"], row["cold_before"], row["cold_now"]
        typo_before, typo_now = row["typo_before"], row["typo_now"]
        lines.append(
            f"| {row['count']:,} | {raw['seconds']:.2f} | {before['seconds']:.2f} | "
            f"{now['seconds']:.2f} | {now['seconds'] / raw['seconds']:.2f} | "
            f"{before['peak_kb'] / 1024:.0f} | {now['peak_kb'] / 1024:.0f} | "
            f"{typo_before['seconds']:.2f} | {typo_now['seconds']:.2f} | "
            f"{typo_now['seconds'] / now['seconds']:.2f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
