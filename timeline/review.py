"""The review queue: the candidates awaiting a decision, in date order, and the events of the
file each may duplicate; the edit form's fields. What a decision writes is timeline.edits'."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from timeline.doubts import NOTES_PREFIX
from timeline.extract import similarity
from timeline.model import Event, Timeline

CANDIDATE = "candidate"
REJECTED = "rejected"
CONFIRMED = "confirmed"
# Reports of one event may disagree by a day (night, time zones), as extraction allows.
DUPLICATE_DAYS_APART = 1
# Jaccard of content words of title and quotes: low, since a human decides; with a shared
# place, less still.
DUPLICATE_SIMILARITY = 0.2
DUPLICATE_SIMILARITY_SAME_PLACE = 0.08
MAX_DUPLICATES = 3
# The fields the edit form shows, in its order.
EDITABLE = ("title", "date", "category", "stories", "actors", "places", "notes")


def review_queue(timeline: Timeline, source: str | None = None) -> list[Event]:
    """The candidates (of one source, if given) in date order."""
    return sorted(
        (
            event
            for event in timeline.events
            if event.status == CANDIDATE
            and (source is None or any(c.source == source for c in event.sources))
        ),
        key=lambda event: event.sort_key,
    )


def queue_sources(timeline: Timeline) -> dict[str, int]:
    """Source id -> how many candidates cite it, most first (then by id)."""
    counts = Counter(
        source
        for event in timeline.events
        if event.status == CANDIDATE
        for source in dict.fromkeys(c.source for c in event.sources)
    )
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def possible_duplicates(
    timeline: Timeline, event: Event, limit: int = MAX_DUPLICATES
) -> list[Event]:
    """The events of the file (not candidates, not rejected) the candidate may report: dates
    within DUPLICATE_DAYS_APART and similar wording, the most similar first."""
    slack = timedelta(days=DUPLICATE_DAYS_APART)
    words = _words(event)
    scored = []
    for other in timeline.events:
        if other.id == event.id or other.status in (CANDIDATE, REJECTED):
            continue
        if event.date.first > other.date.last + slack or event.date.last < other.date.first - slack:
            continue
        score = similarity(words, _words(other))
        shared = set(event.places) & set(other.places)
        if score >= DUPLICATE_SIMILARITY or (shared and score >= DUPLICATE_SIMILARITY_SAME_PLACE):
            scored.append((-score, other.position, other))
    return [other for _, _, other in sorted(scored, key=lambda item: item[:2])[:limit]]


def merge_targets(timeline: Timeline, event: Event) -> list[str]:
    """Ids an event may be merged into: its possible duplicates first, then every other event
    that is neither a candidate nor rejected, in the file's order."""
    first = [other.id for other in possible_duplicates(timeline, event)]
    rest = [
        other.id
        for other in timeline.events
        if other.id != event.id and other.status not in (CANDIDATE, REJECTED)
    ]
    return list(dict.fromkeys(first + rest))


def form_fields(event: Event) -> dict[str, Any]:
    """The edit form's values for an event: texts and lists of ids."""
    return {
        "title": event.title,
        "date": str(event.date),
        "category": event.category,
        "stories": list(event.stories),
        "actors": list(event.actors),
        "places": list(event.places),
        "notes": event.notes or "",
    }


def edited_fields(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the event's new fields: texts stripped, empty ones removed (None)."""
    fields: dict[str, Any] = {}
    for name in EDITABLE:
        value = values.get(name)
        if isinstance(value, str):
            value = value.strip() or None
        elif isinstance(value, Sequence):
            value = list(value) or None
        fields[name] = value
    return fields


def notes_doubts(notes: str | None) -> list[str]:
    """The doubts extraction wrote in an event's notes ('… Extraction doubts: category from
    keywords, not the verb; places from the previous sentence.': from there to the end of its
    line), in order; none without them."""
    for line in (notes or "").splitlines():
        found = line.find(NOTES_PREFIX)
        if found >= 0:
            words = line[found + len(NOTES_PREFIX) :].strip().rstrip(".").split(";")
            return [word.strip() for word in words if word.strip()]
    return []


def _words(event: Event) -> str:
    return " ".join([event.title, *(citation.quote for citation in event.sources)])
