"""The published page in headless Chromium, opened from file:// with every request blocked: it
asks for nothing but itself, draws every title, steps through the story by keys and buttons,
opens the event named in the URL, and shows hostile text as text. Screenshots (desktop and
phone) go to test-output/publish/."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from timeline.load import load_timeline, parse_timeline
from timeline.publish import publish_html

pytestmark = pytest.mark.browser

OUTPUT = ROOT / "test-output" / "publish"
STORY = "kharkiv-counteroffensive"
HOSTILE_TITLE = "</script><script>alert(1)</script>"
HOSTILE_YAML = f"""
sources:
  - {{id: s, outlet: "<b>Wire</b>", published: 2022-09-12, published_note: test,
     url: "https://example.org/?a=1&b=<2>"}}
stories:
  - {{id: st, title: "Story <img src=x onerror=alert(3)>", date: 2022-09}}
events:
  - id: hostile
    title: {HOSTILE_TITLE!r}
    date: 2022-09-10
    stories: [st]
    category: strike
    sources:
      - {{source: s, quote: "<img src=x onerror=alert(2)> \\u2028 </script>", quoted: "<i>X</i>"}}
    notes: "<svg onload=alert(4)>"
  - id: plain
    title: A plain event
    date: 2022-09-11
    stories: [st]
    category: other
    sources: [{{source: s, quote: plain}}]
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The Kharkiv story published by the command, as a user would, from the shipped file."""
    target = tmp_path_factory.mktemp("publish") / "story.html"
    result = subprocess.run(
        [sys.executable, "-m", "timeline", "publish", "--story", STORY, "--out", str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return target


@pytest.fixture(scope="module")
def titles() -> list[str]:
    """The story's titles in date order, read from the events file."""
    timeline = load_timeline(ROOT / "events.yaml")
    events = [e for e in timeline.events if STORY in e.stories and e.status != "rejected"]
    return [event.title for event in sorted(events, key=lambda event: event.sort_key)]


@contextlib.contextmanager
def opened(browser, path: Path, fragment: str = "", size=(1280, 800)) -> Iterator:
    """The page at file://path#fragment; every request but the file itself blocked and recorded
    in `page.requests`, dialogs in `page.dialogs`, script errors in `page.errors`."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    address = path.resolve().as_uri()
    page.requests, page.dialogs, page.errors = [], [], []

    def guard(route) -> None:
        url = route.request.url
        if url == address:
            route.continue_()
        else:
            page.requests.append(url)
            route.abort()

    context.route("**/*", guard)
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.goto(address + fragment)
    page.wait_for_selector(".card:not([hidden])")
    try:
        yield page
    finally:
        context.close()


def shown_title(page) -> str:
    return page.locator(".card:not([hidden]) h3").inner_text()


def position(page) -> str:
    return page.locator("#position").inner_text()


def test_asks_for_nothing_but_itself_and_draws_every_title(browser, published, titles):
    with opened(browser, published) as page:
        assert page.requests == []
        assert page.errors == []
        drawn = page.locator(".strip-svg text.label").all_text_contents()
        assert drawn == titles
        # Drawn, not only present: each label has a box inside the drawing.
        width = page.locator(".strip-svg").bounding_box()["width"]
        boxes = page.eval_on_selector_all(
            ".strip-svg text.label",
            "labels => labels.map(label => { const b = label.getBBox(); "
            "return [b.x, b.x + b.width, b.height]; })",
        )
        assert all(left >= 0 and right <= width and height > 0 for left, right, height in boxes)
        assert page.locator(".map-svg .place text", has_text="Izium").count() == 1


def test_arrow_keys_and_buttons_step_through_the_story(browser, published, titles):
    total = len(titles)
    with opened(browser, published) as page:
        assert (position(page), shown_title(page)) == (f"1 of {total}", titles[0])
        page.keyboard.press("ArrowRight")
        assert (position(page), shown_title(page)) == (f"2 of {total}", titles[1])
        assert page.locator(".strip-svg .item.current text.label").text_content() == titles[1]
        page.keyboard.press("ArrowLeft")
        assert (position(page), shown_title(page)) == (f"1 of {total}", titles[0])
        assert page.get_by_role("button", name="Previous event").is_disabled()
        page.get_by_role("button", name="Next event").click()
        page.get_by_role("button", name="Next event").click()
        assert (position(page), shown_title(page)) == (f"3 of {total}", titles[2])
        assert page.locator(".card:not([hidden])").count() == 1
        assert page.evaluate("location.hash") != ""


def test_the_fragment_opens_its_event_and_survives_a_reload(browser, published, titles):
    timeline = load_timeline(ROOT / "events.yaml")
    tec5 = timeline.events_with_ids(["kharkiv-tec5-strike"])[0]
    index = titles.index(tec5.title)
    with opened(browser, published, "#kharkiv-tec5-strike") as page:
        assert (position(page), shown_title(page)) == (f"{index + 1} of {len(titles)}", tec5.title)
        item = page.locator('.strip-svg .item[data-id="kharkiv-tec5-strike"]')
        assert "current" in item.get_attribute("class")
        current_places = page.locator(".map-svg .place.current text").all_text_contents()
        assert "Kharkiv TEC-5" in current_places
        page.keyboard.press("ArrowRight")
        page.reload()
        page.wait_for_selector(".card:not([hidden])")
        assert (position(page), shown_title(page)) == (
            f"{index + 2} of {len(titles)}",
            titles[index + 1],
        )
        assert page.requests == []


def test_clicking_an_event_on_the_timeline_opens_it(browser, published, titles):
    with opened(browser, published) as page:
        page.locator(".strip-svg text.label", has_text=titles[5]).click()
        # The link's hashchange is handled after the click returns: give it the time it takes.
        for _ in range(50):
            if position(page) == f"6 of {len(titles)}":
                break
            page.wait_for_timeout(100)
        assert (position(page), shown_title(page)) == (f"6 of {len(titles)}", titles[5])


def test_hostile_text_is_shown_as_text(browser, tmp_path):
    timeline = parse_timeline(HOSTILE_YAML.encode("utf-8"), "hostile.yaml")
    assert timeline.problems == [], "\n".join(map(str, timeline.problems))
    path = tmp_path / "hostile.html"
    path.write_text(publish_html(timeline, "st"), encoding="utf-8")
    with opened(browser, path, "#hostile") as page:
        page.wait_for_timeout(300)  # time for an injected handler to fire, were there one
        assert page.dialogs == []
        assert page.errors == []
        assert page.requests == []
        assert shown_title(page) == HOSTILE_TITLE
        assert page.locator("h1").inner_text() == "Story <img src=x onerror=alert(3)>"
        card = page.locator(".card:not([hidden])")
        assert card.locator("blockquote p").inner_text().startswith("“<img src=x onerror")
        assert card.locator("blockquote a").inner_text() == "<b>Wire</b>"
        assert card.locator("blockquote a").get_attribute("rel") == "noopener noreferrer"
        assert card.locator(".notes").inner_text() == "Note: <svg onload=alert(4)>"
        assert page.locator("img, .card svg, .card b, .card i").count() == 0


@pytest.mark.parametrize(("name", "size"), [("desktop", (1280, 800)), ("phone", (390, 844))])
def test_screenshots(browser, published, name, size):
    """Pictures to look at: the top of the page, and the whole of it."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with opened(browser, published, size=size) as page:
        page.screenshot(path=str(OUTPUT / f"{name}.png"))
        page.screenshot(path=str(OUTPUT / f"{name}-full.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, "only the timeline scrolls sideways, never the page"
        assert page.requests == []
