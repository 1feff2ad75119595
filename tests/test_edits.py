"""Surgical edits of events.yaml: exactly the intended lines change, byte for byte, or nothing."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path

import pytest

from tests.conftest import ART_AND_IZIUM, AUTUMN, write_events
from timeline.edits import (
    Document,
    EditRejected,
    InsertItems,
    InsertSource,
    NoSuchEvent,
    NotEditable,
    ReplaceFields,
    SetStatus,
    changed_lines,
    insert_citation,
    insert_source,
    merge_into,
    merge_steps,
    plan_edit,
    replace_event,
    set_status,
)
from timeline.load import parse_timeline
from timeline.schema import EVENT
from timeline.write import FileChanged, StorageError

# Comments, an inline flow list, an indentless list, '-   ' items, a literal block scalar, and
# an event without a status: what hand-edited files hold.
BASE = (
    "# A small events file for the edit tests.\n"
    + ART_AND_IZIUM
    + AUTUMN
    + """\
events:
  - id: first
    title: The first thing happens
    date: 2022-09-12
    stories: [autumn]
    category: other
    sources:
      - source: art
        quote: The first thing happened.
    status: candidate   # not yet reviewed
  # a comment between events
  - id: second
    title: The second thing happens
    date: 2022-09-11 .. 2022-09-13
    stories:
    - autumn
    category: other
    places:
    - izium
    sources:
    -   source: art
        quote: The second thing happened.
    origin: extracted
    status: candidate
    notes: |
      A literal block
      of notes.
  - id: third
    title: A third thing happens
    date: 2022-09-12
    stories:
      - autumn
    category: other
    sources:
      - source: art
        quote: Then a third thing happened.
    origin: extracted
"""
)

# The first and the last event as they stand in BASE, to replace or remove in expectations.
FIRST = BASE[BASE.index("  - id: first\n") : BASE.index("  # a comment between events\n")]
THIRD = BASE[BASE.index("  - id: third\n") :]

NEW_SOURCE = {
    "id": "bbc-2022-09-13",
    "outlet": "BBC News",
    "published": "2022-09-13",
    "published_note": "Given on the command line (--published).",
    "file": "article.txt",
}

# (steps, the old text, the new text): every other byte of BASE stays.
EDITS = {
    "status replaced in place, its comment kept": (
        [SetStatus("first", "confirmed")],
        "    status: candidate   # not yet reviewed\n",
        "    status: confirmed   # not yet reviewed\n",
    ),
    "status added after origin": (
        [SetStatus("third", "confirmed")],
        "        quote: Then a third thing happened.\n    origin: extracted\n",
        "        quote: Then a third thing happened.\n    origin: extracted\n"
        "    status: confirmed\n",
    ),
    "source appended to sources, before places": (
        [InsertSource(NEW_SOURCE)],
        "    file: article.txt\nplaces:\n",
        "    file: article.txt\n  - id: bbc-2022-09-13\n    outlet: BBC News\n"
        "    published: 2022-09-13\n    published_note: Given on the command line (--published).\n"
        "    file: article.txt\nplaces:\n",
    ),
    "citation indented like the list's own items": (
        [InsertItems("second", "sources", ({"source": "art", "quote": "Officials said more."},))],
        "        quote: The second thing happened.\n",
        "        quote: The second thing happened.\n    -   source: art\n"
        "        quote: Officials said more.\n",
    ),
    "a list field added after the field before it in the data model's order": (
        [ReplaceFields("first", {"title": "The first thing happens", "places": ["izium"]})],
        "    category: other\n    sources:\n      - source: art\n        quote: The first",
        "    category: other\n    places:\n      - izium\n    sources:\n      - source: art\n"
        "        quote: The first",
    ),
    "a field removed": (
        [ReplaceFields("second", {"origin": None})],
        "        quote: The second thing happened.\n    origin: extracted\n",
        "        quote: The second thing happened.\n",
    ),
}


def write_base(folder: Path) -> Path:
    """Write the events file (BASE) and its article into folder; return folder."""
    write_events(folder, BASE)
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder with the events file (BASE) and its article."""
    return write_base(tmp_path)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def planned(folder: Path, steps, text: str = BASE) -> str:
    data = text.encode("utf-8")
    return plan_edit(data, steps, str(folder / "events.yaml"), folder).decode("utf-8")


@pytest.mark.parametrize("name", list(EDITS))
def test_each_edit_changes_exactly_its_lines(folder, name):
    steps, old, new = EDITS[name]
    assert BASE.count(old) == 1
    assert planned(folder, steps) == BASE.replace(old, new)


def test_a_changed_title_and_literal_block_change_only_their_lines(folder):
    steps = [ReplaceFields("second", {"title": "Second: a title", "notes": "Short."})]
    expected = BASE.replace(
        "    title: The second thing happens\n", '    title: "Second: a title"\n'
    ).replace("    notes: |\n      A literal block\n      of notes.\n", "    notes: Short.\n")
    assert planned(folder, steps) == expected


def test_unchanged_fields_leave_the_file_as_it_was(folder):
    same = {"title": "The second thing happens", "stories": ["autumn"], "places": ["izium"]}
    assert planned(folder, [ReplaceFields("second", same)]) == BASE


@pytest.mark.parametrize(
    ("newline", "bom"), [("\n", False), ("\r\n", False), ("\r\n", True)], ids=["lf", "crlf", "bom"]
)
def test_line_ends_and_byte_order_mark_are_kept(folder, newline, bom):
    text = BASE.replace("\n", newline)
    data = (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8")
    steps = [SetStatus("third", "confirmed"), InsertSource(NEW_SOURCE)]
    new = plan_edit(data, steps, "events.yaml", folder)
    expected = BASE.replace(
        "        quote: Then a third thing happened.\n    origin: extracted\n",
        "        quote: Then a third thing happened.\n    origin: extracted\n"
        "    status: confirmed\n",
    )
    expected = expected.replace(
        "    file: article.txt\nplaces:\n",
        "    file: article.txt\n  - id: bbc-2022-09-13\n    outlet: BBC News\n"
        "    published: 2022-09-13\n    published_note: Given on the command line (--published).\n"
        "    file: article.txt\nplaces:\n",
    )
    assert new == (codecs.BOM_UTF8 if bom else b"") + expected.replace("\n", newline).encode()


def test_a_file_without_a_final_line_break_gets_one_before_new_lines(folder):
    text = BASE.removesuffix("\n")
    assert planned(folder, [SetStatus("third", "confirmed")], text) == (
        BASE + "    status: confirmed\n"
    )


def test_an_event_is_removed_up_to_its_last_line(folder):
    data = BASE.encode()
    new = plan_edit(data, merge_steps(Document.read(data, "e"), "third", "second"), "e", folder)
    # The candidate's date lies within the event's days and differs: the citation keeps it.
    expected = BASE.replace(THIRD, "").replace(
        "        quote: The second thing happened.\n",
        "        quote: The second thing happened.\n    -   source: art\n"
        "        quote: Then a third thing happened.\n        date: 2022-09-12\n",
    )
    assert new.decode() == expected


def test_merge_into_writes_the_file_and_says_which_lines_changed(folder):
    path = folder / "events.yaml"
    saved = merge_into(path, "first", "second", sha(path))
    expected = BASE.replace(
        "  - id: first\n    title: The first thing happens\n    date: 2022-09-12\n"
        "    stories: [autumn]\n    category: other\n    sources:\n      - source: art\n"
        "        quote: The first thing happened.\n    status: candidate   # not yet reviewed\n",
        "",
    ).replace(
        "        quote: The second thing happened.\n",
        "        quote: The second thing happened.\n    -   source: art\n"
        "        quote: The first thing happened.\n        date: 2022-09-12\n",
    )
    assert path.read_text() == expected
    assert saved.sha256 == sha(path)
    assert saved.changes == "lines 15–23 removed; 3 lines added after line 35"


def test_merging_twice_adds_no_second_citation(folder):
    path = folder / "events.yaml"
    data = BASE.replace(
        "        quote: The second thing happened.\n",
        "        quote: The second thing happened.\n    - source: art\n"
        "      quote: Then a third thing happened.\n",
    )
    path.write_text(data)
    merge_into(path, "third", "second", sha(path))
    assert path.read_text() == data.replace(THIRD, "")


def test_set_status_writes_one_line(folder):
    path = folder / "events.yaml"
    saved = set_status(path, "second", "rejected", sha(path))
    assert path.read_text() == BASE.replace(
        "    origin: extracted\n    status: candidate\n",
        "    origin: extracted\n    status: rejected\n",
    )
    assert saved.changes == "line 37 changed"


def test_insert_source_and_citation_and_replace_event_write(folder):
    path = folder / "events.yaml"
    insert_source(path, NEW_SOURCE, sha(path))
    insert_citation(path, "first", {"source": "bbc-2022-09-13", "quote": "Officials said more."},
                    sha(path))  # fmt: skip
    saved = replace_event(path, "first", {"category": "statement"}, sha(path))
    assert saved.changes == "line 24 changed"
    text = path.read_text()
    assert text.count("\n") == BASE.count("\n") + 7
    assert "      - source: bbc-2022-09-13\n        quote: Officials said more.\n" in text
    assert parse_timeline(path.read_bytes(), str(path), folder).ok


# Refusals: the file is left exactly as it was


def assert_refused(folder: Path, error: type[Exception], message: str, call) -> None:
    path = folder / "events.yaml"
    before = path.read_bytes()
    with pytest.raises(error) as raised:
        call(path)
    assert str(raised.value) == message.format(path=path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [
        "article.txt", "events.yaml", "events.yaml.lock",
    ]  # fmt: skip


def test_refuses_when_the_file_changed_since_it_was_read(folder):
    assert_refused(
        folder,
        FileChanged,
        "{path} changed since it was loaded (someone else saved it); reload it, check the "
        "change is still needed, and make it again",
        lambda path: set_status(path, "first", "confirmed", hashlib.sha256(b"old").hexdigest()),
    )


def test_refuses_an_invalid_result_with_every_error(folder):
    assert_refused(
        folder,
        EditRejected,
        "status of 'first' not saved to {path}: the file would have 1 error\n"
        "{path}:23:13: error: event 'first': status: unknown value 'bogus' (expected one of: "
        + ", ".join(EVENT.field("status").choices)
        + ")",
        lambda path: set_status(path, "first", "bogus", sha(path)),
    )


def test_refuses_an_unknown_event(folder):
    assert_refused(
        folder,
        NoSuchEvent,
        "{path}: no event has the id 'fourth'",
        lambda path: set_status(path, "fourth", "confirmed", sha(path)),
    )


FLOW_EVENT = (
    "  - {id: fourth, title: Fourth, date: 2022-09-12, stories: [autumn], category: other, "
)
FLOW_EVENT += "sources: [{source: art, quote: Officials said more.}]}\n"


@pytest.mark.parametrize(
    ("text", "call", "message"),
    [
        (
            BASE + FLOW_EVENT,
            lambda path: set_status(path, "fourth", "confirmed", None),
            "{path}:51: event 'fourth' is written in flow style ({{...}} or [...]); write it as "
            "a block of 'key: value' lines to edit it here",
        ),
        (
            BASE.replace(
                "    sources:\n      - source: art\n        quote: The first thing happened.\n",
                "    sources: [{source: art, quote: The first thing happened.}]\n",
            ),
            lambda path: insert_citation(path, "first", {"source": "art", "quote": "x"}, None),
            "{path}:20: the sources of event 'first' is in brackets ([...]); write it as a block "
            "list (one '- ' item a line) to add to it here",
        ),
        (
            BASE.replace("sources:\n  - id: art", "sources: [\n  {id: art"),
            lambda path: insert_source(path, NEW_SOURCE, None),
            "{path}:4:11: YAML syntax: did not find expected ',' or '}}' (while parsing a flow "
            "mapping at line 3) (fix the file, then try again)",
        ),
    ],
    ids=["flow event", "flow sources", "broken yaml"],
)
def test_refuses_what_cannot_be_edited_in_place(folder, text, call, message):
    (folder / "events.yaml").write_text(text)
    assert_refused(folder, NotEditable, message, call)


def test_a_failed_save_leaves_the_file_and_no_temporary_file(folder, monkeypatch):
    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    assert_refused(
        folder,
        StorageError,
        "cannot save {path}: no space left on the device (free some disk space and try again; "
        "the file was not changed)",
        lambda path: set_status(path, "first", "confirmed", sha(path)),
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a\nb\nc\n", "a\nb\nc\n", "nothing changed"),
        ("a\nb\nc\n", "a\nB\nc\n", "line 2 changed"),
        ("a\nb\nc\n", "a\nb\nx\ny\nc\n", "2 lines added after line 2"),
        ("a\nb\nc\nd\n", "a\nd\n", "lines 2–3 removed"),
        ("a\nb\nc\nd\n", "x\nb\nc\nd\ny\n", "line 1 changed; 1 line added after line 4"),
        ("a\r\nb\r\n", "a\r\nb\r\nc\r\n", "1 line added after line 2"),
    ],
)
def test_changed_lines_in_words(old, new, expected):
    assert changed_lines(old.encode(), new.encode()) == expected


def test_merging_several_citations_and_a_figure(folder):
    path = folder / "events.yaml"
    rich = BASE.replace(
        "        quote: The first thing happened.\n    status: candidate",
        "        quote: The first thing happened.\n      - source: art\n"
        "        quote: Officials said more.\n    figures:\n      - measure: deaths\n"
        "        value: 2\n        unit: people\n        claimed_by: officials\n"
        "        source: art\n    status: candidate",
    )
    path.write_text(rich)
    first = rich[rich.index("  - id: first\n") : rich.index("  # a comment between events")]
    merge_into(path, "first", "third", sha(path))
    assert path.read_text() == rich.replace(first, "").replace(
        "        quote: Then a third thing happened.\n",
        "        quote: Then a third thing happened.\n      - source: art\n"
        "        quote: The first thing happened.\n      - source: art\n"
        "        quote: Officials said more.\n    figures:\n      - measure: deaths\n"
        "        value: 2\n        unit: people\n        claimed_by: officials\n"
        "        source: art\n",
    )


@pytest.mark.parametrize(
    "head",
    ["  - title: A third thing happens\n    id: third\n", "  -\n    id: third\n"
     "    title: A third thing happens\n"],
    ids=["id not first", "dash on its own line"],
)  # fmt: skip
def test_an_event_whose_id_is_not_on_its_dash_line_is_found(folder, head):
    text = BASE.replace("  - id: third\n    title: A third thing happens\n", head)
    assert planned(folder, [SetStatus("third", "confirmed")], text) == (
        text + "    status: confirmed\n"
    )
