"""Loading and validating events.yaml: every problem in one pass, each with its position."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from timeline.articles import decode_article
from timeline.dates import FuzzyDate, parse_date
from timeline.errors import InvalidDate, InvalidTimeline, Problem, Severity, UnreadableArticle
from timeline.fastload import fast_timeline
from timeline.gcpause import collector_paused
from timeline.model import (  # the field tables are shared with fastload
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
from timeline.yamlnodes import (
    MAX_DEPTH,
    Entry,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    TopLevel,
    YamlSyntaxError,
)

# Below this the exact path takes well under a second, so small files never meet the native
# parser at all (it once crashed inside the dashboard's process on an emptied file).
FAST_PATH_MIN_BYTES = 512 * 1024
MAX_NUMBER_CHARS = 40
# Past this many errors, more are noise: 8 million lines saying the same thing help nobody.
MAX_ERRORS = 100
SECTIONS = ("sources", "places", "actors", "stories", "events")
SINGULAR = {
    "sources": "source",
    "places": "place",
    "actors": "actor",
    "stories": "story",
    "events": "event",
}

TOP_LEVEL_FIELDS = {section: section == "events" for section in SECTIONS}

_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_PLAIN_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?")
_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"


def load_timeline(path: str | Path, max_bytes: int = MAX_BYTES) -> Timeline:
    """Read and validate an events file; problems are returned, never raised."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            return refused(name, f"file is {size:,} bytes (expected at most {max_bytes:,})", 0, 0)
        data = Path(path).read_bytes()
    except OSError as error:
        return refused(name, f"cannot read the file: {error.strerror}", 0, 0)
    return parse_timeline(data, name, Path(path).parent, max_bytes)


def load(path: str | Path) -> Timeline:
    """Read and validate an events file; raise InvalidTimeline if it has any error."""
    timeline = load_timeline(path)
    if not timeline.ok:
        raise InvalidTimeline(timeline.problems)
    return timeline


def parse_timeline(
    data: bytes,
    name: str,
    base_dir: str | Path = ".",
    max_bytes: int = MAX_BYTES,
    use_fast_path: bool = True,
) -> Timeline:
    """Validate the bytes of an events file named `name`; article paths resolve from base_dir.

    Valid files usually load through fastload (same result, several times faster); anything
    else takes the exact path, which reports every problem with its position.
    """
    if len(data) > max_bytes:
        return refused(name, f"file is {len(data):,} bytes (expected at most {max_bytes:,})", 0, 0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return refused(name, _not_utf8(data, error.start), *_byte_position(data, error.start))
    big_enough = len(data) >= FAST_PATH_MIN_BYTES
    with collector_paused():
        fast = (
            fast_timeline(text, name, Path(base_dir), MAX_DEPTH)
            if use_fast_path and big_enough
            else None
        )
    if fast is not None:
        return fast
    top = TopLevel(text)
    try:
        with collector_paused():
            timeline = _Validator(name, Path(base_dir)).run(top)
    except YamlSyntaxError as error:
        return refused(name, error.message, error.line, error.column)
    if top.alias is not None:
        return refused(
            name,
            "aliases (*name) are not allowed (expected every value written out; "
            "anchors and aliases can expand into huge documents)",
            top.alias.line,
            top.alias.column,
        )
    if top.root is None and not timeline.problems:  # problems: it stopped before the end
        what = "holds only comments" if text.strip() else "is empty"
        return refused(
            name,
            f"the file {what} (expected a mapping with sources, places, actors, stories "
            "and events)",
        )
    return timeline


def refused(name: str, message: str, line: int = 1, column: int = 1) -> Timeline:
    """An empty timeline whose only problem is the error that stopped reading the file."""
    return Timeline(name, problems=[Problem(name, line, column, Severity.ERROR, message)])


def _not_utf8(data: bytes, offset: int) -> str:
    return f"byte 0x{data[offset]:02x} is not valid UTF-8 (expected a UTF-8 text file)"


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


_IMPLICIT_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
)


def _explicit_tag(node: Node) -> str | None:
    """The tag a node was given explicitly (`!!python/object`, `!!int "x"`), shortened."""
    if node.tag not in _IMPLICIT_TAGS or (
        isinstance(node, ScalarNode) and node.style and node.tag != _STR_TAG
    ):
        return node.tag.replace("tag:yaml.org,2002:", "!!")
    return None


class _At:
    """Where a node was, kept instead of the node so that read items can be freed."""

    __slots__ = ("start_mark",)

    def __init__(self, node: Node | _At) -> None:
        self.start_mark = node.start_mark


class _TooManyProblems(Exception):
    """MAX_ERRORS have been reported: reading on would only bury them."""


@dataclass(frozen=True, slots=True)
class _Reference:
    """An id used by a record, to be checked once every section is read."""

    section: str
    value: str
    node: _At
    record: str
    event_position: int | None


class _Validator:
    """Walks the node tree once, building records and collecting problems."""

    def __init__(self, name: str, base_dir: Path) -> None:
        self.name = name
        self.base_dir = base_dir
        self.problems: list[Problem] = []
        self.error_count = 0
        self.references: list[_Reference] = []
        # What is kept of read items: positions, never nodes, so memory holds one item at once.
        self.defined: dict[str, dict[str, _At]] = {section: {} for section in SECTIONS}
        self.bad_events: set[int] = set()
        self.source_fields: dict[str, dict[str, _At]] = {}
        self.quotes: list[tuple[str, str, _At, str, int]] = []
        self.event_fields: dict[int, dict[str, _At]] = {}

    def error(self, node: Node | _At, message: str, record: str | None = None) -> None:
        self._report(node, Severity.ERROR, message, record)

    def warn(self, node: Node | _At, message: str, record: str | None = None) -> None:
        self._report(node, Severity.WARNING, message, record)

    def _report(
        self, node: Node | _At, severity: Severity, message: str, record: str | None
    ) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.name, mark.line + 1, mark.column + 1, severity, message, record)
        )
        if severity is Severity.ERROR:
            self.error_count += 1
            if self.error_count >= MAX_ERRORS:
                raise _TooManyProblems

    def run(self, top: TopLevel) -> Timeline:
        """Validate a document item by item as it is composed, then check across records."""
        timeline = Timeline(self.name)
        records: dict[str, list[Any]] = {section: [] for section in SECTIONS}
        try:
            self.read_records(top.entries(), records)
            if not isinstance(top.root, MappingNode):
                if top.root is not None:
                    self.error(
                        top.root,
                        "expected a mapping with sources, places, actors, stories and events "
                        f"at the top level, found {_describe(top.root)}",
                    )
                return self._finish(timeline)
            self.fields(top.root, TOP_LEVEL_FIELDS, None)
            self.check_articles(records["sources"])
            self.check_references()
            self.check_dates(records["events"], records["stories"])
        except _TooManyProblems:
            return self._finish(timeline, stopped=True)
        timeline.sources = {source.id: source for source in records["sources"]}
        timeline.places = {place.id: place for place in records["places"]}
        timeline.actors = {actor.id: actor for actor in records["actors"]}
        timeline.stories = {story.id: story for story in records["stories"]}
        valid_events = [e for e in records["events"] if e.position not in self.bad_events]
        valid_events = self.drop_dependents(valid_events, timeline)
        timeline.events = sorted(valid_events, key=lambda event: event.sort_key)
        return self._finish(timeline)

    def read_records(self, entries: Iterator[Entry], records: dict[str, list[Any]]) -> None:
        """Read the items of each section in file order; other top-level keys are judged later."""
        readers: dict[str, Callable[[Node, str, int], Any]] = {
            "sources": self.source,
            "places": self.place,
            "actors": self.actor,
            "stories": self.story,
            "events": self.event,
        }
        read: set[str] = set()
        for key, value, items in entries:
            section = key.value if isinstance(key, ScalarNode) else None
            if section not in readers or section in read:
                continue  # an unknown or repeated key: fields() reports it
            read.add(section)
            if self.sequence(value, section, None) is None:
                continue
            for index, item in enumerate(items):
                label = f"{SINGULAR[section]} #{index + 1}"
                record = readers[section](item, label, index)
                if record is not None:
                    records[section].append(record)

    def drop_dependents(self, events: list[Event], timeline: Timeline) -> list[Event]:
        """Make every reference of a loaded event resolve, whatever the front end does with it.

        Events citing a source, story, place or actor left out for its own errors are left out
        too; a link to an event left out is dropped from the loaded copy. Each gets a warning.
        """
        held = {
            "story": timeline.stories, "place": timeline.places, "actor": timeline.actors,
            "source": timeline.sources,
        }  # fmt: skip
        kept: list[Event] = []
        for event in events:
            missing = next(
                ((kind, ref) for kind, ref in _references(event) if ref not in held[kind]), None
            )
            if missing is None:
                kept.append(event)
            else:
                self.warn(
                    self.event_fields[event.position]["id"],
                    f"left out: it refers to {missing[0]} '{missing[1]}', which has errors",
                    f"event '{event.id}'",
                )
        kept_ids = {event.id for event in kept}
        for index, event in enumerate(kept):
            broken = [link for link in event.links if link.event not in kept_ids]
            for link in broken:
                self.warn(
                    self.event_fields[event.position]["links"],
                    f"link to event '{link.event}' ignored: that event is left out",
                    f"event '{event.id}'",
                )
            if broken:
                links = tuple(link for link in event.links if link.event in kept_ids)
                kept[index] = replace(event, links=links)
        return kept

    def _finish(self, timeline: Timeline, stopped: bool = False) -> Timeline:
        timeline.problems = sorted(self.problems, key=lambda p: (p.line, p.column))
        if stopped:
            timeline.stopped_at = timeline.problems[-1].line
        return timeline

    # Generic shapes

    def refuse_tag(self, node: Node, field: str | None, record: str | None) -> bool:
        """Report an explicit tag on a value; True when there was one."""
        tag = _explicit_tag(node)
        if tag is None:
            return False
        where = f"{field}: " if field else ""
        self.error(
            node, f"{where}tag '{tag}' is not allowed (expected plain YAML: tags are never run; "
            "remove it)", record,
        )  # fmt: skip
        return True

    def fields(self, node: Node, spec: dict[str, bool], record: str | None) -> dict[str, Node]:
        """The values of a mapping by key, after checking keys, duplicates and required fields."""
        # A tagged mapping is still read, so its id counts as defined and nothing cascades.
        if self.refuse_tag(node, None, record) and not isinstance(node, MappingNode):
            return {}
        if not isinstance(node, MappingNode):
            what = record or "the file"
            self.error(node, f"expected a mapping of fields for {what}, found {_describe(node)}")
            return {}
        values: dict[str, Node] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.error(key_node, f"expected a field name, found {_describe(key_node)}", record)
                continue
            key = key_node.value
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.error(
                    key_node,
                    f"duplicate field '{key}' (first given at line {line}; YAML would silently "
                    "keep only the last one)",
                    record,
                )
                continue
            first_seen[key] = key_node
            if key not in spec:
                self.error(key_node, _unknown_field(key, spec), record)
                continue
            values[key] = value_node
        missing = [key for key, required in spec.items() if required and key not in values]
        if len(missing) == 1:
            self.error(node, f"missing required field '{missing[0]}'", record)
        elif missing:
            self.error(node, f"missing required fields: {', '.join(missing)}", record)
        return values

    def sequence(self, node: Node, field: str, record: str | None) -> list[Node] | None:
        if self.refuse_tag(node, field, record):
            return None
        if isinstance(node, SequenceNode):
            return list(node.value)
        if _is_null(node):
            self.error(node, f"{field}: expected a list, found nothing", record)
        else:
            hint = f" (write [{node.value}])" if isinstance(node, ScalarNode) else ""
            self.error(node, f"{field}: expected a list, found {_describe(node)}{hint}", record)
        return None

    def text(self, node: Node | None, field: str, record: str | None) -> str | None:
        """A text value; YAML 1.1 booleans, numbers and dates written bare are refused."""
        if node is None or self.refuse_tag(node, field, record):
            return None
        if not isinstance(node, ScalarNode):
            self.error(node, f"{field}: expected text, found {_describe(node)}", record)
            return None
        if node.tag == _STR_TAG:
            if not node.value.strip():
                self.error(node, f"{field}: expected text, found an empty string", record)
                return None
            return node.value
        if node.tag == _NULL_TAG:
            self.error(node, f"{field}: expected text, found nothing", record)
            return None
        self.error(node, f"{field}: expected text, found {_trap(node)}", record)
        return None

    def texts(self, node: Node | None, field: str, record: str | None) -> tuple[str, ...]:
        if node is None:
            return ()
        items = self.sequence(node, field, record) or []
        values = (self.text(item, f"{field} item", record) for item in items)
        return tuple(value for value in values if value is not None)

    def slug(self, node: Node | None, field: str, record: str | None) -> str | None:
        value = self.text(node, field, record)
        if value is None or SLUG.fullmatch(value):
            return value
        suggestion = "-".join(re.findall(r"[a-z0-9]+", value.lower()))
        hint = f", e.g. '{suggestion}'" if suggestion else ""
        self.error(
            node,
            f"{field}: '{value}' is not a slug (expected lowercase letters, digits and single "
            f"hyphens{hint})",
            record,
        )
        return None

    def choice(
        self, node: Node | None, field: str, choices: Iterable[str], record: str | None
    ) -> str | None:
        value = self.text(node, field, record)
        if value is None or value in choices:
            return value
        close = difflib.get_close_matches(value, list(choices), n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        self.error(
            node,
            f"{field}: unknown value '{value}' ({hint}expected one of: {', '.join(choices)})",
            record,
        )
        return None

    def number(
        self,
        node: Node | None,
        field: str,
        record: str | None,
        low: float | None = None,
        high: float | None = None,
    ) -> float | None:
        if node is None or self.refuse_tag(node, field, record):
            return None
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG:
            self.error(node, f"{field}: expected a number, found {_describe(node)}", record)
            return None
        raw = node.value.strip()
        if node.tag == _STR_TAG:
            what = f"the text '{_short(raw)}'"
            if node.style and (_PLAIN_INT.fullmatch(raw) or _PLAIN_FLOAT.fullmatch(raw)):
                what += " (remove the quotes)"
            self.error(node, f"{field}: expected a number, found {what}", record)
            return None
        if len(raw) > MAX_NUMBER_CHARS:
            self.error(
                node,
                f"{field}: expected a number of at most {MAX_NUMBER_CHARS} characters, found "
                f"one of {len(raw):,}",
                record,
            )
            return None
        if not (_PLAIN_INT.fullmatch(raw) or _PLAIN_FLOAT.fullmatch(raw)):
            self.error(
                node,
                f"{field}: expected a plain decimal number such as 1000 or 49.99, found "
                f"'{_short(raw)}'",
                record,
            )
            return None
        value = float(raw)
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(
                node,
                f"{field}: {raw} is out of range (expected {_number(low)} to {_number(high)})",
                record,
            )
            return None
        return value

    def date(self, node: Node | None, field: str, record: str | None) -> FuzzyDate | None:
        if node is None or self.refuse_tag(node, field, record):
            return None
        if not isinstance(node, ScalarNode) or node.tag == _NULL_TAG or not node.value.strip():
            self.error(node, f"{field}: expected a date, found {_describe(node)}", record)
            return None
        try:
            return parse_date(node.value)
        except InvalidDate as error:
            message = str(error) if field == "date" else f"{field}: {error}"
            self.error(node, message, record)
            return None

    def url(self, node: Node | None, field: str, record: str | None) -> str | None:
        value = self.text(node, field, record)
        if value is None:
            return None
        if not is_web_address(value):
            self.error(
                node,
                f"{field}: '{_short(value)}' is not a web address (expected a URL starting "
                "with http:// or https://)",
                record,
            )
            return None
        return value

    def identifier(self, node: Node | None, section: str, label: str) -> str | None:
        """Read an id, check it is unique in its section, and return it."""
        value = self.slug(node, "id", label)
        if value is None or node is None:
            return None
        first = self.defined[section].get(value)
        if first is not None:
            self.error(
                node,
                f"duplicate id '{value}' (first defined at line {first.start_mark.line + 1})",
                f"{SINGULAR[section]} '{value}'",
            )
            return None
        self.defined[section][value] = _At(node)
        return value

    def refer(
        self, node: Node | None, section: str, record: str, event_position: int | None = None
    ) -> str | None:
        value = self.slug(node, f"{SINGULAR[section]} reference", record)
        if value is not None and node is not None:
            self.references.append(_Reference(section, value, _At(node), record, event_position))
        return value

    def refer_all(
        self, node: Node | None, section: str, record: str, event_position: int | None
    ) -> tuple[str, ...]:
        if node is None:
            return ()
        values = (
            self.refer(item, section, record, event_position)
            for item in self.sequence(node, section, record) or []
        )
        return tuple(value for value in values if value is not None)

    # Records

    def source(self, node: Node, label: str, index: int) -> Source | None:
        count = len(self.problems)
        record = _label(node, "source", label)
        fields = self.fields(node, SOURCE_FIELDS, record)
        source_id = self.identifier(fields.get("id"), "sources", record)
        values = {
            "outlet": self.text(fields.get("outlet"), "outlet", record),
            "published": self.date(fields.get("published"), "published", record),
            "published_note": self.text(fields.get("published_note"), "published_note", record),
            "headline": self.text(fields.get("headline"), "headline", record),
            "file": self.text(fields.get("file"), "file", record),
            "url": self.url(fields.get("url"), "url", record),
            "author": self.text(fields.get("author"), "author", record),
            "note": self.text(fields.get("note"), "note", record),
        }
        if source_id is None or self._has_errors_since(count) or not fields:
            return None
        self.source_fields[source_id] = {key: _At(node) for key, node in fields.items()}
        return Source(id=source_id, line=node.start_mark.line + 1, **values)

    def place(self, node: Node, label: str, index: int) -> Place | None:
        count = len(self.problems)
        record = _label(node, "place", label)
        fields = self.fields(node, PLACE_FIELDS, record)
        place_id = self.identifier(fields.get("id"), "places", record)
        values = {
            "name": self.text(fields.get("name"), "name", record),
            "kind": self.choice(fields.get("kind"), "kind", PLACE_KINDS, record),
            "country": self.text(fields.get("country"), "country", record),
            "lat": self.number(fields.get("lat"), "lat", record, -90, 90),
            "lon": self.number(fields.get("lon"), "lon", record, -180, 180),
            "region": self.text(fields.get("region"), "region", record),
            "aliases": self.texts(fields.get("aliases"), "aliases", record),
        }
        if place_id is None or self._has_errors_since(count) or not fields:
            return None
        return Place(id=place_id, line=node.start_mark.line + 1, **values)

    def actor(self, node: Node, label: str, index: int) -> Actor | None:
        count = len(self.problems)
        record = _label(node, "actor", label)
        fields = self.fields(node, ACTOR_FIELDS, record)
        actor_id = self.identifier(fields.get("id"), "actors", record)
        values = {
            "name": self.text(fields.get("name"), "name", record),
            "side": self.choice(fields.get("side"), "side", SIDES, record),
            "aliases": self.texts(fields.get("aliases"), "aliases", record),
        }
        if actor_id is None or self._has_errors_since(count) or not fields:
            return None
        return Actor(id=actor_id, line=node.start_mark.line + 1, **values)

    def story(self, node: Node, label: str, index: int) -> Story | None:
        count = len(self.problems)
        record = _label(node, "story", label)
        fields = self.fields(node, STORY_FIELDS, record)
        story_id = self.identifier(fields.get("id"), "stories", record)
        values = {
            "title": self.text(fields.get("title"), "title", record),
            "date": self.date(fields.get("date"), "date", record),
            "description": self.text(fields.get("description"), "description", record),
        }
        if story_id is None or self._has_errors_since(count) or not fields:
            return None
        return Story(id=story_id, line=node.start_mark.line + 1, **values)

    def event(self, node: Node, label: str, index: int) -> Event | None:
        count = len(self.problems)
        record = _label(node, "event", label)
        fields = self.fields(node, EVENT_FIELDS, record)
        event_id = self.identifier(fields.get("id"), "events", record)
        title = self.text(fields.get("title"), "title", record)
        if title is not None and len(title) > MAX_TITLE_CHARS:
            self.error(
                fields["title"],
                f"title: expected at most {MAX_TITLE_CHARS} characters, found {len(title):,} "
                "(put the detail in notes)",
                record,
            )
        citation_items = (
            self.sequence(fields["sources"], "sources", record) or [] if "sources" in fields else []
        )
        citations = [self.citation(item, record, index) for item in citation_items]
        if isinstance(fields.get("sources"), SequenceNode) and not citation_items:
            self.error(fields["sources"], "sources: expected at least one citation", record)
        figures = (
            [
                self.figure(item, record)
                for item in self.sequence(fields["figures"], "figures", record) or []
            ]
            if "figures" in fields
            else []
        )
        links = (
            [
                self.link(item, record, index)
                for item in self.sequence(fields["links"], "links", record) or []
            ]
            if "links" in fields
            else []
        )
        stories = self.refer_all(fields.get("stories"), "stories", record, index)
        if "stories" in fields and isinstance(fields["stories"], SequenceNode) and not stories:
            self.error(fields["stories"], "stories: expected at least one story id", record)
        values = {
            "title": title,
            "date": self.date(fields.get("date"), "date", record),
            "stories": stories,
            "category": self.choice(fields.get("category"), "category", CATEGORIES, record),
            "actors": self.refer_all(fields.get("actors"), "actors", record, index),
            "places": self.refer_all(fields.get("places"), "places", record, index),
            "origin": self.choice(fields.get("origin"), "origin", ORIGINS, record) or "curated",
            "status": self.choice(fields.get("status"), "status", STATUSES, record) or "reported",
            "notes": self.text(fields.get("notes"), "notes", record),
        }
        if event_id is None or self._has_errors_since(count) or not fields:
            return None
        event = Event(
            id=event_id,
            sources=tuple(citation for citation, _ in citations),
            figures=tuple(f for f in figures if f is not None),
            links=tuple(link for link in links if link is not None),
            line=node.start_mark.line + 1,
            position=index,
            **values,
        )
        self.event_fields[index] = {key: _At(node) for key, node in fields.items()}
        self._check_event(event, fields, [cited for _, cited in citations])
        return event

    def citation(
        self, node: Node, record: str, event_position: int
    ) -> tuple[Citation, dict[str, Node]] | None:
        count = len(self.problems)
        fields = self.fields(node, CITATION_FIELDS, record)
        source = self.refer(fields.get("source"), "sources", record, event_position)
        quote = self.text(fields.get("quote"), "quote", record)
        quoted = self.text(fields.get("quoted"), "quoted", record)
        when = self.date(fields.get("date"), "date", record)
        if source is not None and quote is not None:
            # Checked against the article later, even if the event has other errors.
            self.quotes.append((source, quote, _At(fields["quote"]), record, event_position))
        if self._has_errors_since(count) or not fields:
            return None
        return Citation(source=source, quote=quote, quoted=quoted, date=when), fields

    def figure(self, node: Node, record: str) -> Figure | None:
        count = len(self.problems)
        fields = self.fields(node, FIGURE_FIELDS, record)
        values = {
            "measure": self.slug(fields.get("measure"), "measure", record),
            "value": self.number(fields.get("value"), "value", record),
            "unit": self.text(fields.get("unit"), "unit", record),
            "claimed_by": self.text(fields.get("claimed_by"), "claimed_by", record),
            "source": self.text(fields.get("source"), "source", record),
            "qualifier": self.choice(fields.get("qualifier"), "qualifier", QUALIFIERS, record),
        }
        if self._has_errors_since(count) or not fields:
            return None
        return Figure(**values)

    def link(self, node: Node, record: str, event_position: int) -> Link | None:
        count = len(self.problems)
        fields = self.fields(node, LINK_FIELDS, record)
        target = self.refer(fields.get("event"), "events", record, event_position)
        relation = self.choice(fields.get("relation"), "relation", RELATIONS, record)
        if self._has_errors_since(count) or not fields:
            return None
        return Link(event=target, relation=relation)

    def _has_errors_since(self, count: int) -> bool:
        return any(problem.is_error for problem in self.problems[count:])

    # Checks across records

    def _check_event(
        self, event: Event, fields: dict[str, Node], citation_fields: list[dict[str, Node]]
    ) -> None:
        """Check what a single event can check alone: citation dates, figures, links."""
        record = f"event '{event.id}'"
        citations = zip(event.sources, citation_fields, strict=True)
        for citation, cited in citations:
            if citation.date is not None and not event.date.covers(citation.date):
                self.error(
                    cited["date"],
                    f"citation date '{citation.date}' lies outside the event's date "
                    f"'{event.date}' (expected the event's date to cover every source's date)",
                    record,
                )
                self.bad_events.add(event.position)
        cited_sources = {citation.source for citation in event.sources}
        figure_nodes = fields["figures"].value if "figures" in fields else []
        for figure, node in zip(event.figures, figure_nodes, strict=True):
            if figure.source not in cited_sources:
                source_node = next(
                    (value for key, value in node.value if key.value == "source"), node
                )
                self.error(
                    source_node,
                    f"figure '{figure.measure}' cites source '{figure.source}', which the event "
                    f"does not cite (expected one of: {', '.join(sorted(cited_sources))})",
                    record,
                )
                self.bad_events.add(event.position)
        if any(link.event == event.id for link in event.links):
            self.error(fields["links"], "links: an event cannot link to itself", record)
            self.bad_events.add(event.position)

    def check_references(self) -> None:
        for ref in self.references:
            if ref.value in self.defined[ref.section]:
                continue
            known = list(self.defined[ref.section])
            close = difflib.get_close_matches(ref.value, known, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            self.error(ref.node, f"unknown {SINGULAR[ref.section]} '{ref.value}'{hint}", ref.record)
            if ref.event_position is not None:
                self.bad_events.add(ref.event_position)

    def check_articles(self, sources: list[Source]) -> None:
        """Every quote must appear verbatim in the text of its source's article."""
        texts: dict[str, str] = {}
        for source in sources:
            if source.file is None:
                continue
            try:
                path = self.base_dir / source.file
                # Only regular files, and not huge ones: /dev/zero or a FIFO would never end.
                if path.exists() and not path.is_file():
                    self._source_error(source, f"file: '{source.file}' is not a regular file")
                    continue
                if path.exists() and path.stat().st_size > MAX_BYTES:
                    self._source_error(
                        source, f"file: '{source.file}' is larger than {MAX_BYTES:,} bytes"
                    )
                    continue
                texts[source.id] = decode_article(path.read_bytes())
            except OSError as error:
                self._source_error(source, f"file: cannot read '{source.file}': {error.strerror}")
            except ValueError:  # a path with a NUL character
                self._source_error(source, f"file: {source.file!r} is not a usable file path")
            except UnreadableArticle as error:
                self._source_error(source, f"file: '{source.file}': {error}")
        for source_id, quote, node, record, event_position in self.quotes:
            text = texts.get(source_id)
            if text is None or quote in text:
                continue
            self.error(node, _quote_mismatch(quote, text, source_id), record)
            self.bad_events.add(event_position)

    def _source_error(self, source: Source, message: str) -> None:
        self.error(self.source_fields[source.id]["file"], message, f"source '{source.id}'")

    def check_dates(self, events: list[Event], stories: list[Story]) -> None:
        story_dates = {story.id: story.date for story in stories}
        for event in events:
            for story_id in event.stories:
                span = story_dates.get(story_id)
                if span is not None and not (
                    span.first <= event.date.last and event.date.first <= span.last
                ):
                    self.warn(
                        self.event_fields[event.position]["date"],
                        f"date '{event.date}' lies outside story '{story_id}' ({span})",
                        f"event '{event.id}'",
                    )


def _references(event: Event) -> list[tuple[str, str]]:
    """Every (kind, id) an event needs in order to be shown: links are not needed."""
    return [
        *(("story", story) for story in event.stories),
        *(("place", place) for place in event.places),
        *(("actor", actor) for actor in event.actors),
        *(("source", citation.source) for citation in event.sources),
        *(("source", figure.source) for figure in event.figures),
    ]


def _label(node: Node, kind: str, fallback: str) -> str:
    """How messages name a record: by its id when it has a usable one, else by position."""
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                if SLUG.fullmatch(value.value):
                    return f"{kind} '{value.value}'"
                break
    return fallback


def _unknown_field(key: str, spec: dict[str, bool]) -> str:
    close = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
    if close:
        return f"unknown field '{key}' (did you mean '{close[0]}'?)"
    return f"unknown field '{key}' (expected one of: {', '.join(spec)})"


def _quote_mismatch(quote: str, text: str, source: str) -> str:
    """Say how much of a quote matches and where it departs from the article."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    lookalike = _lookalike_difference(quote, text)
    if lookalike:
        return f"quote not found verbatim in source '{source}': {lookalike}"
    if low < 10:
        return f"quote not found verbatim in source '{source}' (expected text copied exactly)"
    start = text.find(quote[:low])
    found = text[start + low : start + low + 20]
    expected = quote[low : low + 20]
    matched = quote[max(0, low - 15) : low]
    return (
        f"quote not found verbatim in source '{source}': the first {low} characters match "
        f"(…{matched!r}), then the article has {found!r} where the quote has {expected!r}"
    )


# Characters that look alike in most fonts; quotes copied by hand often swap them.
_LOOKALIKES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}
)


def _lookalike_difference(quote: str, text: str) -> str | None:
    """Where a quote differs from the article only by look-alike punctuation, say so."""
    folded_quote, folded_text = quote.translate(_LOOKALIKES), text.translate(_LOOKALIKES)
    start = folded_text.find(folded_quote)
    if start < 0:
        return None
    original = text[start : start + len(quote)]
    index = next(i for i, (a, b) in enumerate(zip(original, quote, strict=True)) if a != b)
    return (
        f"at character {index + 1} the article has {original[index]!r} where the quote has "
        f"{quote[index]!r} (copy apostrophes, quotation marks and dashes exactly: "
        f"{original[max(0, index - 15) : index + 15]!r})"
    )


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: float | None) -> str:
    return "any" if value is None else f"{value:g}"


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL_TAG:
        return "nothing"
    if node.tag == _STR_TAG:
        return f"the text '{_short(node.value)}'"
    return _trap(node)


def _trap(node: ScalarNode) -> str:
    """Describe a bare scalar that YAML 1.1 reads as something other than text."""
    raw = _short(node.value)
    kind = node.tag.rsplit(":", 1)[-1]
    meaning = ""
    if len(node.value) <= MAX_NUMBER_CHARS:
        try:
            value = yaml.safe_load(node.value)
        except (yaml.YAMLError, ValueError, OverflowError):
            value = None
        if kind == "bool":
            meaning = f", which YAML 1.1 reads as the boolean {str(value).lower()}"
        elif kind in ("int", "float") and str(value) != node.value.strip():
            meaning = f", which YAML 1.1 reads as the number {value}"
        elif kind == "timestamp":
            meaning = ", which YAML reads as a date"
    if kind == "bool":
        return f"'{raw}'{meaning or ', which YAML 1.1 reads as a boolean'}; quote it: \"{raw}\""
    if kind in ("int", "float", "timestamp"):
        return f"'{raw}'{meaning or ', which YAML reads as a number'}; quote it: \"{raw}\""
    return f"'{raw}'"
