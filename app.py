"""The dashboard (`streamlit run app.py`): the page, its filters, the timeline and the views.

Each view is a module of `dashboard/`; what they show is decided by the `timeline` package.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from dashboard.add import add_event_form
from dashboard.charts import charts_view
from dashboard.corpus import corpus_view
from dashboard.data import load_data
from dashboard.event import event_view, keep_selection
from dashboard.map import map_view
from dashboard.review import review_view
from dashboard.sidebar import sidebar_filters
from dashboard.story import story_view
from dashboard.table import table_view
from dashboard.timeline import event_navigator, timeline_chart
from dashboard.url import seed_from_url, sync_url
from timeline.query import date_span, filter_events, listed_count
from timeline.viewstate import (
    VIEWS,
    chart_window,
    counts_line,
    full_window,
    reading_event,
    story_filters,
)

# TIMELINE_EVENTS points the dashboard at another events file (the tests use it too).
EVENTS_FILE = Path(os.environ.get("TIMELINE_EVENTS", Path(__file__).with_name("events.yaml")))

# The chart's date axis and the selected event must be on a laptop's first screen: Streamlit's
# default padding (6rem above, 5rem at the sides) would take a tenth of its height and an
# eighth of the chart's width.
PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding: 3rem 2rem 2rem; }
</style>"""
LEGEND = (
    "Every event is backed by verbatim quotes from news articles. Each row of the chart is a "
    "lane, named on the left: a category (its colour is the category's), or with lanes by "
    "actor or source, one of those (the legend under the chart then gives the colours). "
    "Circles are single days (hollow when approximate); bars are wider dates — a week, part "
    "of a month, a range — drawn over their whole span, hatched when the date is vague, "
    "outlined when approximate; grey boxes count the events that do not fit (click one to "
    "narrow the dates to them); faded marks are extracted candidates not yet reviewed. Bands "
    "at the top are stories. Drag to pan, scroll to zoom, click an event (or press ← →) for "
    "its sources."
)

st.set_page_config(page_title="Conflict events timeline", layout="wide")
st.html(PAGE_STYLE)
st.subheader("Ukraine 2022: the Kharkiv counteroffensive, the strikes on the grid")

data = load_data(EVENTS_FILE)
seed_from_url(data.timeline, data.frame)
filters, story_id, others = sidebar_filters(data.timeline, data.frame)
shown = filter_events(data.frame, story_filters(filters, story_id, others))
window = chart_window(shown, full_window(filters), date_span(data.frame))
keep_selection(data.timeline, shown, data.broken, window)
if st.session_state.get("view") == "Story":
    # The story opens at its first event, as a reader would; set before the widgets that show
    # the selection are drawn, so that they and the URL agree.
    st.session_state.selected = reading_event(
        shown["id"].tolist(), st.session_state.get("selected")
    )
counts, legend = st.columns([3, 1], vertical_alignment="center")
counts.markdown(counts_line(shown, listed_count(data.frame, filters.rejected)))
legend.popover("How to read the timeline", width="stretch").markdown(LEGEND)
# The selected event beside the chart, at its top: on the first screen however tall the chart
# grows to title every event. Below 640 px Streamlit stacks the columns, the chart first.
chart_column, detail_column = st.columns([7, 3])
with chart_column:
    timeline_chart(data.timeline, shown, window, story_id, others)
with detail_column:
    event_navigator(data.timeline, shown)

# Only the open tab's content runs and is sent (the map, the charts, the table and the review
# queue are the heaviest parts of a page); the event picker and the form always run so that
# their input survives a visit to another tab.
event_tab, story_tab, map_tab, charts_tab, table_tab, review_tab, add_tab, corpus_tab = st.tabs(
    list(VIEWS), key="view", on_change="rerun"
)
with event_tab:
    event_view(data.timeline, shown, EVENTS_FILE.parent)
# After the picker, which may clear a selection the filters hid.
sync_url(filters, story_id, others)
with story_tab:
    if story_tab.open:
        story_view(data.timeline, shown, EVENTS_FILE.parent)
with map_tab:
    if map_tab.open:
        map_view(data.timeline, shown)
with charts_tab:
    if charts_tab.open:
        charts_view(shown, data.claims)
with table_tab:
    if table_tab.open:
        table_view(data.timeline, shown, story_id)
with review_tab:
    if review_tab.open:
        review_view(data.timeline, EVENTS_FILE, data.sha256)
with add_tab:
    add_event_form(data.timeline, data.frame, EVENTS_FILE, data.sha256)
with corpus_tab:
    if corpus_tab.open:
        corpus_view(EVENTS_FILE)
