"""The records of events.yaml as immutable objects, their classes made from schema.py's tables."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, make_dataclass
from typing import Any, Protocol, overload
from urllib.parse import urlsplit

from timeline.dates import FuzzyDate
from timeline.errors import InvalidTimeline, Problem
from timeline.schema import (  # the record tables; the vocabularies importable from here as before
    ACTOR,
    CATEGORIES,
    CITATION,
    EVENT,
    FIGURE,
    LINK,
    MAX_TITLE_CHARS,
    ORIGINS,
    PLACE,
    PLACE_KINDS,
    QUALIFIERS,
    RELATIONS,
    SIDES,
    SLUG,
    SOURCE,
    STATUSES,
    STORY,
    Kind,
    Record,
)

__all__ = [
    "CATEGORIES", "MAX_TITLE_CHARS", "ORIGINS", "PLACE_KINDS", "QUALIFIERS", "RELATIONS",
    "SIDES", "SLUG", "STATUSES",
]  # fmt: skip

# Files (events and articles) larger than this are refused before anything reads them whole.
MAX_BYTES = 64 * 1024 * 1024


def is_web_address(text: str) -> bool:
    """Whether text is an http(s) URL with a host: other schemes can run code when clicked."""
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


# A field's Python type for each way schema.py reads it (nested records are added by name).
_TYPES: dict[Kind, Any] = {
    Kind.TEXT: str, Kind.SLUG: str, Kind.ID: str, Kind.CHOICE: str, Kind.NUMBER: float,
    Kind.DATE: FuzzyDate, Kind.URL: str, Kind.TEXTS: tuple[str, ...], Kind.REF: str,
    Kind.REFS: tuple[str, ...], Kind.CITED: str,
}  # fmt: skip
_LISTS = (Kind.TEXTS, Kind.REFS, Kind.RECORDS)


def record_class(
    record: Record,
    doc: str,
    where: tuple[str, ...] = (),
    nested: dict[str, type] | None = None,
    methods: dict[str, Any] | None = None,
) -> type:
    """The immutable class of a record kind, its fields those schema.py declares.

    Required fields come first, in writing order, then the optional ones with the schema's
    default (an empty tuple for a list), then `where` (line numbers: where the record was
    read, not what it says). Declaring the fields once is what makes a new field one entry in
    schema.py: the loaders, the writer, the form and the JSON Schema read the same table.
    """
    required, optional = [], []
    for spec in record.fields:
        kind = tuple[(nested or {})[spec.record], ...] if spec.kind is Kind.RECORDS else None
        kind = kind or _TYPES[spec.kind]
        if spec.required:
            required.append((spec.name, kind))
        elif spec.kind in _LISTS:
            optional.append((spec.name, kind, field(default=())))
        else:
            kind = kind if spec.default is not None else kind | None
            optional.append((spec.name, kind, field(default=spec.default)))
    places = [(name, int, field(default=0)) for name in where]
    namespace = {"__doc__": doc, "__module__": __name__, **(methods or {})}
    return make_dataclass(
        record.title, required + optional + places, namespace=namespace, frozen=True, slots=True
    )


Source = record_class(SOURCE, "An article (or other document) that events cite.", ("line",))
Place = record_class(PLACE, "A named place of the gazetteer with WGS 84 coordinates.", ("line",))
Actor = record_class(ACTOR, "Someone who acts, claims or is quoted.", ("line",))
Story = record_class(STORY, "A named, dated phase that groups events; stories may overlap.",
                     ("line",))  # fmt: skip
Citation = record_class(CITATION, "A verbatim quote from a source backing an event, with who is "
                        "quoted.")  # fmt: skip
Figure = record_class(FIGURE, "A number somebody claims: who, as written and as an actor, and "
                      "the source reporting it.")  # fmt: skip
Link = record_class(LINK, "A typed relation from one event to another.")


def _sort_key(event: Any) -> tuple:
    """Chronological order: first possible day, part of day, shorter span, then file order."""
    return (event.date.first, event.date.part_rank, event.date.last, event.position)


Event = record_class(
    EVENT,
    "Something that happened, when, where, by whom, and who says so.",
    ("line", "position"),
    nested={"citation": Citation, "figure": Figure, "link": Link},
    methods={"sort_key": property(_sort_key)},
)


class EventSequence(Protocol):
    """What a Timeline needs of its events: a sequence, with ids readable without the events."""

    def __len__(self) -> int: ...
    def __getitem__(self, index: int) -> Event: ...
    def __iter__(self) -> Iterator[Event]: ...

    @property
    def ids(self) -> list[str]:
        """Every event's id, in order."""
        ...

    def positions(self, event_ids: Iterable[str]) -> list[int]:
        """Where the events with these ids are, in order; unknown ids are skipped."""
        ...


class EventList(list[Event]):
    """Events held as a plain list (the cache has a lazy EventSequence: timeline/cache.py)."""

    __slots__ = ()

    @property
    def ids(self) -> list[str]:
        """Every event's id, in order."""
        return [event.id for event in self]

    def positions(self, event_ids: Iterable[str]) -> list[int]:
        """Where the events with these ids are, in order; unknown ids are skipped."""
        wanted = set(event_ids)
        return [index for index, event in enumerate(self) if event.id in wanted]


class LazyEventSequence(Sequence[Event]):
    """Events made only when asked for, each kept once made: what a list of events does,
    with `_event(position)` saying how one is made (rebuilt from the cache, relocated after
    a reload)."""

    def _event(self, position: int) -> Event:
        """The event at `position` (a valid index, never negative), made if not yet."""
        raise NotImplementedError

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...
    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self._event(range(len(self))[index])  # raises IndexError as a list would

    def __iter__(self) -> Iterator[Event]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # it fills in as it is read, like a list


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything loaded from one events file; invalid records are left out and reported."""

    path: str
    sources: dict[str, Source] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)
    stories: dict[str, Story] = field(default_factory=dict)
    events: EventSequence = field(default_factory=EventList)
    problems: list[Problem] = field(default_factory=list)
    # Set when validation gave up after MAX_ERRORS errors: the line it had reached.
    stopped_at: int | None = None

    def __post_init__(self) -> None:
        if not hasattr(self.events, "positions"):  # a plain sequence of events
            object.__setattr__(self, "events", EventList(self.events))

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
        return self.events.ids

    def events_with_ids(self, event_ids: Iterable[str]) -> list[Event]:
        """The events with these ids, in the timeline's order."""
        return [self.events[index] for index in self.events.positions(event_ids)]

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

    def raise_if_invalid(self) -> Timeline:
        """This timeline, if it has no errors; else raise InvalidTimeline with every problem."""
        if not self.ok:
            raise InvalidTimeline(self.problems)
        return self


# The class each record kind of schema.py is built as.
MODELS: dict[str, type] = {
    model.__name__.lower(): model
    for model in (Source, Place, Actor, Story, Event, Citation, Figure, Link)
}
