"""Checks across records (timeline/checks.py), on records built by hand: what each reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from timeline.checks import Unfinished, check_records, complete, first_of_each_id
from timeline.dates import parse_date
from timeline.errors import Severity
from timeline.model import Citation, Event, Figure, Link, Source, Story

E, W = Severity.ERROR, Severity.WARNING


class Recorder:
    """A Report that keeps what it is told, naming records by their id or their class."""

    def __init__(self) -> None:
        self.found: list[tuple[str, object, Severity, str]] = []

    def __call__(self, record, where, severity, message) -> None:
        name = getattr(record, "id", None) or type(record).__name__
        self.found.append((name, where, severity, message))

    def line(self, record, where) -> int:
        return record.line


def source(source_id="s", file=None, line=1) -> Source:
    return Source(source_id, "Outlet", parse_date("2022-09-12"), "note", file=file, line=line)


def story(story_id="st", date="2022-09", line=2) -> Story:
    return Story(story_id, "Story", parse_date(date), line=line)


def event(event_id="e", date="2022-09-11", line=10, position=0, **fields) -> Event:
    values = {
        "stories": ("st",),
        "category": "strike",
        "sources": (Citation("s", "the quote"),),
        **fields,
    }
    return Event(event_id, "Title", parse_date(date), line=line, position=position, **values)


def run(tmp_path: Path, **sections) -> tuple[list, dict]:
    defaults = {"sources": [source()], "stories": [story()], "events": [event()]}
    recorder = Recorder()
    kept = check_records({**defaults, **sections}, tmp_path, recorder)
    return recorder.found, kept


def test_a_consistent_set_of_records_has_no_findings(tmp_path):
    found, kept = run(tmp_path)
    assert found == []
    assert [e.id for e in kept["events"]] == ["e"]


@pytest.mark.parametrize(
    ("sections", "expected"),
    [
        (
            {"events": [event(), event(line=20, position=1)]},
            [("e", "id", E, "duplicate id 'e' (first defined at line 10)")],
        ),
        (
            {"stories": [story(), story(line=5)]},
            [("st", "id", E, "duplicate id 'st' (first defined at line 2)")],
        ),
        (
            {"events": [event(stories=("st", "sto"))]},
            [("e", ("stories", 1), E, "unknown story 'sto' (did you mean 'st'?)")],
        ),
        (
            {"events": [event(places=("izium",))]},
            [("e", ("places", 0), E, "unknown place 'izium'")],
        ),
        (
            {"events": [event(sources=(Citation("bbc", "the quote"),))]},
            [("Citation", "source", E, "unknown source 'bbc'")],
        ),
        (
            {"events": [event(links=(Link("other", "caused"),))]},
            [("Link", "event", E, "unknown event 'other'")],
        ),
        (
            {"events": [event(links=(Link("e", "caused"),))]},
            [("e", "links", E, "links: an event cannot link to itself")],
        ),
        (
            {"events": [event(sources=(Citation("s", "q", date=parse_date("2022-09-12")),))]},
            [
                (
                    "Citation",
                    "date",
                    E,
                    "citation date '2022-09-12' lies outside the event's date '2022-09-11' "
                    "(expected the event's date to cover every source's date)",
                )
            ],
        ),
        (
            {"events": [event(figures=(Figure("deaths", 3, "people", "police", "other"),))]},
            [
                (
                    "Figure",
                    "source",
                    E,
                    "figure 'deaths' cites source 'other', which the event does not cite "
                    "(expected one of: s)",
                )
            ],
        ),
        (
            {"events": [event(date="2022-10-01")]},
            [("e", "date", W, "date '2022-10-01' lies outside story 'st' (2022-09)")],
        ),
    ],
    ids=[
        "duplicate-event",
        "duplicate-story",
        "unknown-story",
        "unknown-place",
        "unknown-source",
        "unknown-link",
        "self-link",
        "citation-date",
        "figure-source",
        "story-window",
    ],
)
def test_each_check_reports_what_it_finds(tmp_path, sections, expected):
    found, _ = run(tmp_path, **sections)
    assert found == expected


def test_quotes_are_checked_against_the_article(tmp_path):
    (tmp_path / "a.txt").write_text("Officials said the quote was given.", encoding="utf-8")
    quoted = Citation("s", "the quote was given")
    misquoted = Citation("s", "words never said")
    events = [event(sources=(quoted,)), event("f", position=1, sources=(quoted, misquoted))]
    found, _ = run(tmp_path, sources=[source(file="a.txt")], events=events)
    assert found == [
        ("Citation", "quote", E, "quote not found verbatim in source 's' (expected text copied "
         "exactly)"),
    ]  # fmt: skip


def test_an_unreadable_article_is_reported_on_its_source(tmp_path):
    found, _ = run(tmp_path, sources=[source(file="missing.txt")])
    assert found == [("s", "file", E, "file: cannot read 'missing.txt': No such file or directory")]


def test_unfinished_records_are_checked_but_never_kept(tmp_path):
    """An event with errors still has its references and quotes checked; it is not kept."""
    broken = Unfinished(id="e", stories=("nope",), sources=(Unfinished(source="s"),))
    found, kept = run(tmp_path, events=[broken])
    assert found == [("e", ("stories", 0), E, "unknown story 'nope'")]
    assert kept["events"] == []
    assert not complete(broken)
    assert broken.date is None  # a field it could not read


def test_only_the_events_named_have_their_own_checks_run(tmp_path):
    """Ids stay checked across all records; an event's own checks run only if it is named."""
    outside = event("outside", date="2022-12-01", line=20, position=1)
    unknown = event("unknown", line=30, position=2, places=("nowhere",))
    events = [event(), outside, unknown, event(line=40, position=3)]
    recorder = Recorder()
    sections = {"sources": [source()], "stories": [story()], "events": events}
    check_records(sections, tmp_path, recorder, only={id(outside)})
    assert recorder.found == [
        ("e", "id", E, "duplicate id 'e' (first defined at line 10)"),
        ("outside", "date", W, "date '2022-12-01' lies outside story 'st' (2022-09)"),
    ]


def test_first_of_each_id_keeps_what_the_checks_keep():
    first, duplicate = source("a", line=1), source("a", line=2)
    unfinished = Unfinished(id="b")
    assert first_of_each_id([first, duplicate, unfinished, source("c", line=3)]) == [
        first,
        source("c", line=3),
    ]
