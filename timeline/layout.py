"""Where the timeline draws each item: rows that keep labelled boxes apart, clusters for the rest.

A pure function from items (first and last day, label, lane), a window and a plot width to
boxes with rows, after vis-timeline's `Stack.js`: a box runs from an item's start to whichever
ends later, its span or its label, and no two boxes of a lane share a row where they overlap.
Where a lane would need more rows than a limit, its labels are shortened further, and if that is
not enough, items are grouped into count boxes ("12 events"):
first those with the same dates, then by day, week, month, quarter and year, as coarse as it
takes, and within a grouping only the biggest groups it needs. The figure builder only draws
the result.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import numpy as np

from timeline.words import plural

# The label font: Arial, Helvetica and Liberation Sans share these metrics.
LABEL_FONT_SIZE = 12
LABEL_FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
# Titles longer than this are cut at a word boundary; the whole title stays in the hover.
LABEL_LIMIT = 48
# In a lane whose titles would not fit its rows, they are cut shorter, to this, before any are
# counted in a box: a few words of each title tell more than "12 events".
SHORT_LABEL_LIMIT = 24
# Titles are cut to fit the plot when it is narrower than they are, but not below this: a
# word or two, rather than a marker without a title.
MIN_LABEL_LIMIT = 12
# The plot's width (lane names not included) for callers that do not pass their own. Where the
# plot is wider, labels have room to spare; narrower, they would overlap, so a front end passes
# the width it draws at (the dashboard: timeline.viewstate.plot_width_px).
PLOT_WIDTH_PX = 700.0
# Rows a lane may take before its items are grouped into count boxes.
ROW_LIMIT = 8
# Rows the lanes may take together to title every event in view: the Kharkiv story's busiest
# week, 46 events of which a third span all of it, takes 46 rows in a 500 px plot.
TITLE_ROWS = 64
# With more events in view than this, rows are shared out in proportion, so that a window of
# thousands stays an overview of count boxes a screen tall rather than a wall of them.
TITLED_EVENTS = 256
OVERVIEW_ROWS = 20
# Room on the left of a label for its marker and the space after it, and between a label and
# the next box.
MARKER_PX = 12.0
GAP_PX = 8.0
# Coarser and coarser groups, tried in turn until a lane fits its row limit.
GROUPINGS = ("date", "day", "week", "month", "quarter", "year", "all")

_EPOCH = date(1970, 1, 1).toordinal()

# Advance widths in thousandths of an em (Helvetica's AFM metrics) of the printable ASCII
# characters, from the space to the tilde.
_ASCII_WIDTHS = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
# Characters common in news titles beyond ASCII; other letters take the width of the letter
# they decorate (é as e), wide East Asian characters a full em, anything else a broad guess.
_OTHER_WIDTHS = {
    "–": 556, "—": 1000, "…": 1000, "‘": 222, "’": 222, "“": 333, "”": 333, "«": 556,
    "»": 556, "°": 400, "²": 333, "³": 333, "€": 556, "£": 556, "№": 1000, " ": 278,
}  # fmt: skip
_UNKNOWN_WIDTH = 600


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    code = ord(char)
    if 32 <= code < 127:
        return _ASCII_WIDTHS[code - 32]
    if char in _OTHER_WIDTHS:
        return _OTHER_WIDTHS[char]
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return 1000
    base = unicodedata.normalize("NFD", char)[0]
    if base != char and 32 <= ord(base) < 127:
        return _ASCII_WIDTHS[ord(base) - 32]
    return _UNKNOWN_WIDTH


def text_width(text: str, size: float = LABEL_FONT_SIZE) -> float:
    """Estimated width in pixels of `text` in the label font at `size` pixels."""
    if text.isascii():
        # Control characters (below 32, and DEL) draw nothing.
        total = sum(_ASCII_WIDTHS[code - 32] if 32 <= code < 127 else 0 for code in text.encode())
    else:
        total = sum(_char_width(char) for char in text)
    return total * size / 1000


def label_width(text: str, size: float = LABEL_FONT_SIZE) -> float:
    """Pixels a label takes beside its marker: the marker's room and the text."""
    return MARKER_PX + text_width(text, size)


_DANGLING = frozenset(
    "a an the of in on at to and or but by for from with as its their his her".split()
)


def shorten(title: str, limit: int = LABEL_LIMIT) -> str:
    """The title, or its words up to `limit` characters followed by "…" (a word cut only if the
    first word alone is longer than that)."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    words = title[: limit - 1].split(" ")
    if len(words) > 1:
        # Drop a word the cut went through, and a little word that would dangle before the
        # ellipsis ("following the…").
        if title[limit - 1] != " ":
            words.pop()
        while len(words) > 1 and words[-1].casefold() in _DANGLING:
            words.pop()
    return " ".join(words).rstrip(" ,;:–—-") + "…"


def day_number(day: date) -> int:
    """Days since 1970-01-01 (the unit of the layout's positions)."""
    return day.toordinal() - _EPOCH


@dataclass(frozen=True, slots=True)
class Box:
    """One drawn item, an event or a group of events, in its lane's row; positions in days."""

    lane: Hashable
    row: int
    # The span the item covers (end exclusive), cut at the window's start: where it is drawn.
    start: float
    end: float
    # The box's extent: the span and the label, which runs left of `start` when `flipped`.
    left: float
    right: float
    label: str
    # Positions in the input of the items it stands for: one for an event.
    members: tuple[int, ...]
    flipped: bool = False
    # How its members were grouped: "event" for a single item, else one of GROUPINGS.
    grouping: str = "event"

    @property
    def is_cluster(self) -> bool:
        """Whether the box stands for several items."""
        return len(self.members) > 1


@dataclass(frozen=True)
class Layout:
    """Boxes by lane (in the lanes' order), row and start; and the rows each lane takes."""

    boxes: list[Box]
    rows: dict[Hashable, int]
    pixels_per_day: float


def stack(lefts: Sequence[float], rights: Sequence[float], gap: float = 0.0, limit: int = 0):
    """Rows (0 first) for boxes sorted by left edge: each goes in the first row whose last box
    ends at least `gap` before it. None as soon as a box would need more than `limit` rows
    (0: no limit)."""
    row_ends: list[float] = []
    rows = []
    for left, right in zip(lefts, rights, strict=True):
        for row, end in enumerate(row_ends):
            if end + gap <= left:
                row_ends[row] = right
                rows.append(row)
                break
        else:
            if limit and len(row_ends) == limit:
                return None
            row_ends.append(right)
            rows.append(len(row_ends) - 1)
    return rows


def place(
    starts: Sequence,
    ends: Sequence,
    labels: Sequence[str],
    lanes: Sequence[Hashable],
    window: tuple,
    *,
    width_px: float = PLOT_WIDTH_PX,
    row_limit: int = ROW_LIMIT,
    row_budget: int | None = 0,
    font_size: float = LABEL_FONT_SIZE,
    lane_order: Sequence[Hashable] | None = None,
) -> Layout:
    """Lay out items (first day, last day inclusive, label, lane) in a window of days drawn
    `width_px` wide: labels shortened, rows within lanes, count boxes where a lane needs more
    than `row_limit` rows, or where all lanes together need more than `row_budget` (0: no
    budget; None: `title_rows` of the items in the window; the busiest lanes are grouped
    first). Days are dates or day numbers; a fraction places a part of a day. Items outside
    the window get no box."""
    first, last = (_as_day(value) for value in window)
    low, high = float(first), float(last) + 1.0
    scale = width_px / (high - low)
    start_days = _as_days(starts)
    end_days = np.floor(_as_days(ends)) + 1.0
    visible = np.flatnonzero((end_days > low) & (start_days < high))
    by_lane = _by_lane(lanes, visible)
    order = [lane for lane in lane_order or () if lane in by_lane]
    order += [lane for lane in by_lane if lane not in order]
    geometry = _Geometry(low, high, scale, font_size)
    # No row holds more boxes than this, however short their labels: beyond it there is no
    # point measuring and stacking (100,000 items would take seconds for nothing).
    per_row = int(width_px // (MARKER_PX + GAP_PX)) + 1
    budget = title_rows(len(visible)) if row_budget is None else row_budget
    # No lane takes more than the whole budget: stacking further would be work for nothing.
    most = min(row_limit, budget) if budget else row_limit
    items = {}
    alone: dict[Hashable, list[Box] | None] = {}
    for lane in order:
        members = by_lane[lane]
        members = members[np.argsort(start_days[members], kind="stable")]
        items[lane] = _LaneItems(lane, members, start_days, end_days, labels, geometry, per_row)
        alone[lane] = items[lane].one_by_one(most)
    needs = {lane: _rows(alone[lane]) if alone[lane] else most + 1 for lane in order}
    limits = row_limits(needs, row_limit, budget)
    boxes: list[Box] = []
    rows: dict[Hashable, int] = {}
    for lane in order:
        limit = limits[lane]
        lane_boxes = alone[lane] if needs[lane] <= limit else None
        if lane_boxes is None:
            terse = replace(items[lane], label_limit=SHORT_LABEL_LIMIT)
            lane_boxes = terse.one_by_one(limit) or terse.grouped(limit)
        boxes += lane_boxes
        rows[lane] = _rows(lane_boxes)
    return Layout(boxes=boxes, rows=rows, pixels_per_day=scale)


def title_rows(in_view: int) -> int:
    """Rows the lanes may take together with `in_view` events in the window: TITLE_ROWS up to
    TITLED_EVENTS events, then fewer in proportion, down to OVERVIEW_ROWS."""
    if in_view <= TITLED_EVENTS:
        return TITLE_ROWS
    return max(OVERVIEW_ROWS, TITLE_ROWS * TITLED_EVENTS // in_view)


def _by_lane(lanes: Sequence[Hashable], visible: np.ndarray) -> dict[Hashable, np.ndarray]:
    """The visible items' positions by lane; integer lane codes without a Python loop."""
    codes = np.asarray(lanes)
    if codes.dtype.kind in "iu":
        shown = codes[visible]
        order = visible[np.argsort(shown, kind="stable")]
        cuts = np.flatnonzero(np.diff(codes[order])) + 1
        return {int(codes[chunk[0]]): chunk for chunk in np.split(order, cuts) if len(chunk)}
    grouped: dict[Hashable, list[int]] = {}
    for position in visible.tolist():
        grouped.setdefault(lanes[position], []).append(position)
    return {lane: np.array(positions, dtype="int64") for lane, positions in grouped.items()}


def row_limits(needs: dict[Hashable, int], row_limit: int, budget: int) -> dict[Hashable, int]:
    """Rows each lane may take: what it needs, up to a limit the same for all lanes as high as
    the budget allows; rows the budget has left over go to the lanes that need most."""
    limit = row_limit
    while budget and limit > 1 and sum(min(need, limit) for need in needs.values()) > budget:
        limit -= 1
    limits = {lane: min(need, limit) for lane, need in needs.items()}
    spare = budget - sum(limits.values()) if budget else 0
    for lane in sorted(needs, key=lambda lane: -needs[lane]):
        if spare > 0 and needs[lane] > limits[lane] and limits[lane] < row_limit:
            limits[lane] += 1
            spare -= 1
    return limits


def _rows(boxes: list[Box]) -> int:
    return max((box.row for box in boxes), default=0) + 1


@dataclass(frozen=True)
class _Geometry:
    low: float
    high: float
    scale: float
    font_size: float

    def box(self, start: float, end: float, label: str) -> tuple[float, float, float, bool]:
        """(drawn start, left, right, flipped) of an item: the label goes left of its start
        when it would run past the window's right edge and there is room on the left."""
        start, end = max(float(start), self.low), float(end)
        reach = label_width(label, self.font_size) / self.scale
        if start + reach > self.high and start - reach >= self.low:
            return start, start - reach, max(end, start), True
        return start, start, max(end, start + reach), False

    def fitted(self, start: float, end: float, title: str, limit: int) -> str:
        """The title shortened to `limit` characters, or shorter still if that fits neither
        right nor left of `start` within the window (a narrow plot: a phone's); or longer, up
        to the whole title, as far as it fits inside the item's own bar, which it widens by
        nothing (a week-long event in a week's window is read in full, as vis-timeline shows
        it)."""
        label = shorten(title, limit)
        start = max(float(start), self.low)
        inside = (min(float(end), self.high) - start) * self.scale
        whole = len(" ".join(title.split()))
        if len(label) < whole and label_width(label, self.font_size) < inside:
            return self._longest_inside(title, limit, whole, inside)
        room = max(self.high - start, start - self.low) * self.scale
        while label_width(label, self.font_size) > room and limit > MIN_LABEL_LIMIT:
            limit -= 1
            label = shorten(title, limit)
        return label

    def _longest_inside(self, title: str, limit: int, whole: int, inside: float) -> str:
        """The longest cut of the title (`whole` characters long), from `limit` characters up,
        that fits `inside` pixels."""
        low, high = limit, whole
        while low < high:  # the widths of longer cuts only grow
            middle = (low + high + 1) // 2
            if label_width(shorten(title, middle), self.font_size) <= inside:
                low = middle
            else:
                high = middle - 1
        return shorten(title, low)


@dataclass(frozen=True)
class _LaneItems:
    """A lane's items (positions in the input, sorted by start) and how to box them."""

    lane: Hashable
    members: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    labels: Sequence[str]
    geometry: _Geometry
    per_row: int
    label_limit: int = LABEL_LIMIT

    def one_by_one(self, limit: int) -> list[Box] | None:
        """Every item a box of its own, or None if that takes more than `limit` rows."""
        if len(self.members) > limit * self.per_row:
            return None
        return self.stacked(np.full(len(self.members), -1), None, "event", limit)

    def grouped(self, limit: int) -> list[Box]:
        """The finest grouping that fits in `limit` rows, grouping only its biggest groups."""
        day_starts = np.floor(self.starts[self.members])
        for grouping in GROUPINGS:
            keys, period_ends = _groups(day_starts, self.ends[self.members], grouping)
            _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
            inverse = inverse.reshape(-1)
            sizes = counts[inverse]
            thresholds = sorted(set(counts[counts > 1].tolist()))
            if not thresholds:
                continue

            def attempt(threshold: int, grouping=grouping, inverse=inverse, sizes=sizes,
                        period_ends=period_ends) -> list[Box] | None:  # fmt: skip
                groups = np.where(sizes >= threshold, inverse, -1)
                return self.stacked(groups, period_ends, grouping, limit)

            # Grouping every group of two or more is the most a grouping can do: if even
            # that does not fit, try a coarser one. Else group only the biggest that it takes.
            best = attempt(thresholds[0])
            if best is None:
                continue
            low, high = 0, len(thresholds) - 1
            while low < high:
                middle = (low + high + 1) // 2
                tried = attempt(thresholds[middle])
                if tried is None:
                    high = middle - 1
                else:
                    best, low = tried, middle
            return best
        # One item, or one group of everything: one row, whatever the limit.
        everything = np.full(len(self.members), 0 if len(self.members) > 1 else -1)
        return self.stacked(everything, np.full(len(self.members), np.inf), "all", 0) or []

    def stacked(self, groups, period_ends, grouping: str, limit: int) -> list[Box] | None:
        """Boxes in rows: an item whose group is -1 alone, the others one box per group (each
        cut at its `period_ends`); None if they need more than `limit` rows (0: no limit)."""
        alone = np.flatnonzero(groups < 0)
        order = np.flatnonzero(groups >= 0)
        order = order[np.argsort(groups[order], kind="stable")]
        chunks = np.split(order, np.flatnonzero(np.diff(groups[order])) + 1) if len(order) else []
        if limit and len(alone) + len(chunks) > limit * self.per_row:
            return None
        boxes = [self._single(int(self.members[index])) for index in alone]
        for chunk in chunks:
            positions = self.members[chunk]
            first = float(np.floor(self.starts[positions]).min())
            # A group covers its members' days within its period (the same day, week, ...).
            end = float(min(self.ends[positions].max(), period_ends[chunk[0]]))
            label = plural(len(positions), "event")
            start, left, right, flipped = self.geometry.box(first, end, label)
            members = tuple(positions.tolist())
            boxes.append(
                Box(self.lane, 0, start, end, left, right, label, members, flipped, grouping)
            )
        boxes.sort(key=lambda box: (box.left, box.members[0]))
        # A label keeps its distance from the next box; a bar may touch it, so that groups of
        # consecutive weeks or months share a row (a marker and a label start each box).
        gap = GAP_PX / self.geometry.scale
        rights = [box.right + (gap if box.right > box.end else 0.0) for box in boxes]
        rows = stack([b.left for b in boxes], rights, 0.0, limit)
        if rows is None:
            return None
        placed = [_with_row(box, row) for box, row in zip(boxes, rows, strict=True)]
        placed.sort(key=lambda box: (box.row, box.left, box.members[0]))
        return placed

    def _single(self, position: int) -> Box:
        label = self.geometry.fitted(
            self.starts[position], self.ends[position], self.labels[position], self.label_limit
        )
        start, left, right, flipped = self.geometry.box(
            self.starts[position], self.ends[position], label
        )
        end = float(self.ends[position])
        return Box(self.lane, 0, start, end, left, right, label, (position,), flipped)


def _groups(days: np.ndarray, ends: np.ndarray, grouping: str) -> tuple[np.ndarray, np.ndarray]:
    """A key per item for a grouping, and where each item's group ends (a day number)."""
    if grouping == "date":
        # Same first and last day: the span needs no cut.
        return days * 4_194_304 + (ends - days), ends
    if grouping == "day":
        return days, days + 1
    if grouping == "week":
        # 1970-01-01 was a Thursday: shifting by three days starts weeks on Mondays.
        weeks = (days + 3) // 7
        return weeks, weeks * 7 + 4
    if grouping in ("month", "quarter", "year"):
        unit, size = {"month": ("M", 1), "quarter": ("M", 3), "year": ("Y", 1)}[grouping]
        periods = days.astype("int64").astype("datetime64[D]").astype(f"datetime64[{unit}]")
        # Months since 1970-01 divided by three: quarters from January, April, July, October.
        numbers = periods.astype("int64") // size
        following = (numbers + 1) * size
        after = following.astype(f"datetime64[{unit}]").astype("datetime64[D]").astype("int64")
        return numbers.astype("float64"), after.astype("float64")
    return np.zeros(len(days)), np.full(len(days), np.inf)


def _with_row(box: Box, row: int) -> Box:
    return Box(
        box.lane, row, box.start, box.end, box.left, box.right, box.label, box.members,
        box.flipped, box.grouping,
    )  # fmt: skip


def _as_days(values) -> np.ndarray:
    """Day numbers (floats) of dates, datetimes64 or numbers."""
    array = np.asarray(values)
    if array.dtype.kind == "M":
        return array.astype("datetime64[D]").astype("int64").astype("float64")
    if array.dtype.kind in "iuf":
        return array.astype("float64")
    return np.array([_as_day(value) for value in array.tolist()], dtype="float64")


def _as_day(value) -> float:
    if isinstance(value, date):
        return float(day_number(value))
    if isinstance(value, np.datetime64):
        return float(value.astype("datetime64[D]").astype("int64"))
    return float(value)
