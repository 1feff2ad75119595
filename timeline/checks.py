"""Checks across records, run once on the records both loaders build.

What one record cannot check alone: unique ids, references that resolve, quotes found verbatim
in their articles, citation dates within their event's date, figures citing a cited source,
links to other events, event dates within their stories. Problems go to a `Report`: the exact
path (load.py) turns them into positioned Problems, the fast path (fastload.py) gives up on the
first one and leaves the file to the exact path.

The exact path also passes `Unfinished` records: what it could read of a record with errors,
so that a reference or a quote in an invalid event is still checked and reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Container, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from timeline.articles import decode_article
from timeline.errors import Severity, UnreadableArticle
from timeline.model import MAX_BYTES, Event, Source, Story
from timeline.schema import SECTIONS, SINGULAR

# Where in a record: a field's name, or a list field's name and the index of one item in it.
Where = str | tuple[str, int]


class Report(Protocol):
    """Where the checks send what they find."""

    def __call__(self, record: Any, where: Where, severity: Severity, message: str) -> None:
        """Report a problem with a field of a record."""

    def line(self, record: Any, where: Where) -> int:
        """The line a field of a record is on, for messages that point at another record."""


class Unfinished:
    """What could be read of a record with errors: its fields, None where unreadable."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> None:
        if name.startswith("__"):
            raise AttributeError(name)
        return None  # a field that was missing or unreadable


def complete(record: Any) -> bool:
    """Whether a record was built whole (not Unfinished)."""
    return not isinstance(record, Unfinished)


def check_records(
    sections: Mapping[str, Sequence[Any]],
    base_dir: Path,
    report: Report,
    only: Container[int] | None = None,
) -> dict[str, list[Any]]:
    """Check records across sections; return each section's complete records, first of each id.

    `sections` holds every record read, complete or Unfinished, in file order. `only`, when
    given, names the events (by id()) whose own checks run: the others are known to pass them
    (incremental.py).
    """
    unique = {section: _unique(sections.get(section, ()), report) for section in SECTIONS}
    events: Sequence[Event] = unique["events"]
    every_event = sections.get("events", ())
    if only is not None:
        events = [event for event in events if id(event) in only]
        every_event = [event for event in every_event if id(event) in only]
    for event in events:
        _check_event(event, report)
    texts = read_articles(unique["sources"], base_dir, report)
    _check_quotes(every_event, texts, report)
    _check_references(sections, every_event, report)
    _check_story_dates(events, {story.id: story for story in unique["stories"]}, report)
    return unique


class Silent:
    """A Report that drops what it is told: for reading what the checks read, without them."""

    def __call__(self, record: Any, where: Where, severity: Severity, message: str) -> None:
        """Report nothing."""

    def line(self, record: Any, where: Where) -> int:
        """No line."""
        return 0


def first_of_each_id(records: Iterable[Any]) -> list[Any]:
    """The records check_records keeps: complete ones with an id not seen before."""
    return _unique(records, Silent())


def _unique(records: Iterable[Any], report: Report) -> list[Any]:
    """Complete records with an id not seen before; later ones with a seen id are reported."""
    first: dict[str, Any] = {}
    kept = []
    for record in records:
        if record.id is None:
            continue
        seen = first.setdefault(record.id, record)
        if seen is not record:
            line = report.line(seen, "id")
            message = f"duplicate id '{record.id}' (first defined at line {line})"
            report(record, "id", Severity.ERROR, message)
        elif complete(record):
            kept.append(record)
    return kept


def _check_event(event: Event, report: Report) -> None:
    """What an event can check alone: citation dates, the sources of figures, links."""
    for citation in event.sources:
        if citation.date is not None and not event.date.covers(citation.date):
            report(
                citation,
                "date",
                Severity.ERROR,
                f"citation date '{citation.date}' lies outside the event's date "
                f"'{event.date}' (expected the event's date to cover every source's date)",
            )
    cited = {citation.source for citation in event.sources}
    for figure in event.figures:
        if figure.source not in cited:
            report(
                figure,
                "source",
                Severity.ERROR,
                f"figure '{figure.measure}' cites source '{figure.source}', which the event "
                f"does not cite (expected one of: {', '.join(sorted(cited))})",
            )
    if any(link.event == event.id for link in event.links):
        report(event, "links", Severity.ERROR, "links: an event cannot link to itself")


def read_articles(sources: Iterable[Source], base_dir: Path, report: Report) -> dict[str, str]:
    """The text of every source's article file, by source id; unreadable ones are reported."""
    texts: dict[str, str] = {}
    for source in sources:
        if source.file is None:
            continue
        try:
            path = base_dir / source.file
            # Only regular files, and not huge ones: /dev/zero or a FIFO would never end.
            if path.exists() and not path.is_file():
                message = f"file: '{source.file}' is not a regular file"
            elif path.exists() and path.stat().st_size > MAX_BYTES:
                message = f"file: '{source.file}' is larger than {MAX_BYTES:,} bytes"
            else:
                texts[source.id] = decode_article(path.read_bytes())
                continue
        except OSError as error:
            message = f"file: cannot read '{source.file}': {error.strerror}"
        except ValueError:  # a path with a NUL character
            message = f"file: {source.file!r} is not a usable file path"
        except UnreadableArticle as error:
            message = f"file: '{source.file}': {error}"
        report(source, "file", Severity.ERROR, message)
    return texts


def _check_quotes(events: Iterable[Any], texts: Mapping[str, str], report: Report) -> None:
    """Every quote must appear verbatim in the text of its source's article."""
    found: set[tuple[str, str]] = set()  # events often quote the same passage: look it up once
    for event in events:
        for citation in event.sources or ():
            source, quote = citation.source, citation.quote
            text = texts.get(source)
            if text is None or quote is None or (source, quote) in found:
                continue
            if quote in text:
                found.add((source, quote))
            else:
                report(citation, "quote", Severity.ERROR, quote_mismatch(quote, text, source))


def _check_references(
    sections: Mapping[str, Sequence[Any]], events: Iterable[Any], report: Report
) -> None:
    """Every id an event refers to names a record of its section (possibly an invalid one)."""
    defined = {
        section: {record.id for record in sections.get(section, ()) if record.id}
        for section in SECTIONS
    }
    stories, places, actors = defined["stories"], defined["places"], defined["actors"]
    sources, event_ids = defined["sources"], defined["events"]
    for event in events:
        # Whole lists at once first: at 100,000 events this is most of the time spent here.
        for field, values, known in (
            ("stories", event.stories, stories),
            ("actors", event.actors, actors),
            ("places", event.places, places),
        ):
            if values and not known.issuperset(values):
                for index, value in enumerate(values):
                    if value not in known:
                        _unknown(event, (field, index), field, value, sections, report)
        for citation in event.sources or ():
            if citation.source is not None and citation.source not in sources:
                _unknown(citation, "source", "sources", citation.source, sections, report)
        for figure in event.figures or ():
            if figure.claimant is not None and figure.claimant not in actors:
                _unknown(figure, "claimant", "actors", figure.claimant, sections, report)
        for link in event.links or ():
            if link.event is not None and link.event not in event_ids:
                _unknown(link, "event", "events", link.event, sections, report)


def _unknown(
    record: Any,
    where: Where,
    section: str,
    value: Any,
    sections: Mapping[str, Sequence[Any]],
    report: Report,
) -> None:
    known = list(dict.fromkeys(r.id for r in sections.get(section, ()) if r.id))  # file order
    close = difflib.get_close_matches(value, known, n=1) if isinstance(value, str) else []
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    report(record, where, Severity.ERROR, f"unknown {SINGULAR[section]} '{value}'{hint}")


def _check_story_dates(events: Iterable[Event], stories: dict[str, Story], report: Report) -> None:
    for event in events:
        for story_id in event.stories:
            story = stories.get(story_id)
            if story is None:
                continue
            span = story.date
            if not (span.first <= event.date.last and event.date.first <= span.last):
                report(
                    event,
                    "date",
                    Severity.WARNING,
                    f"date '{event.date}' lies outside story '{story_id}' ({span})",
                )


def references(event: Event) -> list[tuple[str, str]]:
    """Every (kind, id) an event needs in order to be shown: links are not needed."""
    return [
        *(("story", story) for story in event.stories),
        *(("place", place) for place in event.places),
        *(("actor", actor) for actor in event.actors),
        *(("source", citation.source) for citation in event.sources),
        *(("source", figure.source) for figure in event.figures),
    ]


def quote_mismatch(quote: str, text: str, source: str) -> str:
    """Say how much of a quote matches and where it departs from the article."""
    low, high = 0, len(quote)
    while low < high:
        middle = (low + high + 1) // 2
        if quote[:middle] in text:
            low = middle
        else:
            high = middle - 1
    lookalike = _lookalike_difference(quote, text)
    if lookalike:
        return f"quote not found verbatim in source '{source}': {lookalike}"
    if low < 10:
        return f"quote not found verbatim in source '{source}' (expected text copied exactly)"
    start = text.find(quote[:low])
    found = text[start + low : start + low + 20]
    expected = quote[low : low + 20]
    matched = quote[max(0, low - 15) : low]
    return (
        f"quote not found verbatim in source '{source}': the first {low} characters match "
        f"(…{matched!r}), then the article has {found!r} where the quote has {expected!r}"
    )


# Characters that look alike in most fonts; quotes copied by hand often swap them.
_LOOKALIKES = str.maketrans(
    {"’": "'", "‘": "'", "ʼ": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}
)


def _lookalike_difference(quote: str, text: str) -> str | None:
    """Where a quote differs from the article only by look-alike punctuation, say so."""
    folded_quote, folded_text = quote.translate(_LOOKALIKES), text.translate(_LOOKALIKES)
    start = folded_text.find(folded_quote)
    if start < 0:
        return None
    original = text[start : start + len(quote)]
    index = next(i for i, (a, b) in enumerate(zip(original, quote, strict=True)) if a != b)
    return (
        f"at character {index + 1} the article has {original[index]!r} where the quote has "
        f"{quote[index]!r} (copy apostrophes, quotation marks and dashes exactly: "
        f"{original[max(0, index - 15) : index + 15]!r})"
    )
