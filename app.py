"""Streamlit front end: wires widgets to the timeline package and caches on file content."""

from __future__ import annotations

import functools
import gc
import hashlib
import os
from collections import Counter
from datetime import date, datetime
from itertools import chain
from pathlib import Path

import pandas as pd
import streamlit as st

from timeline.articles import highlight_html, read_article
from timeline.cache import Loaded, load_cached
from timeline.errors import TimelineError, UnreadableArticle
from timeline.export import FORMATS, events_by_ids, render
from timeline.figures import claims_figure, daily_counts_figure, literal, timeline_figure
from timeline.geo import load_borders, map_figure, places_frame
from timeline.load import refused
from timeline.model import CATEGORIES, ORIGINS, STATUSES, Story, Timeline
from timeline.query import (
    PICKER_LIMIT,
    Filters,
    claims_frame,
    conflicting_dates,
    conflicting_figures,
    event_choices,
    events_frame,
    filter_events,
    story_window,
)
from timeline.words import plural, summary
from timeline.write import EventsRejected, append_events, event_block, suggest_id

# TIMELINE_EVENTS points the dashboard at another events file (the tests use it too).
EVENTS_FILE = Path(os.environ.get("TIMELINE_EVENTS", Path(__file__).with_name("events.yaml")))
ALL_EVENTS = "All events"
VIEWS = ("Event", "Map", "Charts", "Table", "Add an event")
VIEW_PARAMS = {view: view.split()[0].lower() for view in VIEWS}  # ?view=map opens the map
LANES = {"category": "Category", "actor": "Actor", "source": "Source"}
TABLE_COLUMNS = ["date", "date_words", "title", "category", "place_names", "outlets", "status"]
DOWNLOAD_LABELS = {
    "csv": "CSV", "json": "JSON", "timelinejs": "TimelineJS", "ics": "Calendar (.ics)",
    "geojson": "GeoJSON",
}  # fmt: skip


# cache_resource, not cache_data: cache_data hands every rerun a fresh unpickled copy, which
# took 9 s for 100,000 events (benchmarks/browser.py). The loaded timeline is made of frozen
# dataclasses and tuples, and nothing here modifies the tables (filters return new frames),
# so sharing one copy is safe. Keyed on the file's bytes; load_cached adds a cache on disk
# that survives restarts.
@st.cache_resource(show_spinner=False, max_entries=4)
def load_events(sha256: str, name: str, base_dir: str, _data: bytes) -> Loaded:
    """The validated timeline and its tables, parsed once per content of the file.

    Keyed on the content's SHA-256: Streamlit hashing the bytes itself took 0.3 s of every
    rerun at 100,000 events (the underscore keeps it from hashing `_data`).
    """
    loaded = load_cached(_data, name, base_dir)
    # Millions of long-lived objects without cycles: every full collection would rescan them
    # (0.8 s at 100,000 events). Frozen, the collector skips them; refcounting still frees them.
    gc.freeze()
    return loaded


@st.cache_data(show_spinner=False, max_entries=16)
def article_text(path: str, modified: float) -> str:
    """An article's decoded text, cached until the file changes."""
    return read_article(path)


def read_bytes(path: Path) -> bytes | str:
    """The events file's bytes, or why it cannot be read right now."""
    try:
        return path.read_bytes()
    except OSError as error:
        return error.strerror or str(error)


def file_signature(path: Path) -> tuple[int, int] | None:
    """What changes when the file is saved: modification time and size."""
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size


@st.cache_resource(show_spinner=False)
def last_good(path: str) -> dict:
    """The last version of a file that loaded, shared by every session of this server."""
    return {}


@st.fragment(run_every=1.0)
def watch_events_file(path: Path, loaded: tuple[int, int] | None) -> None:
    """Rerun the whole app within about a second of the file being saved."""
    if file_signature(path) != loaded:
        st.rerun(scope="app")


def initial_filters(timeline: Timeline, frame: pd.DataFrame) -> None:
    """Seed the widgets from the URL once per session, so a shared link restores the view."""
    if "filters_seeded" in st.session_state:
        return
    st.session_state.filters_seeded = True
    params = dict(st.query_params)
    filters = Filters.from_params(params)
    preset = params.get("story")
    titles = {story.id: story.title for story in timeline.stories.values()}
    if preset is None and not params and len(frame):
        # A fresh visit opens on the story with the most events rather than on a window
        # stretched by a few background events years earlier.
        counts = Counter(story for stories in frame["stories"] for story in stories)
        preset = counts.most_common(1)[0][0]
    st.session_state.preset = titles.get(preset, ALL_EVENTS)
    st.session_state.window = (filters.start, filters.end) if filters.start else None
    st.session_state.categories = [c for c in filters.categories if c in CATEGORIES]
    st.session_state.actors = [a for a in filters.actors if a in timeline.actors]
    st.session_state.places = [p for p in filters.places if p in timeline.places]
    st.session_state.sources = [s for s in filters.sources if s in timeline.sources]
    st.session_state.origins = [o for o in filters.origins if o in ORIGINS]
    st.session_state.text = filters.text
    st.session_state.lane = params.get("lane") if params.get("lane") in LANES else "category"
    st.session_state.selected = params.get("event")
    st.session_state.view = next(
        (view for view, param in VIEW_PARAMS.items() if param == params.get("view")), VIEWS[0]
    )


def apply_preset(timeline: Timeline, frame: pd.DataFrame, bounds: tuple[date, date]) -> None:
    """A story preset sets the date window to its events' days (all events: the data's span)."""
    story = story_by_title(timeline, st.session_state.preset)
    st.session_state.window = story_window(frame, story) if story else bounds


def story_by_title(timeline: Timeline, title: str) -> Story | None:
    return next((s for s in timeline.stories.values() if s.title == title), None)


def sidebar_filters(timeline: Timeline, frame: pd.DataFrame) -> tuple[Filters, str | None]:
    """Draw the filter widgets; return the filters and the chosen story's id."""
    bounds = (frame["start"].min().date(), frame["end"].max().date()) if len(frame) else None
    sidebar = st.sidebar
    sidebar.header("Filters")
    presets = [ALL_EVENTS, *(story.title for story in timeline.stories.values())]
    if st.session_state.get("preset") not in presets:
        st.session_state.preset = ALL_EVENTS
    sidebar.selectbox(
        "Story", presets, key="preset", on_change=apply_preset, args=(timeline, frame, bounds),
        help="Sets the date window to the days the story's events cover; 'All events' shows "
        "everything.",
    )  # fmt: skip
    story = story_by_title(timeline, st.session_state.preset)
    if st.session_state.get("window") is None and bounds:
        st.session_state.window = story_window(frame, story) if story else bounds
    window = sidebar.date_input("Dates", key="window", format="YYYY-MM-DD")
    # While the user is picking, the date input briefly holds only a start.
    start, end = (*window, None, None)[:2] if window else (None, None)
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
    )
    return filters, story.id if story else None


def sync_url(
    filters: Filters, story_id: str | None, lane: str, selected: str | None, view: str
) -> None:
    """Keep the view in the URL's query parameters so it can be shared and reloaded."""
    params = filters.to_params()
    if view != VIEWS[0]:
        params["view"] = VIEW_PARAMS[view]
    if story_id:
        params["story"] = story_id
    if lane != "category":
        params["lane"] = lane
    if selected:
        params["event"] = selected
    if dict(st.query_params) != params:
        st.query_params.from_dict(params)


@st.cache_data(show_spinner=False)
def borders() -> list:
    """The country outlines shipped with the package."""
    return load_borders()


def focus_on_place() -> None:
    """Clicking a place on the map filters the events to that place."""
    points = st.session_state.map_chart.selection.points
    if points and points[0].get("customdata"):
        st.session_state.places = [points[0]["customdata"][0]]


def add_event_form(timeline: Timeline, path: Path, loaded_sha256: str | None) -> None:
    """A form that appends one event to the file, validated first, refused if the file moved."""
    st.caption(
        f"Appends a block to the end of {path.name}, keeping every existing byte and comment. "
        "The whole file is validated first; nothing is written if anything is wrong."
    )
    if loaded_sha256 is None:
        st.warning(f"{path.name} cannot be read right now, so nothing can be added.")
        return
    # The content the user saw when the form was last drawn: a save by someone else after that
    # makes the append refuse instead of silently building on a file the user has not seen.
    seen_sha = st.session_state.get("form_sha", loaded_sha256)
    st.session_state.form_sha = loaded_sha256
    with st.form("add_event", clear_on_submit=False, border=True):
        title = st.text_input(
            "Title", key="new_title", placeholder="Ukrainian forces retake Kupiansk"
        )
        left, right = st.columns(2)
        event_id = left.text_input(
            "Id (a slug)", key="new_event_id", placeholder="derived from the title if empty"
        )
        when = right.text_input(
            "Date", key="new_when",
            placeholder="2022-09-10, 2022-09-11 night, 2022-W36, 2022-09 early, A .. B",
        )  # fmt: skip
        category = left.selectbox("Category", CATEGORIES, index=None, key="new_category")
        status = right.selectbox(
            "Status", STATUSES, index=STATUSES.index("reported"), key="new_status"
        )
        stories = st.multiselect(
            "Stories", list(timeline.stories), key="new_stories",
            format_func=lambda i: timeline.stories[i].title,
        )  # fmt: skip
        actors = left.multiselect(
            "Actors", sorted(timeline.actors), key="new_actors",
            format_func=lambda i: timeline.actors[i].name,
        )  # fmt: skip
        places = right.multiselect(
            "Places", sorted(timeline.places), key="new_places",
            format_func=lambda i: timeline.places[i].name,
        )  # fmt: skip
        source = st.selectbox(
            "Source", list(timeline.sources), index=None, key="new_source",
            format_func=lambda i: f"{timeline.sources[i].outlet} ({i})",
        )  # fmt: skip
        quote = st.text_area("Quote, copied verbatim from the source", key="new_quote", height=90)
        quoted = st.text_input("Who is quoted (optional)", key="new_quoted")
        notes = st.text_area("Notes (optional)", key="new_notes", height=70)
        submitted = st.form_submit_button("Validate and add", type="primary")
    if not submitted:
        return
    event = {
        "id": event_id.strip() or suggest_id(title, set(timeline.event_ids())),
        "title": title.strip(),
        "date": when.strip(),
        "stories": stories,
        "category": category,
        "actors": actors or None,
        "places": places or None,
        "sources": [{"source": source, "quote": quote, "quoted": quoted.strip() or None}],
        "status": status,
        "notes": notes.strip() or None,
    }
    try:
        block = event_block(event)
        st.session_state.form_sha = append_events(path, [block], seen_sha)
    except EventsRejected as rejected:
        st.error("Not added: the event has problems. Your input is kept; fix it and submit again.")
        st.code("\n".join(str(p) for p in rejected.problems if p.is_error), language=None,
                wrap_lines=True)  # fmt: skip
        return
    except TimelineError as error:
        st.error(f"Not added: {error}")
        return
    st.toast(f"Added '{event['id']}' to {path.name}.")
    st.success(f"Added '{event['id']}' to {path.name}.")
    st.code(block, language="yaml")


def show_problems(timeline: Timeline) -> None:
    """Errors in a visible panel (the valid events are still drawn); warnings folded away."""
    if not timeline.problems:
        return
    listing = "\n".join(str(problem) for problem in timeline.problems)
    if timeline.ok:
        with st.expander(f"⚠️ {summary(timeline)}"):
            st.code(listing, language=None, wrap_lines=True)
        return
    with st.container(border=True):
        shown = "the valid events are still shown" if timeline.events else "none of it is shown"
        st.error(f"{summary(timeline)} — fix these in the file; {shown}.")
        st.code(listing, language=None, wrap_lines=True)


def render_shown(timeline: Timeline, event_ids: tuple[str, ...], fmt: str) -> str | bytes:
    """A download of the events shown, built only when its button is clicked."""
    return render(timeline, events_by_ids(timeline, event_ids), fmt)


def show_event(timeline: Timeline, event_id: str, base_dir: Path) -> None:
    """Everything about one event: date and precision, places, claims, sources and quotes."""
    event = next(iter(timeline.events_with_ids([event_id])), None)
    if event is None:
        st.info("The selected event is not in the current data.")
        return
    st.subheader(literal(event.title))
    st.markdown(
        f"**When:** {event.date.describe()} — precision: *{event.date.precision.value}*"
        + (" (approximate)" if event.date.approximate else "")
    )
    place_names = [literal(timeline.places[p].name) for p in event.places]
    actor_names = [literal(timeline.actors[a].name) for a in event.actors]
    st.markdown(
        f"**Where:** {', '.join(place_names) or '—'}  \n"
        f"**Who:** {', '.join(actor_names) or '—'}  \n"
        f"**Category:** {event.category} · **Status:** {event.status} · "
        f"**Origin:** {event.origin} · `{timeline.path}` line {event.line}"
    )
    dates = conflicting_dates(event)
    if dates:
        st.markdown("**Sources disagree on the date:**")
        for column, (source_id, when) in zip(st.columns(len(dates)), dates, strict=True):
            column.metric(literal(timeline.sources[source_id].outlet), when)
    if event.figures:
        st.markdown("**Claimed figures**")
        disputes = conflicting_figures(event)
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "measure": f.measure,
                        "claim": f"{f.qualifier or ''} {f.value:,g} {f.unit}".strip(),
                        "claimed by": f.claimed_by,
                        "reported by": timeline.sources[f.source].outlet,
                        "disputed": "yes" if f.measure in disputes else "",
                    }
                    for f in event.figures
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    st.markdown("**Sources**")
    for citation in event.sources:
        source = timeline.sources[citation.source]
        with st.container(border=True):
            st.markdown(
                f"**{literal(source.outlet)}**, published {source.published.describe()}"
                + (f" · quoted: {literal(citation.quoted)}" if citation.quoted else "")
                + (f" · dates it {citation.date.describe()}" if citation.date else "")
            )
            st.text(citation.quote)
            if source.file:
                show_article(base_dir / source.file, [c.quote for c in event.sources
                                                      if c.source == source.id])  # fmt: skip
    if event.notes:
        st.caption(literal(event.notes))


def show_article(path: Path, quotes: list[str]) -> None:
    with st.expander("Article text, quoted passage highlighted"):
        try:
            text = article_text(str(path), path.stat().st_mtime)
        except (OSError, UnreadableArticle) as error:
            st.warning(f"The article cannot be shown: {error}")
            return
        st.html(f'<div class="article">{highlight_html(text, quotes)}</div>')


st.set_page_config(page_title="Conflict events timeline", layout="wide")
st.header("Ukraine 2022: the Kharkiv counteroffensive and the strikes on the energy grid")
st.caption(
    "Every event is backed by verbatim quotes from news articles. Circles are single days "
    "(hollow when approximate); diamonds on bars are wider dates — a week, part of a month, a "
    "range — drawn over their whole span; faded ones are extracted candidates not yet "
    "reviewed. Shaded bands are stories. Click an event for its sources."
)

signature = file_signature(EVENTS_FILE)
data = read_bytes(EVENTS_FILE)
data_sha256 = None if isinstance(data, str) else hashlib.sha256(data).hexdigest()
if isinstance(data, str):
    timeline = refused(EVENTS_FILE.name, f"cannot read the file: {data}", 0, 0)
    frame, claims = events_frame(timeline), claims_frame(timeline)
else:
    # Shown only if loading takes over half a second: a large file the first time it is seen.
    with st.spinner(
        f"Loading and checking {literal(EVENTS_FILE.name)} ({len(data) / 1e6:,.1f} MB). Later "
        "starts read it from a cache.",
        show_time=True,
    ):
        loaded = load_events(data_sha256, EVENTS_FILE.name, str(EVENTS_FILE.parent), data)
    timeline, frame, claims = loaded.timeline, loaded.events, loaded.claims
watch_events_file(EVENTS_FILE, signature)
show_problems(timeline)
good = last_good(str(EVENTS_FILE))
if timeline.events or timeline.ok:
    good.update(timeline=timeline, frame=frame, claims=claims, at=datetime.now())
elif good:
    # Mid-edit or mid-save the file may not parse at all: keep showing what last did.
    st.info(
        f"Showing the last good version of {EVENTS_FILE.name}, loaded at "
        f"{good['at']:%H:%M:%S} ({len(good['frame'])} events), until the file is fixed."
    )
    timeline, frame, claims = good["timeline"], good["frame"], good["claims"]
initial_filters(timeline, frame)
filters, story_id = sidebar_filters(timeline, frame)
shown = filter_events(frame, filters)
window = (filters.start, filters.end) if filters.start and filters.end else None

cited = set(chain.from_iterable(shown["sources"].tolist()))
located = set(chain.from_iterable(shown["places"].tolist()))
st.markdown(
    f"**{len(shown):,} of {len(frame):,} events** · "
    f"{plural(len(cited), 'source')} · {plural(len(located), 'place')}"
)

stories = [
    story
    for story in timeline.stories.values()
    if window is None or (story.date.first <= window[1] and window[0] <= story.date.last)
]
lane_names = {a.id: a.name for a in timeline.actors.values()}
selected = st.session_state.get("selected")
chart = st.plotly_chart(
    timeline_figure(
        shown, stories, lane=st.session_state.lane, lane_names=lane_names, window=window,
        selected=selected,
    ),
    key="timeline_chart",
    on_select="rerun",
    selection_mode=("points",),
    width="stretch",
    config={"displaylogo": False},
)  # fmt: skip
points = chart.selection.points if chart and chart.selection else []
clicked = points[0]["customdata"][0] if points and points[0].get("customdata") else None
# The chart keeps reporting its last selection on every rerun: act only when it changes.
if clicked != st.session_state.get("last_click"):
    st.session_state.last_click = clicked
    if clicked:
        st.session_state.selected = clicked

# Only the open tab's content runs and is sent (the map, the charts and the table are the
# heaviest parts of a page); the event picker and the form always run so that their input
# survives a visit to another tab.
event_tab, map_tab, charts_tab, table_tab, add_tab = st.tabs(
    list(VIEWS), key="view", on_change="rerun"
)
with event_tab:
    titles, left_out = event_choices(shown, st.session_state.get("selected"))
    if st.session_state.get("selected") not in titles:
        st.session_state.selected = None
    st.selectbox(
        "Event", list(titles), key="selected", format_func=titles.get,
        placeholder="Click an event in the timeline, or choose one here",
    )  # fmt: skip
    if left_out:
        st.caption(
            f"The list holds the first {PICKER_LIMIT:,} of the {len(shown):,} events shown: "
            "search or narrow the filters to reach the others."
        )
    if st.session_state.selected:
        show_event(timeline, st.session_state.selected, EVENTS_FILE.parent)
sync_url(filters, story_id, st.session_state.lane, st.session_state.selected, st.session_state.view)
with map_tab:
    if map_tab.open:
        pairs = [
            (place_id, category)
            for places, category in zip(shown["places"], shown["category"], strict=True)
            for place_id in places
        ]
        st.plotly_chart(
            map_figure(places_frame(pairs, timeline.places), borders()),
            key="map_chart",
            on_select=focus_on_place,
            selection_mode=("points",),
            width="stretch",
            config={"displaylogo": False, "scrollZoom": True},
        )
        st.caption(
            "Size: number of events at the place; colour: category. Click a place to filter the "
            "events to it. Outlines: Natural Earth via world-atlas (not a statement on borders)."
        )
with charts_tab:
    if charts_tab.open:
        st.plotly_chart(daily_counts_figure(shown), width="stretch")
        visible_claims = claims[claims["event_id"].isin(shown["id"])]
        measures = sorted(set(visible_claims["measure"]))
        wanted = st.multiselect(
            "Claimed figures", measures,
            default=[m for m in ("territory-retaken", "missiles-fired", "missiles-shot-down")
                     if m in measures] or measures[:1],
        )  # fmt: skip
        if wanted:
            st.plotly_chart(claims_figure(visible_claims, wanted), width="stretch")
with table_tab:
    if table_tab.open:
        st.dataframe(shown[TABLE_COLUMNS], hide_index=True, width="stretch")
        if len(shown):
            selection = tuple(shown["id"])
            st.caption(f"Download the {len(selection):,} events shown:")
            for column, (fmt, spec) in zip(st.columns(len(FORMATS)), FORMATS.items(), strict=True):
                column.download_button(
                    DOWNLOAD_LABELS[fmt],
                    # Rendered only when clicked: five formats of a large selection on every
                    # rerun would make every filter change slow.
                    functools.partial(render_shown, timeline, selection, fmt),
                    f"events-{fmt}{spec.extension}", spec.media_type, key=f"download_{fmt}",
                )  # fmt: skip
with add_tab:
    add_event_form(timeline, EVENTS_FILE, data_sha256)  # one hash per rerun: 57 MB take 0.04 s
