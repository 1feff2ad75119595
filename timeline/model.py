"""The records of events.yaml as immutable objects, and their controlled vocabularies."""

from __future__ import annotations

import pickle
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload
from urllib.parse import urlsplit

from timeline.dates import FuzzyDate
from timeline.errors import Problem

CATEGORIES = (
    "advance",
    "withdrawal",
    "strike",
    "infrastructure",
    "casualties",
    "civilians",
    "statement",
    "assessment",
    "diplomacy",
    "context",
    "other",
)
STATUSES = ("confirmed", "reported", "disputed", "candidate")
ORIGINS = ("curated", "extracted", "imported")
RELATIONS = ("caused", "part-of", "response-to", "related")
QUALIFIERS = ("about", "more-than", "at-least", "up-to", "exactly")
PLACE_KINDS = ("country", "region", "city", "town", "village", "site")
SIDES = ("ukraine", "russia", "international", "other")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_TITLE_CHARS = 300
# Files (events and articles) larger than this are refused before anything reads them whole.
MAX_BYTES = 64 * 1024 * 1024

# Each record kind: its fields, and which of them are required.
SOURCE_FIELDS = {
    "id": True, "outlet": True, "published": True, "published_note": True,
    "headline": False, "file": False, "url": False, "author": False, "note": False,
}  # fmt: skip
PLACE_FIELDS = {
    "id": True, "name": True, "kind": True, "country": True, "lat": True, "lon": True,
    "region": False, "aliases": False,
}  # fmt: skip
ACTOR_FIELDS = {"id": True, "name": True, "side": True, "aliases": False}
STORY_FIELDS = {"id": True, "title": True, "date": True, "description": False}
EVENT_FIELDS = {
    "id": True, "title": True, "date": True, "stories": True, "category": True,
    "sources": True, "actors": False, "places": False, "figures": False, "origin": False,
    "status": False, "notes": False, "links": False,
}  # fmt: skip
CITATION_FIELDS = {"source": True, "quote": True, "quoted": False, "date": False}
FIGURE_FIELDS = {
    "measure": True, "value": True, "unit": True, "claimed_by": True, "source": True,
    "qualifier": False,
}  # fmt: skip
LINK_FIELDS = {"event": True, "relation": True}


def is_web_address(text: str) -> bool:
    """Whether text is an http(s) URL with a host: other schemes can run code when clicked."""
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@dataclass(frozen=True, slots=True)
class Source:
    """An article (or other document) that events cite."""

    id: str
    outlet: str
    published: FuzzyDate
    published_note: str
    headline: str | None = None
    file: str | None = None
    url: str | None = None
    author: str | None = None
    note: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Place:
    """A named place of the gazetteer with WGS 84 coordinates."""

    id: str
    name: str
    kind: str
    country: str
    lat: float
    lon: float
    region: str | None = None
    aliases: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone who acts, claims or is quoted."""

    id: str
    name: str
    side: str
    aliases: tuple[str, ...] = ()
    line: int = 0


@dataclass(frozen=True, slots=True)
class Story:
    """A named, dated phase that groups events; stories may overlap."""

    id: str
    title: str
    date: FuzzyDate
    description: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Citation:
    """A verbatim quote from a source backing an event, with who is quoted."""

    source: str
    quote: str
    quoted: str | None = None
    date: FuzzyDate | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A number somebody claims, with the claimant and the source that reports it."""

    measure: str
    value: float
    unit: str
    claimed_by: str
    source: str
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A typed relation from one event to another."""

    event: str
    relation: str


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened, when, where, by whom, and who says so."""

    id: str
    title: str
    date: FuzzyDate
    stories: tuple[str, ...]
    category: str
    sources: tuple[Citation, ...]
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    origin: str = "curated"
    status: str = "reported"
    notes: str | None = None
    links: tuple[Link, ...] = ()
    line: int = 0
    position: int = 0

    @property
    def sort_key(self) -> tuple:
        """Chronological order: first possible day, part of day, shorter span, then file order."""
        return (self.date.first, self.date.part_rank, self.date.last, self.position)


class LazyEvents(Sequence[Event]):
    """Events kept as pickles and rebuilt when asked for: a restart draws the chart without
    rebuilding 100,000 events, and opening one event rebuilds only that one."""

    def __init__(self, pickles: list[bytes], ids: list[str]) -> None:
        self._pickles = pickles
        self._ids = ids
        self._built: dict[int, Event] = {}
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._pickles)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...
    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        position = range(len(self))[index]  # raises IndexError as a list would
        event = self._built.get(position)
        if event is None:
            event = self._built[position] = pickle.loads(self._pickles[position])
        return event

    def __iter__(self) -> Iterator[Event]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # it fills in as it is read, like a list

    @property
    def ids(self) -> list[str]:
        """Every event's id, in order, without rebuilding any event."""
        return self._ids

    def positions(self, event_ids: Iterable[str]) -> list[int]:
        """Where the events with these ids are, in order; unknown ids are skipped."""
        if self._positions is None:
            self._positions = {event_id: i for i, event_id in enumerate(self._ids)}
        return sorted({self._positions[i] for i in event_ids if i in self._positions})


@dataclass(slots=True)
class Timeline:
    """Everything loaded from one events file; invalid records are left out and reported."""

    path: str
    sources: dict[str, Source] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    # A list, or LazyEvents when read back from the cache (timeline/cache.py).
    events: Sequence[Event] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Set when validation gave up after MAX_ERRORS errors: the line it had reached.
    stopped_at: int | None = None

    @property
    def errors(self) -> list[Problem]:
        """The problems that make the file invalid."""
        return [problem for problem in self.problems if problem.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that do not make the file invalid."""
        return [problem for problem in self.problems if not problem.is_error]

    def event_ids(self) -> list[str]:
        """Every event's id, in the timeline's order."""
        if isinstance(self.events, LazyEvents):
            return self.events.ids
        return [event.id for event in self.events]

    def events_with_ids(self, event_ids: Iterable[str]) -> list[Event]:
        """The events with these ids, in the timeline's order."""
        if isinstance(self.events, LazyEvents):
            return [self.events[i] for i in self.events.positions(event_ids)]
        wanted = set(event_ids)
        return [event for event in self.events if event.id in wanted]

    @property
    def stop_notice(self) -> str | None:
        """What a reader of the problems must know when validation gave up part-way."""
        if self.stopped_at is None:
            return None
        return (
            f"stopped at line {self.stopped_at:,} after {len(self.errors):,} errors: the rest "
            "of the file was not checked (fix these and validate again)"
        )

    @property
    def ok(self) -> bool:
        """Whether the file has no errors."""
        return not self.errors
