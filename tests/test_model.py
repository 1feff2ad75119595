"""The model: an immutable Timeline built in one go, and the events interface it relies on."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from timeline.dates import FuzzyDate, parse_date
from timeline.errors import InvalidTimeline, Problem, Severity
from timeline.model import Citation, Event, EventList, Timeline, record_class
from timeline.schema import Field, Kind, Record


def event(event_id: str, position: int) -> Event:
    return Event(
        event_id, "Title", parse_date("2022-09-11"), "strike", (Citation("s", "quote"),),
        ("st",), position=position,
    )  # fmt: skip


EVENTS = [event("a", 0), event("b", 1), event("c", 2)]


def test_a_timeline_cannot_be_changed_once_built():
    timeline = Timeline("e.yaml", events=EVENTS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        timeline.events = []  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        timeline.stopped_at = 3  # type: ignore[misc]


def test_a_plain_list_of_events_gets_the_id_lookups():
    timeline = Timeline("e.yaml", events=EVENTS)
    assert isinstance(timeline.events, EventList)
    assert timeline.events == EVENTS
    assert timeline.event_ids() == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("ids", "expected"),
    [(["c", "a"], ["a", "c"]), (["nope", "b"], ["b"]), ([], []), (["a", "a"], ["a"])],
)
def test_events_with_ids_come_in_timeline_order(ids, expected):
    found = Timeline("e.yaml", events=EVENTS).events_with_ids(ids)
    assert [e.id for e in found] == expected


def test_an_empty_timeline_is_valid():
    timeline = Timeline("e.yaml")
    assert (timeline.ok, timeline.events, timeline.event_ids()) == (True, [], [])
    assert timeline.raise_if_invalid() is timeline


def test_errors_raise_only_when_asked():
    problems = [
        Problem("e.yaml", 3, 1, Severity.WARNING, "a warning"),
        Problem("e.yaml", 4, 2, Severity.ERROR, "an error"),
    ]
    timeline = Timeline("e.yaml", problems=problems)
    assert (timeline.ok, timeline.errors, timeline.warnings) == (False, problems[1:], problems[:1])
    with pytest.raises(InvalidTimeline) as raised:
        timeline.raise_if_invalid()
    assert raised.value.problems == problems


def test_a_timeline_survives_pickling():
    timeline = Timeline("e.yaml", events=EVENTS, stopped_at=7)
    copy = pickle.loads(pickle.dumps(timeline))
    assert copy == timeline
    assert copy.event_ids() == ["a", "b", "c"]


# A record kind of its own, so that the class made of it is judged apart from events.yaml's.
REVISED = Record("revised", "Revised", "A record kind for the tests.", (
    Field("id", Kind.ID, "Its id.", True, section="revised"),
    Field("note", Kind.TEXT, "Optional text."),
    Field("stage", Kind.CHOICE, "Required choice.", True, choices=("draft", "final")),
    Field("updated", Kind.DATE, "An optional date."),
    Field("tags", Kind.TEXTS, "An optional list."),
    Field("status", Kind.CHOICE, "A default.", default="draft", choices=("draft", "final")),
))  # fmt: skip


def test_a_record_class_has_the_schemas_fields_required_first_then_where_it_was_read():
    revised = record_class(REVISED, "A revised thing.", ("line",))
    fields = [(spec.name, spec.type, spec.default) for spec in dataclasses.fields(revised)]
    assert fields == [
        ("id", str, dataclasses.MISSING),
        ("stage", str, dataclasses.MISSING),
        ("note", str | None, None),
        ("updated", FuzzyDate | None, None),
        ("tags", tuple[str, ...], ()),
        ("status", str, "draft"),
        ("line", int, 0),
    ]
    assert revised.__name__ == "Revised"
    assert revised.__module__ == "timeline.model"
    assert revised.__doc__ == "A revised thing."


def test_a_record_is_immutable_hashable_and_survives_pickling_as_the_cache_keeps_it():
    revised = record_class(REVISED, "A revised thing.")
    item = revised("a", "final", updated=parse_date("2022-11-15"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.note = "changed"  # type: ignore[misc]
    assert not hasattr(item, "__dict__"), "slots: a hundred thousand events stay small"
    assert hash(item) == hash(revised("a", "final", updated=parse_date("2022-11-15")))
    event_ = event("a", 4)
    assert pickle.loads(pickle.dumps(event_)) == event_


def test_nested_records_and_methods_are_given_by_name():
    parts = Field("parts", Kind.RECORDS, "Nested.", True, record="citation")
    revised = record_class(
        Record("outer", "Outer", "Outer.", (parts,)),
        "Outer.",
        nested={"citation": Citation},
        methods={"size": property(lambda outer: len(outer.parts))},
    )
    assert dataclasses.fields(revised)[0].type == tuple[Citation, ...]
    assert revised((Citation("s", "q"), Citation("t", "r"))).size == 2
