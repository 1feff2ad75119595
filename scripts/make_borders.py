"""Write timeline/data/borders.geojson: country outlines around Ukraine from world-atlas TopoJSON.

The input is `countries-50m.json` of the npm package `world-atlas` (Natural Earth admin 0
boundaries as TopoJSON). Install it anywhere outside the project, then run this script:

    mkdir -p /tmp/wa && npm install --prefix /tmp/wa world-atlas@2.0.2
    .venv/bin/python scripts/make_borders.py /tmp/wa/node_modules/world-atlas/countries-50m.json

The TopoJSON is decoded in pure Python (quantized, delta-encoded arcs), every country whose
outline reaches into the bounding box is kept, its rings are clipped to the box, and the result is
written as GeoJSON with coordinates rounded to 3 decimals (about 100 m).

Crimea: Natural Earth's default view puts it inside Russia's MultiPolygon. Before anything else,
the script moves that polygon (the one containing Simferopol) to Ukraine, as internationally
recognised (UN General Assembly resolution 68/262), and merges it with Ukraine's mainland polygon
through their shared arcs, so the Perekop/Syvash line between them disappears. The map draws
recognised international borders only; it is no statement of who controls what.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "timeline" / "data" / "borders.geojson"
# Ukraine and its neighbours, with room to pan: west, south, east, north (degrees).
DEFAULT_BOX = (14.0, 40.0, 50.0, 58.0)
DECIMALS = 3

Point = tuple[float, float]
Ring = list[Point]
Box = tuple[float, float, float, float]
ArcRing = list[int]

# Polygons moved from one country to another before clipping: (label, from id, to id, a point
# inside the polygon). Crimea is part of Ukraine under international law (UN General Assembly
# resolution 68/262); Natural Earth's default view draws it inside Russia.
TRANSFERS = (("Crimea", "643", "804", (34.10, 44.95)),)


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute (lon, lat) points of every arc: undo the delta encoding and the quantization."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_points(indexes: Sequence[int], arcs: list[list[Point]]) -> Ring:
    """One closed ring from its arc indexes; a negative index ~i means arc i reversed."""
    ring: Ring = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def geometry_polygons(geometry: dict, arcs: list[list[Point]]) -> list[list[Ring]]:
    """The polygons (each a list of rings, outer ring first) of a TopoJSON geometry."""
    if geometry["type"] == "Polygon":
        return [[ring_points(ring, arcs) for ring in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring_points(ring, arcs) for ring in polygon] for polygon in geometry["arcs"]]
    return []


def point_in_ring(point: Point, ring: Ring) -> bool:
    """Even-odd ray casting: whether the point lies inside the closed ring."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _arc_polygons(geometry: dict) -> list[list[ArcRing]]:
    """The polygons (lists of arc-index rings) of a TopoJSON Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def _set_arc_polygons(geometry: dict, polygons: list[list[ArcRing]]) -> None:
    """Store polygons in a TopoJSON geometry: Polygon for one, MultiPolygon for several."""
    if len(polygons) == 1:
        geometry["type"], geometry["arcs"] = "Polygon", polygons[0]
    else:
        geometry["type"], geometry["arcs"] = "MultiPolygon", polygons


def merge_rings(rings: Sequence[ArcRing], arcs: list[list[Point]]) -> list[ArcRing]:
    """Merge arc rings that share arcs: arcs used both ways cancel, the rest are chained again.

    Two rings that touch along arcs (one uses arc i, the other ~i) become one ring without
    those arcs. Chaining starts with the first arc kept, in the given order, so the result is
    deterministic.
    """
    used = [index for ring in rings for index in ring]
    present = set(used)
    kept = [index for index in used if ~index not in present]

    def start(index: int) -> Point:
        return arcs[index][0] if index >= 0 else arcs[~index][-1]

    def end(index: int) -> Point:
        return arcs[index][-1] if index >= 0 else arcs[~index][0]

    remaining = list(kept)
    merged: list[ArcRing] = []
    while remaining:
        ring = [remaining.pop(0)]
        while end(ring[-1]) != start(ring[0]):
            following = next((i for i in remaining if start(i) == end(ring[-1])), None)
            if following is None:
                raise ValueError(f"arcs {ring} do not close into a ring")
            remaining.remove(following)
            ring.append(following)
        merged.append(ring)
    return merged


def transfer_polygon(topology: dict, source_id: str, target_id: str, point: Point) -> bool:
    """Move the polygon of `source_id` containing `point` into `target_id`'s geometry.

    The moved polygon is merged with the target's polygons it shares arcs with, so the arcs
    between them are not drawn. Returns whether a polygon was moved (False if either country
    is missing or no polygon of the source contains the point).
    """
    arcs = decode_arcs(topology)
    geometries = {g.get("id"): g for g in topology["objects"]["countries"]["geometries"]}
    source, target = geometries.get(source_id), geometries.get(target_id)
    if source is None or target is None:
        return False
    source_polygons = _arc_polygons(source)
    found = next(
        (
            polygon
            for polygon in source_polygons
            if point_in_ring(point, ring_points(polygon[0], arcs))
            and not any(point_in_ring(point, ring_points(hole, arcs)) for hole in polygon[1:])
        ),
        None,
    )
    if found is None:
        return False
    _set_arc_polygons(source, [polygon for polygon in source_polygons if polygon is not found])
    moved_arcs = {i if i >= 0 else ~i for i in found[0]}
    polygons: list[list[ArcRing]] = []
    touching: list[list[ArcRing]] = []
    for polygon in _arc_polygons(target):
        shares = any((i if i >= 0 else ~i) in moved_arcs for i in polygon[0])
        (touching if shares else polygons).append(polygon)
    if not touching:
        polygons.append(found)
    else:
        outer = merge_rings([touching[0][0], *(p[0] for p in touching[1:]), found[0]], arcs)
        if len(outer) != 1:
            raise ValueError(f"merging gave {len(outer)} outer rings, expected 1")
        holes = [hole for polygon in [*touching, found] for hole in polygon[1:]]
        position = _arc_polygons(target).index(touching[0])
        polygons.insert(position, [outer[0], *holes])
    _set_arc_polygons(target, polygons)
    return True


def ring_box(ring: Ring) -> Box:
    """The bounding box of a ring: west, south, east, north."""
    xs = [x for x, _ in ring]
    ys = [y for _, y in ring]
    return min(xs), min(ys), max(xs), max(ys)


def boxes_meet(a: Box, b: Box) -> bool:
    """Whether two bounding boxes intersect or touch."""
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def clip_ring(ring: Ring, box: Box) -> Ring:
    """Sutherland–Hodgman clipping of a ring to a box; pieces joined along the box's edges."""
    west, south, east, north = box
    edges = (
        (lambda p: p[0] >= west, lambda p, q: _at_x(p, q, west)),
        (lambda p: p[0] <= east, lambda p, q: _at_x(p, q, east)),
        (lambda p: p[1] >= south, lambda p, q: _at_y(p, q, south)),
        (lambda p: p[1] <= north, lambda p, q: _at_y(p, q, north)),
    )
    points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    for inside, cross in edges:
        if not points:
            break
        clipped: Ring = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(cross(previous, point))
            previous = point
        points = clipped
    return points + points[:1]


def _at_x(p: Point, q: Point, x: float) -> Point:
    """Where segment p–q crosses the meridian x."""
    t = (x - p[0]) / (q[0] - p[0])
    return x, p[1] + t * (q[1] - p[1])


def _at_y(p: Point, q: Point, y: float) -> Point:
    """Where segment p–q crosses the parallel y."""
    t = (y - p[1]) / (q[1] - p[1])
    return p[0] + t * (q[0] - p[0]), y


def rounded(ring: Ring) -> list[list[float]]:
    """A ring rounded to DECIMALS, repeated consecutive points dropped, still closed."""
    out: list[list[float]] = []
    for x, y in ring:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != point:
            out.append(point)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def area(ring: list[list[float]]) -> float:
    """The absolute planar area of a closed ring, in square degrees."""
    total = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
    return abs(total) / 2


def country_features(topology: dict, box: Box) -> list[dict]:
    """One GeoJSON feature per country reaching into the box, its polygons clipped to the box."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = []
        for polygon in geometry_polygons(geometry, arcs):
            if not boxes_meet(ring_box(polygon[0]), box):
                continue
            rings = [rounded(clip_ring(ring, box)) for ring in polygon]
            if len(rings[0]) >= 4 and area(rings[0]) > 0:  # the outer ring reaches the box
                polygons.append([rings[0], *(r for r in rings[1:] if len(r) >= 4 and area(r))])
        if not polygons:
            continue
        name = geometry.get("properties", {}).get("name", "")
        features.append(
            {
                "type": "Feature",
                "id": geometry.get("id"),
                "properties": {"name": name, "iso_n3": geometry.get("id")},
                "geometry": (
                    {"type": "Polygon", "coordinates": polygons[0]}
                    if len(polygons) == 1
                    else {"type": "MultiPolygon", "coordinates": polygons}
                ),
            }
        )
    return sorted(features, key=lambda feature: feature["properties"]["name"])


def package_version(source: Path) -> str | None:
    """The world-atlas version from the package.json beside the input file, if there is one."""
    manifest = source.parent / "package.json"
    if not manifest.is_file():
        return None
    return json.loads(manifest.read_text(encoding="utf-8")).get("version")


def main(argv: Sequence[str] | None = None) -> int:
    """Read the TopoJSON, write the clipped GeoJSON and print what was kept."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas countries-50m.json (or -10m/-110m)")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--box", type=float, nargs=4, default=DEFAULT_BOX, metavar=("W", "S", "E", "N"),
        help="bounding box to keep, in degrees (default: %(default)s)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    box: Box = tuple(args.box)  # type: ignore[assignment]
    topology = json.loads(args.source.read_text(encoding="utf-8"))
    for label, source_id, target_id, point in TRANSFERS:
        if transfer_polygon(topology, source_id, target_id, point):
            print(f"{label}: moved from {source_id} to {target_id}, shared arcs dropped")
    features = country_features(topology, box)
    version = package_version(args.source)
    collection = {
        "type": "FeatureCollection",
        "source": {
            "data": "Natural Earth admin 0 countries (public domain)",
            "package": f"world-atlas@{version}" if version else "world-atlas",
            "file": args.source.name,
        },
        "clip_box": list(box),
        "features": features,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, separators=(",", ":"), ensure_ascii=False)
    args.output.write_text(text + "\n", encoding="utf-8")
    names = ", ".join(feature["properties"]["name"] for feature in features)
    print(f"{args.output}: {len(features)} countries, {len(text) // 1024} KB: {names}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
