"""What the dashboard shows, as plain data: the view and its URL, and the values its views draw.

The dashboard only wires widgets to these functions, so everything a user can see change is
decided here and tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from math import ceil, isfinite

import pandas as pd

from timeline.dates import parse_date
from timeline.errors import InvalidDate, Problem
from timeline.figures import data_window
from timeline.model import CATEGORIES, ORIGINS, Event, Story, Timeline
from timeline.query import YES, Filters, busiest_story, conflicting_figures, date_span, story_window
from timeline.scalars import EMPTY_TEXT
from timeline.schema import EVENT, Field, Kind
from timeline.wording import claim_words
from timeline.words import plural
from timeline.write import suggest_id
from timeline.yamlnodes import MappingNode, Node, ScalarNode, SequenceNode, YamlSyntaxError, compose

VIEWS = ("Event", "Story", "Map", "Charts", "Table", "Review", "Add an event", "Corpus")
VIEW_PARAMS = {view: view.split()[0].lower() for view in VIEWS}  # ?view=map opens the map
LANES = {"category": "Category", "actor": "Actor", "source": "Source"}
DEFAULT_LANE = "category"
ALL_EVENTS = "All events"
# The claims the two campaigns are told by; the charts open on those the events shown have.
HEADLINE_MEASURES = ("territory-retaken", "missiles-fired", "missiles-shot-down")


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores: filters, story (and whether other stories' events in
    its dates are shown too), lanes, selected event and open view."""

    filters: Filters = field(default_factory=Filters)
    story: str | None = None
    lane: str = DEFAULT_LANE
    selected: str | None = None
    view: str = VIEWS[0]
    others: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, str], timeline: Timeline) -> ViewState:
        """The view a link's query parameters describe; values the timeline lacks are dropped."""
        filters = Filters.from_params(params)
        known = Filters(
            start=filters.start,
            end=filters.end,
            stories=tuple(s for s in filters.stories if s in timeline.stories),
            categories=tuple(c for c in filters.categories if c in CATEGORIES),
            actors=tuple(a for a in filters.actors if a in timeline.actors),
            places=tuple(p for p in filters.places if p in timeline.places),
            sources=tuple(s for s in filters.sources if s in timeline.sources),
            origins=tuple(o for o in filters.origins if o in ORIGINS),
            text=filters.text,
            rejected=filters.rejected,
        )
        story, lane, event = params.get("story"), params.get("lane"), params.get("event")
        views = {param: view for view, param in VIEW_PARAMS.items()}
        return cls(
            filters=known,
            story=story if story in timeline.stories else None,
            lane=lane if lane in LANES else DEFAULT_LANE,
            selected=event if event and event in timeline.event_ids() else None,
            view=views.get(params.get("view", ""), VIEWS[0]),
            others=params.get("others", "").casefold() in YES,
        )

    def to_params(self) -> dict[str, str]:
        """URL query parameters: the filters', then view, story, lanes and event unless default."""
        params = self.filters.to_params()
        if self.view != VIEWS[0]:
            params["view"] = VIEW_PARAMS[self.view]
        if self.story:
            params["story"] = self.story
        if self.others:
            params["others"] = "1"
        if self.lane != DEFAULT_LANE:
            params["lane"] = self.lane
        if self.selected:
            params["event"] = self.selected
        return params


def opening_view(params: Mapping[str, str], timeline: Timeline, frame: pd.DataFrame) -> ViewState:
    """The view a visit opens on: the link's, or for a bare address the busiest story.

    The busiest story rather than all events: a few background events years earlier would
    stretch the window until the campaigns are a sliver.
    """
    if params:
        return ViewState.from_params(params, timeline)
    return ViewState(story=busiest_story(frame))


def story_presets(timeline: Timeline) -> list[str]:
    """The story picker's choices: all events, then every story's title in file order."""
    return [ALL_EVENTS, *(story.title for story in timeline.stories.values())]


def story_by_title(timeline: Timeline, title: str | None) -> Story | None:
    """The story with this title, or None (for 'All events' too)."""
    return next((story for story in timeline.stories.values() if story.title == title), None)


def preset_window(frame: pd.DataFrame, story: Story | None) -> tuple[date, date] | None:
    """The dates a story preset sets: its events' days, or the whole data's span for none."""
    return story_window(frame, story) if story else date_span(frame)


def picked_window(value: Sequence[date] | None) -> tuple[date | None, date | None]:
    """Start and end from the date input, which holds only a start while the user picks."""
    start, end = (*(value or ()), None, None)[:2]
    return start, end


def full_window(filters: Filters) -> tuple[date, date] | None:
    """The filters' date window when it has both ends (the chart then zooms to it)."""
    if filters.start and filters.end:
        return filters.start, filters.end
    return None


def stories_in_window(stories: Iterable[Story], window: tuple[date, date] | None) -> list[Story]:
    """The stories that overlap the window (all of them without one), in the given order."""
    if window is None:
        return list(stories)
    start, end = window
    return [story for story in stories if story.date.first <= end and start <= story.date.last]


def story_bands(
    stories: Iterable[Story], window: tuple[date, date] | None, story: str | None, others: bool
) -> list[Story]:
    """The story bands drawn: the chosen story's alone while only its events are shown, else
    every story in the window."""
    if story is not None and not others:
        return [each for each in stories if each.id == story]
    return stories_in_window(stories, window)


def counts_line(shown: pd.DataFrame, total: int) -> str:
    """'**12 of 80 events** · 9 sources · 4 places': what the filters leave, in Markdown."""
    cited = set(chain.from_iterable(shown["sources"].tolist()))
    located = set(chain.from_iterable(shown["places"].tolist()))
    return (
        f"**{len(shown):,} of {plural(total, 'event')}** · "
        f"{plural(len(cited), 'source')} · {plural(len(located), 'place')}"
    )


def story_filters(filters: Filters, story: str | None, others: bool) -> Filters:
    """The filters the events shown must pass: a story shows its own events, and other
    stories' events in its dates only when asked for."""
    if story is None or others:
        return filters
    return replace(filters, stories=(story,))


# The share of the events the opening frame of 'All events' holds: the rest are the sparse
# background (years of it, here), reached by zooming out, panning or stepping back.
FOCUS_SHARE = 0.8


def focus_window(frame: pd.DataFrame, share: float = FOCUS_SHARE) -> tuple[date, date] | None:
    """The dates to frame the events in: from the latest start that keeps `share` of them in
    view to the last day, with a margin; the whole span when that is not twice as long."""
    whole = data_window(frame)
    if whole is None:
        return None
    starts = frame["start"].sort_values()
    first = starts.iloc[len(starts) - ceil(share * len(starts))]
    recent = data_window(frame[frame["start"] >= first])
    if recent is None or (whole[1] - whole[0]) <= 2 * (recent[1] - recent[0]):
        return whole
    return recent


def chart_window(
    shown: pd.DataFrame, window: tuple[date, date] | None, span: tuple[date, date] | None
) -> tuple[date, date] | None:
    """The dates the chart frames: the picked window when it narrows the data's `span`, else
    the busy part of the events shown (a date window over everything would be mostly empty)."""
    if window is not None and window != span:
        return window
    return focus_window(shown)


def keep_in_view(
    window: tuple[date, date] | None, first: date, last: date
) -> tuple[date, date] | None:
    """The window, moved to centre an event it does not overlap (keeping its length)."""
    if window is None or (first <= window[1] and window[0] <= last):
        return window
    length = window[1].toordinal() - window[0].toordinal()
    low, high = first.toordinal(), last.toordinal()
    # An event longer than the window is shown from its start.
    centre = (low + high) // 2 if high - low < length else low + length // 2
    start = min(max(centre - length // 2, 1), date.max.toordinal() - length)
    return date.fromordinal(start), date.fromordinal(start + length)


# The plot's width in pixels, lane names left out, for laying titles out: measured at 1280×800
# with the sidebar open (502 px: the chart has seven tenths of the page, the selected event the
# rest; 720 px with the sidebar folded, where titles then have room to spare), and on a 390 px
# wide phone (where the sidebar is folded away and the detail goes under the chart). Labels
# placed for a wider plot than the one the user sees would overlap.
LAPTOP_PLOT_PX = 500.0
PHONE_PLOT_PX = 190.0


def plot_width_px(user_agent: str) -> float:
    """The width to lay the chart's titles out for: a phone's when the browser says it is one
    ('Mobi' in its user agent, as browsers on phones write), else a laptop's."""
    return PHONE_PLOT_PX if "Mobi" in user_agent else LAPTOP_PLOT_PX


def step(ids: Sequence[str], selected: str | None, offset: int) -> str | None:
    """The event `offset` places after the selected one in `ids` (stopping at either end);
    from no selection, or one not in `ids`, Next starts at the first and Previous at the last."""
    if not len(ids):
        return None
    try:
        position = list(ids).index(selected)
    except ValueError:
        return ids[0] if offset > 0 else ids[-1]
    return ids[min(max(position + offset, 0), len(ids) - 1)]


def kept_selection(
    selected: str | None,
    waiting: str | None,
    shown: Iterable[str],
    in_file: Iterable[str],
    broken: bool,
) -> tuple[str | None, str | None]:
    """(selected, waiting): the event to keep open, and one to open again when it is back.

    The selection stays while its event is shown. An event gone from a broken file (mid-edit,
    mid-save) waits, and is selected again once the file is fixed and shows it; one the filters
    hide, or that a valid file no longer has, is let go, as is the waiting one then.
    """
    shown, in_file = set(shown), set(in_file)
    if selected is not None and selected in shown:
        return selected, None
    wanted = selected if selected is not None else waiting
    if wanted is None:
        return None, None
    if wanted in shown:
        return wanted, None
    if broken and wanted not in in_file:
        return None, wanted
    return None, None


def reading_event(ids: Sequence[str], selected: str | None) -> str | None:
    """The event the Story view tells: the selected one while it is shown, else the first."""
    if selected in ids:
        return selected
    return ids[0] if len(ids) else None


def opening_event(shown: pd.DataFrame, window: tuple[date, date] | None) -> str | None:
    """The event a visit opens at: the first shown that the chart's window holds, so that
    opening it leaves the frame where it is (the first of all events shown would pull a
    window on the busy months back to a background event years earlier); else the first."""
    if not len(shown):
        return None
    if window is not None:
        starts = shown["start"].dt.date
        ends = shown["end"].dt.date
        inside = shown[(starts <= window[1]) & (ends >= window[0])]
        if len(inside):
            return str(inside["id"].iat[0])
    return str(shown["id"].iat[0])


def position_words(ids: Sequence[str], selected: str | None) -> str:
    """'7 of 22' for the selected event among those shown, or how many there are to step to."""
    try:
        return f"{list(ids).index(selected) + 1:,} of {len(ids):,}"
    except ValueError:
        return f"none of {len(ids):,} selected" if len(ids) else "no events"


def actor_names(timeline: Timeline) -> dict[str, str]:
    """Actor ids to names, for the chart's lanes by actor."""
    return {actor.id: actor.name for actor in timeline.actors.values()}


def first_point_id(points: Sequence[Mapping]) -> str | None:
    """The id a chart click carries (first item of its first point's customdata), if any."""
    if points and points[0].get("customdata"):
        return points[0]["customdata"][0]
    return None


# customdata[3] of a count box on the timeline; [5] and [6] are its first and last day.
CLUSTER = "cluster"


def clicked_days(points: Sequence[Mapping]) -> tuple[date, date] | None:
    """The first and last day of the count box a chart click is on, if it is on one."""
    data = points[0].get("customdata") if points else None
    if not data or len(data) < 7 or data[3] != CLUSTER:
        return None
    return date.fromisoformat(data[5]), date.fromisoformat(data[6])


@dataclass(frozen=True)
class EventSummary:
    """What the panel beside the chart says about the selected event."""

    title: str
    when: str
    quote: str
    outlet: str


# Characters of the first quote shown beside the chart; the Event view has all of it.
SUMMARY_QUOTE_LIMIT = 200


def event_summary(
    event: Event, timeline: Timeline, limit: int = SUMMARY_QUOTE_LIMIT
) -> EventSummary:
    """The event's title, date in words, first quote (cut at a word near `limit` characters)
    and the outlet it is from."""
    citation = event.sources[0] if event.sources else None
    source = timeline.sources.get(citation.source) if citation else None
    return EventSummary(
        title=event.title,
        when=event.date.describe(),
        quote=cut(citation.quote, limit) if citation else "",
        outlet=source.outlet if source else (citation.source if citation else ""),
    )


def cut(text: str, limit: int) -> str:
    """The text whole if it fits in `limit` characters, else up to its last space that does,
    with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head).rstrip(" ,;:.") + "…"


def default_measures(measures: Sequence[str]) -> list[str]:
    """The claimed figures the charts open on: the headline ones present, else the first."""
    return [m for m in HEADLINE_MEASURES if m in measures] or list(measures[:1])


def figure_rows(event: Event, timeline: Timeline) -> list[dict[str, str]]:
    """The event's claimed figures as table rows, marking measures its claims disagree on."""
    disputes = conflicting_figures(event)
    return [
        {
            "measure": figure.measure,
            "claim": claim_words(figure),
            "claimed by": figure.claimed_by,
            "reported by": timeline.sources[figure.source].outlet,
            "disputed": "yes" if figure.measure in disputes else "",
        }
        for figure in event.figures
    ]


# The event fields the add form lays out itself, each with its own widget and words.
FORM_LAID_OUT = ("id", "title", "date", "category", "status", "stories", "actors", "places",
                 "sources", "notes")  # fmt: skip
# Left to the file: how an event entered it (a form's event is curated, the default), and the
# lists of nested records (figures, links) that a one-event form cannot lay out.
FORM_LEFT_OUT = ("origin",)


def form_more_fields() -> tuple[Field, ...]:
    """The event's fields the add form draws by their kind, after its own: a field the schema
    gains is offered in the form without a change to it."""
    skipped = set(FORM_LAID_OUT) | set(FORM_LEFT_OUT)
    return tuple(
        spec for spec in EVENT.fields if spec.name not in skipped and spec.kind is not Kind.RECORDS
    )


def form_value(spec: Field, value: object) -> object:
    """What the writer is given for a value the form read for `spec`: text trimmed, lists one
    item a line, numbers as numbers; None when left empty, so the writer leaves it out. What
    does not read as its kind is passed on as written, for the validator to say why."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return list(value) or None
    text = str(value).strip()
    if spec.kind is Kind.TEXTS:
        return [line.strip() for line in text.splitlines() if line.strip()] or None
    if spec.kind is Kind.NUMBER and text:
        try:
            number = float(text)
        except ValueError:
            return text
        if not isfinite(number):  # "nan", "inf": text, for the validator to refuse at the field
            return text
        return int(number) if number.is_integer() and "." not in text else number
    return text or None


def form_event(
    *,
    title: str,
    event_id: str,
    when: str,
    category: str | None,
    status: str,
    stories: Sequence[str],
    actors: Sequence[str],
    places: Sequence[str],
    source: str | None,
    quote: str,
    quoted: str,
    notes: str,
    existing_ids: Iterable[str],
    more: Mapping[str, object] | None = None,
) -> dict:
    """The event the add form describes, as fields for `timeline.write.event_block`.

    Text is trimmed, empty optional fields are None (the writer leaves them out and puts the
    fields in the file's order), and an empty id is made from the title's whole words, unique
    among `existing_ids`. Required fields left empty are written empty, not left out, so that
    the validator reports each at its own line (and the form under its own field). The quote
    is kept verbatim: it must match the article character for character. `more` holds the
    values of `form_more_fields()` by name; those left empty are left out.
    """
    event = {
        "id": event_id.strip() or suggest_id(title, set(existing_ids)),
        "title": title.strip(),
        "date": when.strip(),
        "stories": list(stories) or None,
        "category": category or "",
        "actors": list(actors) or None,
        "places": list(places) or None,
        "sources": [{"source": source or "", "quote": quote, "quoted": quoted.strip() or None}],
        "status": status,
        "notes": notes.strip() or None,
    }
    for spec in form_more_fields():
        value = form_value(spec, (more or {}).get(spec.name))
        if value is None and spec.required and spec.kind not in (Kind.TEXTS, Kind.REFS):
            value = ""  # written empty, as the form's own required fields, to be told at its line
        if value is not None:
            event[spec.name] = value
    return event


def already_added(frame: pd.DataFrame, event: Mapping) -> str | None:
    """The id of an event of the file that the form's `event` repeats: same title (spacing and
    case aside), same date and citing the same source; None if there is none.

    A second press of the button (a double click, or again after success) sends the same
    fields again: refusing it keeps the file to one copy instead of a renamed second one.
    """
    title = " ".join(str(event.get("title") or "").split()).casefold()
    if not title or not len(frame):
        return None
    try:
        when = str(parse_date(str(event.get("date") or "")))
    except InvalidDate:
        return None  # the validator says what is wrong with it
    cited = [citation.get("source") for citation in event.get("sources") or ()]
    titles = frame["title"].map(lambda text: " ".join(text.split()).casefold())
    same = frame[(titles == title) & (frame["date"] == when)]
    for event_id, sources in zip(same["id"].tolist(), same["sources"].tolist(), strict=True):
        if any(source in sources for source in cited):
            return event_id
    return None


# The add form's fields by where the event block holds them: top-level keys by name, the
# citation's keys under `sources`. Keys the form has no field for are left out.
FORM_FIELDS = {
    "id": "id", "title": "title", "date": "date", "stories": "stories",
    "category": "category", "actors": "actors", "places": "places", "status": "status",
    "notes": "notes", "sources": "source", "sources.source": "source",
    "sources.quote": "quote", "sources.quoted": "quoted",
}  # fmt: skip


def block_fields(block: str) -> dict[int, str]:
    """Line (1-based, within an event block as event_block writes it) -> the form field whose
    value is on that line; a block that does not parse maps no line."""
    try:
        root = compose("events:\n" + block)
    except YamlSyntaxError:
        return {}
    items = root.value[0][1] if isinstance(root, MappingNode) and root.value else None
    if not isinstance(items, SequenceNode) or not items.value:
        return {}
    lines: dict[int, str] = {}
    # and the fields the form draws by their kind, each under its own name
    names = {**FORM_FIELDS, **{spec.name: spec.name for spec in form_more_fields()}}
    _field_lines(items.value[0], "", lines, names)
    return lines


def _field_lines(mapping: Node, prefix: str, lines: dict[int, str], names: dict[str, str]) -> None:
    if not isinstance(mapping, MappingNode):
        return
    for key, value in mapping.value:
        if not isinstance(key, ScalarNode):
            continue
        path = prefix + key.value
        name = names.get(path)
        if name:
            # Marks count lines from 0 and "events:" takes the first one, so a mark's line is
            # the block's line counted from 1; a nested value ends at the start of a line.
            last = value.end_mark.line - (1 if value.end_mark.column == 0 else 0)
            for line in range(key.start_mark.line, max(last, key.start_mark.line) + 1):
                lines[line] = name
        if isinstance(value, SequenceNode):
            for item in value.value:
                _field_lines(item, path + ".", lines, names)


@dataclass(frozen=True)
class FormErrors:
    """A refused form's errors: under which field each goes, and those no field holds."""

    by_field: dict[str, list[str]]
    general: list[str]

    @property
    def count(self) -> int:
        """How many errors there are in all."""
        return sum(map(len, self.by_field.values())) + len(self.general)


def form_errors(problems: Iterable[Problem], block: str, file_name: str) -> FormErrors:
    """The errors of a refused event, each under the form field its line holds in `block`.

    The writer names the new block's problems after the block, not `file_name`, and counts
    their lines from the block's first line; the file's own problems, and any on a line of no
    field, are general, written in full.
    """
    fields = block_fields(block)
    by_field: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        if not problem.is_error:
            continue
        name = fields.get(problem.line) if problem.file != file_name else None
        if name is None:
            general.append(str(problem))
        elif name in _CHOSEN and problem.message.endswith(EMPTY_TEXT):
            by_field.setdefault(name, []).append(f"choose a {name}: it is required")
        else:
            by_field.setdefault(name, []).append(problem.message)
    return FormErrors(by_field, general)


# Fields the form offers as a list to choose from: under one of them, the validator's "expected
# text, found an empty string" (EMPTY_TEXT) means that nothing was chosen.
_CHOSEN = frozenset({"category", "status", "source"})


def worth_keeping(timeline: Timeline) -> bool:
    """Whether a load is shown and kept as the last good version: it has valid events, or it
    is valid (an empty but valid file included)."""
    return bool(timeline.events) or timeline.ok
