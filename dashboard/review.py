"""The Review view: the candidates one by one — Accept, Reject, Edit or Merge into an event.

Each decision is one surgical write (timeline.edits), refused when the file changed since the
page was drawn; the message saying which lines changed stays until dismissed.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.event import show_article
from timeline.edits import EditRejected, Saved, merge_into, replace_event, set_status
from timeline.errors import TimelineError
from timeline.figures import literal
from timeline.model import CATEGORIES, Event, Timeline
from timeline.review import (
    CONFIRMED,
    REJECTED,
    edited_fields,
    form_fields,
    merge_targets,
    notes_doubts,
    possible_duplicates,
    queue_sources,
    review_queue,
)

PAGE = 10  # candidates drawn at once: each holds an article and four buttons


def review_view(timeline: Timeline, path: Path, sha256: str | None) -> None:
    """The review queue of the file's candidates, with the four decisions wired to edits."""
    show_message()
    if sha256 is None:
        st.warning(f"{path.name} cannot be read right now, so nothing can be reviewed.")
        return
    # The content the page was drawn from: a save by someone else after that makes a decision
    # refuse instead of landing on a file the reviewer has not seen.
    seen = st.session_state.get("review_sha", sha256)
    st.session_state.review_sha = sha256
    sources = queue_sources(timeline)
    if not sources:
        st.info("No candidates to review: every extracted event has been decided.")
        return
    source = st.selectbox(
        "Source", [None, *sources], key="review_source",
        format_func=lambda s: "All sources" if s is None else
        f"{timeline.sources[s].outlet if s in timeline.sources else s} ({s}): {sources[s]}",
    )  # fmt: skip
    queue = review_queue(timeline, source)
    st.caption(
        f"{len(queue):,} candidate{'s' if len(queue) != 1 else ''} in date order"
        + (f"; the first {PAGE} are shown" if len(queue) > PAGE else "")
        + ". Rejected ones are hidden and never added again by a later extraction."
    )
    for event in queue[:PAGE]:
        with st.container(border=True, key=f"review-{event.id}"):
            review_card(timeline, event, path, seen)


def review_card(timeline: Timeline, event: Event, path: Path, seen: str) -> None:
    """One candidate: what it says, its sentence in the article, what it may duplicate, and
    the decisions."""
    st.markdown(f"**{literal(event.title)}**  \n{event.date.describe()} · {event.category} · "
                f"`{event.id}` (line {event.line})")  # fmt: skip
    doubts = notes_doubts(event.notes)
    for number, citation in enumerate(event.sources):
        source = timeline.sources.get(citation.source)
        st.text(citation.quote)
        if doubts and number == 0:  # what extraction was unsure of, beside the sentence it read
            st.caption(literal("Extraction doubts: " + "; ".join(doubts)))
        if source is not None and source.file:
            show_article(path.parent / source.file, [citation.quote])
    duplicates = possible_duplicates(timeline, event)
    if duplicates:
        st.markdown(
            "May duplicate: "
            + "; ".join(
                f"**{literal(d.title)}** ({d.date.describe()}, `{d.id}`)" for d in duplicates
            )
        )
    accept, reject, edit, merge = st.columns(4)
    if accept.button("Accept", key=f"accept-{event.id}", type="primary"):
        decide(
            lambda sha: set_status(path, event.id, CONFIRMED, sha), f"Accepted '{event.id}'", seen
        )
    if reject.button("Reject", key=f"reject-{event.id}"):
        decide(
            lambda sha: set_status(path, event.id, REJECTED, sha), f"Rejected '{event.id}'", seen
        )
    editing = edit.toggle("Edit", key=f"edit-{event.id}")
    merging = merge.toggle("Merge into…", key=f"merge-{event.id}")
    if editing:
        edit_form(timeline, event, path, seen)
    if merging:
        targets = merge_targets(timeline, event)
        titles = {event_id: timeline.events_with_ids([event_id])[0].title for event_id in targets}
        target = st.selectbox(
            "Event it reports", targets, index=None, key=f"target-{event.id}",
            format_func=lambda i: f"{titles[i]} ({i})",
            placeholder="Choose the event this candidate is a further source of",
        )  # fmt: skip
        if st.button("Merge", key=f"do-merge-{event.id}", disabled=target is None):
            decide(
                lambda sha: merge_into(path, event.id, target, sha),
                f"Merged '{event.id}' into '{target}'",
                seen,
            )


def edit_form(timeline: Timeline, event: Event, path: Path, seen: str) -> None:
    """A form prefilled from the candidate; saving rewrites only the lines of changed fields."""
    values = form_fields(event)
    with st.form(f"edit-form-{event.id}", border=False):
        title = st.text_input("Title", values["title"], key=f"title-{event.id}")
        when = st.text_input("Date", values["date"], key=f"date-{event.id}")
        category = st.selectbox(
            "Category", CATEGORIES, index=CATEGORIES.index(values["category"]),
            key=f"category-{event.id}",
        )  # fmt: skip
        stories = st.multiselect(
            "Stories", list(timeline.stories), values["stories"], key=f"stories-{event.id}"
        )
        actors = st.multiselect(
            "Actors", sorted(timeline.actors), values["actors"], key=f"actors-{event.id}"
        )
        places = st.multiselect(
            "Places", sorted(timeline.places), values["places"], key=f"places-{event.id}"
        )
        notes = st.text_area("Notes", values["notes"], key=f"notes-{event.id}")
        saved = st.form_submit_button("Save changes")
    if saved:
        fields = edited_fields(
            {"title": title, "date": when, "category": category, "stories": stories,
             "actors": actors, "places": places, "notes": notes}
        )  # fmt: skip
        decide(lambda sha: replace_event(path, event.id, fields, sha), f"Edited '{event.id}'", seen)


def decide(write, done: str, seen: str) -> None:
    """Run one write against the content the page was drawn from; keep its outcome to show."""
    try:
        saved: Saved = write(seen)
    except EditRejected as rejected:
        st.session_state.review_message = ("error", f"Not saved: {rejected.args[0]}")
    except TimelineError as error:
        st.session_state.review_message = ("error", f"Not saved: {error}")
    else:
        st.session_state.review_sha = saved.sha256
        st.session_state.review_message = ("success", f"{done} ({saved.changes}).")
    st.rerun()


def show_message() -> None:
    """The outcome of the last decision, until dismissed."""
    message = st.session_state.get("review_message")
    if message is None:
        return
    kind, text = message
    box = st.container(border=True, key="review-message")
    first, *rest = text.splitlines()
    (box.success if kind == "success" else box.error)(first)
    if rest:  # a refused edit's positioned problems, one a line
        box.code("\n".join(rest), language=None, wrap_lines=True)
    if box.button("Dismiss", key="review-dismiss"):
        del st.session_state.review_message
        st.rerun()
