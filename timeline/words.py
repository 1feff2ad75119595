"""How the command line and the dashboard count things in words: one convention for both."""

from __future__ import annotations

from timeline.model import Timeline

# Nouns whose plural is not the regular one the rule below makes.
_IRREGULAR = {"person": "people", "quantity": "quantities"}


def plural(count: int, noun: str) -> str:
    """'1 event', '2 events', '1 story', '100,000 stories': thousands separated by commas."""
    if count == 1:
        return f"1 {noun}"
    if noun in _IRREGULAR:
        return f"{count:,} {_IRREGULAR[noun]}"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return f"{count:,} {noun[:-1]}ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return f"{count:,} {noun}es"
    return f"{count:,} {noun}s"


def summary(timeline: Timeline) -> str:
    """One line: what the file holds, or how many problems it has."""
    errors, warnings = len(timeline.errors), len(timeline.warnings)
    if errors:
        counts = f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
        stopped = f"; {timeline.stop_notice}" if timeline.stop_notice else ""
        return f"{timeline.path}: invalid: {counts}{stopped}"
    text = (
        f"{timeline.path}: {plural(len(timeline.events), 'event')}, "
        f"{plural(len(timeline.sources), 'source')}, {plural(len(timeline.places), 'place')}, "
        f"{plural(len(timeline.actors), 'actor')}, {plural(len(timeline.stories), 'story')}"
    )
    return text + (f" ({plural(warnings, 'warning')})" if warnings else "")
