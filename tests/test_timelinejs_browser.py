"""Our TimelineJS export in the real TimelineJS (npm @knight-lab/timelinejs) in headless Chromium.

tests/timelinejs/ pins the library (package.json, package-lock.json) and holds a page that loads
the built library from node_modules and the JSON named by ?data=. The page and the exports are
served from 127.0.0.1; every request leaving localhost is blocked and recorded.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, LOCAL_HOSTS
from tests.test_export import quirks_timeline
from timeline.export import story_events, to_timelinejs
from timeline.load import load_timeline

PAGE_DIR = ROOT / "tests" / "timelinejs"
PACKAGE = PAGE_DIR / "node_modules" / "@knight-lab" / "timelinejs"
OUTPUT = ROOT / "test-output" / "timelinejs"
LOAD_TIMEOUT_MS = 30_000

pytestmark = pytest.mark.browser


def _missing(reason: str) -> None:
    """Skip locally; fail under CI, which must run these tests."""
    if os.environ.get("CI"):
        pytest.fail(reason + "; CI must run them", pytrace=False)
    pytest.skip(reason)


def _pinned_version() -> str:
    manifest = json.loads((PAGE_DIR / "package.json").read_text(encoding="utf-8"))
    return manifest["dependencies"]["@knight-lab/timelinejs"]


def _installed_version() -> str | None:
    try:
        return json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def _require_timelinejs() -> None:
    """Install the pinned TimelineJS with `npm ci` when node_modules lacks it."""
    if _installed_version() == _pinned_version():
        return
    npm = shutil.which("npm")
    if npm is None:
        _missing(
            "the TimelineJS browser tests need npm to install @knight-lab/timelinejs "
            "(or run `npm ci` in tests/timelinejs)"
        )
    try:
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=PAGE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        _missing("`npm ci` in tests/timelinejs took more than 10 minutes")
    if result.returncode != 0 or _installed_version() != _pinned_version():
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        _missing("`npm ci` in tests/timelinejs failed: " + " / ".join(tail))


def _require_browser() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -r requirements-dev.txt)")
    if missing:
        _missing("browser tests need " + " and ".join(missing))


class _Handler(SimpleHTTPRequestHandler):
    """Serves tests/timelinejs, plus the JSON documents the tests put in `documents`."""

    documents: ClassVar[dict[str, bytes]] = {}

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        body = self.documents.get(path)
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


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, bytes]]]:
    """The page's base URL on 127.0.0.1, and the documents it serves by path."""
    _require_browser()
    _require_timelinejs()
    documents: ClassVar[dict[str, bytes]] = {}
    handler = type("Handler", (_Handler,), {"documents": documents})
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(PAGE_DIR))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", documents
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh page that records page errors and blocks (and records) non-local requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.foreign_requests = []
    opened.page_errors = []
    opened.console_errors = []

    def guard(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            opened.foreign_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    opened.on("pageerror", lambda error: opened.page_errors.append(str(error)))
    opened.on(
        "console",
        lambda message: (
            opened.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield opened
    context.close()


@contextlib.contextmanager
def showing(page, server, name: str, document: dict) -> Iterator[dict]:
    """Open the page on `document`; yield what the page recorded once TimelineJS loaded it."""
    base, documents = server
    path = f"/exports/{name}.json"
    documents[path] = json.dumps(document, ensure_ascii=False).encode("utf-8")
    page.goto(f"{base}/index.html?data={path}")
    page.wait_for_function("() => window.check && window.check.loaded", timeout=LOAD_TIMEOUT_MS)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"))
    yield page.evaluate("() => window.check")
    documents.pop(path, None)


def assert_shows_every_event(page, check: dict, document: dict) -> None:
    events = document["events"]
    assert page.page_errors == []
    assert check["errors"] == []
    assert sorted(check["events"]) == sorted(slide["unique_id"] for slide in events)
    assert page.locator(".tl-slide").count() == len(events) + 1, "one per event + title"
    assert page.locator(".tl-timemarker").count() == len(events)
    assert page.locator(".tl-timeera").count() == len(document.get("eras", []))
    assert page.locator(".tl-message-full:visible").count() == 0
    assert page.foreign_requests == []


def test_curated_file_loads_with_one_slide_per_event(page, server):
    timeline = load_timeline(ROOT / "events.yaml")
    document = to_timelinejs(timeline, timeline.events)
    with showing(page, server, "curated", document) as check:
        assert_shows_every_event(page, check, document)
    assert page.console_errors == []


@pytest.mark.parametrize(
    "story", ["context", "kharkiv-counteroffensive", "kherson-counteroffensive", "energy-strikes"]
)
def test_each_story_loads(page, server, story):
    timeline = load_timeline(ROOT / "events.yaml")
    document = to_timelinejs(
        timeline, story_events(timeline, story), title=timeline.stories[story].title
    )
    with showing(page, server, f"story-{story}", document) as check:
        assert_shows_every_event(page, check, document)
        title = page.locator(".tl-slide-titleslide .tl-headline").first.inner_text()
        assert title == timeline.stories[story].title


def test_every_precision_and_escaped_text_in_the_browser(page, server):
    timeline = quirks_timeline()
    document = to_timelinejs(timeline, timeline.events)
    with showing(page, server, "quirks", document) as check:
        assert_shows_every_event(page, check, document)
        page.evaluate("() => window.timeline.goToId('html-and-escapes')")
        slide = page.locator("#html-and-escapes")
        slide.locator(".tl-headline").first.wait_for(state="visible")
        headline = slide.locator(".tl-headline").first.inner_text()
        assert headline.casefold() == 'Strike on "A&B" <script>alert(1)</script>'.casefold()
        body = slide.locator(".tl-text-content").first
        page.wait_for_timeout(1200)  # let the slide finish moving in, for the screenshot
        page.screenshot(path=str(OUTPUT / "quirks-escaped-slide.png"))
        assert '"a, b; c\\d" and <b>more</b>' in body.inner_text()
        assert body.locator("b, i, script").count() == 0, "quoted markup is text, not HTML"
        page.evaluate("() => window.timeline.goToId('part-of-month')")
        dates = page.locator("#part-of-month .tl-headline-date").first
        dates.wait_for(state="visible")
        assert dates.inner_text() == "early September 2022"
        ends = page.evaluate(
            """() => Object.fromEntries(window.timeline.config.events.map(
                   (slide) => [slide.unique_id, Boolean(slide.end_date)]))"""
        )
        assert ends == {slide["unique_id"]: "end_date" in slide for slide in document["events"]}
        assert page.evaluate("() => window.timeline.config.eras.every((era) => era.end_date)")


def test_the_page_catches_what_the_guards_prevent(page, server):
    """The check is not blind: a month name stops TimelineJS, a missing start drops a slide."""
    timeline = quirks_timeline()
    document = to_timelinejs(timeline, timeline.events)
    without_start = json.loads(json.dumps(document))
    del without_start["events"][0]["start_date"]
    with showing(page, server, "negative-no-start", without_start) as check:
        assert len(check["events"]) == len(document["events"]) - 1
        assert page.locator(".tl-slide").count() == len(document["events"])
    month_name = json.loads(json.dumps(document))
    month_name["events"][0]["start_date"] = {"year": 2022, "month": "Sept"}
    base, documents = server
    documents["/exports/negative-month.json"] = json.dumps(month_name).encode()
    page.goto(f"{base}/index.html?data=/exports/negative-month.json")
    message = page.locator(".tl-message-full").filter(has_text="must be numbers")
    message.wait_for(state="visible", timeout=LOAD_TIMEOUT_MS)
    page.screenshot(path=str(OUTPUT / "negative-month.png"))
    assert not page.evaluate("() => window.check.loaded")
