"""The Review view's four decisions clicked in headless Chromium on the running dashboard, each
file compared byte by byte with what it was before: only the lines of the decision change.
(tests/test_review.py makes the same decisions with AppTest; this is what a reviewer clicks.)
Screenshots go to test-output/review/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import running_dashboard, wait_until_finished
from tests.conftest import ROOT
from tests.test_edits import BASE, FIRST, THIRD, write_base

pytestmark = pytest.mark.browser

OUTPUT = ROOT / "test-output" / "review"


@pytest.fixture(scope="module")
def review(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """The dashboard on the edit tests' file (two candidates, 'first' and 'second')."""
    events_file = write_base(tmp_path_factory.mktemp("review")) / "events.yaml"
    with running_dashboard("review", events_file) as url:
        yield url, events_file


@pytest.fixture
def opened(page, review) -> Iterator[tuple[object, Path]]:
    """The Review view opened on the file as BASE holds it; BASE put back after the test."""
    url, events_file = review
    events_file.write_text(BASE)
    page.goto(f"{url}/?view=review")
    wait_until_finished(page)
    page.locator(".st-key-review-first").wait_for()
    yield page, events_file
    events_file.write_text(BASE)


def card(page, event_id: str):
    return page.locator(f".st-key-review-{event_id}")


def outcome(page, pattern: str) -> str:
    """The message the decision leaves at the top of the view, once it is there."""
    alert = page.get_by_text(re.compile(pattern)).first
    alert.wait_for(timeout=30_000)
    return alert.inner_text()


def shot(page, name: str) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{name}.png"), full_page=True)


@pytest.mark.parametrize(
    ("button", "event_id", "said", "before", "after"),
    [
        ("Accept", "first", "Accepted 'first' (line 23 changed).",
         "    status: candidate   # not yet reviewed\n",
         "    status: confirmed   # not yet reviewed\n"),
        # rejected: kept in the file, hidden, never added again by a later extraction
        ("Reject", "second", "Rejected 'second' (line 37 changed).",
         "    origin: extracted\n    status: candidate\n",
         "    origin: extracted\n    status: rejected\n"),
    ],
)  # fmt: skip
def test_a_decision_changes_the_status_line_only(opened, button, event_id, said, before, after):
    page, events_file = opened
    shot(page, "queue")
    card(page, event_id).get_by_role("button", name=button).click()
    assert outcome(page, rf"^{button}ed '{event_id}'") == said
    assert events_file.read_text() == BASE.replace(before, after)
    card(page, event_id).wait_for(state="detached", timeout=30_000)
    shot(page, f"{button.lower()}ed")


def test_edit_rewrites_only_the_changed_title(opened):
    page, events_file = opened
    card(page, "first").get_by_text("Edit", exact=True).click()
    title = page.locator(".st-key-title-first input")
    title.wait_for()
    title.fill("The first thing: it happens")
    card(page, "first").get_by_role("button", name="Save changes").click()
    assert outcome(page, r"^Edited 'first'") == "Edited 'first' (line 16 changed)."
    assert events_file.read_text() == BASE.replace(
        FIRST,
        FIRST.replace(
            "    title: The first thing happens\n", '    title: "The first thing: it happens"\n'
        ),
    )
    shot(page, "edited")


def test_merge_makes_the_candidate_a_further_source_of_the_event_it_reports(opened):
    page, events_file = opened
    card(page, "first").get_by_text("Merge into…", exact=True).click()
    target = page.locator(".st-key-target-first").get_by_role("combobox")
    target.wait_for()
    target.click()
    shot(page, "merge-choices")
    # typed and chosen with Enter, as a keyboard user does (a click on the listed option did
    # not reach it in headless Chromium)
    target.press_sequentially("third")
    page.keyboard.press("Enter")
    wait_until_finished(page)
    merge = card(page, "first").get_by_role("button", name="Merge", exact=True)
    merge.click()
    assert outcome(page, r"^Merged 'first'") == (
        "Merged 'first' into 'third' (lines 15–23 removed; 2 lines added after line 49)."
    )
    assert events_file.read_text() == BASE.replace(FIRST, "").replace(
        THIRD,
        THIRD.replace(
            "        quote: Then a third thing happened.\n",
            "        quote: Then a third thing happened.\n      - source: art\n"
            "        quote: The first thing happened.\n",
        ),
    )
    card(page, "first").wait_for(state="detached", timeout=30_000)
    shot(page, "merged")
