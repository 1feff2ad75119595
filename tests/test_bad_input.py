"""Bad input that cannot live in the corpus: too big to commit, or crashing whoever loads it.

tests/data/invalid holds the files every test may load in-process; the cases here crash the
loader today (one kills the process), so they are made in tmp_path and validated by the command
line in a subprocess, exactly as the corpus is. Each states the problem lines the validator
should print, in the corpus's format. When a bug is fixed its test reports XPASS: then move the
case into the corpus (a .yaml and its .expected) and delete it here.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_load import CORPUS, dated_events, event_ids, parse, valid_base
from timeline.charts import daily_counts_figure
from timeline.figures import timeline_figure
from timeline.load import MAX_BYTES, MAX_ERRORS, load_timeline, parse_timeline
from timeline.query import events_frame
from timeline.synth import with_typo, write_synthetic

TITLE = "    title: Ukrainian forces retake Izium\n"
STORIES = "    stories: [energy-strikes]\n"


def limit_memory(megabytes: int):
    """A preexec_fn capping the child's address space, so a runaway parse fails, not the host."""

    def apply() -> None:
        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return apply


def validate(path: Path, timeout: float = 60, memory_mb: int = 2048) -> subprocess.CompletedProcess:
    """`python -m timeline validate NAME` from the file's folder, like the corpus test."""
    return subprocess.run(
        [sys.executable, "-m", "timeline", "validate", path.name],
        cwd=path.parent,
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        env={"PYTHONPATH": str(ROOT), "PYTHONUTF8": "1", "PATH": "/usr/bin:/bin"},
        timeout=timeout,
        preexec_fn=limit_memory(memory_mb),
    )


def corpus_like(tmp_path: Path, name: str, text: str) -> Path:
    """Write text as tmp_path/cases/NAME with the corpus's articles at ../articles."""
    shutil.copytree(CORPUS.parent / "articles", tmp_path / "articles", dirs_exist_ok=True)
    (tmp_path / "cases").mkdir(exist_ok=True)
    path = tmp_path / "cases" / name
    path.write_bytes(text.encode("utf-8"))
    return path


def changed(old: str, new: str) -> str:
    """The valid corpus base with one thing changed."""
    base = valid_base()
    assert old in base
    return base.replace(old, new, 1)


# (name, content, the lines the validator should print, the bug it shows today)
CRASHES = [
    pytest.param(
        "control_character_in_deeply_indented_file.yaml",
        changed(STORIES, STORIES + "    notes: |\n" + " " * 40 + "indented\x0cpage break\n"),
        [
            "93:49: error: control character U+000C is not allowed in YAML (expected printable "
            "text; remove it or write it as an escape in a double-quoted string)"
        ],
        id="reader-error-escapes",
    ),
    pytest.param(
        "alias_and_tab_in_plain_text.yaml",
        changed(TITLE, "    title: &title Ukrainian forces\tretake Izium\n").replace(
            "    title: Missile strike sets a Kharkiv power station on fire\n",
            "    title: *title\n",
        ),
        [
            "89:12: error: aliases (*name) are not allowed (expected every value written out; "
            "anchors and aliases can expand into huge documents)"
        ],
        id="scanner-error-in-find-alias",
    ),
]


@pytest.mark.parametrize(("name", "content", "expected"), CRASHES)
def test_inputs_that_crash_the_loader_get_positioned_problems(tmp_path, name, content, expected):
    result = validate(corpus_like(tmp_path, name, content))
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "internal error" not in output
    assert result.returncode == 1, f"exit status {result.returncode}: {output[-500:]}"
    assert result.stdout.splitlines()[:-1] == [f"{name}:{line}" for line in expected]


# Size


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as file:
        file.truncate(MAX_BYTES + 1)  # sparse: no disk used, and the loader must not read it
    timeline = load_timeline(path)
    assert [(p.line, p.column, p.message) for p in timeline.problems] == [
        (0, 0, f"file is {MAX_BYTES + 1:,} bytes (expected at most {MAX_BYTES:,})")
    ]
    assert timeline.events == []
    result = validate(path, timeout=30, memory_mb=512)
    assert result.stdout.splitlines() == [
        f"huge.yaml: error: file is {MAX_BYTES + 1:,} bytes (expected at most {MAX_BYTES:,})",
        "huge.yaml: invalid: 1 error, 0 warnings",
    ]
    assert result.returncode == 1


@pytest.mark.slow
def test_a_50_mb_file_gets_a_clear_message_within_bounded_time_and_memory(tmp_path):
    path = tmp_path / "fifty.yaml"
    item = b"  - a\n"
    path.write_bytes(b"events:\n" + item * (50_000_000 // len(item)))
    assert path.stat().st_size >= 50_000_000
    try:
        result = validate(path, timeout=20, memory_mb=1024)
    except subprocess.TimeoutExpired:
        pytest.fail("validating a 50 MB file took more than 20 s")
    output = result.stdout + result.stderr
    assert "internal error" not in output, output[-300:]
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert (
        lines[0]
        == "fifty.yaml:2:5: error: expected a mapping of fields for event #1, found the text 'a'"
    )
    assert len(lines) == MAX_ERRORS + 1, (
        f"the first {MAX_ERRORS} problems, not {len(lines):,} lines"
    )
    assert lines[-1] == (
        f"fifty.yaml: invalid: {MAX_ERRORS} errors, 0 warnings; stopped at line {MAX_ERRORS + 1} "
        f"after {MAX_ERRORS} errors: the rest of the file was not checked (fix these and "
        "validate again)"
    )


@pytest.mark.slow
def test_a_big_file_with_one_typo_is_checked_item_by_item(tmp_path):
    """The exact path keeps positions, not nodes: its peak is a few times the file, not 30x."""
    path = tmp_path / "events.yaml"
    write_synthetic(4000, 1, path)
    data = with_typo(path.read_bytes())
    tracemalloc.start()
    try:
        timeline = parse_timeline(data, "events.yaml", tmp_path, use_fast_path=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [(p.line, p.message.split(" (")[0]) for p in timeline.problems] == [
        (
            data[: data.index(b"category: withdrawl")].count(b"\n") + 1,
            "category: unknown value 'withdrawl'",
        )
    ]
    assert len(timeline.events) == 3999
    # Composing the whole document first peaked at 32x this file; item by item, 16x.
    assert peak < 24 * len(data), f"peak {peak / len(data):.1f}x the file"


# Article files that are not files


@pytest.mark.parametrize("kind", ["device", "fifo"])
def test_an_article_path_to_a_device_or_fifo_is_refused(tmp_path, kind):
    target = "/dev/zero"
    if kind == "fifo":
        target = str(tmp_path / "pipe")
        os.mkfifo(target)
    path = corpus_like(
        tmp_path,
        "article_is_not_a_file.yaml",
        changed("    file: ../articles/bbc-2022-09-12.txt\n", f"    file: {target}\n"),
    )
    try:
        result = validate(path, timeout=10, memory_mb=1024)
    except subprocess.TimeoutExpired:
        pytest.fail(f"validating a file whose article is {target} did not finish in 10 s")
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout[-300:]
    assert lines[0].startswith(
        "article_is_not_a_file.yaml:7:11: error: source 'bbc-2022-09-12': file: "
    )
    assert target in lines[0]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: folder / "missing.yaml", "cannot read the file: No such file or directory"),
        (lambda folder: folder, "cannot read the file: Is a directory"),
    ],
    ids=["missing", "directory"],
)
def test_an_events_path_that_cannot_be_read_is_one_problem(tmp_path, make, message):
    timeline = load_timeline(make(tmp_path))
    assert [(p.line, p.message) for p in timeline.problems] == [(0, message)]


def test_an_unreadable_events_file_is_one_problem(tmp_path, monkeypatch):
    path = tmp_path / "events.yaml"
    path.write_text(dated_events("2022-09-11"), encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: simulate what chmod 000 does to others
        real = Path.read_bytes

        def refuse(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)
    timeline = load_timeline(path)
    assert [(p.line, p.message) for p in timeline.problems] == [
        (0, "cannot read the file: Permission denied")
    ]


# Dates


MIXED_DATES = [
    "2022-09-11",  # a date
    "2022-09-11 10:30:00",  # a naive datetime
    "2022-09-11T10:30:00+03:00",  # time-zone aware
    "2022-09-10T23:30:00Z",
    "2022-09-11 night",
    "2022-09-10",
    "2022-09-11 10:30:00 -5",
    "2022-W36",
    "2022-09-11t01:00:00.5z",
    "2022-09 early .. 2022-09-11",
    "'2022-09-11'",  # quoted: text, the same day
]


def test_mixed_dates_datetimes_and_time_zones_never_break_sorting():
    timeline = parse(dated_events(*MIXED_DATES))
    kept = {"e1", "e5", "e6", "e8", "e10", "e11"}
    assert set(event_ids(timeline)) == kept
    keys = [event.sort_key for event in timeline.events]
    assert keys == sorted(keys)
    assert event_ids(timeline) == ["e10", "e8", "e6", "e1", "e11", "e5"]
    times = [p for p in timeline.errors if "has a time of day" in p.message]
    not_dates = [p for p in timeline.errors if "is not a date" in p.message]
    assert len(times) + len(not_dates) == len(timeline.errors) == len(MIXED_DATES) - len(kept)


@pytest.mark.parametrize(
    ("dates", "story"),
    [(("2022-09-11", "0001-01-01"), "2022"), (("2022-09-11", "9999-12 late"), "2022"),
     (("2022-09-11",), "2022 .. 9999")],
    ids=["event-in-year-1", "event-in-year-9999", "story-ending-in-9999"],
)  # fmt: skip
def test_every_date_the_validator_accepts_can_be_drawn(dates, story):
    text = dated_events(*dates).replace("date: 2022}", f"date: {story}}}")
    timeline = parse(text)
    assert timeline.ok
    frame = events_frame(timeline)
    timeline_figure(frame, list(timeline.stories.values())).to_json()
    daily_counts_figure(frame).to_json()


# Accepted encodings


def with_bom(data: bytes) -> bytes:
    return b"\xef\xbb\xbf" + data


def with_crlf(data: bytes) -> bytes:
    return data.replace(b"\n", b"\r\n")


@pytest.mark.parametrize("encode", [with_bom, with_crlf, lambda data: with_bom(with_crlf(data))],
                         ids=["bom", "crlf", "bom-and-crlf"])  # fmt: skip
@pytest.mark.parametrize("path", [ROOT / "events.yaml", ROOT / "tests" / "data" / "small" /
                                  "events.yaml"], ids=["curated", "small"])  # fmt: skip
def test_bom_and_crlf_load_the_same_events(path, encode):
    from timeline.load import parse_timeline

    data = path.read_bytes()
    plain = parse_timeline(data, path.name, path.parent)
    encoded = parse_timeline(encode(data), path.name, path.parent)
    assert encoded.problems == plain.problems
    assert encoded.events == plain.events
    assert encoded.sources == plain.sources
