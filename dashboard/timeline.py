"""The timeline chart over the page's views; clicking an event selects it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from timeline.figures import timeline_figure
from timeline.model import Timeline
from timeline.viewstate import actor_names, first_point_id, stories_in_window


def timeline_chart(
    timeline: Timeline, shown: pd.DataFrame, window: tuple[date, date] | None
) -> None:
    """Draw the events shown, zoomed to the window; a click makes its event the selected one."""
    chart = st.plotly_chart(
        timeline_figure(
            shown, stories_in_window(timeline.stories.values(), window),
            lane=st.session_state.lane, lane_names=actor_names(timeline), window=window,
            selected=st.session_state.get("selected"),
        ),
        key="timeline_chart",
        on_select="rerun",
        selection_mode=("points",),
        width="stretch",
        config={"displaylogo": False},
    )  # fmt: skip
    clicked = first_point_id(chart.selection.points if chart and chart.selection else [])
    # The chart keeps reporting its last selection on every rerun: act only when it changes.
    if clicked != st.session_state.get("last_click"):
        st.session_state.last_click = clicked
        if clicked:
            st.session_state.selected = clicked
