"""What the browser tests share: Debian's Chromium, the guard that keeps pages offline, the
running dashboard, pinned npm packages and pages served from 127.0.0.1. The `browser` and `page`
fixtures built from these live in conftest.py."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar, NoReturn
from urllib.parse import urlsplit

import pytest

# Not imported from conftest, which imports this module for its fixtures.
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# No sandbox (CI runs as root); nothing the browser would fetch for itself (updates, sync,
# safe browsing lists), so that the only requests are the page's own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
OUTPUT = ROOT / "test-output" / "browser"
# Markers of the timeline's events (the range slider's miniature copies included).
POINTS = ".js-plotly-plot .scatterlayer .trace .points path.point"


def unavailable(reason: str) -> NoReturn:
    """Skip locally; fail under CI, which must run every browser test."""
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run them", pytrace=False)
    pytest.skip(reason)


def require_browser() -> None:
    """Skip (or fail under CI) unless Chromium and Playwright are both here."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -r requirements-dev.txt)")
    if missing:
        unavailable("browser tests need " + " and ".join(missing))


def guard_requests(context, foreign_requests: list[str]) -> None:
    """Let a browser context reach localhost only; record (and abort) every other request."""

    def guard(route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or (urlsplit(url).hostname or "") in LOCAL_HOSTS:
            route.continue_()
        else:
            foreign_requests.append(url)
            route.abort()

    context.route("**/*", guard)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_dashboard(name: str, events_file: Path | None = None) -> Iterator[str]:
    """Run `streamlit run app.py` on a free local port (on another events file if given)."""
    require_browser()
    port = _free_port()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    environment = dict(os.environ)
    if events_file is not None:
        environment["TIMELINE_EVENTS"] = str(events_file)
    with (OUTPUT / f"{name}.log").open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", "app.py",
                "--server.headless", "true", "--server.port", str(port),
            ],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://localhost:{port}"
        try:
            _wait_healthy(url, process, name)
            yield url
        finally:
            process.terminate()
            process.wait(timeout=20)


def _wait_healthy(url: str, process: subprocess.Popen, name: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited with {process.returncode}; see {OUTPUT}/{name}.log")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not become healthy within {timeout} s")


def wait_until_finished(page, timeout: float = 60_000) -> None:
    """Wait until the app has run to the end: its view is there, nothing runs or loads."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stMainBlockContainer"]', timeout=timeout)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
               && !document.querySelector('[data-testid="stSkeleton"]')
               && document.querySelectorAll('[data-testid="stHeading"]').length > 1""",
        timeout=timeout,
    )
    # One more quiet moment: a rerun triggered by the first render would restart the widget.
    page.wait_for_timeout(500)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
               && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                    .every(chart => chart.querySelector('.main-svg .cartesianlayer'))""",
        timeout=timeout,
    )


def open_view(page, name: str, timeout: float = 60_000) -> None:
    """Open a tab of the dashboard: only the open tab runs, so wait for its content to arrive."""
    page.get_by_role("tab", name=name, exact=True).click()
    page.wait_for_function(
        """(name) => {
             const tab = [...document.querySelectorAll('[role="tab"]')]
               .find(t => t.textContent.trim() === name);
             const panel = tab && document.getElementById(tab.getAttribute('aria-controls'));
             return tab && tab.getAttribute('aria-selected') === 'true' && panel
               && panel.querySelector('[data-testid="stElementContainer"]');
           }""",
        arg=name,
        timeout=timeout,
    )
    wait_until_finished(page, timeout)


def _installed_version(folder: Path, package: str) -> str | None:
    manifest = folder / "node_modules" / package / "package.json"
    try:
        return json.loads(manifest.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def require_npm_package(folder: Path, package: str) -> None:
    """Install the version of package that folder/package.json pins, with `npm ci`, unless
    node_modules already holds it."""
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    pinned = manifest["dependencies"][package]
    if _installed_version(folder, package) == pinned:
        return
    where = folder.relative_to(ROOT)
    npm = shutil.which("npm")
    if npm is None:
        unavailable(
            f"these browser tests need npm to install {package} (or run `npm ci` in {where})"
        )
    try:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        unavailable(f"`npm ci` in {where} took more than 10 minutes")
    if result.returncode != 0 or _installed_version(folder, package) != pinned:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        unavailable(f"`npm ci` in {where} failed: " + " / ".join(tail))


@contextlib.contextmanager
def serving(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve requests with handler on a free port of 127.0.0.1, in a thread; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _FolderHandler(SimpleHTTPRequestHandler):
    """Serves a folder, plus the JSON documents put in `documents` (by path)."""

    documents: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        body = self.documents.get(urlsplit(self.path).path)
        if body is None:
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Keep the test output quiet."""


@contextlib.contextmanager
def serving_folder(folder: Path) -> Iterator[tuple[str, dict[str, bytes]]]:
    """Serve folder on 127.0.0.1; yield the base URL and a dict of JSON documents to serve too,
    by path (put them in while serving)."""
    documents: dict[str, bytes] = {}
    handler = type("Handler", (_FolderHandler,), {"documents": documents})
    with serving(functools.partial(handler, directory=str(folder))) as url:
        yield url, documents
