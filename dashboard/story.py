"""The Story view: the events shown told one at a time in date order, as TimelineJS tells
them — the event in full, where it happened, and its place in the story; Previous/Next and
the ← → keys beside the chart step through it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.event import show_event
from dashboard.map import borders
from timeline.geo import map_figure, places_frame
from timeline.model import Timeline
from timeline.viewstate import position_words


def story_view(timeline: Timeline, shown: pd.DataFrame, base_dir: Path) -> None:
    """The selected event (app.py selects the first shown when none is) with its position
    and its places."""
    ids = shown["id"].tolist()
    if not ids:
        st.info("No events are shown: choose a story or widen the filters.")
        return
    selected = st.session_state.get("selected")
    if selected not in ids:
        st.info("The selected event is not among those shown.")
        return
    st.markdown(f"**{position_words(ids, selected)}** · Previous/Next beside the chart, or ← →")
    text, where = st.columns([3, 2])
    with text:
        show_event(timeline, selected, base_dir)
    event = next(iter(timeline.events_with_ids([selected])))
    pairs = [(place_id, event.category) for place_id in event.places]
    points = places_frame(pairs, timeline.places)
    with where:
        if len(points):
            st.plotly_chart(
                map_figure(points, borders(), width=420),
                key="story_map",
                width="content",
                config={"displaylogo": False, "scrollZoom": True},
            )
        else:
            st.caption("No place on the map for this event.")
