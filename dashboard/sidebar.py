"""The filters in the sidebar: a story preset, dates, search, and pickers for the vocabularies."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from timeline.model import CATEGORIES, ORIGINS, Timeline
from timeline.query import Filters
from timeline.viewstate import (
    ALL_EVENTS,
    LANES,
    picked_window,
    preset_window,
    story_by_title,
    story_presets,
)


def apply_preset(timeline: Timeline, frame: pd.DataFrame) -> None:
    """A story preset sets the date window to its events' days (all events: the data's span)."""
    story = story_by_title(timeline, st.session_state.preset)
    st.session_state.window = preset_window(frame, story)


def sidebar_filters(timeline: Timeline, frame: pd.DataFrame) -> tuple[Filters, str | None, bool]:
    """Draw the filter widgets; return the filters, the chosen story's id and whether other
    stories' events in its dates are shown too."""
    sidebar = st.sidebar
    sidebar.header("Filters")
    presets = story_presets(timeline)
    if st.session_state.get("preset") not in presets:
        st.session_state.preset = ALL_EVENTS
    sidebar.selectbox(
        "Story", presets, key="preset", on_change=apply_preset, args=(timeline, frame),
        help="Shows the story's events, over the days they cover; 'All events' shows "
        "everything.",
    )  # fmt: skip
    story = story_by_title(timeline, st.session_state.preset)
    sidebar.checkbox(
        "Include other stories' events in these dates", key="others", disabled=story is None,
        help="Events of other stories that overlap the story's dates, e.g. the Kherson "
        "offensive during the Kharkiv one",
    )  # fmt: skip
    if st.session_state.get("window") is None and len(frame):
        st.session_state.window = preset_window(frame, story)
    start, end = picked_window(sidebar.date_input("Dates", key="window", format="YYYY-MM-DD"))
    sidebar.text_input("Search", key="text", placeholder="title, quote, place, actor…")
    sidebar.multiselect("Categories", CATEGORIES, key="categories")
    sidebar.multiselect(
        "Actors", sorted(timeline.actors), key="actors",
        format_func=lambda actor_id: timeline.actors[actor_id].name,
    )  # fmt: skip
    sidebar.multiselect(
        "Places", sorted(timeline.places, key=lambda p: timeline.places[p].name), key="places",
        format_func=lambda place_id: timeline.places[place_id].name,
    )  # fmt: skip
    sidebar.multiselect(
        "Sources", list(timeline.sources), key="sources",
        format_func=lambda source_id: timeline.sources[source_id].outlet,
    )  # fmt: skip
    sidebar.multiselect(
        "Origin", ORIGINS, key="origins",
        help="curated: hand-written; extracted: candidates found in articles; imported: from CSV",
    )  # fmt: skip
    sidebar.toggle(
        "Show rejected", key="rejected",
        help="Candidates reviewed and turned down: kept in the file so that extraction never "
        "adds them again, hidden everywhere unless this is on",
    )  # fmt: skip
    sidebar.radio("Lanes", list(LANES), key="lane", format_func=LANES.get, horizontal=True)
    filters = Filters(
        start=start,
        end=end,
        categories=tuple(st.session_state.categories),
        actors=tuple(st.session_state.actors),
        places=tuple(st.session_state.places),
        sources=tuple(st.session_state.sources),
        origins=tuple(st.session_state.origins),
        text=st.session_state.text,
        rejected=st.session_state.rejected,
    )
    return filters, story.id if story else None, st.session_state.others
