"""A reload after an edit equals a full load of the edited file, and reads only what changed."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from timeline import incremental
from timeline.incremental import RelocatedEvents, reload, split
from timeline.load import parse_timeline
from timeline.model import EventList, Timeline
from timeline.synth import write_synthetic

CORPUS = sorted((ROOT / "tests" / "data" / "invalid").glob("*.yaml"))

ARTICLE = (
    "Ukrainian forces retook Balakliia on Thursday. Officials said 30 villages were freed. "
    "Russian missiles struck power plants across the country."
)
BASE = """\
# a small file with every kind of record and every cross-record check
sources:
  - id: wire-1
    outlet: Wire
    published: 2022-09-10
    published_note: printed
    file: article.txt
  - id: wire-2
    outlet: Wire
    published: 2022-10-12
    published_note: printed
places:
  - id: balakliia
    name: Balakliia
    kind: town
    country: Ukraine
    lat: 49.46
    lon: 36.86
actors:
  - id: ukraine
    name: Ukraine
    side: ukraine
stories:
  - id: kharkiv
    title: Kharkiv counteroffensive
    date: 2022-09-01 .. 2022-09-30
  - id: grid
    title: Strikes on the grid
    date: 2022-10
events:
  - id: balakliia-retaken
    title: Balakliia retaken
    date: 2022-09-08
    stories:
      - kharkiv
    category: advance
    places:
      - balakliia
    actors:
      - ukraine
    sources:
      - source: wire-1
        quote: Ukrainian forces retook Balakliia on Thursday.
        date: 2022-09-08
  - id: villages-freed
    title: Villages freed
    date: 2022-09-09
    stories:
      - kharkiv
    category: advance
    sources:
      - source: wire-1
        quote: Officials said 30 villages were freed.
    figures:
      - measure: villages-retaken
        value: 30
        unit: villages
        claimed_by: Officials
        source: wire-1
    links:
      - event: balakliia-retaken
        relation: related
  - id: grid-strikes
    title: Missiles strike power plants
    date: 2022-10-10
    stories:
      - grid
    category: infrastructure
    sources:
      - source: wire-1
        quote: Russian missiles struck power plants across the country.
      - source: wire-2
        quote: no article file to check this against
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A folder holding the article the small file quotes."""
    path = tmp_path_factory.mktemp("incremental")
    (path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    return path


def assert_same(data: bytes, base_dir: Path, previous=None) -> incremental.Reloaded:
    """Reload `data` after `previous` and check it against a full load; return the reload."""
    got = reload(data, "events.yaml", base_dir, previous)
    full = parse_timeline(data, "events.yaml", base_dir, by_records=False)
    assert [str(p) for p in got.timeline.problems] == [str(p) for p in full.problems]
    assert got.timeline == full
    assert list(got.timeline.events) == list(full.events)
    assert got.timeline.event_ids() == full.event_ids()
    events = got.timeline.events
    if isinstance(events, RelocatedEvents):
        assert events.lines().tolist() == [event.line for event in full.events]
    return got


def replace_line(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def test_the_small_file_is_valid_and_split_into_its_records(folder):
    loaded = assert_same(BASE.encode(), folder)
    assert not loaded.timeline.problems
    assert not loaded.whole
    assert loaded.read == 9
    chunks = split(BASE)
    assert [(c.section, c.line, c.index) for c in chunks] == [
        ("sources", 3, 0), ("sources", 8, 1), ("places", 13, 0), ("actors", 20, 0),
        ("stories", 24, 0), ("stories", 27, 1), ("events", 31, 0), ("events", 45, 1),
        ("events", 63, 2),
    ]  # fmt: skip


def test_the_curated_file_reloads_as_it_loads():
    data = (ROOT / "events.yaml").read_bytes()
    first = assert_same(data, ROOT)
    assert not first.whole
    again = assert_same(data, ROOT, first.snapshot)
    assert again.read == 0


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_every_invalid_file_reloads_as_it_loads(path):
    data = path.read_bytes()
    assert_same(data, path.parent)
    # and after an edit from the valid small file, with the pieces of that one in hand
    small = reload(BASE.encode(), "events.yaml", path.parent)
    assert_same(data, path.parent, small.snapshot)


APPENDED = """\
  - id: extra
    title: Extra
    date: 2022-10
    stories:
      - grid
    category: other
    sources:
      - source: wire-2
        quote: anything
"""


def sub(old: str, new: str):
    """An edit replacing the first `old` with `new`."""
    return lambda text: replace_line(text, old, new)


def delete_villages_freed(text: str) -> str:
    return text[: text.index("  - id: villages-freed")] + text[text.index("  - id: grid-") :]


# An edit of the small file, and how many records a reload after it has to read.
EDITS = {
    "title changed": (sub("Villages freed\n", "Thirty villages freed\n"), 1),
    "date changed": (sub("date: 2022-10-10", "date: 2022-10-11"), 1),
    "event appended": (lambda text: text + APPENDED, 1),
    "event deleted": (delete_villages_freed, 0),
    "lines inserted above everything": (lambda text: "# a\n# b\n" + text, 0),
    "category typo": (sub("category: infrastructure", "category: infra"), 1),
    "story unknown": (sub("      - grid\n", "      - gird\n"), 1),
    "date outside its story": (sub("date: 2022-09-09", "date: 2022-08-09"), 1),
    "quote not in the article": (sub("30 villages", "31 villages"), 1),
    "duplicate id": (sub("id: grid-strikes", "id: villages-freed"), 1),
    "source with an error": (sub("published: 2022-10-12", "published: soon"), 1),
    "syntax error": (sub("title: Villages freed", 'title: "Villages'), 1),
    "unknown section": (lambda text: text + "others:\n  - id: x\n", 0),
    "tab indentation": (sub("    category: advance\n", "\tcategory: advance\n"), 1),
    "document start between events": (
        sub("  - id: villages-freed", "---\n  - id: villages-freed"),
        0,
    ),
    "document end between events": (
        sub("  - id: villages-freed", "...\n  - id: villages-freed"),
        0,
    ),
    "directive on top": (lambda text: "%YAML 1.1\n---\n" + text, 0),
}


@pytest.mark.parametrize(("edit", "expected_reads"), list(EDITS.values()), ids=list(EDITS))
def test_an_edit_reloads_as_a_full_load_reading_only_what_changed(folder, edit, expected_reads):
    before = reload(BASE.encode(), "events.yaml", folder)
    after = assert_same(edit(BASE).encode(), folder, before.snapshot)
    if not after.whole:
        assert after.read == expected_reads
    # and back again: the pieces of the edited version serve the original
    restored = assert_same(BASE.encode(), folder, after.snapshot)
    assert restored.timeline.ok


@pytest.mark.parametrize(
    ("edit", "whole"),
    [("unknown section", True), ("syntax error", True), ("tab indentation", True),
     ("document start between events", True), ("document end between events", True),
     ("directive on top", True), ("duplicate id", False), ("category typo", False)],
)  # fmt: skip
def test_what_the_scan_cannot_vouch_for_loads_whole(folder, edit, whole):
    change = EDITS[edit][0]
    assert reload(change(BASE).encode(), "events.yaml", folder).whole is whole


def test_a_typo_in_a_big_file_is_read_by_the_exact_reader_alone(tmp_path):
    path = tmp_path / "events.yaml"
    write_synthetic(300, 2, path)
    text = path.read_text(encoding="utf-8")
    last = text.rindex("    category: ")
    typo = text[:last] + "    category: withdrawl" + text[text.index("\n", last) :]
    loaded = assert_same(typo.encode(), tmp_path)
    assert not loaded.whole
    assert [p.message.split(" (")[0] for p in loaded.timeline.errors] == [
        "category: unknown value 'withdrawl'"
    ]
    exact = [
        piece for pieces in [loaded.snapshot.pieces] for piece in pieces if piece.where is not None
    ]
    assert len(exact) == 1


def test_unchanged_records_move_with_the_lines_above_them(folder):
    before = reload(BASE.encode(), "events.yaml", folder)
    after = assert_same(("# one\n# two\n# three\n" + BASE).encode(), folder, before.snapshot)
    assert after.read == 0
    assert [event.line for event in after.timeline.events] == [34, 48, 66]


def test_events_after_a_delete_are_kept_as_read_and_relocated_when_asked_for(folder):
    before = reload(BASE.encode(), "events.yaml", folder)
    after = assert_same(delete_villages_freed(BASE).encode(), folder, before.snapshot)
    events = after.timeline.events
    assert isinstance(events, RelocatedEvents)
    kept = next(event for event in before.timeline.events if event.id == "grid-strikes")
    assert [(e.id, e.line, e.position) for e in (kept, events[-1])] == [
        ("grid-strikes", 63, 2),
        ("grid-strikes", 45, 1),
    ]
    assert events.as_read[-1] is kept  # the same object: the dashboard reuses its rows
    assert events[-1] is events[-1]  # relocated once


def test_relocated_events_behave_as_the_list_they_stand_for(folder):
    before = reload(("# a\n" + BASE).encode(), "events.yaml", folder)
    events = reload(BASE.encode(), "events.yaml", folder, before.snapshot).timeline.events
    plain = EventList(parse_timeline(BASE.encode(), "events.yaml", folder).events)
    assert isinstance(events, RelocatedEvents)
    assert (events == plain, plain == events, events == list(plain)) == (True, True, True)
    assert (events[-1], events[0:2], list(events)) == (plain[-1], plain[0:2], list(plain))
    with pytest.raises(IndexError):
        events[len(plain)]
    assert events.ids == plain.ids
    assert events.positions(["grid-strikes", "nowhere", "balakliia-retaken"]) == [0, 2]
    timeline = Timeline("events.yaml", events=events)
    assert timeline.events_with_ids(["grid-strikes"]) == [plain[2]]
    copy = pickle.loads(pickle.dumps(events))
    assert isinstance(copy, EventList)  # not with the pieces of the whole file
    assert copy == plain


def test_a_problem_about_an_unchanged_record_has_its_position(folder, monkeypatch):
    """The first of two ids is unchanged; the second, new one is reported at its own line."""
    monkeypatch.setattr(incremental, "_READ_WHOLE_FROM", 1)  # built by the fast builder
    before = reload(BASE.encode(), "events.yaml", folder)
    duplicated = replace_line(BASE, "id: grid-strikes", "id: balakliia-retaken")
    after = assert_same(duplicated.encode(), folder, before.snapshot)
    assert [str(p) for p in after.timeline.errors] == [
        "events.yaml:63:9: error: event 'balakliia-retaken': duplicate id 'balakliia-retaken' "
        "(first defined at line 31)"
    ]


def test_a_snapshot_of_another_file_is_not_used(folder, tmp_path):
    first = reload(BASE.encode(), "events.yaml", folder)
    other = reload(BASE.encode(), "events.yaml", tmp_path, first.snapshot)
    assert other.read == 9


# Lines an edit may put in a record: valid changes, typos, and YAML that does not parse.
REPLACEMENTS = [
    "    title: Changed\n",
    "    date: 2022-09-15\n",
    "    date: 2022-13-40\n",
    "    category: advanse\n",
    "    stories:\n      - kharkiv\n",
    "    stories:\n      - nowhere\n",
    "    id: wire-1\n",
    "    id: balakliia-retaken\n",
    "    lat: 120\n",
    '    title: "unclosed\n',
    "    title: [flow, list]\n",
    "    extra: field\n",
    "  just a line\n",
    "    links:\n      - event: grid-strikes\n        relation: related\n",
]


@st.composite
def edit_sequences(draw):
    """A list of texts, each an edit of the one before: insert, delete, modify, move, break
    and fix."""
    texts = [BASE]
    for _ in range(draw(st.integers(1, 5))):
        text = texts[-1]
        chunks = split(text)
        if chunks is None:  # broken beyond the scan: fix it by going back
            texts.append(texts[-2] if len(texts) > 1 else BASE)
            continue
        pieces = [text[c.start : c.end] for c in chunks]
        which = draw(st.integers(0, len(chunks) - 1))
        chunk = chunks[which]
        action = draw(st.sampled_from(["insert", "delete", "modify", "move", "break-and-fix"]))
        if action == "insert":
            copy = pieces[draw(st.integers(0, len(chunks) - 1))]
            if draw(st.booleans()):
                copy = copy.replace("- id: ", f"- id: n{draw(st.integers(0, 9))}", 1)
            new = text[: chunk.start] + copy + text[chunk.start :]
        elif action == "delete":
            new = text[: chunk.start] + text[chunk.end :]
        elif action == "move":
            target = chunks[draw(st.integers(0, len(chunks) - 1))]
            moved = text[: chunk.start] + text[chunk.end :]
            at = target.start if target.start < chunk.start else target.start - len(pieces[which])
            at = max(0, min(at, len(moved)))
            new = moved[:at] + pieces[which] + moved[at:]
        else:
            lines = pieces[which].splitlines(keepends=True)
            at = draw(st.integers(1, max(1, len(lines) - 1)))
            replacement = draw(st.sampled_from(REPLACEMENTS))
            changed = "".join([*lines[:at], replacement, *lines[at + 1 :]])
            new = text[: chunk.start] + changed + text[chunk.end :]
            if action == "break-and-fix":
                texts.append(new)
                new = text
        texts.append(new)
    return texts


@pytest.mark.slow
@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    texts=edit_sequences(),
    read_whole_from=st.sampled_from([64, 0]),
    restarts=st.lists(st.booleans(), min_size=11, max_size=11),  # one a text at most
)
def test_reloads_after_random_edits_equal_full_loads(folder, texts, read_whole_from, restarts):
    """With 0, every record read is built by the fast builder where it can vouch for it. A
    restart reloads after the snapshot as the cache keeps it on disk."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(incremental, "_READ_WHOLE_FROM", read_whole_from)
        previous = None
        for text, restart in zip(texts, restarts[: len(texts)], strict=True):
            if previous is not None and restart:
                previous = pickle.loads(pickle.dumps(previous.portable()))
            previous = assert_same(text.encode(), folder, previous).snapshot


def test_an_article_changed_on_disk_has_its_quotes_checked_again(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    before = assert_same(BASE.encode(), tmp_path)
    article.write_text(ARTICLE.replace("30 villages", "thirty villages"), encoding="utf-8")
    after = assert_same(BASE.encode(), tmp_path, before.snapshot)
    assert after.read == 0
    assert [p.message.split(":")[0] for p in after.timeline.errors] == [
        "quote not found verbatim in source 'wire-1'"
    ]


@pytest.mark.parametrize(
    ("pattern", "written"),
    [
        (r"\n    places:\n      - (kyiv)\n", "Kyiv"),
        (r"\n    stories:\n      - (energy-strikes)\n", "energy-strikes--a"),
        (r"\n      - source: ([a-z0-9-]+)\n", "BBC-2022-09-12"),
    ],
)
def test_a_reference_that_is_no_slug_reloads_as_it_loads(pattern, written):
    """The fast builder once took any string as a reference: the record-by-record reload then
    failed with IndexError where the exact reader says 'is not a slug'."""
    text = (ROOT / "events.yaml").read_text(encoding="utf-8")
    found = re.search(pattern, text)
    data = (text[: found.start(1)] + written + text[found.end(1) :]).encode()
    exact = parse_timeline(data, "events.yaml", ROOT)
    assert f"reference: '{written}' is not a slug" in str(exact.errors[-1])
    reloaded = reload(data, "events.yaml", ROOT).timeline
    assert [str(p) for p in reloaded.errors] == [str(p) for p in exact.errors]
