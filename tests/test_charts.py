"""The Charts view's figures, tested as objects: events per day, and claimed figures."""

from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT
from timeline.charts import (
    CLAIM_HOVER_TEMPLATE,
    CLAIM_SIZE,
    RING_WIDTH,
    UNREVIEWED_SYMBOL,
    claimant_words,
    claims_figure,
    coincident_sizes,
    daily_counts_figure,
)
from timeline.figures import CATEGORY_COLORS
from timeline.load import load_timeline
from timeline.query import claims_frame, events_frame

SMALL = ROOT / "tests" / "data" / "small" / "events.yaml"

# Issue #14's case in small: one spokesman worded two ways, an outlet as claimant, and an
# unreviewed candidate that dates a 15 November figure on 10 October.
MISSILES = """\
sources:
  - {id: nyt, outlet: The New York Times, published: 2022-11-15, published_note: dateline}
  - {id: cnn, outlet: CNN, published: 2022-10-11, published_note: dateline}
actors:
  - {id: ihnat, name: Yuriy Ihnat, side: ukraine}
events:
  - id: october-strikes
    title: Missiles strike cities across Ukraine
    date: 2022-10-10
    category: strike
    sources:
      - {source: cnn, quote: Russia fired 84 missiles., date: 2022-10-10}
    figures:
      - measure: missiles-fired
        value: 84
        unit: missiles
        claimed_by: Yuriy Ihnat, Ukrainian Air Force spokesperson
        claimant: ihnat
        source: cnn
  - id: november-strikes
    title: The largest wave of strikes
    date: 2022-11-15
    category: strike
    status: confirmed
    sources:
      - {source: nyt, quote: About 100 missiles were fired.}
    figures:
      - {measure: missiles-fired, value: 100, unit: missiles, qualifier: about,
         claimed_by: Yuriy Ihnat, claimant: ihnat, source: nyt}
      - {measure: missiles-fired, value: 100, unit: missiles, qualifier: about,
         claimed_by: The New York Times, source: nyt}
  - id: misdated-candidate
    title: Yuriy Ihnat was a spokesperson
    date: 2022-10-10
    category: strike
    origin: extracted
    status: candidate
    sources:
      - {source: nyt, quote: Yuriy Ihnat said 100 missiles.}
    figures:
      - {measure: missiles-fired, value: 100, unit: missiles, claimed_by: Yuriy Ihnat,
         claimant: ihnat, source: nyt}
"""


@pytest.fixture(scope="module")
def small():
    return load_timeline(SMALL)


@pytest.fixture(scope="module")
def missiles(tmp_path_factory):
    path: Path = tmp_path_factory.mktemp("missiles") / "events.yaml"
    path.write_text(MISSILES, encoding="utf-8")
    timeline = load_timeline(path)
    assert timeline.problems == []
    return claims_frame(timeline)


def points(figure) -> dict[str, list[tuple[str, float]]]:
    """Series name -> (day, value) of each point."""
    return {
        trace.name: [(str(x)[:10], y) for x, y in zip(trace.x, trace.y, strict=True)]
        for trace in figure.data
    }


def test_daily_counts_stack_by_category(small):
    frame = events_frame(small)
    figure = daily_counts_figure(frame)
    assert [trace.name for trace in figure.data] == ["advance", "strike", "infrastructure"]
    assert figure.layout.barmode == "stack"
    assert sum(sum(trace.y) for trace in figure.data) == len(frame)
    assert figure.data[0].marker.color == CATEGORY_COLORS["advance"]


def test_claimants_without_an_actor_are_grouped_by_their_words(small):
    figure = claims_figure(claims_frame(small), ["territory-retaken"])
    assert [trace.name for trace in figure.data] == [
        "territory-retaken — Ukraine", "territory-retaken — army chief",
    ]  # fmt: skip
    assert figure.layout.yaxis.title.text == "km2, sq-mi"
    assert figure.layout.legend.title.text == "Measure — claimed by"


def test_one_series_per_actor_however_worded_and_candidates_left_out(missiles):
    figure = claims_figure(missiles, ["missiles-fired"])
    assert points(figure) == {
        "missiles-fired — The New York Times": [("2022-11-15", 100)],
        "missiles-fired — Yuriy Ihnat": [("2022-10-10", 84), ("2022-11-15", 100)],
    }
    assert all(set(trace.marker.symbol) == {"circle"} for trace in figure.data)


def test_unreviewed_candidates_are_included_on_request_and_marked(missiles):
    figure = claims_figure(missiles, ["missiles-fired"], unreviewed=True)
    ihnat = next(trace for trace in figure.data if trace.name.endswith("Yuriy Ihnat"))
    assert points(figure)[ihnat.name] == [("2022-10-10", 84), ("2022-10-10", 100),
                                          ("2022-11-15", 100)]  # fmt: skip
    assert list(ihnat.marker.symbol) == ["circle", UNREVIEWED_SYMBOL, "circle"]
    assert [row[1] for row in ihnat.customdata] == ["", " (unreviewed)", ""]


def test_the_hover_names_the_claimant_the_outlet_and_both_dates(missiles):
    figure = claims_figure(missiles, ["missiles-fired"])
    ihnat = next(trace for trace in figure.data if trace.name.endswith("Yuriy Ihnat"))
    assert [list(row) for row in ihnat.customdata] == [
        ["84 missiles", "", "Missiles strike cities across Ukraine",
         "Yuriy Ihnat (as “Yuriy Ihnat, Ukrainian Air Force spokesperson”)", "CNN",
         "10 October 2022", "10 October 2022"],
        ["about 100 missiles", "", "The largest wave of strikes", "Yuriy Ihnat",
         "The New York Times", "15 November 2022", "15 November 2022"],
    ]  # fmt: skip
    assert ihnat.hovertemplate == CLAIM_HOVER_TEMPLATE
    for shown in ("claimed by %{customdata[3]}", "reported by %{customdata[4]}",
                  "event: %{customdata[5]}", "claim: %{customdata[6]}"):  # fmt: skip
        assert shown in CLAIM_HOVER_TEMPLATE


def test_the_claim_date_falls_back_on_the_publication_date(missiles):
    dated = missiles.set_index(["event_id", "claimed_by"])["claim_date"]
    assert dated[("misdated-candidate", "Yuriy Ihnat")] == "15 November 2022"
    assert dated[("october-strikes", "Yuriy Ihnat, Ukrainian Air Force spokesperson")] == (
        "10 October 2022"
    )


def test_the_axis_says_which_date_it_plots(missiles):
    figure = claims_figure(missiles, ["missiles-fired"])
    assert figure.layout.xaxis.title.text == "Day of the event (its first possible day)"
    assert figure.layout.yaxis.title.text == "missiles"


def test_no_claims_draw_an_empty_chart(missiles):
    figure = claims_figure(missiles, ["deaths"])
    assert (len(figure.data), figure.layout.yaxis.title.text) == (0, "Value")


def test_equal_claims_of_one_day_show_as_a_dot_in_a_ring(missiles):
    figure = claims_figure(missiles, ["missiles-fired"])
    sizes = {trace.name: list(trace.marker.size) for trace in figure.data}
    # The New York Times is drawn first: its 100 is the ring round Ihnat's 100.
    assert sizes == {
        "missiles-fired — The New York Times": [CLAIM_SIZE + RING_WIDTH],
        "missiles-fired — Yuriy Ihnat": [CLAIM_SIZE, CLAIM_SIZE],
    }
    assert figure.layout.hovermode == "x"


@pytest.mark.parametrize(
    ("traces", "sizes"),
    [
        ([[1, 2], [3]], [[11, 11], [11]]),
        ([[1], [1]], [[18], [11]]),
        ([[1], [1], [1]], [[25], [18], [11]]),
        ([[1, 2], [2], [1, 2]], [[18, 25], [18], [11, 11]]),
        ([[1, 1]], [[18, 11]]),
        ([], []),
    ],
    ids=["apart", "two-at-one-point", "three-at-one-point", "mixed", "one-trace-twice", "none"],
)
def test_coincident_sizes(traces, sizes):
    assert (CLAIM_SIZE, RING_WIDTH) == (11, 7)
    assert coincident_sizes(traces) == sizes


@pytest.mark.parametrize(
    ("name", "claimed_by", "shown"),
    [
        ("Yuriy Ihnat", "Yuriy Ihnat", "Yuriy Ihnat"),
        ("Valerii Zaluzhnyi", "Valeriy Zaluzhniy", "Valerii Zaluzhnyi (as “Valeriy Zaluzhniy”)"),
    ],
)
def test_claimant_words(name, claimed_by, shown):
    assert claimant_words(name, claimed_by) == shown


def test_the_daily_count_hover_says_one_event_not_one_events():
    frame = pd.DataFrame(
        {"category": ["strike", "strike", "strike"],
         "start": pd.to_datetime(["2022-10-10", "2022-10-10", "2022-10-11"])}
    )  # fmt: skip
    (bars,) = daily_counts_figure(frame).data
    assert list(bars.y) == [2, 1]
    assert list(bars.customdata) == ["2 events", "1 event"]
    assert "%{customdata}" in bars.hovertemplate
