"""The published page as text: every event and quote there, hostile text inert, nothing fetched,
same bytes each time; its layout functions; the `publish` command's output and exit statuses."""

from __future__ import annotations

import dataclasses
import html
import itertools
import json
import re
from datetime import date

import pytest

from tests.conftest import ROOT, WIRE_SOURCE, copy_small
from timeline import publish
from timeline.cli import main
from timeline.dates import parse_date
from timeline.export import NoEvents, UnknownStory, export_file_name
from timeline.load import load_timeline, parse_timeline
from timeline.model import Event, Figure, Timeline
from timeline.publish import (
    CONTENT_SECURITY_POLICY,
    MAP_HEIGHT,
    MAP_WIDTH,
    MapProjection,
    TooManyEvents,
    axis_ticks,
    date_words,
    figure_words,
    file_size_words,
    label_positions,
    map_places,
    map_view,
    measure_words,
    publish_html,
    scale_bar,
    stack_rows,
    strip_layout,
)
from timeline.synth import write_synthetic

KHARKIV = "kharkiv-counteroffensive"
LS, PS = "\u2028", "\u2029"

# Text a hand-edited file may hold that HTML, JSON in a script, or a URL would misread.
HOSTILE_YAML = (
    "\nsources:\n"
    + WIRE_SOURCE
    + r"""  - id: paper
    outlet: "</script><b>Paper</b>"
    published: 2022-11
    published_note: only the month is known
places:
  - {id: kharkiv, name: "Kharkiv <i>", kind: city, country: Ukraine, lat: 49.9935,
     lon: 36.2304}
  - {id: ukraine, name: Ukraine, kind: country, country: Ukraine, lat: 48.3794, lon: 31.1656}
actors:
  - {id: ua, name: "Armed Forces & <Co>", side: ukraine}
stories:
  - id: hostile
    title: "Hostile </script> story"
    date: 2022-09
    description: "<img src=x onerror=alert(1)> & more"
events:
  - id: script-title
    title: "</script><script>alert(1)</script>"
    date: 2022-09-10
    stories: [hostile]
    category: strike
    actors: [ua]
    places: [kharkiv, ukraine]
    sources:
      - source: wire
        quote: "A line\u2028separator, a paragraph\u2029separator, <!-- and --> a comment"
        quoted: "Officer <i>X</i>"
    figures:
      - {measure: deaths, value: 3, unit: people, qualifier: at-least,
         claimed_by: "A & B", source: wire}
  - id: entity-title
    title: "Already escaped &amp; &lt;b&gt; 'quoted' \"double\""
    date: ~2022-09 early
    stories: [hostile]
    category: other
    sources:
      - source: paper
        quote: "</SCRIPT ><script>alert(2)</script>"
    notes: "Notes with <b>markup</b> & an ampersand"
"""
)


@pytest.fixture(scope="module")
def hostile() -> Timeline:
    timeline = parse_timeline(HOSTILE_YAML.encode("utf-8"), "hostile.yaml")
    assert timeline.problems == [], "\n".join(map(str, timeline.problems))
    return timeline


@pytest.fixture(scope="module")
def kharkiv_page(curated: Timeline) -> str:
    return publish_html(curated, KHARKIV)


def page_data(page: str) -> dict:
    """The JSON the page's script reads, parsed as the browser's JSON.parse would."""
    block = re.search(r'<script type="application/json" id="story-data">(.*?)</script>', page, re.S)
    assert block is not None
    return json.loads(block.group(1))


def in_story(timeline: Timeline, story: str) -> list[Event]:
    """A story's events as a page shows them: in date order, rejected ones left out."""
    return sorted(
        (e for e in timeline.events if story in e.stories and e.status != "rejected"),
        key=lambda event: event.sort_key,
    )


# What the page shows


def test_every_event_of_the_story_in_date_order(curated, kharkiv_page):
    events = in_story(curated, KHARKIV)
    data = page_data(kharkiv_page)["events"]
    assert [item["id"] for item in data] == [event.id for event in events]
    assert [item["title"] for item in data] == [event.title for event in events]
    for event in events:
        assert f">{html.escape(event.title)}</text>" in kharkiv_page, event.id
        assert f'href="#{event.id}"' in kharkiv_page


def test_a_view_publishes_only_its_events_under_the_story_title(curated):
    chosen = [e for e in in_story(curated, KHARKIV) if e.category == "advance"][::-1]
    page = publish_html(curated, KHARKIV, events=chosen)
    data = page_data(page)["events"]
    assert [item["id"] for item in data] == [e.id for e in reversed(chosen)], "in date order"
    assert "<h1>September Kharkiv counteroffensive</h1>" in page


def test_every_quote_with_its_outlet(curated, kharkiv_page):
    data = {item["id"]: item for item in page_data(kharkiv_page)["events"]}
    for event in in_story(curated, KHARKIV):
        quotes = data[event.id]["quotes"]
        assert [q["text"] for q in quotes] == [c.quote for c in event.sources]
        assert [q["quoted"] for q in quotes] == [c.quoted or "" for c in event.sources]
        outlets = [curated.sources[c.source].outlet for c in event.sources]
        assert [q["outlet"] for q in quotes] == outlets


def test_header_names_the_story_its_span_and_counts(kharkiv_page):
    assert "<h1>September Kharkiv counteroffensive</h1>" in kharkiv_page
    assert "6 September 2022 to early October 2022 · 41 events · 5 sources" in kharkiv_page
    assert "<title>September Kharkiv counteroffensive</title>" in kharkiv_page


def test_all_events_and_a_chosen_title(curated):
    page = publish_html(curated, title="Ukraine, autumn 2022")
    assert "<h1>Ukraine, autumn 2022</h1>" in page
    listed = [event for event in curated.events if event.status != "rejected"]
    assert len(page_data(page)["events"]) == len(listed)
    assert "<h1>All events</h1>" in publish_html(curated)


def test_story_mode_event_in_words(curated, kharkiv_page):
    data = {item["id"]: item for item in page_data(kharkiv_page)["events"]}
    assert data["kharkiv-tec5-strike"]["date"] == "11 September 2022 (day)"
    assert data["shelling-kills-civilians"]["date"] == (
        "late August 2022 to 12 September 2022 (range, approximate)"
    )
    assert data["kharkiv-tec5-strike"]["places"] == [
        "Kharkiv TEC-5", "Kharkiv", "Kharkiv Oblast", "Donetsk Oblast",
    ]  # fmt: skip
    assert data["kharkiv-tec5-strike"]["figures"][0]["amount"] == "at least 1 person"
    assert data["zaluzhnyi-3000-km2"]["figures"][0] == {
        "measure": "Territory retaken",
        "amount": "more than 3,000 km²",
        "claimedBy": "Valerii Zaluzhnyi (as Valeriy Zaluzhniy)",
        "outlet": "Radio Free Europe/Radio Liberty (RFE/RL)",
    }


# Hostile text stays text


def test_hostile_text_cannot_close_the_script_or_add_markup(hostile):
    page = publish_html(hostile, "hostile")
    assert page.count("<script") == 2, "the data block and the page's own script, nothing else"
    assert page.count("</script>") == 2
    assert "<script>alert" not in page
    assert "<b>" not in page
    assert "<i>" not in page
    assert "<img" not in page
    assert "<!--" not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</text>" in page
    assert "<h1>Hostile &lt;/script&gt; story</h1>" in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; more" in page


def test_hostile_text_survives_the_round_trip_unchanged(hostile):
    data = page_data(publish_html(hostile, "hostile"))["events"]
    by_id = {item["id"]: item for item in data}
    assert by_id["script-title"]["title"] == "</script><script>alert(1)</script>"
    assert by_id["entity-title"]["title"] == "Already escaped &amp; &lt;b&gt; 'quoted' \"double\""
    assert by_id["script-title"]["quotes"][0]["text"] == (
        f"A line{LS}separator, a paragraph{PS}separator, <!-- and --> a comment"
    )
    assert by_id["entity-title"]["quotes"][0]["outlet"] == "</script><b>Paper</b>"


def test_line_and_paragraph_separators_are_escaped(hostile):
    page = publish_html(hostile, "hostile")
    assert LS not in page
    assert PS not in page
    assert "\\u2028" in page
    assert "\\u2029" in page


def test_already_escaped_entities_are_escaped_again(hostile):
    page = publish_html(hostile, "hostile")
    assert "Already escaped &amp;amp; &amp;lt;b&amp;gt;" in page


# Nothing leaves the page


def external_references(page: str) -> list[tuple[str, str]]:
    """(tag, address) of every src= and href= that is not a link to a place in the page."""
    found = []
    for tag in re.finditer(r"<([a-zA-Z]+)\b[^>]*>", page):
        for attribute in re.finditer(r'\b(src|href)\s*=\s*"([^"]*)"', tag.group(0)):
            if not attribute.group(2).startswith("#"):
                found.append((tag.group(0), attribute.group(2)))
    return found


def test_no_request_only_links_to_the_sources(hostile, kharkiv_page):
    assert external_references(kharkiv_page) == [], "no curated source has a URL"
    page = publish_html(hostile, "hostile")
    references = external_references(page)
    assert [address for _, address in references] == ["https://example.org/story?a=1&amp;b=2"]
    assert all(tag.startswith("<a ") for tag, _ in references)
    assert all('rel="noopener noreferrer"' in tag for tag, _ in references)
    for forbidden in ("<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", "src="):
        assert forbidden not in page.replace("&lt;img src=x", ""), forbidden


def test_content_security_policy_forbids_every_fetch(kharkiv_page):
    assert CONTENT_SECURITY_POLICY.startswith(
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"
    )
    head = kharkiv_page.split("</head>")[0]
    assert (
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">' in head
    )
    assert head.index("Content-Security-Policy") < head.index("<style>")


def test_only_web_addresses_become_links(hostile):
    wire = hostile.sources["wire"]
    unsafe = dataclasses.replace(
        hostile, sources={**hostile.sources, "wire": dataclasses.replace(
            wire, url="javascript:alert(document.domain)")},
    )  # fmt: skip
    page = publish_html(unsafe, "hostile")
    assert "javascript:" not in page
    assert page_data(page)["events"][1]["quotes"][0]["url"] == ""


def test_same_input_same_bytes(curated):
    again = load_timeline(ROOT / "events.yaml")
    assert publish_html(curated, KHARKIV) == publish_html(again, KHARKIV)


def test_page_is_accessible_markup(kharkiv_page):
    assert kharkiv_page.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in kharkiv_page
    assert 'aria-label="Previous event (left arrow key)"' in kharkiv_page
    assert 'aria-label="Next event (right arrow key)"' in kharkiv_page
    assert 'aria-live="polite">1 of 41</span>' in kharkiv_page
    assert ":focus-visible" in kharkiv_page
    assert "@media print" in kharkiv_page
    assert "@media (max-width:" in kharkiv_page


def test_unknown_story_and_no_events(curated, tmp_path):
    with pytest.raises(UnknownStory, match=r"unknown story 'kharkiv' \("):
        publish_html(curated, "kharkiv")
    empty = tmp_path / "empty.yaml"
    write_synthetic(0, 1, empty)
    with pytest.raises(NoEvents, match=r"^no events to publish \(the file has no events\)$"):
        publish_html(load_timeline(empty))


def test_too_many_events_for_a_page(curated, monkeypatch):
    monkeypatch.setattr(publish, "MAX_EVENTS", 8)
    with pytest.raises(TooManyEvents) as caught:
        publish_html(curated, "context")
    assert str(caught.value) == (
        "9 events to publish, more than a page can show (expected at most 8: publish one "
        "story with --story, or split the story)"
    )
    assert publish_html(curated, "kherson-counteroffensive").startswith("<!DOCTYPE html>")


# Words


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "expected"),
    [
        (1, "people", "at-least", "at least 1 person"),
        (1000000, "people", "more-than", "more than 1,000,000 people"),
        (3000, "km2", "about", "about 3,000 km²"),
        (1158, "sq-mi", "more-than", "more than 1,158 sq mi"),
        (20, "percent", "about", "about 20%"),
        (8, "ratio-to-one", None, "8 to 1"),
        (1, "settlements", "exactly", "exactly 1 settlement"),
        (1, "cities", None, "1 city"),
        (200, "days", "exactly", "exactly 200 days"),
        (70, "km", "up-to", "up to 70 km"),
        (2.5, "km", None, "2.5 km"),
        (1, "km", None, "1 km"),
    ],
)
def test_figure_words(value, unit, qualifier, expected):
    figure = Figure("m", value, unit, "someone", "source", qualifier)
    assert figure_words(figure) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2022-09-11", "11 September 2022 (day)"),
        ("2022-09-11 night", "11 September 2022, night (part of day)"),
        ("~2022-09 early", "early September 2022 (part of month, approximate)"),
        ("2022-09", "September 2022 (month)"),
        ("2022", "2022 (year)"),
        ("2022-W36", "week 36 of 2022 (5 September 2022 – 11 September 2022) (week)"),
        ("2022-09-06 .. 2022-10 early", "6 September 2022 to early October 2022 (range)"),
    ],
)
def test_date_words(written, expected):
    assert date_words(parse_date(written)) == expected


@pytest.mark.parametrize(
    ("measure", "expected"),
    [("enemy-losses", "Enemy losses"), ("deaths", "Deaths"), ("days_of_war", "Days of war")],
)
def test_measure_words(measure, expected):
    assert measure_words(measure) == expected


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (1, "1 byte"), (812, "812 bytes"), (1000, "1.0 kB"), (9_949, "9.9 kB"),
        (85_400, "85 kB"), (999_499, "999 kB"), (1_234_567, "1.2 MB"), (4_700_000, "4.7 MB"),
    ],
)  # fmt: skip
def test_file_size_words(size, expected):
    assert file_size_words(size) == expected


# The strip


@pytest.mark.parametrize(
    ("extents", "gap", "expected"),
    [
        ([], 0, []),
        ([(0, 10), (20, 30)], 5, [0, 0]),
        ([(0, 10), (12, 30)], 5, [0, 1]),
        ([(0, 10), (5, 30), (15, 20)], 5, [0, 1, 0]),
        ([(15, 20), (0, 10)], 5, [0, 0]),
        ([(0, 100), (10, 20), (30, 40), (50, 60)], 0, [0, 1, 1, 1]),
        ([(50, 60), (0, 100), (10, 20)], 0, [0, 1, 0]),
    ],
)
def test_stack_rows(extents, gap, expected):
    assert stack_rows(extents, gap) == expected


def event(event_id: str, when: str, title: str) -> Event:
    return Event(event_id, title, parse_date(when), "other", (), ("s",))


def test_strip_puts_overlapping_items_in_rows_and_flips_labels_at_the_edge():
    events = [
        event("a", "2022-09-01", "First"),
        event("b", "2022-09-02", "Second, right after the first"),
        event("c", "2022-09-20", "Third, far later"),
        event("d", "2022-09-30", "A title that would run past the right edge"),
    ]
    strip = strip_layout(events, width=1000)
    # The window runs from a day before the first to a day after the last: 1 Sep to 1 Oct.
    assert (strip.low, strip.high) == (date(2022, 8, 31).toordinal(), date(2022, 10, 2).toordinal())
    assert [item.row for item in strip.items] == [0, 1, 0, 1]
    assert [item.flipped for item in strip.items] == [False, False, False, True]
    assert [item.label for item in strip.items] == [e.title for e in events]
    per_day = 1000 / 32
    assert strip.items[0].point == pytest.approx(1.5 * per_day)  # the middle of its day
    assert strip.items[3].right == pytest.approx(31 * per_day)  # its day's end: span, not label


def test_strip_rows_never_overlap_and_labels_stay_inside(curated):
    for story in curated.stories:
        events = in_story(curated, story)
        strip = strip_layout(events)
        assert [item.index for item in strip.items] == list(range(len(events)))
        for row in range(strip.rows):
            boxes = sorted((i.left, i.right) for i in strip.items if i.row == row)
            assert all(a[1] + 10 <= b[0] for a, b in itertools.pairwise(boxes)), story
        assert all(i.left >= 0 and i.right <= strip.width for i in strip.items), story


def test_strip_shows_every_kharkiv_title_whole(curated):
    events = in_story(curated, KHARKIV)
    assert [item.label for item in strip_layout(events).items] == [e.title for e in events]


def test_a_title_too_long_for_either_side_is_shortened_at_a_word():
    long_title = "word " * 80
    strip = strip_layout([event("a", "2022-09-01", long_title.strip())], width=600)
    label = strip.items[0].label
    assert label.endswith("word…")
    assert long_title.startswith(label[:-1])
    assert strip.items[0].right <= 600


def test_strip_spans_the_whole_calendar():
    events = [event("a", "0001-01-01", "First day"), event("b", "9999-12-31", "Last day")]
    strip = strip_layout(events)
    assert (strip.low, strip.high) == (1, date.max.toordinal() + 1)


@pytest.mark.parametrize(
    ("low", "high", "width", "expected"),
    [
        (date(2022, 9, 1), date(2022, 9, 4), 300, [(date(2022, 9, 1), "1 Sep"),
         (date(2022, 9, 2), "2 Sep"), (date(2022, 9, 3), "3 Sep")]),
        (date(2022, 9, 1), date(2022, 9, 7), 300, [(date(2022, 9, 1), "1 Sep"),
         (date(2022, 9, 3), "3 Sep"), (date(2022, 9, 5), "5 Sep")]),
        (date(2022, 9, 1), date(2022, 10, 1), 300, [(date(2022, 9, 5), "5 Sep"),
         (date(2022, 9, 12), "12 Sep"), (date(2022, 9, 19), "19 Sep"),
         (date(2022, 9, 26), "26 Sep")]),
        (date(2022, 8, 15), date(2022, 11, 15), 350, [(date(2022, 9, 1), "Sep 2022"),
         (date(2022, 10, 1), "Oct 2022"), (date(2022, 11, 1), "Nov 2022")]),
        (date(2019, 6, 1), date(2022, 6, 1), 300, [(date(2020, 1, 1), "2020"),
         (date(2021, 1, 1), "2021"), (date(2022, 1, 1), "2022")]),
        (date(1, 1, 1), date(9999, 12, 31), 1100, [(date(year, 1, 1), str(year))
         for year in range(1000, 10000, 1000)]),
    ],
)  # fmt: skip
def test_axis_ticks(low, high, width, expected):
    ticks = axis_ticks(low.toordinal(), high.toordinal(), width)
    assert ticks == [(day.toordinal(), text) for day, text in expected]


# The map


def test_map_view_holds_every_point_with_a_margin():
    view = map_view([(36.2, 49.9), (37.3, 49.2)]).view
    assert view[0] < 36.2 - 0.4
    assert view[2] > 37.3 + 0.4
    assert view[1] < 49.2 - 0.4
    assert view[3] > 49.9 + 0.4


def test_map_view_without_points_shows_ukraine():
    west, south, east, north = map_view([]).view
    assert west <= 22.1
    assert south <= 44.3
    assert east >= 40.3
    assert north >= 52.4


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([(100, 100, 1), (300, 100, 1)], ["right", "right"]),
        ([(390, 100, 1)], ["left"]),
        ([(100, 100, 1), (150, 100, 2)], ["left", "right"]),
        ([(100, 100, 2), (150, 100, 1), (200, 100, 2)], ["left", "above", "right"]),
        ([(3, 3, 1), (397, 3, 1)], [None, None]),
    ],
)
def test_label_positions(points, expected):
    assert label_positions(points, [40] * len(points), (0, 0, 400, 300)) == expected


def test_map_places_of_the_kharkiv_story(curated):
    place_map = map_places(curated, in_story(curated, KHARKIV))
    drawn = place_map.places
    assert {"Kharkiv", "Izium", "Kupiansk", "Kyiv", "Hoptivka"} <= {p.place.name for p in drawn}
    assert [place.name for place in place_map.elsewhere] == ["Ukraine", "Russia", "Nizhny Tagil"]
    assert all(0 <= p.x <= MAP_WIDTH and 0 <= p.y <= MAP_HEIGHT for p in drawn)
    assert all(p.label is not None for p in drawn if p.place.name in ("Kharkiv", "Izium"))


def test_country_names_lie_inside_their_country_clear_of_the_places(curated):
    place_map = map_places(curated, in_story(curated, KHARKIV))
    projection = place_map.projection
    names = {name: (x, y) for name, x, y in place_map.countries}
    assert set(names) == {"Ukraine", "Russia"}
    # Back to degrees: Ukraine's name west of Kharkiv (36.2° E), Russia's east of the border
    # north of Belgorod (roughly 36.5° E to 38° E at 50.5° N).
    scale, stretch = projection.scale, projection.ratio
    lon = {name: projection.view[0] + x / scale for name, (x, _) in names.items()}
    lat = {name: projection.view[3] - y / (scale * stretch) for name, (_, y) in names.items()}
    assert 30 < lon["Ukraine"] < 36.2
    assert 46 < lat["Ukraine"] < 50
    assert lon["Russia"] > 37
    assert lat["Russia"] > 49.5


def test_scale_bar():
    projection = MapProjection((0.0, -5.0, 10.0, 5.0), 1000, 1000)
    length, text = scale_bar(projection)
    assert text == "200 km"
    assert length == pytest.approx(200 / (111.32 * 10 / 1000))


# Export file names (timeline/export.py)


@pytest.mark.parametrize(
    ("fmt", "story", "expected"),
    [
        ("timelinejs", None, "events-timelinejs.json"),
        ("timelinejs", "kharkiv-counteroffensive", "kharkiv-counteroffensive-timelinejs.json"),
        ("ics", "energy-strikes", "energy-strikes-ics.ics"),
        ("geojson", None, "events-geojson.geojson"),
        ("csv", "a/b c", "a-b-c-csv.csv"),
    ],
)
def test_export_file_name(fmt, story, expected):
    assert export_file_name(fmt, story) == expected


def test_export_file_name_refuses_an_unknown_format():
    with pytest.raises(ValueError, match="unknown export format 'pdf'"):
        export_file_name("pdf")


# The command


def run_publish(*argv: str, capsys) -> tuple[int, str, str]:
    status = main(["publish", *argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_command_writes_the_page_and_says_so(tmp_path, curated, capsys):
    target = tmp_path / "story.html"
    status, out, err = run_publish(
        "--story", KHARKIV, "--out", str(target), str(ROOT / "events.yaml"), capsys=capsys
    )
    assert (status, err) == (0, "")
    written = target.read_bytes()
    assert written.decode("utf-8") == publish_html(curated, KHARKIV)
    kilobytes = round(len(written) / 1000)
    assert out == f"{target}: 41 events of 'September Kharkiv counteroffensive', {kilobytes} kB\n"


def test_command_publishes_every_event_by_default(tmp_path, monkeypatch, curated, capsys):
    monkeypatch.chdir(ROOT)
    target = tmp_path / "all.html"
    status, out, _ = run_publish("--out", str(target), capsys=capsys)
    assert status == 0
    listed = [event for event in curated.events if event.status != "rejected"]
    assert out.startswith(f"{target}: {len(listed)} events of 'All events', ")


def test_command_refuses_an_invalid_file(tmp_path, capsys):
    events_file = copy_small(tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text(events_file.read_text().replace("date: 2022-W36", "date: 2022-W99"))
    target = tmp_path / "page.html"
    status, out, err = run_publish("--out", str(target), str(broken), capsys=capsys)
    assert (status, out) == (1, "")
    assert err.splitlines() == [
        f"{broken}:70:11: error: event 'power-restored': date '2022-W99' has no week 99 "
        "(2022 has 52 ISO weeks)",
        f"{broken}: invalid: 1 error; nothing published",
    ]
    assert not target.exists()


def test_command_refuses_an_unknown_story_naming_the_known_ones(tmp_path, capsys):
    target = tmp_path / "page.html"
    status, out, err = run_publish(
        "--story", "kharkiv-counter-offensive", "--out", str(target), str(ROOT / "events.yaml"),
        capsys=capsys,
    )  # fmt: skip
    assert (status, out) == (1, "")
    assert err == (
        f"{ROOT / 'events.yaml'}: error: unknown story 'kharkiv-counter-offensive' (did you mean "
        "'kharkiv-counteroffensive'? expected one of: context, kharkiv-counteroffensive, "
        "kherson-counteroffensive, energy-strikes)\n"
    )
    assert not target.exists()


def test_command_refuses_a_file_without_events(tmp_path, capsys):
    empty = tmp_path / "empty.yaml"
    write_synthetic(0, 1, empty)
    status, out, err = run_publish("--out", str(tmp_path / "page.html"), str(empty), capsys=capsys)
    assert (status, out) == (1, "")
    assert err == f"{empty}: error: no events to publish (the file has no events)\n"


def test_command_reports_an_unwritable_output(tmp_path, capsys):
    target = tmp_path / "missing-folder" / "page.html"
    status, out, err = run_publish("--out", str(target), str(ROOT / "events.yaml"), capsys=capsys)
    assert (status, out) == (1, "")
    assert err == f"{target}: error: cannot write: No such file or directory\n"


def test_command_needs_an_output_file(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["publish", str(ROOT / "events.yaml")])
    assert caught.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err
