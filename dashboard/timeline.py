"""The timeline chart, and beside it the selected event in brief with Previous/Next to step
through the events shown; clicking an event or stepping selects it, clicking a count box
narrows the dates to its days."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from timeline.figures import literal, timeline_figure
from timeline.model import Timeline
from timeline.viewstate import (
    actor_names,
    clicked_days,
    event_summary,
    first_point_id,
    keep_in_view,
    plot_width_px,
    position_words,
    step,
    story_bands,
)


def select_clicked() -> None:
    """A click on an event selects it; on a count box, the dates narrow to its days so that
    its titles are drawn, and its first event is selected (a click on a story band or an empty
    spot does nothing)."""
    points = st.session_state.timeline_chart.selection.points
    days = clicked_days(points)
    if days:
        st.session_state.window = days
    # A count box selects its first event, which its days hold: another selected event would
    # pull the chart back to its own dates.
    clicked = first_point_id(points)
    if clicked:
        st.session_state.selected = clicked


def step_selection(ids: list[str], offset: int) -> None:
    """Previous/Next: select the event `offset` places away among those shown."""
    st.session_state.selected = step(ids, st.session_state.get("selected"), offset)


def selected_days(shown: pd.DataFrame) -> tuple[date, date] | None:
    """The first and last day of the selected event, if it is among those shown."""
    row = shown[shown["id"] == st.session_state.get("selected")]
    if row.empty:
        return None
    return row["start"].iat[0].date(), row["end"].iat[0].date()


def timeline_chart(
    timeline: Timeline,
    shown: pd.DataFrame,
    window: tuple[date, date] | None,
    story: str | None,
    others: bool,
) -> None:
    """Draw the events shown over the window, moved to the selected event if it is outside."""
    days = selected_days(shown)
    if days:
        window = keep_in_view(window, *days)
    figure = timeline_figure(
        shown, story_bands(timeline.stories.values(), window, story, others),
        lane=st.session_state.lane, lane_names=actor_names(timeline), window=window,
        selected=st.session_state.get("selected"),
        width_px=plot_width_px(st.context.headers.get("User-Agent", "")),
    )  # fmt: skip
    st.plotly_chart(
        figure,
        key="timeline_chart",
        on_select=select_clicked,
        selection_mode=("points",),
        width="stretch",
        config={"displaylogo": False, "scrollZoom": True},
    )


def event_navigator(timeline: Timeline, shown: pd.DataFrame) -> None:
    """Previous/Next (also the ← and → keys) and the position, over the selected event's
    title, date, first quote and outlet, and where to read the rest."""
    ids = shown["id"].tolist()
    selected = st.session_state.get("selected")
    # No icons: the key hints already draw the arrows, and at 1280 px with the sidebar open the
    # column beside the chart has room for the row only without them.
    row = st.container(horizontal=True, vertical_alignment="center", gap="small")
    row.button(
        "Previous", key="previous_event", shortcut="Left",
        on_click=step_selection, args=(ids, -1), disabled=not ids,
        help="The event before, in date order (← key)",
    )  # fmt: skip
    row.markdown(position_words(ids, selected), width="content")
    row.button(
        "Next", key="next_event", shortcut="Right",
        on_click=step_selection, args=(ids, 1), disabled=not ids,
        help="The event after, in date order (→ key)",
    )  # fmt: skip
    event = next(iter(timeline.events_with_ids([selected])), None) if selected in ids else None
    if event is None:
        st.caption(
            "Click an event on the timeline, or press → to step through them; click a grey "
            "count box to narrow the dates to its events."
        )
        return
    summary = event_summary(event, timeline)
    st.markdown(f"**{literal(summary.title)}** · {literal(summary.when)}")
    st.markdown(f"“{literal(summary.quote)}” — *{literal(summary.outlet)}*")
    st.caption("Every source, claimed figure and article: the Event tab, under the timeline.")
