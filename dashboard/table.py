"""The Table view: the events shown, and downloads of them in every export format."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from timeline.export import FORMATS, events_by_ids, render
from timeline.model import Timeline

TABLE_COLUMNS = ["date", "date_words", "title", "category", "place_names", "outlets", "status"]
DOWNLOAD_LABELS = {
    "csv": "CSV", "json": "JSON", "timelinejs": "TimelineJS", "ics": "Calendar (.ics)",
    "geojson": "GeoJSON",
}  # fmt: skip


def render_shown(timeline: Timeline, event_ids: tuple[str, ...], fmt: str) -> str | bytes:
    """A download of the events shown, built only when its button is clicked."""
    return render(timeline, events_by_ids(timeline, event_ids), fmt)


def table_view(timeline: Timeline, shown: pd.DataFrame) -> None:
    """The table of the events shown and a download button per format."""
    st.dataframe(shown[TABLE_COLUMNS], hide_index=True, width="stretch")
    if not len(shown):
        return
    selection = tuple(shown["id"])
    st.caption(f"Download the {len(selection):,} events shown:")
    for column, (fmt, spec) in zip(st.columns(len(FORMATS)), FORMATS.items(), strict=True):
        column.download_button(
            DOWNLOAD_LABELS[fmt],
            # Rendered only when clicked: five formats of a large selection on every rerun
            # would make every filter change slow.
            functools.partial(render_shown, timeline, selection, fmt),
            f"events-{fmt}{spec.extension}", spec.media_type, key=f"download_{fmt}",
        )  # fmt: skip
