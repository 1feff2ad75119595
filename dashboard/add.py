"""The Add an event view: a form that appends one event to the file, validated first.

What a submission leads to is kept in the session, not only drawn once: the file watcher reruns
the page within a second of the save, and a message drawn only in the submitting run would
vanish with it. The success message stays until dismissed; errors stay under their fields
until the next submission.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from timeline.errors import TimelineError
from timeline.figures import literal
from timeline.model import CATEGORIES, STATUSES, Timeline
from timeline.schema import EVENT, Field, Kind
from timeline.viewstate import (
    FormErrors,
    already_added,
    form_errors,
    form_event,
    form_more_fields,
)
from timeline.words import plural
from timeline.write import EventsRejected, append_events, event_block


def dismiss_added() -> None:
    """The success message's Dismiss button: forget the message."""
    st.session_state.pop("add_notice", None)


def add_event_form(
    timeline: Timeline, frame: pd.DataFrame, path: Path, loaded_sha256: str | None
) -> None:
    """A form that appends one event to the file, validated first, refused if the file moved
    or if it already holds the event."""
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
    # Filled after the form is drawn, so that a submission's outcome shows in the same run.
    outcome = st.container()
    under: dict[str, DeltaGenerator] = {}

    def field(
        name: str, where: DeltaGenerator, widget: str, label: str, *options: Any, **settings: Any
    ) -> Any:
        """The value of where's widget for the event's field `name`, drawn with a place under
        it for that field's errors."""
        value = getattr(where, widget)(label, *options, **settings)
        under[name] = where.empty()
        return value

    form = st.form("add_event", clear_on_submit=False, border=True)
    title = field(
        "title", form, "text_input", "Title", key="new_title",
        placeholder="Ukrainian forces retake Kupiansk",
    )  # fmt: skip
    # A row of columns per pair of fields: an error under one pushes the next row down
    # whole, keeping the fields side by side aligned.
    left, right = form.columns(2)
    event_id = field(
        "id", left, "text_input", "Id (a slug)", key="new_event_id",
        placeholder="derived from the title if empty",
    )  # fmt: skip
    when = field(
        "date", right, "text_input", "Date", key="new_when",
        placeholder="2022-09-10, 2022-09-11 night, 2022-W36, 2022-09 early, A .. B",
    )  # fmt: skip
    left, right = form.columns(2)
    category = field(
        "category", left, "selectbox", "Category", CATEGORIES, index=None, key="new_category"
    )
    status = field(
        "status", right, "selectbox", "Status", STATUSES,
        index=STATUSES.index(EVENT.field("status").default),
        key="new_status",
    )  # fmt: skip
    stories = field(
        "stories", form, "multiselect", "Stories", list(timeline.stories), key="new_stories",
        format_func=lambda i: timeline.stories[i].title,
    )  # fmt: skip
    left, right = form.columns(2)
    actors = field(
        "actors", left, "multiselect", "Actors", sorted(timeline.actors), key="new_actors",
        format_func=lambda i: timeline.actors[i].name,
    )  # fmt: skip
    places = field(
        "places", right, "multiselect", "Places", sorted(timeline.places), key="new_places",
        format_func=lambda i: timeline.places[i].name,
    )  # fmt: skip
    source = field(
        "source", form, "selectbox", "Source", list(timeline.sources), index=None,
        key="new_source", format_func=lambda i: f"{timeline.sources[i].outlet} ({i})",
    )  # fmt: skip
    quote = field(
        "quote", form, "text_area", "Quote, copied verbatim from the source",
        key="new_quote", height=90,
    )  # fmt: skip
    quoted = field("quoted", form, "text_input", "Who is quoted (optional)", key="new_quoted")
    notes = field("notes", form, "text_area", "Notes (optional)", key="new_notes", height=70)
    more = {}
    for spec in form_more_fields():
        kind, label, options, settings = widget(spec, timeline)
        more[spec.name] = field(spec.name, form, kind, label, *options, **settings)
    submitted = form.form_submit_button("Validate and add", type="primary")
    if submitted:
        event = form_event(
            title=title, event_id=event_id, when=when, category=category, status=status,
            stories=stories, actors=actors, places=places, source=source, quote=quote,
            quoted=quoted, notes=notes, existing_ids=timeline.event_ids(), more=more,
        )  # fmt: skip
        submit(event, frame, path, seen_sha)
    with outcome:
        show_outcome(path)
    errors: FormErrors | None = st.session_state.get("add_errors")
    for name, messages in (errors.by_field if errors else {}).items():
        under[name].error("  \n".join(literal(message) for message in messages))


def widget(spec: Field, timeline: Timeline) -> tuple[str, str, tuple, dict[str, Any]]:
    """The widget, label, options and settings that draw an event field the form does not lay
    out itself, by its kind in the schema, with the schema's description as its help."""
    label = spec.name.replace("_", " ").capitalize() + ("" if spec.required else " (optional)")
    settings: dict[str, Any] = {"key": f"new_{spec.name}", "help": spec.description}
    if spec.kind is Kind.CHOICE:
        index = spec.choices.index(spec.default) if spec.default in spec.choices else None
        return "selectbox", label, (spec.choices,), {**settings, "index": index}
    if spec.kind in (Kind.REF, Kind.REFS):
        # the events are a sequence of records, the other sections dicts by id
        ids = (
            timeline.event_ids()
            if spec.section == "events"
            else getattr(timeline, spec.section or "", {})
        )
        kind = "multiselect" if spec.kind is Kind.REFS else "selectbox"
        options = {} if kind == "multiselect" else {"index": None}
        return kind, label, (sorted(ids),), {**settings, **options}
    if spec.kind is Kind.TEXTS:
        return "text_area", label + ", one a line", (), {**settings, "height": 70}
    return "text_input", label, (), {**settings, "placeholder": spec.description}


def submit(event: dict, frame: pd.DataFrame, path: Path, seen_sha: str) -> None:
    """Append the event unless the file already holds it; keep the outcome in the session."""
    st.session_state.pop("add_errors", None)
    st.session_state.pop("add_refused", None)
    # Decided from the file as loaded for this run (a second press reruns after the first
    # append, so the file then holds its event): no timer guesses what a double click is.
    added = already_added(frame, event)
    if added is not None:
        st.session_state.add_refused = (
            f"Not added again: this event is already in {path.name}, added as '{added}' (the "
            "same title, date and source). Change the form to add another one."
        )
        return
    st.session_state.pop("add_notice", None)
    try:
        block = event_block(event)
        st.session_state.form_sha = append_events(path, [block], seen_sha)
    except EventsRejected as rejected:
        st.session_state.add_errors = form_errors(rejected.problems, block, str(path))
        return
    except TimelineError as error:
        st.session_state.add_refused = f"Not added: {error}"
        return
    st.session_state.add_notice = {"id": event["id"], "file": path.name, "block": block}


def show_outcome(path: Path) -> None:
    """The last submission's outcome: what was added (until dismissed), why the last one was
    refused, or one line counting the errors marked at the fields."""
    notice = st.session_state.get("add_notice")
    if notice:
        with st.container(border=True):
            message, dismiss = st.columns([6, 1], vertical_alignment="center")
            message.success(f"Added '{notice['id']}' to {notice['file']}.")
            dismiss.button("Dismiss", key="dismiss_added", on_click=dismiss_added)
            st.code(notice["block"], language="yaml")
    refused = st.session_state.get("add_refused")
    if refused:
        st.error(refused)
    errors: FormErrors | None = st.session_state.get("add_errors")
    if errors:
        marked = plural(errors.count - len(errors.general), "problem")
        where = f"{marked} marked at the fields below" if errors.by_field else ""
        others = plural(len(errors.general), "other problem") if errors.general else ""
        st.error(
            f"Not added: {' and '.join(part for part in (where, others) if part)}. Your input "
            "is kept; fix it and submit again."
        )
        for line in errors.general:
            st.markdown(f"- {literal(line)}")
