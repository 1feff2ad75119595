"""Benchmarks, each measured side by side with its reference in the same run.

    python benchmarks/run.py [--events 1000 10000 100000] [--runs 3] [--only SUITE]

One command runs all five suites: scale (here: load, memory, start, rerun and chart size,
beside PyYAML's C loader; writes benchmarks/results/scale.md), browser (benchmarks/browser.py:
page open in Chromium beside TimelineJS), extraction (benchmarks/extraction.py: beside raw
dateparser) and corpus (benchmarks/corpus.py: an archive on Dask with 1 and 2 workers beside
the plain loop, and the corpus view's queries at a million candidates) and edits
(benchmarks/edits.py: reloads after one-event edits beside a cold load). Every figure is the
median of --runs runs, each in a fresh subprocess (cold caches, honest peak memory); machines
here are noisy, so read the ratios, not single timings.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

if str(Path(__file__).resolve().parent.parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    ROOT,
    measured_on,
    probe_medians,
    run_timed,
    synthetic_file,
)
from timeline.synth import with_typo

# Each probe runs in its own interpreter and prints {"seconds": ..., "peak_kb": ..., ...}.
PROBES = {
    "raw_pyyaml_c": """
import resource, time, yaml
start = time.perf_counter()
with open(PATH, "rb") as handle:
    yaml.load(handle, Loader=yaml.CSafeLoader)
seconds = time.perf_counter() - start
""",
    "load_validate_sort": """
import resource, time
from timeline.load import load_timeline
start = time.perf_counter()
timeline = load_timeline(PATH)
seconds = time.perf_counter() - start
extra = {"events": len(timeline.events), "errors": len(timeline.errors)}
""",
    "filter_and_figure": """
import resource, time
from datetime import date
from timeline.load import load_timeline
from timeline.query import Filters, events_frame, filter_events
from timeline.figures import timeline_figure
import gc
timeline = load_timeline(PATH)
frame = events_frame(timeline)
gc.freeze()  # as the dashboard does once the file is loaded: no rescans of what stays alive
# What a rerun does after a filter change: filter the cached frame, build the chart, serialise.
start = time.perf_counter()
shown = filter_events(frame, Filters(categories=("strike", "infrastructure", "advance"),
                                     text="missile"))
figure = timeline_figure(shown, list(timeline.stories.values()))
payload = figure.to_json()
seconds = time.perf_counter() - start
extra = {"shown": len(shown), "chart_bytes": len(payload)}
""",
    # A dashboard's (re)start: the file's bytes to its timeline and both tables. Cold: nothing
    # cached (parse, build the tables, write the cache entry); warm: the entry is there.
    "cold_start": """
import resource, shutil, time
from pathlib import Path
from timeline.cache import load_cached
shutil.rmtree(CACHE, ignore_errors=True)
start = time.perf_counter()
loaded = load_cached(Path(PATH).read_bytes(), "events.yaml", Path(PATH).parent, Path(CACHE))
seconds = time.perf_counter() - start
extra = {"hit": loaded.from_cache, "rows": len(loaded.event_table)}
""",
    # The whole dashboard script after a filter change, as Streamlit reruns it (the server-side
    # part of every interaction): Streamlit's AppTest, warm caches, the search text and the
    # categories changed in turn, median of 6 reruns.
    "app_rerun": """
import os, resource, statistics, time
os.environ["TIMELINE_EVENTS"] = PATH
os.environ["TIMELINE_CACHE_DIR"] = CACHE
from streamlit.testing.v1 import AppTest
# Absolute: a relative path is read from the folder of the file that calls from_file.
app = AppTest.from_file(os.path.abspath("app.py"), default_timeout=600)
app.run()
changes = [("text", "missile"), ("categories", ["strike", "infrastructure"]), ("text", ""),
           ("categories", [])] * 2
times = []
for key, value in changes[:6]:
    widget = app.text_input(key) if key == "text" else app.multiselect(key)
    widget.set_value(value)
    start = time.perf_counter()
    app.run()
    times.append(time.perf_counter() - start)
seconds = statistics.median(times)
extra = {"exceptions": len(app.exception)}
""",
    "warm_start": """
import resource, time
from pathlib import Path
from timeline.cache import load_cached
start = time.perf_counter()
loaded = load_cached(Path(PATH).read_bytes(), "events.yaml", Path(PATH).parent, Path(CACHE))
seconds = time.perf_counter() - start
extra = {"hit": loaded.from_cache, "rows": len(loaded.event_table)}
""",
}
FOOTER = """
import json
print(json.dumps({"seconds": seconds,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  **globals().get("extra", {})}))
"""


def median_of(name: str, path: Path, runs: int) -> dict:
    """Medians of what one probe measured on the file, each run in a fresh interpreter."""
    return probe_medians(PROBES[name] + FOOTER, path, runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "scale.md")
    parser.add_argument("--only", choices=("scale", "browser", "extraction", "corpus", "edits"))
    arguments = parser.parse_args()
    if arguments.only in (None, "scale"):
        scale(arguments)
    runs = ["--runs", str(arguments.runs)]
    sizes = ["--events", *(str(count) for count in arguments.events), *runs]
    # The other suites are scripts of their own, run in this order.
    for suite, suite_arguments in (
        ("browser", sizes), ("extraction", []), ("edits", sizes), ("corpus", runs)
    ):  # fmt: skip
        if arguments.only in (None, suite):
            subprocess.run(
                [sys.executable, str(ROOT / "benchmarks" / f"{suite}.py"), *suite_arguments],
                cwd=ROOT, check=True,
            )  # fmt: skip
    return 0


def scale(arguments: argparse.Namespace) -> None:
    """Load, start, rerun and chart figures at each size, beside PyYAML's C loader."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for count in arguments.events:
            path = synthetic_file(count, Path(folder) / f"events-{count}.yaml")
            raw = median_of("raw_pyyaml_c", path, arguments.runs)
            ours = median_of("load_validate_sort", path, arguments.runs)
            view = median_of("filter_and_figure", path, arguments.runs)
            cold = median_of("cold_start", path, arguments.runs)
            warm = median_of("warm_start", path, arguments.runs)
            app = median_of("app_rerun", path, arguments.runs)
            if app["exceptions"]:
                raise SystemExit(f"the dashboard raised: {app}")
            if cold["hit"] or not warm["hit"] or warm["rows"] != count:
                raise SystemExit(f"the cache misbehaved: cold {cold}, warm {warm}")
            typo = path.with_name(f"typo-{count}.yaml")
            typo.write_bytes(with_typo(path.read_bytes()))
            exact = median_of("load_validate_sort", typo, arguments.runs)
            if exact["errors"] != 1:
                raise SystemExit(f"expected the one typo to be reported, got {exact}")
            rows.append((count, path.stat().st_size, raw, ours, view, cold, warm, exact, app))
            print(f"{count:>7,} events: raw {raw['seconds']:.2f} s, ours {ours['seconds']:.2f} s "
                  f"({ours['seconds'] / raw['seconds']:.2f}x), view {view['seconds']:.3f} s, "
                  f"chart {view['chart_bytes'] / 1e6:.2f} MB, cold start {cold['seconds']:.2f} s, "
                  f"warm start {warm['seconds']:.2f} s, one typo {exact['seconds']:.2f} s, "
                  f"dashboard rerun {app['seconds']:.2f} s",
                  flush=True)  # fmt: skip
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(report(rows, arguments.runs), encoding="utf-8")
    print(f"wrote {arguments.out}")


def report(rows: list, runs: int) -> str:
    """The results as Markdown tables."""
    lines = [
        f"{measured_on()}, median of {runs} runs, each in a fresh process.",
        "",
        "| events | file MB | raw PyYAML C load s | load+validate+sort s | ratio | raw peak MB "
        "| ours peak MB | memory ratio | filter+figure s | dashboard rerun s | chart MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, size, raw, ours, view, *_, app in rows:
        lines.append(
            f"| {count:,} | {size / 1e6:.1f} | {raw['seconds']:.2f} | {ours['seconds']:.2f} | "
            f"{ours['seconds'] / raw['seconds']:.2f} | {raw['peak_kb'] / 1024:.0f} | "
            f"{ours['peak_kb'] / 1024:.0f} | {ours['peak_kb'] / raw['peak_kb']:.2f} | "
            f"{view['seconds']:.3f} | {app['seconds']:.2f} | {view['chart_bytes'] / 1e6:.2f} |"
        )
    lines += [
        "",
        "filter+figure = filter the cached table, build and serialise the timeline figure; "
        "dashboard rerun = the whole app script after a filter change (AppTest, warm caches).",
        "",
        "Start of a dashboard (file bytes to timeline and both tables): cold = nothing cached, "
        "entry written; warm = entry read back. One typo = the same file with one unknown "
        "category in its last event (the fast path declines it; the exact path reports it).",
        "",
        "| events | cold start s | warm start s | warm/cold | warm peak MB | one typo s "
        "| one typo / raw PyYAML C | one typo peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for count, _size, raw, _ours, _view, cold, warm, exact, _app in rows:
        lines.append(
            f"| {count:,} | {cold['seconds']:.2f} | {warm['seconds']:.2f} | "
            f"{warm['seconds'] / cold['seconds']:.2f} | {warm['peak_kb'] / 1024:.0f} | "
            f"{exact['seconds']:.2f} | {exact['seconds'] / raw['seconds']:.2f} | "
            f"{exact['peak_kb'] / 1024:.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    run_timed(main)
