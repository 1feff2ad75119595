"""A cache of loaded timelines and their tables, keyed on content, so that restarts are fast.

Loading 100,000 events and building their tables takes about 8 s; reading the same result back
from here takes well under one. An entry is keyed on the events file's bytes, its name, the
folder its articles resolve from and the code that loads it, and it is used only while every
article it was checked against still has the size and modification time it had.

Entries live in the user's cache folder ($TIMELINE_CACHE_DIR, else $XDG_CACHE_HOME/timeline,
else ~/.cache/timeline), never beside the data: they are pickles, and a folder of data shared
by somebody else must not be able to bring one along. Anything wrong with an entry (truncated,
written by another version, unreadable) makes it a miss; a cache that cannot be written is
simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from timeline.gcpause import collector_paused
from timeline.incremental import RelocatedEvents, Snapshot, reload
from timeline.load import load
from timeline.model import MAX_BYTES, Event, LazyEventSequence, Timeline
from timeline.query import claims_frame, events_frame

CACHE_DIR_VARIABLE = "TIMELINE_CACHE_DIR"
# Edits of files this big are not written as entries: that takes seconds (a 10,000-event file
# is 5.7 MB, a 100,000-event one 57 MB). A restart after such an edit reads the records kept on
# disk by the last load that read most of them (`_reloaded`), and what changed since.
UNWRITTEN_EDITS_FROM = 16 * 1024 * 1024
# A few files' worth: entries of one big file are about 2.5x its size.
MAX_ENTRIES = 4
_FORMAT = 1


@dataclass(frozen=True)
class Loaded:
    """A validated timeline and the two tables the dashboard draws from."""

    timeline: Timeline
    event_table: pd.DataFrame
    claim_table: pd.DataFrame
    from_cache: bool = False


class LazyEvents(LazyEventSequence):
    """Events kept as pickles and rebuilt when asked for: a restart draws the chart without
    rebuilding 100,000 events, and opening one event rebuilds only that one."""

    def __init__(self, pickles: list[bytes], ids: list[str]) -> None:
        self._pickles = pickles
        self._ids = ids
        self._built: dict[int, Event] = {}
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._pickles)

    def _event(self, position: int) -> Event:
        event = self._built.get(position)
        if event is None:
            event = self._built[position] = pickle.loads(self._pickles[position])
        return event

    @property
    def ids(self) -> list[str]:
        """Every event's id, in order, without rebuilding any event."""
        return self._ids

    def positions(self, event_ids: Iterable[str]) -> list[int]:
        """Where the events with these ids are, in order; unknown ids are skipped."""
        if self._positions is None:
            self._positions = {event_id: i for i, event_id in enumerate(self._ids)}
        return sorted({self._positions[i] for i in event_ids if i in self._positions})


def default_cache_dir() -> Path:
    """Where entries go unless the caller says otherwise."""
    explicit = os.environ.get(CACHE_DIR_VARIABLE)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "timeline"


def load_cached(
    data: bytes,
    name: str,
    base_dir: str | Path,
    cache_dir: Path | None = None,
    sha256: str | None = None,
) -> Loaded:
    """The timeline and tables of an events file's bytes, from the cache when it has them.

    `sha256` is the bytes' SHA-256 (hex) when the caller has it: hashing 57 MB takes 0.04 s.

    On a miss only the records whose text changed since a version loaded before are read
    (incremental.py): that version's records are kept in this process, and on disk.
    """
    folder = default_cache_dir() if cache_dir is None else cache_dir
    base = Path(base_dir)
    path = folder / f"{_key(sha256 or content_digest(data), name, base)}.pickle"
    found = _read(path, base)
    if found is not None:
        return found
    where = (name, base.resolve())
    with collector_paused():
        timeline, edited = _reloaded(data, name, base, folder)
        loaded = _with_tables(timeline, _TABLES.get(where))
        _TABLES[where] = loaded
        # An entry of 100,000 events takes seconds to write: after a small edit of a big file
        # the page is shown without one (a restart reads the records kept on disk, and what
        # changed since).
        if not (edited and len(data) >= UNWRITTEN_EDITS_FROM):
            _write(path, loaded, base)
    return loaded


# The last tables built for each file in this process: (name, folder) -> Loaded.
_TABLES: dict[tuple[str, Path], Loaded] = {}


def _with_tables(timeline: Timeline, before: Loaded | None) -> Loaded:
    """The timeline and its tables, reusing the rows of events unchanged since `before`."""
    if (
        before is None
        or isinstance(before.timeline.events, LazyEvents)  # rebuilt: nothing is the same object
        or before.timeline.sources != timeline.sources
        or before.timeline.places != timeline.places
        or before.timeline.actors != timeline.actors
    ):
        return Loaded(timeline, events_frame(timeline), claims_frame(timeline))
    # Rows depend on their event and on the names above: an event that is the same object as
    # before has the same rows, but for its line. Reloads keep the objects of the records they
    # did not read, also of those an edit above moved (whose line is set below).
    old_at = {id(event): index for index, event in enumerate(_as_read(before.timeline.events))}
    places: list[int] = []  # where each event's row is: >= 0 old rows, < 0 new ones
    fresh: list[Event] = []
    for event in _as_read(timeline.events):
        index = old_at.get(id(event))
        if index is None:
            fresh.append(event)
            index = -len(fresh)
        places.append(index)
    if len(fresh) * 2 > len(places):
        return Loaded(timeline, events_frame(timeline), claims_frame(timeline))
    new = replace(timeline, events=fresh)
    old_rows = len(before.event_table)
    event_order = [i if i >= 0 else old_rows - 1 - i for i in places]
    event_table = _combined(before.event_table, events_frame(new), event_order)
    if isinstance(timeline.events, RelocatedEvents):
        event_table["line"] = timeline.events.lines()
    claim_order = _claim_order(_as_read(before.timeline.events), fresh, places)
    claim_table = _combined(before.claim_table, claims_frame(new), claim_order)
    return Loaded(timeline, event_table, claim_table)


def _claim_order(old: Sequence[Event], fresh: list[Event], places: list[int]) -> np.ndarray:
    """The order of the claim rows of the old and new tables: each event's rows, in the
    timeline's order of events, from the table its rows are in. A table has one row per figure,
    event by event in its timeline's order (query.claims_frame), so a row's event is known
    by counting: mapping the rows' event ids to ranks took 0.1 s at 100,000 events."""
    at = np.asarray(places, dtype=np.int64)  # each event's row: >= 0 old, < 0 new
    reused = at >= 0
    old_rank = np.full(len(old), -1, dtype=np.int64)  # -1: the event is gone or read again
    old_rank[at[reused]] = np.flatnonzero(reused)
    old_counts = np.fromiter((len(event.figures) for event in old), np.int64, len(old))
    new_counts = np.fromiter((len(event.figures) for event in fresh), np.int64, len(fresh))
    ranks = np.concatenate(
        [np.repeat(old_rank, old_counts), np.repeat(np.flatnonzero(~reused), new_counts)]
    )
    kept = np.flatnonzero(ranks >= 0)
    # Stable: an event's rows keep their order.
    return kept[np.argsort(ranks[kept], kind="stable")]


def _as_read(events: Sequence[Event]) -> Sequence[Event]:
    """The events without relocating those a reload kept as read elsewhere (incremental.py)."""
    return events.as_read if isinstance(events, RelocatedEvents) else events


def _combined(old: pd.DataFrame, new: pd.DataFrame, order: Sequence[int]) -> pd.DataFrame:
    """Rows of two tables with the same columns, in `order`: indexes into the old rows
    followed by the new ones."""
    # A text column is typed by its values, as a table built at once would be: text, or object
    # when none is there. Its parts are made alike before they are joined, and the result is
    # looked at only for a text column without values: retyping every text column of 100,000
    # rows took 3 s.
    text = [
        column
        for column in old.columns
        if isinstance(old[column].dtype, pd.StringDtype)
        or isinstance(new[column].dtype, pd.StringDtype)
    ]
    if new.empty:
        both = old
    elif old.empty:
        both, order = new, [i - len(old) for i in order]
    else:
        both = pd.concat([_as_text(old, text), _as_text(new, text)], ignore_index=True)
    table = both.iloc[order].reset_index(drop=True)
    for column in text:
        if isinstance(table[column].dtype, pd.StringDtype) and table[column].isna().all():
            table[column] = pd.Series([None] * len(table), dtype=object, name=column)
    return table


def _as_text(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The table with these columns typed as text: those of object dtype hold no value."""
    untyped = {c: "str" for c in columns if not isinstance(table[c].dtype, pd.StringDtype)}
    return table.astype(untyped) if untyped else table


def load_timeline_cached(path: str | Path, cache_dir: Path | None = None) -> Timeline:
    """What load(path) returns, from the cache when it has it, else read incrementally."""
    folder = default_cache_dir() if cache_dir is None else cache_dir
    try:
        if Path(path).stat().st_size > MAX_BYTES:
            return load(path)  # which says why it refuses the file
        data = Path(path).read_bytes()
    except OSError:
        return load(path)
    name, base = str(path), Path(path).parent
    found = _read(folder / f"{_key(content_digest(data), name, base)}.pickle", base)
    if found is not None:
        return found.timeline
    with collector_paused():
        return _reloaded(data, name, base, folder)[0]


# The last records read of each file in this process: (name, folder) -> Snapshot.
_SNAPSHOTS: dict[tuple[str, Path], Snapshot] = {}


def _reloaded(data: bytes, name: str, base_dir: Path, folder: Path) -> tuple[Timeline, bool]:
    """The timeline of an events file's bytes, reading only what changed since a known version
    (the version read becomes the known one), and whether that was a small part of it."""
    where = (name, base_dir.resolve())
    known = _SNAPSHOTS.get(where)
    previous = known if known is not None else _read_snapshot(folder, name, base_dir)
    result = reload(data, name, base_dir, previous)
    if result.whole:
        return result.timeline, False
    _SNAPSHOTS[where] = result.snapshot
    # Kept on disk when most records were read, so that the next start has something close to
    # compare with, big file or not; not after a small edit, when the one on disk is close
    # enough and pickling 100,000 records would take seconds of every save.
    mostly_read = result.read * 2 > len(result.snapshot)
    if mostly_read:
        _write_snapshot(folder, result.snapshot)
    return result.timeline, not mostly_read


def _snapshot_path(folder: Path, name: str, base_dir: Path) -> Path:
    digest = hashlib.blake2b(_code_fingerprint(), digest_size=20)
    digest.update(f"{name}\0{base_dir.resolve()}\0".encode())
    return folder / f"{digest.hexdigest()}.snapshot"


def _read_snapshot(folder: Path, name: str, base_dir: Path) -> Snapshot | None:
    path = _snapshot_path(folder, name, base_dir)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        snapshot = pickle.loads(raw)
        return snapshot if isinstance(snapshot, Snapshot) else None
    except Exception:  # a damaged snapshot is no snapshot, never a crash
        with suppress(OSError):
            path.unlink(missing_ok=True)
        return None


def _write_snapshot(folder: Path, snapshot: Snapshot) -> None:
    path = _snapshot_path(folder, snapshot.name, snapshot.base_dir)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(snapshot.portable(), out, protocol=5)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


@cache
def _code_fingerprint() -> bytes:
    """Any change to the loading code, Python or pandas makes every entry a miss."""
    digest = hashlib.blake2b(digest_size=16)
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    digest.update(f"{_FORMAT} {sys.version} {pd.__version__}".encode())
    return digest.digest()


def content_digest(data: bytes) -> str:
    """What an entry is keyed on besides the code, the name and the folder: the bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()


def _key(sha256: str, name: str, base_dir: Path) -> str:
    digest = hashlib.blake2b(_code_fingerprint(), digest_size=20)
    digest.update(f"{name}\0{base_dir.resolve()}\0{sha256}".encode())
    return digest.hexdigest()


def _article_stamps(timeline: Timeline, base_dir: Path) -> list[tuple[str, int, int] | str]:
    """Size and modification time of every article the quotes were checked against."""
    stamps: list[tuple[str, int, int] | str] = []
    for source in timeline.sources.values():
        if source.file is None:
            continue
        path = base_dir / source.file
        try:
            status = path.stat()
        except (OSError, ValueError):
            stamps.append(str(path))  # missing then: must still be missing
            continue
        stamps.append((str(path), status.st_size, status.st_mtime_ns))
    return stamps


def _read(path: Path, base_dir: Path) -> Loaded | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None  # no entry, or no cache folder to read
    try:
        with collector_paused():
            stored = pickle.loads(raw)
        if stored["format"] != _FORMAT:
            return None
        timeline: Timeline = stored["timeline"]
        if stored["articles"] != _article_stamps(timeline, base_dir):
            return None
        events = LazyEvents(stored["events"], stored["frame"]["id"].tolist())
        return Loaded(replace(timeline, events=events), stored["frame"], stored["claims"], True)
    except Exception:  # a damaged entry of any kind is a miss, never a crash
        with suppress(OSError):
            path.unlink(missing_ok=True)
        return None


def _write(path: Path, loaded: Loaded, base_dir: Path) -> None:
    timeline = loaded.timeline
    stored = {
        "format": _FORMAT,
        "articles": _article_stamps(timeline, base_dir),
        "timeline": replace(timeline, events=[]),
        "events": [pickle.dumps(event, protocol=5) for event in timeline.events],
        "frame": loaded.event_table,
        "claims": loaded.claim_table,
    }
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return  # a read-only or missing home: run without a cache
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(stored, out, protocol=5)
        os.replace(temporary, path)  # readers see a whole entry or none
        _evict(path.parent, keep=path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _evict(folder: Path, keep: Path) -> None:
    """Keep the newest MAX_ENTRIES entries; stray temporary files of crashed writers go too."""
    entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in [entry for entry in entries if entry != keep][MAX_ENTRIES - 1 :]:
        old.unlink(missing_ok=True)
    for stray in folder.glob("*.tmp"):
        if stray.stat().st_mtime_ns < keep.stat().st_mtime_ns - 3_600_000_000_000:
            stray.unlink(missing_ok=True)
