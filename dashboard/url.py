"""The view in the URL: read once when a session starts, written back after every change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from timeline.model import Timeline
from timeline.query import Filters
from timeline.viewstate import ALL_EVENTS, ViewState, opening_view


def seed_from_url(timeline: Timeline, frame: pd.DataFrame) -> None:
    """Seed the widgets from the URL once per session, so a shared link restores the view."""
    if "filters_seeded" in st.session_state:
        return
    st.session_state.filters_seeded = True
    view = opening_view(dict(st.query_params), timeline, frame)
    filters = view.filters
    story = timeline.stories.get(view.story) if view.story else None
    st.session_state.preset = story.title if story else ALL_EVENTS
    # No window yet when the link has none: the sidebar sets it from the story.
    st.session_state.window = (filters.start, filters.end) if filters.start else None
    st.session_state.categories = list(filters.categories)
    st.session_state.actors = list(filters.actors)
    st.session_state.places = list(filters.places)
    st.session_state.sources = list(filters.sources)
    st.session_state.origins = list(filters.origins)
    st.session_state.text = filters.text
    st.session_state.rejected = filters.rejected
    st.session_state.lane = view.lane
    st.session_state.selected = view.selected
    # A linked event the file lacks while it is broken opens once the file is fixed.
    st.session_state.waiting_event = None if view.selected else st.query_params.get("event")
    st.session_state.view = view.view
    st.session_state.others = view.others


def sync_url(filters: Filters, story_id: str | None, others: bool) -> None:
    """Keep the view in the URL's query parameters so it can be shared and reloaded."""
    state = st.session_state
    # An event waiting for the file to be fixed stays in the link, so a reload still opens it.
    selected = state.selected or state.get("waiting_event")
    params = ViewState(
        filters, story_id, state.lane, selected, state.view, others and bool(story_id)
    ).to_params()
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)
