"""Counting in words: one pluraliser with thousands separators, and the file summary."""

import pytest

from timeline.errors import Problem, Severity
from timeline.model import Timeline
from timeline.words import plural, summary


@pytest.mark.parametrize(
    ("count", "noun", "expected"),
    [
        (0, "event", "0 events"),
        (1, "event", "1 event"),
        (2, "error", "2 errors"),
        (1000, "event", "1,000 events"),
        (1, "story", "1 story"),
        (100_000, "story", "100,000 stories"),
        (2, "day", "2 days"),  # a vowel before the y: regular
        (2, "person", "2 people"),
        (3, "match", "3 matches"),
        (2, "box", "2 boxes"),
        (1, "candidate event", "1 candidate event"),
        (12_345, "candidate event", "12,345 candidate events"),
    ],
)
def test_plural(count, noun, expected):
    assert plural(count, noun) == expected


def problems(errors: int, warnings: int) -> list[Problem]:
    return [Problem("e.yaml", 1, 1, Severity.ERROR, "bad")] * errors + [
        Problem("e.yaml", 1, 1, Severity.WARNING, "odd")
    ] * warnings


def sized(count: int) -> dict[int, None]:
    """A stand-in for a table of records: the summary only counts them."""
    return dict.fromkeys(range(count))


@pytest.mark.parametrize(
    ("timeline", "line"),
    [
        (Timeline("e.yaml"), "e.yaml: 0 events, 0 sources, 0 places, 0 actors, 0 stories"),
        (
            Timeline("e.yaml", sized(1), sized(1), sized(1), sized(1), list(sized(1))),
            "e.yaml: 1 event, 1 source, 1 place, 1 actor, 1 story",
        ),
        (
            Timeline("e.yaml", stories=sized(2), events=list(sized(1000)), problems=problems(0, 1)),
            "e.yaml: 1,000 events, 0 sources, 0 places, 0 actors, 2 stories (1 warning)",
        ),
        (Timeline("e.yaml", problems=problems(1, 2)), "e.yaml: invalid: 1 error, 2 warnings"),
        (
            Timeline("e.yaml", problems=problems(2, 0), stopped_at=1234),
            "e.yaml: invalid: 2 errors, 0 warnings; stopped at line 1,234 after 2 errors: the rest "
            "of the file was not checked (fix these and validate again)",
        ),
    ],
)
def test_summary(timeline, line):
    assert summary(timeline) == line
