"""What the dashboard shows, as plain data: the view and its URL, and the values its views draw.

The dashboard only wires widgets to these functions, so everything a user can see change is
decided here and tested without Streamlit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

import pandas as pd

from timeline.model import CATEGORIES, ORIGINS, Event, Figure, Story, Timeline
from timeline.query import Filters, busiest_story, conflicting_figures, date_span, story_window
from timeline.words import plural
from timeline.write import suggest_id

VIEWS = ("Event", "Map", "Charts", "Table", "Add an event")
VIEW_PARAMS = {view: view.split()[0].lower() for view in VIEWS}  # ?view=map opens the map
LANES = {"category": "Category", "actor": "Actor", "source": "Source"}
DEFAULT_LANE = "category"
ALL_EVENTS = "All events"
# The claims the two campaigns are told by; the charts open on those the events shown have.
HEADLINE_MEASURES = ("territory-retaken", "missiles-fired", "missiles-shot-down")


@dataclass(frozen=True)
class ViewState:
    """Everything a shared link restores: filters, story, lanes, selected event and open view."""

    filters: Filters = field(default_factory=Filters)
    story: str | None = None
    lane: str = DEFAULT_LANE
    selected: str | None = None
    view: str = VIEWS[0]

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
        )
        story, lane, event = params.get("story"), params.get("lane"), params.get("event")
        views = {param: view for view, param in VIEW_PARAMS.items()}
        return cls(
            filters=known,
            story=story if story in timeline.stories else None,
            lane=lane if lane in LANES else DEFAULT_LANE,
            selected=event if event and event in timeline.event_ids() else None,
            view=views.get(params.get("view", ""), VIEWS[0]),
        )

    def to_params(self) -> dict[str, str]:
        """URL query parameters: the filters', then view, story, lanes and event unless default."""
        params = self.filters.to_params()
        if self.view != VIEWS[0]:
            params["view"] = VIEW_PARAMS[self.view]
        if self.story:
            params["story"] = self.story
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


def counts_line(shown: pd.DataFrame, total: int) -> str:
    """'**12 of 80 events** · 9 sources · 4 places': what the filters leave, in Markdown."""
    cited = set(chain.from_iterable(shown["sources"].tolist()))
    located = set(chain.from_iterable(shown["places"].tolist()))
    return (
        f"**{len(shown):,} of {total:,} events** · "
        f"{plural(len(cited), 'source')} · {plural(len(located), 'place')}"
    )


def actor_names(timeline: Timeline) -> dict[str, str]:
    """Actor ids to names, for the chart's lanes by actor."""
    return {actor.id: actor.name for actor in timeline.actors.values()}


def first_point_id(points: Sequence[Mapping]) -> str | None:
    """The id a chart click carries (first item of its first point's customdata), if any."""
    if points and points[0].get("customdata"):
        return points[0]["customdata"][0]
    return None


def default_measures(measures: Sequence[str]) -> list[str]:
    """The claimed figures the charts open on: the headline ones present, else the first."""
    return [m for m in HEADLINE_MEASURES if m in measures] or list(measures[:1])


def claim_words(figure: Figure) -> str:
    """A claimed figure as read out: 'about 1,160 sq-mi', '3,000 km2'."""
    return f"{figure.qualifier or ''} {figure.value:,g} {figure.unit}".strip()


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
) -> dict:
    """The event the add form describes, as fields for `timeline.write.event_block`.

    Text is trimmed, empty optional fields are None (the writer leaves them out and puts the
    fields in the file's order), and an empty id is made from the title, unique among
    `existing_ids`. The quote is kept verbatim: it must match the article character for
    character.
    """
    return {
        "id": event_id.strip() or suggest_id(title, set(existing_ids)),
        "title": title.strip(),
        "date": when.strip(),
        "stories": list(stories),
        "category": category,
        "actors": list(actors) or None,
        "places": list(places) or None,
        "sources": [{"source": source, "quote": quote, "quoted": quoted.strip() or None}],
        "status": status,
        "notes": notes.strip() or None,
    }


def worth_keeping(timeline: Timeline) -> bool:
    """Whether a load is shown and kept as the last good version: it has valid events, or it
    is valid (an empty but valid file included)."""
    return bool(timeline.events) or timeline.ok
