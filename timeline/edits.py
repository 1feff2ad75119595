"""Surgical edits of events.yaml: a status, a new source, a further citation, changed fields, a
candidate merged into an event, a candidate removed — every other byte kept.

Planning is pure: `plan_edit(data, steps, ...)` takes the file's bytes and returns the new bytes.
What to change is found by the positions of the YAML nodes (timeline.yamlnodes), never by
patterns on the text: a changed scalar is replaced in place (the rest of its line, a comment
included, stays); new list items go after the last line of the list's last item, with the
list's own indentation and the file's line ends (CRLF stays CRLF, a byte-order mark stays); a
changed list field is rewritten from its key to its last line; a new field goes after the
field that precedes it in the data model's order. Each step is checked before the next one
runs: the new text must read as the old data with exactly the intended change, or the step is
refused (NotEditable: the file is written in a way that cannot be edited in place, such as a
flow-style `{...}` event). Then the whole new file must validate (EditRejected).

`apply(path, steps, expected_sha256)` writes through timeline.write.rewrite: under the file's
lock, refused (FileChanged) when the file is not the one the caller read, atomic. The one-call
functions `set_status`, `insert_source`, `insert_citation`, `replace_event` and `merge_into`
wrap it. Merging a candidate into an event moves its citations (with the candidate's date
when it differs and lies within the event's) and its figures into the event, then removes the
candidate's block: the event now cites its words, so extraction never adds it again.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

from timeline.dates import parse_date
from timeline.errors import InvalidDate, InvalidTimeline, Problem, TimelineError
from timeline.load import parse_timeline
from timeline.schema import EVENT
from timeline.words import plural
from timeline.write import (
    DEFAULT_LOCK_TIMEOUT,
    field_lines,
    item_lines,
    rewrite,
    scalar_text,
)
from timeline.yamlnodes import MappingNode, Node, ScalarNode, SequenceNode, YamlSyntaxError, compose

EVENT_ORDER = EVENT.names
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_NULL_TAG = "tag:yaml.org,2002:null"
_DATE_FIELDS = frozenset({"date", "published"})
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class NotEditable(TimelineError):
    """The file is not written so that this change can be made in place."""


class NoSuchEvent(TimelineError, KeyError):
    """No event of the file has the id asked for."""

    def __str__(self) -> str:
        return str(self.args[0])


class EditRejected(InvalidTimeline):
    """The file after the change would be invalid; `problems` lists every error."""

    def __init__(self, name: str, what: str, problems: list[Problem], old_errors: int) -> None:
        super().__init__(problems)
        errors = [problem for problem in problems if problem.is_error]
        already = (
            f"; {old_errors} of them already in the file (fix them first)" if old_errors else ""
        )
        head = f"{what} not saved to {name}: the file would have {plural(len(errors), 'error')}"
        self.args = ("\n".join([head + already, *(str(problem) for problem in errors)]),)


# The document and its parts


@dataclass(frozen=True)
class Document:
    """The decoded text of an events file, its line ends and byte-order mark."""

    name: str
    text: str
    bom: bool
    newline: str

    @classmethod
    def read(cls, data: bytes, name: str) -> Document:
        """Decode the file; NotEditable when it is not UTF-8."""
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise NotEditable(
                f"{name}: byte {error.start} is not valid UTF-8 (fix the file, then try again)"
            ) from None
        return cls.of_text(text, name, data.startswith(codecs.BOM_UTF8))

    @classmethod
    def of_text(cls, text: str, name: str, bom: bool) -> Document:
        """The document of a decoded text."""
        first = _BREAK.search(text)
        newline = "\r\n" if first and first.group() == "\r\n" else "\n"
        return cls(name, text, bom, newline)

    def encode(self, text: str) -> bytes:
        """A new text as the file's bytes (with the byte-order mark if the file had one)."""
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")

    def line_at(self, offset: int) -> int:
        """The 1-based line of a character offset."""
        text = self.text
        crlf = text.count("\r\n", 0, offset)
        breaks = text.count("\n", 0, offset) + text.count("\r", 0, offset) - crlf
        return breaks + sum(text.count(odd, 0, offset) for odd in "\x85\u2028\u2029") + 1

    def sections(self) -> list[tuple[str, int]]:
        """(key, offset of its line) of each top-level key, in order."""
        found = []
        for line in _TOP_LINE.finditer(self.text):
            key = _TOP_KEY.match(self.text, line.start())
            found.append((key.group(2) if key else "", line.start()))
        return found

    def bounds(self, name: str) -> tuple[int, int] | None:
        """Where the lines of one top-level entry start and end, or None without it."""
        sections = self.sections()
        for index, (key, start) in enumerate(sections):
            if key == name:
                return start, sections[index + 1][1] if index + 1 < len(sections) else len(
                    self.text
                )
        return None

    def section(self, name: str) -> Window | None:
        """The part of the file holding one top-level entry, or None without it."""
        bounds = self.bounds(name)
        if bounds is None:
            return None
        window = Window.of(self, *bounds)
        root = window.root
        if not (
            isinstance(root, MappingNode)
            and not root.flow_style
            and len(root.value) == 1
            and root.value[0][0].value == name
        ):
            raise NotEditable(
                f"{self.name}:{self.line_at(bounds[0])}: '{name}' cannot be told apart from the "
                "keys after it (expected each top-level key at the start of a line and its "
                "content indented below it)"
            )
        return window

    def event(self, event_id: str) -> Window:
        """The part of the file holding the event with this id (its window's node is the event).

        The item is found by its `- id:` line at the column of the events list's items and
        composed alone; an event whose id is not on its dash line is found by composing the
        whole events list (slower: every event is read).
        """
        bounds = self.bounds("events")
        if bounds is None:
            raise NoSuchEvent(f"{self.name}: no event has the id '{event_id}' (no events list)")
        window = self._event_fast(*bounds, event_id) or self._event_slow(event_id)
        if window.node.flow_style or window.root.flow_style:
            raise NotEditable(
                f"{self.name}:{window.line(window.node)}: event '{event_id}' is written in flow "
                "style ({...} or [...]); write it as a block of 'key: value' lines to edit it here"
            )
        return window

    def _event_fast(self, start: int, end: int, event_id: str) -> Window | None:
        key_line = _BREAK.search(self.text, start, end)
        first = _CONTENT_LINE.search(self.text, key_line.end(), end) if key_line else None
        if first is None or first.group(2) != "-":
            return None
        column = len(first.group(1))
        wanted = re.escape(event_id)
        quoted = rf"(?:{wanted}|\"{wanted}\"|'{wanted}')"
        head = re.compile(
            rf"^ {{{column}}}-[ \t]+id:[ \t]*{quoted}[ \t]*(?:#[^\r\n]*)?\r?$", re.MULTILINE
        )
        found = list(head.finditer(self.text, start, end))
        if len(found) != 1:
            return None
        following = re.compile(rf"^ {{{column}}}-(?:[ \t]|\r?$)", re.MULTILINE).search(
            self.text, found[0].end(), end
        )
        window = Window.of(self, found[0].start(), following.start() if following else end)
        root = window.root
        if (
            isinstance(root, SequenceNode)
            and len(root.value) == 1
            and isinstance(root.value[0], MappingNode)
            and _id_of(root.value[0]) == event_id
        ):
            return dataclasses.replace(window, node=root.value[0], path=(0,))
        return None

    def _event_slow(self, event_id: str) -> Window:
        events = self.section("events")
        sequence = events.root.value[0][1]
        items = sequence.value if isinstance(sequence, SequenceNode) else []
        for index, item in enumerate(items):
            if isinstance(item, MappingNode) and _id_of(item) == event_id:
                return dataclasses.replace(events, node=item, path=("events", index))
        raise NoSuchEvent(f"{self.name}: no event has the id '{event_id}'")


@dataclass(frozen=True)
class Window:
    """A part of the file, from a line start up to the next part, composed on its own; `node`
    is the node a step works on and `path` where its data lies in the part's data."""

    doc: Document
    start: int
    end: int
    root: Node | None
    starts: tuple[int, ...]
    node: Node | None = None
    path: tuple[str | int, ...] = ()

    @classmethod
    def of(cls, doc: Document, start: int, end: int) -> Window:
        """Compose the text between two offsets (the first a line start)."""
        text = doc.text[start:end]
        try:
            root = compose(text)
        except YamlSyntaxError:
            # Positions of the error in the whole file, read whole only on this rare path.
            try:
                compose(doc.text)
            except YamlSyntaxError as error:
                raise NotEditable(
                    f"{doc.name}:{error.line}:{error.column}: {error.message} (fix the file, "
                    "then try again)"
                ) from None
            raise NotEditable(
                f"{doc.name}:{doc.line_at(start)}: this part of the file cannot be read apart "
                "from the rest (expected top-level keys and list items at the start of their "
                "lines, their content indented below them)"
            ) from None
        starts = (0, *(found.end() for found in _BREAK.finditer(text)))
        return cls(doc, start, end, root, starts, root)

    @property
    def text(self) -> str:
        """The part's text."""
        return self.doc.text[self.start : self.end]

    def data(self) -> Any:
        """The part's data, as PyYAML loads it."""
        return _load(self.text)

    def offset(self, mark: yaml.Mark) -> int:
        """The offset of a node mark in the part's text."""
        return self.starts[mark.line] + mark.column

    def line(self, node: Node) -> int:
        """A node's 1-based line in the file."""
        return self.doc.line_at(self.start) + node.start_mark.line

    def after(self, node: Node) -> int:
        """Where a line inserted after a node's last line starts, in the part's text."""
        last = node
        # A block collection's end mark lies at the next token, past comments and blank lines:
        # its last scalar ends where its text does.
        while isinstance(last, MappingNode | SequenceNode) and last.value and not last.flow_style:
            last = last.value[-1][1] if isinstance(last, MappingNode) else last.value[-1]
        if isinstance(last, ScalarNode) and last.style in ("|", ">") and last.end_mark.column == 0:
            return self.starts[last.end_mark.line]  # a block scalar ends with its line break
        found = _BREAK.search(self.text, self.offset(last.end_mark))
        return found.end() if found else len(self.text)

    def insert(self, at: int, lines: Sequence[str]) -> str:
        """The part's text with lines inserted at an offset (a line start or its end)."""
        text = self.text
        block = "".join(line + self.doc.newline for line in lines)
        if at == len(text) and text and not _BREAK.search(text[-2:]):
            block = self.doc.newline + block
        return text[:at] + block + text[at:]

    def item_head(self, item: Node) -> int:
        """The start of the line holding the dash of a block list item."""
        text = self.text
        index = self.offset(item.start_mark) - 1
        while index >= 0 and text[index] in " \t\r\n\x85\u2028\u2029":
            index -= 1
        if index < 0 or text[index] != "-":
            raise NotEditable(f"{self.doc.name}:{self.line(item)}: expected a '- ' list item here")
        return max(start for start in self.starts if start <= index)


# A top-level key starts a line: not blank, not a comment, not a list item, not '---' or '...'.
_TOP_LINE = re.compile(r"^(?=[^\s#])(?!-(?:[ \t]|\r?$)|---|\.\.\.)", re.MULTILINE)
# The first line that is neither blank nor a comment: its indentation and first character.
_CONTENT_LINE = re.compile(r"^(?![ \t]*(?:#|\r?$))( *)(\S)", re.MULTILINE)
_TOP_KEY = re.compile(r"""(["']?)([^\s"'#:][^:#\n]*?)\1[ \t]*:(?:[ \t]|\r?$)""", re.MULTILINE)


def _id_of(item: MappingNode) -> str | None:
    found = _field(item, "id")
    return found[1].value if found and isinstance(found[1], ScalarNode) else None


def _field(mapping: MappingNode, name: str) -> tuple[ScalarNode, Node] | None:
    for key, value in mapping.value:
        if isinstance(key, ScalarNode) and key.value == name:
            return key, value
    return None


def _get(data: Any, path: Sequence[str | int]) -> Any:
    for step in path:
        data = data[step]
    return data


def _block_list(window: Window, node: Node, what: str) -> SequenceNode:
    if not isinstance(node, SequenceNode) or node.flow_style or not node.value:
        shape = "in brackets ([...])" if isinstance(node, SequenceNode) else "not a list"
        raise NotEditable(
            f"{window.doc.name}:{window.line(node)}: {what} is {shape}; write it as a block "
            "list (one '- ' item a line) to add to it here"
        )
    return node


def _items_at(sequence: SequenceNode, lines: list[str]) -> list[str]:
    """Item lines (as item_lines writes them, at column 0) re-indented like the list's items."""
    dash = sequence.start_mark.column
    first = sequence.value[0]
    content = first.start_mark.column if first.start_mark.line == sequence.start_mark.line else 0
    gap = max(content - dash, 2)
    return [
        " " * dash + "-" + " " * (gap - 1) + line[2:]
        if line.startswith("- ")
        else (" " * (dash + gap) + line[2:] if line.strip() else line)
        for line in lines
    ]


# Steps


# Changes the data of a part of the file (as PyYAML loads it) the way a step changes its text.
Expect = Callable[[Any], None]


@dataclass(frozen=True)
class Change:
    """What a step does: the part of the file it rewrites, its new text, and how the part's
    data must change with it."""

    window: Window
    text: str
    expect: Expect


class Step(Protocol):
    """One change of a document."""

    def apply(self, doc: Document) -> Change: ...


@dataclass(frozen=True)
class SetStatus:
    """Set one event's `status` (the value replaced in place, or a line added)."""

    event_id: str
    status: str

    def apply(self, doc: Document) -> Change:
        """See Step."""
        return ReplaceFields(self.event_id, {"status": self.status}).apply(doc)


@dataclass(frozen=True)
class ReplaceFields:
    """Give fields of one event new values (None removes a field); unchanged ones stay."""

    event_id: str
    fields: Mapping[str, Any]

    def apply(self, doc: Document) -> Change:
        """See Step."""
        window = doc.event(self.event_id)
        old = _get(window.data(), window.path)
        changes = {
            name: value
            for name, value in self.fields.items()
            if _plain(value, name) != _plain(old.get(name), name)
        }
        # (start, end, rank, replacement), applied from the end so that offsets stay right;
        # two new fields inserted at one place land in the data model's order.
        edits = []
        for name, value in changes.items():
            start, end, replacement = _field_edit(window, name, value)
            edits.append((start, end, _rank(name), replacement))
        edits.sort(reverse=True)
        text = window.text
        for start, end, _, replacement in edits:
            text = text[:start] + replacement + text[end:]

        def expect(data: Any) -> None:
            event = _get(data, window.path)
            for name, value in changes.items():
                if value is None:
                    event.pop(name, None)
                else:
                    event[name] = value

        return Change(window, text, expect)


def _rank(name: str) -> int:
    """A field's place in the data model's order; unknown fields come last."""
    return EVENT_ORDER.index(name) if name in EVENT_ORDER else len(EVENT_ORDER)


def _field_edit(window: Window, name: str, value: Any) -> tuple[int, int, str]:
    """The (start, end, replacement) in the window's text that gives one field of its event
    its new value."""
    item = window.node
    newline = window.doc.newline
    found = _field(item, name)
    column = item.value[0][0].start_mark.column
    if found is None:
        if value is None:
            return 0, 0, ""
        before = [value_node for key, value_node in item.value if _rank(key.value) < _rank(name)]
        at = window.after(before[-1] if before else item)
        block = "".join(line + newline for line in field_lines(name, value, column))
        if at == len(window.text) and not _BREAK.search(window.text[-2:]):
            block = newline + block
        return at, at, block
    key, node = found
    if (
        value is not None
        and not isinstance(value, Mapping | list | tuple)
        and isinstance(node, ScalarNode)
        and node.style not in ("|", ">")
        and node.start_mark.line == node.end_mark.line
        and node.tag != _NULL_TAG
    ):
        replacement = scalar_text(value, name in _DATE_FIELDS)
        return window.offset(node.start_mark), window.offset(node.end_mark), replacement
    start, end = window.offset(key.start_mark), window.after(node)
    line_start = window.starts[key.start_mark.line]
    if value is None:
        if window.text[line_start:start].strip():
            raise NotEditable(
                f"{window.doc.name}:{window.line(key)}: '{name}' is the event's first field; "
                "it cannot be removed"
            )
        return line_start, end, ""
    lines = field_lines(name, value, column)
    lines[0] = lines[0].lstrip(" ")
    return start, end, newline.join(lines) + newline


@dataclass(frozen=True)
class InsertSource:
    """Add a source at the end of the `sources` list (the list is created if missing)."""

    source: Mapping[str, Any]

    def apply(self, doc: Document) -> Change:
        """See Step."""
        lines = item_lines(self.source, "source")
        window = doc.section("sources")
        if window is None:
            sections = doc.sections()
            if not sections:
                raise NotEditable(
                    f"{doc.name} has no top-level keys (expected a mapping of sources, places, "
                    "actors, stories and events)"
                )
            at = sections[0][1]
            window = Window(doc, at, at, None, (0,))
            text = window.insert(0, ["sources:", *("  " + line for line in lines)])
        else:
            key, value = window.root.value[0]
            if isinstance(value, ScalarNode) and value.tag == _NULL_TAG:
                column = key.start_mark.column + 2
                text = window.insert(window.after(value), [" " * column + line for line in lines])
            else:
                sequence = _block_list(window, value, "the sources list")
                text = window.insert(window.after(sequence), _items_at(sequence, lines))
        record = {key: value for key, value in self.source.items() if value is not None}

        def expect(data: Any) -> None:
            if data.get("sources") is None:
                data["sources"] = []
            data["sources"].append(record)

        return Change(window, text, expect)


@dataclass(frozen=True)
class InsertItems:
    """Add items at the end of one of an event's lists (`sources` or `figures`)."""

    event_id: str
    field: str
    items: tuple[Mapping[str, Any], ...]

    def apply(self, doc: Document) -> Change:
        """See Step."""
        records = [{k: v for k, v in record.items() if v is not None} for record in self.items]
        window = doc.event(self.event_id)
        if not records:
            return Change(window, window.text, lambda data: None)
        found = _field(window.node, self.field)
        if found is None:
            return ReplaceFields(self.event_id, {self.field: records}).apply(doc)
        kind = EVENT.field(self.field).record  # "sources" holds citations, "links" links
        sequence = _block_list(window, found[1], f"the {self.field} of event '{self.event_id}'")
        lines = [line for record in records for line in item_lines(record, kind)]
        text = window.insert(window.after(sequence), _items_at(sequence, lines))

        def expect(data: Any) -> None:
            _get(data, window.path)[self.field].extend(records)

        return Change(window, text, expect)


@dataclass(frozen=True)
class RemoveEvent:
    """Remove one event's block: from its dash line to its last line."""

    event_id: str

    def apply(self, doc: Document) -> Change:
        """See Step."""
        window = doc.event(self.event_id)
        start, end = window.item_head(window.node), window.after(window.node)
        text = window.text[:start] + window.text[end:]

        def expect(data: Any) -> None:
            del _get(data, window.path[:-1])[window.path[-1]]

        return Change(window, text, expect)


def merge_steps(doc: Document, candidate_id: str, target_id: str) -> list[Step]:
    """The steps that make a candidate of the file a further source of an event
    (further_source_steps), then remove the candidate's block."""
    if candidate_id == target_id:
        raise NotEditable(f"{doc.name}: cannot merge event '{candidate_id}' into itself")
    window = doc.event(candidate_id)
    candidate = _get(window.data(), window.path)
    return [*further_source_steps(doc, candidate, target_id), RemoveEvent(candidate_id)]


def further_source_steps(
    doc: Document, candidate: Mapping[str, Any], target_id: str
) -> list[InsertItems]:
    """The steps that add a candidate's citations and figures (as data: an event's fields) to
    an event, new ones only. A citation takes the candidate's date when it differs from the
    event's and lies within it, so that disagreeing dates stay side by side."""
    window = doc.event(target_id)
    target = _get(window.data(), window.path)
    when, span = str(_plain(candidate.get("date"), "date")), str(_plain(target.get("date"), "date"))
    dated = when != span and _covers(span, when)
    cited = {(c.get("source"), c.get("quote")) for c in target.get("sources") or []}
    citations = []
    for citation in candidate.get("sources") or []:
        if (citation.get("source"), citation.get("quote")) in cited:
            continue
        moved = dict(citation)
        if dated and moved.get("date") is None:
            moved["date"] = when
        citations.append(moved)
    known = [_plain(figure) for figure in target.get("figures") or []]
    figures = [f for f in candidate.get("figures") or [] if _plain(f) not in known]
    return [
        InsertItems(target_id, "sources", tuple(citations)),
        InsertItems(target_id, "figures", tuple(figures)),
    ]


def _covers(span: str, when: str) -> bool:
    try:
        return parse_date(span).covers(parse_date(when))
    except InvalidDate:
        return False


# Planning and applying


def plan_edit(
    data: bytes,
    steps: Sequence[Step],
    name: str = "events.yaml",
    base_dir: str | Path = ".",
    what: str = "the change",
    validate: bool = True,
) -> bytes:
    """The file's bytes after the steps; raises NotEditable, NoSuchEvent or EditRejected."""
    doc = Document.read(data, name)
    for step in steps:
        change = step.apply(doc)
        window = change.window
        if change.text == window.text:
            continue
        before = window.data() if window.root is not None else {}
        change.expect(before)
        try:
            same = (_plain(_load(change.text)) or None) == (_plain(before) or None)
        except yaml.YAMLError:
            same = False
        if not same:
            raise NotEditable(
                f"{name}: {what} cannot be made in place without changing other data (check how "
                "the file is indented around it, e.g. comments or flow style); nothing was written"
            )
        text = doc.text[: window.start] + change.text + doc.text[window.end :]
        doc = Document.of_text(text, name, doc.bom)
    new_data = doc.encode(doc.text)
    if validate and new_data != data:
        check(data, new_data, name, base_dir, what)
    return new_data


def check(old: bytes, new: bytes, name: str, base_dir: str | Path, what: str) -> None:
    """Raise EditRejected unless the new content validates."""
    timeline = parse_timeline(new, name, base_dir)
    if timeline.errors:
        old_errors = len(parse_timeline(old, name, base_dir).errors)
        raise EditRejected(name, what, timeline.problems, min(old_errors, len(timeline.errors)))


@dataclass(frozen=True)
class Saved:
    """What a write did: the new SHA-256 and which lines changed."""

    sha256: str
    changes: str


def apply(
    path: str | Path,
    steps: Sequence[Step] | Callable[[Document], Sequence[Step]],
    expected_sha256: str | None,
    what: str = "the change",
    lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT,
) -> Saved:
    """Make the steps (or the steps a function plans from the current document) atomically,
    under the file's lock, refused if the file is not the one the caller read."""
    name, base_dir = str(path), Path(path).parent

    def plan(data: bytes) -> bytes:
        planned = steps(Document.read(data, name)) if callable(steps) else steps
        return plan_edit(data, planned, name, base_dir, what)

    old, new = rewrite(path, plan, expected_sha256, lock_timeout=lock_timeout)
    return Saved(hashlib.sha256(new).hexdigest(), changed_lines(old, new))


def set_status(path: str | Path, event_id: str, status: str, expected_sha256: str | None) -> Saved:
    """Set one event's status, that one line changed."""
    return apply(path, [SetStatus(event_id, status)], expected_sha256, f"status of '{event_id}'")


def insert_source(
    path: str | Path, source: Mapping[str, Any], expected_sha256: str | None
) -> Saved:
    """Add a source at the end of the sources list."""
    what = f"source '{source.get('id')}'"
    return apply(path, [InsertSource(source)], expected_sha256, what)


def insert_citation(
    path: str | Path, event_id: str, citation: Mapping[str, Any], expected_sha256: str | None
) -> Saved:
    """Add a citation at the end of an event's sources."""
    return apply(
        path, [InsertItems(event_id, "sources", (citation,))], expected_sha256, "the citation"
    )


def replace_event(
    path: str | Path, event_id: str, new_fields: Mapping[str, Any], expected_sha256: str | None
) -> Saved:
    """Give an event's fields new values, changing only the lines of the fields that differ."""
    what = f"the changes to '{event_id}'"
    return apply(path, [ReplaceFields(event_id, new_fields)], expected_sha256, what)


def merge_into(
    path: str | Path, candidate_id: str, target_id: str, expected_sha256: str | None
) -> Saved:
    """Make a candidate a further source of an event and remove the candidate (merge_steps)."""
    what = f"merging '{candidate_id}' into '{target_id}'"
    return apply(path, lambda doc: merge_steps(doc, candidate_id, target_id), expected_sha256, what)


# Comparing


def changed_lines(old: bytes, new: bytes) -> str:
    """Which lines an edit changed, in words: 'line 812 changed; 3 lines added after line 40'."""
    before, after = old.decode("utf-8-sig"), new.decode("utf-8-sig")
    # Only the lines between the common beginning and end are compared (a file of 100,000
    # events is 2.6 million lines; an edit touches a few).
    head = _common_prefix(before, after)
    head = before.rfind("\n", 0, head) + 1
    tail = _common_prefix(before[head:][::-1], after[head:][::-1])
    tail_old = len(before) - tail
    tail_old = before.find("\n", tail_old - 1) + 1 if tail else len(before)
    tail_old = tail_old or len(before)
    tail_new = len(after) - (len(before) - tail_old)
    first_line = before.count("\n", 0, head)
    middle_old = before[head:tail_old].splitlines(keepends=True)
    middle_new = after[head:tail_new].splitlines(keepends=True)
    parts = []
    for i1, i2, j1, j2 in _hunks(middle_old, middle_new):
        first = first_line + i1 + 1
        if i2 - i1 == j2 - j1:
            parts.append(f"{_lines(first, i2 - i1)} changed")
        elif i1 == i2:
            parts.append(f"{plural(j2 - j1, 'line')} added after line {first_line + i1}")
        elif j1 == j2:
            parts.append(f"{_lines(first, i2 - i1)} removed")
        else:
            parts.append(f"{_lines(first, i2 - i1)} replaced by {plural(j2 - j1, 'line')}")
    return "; ".join(parts) or "nothing changed"


RESYNC_RUN = 3  # equal lines in a row that end a changed stretch


def _hunks(old: list[str], new: list[str]) -> list[tuple[int, int, int, int]]:
    """(i1, i2, j1, j2) of each stretch where old[i1:i2] became new[j1:j2].

    Walks both texts together and, where they differ, takes the nearest point from which
    RESYNC_RUN lines (or both ends) agree again: linear for a few local edits, where a general
    diff of a file's 2.6 million lines takes minutes.
    """
    hunks = []
    i = j = 0
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and old[i] == new[j]:
            i, j = i + 1, j + 1
            continue
        a, b = _resync(old, new, i, j)
        hunks.append((i, a, j, b))
        i, j = a, b
    return hunks


def _resync(old: list[str], new: list[str], i: int, j: int) -> tuple[int, int]:
    for distance in range(1, len(old) - i + len(new) - j + 1):
        for skipped in range(distance + 1):
            a, b = i + skipped, j + distance - skipped
            if a <= len(old) and b <= len(new) and _agree(old, new, a, b):
                return a, b
    return len(old), len(new)


def _agree(old: list[str], new: list[str], a: int, b: int) -> bool:
    for k in range(RESYNC_RUN):
        if a + k == len(old) and b + k == len(new):
            return True
        if a + k >= len(old) or b + k >= len(new) or old[a + k] != new[b + k]:
            return False
    return True


def _common_prefix(first: str, second: str) -> int:
    """The length of the longest common beginning of two texts, compared a block at a time."""
    limit, size, length = min(len(first), len(second)), 1 << 16, 0
    while length < limit and first[length : length + size] == second[length : length + size]:
        length += size
    length = min(length, limit)
    while length < limit and first[length] == second[length]:
        length += 1
    return length


def _lines(first: int, count: int) -> str:
    return f"line {first}" if count == 1 else f"lines {first}–{first + count - 1}"


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_SAFE_LOADER) or {}


def _plain(value: Any, name: str = "") -> Any:
    """A value as comparable data: dates as ISO text, no None fields, tuples as lists."""
    if isinstance(value, Mapping):
        return {key: _plain(item, key) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_plain(item, name) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    if name in _DATE_FIELDS and isinstance(value, int | float):
        return str(value)
    return value
