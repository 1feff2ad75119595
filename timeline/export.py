"""Exports of a selection of events: TimelineJS JSON, iCalendar, GeoJSON, flat CSV and JSON.

Every builder takes the Timeline (for the names of places, actors, sources and stories) and the
events to export (any selection, e.g. the dashboard's filtered events), and returns the document;
nothing here reads or writes files (the `export` command in timeline/cli does). Events are
written in chronological order, each once. docs/export.md describes every format and column.
"""

from __future__ import annotations

import calendar
import csv
import difflib
import html
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from timeline.dates import DatePoint, FuzzyDate, Precision
from timeline.errors import TimelineError, UnknownStory
from timeline.model import Citation, Event, Figure, Story, Timeline
from timeline.schema import REJECTED
from timeline.words import plural

DEFAULT_FILE = "events.yaml"
DEFAULT_TITLE = "Conflict events timeline"
LIST_SEPARATOR = " | "
PRODID = "-//conflict-timeline//events export 1.0//EN"


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """How a format is offered for download: its file extension and media type."""

    extension: str
    media_type: str


FORMATS = {
    "timelinejs": ExportFormat(".json", "application/json"),
    "ics": ExportFormat(".ics", "text/calendar"),
    "geojson": ExportFormat(".geojson", "application/geo+json"),
    "csv": ExportFormat(".csv", "text/csv"),
    "json": ExportFormat(".json", "application/json"),
}


def export_file_name(fmt: str, story_id: str | None = None) -> str:
    """The file name of an export: 'events-csv.csv', or 'energy-strikes-timelinejs.json' for a
    story's events (any character of the id other than a letter, digit, '-' or '_' as '-')."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format '{fmt}' (expected one of: {', '.join(FORMATS)})")
    stem = re.sub(r"[^A-Za-z0-9_-]", "-", story_id) if story_id else "events"
    return f"{stem}-{fmt}{FORMATS[fmt].extension}"


class NoEvents(TimelineError, ValueError):
    """There are no events to export or publish."""


def chronological(events: Iterable[Event]) -> list[Event]:
    """The events in chronological order, each id once (the first copy wins), rejected ones
    left out: they stay in the file only so that extraction never adds them again."""
    seen: set[str] = set()
    unique = []
    for event in events:
        if event.id not in seen and event.status != REJECTED:
            seen.add(event.id)
            unique.append(event)
    return sorted(unique, key=lambda event: event.sort_key)


def story_events(timeline: Timeline, story_id: str) -> list[Event]:
    """The events of one story; raise UnknownStory saying which stories exist."""
    if story_id not in timeline.stories:
        known = list(timeline.stories)
        close = difflib.get_close_matches(story_id, known, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        raise UnknownStory(
            f"unknown story '{story_id}' ({hint}expected one of: {', '.join(known) or 'none'})"
        )
    return [event for event in timeline.events if story_id in event.stories]


def events_by_ids(timeline: Timeline, ids: Iterable[str]) -> list[Event]:
    """The timeline's events with these ids (e.g. a filtered frame's `id` column), in order."""
    return timeline.events_with_ids(ids)


# TimelineJS


def to_timelinejs(
    timeline: Timeline, events: Sequence[Event], title: str | None = None
) -> dict[str, Any]:
    """A TimelineJS 3 JSON object: title slide, one slide per event, stories as eras."""
    chosen = chronological(events)
    if not chosen:
        raise NoEvents("no events to export (TimelineJS cannot show a timeline without events)")
    headline = title or DEFAULT_TITLE
    first, last = chosen[0].date.first, max(event.date.last for event in chosen)
    outlets = {
        timeline.sources[c.source].outlet
        for event in chosen
        for c in event.sources
        if c.source in timeline.sources
    }
    intro = (
        f"{plural(len(chosen), 'event')} from {_day_words(first)} to {_day_words(last)}, "
        f"citing {plural(len(outlets), 'outlet')}. Every event quotes its sources verbatim."
    )
    slides = [_tl_slide(timeline, event) for event in chosen]
    story_ids = {story for event in chosen for story in event.stories}
    eras = [_tl_era(timeline.stories[s]) for s in timeline.stories if s in story_ids]
    document: dict[str, Any] = {
        "title": {
            "unique_id": "timeline-title",
            "text": {"headline": html.escape(headline), "text": f"<p>{html.escape(intro)}</p>"},
        },
        "events": slides,
        "scale": "human",
    }
    if eras:
        document["eras"] = eras
    return document


def timelinejs_dates(when: FuzzyDate) -> tuple[dict[str, int], dict[str, int] | None]:
    """TimelineJS start and end dates as numbers at the date's precision; end None if redundant.

    A year is {year}, a month or part of a month {year, month}, a day, part of a day or week
    {year, month, day}; a week ends on its Sunday; each end of a range keeps its own precision.
    TimelineJS reads {year, month} as the month's first day and drops an end whose fields all
    equal the start's (comparing only the start's fields). So: a range end that would land on
    or before its start becomes its last day; a start whose fields all equal the end's is
    refined to the end's fields; a range whose two ends are still equal is written as days.
    """
    start = _tl_point(when.start, at_end=False)
    if when.end is not None:
        end = _tl_point(when.end, at_end=True)
    elif when.start.precision is Precision.WEEK:
        end = _tl_point(when.start, at_end=True)
    else:
        return start, None
    if end == start:
        if when.end is None or when.days == 1:
            return start, None
        return _tl_fields(when.first, _DAY), _tl_fields(when.last, _DAY)
    if _tl_day(end) <= _tl_day(start):
        end = _tl_fields(when.last, _DAY)
    if all(end.get(key) == value for key, value in start.items()):
        start = _tl_fields(when.first, tuple(end))
    return start, (None if end == start else end)


_DAY = ("year", "month", "day")


def _tl_day(fields: dict[str, int]) -> date:
    """The day TimelineJS puts a date on: the first of its month or year when coarser."""
    return date(fields["year"], fields.get("month", 1), fields.get("day", 1))


def _tl_point(point: DatePoint, at_end: bool) -> dict[str, int]:
    if point.precision is Precision.YEAR:
        return _tl_fields(point.first, ("year",))
    if point.precision in (Precision.MONTH, Precision.PART_OF_MONTH):
        return _tl_fields(point.first, ("year", "month"))
    return _tl_fields(point.last if at_end else point.first, _DAY)


def _tl_fields(day: date, keys: Iterable[str]) -> dict[str, int]:
    values = {"year": day.year, "month": day.month, "day": day.day}
    return {key: values[key] for key in keys}


def _tl_slide(timeline: Timeline, event: Event) -> dict[str, Any]:
    start, end = timelinejs_dates(event.date)
    slide: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": start,
        "display_date": event.date.describe(),
        "group": event.category,
        "text": {"headline": html.escape(event.title), "text": _tl_text(timeline, event)},
    }
    if end is not None:
        slide["end_date"] = end
    return slide


def _tl_text(timeline: Timeline, event: Event) -> str:
    """The slide's HTML: what, where, the quotes with who says them, figures and notes."""
    esc = html.escape
    facts = [f"{event.category}", f"status: {event.status}", f"date: {event.date.describe()}"]
    places = _place_names(timeline, event)
    if places:
        facts.append(f"places: {', '.join(places)}")
    parts = [f"<p>{esc(' · '.join(facts))}</p>"]
    for citation in event.sources:
        source = timeline.sources.get(citation.source)
        outlet = source.outlet if source else citation.source
        credit = f"{citation.quoted}, in " if citation.quoted else ""
        if source is not None and source.url:
            named = f'<a href="{esc(source.url)}">{esc(outlet)}</a>'
        else:
            named = esc(outlet)
        published = f", {source.published.describe()}" if source else ""
        claimed = f" (gives {citation.date.describe()})" if citation.date else ""
        parts.append(
            f"<blockquote>{esc(citation.quote)}</blockquote>"
            f"<p>— {esc(credit)}{named}{esc(published + claimed)}</p>"
        )
    if event.figures:
        claims = "".join(f"<li>{esc(_figure_text(f))}</li>" for f in event.figures)
        parts.append(f"<p>Claimed figures:</p><ul>{claims}</ul>")
    if event.notes:
        parts.append(f"<p>Notes: {esc(event.notes)}</p>")
    return "".join(parts)


def _tl_era(story: Story) -> dict[str, Any]:
    """An era spans the story's days; a one-day story runs 00:00–23:59 so its end is kept."""
    start: dict[str, int] = _tl_fields(story.date.first, _DAY)
    end: dict[str, int] = _tl_fields(story.date.last, _DAY)
    if end == start:
        start, end = {**start, "hour": 0}, {**end, "hour": 23, "minute": 59}
    return {
        "unique_id": f"story-{story.id}",
        "start_date": start,
        "end_date": end,
        "text": {"headline": html.escape(story.title)},
    }


# iCalendar (RFC 5545)


def to_ics(timeline: Timeline, events: Sequence[Event], name: str | None = None) -> str:
    """An RFC 5545 calendar of all-day events (DTEND exclusive), CRLF line ends, folded lines."""
    # Written by hand: the format needs only escaping and folding, and the design card asks for
    # no new runtime dependency; the tests read it back with the `icalendar` library.
    stem = Path(timeline.path).name or DEFAULT_FILE
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"NAME:{ics_text(name or DEFAULT_TITLE)}",
        f"X-WR-CALNAME:{ics_text(name or DEFAULT_TITLE)}",
    ]
    for event in chronological(events):
        lines.extend(_vevent(timeline, event, stem))
    lines.append("END:VCALENDAR")
    return "".join(fold_ics_line(line) + "\r\n" for line in lines)


def ics_uid(event: Event, file_name: str) -> str:
    """The event's UID: stable across exports, unique per event id and events file name."""
    return f"{event.id}@{file_name}"


def _vevent(timeline: Timeline, event: Event, file_name: str) -> list[str]:
    published = [
        timeline.sources[c.source].published.last
        for c in event.sources
        if c.source in timeline.sources
    ]
    # DTSTAMP: when the information was last revised, i.e. the latest cited publication day;
    # derived from the data so that two exports of the same file are identical.
    stamp = max(published, default=event.date.last)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{ics_text(ics_uid(event, file_name))}",
        f"DTSTAMP:{_ics_date(stamp)}T000000Z",
        f"DTSTART;VALUE=DATE:{_ics_date(event.date.first)}",
        # DTEND is exclusive: the day after the last; a span ending on 9999-12-31 has no day
        # after it, so it gets the equivalent DURATION instead.
        f"DTEND;VALUE=DATE:{_ics_date(event.date.last + timedelta(days=1))}"
        if event.date.last < date.max
        else f"DURATION:P{event.date.days}D",
        f"SUMMARY:{ics_text(event.title)}",
        f"DESCRIPTION:{ics_text(_ics_description(timeline, event))}",
        f"CATEGORIES:{ics_text(event.category)}",
        "TRANSP:TRANSPARENT",
    ]
    places = [timeline.places[p] for p in event.places if p in timeline.places]
    if places:
        lines.append(f"LOCATION:{ics_text(', '.join(place.name for place in places))}")
    if len(places) == 1:
        lines.append(f"GEO:{places[0].lat!r};{places[0].lon!r}")
    lines.append("END:VEVENT")
    return lines


def _ics_date(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _ics_description(timeline: Timeline, event: Event) -> str:
    lines = [
        f"When: {event.date.describe()} ({event.date.precision.value})",
        f"Category: {event.category}; status: {event.status}",
    ]
    places = _place_names(timeline, event)
    if places:
        lines.append(f"Places: {', '.join(places)}")
    for citation in event.sources:
        lines.append("")
        lines.append(f"“{citation.quote}”")
        lines.append(f"— {_citation_credit(timeline, citation)}")
        source = timeline.sources.get(citation.source)
        if source is not None and source.url:
            lines.append(source.url)
    if event.figures:
        lines.append("")
        lines.extend(f"Claim: {_figure_text(figure)}" for figure in event.figures)
    if event.notes:
        lines.extend(["", f"Notes: {event.notes}"])
    return "\n".join(lines)


_ICS_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def ics_text(value: str) -> str:
    """A TEXT value escaped per RFC 5545 3.3.11: backslash, semicolon, comma and newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _ICS_CONTROL.sub("", value)
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(raw, escaped)
    return value


def fold_ics_line(line: str, limit: int = 75) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character."""
    if len(line.encode("utf-8")) <= limit:
        return line
    pieces: list[str] = []
    current: list[str] = []
    size, room = 0, limit
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > room:
            pieces.append("".join(current))
            current, size, room = [], 0, limit - 1  # a continuation line starts with a space
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


# GeoJSON (RFC 7946)


def to_geojson(timeline: Timeline, events: Sequence[Event]) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection: one Point per (event, place), [longitude, latitude]."""
    features = []
    for event in chronological(events):
        for place_id in event.places:
            place = timeline.places.get(place_id)
            if place is None:
                continue
            features.append(
                {
                    "type": "Feature",
                    "id": f"{event.id}/{place.id}",
                    "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                    "properties": {
                        "id": event.id,
                        "title": event.title,
                        "date": str(event.date),
                        "date_words": event.date.describe(),
                        "date_start": event.date.first.isoformat(),
                        "date_end": event.date.last.isoformat(),
                        "precision": event.date.precision.value,
                        "approximate": event.date.approximate,
                        "category": event.category,
                        "status": event.status,
                        "origin": event.origin,
                        "stories": list(event.stories),
                        "place": place.id,
                        "place_name": place.name,
                        "outlets": _outlets(timeline, event),
                        "sources": [
                            {
                                "source": citation.source,
                                "outlet": _outlet(timeline, citation.source),
                                "quote": citation.quote,
                                "quoted": citation.quoted,
                                "url": _url(timeline, citation.source),
                                "date": str(citation.date) if citation.date else None,
                            }
                            for citation in event.sources
                        ],
                        "notes": event.notes,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


# Flat rows: CSV and JSON


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the flat export: its name, kind of value and meaning."""

    name: str
    kind: str  # text, optional, int, bool, list (ids or names), cited (one item per citation)
    meaning: str


COLUMNS = (
    Column("id", "text", "the event's slug id"),
    Column("title", "text", "short title"),
    Column("date", "text", "the date as written in events.yaml (see docs/data-model.md)"),
    Column("date_words", "text", "the date in words, e.g. 'early September 2022'"),
    Column("precision", "text", "day, part of day, week, part of month, month, year or range"),
    Column("approximate", "bool", "whether the date is marked approximate (~)"),
    Column("start", "text", "first possible day, YYYY-MM-DD"),
    Column("end", "text", "last possible day, YYYY-MM-DD, inclusive"),
    Column("days", "int", "how many days the date spans"),
    Column("part_of_day", "optional", "morning, afternoon, evening or night; empty if none"),
    Column("stories", "list", "story ids"),
    Column("category", "text", "category (docs/data-model.md)"),
    Column("status", "text", "confirmed, reported, disputed or candidate"),
    Column("origin", "text", "curated, extracted or imported"),
    Column("actors", "list", "actor ids"),
    Column("actor_names", "list", "actor names, in the order of `actors`"),
    Column("places", "list", "place ids"),
    Column("place_names", "list", "place names, in the order of `places`"),
    Column("n_sources", "int", "number of citations"),
    Column("sources", "cited", "source id of each citation"),
    Column("outlets", "cited", "outlet of each citation"),
    Column("quotes", "cited", "verbatim quote of each citation"),
    Column("quoted", "cited", "who each citation quotes or credits; empty if not given"),
    Column("source_dates", "cited", "date each citation gives, when sources disagree; or empty"),
    Column("urls", "cited", "web address of each citation's source; empty if none"),
    Column("figures", "list", "claims: 'measure: [qualifier] value unit, claimed by X (source)'"),
    Column("links", "list", "links to other events: 'relation event-id'"),
    Column("notes", "optional", "free text; empty if none"),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)


def flat_rows(timeline: Timeline, events: Sequence[Event]) -> list[dict[str, Any]]:
    """One flat row per event (see COLUMNS), lists as Python lists."""
    rows = []
    for event in chronological(events):
        row = {
            "id": event.id,
            "title": event.title,
            "date": str(event.date),
            "date_words": event.date.describe(),
            "precision": event.date.precision.value,
            "approximate": event.date.approximate,
            "start": event.date.first.isoformat(),
            "end": event.date.last.isoformat(),
            "days": event.date.days,
            "part_of_day": event.date.start.part
            if event.date.precision is Precision.PART_OF_DAY
            else None,
            "stories": list(event.stories),
            "category": event.category,
            "status": event.status,
            "origin": event.origin,
            "actors": list(event.actors),
            "actor_names": [_actor_name(timeline, actor) for actor in event.actors],
            "places": list(event.places),
            "place_names": [_place_name(timeline, place) for place in event.places],
            "n_sources": len(event.sources),
            "sources": [c.source for c in event.sources],
            "outlets": [_outlet(timeline, c.source) for c in event.sources],
            "quotes": [c.quote for c in event.sources],
            "quoted": [c.quoted or "" for c in event.sources],
            "source_dates": [str(c.date) if c.date else "" for c in event.sources],
            "urls": [_url(timeline, c.source) or "" for c in event.sources],
            "figures": [_figure_text(figure) for figure in event.figures],
            "links": [f"{link.relation} {link.event}" for link in event.links],
            "notes": event.notes,
        }
        rows.append(row)
    return rows


def to_csv(timeline: Timeline, events: Sequence[Event]) -> str:
    """RFC 4180 CSV, one row per event; list items joined with ' | ' (a '|' in an item is '\\|')."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for row in flat_rows(timeline, events):
        writer.writerow([_csv_cell(row[column.name], column.kind) for column in COLUMNS])
    return buffer.getvalue()


def to_json(timeline: Timeline, events: Sequence[Event]) -> str:
    """A JSON array of flat rows, one object per event, lists kept as arrays."""
    return json.dumps(flat_rows(timeline, events), ensure_ascii=False, indent=2) + "\n"


def from_csv(text: str) -> list[dict[str, Any]]:
    """Read back the rows of to_csv, with the types of flat_rows."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [name for name in COLUMN_NAMES if name not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"CSV lacks the columns {', '.join(missing)} (expected to_csv's output)")
    return [
        {column.name: _csv_value(raw[column.name], column.kind) for column in COLUMNS}
        for raw in reader
    ]


def from_json(text: str) -> list[dict[str, Any]]:
    """Read back the rows of to_json."""
    rows = json.loads(text)
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ValueError("expected a JSON array of objects (to_json's output)")
    return [{name: row.get(name) for name in COLUMN_NAMES} for row in rows]


def _csv_cell(value: Any, kind: str) -> str:
    if kind in ("list", "cited"):
        return LIST_SEPARATOR.join(_escape_item(item) for item in value)
    if kind == "bool":
        return "true" if value else "false"
    return "" if value is None else str(value)


def _csv_value(raw: str, kind: str) -> Any:
    if kind == "list":
        return [_unescape_item(item) for item in _split_items(raw)] if raw else []
    if kind == "cited":  # one item per citation, and every event has at least one
        return [_unescape_item(item) for item in _split_items(raw)]
    if kind == "bool":
        return raw == "true"
    if kind == "int":
        return int(raw)
    if kind == "optional":
        return raw or None
    return raw


def _escape_item(item: str) -> str:
    return item.replace("\\", "\\\\").replace("|", "\\|")


def _unescape_item(item: str) -> str:
    return re.sub(r"\\(.)", r"\1", item)


def _split_items(raw: str) -> list[str]:
    """Split a cell on ' | ' where the bar is not escaped; escapes are kept for unescaping."""
    items, current, index = [], [], 0
    while index < len(raw):
        if raw[index] == "\\" and index + 1 < len(raw):
            current.append(raw[index : index + 2])
            index += 2
        elif raw.startswith(LIST_SEPARATOR, index):
            items.append("".join(current))
            current, index = [], index + len(LIST_SEPARATOR)
        else:
            current.append(raw[index])
            index += 1
    items.append("".join(current))
    return items


# Shared text


def render(timeline: Timeline, events: Sequence[Event], fmt: str, title: str | None = None) -> str:
    """The export as text in one of FORMATS (JSON formats pretty-printed, UTF-8 kept)."""
    if fmt == "timelinejs":
        document = to_timelinejs(timeline, events, title=title)
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "ics":
        return to_ics(timeline, events, name=title)
    if fmt == "geojson":
        return json.dumps(to_geojson(timeline, events), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return to_csv(timeline, events)
    if fmt == "json":
        return to_json(timeline, events)
    raise ValueError(f"unknown export format '{fmt}' (expected one of: {', '.join(FORMATS)})")


def _place_names(timeline: Timeline, event: Event) -> list[str]:
    return [_place_name(timeline, place) for place in event.places]


def _place_name(timeline: Timeline, place_id: str) -> str:
    place = timeline.places.get(place_id)
    return place.name if place else place_id


def _actor_name(timeline: Timeline, actor_id: str) -> str:
    actor = timeline.actors.get(actor_id)
    return actor.name if actor else actor_id


def _outlet(timeline: Timeline, source_id: str) -> str:
    source = timeline.sources.get(source_id)
    return source.outlet if source else source_id


def _url(timeline: Timeline, source_id: str) -> str | None:
    source = timeline.sources.get(source_id)
    return source.url if source else None


def _outlets(timeline: Timeline, event: Event) -> list[str]:
    return sorted({_outlet(timeline, citation.source) for citation in event.sources})


def _citation_credit(timeline: Timeline, citation: Citation) -> str:
    source = timeline.sources.get(citation.source)
    outlet = source.outlet if source else citation.source
    text = f"{citation.quoted}, in {outlet}" if citation.quoted else outlet
    if source is not None:
        text += f", {source.published.describe()}"
    if citation.date is not None:
        text += f" (gives {citation.date.describe()})"
    return text


def _figure_text(figure: Figure) -> str:
    qualifier = f"{figure.qualifier} " if figure.qualifier else ""
    return (
        f"{figure.measure}: {qualifier}{figure.value:g} {figure.unit}, claimed by "
        f"{figure.claimed_by} ({figure.source})"
    )


def _day_words(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"
