"""Loading an events file again after an edit, re-reading only the records whose text changed.

The file is split by position into its top-level records (a line-anchored scan: a record is the
text from one `- ` at its section's item indent to the next). Each record's validated result is
kept under its own text, so a reload reads only the records whose text changed, shifts the
line of the others, and then runs the checks across records (checks.py) on all of them, as a
full load does. The result is the Timeline `load.parse_timeline` returns for the same bytes:
the same records, problems, positions and order (tests/test_incremental.py compares the two on
random edit sequences). Whatever the scan cannot vouch for (anchors, document markers, odd
indentation, a syntax error, too many errors) is left to `parse_timeline`, whole.

A record is read by the fast path's builder (fastload.py) when the whole file is parsed anyway
(a cold load) and by the exact reader (load.py) otherwise, and always by the exact reader when
the fast builder cannot vouch for it: so a file with one bad record costs about what a valid
one does, and only that record goes through the exact reader for its message. Positions of
records read by the fast builder are found when a check reports a problem about them.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from yaml.error import Mark

from timeline import fastload
from timeline.checks import Unfinished, check_records, first_of_each_id
from timeline.errors import Problem
from timeline.gcpause import collector_paused
from timeline.load import (
    MAX_ERRORS,
    _label,
    _Positioned,
    _Records,
    _Where,
    drop_dependents,
    parse_timeline,
)
from timeline.model import MAX_BYTES, Timeline
from timeline.scalars import Problems, Scalars, TooManyProblems
from timeline.schema import DOCUMENT, RECORDS, SECTIONS, SINGULAR, Kind
from timeline.yamlnodes import MAX_DEPTH, MappingNode, Node, SequenceNode, TopLevel, YamlSyntaxError

_HEADER = re.compile(rf"({'|'.join(SECTIONS)}):[ ]*(?:#[^\n]*)?")
_COLUMN_ZERO = re.compile(r"\n([^ \n#][^\n]*)")
_INDENTED = re.compile(r"\n[ ]+[^ \n#]")
_FIRST_CONTENT = re.compile(r"\n( *)([^ \n#])")
_REQUIRED = frozenset(DOCUMENT.required)
# No valid record is shorter (`- id: a`, then two more fields). A file whose records are
# shorter on average has mostly invalid ones: the exact reader stops at its error cap after a
# hundred of them, where splitting would hold millions (50 MB of `- a` lines).
_SHORTEST_RECORD = 24
# Below this many records to read, each is read by the exact reader; above it, the whole file
# is parsed once by yaml-rs and records are built by the fast path's builder.
_READ_WHOLE_FROM = 64


class _Unusual(Exception):
    """The incremental reader cannot vouch for this text; a full load decides."""


@dataclass(frozen=True, slots=True)
class Chunk:
    """One top-level record's text: its section, where it is, and its place in the section."""

    section: str
    start: int  # offsets in the text
    end: int
    line: int  # of its first line
    index: int  # in its section

    def key(self, text: str) -> tuple[str, bytes]:
        """What its validated result is kept under: its section and its bytes."""
        data = text[self.start : self.end].encode("utf-8", "surrogatepass")
        return self.section, hashlib.blake2b(data, digest_size=16).digest()


@dataclass(slots=True)
class Piece:
    """The validated result of one record's text, as read at a given line and index."""

    record: Any  # a model, or Unfinished when the record has errors
    line: int  # of the chunk when it was read
    index: int
    problems: tuple[Problem, ...] = ()
    # Positions of the record and its nested records, by id(); None when it was built by the
    # fast builder, or its line has since moved: read again when a check needs them.
    where: dict[int, _Where] | None = None
    # The record as the exact reader built it, when `where` was filled in for a built one.
    read_record: Any = None
    # Whether the last checks across records found nothing to say about it.
    quiet: bool = False

    @property
    def clean(self) -> bool:
        return not self.problems and not isinstance(self.record, Unfinished)

    def moved(self, section: str, line: int, index: int) -> Piece:
        """The same result for the same text found at another line or index."""
        shift = line - self.line
        if section == "events":
            record = replace(self.record, line=self.record.line + shift, position=index)
        else:
            record = replace(self.record, line=self.record.line + shift)
        return Piece(record, line, index, quiet=self.quiet)


@dataclass
class Layout:
    """Where each record's text is: parallel lists, cheap to shift after an edit."""

    sections: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.starts)

    def chunk(self, position: int) -> Chunk:
        return Chunk(
            self.sections[position],
            self.starts[position],
            self.ends[position],
            self.lines[position],
            self.indexes[position],
        )

    def add(self, chunk: Chunk) -> None:
        self.sections.append(chunk.section)
        self.starts.append(chunk.start)
        self.ends.append(chunk.end)
        self.lines.append(chunk.line)
        self.indexes.append(chunk.index)


@dataclass(frozen=True)
class Context:
    """What the checks of one event depend on besides the event: when it is unchanged, an
    unchanged event the last checks said nothing about needs no checking again."""

    defined: dict[str, frozenset[str]]  # ids of every source, place, actor and story read
    story_dates: dict[str, Any]
    articles: dict[str, tuple[str, int, int] | str]  # size and time of each article file
    event_ids: frozenset[str]


@dataclass(frozen=True)
class Snapshot:
    """What a load leaves for the next one: the text, where its records are, their results."""

    name: str
    base_dir: Path
    text: str = ""
    layout: Layout = field(default_factory=Layout)
    pieces: list[Piece] = field(default_factory=list)
    context: Context | None = None

    def __len__(self) -> int:
        return len(self.pieces)

    def portable(self) -> Snapshot:
        """This snapshot without positions kept by id(), which mean nothing in another process."""
        pieces = [Piece(p.record, p.line, p.index, p.problems, quiet=p.quiet) for p in self.pieces]
        return Snapshot(self.name, self.base_dir, self.text, self.layout, pieces, self.context)


@dataclass(frozen=True)
class Reloaded:
    """A load's Timeline, its Snapshot, and how many records had to be read."""

    timeline: Timeline
    snapshot: Snapshot
    read: int
    whole: bool  # loaded whole by parse_timeline (the snapshot is then empty)


def reload(
    data: bytes,
    name: str,
    base_dir: str | Path = ".",
    previous: Snapshot | None = None,
    max_bytes: int = MAX_BYTES,
) -> Reloaded:
    """Validate the bytes of an events file as parse_timeline does, reusing what `previous` read.

    The result's timeline equals `parse_timeline(data, name, base_dir, max_bytes)`.
    """
    base = Path(base_dir)
    if previous is not None and (previous.name != name or previous.base_dir != base):
        previous = None
    try:
        text = data.decode("utf-8-sig") if len(data) <= max_bytes else None
    except UnicodeDecodeError:
        text = None
    if text is None:
        return _whole(data, name, base, max_bytes)
    try:
        with collector_paused():
            return _reload(text, name, base, previous)
    except _Unusual:
        return _whole(data, name, base, max_bytes)


def read_by_records(text: str, name: str, base_dir: Path) -> Timeline | None:
    """The timeline of a text read record by record, or None when the scan cannot vouch for it."""
    try:
        with collector_paused():
            return _reload(text, name, base_dir, None).timeline
    except _Unusual:
        return None


def _whole(data: bytes, name: str, base_dir: Path, max_bytes: int) -> Reloaded:
    timeline = parse_timeline(data, name, base_dir, max_bytes, by_records=False)
    return Reloaded(timeline, Snapshot(name, base_dir), 0, True)


def _vouched(text: str) -> bool:
    """Whether the text is free of what reaches across records, or changes what a line is.

    Such files load whole: line breaks the scan does not count (`\\r`, YAML 1.1's), document
    markers and directives, anchors (one may be defined twice, in two records) and aliases.
    Substring tests first: a regular expression of alternatives took 0.9 s on 57 MB.
    """
    if "\r" in text or "\n---" in text or "\n..." in text or "\n%" in text:
        return False
    if text.startswith(("---", "...", "%", "&", "*")):
        return False
    if not text.isascii() and _YAML11_BREAKS.search(text):
        return False
    return not (("&" in text or "*" in text) and _ANCHOR_OR_ALIAS.search(text))


_YAML11_BREAKS = re.compile("[\x85\u2028\u2029]")
_ANCHOR_OR_ALIAS = re.compile(r"[\s\[{,][&*][^\s,\[\]{}]")


def split(text: str) -> list[Chunk] | None:
    """The text's top-level records in file order, or None when the scan cannot vouch for them.

    It vouches for files of the usual shape: comments and section headers (`events:`) at
    column 0, each followed by a block list whose items start `- ` at one indent, and nothing
    indented less than them. A record whose text is not YAML still gets its chunk: reading it
    finds that out.
    """
    if not text.strip() or not _vouched(text):
        return None
    padded = "\n" + text  # every line starts after a "\n": offset in padded = offset in text
    headers: list[tuple[str, int, int]] = []  # section, start of the line, end of the line
    for match in _COLUMN_ZERO.finditer(padded):
        header = _HEADER.fullmatch(match[1])
        if header is not None:
            headers.append((header[1], match.start(), match.end()))
        elif not (match[1] == "-" or match[1].startswith("- ")):
            return None  # a top-level key this scan does not know, or a stray value
    names = [section for section, _, _ in headers]
    if len(set(names)) != len(names) or not set(names) >= _REQUIRED:
        return None
    if headers and _INDENTED.search(padded, 0, headers[0][1]):
        return None  # something indented before the first section
    chunks: list[Chunk] = []
    line, counted = 1, 0
    # A match's start is the "\n" before a line: in the text, the offset of that line.
    bounds = [*(start for _, start, _ in headers[1:]), len(text)]
    for (section, _, body), end in zip(headers, bounds, strict=True):
        first = _FIRST_CONTENT.search(padded, body, end)
        if first is None or first[2] != "-":
            return None  # an empty section, or not a block list
        marker = "\n" + first[1] + "-"
        if padded.count(marker, body, end) * _SHORTEST_RECORD > end - body:
            return None  # see _SHORTEST_RECORD
        starts = _item_starts(padded, body, end, len(first[1]))
        if starts is None:
            return None
        for index, (start, stop) in enumerate(zip(starts, [*starts[1:], end], strict=True)):
            line += text.count("\n", counted, start)
            counted = start
            chunks.append(Chunk(section, start, stop, line, index))
    return chunks


def _item_starts(padded: str, start: int, end: int, indent: int) -> list[int] | None:
    """Offsets of the lines starting an item at `indent` between two offsets of the padded
    text, or None if a line there is indented less than them (or is a column-0 non-item)."""
    if indent and re.compile(rf"\n[ ]{{0,{indent - 1}}}[^ \n#]").search(padded, start, end):
        return None
    item = re.compile(rf"\n[ ]{{{indent}}}-(?=[ \n]|\Z)")
    starts = [match.start() for match in item.finditer(padded, start, end)]
    if not indent and len(starts) != len(_COLUMN_ZERO.findall(padded, start, end)):
        return None  # a column-0 line that is not an item
    return starts


def _relaid(old: Snapshot, text: str) -> tuple[Layout, int, int, int] | None:
    """The new layout when the edit from the old text lies within one section's records:
    (layout, first, old stop, new stop): positions first..stop changed, the rest moved."""
    before, layout = old.text, old.layout
    if not layout:
        return None
    prefix = _common_prefix(before, text)
    suffix = _common_suffix(before, text, min(len(before), len(text)) - prefix)
    changed_until = len(before) - suffix
    first = bisect.bisect_left(layout.ends, prefix)
    last = bisect.bisect_right(layout.starts, changed_until) - 1
    if first >= len(layout) or last < first:
        return None
    section = layout.sections[first]
    if layout.sections[last] != section or layout.starts[first] > prefix:
        return None
    if layout.ends[last] < changed_until:
        return None  # the edit reaches past the section's last record: a header, perhaps
    delta = len(text) - len(before)
    start, end = layout.starts[first], layout.ends[last] + delta
    if end < start or (end < len(text) and text[end - 1] != "\n"):
        return None
    if not _vouched(text[start - 1 : end]):  # the rest is the old text's, vouched for
        return None
    indent = before.index("-", start) - start
    # Records never start the text (a header comes first): the "\n" before one is in it.
    found = _item_starts(text, start - 1, end - 1, indent)
    if found is None:
        return None
    starts = [line_break + 1 for line_break in found]
    if starts[:1] != [start] and start != end:
        return None
    if not starts:
        same_section = [i for i in (first - 1, last + 1) if 0 <= i < len(layout)]
        if not any(layout.sections[i] == section for i in same_section):
            return None  # the section is left empty
    new = Layout()
    count = len(starts)
    new.sections = [*layout.sections[:first], *([section] * count), *layout.sections[last + 1 :]]
    new.starts = [*layout.starts[:first], *starts, *(s + delta for s in layout.starts[last + 1 :])]
    new.ends = [*layout.ends[:first], *starts[1:], *([end] if count else []),
                *(e + delta for e in layout.ends[last + 1 :])]  # fmt: skip
    line = layout.lines[first]
    lines = []
    counted = start
    for item_start in starts:
        line += text.count("\n", counted, item_start)
        counted = item_start
        lines.append(line)
    shift = text.count("\n", start, end) - before.count(
        "\n", layout.starts[first], layout.ends[last]
    )
    new.lines = [*layout.lines[:first], *lines, *(n + shift for n in layout.lines[last + 1 :])]
    index = layout.indexes[first]
    moved = count - (last + 1 - first)
    new.indexes = [
        *layout.indexes[:first],
        *range(index, index + count),
        *(
            i + moved if s == section else i
            for s, i in zip(layout.sections[last + 1 :], layout.indexes[last + 1 :], strict=True)
        ),
    ]
    return new, first, last + 1, first + count


def _common_prefix(a: str, b: str) -> int:
    """How many characters two texts share at their start."""
    at, most = 0, min(len(a), len(b))
    # Block by block, then halving within the first block that differs: comparing slices
    # runs in C, and each character is copied at most twice.
    while at < most and a[at : at + _BLOCK] == b[at : at + _BLOCK]:
        at += _BLOCK
    low, high = at, min(at + _BLOCK, most)
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return min(low, most)


def _common_suffix(a: str, b: str, at_most: int) -> int:
    """How many characters two texts share at their end, up to `at_most`."""
    at, m, n = 0, len(a), len(b)
    while at + _BLOCK <= at_most and a[m - at - _BLOCK : m - at] == b[n - at - _BLOCK : n - at]:
        at += _BLOCK
    low, high = at, min(at + _BLOCK, at_most)
    while low < high:
        middle = (low + high + 1) // 2
        if a[m - middle : m - low] == b[n - middle : n - low]:
            low = middle
        else:
            high = middle - 1
    return low


_BLOCK = 1 << 16


def _reload(text: str, name: str, base_dir: Path, previous: Snapshot | None) -> Reloaded:
    relaid = _relaid(previous, text) if previous is not None else None
    if relaid is not None and previous is not None:
        layout, first, old_stop, new_stop = relaid
        old = previous.pieces
        pieces: list[Piece | None] = old[:first]
        candidates = _by_key(previous.text, previous.layout, old, first, old_stop)
        for position in range(first, new_stop):
            pieces.append(_reuse(candidates, text, layout, position))
        for position in range(new_stop, len(layout)):
            piece = old[position - new_stop + old_stop]
            line, index = layout.lines[position], layout.indexes[position]
            if piece.line != line or piece.index != index:
                piece = piece.moved(layout.sections[position], line, index) if piece.clean else None
            pieces.append(piece)
    else:
        chunks = split(text)
        if chunks is None:
            raise _Unusual
        layout = Layout()
        for chunk in chunks:
            layout.add(chunk)
        candidates = (
            _by_key(previous.text, previous.layout, previous.pieces, 0, len(previous.pieces))
            if previous is not None
            else {}
        )
        pieces = [_reuse(candidates, text, layout, position) for position in range(len(layout))]
    unread = [position for position, piece in enumerate(pieces) if piece is None]
    built = _fast_built(text, layout, unread) if len(unread) >= _READ_WHOLE_FROM else {}
    errors = 0
    for position, piece in enumerate(pieces):
        if piece is None:
            piece = pieces[position] = built.get(position) or read_exactly(
                text, layout.chunk(position), name
            )
        if piece.problems:
            errors += sum(problem.is_error for problem in piece.problems)
            if errors >= MAX_ERRORS:
                raise _Unusual  # a full load stops part-way: let it say where
    done: list[Piece] = pieces  # type: ignore[assignment]  # every place is filled above
    context = previous.context if previous is not None else None
    timeline, context, done = _assemble(text, layout, done, set(unread), context, name, base_dir)
    snapshot = Snapshot(name, base_dir, text, layout, done, context)
    return Reloaded(timeline, snapshot, len(unread), False)


def _by_key(
    text: str, layout: Layout, pieces: list[Piece], start: int, stop: int
) -> dict[tuple[str, bytes], list[Piece]]:
    """The pieces of some positions by their text's key, in file order."""
    found: dict[tuple[str, bytes], list[Piece]] = {}
    for position in range(start, stop):
        key = layout.chunk(position).key(text)
        found.setdefault(key, []).append(pieces[position])
    for same in found.values():
        same.reverse()  # popped from the end: the first one first
    return found


def _reuse(
    candidates: dict[tuple[str, bytes], list[Piece]], text: str, layout: Layout, position: int
) -> Piece | None:
    """The piece read before for the same text, fit for this position, if there is one."""
    same = candidates.get(layout.chunk(position).key(text))
    if not same:
        return None
    # Identical records each take their own piece: the duplicate-id check tells them apart by
    # identity.
    piece = same.pop()
    line, index = layout.lines[position], layout.indexes[position]
    if piece.line == line and piece.index == index:
        return piece
    if not piece.clean:
        return None  # its messages name its line or its place in the section
    return piece.moved(layout.sections[position], line, index)


def read_exactly(text: str, chunk: Chunk, name: str) -> Piece:
    """One record read by the exact reader, with positions and problems as in the whole file."""
    problems = Problems(name, MAX_ERRORS)
    records = _Records(problems, Scalars(problems))
    top = TopLevel(f"{chunk.section}:\n{text[chunk.start : chunk.end]}")
    items: list[Node] = []
    try:
        for _, value, entry_items in top.entries():
            if not isinstance(value, SequenceNode):
                raise _Unusual
            items.extend(entry_items)
    except YamlSyntaxError:
        raise _Unusual from None  # the whole file's reader says which error comes first
    if top.alias is not None or len(items) != 1:
        raise _Unusual
    item = items[0]
    _shift(item, chunk.line - 2)  # the header line put in front of it is line 1
    kind = SINGULAR[chunk.section]
    label = _label(item, kind, f"{kind} #{chunk.index + 1}")
    line = item.start_mark.line + 1
    try:
        if chunk.section == "events":
            record = records.read(
                item, RECORDS[kind], label, chunk.index, line=line, position=chunk.index
            )
        else:
            record = records.read(item, RECORDS[kind], label, None, line=line)
    except TooManyProblems:
        raise _Unusual from None
    return Piece(record, chunk.line, chunk.index, tuple(problems.found), records.where)


def _shift(root: Node, lines: int) -> None:
    """Move every position in a node tree down by a number of lines."""
    moved: dict[int, tuple[Any, Mark]] = {}  # libyaml's marks are read-only: replaced, once

    def move(mark: Any) -> Mark | None:
        if mark is None:
            return None
        known = moved.get(id(mark))
        if known is None:
            new = Mark(mark.name, mark.index, mark.line + lines, mark.column, None, None)
            known = moved[id(mark)] = (mark, new)  # the old one kept: its id stays unique
        return known[1]

    stack = [root]
    while stack:
        node = stack.pop()
        node.start_mark, node.end_mark = move(node.start_mark), move(node.end_mark)
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)


def _fast_built(text: str, layout: Layout, unread: list[int]) -> dict[int, Piece]:
    """Records built by the fast path's builder from one parse of the whole file; those it
    cannot vouch for are missing (the exact reader reads them)."""
    if fastload.yaml_rs is None:
        return {}
    try:
        data = fastload.yaml_rs.loads(
            text,
            parse_datetime=False,
            duplicate_key_policy=fastload.yaml_rs.DuplicateKeyPolicy.Error,
        )
    except (fastload.yaml_rs.YAMLDecodeError, RecursionError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict):
        return {}
    counts = dict.fromkeys(SECTIONS, 0)
    for section in layout.sections:
        counts[section] += 1
    for section, count in counts.items():
        items = data.get(section, [])
        if not isinstance(items, list) or len(items) != count:
            return {}
    per_chunk_checks = fastload._needs_exact_path(text) or fastload._nesting_could_exceed(
        text, MAX_DEPTH
    )
    built: dict[int, Piece] = {}
    for position in unread:
        chunk = layout.chunk(position)
        span = text[chunk.start : chunk.end]
        if not _ID_FIRST.match(span):
            continue  # its line is the line of its `id:`, which only the exact reader knows
        if per_chunk_checks and (
            fastload._needs_exact_path(span) or fastload._nesting_could_exceed(span, MAX_DEPTH)
        ):
            continue
        item = data[chunk.section][chunk.index]
        extra = {"line": chunk.line}
        if chunk.section == "events":
            extra["position"] = chunk.index
        try:
            record = fastload._build(item, fastload._PLANS[SINGULAR[chunk.section]], extra)
            if fastload._holds_numbers(chunk.section, item) and not fastload._numbers_agree(span):
                continue
        except (fastload._Bail, ValueError, TypeError):
            continue
        built[position] = Piece(record, chunk.line, chunk.index)
    return built


_ID_FIRST = re.compile(r"[ ]*- id:[ ]")


class _Positions:
    """Where each record is, for the checks' report: read again for records that have none."""

    def __init__(self, text: str, layout: Layout, pieces: list[Piece], name: str) -> None:
        self.text = text
        self.layout = layout
        self.pieces = pieces
        self.name = name
        self.owners: dict[int, tuple[int, tuple[tuple[str, int], ...]]] | None = None
        self.asked: set[int] = set()  # positions of the records something was reported about

    def __getitem__(self, key: int) -> _Where:
        if self.owners is None:
            self.owners = dict(self._owners())
        position, path = self.owners[key]
        self.asked.add(position)
        piece = self.pieces[position]
        if piece.where is None:
            exact = read_exactly(self.text, self.layout.chunk(position), self.name)
            piece.where, piece.read_record = exact.where, exact.record
        record = piece.record if piece.read_record is None else piece.read_record
        for name, index in path:
            record = getattr(record, name)[index]
        return piece.where[id(record)]  # type: ignore[index]  # filled just above

    def _owners(self) -> Iterator[tuple[int, tuple[int, tuple[tuple[str, int], ...]]]]:
        for position, piece in enumerate(self.pieces):
            kind = SINGULAR[self.layout.sections[position]]
            yield from _nested(piece.record, kind, position, ())


def _nested(
    record: Any, kind: str, position: int, path: tuple[tuple[str, int], ...]
) -> Iterator[tuple[int, tuple[int, tuple[tuple[str, int], ...]]]]:
    yield id(record), (position, path)
    for spec in RECORDS[kind].fields:
        if spec.kind is Kind.RECORDS:
            for index, child in enumerate(getattr(record, spec.name) or ()):
                yield from _nested(child, str(spec.record), position, (*path, (spec.name, index)))


def _assemble(
    text: str,
    layout: Layout,
    pieces: list[Piece],
    unread: set[int],
    before: Context | None,
    name: str,
    base_dir: Path,
) -> tuple[Timeline, Context, list[Piece]]:
    """The checks across records and the Timeline, as load.py's _Validator.run makes them;
    the events' own checks run only where `before` cannot vouch for their outcome."""
    problems = Problems(name, MAX_ERRORS)
    read: dict[str, list[Any]] = {section: [] for section in SECTIONS}
    for section, piece in zip(layout.sections, pieces, strict=True):
        read[section].append(piece.record)
        if piece.problems:
            problems.found.extend(piece.problems)
    problems.error_count = sum(problem.is_error for problem in problems.found)
    if problems.error_count >= MAX_ERRORS:
        raise _Unusual  # a full load stops part-way: let it say where
    positions = _Positions(text, layout, pieces, name)
    report = _Positioned(problems, positions)  # type: ignore[arg-type]  # a lazy mapping
    context = _context(read, base_dir)
    only = None if before is None else _to_check(layout, pieces, unread, before, context)
    try:
        unique = check_records(read, base_dir, report, only)
        held = {section: {r.id: r for r in unique[section]} for section in SECTIONS}
        events = [event for event in unique["events"] if event.position not in report.bad_events]
        events = drop_dependents(events, held, report, read)
    except TooManyProblems:
        raise _Unusual from None
    found = sorted(problems.found, key=lambda p: (p.line, p.column))
    timeline = Timeline(
        name,
        sources=held["sources"],
        places=held["places"],
        actors=held["actors"],
        stories=held["stories"],
        events=sorted(events, key=lambda event: event.sort_key),
        problems=found,
    )
    return timeline, context, _marked(pieces, unread, positions.asked)


def _to_check(
    layout: Layout, pieces: list[Piece], unread: set[int], before: Context, now: Context
) -> set[int] | None:
    """The events (by id()) whose own checks must run again; None for all of them.

    An event's checks look at the event, the ids defined, the stories' dates and the articles:
    an event read before that they said nothing about, in an unchanged context, passes again.
    Of the ids, only removed event ids can change what they find (a link now unknown).
    """
    if not _same_except_events(before, now):
        return None
    gone = before.event_ids - now.event_ids
    chosen = set()
    for position, (section, piece) in enumerate(zip(layout.sections, pieces, strict=True)):
        if section != "events":
            continue
        record = piece.record
        if (
            position in unread
            or not piece.quiet
            or (gone and any(link.event in gone for link in record.links or ()))
        ):
            chosen.add(id(record))
    return chosen


def _context(read: dict[str, list[Any]], base_dir: Path) -> Context:
    defined = {
        section: frozenset(record.id for record in records if record.id is not None)
        for section, records in read.items()
        if section != "events"
    }
    stories = {story.id: story.date for story in first_of_each_id(read["stories"])}
    event_ids = frozenset(event.id for event in read["events"] if event.id is not None)
    return Context(defined, stories, _article_stamps(read["sources"], base_dir), event_ids)


def _article_stamps(sources: list[Any], base_dir: Path) -> dict[str, tuple[str, int, int] | str]:
    """Size and modification time of the article of each source checked (as the on-disk cache
    tells a changed article: cache.py)."""
    stamps: dict[str, tuple[str, int, int] | str] = {}
    for source in first_of_each_id(sources):
        if source.file is None:
            continue
        path = base_dir / source.file
        try:
            status = path.stat()
            stamps[source.id] = (str(path), status.st_size, status.st_mtime_ns)
        except (OSError, ValueError):
            stamps[source.id] = str(path)  # missing now: must still be missing
    return stamps


def _same_except_events(before: Context, now: Context) -> bool:
    return (
        before.defined == now.defined
        and before.story_dates == now.story_dates
        and before.articles == now.articles
    )


def _marked(pieces: list[Piece], unread: set[int], asked: set[int]) -> list[Piece]:
    """The pieces, each saying whether the checks reported something about it this time.

    Pieces read before are shared with earlier snapshots: one whose mark changes is copied,
    not changed (after a cold load, copying them all took 0.1 s at 100,000 records).
    """
    marked = pieces[:]
    for position, piece in enumerate(pieces):
        quiet = position not in asked
        if position in unread:
            piece.quiet = quiet
        elif piece.quiet != quiet:
            marked[position] = Piece(
                piece.record,
                piece.line,
                piece.index,
                piece.problems,
                piece.where,
                piece.read_record,
                quiet,
            )
    return marked
