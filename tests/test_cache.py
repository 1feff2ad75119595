"""The on-disk cache: same result as loading, keyed on everything the result depends on."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pandas as pd
import pytest

from tests.test_load import CORPUS, dated_events, valid_base
from timeline import cache, incremental
from timeline.cache import (
    MAX_ENTRIES,
    LazyEvents,
    default_cache_dir,
    load_cached,
    load_timeline_cached,
)
from timeline.load import load, parse_timeline
from timeline.query import claims_frame, events_frame
from timeline.synth import write_synthetic

ARTICLES = CORPUS.parent / "articles"


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def assert_same(loaded, data: bytes, name: str = "events.yaml", base_dir: Path = CORPUS) -> None:
    """What the cache hands back equals a fresh load in every part the dashboard uses."""
    fresh = parse_timeline(data, name, base_dir)
    timeline = loaded.timeline
    assert list(timeline.events) == fresh.events
    assert timeline.problems == fresh.problems
    for records in ("sources", "places", "actors", "stories"):
        assert getattr(timeline, records) == getattr(fresh, records)
    assert (timeline.path, timeline.stopped_at) == (fresh.path, fresh.stopped_at)
    pd.testing.assert_frame_equal(loaded.event_table, events_frame(fresh))
    pd.testing.assert_frame_equal(loaded.claim_table, claims_frame(fresh))


@pytest.mark.parametrize(
    "text",
    [valid_base(), valid_base().replace("date: 2022-09-10\n", "date: 2022-02-30\n"), ""],
    ids=["valid", "invalid", "empty"],
)
def test_a_second_load_comes_from_the_cache_and_equals_the_first(cache_dir, text):
    data = text.encode()
    first = load_cached(data, "events.yaml", CORPUS, cache_dir)
    second = load_cached(data, "events.yaml", CORPUS, cache_dir)
    assert (first.from_cache, second.from_cache) == (False, True)
    assert isinstance(second.timeline.events, LazyEvents)
    assert_same(first, data)
    assert_same(second, data)


@pytest.mark.parametrize(
    ("change", "hit"),
    [
        (lambda data, name, folder: (data, name, folder), True),
        (lambda data, name, folder: (data + b"\n", name, folder), False),
        (lambda data, name, folder: (data.replace(b"Izium", b"Izyum", 1), name, folder), False),
        (lambda data, name, folder: (data, "other.yaml", folder), False),
        (lambda data, name, folder: (data, name, folder / "elsewhere"), False),
    ],
    ids=["unchanged", "byte-added", "word-changed", "renamed", "other-folder"],
)
def test_the_key_covers_content_name_and_folder(cache_dir, change, hit):
    data = valid_base().encode()
    load_cached(data, "events.yaml", CORPUS, cache_dir)
    assert load_cached(*change(data, "events.yaml", CORPUS), cache_dir).from_cache is hit


def test_an_article_changed_on_disk_is_a_miss(cache_dir, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    articles = tmp_path / "articles"
    articles.mkdir()
    for article in ARTICLES.iterdir():
        (articles / article.name).write_bytes(article.read_bytes())
    data = valid_base().encode()
    assert load_cached(data, "events.yaml", folder, cache_dir).timeline.ok
    article = next(articles.iterdir())
    article.write_bytes(b"Nothing anybody quoted.\n")
    again = load_cached(data, "events.yaml", folder, cache_dir)
    assert not again.from_cache
    assert not again.timeline.ok  # the quotes from that article are no longer verbatim
    assert load_cached(data, "events.yaml", folder, cache_dir).from_cache
    article.unlink()
    assert not load_cached(data, "events.yaml", folder, cache_dir).from_cache


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[:100]),
        lambda path: path.write_bytes(b"not a pickle"),
        lambda path: path.write_bytes(pickle.dumps({"format": 999})),
        lambda path: path.write_bytes(pickle.dumps(["a list"])),
    ],
    ids=["truncated", "garbage", "other-format", "other-shape"],
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(cache_dir, damage):
    data = valid_base().encode()
    load_cached(data, "events.yaml", CORPUS, cache_dir)
    (entry,) = cache_dir.glob("*.pickle")
    damage(entry)
    again = load_cached(data, "events.yaml", CORPUS, cache_dir)
    assert not again.from_cache
    assert_same(again, data)
    assert load_cached(data, "events.yaml", CORPUS, cache_dir).from_cache


def test_an_unwritable_cache_folder_only_costs_speed(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("in the way")
    data = valid_base().encode()
    for _ in range(2):
        loaded = load_cached(data, "events.yaml", CORPUS, blocked / "cache")
        assert not loaded.from_cache
        assert_same(loaded, data)


def test_old_entries_are_evicted(cache_dir):
    for count in range(MAX_ENTRIES + 3):
        load_cached(
            dated_events(*["2022-09-11"] * (count + 1)).encode(), "e.yaml", CORPUS, cache_dir
        )
    assert len(list(cache_dir.glob("*.pickle"))) == MAX_ENTRIES
    assert not list(cache_dir.glob("*.tmp"))


def test_entries_are_private_to_the_user(cache_dir):
    load_cached(valid_base().encode(), "events.yaml", CORPUS, cache_dir)
    (entry,) = cache_dir.glob("*.pickle")
    assert cache_dir.stat().st_mode & 0o077 == 0
    assert entry.stat().st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"TIMELINE_CACHE_DIR": "/x/cache", "XDG_CACHE_HOME": "/y"}, "/x/cache"),
        ({"XDG_CACHE_HOME": "/y"}, "/y/timeline"),
        ({"HOME": "/home/u"}, "/home/u/.cache/timeline"),
    ],
)
def test_default_cache_dir(monkeypatch, environment, expected):
    for variable in ("TIMELINE_CACHE_DIR", "XDG_CACHE_HOME"):
        monkeypatch.delenv(variable, raising=False)
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    assert default_cache_dir() == Path(expected)


def test_the_tests_never_touch_the_users_cache():
    assert "timeline-test-cache-" in os.environ["TIMELINE_CACHE_DIR"]


# LazyEvents behaves as the list it replaces


@pytest.fixture(scope="module")
def events():
    timeline = parse_timeline(
        dated_events(*[f"2022-09-{day:02d}" for day in range(1, 8)]).encode(), "e.yaml"
    )
    lazy = LazyEvents([pickle.dumps(e) for e in timeline.events], [e.id for e in timeline.events])
    return list(timeline.events), lazy


@pytest.mark.parametrize(
    "read",
    [
        len,
        list,
        lambda s: s[0],
        lambda s: s[-1],
        lambda s: s[2:5],
        lambda s: s[::-2],
        lambda s: s[5:1],
    ],
    ids=["len", "list", "first", "last", "slice", "step", "empty-slice"],
)
def test_lazy_events_read_like_a_list(events, read):
    plain, lazy = events
    assert read(lazy) == read(plain)


def test_lazy_events_index_errors_and_equality(events):
    plain, lazy = events
    with pytest.raises(IndexError):
        lazy[len(plain)]
    assert lazy == plain
    assert lazy != plain[:-1]
    assert lazy.ids == [event.id for event in plain]


@pytest.mark.parametrize(
    ("ids", "expected"),
    [(["e3", "e1"], ["e1", "e3"]), (["nope", "e7"], ["e7"]), ([], [])],
)
def test_events_with_ids_in_timeline_order_either_way(events, ids, expected):
    from timeline.model import Timeline

    plain, lazy = events
    for sequence in (plain, lazy):
        found = Timeline("e.yaml", events=sequence).events_with_ids(ids)
        assert [event.id for event in found] == expected


@pytest.fixture
def reads(monkeypatch) -> list[int]:
    """How many records each load on a cache miss read; no records kept from earlier tests."""
    counts: list[int] = []

    def counting(*args, **kwargs):
        result = incremental.reload(*args, **kwargs)
        counts.append(-1 if result.whole else result.read)
        return result

    monkeypatch.setattr(cache, "reload", counting)
    monkeypatch.setattr(cache, "_SNAPSHOTS", {})
    monkeypatch.setattr(cache, "_TABLES", {})
    return counts


def test_an_edit_is_read_incrementally_in_process_and_after_a_restart(cache_dir, reads):
    data = valid_base().encode()
    edited = data.replace(b"date: 2022-09-10\n", b"date: 2022-09-11\n", 1)
    assert edited != data
    load_cached(data, "events.yaml", CORPUS, cache_dir)
    assert_same(load_cached(edited, "events.yaml", CORPUS, cache_dir), edited)
    cache._SNAPSHOTS.clear()  # a restart: only the snapshot on disk is left
    cache._TABLES.clear()
    assert_same(load_cached(data, "events.yaml", CORPUS, cache_dir), data)  # a hit
    again = data.replace(b"date: 2022-09-10\n", b"date: 2022-09-12\n", 1)
    assert_same(load_cached(again, "events.yaml", CORPUS, cache_dir), again)
    assert reads[0] > 1  # the first load reads everything
    assert reads[1:] == [1, 1]
    assert len(list(cache_dir.glob("*.snapshot"))) == 1


def test_a_restart_after_editing_a_big_file_reads_only_what_changed(cache_dir, reads, monkeypatch):
    monkeypatch.setattr(cache, "UNWRITTEN_EDITS_FROM", 1)  # this file counts as big
    data = valid_base().encode()
    edited = data.replace(b"date: 2022-09-10\n", b"date: 2022-09-11\n", 1)
    load_cached(data, "events.yaml", CORPUS, cache_dir)
    load_cached(edited, "events.yaml", CORPUS, cache_dir)
    assert len(list(cache_dir.glob("*.pickle"))) == 1  # no entry for the edited version
    cache._SNAPSHOTS.clear()  # a restart: only the snapshot on disk is left
    cache._TABLES.clear()
    loaded = load_cached(edited, "events.yaml", CORPUS, cache_dir)
    assert_same(loaded, edited)
    assert not loaded.from_cache
    assert reads[0] > 1
    assert reads[1:] == [1, 1]  # the edited event, in process and after the restart


def test_a_damaged_snapshot_is_ignored(cache_dir, reads):
    data = valid_base().encode()
    load_cached(data, "events.yaml", CORPUS, cache_dir)
    cache._SNAPSHOTS.clear()
    (snapshot,) = cache_dir.glob("*.snapshot")
    snapshot.write_bytes(b"not a pickle")
    edited = data.replace(b"date: 2022-09-10\n", b"date: 2022-09-11\n", 1)
    assert_same(load_cached(edited, "events.yaml", CORPUS, cache_dir), edited)
    assert reads[1] == reads[0]


@pytest.mark.parametrize(
    "text",
    [valid_base(), valid_base().replace("date: 2022-09-10\n", "date: 2022-02-30\n"), "x: ["],
    ids=["valid", "invalid", "not YAML"],
)
def test_the_cached_timeline_of_a_path_is_what_load_returns(tmp_path, cache_dir, reads, text):
    path = tmp_path / "events.yaml"
    path.write_text(text, encoding="utf-8")
    for _ in range(2):  # a miss, then a hit
        assert load_timeline_cached(path, cache_dir) == load(path)
    load_cached(path.read_bytes(), str(path), tmp_path, cache_dir)
    cached = load_timeline_cached(path, cache_dir)
    assert (cached.problems, list(cached.events)) == (load(path).problems, list(load(path).events))


def test_the_cached_timeline_of_a_missing_file_says_why(tmp_path, cache_dir):
    assert load_timeline_cached(tmp_path / "none.yaml", cache_dir) == load(tmp_path / "none.yaml")


def synthetic_edits(text: str) -> dict[str, str]:
    """Edits of a synthetic file: events changed, moved, added and removed, and a place."""
    events = text.index("\nevents:\n")
    middle = text.index("\n  - id: ", events + (len(text) - events) // 2) + 1
    following = text.index("\n  - id: ", middle) + 1
    title = text.index("    title: ", middle)
    return {
        "title": text[:title] + "    title: Edited" + text[text.index("\n", title) :],
        "deleted": text[:middle] + text[following:],
        "appended": text + text[middle:following].replace("- id: ", "- id: new-", 1),
        "comment on top": "# a comment\n" + text,
        "place renamed": text.replace("    name: ", "    name: Renamed ", 1),
    }


@pytest.mark.parametrize(
    "edit", ["title", "deleted", "appended", "comment on top", "place renamed"]
)
def test_the_tables_after_an_edit_equal_fresh_ones(tmp_path, cache_dir, reads, edit):
    path = tmp_path / "events.yaml"
    write_synthetic(300, 4, path)
    data = path.read_bytes()
    load_cached(data, "events.yaml", tmp_path, cache_dir)
    changed = synthetic_edits(data.decode())[edit].encode()
    assert changed != data
    loaded = load_cached(changed, "events.yaml", tmp_path, cache_dir)
    assert_same(loaded, changed, base_dir=tmp_path)
    assert len(loaded.claim_table) > 0
    assert reads[-1] <= 1  # the file's records were read once, at the first load


def test_the_tables_after_edits_in_a_row_equal_fresh_ones(tmp_path, cache_dir, reads):
    """A delete leaves the later events as read (incremental.RelocatedEvents): the next
    loads reuse their rows and set their lines."""
    path = tmp_path / "events.yaml"
    write_synthetic(300, 4, path)
    text = path.read_text(encoding="utf-8")
    deleted = synthetic_edits(text)["deleted"]
    relocated = []
    for version in [text, deleted, synthetic_edits(deleted)["title"], "# on top\n" + deleted]:
        loaded = load_cached(version.encode(), "events.yaml", tmp_path, cache_dir)
        assert_same(loaded, version.encode(), base_dir=tmp_path)
        relocated.append(isinstance(loaded.timeline.events, incremental.RelocatedEvents))
    assert relocated == [False, True, True, True]
    assert reads[1:] == [0, 1, 1]  # the last one puts the edited title back


def _table(values: list[str | None]) -> pd.DataFrame:
    """A table as query.py builds one: a text column, and a column of lists."""
    texts = pd.Series(values, dtype=object).to_numpy()
    lists = pd.Series([[value] for value in values], dtype=object).to_numpy()
    return pd.DataFrame({"text": texts, "lists": lists})


@pytest.mark.parametrize(
    ("old", "new", "order"),
    [
        (["a", None], [None], [0, 2]),  # the new rows have no text: their column is untyped
        ([None, None], ["b"], [2, 0, 1]),  # the old rows have none
        (["a", None], [], [1]),  # nothing new, and the rows kept have no text
        (["a", "b"], ["c"], [2, 1]),
        ([None], [None], [1, 0]),
        ([], ["a", None], [1, 0]),
    ],
)
def test_joined_tables_are_typed_as_a_table_built_at_once(old, new, order):
    both = old + new
    expected = _table([both[i] for i in order])
    pd.testing.assert_frame_equal(cache._combined(_table(old), _table(new), order), expected)
