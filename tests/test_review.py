"""The review queue: pure choices (timeline.review) and the Review view's four decisions, each
compared byte by byte with the file before it (AppTest)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_edits import (
    BASE,
    FIRST,
    THIRD,
    write_base,
)
from timeline import review
from timeline.load import parse_timeline


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_base(tmp_path)


@pytest.fixture
def timeline(folder):
    return parse_timeline(BASE.encode(), str(folder / "events.yaml"), folder).raise_if_invalid()


def test_the_queue_holds_the_candidates_in_date_order(timeline):
    assert [event.id for event in review.review_queue(timeline)] == ["second", "first"]
    assert [event.id for event in review.review_queue(timeline, "other-source")] == []
    assert review.queue_sources(timeline) == {"art": 2}


def test_possible_duplicates_share_days_and_words(timeline):
    first, second = (next(e for e in timeline.events if e.id == i) for i in ("first", "second"))
    assert [event.id for event in review.possible_duplicates(timeline, first)] == ["third"]
    assert [event.id for event in review.possible_duplicates(timeline, second)] == ["third"]
    assert review.merge_targets(timeline, first) == ["third"]


def test_the_form_round_trips_an_event(timeline):
    second = next(e for e in timeline.events if e.id == "second")
    values = review.form_fields(second)
    assert values == {
        "title": "The second thing happens", "date": "2022-09-11 .. 2022-09-13",
        "category": "other", "stories": ["autumn"], "actors": [], "places": ["izium"],
        "notes": "A literal block\nof notes.\n",
    }  # fmt: skip
    assert review.edited_fields({**values, "notes": "  "}) == {
        "title": "The second thing happens", "date": "2022-09-11 .. 2022-09-13",
        "category": "other", "stories": ["autumn"], "actors": None, "places": ["izium"],
        "notes": None,
    }  # fmt: skip


# The view, run headless


def review_page(events_path: str) -> None:
    import hashlib
    from pathlib import Path

    from dashboard.review import review_view
    from timeline.load import parse_timeline

    path = Path(events_path)
    data = path.read_bytes()
    timeline = parse_timeline(data, str(path), path.parent)
    review_view(timeline, path, hashlib.sha256(data).hexdigest())


def page(folder: Path) -> AppTest:
    return AppTest.from_function(
        review_page, args=(str(folder / "events.yaml"),), default_timeout=30
    ).run()


def message(app: AppTest) -> str:
    return " ".join(element.value for element in [*app.success, *app.error] if element.value)


def test_accept_changes_the_status_line_only(folder):
    app = page(folder)
    assert not app.exception
    assert "May duplicate: **A third thing happens**" in " ".join(m.value for m in app.markdown)
    app.button(key="accept-first").click().run()
    assert (folder / "events.yaml").read_text() == BASE.replace(
        "    status: candidate   # not yet reviewed\n",
        "    status: confirmed   # not yet reviewed\n",
    )
    assert message(app) == "Accepted 'first' (line 23 changed)."


def test_reject_hides_the_candidate(folder):
    app = page(folder)
    app.button(key="reject-second").click().run()
    assert (folder / "events.yaml").read_text() == BASE.replace(
        "    origin: extracted\n    status: candidate\n",
        "    origin: extracted\n    status: rejected\n",
    )
    assert message(app) == "Rejected 'second' (line 37 changed)."
    assert not [b for b in app.button if b.key == "accept-second"]


def test_edit_rewrites_only_the_changed_fields(folder):
    app = page(folder)
    app.toggle(key="edit-first").set_value(True).run()
    app.text_input(key="title-first").set_value("The first thing: it happens")
    app.multiselect(key="places-first").set_value(["izium"])
    next(b for b in app.button if b.label == "Save changes").click().run()
    assert (folder / "events.yaml").read_text() == BASE.replace(
        FIRST,
        FIRST.replace(
            "    title: The first thing happens\n", '    title: "The first thing: it happens"\n'
        ).replace("    category: other\n", "    category: other\n    places:\n      - izium\n"),
    )
    assert message(app) == "Edited 'first' (line 16 changed; 2 lines added after line 19)."


def test_merge_makes_the_candidate_a_further_source(folder):
    app = page(folder)
    app.toggle(key="merge-first").set_value(True).run()
    app.selectbox(key="target-first").set_value("third").run()
    app.button(key="do-merge-first").click().run()
    assert (folder / "events.yaml").read_text() == BASE.replace(FIRST, "").replace(
        THIRD,
        THIRD.replace(
            "        quote: Then a third thing happened.\n",
            "        quote: Then a third thing happened.\n      - source: art\n"
            "        quote: The first thing happened.\n",
        ),
    )
    assert message(app) == (
        "Merged 'first' into 'third' (lines 15–23 removed; 2 lines added after line 49)."
    )


def test_a_decision_is_refused_when_the_file_changed_since_the_page_was_drawn(folder):
    app = page(folder)
    changed = BASE.replace("# A small events file", "# An edited events file")
    (folder / "events.yaml").write_text(changed)
    app.button(key="accept-first").click().run()
    assert (folder / "events.yaml").read_text() == changed
    assert message(app).startswith("Not saved: ")
    assert "changed since it was loaded" in message(app)


def test_the_message_stays_until_dismissed(folder):
    app = page(folder)
    app.button(key="accept-first").click().run()
    app.run()
    assert message(app) == "Accepted 'first' (line 23 changed)."
    app.button(key="review-dismiss").click().run()
    assert message(app) == ""


@pytest.mark.parametrize(
    ("notes", "expected"),
    [
        (None, []),
        ("A literal block\nof notes.\n", []),
        (
            "Extracted automatically: “Monday” read as 10 October 2022. Review before "
            "confirming. Extraction doubts: category from keywords, not the verb; places "
            "from the previous sentence.",
            ["category from keywords, not the verb", "places from the previous sentence"],
        ),
        (  # a line of its own, among the reviewer's own notes
            "Checked the date.\nExtraction doubts: date from another sentence\nMore notes.",
            ["date from another sentence"],
        ),
        ("Extraction doubts: ", []),
    ],
)
def test_the_doubts_are_read_from_the_notes(notes, expected):
    assert review.notes_doubts(notes) == expected


def test_a_candidate_shows_its_doubts_beside_its_sentence(folder):
    events = folder / "events.yaml"
    events.write_text(
        BASE.replace(
            "    notes: |\n      A literal block\n      of notes.\n",
            "    notes: 'Extracted automatically. Extraction doubts: date from another "
            "sentence; places from an earlier event.'\n",
        )
    )
    app = page(folder)
    assert not app.exception
    assert [c.value for c in app.caption if c.value.startswith("Extraction doubts")] == [
        "Extraction doubts\\: date from another sentence; places from an earlier event"
    ]  # (the colon escaped: notes are shown as typed, never as markup)
