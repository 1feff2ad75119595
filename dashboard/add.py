"""The Add an event view: a form that appends one event to the file, validated first."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from timeline.errors import TimelineError
from timeline.model import CATEGORIES, STATUSES, Timeline
from timeline.viewstate import form_event
from timeline.write import EventsRejected, append_events, event_block


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
    event = form_event(
        title=title, event_id=event_id, when=when, category=category, status=status,
        stories=stories, actors=actors, places=places, source=source, quote=quote,
        quoted=quoted, notes=notes, existing_ids=timeline.event_ids(),
    )  # fmt: skip
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
