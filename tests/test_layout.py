import itertools
import statistics
import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.layout import (
    GAP_PX,
    MARKER_PX,
    day_number,
    place,
    row_limits,
    shorten,
    stack,
    text_width,
    title_rows,
)

# 100 pixels over the ten days 0..9: 10 px a day, so an empty label (the marker's 12 px) is
# 1.2 days wide and the gap after a label (8 px) 0.8 days; a bar may touch the next box.
WINDOW = (0, 9)
WIDTH = 100


def rows_of(layout) -> list[int]:
    """Each input item's row, in input order (items must be boxed one by one)."""
    by_item = {box.members[0]: box.row for box in layout.boxes}
    return [by_item[position] for position in range(len(by_item))]


@pytest.mark.parametrize(
    ("text", "pixels"),
    [
        ("", 0.0),
        ("i", 2.664),  # 222/1000 em at 12 px
        ("Kyiv", 22.668),  # K 667 + y 500 + i 222 + v 500
        ("WWW", 33.984),  # W 944, the widest letter
        ("é", 6.672),  # as wide as e (556)
        ("e\u0301", 6.672),  # e and a combining accent that takes no room
        ("東京", 24.0),  # wide East Asian characters: a full em each
        ("–…", 18.672),  # en dash 556, ellipsis 1000
        ("i\x7f\x00i", 5.328),  # control characters, DEL included, draw nothing
    ],
)
def test_text_width_adds_advance_widths(text, pixels):
    assert text_width(text) == pytest.approx(pixels)


def test_text_width_scales_with_the_font_size():
    assert text_width("Kyiv", size=24) == pytest.approx(2 * 22.668)


@pytest.mark.parametrize(
    ("title", "limit", "shown"),
    [
        ("Izium retaken", 48, "Izium retaken"),
        # Cut inside "so-called", then "the" would dangle before the ellipsis.
        (
            "The Donbas slipped into war following the so-called Maidan Revolution",
            48,
            "The Donbas slipped into war following…",
        ),
        ("abcd efgh ijkl", 10, "abcd efgh…"),  # the cut falls on a space: "efgh" is whole
        ("abcd efghij kl", 10, "abcd…"),  # the cut falls inside "efghij"
        ("Supercalifragilistic", 10, "Supercali…"),  # one long word: cut inside it
        ("Kharkiv, Izium, Kupiansk and Balakliia", 20, "Kharkiv, Izium…"),  # no comma before …
        ("a  b\n c", 48, "a b c"),  # whitespace as one space
        ("Зеленський відвідав звільнений Херсон", 25, "Зеленський відвідав…"),
        ("exactly ten", 11, "exactly ten"),
    ],
)
def test_shorten_cuts_at_a_word_boundary(title, limit, shown):
    assert shorten(title, limit) == shown
    assert len(shown) <= limit


@pytest.mark.parametrize(
    ("lefts", "rights", "gap", "limit", "rows"),
    [
        ([], [], 0, 0, []),
        ([0], [5], 0, 0, [0]),
        ([0, 1, 2], [2, 3, 4], 0, 0, [0, 1, 0]),
        ([0, 1], [1, 2], 0, 0, [0, 0]),  # touching is not overlapping
        ([0, 2.5], [2, 3], 1, 0, [0, 1]),  # 2 + a gap of 1 passes 2.5
        ([0, 2.5], [2, 3], 0.5, 0, [0, 0]),
        ([0, 0, 0, 5], [9, 9, 1, 6], 0, 0, [0, 1, 2, 2]),  # the first row with room
        ([0, 0, 0], [1, 1, 1], 0, 3, [0, 1, 2]),
        ([0, 0, 0], [1, 1, 1], 0, 2, None),  # a third row is over the limit
    ],
)
def test_stack_puts_each_box_in_the_first_row_with_room(lefts, rights, gap, limit, rows):
    assert stack(lefts, rights, gap, limit) == rows


@pytest.mark.parametrize(
    ("starts", "ends", "rows"),
    [
        ([0.5, 0.5], [0, 0], [0, 1]),  # the same day
        ([0.5, 1.5], [0, 1], [0, 1]),  # the first box runs to 0.5 + 1.2 = 1.7, plus the gap
        ([0.5, 2.5], [0, 2], [0, 0]),  # 1.7 + 0.8 = 2.5: room
        ([0, 0], [4, 4], [0, 1]),  # the same range
        ([0, 5], [4, 5], [0, 0]),  # the span ends where the next begins
        ([0, 4.5], [4, 5], [0, 1]),
        ([0, 6], [4, 6], [0, 0]),
        ([0, 1, 7], [9, 1, 7], [0, 1, 1]),  # a long span keeps its row to itself
    ],
)
def test_boxes_that_overlap_with_their_labels_go_on_separate_rows(starts, ends, rows):
    layout = place(starts, ends, [""] * len(starts), ["a"] * len(starts), WINDOW, width_px=WIDTH)
    assert rows_of(layout) == rows
    assert layout.rows == {"a": max(rows) + 1}
    assert layout.pixels_per_day == 10


def test_a_label_widens_its_box():
    # "WWW" is 33.984 px: with the marker 45.984 px, 4.5984 days from 0.5 to 5.0984.
    layout = place([0.5, 5.5, 6.5], [0, 5, 6], ["WWW", "", ""], ["a"] * 3, WINDOW, width_px=100)
    (first, *_) = layout.boxes
    assert (first.left, first.right) == (0.5, pytest.approx(5.0984))
    assert rows_of(layout) == [0, 1, 0], "5.0984 + 0.8 passes 5.5 but not 6.5"


def test_lanes_stack_separately_in_the_given_order():
    layout = place(
        [0.5, 0.5, 0.5], [0, 0, 0], ["", "", ""], ["b", "a", "b"], WINDOW, width_px=WIDTH,
        lane_order=["a", "b"],
    )  # fmt: skip
    assert [(box.lane, box.row, box.members) for box in layout.boxes] == [
        ("a", 0, (1,)), ("b", 0, (0,)), ("b", 1, (2,)),
    ]  # fmt: skip
    assert layout.rows == {"a": 1, "b": 2}
    unlisted = place([0.5, 0.5], [0, 0], ["", ""], ["b", "a"], WINDOW, lane_order=["a"])
    assert list(unlisted.rows) == ["a", "b"], "lanes left out of the order come after it"


def test_a_label_that_would_run_off_the_right_edge_goes_left_of_its_item():
    layout = place([9.5, 0.5], [9, 0], ["", ""], ["a", "a"], WINDOW, width_px=WIDTH)
    last = next(box for box in layout.boxes if box.members == (0,))
    assert last.flipped
    assert (last.left, last.right) == (pytest.approx(8.3), 10.0), "9.5 - 1.2, to the span end"
    first = next(box for box in layout.boxes if box.members == (1,))
    assert not first.flipped


def test_items_outside_the_window_get_no_box_and_early_starts_are_cut_at_its_edge():
    layout = place(
        [-5, -3, 12, 4.5], [-4, 1, 13, 4], ["", "", "", ""], ["a"] * 4, WINDOW, width_px=WIDTH
    )
    assert sorted(box.members[0] for box in layout.boxes) == [1, 3]
    early = next(box for box in layout.boxes if box.members == (1,))
    assert (early.start, early.end) == (0.0, 2.0), "drawn from the window's first day"


def test_empty_input_and_one_item():
    assert place([], [], [], [], WINDOW).boxes == []
    assert place([], [], [], [], WINDOW).rows == {}
    (only,) = place([3.5], [3], ["Izium retaken"], ["advance"], WINDOW).boxes
    assert (only.lane, only.row, only.label, only.members, only.is_cluster) == (
        "advance", 0, "Izium retaken", (0,), False,
    )  # fmt: skip


def test_dates_are_read_as_day_numbers():
    window = (date(2022, 9, 6), date(2022, 9, 12))
    layout = place([date(2022, 9, 10)], [date(2022, 9, 11)], ["Izium"], ["a"], window)
    (box,) = layout.boxes
    assert day_number(date(2022, 9, 10)) == 19245
    assert (box.start, box.end) == (19245.0, 19247.0), "the end is the day after the last day"


def test_long_titles_are_shortened_on_the_chart():
    title = "Russian-installed official says Ukrainians outnumbered Russians eight to one"
    (box,) = place([0.5], [0], [title], ["a"], WINDOW, width_px=2000).boxes
    assert box.label == "Russian-installed official says Ukrainians…"


@pytest.mark.parametrize(
    ("width", "label"),
    [
        # 200 px a day: the bar (days 0 to 9, 2,000 px) holds the whole title
        (2000, "Russian-installed official says Ukrainians outnumbered Russians eight to one"),
        # 40 px a day, 400 px: as much as fits inside, cut at a word (more than 48 characters):
        # with its marker 396.79 px, where the whole title takes 421.49
        (400, "Russian-installed official says Ukrainians outnumbered Russians eight…"),
    ],
)
def test_a_bar_holds_as_much_of_its_title_as_fits_inside_it(width, label):
    title = "Russian-installed official says Ukrainians outnumbered Russians eight to one"
    (box,) = place([0], [9], [title], ["a"], WINDOW, width_px=width).boxes
    assert box.label == label
    assert box.right == box.end == 10, "the title takes no room beyond its bar"


def test_a_lane_over_its_row_limit_groups_the_same_dates_into_one_box():
    layout = place([2.5] * 5, [2] * 5, [""] * 5, ["a"] * 5, WINDOW, width_px=WIDTH, row_limit=3)
    (box,) = layout.boxes
    assert (box.label, box.members, box.is_cluster, box.grouping) == (
        "5 events", (0, 1, 2, 3, 4), True, "date",
    )  # fmt: skip
    assert (box.start, box.end) == (2.0, 3.0)
    alone = place([2.5] * 5, [2] * 5, [""] * 5, ["a"] * 5, WINDOW, width_px=WIDTH, row_limit=5)
    assert rows_of(alone) == [0, 1, 2, 3, 4], "at the limit nothing is grouped"


def test_only_the_biggest_groups_are_grouped_when_that_is_enough():
    # Three on day 1 and two on day 5 at 100 px a day, in two rows: grouping the three alone
    # fits (their box, 57 px with its label, ends long before day 5), so the two stay single.
    starts = [1.5, 1.5, 1.5, 5.5, 5.5]
    layout = place(starts, [1, 1, 1, 5, 5], [""] * 5, ["a"] * 5, WINDOW, width_px=1000,
                   row_limit=2)  # fmt: skip
    assert sorted(box.members for box in layout.boxes) == [(0, 1, 2), (3,), (4,)]


def test_when_dates_differ_coarser_groups_are_tried():
    # 2 px a day: every box is at least 6 days wide, so three items on days 0, 1 and 2
    # (Thursday to Saturday of one week; 1970-01-01 was a Thursday) need three rows.
    layout = place([0.5, 1.5, 2.5], [0, 1, 2], ["", "", ""], ["a"] * 3, WINDOW, width_px=20,
                   row_limit=1)  # fmt: skip
    (box,) = layout.boxes
    assert (box.grouping, box.label, box.members) == ("week", "3 events", (0, 1, 2))
    assert (box.start, box.end) == (0.0, 3.0)


def test_a_group_covers_its_members_days_within_its_week():
    # Days 4 and 5 are Monday and Tuesday; the second runs to day 20, past its week (4..10).
    layout = place([4.5, 5], [4, 20], ["", ""], ["a", "a"], (0, 29), width_px=30, row_limit=1)
    (box,) = layout.boxes
    assert (box.grouping, box.start, box.end) == ("week", 4.0, 11.0)


@pytest.mark.parametrize(
    ("needs", "row_limit", "budget", "limits"),
    [
        ({"a": 5, "b": 1, "c": 3}, 8, 0, {"a": 5, "b": 1, "c": 3}),  # no budget
        ({"a": 5, "b": 1, "c": 3}, 4, 0, {"a": 4, "b": 1, "c": 3}),  # the limit alone
        ({"a": 5, "b": 1, "c": 3}, 8, 9, {"a": 5, "b": 1, "c": 3}),  # within the budget
        ({"a": 5, "b": 1, "c": 3}, 8, 7, {"a": 3, "b": 1, "c": 3}),  # 3 for all fits
        ({"a": 5, "b": 1, "c": 3}, 8, 6, {"a": 3, "b": 1, "c": 2}),  # 2 for all, one left
        ({"a": 5, "b": 5, "c": 5}, 8, 2, {"a": 1, "b": 1, "c": 1}),  # a row each at least
    ],
)
def test_a_row_budget_is_shared_out_busiest_lanes_last(needs, row_limit, budget, limits):
    assert row_limits(needs, row_limit, budget) == limits


def test_a_lane_over_its_limit_first_shortens_its_titles():
    # 100 px a day. The title cut at 48 characters ("…in 24…", 255 px with its marker) from
    # day 0.5 runs past day 2.5 and would need a second row; cut at 24 ("Ukraine retakes
    # more…", 139 px, and the 8 px gap after it) it ends before day 2.
    title = "Ukraine retakes more than 20 villages in 24 hours"
    two = place([0.5, 2.5], [0, 2], [title, "Izium"], ["a", "a"], WINDOW, width_px=1000,
                row_limit=2)  # fmt: skip
    assert [box.label for box in two.boxes] == ["Ukraine retakes more than 20 villages in 24…",
                                                "Izium"]  # fmt: skip
    assert two.rows == {"a": 2}
    one = place([0.5, 2.5], [0, 2], [title, "Izium"], ["a", "a"], WINDOW, width_px=1000,
                row_limit=1)  # fmt: skip
    assert [(box.label, box.row, box.is_cluster) for box in one.boxes] == [
        ("Ukraine retakes more…", 0, False), ("Izium", 0, False),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("width", "label", "right"),
    [
        (1000, "Ukraine retakes more than 20 villages in 24…", 7.048),  # 255 px: room to spare
        # 20 px a day: 110 px right of day 4.5, 90 left; "Ukraine retakes more…" is 139 px
        # with its marker, "Ukraine retakes…" 108.
        (200, "Ukraine retakes…", 9.901),
        # 5 px a day: 27.5 px either side; not below 12 characters ("Ukraine…", 65 px).
        (50, "Ukraine…", 17.568),
    ],
)
def test_a_title_wider_than_the_plot_is_cut_to_fit_it(width, label, right):
    title = "Ukraine retakes more than 20 villages in 24 hours"
    (box,) = place([4.5], [4], [title], ["a"], WINDOW, width_px=width).boxes
    assert (box.label, box.right) == (label, pytest.approx(right, abs=1e-3))


@pytest.mark.parametrize(
    ("in_view", "rows"),
    [(0, 64), (46, 64), (256, 64), (257, 63), (512, 32), (1000, 20), (100_000, 20)],
)
def test_the_rows_for_titles_shrink_to_an_overview_when_a_window_holds_thousands(in_view, rows):
    # 64 rows up to 256 events, then 64 x 256 / events, at least 20.
    assert title_rows(in_view) == rows


def test_without_a_budget_given_the_items_in_view_set_it():
    forty = place([0.5] * 40, [0] * 40, [""] * 40, ["a"] * 40, WINDOW, width_px=WIDTH,
                  row_limit=64, row_budget=None)  # fmt: skip
    assert forty.rows == {"a": 40}, "64 rows for 40 items: each its own row"
    # 1,000 items in view: 20 rows at most; these all share their dates, so one box.
    many = place([0.5] * 1000, [0] * 1000, [""] * 1000, ["a"] * 1000, WINDOW, width_px=WIDTH,
                 row_limit=64, row_budget=None)  # fmt: skip
    assert [(box.label, box.row) for box in many.boxes] == [("1,000 events", 0)]


def test_a_row_budget_groups_the_busiest_lane():
    starts = [0.5, 0.5, 0.5, 0.5, 5.5]
    layout = place(starts, [0, 0, 0, 0, 5], [""] * 5, ["a", "a", "a", "a", "b"], WINDOW,
                   width_px=WIDTH, row_budget=3)  # fmt: skip
    assert layout.rows == {"a": 1, "b": 1}
    assert [box.label for box in layout.boxes] == ["4 events", ""]


def test_far_zoomed_out_a_lane_becomes_count_boxes_per_period():
    # 1970 to 1979, an event a day in one lane, 1,000 px wide: too many for weeks, months or
    # quarters in two rows, so one box a year (100 px, its label 75 px), all on one row.
    days = list(range(3652))
    layout = place(days, days, ["An event"] * len(days), ["a"] * len(days), (0, 3651),
                   width_px=1000, row_limit=2)  # fmt: skip
    assert [(box.grouping, box.row, box.label) for box in layout.boxes[:3]] == [
        ("year", 0, "365 events"), ("year", 0, "365 events"), ("year", 0, "366 events"),
    ]  # fmt: skip
    assert len(layout.boxes) == 10
    assert sum(len(box.members) for box in layout.boxes) == len(days), "nothing left out"


items = st.lists(
    st.tuples(
        st.integers(0, 60),
        st.sampled_from([0.0, 0.5, 22 / 24]),
        st.integers(0, 12),
        st.text(max_size=60),
        st.sampled_from("ab"),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(items, st.integers(0, 30), st.integers(0, 40), st.integers(60, 2000), st.integers(1, 8))
def test_no_two_boxes_in_a_lane_and_row_overlap(things, low, length, width, row_limit):
    starts = [day + part for day, part, _, _, _ in things]
    ends = [day + days for day, _, days, _, _ in things]
    labels = [label for *_, label, _ in things]
    lanes = [lane for *_, lane in things]
    layout = place(starts, ends, labels, lanes, (low, low + length), width_px=width,
                   row_limit=row_limit)  # fmt: skip
    label_gap = GAP_PX * (length + 1) / width
    by_row: dict = {}
    for box in layout.boxes:
        by_row.setdefault((box.lane, box.row), []).append(box)
        assert box.right - box.left >= MARKER_PX * (length + 1) / width - 1e-9
    for boxes in by_row.values():
        boxes.sort(key=lambda box: box.left)
        for before, after in itertools.pairwise(boxes):
            assert before.right <= after.left + 1e-9, (before, after)
            if before.right > before.end:
                assert before.right + label_gap <= after.left + 1e-9, "room after a label"
    visible = [
        i for i, (start, end) in enumerate(zip(starts, ends, strict=True))
        if end + 1 > low and start < low + length + 1
    ]  # fmt: skip
    drawn = sorted(member for box in layout.boxes for member in box.members)
    assert drawn == visible, "every item in the window is drawn once, alone or in a group"
    for lane, rows in layout.rows.items():
        grouped_all = any(b.grouping == "all" for b in layout.boxes if b.lane == lane)
        assert rows <= row_limit or grouped_all


def test_layout_is_deterministic_and_fast():
    """10,000 items in well under 0.1 s (measured 0.03 s here); the bound is loose."""
    count = 10_000
    starts = [(i * 7919) % 365 + 0.5 for i in range(count)]
    ends = [int(start) + (i % 5) for i, start in enumerate(starts)]
    labels = [f"Event number {i} somewhere in a region" for i in range(count)]
    lanes = [i % 11 for i in range(count)]

    def run():
        return place(starts, ends, labels, lanes, (0, 364), row_budget=22)

    first = run()
    assert run() == first
    times = []
    for _ in range(3):
        began = time.perf_counter()
        run()
        times.append(time.perf_counter() - began)
    assert statistics.median(times) < 0.3, times
