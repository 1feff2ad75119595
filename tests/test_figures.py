import pytest

from tests.conftest import ROOT
from timeline.figures import (
    CATEGORY_COLORS,
    HOVER_TEMPLATE,
    claims_figure,
    daily_counts_figure,
    hover_safe,
    literal,
    timeline_figure,
)
from timeline.load import load_timeline
from timeline.query import claims_frame, events_frame

SMALL = ROOT / "tests" / "data" / "small" / "events.yaml"


@pytest.fixture(scope="module")
def small():
    return load_timeline(SMALL)


@pytest.fixture(scope="module")
def frame(small):
    return events_frame(small)


def test_timeline_traces_per_category(frame, small):
    figure = timeline_figure(frame, list(small.stories.values()))
    names = [(trace.name, trace.mode, trace.showlegend) for trace in figure.data]
    assert names == [
        ("advance", "lines", False), ("advance", "markers", False), ("advance", "markers", None),
        ("strike", "markers", False), ("strike", "markers", None),
        ("infrastructure", "lines", False), ("infrastructure", "markers", False),
        ("infrastructure", "markers", None),
    ], "per category: span bars, clickable markers, then a plain legend entry"  # fmt: skip
    assert figure.layout.xaxis.title.text == "Date"
    assert figure.layout.yaxis.title.text == "Category"
    assert figure.layout.xaxis.rangeslider.visible is True
    bands = [shape for shape in figure.layout.shapes if shape.type == "rect"]
    assert len(bands) == 2, "one band per story"
    assert figure.layout.yaxis.ticktext == ("advance", "strike", "infrastructure")


def test_overlapping_items_are_stacked_on_separate_rows(frame):
    figure = timeline_figure(frame, [])
    advance = next(t for t in figure.data if t.name == "advance" and t.customdata is not None)
    rows = dict(zip((p[0] for p in advance.customdata), advance.y, strict=True))
    assert rows["counteroffensive-begins"] != rows["izium-retaken"], "they overlap on 10 Sept"
    bottoms = sorted(shape.y0 for shape in figure.layout.shapes if shape.type == "line")
    advance_lane = (bottoms[-1], figure.layout.yaxis.range[1])
    assert all(advance_lane[0] < y < advance_lane[1] for y in rows.values()), "inside its lane"


def test_every_event_has_one_clickable_marker(frame, small):
    figure = timeline_figure(frame, [])
    markers = [trace for trace in figure.data if trace.customdata is not None]
    ids = [point[0] for trace in markers for point in trace.customdata]
    assert sorted(ids) == sorted(frame["id"])


def test_precision_is_visible(frame):
    figure = timeline_figure(frame, [])
    advance = next(t for t in figure.data if t.name == "advance" and t.customdata is not None)
    symbols = dict(zip((p[0] for p in advance.customdata), advance.marker.symbol, strict=True))
    assert symbols == {
        "settlements-reclaimed": "circle",
        "counteroffensive-begins": "diamond-open",
        "izium-retaken": "diamond",
    }
    bars = next(t for t in figure.data if t.name == "advance" and t.mode == "lines")
    assert [str(x)[:10] for x in bars.x if x is not None] == [
        "2022-09-01", "2022-09-11", "2022-09-10", "2022-09-12",
    ], "a span runs from its first day to the end of its last day"  # fmt: skip
    strike = next(t for t in figure.data if t.name == "strike")
    assert str(strike.x[0]) == "2022-09-11 22:00:00", "night sits late in its day"


def test_lanes_by_actor_repeat_events_with_several_actors(frame):
    names = {"ukraine-armed-forces": "Armed Forces of Ukraine"}
    figure = timeline_figure(frame, [], lane="actor", lane_names=names)
    assert set(figure.layout.yaxis.ticktext) == {
        "Armed Forces of Ukraine", "russian-armed-forces", "(none)",
    }  # fmt: skip
    markers = sum(len(trace.x) for trace in figure.data if trace.customdata is not None)
    assert markers == len(frame) + 1, "the event with two actors shows in both lanes"
    assert figure.layout.yaxis.title.text == "Actor"


def test_hover_shows_markup_literally(frame):
    hostile = frame.copy()
    hostile.loc[0, "title"] = "<img src=x onerror=alert(1)> %{x} $5 and $10"
    figure = timeline_figure(hostile, [])
    titles = [p[1] for t in figure.data if t.customdata is not None for p in t.customdata]
    assert "&lt;img src=x onerror=alert(1)&gt; %{x} $5 and $10" in titles
    templates = {t.hovertemplate for t in figure.data if t.customdata is not None}
    assert templates == {HOVER_TEMPLATE}, "data goes through customdata, never the template"
    assert hover_safe("a < b & c") == "a &lt; b &amp; c"


def test_empty_frame_still_draws(frame):
    figure = timeline_figure(frame.iloc[0:0], [])
    assert len(figure.data) == 0
    assert figure.layout.xaxis.title.text == "Date"


def test_daily_counts_stack_by_category(frame):
    figure = daily_counts_figure(frame)
    assert [trace.name for trace in figure.data] == ["advance", "strike", "infrastructure"]
    assert figure.layout.barmode == "stack"
    assert sum(sum(trace.y) for trace in figure.data) == len(frame)
    assert figure.data[0].marker.color == CATEGORY_COLORS["advance"]


def test_claims_one_line_per_claimant(small):
    figure = claims_figure(claims_frame(small), ["territory-retaken"])
    assert [trace.name for trace in figure.data] == [
        "territory-retaken — Ukraine", "territory-retaken — army chief",
    ]  # fmt: skip
    assert figure.layout.yaxis.title.text == "km2, sq-mi"
    assert figure.layout.legend.title.text == "Measure — claimed by"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Izium retaken", "Izium retaken"),
        ("$5 and $10", "\\$5 and \\$10"),
        ("![x](http://evil.example/x.png)", "\\!\\[x\\]\\(http\\://evil\\.example/x\\.png\\)"),
        ("<script>alert(1)</script>", "\\<script\\>alert\\(1\\)\\</script\\>"),
        (":red[alarm] **bold**", "\\:red\\[alarm\\] \\*\\*bold\\*\\*"),
        ("line one\nline two", "line one  \nline two"),
    ],
)
def test_literal_defuses_markdown(text, shown):
    assert literal(text) == shown


def test_large_selections_draw_counts_per_lane_and_day(frame, small, monkeypatch):
    monkeypatch.setattr("timeline.figures.DENSE_ABOVE", 3)
    figure = timeline_figure(frame, list(small.stories.values()))
    assert [trace.type for trace in figure.data] == ["heatmap"]
    heat = figure.data[0]
    assert list(heat.y) == ["advance", "strike", "infrastructure"]
    assert heat.z.sum() == len(frame)
    assert "5 events: counts per day" in figure.layout.title.text
    assert figure.layout.xaxis.title.text == "Date"


def test_dense_payload_stays_small(tmp_path):
    from timeline.synth import write_synthetic

    write_synthetic(3000, 5, tmp_path / "e.yaml")
    many = events_frame(load_timeline(tmp_path / "e.yaml"))
    figure = timeline_figure(many, [])
    assert figure.data[0].type == "heatmap"
    assert len(figure.to_json()) < 200_000


def test_candidates_are_drawn_faded(frame):
    figure = timeline_figure(frame, [])
    advance = next(t for t in figure.data if t.name == "advance" and t.customdata is not None)
    opacity = dict(zip((p[0] for p in advance.customdata), advance.marker.opacity, strict=True))
    assert opacity["settlements-reclaimed"] < 1.0, "status: candidate"
    assert opacity["izium-retaken"] == 1.0
