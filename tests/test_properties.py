"""Properties of loading and appending, for any file hypothesis can make.

- Loading never raises: for any text, any bytes, and any events file built from the data model
  and then mutated (lines deleted, duplicated, re-indented, truncated, tagged, aliased…),
  `parse_timeline` returns a Timeline whose problems all have a line >= 0, a column >= 0 and a
  message, in line order, whose events are in sort_key order, and whose kept events refer only
  to kept records.
- A file generated valid loads with every one of its events, the same through the fast path and
  the exact path.
- Sorting is a stable permutation: the valid events, ordered by first day, part of day, last day,
  with file order kept for ties.
- Anything added through `event_block` + `plan_append` reloads identical, whatever the text holds
  (line breaks, `: `, `#`, `- `, U+0085, U+2028, quotes, YAML 1.1 words).

Budget: the local run of this file stays under about 20 s; with CI set (where hypothesis loads
its derandomized "ci" profile) every property runs EXAMPLES_SCALE times as many examples.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import ARTICLE, parses_as_date
from tests.test_write import BASE
from timeline.dates import PARTS_OF_DAY, Precision, parse_date
from timeline.load import parse_timeline
from timeline.model import (
    CATEGORIES,
    ORIGINS,
    PLACE_KINDS,
    QUALIFIERS,
    RELATIONS,
    SIDES,
    STATUSES,
    Timeline,
)
from timeline.synth import written_point
from timeline.write import event_block, plan_append

EXAMPLES_SCALE = 2 if os.environ.get("CI") else 1


def budget(examples: int):
    """Settings for one property: `examples` locally, EXAMPLES_SCALE times that under CI."""
    return settings(
        max_examples=examples * EXAMPLES_SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


def check_promises(timeline: Timeline) -> None:
    """What every Timeline parse_timeline returns must hold, whatever it was given."""
    for problem in timeline.problems:
        assert problem.line >= 0, problem
        assert problem.column >= 0, problem
        assert problem.message.strip(), problem
    where = [(problem.line, problem.column) for problem in timeline.problems]
    assert where == sorted(where), "problems are reported in line order"
    keys = [event.sort_key for event in timeline.events]
    assert keys == sorted(keys), "events are in sort_key order"
    kept = {event.id for event in timeline.events}
    assert len(kept) == len(timeline.events), "event ids are unique"
    for event in timeline.events:
        assert set(event.stories) <= set(timeline.stories), event.id
        assert set(event.places) <= set(timeline.places), event.id
        assert set(event.actors) <= set(timeline.actors), event.id
        assert {c.source for c in event.sources} <= set(timeline.sources), event.id
        assert {f.source for f in event.figures} <= set(timeline.sources), event.id
        assert {link.event for link in event.links} <= kept, event.id


def same_records(first: Timeline, second: Timeline) -> None:
    for section in ("problems", "sources", "places", "actors", "stories", "events"):
        assert getattr(first, section) == getattr(second, section), section


# Building blocks

# Pieces that break naive YAML writers and readers, mixed with any character.
TRICKY = [
    "\n", "\r\n", "\t", "\x85", "\u2028", "\u2029", "\x00", "\x07", "\xa0", "\ufeff", "\u200b",
    ": ", " #", "#", "- ", "-", "? ", ":", "'", '"', "\\", "~", " ", "no", "Yes", "on", "null",
    "10:30", "012", "1e3", "0x1F", ".nan", "2022-09-11", "<<", "&a", "*a", "!!binary", "!foo",
    "|", ">", "%", "@", "`", "[", "]", "{", "}", ",", "’", "Київ", "🙂",
    "<script>alert(1)</script>", "%{x}", "$5 and $10", "<b>bold</b>",
]  # fmt: skip
# YAML's indicators, line breaks and look-alikes, for text that is mostly punctuation.
YAML_CHARACTERS = "-?:,[]{}#&*!|>'\"%@` \t\n\r\x85\u2028\ufeff0123456789.~<=+\\/abcdefxyz"

pieces = st.one_of(st.characters(codec="utf-8"), st.sampled_from(TRICKY))
any_text = st.lists(pieces, min_size=1, max_size=12).map("".join)
# Text the validator must accept as text: not blank.
texts = any_text.filter(lambda text: bool(text.strip()))
slugs = st.from_regex(r"[a-z0-9]{1,6}(?:-[a-z0-9]{1,6}){0,2}", fullmatch=True)


ANY_YEAR = st.integers(1, 9999)
# Every precision of one end of a date, the plainest first (hypothesis shrinks towards it).
POINT_PRECISIONS = [
    Precision.DAY, Precision.PART_OF_DAY, Precision.WEEK, Precision.PART_OF_MONTH,
    Precision.MONTH, Precision.YEAR,
]  # fmt: skip


@st.composite
def date_points(draw, years=ANY_YEAR) -> str:
    """One end of a date of the data model, in any of its forms."""
    year = draw(years)
    day = draw(st.dates(min_value=parse_date(f"{year:04d}").first,
                        max_value=parse_date(f"{year:04d}").last))  # fmt: skip
    precision = draw(st.sampled_from(POINT_PRECISIONS))
    return written_point(day, precision, lambda parts: draw(st.sampled_from(parts)))


@st.composite
def dates(draw, years=ANY_YEAR) -> str:
    """A date of the data model: a point or a range, maybe approximate."""
    start = draw(date_points(years))
    text = start
    if draw(st.booleans()):
        end = draw(date_points(years))
        first, last = parse_date(start), parse_date(end)
        if last.last < first.first:
            start, end = end, start
        text = f"{start} .. {end}"
    return ("~" if draw(st.booleans()) else "") + text


# What people type where a date is expected: datetimes, time zones, impossible days.
BAD_DATES = st.one_of(
    st.datetimes().map(lambda moment: moment.isoformat(sep=draw_sep(moment))),
    st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat()),
    st.sampled_from(
        [
            "2022-02-30",
            "2022-13",
            "2022-W54",
            "0000-01-01",
            "2022-09-11 noon",
            "2022-09 .. 2022-08",
            "..",
            "~",
            "",
            "2022-09-11..",
            "9999-W52",
            "2022-09-11T22:30:00+03:00",
            "2022-09-11 10:30:00 -5",
        ]
    ),
)


def draw_sep(moment) -> str:
    return " " if moment.microsecond % 2 else "T"


# Properties: loading never raises


@budget(300)
@given(text=st.one_of(st.text(max_size=300), st.text(YAML_CHARACTERS, max_size=300)))
def test_any_text_loads_without_raising(text):
    check_promises(parse_timeline(text.encode("utf-8", "surrogatepass"), "events.yaml"))


@budget(300)
@given(data=st.binary(max_size=400))
def test_any_bytes_load_without_raising(data):
    check_promises(parse_timeline(data, "events.yaml"))


@st.composite
def documents(draw) -> dict:
    """An events file as plain data, valid by construction (its quotes are all in article.txt)."""
    ids = {
        section: draw(st.lists(slugs, min_size=low, max_size=high, unique=True))
        for section, low, high in (("sources", 1, 3), ("places", 0, 3), ("actors", 0, 3),
                                   ("stories", 1, 2), ("events", 0, 5))
    }  # fmt: skip
    optional = st.one_of(st.none(), texts)

    def maybe(**fields) -> dict:
        return {key: value for key, value in fields.items() if value is not None}

    sources = [
        maybe(id=source_id, outlet=draw(texts), published=draw(dates()),
              published_note=draw(texts), headline=draw(optional), file="article.txt",
              url=draw(st.sampled_from([None, "https://example.org/a", "http://example.org/"])),
              author=draw(optional), note=draw(optional))
        for source_id in ids["sources"]
    ]  # fmt: skip
    places = [
        maybe(id=place_id, name=draw(texts), kind=draw(st.sampled_from(PLACE_KINDS)),
              country=draw(texts), lat=draw(st.floats(-90, 90)), lon=draw(st.floats(-180, 180)),
              region=draw(optional), aliases=draw(st.lists(texts, max_size=2)) or None)
        for place_id in ids["places"]
    ]  # fmt: skip
    actors = [
        maybe(id=actor_id, name=draw(texts), side=draw(st.sampled_from(SIDES)))
        for actor_id in ids["actors"]
    ]
    stories = [
        maybe(id=story_id, title=draw(texts), date=draw(dates()), description=draw(optional))
        for story_id in ids["stories"]
    ]
    events = []
    for event_id in ids["events"]:
        when = draw(dates())
        cited = draw(st.lists(st.sampled_from(ids["sources"]), min_size=1, max_size=2))
        citations = [
            maybe(source=source_id, quote=draw(texts), quoted=draw(optional),
                  date=when if draw(st.booleans()) else None)
            for source_id in cited
        ]  # fmt: skip
        figures = [
            maybe(measure=draw(slugs),
                  value=draw(st.one_of(st.integers(-10**12, 10**12),
                                       st.floats(allow_nan=False, allow_infinity=False))),
                  unit=draw(texts), claimed_by=draw(texts), source=draw(st.sampled_from(cited)),
                  qualifier=draw(st.one_of(st.none(), st.sampled_from(QUALIFIERS))))
            for _ in range(draw(st.integers(0, 2)))
        ]  # fmt: skip
        others = [other for other in ids["events"] if other != event_id]
        links = [
            {"event": draw(st.sampled_from(others)), "relation": draw(st.sampled_from(RELATIONS))}
            for _ in range(draw(st.integers(0, 2 if others else 0)))
        ]
        events.append(maybe(
            id=event_id, title=draw(texts), date=when,
            stories=draw(st.lists(st.sampled_from(ids["stories"]), min_size=1, max_size=2,
                                  unique=True)),
            category=draw(st.sampled_from(CATEGORIES)),
            actors=draw(st.lists(st.sampled_from(ids["actors"]), max_size=2)) or None
            if ids["actors"] else None,
            places=draw(st.lists(st.sampled_from(ids["places"]), max_size=2)) or None
            if ids["places"] else None,
            sources=citations, figures=figures or None,
            origin=draw(st.one_of(st.none(), st.sampled_from(ORIGINS))),
            status=draw(st.one_of(st.none(), st.sampled_from(STATUSES))),
            notes=draw(optional), links=links or None,
        ))  # fmt: skip
    document = {"sources": sources, "places": places, "actors": actors, "stories": stories,
                "events": events}  # fmt: skip
    return {key: value for key, value in document.items() if value or key == "events"}


class _Dumper(yaml.SafeDumper):
    """PyYAML's dumper, except that text with U+0085, U+2028 or U+2029 is double-quoted.

    PyYAML writes those raw inside single quotes, where its own reader folds them into a space.
    """


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = '"' if any(char in text for char in "\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _represent_text)


def dumped(document: dict) -> str:
    """The document as block YAML, as a person might have typed it."""
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000)


def article_for(document: dict) -> bytes:
    """An article holding every quote of the document, so every quote is verbatim."""
    quotes = [c["quote"] for event in document["events"] for c in event["sources"]]
    return ("Intro.\n" + "\n".join(quotes) + "\nEnd.\n").encode("utf-8")


def load_with_article(data: bytes, article: bytes, **options) -> Timeline:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "article.txt").write_bytes(article)
        return parse_timeline(data, "events.yaml", folder, **options)


@budget(40)
@given(document=documents())
def test_a_generated_valid_file_loads_every_event_the_same_on_both_paths(document):
    data = dumped(document).encode("utf-8")
    article = article_for(document)
    timeline = load_with_article(data, article)
    assert timeline.errors == [], [str(p) for p in timeline.errors]
    assert all("lies outside story" in p.message for p in timeline.warnings)
    assert sorted(event.id for event in timeline.events) == sorted(
        event["id"] for event in document["events"]
    )
    check_promises(timeline)
    same_records(timeline, load_with_article(data, article, use_fast_path=False))


# Lines a person (or a broken editor, or an attacker) might put anywhere.
HOSTILE_LINES = [
    "  - id: x", "<<: {id: x}", "  <<: *a", "  - &a {id: a}", "  - *a",
    "!!python/object/apply:os.system [x]",
    "    title: !!binary aGk=", "    title: !foo x", "? [a, b]", ": x", "1: x", "null: x", "---",
    "...", "\t- id: tab", "    notes: |", "      block", "    notes: >-", "events: []",
    "events:", "  - [[[[[[", "  - {{{{{{", "#" + "x" * 200, "\ufeffsources:", "%YAML 1.1",
    "    date: 2022-09-11T10:30:00+03:00", "    lat: 1.0e+999", "    value: .nan",
    "    url: javascript:alert(1)", "    file: /dev/null", "    file: .", "    file: ''",
    "    id: Bad Id", "    stories: []", "    sources: ~", "    title: " + "x" * 400,
]  # fmt: skip


@st.composite
def mutated_files(draw) -> tuple[bytes, bytes]:
    """A generated file, with its data changed, then its text broken in a few places."""
    document = draw(documents())
    article = article_for(document)
    for _ in range(draw(st.integers(0, 2))):
        section = draw(st.sampled_from([key for key, items in document.items() if items]))
        record = draw(st.sampled_from(document[section]))
        field = draw(st.sampled_from([*record, "colour", "Title", "qualifer", "id"]))
        record[field] = draw(st.one_of(
            st.none(), st.just([]), st.just({}), st.integers(), st.booleans(), texts,
            BAD_DATES, st.lists(texts, max_size=2), st.just({"nested": {"deeper": [1, 2]}}),
        ))  # fmt: skip
    lines = dumped(document).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, len(lines)))
        kind = draw(st.sampled_from(["delete", "duplicate", "insert", "value", "indent", "chars"]))
        if kind == "delete" and where < len(lines):
            del lines[where]
        elif kind == "duplicate" and where < len(lines):
            lines.insert(where, lines[where])
        elif kind == "insert":
            lines.insert(where, draw(st.sampled_from(HOSTILE_LINES)))
        elif kind == "value" and where < len(lines) and ": " in lines[where]:
            key = lines[where].split(": ", 1)[0]
            value = draw(st.one_of(BAD_DATES, st.sampled_from(TRICKY), any_text))
            lines[where] = f"{key}: {value}"
        elif kind == "indent" and where < len(lines):
            lines[where] = " " * draw(st.integers(0, 70)) + lines[where].lstrip(" ")
        elif kind == "chars":
            line = lines[where] if where < len(lines) else ""
            cut = draw(st.integers(0, len(line)))
            chars = draw(st.text(YAML_CHARACTERS, min_size=1, max_size=8))
            lines[where : where + 1] = [line[:cut] + chars + line[cut:]]
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    if draw(st.integers(0, 3)) == 0:  # half-written: cut anywhere, even inside a character
        data = data[: draw(st.integers(0, len(data)))]
    return data, article


# By far the slowest property (about 4 s on a quiet machine, 14 s on a busy one): not in the
# quick loop, `pytest -m "not slow"`.
@pytest.mark.slow
@budget(100)
@given(mutated=mutated_files())
def test_a_mutated_file_loads_without_raising(mutated):
    data, article = mutated
    timeline = load_with_article(data, article)
    check_promises(timeline)
    if not timeline.problems:
        same_records(timeline, load_with_article(data, article, use_fast_path=False))


# Property: sorting is a stable permutation


def documented_order(dates_in_file: list[str]) -> list[int]:
    """Indices of the valid dates in the README's order, computed without the model's sort_key.

    First possible day; then no part of day, morning, afternoon, evening, night; then the
    shorter span; then file order (sorted() is stable).
    """
    rank = {None: 0, **{part: number for number, part in enumerate(PARTS_OF_DAY, start=1)}}
    keyed = []
    for index, text in enumerate(dates_in_file):
        if not parses_as_date(text):
            continue
        span = parse_date(text)
        part = span.start.part if span.start.precision is Precision.PART_OF_DAY else None
        keyed.append((span.first, rank[part], span.last, index))
    return [index for *_, index in sorted(keyed, key=lambda key: key[:3])]


def file_with_dates(dates_in_file: list[str]) -> str:
    lines = [
        "sources:",
        "  - {id: wire, outlet: Wire, published: 2022-12-31, published_note: dateline}",
        "stories:",
        "  - {id: all, title: All, date: 0001 .. 9999}",
        "events:",
    ]
    for index, text in enumerate(dates_in_file):
        lines += [
            f"  - id: e{index}",
            f"    title: Event {index}",
            f"    date: {text!r}" if text.strip() != text or not text else f"    date: {text}",
            "    stories: [all]",
            "    category: other",
            "    sources: [{source: wire, quote: Something happened.}]",
        ]
    return "\n".join(lines) + "\n"


# Few distinct days, so ties (same day, same part, same span) are common.
close_dates = dates(years=st.integers(2022, 2023)).filter(
    lambda text: parse_date(text).first.year == 2022
)


@budget(150)
@given(
    dates_in_file=st.lists(st.one_of(close_dates, close_dates, BAD_DATES), min_size=1, max_size=12)
)
def test_sorting_is_a_stable_permutation_of_the_valid_events(dates_in_file):
    timeline = parse_timeline(file_with_dates(dates_in_file).encode("utf-8"), "events.yaml")
    check_promises(timeline)
    expected = [f"e{index}" for index in documented_order(dates_in_file)]
    assert [event.id for event in timeline.events] == expected
    assert len(timeline.errors) == len(dates_in_file) - len(expected)


# Property: what the form writes reads back identical


@st.composite
def new_events(draw, taken: set[str]) -> dict:
    """An event for tests.test_write.BASE, every field filled in from any text."""
    when = draw(dates(years=st.integers(1, 9999)))
    optional = st.one_of(st.none(), texts)
    event = {
        "id": draw(slugs.filter(lambda slug: slug not in taken)),
        "title": draw(texts),
        "date": when,
        "stories": ["autumn"],
        "category": draw(st.sampled_from(CATEGORIES)),
        "actors": draw(st.sampled_from([None, ["ukraine-armed-forces"]])),
        "places": draw(st.sampled_from([None, ["izium"]])),
        "sources": [
            {
                "source": "art",
                "quote": draw(texts),
                "quoted": draw(optional),
                "date": when if draw(st.booleans()) else None,
            }
            for _ in range(draw(st.integers(1, 2)))
        ],
        "figures": [
            {
                "measure": draw(slugs),
                "value": draw(
                    st.one_of(
                        st.integers(-(10**15), 10**15),
                        st.floats(allow_nan=False, allow_infinity=False),
                    )
                ),
                "unit": draw(texts),
                "claimed_by": draw(texts),
                "source": "art",
                "qualifier": draw(st.one_of(st.none(), st.sampled_from(QUALIFIERS))),
            }
            for _ in range(draw(st.integers(0, 2)))
        ]
        or None,
        "origin": draw(st.one_of(st.none(), st.sampled_from(ORIGINS))),
        "status": draw(st.one_of(st.none(), st.sampled_from(STATUSES))),
        "notes": draw(optional),
        "links": draw(st.sampled_from([None, [{"event": "first", "relation": "caused"}]])),
    }
    return event


@st.composite
def appends(draw) -> tuple[bytes, list[dict]]:
    """An existing file (LF, CRLF, with a BOM) and one to three new events with distinct ids."""
    base = BASE.encode("utf-8")
    if draw(st.booleans()):
        base = base.replace(b"\n", b"\r\n")
    if draw(st.booleans()):
        base = b"\xef\xbb\xbf" + base
    taken = {"first"}
    events = []
    for _ in range(draw(st.integers(1, 3))):
        event = draw(new_events(taken))
        taken.add(event["id"])
        events.append(event)
    return base, events


def expected_fields(event: dict) -> dict:
    """What the loaded Event should hold for a written event dict."""
    return {
        "title": event["title"],
        "date": parse_date(event["date"]),
        "stories": tuple(event["stories"]),
        "category": event["category"],
        "actors": tuple(event["actors"] or ()),
        "places": tuple(event["places"] or ()),
        "sources": [(c["source"], c["quote"], c["quoted"],
                     parse_date(c["date"]) if c["date"] else None) for c in event["sources"]],
        "figures": [(f["measure"], float(f["value"]), f["unit"], f["claimed_by"], f["source"],
                     f["qualifier"]) for f in event["figures"] or ()],
        "origin": event["origin"] or "curated",
        "status": event["status"] or "reported",
        "notes": event["notes"],
        "links": [(link["event"], link["relation"]) for link in event["links"] or ()],
    }  # fmt: skip


def loaded_fields(event) -> dict:
    return {
        "title": event.title, "date": event.date, "stories": event.stories,
        "category": event.category, "actors": event.actors, "places": event.places,
        "sources": [(c.source, c.quote, c.quoted, c.date) for c in event.sources],
        "figures": [(f.measure, f.value, f.unit, f.claimed_by, f.source, f.qualifier)
                    for f in event.figures],
        "origin": event.origin, "status": event.status, "notes": event.notes,
        "links": [(link.event, link.relation) for link in event.links],
    }  # fmt: skip


@budget(60)
@given(appended=appends())
def test_events_added_through_the_form_writer_reload_identical(appended):
    base, events = appended
    assume(all(len(event["title"]) <= 300 for event in events))
    quotes = [c["quote"] for event in events for c in event["sources"]]
    article = (ARTICLE + "\n" + "\n".join(quotes) + "\nArticle end.\n").encode("utf-8")
    blocks = [event_block(event) for event in events]
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "article.txt").write_bytes(article)
        new_data = plan_append(base, blocks, "events.yaml", folder)
        timeline = parse_timeline(new_data, "events.yaml", folder)
    assert new_data.startswith(base), "every existing byte is kept"
    assert timeline.errors == []
    check_promises(timeline)
    loaded = {event.id: event for event in timeline.events}
    for event in events:
        assert loaded_fields(loaded[event["id"]]) == expected_fields(event)
