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
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import overload

import pandas as pd

from timeline.gcpause import collector_paused
from timeline.load import parse_timeline
from timeline.model import Event, Timeline
from timeline.query import claims_frame, events_frame

CACHE_DIR_VARIABLE = "TIMELINE_CACHE_DIR"
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


class LazyEvents(Sequence[Event]):
    """Events kept as pickles and rebuilt when asked for: a restart draws the chart without
    rebuilding 100,000 events, and opening one event rebuilds only that one."""

    def __init__(self, pickles: list[bytes], ids: list[str]) -> None:
        self._pickles = pickles
        self._ids = ids
        self._built: dict[int, Event] = {}
        self._positions: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self._pickles)

    @overload
    def __getitem__(self, index: int) -> Event: ...
    @overload
    def __getitem__(self, index: slice) -> list[Event]: ...
    def __getitem__(self, index: int | slice) -> Event | list[Event]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        position = range(len(self))[index]  # raises IndexError as a list would
        event = self._built.get(position)
        if event is None:
            event = self._built[position] = pickle.loads(self._pickles[position])
        return event

    def __iter__(self) -> Iterator[Event]:
        return (self[i] for i in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # it fills in as it is read, like a list

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
    data: bytes, name: str, base_dir: str | Path, cache_dir: Path | None = None
) -> Loaded:
    """The timeline and tables of an events file's bytes, from the cache when it has them."""
    folder = default_cache_dir() if cache_dir is None else cache_dir
    base = Path(base_dir)
    path = folder / f"{_key(data, name, base)}.pickle"
    found = _read(path, base)
    if found is not None:
        return found
    with collector_paused():
        timeline = parse_timeline(data, name, base)
        loaded = Loaded(timeline, events_frame(timeline), claims_frame(timeline))
        _write(path, loaded, base)
    return loaded


@cache
def _code_fingerprint() -> bytes:
    """Any change to the loading code, Python or pandas makes every entry a miss."""
    digest = hashlib.blake2b(digest_size=16)
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    digest.update(f"{_FORMAT} {sys.version} {pd.__version__}".encode())
    return digest.digest()


def _key(data: bytes, name: str, base_dir: Path) -> str:
    digest = hashlib.blake2b(_code_fingerprint(), digest_size=20)
    digest.update(f"{name}\0{base_dir.resolve()}\0".encode())
    digest.update(data)
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
