"""Adding events to events.yaml: new items are appended, every existing byte is kept.

`event_block(event)` writes a plain dict shaped like the YAML as one item of the `events:` list:
fields in the data model's order, lists as nested block lists, keys whose value is None left out,
keys the data model does not know written last (so the validator reports them). A string is
plain only when every YAML reader reads it back as the same text (dates stay plain), otherwise it
is double-quoted with escapes; non-ASCII printable text is kept as is. ints and floats are written
as numbers, `datetime.date` as an ISO date; booleans, NaN, None in a list and other types raise
BadEvent, since YAML text would not carry them faithfully.

`append_events(path, blocks, expected_sha256)` holds an flock on `<file>.lock` (created beside
the file, never removed) while it reads the file, checks its SHA-256 against the one the caller
loaded (FileChanged; None skips the check), checks the file ends with a block `events:` list
(NotAppendable), validates the whole new content (EventsRejected, positioned: problems in new
blocks count lines from the block's first line), writes a temporary file beside it, fsyncs it,
keeps the permission bits (and the owner when allowed), renames it over the file and fsyncs the
folder. The existing bytes stay an exact prefix: only a line break is added when the file does
not end with one, and new lines use the file's line ends (CRLF or LF) and its list indentation.
A symlink is followed: its target is replaced (and `<target>.lock` is the lock); the link stays.
Operating-system failures become StorageError with a one-line message saying what to do. On any
refusal or failure the file is unchanged and no temporary file is left. `plan_append` computes
the new bytes without writing anything: a dry run.

`rewrite(path, plan, expected_sha256)` is the same locked, checked, atomic replacement for any
change: `plan` maps the bytes read under the lock to the new bytes (timeline.edits plans
surgical edits with it). `item_lines`, `field_lines` and `scalar_text` write single list items,
event fields and scalars exactly as event_block does.

Appending the same block twice is the caller's business: nothing here removes duplicates. A
second copy of an event repeats its id, so the validator refuses it (`EventsRejected`, "duplicate
id"); a merging command that must be idempotent should skip the ids the file already holds.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import fcntl
import hashlib
import math
import os
import re
import stat
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from timeline.errors import InvalidTimeline, Problem, TimelineError
from timeline.load import parse_timeline
from timeline.schema import EVENT, RECORDS, SOURCE, Kind, Record
from timeline.words import plural
from timeline.yamlnodes import MappingNode, Node, ScalarNode, SequenceNode, YamlSyntaxError, compose

# Fields in the order schema.py declares them, which is the data model's writing order.
EVENT_ORDER = EVENT.names
SOURCE_ORDER = SOURCE.names
LOCK_SUFFIX = ".lock"
DEFAULT_LOCK_TIMEOUT = 30.0

_STR_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
_RESOLVER = yaml.resolver.Resolver()
# Characters a plain scalar may not start with (YAML indicators), plus a few that start
# numbers, nulls, merge keys or values in some YAML version; such strings are double-quoted.
_NOT_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`+.~=<\\")
_KEYWORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"})
_NUMBERISH = re.compile(r"[0-9][0-9A-Za-z_.:+-]*")
_DATE_PLAIN = re.compile(r"~?[0-9]{4}(?:[0-9A-Za-z~. -]*[0-9A-Za-z])?")
_ESCAPES = {
    "\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n",
    "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L",
    "\u2029": "\\P",
}  # fmt: skip
_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class BadEvent(TimelineError, ValueError):
    """An event (or a block of YAML) cannot be written as one item of the events list."""


class NotAppendable(TimelineError):
    """The events file is not shaped so that appended items land in its events list."""


class FileChanged(TimelineError):
    """The events file changed since the caller loaded it; reload it and try again."""


class FileBusy(TimelineError):
    """Another writer held the events file's lock for longer than the timeout."""


class StorageError(TimelineError):
    """Reading or writing the events file failed; the message says what to do."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.errno = code


class EventsRejected(InvalidTimeline):
    """The file with the new events would be invalid; `problems` are positioned for the user."""

    def __init__(self, name: str, problems: list[Problem], new_errors: int) -> None:
        super().__init__(problems)
        errors = [problem for problem in problems if problem.is_error]
        old_errors = len(errors) - new_errors
        parts = []
        if new_errors:
            parts.append(plural(new_errors, "error") + " in the new events")
        if old_errors:
            parts.append(f"the file already has {plural(old_errors, 'error')} (fix them first)")
        head = f"events not added to {name}: {'; '.join(parts)}"
        self.args = ("\n".join([head, *(str(problem) for problem in errors)]),)


# One event as text


@dataclass(frozen=True)
class _Shape:
    """How to write a mapping: its keys' order, which keys hold dates, its lists' item shapes."""

    order: tuple[str, ...] = ()
    dates: frozenset[str] = frozenset()
    children: dict[str, _Shape] = field(default_factory=dict)


_ANY = _Shape()


def _shape(record: Record) -> _Shape:
    """How schema.py's record kind is written: its fields' order, its dates, its nested lists."""
    return _Shape(
        record.names,
        frozenset(spec.name for spec in record.fields if spec.kind is Kind.DATE),
        {
            spec.name: _shape(RECORDS[spec.record])
            for spec in record.fields
            if spec.kind is Kind.RECORDS
        },
    )


_EVENT = _shape(EVENT)


def event_block(event: Mapping[str, Any]) -> str:
    """The YAML of one `events:` item (`  - id: ...`) that reads back exactly as `event`."""
    if not isinstance(event, Mapping):
        raise BadEvent(f"an event must be a mapping of fields, got {type(event).__name__}")
    lines = _node_lines([event], 2, _EVENT, "event")
    return "\n".join(lines) + "\n"


_ITEM_SHAPES = {kind: _shape(record) for kind, record in RECORDS.items()}


def item_lines(record: Mapping[str, Any], kind: str) -> list[str]:
    """One list item of a record kind ('source', 'citation', ...) as lines: `- key: value`,
    then `  key: value`, at indentation 0, written as event_block writes its fields."""
    if not isinstance(record, Mapping):
        raise BadEvent(f"a {kind} must be a mapping of fields, got {type(record).__name__}")
    return _node_lines([record], 0, _ITEM_SHAPES[kind], kind)


def field_lines(name: str, value: Any, indent: int) -> list[str]:
    """One event field (`name: value`, or `name:` and its nested lines) at an indentation;
    no lines for None."""
    return _mapping_lines({name: value}, indent, _EVENT, "event")


def scalar_text(value: Any, is_date: bool = False) -> str:
    """A scalar as event_block writes it (dates plain, other text plain only when safe)."""
    return _scalar(value, is_date, "value")


def _node_lines(value: Mapping | Sequence, indent: int, shape: _Shape, path: str) -> list[str]:
    if isinstance(value, Mapping):
        return _mapping_lines(value, indent, shape, path)
    pad = " " * indent
    lines: list[str] = []
    for index, item in enumerate(value):
        where = f"{path}[{index + 1}]"
        if item is None:
            raise BadEvent(f"{where}: a list item is None (expected a value)")
        if _is_block(item):
            inner = _node_lines(item, indent + 2, shape, where)
            lines.append(f"{pad}- {inner[0][indent + 2 :]}")
            lines.extend(inner[1:])
        else:
            lines.append(f"{pad}- {_scalar(item, False, where)}")
    return lines


def _mapping_lines(mapping: Mapping, indent: int, shape: _Shape, path: str) -> list[str]:
    pad = " " * indent
    known = [key for key in shape.order if key in mapping]
    keys = known + [key for key in mapping if key not in shape.order]
    lines: list[str] = []
    for key in keys:
        value = mapping[key]
        if value is None:
            continue
        if not isinstance(key, str):
            raise BadEvent(f"{path}: field names must be strings, got {key!r}")
        where = key if path == "event" else f"{path}.{key}"
        head = f"{pad}{_text(key, where)}:"
        if _is_block(value):
            lines.append(head)
            child = shape.children.get(key, _ANY) if isinstance(value, list | tuple) else _ANY
            lines.extend(_node_lines(value, indent + 2, child, where))
        else:
            lines.append(f"{head} {_scalar(value, key in shape.dates, where)}")
    return lines


def _is_block(value: Any) -> bool:
    """Whether a value is written as nested lines (a non-empty mapping or list)."""
    if isinstance(value, Mapping):
        return any(item is not None for item in value.values())
    return isinstance(value, list | tuple) and len(value) > 0


def _scalar(value: Any, is_date: bool, where: str) -> str:
    if isinstance(value, bool):
        raise BadEvent(f"{where}: {value} is a boolean (expected text or a number)")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value, where)
    if isinstance(value, datetime.datetime):
        raise BadEvent(f"{where}: {value} has a time of day (expected a date without time)")
    if isinstance(value, datetime.date):
        value = value.isoformat()
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, list | tuple):
        return "[]"
    if not isinstance(value, str):
        raise BadEvent(f"{where}: cannot write a {type(value).__name__} (expected text)")
    if is_date and _DATE_PLAIN.fullmatch(value):
        return value
    return _text(value, where)


def _float_text(value: float, where: str) -> str:
    if not math.isfinite(value):
        raise BadEvent(f"{where}: {value} is not a finite number")
    text = repr(value)
    if "e" in text and "." not in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"  # YAML 1.1 reads 1e+16 as text, 1.0e+16 as a number
    return text


def _text(text: str, where: str) -> str:
    """A string as YAML: plain when that reads back as the same text, else double-quoted."""
    if _SURROGATE.search(text):
        raise BadEvent(f"{where}: the text holds an unpaired surrogate (not valid Unicode)")
    return text if _plain_is_safe(text) else _double_quoted(text)


def _plain_is_safe(text: str) -> bool:
    """Whether a plain scalar reads back as exactly this text, as text, in YAML 1.1 and 1.2."""
    if not text or text[0] in _NOT_FIRST or text[-1] == ":" or text != text.strip():
        return False
    if ": " in text or " #" in text or not text.isprintable():
        return False
    if text.lower() in _KEYWORDS or _NUMBERISH.fullmatch(text):
        return False
    return _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR_TAG


def _double_quoted(text: str) -> str:
    pieces = []
    for char in text:
        if char in _ESCAPES:
            pieces.append(_ESCAPES[char])
        elif char.isprintable():
            pieces.append(char)
        elif ord(char) <= 0xFF:
            pieces.append(f"\\x{ord(char):02X}")
        elif ord(char) <= 0xFFFF:
            pieces.append(f"\\u{ord(char):04X}")
        else:
            pieces.append(f"\\U{ord(char):08X}")
    return '"' + "".join(pieces) + '"'


# Appending to the file


# An id made from a title stays this short by leaving out whole words at its end (one word
# longer than this is kept whole: an id is never cut inside a word).
MAX_ID_CHARS = 50
# Words an id does not end on: "kharkiv-power-station-hit-by" reads as cut off.
_DANGLING = frozenset(
    "a an and as at by for from in into of on or over the to with".split()
)  # fmt: skip
# Apostrophes inside a word ("Ukraine's", "Kyiv’s") and the dots of an initialism ("U.S.")
# join the word's letters instead of splitting it in two.
_JOINERS = re.compile(r"(?<=\w)['’ʼ`](?=\w)|(?<=\b[^\W\d_])\.(?=[^\W\d_]\b)")


# Latin letters that Unicode does not decompose into an ASCII letter and a mark.
_LATIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe",
                        "þ": "th", "ð": "d"})  # fmt: skip


def id_words(title: str, limit: int = MAX_ID_CHARS) -> list[str]:
    """The title's words, in lowercase ASCII, as many as fit in `limit` characters joined by
    hyphens (at least one), never ending on a word like 'of' or 'the'.

    Accents are dropped (Kupiansk, Zaporizhzhia keep their letters); letters that have no ASCII
    form (Cyrillic) make no word rather than half of one.
    """
    plain = unicodedata.normalize("NFKD", _JOINERS.sub("", title.casefold()))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    # A word keeps all its letters or none: "Łódź" is "lodz", never "odz".
    tokens = re.findall(r"[^\W_]+", plain.translate(_LATIN))
    words = [token for token in tokens if token.isascii()]
    kept: list[str] = []
    for word in words:
        if kept and len("-".join([*kept, word])) > limit:
            break
        kept.append(word)
    while len(kept) > 1 and kept[-1] in _DANGLING:
        kept.pop()
    return kept


def suggest_id(title: str, taken: set[str]) -> str:
    """A slug for a new event from its title's whole words, made unique against the ids
    already taken."""
    base = "-".join(id_words(title)) or "event"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def file_sha256(path: str | Path) -> str:
    """The SHA-256 (hex) of a file's bytes, following symlinks; raises StorageError."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as error:
        raise _storage_error(error, "read", Path(path)) from error
    return digest.hexdigest()


def plan_append(
    data: bytes, blocks: list[str], name: str = "events.yaml", base_dir: str | Path = "."
) -> bytes:
    """The bytes of the file after appending blocks to `data`; raises like append_events."""
    if not blocks:
        return data
    old_text = _decode(data, name)
    events_column = _events_column(old_text, name)
    newline = "\r\n" if _first_break(old_text) == "\r\n" else "\n"
    shifted = [
        _prepared_block(block, index, events_column, newline) for index, block in enumerate(blocks)
    ]
    separator = "" if not data or data.endswith((b"\n", b"\r")) else newline
    new_data = data + (separator + "".join(shifted)).encode("utf-8")
    _check_old_items_kept(old_text, _decode(new_data, name), len(blocks), name)
    timeline = parse_timeline(new_data, name, base_dir)
    if timeline.errors:
        old_lines = len(_LINE_BREAK.findall(old_text + separator))
        problems, new_errors = _positioned(
            timeline.problems, old_lines, blocks, shifted, events_column - 2, name
        )
        raise EventsRejected(name, problems, new_errors)
    return new_data


def append_events(
    path: str | Path,
    blocks: list[str],
    expected_sha256: str | None,
    *,
    lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT,
) -> str:
    """Append blocks to the events list atomically, under a lock; return the new SHA-256."""
    shown = Path(path)
    _, new_data = _rewrite(
        path,
        lambda data: plan_append(data, blocks, str(shown), shown.parent),
        expected_sha256,
        lock_timeout,
        doing="add events to",
        again="the events are still needed, and add them again",
    )
    return hashlib.sha256(new_data).hexdigest()


def rewrite(
    path: str | Path,
    plan: Callable[[bytes], bytes],
    expected_sha256: str | None,
    *,
    lock_timeout: float | None = DEFAULT_LOCK_TIMEOUT,
) -> tuple[bytes, bytes]:
    """Replace the file's bytes by plan(bytes) atomically, under the lock, refusing (FileChanged)
    when they are not the ones the caller loaded; return (old bytes, new bytes).

    The same lock, checks and atomic replacement as append_events; `plan` computes (and
    validates) the new content and raises to refuse, leaving the file unchanged.
    """
    return _rewrite(
        path,
        plan,
        expected_sha256,
        lock_timeout,
        doing="save",
        again="the change is still needed, and make it again",
    )


def _rewrite(
    path: str | Path,
    plan: Callable[[bytes], bytes],
    expected_sha256: str | None,
    lock_timeout: float | None,
    *,
    doing: str,
    again: str,
) -> tuple[bytes, bytes]:
    # `doing` and `again` word the refusals for the caller's action ("cannot {doing} the file",
    # "check {again}"); the file is written only when plan changed its bytes.
    shown = Path(path)
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)  # before creating a lock file beside a file that does not exist
    except OSError as error:
        raise _storage_error(error, "read", shown) from error
    if not stat.S_ISREG(info.st_mode):
        raise StorageError(
            f"cannot {doing} {shown}: it is not a regular file (give the path of events.yaml)"
        )
    with _locked(target, lock_timeout):
        try:
            data = target.read_bytes()
        except OSError as error:
            raise _storage_error(error, "read", shown) from error
        if expected_sha256 is not None and (
            hashlib.sha256(data).hexdigest() != expected_sha256.lower()
        ):
            raise FileChanged(
                f"{shown} changed since it was loaded (someone else saved it); reload it, "
                f"check {again}"
            )
        new_data = plan(data)
        if new_data != data:
            _replace(target, new_data, shown)
    return data, new_data


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotAppendable(
            f"{name}: byte {error.start} is not valid UTF-8 (fix the file, then add the events)"
        ) from None


def _events_column(text: str, name: str) -> int:
    """The column the items of the file's events list start at; refuse unless events is last."""
    fix = "fix the file, then add the events"
    try:
        root = compose(text)
    except YamlSyntaxError as error:
        raise NotAppendable(
            f"{name}:{error.line}:{error.column}: {error.message} ({fix})"
        ) from None
    if not isinstance(root, MappingNode) or root.flow_style or not root.value:
        raise NotAppendable(
            f"{name} is not a mapping of sources, places, actors, stories and events "
            f"(expected 'events:' as its last top-level key; {fix})"
        )
    key, value = root.value[-1]
    if not isinstance(key, ScalarNode) or key.value != "events":
        has_events = any(isinstance(k, ScalarNode) and k.value == "events" for k, _ in root.value)
        last = key.value if isinstance(key, ScalarNode) else "a complex key"
        if has_events:
            raise NotAppendable(
                f"{name}: 'events' is not the last top-level key ('{last}' at line "
                f"{key.start_mark.line + 1} comes after it); move the events list to the end of "
                "the file so new events can be appended"
            )
        raise NotAppendable(
            f"{name} has no top-level 'events' key; add a line 'events:' at the end of the file"
        )
    if isinstance(value, SequenceNode) and not value.flow_style:
        return value.start_mark.column
    if isinstance(value, ScalarNode) and value.tag == _NULL_TAG and value.value == "":
        return key.start_mark.column + 2
    line = value.start_mark.line + 1
    if isinstance(value, SequenceNode):
        raise NotAppendable(
            f"{name}:{line}: the events list is written in brackets ([...]); write it as a block "
            "list (one '  - id: ...' item per event) so new events can be appended"
        )
    raise NotAppendable(
        f"{name}:{line}: 'events' holds {_what(value)}, not a list; leave 'events:' empty or "
        "give it '  - id: ...' items"
    )


def _what(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    return f"the value '{node.value}'" if isinstance(node, ScalarNode) else "something else"


def _first_break(text: str) -> str | None:
    found = _LINE_BREAK.search(text)
    return found.group() if found else None


def _prepared_block(block: str, index: int, column: int, newline: str) -> str:
    """One block, checked to be one events item, shifted to the file's column and line ends."""
    where = f"new event #{index + 1}"
    if not isinstance(block, str) or not block.strip():
        raise BadEvent(f"{where}: expected the YAML text of one events item, got {block!r:.60}")
    lines = _LINE_BREAK.split(block.removesuffix("\r\n").removesuffix("\n"))
    first = next(line for line in lines if line.strip())
    if not first.startswith("  - "):
        raise BadEvent(f"{where}: expected a block starting with '  - ' (as event_block makes)")
    shift = column - 2
    shifted = []
    for line in lines:
        spaces = len(line) - len(line.lstrip(" "))
        if shift >= 0:
            shifted.append(" " * shift + line if line else line)
        elif spaces >= -shift or not line.strip():
            shifted.append(line[min(spaces, -shift) :])
        else:
            raise BadEvent(f"{where}: every line must be indented by at least 2 spaces: {line!r}")
    try:
        root = compose("events:\n" + "\n".join(lines) + "\n")
    except YamlSyntaxError as error:
        raise BadEvent(
            f"{where}, line {error.line - 1}: {error.message} (expected one events item)"
        ) from None
    items = root.value[0][1] if isinstance(root, MappingNode) and len(root.value) == 1 else None
    if not isinstance(items, SequenceNode) or items.flow_style or len(items.value) != 1:
        raise BadEvent(f"{where}: expected one events item starting with '  - ', got {block!r:.60}")
    return newline.join(shifted) + newline


def _check_old_items_kept(old_text: str, new_text: str, added: int, name: str) -> None:
    """Refuse unless the new text reads as the old data plus `added` events, and nothing else."""
    try:
        old, new = compose(old_text), compose(new_text)
    except YamlSyntaxError as error:
        raise NotAppendable(
            f"{name}: appending would break the YAML at line {error.line} ({error.message}); "
            "check how the file ends (e.g. a '...' or '---' line after the events)"
        ) from None
    old_shape, new_shape = _shape(old), _shape(new)
    old_events = old_shape[1][-1][1]
    old_items = old_events[1] if old_events[0] == "seq" else []
    kept = False
    if new_shape[0] == "map" and len(new_shape[1]) == len(old_shape[1]):
        new_key, new_events = new_shape[1][-1]
        kept = (
            new_key == old_shape[1][-1][0]
            and new_events[0] == "seq"
            and new_events[1][: len(old_items)] == list(old_items)
            and len(new_events[1]) == len(old_items) + added
            and new_shape[1][:-1] == old_shape[1][:-1]
        )
    if not kept:
        raise NotAppendable(
            f"{name}: the new events would not land as new items at the end of the events list "
            "(check how the file ends); nothing was written"
        )


def _shape(node: Node | None) -> Any:
    """A comparable picture of a node tree: kinds, tags and values, no positions or styles."""
    if isinstance(node, MappingNode):
        return ("map", [(_shape(key), _shape(value)) for key, value in node.value])
    if isinstance(node, SequenceNode):
        return ("seq", [_shape(item) for item in node.value])
    if isinstance(node, ScalarNode):
        return ("scalar", node.tag, node.value)
    return None


def _positioned(
    problems: list[Problem],
    old_lines: int,
    blocks: list[str],
    shifted: list[str],
    shift: int,
    name: str,
) -> tuple[list[Problem], int]:
    """Problems in the new blocks renumbered from each block's first line; the rest unchanged."""
    starts = []
    line = old_lines + 1
    for block in shifted:
        starts.append(line)
        line += len(_LINE_BREAK.findall(block))
    result = []
    new_errors = 0
    for problem in problems:
        if problem.line <= old_lines or not starts:
            result.append(problem)
            continue
        index = max(i for i, start in enumerate(starts) if start <= problem.line)
        label = _block_label(blocks[index], index)
        result.append(
            Problem(
                f"{name} (new event {label})",
                problem.line - starts[index] + 1,
                max(problem.column - shift, 1),
                problem.severity,
                problem.message,
                problem.record,
            )
        )
        new_errors += problem.is_error
    return result, new_errors


def _block_label(block: str, index: int) -> str:
    found = re.match(r"\s*-\s+id:\s*['\"]?([^'\"\s#]+)", block)
    return f"#{index + 1} '{found.group(1)}'" if found else f"#{index + 1}"


# Locking and atomic replacement


@contextlib.contextmanager
def _locked(target: Path, timeout: float | None) -> Iterator[None]:
    """Hold an exclusive flock on `<target>.lock` (created if needed, never removed)."""
    lock_path = target.with_name(target.name + LOCK_SUFFIX)
    try:
        fd = os.open(lock_path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as error:
        raise _storage_error(error, "create the lock file", lock_path) from error
    try:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | (0 if deadline is None else fcntl.LOCK_NB))
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise FileBusy(
                        f"{target} is being saved by another writer (lock {lock_path} held for "
                        f"{timeout:g} s); try again in a moment"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _replace(target: Path, data: bytes, shown: Path) -> None:
    """Write data to a temporary file beside target, fsync it, rename it over target, sync."""
    try:
        info = os.stat(target)
    except OSError as error:
        raise _storage_error(error, "read", shown) from error
    if not os.access(target, os.W_OK):
        raise StorageError(
            f"cannot save {shown}: the file is read-only (make it writable, e.g. chmod u+w, to "
            "add events; the file was not changed)",
            errno.EACCES,
        )
    folder = target.parent
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise _storage_error(error, "create a temporary file in", folder) from error
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fchmod(fd, stat.S_IMODE(info.st_mode))
            if (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
                with contextlib.suppress(OSError):
                    os.fchown(fd, info.st_uid, info.st_gid)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(error, OSError):
            raise _storage_error(error, "save", shown) from error
        raise
    _sync_folder(folder, shown)


def _sync_folder(folder: Path, shown: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as error:
        if error.errno in (errno.EINVAL, errno.ENOTSUP, errno.EBADF, errno.EACCES):
            return  # the file system cannot sync folders; the rename itself has happened
        raise StorageError(
            f"{shown} was saved but its folder could not be flushed to disk "
            f"({error.strerror}); check the disk before relying on the change",
            error.errno,
        ) from error


def _storage_error(error: OSError, action: str, path: Path) -> StorageError:
    """A one-line StorageError saying what failed and what to do about it."""
    code = error.errno
    unchanged = "the file was not changed"
    if code == errno.ENOENT and action == "read":
        message = (
            f"cannot read {path}: no such file (check the path, or create the file with a "
            "top-level 'events:' key)"
        )
    elif code in (errno.EACCES, errno.EPERM):
        message = (
            f"cannot {action} {path}: permission denied (make the folder and the file writable "
            f"for this user, or work on a writable copy; {unchanged})"
        )
    elif code == errno.EROFS:
        message = (
            f"cannot {action} {path}: the file system is read-only (work on a writable copy; "
            f"{unchanged})"
        )
    elif code in (errno.ENOSPC, errno.EDQUOT):
        message = (
            f"cannot {action} {path}: no space left on the device (free some disk space and "
            f"try again; {unchanged})"
        )
    else:
        reason = error.strerror or str(error)
        message = f"cannot {action} {path}: {reason} ({unchanged})"
    return StorageError(message, code)
