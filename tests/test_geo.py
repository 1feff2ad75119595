"""The shipped country outlines and the offline map figure."""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
from collections import Counter
from pathlib import Path
from types import ModuleType

import pandas as pd
import plotly.graph_objects as go
import pytest

from timeline.geo import (
    DEFAULT_BORDERS,
    HOVER_TEMPLATE,
    MAX_SIZE,
    MIN_SIZE,
    POINT_COLUMNS,
    UKRAINE_BOX,
    load_borders,
    map_figure,
    marker_sizes,
    places_frame,
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
    """Even-odd ray casting: whether the point lies inside the closed ring."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


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


def test_figure_traces(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    assert isinstance(figure, go.Figure)
    assert len(figure.data) == 1 + 3
    border = figure.data[0]
    assert border.mode == "lines"
    assert None in border.x
    assert len(border.x) == len(border.y)
    assert border.hoverinfo == "skip"
    assert [trace.name for trace in figure.data[1:]] == ["advance", "strike", "civilians"]
    assert {trace.type for trace in figure.data} <= {"scatter", "scattergl"}
    assert not {trace.type for trace in figure.data} & NETWORK_TRACE_TYPES
    assert "geo" not in figure.to_plotly_json()["layout"]


def test_marker_sizes_grow_with_counts(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    strike = next(trace for trace in figure.data if trace.name == "strike")
    by_place = {
        row[0]: size for row, size in zip(strike.customdata, strike.marker.size, strict=False)
    }
    assert by_place["kyiv"] > by_place["kharkiv"]
    sizes = marker_sizes([1, 2, 4, 9, 16])
    assert sizes == sorted(sizes)
    assert len(set(sizes)) == len(sizes)
    crowded = marker_sizes([1, 2, 4, 9, 16, 100, 1000])
    assert crowded == sorted(crowded)
    assert crowded[0] == MIN_SIZE
    assert crowded[-1] == MAX_SIZE
    # Square-root scale: four times the events, twice the diameter.
    assert marker_sizes([1, 4, 16])[1] == pytest.approx(2 * marker_sizes([1, 4, 16])[0])


def test_customdata_carries_place_ids(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    ids = {row[0] for trace in figure.data[1:] for row in trace.customdata}
    assert ids == {"kyiv", "kharkiv", "odd"}
    for trace in figure.data[1:]:
        assert len(trace.customdata) == len(trace.x) == len(trace.marker.size)


def test_hover_shows_names_as_data(points: pd.DataFrame, borders: list) -> None:
    figure = map_figure(points, borders)
    for trace in figure.data[1:]:
        assert trace.hovertemplate == HOVER_TEMPLATE
        for name in ("Kyiv", "Kharkiv", "Odesa", "<b>%{x}</b>"):
            assert name not in trace.hovertemplate
    civilians = next(trace for trace in figure.data if trace.name == "civilians")
    (row,) = civilians.customdata
    # Markup is escaped so it shows literally; %{x} is data, never read as a template.
    assert row[1] == "&lt;b&gt;%{x}&lt;/b&gt; &amp; Co"
    assert row[2:] == ["Odesa Oblast", "civilians", "2 events"]


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
    assert not xaxis.showgrid
    assert not yaxis.showgrid
    assert not xaxis.showticklabels
    assert not yaxis.showticklabels
    assert figure.layout.title.text == "Where"


def test_colors(points: pd.DataFrame, borders: list) -> None:
    default = map_figure(points, borders)
    colors = {trace.name: trace.marker.color for trace in default.data[1:]}
    assert len(set(colors.values())) == 3
    chosen = map_figure(points, borders, colors={"strike": "#000000"})
    assert next(t for t in chosen.data if t.name == "strike").marker.color == "#000000"


def test_empty_points_give_borders_only(borders: list) -> None:
    empty = pd.DataFrame(columns=list(POINT_COLUMNS))
    figure = map_figure(empty, borders)
    assert len(figure.data) == 1
    assert list(figure.layout.xaxis.range) == [UKRAINE_BOX[0], UKRAINE_BOX[2]]
    assert list(figure.layout.yaxis.range) == [UKRAINE_BOX[1], UKRAINE_BOX[3]]
    json.loads(figure.to_json())


def test_no_borders_still_draws_points(points: pd.DataFrame) -> None:
    figure = map_figure(points, [])
    assert len(figure.data) == 4
    assert figure.data[0].x == ()


def test_far_places_are_named_not_zoomed_to(points: pd.DataFrame, borders: list) -> None:
    far = pd.DataFrame(
        [("bali", "Bali", "", -8.34, 115.09, "other", 1)], columns=list(POINT_COLUMNS)
    )
    figure = map_figure(pd.concat([points, far], ignore_index=True), borders)
    assert figure.layout.xaxis.range[1] < 50
    assert any("Bali" in annotation.text for annotation in figure.layout.annotations)


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
    assert len(map_figure(empty, []).data) == 1


def test_the_project_events_make_a_map(root: Path, borders: list) -> None:
    from timeline.load import load_timeline

    timeline = load_timeline(root / "events.yaml")
    pairs = [(place, event.category) for event in timeline.events for place in event.places]
    frame = places_frame(pairs, timeline.places)
    figure = map_figure(frame, borders)
    assert len(figure.data) == 1 + frame["category"].nunique()
    assert "http" not in figure.to_json()


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
