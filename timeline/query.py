"""Tabular views of a timeline for the dashboard and exports."""

from __future__ import annotations

import pandas as pd

from timeline.model import Timeline

FRAME_COLUMNS = (
    "id", "title", "date", "date_words", "precision", "approximate", "start", "end", "days",
    "stories", "category", "actors", "places", "origin", "status", "sources", "outlets",
    "quotes", "n_sources", "notes", "line",
)  # fmt: skip


def events_frame(timeline: Timeline) -> pd.DataFrame:
    """One row per valid event in chronological order; `end` is the last day, inclusive."""
    rows = [
        {
            "id": event.id,
            "title": event.title,
            "date": str(event.date),
            "date_words": event.date.describe(),
            "precision": event.date.precision.value,
            "approximate": event.date.approximate,
            "start": pd.Timestamp(event.date.first),
            "end": pd.Timestamp(event.date.last),
            "days": event.date.days,
            "stories": list(event.stories),
            "category": event.category,
            "actors": list(event.actors),
            "places": list(event.places),
            "origin": event.origin,
            "status": event.status,
            "sources": [citation.source for citation in event.sources],
            "outlets": sorted(
                {
                    timeline.sources[citation.source].outlet
                    for citation in event.sources
                    if citation.source in timeline.sources
                }
            ),
            "quotes": [citation.quote for citation in event.sources],
            "n_sources": len(event.sources),
            "notes": event.notes or "",
            "line": event.line,
        }
        for event in timeline.events
    ]
    frame = pd.DataFrame(rows, columns=list(FRAME_COLUMNS))
    return frame.astype({"start": "datetime64[s]", "end": "datetime64[s]"})
