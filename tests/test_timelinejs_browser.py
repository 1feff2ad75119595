"""Our TimelineJS export in the real TimelineJS (npm @knight-lab/timelinejs) in headless Chromium.

tests/timelinejs/ pins the library (package.json, package-lock.json) and holds a page that loads
the built library from node_modules and the JSON named by ?data=. The page and the exports are
served from 127.0.0.1; every request leaving localhost is blocked and recorded.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

import pytest

from tests.browser_support import require_browser, require_npm_package, serving_folder
from tests.conftest import ROOT
from tests.test_export import quirks_timeline
from timeline.export import story_events, to_timelinejs
from timeline.load import load_timeline

PAGE_DIR = ROOT / "tests" / "timelinejs"
OUTPUT = ROOT / "test-output" / "timelinejs"
LOAD_TIMEOUT_MS = 30_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, dict[str, bytes]]]:
    """The page's base URL on 127.0.0.1, and the documents it serves by path."""
    require_browser()
    require_npm_package(PAGE_DIR, "@knight-lab/timelinejs")
    with serving_folder(PAGE_DIR) as served:
        yield served


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
