from datetime import date

import pytest

from timeline.query import (
    FRAME_COLUMNS,
    Filters,
    claims_frame,
    conflicting_dates,
    conflicting_figures,
    event_choices,
    events_frame,
    filter_events,
    listed_count,
    story_window,
)


def test_frame_is_chronological_with_spans(frame):
    assert list(frame["id"]) == [
        "counteroffensive-begins", "power-restored", "izium-retaken", "kharkiv-strikes",
        "settlements-reclaimed",
    ]  # fmt: skip
    row = frame.set_index("id").loc["power-restored"]
    assert (str(row["start"].date()), str(row["end"].date()), row["days"]) == (
        "2022-09-05", "2022-09-11", 7,
    )  # fmt: skip
    assert frame.set_index("id").loc["kharkiv-strikes", "part_of_day"] == "night"
    assert frame.set_index("id").loc["izium-retaken", "outlets"] == ["Outlet A", "Outlet B"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), 5),
        (Filters(start=date(2022, 9, 11), end=date(2022, 9, 11)), 3),
        (Filters(start=date(2022, 9, 12)), 1),
        (Filters(categories=("advance",)), 3),
        (Filters(places=("izium", "kharkiv")), 2),
        (Filters(actors=("russian-armed-forces",)), 1),
        (Filters(sources=("b",)), 3),
        (Filters(stories=("strikes",)), 2),
        (Filters(origins=("extracted",)), 1),
        (Filters(text="IZYUM"), 0),
        (Filters(text="izium"), 1),
        (Filters(text="regroup"), 1),
        (Filters(text="armed forces of ukraine"), 2),
        (Filters(text="<b>city</b>"), 1),
        (Filters(categories=("advance",), start=date(2022, 9, 11)), 2),
    ],
)
def test_filter_events(frame, filters, expected):
    assert len(filter_events(frame, filters)) == expected


@pytest.mark.parametrize(
    ("filters", "params"),
    [
        (Filters(), {}),
        (
            Filters(start=date(2022, 9, 1), end=date(2022, 9, 30), categories=("advance", "strike"),
                    text="Izium, Kupiansk"),
            {"start": "2022-09-01", "end": "2022-09-30", "categories": "advance,strike",
             "text": "Izium, Kupiansk"},
        ),
    ],
)  # fmt: skip
def test_filters_round_trip_through_url_params(filters, params):
    assert filters.to_params() == params
    assert Filters.from_params(params) == filters


@pytest.mark.parametrize(
    ("filters", "shown"),
    [
        (Filters(), ["counteroffensive-begins", "power-restored", "settlements-reclaimed"]),
        (Filters(rejected=True), ["counteroffensive-begins", "power-restored", "izium-retaken",
                                  "settlements-reclaimed"]),
        (Filters(categories=("advance",), rejected=True), ["counteroffensive-begins",
                                                          "izium-retaken",
                                                          "settlements-reclaimed"]),
    ],
)  # fmt: skip
def test_rejected_events_are_shown_only_when_asked_for(frame, filters, shown):
    reviewed = frame[frame["id"] != "kharkiv-strikes"].copy()
    reviewed.loc[reviewed["id"] == "izium-retaken", "status"] = "rejected"
    assert filter_events(reviewed, filters)["id"].tolist() == shown


@pytest.mark.parametrize(("rejected", "expected"), [(False, 4), (True, 5)])
def test_the_count_of_all_events_leaves_out_rejected_ones_unless_shown(frame, rejected, expected):
    reviewed = frame.copy()
    reviewed.loc[reviewed["id"] == "izium-retaken", "status"] = "rejected"
    assert listed_count(reviewed, rejected) == expected


@pytest.mark.parametrize(
    ("params", "filters"),
    [
        ({"rejected": "1"}, Filters(rejected=True)),
        ({"rejected": "on"}, Filters(rejected=True)),
        ({"rejected": "0"}, Filters()),
        ({"rejected": ""}, Filters()),
    ],
)
def test_the_show_rejected_switch_is_read_from_the_url(params, filters):
    assert Filters.from_params(params) == filters


def test_the_show_rejected_switch_is_written_to_the_url_only_when_on():
    assert Filters(rejected=True).to_params() == {"rejected": "1"}
    assert Filters(rejected=False).to_params() == {}


def test_malformed_url_params_are_ignored():
    assert Filters.from_params({"start": "2022-02-30", "categories": ",,", "bogus": "1"}) == (
        Filters()
    )


def test_conflicts_kept_side_by_side(small):
    events = {event.id: event for event in small.events}
    assert conflicting_dates(events["izium-retaken"]) == [("a", "2022-09-10"), ("b", "2022-09-11")]
    assert conflicting_dates(events["kharkiv-strikes"]) == []
    disputed = conflicting_figures(events["counteroffensive-begins"])
    claimants = [claim.claimed_by for claim in disputed["territory-retaken"]]
    assert claimants == ["army chief", "Ukraine"]
    assert conflicting_figures(events["settlements-reclaimed"]) == {}


def test_claims_frame(small):
    claims = claims_frame(small)
    assert list(claims["measure"]) == [
        "territory-retaken", "territory-retaken", "settlements-retaken",
    ]  # fmt: skip
    assert list(claims["outlet"]) == ["Outlet A", "Outlet B", "Outlet A"]


def test_story_window_covers_its_events_within_its_dates(small, frame):
    assert story_window(frame, small.stories["counteroffensive"]) == (
        date(2022, 9, 6),
        date(2022, 9, 12),
    )
    assert story_window(frame, small.stories["strikes"]) == (date(2022, 9, 11), date(2022, 9, 11))


def test_frame_keeps_list_columns_one_dimensional():
    """Equally long lists in every row must not become a 2-D array."""
    from timeline.load import parse_timeline

    doc = (
        "stories:\n  - {id: s, title: S, date: 2022}\n"
        "sources:\n  - {id: a, outlet: A, published: 2022-09-12, published_note: n}\n"
        "events:\n"
        + "".join(
            f"  - {{id: e{n}, title: T, date: 2022-09-1{n}, stories: [s], category: other,"
            f" sources: [{{source: a, quote: q}}]}}\n"
            for n in range(3)
        )
    )
    frame = events_frame(parse_timeline(doc.encode(), "e.yaml"))
    assert frame.shape == (3, len(FRAME_COLUMNS))
    assert frame["stories"].tolist() == [["s"], ["s"], ["s"]]
    assert events_frame(parse_timeline(b"events: []\n", "e.yaml")).shape == (0, len(FRAME_COLUMNS))


@pytest.mark.parametrize(
    ("selected", "limit", "ids", "more"),
    [
        (None, 10, ["counteroffensive-begins", "power-restored", "izium-retaken",
                    "kharkiv-strikes", "settlements-reclaimed"], False),
        (None, 2, ["counteroffensive-begins", "power-restored"], True),
        ("settlements-reclaimed", 2, ["counteroffensive-begins", "power-restored",
                                      "settlements-reclaimed"], True),
        ("power-restored", 2, ["counteroffensive-begins", "power-restored"], True),
        ("not-shown", 2, ["counteroffensive-begins", "power-restored"], True),
        (None, 5, ["counteroffensive-begins", "power-restored", "izium-retaken",
                   "kharkiv-strikes", "settlements-reclaimed"], False),
    ],
)  # fmt: skip
def test_event_choices_are_the_first_events_and_the_selected_one(frame, selected, limit, ids, more):
    labels, left_out = event_choices(frame, selected, limit)
    assert (list(labels), left_out) == (ids, more)
    row = frame.set_index("id").loc[ids[-1]]
    assert labels[ids[-1]] == f"{row['date_words']} — {row['title']}"
