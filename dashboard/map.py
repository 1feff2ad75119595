"""The Map view: where the events shown happened; clicking a place filters to it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from timeline.geo import load_borders, map_figure, places_frame
from timeline.model import Timeline
from timeline.query import place_pairs
from timeline.viewstate import first_point_id


@st.cache_data(show_spinner=False)
def borders() -> list:
    """The country outlines shipped with the package."""
    return load_borders()


def focus_on_place() -> None:
    """Clicking a place on the map filters the events to that place."""
    place_id = first_point_id(st.session_state.map_chart.selection.points)
    if place_id:
        st.session_state.places = [place_id]


def map_view(timeline: Timeline, shown: pd.DataFrame) -> None:
    """The places of the events shown, sized by their number of events."""
    st.plotly_chart(
        map_figure(places_frame(place_pairs(shown), timeline.places), borders()),
        key="map_chart",
        on_select=focus_on_place,
        selection_mode=("points",),
        width="stretch",
        config={"displaylogo": False, "scrollZoom": True},
    )
    st.caption(
        "Size: number of events at the place; colour: its category, grey (mixed) when several. "
        "Click a place to filter the events to it. Country shapes: Natural Earth via "
        "world-atlas (not a statement on borders)."
    )
