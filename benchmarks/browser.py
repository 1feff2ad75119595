"""Time from opening the page to the timeline drawn, in headless Chromium, beside TimelineJS.

    python benchmarks/browser.py [--events 1000 10000 100000] [--runs 3] [--saves 5] [--port P]

For each size a dashboard is started on a synthetic file with an empty cache folder: its first
page load pays for parsing the file and building its tables (cold). The dashboard is then
restarted: its first page load reads them from the cache on disk (restart), and the following
ones find them in the server's memory (warm). Then, on a fresh server with the middle event
open, --saves one-event edits are saved (a new title each), each timed until the page shows
it: the dashboard polls the file every quarter second (dashboard/data.py), so about an eighth of
a second of each is waiting. TimelineJS
(tests/timelinejs, `npm ci` there first) loads our TimelineJS export of the same 1,000 events
from a local server, in the same run. Medians of --runs page loads; writes
benchmarks/results/browser.md.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import measured_on, synthetic_file  # noqa: E402
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, _free_port  # noqa: E402
from timeline.export import to_timelinejs  # noqa: E402
from timeline.load import load_timeline  # noqa: E402

DRAWN = """() => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"] .main-svg .cartesianlayer');
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  return chart && !running && document.querySelector('.scatterlayer .trace, .heatmaplayer *');
}"""


def dashboard_times(
    browser, events_file: Path, runs: int, port: int | None = None
) -> tuple[float, float, list[float]]:
    """Seconds to a drawn chart: first load of a cold server, of a restarted one, then warm."""
    with tempfile.TemporaryDirectory() as cache:
        (cold,) = _server_times(browser, events_file, cache, 1, port)
        restart, *warm = _server_times(browser, events_file, cache, runs + 1, port)
    return cold, restart, warm


def _server_times(
    browser, events_file: Path, cache: str, loads: int, port: int | None
) -> list[float]:
    with _dashboard(events_file, cache, port or _free_port()) as address:
        url = f"{address}/?story=synthetic-year"
        return [_time_page(browser, url, DRAWN, timeout_ms=600_000) for _ in range(loads)]


@contextlib.contextmanager
def _dashboard(events_file: Path, cache: str, port: int) -> Iterator[str]:
    """A dashboard server on the events file, with its cache in `cache`: its address."""
    environment = {
        **os.environ, "TIMELINE_EVENTS": str(events_file), "TIMELINE_CACHE_DIR": cache,
    }  # fmt: skip
    # Without the watcher of source files: a module edited while a run is being measured
    # (the checkout is shared) would be imported again, with empty in-process caches.
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.fileWatcherType", "none"], cwd=ROOT,
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://localhost:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def save_times(browser, events_file: Path, saves: int, port: int) -> list[float]:
    """Seconds from saving a one-event edit (a new title for the event in the middle of the
    file, which the page has open) to the page showing the new title.

    Each save replaces the file whole, as editors do, and the clock starts once it is in
    place; the file is put back as it was afterwards.
    """
    original = events_file.read_bytes()
    text = original.decode("utf-8")
    events = text.index("\nevents:\n")
    middle = text.index("\n  - id: ", events + (len(text) - events) // 2) + 1
    event_id = text[middle + len("  - id: ") : text.index("\n", middle)]
    title = text.index("    title: ", middle)
    title_end = text.index("\n", title)
    times = []
    try:
        with tempfile.TemporaryDirectory() as cache, _dashboard(events_file, cache, port) as url:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{url}/?event={event_id}")
            page.wait_for_function(DRAWN, timeout=600_000)
            for save in range(saves):
                new_title = f"Saved title {save} {time.time_ns()}"
                edited = text[:title] + f"    title: {new_title}" + text[title_end:]
                _replace(events_file, edited.encode("utf-8"))
                started = time.perf_counter()
                page.wait_for_function(_SHOWN, arg=new_title, timeout=120_000)
                times.append(time.perf_counter() - started)
                page.wait_for_function(_IDLE, timeout=120_000)
            page.close()
    finally:
        _replace(events_file, original)
    return times


# The open event's title is the page's only h3 holding it (dashboard/event.py).
_SHOWN = "(title) => [...document.querySelectorAll('h3')].some(h => h.textContent === title)"
_IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


def _replace(path: Path, data: bytes) -> None:
    """Write a file whole under its name, as editors save (a reader never sees half of it)."""
    temporary = path.with_name(path.name + ".saving")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _time_page(browser, url: str, ready: str, timeout_ms: int) -> float:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(ready, timeout=timeout_ms)
    elapsed = time.perf_counter() - started
    page.close()
    return elapsed


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def timelinejs_times(browser, events_file: Path, runs: int) -> list[float]:
    """Seconds until TimelineJS has loaded our export of the same events and shows a slide."""
    folder = ROOT / "tests" / "timelinejs"
    if not (folder / "node_modules").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=folder, check=True)
    timeline = load_timeline(events_file)
    document = to_timelinejs(timeline, timeline.events)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        (Path(scratch) / "timeline.json").write_text(json.dumps(document), encoding="utf-8")
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = (f"http://127.0.0.1:{server.server_address[1]}/index.html"
               f"?data={Path(scratch).name}/timeline.json")  # fmt: skip
        ready = "() => window.check && window.check.loaded && document.querySelector('.tl-slide')"
        try:
            return [_time_page(browser, url, ready, timeout_ms=600_000) for _ in range(runs)]
        finally:
            server.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saves", type=int, default=5, help="one-event edits saved a size")
    parser.add_argument("--port", type=int, help="of the dashboards started (default: a free one)")
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    lines = ["| events | dashboard cold open s | after a restart s | warm open s | TimelineJS s "
             "| save to page updated s (each save) | load average |",
             "|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for count in arguments.events:
            path = synthetic_file(count, Path(folder) / f"events-{count}.yaml")
            cold, restart, warm = dashboard_times(browser, path, arguments.runs, arguments.port)
            reference = "—"
            if count <= 1000:
                reference = (
                    f"{statistics.median(timelinejs_times(browser, path, arguments.runs)):.2f}"
                )
            saved = save_times(browser, path, arguments.saves, arguments.port or _free_port())
            each = ", ".join(f"{seconds:.2f}" for seconds in saved)
            load = os.getloadavg()[0]
            row = (f"| {count:,} | {cold:.2f} | {restart:.2f} | {statistics.median(warm):.2f} "
                   f"| {reference} | {statistics.median(saved):.2f} ({each}) "
                   f"| {load:.1f} |")  # fmt: skip
            print(row, flush=True)
            lines.append(row)
        browser.close()
    out = ROOT / "benchmarks" / "results" / "browser.md"
    header = (
        f"{measured_on()}, shared with other work (the last column: the 1-minute load "
        f"average after each size). Medians of {arguments.runs} page loads and of "
        f"{arguments.saves} saves; a save is a one-event edit (the open event's title).\n\n"
    )
    out.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
