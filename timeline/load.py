"""Loading and validating events.yaml: every problem in one pass, each with its position.

`load(path)` is the way in: it returns a Timeline whose `problems` say what is wrong, and never
raises for a bad file (`Timeline.raise_if_invalid()` does, for callers that want that). Big valid
files load through fastload.py; everything else takes the exact path here, which reads each
record by dispatching on the field kinds of schema.py and then runs checks.py across records.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from yaml.error import Mark

from timeline.checks import Report, Unfinished, Where, check_records, references
from timeline.dates import FuzzyDate
from timeline.errors import Problem, Severity
from timeline.fastload import fast_timeline
from timeline.gcpause import collector_paused
from timeline.model import MAX_BYTES, MODELS, Event, Timeline
from timeline.scalars import Problems, Scalars, TooManyProblems, describe
from timeline.schema import (
    DOCUMENT,
    RECORDS,
    SECTIONS,
    SINGULAR,
    SLUG,
    Field,
    Kind,
    Record,
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
# Past this many errors, more are noise: 8 million lines saying the same thing help nobody.
MAX_ERRORS = 100
# Sections are listed in the order they are read, the required one too.
TOP_LEVEL_FIELDS = {field.name: field.required for field in DOCUMENT.fields}


def load(path: str | Path, max_bytes: int = MAX_BYTES) -> Timeline:
    """Read and validate an events file; problems are in the Timeline, never raised."""
    name = str(path)
    try:
        size = Path(path).stat().st_size
        if size > max_bytes:
            return refused(name, f"file is {size:,} bytes (expected at most {max_bytes:,})", 0, 0)
        data = Path(path).read_bytes()
    except OSError as error:
        return refused(name, f"cannot read the file: {error.strerror}", 0, 0)
    return parse_timeline(data, name, Path(path).parent, max_bytes)


# The name most callers know: the same function.
load_timeline = load


def parse_timeline(
    data: bytes,
    name: str,
    base_dir: str | Path = ".",
    max_bytes: int = MAX_BYTES,
    use_fast_path: bool = True,
    by_records: bool = True,
) -> Timeline:
    """Validate the bytes of an events file named `name`; article paths resolve from base_dir.

    Big files are usually read record by record (incremental.py), each record by fastload's
    builder unless it has a problem, which the exact reader then describes: same result, several
    times faster, bad records or not. Anything that reading cannot vouch for takes fastload
    whole, and failing that the exact path, which reports every problem with its position.
    """
    if len(data) > max_bytes:
        return refused(name, f"file is {len(data):,} bytes (expected at most {max_bytes:,})", 0, 0)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return refused(name, _not_utf8(data, error.start), *_byte_position(data, error.start))
    big_enough = len(data) >= FAST_PATH_MIN_BYTES
    if use_fast_path and big_enough and by_records:
        # Imported here: incremental.py builds on this module.
        from timeline.incremental import read_by_records

        read = read_by_records(text, name, Path(base_dir))
        if read is not None:
            return read
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


@dataclass(slots=True)
class RecordPositions:
    """Where a record and its fields were, and how messages name it."""

    label: str
    event_position: int | None  # the event it belongs to: its errors leave that event out
    # Positions (yaml Marks), never nodes, so that read items can be freed.
    fields: dict[str, Mark]
    items: dict[str, list[Mark]] = field(default_factory=dict)  # each kept item of a list field


class RecordReader:
    """Reads records of any kind by dispatching on their fields' kinds (schema.py)."""

    def __init__(self, problems: Problems, scalars: Scalars) -> None:
        self.problems = problems
        self.scalars = scalars
        # Kept while the records live, keyed by id(record), for the checks across records.
        self.where: dict[int, RecordPositions] = {}
        self.tables = {name: record.table for name, record in RECORDS.items()}
        # Plain functions, not bound methods: those would make a cycle through self, and keep
        # every record and position alive until the cyclic collector runs.
        self.plans = {
            name: [(field.name, _READERS[field.kind], field) for field in record.fields]
            for name, record in RECORDS.items()
        }

    def read(
        self,
        node: Node,
        spec: Record,
        label: str,
        event_position: int | None,
        **extra: int,
    ) -> Any:
        """The record a node holds, or an Unfinished one when it has errors (all reported)."""
        count = len(self.problems.found)
        fields = self.fields(node, self.tables[spec.name], label)
        where = RecordPositions(
            label, event_position, {key: value.start_mark for key, value in fields.items()}
        )
        values = {}
        for name, read, spec_field in self.plans[spec.name]:
            value_node = fields.get(name)
            if value_node is not None:
                value = read(self, spec_field, value_node, label, event_position, where)
                if value is not None:
                    values[name] = value
        if self.problems.errors_since(count) or not fields:
            record = Unfinished(**values)
        else:
            record = MODELS[spec.name](**values, **extra)
        self.where[id(record)] = where
        return record

    # One reader a field kind: (field, node, record label, event position, where) -> value.

    def text(self, spec: Field, node: Node, label: str, *_: Any) -> str | None:
        text = self.scalars.text(node, spec.name, label)
        if text is not None and spec.max_chars is not None and len(text) > spec.max_chars:
            self.problems.error(
                node,
                f"{spec.name}: expected at most {spec.max_chars} characters, found "
                f"{len(text):,} ({spec.too_long_hint})",
                label,
            )
        return text

    def slug(self, spec: Field, node: Node, label: str, *_: Any) -> str | None:
        return self.scalars.slug(node, spec.name, label)

    def choice(self, spec: Field, node: Node, label: str, *_: Any) -> str | None:
        return self.scalars.choice(node, spec.name, spec.choices, label)

    def number(self, spec: Field, node: Node, label: str, *_: Any) -> float | None:
        return self.scalars.number(node, spec.name, label, spec.low, spec.high)

    def date(self, spec: Field, node: Node, label: str, *_: Any) -> FuzzyDate | None:
        return self.scalars.date(node, spec.name, label)

    def url(self, spec: Field, node: Node, label: str, *_: Any) -> str | None:
        return self.scalars.url(node, spec.name, label)

    def texts(self, spec: Field, node: Node, label: str, *_: Any) -> tuple[str, ...]:
        return self.scalars.texts(node, spec.name, label)

    def reference(self, spec: Field, node: Node, label: str, *_: Any) -> str | None:
        return self.scalars.slug(node, f"{SINGULAR[str(spec.section)]} reference", label)

    def records(
        self, spec: Field, node: Node, label: str, event_position: int | None, _: RecordPositions
    ) -> tuple[Any, ...]:
        items = self.scalars.sequence(node, spec.name, label) or []
        nested = RECORDS[str(spec.record)]
        records = tuple(self.read(item, nested, label, event_position) for item in items)
        if spec.min_items and isinstance(node, SequenceNode) and not items:
            self.problems.error(
                node, f"{spec.name}: expected at least one {spec.items_title}", label
            )
        return records

    def references(
        self, spec: Field, node: Node, label: str, _: int | None, where: RecordPositions
    ) -> tuple[str, ...]:
        """The ids in a list of references that are slugs; their positions go in `where`."""
        singular = SINGULAR[str(spec.section)]
        values, positions = [], []
        for item in self.scalars.sequence(node, spec.name, label) or []:
            value = self.scalars.slug(item, f"{singular} reference", label)
            if value is not None:
                values.append(value)
                positions.append(item.start_mark)
        where.items[spec.name] = positions
        if spec.min_items and isinstance(node, SequenceNode) and not values:
            self.problems.error(
                node, f"{spec.name}: expected at least one {spec.items_title}", label
            )
        return tuple(values)

    def fields(self, node: Node, spec: dict[str, bool], record: str | None) -> dict[str, Node]:
        """The values of a mapping by key, after checking keys, duplicates and required fields."""
        # A tagged mapping is still read, so its id counts as defined and nothing cascades.
        if self.scalars.refuse_tag(node, None, record) and not isinstance(node, MappingNode):
            return {}
        if not isinstance(node, MappingNode):
            what = record or "the file"
            self.problems.error(
                node, f"expected a mapping of fields for {what}, found {describe(node)}"
            )
            return {}
        values: dict[str, Node] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problems.error(
                    key_node, f"expected a field name, found {describe(key_node)}", record
                )
                continue
            key = key_node.value
            if key in first_seen:
                line = first_seen[key].start_mark.line + 1
                self.problems.error(
                    key_node,
                    f"duplicate field '{key}' (first given at line {line}; YAML would silently "
                    "keep only the last one)",
                    record,
                )
                continue
            first_seen[key] = key_node
            if key not in spec:
                self.problems.error(key_node, _unknown_field(key, spec), record)
                continue
            values[key] = value_node
        missing = [key for key, required in spec.items() if required and key not in values]
        if len(missing) == 1:
            self.problems.error(node, f"missing required field '{missing[0]}'", record)
        elif missing:
            self.problems.error(node, f"missing required fields: {', '.join(missing)}", record)
        return values


# How each field kind is read: RecordReader's reader of that kind.
_READERS: dict[Kind, Callable[..., Any]] = {
    Kind.TEXT: RecordReader.text, Kind.CITED: RecordReader.text,
    Kind.SLUG: RecordReader.slug, Kind.ID: RecordReader.slug,
    Kind.CHOICE: RecordReader.choice, Kind.NUMBER: RecordReader.number,
    Kind.DATE: RecordReader.date, Kind.URL: RecordReader.url, Kind.TEXTS: RecordReader.texts,
    Kind.REF: RecordReader.reference, Kind.REFS: RecordReader.references,
    Kind.RECORDS: RecordReader.records,
}  # fmt: skip


class PositionedReport(Report):
    """Checks' findings as positioned problems; errors leave the event they belong to out."""

    def __init__(self, problems: Problems, where: dict[int, RecordPositions]) -> None:
        self.problems = problems
        self.where = where
        self.bad_events: set[int] = set()

    def _at(self, record: Any, where: Where) -> tuple[RecordPositions, Mark]:
        known = self.where[id(record)]
        if isinstance(where, str):
            return known, known.fields[where]
        return known, known.items[where[0]][where[1]]

    def __call__(self, record: Any, where: Where, severity: Severity, message: str) -> None:
        known, at = self._at(record, where)
        if severity is Severity.ERROR and known.event_position is not None:
            self.bad_events.add(known.event_position)
        self.problems.add_at(at, severity, message, known.label)

    def line(self, record: Any, where: Where) -> int:
        return self._at(record, where)[1].line + 1


class _Validator:
    """Walks the node tree once, building records, then checks across them."""

    def __init__(self, name: str, base_dir: Path) -> None:
        self.name = name
        self.base_dir = base_dir
        self.problems = Problems(name, MAX_ERRORS)
        self.records = RecordReader(self.problems, Scalars(self.problems))
        self.report = PositionedReport(self.problems, self.records.where)

    def run(self, top: TopLevel) -> Timeline:
        """Validate a document item by item as it is composed, then check across records."""
        read: dict[str, list[Any]] = {section: [] for section in SECTIONS}
        try:
            self.read_sections(top.entries(), read)
            if not isinstance(top.root, MappingNode):
                if top.root is not None:
                    self.problems.error(
                        top.root,
                        "expected a mapping with sources, places, actors, stories and events "
                        f"at the top level, found {describe(top.root)}",
                    )
                return self._finish()
            self.records.fields(top.root, TOP_LEVEL_FIELDS, None)
            unique = check_records(read, self.base_dir, self.report)
            held = {section: {r.id: r for r in unique[section]} for section in SECTIONS}
            bad = self.report.bad_events
            events = [event for event in unique["events"] if event.position not in bad]
            events = drop_dependents(events, held, self.report, read)
        except TooManyProblems:
            return self._finish(stopped=True)
        return self._finish(
            sources=held["sources"],
            places=held["places"],
            actors=held["actors"],
            stories=held["stories"],
            events=sorted(events, key=lambda event: event.sort_key),
        )

    def read_sections(self, entries: Iterator[Entry], read: dict[str, list[Any]]) -> None:
        """Read the items of each section in file order; other top-level keys are judged later."""
        done: set[str] = set()
        for key, value, items in entries:
            section = key.value if isinstance(key, ScalarNode) else None
            if section not in read or section in done:
                continue  # an unknown or repeated key: fields() reports it
            done.add(section)
            if self.records.scalars.sequence(value, section, None) is None:
                continue
            kind = SINGULAR[section]
            spec = RECORDS[kind]
            for index, item in enumerate(items):
                label = record_label(item, kind, f"{kind} #{index + 1}")
                line = item.start_mark.line + 1
                if section == "events":
                    record = self.records.read(item, spec, label, index, line=line, position=index)
                else:
                    record = self.records.read(item, spec, label, None, line=line)
                read[section].append(record)

    def _finish(self, stopped: bool = False, **records: Any) -> Timeline:
        problems = sorted(self.problems.found, key=lambda p: (p.line, p.column))
        stopped_at = problems[-1].line if stopped else None
        return Timeline(self.name, problems=problems, stopped_at=stopped_at, **records)


def drop_dependents(
    events: list[Event],
    held: dict[str, dict[str, Any]],
    report: Report,
    read: dict[str, list[Any]] | None = None,
) -> list[Event]:
    """Make every reference of a loaded event resolve, whatever the front end does with it.

    Events citing a source, story, place or actor left out for its own errors are left out
    too; a link to an event left out is dropped from the loaded copy. Each gets a warning.
    Given every record `read`, the scan for references is skipped when no source, place, actor
    or story was left out.
    """
    by_kind = {SINGULAR[section]: records for section, records in held.items()}
    kept: list[Event] = []
    if read is not None and all(
        len(held[section]) == len({record.id for record in records if record.id is not None})
        for section, records in read.items()
        if section != "events"
    ):
        # Every source, place, actor and story is held, and an event referring to an id that is
        # not defined is an error (checks.py) and not here: none refers to one left out.
        kept = list(events)
    else:
        for event in events:
            missing = next(
                ((kind, ref) for kind, ref in references(event) if ref not in by_kind[kind]),
                None,
            )
            if missing is None:
                kept.append(event)
            else:
                report(
                    event,
                    "id",
                    Severity.WARNING,
                    f"left out: it refers to {missing[0]} '{missing[1]}', which has errors",
                )
    kept_ids = {event.id for event in kept}
    for index, event in enumerate(kept):
        broken = [link for link in event.links if link.event not in kept_ids]
        for link in broken:
            report(
                event,
                "links",
                Severity.WARNING,
                f"link to event '{link.event}' ignored: that event is left out",
            )
        if broken:
            links = tuple(link for link in event.links if link.event in kept_ids)
            kept[index] = replace(event, links=links)
    return kept


def record_label(node: Node, kind: str, fallback: str) -> str:
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
