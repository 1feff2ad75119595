"""Tabular views of a timeline and the filters the dashboard applies to them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from itertools import chain

import numpy as np
import pandas as pd

from timeline.dates import Precision
from timeline.gcpause import collector_paused
from timeline.model import Event, Figure, Source, Story, Timeline
from timeline.schema import REJECTED
from timeline.wording import claim_words

FRAME_COLUMNS = (
    "id", "title", "date", "date_words", "precision", "approximate", "part_of_day", "start",
    "end", "days", "stories", "category", "actors", "actor_names", "places", "place_names",
    "origin", "status", "sources", "outlets", "quotes", "n_sources", "notes", "line", "search",
)  # fmt: skip
CANDIDATE, EXTRACTED = "candidate", "extracted"  # extracted events not yet reviewed
# URL values read as "yes" for a switch such as ?rejected=1.
YES = frozenset({"1", "true", "yes", "on"})
CLAIM_COLUMNS = (
    "event_id", "title", "date", "measure", "value", "unit", "qualifier", "claimed_by",
    "source", "outlet", "claimant", "claimant_name", "amount", "event_date", "claim_date",
    "unreviewed",
)  # fmt: skip


def events_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per valid event in chronological order; `end` is the last day, inclusive."""
    with collector_paused():
        return _events_frame(timeline)


def _events_frame(timeline: Timeline) -> pd.DataFrame:
    place_names = {place.id: place.name for place in timeline.places.values()}
    actor_names = {actor.id: actor.name for actor in timeline.actors.values()}
    outlet_of = {source.id: source.outlet for source in timeline.sources.values()}
    columns: dict[str, list] = {name: [] for name in FRAME_COLUMNS}
    # Column lists filled in one pass: building a dict per row and Timestamps one by one
    # cost several seconds at 100,000 events.
    for event in timeline.events:
        when = event.date
        places = [place_names[p] for p in event.places if p in place_names]
        actors = [actor_names[a] for a in event.actors if a in actor_names]
        cited = [citation.source for citation in event.sources]
        quotes = [citation.quote for citation in event.sources]
        columns["id"].append(event.id)
        columns["title"].append(event.title)
        columns["date"].append(str(when))
        columns["date_words"].append(when.describe())
        columns["precision"].append(when.precision.value)
        columns["approximate"].append(when.approximate)
        columns["part_of_day"].append(
            when.start.part if when.precision is Precision.PART_OF_DAY else None
        )
        columns["start"].append(when.first)
        columns["end"].append(when.last)
        columns["days"].append(when.days)
        columns["stories"].append(list(event.stories))
        columns["category"].append(event.category)
        columns["actors"].append(list(event.actors))
        columns["actor_names"].append(actors)
        columns["places"].append(list(event.places))
        columns["place_names"].append(places)
        columns["origin"].append(event.origin)
        columns["status"].append(event.status)
        columns["sources"].append(cited)
        columns["outlets"].append(sorted({outlet_of[s] for s in cited if s in outlet_of}))
        columns["quotes"].append(quotes)
        columns["n_sources"].append(len(cited))
        columns["notes"].append(event.notes or "")
        columns["line"].append(event.line)
        searchable = [event.title, event.notes or "", *quotes, *places, *actors]
        columns["search"].append("\n".join(searchable).casefold())
    typed = {"start": "datetime64[s]", "end": "datetime64[s]", "days": "int64", "line": "int64",
             "n_sources": "int64", "approximate": "bool"}  # fmt: skip
    # Everything else is text or lists: object columns, also when there are no events.
    return pd.DataFrame(
        {
            name: np.array(values, dtype=typed[name]) if name in typed else _objects(values)
            for name, values in columns.items()
        }
    )


def _objects(values: list) -> np.ndarray:
    """A 1-D object array; np.array would turn equally long lists into a 2-D one."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def claims_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per claimed figure, dated by its event's first possible day; `claimant_name` is
    the curated actor's name, else the claimant as the article words it; `claim_date` is the
    citing source's date for the event, else its publication date."""
    rows = []
    for event in timeline.events:
        unreviewed = event.origin == EXTRACTED and event.status == CANDIDATE
        for figure in event.figures:
            source = timeline.sources.get(figure.source)
            actor = timeline.actors.get(figure.claimant) if figure.claimant else None
            rows.append(
                {
                    "event_id": event.id,
                    "title": event.title,
                    "date": pd.Timestamp(event.date.first),
                    "measure": figure.measure,
                    "value": figure.value,
                    "unit": figure.unit,
                    "qualifier": figure.qualifier or "",
                    "claimed_by": figure.claimed_by,
                    "source": figure.source,
                    "outlet": source.outlet if source else figure.source,
                    "claimant": figure.claimant or "",
                    "claimant_name": actor.name if actor else figure.claimed_by,
                    "amount": claim_words(figure),
                    "event_date": event.date.describe(),
                    "claim_date": _claim_date(event, figure, source),
                    "unreviewed": unreviewed,
                }
            )
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def _claim_date(event: Event, figure: Figure, source: Source | None) -> str:
    cited = next((c.date for c in event.sources if c.source == figure.source and c.date), None)
    if cited is not None:
        return cited.describe()
    return source.published.describe() if source else ""


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the events to; empty selections mean 'all'."""

    start: date | None = None
    end: date | None = None
    stories: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()
    text: str = ""
    # Rejected events stay in the file (extraction must not add them again) but out of sight.
    rejected: bool = False

    def to_params(self) -> dict[str, str]:
        """URL query parameters for the non-default filters (lists joined with commas)."""
        params: dict[str, str] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool):
                if value:
                    params[field.name] = "1"
            elif isinstance(value, date):
                params[field.name] = value.isoformat()
            elif isinstance(value, tuple) and value:
                params[field.name] = ",".join(value)
            elif isinstance(value, str) and value:
                params[field.name] = value
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> Filters:
        """Filters from URL query parameters; malformed values are ignored, not fatal."""
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = params.get(field.name)
            if not raw:
                continue
            if field.name in ("start", "end"):
                try:
                    values[field.name] = date.fromisoformat(raw)
                except ValueError:
                    continue
            elif field.name == "text":
                values[field.name] = raw
            elif field.name == "rejected":
                values[field.name] = raw.casefold() in YES
            else:
                values[field.name] = tuple(item for item in raw.split(",") if item)
        return cls(**values)

    def with_window(self, start: date | None, end: date | None) -> Filters:
        """The same filters over another date window."""
        return replace(self, start=start, end=end)


def filter_events(frame: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The events matching every filter, rejected ones only when asked for; a date filter keeps
    events that overlap the window."""
    keep = pd.Series(True, index=frame.index)
    if not filters.rejected:
        keep &= frame["status"] != REJECTED
    if filters.start is not None:
        keep &= frame["end"] >= pd.Timestamp(filters.start)
    if filters.end is not None:
        keep &= frame["start"] <= pd.Timestamp(filters.end)
    if filters.categories:
        keep &= frame["category"].isin(filters.categories)
    if filters.origins:
        keep &= frame["origin"].isin(filters.origins)
    for column, wanted in (
        ("stories", filters.stories),
        ("actors", filters.actors),
        ("places", filters.places),
        ("sources", filters.sources),
    ):
        if wanted:
            wanted_set = set(wanted)
            keep &= frame[column].map(lambda values, w=wanted_set: not w.isdisjoint(values))
    if filters.text.strip():
        keep &= frame["search"].str.contains(filters.text.strip().casefold(), regex=False)
    return frame[keep]


def listed_count(frame: pd.DataFrame, rejected: bool) -> int:
    """How many events the filters start from: all of them, less the rejected ones unless
    those are shown."""
    return len(frame) if rejected else int((frame["status"] != REJECTED).sum())


# Events offered in the dashboard's event picker; search and filters reach the rest.
PICKER_LIMIT = 1000


def event_choices(
    frame: pd.DataFrame, selected: str | None, limit: int = PICKER_LIMIT
) -> tuple[dict[str, str], bool]:
    """Labels ("date in words — title") of the first `limit` events, by id, plus the selected
    one wherever it is; and whether events were left out. A picker of 100,000 options took
    half a second per rerun and sent megabytes to the page."""
    picked = frame.iloc[:limit]
    if selected is not None and selected not in set(picked["id"].tolist()):
        picked = pd.concat([picked, frame[frame["id"] == selected]])
    labels = (picked["date_words"] + " — " + picked["title"]).tolist()
    return dict(zip(picked["id"].tolist(), labels, strict=True)), len(frame) > limit


def conflicting_dates(event: Event) -> list[tuple[str, str]]:
    """(source id, date) pairs when the event's sources give different dates, else []."""
    dated = [(c.source, str(c.date)) for c in event.sources if c.date is not None]
    return dated if len({when for _, when in dated}) > 1 else []


def conflicting_figures(event: Event) -> dict[str, list[Figure]]:
    """Figures grouped by measure, for the measures on which claims differ."""
    by_measure: dict[str, list[Figure]] = {}
    for figure in event.figures:
        by_measure.setdefault(figure.measure, []).append(figure)
    return {
        measure: claims
        for measure, claims in by_measure.items()
        if len({(claim.value, claim.unit, claim.qualifier) for claim in claims}) > 1
    }


def story_window(frame: pd.DataFrame, story: Story) -> tuple[date, date]:
    """The days a story's events cover, within the story's own dates (all of them if none)."""
    members = frame[frame["stories"].map(lambda stories: story.id in stories)]
    if members.empty:
        return story.date.first, story.date.last
    first = max(members["start"].min().date(), story.date.first)
    last = min(members["end"].max().date(), story.date.last)
    return (first, last) if first <= last else (story.date.first, story.date.last)


def date_span(frame: pd.DataFrame) -> tuple[date, date] | None:
    """The first and last day the events cover, or None without events."""
    if frame.empty:
        return None
    return frame["start"].min().date(), frame["end"].max().date()


def busiest_story(frame: pd.DataFrame) -> str | None:
    """The id of the story with the most events; on a tie, the one whose events come first."""
    counts = Counter(chain.from_iterable(frame["stories"].tolist()))
    return counts.most_common(1)[0][0] if counts else None


def place_pairs(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(place id, category) once per place of every event: what the map counts and colours."""
    return [
        (place_id, category)
        for places, category in zip(frame["places"], frame["category"], strict=True)
        for place_id in places
    ]


def claims_of(claims: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """The rows of a claims table that belong to these events."""
    return claims[claims["event_id"].isin(events["id"])]
