"""Write the events (or one story's) as TimelineJS, iCalendar, GeoJSON, CSV or JSON.

Nothing is written if the events file has errors: they are printed instead (exit status 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from timeline.cli import output
from timeline.errors import UnknownStory
from timeline.export import FORMATS, NoEvents, chronological, render, story_events
from timeline.load import load_timeline
from timeline.words import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `export`."""
    parser.add_argument("--format", required=True, choices=list(FORMATS), dest="export_format")
    parser.add_argument("--story", help="only the events of this story id (title from the story)")
    parser.add_argument("--out", default="-", help="output file; '-' (default) for stdout")
    output.add_events_file(parser)


def run(arguments: argparse.Namespace) -> int:
    """Write the export; 1 for an invalid file, unknown story, no events or unwritable output."""
    timeline = load_timeline(arguments.file)
    if not timeline.ok:
        count = plural(len(timeline.errors), "error")
        output.problems(*timeline.errors, f"{timeline.path}: invalid: {count}; nothing exported")
        return 1
    events, title = timeline.events, None
    try:
        if arguments.story:
            events = story_events(timeline, arguments.story)
            title = timeline.stories[arguments.story].title
        content = render(timeline, events, arguments.export_format, title=title).encode("utf-8")
    except (UnknownStory, NoEvents) as error:
        output.problems(f"{timeline.path}: error: {error}")
        return 1
    if arguments.out == "-":
        output.data(content)
        return 0
    try:
        Path(arguments.out).write_bytes(content)
    except OSError as error:
        output.problems(f"{arguments.out}: error: cannot write: {error.strerror}")
        return 1
    count = plural(len(chronological(events)), "event")
    output.results(f"{arguments.out}: {count} from {timeline.path} as {arguments.export_format}")
    return 0
