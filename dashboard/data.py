"""The events file as this rerun draws it: loaded once per content, watched, kept when broken."""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import streamlit as st

from timeline.cache import Loaded, content_digest, load_cached
from timeline.figures import literal
from timeline.load import refused
from timeline.model import Timeline
from timeline.query import claims_frame, events_frame
from timeline.viewstate import worth_keeping
from timeline.words import plural, summary


class Data(NamedTuple):
    """What the views draw from, the hash of the file's bytes (None if it is unreadable) and
    whether the file is broken now (the data drawn may then be its last good version)."""

    timeline: Timeline
    frame: pd.DataFrame
    claims: pd.DataFrame
    sha256: str | None
    broken: bool


# cache_resource, not cache_data: cache_data hands every rerun a fresh unpickled copy, which
# took 9 s for 100,000 events (benchmarks/browser.py). The loaded timeline is made of frozen
# dataclasses and tuples, and nothing here modifies the tables (filters return new frames),
# so sharing one copy is safe. Keyed on the file's bytes; load_cached adds a cache on disk
# that survives restarts, and after a save reads only the records whose text changed and
# rebuilds only their rows (timeline/incremental.py): 0.4-0.6 s for a one-event edit of a
# 100,000-event file, where a cold load with both tables takes 11 s (benchmarks/results/edits.md).
@st.cache_resource(show_spinner=False, max_entries=4)
def load_events(sha256: str, name: str, base_dir: str, _data: bytes) -> Loaded:
    """The validated timeline and its tables, parsed once per content of the file.

    Keyed on the content's SHA-256: Streamlit hashing the bytes itself took 0.3 s of every
    rerun at 100,000 events (the underscore keeps it from hashing `_data`).
    """
    loaded = load_cached(_data, name, base_dir, sha256=sha256)
    # Millions of long-lived objects without cycles: every full collection would rescan them
    # (0.8 s at 100,000 events). Frozen, the collector skips them; refcounting still frees them.
    gc.freeze()
    return loaded


def read_bytes(path: Path) -> bytes | str:
    """The events file's bytes, or why it cannot be read right now."""
    try:
        return path.read_bytes()
    except OSError as error:
        return error.strerror or str(error)


def file_signature(path: Path) -> tuple[int, int, int] | None:
    """What changes when the file is saved: modification time, size and inode (an editor that
    replaces the file gives it a new one, also within one tick of a coarse clock)."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


@st.cache_resource(show_spinner=False)
def last_good(path: str) -> dict:
    """The last version of a file that loaded, shared by every session of this server."""
    return {}


# How often an open page looks at the file (one stat): at 100,000 events a poll every second
# was a third of the time from a save to the page showing it (benchmarks/results/browser.md).
POLL_SECONDS = 0.25


@st.fragment(run_every=POLL_SECONDS)
def watch_events_file(path: Path, loaded: tuple[int, int, int] | None) -> None:
    """Rerun the whole app within POLL_SECONDS of the file being saved."""
    if file_signature(path) != loaded:
        st.rerun(scope="app")


def show_problems(timeline: Timeline, fallback: str | None = None) -> None:
    """Errors in a visible panel, saying once what is shown instead; warnings folded away.

    `fallback` says which last good version is shown while the file is broken (None when
    nothing is, or the valid part of the file itself is).
    """
    if not timeline.problems:
        return
    listing = "\n".join(str(problem) for problem in timeline.problems)
    if timeline.ok:
        with st.expander(f"⚠️ {summary(timeline)}"):
            st.code(listing, language=None, wrap_lines=True)
        return
    if fallback:
        shown = fallback
    elif timeline.events:
        shown = "The valid events are still shown."
    else:
        shown = "None of it is shown."
    with st.container(border=True):
        st.error(f"{summary(timeline)} — fix these in the file. {shown}")
        st.code(listing, language=None, wrap_lines=True)


def load_data(path: Path) -> Data:
    """Load the file (watching it for saves) and show its problems; while it is broken, fall
    back to the last version that loaded."""
    signature = file_signature(path)
    data = read_bytes(path)
    if isinstance(data, str):
        sha256 = None
        timeline = refused(path.name, f"cannot read the file: {data}", 0, 0)
        frame, claims = events_frame(timeline), claims_frame(timeline)
    else:
        sha256 = content_digest(data)  # once per rerun, for both caches: 57 MB take 0.04 s
        # Shown only if loading takes over half a second: a large file the first time it is seen.
        with st.spinner(
            f"Loading and checking {literal(path.name)} ({len(data) / 1e6:,.1f} MB). Later "
            "starts read it from a cache.",
            show_time=True,
        ):
            loaded = load_events(sha256, path.name, str(path.parent), data)
        # The one place that names Loaded's tables.
        timeline, frame, claims = loaded.timeline, loaded.event_table, loaded.claim_table
    watch_events_file(path, signature)
    good = last_good(str(path))
    fallback = None
    if worth_keeping(timeline):
        good.update(timeline=timeline, frame=frame, claims=claims, at=datetime.now())
    elif good:
        # Mid-edit or mid-save the file may not parse at all: keep showing what last did.
        fallback = (
            f"Showing the last good version of {path.name}, loaded at {good['at']:%H:%M:%S} "
            f"({plural(len(good['frame']), 'event')}), until the file is fixed."
        )
    show_problems(timeline, fallback)
    broken = not timeline.ok
    if fallback:
        timeline, frame, claims = good["timeline"], good["frame"], good["claims"]
    return Data(timeline, frame, claims, sha256, broken)
