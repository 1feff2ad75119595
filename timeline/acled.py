"""Importing ACLED-style CSV rows as new events of events.yaml, in one write.

The rows become new events appended at the end of the `events:` list; when the events file has
no source of the id the rows are quoted from (`--source-id`, default `acled`), one is inserted
at the end of `sources` in the same write (timeline.edits: no existing line changes). Hence:

* the citation: each row's `notes` (ACLED's own description) is the verbatim `quote`, credited
  to "ACLED, citing <source column>", from that source. A new source is dated by `published`
  (the day the export was downloaded) when given, else by the latest event_date of the rows
  (the export was made on or after it), and says which in `published_note`;
* the stories: `stories` (`--story ID`, optional, repeatable) names existing stories; without
  them the events belong to no story (ACLED has no such notion);
* places: `location` is matched by name or alias (case-insensitive) against the gazetteer,
  taking the nearest match within PLACE_MATCH_KM of ACLED's coordinates; for geo_precision 3
  (only the region is known) `admin1` is matched against places of kind `region` instead.
  Unmatched locations stay out of `places`, and the event's `notes` keep location, admin1,
  coordinates and geo_precision, so nothing is lost and the gazetteer can be extended later;
* actors: actor1/actor2 are matched by name or alias, also without ACLED's trailing years
  ("Military Forces of Russia (2000-)"); unmatched actors are named in `notes`;
* dates: time_precision 1 is the day, 2 the ISO week containing event_date (ACLED records the
  middle of a week or weekend), 3 the month;
* category: CATEGORY_BY_SUB_EVENT, then CATEGORY_BY_EVENT_TYPE, else `other`;
* fatalities above 0 become a `deaths` figure, `at-least` (ACLED codes the lowest estimate);
* ids: `acled-<event_id_cnty>` lowercased, or `acled-<hash of the row's content>` without it;
  ids already in the file are skipped, so importing the same file twice adds nothing (and the
  source, once there, is not added again).

Events are appended with origin `imported` and status `reported`. Every problem of the CSV is
reported at once with its line, and nothing is written unless all rows are valid.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from timeline.edits import InsertSource, plan_edit
from timeline.errors import InvalidTimeline, Problem, Severity, UnknownStory
from timeline.load import parse_timeline
from timeline.model import Actor, Place, Timeline
from timeline.words import plural
from timeline.write import event_block, plan_append, rewrite

DEFAULT_SOURCE_ID = "acled"
REQUIRED_COLUMNS = (
    "event_date", "time_precision", "event_type", "location", "latitude", "longitude", "notes",
)  # fmt: skip
OPTIONAL_COLUMNS = (
    "event_id_cnty", "sub_event_type", "actor1", "actor2", "admin1", "geo_precision", "source",
    "fatalities",
)  # fmt: skip
# ACLED's sub-event types, then event types, mapped onto our categories (docs/export.md).
CATEGORY_BY_SUB_EVENT = {
    "government regains territory": "advance",
    "non-state actor overtakes territory": "advance",
    "non-violent transfer of territory": "advance",
    "disrupted weapons use": "strike",
    "agreement": "diplomacy",
}
CATEGORY_BY_EVENT_TYPE = {
    "battles": "other",
    "explosions/remote violence": "strike",
    "violence against civilians": "civilians",
    "protests": "other",
    "riots": "other",
    "strategic developments": "other",
}
PLACE_MATCH_KM = 30.0
MAX_TITLE_CHARS = 300
ACLED_NAME = "ACLED"
ACLED_OUTLET = "ACLED (Armed Conflict Location & Event Data)"
ACLED_URL = "https://acleddata.com/"
_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
_WORD_DATE = re.compile(r"(?a)(\d{1,2})[ -]([A-Za-z]+)[ -](\d{4})")
_ISO_DATE = re.compile(r"(?a)(\d{4})-(\d{2})-(\d{2})")
_ACTOR_YEARS = re.compile(r"\s*\(\d{4}-(?:\d{4})?\)$")


class AcledRejected(InvalidTimeline):
    """The ACLED file cannot be imported; `problems` lists every reason with its line."""


@dataclass(frozen=True, slots=True)
class AcledRow:
    """One row of an ACLED-style CSV, checked and typed."""

    line: int
    event_id: str | None
    when: date
    time_precision: int
    event_type: str
    sub_event_type: str
    actor1: str
    actor2: str
    admin1: str
    location: str
    latitude: float
    longitude: float
    geo_precision: int | None
    source: str
    notes: str
    fatalities: int | None
    raw: Mapping[str, str]

    @property
    def label(self) -> str:
        """How messages name the row: its ACLED id, else its line."""
        return f"row '{self.event_id}'" if self.event_id else f"row at line {self.line}"


@dataclass(slots=True)
class ImportPlan:
    """What an import adds: the blocks, the ids added and skipped, and the file's new bytes."""

    blocks: list[str]
    added: list[str]
    skipped: list[str]
    new_data: bytes
    warnings: list[Problem] = field(default_factory=list)
    source: dict[str, Any] | None = None  # the source entry added, if the file had none


# Reading the CSV


def read_acled(text: str, name: str) -> tuple[list[AcledRow], list[Problem]]:
    """The rows of an ACLED-style CSV and every problem found, each with its line."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [_problem(name, 1, "the file is empty (expected a header row of ACLED columns)")]
    except csv.Error as error:
        return [], [_problem(name, 1, f"CSV syntax: {error}")]
    columns = [column.strip().lower() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in columns]
    if missing:
        found = ", ".join(columns) or "nothing"
        return [], [
            _problem(
                name,
                1,
                f"missing ACLED column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"(found: {found})",
            )
        ]
    rows: list[AcledRow] = []
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(_problem(name, line, f"CSV syntax: {error}"))
            break
        start, line = line, reader.line_num + 1
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            problems.append(
                _problem(
                    name,
                    start,
                    f"the row has {plural(len(values), 'field')} "
                    f"(expected {len(columns)}, as the header)",
                )
            )
            continue
        raw = {column: value.strip() for column, value in zip(columns, values, strict=True)}
        row = _row(raw, start, name, problems)
        if row is not None:
            rows.append(row)
    return rows, problems


def _row(raw: dict[str, str], line: int, name: str, problems: list[Problem]) -> AcledRow | None:
    count = len(problems)
    event_id = raw.get("event_id_cnty") or None
    record = f"row '{event_id}'" if event_id else None

    def bad(message: str) -> None:
        problems.append(_problem(name, line, message, record))

    when = None
    try:
        when = parse_acled_date(raw["event_date"])
    except ValueError as error:
        bad(str(error))
    precision = None
    if raw["time_precision"]:
        precision = _integer(raw["time_precision"], "time_precision", (1, 2, 3), bad)
    else:
        bad("time_precision is empty (expected 1 for a day, 2 for a week, 3 for a month)")
    geo_precision = None
    if raw.get("geo_precision"):
        geo_precision = _integer(raw["geo_precision"], "geo_precision", (1, 2, 3), bad)
    latitude = _coordinate(raw["latitude"], "latitude", 90, bad)
    longitude = _coordinate(raw["longitude"], "longitude", 180, bad)
    fatalities = None
    if raw.get("fatalities"):
        fatalities = _integer(raw["fatalities"], "fatalities", None, bad)
    for column in ("event_type", "location", "notes"):
        if not raw[column]:
            meaning = "it becomes the quote" if column == "notes" else "expected text"
            bad(f"{column} is empty ({meaning})")
    if event_id is not None and not re.fullmatch(r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*", event_id):
        bad(f"event_id_cnty '{event_id}' is not an ACLED id (expected letters and digits)")
    if len(problems) > count:
        return None
    return AcledRow(
        line=line,
        event_id=event_id,
        when=when,
        time_precision=precision,
        event_type=raw["event_type"],
        sub_event_type=raw.get("sub_event_type", ""),
        actor1=raw.get("actor1", ""),
        actor2=raw.get("actor2", ""),
        admin1=raw.get("admin1", ""),
        location=raw["location"],
        latitude=latitude,
        longitude=longitude,
        geo_precision=geo_precision,
        source=raw.get("source", ""),
        notes=raw["notes"],
        fatalities=fatalities,
        raw=raw,
    )


def parse_acled_date(text: str) -> date:
    """An ACLED event_date: '2022-09-11', '11 September 2022' or '11-September-2022'."""
    iso = _ISO_DATE.fullmatch(text)
    words = _WORD_DATE.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if words and words[2].lower() in _MONTHS:
            return date(int(words[3]), _MONTHS.index(words[2].lower()) + 1, int(words[1]))
    except ValueError:
        raise ValueError(f"event_date '{text}' is not a real day") from None
    raise ValueError(
        f"event_date '{text}' is not a date (expected YYYY-MM-DD or e.g. '11 September 2022')"
    )


def _integer(
    text: str, column: str, allowed: tuple[int, ...] | None, bad: Callable[[str], None]
) -> int | None:
    if not re.fullmatch(r"(?a)\d+", text) or (allowed and int(text) not in allowed):
        if column == "time_precision":
            bad(f"time_precision '{text}' is not 1, 2 or 3 (1 a day, 2 a week, 3 a month)")
        elif allowed:
            bad(f"{column} '{text}' is not one of {', '.join(map(str, allowed))}")
        else:
            bad(f"{column} '{text}' is not a whole number of 0 or more")
        return None
    return int(text)


def _coordinate(text: str, column: str, limit: float, bad: Callable[[str], None]) -> float | None:
    try:
        value = float(text)
    except ValueError:
        bad(f"{column} '{text}' is not a number (expected decimal degrees)")
        return None
    if not math.isfinite(value) or abs(value) > limit:
        bad(f"{column} {text} is out of range (expected -{limit:g} to {limit:g})")
        return None
    return value


def _problem(name: str, line: int, message: str, record: str | None = None) -> Problem:
    return Problem(name, line, 1, Severity.ERROR, message, record)


# Mapping rows onto the data model


def acled_date(when: date, time_precision: int) -> str:
    """Our date for an ACLED date: the day (1), its ISO week (2) or its month (3)."""
    if time_precision == 1:
        return when.isoformat()
    if time_precision == 2:
        year, week, _ = when.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if time_precision == 3:
        return f"{when.year:04d}-{when.month:02d}"
    raise ValueError(f"time_precision {time_precision} is not 1, 2 or 3")


def acled_category(event_type: str, sub_event_type: str = "") -> str:
    """Our category for an ACLED event type and sub-event type."""
    by_sub = CATEGORY_BY_SUB_EVENT.get(sub_event_type.strip().lower())
    return by_sub or CATEGORY_BY_EVENT_TYPE.get(event_type.strip().lower(), "other")


def acled_event_id(row: AcledRow) -> str:
    """A stable event id: from event_id_cnty, else from a hash of the row's content."""
    if row.event_id:
        return "acled-" + "-".join(re.findall(r"[a-z0-9]+", row.event_id.lower()))
    content = "\x1f".join(
        str(value)
        for value in (
            row.when, row.time_precision, row.event_type, row.sub_event_type, row.actor1,
            row.actor2, row.admin1, row.location, row.latitude, row.longitude, row.notes,
        )
    )  # fmt: skip
    return "acled-" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]


def match_place(places: Mapping[str, Place], row: AcledRow) -> Place | None:
    """The gazetteer place an ACLED row is at, or None (see the module docstring)."""
    if row.geo_precision == 3:
        admin = row.admin1.casefold()
        if not admin:
            return None
        wanted = {admin, f"{admin} oblast", f"{admin} region"}
        return next((p for p in places.values() if p.kind == "region" and wanted & _names(p)), None)
    location = row.location.casefold()
    near = [
        (distance, place.id, place)
        for place in places.values()
        if place.kind != "country" and location in _names(place)
        if (distance := distance_km(row.latitude, row.longitude, place.lat, place.lon))
        <= PLACE_MATCH_KM
    ]
    return min(near)[2] if near else None


def match_actor(actors: Mapping[str, Actor], acled_name: str) -> Actor | None:
    """The actor an ACLED actor name stands for, by name or alias, with or without its years."""
    if not acled_name:
        return None
    wanted = {acled_name.casefold(), _ACTOR_YEARS.sub("", acled_name).casefold()}
    return next((actor for actor in actors.values() if wanted & _names(actor)), None)


def _names(record: Place | Actor) -> set[str]:
    return {record.name.casefold(), *(alias.casefold() for alias in record.aliases)}


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def acled_event(
    row: AcledRow, timeline: Timeline, source_id: str, stories: Sequence[str]
) -> dict[str, Any]:
    """The event (as event_block takes it) for one ACLED row."""
    place = match_place(timeline.places, row)
    actors: list[str] = []
    unmatched_actors = []
    for name in (row.actor1, row.actor2):
        actor = match_actor(timeline.actors, name)
        if actor is not None and actor.id not in actors:
            actors.append(actor.id)
        elif actor is None and name:
            unmatched_actors.append(name)
    what = row.sub_event_type or row.event_type
    title = f"{what} in {place.name if place else row.location}"
    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1] + "…"
    figures = None
    if row.fatalities:
        figures = [
            {
                "measure": "deaths",
                "value": row.fatalities,
                "unit": "people",
                "qualifier": "at-least",
                "claimed_by": ACLED_NAME,
                "source": source_id,
            }
        ]
    return {
        "id": acled_event_id(row),
        "title": title,
        "date": acled_date(row.when, row.time_precision),
        "stories": list(stories) or None,
        "category": acled_category(row.event_type, row.sub_event_type),
        "actors": actors or None,
        "places": [place.id] if place else None,
        "sources": [
            {
                "source": source_id,
                "quote": row.notes,
                "quoted": f"{ACLED_NAME}, citing {row.source}" if row.source else ACLED_NAME,
            }
        ],
        "figures": figures,
        "origin": "imported",
        "status": "reported",
        "notes": _notes(row, place, unmatched_actors),
    }


def _notes(row: AcledRow, place: Place | None, unmatched_actors: list[str]) -> str:
    """ACLED's columns as written, plus what did not match the gazetteer or the actors."""
    sentences = []
    if place is None:
        where = f"{row.location} ({row.admin1})" if row.admin1 else row.location
        sentences.append(
            f"Place not in the gazetteer: {where} at latitude {row.raw['latitude']}, longitude "
            f"{row.raw['longitude']} (geo_precision {row.raw.get('geo_precision') or 'not given'})."
        )
    if unmatched_actors:
        sentences.append(f"Actors not in the actors list: {'; '.join(unmatched_actors)}.")
    shown = ("event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type")
    shown += ("actor1", "actor2", "admin1", "location", "latitude", "longitude", "geo_precision")
    shown += ("fatalities", "source")
    fields = "; ".join(f"{column}: {row.raw[column]}" for column in shown if row.raw.get(column))
    sentences.append(f"Imported from ACLED ({fields}).")
    return " ".join(sentences)


# Planning and running an import


def plan_import(
    data: bytes,
    events_name: str,
    csv_text: str,
    csv_name: str,
    source_id: str,
    stories: Sequence[str],
    base_dir: str | Path = ".",
    published: date | None = None,
) -> ImportPlan:
    """What importing the CSV into the events file's bytes would add; nothing is written."""
    timeline = parse_timeline(data, events_name, base_dir)
    if not timeline.ok:
        raise InvalidTimeline(timeline.problems)
    for story in stories:
        if story not in timeline.stories:
            close = difflib.get_close_matches(story, list(timeline.stories), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            known = ", ".join(timeline.stories) or "none"
            raise UnknownStory(f"unknown story '{story}' ({hint}expected one of: {known})")
    rows, problems = read_acled(csv_text, csv_name)
    present = {event.id for event in timeline.events}
    first_line: dict[str, int] = {}
    events, skipped = [], []
    for row in rows:
        event = acled_event(row, timeline, source_id, stories)
        if event["id"] in first_line:
            problems.append(
                _problem(
                    csv_name,
                    row.line,
                    f"the same ACLED event as line {first_line[event['id']]} "
                    f"(event id '{event['id']}'; expected each event once)",
                    row.label,
                )
            )
            continue
        first_line[event["id"]] = row.line
        if event["id"] in present:
            skipped.append(event["id"])
        else:
            events.append(event)
    if problems:
        raise AcledRejected(sorted(problems, key=lambda problem: problem.line))
    blocks = [event_block(event) for event in events]
    source = None
    with_source = data
    if blocks and source_id not in timeline.sources:
        source = acled_source(source_id, csv_name, rows, published)
        with_source = plan_edit(data, [InsertSource(source)], events_name, base_dir, validate=False)
    new_data = plan_append(with_source, blocks, events_name, base_dir)
    old_lines = with_source.count(b"\n")
    warnings = []
    if blocks:
        after = parse_timeline(new_data, events_name, base_dir)
        warnings = [problem for problem in after.warnings if problem.line > old_lines]
    added = [event["id"] for event in events]
    return ImportPlan(blocks, added, skipped, new_data, warnings, source)


def acled_source(
    source_id: str, csv_name: str, rows: Sequence[AcledRow], published: date | None
) -> dict[str, Any]:
    """The sources entry ACLED rows are quoted from, dated by the download day when given."""
    if published is not None:
        note = "The day the export was downloaded, given on the command line (--published)."
    else:
        published = max(row.when for row in rows)
        note = (
            f"The latest event_date in {csv_name} (the export was made on or after that day; "
            "give --published for the day it was downloaded)."
        )
    return {
        "id": source_id,
        "outlet": ACLED_OUTLET,
        "published": published.isoformat(),
        "published_note": note,
        "url": ACLED_URL,
    }


def import_acled(
    csv_path: str | Path,
    events_path: str | Path,
    source_id: str = DEFAULT_SOURCE_ID,
    stories: Sequence[str] = (),
    dry_run: bool = False,
    published: date | None = None,
) -> ImportPlan:
    """Add the CSV's new events (and their source, if new) to the events file in one atomic
    write, unless dry_run; return the plan."""
    csv_text = _read_csv(csv_path)
    try:
        data = Path(events_path).read_bytes()
    except OSError as error:
        raise AcledRejected(
            [_problem(str(events_path), 0, f"cannot read the file: {error.strerror}")]
        ) from None
    expected = hashlib.sha256(data).hexdigest()
    plan = plan_import(
        data,
        str(events_path),
        csv_text,
        Path(csv_path).name,
        source_id,
        stories,
        Path(events_path).parent,
        published,
    )
    if plan.blocks and not dry_run:
        rewrite(events_path, lambda _: plan.new_data, expected)
    return plan


def _read_csv(path: str | Path) -> str:
    name = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise AcledRejected(
            [_problem(name, 0, f"cannot read the file: {error.strerror}")]
        ) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise AcledRejected(
            [_problem(name, line, f"byte 0x{raw[error.start]:02x} is not UTF-8 (expected UTF-8)")]
        ) from None
