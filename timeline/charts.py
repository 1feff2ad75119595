"""Chart builders of the Charts view: events per day, and the figures claimed about them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from timeline.figures import CATEGORY_COLORS, hover_safe
from timeline.model import CATEGORIES
from timeline.words import plural

# Claims are plotted on the day of the event they count, not on the day they were made: the
# question asked of the chart is "how many missiles on 10 October?", and a count published on
# 15 November about the strikes of 10 October answers it for 10 October. The claim's own date
# is in the hover.
CLAIM_X_TITLE = "Day of the event (its first possible day)"
CLAIM_SYMBOL = "circle"
CLAIM_SIZE = 11
# Wide enough for a ring of the series under it to show round the one on top.
RING_WIDTH = 7
UNREVIEWED_SYMBOL = "diamond-open"
UNREVIEWED_NOTE = " (unreviewed)"
CLAIM_HOVER_TEMPLATE = (
    "<b>%{customdata[0]}</b>%{customdata[1]}<br>%{customdata[2]}<br>claimed by %{customdata[3]}"
    "<br>reported by %{customdata[4]}<br>event: %{customdata[5]} · claim: %{customdata[6]}"
    "<extra></extra>"
)


def daily_counts_figure(frame: pd.DataFrame) -> go.Figure:
    """Events per day by category, stacked; an event counts on its first possible day."""
    figure = go.Figure()
    for category in [c for c in CATEGORIES if c in set(frame["category"])]:
        counts = frame.loc[frame["category"] == category, "start"].value_counts().sort_index()
        figure.add_trace(
            go.Bar(
                x=counts.index,
                y=counts.to_numpy(),
                name=category,
                marker_color=CATEGORY_COLORS[category],
                # Worded here: a template can only say "%{y} events", "1 events" included.
                customdata=[plural(int(count), "event") for count in counts.to_numpy()],
                hovertemplate="%{x|%d %b %Y}: %{customdata}<extra>" + category + "</extra>",
            )
        )
    figure.update_layout(
        barmode="stack",
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.15, "x": 0, "traceorder": "normal"},
    )
    figure.update_xaxes(title_text="First possible day", type="date")
    figure.update_yaxes(title_text="Events")
    return figure


def charted_claims(claims: pd.DataFrame, unreviewed: bool = False) -> pd.DataFrame:
    """The claims a chart plots: those of unreviewed extracted candidates only when asked for."""
    if unreviewed:
        return claims
    return claims[~claims["unreviewed"].astype(bool)]


def claimant_words(name: str, claimed_by: str) -> str:
    """Who claims a figure: the actor's name, with the article's words when they differ."""
    return name if name == claimed_by else f"{name} (as “{claimed_by}”)"


def coincident_sizes(traces: Sequence[Sequence[Hashable]]) -> list[list[int]]:
    """Marker sizes that keep claims at one point all visible: each trace's points in drawing
    order, a point as large again as the ring width for every point drawn over it later, so
    that two claimants giving 100 for one day show as a dot in a ring, not one dot."""
    later = Counter(point for trace in traces for point in trace)
    sizes = []
    for trace in traces:
        row = []
        for point in trace:
            later[point] -= 1
            row.append(CLAIM_SIZE + RING_WIDTH * later[point])
        sizes.append(row)
    return sizes


def claims_figure(
    claims: pd.DataFrame, measures: Iterable[str], unreviewed: bool = False
) -> go.Figure:
    """Claimed figures by the day of their event, one series per measure and claimant (a
    curated actor, else the claimant as worded); unreviewed candidates' only when asked for,
    drawn as open diamonds."""
    chosen = charted_claims(claims, unreviewed)
    chosen = chosen[chosen["measure"].isin(list(measures))]
    # A claimant who is a curated actor is one series however articles spell the name.
    series = chosen["claimant"].where(chosen["claimant"] != "", "\0" + chosen["claimed_by"])
    groups = sorted(
        (group for _, group in chosen.groupby([chosen["measure"], series])),
        key=lambda group: (group["measure"].iloc[0], group["claimant_name"].iloc[0]),
    )
    groups = [group.sort_values("date", kind="stable") for group in groups]
    sizes = coincident_sizes(
        [list(zip(group["date"], group["value"], strict=True)) for group in groups]
    )
    figure = go.Figure()
    for group, size in zip(groups, sizes, strict=True):
        measure = group["measure"].iloc[0]
        flagged = group["unreviewed"].astype(bool).tolist()
        figure.add_trace(
            go.Scatter(
                x=group["date"],
                y=group["value"],
                # Markers only: separate claims about separate events are not a continuous series.
                mode="markers",
                marker={
                    "size": size,
                    "symbol": [UNREVIEWED_SYMBOL if f else CLAIM_SYMBOL for f in flagged],
                },
                name=hover_safe(f"{measure} — {group['claimant_name'].iloc[0]}"),
                customdata=[
                    [hover_safe(text) for text in row]
                    for row in zip(
                        group["amount"],
                        [UNREVIEWED_NOTE if f else "" for f in flagged],
                        group["title"],
                        map(claimant_words, group["claimant_name"], group["claimed_by"]),
                        group["outlet"],
                        group["event_date"],
                        group["claim_date"],
                        strict=True,
                    )
                ],
                hovertemplate=CLAIM_HOVER_TEMPLATE,
            )
        )
    units = sorted(set(chosen["unit"]))
    figure.update_layout(
        height=340,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"title": {"text": "Measure — claimed by"}},
        # Every claim of the day in the hover, not only the one on top: the chart is read to
        # compare claimants.
        hovermode="x",
    )
    figure.update_xaxes(title_text=CLAIM_X_TITLE, type="date")
    figure.update_yaxes(title_text=hover_safe(", ".join(units)) if units else "Value")
    return figure
