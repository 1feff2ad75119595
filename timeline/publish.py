"""One self-contained HTML page of a story: labelled timeline, story mode, quotes, sources, map.

`publish_html` returns the page as a string; the `publish` command writes it (docs/publish.md).
The page asks nothing of any server, from `file://` or any host: styles and script are inline,
the timeline and the map are SVG drawn here, and a Content-Security-Policy forbids every fetch.
Text from the events file reaches the page only escaped: as SVG and HTML text through
`html.escape`, and as JSON (`<`, `>`, `&`, U+2028 and U+2029 escaped) that the script turns
into text nodes, never markup. Same timeline in, same bytes out.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import html
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from timeline.dates import FuzzyDate
from timeline.errors import TimelineError
from timeline.export import NoEvents, chronological, story_events
from timeline.figures import CATEGORY_COLORS
from timeline.geo import DEFAULT_BORDERS, Projection, load_borders
from timeline.model import CATEGORIES, Event, Figure, Place, Timeline, is_web_address
from timeline.words import plural

ALL_EVENTS = "All events"
# A page is read one event at a time and every title is drawn: beyond this many events it
# would be megabytes that nobody reads through (TimelineJS advises about 20 slides), and
# laying out the rows takes time that grows with the square of the count.
MAX_EVENTS = 2_000
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; base-uri 'none'; form-action 'none'"
)
LINK_REL = "noopener noreferrer"

# The strip: a fixed drawing width, scrolled sideways on a narrower screen so that labels keep
# their size; rows of ROW_PX under an axis of AXIS_PX.
STRIP_WIDTH = 1100.0
ROW_PX = 24.0
AXIS_PX = 30.0
LABEL_PX = 12.0
# Room from an item's point to its label, and free space kept between two items of a row.
DOT_RADIUS = 4.5
LABEL_OFFSET = 9.0
ROW_GAP = 10.0
# Axis labels at least this far apart.
TICK_SPACING = 70.0
SVG_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"

# Places lie in the box the shipped outlines cover (timeline/data/README.md); others are
# named under the map instead.
MAP_WIDTH = 480.0
MAP_HEIGHT = 400.0
MAP_BOX = (14.0, 40.0, 50.0, 58.0)
UKRAINE_BOX = (22.1, 44.3, 40.3, 52.4)
MAP_MARGIN_SHARE = 0.12
MAP_MIN_MARGIN = 0.5
KM_PER_DEGREE = 111.32
PLACE_FONT = 12.0
COUNTRY_FONT = 13.0
# A country is named when it covers this share of the map.
COUNTRY_SHARE = 0.04
SUBJECT = "Ukraine"

# How figures read: qualifiers in words, units as printed, units whose singular differs.
QUALIFIER_WORDS = {
    "about": "about", "more-than": "more than", "at-least": "at least", "up-to": "up to",
    "exactly": "exactly",
}  # fmt: skip
UNIT_WORDS = {"km2": "km²", "sq-mi": "sq mi", "percent": "%", "ratio-to-one": "to 1"}
SINGULAR = {"people": "person", "cities": "city", "facilities": "facility", "days": "day"}

# Estimated advance widths in ems of a sans-serif like Arial, erring wide: the browser's fonts
# cannot be measured here, and a label a little short of its box is better than an overlap.
_NARROW = frozenset(" .,:;'!|()[]{}fijlrtI")
_WIDE = frozenset("mwMW@%—…")


def text_width(text: str, size: float = LABEL_PX) -> float:
    """Estimated width in pixels of one line of text at `size` pixels."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.31
        elif char in _WIDE:
            ems += 0.9
        elif char.isupper() or not char.isascii():
            ems += 0.7
        else:
            ems += 0.57
    return ems * size


def fit_text(text: str, room: float, size: float = LABEL_PX) -> str:
    """The text, or as many of its words as fit in `room` pixels followed by '…'."""
    if text_width(text, size) <= room:
        return text
    words = text.split()
    if not words:
        return ""
    while len(words) > 1:
        words.pop()
        shorter = " ".join(words).rstrip(" ,;:–—-") + "…"
        if text_width(shorter, size) <= room:
            return shorter
    return words[0][: max(1, int(room / (0.7 * size)) - 1)] + "…"


# Dates and figures in words


def date_words(when: FuzzyDate) -> str:
    """The date in words with its precision: 'early September 2022 (part of month, approximate)'."""
    exact = dataclasses.replace(when, approximate=False) if when.approximate else when
    notes = [when.precision.value] + (["approximate"] if when.approximate else [])
    return f"{exact.describe()} ({', '.join(notes)})"


def number_words(value: float) -> str:
    """A number as printed: thousands separated ('3,000'), no needless '.0'."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:g}"


def figure_words(figure: Figure) -> str:
    """The claimed quantity as it reads: 'at least 1 person', 'about 3,000 km²', 'about 20%'."""
    qualifier = QUALIFIER_WORDS.get(figure.qualifier or "", figure.qualifier or "")
    unit = UNIT_WORDS.get(figure.unit, figure.unit.replace("-", " "))
    if figure.value == 1:
        unit = SINGULAR.get(unit, unit[:-1] if unit.endswith("s") and len(unit) > 3 else unit)
    amount = number_words(figure.value)
    quantity = f"{amount}{unit}" if unit == "%" else f"{amount} {unit}"
    return f"{qualifier} {quantity}" if qualifier else quantity


def measure_words(measure: str) -> str:
    """A measure id as a phrase: 'enemy-losses' → 'Enemy losses'."""
    words = measure.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


class TooManyEvents(TimelineError, ValueError):
    """More events than a published page can show."""


# The timeline strip


@dataclass(frozen=True, slots=True)
class StripItem:
    """Where the strip draws one event, in pixels: its span, its point, its label and row."""

    index: int
    row: int
    start: float
    end: float
    point: float
    label: str
    flipped: bool
    left: float
    right: float


@dataclass(frozen=True)
class Strip:
    """The strip's items (in the events' order), its window in day ordinals and its size."""

    items: list[StripItem]
    low: int
    high: int
    width: float
    rows: int

    @property
    def height(self) -> float:
        """The drawing's height in pixels: the axis and every row."""
        return AXIS_PX + self.rows * ROW_PX + 6

    def x(self, ordinal: float) -> float:
        """The pixel where a day (ordinal) begins."""
        return (ordinal - self.low) * self.width / (self.high - self.low)


def strip_window(events: Sequence[Event]) -> tuple[int, int]:
    """The days the strip shows, as ordinals (end exclusive): the events' days and a margin of
    a thirtieth of them (one day at least) on each side, within the calendar."""
    first = min(event.date.first for event in events).toordinal()
    last = max(event.date.last for event in events).toordinal() + 1
    margin = max(1, (last - first) // 30)
    return max(1, first - margin), min(date.max.toordinal() + 1, last + margin)


def strip_layout(events: Sequence[Event], width: float = STRIP_WIDTH) -> Strip:
    """Lay out the events (in order) on a strip `width` pixels wide: a span from first to last
    day, a point (a one-day event's middle, a longer one's start), the whole title beside it
    (left of it if it would run off the right edge, shortened only if it fits neither side),
    and rows such that no two items of a row come closer than ROW_GAP."""
    low, high = strip_window(events)
    per_day = width / (high - low)
    boxes = []
    for index, event in enumerate(events):
        start = (event.date.first.toordinal() - low) * per_day
        end = (event.date.last.toordinal() + 1 - low) * per_day
        point = (start + end) / 2 if event.date.days == 1 else start
        room_right = width - point - LABEL_OFFSET
        room_left = point - LABEL_OFFSET
        label = " ".join(event.title.split())
        flipped = text_width(label) > room_right and room_left > room_right
        label = fit_text(label, room_left if flipped else room_right)
        reach = LABEL_OFFSET + text_width(label)
        if flipped:
            left, right = min(start, point - reach), max(end, point + DOT_RADIUS)
        else:
            left, right = min(start, point - DOT_RADIUS), max(end, point + reach)
        boxes.append(StripItem(index, 0, start, end, point, label, flipped, left, right))
    rows = stack_rows([(box.left, box.right) for box in boxes], ROW_GAP)
    items = [dataclasses.replace(box, row=row) for box, row in zip(boxes, rows, strict=True)]
    return Strip(items, low, high, width, max(rows, default=-1) + 1)


def stack_rows(extents: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """A row (0 first) for each (left, right) extent, taken in the given order: the first row
    where it comes no closer than `gap` to any extent already there. In date order, rows read
    top to bottom as the story goes, and fill up where the story is sparse."""
    rows: list[list[tuple[float, float]]] = []
    chosen = []
    for left, right in extents:
        for number, row in enumerate(rows):
            if all(right + gap <= other_left or other_right + gap <= left
                   for other_left, other_right in row):  # fmt: skip
                row.append((left, right))
                chosen.append(number)
                break
        else:
            rows.append([(left, right)])
            chosen.append(len(rows) - 1)
    return chosen


_MONTH_ABBR = tuple(calendar.month_abbr)


def axis_ticks(low: int, high: int, width: float) -> list[tuple[int, str]]:
    """Labelled ticks (day ordinal, text) for a window of day ordinals [low, high) drawn
    `width` pixels wide: days, Mondays, months or years, the finest at least TICK_SPACING
    apart."""
    per_day = width / (high - low)
    days = range(low, high)
    for step in (1, 2, 7, 14):
        if step * per_day >= TICK_SPACING:
            if step < 7:
                chosen = [d for d in days if (d - low) % step == 0]
            else:  # Mondays (weekday 0); every other one counted from the first
                mondays = [d for d in days if date.fromordinal(d).weekday() == 0]
                chosen = mondays[:: step // 7]
            return [(d, _day_tick(date.fromordinal(d))) for d in chosen]
    first, last = date.fromordinal(low), date.fromordinal(high - 1)
    for months in (1, 2, 3, 6):
        if months * 30.44 * per_day >= TICK_SPACING:
            ticks = []
            for year in range(first.year, last.year + 1):
                for month in range(1, 13, months):
                    ordinal = date(year, month, 1).toordinal()
                    if low <= ordinal < high:
                        ticks.append((ordinal, f"{_MONTH_ABBR[month]} {year}"))
            return ticks
    step = 1
    while step * 365.25 * per_day < TICK_SPACING:
        step = step * 5 // 2 if str(step)[0] == "2" else step * 2
    start = first.year + (-first.year) % step
    return [
        (date(year, 1, 1).toordinal(), str(year))
        for year in range(start, last.year + 1, step)
        if low <= date(year, 1, 1).toordinal() < high
    ]


def _day_tick(day: date) -> str:
    return f"{day.day} {_MONTH_ABBR[day.month]}"


# The map


@dataclass(frozen=True, slots=True)
class MapPlace:
    """A place drawn on the map: pixel position, label position (None: shown only when its
    event is), and how many events name it."""

    place: Place
    x: float
    y: float
    label: str | None
    events: int


@dataclass(frozen=True)
class MapProjection(Projection):
    """The dashboard map's projection with y pointing down, as SVG draws: degrees to pixels
    from the top left of a view box (west, south, east, north) drawn width × height."""

    def pixels(self, lon: float, lat: float) -> tuple[float, float]:
        """Where (lon, lat) falls, in pixels from the top left."""
        return (lon - self.view[0]) * self.scale, (self.view[3] - lat) * self.scale * self.ratio


def map_view(
    points: Sequence[tuple[float, float]], width: float = MAP_WIDTH, height: float = MAP_HEIGHT
) -> MapProjection:
    """A projection showing every (lon, lat) with a margin, shaped to width × height, kept
    inside MAP_BOX where it fits; Ukraine when there is no point."""
    if points:
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        west, east, south, north = min(lons), max(lons), min(lats), max(lats)
        margin_x = max((east - west) * MAP_MARGIN_SHARE, MAP_MIN_MARGIN)
        margin_y = max((north - south) * MAP_MARGIN_SHARE, MAP_MIN_MARGIN)
        box = (west - margin_x, south - margin_y, east + margin_x, north + margin_y)
    else:
        box = UKRAINE_BOX
    west, south, east, north = box
    stretch = 1 / math.cos(math.radians((south + north) / 2))
    across, up = east - west, (north - south) * stretch
    if across / width > up / height:  # too wide: add latitude
        extra = (across * height / width - up) / stretch / 2
        south, north = south - extra, north + extra
    else:
        extra = (up * width / height - across) / 2
        west, east = west - extra, east + extra
    west, east = _inside(west, east, MAP_BOX[0], MAP_BOX[2])
    south, north = _inside(south, north, MAP_BOX[1], MAP_BOX[3])
    return MapProjection((west, south, east, north), width, height)


def _inside(low: float, high: float, floor: float, ceiling: float) -> tuple[float, float]:
    """Slide [low, high] inside [floor, ceiling] where it is not wider than that."""
    if high - low >= ceiling - floor:
        return low, high
    shift = max(0.0, floor - low) - max(0.0, high - ceiling)
    return low + shift, high + shift


Box = tuple[float, float, float, float]


def label_positions(
    points: Sequence[tuple[float, float, float]],
    widths: Sequence[float],
    bounds: Box,
    size: float = PLACE_FONT,
) -> list[str | None]:
    """A side ('right', 'left', 'above', 'below') for each point's label, None where none fits:
    points (x, y, weight) taken heaviest first, each label inside bounds and clear of every
    label placed before and of every point."""
    radius = 4.0
    dots = [(x - radius, y - radius, x + radius, y + radius) for x, y, _ in points]
    placed: list[Box] = []
    sides: list[str | None] = [None] * len(points)
    for index in sorted(range(len(points)), key=lambda i: (-points[i][2], i)):
        x, y, _ = points[index]
        for side in ("right", "left", "above", "below"):
            box = label_box(x, y, widths[index], side, size)
            inside = (
                box[0] >= bounds[0] and box[1] >= bounds[1]
                and box[2] <= bounds[2] and box[3] <= bounds[3]
            )  # fmt: skip
            others = placed + [dot for i, dot in enumerate(dots) if i != index]
            if inside and not any(_overlap(box, other) for other in others):
                sides[index] = side
                placed.append(box)
                break
    return sides


def label_box(x: float, y: float, width: float, side: str, size: float = PLACE_FONT) -> Box:
    """The pixel box (left, top, right, bottom; y down) of a label on one side of a point."""
    gap = 6.0
    if side == "right":
        return x + gap, y - size / 2, x + gap + width, y + size / 2
    if side == "left":
        return x - gap - width, y - size / 2, x - gap, y + size / 2
    if side == "above":
        return x - width / 2, y - gap - size, x + width / 2, y - gap
    return x - width / 2, y + gap, x + width / 2, y + gap + size


def _overlap(a: Box, b: Box, gap: float = 1.0) -> bool:
    return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap


@dataclass(frozen=True)
class PlaceMap:
    """What the map draws: its projection, places as points, country names (name, x, y) and
    the places it cannot draw: countries, which a point would misplace, and places outside
    MAP_BOX."""

    projection: MapProjection
    places: list[MapPlace]
    countries: list[tuple[str, float, float]]
    elsewhere: list[Place]


def map_places(timeline: Timeline, events: Sequence[Event]) -> PlaceMap:
    """The map of the events' places: each a point, labelled where room allows, busiest first;
    then the names of the countries in view where they fit."""
    counts: Counter[str] = Counter()
    for event in events:
        counts.update(dict.fromkeys(event.places, 1))
    named = [timeline.places[p] for p in counts if p in timeline.places]
    drawn = [p for p in named if p.kind != "country" and _in_box(p)]
    elsewhere = [p for p in named if p not in drawn]
    projection = map_view([(p.lon, p.lat) for p in drawn])
    xy = [projection.pixels(p.lon, p.lat) for p in drawn]
    bounds = (2.0, 2.0, projection.width - 2, projection.height - 2)
    widths = [text_width(p.name, PLACE_FONT) for p in drawn]
    sides = label_positions(
        [(x, y, counts[p.id]) for (x, y), p in zip(xy, drawn, strict=True)], widths, bounds
    )
    places = [
        MapPlace(p, x, y, side, counts[p.id])
        for p, (x, y), side in zip(drawn, xy, sides, strict=True)
    ]
    taken = [(x - 5, y - 5, x + 5, y + 5) for x, y in xy] + [
        label_box(x, y, width, side)
        for (x, y), width, side in zip(xy, widths, sides, strict=True)
        if side is not None
    ]
    return PlaceMap(projection, places, country_names(projection, taken), elsewhere)


@functools.cache
def country_rings() -> tuple[tuple[str, tuple[tuple[tuple[float, float], ...], ...]], ...]:
    """Each shipped country's name and its polygons' rings in (lon, lat), read once."""
    data = json.loads(DEFAULT_BORDERS.read_text(encoding="utf-8"))
    countries = []
    for feature in data.get("features", []):
        geometry = feature.get("geometry") or {}
        coordinates = geometry.get("coordinates") or []
        polygons = coordinates if geometry.get("type") == "MultiPolygon" else [coordinates]
        rings = tuple(
            tuple((float(x), float(y)) for x, y, *_ in ring)
            for polygon in polygons
            for ring in polygon
        )
        countries.append((str((feature.get("properties") or {}).get("name", "")), rings))
    return tuple(countries)


def _projected(projection: MapProjection, rings: Iterable[Sequence[tuple[float, float]]]):
    """The rings that reach into the view, in pixels, points less than a pixel apart merged."""
    west, south, east, north = projection.view
    kept = []
    for ring in rings:
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
            continue
        merged = _pixel_points(projection, ring)
        if len(merged) >= 3:
            kept.append(np.array([*merged, merged[0]]))
    return kept


def _pixel_points(
    projection: MapProjection, line: Sequence[tuple[float, float]]
) -> list[tuple[float, float]]:
    """A line's points in pixels, leaving out each one less than a pixel from the last kept."""
    points = [projection.pixels(lon, lat) for lon, lat in line]
    kept = [points[0]]
    for point in points[1:]:
        if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= 1.0:
            kept.append(point)
    return kept


def _even_odd(points: np.ndarray, rings: Sequence[np.ndarray]) -> np.ndarray:
    """Which points (n, 2) lie inside the closed rings, by the even-odd rule."""
    starts = np.concatenate([ring[:-1] for ring in rings])
    ends = np.concatenate([ring[1:] for ring in rings])
    inside = np.zeros(len(points), dtype=bool)
    for first in range(0, len(points), 256):  # in chunks: points × edges would be large
        x = points[first : first + 256, 0:1]
        y = points[first : first + 256, 1:2]
        straddles = (starts[:, 1] > y) != (ends[:, 1] > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            crossing = starts[:, 0] + (y - starts[:, 1]) * (ends[:, 0] - starts[:, 0]) / (
                ends[:, 1] - starts[:, 1]
            )
        inside[first : first + 256] = (straddles & (x < crossing)).sum(axis=1) % 2 == 1
    return inside


def country_names(
    projection: MapProjection, taken: Sequence[Box] = (), size: float = COUNTRY_FONT
) -> list[tuple[str, float, float]]:
    """Where to write the names of the countries in view (name, centre x, centre y): the
    largest first, each at the point nearest its middle whose whole label lies inside the
    country and the map, clear of `taken` and of the names placed before."""
    step = 8.0
    xs, ys = np.meshgrid(
        np.arange(step / 2, projection.width, step), np.arange(step / 2, projection.height, step)
    )
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    found = []
    for name, rings in country_rings():
        projected = _projected(projection, rings)
        if projected:
            inside = _even_odd(grid, projected)
            if inside.sum() >= COUNTRY_SHARE * len(grid):
                found.append((int(inside.sum()), name, projected, grid[inside]))
    placed: list[Box] = list(taken)
    names = []
    for _, name, projected, inside in sorted(found, key=lambda item: (-item[0], item[1])):
        half_w, half_h = text_width(name.upper(), size) * 1.15 / 2 + 2, size / 2 + 2
        candidates = inside[
            (inside[:, 0] - half_w >= 0) & (inside[:, 0] + half_w <= projection.width)
            & (inside[:, 1] - half_h >= 0) & (inside[:, 1] + half_h <= projection.height)
        ]  # fmt: skip
        for corner in ((-half_w, -half_h), (-half_w, half_h), (half_w, -half_h), (half_w, half_h)):
            if len(candidates):
                candidates = candidates[_even_odd(candidates + corner, projected)]
        middle = inside.mean(axis=0)
        order = np.argsort(((candidates - middle) ** 2).sum(axis=1), kind="stable")
        for x, y in candidates[order].tolist():
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
            if not any(_overlap(box, other) for other in placed):
                placed.append(box)
                names.append((name, x, y))
                break
    return names


def _in_box(place: Place) -> bool:
    west, south, east, north = MAP_BOX
    return west <= place.lon <= east and south <= place.lat <= north


def scale_bar(projection: MapProjection, share: float = 0.25) -> tuple[float, str]:
    """A scale bar's length in pixels and its label: the longest 1, 2 or 5 × 10ⁿ km within
    `share` of the map's width."""
    middle = (projection.view[1] + projection.view[3]) / 2
    km_per_pixel = KM_PER_DEGREE * math.cos(math.radians(middle)) / projection.scale
    target = projection.width * share * km_per_pixel
    power = 10 ** math.floor(math.log10(target))
    km = max(step * power for step in (1, 2, 5) if step * power <= target)
    return km / km_per_pixel, f"{km:g} km"


# The page's data


def page_data(timeline: Timeline, events: Sequence[Event]) -> dict[str, Any]:
    """What the page's script shows of each event in story mode: all of it as plain text."""
    return {"events": [_event_data(timeline, event) for event in events]}


def _event_data(timeline: Timeline, event: Event) -> dict[str, Any]:
    quotes = []
    for citation in event.sources:
        source = timeline.sources.get(citation.source)
        url = source.url if source is not None and source.url else None
        quotes.append(
            {
                "text": citation.quote,
                "quoted": citation.quoted or "",
                "outlet": source.outlet if source else citation.source,
                "headline": (source.headline or "") if source else "",
                "published": source.published.describe() if source else "",
                "url": url if url and is_web_address(url) else "",
                "gives": date_words(citation.date) if citation.date else "",
            }
        )
    figures = []
    for figure in event.figures:
        source = timeline.sources.get(figure.source)
        outlet = source.outlet if source else figure.source
        figures.append(
            {
                "measure": measure_words(figure.measure),
                "amount": figure_words(figure),
                "claimedBy": figure.claimed_by,
                # Left out where the claimant already names it ("The Independent").
                "outlet": "" if outlet in figure.claimed_by else outlet,
            }
        )
    return {
        "id": event.id,
        "title": event.title,
        "date": date_words(event.date),
        "category": event.category,
        "status": event.status,
        "places": [_name(timeline.places, p) for p in event.places],
        "placeIds": list(event.places),
        "actors": [_name(timeline.actors, a) for a in event.actors],
        "quotes": quotes,
        "figures": figures,
        "notes": event.notes or "",
    }


def _name(records: dict, record_id: str) -> str:
    record = records.get(record_id)
    return record.name if record is not None else record_id


_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
    0x2028: "\\u2028", 0x2029: "\\u2029",
}  # fmt: skip


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no '<', '>' or '&' (so no '</script>' or '<!--'),
    and no raw U+2028/U+2029."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


# The page


def publish_html(
    timeline: Timeline,
    story_id: str | None = None,
    title: str | None = None,
    events: Sequence[Event] | None = None,
) -> str:
    """The page of one story's events (all events when story_id is None; only `events` when
    given, as the dashboard's current view) as one HTML document; raise UnknownStory for a
    story not in the timeline, NoEvents when there is nothing to show, TooManyEvents beyond
    MAX_EVENTS."""
    story = None
    if story_id is not None:
        story_members = story_events(timeline, story_id)
        story = timeline.stories[story_id]
    else:
        story_members = timeline.events
    events = chronological(story_members if events is None else events)
    if not events:
        which = f"story '{story_id}' has" if story_id else "the file has"
        raise NoEvents(f"no events to publish ({which} no events)")
    if len(events) > MAX_EVENTS:
        raise TooManyEvents(
            f"{plural(len(events), 'event')} to publish, more than a page can show (expected "
            f"at most {MAX_EVENTS:,}: publish one story with --story, or split the story)"
        )
    heading = title or (story.title if story else ALL_EVENTS)
    if story is not None:
        span = story.date.describe()
    else:
        latest = max(events, key=lambda event: event.date.last).date
        span = f"{events[0].date.start.describe()} to {(latest.end or latest.start).describe()}"
    cited = sorted({c.source for event in events for c in event.sources})
    facts = " · ".join([span, plural(len(events), "event"), plural(len(cited), "source")])
    esc = html.escape
    description = (
        f'<p class="description">{esc(story.description)}</p>'
        if story and story.description
        else ""
    )
    place_map = map_places(timeline, events)
    return "".join(
        [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n',
            '<meta name="referrer" content="no-referrer">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f"<title>{esc(heading)}</title>\n<style>{_css()}</style>\n</head>\n<body>\n",
            '<header class="page-head">\n',
            f'<h1>{esc(heading)}</h1>\n<p class="facts">{esc(facts)}</p>\n{description}\n',
            "</header>\n<main>\n",
            '<section class="strip" aria-labelledby="strip-heading">\n',
            '<h2 id="strip-heading">Timeline</h2>\n',
            '<p class="hint">Every event by date; choose one to read it below.</p>\n',
            '<div class="strip-scroll" id="strip-scroll" tabindex="0" '
            'aria-label="Timeline of the events, scrollable">\n',
            strip_svg(strip_layout(events), events),
            "</div>\n",
            _legend(events),
            "</section>\n",
            '<div class="reading">\n',
            '<section class="story" aria-labelledby="story-heading">\n',
            '<h2 id="story-heading">Story, one event at a time</h2>\n',
            '<nav class="steps" aria-label="Step through the events">\n',
            '<button type="button" id="previous" aria-label="Previous event (left arrow key)">',
            "← Previous</button>\n",
            '<span id="position" class="position" aria-live="polite">',
            f"1 of {len(events):,}</span>\n",
            '<button type="button" id="next" aria-label="Next event (right arrow key)">',
            "Next →</button>\n</nav>\n",
            '<div id="cards" class="cards"></div>\n',
            "<noscript><p>Story mode needs JavaScript; the timeline and map above show every "
            "event.</p></noscript>\n",
            "</section>\n",
            '<section class="map" aria-labelledby="map-heading">\n',
            '<h2 id="map-heading">Places</h2>\n',
            map_svg(place_map),
            _elsewhere(place_map.elsewhere),
            "</section>\n</div>\n",
            _sources_list(timeline, cited),
            "</main>\n",
            '<footer class="page-foot"><p>Published from ',
            f"{esc(Path(timeline.path).name)}: every event quotes its sources verbatim. ",
            "Dates in words keep their precision; figures are claims, with who makes them.",
            "</p></footer>\n",
            '<script type="application/json" id="story-data">',
            script_json(page_data(timeline, events)),
            "</script>\n",
            f"<script>{_SCRIPT}</script>\n</body>\n</html>\n",
        ]
    )


def _f(value: float) -> str:
    """A coordinate with one decimal: short, and the same on every platform."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def strip_svg(strip: Strip, events: Sequence[Event]) -> str:
    """The strip as SVG: an axis on top with day lines, then each event as a link to its place
    in story mode: span, point and title, coloured by category."""
    esc = html.escape
    height = strip.height
    parts = [
        f'<svg class="strip-svg" xmlns="http://www.w3.org/2000/svg" width="{_f(strip.width)}" '
        f'height="{_f(height)}" viewBox="0 0 {_f(strip.width)} {_f(height)}" '
        f'font-family="{esc(SVG_FONT)}" font-size="{LABEL_PX:g}">',
        '<g class="axis">',
    ]
    for ordinal, text in axis_ticks(strip.low, strip.high, strip.width):
        x = _f(strip.x(ordinal))
        parts.append(
            f'<line x1="{x}" y1="{_f(AXIS_PX - 8)}" x2="{x}" y2="{_f(height)}"></line>'
            f'<text x="{x}" y="{_f(AXIS_PX - 12)}" dx="3">{esc(text)}</text>'
        )
    parts.append("</g>")
    for item in strip.items:
        event = events[item.index]
        top = AXIS_PX + item.row * ROW_PX
        # The title and its point on one line, the span underlined beneath: a bar through the
        # middle would strike the title out.
        middle = top + 10
        if item.flipped:
            label_x, anchor = item.point - LABEL_OFFSET, ' text-anchor="end"'
        else:
            label_x, anchor = item.point + LABEL_OFFSET, ""
        span = (
            f'<rect class="span" x="{_f(item.start)}" y="{_f(top + 17)}" '
            f'width="{_f(max(item.end - item.start, 1))}" height="4" rx="2"></rect>'
            if event.date.days > 1
            else ""
        )
        parts.append(
            f'<a class="item cat-{esc(event.category)}" href="#{esc(event.id)}" '
            f'data-id="{esc(event.id)}" data-x="{_f(item.point)}" data-y="{_f(middle)}">'
            f"<title>{esc(event.title)} ({esc(event.date.describe())})</title>"
            f'<rect class="mark" x="{_f(item.left - 3)}" y="{_f(top + 1)}" '
            f'width="{_f(item.right - item.left + 6)}" height="{_f(ROW_PX - 2)}" rx="4"></rect>'
            f"{span}"
            f'<circle class="dot" cx="{_f(item.point)}" cy="{_f(middle)}" r="{DOT_RADIUS:g}">'
            "</circle>"
            f'<text class="label" x="{_f(label_x)}" y="{_f(middle + 4)}"{anchor}>'
            f"{esc(item.label)}</text></a>"
        )
    parts.append("</svg>\n")
    return "".join(parts)


def map_svg(place_map: PlaceMap) -> str:
    """The map as SVG: land (the subject country tinted), borders, country names, and each
    place a point with its name."""
    esc = html.escape
    projection = place_map.projection
    width, height = projection.width, projection.height
    parts = [
        f'<svg class="map-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_f(width)} '
        f'{_f(height)}" role="img" aria-labelledby="map-heading" '
        f'font-family="{esc(SVG_FONT)}" font-size="{PLACE_FONT:g}">',
        f'<rect class="sea" width="{_f(width)}" height="{_f(height)}"></rect>',
    ]
    for name, rings in country_rings():
        projected = _projected(projection, rings)
        if projected:
            kind = "land subject" if name == SUBJECT else "land"
            parts.append(f'<path class="{kind}" d="{_path(projected, close=True)}"></path>')
    parts.append(f'<path class="borders" d="{_border_path(projection)}"></path>')
    for name, x, y in place_map.countries:
        parts.append(
            f'<text class="country" x="{_f(x)}" y="{_f(y + COUNTRY_FONT * 0.35)}" '
            f'text-anchor="middle">{esc(name.upper())}</text>'
        )
    for place in place_map.places:
        x, y = _f(place.x), _f(place.y)
        parts.append(
            f'<g class="place{"" if place.label else " spare"}" data-place="{esc(place.place.id)}">'
            f"<title>{esc(place.place.name)}: {plural(place.events, 'event')}</title>"
            f'<circle cx="{x}" cy="{y}" r="4"></circle>'
            f"{_place_label(place)}</g>"
        )
    length, text = scale_bar(projection)
    left, bottom = 12.0, height - 12
    parts.append(
        f'<g class="scale"><path d="M{_f(left)} {_f(bottom - 5)}V{_f(bottom)}'
        f'H{_f(left + length)}V{_f(bottom - 5)}"></path>'
        f'<text x="{_f(left + length + 6)}" y="{_f(bottom)}">{esc(text)}</text></g>'
    )
    parts.append("</svg>\n")
    return "".join(parts)


def _path(lines: Iterable[Sequence[Sequence[float]]], close: bool = False) -> str:
    """An SVG path's data: one subpath a line (closed if asked), one decimal a coordinate."""
    end = "Z" if close else ""
    return "".join("M" + "L".join(f"{_f(x)} {_f(y)}" for x, y in line) + end for line in lines)


def _place_label(place: MapPlace) -> str:
    side = place.label or "right"
    width = text_width(place.place.name, PLACE_FONT)
    box = label_box(place.x, place.y, width, side)
    anchor = {"right": "start", "left": "end"}.get(side, "middle")
    x = {"right": box[0], "left": box[2]}.get(side, (box[0] + box[2]) / 2)
    return (
        f'<text x="{_f(x)}" y="{_f(box[3] - 2)}" text-anchor="{anchor}">'
        f"{html.escape(place.place.name)}</text>"
    )


def _border_path(projection: MapProjection) -> str:
    """The outlines in view as one SVG path, points less than a pixel apart merged."""
    west, south, east, north = projection.view
    pad = 0.5
    lines = []
    for line in load_borders():
        if not any(
            west - pad <= lon <= east + pad and south - pad <= lat <= north + pad
            for lon, lat in line
        ):
            continue
        kept = _pixel_points(projection, line)
        if len(kept) >= 2:
            lines.append(kept)
    return _path(lines)


def _legend(events: Sequence[Event]) -> str:
    present = {event.category for event in events}
    items = "".join(
        f'<li><span class="swatch cat-{category}" aria-hidden="true"></span>{category}</li>'
        for category in CATEGORIES
        if category in present
    )
    return f'<ul class="legend" aria-label="Colours by category">{items}</ul>\n'


def _elsewhere(places: Iterable[Place]) -> str:
    names = [place.name for place in places]
    if not names:
        return ""
    return (
        '<p class="elsewhere">Also named, not drawn as points (countries, or beyond the map): '
        f"{html.escape(', '.join(names))}.</p>\n"
    )


def _sources_list(timeline: Timeline, cited: Sequence[str]) -> str:
    esc = html.escape
    rows = []
    for source_id in cited:
        source = timeline.sources.get(source_id)
        if source is None:
            continue
        outlet = esc(source.outlet)
        if source.url and is_web_address(source.url):
            outlet = f'<a href="{esc(source.url)}" rel="{LINK_REL}">{outlet}</a>'
        headline = f" — “{esc(source.headline)}”" if source.headline else ""
        byline = f", {esc(source.author)}" if source.author else ""
        rows.append(f"<li>{outlet}{headline}{byline}, {esc(source.published.describe())}</li>")
    return (
        '<section class="sources" aria-labelledby="sources-heading">\n'
        f'<h2 id="sources-heading">Sources</h2>\n<ul>{"".join(rows)}</ul>\n</section>\n'
    )


def _css() -> str:
    colours = "".join(
        f".cat-{category} .dot,.cat-{category} .span,.swatch.cat-{category}"
        f"{{fill:{colour};background:{colour}}}"
        for category, colour in CATEGORY_COLORS.items()
    )
    return _STYLE + colours


def file_size_words(size: int) -> str:
    """A file size as people say it: '812 bytes', '85 kB', '1.2 MB' (powers of 1,000)."""
    if size < 1000:
        return plural(size, "byte")
    if size < 1_000_000:
        return f"{round(size / 1000):,} kB" if size >= 9_950 else f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:,.1f} MB"


_STYLE = """
:root{color-scheme:light;--ink:#1b1b1b;--muted:#5a5a5a;--line:#d5d5d5;--accent:#0b57d0;
--paper:#fff;--soft:#f4f4f1;--mark:#ffe9a8}
*{box-sizing:border-box}
body{margin:0;background:var(--paper);color:var(--ink);line-height:1.5;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Liberation Sans",
sans-serif}
main,.page-head,.page-foot{max-width:1180px;margin:0 auto;padding:0 20px}
.page-head{padding-top:24px}
h1{font-size:1.9rem;line-height:1.2;margin:0 0 6px}
h2{font-size:1.05rem;margin:0 0 6px;text-transform:uppercase;letter-spacing:.04em;
color:var(--muted)}
.facts{font-weight:600;margin:0 0 6px}
.description{max-width:70ch;margin:0 0 16px;color:var(--muted)}
.hint{margin:0 0 6px;color:var(--muted);font-size:.9rem}
.strip{margin:8px 0 20px}
.strip-scroll{overflow:auto;max-height:340px;border:1px solid var(--line);border-radius:6px;
background:var(--paper)}
.strip-svg{display:block}
.axis line{stroke:#e6e6e6;stroke-width:1}
.axis text{fill:var(--muted);font-size:11px}
.item{cursor:pointer}
.item .label{fill:var(--ink)}
.item .mark{fill:transparent}
.item .span{opacity:.7}
.item .dot{stroke:#fff;stroke-width:1.5}
.item:hover .mark{fill:var(--soft)}
.item.current .mark{fill:var(--mark);stroke:#b38600;stroke-width:1}
.item.current .label{font-weight:700}
.item.current .dot{stroke:var(--ink);stroke-width:2}
.item:focus{outline:none}
.item:focus-visible .mark{stroke:var(--accent);stroke-width:2.5}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 14px;padding:0;margin:8px 0 0;
font-size:.85rem;color:var(--muted)}
.swatch{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:5px}
.reading{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:28px;
align-items:start}
.steps{display:flex;align-items:center;gap:12px;margin:0 0 10px}
.steps button{font:inherit;font-weight:600;padding:8px 14px;border:1px solid var(--ink);
border-radius:6px;background:var(--paper);color:var(--ink);cursor:pointer;min-height:44px}
.steps button:hover{background:var(--soft)}
.steps button:disabled{opacity:.4;cursor:default}
.position{font-variant-numeric:tabular-nums;color:var(--muted);min-width:6em;text-align:center}
:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.card{border-top:4px solid var(--line);padding-top:10px}
.card h3{font-size:1.45rem;line-height:1.25;margin:4px 0 6px}
.kicker{margin:0;font-size:.85rem;text-transform:uppercase;letter-spacing:.05em;
color:var(--muted)}
.when{margin:0 0 10px;font-weight:600}
.card dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:0 0 12px}
.card dt{color:var(--muted)}
.card dd{margin:0}
.card h4{font-size:.95rem;margin:14px 0 6px}
.card blockquote{margin:0 0 12px;padding:2px 0 2px 14px;border-left:3px solid var(--line)}
.card blockquote p{margin:0;font-family:Georgia,"DejaVu Serif",serif;font-size:1.05rem}
.card blockquote footer{color:var(--muted);font-size:.9rem;margin-top:4px}
.card ul{margin:0 0 12px;padding-left:20px}
.notes{color:var(--muted);font-size:.95rem}
a{color:var(--accent)}
.map{position:sticky;top:12px}
.map-svg{width:100%;height:auto;display:block;border:1px solid var(--line);border-radius:6px}
.sea{fill:#eef3f7}
.land{fill:#fbfbf8;fill-rule:evenodd}
.land.subject{fill:#fff7e0}
.borders{fill:none;stroke:#8c8c8c;stroke-width:1;stroke-linejoin:round}
.country{fill:#8a8a8a;font-size:13px;letter-spacing:.15em}
.place circle{fill:#555;stroke:#fff;stroke-width:1}
.place text{fill:var(--ink);paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.place.spare text{display:none}
.place.current circle{fill:#c0392b;r:6px}
.place.current text{display:inline;font-weight:700}
.scale path{fill:none;stroke:#555;stroke-width:1.5}
.scale text{fill:#555;font-size:10px}
.elsewhere{font-size:.9rem;color:var(--muted)}
.sources{margin:28px 0 0}
.sources ul{padding-left:20px}
.page-foot{margin-top:24px;padding-bottom:32px;color:var(--muted);font-size:.85rem}
@media (max-width:760px){
h1{font-size:1.45rem}
main,.page-head,.page-foot{padding:0 14px}
.reading{grid-template-columns:1fr;gap:18px}
.map{position:static}
.strip-scroll{max-height:260px}
.steps{position:sticky;top:0;background:var(--paper);padding:6px 0;z-index:1}
.steps button{flex:1;padding:8px 6px;white-space:nowrap}
.card h3{font-size:1.25rem}
}
@media print{
.steps,.hint,noscript{display:none}
.strip-scroll{max-height:none;overflow:visible;border:0}
.strip-svg{width:100%;height:auto}
.reading{display:block}
.card{display:block!important;break-inside:avoid;margin-bottom:14px}
.item.current .mark{fill:transparent;stroke:none}
.item.current .label{font-weight:400}
a{color:inherit}
.sources a::after{content:" (" attr(href) ")";font-size:.85em}
}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var events = JSON.parse(document.getElementById("story-data").textContent).events;
  var cards = document.getElementById("cards");
  var position = document.getElementById("position");
  var previous = document.getElementById("previous");
  var next = document.getElementById("next");
  var scroller = document.getElementById("strip-scroll");
  var items = {};
  document.querySelectorAll(".strip-svg .item").forEach(function (item) {
    items[item.getAttribute("data-id")] = item;
  });
  var places = document.querySelectorAll(".map-svg .place");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function webAddress(url) {
    return /^https?:\/\/[^\/\s]/i.test(url);
  }

  function credit(quote) {
    var footer = element("footer");
    var who = quote.quoted ? quote.quoted + ", in " : "";
    footer.appendChild(document.createTextNode("— " + who));
    if (quote.url && webAddress(quote.url)) {
      var link = element("a", "", quote.outlet);
      link.href = quote.url;
      link.rel = "noopener noreferrer";
      footer.appendChild(link);
    } else {
      footer.appendChild(document.createTextNode(quote.outlet));
    }
    var tail = "";
    if (quote.headline) { tail += ", “" + quote.headline + "”"; }
    if (quote.published) { tail += ", " + quote.published; }
    if (quote.gives) { tail += " (gives " + quote.gives + ")"; }
    footer.appendChild(document.createTextNode(tail));
    return footer;
  }

  function facts(list, event) {
    [["Places", event.places], ["Actors", event.actors]].forEach(function (pair) {
      if (!pair[1].length) { return; }
      list.appendChild(element("dt", "", pair[0]));
      list.appendChild(element("dd", "", pair[1].join(", ")));
    });
  }

  function card(event) {
    var article = element("article", "card");
    article.setAttribute("data-id", event.id);
    article.hidden = true;
    article.appendChild(element("p", "kicker", event.category + " · " + event.status));
    article.appendChild(element("h3", "title", event.title));
    article.appendChild(element("p", "when", event.date));
    var list = element("dl");
    facts(list, event);
    if (list.childNodes.length) { article.appendChild(list); }
    var plural = event.quotes.length > 1;
    var heading = plural ? "What the sources say" : "What the source says";
    article.appendChild(element("h4", "", heading));
    event.quotes.forEach(function (quote) {
      var block = element("blockquote");
      block.appendChild(element("p", "", "“" + quote.text + "”"));
      block.appendChild(credit(quote));
      article.appendChild(block);
    });
    if (event.figures.length) {
      article.appendChild(element("h4", "", "Claimed figures"));
      var claims = element("ul", "figures");
      event.figures.forEach(function (figure) {
        var reported = figure.outlet ? " (reported by " + figure.outlet + ")" : "";
        claims.appendChild(element("li", "", figure.measure + ": " + figure.amount +
          ", claimed by " + figure.claimedBy + reported));
      });
      article.appendChild(claims);
    }
    if (event.notes) { article.appendChild(element("p", "notes", "Note: " + event.notes)); }
    return article;
  }

  var shown = events.map(function (event) {
    var article = card(event);
    cards.appendChild(article);
    return article;
  });
  var current = -1;

  function indexOf(id) {
    for (var i = 0; i < events.length; i += 1) {
      if (events[i].id === id) { return i; }
    }
    return -1;
  }

  function fromHash() {
    var id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (error) { return -1; }
    return indexOf(id);
  }

  function reveal(item) {
    var x = Number(item.getAttribute("data-x"));
    var y = Number(item.getAttribute("data-y"));
    if (y < scroller.scrollTop + 40 || y > scroller.scrollTop + scroller.clientHeight - 20) {
      scroller.scrollTop = Math.max(0, y - scroller.clientHeight / 2);
    }
    if (x < scroller.scrollLeft + 20 || x > scroller.scrollLeft + scroller.clientWidth - 60) {
      scroller.scrollLeft = Math.max(0, x - scroller.clientWidth / 3);
    }
  }

  function show(index) {
    index = Math.max(0, Math.min(events.length - 1, index));
    if (index === current) { return; }
    if (current >= 0) {
      shown[current].hidden = true;
      items[events[current].id].classList.remove("current");
      items[events[current].id].removeAttribute("aria-current");
    }
    current = index;
    var event = events[index];
    shown[index].hidden = false;
    var item = items[event.id];
    item.classList.add("current");
    item.setAttribute("aria-current", "true");
    reveal(item);
    places.forEach(function (place) {
      var named = event.placeIds.indexOf(place.getAttribute("data-place")) >= 0;
      place.classList.toggle("current", named);
    });
    position.textContent = (index + 1) + " of " + events.length;
    previous.disabled = index === 0;
    next.disabled = index === events.length - 1;
    if (location.hash.slice(1) !== event.id) {
      try { history.replaceState(null, "", "#" + event.id); } catch (error) { /* sandboxed */ }
    }
  }

  previous.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  document.addEventListener("keydown", function (key) {
    if (key.altKey || key.ctrlKey || key.metaKey || key.shiftKey) { return; }
    var moves = {ArrowLeft: current - 1, ArrowRight: current + 1};
    if (!(key.key in moves)) { return; }
    key.preventDefault();
    show(moves[key.key]);
  });
  window.addEventListener("hashchange", function () {
    var index = fromHash();
    if (index >= 0) { show(index); }
  });
  var start = fromHash();
  show(start >= 0 ? start : 0);
})();
"""
