"""Plotly figure builders: pure functions from frames to go.Figure, never displayed here."""

from __future__ import annotations

import html
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline.dates import Precision, parse_date
from timeline.layout import (
    LABEL_FONT,
    LABEL_FONT_SIZE,
    MIN_LABEL_LIMIT,
    PLOT_WIDTH_PX,
    TITLE_ROWS,
    Box,
    Layout,
    day_number,
    place,
    shorten,
    text_width,
)
from timeline.model import CATEGORIES, Story

# Paul Tol's "muted" scheme plus black: distinguishable under the common colour-vision
# deficiencies, and readable on both light and dark backgrounds.
CATEGORY_COLORS = dict(
    zip(
        CATEGORIES,
        (
            "#117733", "#882255", "#CC6677", "#DDCC77", "#88CCEE", "#AA4499",
            "#332288", "#44AA99", "#999933", "#888888", "#555555",
        ),
        strict=True,
    )
)  # fmt: skip
STORY_COLORS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB")
# Where a part of day sits within its day on the time axis.
PART_OF_DAY_HOURS = {"morning": 8, "afternoon": 14, "evening": 19, "night": 22}
LANE_TITLES = {"category": "Category", "actor": "Actor", "source": "Source"}


def hover_safe(text: object) -> str:
    """Text for a hover label: markup characters shown literally, never interpreted."""
    return html.escape(str(text), quote=False)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:&])")


def literal(text: object) -> str:
    """Text for a Streamlit markdown element, shown as typed: no markup, links, images or math."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", "  \n")


def lane_rows(
    frame: pd.DataFrame, lane: str, names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per event and lane value; events with several actors or sources repeat."""
    if lane == "category":
        return frame.assign(lane=frame["category"])
    column = {"actor": "actors", "source": "outlets"}[lane]
    rows = frame.explode(column).reset_index(drop=True)
    rows = rows.assign(lane=rows[column].fillna("(none)"))
    if names:
        rows["lane"] = rows["lane"].map(lambda value: names.get(value, value))
    return rows


# Date ticks by zoom: hours, then weekday and day, day, month, year.
DAY_MS = 86_400_000
TICK_FORMATS = [
    {"dtickrange": [None, DAY_MS / 2], "value": "%a %d %b %H:%M"},
    {"dtickrange": [DAY_MS, 7 * DAY_MS], "value": "%a %d %b"},
    {"dtickrange": [7 * DAY_MS, "M1"], "value": "%d %b"},
    {"dtickrange": ["M1", "M12"], "value": "%b %Y"},
    {"dtickrange": ["M12", None], "value": "%Y"},
]
# Room a day's tick label takes ("Wed 28 Sep" is 66 px at 12 px) with a little space.
TICK_PX = 70
# Pixels a row of boxes takes (the labels are 12 px), and the fixed room above the plot for
# Plotly's tool bar over the date axis, and below it for the legend when there is one.
ROW_PX = 21
MARGIN_TOP = 60
MARGIN_BOTTOM = 56
MARGIN_BOTTOM_BARE = 8
# The tool bar's buttons that do something here: save as PNG, zoom in and out, back to the
# window. Box zoom, pan (dragging pans already), selections and autoscale go.
MODEBAR_REMOVE = ("zoom", "pan", "select", "lasso", "autoscale")
# In rows: the space above and below a lane's rows, and a story's line in the band strip.
LANE_PADDING = 0.15
STORY_ROW = 0.9
BAR_WIDTH = 0.62


def timeline_figure(
    frame: pd.DataFrame,
    stories: Sequence[Story] = (),
    *,
    lane: str = "category",
    lane_names: Mapping[str, str] | None = None,
    window: tuple[date, date] | None = None,
    selected: str | None = None,
    width_px: float = PLOT_WIDTH_PX,
    row_budget: int | None = None,
) -> go.Figure:
    """Events in lanes over time, each with its title: days as markers, wider dates as bars
    over their whole span, groups of what does not fit in `row_budget` rows (None: as many as
    `layout.title_rows` allows for the events in view) as count boxes, stories as bands."""
    rows = lane_rows(frame, lane, lane_names)
    lanes = _lane_order(rows, lane)
    window = window or data_window(frame)
    layout = _layout(rows, lanes, window, width_px, row_budget)
    geometry = lane_geometry(layout.rows, len(stories))
    figure = go.Figure()
    events = [box for box in layout.boxes if not box.is_cluster]
    clusters = [box for box in layout.boxes if box.is_cluster]
    kinds = rows["category"].to_numpy()
    for category in CATEGORIES:
        mine = [box for box in events if kinds[box.members[0]] == category]
        if not mine:
            continue
        placed = _Placed(
            rows.iloc[[box.members[0] for box in mine]],
            mine,
            [geometry.row_y(box.lane, box.row) for box in mine],
        )
        color = CATEGORY_COLORS[category]
        wide = [days > 1 for days in placed.items["days"]]
        if any(wide):
            bars = [index for index, is_wide in enumerate(wide) if is_wide]
            figure.add_trace(_span_bars(placed.only(bars), category, color, selected))
        figure.add_trace(_labelled_markers(placed, category, color, selected))
    # Lanes by category name the colours already; other lanes need the legend for them. Every
    # category shown has its entry, also when its events are all in count boxes.
    legend = lane != "category"
    present = set(rows["category"].unique().tolist())
    for category in [c for c in CATEGORIES if c in present and legend]:
        figure.add_trace(_legend_entry(category, CATEGORY_COLORS[category]))
    if clusters:
        y = [geometry.row_y(box.lane, box.row) for box in clusters]
        figure.add_trace(_cluster_bars(clusters, y))
        figure.add_trace(_cluster_markers(clusters, y, rows))
    figure.update_layout(
        # Shapes in one go: add_hline and add_shape cost a tenth of a second each.
        shapes=[*_lane_lines(geometry), *_story_shapes(stories, geometry)],
        annotations=_story_labels(stories, geometry, window, width_px),
        height=figure_height(geometry.top, legend),
        margin={"l": 10, "r": 10, "t": MARGIN_TOP, "b": bottom_margin(legend)},
        font={"family": LABEL_FONT},
        hovermode="closest",
        clickmode="event+select",
        dragmode="pan",
        barmode="overlay",
        bargap=0,
        showlegend=legend,
        legend={"orientation": "h", "y": 0, "yanchor": "top", "x": 0, "font": {"size": 11}},
        modebar={"remove": list(MODEBAR_REMOVE)},
        # Plotly keeps the user's zoom and pan while this stays the same: a new window (another
        # story, a step to an event outside the old one) reframes the chart.
        uirevision=f"{window}",
    )
    figure.update_xaxes(
        type="date",
        side="top",
        range=[window[0], _day_after(window[1])] if window else None,
        tickformatstops=TICK_FORMATS,
        nticks=tick_count(window, width_px),
        tickangle=0,
        ticklabelmode="period",
        showgrid=True,
        gridcolor="rgba(128,128,128,0.18)",
        ticks="outside",
        showline=True,
        linecolor="rgba(128,128,128,0.6)",
    )
    figure.update_yaxes(
        title_text=LANE_TITLES[lane],
        tickmode="array",
        tickvals=list(geometry.centres.values()),
        ticktext=[hover_safe(name) for name in geometry.centres],
        range=[0, geometry.top],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    return figure


def figure_height(rows: float, legend: bool = True) -> int:
    """The figure's height in pixels for a plot `rows` rows tall (at least two rows), with room
    for a legend under it or not."""
    return round(MARGIN_TOP + bottom_margin(legend) + ROW_PX * max(rows, 2.0))


def bottom_margin(legend: bool) -> int:
    """Pixels under the plot: the legend's room, or a little for the lowest labels."""
    return MARGIN_BOTTOM if legend else MARGIN_BOTTOM_BARE


def tick_count(window: tuple[date, date] | None, width_px: float = PLOT_WIDTH_PX) -> int:
    """Plotly's `nticks` for the date axis: a tick a day at most, so that a window of a few days
    is labelled in whole days and never in hours, and no more than fit side by side.

    Plotly divides the range by `nticks` and rounds the step up to the next of 1, 2, 3, 7 or
    14 days strictly above it: one tick more than wanted keeps a step of one day one day.
    """
    fit = max(1, int(width_px // TICK_PX))
    days = (window[1] - window[0]).days + 1 if window else fit
    return min(fit, days) + 1


@dataclass(frozen=True)
class LaneGeometry:
    """Where lanes and story lines sit on the y axis, in rows; the first lane at the top."""

    tops: dict[Hashable, float]
    centres: dict[Hashable, float]
    boundaries: list[float]
    story_lines: list[float]
    lanes_top: float
    top: float

    def row_y(self, lane: Hashable, row: int) -> float:
        """The y of a row's middle within its lane (row 0 at the top)."""
        return self.tops[lane] - LANE_PADDING - 0.5 - row


def lane_geometry(rows: Mapping[Hashable, int], stories: int = 0) -> LaneGeometry:
    """Lanes stacked downwards from the top, each its rows plus padding, under one line per
    story."""
    tops: dict[Hashable, float] = {}
    heights = {lane: count + 2 * LANE_PADDING for lane, count in rows.items()}
    lanes_top = float(sum(heights.values()))
    top = lanes_top
    for lane, height in heights.items():
        tops[lane] = top
        top -= height
    centres = {lane: tops[lane] - heights[lane] / 2 for lane in rows}
    boundaries = [tops[lane] - heights[lane] for lane in list(rows)[:-1]]
    story_lines = [lanes_top + STORY_ROW * (stories - index - 0.5) for index in range(stories)]
    return LaneGeometry(
        tops, centres, boundaries, story_lines, lanes_top, lanes_top + STORY_ROW * stories
    )


def data_window(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The days the events cover with a margin of a twentieth of that (one day at least) on
    each side; None without events."""
    if frame.empty:
        return None
    first = int(_day_numbers(frame["start"]).min())
    last = int(_day_numbers(frame["end"]).max())
    margin = max(1, (last - first + 1) // 20)
    low = max(first - margin, _DAY_MIN)
    high = min(last + margin, _DAY_MAX)
    return _date_of(low), _date_of(high)


_DAY_MIN = day_number(date.min)
_DAY_MAX = day_number(date.max)


def _date_of(day: int) -> date:
    return date(1970, 1, 1) + timedelta(days=day)


def _layout(
    rows: pd.DataFrame,
    lanes: list[str],
    window: tuple[date, date] | None,
    width_px: float,
    row_budget: int | None,
) -> Layout:
    """The layout of the rows' events: single days from their part of day (midday if none)."""
    if window is None:
        return Layout(boxes=[], rows={}, pixels_per_day=0.0)
    starts = _day_numbers(rows["start"]).astype("float64")
    hours = rows["part_of_day"].map(PART_OF_DAY_HOURS).fillna(12).to_numpy(dtype="float64")
    single = (rows["days"] <= 1).to_numpy()
    starts = np.where(single, starts + hours / 24, starts)
    # Lanes as codes and titles read one by one: only the few drawn are ever looked at, and
    # listing 100,000 of each cost a fifth of a second.
    codes = pd.Categorical(rows["lane"], categories=lanes).codes.astype("int64")
    titles = rows["title"]
    laid = place(
        starts,
        _day_numbers(rows["end"]),
        _Positional(titles),
        codes,
        window,
        width_px=width_px,
        row_limit=TITLE_ROWS,
        row_budget=row_budget,
        lane_order=range(len(lanes)),
    )
    boxes = [replace(box, lane=lanes[box.lane]) for box in laid.boxes]
    rows_per_lane = {lanes[code]: count for code, count in laid.rows.items()}
    return Layout(boxes=boxes, rows=rows_per_lane, pixels_per_day=laid.pixels_per_day)


class _Positional(Sequence):
    """A column read by position, without copying it."""

    def __init__(self, column: pd.Series) -> None:
        self.column = column

    def __len__(self) -> int:
        return len(self.column)

    def __getitem__(self, position):
        return self.column.iat[position]


def _day_numbers(column: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 of a datetime column, whatever its resolution."""
    return column.to_numpy().astype("datetime64[D]").astype(np.int64)


def _day_after(day: date) -> date:
    """The next day, or the same one at the end of the calendar (9999-12-31)."""
    return day + timedelta(days=1) if day < date.max else day


def _at(days: Sequence[float]) -> list[str]:
    """ISO date-times of day numbers, to the minute: what Plotly's date axis reads."""
    moments = np.asarray(days, dtype="float64") * 1440
    return np.datetime_as_string(moments.round().astype("int64").astype("datetime64[m]")).tolist()


def _lane_lines(geometry: LaneGeometry) -> list[dict]:
    return [
        {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
         "line": {"width": 0.5, "color": "rgba(128,128,128,0.35)"}}
        for y in geometry.boundaries
    ]  # fmt: skip


def _story_shapes(stories: Sequence[Story], geometry: LaneGeometry) -> list[dict]:
    """Each story as a faint band over the lanes and a bar on a line of its own above them, so
    that overlapping stories stay apart."""
    shapes = []
    for index, story in enumerate(stories):
        color = STORY_COLORS[index % len(STORY_COLORS)]
        first, after = story.date.first, _day_after(story.date.last)
        middle = geometry.story_lines[index]
        for low, high, opacity in (
            (0, geometry.lanes_top, 0.07),
            (middle - 0.38, middle + 0.38, 0.35),
        ):
            shapes.append(
                {"type": "rect", "xref": "x", "yref": "y", "x0": first, "x1": after, "y0": low,
                 "y1": high, "fillcolor": color, "opacity": opacity, "layer": "below",
                 "line": {"width": 0}}
            )  # fmt: skip
    return shapes


def _story_labels(
    stories: Sequence[Story],
    geometry: LaneGeometry,
    window: tuple[date, date] | None,
    width_px: float,
) -> list[dict]:
    labels = []
    for index, story in enumerate(stories):
        x, anchor = story_label_at(story, window, width_px)
        labels.append(
            {"x": x, "y": geometry.story_lines[index], "xref": "x", "yref": "y",
             "text": hover_safe(story_label_text(story.title, width_px)), "showarrow": False,
             "xanchor": anchor, "yanchor": "middle", "xshift": 4 if anchor == "left" else -4,
             "font": {"size": STORY_FONT_SIZE, "color": "#222"}}
        )  # fmt: skip
    return labels


def _lane_order(rows: pd.DataFrame, lane: str) -> list[str]:
    present = rows["lane"].unique().tolist()  # in order of appearance, without a Python loop
    if lane == "category":
        return [category for category in CATEGORIES if category in present]
    counts = rows["lane"].value_counts()
    return sorted(present, key=lambda value: (-counts[value], value))


def _legend_entry(category: str, color: str) -> go.Scatter:
    """A data-less trace, so every category shows the same plain circle in the legend."""
    return go.Scatter(
        x=[None], y=[None], mode="markers", name=category, legendgroup=category,
        marker={"color": color, "size": 10, "symbol": "circle"}, hoverinfo="skip",
    )  # fmt: skip


STORY_FONT_SIZE = 11


def story_label_at(
    story: Story, window: tuple[date, date] | None, width_px: float = PLOT_WIDTH_PX
) -> tuple[date, str]:
    """Where a story's title goes and which side of it that is: from where its band comes into
    view, or ending where the band (or the window) ends if it would run off the right edge."""
    first, after = story.date.first, _day_after(story.date.last)
    if window is None:
        return first, "left"
    low, high = max(first, window[0]), min(after, _day_after(window[1]))
    days = max((_day_after(window[1]) - window[0]).days, 1)
    room = (_day_after(window[1]) - low).days * width_px / days
    if text_width(story_label_text(story.title, width_px), STORY_FONT_SIZE) + 8 > room:
        return high, "right"
    return low, "left"


def story_label_text(title: str, width_px: float = PLOT_WIDTH_PX) -> str:
    """A story's title, cut at a word if it is wider than the plot (a phone's)."""
    label, limit = title, len(title)
    while text_width(label, STORY_FONT_SIZE) + 8 > width_px and limit > MIN_LABEL_LIMIT:
        limit -= 1
        label = shorten(title, limit)
    return label


def _hover_data(rows: pd.DataFrame) -> list[list[str]]:
    return [
        [
            event_id,
            hover_safe(title),
            hover_safe(words),
            hover_safe(precision),
            hover_safe(", ".join(place_names) or "no place given"),
        ]
        for event_id, title, words, precision, place_names in zip(
            rows["id"], rows["title"], rows["date_words"], rows["precision"],
            rows["place_names"], strict=True,
        )
    ]  # fmt: skip


HOVER_TEMPLATE = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]} (%{customdata[3]})<br>%{customdata[4]}"
    "<extra></extra>"
)
CLUSTER_HOVER_TEMPLATE = (
    "<b>%{customdata[1]}</b>, %{customdata[2]}<br>%{customdata[4]}<br>"
    "<i>Zoom in or narrow the filters to see each.</i><extra></extra>"
)
# How a bar shows its date's precision: an exact range solid, a fuzzy date (a week, part of a
# month, a month, a year, a range with such ends) hatched, an approximate one hollow.
_FUZZY = frozenset({Precision.WEEK, Precision.PART_OF_MONTH, Precision.MONTH, Precision.YEAR})


def is_fuzzy(text: str) -> bool:
    """Whether a date (as written in the events file) is vaguer than days: a week, part of a
    month, a month or a year, alone or as either end of a range."""
    when = parse_date(text)
    return any(point.precision in _FUZZY for point in (when.start, when.end) if point)


def _rgba(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha:g})"


@dataclass(frozen=True, slots=True)
class _Placed:
    """One category's events as the timeline places them: their rows, boxes and row centres,
    position by position."""

    items: pd.DataFrame
    boxes: Sequence[Box]
    y: Sequence[float]

    def only(self, positions: Sequence[int]) -> _Placed:
        """The events at those positions, still aligned."""
        return _Placed(
            self.items.iloc[list(positions)],
            [self.boxes[i] for i in positions],
            [self.y[i] for i in positions],
        )


def _span_bars(placed: _Placed, category: str, color: str, selected: str | None) -> go.Bar:
    """Wider dates as bars from their first to their last day (inclusive), styled by
    precision; clickable and hoverable along their whole length."""
    items, boxes, y = placed.items, placed.boxes, placed.y
    fuzzy = [is_fuzzy(text) for text in items["date"]]
    approximate = items["approximate"].tolist()
    ids = items["id"].tolist()
    fills = [
        _rgba(color, 0.1 if rough else 0.2 if vague else 0.55)
        for vague, rough in zip(fuzzy, approximate, strict=True)
    ]
    line_colors = [
        "#000" if event_id == selected else color if rough else _rgba(color, 0.0)
        for event_id, rough in zip(ids, approximate, strict=True)
    ]
    line_widths = [
        2.5 if event_id == selected else 1.5 if rough else 0
        for event_id, rough in zip(ids, approximate, strict=True)
    ]
    return go.Bar(
        **_box_spans(boxes, y),
        marker={
            "color": fills,
            "pattern": {
                "shape": ["/" if vague else "" for vague in fuzzy],
                "fgcolor": color,
                "fgopacity": 0.4,
                "size": 9,
                "solidity": 0.2,
            },
            "line": {"color": line_colors, "width": line_widths},
            # Extracted candidates nobody has reviewed yet are drawn faded.
            "opacity": [0.45 if status == "candidate" else 1.0 for status in items["status"]],
        },
        **_category_fields(items, category),
    )


def _labelled_markers(
    placed: _Placed, category: str, color: str, selected: str | None
) -> go.Scatter:
    """Each event's title beside a clickable marker: a dot at its day (or part of day) for a
    single day, a triangle pointing into its bar at the start of a wider date, never on a day
    inside it; open when the date is approximate."""
    items, boxes, y = placed.items, placed.boxes, placed.y
    wide = (items["days"] > 1).tolist()
    approximate = items["approximate"].tolist()
    ids = items["id"].tolist()
    symbols = [
        ("triangle-right" if is_wide else "circle") + ("-open" if rough else "")
        for is_wide, rough in zip(wide, approximate, strict=True)
    ]
    sizes = [14 if event_id == selected else 10 for event_id in ids]
    candidate = [status == "candidate" for status in items["status"]]
    return go.Scatter(
        x=_at([box.start for box in boxes]),
        y=list(y),
        mode="markers+text",
        text=[hover_safe(box.label) for box in boxes],
        textposition=["middle left" if box.flipped else "middle right" for box in boxes],
        textfont={
            "size": LABEL_FONT_SIZE,
            "color": [
                "#000" if event_id == selected else "#888" if faded else "#222"
                for event_id, faded in zip(ids, candidate, strict=True)
            ],
        },
        marker={
            "color": color,
            "size": sizes,
            "opacity": [0.45 if faded else 1.0 for faded in candidate],
            "symbol": symbols,
            "line": {
                "width": [2.5 if event_id == selected else 1.5 for event_id in ids],
                "color": ["#000" if event_id == selected else color for event_id in ids],
            },
        },
        cliponaxis=True,
        **_category_fields(items, category),
    )


def _box_spans(boxes: Sequence[Box], y: Sequence[float]) -> dict:
    """Where bars stand: one for each box, from its start to its end, centred on its row."""
    return {
        "orientation": "h",
        "base": _at([box.start for box in boxes]),
        "x": [(box.end - box.start) * DAY_MS for box in boxes],
        "y": list(y),
        "width": BAR_WIDTH,
    }


def _category_fields(items: pd.DataFrame, category: str) -> dict:
    """What a category's bars and markers share: one legend group (in the legend only through
    the category's own entry) and the hover of their events."""
    return {
        "name": category,
        "legendgroup": category,
        "showlegend": False,
        "customdata": _hover_data(items),
        "hovertemplate": HOVER_TEMPLATE,
    }


def _cluster_data(clusters: Sequence[Box], rows: pd.DataFrame) -> list[list[str]]:
    """Per count box: its first event's id (what a click selects), label, days, "cluster",
    its first titles, and its first and last day (ISO) for a dashboard to zoom to."""
    ids, titles = rows["id"].to_numpy(), rows["title"].to_numpy()
    firsts, lasts = _day_numbers(rows["start"]), _day_numbers(rows["end"])
    data = []
    for box in clusters:
        members = np.array(box.members)
        named = [hover_safe("· " + shorten(title)) for title in titles[members[:3]]]
        if len(members) > 3:
            named.append(f"· and {len(members) - 3:,} more")
        first, last = _date_of(int(firsts[members].min())), _date_of(int(lasts[members].max()))
        data.append(
            [
                ids[members[0]],
                box.label,
                hover_safe(_days_in_words(first, last)),
                "cluster",
                "<br>".join(named),
                first.isoformat(),
                last.isoformat(),
            ]
        )
    return data


def _days_in_words(first: date, last: date) -> str:
    if first == last:
        return f"{first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {first:%B %Y}"
    if first.year == last.year:
        return f"{first.day} {first:%B} – {last.day} {last:%B %Y}"
    return f"{first.day} {first:%B %Y} – {last.day} {last:%B %Y}"


CLUSTER_COLOR = "#666666"


def _cluster_bars(clusters: Sequence[Box], y: Sequence[float]) -> go.Bar:
    """Count boxes over the days their events cover within their group's day, week or month."""
    return go.Bar(
        **_box_spans(clusters, y),
        name="groups of events",
        legendgroup="groups",
        showlegend=False,
        marker={"color": _rgba(CLUSTER_COLOR, 0.22), "line": {"width": 0}},
        hoverinfo="skip",
    )


def _cluster_markers(clusters: Sequence[Box], y: Sequence[float], rows: pd.DataFrame):
    """A count ("12 events") beside a square at the start of each count box."""
    return go.Scatter(
        x=_at([box.start for box in clusters]),
        y=list(y),
        mode="markers+text",
        name="groups of events",
        legendgroup="groups",
        text=[box.label for box in clusters],
        textposition=["middle left" if box.flipped else "middle right" for box in clusters],
        textfont={"size": LABEL_FONT_SIZE, "color": "#222"},
        marker={"color": "#fff", "size": 11, "symbol": "square",
                "line": {"color": CLUSTER_COLOR, "width": 2}},
        customdata=_cluster_data(clusters, rows),
        hovertemplate=CLUSTER_HOVER_TEMPLATE,
    )  # fmt: skip
