from datetime import date

import pandas as pd
import pytest

from timeline.figures import (
    CLUSTER_HOVER_TEMPLATE,
    HOVER_TEMPLATE,
    data_window,
    figure_height,
    hover_safe,
    lane_geometry,
    literal,
    story_label_at,
    story_label_text,
    tick_count,
    timeline_figure,
)
from timeline.load import load_timeline
from timeline.model import Story
from timeline.query import events_frame


def clickable(figure):
    """The traces a click selects from: those carrying event ids."""
    return [trace for trace in figure.data if trace.customdata is not None]


def by_id(trace, field: str) -> dict:
    """A trace's per-point values (x, y, text, ...) by the event id in its customdata."""
    values = getattr(trace, field)
    return dict(zip((point[0] for point in trace.customdata), values, strict=True))


def test_timeline_traces_per_category(frame, small):
    figure = timeline_figure(frame, list(small.stories.values()))
    names = [(trace.type, trace.name) for trace in figure.data]
    assert names == [
        ("bar", "advance"), ("scatter", "advance"),
        ("scatter", "strike"),
        ("bar", "infrastructure"), ("scatter", "infrastructure"),
    ], "per category: span bars and labelled markers"  # fmt: skip
    assert figure.layout.showlegend is False, "the lanes name the categories already"
    assert figure.layout.yaxis.title.text == "Category"
    assert figure.layout.yaxis.ticktext == ("advance", "strike", "infrastructure")
    assert not figure.layout.xaxis.rangeslider.visible
    assert figure.layout.dragmode == "pan"


def test_every_event_in_view_has_its_title_on_the_chart(frame):
    figure = timeline_figure(frame, [])
    shown = {
        point[0]: text
        for trace in figure.data
        if trace.type == "scatter" and trace.customdata is not None
        for point, text in zip(trace.customdata, trace.text, strict=True)
    }
    assert shown == dict(zip(frame["id"], frame["title"], strict=True))


def drawn_titles(figure) -> list[str]:
    return [text for trace in figure.data if trace.type == "scatter" and trace.text
            for text in trace.text]  # fmt: skip


LONG_HOSTILE = "<b>Bold</b> claim & counter-claim about the front line near Izium"


def test_long_and_hostile_titles_are_shortened_and_shown_literally(frame):
    hostile = frame.copy()
    hostile.loc[3, "title"] = LONG_HOSTILE  # one day: a point, its label beside it
    figure = timeline_figure(hostile, [])
    # Cut inside "front" at 47 characters; "the" would dangle.
    assert "&lt;b&gt;Bold&lt;/b&gt; claim &amp; counter-claim about…" in drawn_titles(figure)
    titles = [p[1] for t in clickable(figure) for p in t.customdata]
    assert hover_safe(LONG_HOSTILE) in titles, "the whole title in the hover"


@pytest.mark.parametrize(
    ("width_px", "drawn"),
    [
        (900, "Ukrainian forces push on towards the Oskil river after retaking dozens of villages "
              "east of Kharkiv"),
        # narrower: as much as the bar holds, cut at a word, longer than a point's 48 characters
        (600, "Ukrainian forces push on towards the Oskil river after retaking dozens…"),
        (420, "Ukrainian forces push on towards the Oskil river…"),
    ],
)  # fmt: skip
def test_a_bar_holds_as_much_of_its_title_as_fits_inside_it(frame, width_px, drawn):
    long = frame.copy()
    long.loc[0, "title"] = (  # 1-10 September: most of the window's width
        "Ukrainian forces push on towards the Oskil river after retaking dozens of villages "
        "east of Kharkiv"
    )
    texts = drawn_titles(timeline_figure(long, [], width_px=width_px))
    assert [text for text in texts if text.startswith("Ukrainian forces push")] == [drawn]


@pytest.mark.parametrize(
    ("event_id", "base", "days"),
    [
        ("counteroffensive-begins", "2022-09-01T00:00", 10),  # early September: 1st to 10th
        ("izium-retaken", "2022-09-10T00:00", 2),  # 10 .. 11 September
        ("power-restored", "2022-09-05T00:00", 7),  # 2022-W36: Monday 5th to Sunday 11th
    ],
)
def test_spans_are_bars_from_their_first_to_their_last_day(frame, event_id, base, days):
    figure = timeline_figure(frame, [])
    bars = [trace for trace in figure.data if trace.type == "bar"]
    bases = {k: v for trace in bars for k, v in by_id(trace, "base").items()}
    lengths = {k: v for trace in bars for k, v in by_id(trace, "x").items()}
    assert bases[event_id] == base
    assert lengths[event_id] == days * 86_400_000, "to the end of the last day"
    assert "settlements-reclaimed" not in bases, "a single day is no bar"


def test_no_marker_sits_on_a_day_inside_a_range(frame):
    figure = timeline_figure(frame, [])
    markers = {
        k: v
        for trace in figure.data
        if trace.type == "scatter" and trace.customdata is not None
        for k, v in by_id(trace, "x").items()
    }
    assert markers == {
        "counteroffensive-begins": "2022-09-01T00:00",  # at the start of its bar, not mid-span
        "izium-retaken": "2022-09-10T00:00",
        "power-restored": "2022-09-05T00:00",
        "kharkiv-strikes": "2022-09-11T22:00",  # night sits late in its day
        "settlements-reclaimed": "2022-09-12T12:00",  # a day without a part: midday
    }


def test_precision_is_visible(frame):
    figure = timeline_figure(frame, [])
    bars = next(t for t in figure.data if t.type == "bar" and t.name == "advance")
    assert [point[0] for point in bars.customdata] == ["counteroffensive-begins", "izium-retaken"]
    assert list(bars.marker.pattern.shape) == ["/", ""], "early September hatched, a range solid"
    assert list(bars.marker.line.width) == [1.5, 0], "the approximate one has an outline"
    markers = next(t for t in figure.data if t.type == "scatter" and t.name == "advance")
    assert dict(zip((p[0] for p in markers.customdata), markers.marker.symbol, strict=True)) == {
        "counteroffensive-begins": "triangle-right-open",  # approximate
        "izium-retaken": "triangle-right",
        "settlements-reclaimed": "circle",
    }, "bars begin with a triangle; single days are dots"


def test_overlapping_items_are_stacked_on_separate_rows(frame):
    figure = timeline_figure(frame, [])
    markers = next(t for t in figure.data if t.type == "scatter" and t.name == "advance")
    rows = by_id(markers, "y")
    assert rows["counteroffensive-begins"] != rows["izium-retaken"], "they overlap on 10 Sept"
    lanes = figure.layout.yaxis.tickvals
    assert all(abs(y - lanes[0]) < 1.5 for y in rows.values()), "inside the advance lane"


def test_every_event_has_one_clickable_marker(frame):
    figure = timeline_figure(frame, [])
    markers = [t for t in clickable(figure) if t.type == "scatter"]
    ids = [point[0] for trace in markers for point in trace.customdata]
    assert sorted(ids) == sorted(frame["id"])
    bars = [point[0] for t in clickable(figure) if t.type == "bar" for point in t.customdata]
    assert sorted(bars) == ["counteroffensive-begins", "izium-retaken", "power-restored"]
    assert figure.layout.clickmode == "event+select"


def test_the_selected_event_stands_out(frame):
    figure = timeline_figure(frame, [], selected="izium-retaken")
    markers = next(t for t in figure.data if t.type == "scatter" and t.name == "advance")
    text_colors = dict(zip((p[0] for p in markers.customdata), markers.textfont.color,
                           strict=True))  # fmt: skip
    assert text_colors["izium-retaken"] == "#000"
    assert text_colors["counteroffensive-begins"] != "#000"
    bars = next(t for t in figure.data if t.type == "bar" and t.name == "advance")
    assert dict(zip((p[0] for p in bars.customdata), bars.marker.line.width, strict=True)) == {
        "counteroffensive-begins": 1.5, "izium-retaken": 2.5,
    }  # fmt: skip


def test_the_date_axis_is_at_the_top_with_weekdays_at_day_scale(frame):
    figure = timeline_figure(frame, [], window=(date(2022, 9, 6), date(2022, 9, 12)))
    axis = figure.layout.xaxis
    assert axis.side == "top"
    assert axis.range == (date(2022, 9, 6), date(2022, 9, 13)), "to the end of its last day"
    formats = {stop.value: stop.dtickrange for stop in axis.tickformatstops}
    assert formats["%a %d %b"] == (86_400_000, 7 * 86_400_000)
    assert formats["%b %Y"] == ("M1", "M12")


def test_all_events_frames_the_data_not_today(frame):
    figure = timeline_figure(frame, [])
    # 1 to 12 September, 12 days: a margin of one day on each side.
    assert figure.layout.xaxis.range == (date(2022, 8, 31), date(2022, 9, 14))


@pytest.mark.parametrize(
    ("spans", "window"),
    [
        ([("2022-09-01", "2022-09-12")], (date(2022, 8, 31), date(2022, 9, 13))),
        ([("2022-09-12", "2022-09-12")], (date(2022, 9, 11), date(2022, 9, 13))),
        # 2014-01-01 to 2022-11-30 is 3,256 days: a margin of 162 days.
        ([("2014-01-01", "2014-12-31"), ("2022-11-30", "2022-11-30")],
         (date(2013, 7, 23), date(2023, 5, 11))),
        ([("0001-01-01", "0001-01-01")], (date(1, 1, 1), date(1, 1, 2))),
        ([("9999-12-31", "9999-12-31")], (date(9999, 12, 30), date(9999, 12, 31))),
    ],
)  # fmt: skip
def test_data_window_is_the_events_extent_with_a_margin(spans, window):
    events = pd.DataFrame(
        {
            "start": pd.to_datetime([first for first, _ in spans]).astype("datetime64[s]"),
            "end": pd.to_datetime([last for _, last in spans]).astype("datetime64[s]"),
        }
    )
    assert data_window(events) == window


def test_data_window_of_nothing(frame):
    assert data_window(frame.iloc[0:0]) is None


@pytest.mark.parametrize(
    ("rows", "legend", "height"),
    [(0, True, 158), (2, True, 158), (10, True, 326), (20, True, 536), (20, False, 488)],
)
def test_height_is_the_rows_and_a_fixed_margin(rows, legend, height):
    # 60 px above for the tool bar and the axis, 56 below for a legend (8 without), 21 px a
    # row (two rows at least).
    assert figure_height(rows, legend) == height


def test_lane_geometry_stacks_lanes_downwards_under_the_story_lines():
    geometry = lane_geometry({"advance": 2, "strike": 1}, stories=1)
    # Rows plus 0.15 above and below: 2.3 and 1.3; one story line of 0.9 above the lanes.
    assert geometry.tops == {"advance": pytest.approx(3.6), "strike": pytest.approx(1.3)}
    assert geometry.boundaries == [pytest.approx(1.3)]
    assert geometry.story_lines == [pytest.approx(4.05)]
    assert geometry.top == pytest.approx(4.5)
    assert [geometry.row_y("advance", row) for row in (0, 1)] == [
        pytest.approx(2.95), pytest.approx(1.95),
    ]  # fmt: skip
    assert geometry.row_y("strike", 0) == pytest.approx(0.65)


def test_figure_height_follows_the_rows(frame, small):
    figure = timeline_figure(frame, list(small.stories.values()))
    # advance takes 3 rows (the candidate's label runs past the right edge, so it goes left of
    # 12 September, over both others), strike and infrastructure 1 each: 5 rows, 0.9 (3 x 0.3)
    # of padding, two story lines of 0.9: 7.7 rows of 21 px, and 68 px of margins (no legend).
    assert figure.layout.yaxis.range == (0, pytest.approx(7.7))
    assert figure.layout.height == round(68 + 21 * 7.7)


def test_every_story_band_is_labelled_on_a_line_of_its_own(frame, small):
    stories = list(small.stories.values())
    figure = timeline_figure(frame, stories)
    labels = {note.text: note.y for note in figure.layout.annotations}
    assert set(labels) == {"September counteroffensive", "Strikes"}
    assert len(set(labels.values())) == 2, "overlapping stories on separate lines"
    bands = [shape for shape in figure.layout.shapes if shape.type == "rect"]
    assert len(bands) == 2 * len(stories), "a band over the lanes and a bar on its line each"


def story(first: date, last: date) -> Story:
    from timeline.dates import parse_date

    title = "Southern counteroffensive and the recapture of Kherson"  # 280 px at 11 px
    return Story(id="s", title=title, date=parse_date(f"{first} .. {last}"))


@pytest.mark.parametrize(
    ("first", "last", "window", "at"),
    [
        (date(2022, 9, 1), date(2022, 9, 30), None, (date(2022, 9, 1), "left")),
        # Begins before the window: labelled where it comes into view.
        (date(2022, 8, 1), date(2022, 9, 30), (date(2022, 9, 6), date(2022, 9, 12)),
         (date(2022, 9, 6), "left")),
        # Begins on the window's last day (157 px wide): the title ends where the window does.
        (date(2022, 9, 12), date(2022, 10, 30), (date(2022, 9, 6), date(2022, 9, 12)),
         (date(2022, 9, 13), "right")),
    ],
)  # fmt: skip
def test_story_labels_stay_in_view(first, last, window, at):
    assert story_label_at(story(first, last), window) == at


@pytest.mark.parametrize(
    ("title", "width", "shown"),
    [
        ("October–November strikes on the energy grid", 500, None),  # 223 px at 11 px
        # A phone's 190 px: "…strikes on the energy…" is 212 px; "on the" would dangle.
        ("October–November strikes on the energy grid", 190, "October–November strikes…"),
        ("September Kharkiv counteroffensive", 190, None),  # 177 px and 8 of room
    ],
)
def test_a_story_title_wider_than_the_plot_is_cut_to_fit(title, width, shown):
    assert story_label_text(title, width) == (shown or title)


def test_lanes_by_actor_repeat_events_with_several_actors(frame):
    names = {"ukraine-armed-forces": "Armed Forces of Ukraine"}
    figure = timeline_figure(frame, [], lane="actor", lane_names=names)
    assert set(figure.layout.yaxis.ticktext) == {
        "Armed Forces of Ukraine", "russian-armed-forces", "(none)",
    }  # fmt: skip
    markers = sum(len(t.x) for t in clickable(figure) if t.type == "scatter")
    assert markers == len(frame) + 1, "the event with two actors shows in both lanes"
    assert figure.layout.yaxis.title.text == "Actor"


def test_hover_shows_markup_literally(frame):
    hostile = frame.copy()
    hostile.loc[0, "title"] = "<img src=x onerror=alert(1)> %{x} $5 and $10"
    figure = timeline_figure(hostile, [])
    titles = [p[1] for t in clickable(figure) for p in t.customdata]
    assert "&lt;img src=x onerror=alert(1)&gt; %{x} $5 and $10" in titles
    templates = {t.hovertemplate for t in clickable(figure)}
    assert templates == {HOVER_TEMPLATE}, "data goes through customdata, never the template"
    assert hover_safe("a < b & c") == "a &lt; b &amp; c"


def test_empty_frame_still_draws(frame):
    figure = timeline_figure(frame.iloc[0:0], [])
    assert len(figure.data) == 0
    assert figure.layout.xaxis.side == "top"


def test_candidates_are_drawn_faded(frame):
    figure = timeline_figure(frame, [])
    advance = next(t for t in figure.data if t.type == "scatter" and t.name == "advance")
    opacity = dict(zip((p[0] for p in advance.customdata), advance.marker.opacity, strict=True))
    assert opacity["settlements-reclaimed"] < 1.0, "status: candidate"
    assert opacity["izium-retaken"] == 1.0


def many_on_one_day(frame, count: int) -> pd.DataFrame:
    """`count` copies of the candidate of 12 September, with ids one-1 .. one-N."""
    one = frame[frame["id"] == "settlements-reclaimed"]
    copies = pd.concat([one] * count, ignore_index=True)
    copies["id"] = [f"one-{index}" for index in range(1, count + 1)]
    return pd.concat([frame, copies], ignore_index=True)


def test_a_lane_over_the_row_budget_shows_a_count_box(frame):
    # Four rows for three lanes: advance may take two. The eleven events of 12 September
    # make one box beside the end of early September's bar; Izium (10-11 September) goes below.
    busy = many_on_one_day(frame, 10)
    figure = timeline_figure(busy, [], row_budget=4)
    (counts,) = [t for t in figure.data if t.name == "groups of events" and t.type == "scatter"]
    (box,) = counts.customdata
    assert counts.text == ("11 events",), "the ten copies and the original, all on 12 September"
    assert box[0] == "settlements-reclaimed", "a click selects its first event"
    assert box[3] == "cluster"
    assert list(box[5:]) == ["2022-09-12", "2022-09-12"], "its days, for a dashboard to zoom to"
    assert counts.hovertemplate == CLUSTER_HOVER_TEMPLATE
    shown = [p[0] for t in clickable(figure) if t.type == "scatter" for p in t.customdata]
    assert not any(event_id.startswith("one-") for event_id in shown), "grouped, not listed"
    assert figure.layout.height == figure_height(4 + 3 * 0.3, legend=False)


def test_within_the_budget_nothing_is_grouped(frame):
    figure = timeline_figure(many_on_one_day(frame, 2), [])
    assert all(t.name != "groups of events" for t in figure.data)


def test_the_chart_grows_to_title_every_event_of_a_busy_day(frame):
    # Forty more in the advance lane on 12 September: 41 titles on one day take 41 rows, within
    # the 64 the chart may take with fewer than 256 events in view (22 before this change).
    figure = timeline_figure(many_on_one_day(frame, 40), [])
    assert all(t.name != "groups of events" for t in figure.data), "no count box"
    titled = [p[0] for t in clickable(figure) if t.type == "scatter" for p in t.customdata]
    assert len(titled) == len(frame) + 40
    assert figure.layout.height >= figure_height(41, legend=False)


def test_lanes_by_actor_have_a_legend_for_the_colours(frame):
    figure = timeline_figure(frame, [], lane="actor")
    assert figure.layout.showlegend is True
    entries = [t.name for t in figure.data if t.showlegend is None]
    assert entries == ["advance", "strike", "infrastructure"]
    assert figure.layout.margin.b == 56, "room for the legend under the plot"


def test_the_tool_bar_keeps_what_works_here_and_sits_above_the_axis(frame):
    figure = timeline_figure(frame, [])
    assert figure.layout.modebar.remove == ("zoom", "pan", "select", "lasso", "autoscale")
    assert figure.layout.margin.t == 60, "the axis labels (34 px) and the tool bar over them"


def test_a_new_window_reframes_and_the_same_window_keeps_the_users_zoom(frame):
    week = (date(2022, 9, 6), date(2022, 9, 12))
    month = (date(2022, 9, 1), date(2022, 9, 30))
    revisions = [timeline_figure(frame, [], window=w).layout.uirevision for w in (week, week)]
    assert revisions[0] == revisions[1]
    assert timeline_figure(frame, [], window=month).layout.uirevision != revisions[0]


@pytest.mark.parametrize(
    ("window", "width", "nticks"),
    [
        # 500 px hold seven ticks of 70 px; Plotly's step is the range over nticks, rounded up
        # to the next whole day strictly above it: one more than wanted.
        ((date(2022, 9, 6), date(2022, 9, 12)), 500, 8),  # 7 days: one a day
        ((date(2022, 9, 9), date(2022, 9, 13)), 500, 6),  # 5 days: one a day, not half-days
        ((date(2022, 9, 1), date(2022, 11, 30)), 500, 8),  # 91 days: as many as fit
        ((date(2022, 9, 12), date(2022, 9, 12)), 500, 2),  # one day
        ((date(2022, 9, 6), date(2022, 9, 12)), 190, 3),  # a phone: two fit
        (None, 500, 8),
    ],
)  # fmt: skip
def test_date_ticks_are_whole_days_at_most_and_fit(window, width, nticks):
    assert tick_count(window, width) == nticks


def test_tick_labels_are_never_rotated(frame):
    axis = timeline_figure(frame, [], window=(date(2022, 9, 9), date(2022, 9, 13))).layout.xaxis
    assert (axis.tickangle, axis.nticks) == (0, 6), "five days at 500 px: a tick a day"


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


def test_large_selections_draw_count_boxes_and_stay_small(tmp_path):
    from timeline.synth import write_synthetic

    write_synthetic(3000, 5, tmp_path / "e.yaml")
    many = events_frame(load_timeline(tmp_path / "e.yaml"))
    figure = timeline_figure(many, [])
    counts = [t for t in figure.data if t.name == "groups of events" and t.type == "scatter"]
    grouped = sum(int(text.split()[0].replace(",", "")) for t in counts for text in t.text)
    single = sum(len(t.x) for t in clickable(figure) if t.type == "scatter") - sum(
        len(t.x) for t in counts
    )
    assert grouped + single == len(many), "every event is drawn, alone or counted"
    assert grouped > single
    assert len(figure.to_json()) < 200_000
