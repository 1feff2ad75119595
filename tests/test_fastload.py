"""The fast path loads exactly what the exact path loads, or steps aside."""

import importlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from timeline.fastload import fast_timeline
from timeline.load import MAX_DEPTH, parse_timeline
from timeline.synth import write_synthetic
from timeline.write import event_block, plan_append

load_module = importlib.import_module("timeline.load")
CORPUS = sorted((ROOT / "tests" / "data" / "invalid").glob("*.yaml"))


def both_paths(data: bytes, name: str, base_dir: Path):
    """What each path makes of a file; the fast one is None when it steps aside."""
    fast = fast_timeline(data.decode("utf-8-sig"), name, Path(base_dir), MAX_DEPTH)
    exact = parse_timeline(data, name, base_dir, use_fast_path=False)
    return fast, exact


def same(fast, exact) -> None:
    assert fast is not None, "the fast path stepped aside: there is nothing to compare"
    assert fast.problems == exact.problems
    for section in ("sources", "places", "actors", "stories"):
        assert getattr(fast, section) == getattr(exact, section), section
    assert fast.events == exact.events


def test_curated_file_takes_the_fast_path_and_loads_the_same():
    data = (ROOT / "events.yaml").read_bytes()
    same(*both_paths(data, "events.yaml", ROOT))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_files_load_the_same(tmp_path, seed):
    path = tmp_path / "synthetic.yaml"
    write_synthetic(400, seed, path)
    same(*both_paths(path.read_bytes(), path.name, tmp_path))


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_invalid_or_unusual_files_step_aside(path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    exact = parse_timeline(data, path.name, path.parent, use_fast_path=False)
    assert exact.problems, "the corpus holds files with problems only"
    assert fast_timeline(text, path.name, path.parent, MAX_DEPTH) is None


# Texts, and whether the fast path takes a file holding them. It steps aside for a text that
# YAML 1.1 would read as something else when written bare: only the exact path knows whether it
# was quoted.
NASTY = [
    ("plain words", True),
    ("a: colon", True),
    ("hash # inside", True),
    ("- dash first", True),
    ("no", False),
    ("10:30", False),
    ("012", False),
    ("~", False),
    ('"double"', True),
    ("'single'", True),
    ("back\\slash", True),
    ("tab\there", True),
    ("line\nbreak", True),
    ("nel\x85here", True),
    ("ls\u2028here", True),
    ("emoji 🙂", True),
    ("Кириличний текст", True),
    ("trailing space ", True),
    (" leading", True),
    ("1e3", True),
    ("0o17", True),
    ("2022-09-11", False),
    ("yes please", True),
    ("null", False),
    ("%{x} <b>b</b> $5", True),
]


@pytest.mark.parametrize(("text", "fast_runs"), NASTY)
def test_written_events_load_the_same_on_both_paths(tmp_path, text, fast_runs):
    article = tmp_path / "article.txt"
    article.write_text(f"Intro. {text} End.", encoding="utf-8")
    base = (
        b"sources:\n  - id: s\n    outlet: Outlet\n    published: 2022-09-12\n"
        b"    published_note: from the page\n    file: article.txt\n"
        b"stories:\n  - id: st\n    title: Title\n    date: 2022\nevents:\n"
    )
    block = event_block({
        "id": "e", "title": text, "date": "2022-09-11", "stories": ["st"], "category": "other",
        "sources": [{"source": "s", "quote": text, "quoted": text}], "notes": text,
    })  # fmt: skip
    data = plan_append(base, [block], "events.yaml", tmp_path)
    fast, exact = both_paths(data, "events.yaml", tmp_path)
    assert exact.events[0].title == text
    if fast_runs:
        same(fast, exact)
    else:
        assert fast is None


def test_small_files_never_reach_the_native_parser(monkeypatch):
    monkeypatch.setattr(load_module, "fast_timeline", lambda *args: pytest.fail("fast path"))
    parse_timeline((ROOT / "events.yaml").read_bytes(), "events.yaml", ROOT)


def test_an_empty_text_steps_aside():
    assert fast_timeline("", "e.yaml", ROOT, MAX_DEPTH) is None
    assert fast_timeline("  \n", "e.yaml", ROOT, MAX_DEPTH) is None


@pytest.mark.parametrize(
    ("written", "spelled", "fast_runs"),
    [
        ("    lat: 48.3794", '    "lat": 4.8e1', False),
        ("    lat: 48.3794", "    'lat': 4.8e1", False),
        ("    lat: 48.3794", "    lat : 4.8e1", False),
        ("    lat: 48.3794", "    lat:\n      4.8e1", False),
        ("    lat: 48.3794", "    lat: +48.3794", False),
        ("    lat: 48.3794", "    lat: 048", False),
        ("    lat: 48.3794", "    lat: 0o60", False),
        ("    lat: 48.3794", "    lat: 4_8", False),
        ("    lat: 48.3794", "    lat: .5", False),
        ("    lat: 48.3794", "    lat: 48.3794  # a comment", True),
        ("        value: 500", '        "value": 5e2', False),
        ("        value: 500", "        value :  5e2", False),
        ("        value: 500", "        value:\n          5E2", False),
        ("        value: 500", '        "val\\x75e": 5e2', False),
        ('    date: "2014"', "    date: 02014", False),
        ('    date: "2014"', '    "date": 02014', False),
        ('    date: "2014"', "    date:\n      0x7DE", False),
        ('    date: "2014"', "    date: 2014", True),
    ],
)
def test_numbers_load_the_same_however_their_keys_and_values_are_spelled(
    written, spelled, fast_runs
):
    """YAML 1.2 (yaml-rs) reads 5e2, 0o60 or 02014 as numbers where YAML 1.1 does not, or
    reads them differently: the fast path must step aside however the key is written. Plain
    decimals (a comment after one, a bare year) read the same in both, so it takes those."""
    data = (ROOT / "events.yaml").read_text(encoding="utf-8")
    assert written in data
    changed = data.replace(written, spelled, 1).encode()
    fast, exact = both_paths(changed, "events.yaml", ROOT)
    if fast_runs:
        same(fast, exact)
    else:
        assert fast is None


# How a figure's value may be written: the key quoted or spaced, the value on the next line.
VALUE_LINES = [
    "value: {}",
    '"value": {}',
    "'value': {}",
    "value :  {}",
    "value:\n          {}",
]
PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
NUMBER_LIKE = r"[-+]?[._0-9]{1,4}(?:[eE][-+]?[0-9]{1,2}|[oxb][0-9a-fA-F]{1,3})?"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=st.sampled_from(VALUE_LINES), spelling=st.from_regex(NUMBER_LIKE, fullmatch=True))
def test_any_spelling_of_a_figure_loads_the_same_on_both_paths(line, spelling):
    data = (ROOT / "events.yaml").read_text(encoding="utf-8")
    changed = data.replace("value: 500", line.format(spelling), 1).encode()
    fast, exact = both_paths(changed, "events.yaml", ROOT)
    if PLAIN_DECIMAL.fullmatch(spelling):
        same(fast, exact)  # it reads the same in YAML 1.1 and 1.2: the fast path must take it
    elif fast is not None:
        same(fast, exact)
