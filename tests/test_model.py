"""The model: an immutable Timeline built in one go, and the events interface it relies on."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from timeline.dates import parse_date
from timeline.errors import InvalidTimeline, Problem, Severity
from timeline.model import Citation, Event, EventList, Timeline


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
