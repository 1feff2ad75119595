"""A fast path for loading valid events files: a Rust YAML parser and a strict happy-path builder.

PyYAML spends about 30 s composing the nodes of a 100,000-event file before validation even
starts. Most files are valid, and a valid file needs no positions, so this module parses with
yaml-rs and builds the Timeline directly. It never reports a problem: whenever anything is
unusual or wrong it returns None, and the exact path (load.py) runs and says what and where.
So both paths accept and reject the same files; tests/test_fastload.py checks that they also
load the same objects, on the curated file, synthetic files and the invalid corpus. Records are
built by the field kinds of schema.py, as the exact path reads them, and checked across records
by checks.py, as the exact path checks them: any finding there makes this path step aside.

yaml-rs reads YAML 1.2, where `no`, `10:30`, `5e2` and `012` are not what PyYAML's YAML 1.1
makes of them. Texts that YAML 1.1 would not read as text are refused (`_yaml11_not_text`);
every number taken from a record is checked against how it is written in that record, however
its key is spelled (`_numbers_agree`); and `_NEEDS_EXACT_PATH` sends every file with anchors,
tags, flow collections, block scalars or several documents to the exact path.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from timeline.checks import Where, check_records
from timeline.dates import FuzzyDate, parse_date
from timeline.errors import InvalidDate, Severity
from timeline.model import MODELS, Timeline, is_web_address
from timeline.schema import DOCUMENT, RECORDS, SECTIONS, SINGULAR, SLUG, Field, Kind, Record

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
_SECTION_LINE = re.compile(rf"\n({'|'.join(SECTIONS)}):")


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


class _Bailing:
    """The checks' Report for the fast path: any finding, even a warning, sends the file to the
    exact path, which says where it is."""

    def __call__(self, record: Any, where: Where, severity: Severity, message: str) -> None:
        raise _Bail

    def line(self, record: Any, where: Where) -> int:
        return 0


class _Builder:
    """Builds records from parsed data, bailing out at the first thing it cannot vouch for."""

    def __init__(self, name: str, base_dir: Path, text: str) -> None:
        self.name = name
        self.base_dir = base_dir
        self.text = text

    def build(self, data: Any) -> Timeline:
        if not isinstance(data, dict) or not set(SECTIONS) >= data.keys() >= _REQUIRED_SECTIONS:
            raise _Bail
        spans = self._record_spans(data)
        read: dict[str, list[Any]] = {}
        for section in SECTIONS:
            plan = _PLANS[SINGULAR[section]]
            records = read[section] = []
            for position, item in enumerate(_items(data, section)):
                line, start, end = next(spans)
                extra = (
                    {"line": line, "position": position} if section == "events" else {"line": line}
                )
                records.append(_build(item, plan, extra))
                if _holds_numbers(section, item) and not _numbers_agree(self.text[start:end]):
                    raise _Bail
        check_records(read, self.base_dir, _Bailing())  # no finding: ids are unique
        held = {section: {record.id: record for record in read[section]} for section in SECTIONS}
        return Timeline(
            self.name,
            sources=held["sources"],
            places=held["places"],
            actors=held["actors"],
            stories=held["stories"],
            events=sorted(read["events"], key=lambda event: event.sort_key),
        )

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


class _Plan:
    """How to build one record kind: its class, its fields, and a reader for each field."""

    def __init__(self, record: Record) -> None:
        self.model = MODELS[record.name]
        self.allowed = frozenset(record.names)
        self.required = frozenset(record.required)
        self.first_is_id = record.fields[0].kind is Kind.ID  # its line is found from `- id:`
        self.readers = {field.name: (_reader(field), field) for field in record.fields}


def _build(item: Any, plan: _Plan, extra: dict[str, int]) -> Any:
    if not isinstance(item, dict):
        raise _Bail
    if plan.first_is_id and next(iter(item), None) != "id":
        raise _Bail
    if not (plan.allowed >= item.keys() >= plan.required):
        raise _Bail
    if None in item.values():
        raise _Bail
    readers = plan.readers
    values = {}
    for name, value in item.items():  # every key is known: checked above
        read, field = readers[name]
        values[name] = read(value, field)
    values.update(extra)
    return plan.model(**values)


def _reader(field: Field) -> Callable[[Any, Field], Any]:
    if field.kind is Kind.TEXT and field.max_chars is not None:
        return _bounded_text
    return _READERS[field.kind]


def _text(value: Any, field: Field | None = None) -> str:
    if not isinstance(value, str) or not value.strip() or _yaml11_not_text(value):
        raise _Bail
    return value


def _bounded_text(value: Any, field: Field) -> str:
    if len(_text(value)) > field.max_chars:  # type: ignore[operator]  # set when chosen
        raise _Bail
    return value


def _texts(value: Any, field: Field) -> tuple[str, ...]:
    return tuple(_text(item) for item in _list(value, field))


def _slug(value: Any, field: Field | None = None) -> str:
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise _Bail
    if _yaml11_not_text(value):  # e.g. `no`, `y` or `2022-09-11` written bare
        raise _Bail
    return value


def _choice(value: Any, field: Field) -> str:
    if value not in field.choices:
        raise _Bail
    return value


def _number(value: Any, field: Field) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Bail
    number = float(value)
    low, high = field.low, field.high
    if (low is not None and number < low) or (high is not None and number > high):
        raise _Bail
    return number


def _date(value: Any, field: Field | None = None) -> FuzzyDate:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a bare year; its spelling is checked by _numbers_agree
    if not isinstance(value, str) or not value.strip():
        raise _Bail
    try:
        return parse_date(value)
    except InvalidDate:
        raise _Bail from None


def _url(value: Any, field: Field) -> str:
    if not is_web_address(_text(value)):
        raise _Bail
    return value


def _ref(value: Any, field: Field) -> str:
    """An id; checks.py checks that it names a record, whose id passed _slug."""
    # A reference that is no slug is the exact reader's to describe ("is not a slug"): it
    # leaves the value out, and the record's positions then hold no item for it.
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise _Bail
    return value


def _refs(value: Any, field: Field) -> tuple[str, ...]:
    """Ids; checks.py checks that each names a record."""
    return tuple(_ref(item, field) for item in _list(value, field))


def _records(value: Any, field: Field) -> tuple[Any, ...]:
    plan = _PLANS[field.record]  # type: ignore[index]  # set on every RECORDS field
    return tuple(_build(item, plan, _NOTHING) for item in _list(value, field))


def _list(value: Any, field: Field) -> list:
    if not isinstance(value, list) or len(value) < field.min_items:
        raise _Bail
    return value


_READERS = {
    Kind.TEXT: _text, Kind.CITED: _text, Kind.SLUG: _slug, Kind.ID: _slug,
    Kind.CHOICE: _choice, Kind.NUMBER: _number, Kind.DATE: _date, Kind.URL: _url,
    Kind.TEXTS: _texts, Kind.REF: _ref, Kind.REFS: _refs, Kind.RECORDS: _records,
}  # fmt: skip
_PLANS = {name: _Plan(record) for name, record in RECORDS.items()}
_NOTHING: dict[str, int] = {}  # nested records have no line or position of their own
_REQUIRED_SECTIONS = frozenset(DOCUMENT.required)
