"""The dashboard in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from playwright.sync_api import Locator
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser_support import (
    OUTPUT,
    POINTS,
    open_view,
    running_dashboard,
    wait_until_finished,
)
from tests.conftest import ROOT, copy_small
from timeline.load import load_timeline

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dashboard() -> Iterator[str]:
    """The dashboard on the curated events.yaml."""
    with running_dashboard("streamlit") as url:
        yield url


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The dashboard on a writable copy of the small test events file, and that file."""
    events_file = copy_small(tmp_path_factory.mktemp("scratch"))
    with running_dashboard("scratch", events_file) as url:
        yield url, events_file


@pytest.fixture
def scratch_file(scratch) -> Iterator[tuple[str, Path, bytes]]:
    """The scratch dashboard, its file and the file's bytes, put back after the test whatever
    it wrote: the next test starts from the same file, even after a failure."""
    url, events_file = scratch
    original = events_file.read_bytes()
    yield url, events_file, original
    events_file.write_bytes(original)


def expected_count(story: str, text: str = "", categories: tuple[str, ...] = ()) -> tuple[int, int]:
    """How many events the dashboard should show, and in all, counted from the YAML itself.

    Written apart from timeline.query on purpose: a story shows its own events; the search
    matches titles, quotes and the names of places and actors, ignoring case.
    """
    data = yaml.safe_load((ROOT / "events.yaml").read_text(encoding="utf-8"))
    # Rejected events are hidden unless the sidebar's "Show rejected" is on.
    data["events"] = [e for e in data["events"] if e.get("status") != "rejected"]
    places = {place["id"]: place["name"] for place in data["places"]}
    actors = {actor["id"]: actor["name"] for actor in data["actors"]}

    def matches(event: dict) -> bool:
        words = [
            event["title"],
            *(citation["quote"] for citation in event["sources"]),
            *(places[place] for place in event.get("places", [])),
            *(actors[actor] for actor in event.get("actors", [])),
        ]
        return text.lower() in " ".join(words).lower()

    shown = [
        event
        for event in data["events"]
        if story in event.get("stories", [])
        and (not categories or event["category"] in categories)
        and matches(event)
    ]
    return len(shown), len(data["events"])


def counts_text(page) -> str:
    return page.get_by_text(re.compile(r"^\d+ of \d+ events")).first.inner_text()


def test_opens_offline_on_the_busiest_story(page, dashboard):
    shown, total = expected_count(story="kharkiv-counteroffensive")
    page.goto(dashboard)
    wait_until_finished(page)
    page.screenshot(path=str(OUTPUT / "opening-view.png"), full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert counts_text(page) == f"{shown} of {total} events"
    page.wait_for_selector(POINTS)
    clickable = page.locator(POINTS)
    grouped = sum(
        int(label.split()[0])
        for label in page.locator("svg text").evaluate_all("nodes => nodes.map(n => n.textContent)")
        if re.fullmatch(r"\d+ events", label)
    )
    assert clickable.count() + grouped >= shown, "every shown event has a marker or a count"
    assert page.foreign_requests == []


def test_clicking_an_event_shows_its_quote(page, dashboard):
    page.goto(dashboard)
    wait_until_finished(page)
    page.wait_for_selector(POINTS)
    point = page.locator(POINTS).first
    point.click(force=True)
    wait_until_finished(page)
    page.wait_for_function("() => location.search.includes('event=')")
    event_id = re.search(r"event=([a-z0-9-]+)", page.url).group(1)
    event = next(e for e in load_timeline(ROOT / "events.yaml").events if e.id == event_id)
    assert page.get_by_text(event.title, exact=True).count() >= 1
    page.screenshot(path=str(OUTPUT / "event-detail.png"), full_page=True)
    assert page.get_by_text(event.sources[0].quote, exact=True).count() >= 1
    assert page.foreign_requests == []


def test_search_filter_changes_the_count_and_the_url(page, dashboard):
    shown, total = expected_count(story="kharkiv-counteroffensive", text="izium")
    page.goto(dashboard)
    wait_until_finished(page)
    search = page.get_by_role("textbox", name="Search")
    search.fill("izium")
    search.press("Enter")
    wait_until_finished(page)
    page.wait_for_function("() => location.search.includes('text=izium')")
    assert counts_text(page) == f"{shown} of {total} events"


def test_url_query_restores_the_view(page, dashboard):
    shown, total = expected_count(story="energy-strikes", categories=("strike",))
    page.goto(f"{dashboard}/?story=energy-strikes&categories=strike")
    wait_until_finished(page)
    page.screenshot(path=str(OUTPUT / "energy-strikes-view.png"), full_page=True)
    assert counts_text(page) == f"{shown} of {total} events"
    story = page.locator('[data-testid="stSelectbox"]').filter(has_text="Story")
    assert "October–November" in story.locator("input").input_value()


def websocket_handshake_status(url: str, host: str) -> int:
    """The HTTP status of a WebSocket upgrade to the app's stream, sent with this Host."""
    port = urlsplit(url).port
    request = (
        "GET /_stcore/stream HTTP/1.1\r\n"
        f"Host: {host}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: http://{host}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        status_line = connection.recv(4096).split(b"\r\n", 1)[0].decode()
    return int(status_line.split()[1])


@pytest.mark.parametrize(
    ("host", "allowed"),
    [("localhost", True), ("127.0.0.1", True), ("attacker.example", False),
     ("localhost.attacker.example", False)],
)  # fmt: skip
def test_dashboard_refuses_foreign_host_header(dashboard, host, allowed):
    """DNS rebinding: a page on another name that resolves here must not reach the app."""
    port = urlsplit(dashboard).port
    status = websocket_handshake_status(dashboard, f"{host}:{port}")
    assert (status == 101) is allowed, status


def test_listens_on_loopback_only(dashboard):
    port = urlsplit(dashboard).port
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        # Connecting a UDP socket sends nothing; it only picks the outward interface.
        probe.connect(("10.255.255.255", 1))
        outward = probe.getsockname()[0]
    if outward.startswith("127."):
        pytest.skip("this machine has no address other than loopback to test from")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((outward, port), timeout=3).close()


def test_saving_the_file_updates_the_open_page(page, scratch_file):
    url, events_file, original = scratch_file
    page.goto(f"{url}/?story=strikes")
    wait_until_finished(page)
    before = counts_text(page)
    last_event = original.index(b"  - id: settlements-reclaimed")
    shorter = original[:last_event]
    events_file.write_bytes(shorter)
    started = time.monotonic()
    page.get_by_text(re.compile(r"^\d+ of 4 events")).wait_for(timeout=10_000)
    elapsed = time.monotonic() - started
    page.screenshot(path=str(OUTPUT / "live-reload.png"))
    # About 1.5 s on a quiet machine (a 1 s poll plus a rerun); loose enough for a busy one.
    assert elapsed < 5, f"the page followed the save after {elapsed:.1f} s"
    assert before.endswith(" of 5 events")

    broken = original.replace(b"date: 2022-W36", b"date: 2022-W99")
    events_file.write_bytes(broken)
    page.get_by_text("fix these in the file").wait_for(timeout=5000)
    wait_until_finished(page)
    page.screenshot(path=str(OUTPUT / "invalid-file-panel.png"))
    assert page.get_by_text("has no week 99").count() >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
    total = counts_text(page).split(" of ")[1]
    assert total == "4 events", "the invalid event is left out, the others still drawn"

    events_file.unlink()
    page.get_by_text("cannot read the file").first.wait_for(timeout=5000)
    assert page.locator('[data-testid="stException"]').count() == 0
    # Back to the whole file, and the page following it, before the next test opens it.
    events_file.write_bytes(original)
    page.get_by_text(re.compile(r"^\d+ of 5 events")).wait_for(timeout=5000)


def test_every_view_draws_without_error(page, dashboard):
    page.goto(f"{dashboard}/?story=energy-strikes")
    wait_until_finished(page)
    page.screenshot(path=str(OUTPUT / "view-timeline.png"))
    for tab in ("Event", "Map", "Charts", "Table", "Add an event"):
        open_view(page, tab)
        panel = page.locator('[role="tabpanel"]:visible')
        panel.scroll_into_view_if_needed()
        page.screenshot(path=str(OUTPUT / f"view-{tab.lower().replace(' ', '-')}.png"))
        assert page.locator('[data-testid="stException"]').count() == 0
    open_view(page, "Map")
    markers = page.locator('[data-testid="stPlotlyChart"] .scatterlayer .points path.point:visible')
    assert markers.count() > 0, "the map draws its places"
    assert page.foreign_requests == []


def test_only_the_open_view_runs_and_a_link_reopens_it(page, dashboard):
    page.goto(f"{dashboard}/?story=energy-strikes")
    wait_until_finished(page)
    # Plotly's code arrives in a chunk of its own: until then the chart has no element at all.
    charts = page.locator('[data-testid="stPlotlyChart"]')
    charts.first.locator(".main-svg .cartesianlayer").wait_for(timeout=15_000)
    wait_until_finished(page)
    # First paint: the timeline and the event picker, not the map, charts or table.
    assert charts.count() == 1
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    open_view(page, "Map")
    page.wait_for_function("() => location.search.includes('view=map')", timeout=10_000)
    charts.nth(1).locator(".main-svg .cartesianlayer").wait_for(timeout=15_000)
    assert charts.count() == 2
    shared = page.url
    page.goto("about:blank")
    page.goto(shared)
    wait_until_finished(page)
    selected = page.locator('[role="tab"][aria-selected="true"]')
    assert selected.inner_text().strip() == "Map"
    markers = page.locator('[data-testid="stPlotlyChart"] .scatterlayer .points path.point:visible')
    # The map's places are drawn after its axes, which is all wait_until_finished waits for.
    markers.first.wait_for(state="visible", timeout=15_000)
    assert page.foreign_requests == []


def download(page, label: str, attempts: int = 3) -> tuple[str, bytes]:
    """Click a download button until its file arrives: on a busy machine a click that lands
    while the live-reload fragment reruns the page is lost with the button it hit."""
    for attempt in range(attempts):
        try:
            with page.expect_download(timeout=20_000) as download:
                page.get_by_role("button", name=label, exact=True).click()
            return download.value.suggested_filename, Path(download.value.path()).read_bytes()
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            wait_until_finished(page)
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    ("label", "name", "first_bytes"),
    [
        ("CSV", "energy-strikes-csv.csv", b"id,"),
        ("TimelineJS", "energy-strikes-timelinejs.json", b"{"),
        ("Web page (HTML)", "energy-strikes.html", b"<!DOCTYPE html>"),
    ],
)
def test_downloads_hold_the_events_shown(page, dashboard, label, name, first_bytes):
    shown, _ = expected_count(story="energy-strikes")
    page.goto(f"{dashboard}/?story=energy-strikes")
    wait_until_finished(page)
    open_view(page, "Table")
    file_name, content = download(page, label)
    assert file_name == name, "a story's files are named after it"
    assert content.startswith(first_bytes)
    if label == "TimelineJS":
        document = json.loads(content)
        assert len(document["events"]) == shown
        story_title = "October–November strikes on the energy grid"
        assert document["title"]["text"]["headline"] == story_title
    elif label == "CSV":
        assert len(content.decode().strip().splitlines()) >= shown + 1
    else:
        data = re.search(r'<script type="application/json" id="story-data">(.*?)</script>',
                         content.decode(), re.S)  # fmt: skip
        assert len(json.loads(data.group(1))["events"]) == shown
    assert page.foreign_requests == []


def fill_add_form(page, url: str, when: str) -> Locator:
    """Open the Add an event view of the dashboard at url and fill its form with the small
    file's 'Power returns to Kharkiv' event, on this date; the form's panel."""
    page.goto(f"{url}/?story=strikes")
    wait_until_finished(page)
    open_view(page, "Add an event")
    panel = page.locator('[role="tabpanel"]:visible')
    panel.get_by_role("textbox", name="Title").fill("Power returns to Kharkiv")
    panel.get_by_role("textbox", name="Date").fill(when)
    # Typed, not clicked in the list: a click on a picker right after another one closed
    # its list may only focus it, without opening its own.
    for picker, label, option in (
        ("stSelectbox", "Category", "infrastructure"),
        ("stMultiSelect", "Stories", "Strikes"),
        ("stSelectbox", "Source", "Outlet A"),
    ):
        panel.locator(f'[data-testid="{picker}"]').filter(has_text=label).click()
        page.keyboard.type(option)
        page.get_by_role("option", name=re.compile(f"^{option}")).wait_for(timeout=5000)
        page.keyboard.press("Enter")
        if picker == "stMultiSelect":
            page.keyboard.press("Escape")  # its list stays open for more (a select's closes)
    quote = panel.get_by_role("textbox", name="Quote, copied verbatim from the source")
    quote.fill("caused power cuts in Kharkiv")
    return panel


# The block the form appends for it, written out by hand from the data model.
POWER_BLOCK = (
    b"  - id: power-returns-to-kharkiv\n    title: Power returns to Kharkiv\n"
    b"    date: 2022-09-12 morning\n    stories:\n      - strikes\n"
    b"    category: infrastructure\n    sources:\n      - source: a\n"
    b"        quote: caused power cuts in Kharkiv\n    status: reported\n"
)


def test_a_double_click_adds_one_event_and_the_message_stays_until_dismissed(page, scratch_file):
    url, events_file, original = scratch_file
    panel = fill_add_form(page, url, "2022-09-12 morning")
    submit = panel.get_by_role("button", name="Validate and add")
    submit.dblclick()
    added = page.get_by_text("Added 'power-returns-to-kharkiv' to events.yaml.")
    added.wait_for(timeout=15_000)
    # The file watcher reruns the page after the save: the message outlives it.
    page.wait_for_timeout(3000)
    wait_until_finished(page)
    assert added.is_visible()
    assert events_file.read_bytes() == original + POWER_BLOCK, "one block, once"
    submit.click()
    page.get_by_text("Not added again").wait_for(timeout=15_000)
    assert page.get_by_text("added as 'power-returns-to-kharkiv'").count() == 1
    assert events_file.read_bytes() == original + POWER_BLOCK
    assert added.is_visible()
    page.get_by_role("button", name="Dismiss").click()
    added.wait_for(state="detached", timeout=15_000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_form_error_is_shown_under_its_field(page, scratch_file):
    url, events_file, original = scratch_file
    panel = fill_add_form(page, url, "2022-02-30")
    panel.get_by_role("button", name="Validate and add").click()
    error = panel.get_by_text("date '2022-02-30' is not a real day")
    error.wait_for(timeout=15_000)
    page.screenshot(path=str(OUTPUT / "add-form-field-error.png"), full_page=True)
    date_box = panel.get_by_role("textbox", name="Date").bounding_box()
    error_box = error.bounding_box()
    category = panel.locator('[data-testid="stSelectbox"]').filter(has_text="Category")
    category_box = category.bounding_box()
    assert date_box["y"] + date_box["height"] <= error_box["y"] < category_box["y"]
    assert abs(error_box["x"] - date_box["x"]) < 40, "in the Date field's column"
    assert panel.get_by_text("1 problem marked at the fields below").count() == 1
    assert events_file.read_bytes() == original


def test_the_open_event_stays_open_and_comes_back_once_the_file_is_fixed(page, scratch_file):
    url, events_file, original = scratch_file
    title = page.get_by_role("heading", name="Ukrainian forces retake Izium")
    page.goto(f"{url}/?story=counteroffensive&event=izium-retaken")
    wait_until_finished(page)
    title.wait_for(timeout=15_000)
    # The open event's own title edited and saved: it is still the one open.
    edited = original.replace(b"retake Izium", b"retake the city of Izium")
    events_file.write_bytes(edited)
    page.get_by_role("heading", name="Ukrainian forces retake the city of Izium").wait_for(
        timeout=10_000
    )
    wait_until_finished(page)
    # Its id broken: the event is left out while the others are still shown.
    events_file.write_bytes(original.replace(b"id: izium-retaken", b"id: Izium Retaken"))
    page.get_by_text("fix these in the file").wait_for(timeout=10_000)
    wait_until_finished(page)
    assert title.count() == 0
    assert "event=izium-retaken" in page.url, "the link still names it"
    events_file.write_bytes(original)
    title.wait_for(timeout=10_000)
    wait_until_finished(page)
    assert "event=izium-retaken" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
