"""Exports: TimelineJS as objects, iCalendar read back by `icalendar`, GeoJSON, CSV/JSON rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from tests.conftest import ROOT, WIRE_SOURCE
from timeline import export
from timeline.cli import main
from timeline.dates import parse_date
from timeline.export import (
    COLUMN_NAMES,
    NoEvents,
    UnknownStory,
    flat_rows,
    fold_ics_line,
    from_csv,
    from_json,
    ics_text,
    story_events,
    timelinejs_dates,
    to_csv,
    to_geojson,
    to_ics,
    to_json,
    to_timelinejs,
)
from timeline.load import load_timeline, parse_timeline
from timeline.model import Timeline
from timeline.synth import write_synthetic

icalendar = pytest.importorskip("icalendar", reason="pip install icalendar (requirements-dev)")

# Every precision, a one-day story, and text that needs escaping in HTML, iCalendar and CSV.
QUIRKS_YAML = (
    "\nsources:\n"
    + WIRE_SOURCE
    + r"""  - id: paper
    outlet: The Paper, Kyiv; Evening Edition
    published: 2022-11
    published_note: only the month is known
places:
  - {id: kharkiv, name: Kharkiv, kind: city, country: Ukraine, lat: 49.9935, lon: 36.2304}
  - {id: izium, name: Izium, kind: city, country: Ukraine, lat: 49.2128, lon: 37.2569}
actors:
  - {id: ua, name: Armed Forces of Ukraine, side: ukraine}
stories:
  - id: one-day
    title: A one-day story
    date: 2022-09-11
  - id: autumn
    title: Autumn <2022> & after
    date: 2022-09 .. 2022-11
events:
  - id: year-only
    title: Something in the year
    date: "2022"
    stories: [autumn]
    category: context
    sources: [{source: paper, quote: sometime that year}]
  - id: month
    title: Something in October
    date: 2022-10
    stories: [autumn]
    category: other
    sources: [{source: paper, quote: in October}]
  - id: part-of-month
    title: The offensive begins
    date: 2022-09 early
    stories: [autumn]
    category: advance
    actors: [ua]
    places: [izium]
    sources: [{source: wire, quote: began in early September}]
  - id: week
    title: Power restored
    date: 2022-W36
    stories: [autumn]
    category: infrastructure
    places: [kharkiv]
    sources: [{source: wire, quote: last week}]
  - id: night
    title: Strikes at night
    date: 2022-09-11 night
    stories: [one-day, autumn]
    category: strike
    places: [kharkiv]
    sources: [{source: wire, quote: on Sunday night}]
  - id: coarse-start
    title: From September to the fifteenth
    date: 2022-09 .. 2022-09-15
    stories: [autumn]
    category: other
    sources: [{source: wire, quote: through the 15th}]
  - id: parts-of-one-month
    title: All through September
    date: 2022-09 early .. 2022-09 late
    stories: [autumn]
    category: other
    sources: [{source: wire, quote: all month}]
  - id: approximate-range
    title: Strikes on the grid
    date: ~2022-10 .. 2022-11-15
    stories: [autumn]
    category: strike
    sources:
      - {source: paper, quote: "since October, until the 15th", date: 2022-11-15}
      - {source: wire, quote: in the autumn, date: 2022-10}
  - id: html-and-escapes
    title: Strike on "A&B" <script>alert(1)</script>
    date: 2022-09-10 .. 2022-09-11
    stories: [autumn]
    category: strike
    actors: [ua]
    places: [kharkiv, izium]
    status: disputed
    sources:
      - source: wire
        quote: "He said: \"a, b; c\\d\" and <b>more</b> | a bar\nsecond line"
        quoted: Officer <i>X</i>
      - source: paper
        quote: "Кременчук — “quoted” ’s text, repeated: Кременчук — “quoted” ’s text,
          repeated: Кременчук — “quoted” ’s text."
    figures:
      - {measure: deaths, value: 3, unit: people, qualifier: at-least, claimed_by: A & B,
         source: wire}
    notes: "Notes with a | bar, a \\ backslash; and a, comma"
    links:
      - {event: night, relation: related}
"""
)

REQUIRED_PROPERTIES = [
    "id", "title", "date", "date_start", "date_end", "precision", "category", "status",
    "sources", "outlets",
]  # fmt: skip
GEOJSON_SCHEMA = {
    "type": "object",
    "required": ["type", "features"],
    "not": {"required": ["crs"]},
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": ["string", "number"]},
                    "geometry": {
                        "type": "object",
                        "required": ["type", "coordinates"],
                        "properties": {
                            "type": {"const": "Point"},
                            "coordinates": {
                                "type": "array",
                                "minItems": 2,
                                "maxItems": 3,
                                "prefixItems": [
                                    {"type": "number", "minimum": -180, "maximum": 180},
                                    {"type": "number", "minimum": -90, "maximum": 90},
                                ],
                            },
                        },
                    },
                    "properties": {
                        "type": "object",
                        "required": REQUIRED_PROPERTIES,
                        "properties": {
                            "date_start": {"type": "string", "format": "date"},
                            "date_end": {"type": "string", "format": "date"},
                            "sources": {
                                "type": "array",
                                "minItems": 1,
                                "items": {"type": "object", "required": ["outlet", "quote"]},
                            },
                        },
                    },
                },
            },
        },
    },
}


def quirks_timeline() -> Timeline:
    """The timeline of QUIRKS_YAML (no article files: quotes are not checked)."""
    timeline = parse_timeline(QUIRKS_YAML.encode(), "quirks.yaml")
    assert timeline.ok, [str(problem) for problem in timeline.problems]
    return timeline


def listed(timeline: Timeline) -> list:
    """The events an export holds: rejected ones are left out (read off their status here)."""
    return [event for event in timeline.events if event.status != "rejected"]


@pytest.fixture(scope="module")
def curated() -> Timeline:
    timeline = load_timeline(ROOT / "events.yaml")
    assert timeline.ok
    return timeline


@pytest.fixture(scope="module")
def quirks() -> Timeline:
    return quirks_timeline()


def timelines() -> list[Timeline]:
    return [
        load_timeline(ROOT / "events.yaml"),
        load_timeline(ROOT / "tests" / "data" / "small" / "events.yaml"),
        quirks_timeline(),
    ]


# TimelineJS, as objects


def timelinejs_quirks(document: dict) -> list[str]:
    """What in a TimelineJS document would trip one of TimelineJS's known quirks."""
    found = []

    def check_date(where: str, fields: object) -> None:
        if not isinstance(fields, dict) or "year" not in fields:
            found.append(f"{where}: no year")
            return
        for key, value in fields.items():
            if not isinstance(value, int) or isinstance(value, bool):
                found.append(f"{where}.{key} is {value!r}, not a number")
        if isinstance(fields.get("month"), int) and not 1 <= fields["month"] <= 12:
            found.append(f"{where}: month {fields['month']}")

    def redundant(start: dict, end: dict) -> bool:
        # TimelineJS compares only the start's fields when it drops an end "equal" to the start.
        return all(end.get(key) == value for key, value in start.items())

    for index, slide in enumerate(document["events"]):
        where = f"event {slide.get('unique_id', index)}"
        if "start_date" not in slide:
            found.append(f"{where}: no start_date (TimelineJS drops it silently)")
            continue
        check_date(f"{where}.start_date", slide["start_date"])
        if "end_date" in slide:
            check_date(f"{where}.end_date", slide["end_date"])
            if redundant(slide["start_date"], slide["end_date"]):
                found.append(f"{where}: end_date would be dropped as equal to start_date")
    for index, era in enumerate(document.get("eras", [])):
        where = f"era {index}"
        if "start_date" not in era or "end_date" not in era:
            found.append(f"{where}: eras need both dates")
            continue
        check_date(f"{where}.start_date", era["start_date"])
        check_date(f"{where}.end_date", era["end_date"])
        if redundant(era["start_date"], era["end_date"]):
            found.append(f"{where}: end_date would be dropped, leaving the era without one")
    ids = [slide["unique_id"] for slide in document["events"]]
    if len(set(ids)) != len(ids) or document["title"].get("unique_id") in ids:
        found.append("unique ids repeat")
    return found


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("2022", {"year": 2022}, None),
        ("2022-10", {"year": 2022, "month": 10}, None),
        ("2022-09 early", {"year": 2022, "month": 9}, None),
        ("2022-09-11", {"year": 2022, "month": 9, "day": 11}, None),
        ("2022-09-11 night", {"year": 2022, "month": 9, "day": 11}, None),
        ("~2022-09-11", {"year": 2022, "month": 9, "day": 11}, None),
        ("2022-W36", {"year": 2022, "month": 9, "day": 5}, {"year": 2022, "month": 9, "day": 11}),
        ("2022-W52", {"year": 2022, "month": 12, "day": 26}, {"year": 2023, "month": 1, "day": 1}),
        ("2022-09-10 .. 2022-09-11", {"year": 2022, "month": 9, "day": 10},
         {"year": 2022, "month": 9, "day": 11}),
        ("2022-09-11 .. 2022-09-11", {"year": 2022, "month": 9, "day": 11}, None),
        ("2014 .. 2022-02-23", {"year": 2014}, {"year": 2022, "month": 2, "day": 23}),
        ("2022-09-06 .. 2022-10 early", {"year": 2022, "month": 9, "day": 6},
         {"year": 2022, "month": 10}),
        ("2022-W45 .. 2022-11-15", {"year": 2022, "month": 11, "day": 7},
         {"year": 2022, "month": 11, "day": 15}),
        # A coarse start whose fields the end shares: refined, or TimelineJS drops the end.
        ("2022-09 .. 2022-09-15", {"year": 2022, "month": 9, "day": 1},
         {"year": 2022, "month": 9, "day": 15}),
        ("2022 .. 2022-08", {"year": 2022, "month": 1}, {"year": 2022, "month": 8}),
        # Both ends equal at their precision: a range of days, not a point.
        ("2022-09 early .. 2022-09 late", {"year": 2022, "month": 9, "day": 1},
         {"year": 2022, "month": 9, "day": 30}),
        ("2022 .. 2022", {"year": 2022, "month": 1, "day": 1},
         {"year": 2022, "month": 12, "day": 31}),
        # A coarse end TimelineJS would put before the start (on the 1st): its last day.
        ("2022-09-05 .. 2022-09", {"year": 2022, "month": 9, "day": 5},
         {"year": 2022, "month": 9, "day": 30}),
        ("2022-09-30 .. 2022-09", {"year": 2022, "month": 9, "day": 30}, None),
    ],
)  # fmt: skip
def test_timelinejs_dates(written, start, end):
    assert timelinejs_dates(parse_date(written)) == (start, end)


@pytest.mark.parametrize("timeline", timelines(), ids=lambda timeline: Path(timeline.path).name)
def test_timelinejs_guards_every_quirk(timeline):
    document = to_timelinejs(timeline, timeline.events)
    assert timelinejs_quirks(document) == []
    assert len(document["events"]) == len(listed(timeline))
    assert document["title"]["text"]["headline"]
    json.dumps(document, allow_nan=False)


def test_timelinejs_quirk_checker_catches_each_quirk():
    broken = {
        "title": {"unique_id": "t", "text": {"headline": "T"}},
        "events": [
            {"unique_id": "a", "start_date": {"year": 2022, "month": "Sept"}},
            {"unique_id": "b", "text": {"headline": "no start"}},
            {"unique_id": "c", "start_date": {"year": 2022, "month": 9},
             "end_date": {"year": 2022, "month": 9, "day": 15}},
        ],
        "eras": [{"start_date": {"year": 2022}}],
    }  # fmt: skip
    assert timelinejs_quirks(broken) == [
        "event a.start_date.month is 'Sept', not a number",
        "event b: no start_date (TimelineJS drops it silently)",
        "event c: end_date would be dropped as equal to start_date",
        "era 0: eras need both dates",
    ]


def test_timelinejs_slides(quirks):
    document = to_timelinejs(quirks, quirks.events, title="Autumn & <after>")
    slides = {slide["unique_id"]: slide for slide in document["events"]}
    assert document["title"]["text"]["headline"] == "Autumn &amp; &lt;after&gt;"
    assert [slide["unique_id"] for slide in document["events"]] == [
        event.id for event in quirks.events
    ]
    assert slides["part-of-month"]["display_date"] == "early September 2022"
    assert slides["approximate-range"]["display_date"] == "about October 2022 to 15 November 2022"
    assert slides["week"]["display_date"].startswith("week 36 of 2022")
    assert {slide["group"] for slide in slides.values()} == {e.category for e in quirks.events}
    assert slides["night"]["group"] == "strike"
    escaped = slides["html-and-escapes"]
    assert escaped["text"]["headline"] == (
        "Strike on &quot;A&amp;B&quot; &lt;script&gt;alert(1)&lt;/script&gt;"
    )
    text = escaped["text"]["text"]
    for tag in ("<script", "<b>", "<i>"):
        assert tag not in text
    assert "&lt;b&gt;more&lt;/b&gt;" in text
    assert "Officer &lt;i&gt;X&lt;/i&gt;, in " in text
    link = '<a href="https://example.org/story?a=1&amp;b=2">Wire &amp; Co &lt;Agency&gt;</a>'
    assert link in text
    assert "Кременчук — “quoted” ’s text" in text
    assert "deaths: at-least 3 people, claimed by A &amp; B (wire)" in text


def test_timelinejs_eras_are_the_stories_of_the_events(quirks, curated):
    document = to_timelinejs(quirks, quirks.events)
    eras = {era["text"]["headline"]: era for era in document["eras"]}
    assert eras["A one-day story"]["start_date"] == {"year": 2022, "month": 9, "day": 11, "hour": 0}
    assert eras["A one-day story"]["end_date"] == {
        "year": 2022, "month": 9, "day": 11, "hour": 23, "minute": 59,
    }  # fmt: skip
    assert eras["Autumn &lt;2022&gt; &amp; after"]["end_date"] == {
        "year": 2022, "month": 11, "day": 30,
    }  # fmt: skip
    energy = story_events(curated, "energy-strikes")
    story_ids = {story for event in energy for story in event.stories}
    assert len(to_timelinejs(curated, energy)["eras"]) == len(story_ids)


def test_timelinejs_refuses_an_empty_selection(curated):
    with pytest.raises(NoEvents, match="without events"):
        to_timelinejs(curated, [])


def test_selection_is_chronological_and_unique(curated):
    chosen = [curated.events[5], curated.events[2], curated.events[5]]
    rows = flat_rows(curated, chosen)
    assert [row["id"] for row in rows] == [curated.events[2].id, curated.events[5].id]


def test_unknown_story_says_which_exist(curated):
    with pytest.raises(UnknownStory) as caught:
        story_events(curated, "energy-strike")
    assert str(caught.value) == (
        "unknown story 'energy-strike' (did you mean 'energy-strikes'? expected one of: "
        "context, kharkiv-counteroffensive, kherson-counteroffensive, energy-strikes)"
    )


# iCalendar


def parse_ics(text: str) -> list:
    return icalendar.Calendar.from_ical(text).walk("VEVENT")


@pytest.mark.parametrize("timeline", timelines(), ids=lambda timeline: Path(timeline.path).name)
def test_ics_reads_back_with_icalendar(timeline):
    text = to_ics(timeline, timeline.events)
    vevents = parse_ics(text)
    assert len(vevents) == len(listed(timeline))
    events = {event.id: event for event in timeline.events}
    file_name = Path(timeline.path).name
    for vevent in vevents:
        event_id, _, origin = str(vevent["UID"]).rpartition("@")
        assert origin == file_name
        event = events[event_id]
        start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
        assert type(start) is date, "all-day events carry dates only"
        assert type(end) is date
        assert start == event.date.first
        assert end == event.date.last + timedelta(days=1), "DTEND is exclusive"
        assert str(vevent["SUMMARY"]) == event.title
        description = str(vevent["DESCRIPTION"])
        for citation in event.sources:
            assert citation.quote in description
            assert timeline.sources[citation.source].outlet in description
        assert str(vevent["CATEGORIES"].cats[0]) == event.category


def test_ics_spans_per_precision(quirks):
    vevents = {str(v["UID"]).split("@")[0]: v for v in parse_ics(to_ics(quirks, quirks.events))}

    def days(event_id: str) -> int:
        vevent = vevents[event_id]
        return (vevent.decoded("DTEND") - vevent.decoded("DTSTART")).days

    assert days("night") == 1
    assert days("week") == 7
    assert days("month") == 31
    assert days("part-of-month") == 10
    assert days("year-only") == 365
    assert days("html-and-escapes") == 2
    assert days("approximate-range") == 46


def test_ics_text_survives_escaping_and_folding(quirks):
    vevents = {str(v["UID"]).split("@")[0]: v for v in parse_ics(to_ics(quirks, quirks.events))}
    vevent = vevents["html-and-escapes"]
    assert str(vevent["SUMMARY"]) == 'Strike on "A&B" <script>alert(1)</script>'
    description = str(vevent["DESCRIPTION"])
    assert 'He said: "a, b; c\\d" and <b>more</b> | a bar\nsecond line' in description
    assert "— Officer <i>X</i>, in Wire & Co <Agency>, 12 September 2022" in description
    assert "https://example.org/story?a=1&b=2" in description
    assert "Notes: Notes with a | bar, a \\ backslash; and a, comma" in description
    assert str(vevent["LOCATION"]) == "Kharkiv, Izium"
    assert "GEO" not in vevent, "GEO is given only for a single place"
    assert tuple(vevents["week"].decoded("GEO")) == (49.9935, 36.2304)


def test_ics_lines_are_crlf_and_folded_at_75_octets(curated, quirks):
    for timeline in (curated, quirks):
        text = to_ics(timeline, timeline.events)
        assert text.endswith("\r\n")
        assert text.count("\n") == text.count("\r\n"), "every line ends with CRLF"
        lines = text.split("\r\n")[:-1]
        assert max(len(line.encode("utf-8")) for line in lines) <= 75
        assert any(line.startswith(" ") for line in lines), "long lines are folded"


def test_ics_uids_are_stable(curated):
    first = to_ics(curated, curated.events)
    assert to_ics(load_timeline(ROOT / "events.yaml"), curated.events) == first
    some = listed(curated)[3:9]
    uids = {str(v["UID"]) for v in parse_ics(to_ics(curated, some))}
    assert uids == {f"{event.id}@events.yaml" for event in some}


@pytest.mark.parametrize(
    ("value", "escaped"),
    [
        ("plain", "plain"),
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("back\\slash", "back\\\\slash"),
        ("two\nlines", "two\\nlines"),
        ("crlf\r\nline", "crlf\\nline"),
        ("bell\x07", "bell"),
        ("\\,;", "\\\\\\,\\;"),
    ],
)
def test_ics_text_escaping(value, escaped):
    assert ics_text(value) == escaped


@pytest.mark.parametrize("text", ["й" * 100, "a" * 74 + "€" * 40, "x" * 75, "x" * 76, "😀" * 50])
def test_ics_folding_never_splits_a_character(text):
    folded = fold_ics_line("DESCRIPTION:" + text)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *(piece[1:] for piece in pieces[1:])]) == "DESCRIPTION:" + text


# GeoJSON


@pytest.mark.parametrize("timeline", timelines(), ids=lambda timeline: Path(timeline.path).name)
def test_geojson_is_valid_rfc7946(timeline):
    document = to_geojson(timeline, timeline.events)
    jsonschema.validate(document, GEOJSON_SCHEMA, format_checker=jsonschema.FormatChecker())
    expected = sum(len(event.places) for event in listed(timeline))
    assert len(document["features"]) == expected
    ids = [feature["id"] for feature in document["features"]]
    assert len(set(ids)) == len(ids)
    json.loads(json.dumps(document, allow_nan=False))


def test_geojson_puts_longitude_first(curated):
    document = to_geojson(curated, curated.events)
    kharkiv = [f for f in document["features"] if f["properties"]["place"] == "kharkiv"]
    assert kharkiv
    lon, lat = kharkiv[0]["geometry"]["coordinates"]
    assert lon == pytest.approx(36.2, abs=0.1)
    assert lat == pytest.approx(50.0, abs=0.1)


def test_geojson_properties(quirks):
    document = to_geojson(quirks, quirks.events)
    features = {feature["id"]: feature for feature in document["features"]}
    assert set(features) == {
        "part-of-month/izium", "week/kharkiv", "night/kharkiv", "html-and-escapes/kharkiv",
        "html-and-escapes/izium",
    }  # fmt: skip
    properties = features["week/kharkiv"]["properties"]
    assert properties["date"] == "2022-W36"
    assert (properties["date_start"], properties["date_end"]) == ("2022-09-05", "2022-09-11")
    assert (properties["precision"], properties["category"]) == ("week", "infrastructure")
    assert properties["status"] == "reported"
    assert properties["sources"] == [
        {"source": "wire", "outlet": "Wire & Co <Agency>", "quote": "last week", "quoted": None,
         "url": "https://example.org/story?a=1&b=2", "date": None},
    ]  # fmt: skip
    assert properties["outlets"] == ["Wire & Co <Agency>"]


# CSV and JSON


@pytest.mark.parametrize("timeline", timelines(), ids=lambda timeline: Path(timeline.path).name)
def test_csv_and_json_round_trip(timeline):
    rows = flat_rows(timeline, timeline.events)
    assert from_csv(to_csv(timeline, timeline.events)) == rows
    assert from_json(to_json(timeline, timeline.events)) == rows
    assert len(rows) == len(listed(timeline))
    for row in rows:
        assert list(row) == list(COLUMN_NAMES)
        cited = [row[name] for name in ("sources", "outlets", "quotes", "quoted", "urls")]
        assert {len(items) for items in cited} == {row["n_sources"]}


def test_csv_is_flat_and_readable(quirks):
    text = to_csv(quirks, quirks.events)
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert list(frame.columns) == list(COLUMN_NAMES)
    assert len(frame) == len(quirks.events)
    row = frame.set_index("id").loc["html-and-escapes"]
    assert row["quotes"] == (
        'He said: "a, b; c\\\\d" and <b>more</b> \\| a bar\nsecond line | Кременчук — “quoted” '
        "’s text, repeated: Кременчук — “quoted” ’s text, repeated: Кременчук — “quoted” ’s text."
    )
    assert row["place_names"] == "Kharkiv | Izium"
    assert row["outlets"] == "Wire & Co <Agency> | The Paper, Kyiv; Evening Edition"
    assert row["quoted"] == "Officer <i>X</i> | "
    assert row["links"] == "related night"
    assert row["notes"] == "Notes with a | bar, a \\ backslash; and a, comma"
    assert next(csv.reader(io.StringIO(text)))[0] == "id"
    assert "\r\n" in text


def test_json_keeps_lists(quirks):
    rows = json.loads(to_json(quirks, quirks.events))
    row = next(row for row in rows if row["id"] == "html-and-escapes")
    assert row["places"] == ["kharkiv", "izium"]
    assert row["quoted"] == ["Officer <i>X</i>", ""]
    assert row["figures"] == ["deaths: at-least 3 people, claimed by A & B (wire)"]
    assert row["approximate"] is False
    assert next(r for r in rows if r["id"] == "night")["part_of_day"] == "night"
    assert next(r for r in rows if r["id"] == "year-only")["notes"] is None


def test_from_csv_refuses_other_files():
    with pytest.raises(ValueError, match="CSV lacks the columns"):
        from_csv("id,title\r\na,b\r\n")


def test_docs_list_every_column():
    docs = (ROOT / "docs" / "export.md").read_text(encoding="utf-8")
    for column in export.COLUMNS:
        assert f"| `{column.name}` | {column.kind} | {column.meaning}" in docs


# The command


def run_export(*argv: str, capsysbinary) -> tuple[int, bytes, str]:
    status = main(["export", *argv])
    out, err = capsysbinary.readouterr()
    return status, out, err.decode()


@pytest.mark.parametrize("fmt", list(export.FORMATS))
def test_command_writes_each_format_to_stdout(fmt, curated, capsysbinary):
    status, out, err = run_export(
        "--format", fmt, str(ROOT / "events.yaml"), capsysbinary=capsysbinary
    )
    assert (status, err) == (0, "")
    timeline = load_timeline(ROOT / "events.yaml")
    assert out.decode("utf-8") == export.render(timeline, timeline.events, fmt)


def test_command_story_and_out_file(tmp_path, curated, capsysbinary):
    target = tmp_path / "energy.ics"
    status, out, err = run_export(
        "--format", "ics", "--story", "energy-strikes", "--out", str(target),
        str(ROOT / "events.yaml"), capsysbinary=capsysbinary,
    )  # fmt: skip
    energy = [e for e in story_events(curated, "energy-strikes") if e.status != "rejected"]
    assert (status, err) == (0, "")
    assert out.decode() == f"{target}: {len(energy)} events from {ROOT / 'events.yaml'} as ics\n"
    data = target.read_bytes()
    assert data.count(b"\r\n") == data.count(b"\n"), "CRLF kept byte for byte"
    calendar = icalendar.Calendar.from_ical(data)
    assert len(calendar.walk("VEVENT")) == len(energy)
    assert str(calendar["X-WR-CALNAME"]) == "October–November strikes on the energy grid"


def test_command_defaults_to_events_yaml(monkeypatch, capsysbinary):
    monkeypatch.chdir(ROOT)
    status, out, _ = run_export("--format", "json", "--out", "-", capsysbinary=capsysbinary)
    assert status == 0
    assert len(json.loads(out)) == len(listed(load_timeline(ROOT / "events.yaml")))


def test_command_refuses_an_invalid_file(tmp_path, capsysbinary):
    for path in (ROOT / "tests" / "data" / "small").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    broken = tmp_path / "broken.yaml"
    text = (tmp_path / "events.yaml").read_text()
    broken.write_text(text.replace("date: 2022-W36", "date: 2022-W99"))
    status, out, err = run_export("--format", "csv", str(broken), capsysbinary=capsysbinary)
    assert (status, out) == (1, b"")
    assert err.splitlines() == [
        f"{broken}:70:11: error: event 'power-restored': date '2022-W99' has no week 99 "
        "(2022 has 52 ISO weeks)",
        f"{broken}: invalid: 1 error; nothing exported",
    ]


def test_command_refuses_an_unknown_story(capsysbinary):
    status, out, err = run_export(
        "--format", "timelinejs", "--story", "nope", str(ROOT / "events.yaml"),
        capsysbinary=capsysbinary,
    )  # fmt: skip
    assert (status, out) == (1, b"")
    assert err.startswith(f"{ROOT / 'events.yaml'}: error: unknown story 'nope' (expected one of:")


def test_command_refuses_timelinejs_without_events(tmp_path, capsysbinary):
    empty = tmp_path / "empty.yaml"
    write_synthetic(0, 1, empty)
    status, out, err = run_export("--format", "timelinejs", str(empty), capsysbinary=capsysbinary)
    assert (status, out) == (1, b"")
    assert err == (
        f"{empty}: error: no events to export (TimelineJS cannot show a timeline without events)\n"
    )


def test_command_reports_an_unwritable_output(tmp_path, capsysbinary):
    target = tmp_path / "missing-folder" / "out.csv"
    status, _, err = run_export(
        "--format", "csv", "--out", str(target), str(ROOT / "events.yaml"),
        capsysbinary=capsysbinary,
    )  # fmt: skip
    assert status == 1
    assert err == f"{target}: error: cannot write: No such file or directory\n"


def test_render_refuses_an_unknown_format(curated):
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        export.render(curated, curated.events, "xml")


EDGE_YAML = """
sources:
  - {id: s, outlet: S, published: 9999-12-31, published_note: test}
stories:
  - {id: all, title: All time, date: 0001 .. 9999}
events:
  - {id: first-days, title: First days, date: 0001-01-01 .. 0001-01-03, stories: [all],
     category: other, sources: [{source: s, quote: q}]}
  - {id: year-500, title: Year 500, date: "0500", stories: [all], category: other,
     sources: [{source: s, quote: q}]}
  - {id: last-day, title: Last day, date: 9999-12-31, stories: [all], category: other,
     sources: [{source: s, quote: q}]}
  - {id: last-month, title: Last month, date: 9999-12, stories: [all], category: other,
     sources: [{source: s, quote: q}]}
"""


def test_exports_at_the_ends_of_the_calendar():
    timeline = parse_timeline(EDGE_YAML.encode(), "edge.yaml")
    assert timeline.ok, [str(problem) for problem in timeline.problems]
    text = to_ics(timeline, timeline.events)
    assert "DTSTART;VALUE=DATE:05000101\r\n" in text
    vevents = {str(v["UID"]).split("@")[0]: v for v in parse_ics(text)}
    assert vevents["first-days"].decoded("DTSTART") == date(1, 1, 1)
    assert vevents["first-days"].decoded("DTEND") == date(1, 1, 4)
    assert "DTEND" not in vevents["last-day"], "no day after 9999-12-31: DURATION instead"
    assert vevents["last-day"].decoded("DURATION") == timedelta(days=1)
    assert vevents["last-month"].decoded("DURATION") == timedelta(days=31)
    document = to_timelinejs(timeline, timeline.events)
    assert timelinejs_quirks(document) == []
    assert from_csv(to_csv(timeline, timeline.events)) == flat_rows(timeline, timeline.events)
