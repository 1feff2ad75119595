"""Taking a new article in: its source registered, its candidates added or linked, in one write.

`plan_add_article` reads the events file's bytes and an article and returns what adding the
article changes, without writing: a `sources` entry (unless the article is a source already,
recognised by its file or by identical content), the extracted candidates new to the file
appended as `status: candidate` events, and each candidate that reports an event already in
the file (extract's `same_as`) made a further source of that event instead (timeline.edits:
its citation and figures inserted, no other line changed). Candidates whose words a rejected
event cites are never added again. `add_article` writes the plan atomically, under the file's
lock, refusing if the file changed in between; a second run finds everything present and adds
nothing.

The article must lie in the events file's folder tree: `file` is kept relative to that folder
so that quotes can be checked wherever the folder is copied.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from timeline.articles import read_article
from timeline.dates import parse_date
from timeline.edits import (
    Document,
    InsertSource,
    Step,
    changed_lines,
    check,
    further_source_steps,
    plan_edit,
)
from timeline.errors import TimelineError
from timeline.extract import (
    Article,
    EventsFileError,
    event_record,
    extract,
    plan_merge,
    source_for,
)
from timeline.load import parse_timeline
from timeline.model import Source, Timeline
from timeline.review import REJECTED
from timeline.words import plural
from timeline.write import plan_append, rewrite

PUBLISHED_NOTE = "Given on the command line (--published)."
# Words that name what an outlet is rather than which one it is: "BBC News" -> "bbc".
_GENERIC = frozenset({"the", "news", "service", "services", "agency", "network", "online"})


class ArticleOutside(TimelineError):
    """The article is not in the events file's folder tree, so a source cannot name its file."""


@dataclass(frozen=True)
class AddPlan:
    """What adding an article does: the new bytes, and what was added, linked and skipped."""

    data: bytes
    new_data: bytes
    source_id: str
    source_added: bool
    added: list[str]
    linked: list[tuple[str, str]]  # (candidate id, id of the event it became a source of)
    present: int
    rejected: int

    @property
    def changed(self) -> bool:
        """Whether the file would change."""
        return self.new_data != self.data

    def summary(self, name: str, article: str) -> str:
        """One line saying what was (or would be) done."""
        if not self.changed:
            return (
                f"{name}: nothing to add from {article} (source '{self.source_id}' already "
                f"there; {self._skipped()})"
            )
        parts = []
        if self.source_added:
            parts.append(f"registered source '{self.source_id}'")
        parts.append(f"added {plural(len(self.added), 'candidate event')}")
        if self.linked:
            targets = ", ".join(f"'{target}'" for _, target in self.linked)
            parts.append(f"{plural(len(self.linked), 'candidate')} cited by {targets}")
        return f"{name}: {'; '.join(parts)} ({self._skipped()})"

    def _skipped(self) -> str:
        rejected = f"; {self.rejected:,} rejected before" if self.rejected else ""
        return f"{self.present:,} already present{rejected}"


def source_id(outlet: str, published: date, taken: Sequence[str] | set[str]) -> str:
    """A source id from the outlet and the day: 'bbc-2022-09-12', '-2' and on when taken."""
    acronym = re.search(r"\(([A-Za-z/&.]{2,})\)", outlet)
    if acronym:
        words = [re.sub(r"[^a-z0-9]", "", acronym.group(1).lower())]
    else:
        words = [w for w in re.findall(r"[a-z0-9]+", outlet.lower()) if w not in _GENERIC][:3]
    base = "-".join([*words, published.isoformat()]) if words else f"source-{published}"
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def relative_file(article: str | Path, events_path: str | Path) -> str:
    """The article's path relative to the events file's folder, as a source's `file` holds it;
    raises ArticleOutside for an article outside that folder tree."""
    folder = Path(os.path.realpath(Path(events_path).parent))
    where = Path(os.path.realpath(article))
    if not where.is_relative_to(folder):
        seeds = Path(events_path).parent / "seeds"
        raise ArticleOutside(
            f"{article} is not in {folder}, the folder of {Path(events_path).name}, or below it "
            "(a source's file is kept relative to that folder, so that quotes can be checked "
            f"wherever it goes); copy it in first, e.g. cp {article} {seeds}/, and add the copy"
        )
    return where.relative_to(folder).as_posix()


def registered_source(timeline: Timeline, article: str | Path, raw: bytes) -> Source | None:
    """The source whose file is the article, or whose file has the same content."""
    found = source_for(str(article), timeline)
    if found is not None:
        return found
    digest = hashlib.sha256(raw).hexdigest()
    base = Path(timeline.path).parent
    for source in timeline.sources.values():
        if source.file:
            try:
                other = (base / source.file).read_bytes()
            except OSError:
                continue
            if hashlib.sha256(other).hexdigest() == digest:
                return source
    return None


def rejected_quotes(timeline: Timeline) -> set[tuple[str, str]]:
    """(source, quote) of every citation of a rejected event: words never to be added again."""
    return {
        (citation.source, citation.quote)
        for event in timeline.events
        if event.status == REJECTED
        for citation in event.sources
    }


def plan_add_article(
    data: bytes,
    events_path: str | Path,
    article: str | Path,
    outlet: str,
    published: date,
    url: str | None = None,
    author: str | None = None,
) -> AddPlan:
    """What adding the article to the events file's bytes would do; nothing is written."""
    name, base_dir = str(events_path), Path(events_path).parent
    timeline = parse_timeline(data, name, base_dir)
    if timeline.errors:
        raise EventsFileError(
            name,
            f"the file has {plural(len(timeline.errors), 'error')} (run: python -m timeline "
            f"validate {name}); nothing added",
        )
    file = relative_file(article, events_path)
    try:
        raw = Path(article).read_bytes()
    except OSError as error:
        raise TimelineError(f"cannot read '{article}': {error.strerror}") from None
    text = read_article(article)
    steps: list[Step] = []
    source = registered_source(timeline, article, raw)
    source_added = source is None
    if source is None:
        record = {
            "id": source_id(outlet, published, set(timeline.sources)),
            "outlet": outlet,
            "published": published.isoformat(),
            "published_note": PUBLISHED_NOTE,
            "file": file,
            "url": url,
            "author": author,
        }
        steps.append(InsertSource(record))
        source = Source(
            record["id"], outlet, parse_date(record["published"]), PUBLISHED_NOTE, file=file
        )
    the_article = Article(str(article), text, published, "--published", source)
    events = extract([the_article], timeline)
    rejected = rejected_quotes(timeline)
    fresh, linked, turned_down, cited = [], [], 0, 0
    doc = Document.read(data, name)
    for event in events:
        record = event_record(event)
        if any((c["source"], c["quote"]) in rejected for c in record["sources"]):
            turned_down += 1
            continue
        target = getattr(event, "same_as", None)
        target_event = _event(timeline, target)
        if target_event is None or target_event.status == REJECTED:
            fresh.append(event)
            continue
        link = further_source_steps(doc, record, target)
        if any(step.items for step in link if step.field == "sources"):
            steps.extend(link)
            linked.append((event.id, target))
        else:
            cited += 1
    plan = plan_merge(name, fresh, timeline)
    new_data = plan_edit(data, steps, name, base_dir, f"adding {article}", validate=False)
    if plan.blocks:
        new_data = plan_append(new_data, plan.blocks, name, base_dir)
    elif new_data != data:
        check(data, new_data, name, base_dir, f"adding {article}")
    added = [_block_id(block) for block in plan.blocks]
    present = plan.skipped + cited
    return AddPlan(
        data, new_data, source.id, source_added, added,
        linked, present, turned_down,
    )  # fmt: skip


def add_article(
    events_path: str | Path,
    article: str | Path,
    outlet: str,
    published: date,
    url: str | None = None,
    author: str | None = None,
    dry_run: bool = False,
) -> tuple[AddPlan, str]:
    """Add the article (unless dry_run) in one atomic write; return the plan and which lines
    changed. Refused (FileChanged) if the file changes while the plan is made."""
    try:
        data = Path(events_path).read_bytes()
    except OSError as error:
        raise EventsFileError(
            str(events_path), f"cannot read the events file: {error.strerror}"
        ) from None
    plan = plan_add_article(data, events_path, article, outlet, published, url, author)
    if dry_run or not plan.changed:
        return plan, changed_lines(data, plan.new_data)
    rewrite(events_path, lambda _: plan.new_data, hashlib.sha256(data).hexdigest())
    return plan, changed_lines(data, plan.new_data)


def _event(timeline: Timeline, event_id: str | None) -> Any:
    if event_id is None:
        return None
    found = timeline.events_with_ids([event_id])
    return found[0] if found else None


def _block_id(block: str) -> str:
    found = re.match(r"\s*-\s+id:\s*['\"]?([^'\"\s#]+)", block)
    return found.group(1) if found else "?"
