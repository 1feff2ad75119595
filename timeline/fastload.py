"""A fast path for loading valid events files: a Rust YAML parser and a strict happy-path builder.

PyYAML spends about 30 s composing the nodes of a 100,000-event file before validation even
starts. Most files are valid, and a valid file needs no positions, so this module parses with
yaml-rs and builds the Timeline directly. It never reports a problem: whenever anything is
unusual or wrong it returns None, and the exact path (load.py) runs and says what and where.
So both paths accept and reject the same files; tests/test_fastload.py checks that they also
load the same objects, on the curated file, synthetic files and the invalid corpus.

yaml-rs reads YAML 1.2, where `no`, `10:30`, `5e2` and `012` are not what PyYAML's YAML 1.1
makes of them. Texts that YAML 1.1 would not read as text are refused (`_yaml11_not_text`);
every number taken from a record is checked against how it is written in that record, however
its key is spelled (`_numbers_agree`); and `_NEEDS_EXACT_PATH` sends every file with anchors,
tags, flow collections, block scalars or several documents to the exact path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from timeline.articles import decode_article
from timeline.dates import FuzzyDate, parse_date
from timeline.errors import InvalidDate, UnreadableArticle
from timeline.model import (
    ACTOR_FIELDS,
    CATEGORIES,
    CITATION_FIELDS,
    EVENT_FIELDS,
    FIGURE_FIELDS,
    LINK_FIELDS,
    MAX_BYTES,
    MAX_TITLE_CHARS,
    ORIGINS,
    PLACE_FIELDS,
    PLACE_KINDS,
    QUALIFIERS,
    RELATIONS,
    SIDES,
    SLUG,
    SOURCE_FIELDS,
    STATUSES,
    STORY_FIELDS,
    Actor,
    Citation,
    Event,
    Figure,
    Link,
    Place,
    Source,
    Story,
    Timeline,
    is_web_address,
)

try:
    import yaml_rs
except ImportError:  # the exact path still works, only slower
    yaml_rs = None

# Plain scalars that YAML 1.1 (PyYAML) reads as something other than text: booleans, nulls,
# ints in any base, sexagesimals, floats, timestamps, merge and value keys.
_YAML11_NOT_TEXT = (
    r"yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N"
    r"|~|null|Null|NULL|<<|="
    r"|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
    r"|[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?"
)
# A text value that is such a scalar may have been written bare, where YAML 1.1 makes it a
# boolean, number or date: only the exact path knows how it was written.
_NOT_TEXT_IN_YAML11 = re.compile(_YAML11_NOT_TEXT)
# Its words are all short; its numbers and dates all start with one of _NUMBER_STARTS.
_YAML11_WORDS = frozenset(
    "yes Yes YES no No NO true True TRUE false False FALSE on On ON off Off OFF y Y n N "
    "~ null Null NULL << =".split()
)
_NUMBER_STARTS = frozenset("+-.0123456789")


def _yaml11_not_text(value: str) -> bool:
    """Whether YAML 1.1 would read this text, written bare, as something other than text."""
    if len(value) <= 5 and value in _YAML11_WORDS:
        return True
    return value[:1] in _NUMBER_STARTS and _NOT_TEXT_IN_YAML11.fullmatch(value) is not None


_SAFE_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
# Anything whose meaning could differ between the readers, or that only the exact path refuses
# with a position. Each pattern runs only when a cheap substring test says it could match, on
# the text behind one line break: every line then starts after a "\n", which the engine finds
# fast, where `^` under re.MULTILINE is tried at every offset (0.3-2 s a scan of 57 MB).
_NEEDS_EXACT_PATH: tuple[tuple[str, re.Pattern[str] | None], ...] = (
    ("&*!", re.compile(r"[\s\[{,][&*!]")),  # anchors, aliases, tags
    ("[{", re.compile(r"[:-][ ]+[\[{]|\n[ ]*[\[{]")),  # flow collections
    ("|>", re.compile(r"[:-][ ]+[|>][-+0-9]*[ ]*(?:#[^\n]*)?$", re.MULTILINE)),  # block scalars
    ("?", re.compile(r"\n[ ]*(?:-[ ]+)*\?(?:[ ]|$)", re.MULTILINE)),  # complex keys
    # Directives and document markers at the start of a line: the substring says it all.
    ("\n%", None),
    ("\n---", None),
    ("\n...", None),
    # Line breaks only YAML 1.1 knows, tabs, and control characters.
    (
        "",
        re.compile(
            "[\x85\u2028\u2029\t]|[^\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
        ),
    ),
)
# The same characters in ASCII, as the bytes left once the allowed ones are deleted: a regex
# scan of 57 MB took 1.2 s, this takes 0.03 s.
_ASCII_ALLOWED = bytes([0x0A, 0x0D, *range(0x20, 0x7F)])


def _needs_exact_path(text: str) -> bool:
    """Whether the text holds any construct the fast path leaves to the exact one."""
    if text.startswith(("%", "---", "...")):
        return True
    ascii_only = text.isascii()  # known to the str object: no scan
    if ascii_only and text.encode("ascii").translate(None, _ASCII_ALLOWED):
        return True
    padded = None
    for hint, pattern in _NEEDS_EXACT_PATH:
        if hint and not (hint in text if hint[0] == "\n" else any(c in text for c in hint)):
            continue
        if pattern is None:
            return True
        if not hint and ascii_only:
            continue  # the characters were checked above, as bytes
        if padded is None:
            padded = "\n" + text
        if pattern.search(padded):
            return True
    return False


# A plain value that could be a number: after `: `, `- ` or indentation, starting like a
# number, alone up to the end of its line or a comment. (Flow collections, where `,` `]` `}`
# would also end it, never reach the fast path.)
_NUMBER_VALUE = re.compile(r"[:\-\n][ ]+([-+._0-9]\S*)[ \r]*(?:#|\n|\Z)")
# Records start at `- id:` lines, sections at column 0. Searching for the line break first is
# fast; `^` under re.MULTILINE tries every position (0.3 s a scan of 57 MB).
_ITEM_ID_LINE = re.compile(r"\n[ ]*- id:[ ]")
_SECTION_LINE = re.compile(r"\n(sources|places|actors|stories|events):")
SECTIONS = ("sources", "places", "actors", "stories", "events")


class _Bail(Exception):
    """The fast path cannot vouch for this file; the exact path decides."""


def fast_timeline(text: str, name: str, base_dir: Path, max_depth: int) -> Timeline | None:
    """The Timeline of a valid, warning-free file, or None when the exact path must decide."""
    if yaml_rs is None or not text.strip() or _needs_exact_path(text):
        return None
    if _nesting_could_exceed(text, max_depth):
        return None
    if not _ITEM_ID_LINE.search(text):
        return None  # no record starts with `- id:`, so the builder would bail after parsing
    try:
        data = yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
        return _Builder(name, base_dir, text).build(data)
    except (_Bail, yaml_rs.YAMLDecodeError, RecursionError, ValueError, TypeError):
        return None


def _numbers_agree(span: str) -> bool:
    """Whether every number written in this part of the file reads the same in YAML 1.1 as in
    yaml-rs's YAML 1.2 (which also reads 5e2, 0o17, _1 or 1_000 as numbers, and 012 as 12).

    Values that merely could be numbers (a date, `2022.` ending a line of text) are asked of
    yaml-rs itself; a false alarm only sends the file to the exact path.
    """
    return not any(
        _reads_as_number(word) and not _SAFE_NUMBER.fullmatch(word)
        for word in _NUMBER_VALUE.findall(span)
    )


_WORDS_READ: dict[str, bool] = {}


def _reads_as_number(word: str) -> bool:
    """Whether yaml-rs reads this word, written bare, as a number (memoised: dates repeat)."""
    known = _WORDS_READ.get(word)
    if known is None:
        try:
            value = yaml_rs.loads(f"a: {word}\n")["a"]
        except (yaml_rs.YAMLDecodeError, TypeError, KeyError):
            value = None
        known = isinstance(value, int | float)
        if len(_WORDS_READ) < 100_000:
            _WORDS_READ[word] = known
    return known


def _nesting_could_exceed(text: str, max_depth: int) -> bool:
    """Block nesting needs two columns a level; with no flow collections this bounds depth."""
    indent = f"[ -]{{{2 * max_depth + 1}}}"
    return re.match(indent, text) is not None or re.search(f"\n{indent}", text) is not None


class _Builder:
    """Builds records from parsed data, bailing out at the first thing it cannot vouch for."""

    def __init__(self, name: str, base_dir: Path, text: str) -> None:
        self.name = name
        self.base_dir = base_dir
        self.text = text

    def build(self, data: Any) -> Timeline:
        if not isinstance(data, dict) or "events" not in data or set(data) - set(SECTIONS):
            raise _Bail
        spans = self._record_spans(data)
        timeline = Timeline(self.name)
        builders = {
            "sources": self.source, "places": self.place, "actors": self.actor,
            "stories": self.story,
        }  # fmt: skip
        for section, build in builders.items():
            records = {}
            for item in _items(data, section):
                line, start, end = next(spans)
                record = build(item, line)
                if record.id in records:
                    raise _Bail
                records[record.id] = record
                if _holds_numbers(section, item) and not _numbers_agree(self.text[start:end]):
                    raise _Bail
            setattr(timeline, section, records)
        events = []
        for position, item in enumerate(_items(data, "events")):
            line, start, end = next(spans)
            events.append(self.event(item, line, position, timeline))
            if _holds_numbers("events", item) and not _numbers_agree(self.text[start:end]):
                raise _Bail
        if len({event.id for event in events}) != len(events):
            raise _Bail
        ids = {event.id for event in events}
        for event in events:
            if any(link.event not in ids or link.event == event.id for link in event.links):
                raise _Bail
        self._check_quotes(timeline, events)
        self._check_story_dates(timeline, events)
        timeline.events = sorted(events, key=lambda event: event.sort_key)
        return timeline

    def _record_spans(self, data: dict) -> Iterator[tuple[int, int, int]]:
        """Line, start and end offset of each record, in file order: each starts at `- id:`."""
        # With a line break in front, every line starts after one, the first included; the
        # offset of that break in `padded` is the offset of the line in the text.
        padded = "\n" + self.text
        order = [match[1] for match in _SECTION_LINE.finditer(padded)]
        if order != [section for section in SECTIONS if section in data]:
            raise _Bail  # records are read in SECTIONS order; their lines must come in it too
        starts = [match.start() for match in _ITEM_ID_LINE.finditer(padded)]
        del padded
        if len(starts) != sum(len(_items(data, section)) for section in SECTIONS):
            raise _Bail
        line, cursor = 1, 0
        for start, end in zip(starts, [*starts[1:], len(self.text)], strict=True):
            line += self.text.count("\n", cursor, start)
            cursor = start
            yield line, start, end

    def source(self, item: Any, line: int) -> Source:
        values = _fields(item, _SOURCE)
        url = values.get("url")
        if url is not None and not is_web_address(_text(url)):
            raise _Bail
        return Source(
            id=_slug(values["id"]), outlet=_text(values["outlet"]),
            published=_date(values["published"]),
            published_note=_text(values["published_note"]),
            headline=_optional_text(values.get("headline")),
            file=_optional_text(values.get("file")), url=_optional_text(url),
            author=_optional_text(values.get("author")),
            note=_optional_text(values.get("note")), line=line,
        )  # fmt: skip

    def place(self, item: Any, line: int) -> Place:
        values = _fields(item, _PLACE)
        return Place(
            id=_slug(values["id"]), name=_text(values["name"]),
            kind=_choice(values["kind"], PLACE_KINDS), country=_text(values["country"]),
            lat=_number(values["lat"], -90, 90), lon=_number(values["lon"], -180, 180),
            region=_optional_text(values.get("region")),
            aliases=_texts(values.get("aliases")), line=line,
        )  # fmt: skip

    def actor(self, item: Any, line: int) -> Actor:
        values = _fields(item, _ACTOR)
        return Actor(
            id=_slug(values["id"]), name=_text(values["name"]),
            side=_choice(values["side"], SIDES), aliases=_texts(values.get("aliases")),
            line=line,
        )  # fmt: skip

    def story(self, item: Any, line: int) -> Story:
        values = _fields(item, _STORY)
        return Story(
            id=_slug(values["id"]), title=_text(values["title"]), date=_date(values["date"]),
            description=_optional_text(values.get("description")), line=line,
        )  # fmt: skip

    def event(self, item: Any, line: int, position: int, timeline: Timeline) -> Event:
        values = _fields(item, _EVENT)
        title = _text(values["title"])
        if len(title) > MAX_TITLE_CHARS:
            raise _Bail
        when = _date(values["date"])
        citations = tuple(self.citation(c, timeline, when) for c in _list(values["sources"]))
        cited = {citation.source for citation in citations}
        figures = tuple(_figure(f, cited) for f in _list(values.get("figures"), empty=True))
        event = Event(
            id=_slug(values["id"]), title=title, date=when,
            stories=_refs(values["stories"], timeline.stories),
            category=_choice(values["category"], CATEGORIES), sources=citations,
            actors=_refs(values.get("actors"), timeline.actors, empty=True),
            places=_refs(values.get("places"), timeline.places, empty=True),
            figures=figures,
            origin=_choice(values.get("origin", "curated"), ORIGINS),
            status=_choice(values.get("status", "reported"), STATUSES),
            notes=_optional_text(values.get("notes")),
            links=tuple(_link(link) for link in _list(values.get("links"), empty=True)),
            line=line, position=position,
        )  # fmt: skip
        if not citations or not event.stories:
            raise _Bail
        return event

    def citation(self, item: Any, timeline: Timeline, event_date: FuzzyDate) -> Citation:
        values = _fields(item, _CITATION)
        source = values["source"]
        if not isinstance(source, str) or source not in timeline.sources:
            raise _Bail
        when = _date(values["date"]) if "date" in values else None
        if when is not None and not event_date.covers(when):
            raise _Bail
        return Citation(
            source=source, quote=_text(values["quote"]),
            quoted=_optional_text(values.get("quoted")), date=when,
        )  # fmt: skip

    def _check_quotes(self, timeline: Timeline, events: list[Event]) -> None:
        texts: dict[str, str] = {}
        for source in timeline.sources.values():
            if source.file is not None:
                path = self.base_dir / source.file
                try:
                    if not path.is_file() or path.stat().st_size > MAX_BYTES:
                        raise _Bail
                    texts[source.id] = decode_article(path.read_bytes())
                except (OSError, ValueError, UnreadableArticle):
                    raise _Bail from None
        # Events often quote the same passage: look each one up once.
        quoted = {(cited.source, cited.quote) for event in events for cited in event.sources}
        for source, quote in quoted:
            text = texts.get(source)
            if text is not None and quote not in text:
                raise _Bail

    def _check_story_dates(self, timeline: Timeline, events: list[Event]) -> None:
        """A date outside its story is only a warning, but warnings need positions."""
        for event in events:
            for story_id in event.stories:
                span = timeline.stories[story_id].date
                if not (span.first <= event.date.last and event.date.first <= span.last):
                    raise _Bail


def _holds_numbers(section: str, item: dict) -> bool:
    """Whether the builder takes a number from this record: coordinates, figures, bare years."""
    if section == "places" or (section == "events" and "figures" in item):
        return True
    if type(item.get("date")) is int or type(item.get("published")) is int:
        return True
    citations = item.get("sources") if section == "events" else None
    return isinstance(citations, list) and any(
        isinstance(citation, dict) and type(citation.get("date")) is int for citation in citations
    )


def _items(data: dict, section: str) -> list:
    items = data.get(section, [])
    if not isinstance(items, list):
        raise _Bail
    return items


class _Spec:
    """A record kind's required fields, and all the fields it may have."""

    def __init__(self, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
        self.required = required
        self.allowed = frozenset(required + optional)
        self.required_set = frozenset(required)
        self.first_is_id = required[0] == "id"

    @classmethod
    def of(cls, fields: dict[str, bool]) -> _Spec:
        """A spec from a field table: field name -> required."""
        required = tuple(name for name, needed in fields.items() if needed)
        return cls(required, tuple(name for name, needed in fields.items() if not needed))


def _fields(item: Any, spec: _Spec) -> dict:
    if not isinstance(item, dict):
        raise _Bail
    if spec.first_is_id and next(iter(item), None) != "id":
        raise _Bail  # a record's line is found from its `- id:` line
    if not (spec.allowed >= item.keys() >= spec.required_set):
        raise _Bail
    if None in item.values():
        raise _Bail
    return item


# The fields of each record kind: the same tables the exact path validates with.
_SOURCE = _Spec.of(SOURCE_FIELDS)
_PLACE = _Spec.of(PLACE_FIELDS)
_ACTOR = _Spec.of(ACTOR_FIELDS)
_STORY = _Spec.of(STORY_FIELDS)
_EVENT = _Spec.of(EVENT_FIELDS)
_CITATION = _Spec.of(CITATION_FIELDS)
_FIGURE = _Spec.of(FIGURE_FIELDS)
_LINK = _Spec.of(LINK_FIELDS)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or _yaml11_not_text(value):
        raise _Bail
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(_text(item) for item in _list(value, empty=True))


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise _Bail
    if _yaml11_not_text(value):  # e.g. `no`, `y` or `2022-09-11` written bare
        raise _Bail
    return value


def _choice(value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise _Bail
    return value


def _number(value: Any, low: float | None = None, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Bail
    number = float(value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Bail
    return number


def _date(value: Any) -> FuzzyDate:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a bare year; its spelling is checked by _numbers_agree
    if not isinstance(value, str) or not value.strip():
        raise _Bail
    try:
        return parse_date(value)
    except InvalidDate:
        raise _Bail from None


def _list(value: Any, empty: bool = False) -> list:
    if value is None and empty:
        return []
    if not isinstance(value, list) or (not value and not empty):
        raise _Bail
    return value


def _refs(value: Any, known: dict, empty: bool = False) -> tuple[str, ...]:
    """Ids of known records; those passed _slug when defined, so equality is enough."""
    refs = tuple(_list(value, empty=empty))
    if not all(map(known.__contains__, refs)):  # keys are str: nothing else is `in` them
        raise _Bail
    return refs


def _figure(item: Any, cited: set[str]) -> Figure:
    values = _fields(item, _FIGURE)
    figure = Figure(
        measure=_slug(values["measure"]), value=_number(values["value"]),
        unit=_text(values["unit"]), claimed_by=_text(values["claimed_by"]),
        source=_text(values["source"]),
        qualifier=_choice(values["qualifier"], QUALIFIERS) if "qualifier" in values else None,
    )  # fmt: skip
    if figure.source not in cited:
        raise _Bail
    return figure


def _link(item: Any) -> Link:
    values = _fields(item, _LINK)
    return Link(event=_slug(values["event"]), relation=_choice(values["relation"], RELATIONS))
