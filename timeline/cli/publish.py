"""Write one self-contained HTML page of a story: timeline, story mode, quotes, map.

The page shows the events of a story (or all events) with their quotes and sources, and needs
no network: open it from disk, send it, or host it anywhere. Nothing is written if the events
file has errors: they are printed instead (exit status 1).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from timeline.cli import output
from timeline.errors import UnknownStory
from timeline.export import NoEvents, chronological, story_events
from timeline.load import load_timeline
from timeline.publish import ALL_EVENTS, TooManyEvents, file_size_words, publish_html
from timeline.words import plural


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `publish`."""
    parser.add_argument("--story", help="only the events of this story id (title from the story)")
    parser.add_argument("--title", help="the page's heading (default: the story's title)")
    parser.add_argument("--out", required=True, help="the HTML file to write, e.g. story.html")
    output.add_events_file(parser)


def run(arguments: argparse.Namespace) -> int:
    """Write the page; 1 for an invalid file, unknown story, no or too many events, or an
    unwritable output."""
    timeline = load_timeline(arguments.file)
    if not timeline.ok:
        count = plural(len(timeline.errors), "error")
        output.problems(*timeline.errors, f"{timeline.path}: invalid: {count}; nothing published")
        return 1
    try:
        page = publish_html(timeline, arguments.story, title=arguments.title)
    except (UnknownStory, NoEvents, TooManyEvents) as error:
        output.problems(f"{timeline.path}: error: {error}")
        return 1
    content = page.encode("utf-8")
    try:
        Path(arguments.out).write_bytes(content)
    except OSError as error:
        output.problems(f"{arguments.out}: error: cannot write: {error.strerror}")
        return 1
    if arguments.story:
        events = story_events(timeline, arguments.story)
        heading = arguments.title or timeline.stories[arguments.story].title
    else:
        events, heading = timeline.events, arguments.title or ALL_EVENTS
    count = plural(len(chronological(events)), "event")
    output.results(f"{arguments.out}: {count} of '{heading}', {file_size_words(len(content))}")
    return 0
