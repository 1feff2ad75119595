"""The shipped country outlines and the offline map figure."""

from __future__ import annotations

import html
import importlib.util
import itertools
import json
import math
from collections import Counter
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline import geo
from timeline.geo import (
    DEFAULT_BORDERS,
    HOVER_TEMPLATE,
    LABEL_GAP,
    LAND_FILL,
    LEGEND_ALLOWANCE,
    MAP_HEIGHT,
    MARGIN,
    MAX_SIZE,
    MIN_SIZE,
    MIXED,
    MIXED_COLOR,
    MODEBAR_PX,
    NOMINAL_WIDTH,
    POINT_COLUMNS,
    POSITIONS,
    SUBJECT_FILL,
    UKRAINE_BOX,
    Anchor,
    Country,
    Projection,
    box_within,
    boxes_overlap,
    fit_view,
    label_box,
    load_borders,
    load_countries,
    map_figure,
    marker_box,
    marker_sizes,
    name_position,
    place_labels,
    place_markers,
    places_frame,
    scale_length,
    scale_text,
)
from timeline.model import Place

KYIV = (30.52, 50.45)
SIMFEROPOL = (34.10, 44.95)
# The Perekop isthmus and the Syvash, between mainland Ukraine and Crimea: west, south, east, north.
ISTHMUS_BOX = (33.3, 45.7, 35.0, 46.2)
# Part of the Russia–Ukraine land border east of Kharkiv.
KHARKIV_BORDER_BOX = (36.5, 50.0, 38.5, 50.5)
# Trace types that draw on a geo or tile base map, which the browser would fetch.
NETWORK_TRACE_TYPES = {
    "scattergeo", "choropleth",
    "scattermapbox", "choroplethmapbox", "densitymapbox",
    "scattermap", "choroplethmap", "densitymap",
}  # fmt: skip


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    """Whether the point lies inside the closed ring, by its winding number: not the even-odd
    rule that scripts/make_borders.py and timeline/geo.py use, so that one checks the other."""
    x, y = point
    winding = 0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        left = (x1 - x0) * (y - y0) - (x - x0) * (y1 - y0)  # > 0: the point is left of the edge
        if y0 <= y < y1 and left > 0:
            winding += 1
        elif y1 <= y < y0 and left < 0:
            winding -= 1
    return winding != 0


def _polygons(geometry: dict) -> list:
    """The polygons of a Polygon or MultiPolygon geometry."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def _contains(geometry: dict, point: tuple[float, float]) -> bool:
    """Whether a (Multi)Polygon contains the point: in an outer ring and in none of its holes."""
    return any(
        _inside(point, polygon[0]) and not any(_inside(point, hole) for hole in polygon[1:])
        for polygon in _polygons(geometry)
    )


@pytest.fixture(scope="module")
def geojson() -> dict:
    """The shipped boundary file, parsed."""
    return json.loads(DEFAULT_BORDERS.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def borders() -> list:
    """The shipped outlines as line strings."""
    return load_borders()


@pytest.fixture
def points() -> pd.DataFrame:
    """Three places, one of them with two categories, one with markup in its name."""
    return pd.DataFrame(
        [
            ("kyiv", "Kyiv", "Kyiv City", 50.4501, 30.5234, "strike", 9),
            ("kharkiv", "Kharkiv", "Kharkiv Oblast", 49.9935, 36.2304, "strike", 4),
            ("kharkiv", "Kharkiv", "Kharkiv Oblast", 49.9935, 36.2304, "advance", 1),
            ("odd", "<b>%{x}</b> & Co", "Odesa Oblast", 46.48, 30.72, "civilians", 2),
        ],
        columns=list(POINT_COLUMNS),
    )


def test_geojson_is_small_and_lon_first(geojson: dict) -> None:
    assert DEFAULT_BORDERS.stat().st_size < 300_000
    assert geojson["type"] == "FeatureCollection"
    positions = [
        position
        for feature in geojson["features"]
        for polygon in _polygons(feature["geometry"])
        for ring in polygon
        for position in ring
    ]
    assert len(positions) > 1000
    assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in positions)
    ukraine = next(f for f in geojson["features"] if f["properties"]["name"] == "Ukraine")
    lons, lats = zip(*(p for poly in _polygons(ukraine["geometry"]) for p in poly[0]), strict=True)
    # Swapped pairs would put Ukraine's longitudes (22..41) where its latitudes (45..53) are.
    assert 22 < min(lons) < 23
    assert 40 < max(lons) < 41
    assert 44 < min(lats) < 45  # Crimea's southern coast
    assert 52 < max(lats) < 53


def test_rings_are_closed(geojson: dict) -> None:
    for feature in geojson["features"]:
        for polygon in _polygons(feature["geometry"]):
            for ring in polygon:
                assert len(ring) >= 4
                assert ring[0] == ring[-1], feature["properties"]["name"]


def test_neighbours_are_there(geojson: dict) -> None:
    names = {feature["properties"]["name"] for feature in geojson["features"]}
    assert {"Ukraine", "Russia", "Belarus", "Poland", "Slovakia", "Hungary", "Romania",
            "Moldova"} <= names  # fmt: skip


def test_ukraine_contains_kyiv(geojson: dict) -> None:
    by_name = {feature["properties"]["name"]: feature for feature in geojson["features"]}
    assert _contains(by_name["Ukraine"]["geometry"], KYIV)
    assert not _contains(by_name["Poland"]["geometry"], KYIV)
    assert not _contains(by_name["Belarus"]["geometry"], KYIV)


def _segments(geometry: dict) -> set[frozenset]:
    """Every ring edge of a (Multi)Polygon as an unordered pair of (lon, lat) tuples."""
    return {
        frozenset((tuple(a), tuple(b)))
        for polygon in _polygons(geometry)
        for ring in polygon
        for a, b in itertools.pairwise(ring)
        if a != b
    }


def _in_box(segment: frozenset, box: tuple[float, float, float, float]) -> bool:
    """Whether both ends of a segment lie inside the box."""
    west, south, east, north = box
    return all(west <= lon <= east and south <= lat <= north for lon, lat in segment)


def test_crimea_is_part_of_ukraine(geojson: dict) -> None:
    by_name = {feature["properties"]["name"]: feature for feature in geojson["features"]}
    assert _contains(by_name["Ukraine"]["geometry"], SIMFEROPOL)
    assert not _contains(by_name["Russia"]["geometry"], SIMFEROPOL)
    assert not any(
        _contains(feature["geometry"], SIMFEROPOL)
        for name, feature in by_name.items()
        if name != "Ukraine"
    )


def test_no_border_across_the_isthmus(geojson: dict, borders: list) -> None:
    by_name = {feature["properties"]["name"]: feature for feature in geojson["features"]}
    shared = _segments(by_name["Ukraine"]["geometry"]) & _segments(by_name["Russia"]["geometry"])
    assert not [segment for segment in shared if _in_box(segment, ISTHMUS_BOX)]
    # No edge in the box belongs to two rings (an inner border): what is left there is coast.
    edges = Counter(
        segment
        for feature in geojson["features"]
        for polygon in _polygons(feature["geometry"])
        for ring in polygon
        for segment in _segments({"type": "Polygon", "coordinates": [ring]})
        if _in_box(segment, ISTHMUS_BOX)
    )
    assert edges
    assert max(edges.values()) == 1
    drawn = {frozenset(pair) for line in borders for pair in itertools.pairwise(line)}
    assert {segment for segment in drawn if _in_box(segment, ISTHMUS_BOX)} == set(edges)


def test_russia_ukraine_land_border_stays(geojson: dict, borders: list) -> None:
    by_name = {feature["properties"]["name"]: feature for feature in geojson["features"]}
    shared = _segments(by_name["Ukraine"]["geometry"]) & _segments(by_name["Russia"]["geometry"])
    near_kharkiv = {segment for segment in shared if _in_box(segment, KHARKIV_BORDER_BOX)}
    assert len(near_kharkiv) >= 5
    drawn = {frozenset(pair) for line in borders for pair in itertools.pairwise(line)}
    assert near_kharkiv <= drawn


def test_load_borders(borders: list) -> None:
    assert len(borders) > 10
    assert all(len(line) >= 2 for line in borders)
    lons = [lon for line in borders for lon, _ in line]
    lats = [lat for line in borders for _, lat in line]
    assert min(lons) >= 14
    assert max(lons) <= 50
    assert min(lats) >= 40
    assert max(lats) <= 58
    assert min(lons) < UKRAINE_BOX[0]
    assert max(lons) > UKRAINE_BOX[2]


def test_load_borders_draws_shared_borders_once(borders: list) -> None:
    segments = [frozenset(pair) for line in borders for pair in itertools.pairwise(line)]
    assert len(segments) == len(set(segments))


def test_load_borders_leaves_out_the_clip_box(borders: list) -> None:
    for line in borders:
        for (x0, y0), (x1, y1) in itertools.pairwise(line):
            assert not (x0 == x1 and x0 in (14, 50)), (x0, y0, x1, y1)
            assert not (y0 == y1 and y0 in (40, 58)), (x0, y0, x1, y1)


PLOT_SIZE = (NOMINAL_WIDTH - 2 * MARGIN - LEGEND_ALLOWANCE, MAP_HEIGHT - 2 * MARGIN)
BASE_TRACES = ["land", "Ukraine", "borders", "countries"]


def _marker_traces(figure: go.Figure) -> list:
    """The traces of place markers (every trace after the base map's)."""
    return list(figure.data[len(BASE_TRACES) :])


def _rings(xs, ys) -> list[list[tuple[float, float]]]:
    """A gap-separated trace's coordinates split into rings."""
    rings: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            rings.append([])
        else:
            rings[-1].append((float(x), float(y)))
    return [ring for ring in rings if ring]


def _label_boxes(figure: go.Figure) -> tuple[list[tuple], list[tuple]]:
    """Every drawn place label's box and every marker's box, in pixels of the nominal plot
    area, rebuilt from what the figure holds: ranges, marker sizes, texts and positions."""
    xaxis, yaxis = figure.layout.xaxis.range, figure.layout.yaxis.range
    projection = Projection((xaxis[0], yaxis[0], xaxis[1], yaxis[1]), *PLOT_SIZE)
    labels, markers = [], []
    for trace in _marker_traces(figure):
        positions = trace.textposition
        for index, (lon, lat) in enumerate(zip(trace.x, trace.y, strict=True)):
            text = html.unescape(trace.text[index])
            x, y = projection.pixels(lon, lat)
            anchor = Anchor(x, y, trace.marker.size[index] / 2, len(text) * 0.62 * 12, 12)
            markers.append((trace.customdata[index][0], marker_box(anchor)))
            if text:
                labels.append((trace.customdata[index][0], label_box(anchor, positions[index])))
    return labels, markers


def _assert_labels_clear(figure: go.Figure) -> None:
    """No two place labels overlap, and no label covers a marker other than its own."""
    labels, markers = _label_boxes(figure)
    for (first, a), (second, b) in itertools.combinations(labels, 2):
        assert not boxes_overlap(a, b), (first, second)
    for owner, box in labels:
        for place_id, marker in markers:
            assert place_id == owner or not boxes_overlap(box, marker), (owner, place_id)


def test_figure_traces(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    assert isinstance(figure, go.Figure)
    assert [trace.name for trace in figure.data] == [*BASE_TRACES, "strike", "civilians", MIXED]
    border = figure.data[2]
    assert border.mode == "lines"
    assert np.isnan(border.x).any()
    assert len(border.x) == len(border.y)
    assert border.hoverinfo == "skip"
    assert all(trace.hoverinfo == "skip" for trace in figure.data[: len(BASE_TRACES)])
    assert not any(trace.showlegend for trace in figure.data[: len(BASE_TRACES)])
    # under the tool bar, not behind it
    plot_px = MAP_HEIGHT - figure.layout.margin.t - figure.layout.margin.b
    assert (1 - figure.layout.legend.y) * plot_px >= MODEBAR_PX
    assert {trace.type for trace in figure.data} <= {"scatter", "scattergl"}
    assert not {trace.type for trace in figure.data} & NETWORK_TRACE_TYPES
    assert "geo" not in figure.to_plotly_json()["layout"]


def test_country_fills(points: pd.DataFrame, borders: list) -> None:
    land, ukraine = map_figure(points, borders).data[:2]
    assert (land.fill, land.fillcolor) == ("toself", LAND_FILL)
    assert (ukraine.fill, ukraine.fillcolor) == ("toself", SUBJECT_FILL)
    assert LAND_FILL != SUBJECT_FILL
    warsaw = (21.01, 52.23)
    assert any(_inside(KYIV, ring + ring[:1]) for ring in _rings(ukraine.x, ukraine.y))
    assert any(_inside(SIMFEROPOL, ring + ring[:1]) for ring in _rings(ukraine.x, ukraine.y))
    assert not any(_inside(KYIV, ring + ring[:1]) for ring in _rings(land.x, land.y))
    assert any(_inside(warsaw, ring + ring[:1]) for ring in _rings(land.x, land.y))


def test_country_names_sit_inside_their_country_and_the_view(
    points: pd.DataFrame, borders: list, geojson: dict
) -> None:
    figure = map_figure(points, borders)
    names = figure.data[3]
    assert names.mode == "text"
    assert "Ukraine" in names.text
    by_name = {feature["properties"]["name"]: feature for feature in geojson["features"]}
    xaxis, yaxis = figure.layout.xaxis.range, figure.layout.yaxis.range
    for name, lon, lat in zip(names.text, names.x, names.y, strict=True):
        assert _contains(by_name[name]["geometry"], (lon, lat)), name
        assert xaxis[0] < lon < xaxis[1]
        assert yaxis[0] < lat < yaxis[1]


def test_place_names_beside_their_markers(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    texts = {
        row[0]: (text, position)
        for trace in _marker_traces(figure)
        for row, text, position in zip(
            trace.customdata, trace.text, trace.textposition, strict=True
        )
    }
    assert {place: text for place, (text, _) in texts.items()} == {
        "kyiv": "Kyiv", "kharkiv": "Kharkiv", "odd": "&lt;b&gt;%{x}&lt;/b&gt; &amp; Co",
    }  # fmt: skip
    assert all(position in POSITIONS for _, position in texts.values())
    assert all(trace.mode == "markers+text" for trace in _marker_traces(figure))
    _assert_labels_clear(figure)


def test_one_marker_per_place_with_its_count(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    rows = {
        row[0]: (trace.name, row, size, trace.marker.color)
        for trace in _marker_traces(figure)
        for row, size in zip(trace.customdata, trace.marker.size, strict=True)
    }
    ids = [row[0] for trace in _marker_traces(figure) for row in trace.customdata]
    assert sorted(ids) == ["kharkiv", "kyiv", "odd"]
    kharkiv_trace, kharkiv, kharkiv_size, color = rows["kharkiv"]
    assert kharkiv_trace == MIXED
    assert color == MIXED_COLOR
    assert kharkiv[3:] == ["strike 4, advance 1", "5 events"]
    assert rows["kyiv"][0] == "strike"
    assert rows["kyiv"][1][3:] == ["strike", "9 events"]
    # 36 px at 16 events, the diameter growing with the square root of the count.
    assert rows["kyiv"][2] == pytest.approx(36 * math.sqrt(9 / 16), abs=0.01)
    assert kharkiv_size == pytest.approx(36 * math.sqrt(5 / 16), abs=0.01)
    assert rows["odd"][2] == pytest.approx(36 * math.sqrt(2 / 16), abs=0.01)


def test_marker_sizes_grow_with_counts() -> None:
    sizes = marker_sizes([1, 2, 4, 9, 16])
    assert sizes == sorted(sizes)
    assert len(set(sizes)) == len(sizes)
    crowded = marker_sizes([1, 2, 4, 9, 16, 100, 1000])
    assert crowded == sorted(crowded)
    assert crowded[0] == MIN_SIZE
    assert crowded[-1] == MAX_SIZE
    # Square-root scale: four times the events, twice the diameter.
    assert marker_sizes([1, 4, 16])[1] == pytest.approx(2 * marker_sizes([1, 4, 16])[0])


def test_place_markers() -> None:
    points = pd.DataFrame(
        [
            ("b", "B", "", 50.0, 30.0, "strike", 1),
            ("a", "A", "R", 49.0, 31.0, "advance", 2),
            ("a", "A", "R", 49.0, 31.0, "strike", 3),
            ("a", "A", "R", 49.0, 31.0, "zzz", 3),
        ],
        columns=list(POINT_COLUMNS),
    )
    frame = place_markers(points)
    assert frame.to_dict("records") == [
        {"place_id": "a", "name": "A", "region": "R", "lat": 49.0, "lon": 31.0, "events": 8,
         "key": MIXED, "summary": "strike 3, zzz 3, advance 2"},
        {"place_id": "b", "name": "B", "region": "", "lat": 50.0, "lon": 30.0, "events": 1,
         "key": "strike", "summary": "strike"},
    ]  # fmt: skip
    assert place_markers(points.iloc[:0]).empty


def test_customdata_carries_place_ids(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    ids = {row[0] for trace in _marker_traces(figure) for row in trace.customdata}
    assert ids == {"kyiv", "kharkiv", "odd"}
    for trace in _marker_traces(figure):
        assert len(trace.customdata) == len(trace.x) == len(trace.marker.size) == len(trace.text)


def test_hover_shows_names_as_data(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    for trace in _marker_traces(figure):
        assert trace.hovertemplate == HOVER_TEMPLATE
        for name in ("Kyiv", "Kharkiv", "Odesa", "<b>%{x}</b>"):
            assert name not in trace.hovertemplate
    civilians = next(trace for trace in figure.data if trace.name == "civilians")
    (row,) = civilians.customdata
    # Markup is escaped so it shows literally; %{x} is data, never read as a template.
    assert row == ["odd", "&lt;b&gt;%{x}&lt;/b&gt; &amp; Co", "Odesa Oblast", "civilians",
                   "2 events"]  # fmt: skip


def test_axes_keep_proportions_and_zoom_to_points(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders, title="Where")
    xaxis, yaxis = figure.layout.xaxis, figure.layout.yaxis
    assert yaxis.scaleanchor == "x"
    middle = (yaxis.range[0] + yaxis.range[1]) / 2
    assert yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(middle)))
    assert 1.4 < yaxis.scaleratio < 1.6
    assert xaxis.range[0] < 30.52
    assert xaxis.range[1] > 36.23
    assert yaxis.range[0] < 46.48
    assert yaxis.range[1] > 50.45
    assert xaxis.range[1] - xaxis.range[0] < 12
    # The view fills the nominal plot area (less the title's room): no range left to plotly.
    width, height = PLOT_SIZE[0], PLOT_SIZE[1] - 30
    across = (xaxis.range[1] - xaxis.range[0]) / width
    up = (yaxis.range[1] - yaxis.range[0]) * yaxis.scaleratio / height
    assert across == pytest.approx(up)
    assert not xaxis.showgrid
    assert not yaxis.showgrid
    assert not xaxis.showticklabels
    assert not yaxis.showticklabels
    assert figure.layout.title.text == "Where"


def test_scale_bar_is_as_long_as_it_says(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    bar, *ticks = figure.layout.shapes
    assert bar.y0 == bar.y1
    assert [tick.x0 for tick in ticks] == [bar.x0, bar.x1]
    assert all(tick.x0 == tick.x1 and tick.y0 < bar.y0 < tick.y1 for tick in ticks)
    (label,) = [a for a in figure.layout.annotations if a.name == "scale"]
    km = (bar.x1 - bar.x0) * 111.32 * math.cos(math.radians(bar.y0))
    assert label.text == f"{round(km)} km"
    assert label.text in {"50 km", "100 km", "200 km"}
    xaxis, yaxis = figure.layout.xaxis.range, figure.layout.yaxis.range
    assert xaxis[0] < bar.x0 < bar.x1 < xaxis[1]
    assert yaxis[0] < bar.y0 < yaxis[1]


def test_colors(points: pd.DataFrame, borders: list) -> None:
    default = map_figure(points, borders)
    colors = {trace.name: trace.marker.color for trace in _marker_traces(default)}
    assert len(set(colors.values())) == 3
    assert colors[MIXED] == MIXED_COLOR
    chosen = map_figure(points, borders, colors={"strike": "#000000", MIXED: "#111111"})
    assert next(t for t in chosen.data if t.name == "strike").marker.color == "#000000"
    assert next(t for t in chosen.data if t.name == MIXED).marker.color == "#111111"


def test_empty_points_give_the_base_map_only(borders: list) -> None:
    empty = pd.DataFrame(columns=list(POINT_COLUMNS))
    figure = map_figure(empty, borders)
    assert [trace.name for trace in figure.data] == BASE_TRACES
    xaxis, yaxis = figure.layout.xaxis.range, figure.layout.yaxis.range
    assert xaxis[0] <= UKRAINE_BOX[0] < UKRAINE_BOX[2] <= xaxis[1]
    assert yaxis[0] <= UKRAINE_BOX[1] < UKRAINE_BOX[3] <= yaxis[1]
    assert "Ukraine" in figure.data[3].text
    assert len(figure.layout.shapes) == 3
    json.loads(figure.to_json())


def test_no_borders_nor_countries_still_draws_points(points: pd.DataFrame) -> None:
    figure = map_figure(points, [], countries=())
    assert len(figure.data) == len(BASE_TRACES) + 3
    assert all(len(trace.x) == 0 for trace in figure.data[: len(BASE_TRACES)])


def test_other_countries_can_be_given(points: pd.DataFrame, borders: list) -> None:
    square = ((30.0, 46.0), (37.0, 46.0), (37.0, 51.0), (30.0, 51.0), (30.0, 46.0))
    figure = map_figure(points, borders, countries=[Country("Squareland", (((square),),))])
    assert list(figure.data[3].text) == ["Squareland"]
    assert len(figure.data[0].x) == len(square) + 1
    assert len(figure.data[1].x) == 0


def test_far_places_are_named_not_zoomed_to(points: pd.DataFrame, borders: list) -> None:
    far = pd.DataFrame(
        [("bali", "Bali", "", -8.34, 115.09, "other", 1)], columns=list(POINT_COLUMNS)
    )
    figure = map_figure(pd.concat([points, far], ignore_index=True), borders)
    assert figure.layout.xaxis.range[1] < 50
    assert any(
        annotation.text == "Not on this map: Bali" for annotation in figure.layout.annotations
    )


def test_crowded_places_are_counted_not_overlapped(borders: list) -> None:
    crowd = pd.DataFrame(
        [
            (f"p{i}", f"Place number {i}", "", 50.0 + 0.03 * (i % 6), 36.2 + 0.05 * (i // 6),
             "strike", 1 + i % 4)
            for i in range(36)
        ],
        columns=list(POINT_COLUMNS),
    )  # fmt: skip
    figure = map_figure(crowd, borders)
    shown = [text for trace in _marker_traces(figure) for text in trace.text if text]
    assert 0 < len(shown) < 36
    notes = [a.text for a in figure.layout.annotations if "left out" in a.text]
    assert notes == [
        f"{36 - len(shown)} place names left out where they would overlap: hover the markers"
    ]
    _assert_labels_clear(figure)
    # The busiest places are named first.
    named = {
        row[0] for trace in _marker_traces(figure)
        for row, text in zip(trace.customdata, trace.text, strict=True) if text
    }  # fmt: skip
    busiest = {f"p{i}" for i in range(36) if i % 4 == 3}
    assert len(named & busiest) >= min(len(shown), len(busiest)) // 2


def test_only_the_busiest_places_are_offered_labels(
    borders: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geo, "MAX_LABELS", 3)
    row = [
        (f"p{i}", f"P{i}", "", 48.0 + 0.4 * (i % 3), 30.0 + 0.1 * i, "strike", 10 - i)
        for i in range(8)
    ]  # fmt: skip
    figure = map_figure(pd.DataFrame(row, columns=list(POINT_COLUMNS)), borders)
    named = sorted(text for trace in _marker_traces(figure) for text in trace.text if text)
    assert named == ["P0", "P1", "P2"]
    assert "5 place names left out" in " ".join(a.text for a in figure.layout.annotations)
    _assert_labels_clear(figure)


def test_missing_columns_are_an_error(borders: list) -> None:
    with pytest.raises(ValueError, match="events"):
        map_figure(pd.DataFrame(columns=["place_id", "lat", "lon"]), borders)


def test_nothing_for_the_browser_to_fetch(points: pd.DataFrame, borders: list) -> None:
    for figure in (map_figure(points, borders, title="Map"), map_figure(points.iloc[:0], borders)):
        text = figure.to_json()
        assert "http" not in text
        layout = figure.to_plotly_json()["layout"]
        assert not {"geo", "mapbox", "map"} & set(layout)


def test_places_frame() -> None:
    places = {
        "kyiv": Place("kyiv", "Kyiv", "city", "Ukraine", 50.45, 30.52, region="Kyiv City"),
        "lviv": Place("lviv", "Lviv", "city", "Ukraine", 49.84, 24.03),
        "ukraine": Place("ukraine", "Ukraine", "country", "Ukraine", 48.38, 31.17),
    }
    pairs = [("kyiv", "strike"), ("kyiv", "strike"), ("kyiv", "advance"), ("lviv", "strike"),
             ("ukraine", "statement"), ("nowhere", "strike")]  # fmt: skip
    frame = places_frame(pairs, places)
    assert list(frame.columns) == list(POINT_COLUMNS)
    assert list(zip(frame["place_id"], frame["category"], frame["events"], strict=True)) == [
        ("kyiv", "advance", 1), ("kyiv", "strike", 2), ("lviv", "strike", 1),
    ]  # fmt: skip
    assert list(frame["region"]) == ["Kyiv City", "Kyiv City", ""]
    with_countries = places_frame(pairs, places, exclude_kinds=())
    assert "ukraine" in set(with_countries["place_id"])
    empty = places_frame([], places)
    assert list(empty.columns) == list(POINT_COLUMNS)
    assert empty.empty
    assert len(map_figure(empty, []).data) == len(BASE_TRACES)


def test_the_project_events_make_a_map(root: Path, borders: list) -> None:
    from timeline.load import load_timeline

    timeline = load_timeline(root / "events.yaml")
    selections = [timeline.events] + [
        [event for event in timeline.events if story in event.stories] for story in timeline.stories
    ]
    for events in selections:
        pairs = [(place, event.category) for event in events for place in event.places]
        frame = places_frame(pairs, timeline.places)
        figure = map_figure(frame, borders)
        ids = [row[0] for trace in _marker_traces(figure) for row in trace.customdata]
        assert sorted(ids) == sorted(set(frame["place_id"]))
        assert "Ukraine" in figure.data[3].text
        assert any(text for trace in _marker_traces(figure) for text in trace.text)
        assert "http" not in figure.to_json()
        _assert_labels_clear(figure)


def test_load_countries() -> None:
    by_name = {country.name: country for country in load_countries()}
    assert {"Ukraine", "Russia", "Belarus", "Poland", "Moldova"} <= set(by_name)
    ukraine = by_name["Ukraine"]
    assert any(_inside(KYIV, polygon[0]) for polygon in ukraine.polygons)
    assert any(_inside(SIMFEROPOL, polygon[0]) for polygon in ukraine.polygons)
    assert not any(_inside(SIMFEROPOL, polygon[0]) for polygon in by_name["Russia"].polygons)


LABEL = Anchor(100, 100, radius=8, width=40, font=10)


@pytest.mark.parametrize(
    ("anchor", "position", "expected"),
    [
        # 8 / 0.8 + 1 = 11 px off the centre; the baseline 2.5 px below the middle, the box
        # 0.29 font sizes below and 1.07 above it.
        (LABEL, "middle right", (111, 94.6, 151, 108.2)),
        (LABEL, "middle left", (49, 94.6, 89, 108.2)),
        (LABEL, "top center", (80, 110.6, 120, 124.2)),
        (LABEL, "bottom center", (80, 78.6, 120, 92.2)),
        (LABEL, "top right", (111, 110.6, 151, 124.2)),
        (LABEL, "bottom left", (49, 78.6, 89, 92.2)),
        (LABEL._replace(radius=0), "middle center", (80, 94.6, 120, 108.2)),
    ],
)
def test_label_box(anchor: Anchor, position: str, expected: tuple) -> None:
    assert label_box(anchor, position) == pytest.approx(expected)


def test_label_box_refuses_unknown_positions() -> None:
    with pytest.raises(ValueError, match="label position 'middle': expected one of middle right"):
        label_box(LABEL, "middle")


WIDE = (0.0, 0.0, 200.0, 100.0)
# A strip where only a label on the right fits beside a marker at (10, 50).
STRIP = (0.0, 40.0, 60.0, 60.0)


@pytest.mark.parametrize(
    ("anchors", "bounds", "obstacles", "expected"),
    [
        ([Anchor(100, 50, 5, 40, 10)], WIDE, [], ["middle right"]),
        ([Anchor(180, 50, 5, 40, 10)], WIDE, [], ["middle left"]),
        ([Anchor(100, 50, 5, 150, 10)], WIDE, [], ["top center"]),
        ([Anchor(100, 95, 5, 150, 10)], WIDE, [], ["bottom center"]),
        ([Anchor(100, 50, 5, 250, 10)], WIDE, [], [None]),
        ([Anchor(100, 50, 5, 40, 10)], WIDE, [(105, 40, 160, 60)], ["middle left"]),
        # Right of the left marker is the right marker: its label goes left.
        ([Anchor(60, 50, 5, 40, 10, 1), Anchor(100, 50, 5, 40, 10, 2)], WIDE, [],
         ["middle left", "middle right"]),
        # Only one label fits: the heavier anchor's, or the first's when they weigh the same.
        ([Anchor(10, 50, 5, 40, 10, 1), Anchor(10, 50, 5, 40, 10, 2)], STRIP, [],
         [None, "middle right"]),
        ([Anchor(10, 50, 5, 40, 10, 2), Anchor(10, 50, 5, 40, 10, 1)], STRIP, [],
         ["middle right", None]),
        ([Anchor(10, 50, 5, 40, 10), Anchor(10, 50, 5, 40, 10)], STRIP, [],
         ["middle right", None]),
        ([], WIDE, [], []),
    ],
)  # fmt: skip
def test_place_labels(anchors: list, bounds: tuple, obstacles: list, expected: list) -> None:
    assert place_labels(anchors, bounds, obstacles) == expected


BOUNDS = (0.0, 0.0, 300.0, 200.0)
anchor_strategy = st.builds(
    Anchor,
    x=st.floats(0, 300),
    y=st.floats(0, 200),
    radius=st.floats(0, 15),
    width=st.floats(5, 120),
    font=st.sampled_from([8.0, 12.0]),
    weight=st.integers(0, 5),
)
box_strategy = st.tuples(
    st.floats(0, 280), st.floats(0, 180), st.floats(1, 60), st.floats(1, 40)
).map(lambda t: (t[0], t[1], t[0] + t[2], t[1] + t[3]))


@settings(max_examples=150, deadline=None)
@given(anchors=st.lists(anchor_strategy, max_size=25), obstacles=st.lists(box_strategy, max_size=3))
def test_place_labels_never_overlap(anchors: list, obstacles: list) -> None:
    positions = place_labels(anchors, BOUNDS, obstacles)
    assert len(positions) == len(anchors)
    placed = [
        (index, label_box(anchor, position))
        for index, (anchor, position) in enumerate(zip(anchors, positions, strict=True))
        if position is not None
    ]
    markers = [marker_box(anchor) for anchor in anchors]
    for (_, a), (_, b) in itertools.combinations(placed, 2):
        assert not boxes_overlap(a, b, LABEL_GAP)
    for index, box in placed:
        assert box_within(box, BOUNDS)
        assert not any(boxes_overlap(box, obstacle, LABEL_GAP) for obstacle in obstacles)
        assert not any(
            boxes_overlap(box, marker, LABEL_GAP)
            for other, marker in enumerate(markers)
            if other != index
        )
    # A label is left out only when every position is blocked.
    for index, (anchor, position) in enumerate(zip(anchors, positions, strict=True)):
        if position is not None:
            continue
        for candidate in POSITIONS:
            box = label_box(anchor, candidate)
            assert (
                not box_within(box, BOUNDS)
                or any(boxes_overlap(box, other, LABEL_GAP) for _, other in placed)
                or any(boxes_overlap(box, obstacle, LABEL_GAP) for obstacle in obstacles)
                or any(
                    boxes_overlap(box, marker, LABEL_GAP)
                    for other, marker in enumerate(markers)
                    if other != index
                )
            )


def _square(west: float, south: float, east: float, north: float) -> np.ndarray:
    """A closed square ring in pixels."""
    return np.array([(west, south), (east, south), (east, north), (west, north), (west, south)])


def _name_box(centre: tuple[float, float], size: tuple[float, float]) -> tuple:
    (x, y), (width, height) = centre, size
    return x - width / 2, y - height / 2, x + width / 2, y + height / 2


def test_name_goes_where_the_country_is_widest() -> None:
    centre = name_position([_square(0, 0, 100, 100)], (0, 0, 200, 200), (20, 10))
    assert centre == pytest.approx((50, 50), abs=4)
    ell = [(0, 0), (100, 0), (100, 30), (30, 30), (30, 100), (0, 100), (0, 0)]
    west, south, east, north = _name_box(
        name_position([np.array(ell, dtype=float)], (0, 0, 200, 200), (20, 10)), (20, 10)
    )
    for corner in itertools.product((west, east), (south, north)):
        assert _inside(corner, ell)


def test_name_stays_in_the_view_and_off_taken_boxes() -> None:
    square = [_square(0, 0, 100, 100)]
    x, _ = name_position(square, (60, 0, 200, 200), (20, 10))
    assert 70 <= x <= 90
    taken = [(30, 30, 70, 70)]
    centre = name_position(square, (0, 0, 200, 200), (20, 10), taken)
    box = _name_box(centre, (20, 10))
    assert not boxes_overlap(box, taken[0], LABEL_GAP)
    assert box_within(box, (0, 0, 100, 100))


STAR = [
    (150 + radius * math.cos(math.pi * i / 6), 150 + radius * math.sin(math.pi * i / 6))
    for i, radius in zip(range(13), itertools.cycle((100, 40)), strict=False)
]


@pytest.mark.parametrize("size", [(20, 20), (24, 8), (40, 20), (60, 10)])
def test_name_box_lies_inside_a_star_whose_middle_is_taken(size: tuple) -> None:
    taken = [(110.0, 110.0, 190.0, 190.0)]
    centre = name_position([np.array(STAR)], (0, 0, 300, 300), size, taken)
    if centre is None:
        return
    west, south, east, north = _name_box(centre, size)
    assert all(_inside(corner, STAR) for corner in itertools.product((west, east), (south, north)))
    assert not boxes_overlap((west, south, east, north), taken[0], LABEL_GAP)


@pytest.mark.parametrize(
    ("rings", "bounds"),
    [
        ([_square(0, 0, 10, 10)], (0, 0, 200, 200)),  # too small for the name
        ([_square(0, 0, 100, 100)], (150, 0, 300, 200)),  # out of view
        ([], (0, 0, 200, 200)),
    ],
)
def test_name_that_fits_nowhere(rings: list, bounds: tuple) -> None:
    assert name_position(rings, bounds, (20, 10)) is None


@pytest.mark.parametrize(
    ("width_km", "expected"),
    [(1000, 200), (500, 100), (2000, 200), (3000, 500), (60, 10), (5, 1), (3, 0.5)],
)
def test_scale_length(width_km: float, expected: float) -> None:
    assert scale_length(width_km) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("length", "expected"),
    [(200, "200 km"), (1, "1 km"), (2000, "2000 km"), (0.5, "500 m"), (0.02, "20 m")],
)
def test_scale_text(length: float, expected: str) -> None:
    assert scale_text(length) == expected


@pytest.mark.parametrize("box", [(30.0, 46.0, 38.0, 51.0), (30.0, 46.0, 31.0, 51.0)])
def test_fit_view_keeps_the_box_and_takes_the_plot_shape(box: tuple) -> None:
    west, south, east, north = fit_view(box, 600, 500)
    assert west <= box[0] < box[2] <= east
    assert south <= box[1] < box[3] <= north
    assert (west + east) / 2 == pytest.approx((box[0] + box[2]) / 2)
    assert (south + north) / 2 == pytest.approx((box[1] + box[3]) / 2)
    ratio = 1 / math.cos(math.radians((south + north) / 2))
    assert (east - west) / 600 == pytest.approx((north - south) * ratio / 500)
    assert (west, east) == box[::2] or (south, north) == box[1::2]


def test_projection() -> None:
    projection = Projection((30.0, 45.0, 40.0, 52.0), 600, 500)
    assert projection.pixels(30.0, 45.0) == (0, 0)
    assert projection.scale == 60
    assert projection.ratio == pytest.approx(1 / math.cos(math.radians(48.5)))
    x, y = projection.pixels(35.0, 50.0)
    assert projection.degrees(x, y) == pytest.approx((35.0, 50.0))


def _make_borders_module(root: Path) -> ModuleType:
    """scripts/make_borders.py imported as a module (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("make_borders", root / "scripts/make_borders.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_borders_decodes_clips_and_drops(tmp_path: Path, root: Path) -> None:
    make_borders = _make_borders_module(root)
    # Quantized at 0.5 degree steps, delta-encoded; B uses its arc reversed (~1).
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [0, 0]},
        "arcs": [
            [[4, 4], [4, 0], [0, 4], [-4, 0], [0, -4]],
            [[16, 16], [0, 8], [8, 0], [0, -8], [-8, 0]],
            [[40, 40], [2, 0], [0, 2], [-2, 0], [0, -2]],
        ],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "id": "1", "properties": {"name": "A"}, "arcs": [[0]]},
            {"type": "MultiPolygon", "id": "2", "properties": {"name": "B"}, "arcs": [[[~1]]]},
            {"type": "Polygon", "id": "3", "properties": {"name": "Far"}, "arcs": [[2]]},
        ]}},
    }  # fmt: skip
    assert make_borders.decode_arcs(topology)[0] == [(2, 2), (4, 2), (4, 4), (2, 4), (2, 2)]
    source = tmp_path / "countries-test.json"
    source.write_text(json.dumps(topology), encoding="utf-8")
    output = tmp_path / "borders.geojson"
    assert make_borders.main([str(source), "-o", str(output), "--box", "0", "0", "10", "10"]) == 0
    data = json.loads(output.read_text(encoding="utf-8"))
    by_name = {feature["properties"]["name"]: feature["geometry"] for feature in data["features"]}
    assert set(by_name) == {"A", "B"}
    assert by_name["A"]["coordinates"] == [[[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]]
    (ring,) = by_name["B"]["coordinates"]
    assert {tuple(point) for point in ring} == {(8, 8), (10, 8), (10, 10), (8, 10)}
    segments = {
        frozenset(pair) for line in load_borders(output) for pair in itertools.pairwise(line)
    }
    assert frozenset({(8, 8), (10, 8)}) in segments
    assert frozenset({(8, 8), (8, 10)}) in segments
    assert frozenset({(10, 8), (10, 10)}) not in segments  # the clip box's edge
    assert len(segments) == 4 + 2


def test_make_borders_moves_crimea_and_drops_shared_arcs(tmp_path: Path, root: Path) -> None:
    make_borders = _make_borders_module(root)
    # Unquantized arcs. Arc 0 is shared: "Ukraine" uses it, Russia's first polygon uses ~0.
    topology = {
        "type": "Topology",
        "arcs": [
            [[0, 0], [2, 0]],
            [[2, 0], [2, 2], [0, 2], [0, 0]],
            [[0, 0], [0, -2], [2, -2], [2, 0]],
            [[5, 5], [6, 5], [6, 6], [5, 6], [5, 5]],
        ],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": [
            {"type": "MultiPolygon", "id": "643", "properties": {"name": "Russia"},
             "arcs": [[[~0, 2]], [[3]]]},
            {"type": "Polygon", "id": "804", "properties": {"name": "Ukraine"}, "arcs": [[1, 0]]},
        ]}},
    }  # fmt: skip
    assert make_borders.transfer_polygon(topology, "643", "804", (1, -1))
    russia, ukraine = topology["objects"]["countries"]["geometries"]
    assert russia == {"type": "Polygon", "id": "643", "properties": {"name": "Russia"},
                      "arcs": [[3]]}  # fmt: skip
    assert ukraine["type"] == "Polygon"
    assert ukraine["arcs"] == [[1, 2]]
    # Nothing left to move; an unknown country is no error.
    assert not make_borders.transfer_polygon(topology, "643", "804", (1, -1))
    assert not make_borders.transfer_polygon(topology, "643", "999", (5.5, 5.5))
    # Rings sharing no arcs stay apart; one using an arc the other way round is merged away.
    arcs = make_borders.decode_arcs(topology)
    assert make_borders.merge_rings([[1, 0], [3]], arcs) == [[1, 0], [3]]
    assert make_borders.merge_rings([[1, 0], [~0, 2]], arcs) == [[1, 2]]
