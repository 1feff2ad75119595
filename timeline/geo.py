"""An offline map of events by place: shipped country outlines drawn on plain cartesian axes."""

from __future__ import annotations

import itertools
import json
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from timeline.figures import CATEGORY_COLORS, hover_safe
from timeline.model import CATEGORIES, Place

DEFAULT_BORDERS = Path(__file__).resolve().parent / "data" / "borders.geojson"
POINT_COLUMNS = ("place_id", "name", "region", "lat", "lon", "category", "events")
# Ukraine's mainland and Crimea, west, south, east, north: the view when there is nothing to show.
UKRAINE_BOX = (22.1, 44.3, 40.3, 52.4)
BORDER_COLOR = "#9a9a9a"
FALLBACK_COLOR = "#777777"
# Marker diameters in pixels: the area grows with the count (diameter with its square root);
# SIZE_REFERENCE events or more at the busiest place get MAX_SIZE, the scale never goes below
# MIN_SIZE.
MIN_SIZE = 6.0
MAX_SIZE = 36.0
SIZE_REFERENCE = 16
# Around the points: a share of their span, at least MIN_MARGIN degrees.
MARGIN_SHARE = 0.12
MIN_MARGIN = 0.8
HOVER_TEMPLATE = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[3]}: %{customdata[4]}"
    "<extra></extra>"
)

Point = tuple[float, float]
LineString = list[Point]
Box = tuple[float, float, float, float]


def load_borders(path: str | Path = DEFAULT_BORDERS) -> list[LineString]:
    """Outlines as (lon, lat) line strings: shared borders once, the clip box's edges left out."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    clip = data.get("clip_box")
    seen: set[frozenset[Point]] = set()
    lines: list[LineString] = []
    for feature in data.get("features", []):
        for part in _geometry_parts(feature.get("geometry") or {}):
            line: LineString = []
            for a, b in itertools.pairwise(part):
                key = frozenset((a, b))
                if a == b or key in seen or (clip and _on_box_edge(a, b, clip)):
                    if len(line) > 1:
                        lines.append(line)
                    line = []
                    continue
                seen.add(key)
                line = line or [a]
                line.append(b)
            if len(line) > 1:
                lines.append(line)
    return lines


def _geometry_parts(geometry: Mapping) -> list[list[Point]]:
    """The rings or lines of a GeoJSON geometry as lists of (lon, lat) tuples."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates") or []
    parts = {
        "LineString": [coordinates],
        "MultiLineString": coordinates,
        "Polygon": coordinates,
        "MultiPolygon": [ring for polygon in coordinates for ring in polygon],
    }.get(kind, [])
    return [[(float(x), float(y)) for x, y, *_ in part] for part in parts]


def _on_box_edge(a: Point, b: Point, box: Sequence[float]) -> bool:
    """Whether segment a–b runs along an edge of the box (an artefact of clipping)."""
    west, south, east, north = box
    along_meridian = a[0] == b[0] and a[0] in (west, east)
    along_parallel = a[1] == b[1] and a[1] in (south, north)
    return along_meridian or along_parallel


def places_frame(
    pairs: Iterable[tuple[str, str]],
    places: Mapping[str, Place],
    *,
    exclude_kinds: Collection[str] = ("country",),
) -> pd.DataFrame:
    """Points for map_figure from (place_id, category) pairs, one pair per event and place."""
    counts = Counter(pairs)
    rows = []
    for (place_id, category), events in counts.items():
        place = places.get(place_id)
        if place is None or place.kind in exclude_kinds:
            continue
        rows.append(
            {
                "place_id": place_id, "name": place.name, "region": place.region or "",
                "lat": float(place.lat), "lon": float(place.lon), "category": category,
                "events": events,
            }
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(POINT_COLUMNS))
    if frame.empty:
        return frame.astype({"lat": "float64", "lon": "float64", "events": "int64"})
    order = {category: rank for rank, category in enumerate(CATEGORIES)}
    frame["rank"] = frame["category"].map(lambda category: order.get(category, len(order)))
    frame = frame.sort_values(["place_id", "rank", "category"]).drop(columns="rank")
    return frame.reset_index(drop=True).astype({"events": "int64"})


def marker_sizes(counts: Sequence[float] | pd.Series) -> list[float]:
    """Marker diameters for event counts: square-root scale between MIN_SIZE and MAX_SIZE."""
    values = [max(float(count), 0.0) for count in counts]
    if not values:
        return []
    reference = max(max(values), SIZE_REFERENCE)
    return [
        round(min(MAX_SIZE, max(MIN_SIZE, MAX_SIZE * math.sqrt(value / reference))), 2)
        for value in values
    ]


def map_figure(
    points: pd.DataFrame,
    borders: Sequence[Sequence[Point]],
    *,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
) -> go.Figure:
    """Places as markers sized by event count, one trace per category, over country outlines."""
    palette = {**CATEGORY_COLORS, **(colors or {})}
    points = _clean_points(points)
    coverage = _lines_box(borders)
    figure = go.Figure()
    figure.add_trace(_border_trace(borders))
    sizes = pd.Series(marker_sizes(points["events"]), index=points.index, dtype="float64")
    for category in _category_order(points["category"]):
        group = points[points["category"] == category]
        figure.add_trace(
            _category_trace(group, sizes[group.index], category, palette.get(category))
        )
    on_map = points if coverage is None else points[_within(points, coverage)]
    view = _view_box(on_map) if len(on_map) else UKRAINE_BOX
    _style_axes(figure, view)
    off_map = points.loc[~points.index.isin(on_map.index), "name"].drop_duplicates()
    if len(off_map):
        figure.add_annotation(
            text="Not on this map: " + ", ".join(hover_safe(name) for name in sorted(off_map)),
            xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="bottom",
            showarrow=False, font={"size": 11, "color": FALLBACK_COLOR},
        )  # fmt: skip
    figure.update_layout(
        height=560,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"title": {"text": "Category"}, "itemsizing": "constant"},
        plot_bgcolor="rgba(0,0,0,0)",
        hovermode="closest",
        showlegend=True,
    )
    if title:
        figure.update_layout(title={"text": title})
    return figure


def _clean_points(points: pd.DataFrame) -> pd.DataFrame:
    """The rows that can be drawn: all columns present, coordinates known, a positive count."""
    missing = [column for column in POINT_COLUMNS if column not in points.columns]
    if missing:
        raise ValueError(f"points lack the columns {', '.join(missing)}")
    frame = points.loc[:, list(POINT_COLUMNS)].copy()
    frame["lat"] = pd.to_numeric(frame["lat"], errors="coerce")
    frame["lon"] = pd.to_numeric(frame["lon"], errors="coerce")
    frame["events"] = pd.to_numeric(frame["events"], errors="coerce")
    keep = frame["lat"].between(-90, 90) & frame["lon"].between(-180, 180) & (frame["events"] > 0)
    frame = frame[keep].reset_index(drop=True)
    frame["category"] = frame["category"].astype(str)
    return frame


def _category_order(categories: pd.Series) -> list[str]:
    """Categories present, in the vocabulary's order, unknown ones last by name."""
    present = set(categories)
    return [c for c in CATEGORIES if c in present] + sorted(present - set(CATEGORIES))


def _border_trace(borders: Sequence[Sequence[Point]]) -> go.Scatter:
    """All outlines as one thin grey line trace, line strings separated by gaps."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for line in borders:
        for lon, lat in line:
            xs.append(lon)
            ys.append(lat)
        xs.append(None)
        ys.append(None)
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        name="borders",
        line={"color": BORDER_COLOR, "width": 0.8},
        hoverinfo="skip",
        showlegend=False,
    )


def _category_trace(
    group: pd.DataFrame, sizes: pd.Series, category: str, color: str | None
) -> go.Scatter:
    """One category's places; larger markers first so smaller ones stay on top and clickable."""
    order = sizes.sort_values(ascending=False, kind="stable").index
    group, sizes = group.loc[order], sizes.loc[order]
    label = hover_safe(category)
    customdata = [
        [
            place_id, hover_safe(name), hover_safe(region or ""), label,
            f"{int(events)} event{'s' if int(events) != 1 else ''}",
        ]
        for place_id, name, region, events in zip(
            group["place_id"], group["name"], group["region"].fillna(""), group["events"],
            strict=True,
        )
    ]  # fmt: skip
    return go.Scatter(
        x=list(group["lon"]),
        y=list(group["lat"]),
        mode="markers",
        name=label,
        legendgroup=label,
        marker={
            "size": list(sizes),
            "sizemode": "diameter",
            "color": color or FALLBACK_COLOR,
            "opacity": 0.75,
            "line": {"width": 1, "color": "white"},
        },
        customdata=customdata,
        hovertemplate=HOVER_TEMPLATE,
    )


def _lines_box(lines: Sequence[Sequence[Point]]) -> Box | None:
    """The bounding box of line strings, None when there are none."""
    xs = [lon for line in lines for lon, _ in line]
    ys = [lat for line in lines for _, lat in line]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _within(points: pd.DataFrame, box: Box) -> pd.Series:
    """Which points fall inside the box."""
    west, south, east, north = box
    return points["lon"].between(west, east) & points["lat"].between(south, north)


def _view_box(points: pd.DataFrame) -> Box:
    """The points' bounding box with a margin on every side."""
    west, east = float(points["lon"].min()), float(points["lon"].max())
    south, north = float(points["lat"].min()), float(points["lat"].max())
    margin_x = max(MIN_MARGIN, MARGIN_SHARE * (east - west))
    margin_y = max(MIN_MARGIN, MARGIN_SHARE * (north - south))
    return west - margin_x, south - margin_y, east + margin_x, north + margin_y


def _style_axes(figure: go.Figure, view: Box) -> None:
    """Longitude across, latitude up, true proportions at the view's middle latitude, no grid."""
    west, south, east, north = view
    middle = math.radians((south + north) / 2)
    bare = {"showgrid": False, "zeroline": False, "showticklabels": False, "ticks": "",
            "title": {"text": ""}, "showline": False}  # fmt: skip
    figure.update_xaxes(range=[west, east], **bare)
    figure.update_yaxes(
        range=[south, north], scaleanchor="x", scaleratio=1 / math.cos(middle), **bare
    )
