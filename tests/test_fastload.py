"""The fast path loads exactly what the exact path loads, or steps aside."""

import importlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from timeline import fastload
from timeline.fastload import fast_timeline
from timeline.load import MAX_DEPTH, parse_timeline
from timeline.synth import write_synthetic
from timeline.write import event_block, plan_append

load_module = importlib.import_module("timeline.load")
CORPUS = sorted((ROOT / "tests" / "data" / "invalid").glob("*.yaml"))


def both_paths(data: bytes, name: str, base_dir: Path):
    """What each path makes of a file; the fast one may step aside (then the exact one runs)."""
    fast = fast_timeline(data.decode("utf-8-sig"), name, Path(base_dir), MAX_DEPTH)
    exact = parse_timeline(data, name, base_dir, use_fast_path=False)
    return fast or exact, exact


def same(fast, exact) -> None:
    assert fast.problems == exact.problems
    for section in ("sources", "places", "actors", "stories"):
        assert getattr(fast, section) == getattr(exact, section), section
    assert fast.events == exact.events


def test_curated_file_takes_the_fast_path_and_loads_the_same():
    data = (ROOT / "events.yaml").read_bytes()
    assert fast_timeline(data.decode(), "events.yaml", ROOT, MAX_DEPTH) is not None
    same(*both_paths(data, "events.yaml", ROOT))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_files_load_the_same(tmp_path, seed):
    path = tmp_path / "synthetic.yaml"
    write_synthetic(400, seed, path)
    data = path.read_bytes()
    assert fast_timeline(data.decode(), path.name, tmp_path, MAX_DEPTH) is not None
    same(*both_paths(data, path.name, tmp_path))


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_invalid_or_unusual_files_step_aside(path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    fast = fast_timeline(text, path.name, path.parent, MAX_DEPTH)
    exact = parse_timeline(data, path.name, path.parent, use_fast_path=False)
    if fast is not None:
        assert exact.problems == [], "the fast path accepted a file the exact path flags"
        same(fast, exact)


NASTY = [
    "plain words",
    "a: colon",
    "hash # inside",
    "- dash first",
    "no",
    "10:30",
    "012",
    "~",
    '"double"',
    "'single'",
    "back\\slash",
    "tab\there",
    "line\nbreak",
    "nel\x85here",
    "ls\u2028here",
    "emoji 🙂",
    "Кириличний текст",
    "trailing space ",
    " leading",
    "1e3",
    "0o17",
    "2022-09-11",
    "yes please",
    "null",
    "%{x} <b>b</b> $5",
]


@pytest.mark.parametrize("text", NASTY)
def test_written_events_load_the_same_on_both_paths(tmp_path, text):
    article = tmp_path / "article.txt"
    article.write_text(f"Intro. {text} End.", encoding="utf-8")
    base = (
        b"sources:\n  - id: s\n    outlet: O\n    published: 2022-09-12\n"
        b"    published_note: n\n    file: article.txt\n"
        b"stories:\n  - id: st\n    title: T\n    date: 2022\nevents:\n"
    )
    block = event_block({
        "id": "e", "title": text, "date": "2022-09-11", "stories": ["st"], "category": "other",
        "sources": [{"source": "s", "quote": text, "quoted": text}], "notes": text,
    })  # fmt: skip
    data = plan_append(base, [block], "events.yaml", tmp_path)
    fast, exact = both_paths(data, "events.yaml", tmp_path)
    same(fast, exact)
    assert exact.events[0].title == text


@pytest.mark.parametrize(
    ("spec", "fields"),
    [
        ("_SOURCE", "SOURCE_FIELDS"), ("_PLACE", "PLACE_FIELDS"), ("_ACTOR", "ACTOR_FIELDS"),
        ("_STORY", "STORY_FIELDS"), ("_EVENT", "EVENT_FIELDS"), ("_CITATION", "CITATION_FIELDS"),
        ("_FIGURE", "FIGURE_FIELDS"), ("_LINK", "LINK_FIELDS"),
    ],
)  # fmt: skip
def test_fast_path_knows_the_same_fields_as_the_validator(spec, fields):
    fast, exact = getattr(fastload, spec), getattr(load_module, fields)
    assert fast.allowed == set(exact)
    assert set(fast.required) == {field for field, required in exact.items() if required}


def test_small_files_never_reach_the_native_parser(monkeypatch):
    monkeypatch.setattr(load_module, "fast_timeline", lambda *args: pytest.fail("fast path"))
    parse_timeline((ROOT / "events.yaml").read_bytes(), "events.yaml", ROOT)


def test_an_empty_text_steps_aside():
    assert fast_timeline("", "e.yaml", ROOT, MAX_DEPTH) is None
    assert fast_timeline("  \n", "e.yaml", ROOT, MAX_DEPTH) is None


@pytest.mark.parametrize(
    ("written", "spelled"),
    [
        ("    lat: 48.3794", '    "lat": 4.8e1'),
        ("    lat: 48.3794", "    'lat': 4.8e1"),
        ("    lat: 48.3794", "    lat : 4.8e1"),
        ("    lat: 48.3794", "    lat:\n      4.8e1"),
        ("    lat: 48.3794", "    lat: +48.3794"),
        ("    lat: 48.3794", "    lat: 048"),
        ("    lat: 48.3794", "    lat: 0o60"),
        ("    lat: 48.3794", "    lat: 4_8"),
        ("    lat: 48.3794", "    lat: .5"),
        ("    lat: 48.3794", "    lat: 48.3794  # a comment"),
        ("        value: 500", '        "value": 5e2'),
        ("        value: 500", "        value :  5e2"),
        ("        value: 500", "        value:\n          5E2"),
        ("        value: 500", '        "val\\x75e": 5e2'),
        ('    date: "2014"', "    date: 02014"),
        ('    date: "2014"', '    "date": 02014'),
        ('    date: "2014"', "    date:\n      0x7DE"),
        ('    date: "2014"', "    date: 2014"),
    ],
)
def test_numbers_load_the_same_however_their_keys_and_values_are_spelled(written, spelled):
    """YAML 1.2 (yaml-rs) reads 5e2, 0o60 or 02014 as numbers where YAML 1.1 does not, or
    reads them differently: the fast path must step aside however the key is written."""
    data = (ROOT / "events.yaml").read_text(encoding="utf-8")
    assert written in data
    changed = data.replace(written, spelled, 1).encode()
    same(*both_paths(changed, "events.yaml", ROOT))


# How a figure's value may be written: the key quoted or spaced, the value on the next line.
VALUE_LINES = [
    "value: {}",
    '"value": {}',
    "'value': {}",
    "value :  {}",
    "value:\n          {}",
]
NUMBER_LIKE = r"[-+]?[._0-9]{1,4}(?:[eE][-+]?[0-9]{1,2}|[oxb][0-9a-fA-F]{1,3})?"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=st.sampled_from(VALUE_LINES), spelling=st.from_regex(NUMBER_LIKE, fullmatch=True))
def test_any_spelling_of_a_figure_loads_the_same_on_both_paths(line, spelling):
    data = (ROOT / "events.yaml").read_text(encoding="utf-8")
    changed = data.replace("value: 500", line.format(spelling), 1).encode()
    same(*both_paths(changed, "events.yaml", ROOT))
