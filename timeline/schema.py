"""The schema of events.yaml as data: one table of fields drives both loaders, the writer's
field order, the add-event form and the JSON Schema for editors (`json_schema()`).

Each record kind is a `Record` of `Field`s in writing order. A field's `kind` says how it is
read (text, slug, id, choice, number, date, url, list of texts, reference(s), nested records);
the exact validator (load.py) and the fast builder (fastload.py) dispatch on it, and the
model's classes (model.py) are made from these tables, so adding an optional field is one entry
here plus tests. What one record cannot check alone (references, quotes, dates across records)
lives in checks.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

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
STATUSES = ("confirmed", "reported", "disputed", "candidate", "rejected")
# Reviewed and turned down: kept in the file so that extraction never adds it again, hidden.
REJECTED = "rejected"
ORIGINS = ("curated", "extracted", "imported")
RELATIONS = ("caused", "part-of", "response-to", "related")
QUALIFIERS = ("about", "more-than", "at-least", "up-to", "exactly")
PLACE_KINDS = ("country", "region", "city", "town", "village", "site")
SIDES = ("ukraine", "russia", "international", "other")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_TITLE_CHARS = 300
# Where the JSON Schema is shipped; events.yaml's first line points editors at it.
JSON_SCHEMA_PATH = Path(__file__).with_name("events.schema.json")


class Kind(Enum):
    """How a field's value is read and checked."""

    TEXT = "text"  # a non-empty string that YAML 1.1 reads as text
    SLUG = "slug"  # text in lowercase words joined by single hyphens
    ID = "id"  # a slug naming the record, unique in its section
    CHOICE = "choice"  # one of a vocabulary
    NUMBER = "number"  # a plain decimal number, maybe within a range
    DATE = "date"  # a fuzzy date (timeline.dates)
    URL = "url"  # an http(s) address with a host
    TEXTS = "texts"  # a list of texts
    REF = "ref"  # the id of a record of another section
    REFS = "refs"  # a list of ids of records of a section
    CITED = "cited"  # text naming one of the sources its event cites (checks.py checks it)
    RECORDS = "records"  # a list of nested records


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record kind: how it is read, whether it is required, what it means."""

    name: str
    kind: Kind
    description: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] = ()
    choice_notes: tuple[str, ...] = ()  # one line per choice, for editors
    low: float | None = None
    high: float | None = None
    max_chars: int | None = None
    too_long_hint: str = ""  # what to do instead of writing more than max_chars
    min_items: int = 0
    section: str | None = None  # REF and REFS: the section referred to
    record: str | None = None  # RECORDS: the nested record kind's name
    items_title: str = ""  # RECORDS and REFS: what one item is called, as in "at least one ..."


@dataclass(frozen=True, slots=True)
class Record:
    """A record kind: its fields in writing order."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The field names in writing order."""
        return tuple(field.name for field in self.fields)

    @property
    def table(self) -> dict[str, bool]:
        """Field name -> required; required fields first, as messages list a record's fields."""
        ordered = sorted(self.fields, key=lambda field: not field.required)
        return {field.name: field.required for field in ordered}

    @property
    def required(self) -> tuple[str, ...]:
        """The required fields' names, in writing order."""
        return tuple(field.name for field in self.fields if field.required)

    def field(self, name: str) -> Field:
        """The field called `name`."""
        return next(field for field in self.fields if field.name == name)


def _id(section: str, example: str = "") -> Field:
    return Field("id", Kind.ID, f"Slug, unique among {section}{example}.", True, section=section)


def _text(name: str, description: str, required: bool = False, **options: Any) -> Field:
    return Field(name, Kind.TEXT, description, required, **options)


SOURCE = Record("source", "Source", "An article events are taken from.", (
    _id("sources", ", e.g. bbc-2022-09-12"),
    _text("outlet", "Publisher, e.g. BBC News.", True),
    _text("headline", "The headline, when known."),
    Field("published", Kind.DATE, "Publication date (a date, normally a day).", True),
    _text("published_note", "How the publication date was determined.", True),
    _text("file", "Path of the article's text, relative to events.yaml; quotes are checked "
          "against it."),
    Field("url", Kind.URL, "Web address of the article: http:// or https:// only."),
    _text("author", "Byline."),
    _text("note", "Anything a reader should know about the source (how the outlet was "
          "identified, garbled text)."),
))  # fmt: skip

PLACE = Record("place", "Place", "A place of the gazetteer.", (
    _id("places"),
    _text("name", "Name of the place.", True),
    Field("kind", Kind.CHOICE, "What kind of place it is.", True, choices=PLACE_KINDS),
    _text("region", "Oblast or region, e.g. Kharkiv Oblast."),
    _text("country", "Country, e.g. Ukraine.", True),
    Field("lat", Kind.NUMBER, "Latitude, WGS 84 degrees, -90 to 90.", True, low=-90, high=90),
    Field("lon", Kind.NUMBER, "Longitude, WGS 84 degrees, -180 to 180.", True, low=-180,
          high=180),
    Field("aliases", Kind.TEXTS, "Other spellings found in sources (Izyum, Kupyansk)."),
))  # fmt: skip

ACTOR = Record("actor", "Actor", "Who acts, claims or is quoted.", (
    _id("actors"),
    _text("name", "Name of the actor.", True),
    Field("side", Kind.CHOICE, "Which side the actor is on.", True, choices=SIDES),
    Field("aliases", Kind.TEXTS, "Other names found in sources."),
))  # fmt: skip

STORY = Record("story", "Story", "A named, dated phase; stories may overlap.", (
    _id("stories"),
    _text("title", "Name of the phase.", True),
    Field("date", Kind.DATE, "Usually a range, e.g. 2022-09-06 .. 2022-10-02.", True),
    _text("description", "What the phase is about."),
))  # fmt: skip

CITATION = Record("citation", "Citation", "A verbatim quote from a source backing an event.", (
    Field("source", Kind.REF, "Id of a source.", True, section="sources"),
    _text("quote", "Text copied verbatim from the source's article (the validator checks it).",
          True),
    _text("quoted", "Who is quoted or credited in the article, e.g. Oleh Syniehubov, Kharkiv "
          "governor."),
    Field("date", Kind.DATE, "The date this source gives, when the sources disagree."),
))  # fmt: skip

FIGURE = Record("figure", "Figure", "A number somebody claims.", (
    Field("measure", Kind.SLUG, "What is counted, kebab-case: territory-retaken, "
          "settlements-retaken, missiles-fired, missiles-shot-down, deaths, people-evacuated, …",
          True),
    Field("value", Kind.NUMBER, "The number claimed.", True),
    _text("unit", "km2, sq-mi, settlements, missiles, people, km, …", True),
    Field("qualifier", Kind.CHOICE, "How exact the number is.", choices=QUALIFIERS),
    _text("claimed_by", "Who claims it, as the article attributes it.", True),
    Field("claimant", Kind.REF, "Id of the actor who claims it, when a curated actor does "
          "(an outlet is not an actor): one claimant however the article spells the name.",
          section="actors"),
    Field("source", Kind.CITED, "Id of a source cited by the event.", True),
))  # fmt: skip

LINK = Record("link", "Link", "This event <relation> the other one (this strike caused that "
              "outage).", (
    Field("event", Kind.REF, "Id of the other event.", True, section="events"),
    Field("relation", Kind.CHOICE, "How this event relates to the other one.", True,
          choices=RELATIONS),
))  # fmt: skip

EVENT = Record("event", "Event", "What happened, each citing verbatim quotes.", (
    _id("events"),
    _text("title", "Short, in the present tense of a headline.", True,
          max_chars=MAX_TITLE_CHARS, too_long_hint="put the detail in notes"),
    Field("date", Kind.DATE, "When it happened; when sources disagree, the span that covers "
          "every claim.", True),
    Field("stories", Kind.REFS, "Ids of the stories it belongs to; none for an event outside "
          "every story (an import), but never an empty list.", section="stories", min_items=1,
          items_title="story id"),
    Field("category", Kind.CHOICE, "What kind of event it is.", True, choices=CATEGORIES,
          choice_notes=(
              "Territory taken or retaken.",
              "Withdrawal.",
              "Missile, drone or artillery strikes.",
              "Damage, outages, repairs of power, water, heat.",
              "Casualties.",
              "Evacuations, returns, humanitarian.",
              "Official claims, speeches, threats.",
              "Analysts' and foreign governments' assessments.",
              "Diplomacy.",
              "Background events before the campaigns.",
              "Anything else.",
          )),
    Field("actors", Kind.REFS, "Ids of the actors involved.", section="actors"),
    Field("places", Kind.REFS, "Ids of the places involved.", section="places"),
    Field("sources", Kind.RECORDS, "Citations backing the event (at least one).", True,
          record="citation", min_items=1, items_title="citation"),
    Field("figures", Kind.RECORDS, "Numbers somebody claims; disagreeing claims are kept side "
          "by side.", record="figure"),
    Field("origin", Kind.CHOICE, "How the event entered the file (default curated).",
          default="curated", choices=ORIGINS),
    Field("status", Kind.CHOICE, "How well the event is established (default reported).",
          default="reported", choices=STATUSES, choice_notes=(
              "Several independent sources agree.",
              "One source or one side's claim.",
              "Sources disagree.",
              "Not yet reviewed.",
              "Reviewed and turned down; hidden by default, never re-added by extraction.",
          )),
    _text("notes", "Free text."),
    Field("links", Kind.RECORDS, "Typed relations from this event to others.", record="link"),
))  # fmt: skip

# The document: five lists of records, in the order they are read and written.
DOCUMENT = Record("document", "events.yaml", "Conflict events with verbatim provenance; see "
                  "docs/data-model.md. Check with: python -m timeline validate events.yaml", (
    Field("sources", Kind.RECORDS, "The articles events are taken from.", record="source"),
    Field("places", Kind.RECORDS, "A small gazetteer.", record="place"),
    Field("actors", Kind.RECORDS, "Who acts, claims or is quoted.", record="actor"),
    Field("stories", Kind.RECORDS, "Named, dated phases; they may overlap.", record="story"),
    Field("events", Kind.RECORDS, "What happened, each citing verbatim quotes.", True,
          record="event"),
))  # fmt: skip

RECORDS = {
    record.name: record for record in (SOURCE, PLACE, ACTOR, STORY, EVENT, CITATION, FIGURE, LINK)
}
SECTIONS = DOCUMENT.names
# The record kind each section holds: "sources" -> "source".
SINGULAR = {field.name: field.record for field in DOCUMENT.fields}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of events.yaml, as timeline/events.schema.json holds it."""
    document = _object(DOCUMENT)
    document.pop("title")
    document.pop("description")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": DOCUMENT.title,
        "description": DOCUMENT.description,
        "$comment": (
            "Generated from timeline/schema.py by scripts/write_json_schema.py; do not edit. "
            "Editor help only: python -m timeline validate is the authority. It also checks what "
            "a schema cannot: unique ids, references between records, quotes against articles, "
            "real calendar days, citation dates within the event's date."
        ),
        **document,
        "$defs": {**_SHARED_DEFS, **{name: _object(record) for name, record in RECORDS.items()}},
    }


def json_schema_text() -> str:
    """json_schema() as the shipped file holds it: indented by two, UTF-8, one final newline."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def _object(record: Record) -> dict[str, Any]:
    return {
        "title": record.title,
        "description": record.description,
        "type": "object",
        "properties": {field.name: _property(field) for field in record.fields},
        "required": list(record.required),
        "additionalProperties": False,
    }


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _property(field: Field) -> dict[str, Any]:
    described: dict[str, Any] = {"title": field.name, "description": field.description}
    kind = field.kind
    if kind in (Kind.TEXT, Kind.SLUG, Kind.ID, Kind.DATE, Kind.REF, Kind.CITED):
        shared = {Kind.TEXT: "text", Kind.DATE: "date"}.get(kind, "slug")
        described.update(_ref(shared))
    elif kind is Kind.CHOICE:
        described["enum"] = list(field.choices)
        if field.choice_notes:
            described["enumDescriptions"] = list(field.choice_notes)
    elif kind is Kind.NUMBER:
        described["type"] = "number"
        if field.low is not None:
            described["minimum"] = field.low
        if field.high is not None:
            described["maximum"] = field.high
    elif kind is Kind.URL:
        described.update({"type": "string", "format": "uri", "pattern": "^https?://[^/?#]"})
    else:
        item = {Kind.TEXTS: "text", Kind.REFS: "slug"}.get(kind) or field.record
        described.update({"type": "array", "items": _ref(str(item))})
        if field.min_items:
            described["minItems"] = field.min_items
    if field.max_chars is not None:
        described["maxLength"] = field.max_chars
    if field.default is not None:
        described["default"] = field.default
    return described


_DATE = (
    r"(?!0000)[0-9]{4}(?:-W(?:0[1-9]|[1-4][0-9]|5[0-3])|-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]"
    r"|3[01])(?: (?:morning|afternoon|evening|night))?| (?:early|mid|late))?)?"
)
_SHARED_DEFS: dict[str, Any] = {
    "slug": {
        "title": "Slug",
        "description": "Lowercase letters and digits in words joined by single hyphens, e.g. "
        "bbc-2022-09-12.",
        "type": "string",
        "pattern": f"^{SLUG.pattern}$(?!\\n)",
        "$comment": "$(?!\\n) ends the match at the very end: Python's re (used by jsonschema) "
        "would let $ match before a final newline.",
    },
    "text": {
        "title": "Text",
        "description": "Text, not empty. Quote values YAML 1.1 reads as something else (yes, no, "
        "on, 012, 10:30).",
        "type": "string",
        "minLength": 1,
        "pattern": "\\S",
    },
    "date": {
        "title": "Date",
        "description": "YYYY-MM-DD, YYYY-MM-DD morning|afternoon|evening|night, YYYY-Www (ISO "
        "week), YYYY-MM early|mid|late, YYYY-MM, YYYY, or a range 'A .. B'; a leading ~ marks it "
        'approximate. Calendar days in Ukraine\'s local time. Quote a bare year ("2014"): '
        "unquoted it is a number.",
        "type": "string",
        "pattern": f"^~?{_DATE}(?: [.][.] {_DATE})?$(?!\\n)",
        "examples": [
            "2022-09-11",
            "2022-09-11 night",
            "2022-W37",
            "2022-09 early",
            "2022-09",
            "2022",
            "2022-09 early .. 2022-09-11",
            "~2022-09-06 .. 2022-09-11",
        ],
        "$comment": "The pattern checks the form only: impossible days (2022-02-30), week 53 of a "
        "52-week year and ranges ending before they start are caught by the validator.",
    },
}
