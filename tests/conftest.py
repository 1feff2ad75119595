"""Shared paths and fixtures for the tests, and a private cache folder for everything they start."""

import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, guard_requests, require_browser
from timeline.cache import CACHE_DIR_VARIABLE
from timeline.dates import parse_date
from timeline.errors import InvalidDate
from timeline.extract import Article, Gazetteer, article_candidates
from timeline.load import load_timeline
from timeline.model import Timeline
from timeline.query import events_frame

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small"

# The small hand-written events files of the writing, editing and review tests: the article
# they cite as 'art', and the one source (that article) and one place they begin with.
ARTICLE = (
    "Kharkiv, 12 September 2022. The first thing happened. Officials said more.\n\n"
    "The second thing happened. Then a third thing happened.\n"
)
ART_AND_IZIUM = """\
sources:
  - id: art
    outlet: Test Outlet
    published: 2022-09-12
    published_note: dateline
    file: article.txt
places:
  - {id: izium, name: Izium, kind: city, country: Ukraine, lat: 49.2103, lon: 37.2562}
"""
# Their one story.
AUTUMN = """\
stories:
  - id: autumn
    title: Autumn
    date: 2022-09 .. 2022-11
"""

# A source whose outlet and address need escaping in HTML, CSV, iCalendar and URLs: the first
# of the sources of the hostile files in the export and publish tests.
WIRE_SOURCE = """\
  - id: wire
    outlet: Wire & Co <Agency>
    published: 2022-09-12
    published_note: dateline
    url: https://example.org/story?a=1&b=2
"""

# Set before any test runs, so the dashboards and commands the tests start inherit it: tests
# must neither read entries a user's dashboard wrote nor leave their own in the user's home.
TEST_CACHE = tempfile.mkdtemp(prefix="timeline-test-cache-")
os.environ[CACHE_DIR_VARIABLE] = TEST_CACHE
# Nor in the temporary folder: a whole run leaves some 17 MB of entries there, and /tmp is
# not emptied between runs.
atexit.register(shutil.rmtree, TEST_CACHE, ignore_errors=True)


@pytest.fixture(autouse=True)
def _main_module_kept() -> Iterator[None]:
    """Put back the __main__ module a test replaced: AppTest runs its script as __main__ and
    leaves it there, and a later test's spawned processes would then re-run that script."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def copy_small(folder: Path) -> Path:
    """Copy the small events file and its articles into folder; return the copy's events file."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in SMALL.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder / "events.yaml"


def write_events(folder: Path, events: str | bytes, article: str = ARTICLE) -> Path:
    """Write an events file and its article (article.txt) into folder; return the file's path."""
    (folder / "article.txt").write_bytes(article.encode("utf-8"))
    path = folder / "events.yaml"
    path.write_bytes(events if isinstance(events, bytes) else events.encode("utf-8"))
    return path


def candidates_of(timeline: Timeline, text: str) -> list:
    """The candidates of an article written as 'date YYYY-MM-DD' and its text."""
    article = Article("a.txt", text, date.fromisoformat(text[5:15]), "dateline")
    return article_candidates(article, Gazetteer.from_timeline(timeline))


def parses_as_date(text: str) -> bool:
    """Whether parse_date accepts the text (it refuses with InvalidDate, nothing else)."""
    try:
        parse_date(text)
    except InvalidDate:
        return False
    return True


@pytest.fixture
def root() -> Path:
    """The project's top folder."""
    return ROOT


@pytest.fixture(scope="module")
def curated() -> Timeline:
    """The curated events.yaml, loaded; it must have no problem at all."""
    timeline = load_timeline(ROOT / "events.yaml")
    assert timeline.problems == [], "\n".join(map(str, timeline.problems))
    return timeline


@pytest.fixture(scope="module")
def small() -> Timeline:
    """tests/data/small/events.yaml, loaded; it must have no problem at all."""
    timeline = load_timeline(SMALL / "events.yaml")
    assert timeline.problems == [], "\n".join(map(str, timeline.problems))
    return timeline


@pytest.fixture(scope="module")
def frame(small: Timeline) -> pd.DataFrame:
    """The small file's events as the dashboard's frame."""
    return events_frame(small)


@pytest.fixture
def small_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the small events file and its articles, opened by the app."""
    events_file = copy_small(tmp_path / "data")
    monkeypatch.setenv("TIMELINE_EVENTS", str(events_file))
    return events_file


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for one test module (skipped, or failed under CI, if absent)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page that blocks (and records) every request leaving localhost, and records
    uncaught errors and console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    opened = context.new_page()
    opened.foreign_requests = []
    opened.page_errors = []
    opened.console_errors = []
    guard_requests(context, opened.foreign_requests)
    opened.on("pageerror", lambda error: opened.page_errors.append(str(error)))
    opened.on(
        "console",
        lambda message: (
            opened.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield opened
    context.close()
