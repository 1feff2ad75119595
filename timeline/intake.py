"""Taking articles in: their candidates added or linked, a new article's source registered.

`plan_candidates` is the one planning of what extracted candidates change in the events file's
bytes, for `extract --into` and `add-article` alike, without writing: a candidate that reports
an event already in the file (extract's `same_as`) becomes a further source of that event
(timeline.edits: its citation and new figures inserted, no other line changed); the others new
to the file are appended as `status: candidate` events; a candidate whose words the file
already cites is present, and one whose words a rejected event cites is never added again.
`only=` keeps the chosen candidates (each a `Pick`: the sentence it quotes and where its date
expression starts), as the corpus view sends them.

`plan_add_article` first registers a `NewArticle` as a source (unless it is one already,
recognised by its file or by identical content). `save` writes a plan atomically, under the
file's lock, refusing if the file changed since it was read; a second run finds everything
present and adds nothing.

The article must lie in the events file's folder tree: `file` is kept relative to that folder
so that quotes can be checked wherever the folder is copied.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from timeline.articles import read_article
from timeline.candidates import Candidate, CandidateEvent
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
from timeline.errors import TimelineError, UnknownSource, UnreadableArticle
from timeline.extract import Article, EventsFileError, event_record, extract, source_for
from timeline.load import parse_timeline
from timeline.model import Source, Timeline
from timeline.review import REJECTED
from timeline.words import plural
from timeline.write import event_block, plan_append, rewrite

PUBLISHED_NOTE = "Given on the command line (--published)."
# Words that name what an outlet is rather than which one it is: "BBC News" -> "bbc".
_GENERIC = frozenset({"the", "news", "service", "services", "agency", "network", "online"})


class ArticleOutside(TimelineError):
    """The article is not in the events file's folder tree, so a source cannot name its file."""


@dataclass(frozen=True)
class NewArticle:
    """An article to register as a source: its file, outlet, publication day, address, byline."""

    file: str | Path
    outlet: str
    published: date
    url: str | None = None
    author: str | None = None


@dataclass(frozen=True, slots=True)
class Pick:
    """One candidate of an article, named by the sentence it quotes and the offset where its
    date expression starts: the same for every extraction of the same text."""

    quote: str
    start: int

    @classmethod
    def of(cls, member: Candidate) -> Pick:
        """The pick that names this candidate."""
        return cls(member.sentence, member.anchor.start)


@dataclass(frozen=True)
class IntakePlan:
    """What taking candidates in does: the new bytes, and what was added, linked and skipped."""

    data: bytes
    new_data: bytes
    added: list[str]
    linked: list[tuple[str, str]]  # (candidate id, id of the event it became a source of)
    present: int
    rejected: int
    source_id: str | None = None  # add-article's source, registered now or before
    source_added: bool = False

    @property
    def changed(self) -> bool:
        """Whether the file would change."""
        return self.new_data != self.data

    def summary(self, name: str, article: str) -> str:
        """One line saying what was (or would be) done; `article` names what was read."""
        registered = f"source '{self.source_id}' already there; " if self.source_id else ""
        if not self.changed:
            return f"{name}: nothing to add from {article} ({registered}{self._skipped()})"
        parts = []
        if self.source_added:
            parts.append(f"registered source '{self.source_id}'")
        parts.append(f"added {plural(len(self.added), 'candidate event')}")
        if self.linked:
            targets = ", ".join(
                f"'{target}'" for target in dict.fromkeys(t for _, t in self.linked)
            )
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


def read_events(events_path: str | Path) -> bytes:
    """The events file's bytes; EventsFileError when it cannot be read."""
    try:
        return Path(events_path).read_bytes()
    except OSError as error:
        raise EventsFileError(
            str(events_path), f"cannot read the events file: {error.strerror}"
        ) from None


def valid_timeline(data: bytes, events_path: str | Path) -> Timeline:
    """The timeline of the events file's bytes; EventsFileError when it has errors (nothing is
    added to a file that does not validate)."""
    name = str(events_path)
    timeline = parse_timeline(data, name, Path(events_path).parent)
    if timeline.errors:
        raise EventsFileError(
            name,
            f"the file has {plural(len(timeline.errors), 'error')} (run: python -m timeline "
            f"validate {name}); nothing added",
        )
    return timeline


def plan_candidates(
    data: bytes,
    events_path: str | Path,
    timeline: Timeline,
    events: Sequence[CandidateEvent],
    *,
    steps: Sequence[Step] = (),
    only: Collection[Pick] | None = None,
    what: str = "adding the candidates",
) -> IntakePlan:
    """What taking the candidates (only the chosen ones, given `only`) into the file's bytes
    would do, after `steps`; nothing is written. Raises UnknownSource for an article the file
    cannot cite, NotEditable or EditRejected for a change that cannot be made."""
    name, base_dir = str(events_path), Path(events_path).parent
    picked = set(only) if only is not None else None
    chosen = [
        event
        for event in events
        if picked is None or any(Pick.of(member) in picked for member in event.members)
    ]
    _check_cited(chosen, name)
    rejected = rejected_quotes(timeline)
    cited = {(c.source, c.quote) for e in timeline.events for c in e.sources}
    present = {
        (str(e.date), frozenset(e.places), c.quote) for e in timeline.events for c in e.sources
    }
    doc = Document.read(data, name)
    planned, blocks, added, linked = list(steps), [], [], []
    linked_now: set[tuple[str, str, str]] = set()  # (event, source, quote) cited by this plan
    known = turned_down = 0
    for event in chosen:
        record = event_record(event)
        quotes = [(c["source"], c["quote"]) for c in record["sources"]]
        target = _link_target(timeline, event.same_as)
        if any(quote in rejected for quote in quotes):
            turned_down += 1
        elif any(quote in cited for quote in quotes) or any(
            (record["date"], frozenset(event.places), quote) in present for _, quote in quotes
        ):
            known += 1
        elif target is None:
            blocks.append(event_block(record))
            added.append(record["id"])
        else:
            # Two clauses of one sentence may report the same event: cite their words once.
            new = [
                c for c in record["sources"] if (target, c["source"], c["quote"]) not in linked_now
            ]
            if not new:
                known += 1
                continue
            planned += further_source_steps(doc, {**record, "sources": new}, target)
            linked_now.update((target, c["source"], c["quote"]) for c in new)
            linked.append((record["id"], target))
    new_data = plan_edit(data, planned, name, base_dir, what, validate=False)
    if blocks:
        new_data = plan_append(new_data, blocks, name, base_dir)  # validates the whole file
    elif new_data != data:
        check(data, new_data, name, base_dir, what)
    return IntakePlan(data, new_data, added, linked, known, turned_down)


def plan_add_article(
    data: bytes,
    events_path: str | Path,
    article: NewArticle,
    only: Collection[Pick] | None = None,
) -> IntakePlan:
    """What adding the article to the events file's bytes would do; nothing is written."""
    timeline = valid_timeline(data, events_path)
    file = relative_file(article.file, events_path)
    try:
        raw = Path(article.file).read_bytes()
    except OSError as error:
        raise UnreadableArticle(f"cannot read '{article.file}': {error.strerror}") from None
    text = read_article(article.file)
    steps: list[Step] = []
    source = registered_source(timeline, article.file, raw)
    if source is None:
        record = {
            "id": source_id(article.outlet, article.published, set(timeline.sources)),
            "outlet": article.outlet,
            "published": article.published.isoformat(),
            "published_note": PUBLISHED_NOTE,
            "file": file,
            "url": article.url,
            "author": article.author,
        }
        steps.append(InsertSource(record))
        source = Source(
            record["id"], article.outlet, parse_date(record["published"]), PUBLISHED_NOTE,
            file=file,
        )  # fmt: skip
    taken_in = Article(str(article.file), text, article.published, "--published", source)
    plan = plan_candidates(
        data, events_path, timeline, extract([taken_in], timeline),
        steps=steps, only=only, what=f"adding {article.file}",
    )  # fmt: skip
    return dataclasses.replace(plan, source_id=source.id, source_added=bool(steps))


def save(events_path: str | Path, plan: IntakePlan) -> str:
    """Write the plan in one atomic write under the file's lock, refused (FileChanged) unless
    the file still holds the bytes it was planned from; return which lines changed."""
    if plan.changed:
        rewrite(events_path, lambda _: plan.new_data, hashlib.sha256(plan.data).hexdigest())
    return changed_lines(plan.data, plan.new_data)


def add_article(
    events_path: str | Path,
    article: NewArticle,
    dry_run: bool = False,
    only: Collection[Pick] | None = None,
) -> tuple[IntakePlan, str]:
    """Add the article (unless dry_run) in one atomic write; return the plan and which lines
    changed (or would change)."""
    data = read_events(events_path)
    plan = plan_add_article(data, events_path, article, only)
    if dry_run:
        return plan, changed_lines(data, plan.new_data)
    return plan, save(events_path, plan)


def _check_cited(events: Sequence[CandidateEvent], name: str) -> None:
    for event in events:
        for member in event.members:
            if member.article.source_id is None:
                path = member.article.path
                raise UnknownSource(
                    f"{path} is not the file of any source in {name} (register it with: "
                    f"python -m timeline add-article {path} --outlet NAME --published "
                    f"YYYY-MM-DD --into {name}; it extracts and adds in the same write)"
                )


def _link_target(timeline: Timeline, event_id: str | None) -> str | None:
    # A rejected event is no home for further sources: the candidate is offered on its own.
    if event_id is None:
        return None
    found = timeline.events_with_ids([event_id])
    return event_id if found and found[0].status != REJECTED else None
