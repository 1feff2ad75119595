"""An offline map of events by place: shipped country shapes drawn on plain cartesian axes."""

from __future__ import annotations

import functools
import itertools
import json
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from timeline.figures import CATEGORY_COLORS, hover_safe
from timeline.model import CATEGORIES, Place

DEFAULT_BORDERS = Path(__file__).resolve().parent / "data" / "borders.geojson"
POINT_COLUMNS = ("place_id", "name", "region", "lat", "lon", "category", "events")
MARKER_COLUMNS = ("place_id", "name", "region", "lat", "lon", "events", "key", "summary")
# Ukraine's mainland and Crimea, west, south, east, north: the view when there is nothing to show.
UKRAINE_BOX = (22.1, 44.3, 40.3, 52.4)
SUBJECT = "Ukraine"
BORDER_COLOR = "#9a9a9a"
FALLBACK_COLOR = "#777777"
# Translucent greys read as land on light and dark backgrounds alike (the sea stays the
# background); the subject of the timeline gets a faint blue.
LAND_FILL = "rgba(140, 140, 140, 0.10)"
SUBJECT_FILL = "rgba(68, 119, 170, 0.16)"
NAME_COLOR = "rgba(125, 125, 125, 0.95)"
SCALE_COLOR = "rgba(110, 110, 110, 0.95)"
# A place whose events fall into several categories: a grey none of the categories uses.
MIXED = "mixed"
MIXED_COLOR = "#BBBBBB"
MIXED_LINE = "#777777"
# Marker diameters in pixels: the area grows with the count (diameter with its square root);
# SIZE_REFERENCE events or more at the busiest place get MAX_SIZE, the scale never goes below
# MIN_SIZE.
MIN_SIZE = 6.0
MAX_SIZE = 36.0
SIZE_REFERENCE = 16
# Around the points: a share of their span, at least MIN_MARGIN degrees.
MARGIN_SHARE = 0.12
MIN_MARGIN = 0.8
MAP_HEIGHT = 560
# The dashboard stretches the map to a width unknown here. Labels are laid out for a map this
# narrow (less its legend); the view is fitted to that shape, so a wider map shows the same
# scale with more room at the sides and the labels stay as far apart as laid out.
NOMINAL_WIDTH = 760
LEGEND_ALLOWANCE = 150
MARGIN = 10
TITLE_ALLOWANCE = 30
# Plotly's tool bar sits over the plot's top right corner: the legend starts under it.
MODEBAR_PX = 34
LABEL_FONT = 12
COUNTRY_FONT = 14
NOTE_FONT = 11
# Text size in font sizes, erring large: no font metrics are available outside the browser.
# A character's average advance (Open Sans and Source Sans about 0.5, Verdana 0.6) and the
# ascent and descent of Open Sans, plotly's first font, the tallest of those.
CHAR_WIDTH = 0.62
ASCENT = 1.07
DESCENT = 0.29
NAME_HEIGHT = ASCENT + DESCENT
# Pixels kept free between a label and any other label, marker or note.
LABEL_GAP = 2.0
# Only the busiest places are offered a label: the rest would not fit anyway, and the greedy
# placement is quadratic in the number of places.
MAX_LABELS = 150
# Label positions as plotly's textposition, in order of preference: beside, above or below,
# then diagonally, where a round marker leaves the most room.
POSITIONS = (
    "middle right", "middle left", "top center", "bottom center",
    "top right", "bottom right", "top left", "bottom left",
)  # fmt: skip
KM_PER_DEGREE = 111.32
# The scale bar is the longest round length within this share of the view's width.
SCALE_SHARE = 0.22
SCALE_INSET = 14.0
SCALE_TICK = 5.0
# Candidate centres for a country's name are at most about this many per country.
NAME_CANDIDATES = 600
HOVER_TEMPLATE = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>%{customdata[4]}: %{customdata[3]}"
    "<extra></extra>"
)

Point = tuple[float, float]
LineString = list[Point]
Ring = tuple[Point, ...]
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Country:
    """A country's name and polygons; each polygon is a tuple of rings, the outer ring first."""

    name: str
    polygons: tuple[tuple[Ring, ...], ...]

    @functools.cached_property
    def rings(self) -> tuple[np.ndarray, ...]:
        """Every ring as an (n, 2) array of lon, lat."""
        return tuple(
            np.array(ring, dtype="float64").reshape(-1, 2)
            for polygon in self.polygons
            for ring in polygon
        )

    @functools.cached_property
    def box(self) -> Box | None:
        """The bounding box of the outer rings, None without any."""
        points = [point for polygon in self.polygons for point in polygon[0]]
        if not points:
            return None
        lons, lats = [lon for lon, _ in points], [lat for _, lat in points]
        return min(lons), min(lats), max(lons), max(lats)


class Anchor(NamedTuple):
    """A marker to label, in pixels with y up: centre, radius, the label's width and font
    size, and its weight (heavier anchors are labelled first)."""

    x: float
    y: float
    radius: float
    width: float
    font: float
    weight: float = 0.0


@dataclass(frozen=True)
class Projection:
    """Degrees to pixels of the plot area (y up), equal distances equal at the view's middle."""

    view: Box
    width: float
    height: float

    @property
    def scale(self) -> float:
        """Pixels per degree of longitude."""
        return self.width / (self.view[2] - self.view[0])

    @property
    def ratio(self) -> float:
        """Pixels per degree of latitude over pixels per degree of longitude."""
        return 1 / math.cos(math.radians((self.view[1] + self.view[3]) / 2))

    def pixels(self, lon: float, lat: float) -> Point:
        """Where a (lon, lat) falls on the plot area."""
        return (lon - self.view[0]) * self.scale, (lat - self.view[1]) * self.scale * self.ratio

    def degrees(self, x: float, y: float) -> Point:
        """The (lon, lat) at a pixel of the plot area."""
        return self.view[0] + x / self.scale, self.view[1] + y / (self.scale * self.ratio)


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


def load_countries(path: str | Path = DEFAULT_BORDERS) -> tuple[Country, ...]:
    """The countries of a borders file, with their (clipped) polygons."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    countries = []
    for feature in data.get("features", []):
        geometry = feature.get("geometry") or {}
        coordinates = geometry.get("coordinates") or []
        polygons = {"Polygon": [coordinates], "MultiPolygon": coordinates}.get(
            geometry.get("type"), []
        )
        countries.append(
            Country(
                name=str((feature.get("properties") or {}).get("name", "")),
                polygons=tuple(
                    tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for ring in polygon)
                    for polygon in polygons
                ),
            )
        )
    return tuple(countries)


@functools.cache
def shipped_countries() -> tuple[Country, ...]:
    """The countries shipped with the package, read once per process (they never change)."""
    return load_countries(DEFAULT_BORDERS)


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


def place_markers(points: pd.DataFrame) -> pd.DataFrame:
    """One row per place from places_frame's rows: the total count, and its colour key.

    `key` is the category when all the place's events share one, else MIXED; `summary` lists
    the categories with their counts, most events first.
    """
    order = {category: rank for rank, category in enumerate(CATEGORIES)}
    rows = []
    for place_id, group in points.groupby("place_id", sort=True):
        counts = sorted(
            zip(group["category"], group["events"], strict=True),
            key=lambda pair: (-pair[1], order.get(pair[0], len(order)), pair[0]),
        )
        first = group.iloc[0]
        rows.append(
            {
                "place_id": place_id, "name": first["name"], "region": first["region"],
                "lat": float(first["lat"]), "lon": float(first["lon"]),
                "events": int(sum(count for _, count in counts)),
                "key": counts[0][0] if len(counts) == 1 else MIXED,
                "summary": ", ".join(
                    category if len(counts) == 1 else f"{category} {int(count)}"
                    for category, count in counts
                ),
            }
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(MARKER_COLUMNS))
    return frame.astype({"lat": "float64", "lon": "float64", "events": "int64"})


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


def text_width(text: str, font_size: float) -> float:
    """Estimated pixel width of one line of text."""
    return len(text) * CHAR_WIDTH * font_size


def marker_box(anchor: Anchor) -> Box:
    """The pixel box around an anchor's marker."""
    return (
        anchor.x - anchor.radius, anchor.y - anchor.radius,
        anchor.x + anchor.radius, anchor.y + anchor.radius,
    )  # fmt: skip


def label_box(anchor: Anchor, position: str) -> Box:
    """The pixel box (west, south, east, north; y up) of an anchor's label at a textposition.

    As plotly.js places text (textPointPosition): radius / 0.8 + 1 pixels off the marker's
    centre, the baseline a quarter of the font size below the middle for a middle row.
    """
    vertical, _, horizontal = position.partition(" ")
    if vertical not in ("top", "middle", "bottom") or horizontal not in ("left", "center", "right"):
        raise ValueError(f"label position {position!r}: expected one of {', '.join(POSITIONS)}")
    offset = anchor.radius / 0.8 + 1 if anchor.radius > 0 else 0.0
    font, width = anchor.font, anchor.width
    west = {
        "right": anchor.x + offset, "left": anchor.x - offset - width,
        "center": anchor.x - width / 2,
    }[horizontal]  # fmt: skip
    baseline = {
        "top": anchor.y + offset + font / 4, "middle": anchor.y - font / 4,
        "bottom": anchor.y - offset - 3 * font / 4,
    }[vertical]  # fmt: skip
    return west, baseline - DESCENT * font, west + width, baseline + ASCENT * font


def boxes_overlap(a: Box, b: Box, gap: float = 0.0) -> bool:
    """Whether two boxes overlap or come closer to each other than gap."""
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


def box_within(inner: Box, outer: Box) -> bool:
    """Whether a box lies wholly inside another."""
    return (
        inner[0] >= outer[0] and inner[1] >= outer[1]
        and inner[2] <= outer[2] and inner[3] <= outer[3]
    )  # fmt: skip


def place_labels(
    anchors: Sequence[Anchor], bounds: Box, obstacles: Sequence[Box] = ()
) -> list[str | None]:
    """A position (one of POSITIONS) for each anchor's label, None where none fits.

    Heavier anchors go first (ties in the given order), each at the first position whose box
    stays inside bounds and keeps LABEL_GAP from every label placed so far, every other
    marker and every obstacle.
    """
    markers = [marker_box(anchor) for anchor in anchors]
    placed: list[Box] = []
    positions: list[str | None] = [None] * len(anchors)
    for index in sorted(range(len(anchors)), key=lambda i: (-anchors[i].weight, i)):
        for position in POSITIONS:
            box = label_box(anchors[index], position)
            clear = box_within(box, bounds) and not any(
                boxes_overlap(box, other, LABEL_GAP)
                for other in itertools.chain(
                    placed, obstacles, (m for i, m in enumerate(markers) if i != index)
                )
            )
            if clear:
                positions[index] = position
                placed.append(box)
                break
    return positions


def name_position(
    rings: Sequence[np.ndarray], bounds: Box, size: tuple[float, float], taken: Sequence[Box] = ()
) -> Point | None:
    """Where to centre a country's name (pixels): its box inside the country and the bounds,
    clear of `taken`, as far from the country's edges as possible; None if it fits nowhere.

    `rings` are the country's rings in pixels, arrays of shape (n, 2), closed.
    """
    width, height = size
    starts = np.concatenate([ring[:-1] for ring in rings]) if rings else np.empty((0, 2))
    ends = np.concatenate([ring[1:] for ring in rings]) if rings else np.empty((0, 2))
    if not len(starts):
        return None
    west = max(bounds[0], float(starts[:, 0].min())) + width / 2
    east = min(bounds[2], float(starts[:, 0].max())) - width / 2
    south = max(bounds[1], float(starts[:, 1].min())) + height / 2
    north = min(bounds[3], float(starts[:, 1].max())) - height / 2
    if west > east or south > north:
        return None
    step = max(4.0, math.sqrt((east - west + 1) * (north - south + 1) / NAME_CANDIDATES))
    xs, ys = np.meshgrid(np.arange(west, east + 1e-9, step), np.arange(south, north + 1e-9, step))
    centres = np.column_stack([xs.ravel(), ys.ravel()])
    # The centre and then the four corners of a candidate's box must be inside the country.
    centres = centres[_even_odd(centres, starts, ends)]
    for corner in np.array([(-1, -1), (-1, 1), (1, -1), (1, 1)]) * (width / 2, height / 2):
        centres = centres[_even_odd(centres + corner, starts, ends)]
    if not len(centres):
        return None
    # A segment wholly outside the bounds is farther from any candidate than the bounds' edge.
    meets = (
        (np.maximum(starts[:, 0], ends[:, 0]) >= bounds[0])
        & (np.minimum(starts[:, 0], ends[:, 0]) <= bounds[2])
        & (np.maximum(starts[:, 1], ends[:, 1]) >= bounds[1])
        & (np.minimum(starts[:, 1], ends[:, 1]) <= bounds[3])
    )
    distance = np.minimum(
        _segment_distance(centres, starts[meets], ends[meets]),
        np.minimum.reduce(
            [centres[:, 0] - bounds[0], bounds[2] - centres[:, 0],
             centres[:, 1] - bounds[1], bounds[3] - centres[:, 1]]
        ),
    )  # fmt: skip
    for index in np.argsort(-distance, kind="stable"):
        x, y = (float(value) for value in centres[index])
        box = (x - width / 2, y - height / 2, x + width / 2, y + height / 2)
        if not any(boxes_overlap(box, other, LABEL_GAP) for other in taken):
            return x, y
    return None


def _even_odd(points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Whether each point is inside the rings made of the segments (even-odd rule)."""
    if not len(points):
        return np.zeros(0, dtype=bool)
    # Only segments spanning a point's latitude, not wholly west of every point, can cross
    # the ray cast east from it.
    low, high = np.minimum(starts[:, 1], ends[:, 1]), np.maximum(starts[:, 1], ends[:, 1])
    near = (
        (high > points[:, 1].min())
        & (low <= points[:, 1].max())
        & (np.maximum(starts[:, 0], ends[:, 0]) > points[:, 0].min())
    )
    starts, ends = starts[near], ends[near]
    px, py = points[:, :1], points[:, 1:]
    x0, y0, x1, y1 = starts[:, 0], starts[:, 1], ends[:, 0], ends[:, 1]
    straddles = (y0 > py) != (y1 > py)
    with np.errstate(divide="ignore", invalid="ignore"):
        crossing = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
    return (straddles & (px < crossing)).sum(axis=1) % 2 == 1


def _segment_distance(points: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Each point's distance to the nearest of the segments."""
    delta = ends - starts
    length = np.maximum((delta**2).sum(axis=1), 1e-12)
    best = np.full(len(points), np.inf)
    if not len(starts):
        return best
    # In chunks of points, so the (points x segments) arrays stay a few MB.
    for first in range(0, len(points), 256):
        chunk = points[first : first + 256, None, :]
        t = np.clip(((chunk - starts) * delta).sum(axis=2) / length, 0, 1)
        nearest = starts + t[..., None] * delta
        best[first : first + 256] = np.sqrt(((chunk - nearest) ** 2).sum(axis=2)).min(axis=1)
    return best


def scale_length(width_km: float) -> float:
    """The longest 1, 2 or 5 times a power of ten (km) within SCALE_SHARE of width_km."""
    target = max(width_km * SCALE_SHARE, 1e-9)
    power = 10 ** math.floor(math.log10(target))
    return max(step * power for step in (1, 2, 5) if step * power <= target * (1 + 1e-9))


def scale_text(length_km: float) -> str:
    """A scale bar's label: kilometres, or metres below one kilometre."""
    return f"{length_km:g} km" if length_km >= 1 else f"{length_km * 1000:g} m"


def fit_view(box: Box, width: float, height: float) -> Box:
    """The box widened in one direction to the plot area's shape, around the same centre."""
    west, south, east, north = box
    ratio = 1 / math.cos(math.radians((south + north) / 2))
    across, up = east - west, (north - south) * ratio
    if across / width > up / height:
        extra = (across * height / width - up) / ratio / 2
        return west, south - extra, east, north + extra
    extra = (up * width / height - across) / 2
    return west - extra, south, east + extra, north


def map_figure(
    points: pd.DataFrame,
    borders: Sequence[Sequence[Point]],
    *,
    colors: Mapping[str, str] | None = None,
    title: str | None = None,
    countries: Sequence[Country] | None = None,
    width: int | None = None,
) -> go.Figure:
    """One marker per place, sized by its events and labelled where room allows, over
    country shapes with their names and a scale bar; nothing fetched from the network.

    `countries` defaults to the shipped ones; `width` (pixels) fixes the figure's width,
    otherwise labels are laid out for NOMINAL_WIDTH, and wider maps keep that layout.
    """
    palette = {**CATEGORY_COLORS, MIXED: MIXED_COLOR, **(colors or {})}
    markers = place_markers(_clean_points(points))
    markers["size"] = marker_sizes(markers["events"])
    countries = shipped_countries() if countries is None else countries
    coverage = _lines_box(borders)
    on_map = markers if coverage is None else markers[_within(markers, coverage)]
    plot_width = (width or NOMINAL_WIDTH) - 2 * MARGIN - LEGEND_ALLOWANCE
    plot_height = MAP_HEIGHT - 2 * MARGIN - (TITLE_ALLOWANCE if title else 0)
    view = fit_view(_view_box(on_map) if len(on_map) else UKRAINE_BOX, plot_width, plot_height)
    projection = Projection(view, plot_width, plot_height)

    notes: list[tuple[str, bool]] = []
    obstacles: list[Box] = []
    off_map = markers.loc[~markers.index.isin(on_map.index), "name"].drop_duplicates()
    if len(off_map):
        notes.append(("Not on this map: " + ", ".join(sorted(off_map)), True))
        obstacles.append(_note_box(notes[-1][0], plot_height, bottom=True))
    bar = _scale_bar(projection)
    obstacles.append(bar["box"])
    label_of, taken, left_out = _place_names(on_map, projection, obstacles)
    if left_out:
        notes.append((_left_out(left_out), False))
    names = _country_names(countries, projection, taken)

    figure = go.Figure()
    figure.add_trace(_fill_trace([c for c in countries if c.name != SUBJECT], LAND_FILL, "land"))
    figure.add_trace(
        _fill_trace([c for c in countries if c.name == SUBJECT], SUBJECT_FILL, SUBJECT)
    )
    figure.add_trace(_border_trace(borders))
    figure.add_trace(
        go.Scatter(
            x=[lon for _, lon, _ in names], y=[lat for _, _, lat in names],
            text=[hover_safe(name) for name, _, _ in names], mode="text", name="countries",
            textposition="middle center",
            textfont={"size": COUNTRY_FONT, "color": NAME_COLOR},
            hoverinfo="skip", showlegend=False,
        )
    )  # fmt: skip
    for key in _key_order(markers["key"]):
        group = markers[markers["key"] == key]
        figure.add_trace(_marker_trace(group, key, palette.get(key), label_of))
    _style_axes(figure, view)
    _draw_scale_bar(figure, bar)
    for text, bottom in notes:
        figure.add_annotation(
            text=hover_safe(text), xref="paper", yref="paper", x=0, y=0 if bottom else 1,
            xanchor="left", yanchor="bottom" if bottom else "top", showarrow=False,
            font={"size": NOTE_FONT, "color": FALLBACK_COLOR},
        )  # fmt: skip
    figure.update_layout(
        height=MAP_HEIGHT,
        margin={"l": MARGIN, "r": MARGIN, "t": MARGIN + (TITLE_ALLOWANCE if title else 0),
                "b": MARGIN},
        legend={"title": {"text": "Category"}, "itemsizing": "constant", "yanchor": "top",
                "y": 1 - MODEBAR_PX / (MAP_HEIGHT - 2 * MARGIN)},
        plot_bgcolor="rgba(0,0,0,0)",
        hovermode="closest",
        showlegend=True,
    )  # fmt: skip
    if width:
        figure.update_layout(width=width)
    if title:
        figure.update_layout(title={"text": title})
    return figure


def _place_names(
    on_map: pd.DataFrame, projection: Projection, obstacles: Sequence[Box]
) -> tuple[dict[str, str | None], list[Box], int]:
    """Label positions by place id, every box taken (labels, markers, notes, scale bar), and
    how many places go unnamed; a note saying so is kept clear of the labels."""
    bounds = (0.0, 0.0, projection.width, projection.height)
    labelled = on_map.sort_values(["events", "name"], ascending=[False, True]).head(MAX_LABELS)
    anchors = [
        Anchor(*projection.pixels(lon, lat), size / 2, text_width(name, LABEL_FONT), LABEL_FONT,
               events)
        for lon, lat, size, name, events in zip(
            labelled["lon"], labelled["lat"], labelled["size"], labelled["name"],
            labelled["events"], strict=True,
        )
    ]  # fmt: skip
    # Markers of places beyond MAX_LABELS get no label but must not be covered by one.
    unlabelled = on_map.drop(labelled.index)
    taken = [*obstacles] + [
        marker_box(Anchor(*projection.pixels(lon, lat), size / 2, 0, LABEL_FONT))
        for lon, lat, size in zip(
            unlabelled["lon"], unlabelled["lat"], unlabelled["size"], strict=True
        )
    ]
    positions = place_labels(anchors, bounds, taken)
    if None in positions or len(on_map) > len(anchors):
        # The note takes room from the labels: lay them out again with its (widest) box kept.
        taken.append(_note_box(_left_out(len(on_map)), projection.height, bottom=False))
        positions = place_labels(anchors, bounds, taken)
    taken += [marker_box(anchor) for anchor in anchors]
    taken += [
        label_box(anchor, position)
        for anchor, position in zip(anchors, positions, strict=True)
        if position is not None
    ]
    left_out = len(on_map) - len(anchors) + positions.count(None)
    return dict(zip(labelled["place_id"], positions, strict=True)), taken, left_out


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
    frame["region"] = frame["region"].fillna("").astype(str)
    return frame


def _key_order(keys: pd.Series) -> list[str]:
    """Colour keys present: the vocabulary's order, unknown categories by name, MIXED last."""
    present = set(keys)
    known = [c for c in CATEGORIES if c in present]
    return known + sorted(present - set(CATEGORIES) - {MIXED}) + [MIXED] * (MIXED in present)


def _note_box(text: str, plot_height: float, *, bottom: bool) -> Box:
    """The pixel box of a one-line note in the plot area's bottom or top left corner."""
    width, height = text_width(text, NOTE_FONT), NAME_HEIGHT * NOTE_FONT
    return (0.0, 0.0, width, height) if bottom else (0.0, plot_height - height, width, plot_height)


def _left_out(count: int) -> str:
    """The note saying how many place names the map leaves out."""
    if count == 1:
        return "1 place name left out where it would overlap: hover the markers"
    return f"{count:,} place names left out where they would overlap: hover the markers"


def _scale_bar(projection: Projection) -> dict:
    """The scale bar, bottom right: its ends and latitude in degrees, label, box in pixels.

    Its length is right at its own latitude (the axes are true only at the view's middle).
    """
    y = SCALE_INSET
    west, lat = projection.degrees(0, y)
    east = projection.degrees(projection.width - SCALE_INSET, y)[0]
    km_per_degree = KM_PER_DEGREE * math.cos(math.radians(lat))
    length = scale_length((east - west) * km_per_degree)
    span = length / km_per_degree
    pixels = span * projection.scale
    return {
        "west": east - span, "east": east, "lat": lat, "text": scale_text(length),
        "tick": SCALE_TICK / (projection.scale * projection.ratio),
        "box": (projection.width - SCALE_INSET - pixels - 2, y - SCALE_TICK,
                projection.width - SCALE_INSET + 2, y + SCALE_TICK + NAME_HEIGHT * NOTE_FONT),
    }  # fmt: skip


def _draw_scale_bar(figure: go.Figure, bar: Mapping) -> None:
    """A line with end ticks and its length above, in data coordinates: it stays right on zoom."""
    west, east, lat, tick = bar["west"], bar["east"], bar["lat"], bar["tick"]
    line = {"color": SCALE_COLOR, "width": 1.5}
    for x0, y0, x1, y1 in ((west, lat, east, lat), (west, lat - tick, west, lat + tick),
                           (east, lat - tick, east, lat + tick)):  # fmt: skip
        figure.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, xref="x", yref="y", line=line)
    figure.add_annotation(
        text=bar["text"], x=(west + east) / 2, y=lat, xref="x", yref="y", yanchor="bottom",
        showarrow=False, font={"size": NOTE_FONT, "color": SCALE_COLOR}, name="scale",
    )  # fmt: skip


def _country_names(
    countries: Sequence[Country], projection: Projection, taken: Sequence[Box]
) -> list[tuple[str, float, float]]:
    """(name, lon, lat) of every country whose name fits in the view: the subject first, then
    the countries with the most room in the view."""
    west, south, east, north = projection.view
    candidates = []
    for country in countries:
        if country.box is None or not country.name:
            continue
        room = max(0.0, min(east, country.box[2]) - max(west, country.box[0])) * max(
            0.0, min(north, country.box[3]) - max(south, country.box[1])
        )
        if room > 0:
            candidates.append((country.name != SUBJECT, -room, country.name, country))
    origin = np.array([west, south])
    factor = np.array([projection.scale, projection.scale * projection.ratio])
    bounds = (0.0, 0.0, projection.width, projection.height)
    names = []
    occupied = list(taken)
    for *_, country in sorted(candidates):
        rings = [(ring - origin) * factor for ring in country.rings]
        width = text_width(country.name, COUNTRY_FONT)
        found = name_position(rings, bounds, (width, NAME_HEIGHT * COUNTRY_FONT), occupied)
        if found is None:
            continue
        x, y = found
        # The text is anchored at its middle, which is not quite its box's middle.
        box = label_box(Anchor(x, y, 0, width, COUNTRY_FONT), "middle center")
        y -= (box[1] + box[3]) / 2 - y
        occupied.append(label_box(Anchor(x, y, 0, width, COUNTRY_FONT), "middle center"))
        names.append((country.name, *projection.degrees(x, y)))
    return names


def _fill_trace(countries: Sequence[Country], color: str, name: str) -> go.Scatter:
    """The countries' polygons filled in one colour, rings separated by gaps, no outline."""
    xs, ys = _with_gaps(ring for country in countries for polygon in country.polygons
                        for ring in polygon)  # fmt: skip
    return go.Scatter(
        x=xs, y=ys, mode="lines", name=name, fill="toself", fillcolor=color,
        line={"width": 0, "color": color}, hoverinfo="skip", showlegend=False,
    )  # fmt: skip


def _border_trace(borders: Sequence[Sequence[Point]]) -> go.Scatter:
    """All outlines as one thin grey line trace, line strings separated by gaps."""
    xs, ys = _with_gaps(borders)
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        name="borders",
        line={"color": BORDER_COLOR, "width": 0.8},
        hoverinfo="skip",
        showlegend=False,
    )


def _with_gaps(lines: Iterable[Sequence[Point]]) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes of the lines, each followed by NaN (a gap plotly.js leaves).

    Arrays rather than lists: plotly checks lists item by item (0.1 s for these outlines)
    and sends arrays to the browser as compact binary.
    """
    parts = [np.array([*line, (math.nan, math.nan)], dtype="float64") for line in lines]
    joined = np.concatenate(parts) if parts else np.empty((0, 2))
    return joined[:, 0], joined[:, 1]


def _marker_trace(
    group: pd.DataFrame, key: str, color: str | None, label_of: Mapping[str, str | None]
) -> go.Scatter:
    """One colour's places, named where place_labels found room; larger markers first so
    smaller ones stay on top and clickable."""
    group = group.sort_values("size", ascending=False, kind="stable")
    label = hover_safe(key)
    customdata = [
        [place_id, hover_safe(name), hover_safe(region), hover_safe(summary),
         f"{int(events)} event{'s' if int(events) != 1 else ''}"]
        for place_id, name, region, summary, events in zip(
            group["place_id"], group["name"], group["region"], group["summary"], group["events"],
            strict=True,
        )
    ]  # fmt: skip
    positions = [label_of.get(place_id) for place_id in group["place_id"]]
    return go.Scatter(
        x=list(group["lon"]),
        y=list(group["lat"]),
        mode="markers+text",
        name=label,
        legendgroup=label,
        marker={
            "size": list(group["size"]),
            "sizemode": "diameter",
            "color": color or FALLBACK_COLOR,
            "opacity": 0.8,
            # A pale mixed marker needs an outline to stand out from the land.
            "line": {"width": 1, "color": MIXED_LINE if key == MIXED else "white"},
        },
        text=[
            hover_safe(name) if position else ""
            for name, position in zip(group["name"], positions, strict=True)
        ],
        textposition=[position or POSITIONS[0] for position in positions],
        textfont={"size": LABEL_FONT},
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
