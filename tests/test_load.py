"""Validation of events files: the corpus of invalid files, and the API of timeline.load."""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest

from timeline.errors import InvalidTimeline
from timeline.load import FAST_PATH_MIN_BYTES, MAX_ERRORS, load, parse_timeline
from timeline.model import Timeline
from timeline.synth import write_synthetic

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "data" / "invalid"
CORPUS_FILES = sorted(CORPUS.glob("*.yaml"))

# Validator bugs, reported to the owner of timeline/: the .expected file of each holds what the
# validator should print. Strict xfails, so a fix shows up as XPASS: then delete the entry.
WRONG_OUTPUT: dict[str, str] = {}
# The subset whose exit status is wrong too: a crash, or 0 for an invalid file.
WRONG_STATUS: set[str] = set()


def corpus_params(known_bugs: set[str] | dict[str, str]) -> list:
    """One pytest.param per corpus file, id = its rule, a strict xfail if it shows a known bug."""
    params = []
    for path in CORPUS_FILES:
        marks = []
        if path.stem in known_bugs:
            marks.append(pytest.mark.xfail(reason=WRONG_OUTPUT[path.stem], strict=True))
        params.append(pytest.param(path.name, id=path.stem, marks=marks))
    return params


@functools.cache
def validate(name: str) -> subprocess.CompletedProcess:
    """Run `python -m timeline validate NAME` from inside the corpus folder, once per file."""
    return subprocess.run(
        [sys.executable, "-m", "timeline", "validate", name],
        cwd=CORPUS,
        capture_output=True,
        encoding="utf-8",
        env={"PYTHONPATH": str(ROOT), "PYTHONUTF8": "1", "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def expected_lines(name: str) -> list[str]:
    return (CORPUS / name).with_suffix(".expected").read_text(encoding="utf-8").splitlines()


def test_corpus_is_big_enough_and_complete():
    assert len(CORPUS_FILES) >= 30
    missing = [p.name for p in CORPUS_FILES if not p.with_suffix(".expected").exists()]
    assert missing == []
    assert set(WRONG_OUTPUT) <= {p.stem for p in CORPUS_FILES}


@pytest.mark.parametrize("name", corpus_params(WRONG_STATUS))
def test_corpus_exit_status_without_traceback(name):
    result = validate(name)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "internal error" not in output
    warnings_only = name.startswith("warning_")
    assert result.returncode == (0 if warnings_only else 1), output
    summary = result.stdout.splitlines()[-1]
    assert summary.startswith(f"{name}: ")
    assert (": invalid: " in summary) is not warnings_only


@pytest.mark.parametrize("name", corpus_params(WRONG_OUTPUT))
def test_corpus_problem_lines(name):
    problem_lines = validate(name).stdout.splitlines()[:-1]
    assert problem_lines == expected_lines(name)


# The programmatic API.


def corpus_bytes(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def parse(data: bytes | str, name: str = "events.yaml") -> Timeline:
    """parse_timeline with article paths resolved like the corpus files' (../articles/…)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return parse_timeline(data, name, CORPUS)


def valid_base() -> str:
    """The valid file the corpus was made from: date_not_a_real_day.yaml with its fault undone."""
    broken = corpus_bytes("date_not_a_real_day.yaml").decode("utf-8")
    return broken.replace("date: 2022-02-30\n", "date: 2022-09-10\n")


def event_ids(timeline: Timeline) -> list[str]:
    return [event.id for event in timeline.events]


def positions(timeline: Timeline) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.severity.value) for p in timeline.problems]


def dated_events(*dates: str) -> str:
    """A valid file with one event per date, ids e1, e2, … in file order; no article to read."""
    lines = [
        "sources:",
        "  - {id: wire, outlet: Wire, published: 2022-12-31, published_note: dateline}",
        "stories:",
        "  - {id: autumn, title: Autumn 2022, date: 2022}",
        "events:",
    ]
    for number, date in enumerate(dates, start=1):
        lines += [
            f"  - id: e{number}",
            f"    title: Event {number}",
            f"    date: {date}",
            "    stories: [autumn]",
            "    category: other",
            "    sources: [{source: wire, quote: Something happened.}]",
        ]
    return "\n".join(lines) + "\n"


def test_valid_base_loads_in_chronological_order():
    timeline = parse(valid_base())
    assert timeline.problems == []
    assert timeline.ok
    # izium-retaken is on 10 September; the range starting on 11 September has no part of day,
    # so it comes before the event of the night of 11 September.
    assert event_ids(timeline) == [
        "izium-retaken",
        "territory-retaken-claims",
        "kharkiv-power-station-hit",
    ]
    assert sorted(timeline.places) == ["izium", "kharkiv"]
    assert sorted(timeline.sources) == ["bbc-2022-09-12", "independent-2022-09-12"]


@pytest.mark.parametrize(
    ("dates", "order"),
    [
        pytest.param(("2022-09-12", "~2022-09-10", "2022-09-11"), ["e2", "e3", "e1"],
                     id="first-possible-day"),
        pytest.param(("2022-09-13", "2022-W37"), ["e2", "e1"],
                     id="a-week-starts-on-its-monday"),
        pytest.param(("2022-09-06 .. 2022-09-11", "2022-09 early"), ["e2", "e1"],
                     id="a-range-starts-on-its-first-day"),
        pytest.param(("2022-09-11 night", "2022-09-11 evening", "2022-09-11 afternoon",
                      "2022-09-11 morning", "2022-09-11"), ["e5", "e4", "e3", "e2", "e1"],
                     id="unspecified-then-morning-afternoon-evening-night"),
        pytest.param(("2022-09-12 morning", "2022-W37"), ["e2", "e1"],
                     id="unspecified-part-of-day-first-even-if-wider"),
        pytest.param(("2022-09", "2022-09 early", "2022-09-01"), ["e3", "e2", "e1"],
                     id="shorter-span-first"),
        pytest.param(("2022-W37", "2022-09-12"), ["e2", "e1"], id="a-day-before-its-week"),
        pytest.param(("2022-09-11 .. 2022-09-12", "2022-09-11"), ["e2", "e1"],
                     id="a-day-before-a-range-starting-on-it"),
        pytest.param(("2022-09-11", "~2022-09-11", "2022-09-11"), ["e1", "e2", "e3"],
                     id="then-file-order"),
    ],
)  # fmt: skip
def test_events_sorted_with_documented_tie_break(dates, order):
    timeline = parse(dated_events(*dates))
    assert timeline.problems == []
    assert event_ids(timeline) == order


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("date_not_a_real_day.yaml", ["territory-retaken-claims", "kharkiv-power-station-hit"]),
        ("unknown_place_reference.yaml",
         ["territory-retaken-claims", "kharkiv-power-station-hit"]),
        ("citation_date_outside_event.yaml", ["izium-retaken", "kharkiv-power-station-hit"]),
        ("figure_source_not_cited.yaml", ["izium-retaken", "territory-retaken-claims"]),
        ("quote_typo.yaml", ["izium-retaken", "territory-retaken-claims"]),
        ("unknown_linked_event.yaml", ["izium-retaken", "territory-retaken-claims"]),
        ("duplicate_event_id.yaml", ["izium-retaken", "territory-retaken-claims"]),
        ("missing_required_field.yaml", ["izium-retaken", "territory-retaken-claims"]),
    ],
)  # fmt: skip
def test_invalid_events_left_out_valid_ones_kept(name, kept):
    timeline = parse(corpus_bytes(name), name)
    assert not timeline.ok
    assert event_ids(timeline) == kept
    assert [str(p) for p in timeline.problems] == expected_lines(name)


@pytest.mark.parametrize(
    ("name", "dropped"),
    [
        ("date_not_a_real_day.yaml", "event 'izium-retaken'"),
        ("url_ftp.yaml", "source 'bbc-2022-09-12'"),
        ("latitude_out_of_range.yaml", "place 'kharkiv'"),
        ("quote_typo.yaml", "event 'kharkiv-power-station-hit'"),
    ],
)  # fmt: skip
def test_kept_events_only_refer_to_kept_records(name, dropped):
    timeline = parse(corpus_bytes(name), name)
    assert dropped in {problem.record for problem in timeline.errors}
    assert dangling_references(timeline) == []


def dangling_references(timeline: Timeline) -> list[str]:
    """References of kept events to records the timeline does not hold."""
    kept_events = set(event_ids(timeline))
    dangling = []
    for event in timeline.events:
        references = [
            *(("story", story, timeline.stories) for story in event.stories),
            *(("place", place, timeline.places) for place in event.places),
            *(("actor", actor, timeline.actors) for actor in event.actors),
            *(("source", cited.source, timeline.sources) for cited in event.sources),
            *(("source", figure.source, timeline.sources) for figure in event.figures),
            *(("event", link.event, kept_events) for link in event.links),
        ]
        dangling += [f"{event.id} -> {kind} {ref}" for kind, ref, held in references
                     if ref not in held]  # fmt: skip
    return dangling


def test_a_file_without_events_yet_is_valid():
    timeline = parse("sources: []\nevents: []\n")
    assert timeline.ok
    assert timeline.events == []


@pytest.mark.parametrize(
    ("bad_dates", "reported", "stopped_at"),
    [
        (MAX_ERRORS - 1, MAX_ERRORS - 1, None),
        (MAX_ERRORS, MAX_ERRORS, 8 + 6 * (MAX_ERRORS - 1)),
        (3 * MAX_ERRORS, MAX_ERRORS, 8 + 6 * (MAX_ERRORS - 1)),
    ],
)
def test_validation_stops_after_max_errors(bad_dates, reported, stopped_at):
    timeline = parse(dated_events(*["2022-02-30"] * bad_dates, "2022-09-11"))
    assert len(timeline.errors) == reported
    assert timeline.stopped_at == stopped_at
    assert [p.line for p in timeline.problems][-1] == 8 + 6 * (reported - 1)
    # Stopped: nothing is loaded, since the rest was never read; otherwise the good event is.
    assert event_ids(timeline) == ([] if stopped_at else [f"e{bad_dates + 1}"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("events: [{id: a}, *x]\n", [(1, 19, "YAML syntax: found undefined alias 'x'")]),
        ("- a\n- b\n", [(1, 1, "expected a mapping with sources, places, actors, stories and "
                         "events at the top level, found a list")]),
        ("events: []\n---\nevents: []\n", [(2, 1, "the file holds several YAML documents "
                                            "(expected one; remove the extra '---')")]),
        ("events: &e []\nsources: *e\n", [(2, 10, "aliases (*name) are not allowed (expected "
                                          "every value written out; anchors and aliases can "
                                          "expand into huge documents)")]),
        ("events: []\nevents: [{}]\n", [(2, 1, "duplicate field 'events' (first given at line "
                                        "1; YAML would silently keep only the last one)")]),
        ("tales: [{}]\nevents: []\n", [(1, 1, "unknown field 'tales' (expected one of: "
                                       "sources, places, actors, stories, events)")]),
    ],
    ids=["undefined-alias", "list-root", "two-documents", "alias", "repeated-section",
         "unknown-section"],
)  # fmt: skip
def test_top_level_shapes_read_item_by_item(text, expected):
    """What the streaming reader must still see: the whole document's shape, not just items."""
    assert [(p.line, p.column, p.message) for p in parse(text).problems] == expected


def test_load_returns_every_problem_and_raises_only_when_asked():
    path = CORPUS / "several_problems.yaml"
    timeline = load(path)
    expected = [f"{path}{line.removeprefix(path.name)}" for line in expected_lines(path.name)]
    assert [str(problem) for problem in timeline.problems] == expected
    with pytest.raises(InvalidTimeline) as raised:
        timeline.raise_if_invalid()
    assert [str(problem) for problem in raised.value.problems] == expected
    assert str(raised.value).splitlines() == [line for line in expected if ": error: " in line]


def test_load_returns_a_valid_timeline(tmp_path):
    (tmp_path / "events.yaml").write_text(dated_events("2022-09-11"), encoding="utf-8")
    timeline = load(tmp_path / "events.yaml")
    assert timeline.raise_if_invalid() is timeline
    assert event_ids(timeline) == ["e1"]


def with_bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def with_crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


def with_bom_and_crlf(data: bytes) -> bytes:
    return with_bom(with_crlf(data))


@pytest.mark.parametrize("encode", [with_bom, with_crlf, with_bom_and_crlf])
def test_bom_and_crlf_accepted(encode):
    timeline = parse(encode(valid_base().encode("utf-8")))
    assert timeline.problems == []
    assert event_ids(timeline) == event_ids(parse(valid_base()))


@pytest.mark.parametrize("encode", [with_bom, with_crlf, with_bom_and_crlf])
def test_bom_and_crlf_keep_positions(encode):
    name = "several_problems.yaml"
    timeline = parse(encode(corpus_bytes(name)), name)
    assert [str(problem) for problem in timeline.problems] == expected_lines(name)


def test_warnings_do_not_make_a_file_invalid():
    name = "warning_story_date_far_from_event.yaml"
    timeline = parse(corpus_bytes(name), name)
    assert timeline.ok
    assert timeline.errors == []
    assert positions(timeline) == [(90, 11, "warning")], "at the event's date"
    assert len(timeline.events) == 3


@pytest.mark.parametrize("typo", ["    category: withdrawl", "    date: 2022-02-30", "    lat: 91"])
def test_a_big_file_with_one_bad_record_is_read_by_records_with_the_exact_result(tmp_path, typo):
    """Only the bad record goes through the exact reader; the result is the exact path's."""
    path = tmp_path / "events.yaml"
    write_synthetic(1000, 3, path)
    text = path.read_text(encoding="utf-8")
    field = typo.split(":")[0]
    last = text.rindex(field + ": ")
    data = (text[:last] + typo + text[text.index("\n", last) :]).encode()
    assert len(data) >= FAST_PATH_MIN_BYTES
    by_records = parse_timeline(data, "events.yaml", tmp_path)
    exact = parse_timeline(data, "events.yaml", tmp_path, use_fast_path=False)
    assert len(by_records.errors) == 1
    assert by_records == exact
