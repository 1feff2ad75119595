"""Plotly figure builders: pure functions from frames to go.Figure, never displayed here."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd
import plotly.graph_objects as go

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


def timeline_figure(
    frame: pd.DataFrame,
    stories: Sequence[Story] = (),
    *,
    lane: str = "category",
    lane_names: Mapping[str, str] | None = None,
    window: tuple[date, date] | None = None,
    selected: str | None = None,
) -> go.Figure:
    """Events in lanes over time: days as markers, wider dates as bars, stories as bands."""
    rows = lane_rows(frame, lane, lane_names)
    lanes = _lane_order(rows, lane)
    if len(rows) > DENSE_ABOVE:
        return _density_figure(rows, lanes, stories, lane, window)
    span_days = (window[1] - window[0]).days + 1 if window else None
    rows, ticks = stack_rows(rows, lanes, span_days)
    figure = go.Figure()
    for category in [c for c in CATEGORIES if c in set(rows["category"])]:
        group = rows[rows["category"] == category]
        color = CATEGORY_COLORS[category]
        spans = group[group["days"] > 1]
        points = group[group["days"] <= 1]
        if len(spans):
            figure.add_trace(_span_bars(spans, category, color))
        figure.add_trace(_markers(points, spans, category, color, selected))
        figure.add_trace(_legend_entry(category, color))
    _story_bands(figure, stories)
    for low, _ in ticks.values():
        figure.add_hline(y=low, line_width=0.5, line_color="rgba(128,128,128,0.35)")
    top = max((high for _, high in ticks.values()), default=1.0)
    figure.update_layout(
        height=max(320, 120 + 34 * top),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        hovermode="closest",
        clickmode="event+select",
        dragmode="zoom",
        legend={"orientation": "h", "y": 1.08, "x": 0, "title": {"text": "Category"}},
        uirevision="timeline",
    )
    figure.update_xaxes(
        title_text="Date",
        type="date",
        rangeslider={"visible": True, "thickness": 0.08},
        range=[window[0], _day_after(window[1])] if window else None,
    )
    figure.update_yaxes(
        title_text=LANE_TITLES[lane],
        tickmode="array",
        tickvals=[(low + high) / 2 for low, high in ticks.values()],
        ticktext=[hover_safe(name) for name in ticks],
        range=[0, top],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
    )
    return figure


# Beyond this many items single markers stop being readable (and cost megabytes to draw):
# the timeline shows how many events each lane has per day instead.
DENSE_ABOVE = 1500


def _density_figure(
    rows: pd.DataFrame,
    lanes: list[str],
    stories: Sequence[Story],
    lane: str,
    window: tuple[date, date] | None,
) -> go.Figure:
    """Events per lane and day as a heat strip, for selections too large to draw one by one."""
    counts = rows.groupby(["lane", "start"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=lanes, fill_value=0)
    figure = go.Figure(
        go.Heatmap(
            x=counts.columns,
            y=[hover_safe(name) for name in counts.index],
            z=counts.to_numpy(),
            colorscale="Cividis",
            reversescale=True,
            colorbar={"title": {"text": "events"}},
            hovertemplate="%{y}<br>%{x|%d %B %Y}: %{z} events<extra></extra>",
            xgap=0,
            ygap=2,
        )
    )
    _story_bands(figure, stories)
    figure.update_layout(
        height=max(320, 120 + 40 * len(lanes)),
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        uirevision="timeline",
        title={
            "text": f"{len(rows):,} events: counts per day by first possible day. Narrow the "
            "filters or pick a story to see single events.",
            "font": {"size": 13},
        },
    )
    figure.update_xaxes(
        title_text="Date",
        type="date",
        rangeslider={"visible": True, "thickness": 0.08},
        range=[window[0], _day_after(window[1])] if window else None,
    )
    figure.update_yaxes(
        title_text=LANE_TITLES[lane], autorange="reversed", fixedrange=True, type="category"
    )
    return figure


def _day_numbers(column: pd.Series) -> np.ndarray:
    """Days since 1970-01-01 of a datetime column, whatever its resolution."""
    return column.to_numpy().astype("datetime64[D]").astype(np.int64)


def _day_after(day: date) -> date:
    """The next day, or the same one at the end of the calendar (9999-12-31)."""
    return day + timedelta(days=1) if day < date.max else day


def _story_bands(figure: go.Figure, stories: Sequence[Story]) -> None:
    for index, story in enumerate(stories):
        figure.add_vrect(
            x0=story.date.first,
            x1=_day_after(story.date.last),
            fillcolor=STORY_COLORS[index % len(STORY_COLORS)],
            opacity=0.10,
            layer="below",
            line_width=0,
            annotation_text=hover_safe(story.title),
            annotation_position="top left",
            annotation_font_size=11,
        )


# Rows of items within a lane are this far apart, in lane units.
STACK_STEP = 0.7
LANE_PADDING = 0.6


def stack_rows(
    rows: pd.DataFrame, lanes: Sequence[str], span_days: int | None = None
) -> tuple[pd.DataFrame, dict[str, tuple[float, float]]]:
    """Give every row a y so items that overlap in time sit on separate rows of their lane.

    Returns the rows with a `y` column and each lane's (bottom, top) on the y axis, top lane
    first. A marker is treated as wide as about 1/80 of the visible window, so that markers
    closer than their own size do not cover each other.
    """
    # Day numbers, not timestamps: pandas' nanosecond timestamps end in 2262, dates do not.
    starts = pd.Series(_day_numbers(rows["start"]), index=rows.index, dtype="float64")
    ends = pd.Series(_day_numbers(rows["end"]) + 1, index=rows.index, dtype="float64")
    if span_days is None and len(rows):
        span_days = int(ends.max() - starts.min())
    min_width = max(span_days or 1, 1) / 80
    ends = ends.where(ends - starts >= min_width, starts + min_width)
    sub_rows = pd.Series(0, index=rows.index, dtype="int64")
    depth: dict[str, int] = {}
    for lane_name in lanes:
        in_lane = rows.index[rows["lane"] == lane_name]
        row_ends: list[float] = []
        for position in sorted(in_lane, key=lambda i: (starts[i], ends[i])):
            free = next((k for k, end in enumerate(row_ends) if end <= starts[position]), None)
            if free is None:
                row_ends.append(ends[position])
                free = len(row_ends) - 1
            else:
                row_ends[free] = ends[position]
            sub_rows[position] = free
        depth[lane_name] = max(len(row_ends), 1)
    ticks: dict[str, tuple[float, float]] = {}
    bottom = 0.0
    for lane_name in reversed(lanes):
        height = LANE_PADDING * 2 + (depth[lane_name] - 1) * STACK_STEP
        ticks[lane_name] = (bottom, bottom + height)
        bottom += height
    ticks = dict(reversed(list(ticks.items())))
    y = [
        ticks[lane_name][1] - LANE_PADDING - sub * STACK_STEP
        for lane_name, sub in zip(rows["lane"], sub_rows, strict=True)
    ]
    return rows.assign(y=y), ticks


def _lane_order(rows: pd.DataFrame, lane: str) -> list[str]:
    present = rows["lane"].unique().tolist()  # in order of appearance, without a Python loop
    if lane == "category":
        return [category for category in CATEGORIES if category in present]
    counts = rows["lane"].value_counts()
    return sorted(present, key=lambda value: (-counts[value], value))


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


def _markers(
    points: pd.DataFrame, spans: pd.DataFrame, category: str, color: str, selected: str | None
) -> go.Scatter:
    """Clickable markers: at the day (or part of day) for points, mid-span for wider dates."""
    point_x = [
        start + pd.Timedelta(hours=PART_OF_DAY_HOURS.get(part, 12))
        for start, part in zip(points["start"], points["part_of_day"], strict=True)
    ]
    span_x = list(spans["start"] + (spans["end"] + pd.Timedelta(days=1) - spans["start"]) / 2)
    both = pd.concat([points, spans])
    approximate = list(both["approximate"])
    wide = [False] * len(points) + [True] * len(spans)
    symbols = [
        ("diamond" if is_wide else "circle") + ("-open" if is_approximate else "")
        for is_wide, is_approximate in zip(wide, approximate, strict=True)
    ]
    sizes = [16 if event_id == selected else 11 for event_id in both["id"]]
    return go.Scatter(
        x=point_x + span_x,
        y=list(both["y"]),
        mode="markers",
        name=category,
        legendgroup=category,
        showlegend=False,
        marker={
            "color": color,
            "size": sizes,
            # Extracted candidates nobody has reviewed yet are drawn faded.
            "opacity": [0.45 if status == "candidate" else 1.0 for status in both["status"]],
            "symbol": symbols,
            "line": {"width": 1.5, "color": color},
        },
        customdata=_hover_data(both),
        hovertemplate=HOVER_TEMPLATE,
    )


def _legend_entry(category: str, color: str) -> go.Scatter:
    """A data-less trace, so every category shows the same plain circle in the legend."""
    return go.Scatter(
        x=[None], y=[None], mode="markers", name=category, legendgroup=category,
        marker={"color": color, "size": 10, "symbol": "circle"}, hoverinfo="skip",
    )  # fmt: skip


def _span_bars(spans: pd.DataFrame, category: str, color: str) -> go.Scatter:
    """Wide dates as thick segments from their first to their last day (inclusive)."""
    xs: list[object] = []
    ys: list[object] = []
    for start, end, y in zip(spans["start"], spans["end"], spans["y"], strict=True):
        xs += [start, end + pd.Timedelta(days=1), None]
        ys += [y, y, None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        name=category,
        legendgroup=category,
        showlegend=False,
        line={"color": color, "width": 8},
        opacity=0.45,
        hoverinfo="skip",
    )


def daily_counts_figure(frame: pd.DataFrame) -> go.Figure:
    """Events per day by category, stacked; an event counts on its first possible day."""
    figure = go.Figure()
    for category in [c for c in CATEGORIES if c in set(frame["category"])]:
        counts = frame.loc[frame["category"] == category, "start"].value_counts().sort_index()
        figure.add_trace(
            go.Bar(
                x=counts.index,
                y=counts.to_numpy(),
                name=category,
                marker_color=CATEGORY_COLORS[category],
                hovertemplate="%{x|%d %b %Y}: %{y} events<extra>" + category + "</extra>",
            )
        )
    figure.update_layout(
        barmode="stack",
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.15, "x": 0, "traceorder": "normal"},
    )
    figure.update_xaxes(title_text="First possible day", type="date")
    figure.update_yaxes(title_text="Events")
    return figure


def claims_figure(claims: pd.DataFrame, measures: Iterable[str]) -> go.Figure:
    """Claimed figures over time, one line per measure and claimant, claimant in the legend."""
    wanted = list(measures)
    chosen = claims[claims["measure"].isin(wanted)]
    figure = go.Figure()
    for (measure, claimant), group in chosen.groupby(["measure", "claimed_by"], sort=True):
        group = group.sort_values("date")
        figure.add_trace(
            go.Scatter(
                x=group["date"],
                y=group["value"],
                # Markers only: separate claims about separate events are not a continuous series.
                mode="markers",
                marker={"size": 11},
                name=hover_safe(f"{measure} — {claimant}"),
                customdata=[
                    [hover_safe(title), hover_safe(qualifier), hover_safe(unit), hover_safe(outlet)]
                    for title, qualifier, unit, outlet in zip(
                        group["title"],
                        group["qualifier"],
                        group["unit"],
                        group["outlet"],
                        strict=True,
                    )
                ],
                hovertemplate=(
                    "%{customdata[1]} %{y:,} %{customdata[2]}<br>%{customdata[0]}"
                    "<br>reported by %{customdata[3]}<extra></extra>"
                ),
            )
        )
    units = sorted(set(chosen["unit"]))
    figure.update_layout(
        height=340,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"title": {"text": "Measure — claimed by"}},
    )
    figure.update_xaxes(title_text="Date of the claim", type="date")
    figure.update_yaxes(title_text=hover_safe(", ".join(units)) if units else "Value")
    return figure
