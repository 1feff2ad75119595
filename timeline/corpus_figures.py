"""The corpus view's chart: candidates per day, stacked by category or story."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from timeline.figures import CATEGORY_COLORS, STORY_COLORS

GROUP_TITLES = {"category": "Category", "story": "Story"}


def per_day_figure(counts: Mapping[str, Sequence], group: str) -> go.Figure:
    """Stacked bars of candidates per day, one trace per value of `group` (from
    `Corpus.per_day`), in sorted order with category colours where they apply."""
    by_value: dict[str, tuple[list, list]] = {}
    for day, value, count in zip(counts["day"], counts[group], counts["candidates"], strict=True):
        days, numbers = by_value.setdefault(value, ([], []))
        days.append(day)
        numbers.append(count)
    figure = go.Figure()
    for index, value in enumerate(sorted(by_value)):
        days, numbers = by_value[value]
        color = CATEGORY_COLORS.get(value) if group == "category" else None
        figure.add_bar(
            x=days, y=numbers, name=value,
            marker_color=color or STORY_COLORS[index % len(STORY_COLORS)],
            hovertemplate=f"{value}<br>%{{x|%Y-%m-%d}}: %{{y:,}} candidates<extra></extra>",
        )  # fmt: skip
    figure.update_layout(
        barmode="stack",
        height=320,
        margin={"t": 30, "b": 40, "l": 50, "r": 10},
        legend_title_text=GROUP_TITLES[group],
        xaxis_title="Day of the event (first day of its date)",
        yaxis_title="Candidates",
    )
    return figure
