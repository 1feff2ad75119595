"""The Event view: a picker, and everything about the chosen event down to its articles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from timeline.articles import highlight_html, read_article
from timeline.errors import UnreadableArticle
from timeline.figures import literal
from timeline.model import Timeline
from timeline.query import PICKER_LIMIT, conflicting_dates, event_choices
from timeline.viewstate import figure_rows, kept_selection, opening_event


@st.cache_data(show_spinner=False, max_entries=16)
def article_text(path: str, modified: float) -> str:
    """An article's decoded text, cached until the file changes."""
    return read_article(path)


def keep_selection(
    timeline: Timeline, shown: pd.DataFrame, broken: bool, window: tuple[date, date] | None
) -> None:
    """Keep the open event across reloads of the file, and open again one that a broken file
    lost once it is back (before any widget shows the selection); a visit opens at the first
    event shown in the chart's `window`."""
    state = st.session_state
    ids = shown["id"].tolist()
    # What a link asked for: an id the file lacks arrives as the waiting event (url.py).
    linked = state.get("selected") or state.get("waiting_event")
    state.selected, state.waiting_event = kept_selection(
        state.get("selected"), state.get("waiting_event"), ids, timeline.event_ids(), broken
    )
    if "opened" not in state:
        # A visit opens at the first event shown, as the Story view does: its first screen is
        # the chart, its axis and an event to read, not an empty panel. Only once: an event
        # the reader lets go of stays let go.
        state.opened = True
        if state.waiting_event is None:
            state.selected = (
                state.selected if state.selected in ids else opening_event(shown, window)
            )
            if linked is not None and linked != state.selected:
                # A link's event the view does not show: say so rather than open another
                # event as if it were the one asked for.
                where = (
                    "hidden by the filters" if linked in timeline.event_ids()
                    else f"not in {Path(timeline.path).name or 'the file'}"
                )  # fmt: skip
                st.info(f"The link's event '{linked}' is not shown ({where}); opened the "
                        "first event shown instead.")  # fmt: skip


def event_view(timeline: Timeline, shown: pd.DataFrame, base_dir: Path) -> None:
    """The event picker over the events shown, and the selected event's details."""
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
        show_event(timeline, st.session_state.selected, base_dir)


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
        st.dataframe(pd.DataFrame(figure_rows(event, timeline)), hide_index=True, width="stretch")
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
    """The article's text in a folded panel, the event's quotes from it highlighted."""
    with st.expander("Article text, quoted passage highlighted"):
        try:
            text = article_text(str(path), path.stat().st_mtime)
        except (OSError, UnreadableArticle) as error:
            st.warning(f"The article cannot be shown: {error}")
            return
        st.html(f'<div class="article">{highlight_html(text, quotes)}</div>')
