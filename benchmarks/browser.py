"""Time from opening the page to the timeline drawn, in headless Chromium, beside TimelineJS.

    python benchmarks/browser.py [--events 1000 10000 100000] [--runs 3]

For each size a dashboard is started on a synthetic file with an empty cache folder: its first
page load pays for parsing the file and building its tables (cold). The dashboard is then
restarted: its first page load reads them from the cache on disk (restart), and the following
ones find them in the server's memory (warm). TimelineJS
(tests/timelinejs, `npm ci` there first) loads our TimelineJS export of the same 1,000 events
from a local server, in the same run. Medians of --runs page loads; writes
benchmarks/results/browser.md.
"""

from __future__ import annotations

import argparse
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _free_port  # noqa: E402
from timeline.export import to_timelinejs  # noqa: E402
from timeline.load import load_timeline  # noqa: E402

DRAWN = """() => {
  const chart = document.querySelector('[data-testid="stPlotlyChart"] .main-svg .cartesianlayer');
  const running = document.querySelector('[data-testid="stStatusWidget"]');
  return chart && !running && document.querySelector('.scatterlayer .trace, .heatmaplayer *');
}"""


def dashboard_times(browser, events_file: Path, runs: int) -> tuple[float, float, list[float]]:
    """Seconds to a drawn chart: first load of a cold server, of a restarted one, then warm."""
    with tempfile.TemporaryDirectory() as cache:
        (cold,) = _server_times(browser, events_file, cache, 1)
        restart, *warm = _server_times(browser, events_file, cache, runs + 1)
    return cold, restart, warm


def _server_times(browser, events_file: Path, cache: str, loads: int) -> list[float]:
    port = _free_port()
    environment = {
        **os.environ, "TIMELINE_EVENTS": str(events_file), "TIMELINE_CACHE_DIR": cache,
    }  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port)], cwd=ROOT, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://localhost:{port}/?story=synthetic-year"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        return [_time_page(browser, url, DRAWN, timeout_ms=600_000) for _ in range(loads)]
    finally:
        server.terminate()
        server.wait(timeout=30)


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
    arguments = parser.parse_args()
    from playwright.sync_api import sync_playwright

    lines = ["| events | dashboard cold open s | after a restart s | warm open s | TimelineJS s |",
             "|---:|---:|---:|---:|---:|"]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for count in arguments.events:
            path = Path(folder) / f"events-{count}.yaml"
            subprocess.run(
                [sys.executable, "-m", "timeline", "synth", "--events", str(count), "--seed", "1",
                 "--out", str(path)], cwd=ROOT, check=True, capture_output=True,
            )  # fmt: skip
            cold, restart, warm = dashboard_times(browser, path, arguments.runs)
            reference = "—"
            if count <= 1000:
                reference = (
                    f"{statistics.median(timelinejs_times(browser, path, arguments.runs)):.2f}"
                )
            row = (f"| {count:,} | {cold:.2f} | {restart:.2f} | {statistics.median(warm):.2f} "
                   f"| {reference} |")  # fmt: skip
            print(row, flush=True)
            lines.append(row)
        browser.close()
    out = ROOT / "benchmarks" / "results" / "browser.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
