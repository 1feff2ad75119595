"""The Table view: the events shown, and downloads of them in every export format and as a
published web page."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from timeline.export import FORMATS, events_by_ids, export_file_name, render
from timeline.model import Timeline
from timeline.publish import MAX_EVENTS, publish_html

TABLE_COLUMNS = ["date", "date_words", "title", "category", "place_names", "outlets", "status"]
DOWNLOAD_LABELS = {
    "csv": "CSV", "json": "JSON", "timelinejs": "TimelineJS", "ics": "Calendar (.ics)",
    "geojson": "GeoJSON",
}  # fmt: skip
PAGE_LABEL = "Web page (HTML)"


def render_shown(
    timeline: Timeline, event_ids: tuple[str, ...], fmt: str, title: str | None
) -> str | bytes:
    """A download of the events shown, built only when its button is clicked."""
    return render(timeline, events_by_ids(timeline, event_ids), fmt, title=title)


def publish_shown(timeline: Timeline, event_ids: tuple[str, ...], story_id: str | None) -> str:
    """The published page of the events shown, built only when its button is clicked."""
    return publish_html(timeline, story_id, events=events_by_ids(timeline, event_ids))


def table_view(timeline: Timeline, shown: pd.DataFrame, story_id: str | None = None) -> None:
    """The table of the events shown and a download button per format; files of a story are
    named after it and carry its title."""
    st.dataframe(shown[TABLE_COLUMNS], hide_index=True, width="stretch")
    if not len(shown):
        return
    selection = tuple(shown["id"])
    title = timeline.stories[story_id].title if story_id in timeline.stories else None
    st.caption(f"Download the {len(selection):,} events shown:")
    # on_click="ignore": a click that reruns the app can replace the file being served before
    # a slow browser fetches it (a canceled download in CI under load); nothing on the page
    # depends on the click.
    columns = st.columns(len(FORMATS) + 1)
    for column, (fmt, spec) in zip(columns, FORMATS.items(), strict=False):
        column.download_button(
            DOWNLOAD_LABELS[fmt],
            # Rendered only when clicked: five formats of a large selection on every rerun
            # would make every filter change slow.
            functools.partial(render_shown, timeline, selection, fmt, title),
            export_file_name(fmt, story_id), spec.media_type, key=f"download_{fmt}",
            on_click="ignore",
        )  # fmt: skip
    columns[-1].download_button(
        PAGE_LABEL,
        functools.partial(publish_shown, timeline, selection, story_id),
        f"{story_id or 'events'}.html", "text/html", key="download_page", on_click="ignore",
        disabled=len(selection) > MAX_EVENTS,
        help="One self-contained page to open or send: the labelled timeline, each event with "
        "its quotes and sources, a map; no network needed."
        + (f" At most {MAX_EVENTS:,} events: narrow the filters." if len(selection) > MAX_EVENTS
           else ""),
    )  # fmt: skip
