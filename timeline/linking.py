"""Which event of the file a candidate reports (`same_as`), and which candidates of several
articles report the same event."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from timeline.candidates import Candidate, CandidateEvent
from timeline.clauses import split_background
from timeline.headlines import LEAD
from timeline.model import Event, Timeline

SAME_EVENT_SIMILARITY = 0.3  # Jaccard of content words; conservative, merging is hard to undo
LINK_DAYS_APART = 1  # reports of one event may disagree by a day (night, time zones)
LINK_MAX_DAYS = 8  # an event longer than this is a period, not the event a report is about
LINK_SIMILAR = 0.45  # share of the clause's content words in an event's wording: the same report
LINK_RELATED = 0.15  # … enough with a shared place, actor or figure and a compatible category
LINK_RELATED_OTHER = 0.35  # … with a shared place, actor or figure but another category
LINK_MIN_WORDS = 3  # wording alone links only with at least this many content words shared


@dataclass(frozen=True)
class LinkIndex:
    """The events of a file by first day, with the content words of their titles and quotes
    (found when first asked for): what same_as searches, built once per extraction."""

    firsts: list[date]
    events: list[Event]
    countries: frozenset[str]
    wording: dict[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_timeline(cls, timeline: Timeline) -> LinkIndex:
        """The index of a loaded events file."""
        ordered = sorted(timeline.events, key=lambda event: event.date.first)
        countries = frozenset(p.id for p in timeline.places.values() if p.kind == "country")
        return cls([event.date.first for event in ordered], ordered, countries)

    def around(self, first: date, last: date, longest: int) -> list[Event]:
        """The events that may overlap first..last (give or take LINK_DAYS_APART) and last at
        most `longest` days."""
        slack = timedelta(days=LINK_DAYS_APART)
        low = bisect.bisect_left(self.firsts, first - slack - timedelta(days=longest))
        high = bisect.bisect_right(self.firsts, last + slack)
        return self.events[low:high]

    def words(self, event: Event) -> frozenset[str]:
        """The content words of an event's title and quotes."""
        if event.id not in self.wording:
            quotes = " ".join([event.title, *(c.quote for c in event.sources)])
            self.wording[event.id] = frozenset(content_words(quotes))
        return self.wording[event.id]


_SAYS = re.compile(r"\bsays?\b|\A[A-Z][\w ]{1,20}:")  # "Mayor says …", "ISW: …"
_OWN_DEED_ANNOUNCED = re.compile(
    r"(?i)\b(?:(?:its|their|our)\s+(?:troops|forces|army|units|soldiers)|it|they|we)\s+"
    r"(?:would|will|were\s+going\s+to)\b"
)


def same_as(candidate: Candidate, timeline: Timeline, index: LinkIndex | None = None) -> str | None:
    """The id of the event of the file the candidate reports, or None (`index`: the file's
    LinkIndex, when several candidates are linked against the same file).

    The event must cover the candidate's days (give or take LINK_DAYS_APART) and be no longer
    than LINK_MAX_DAYS (or three times the candidate). Then it is the same event when it
    already cites these words of this article; or its title and quotes share LINK_SIMILAR of
    the clause's content words (at least LINK_MIN_WORDS); or, on overlapping days, it shares a
    place (not a whole country), an actor or a figure and LINK_RELATED of the words
    (LINK_RELATED_OTHER when the categories differ and only one of them is shared); or,
    failing all that, it is the only curated advance or withdrawal at a shared place that
    covers the candidate's days, or, for a candidate with its own date that names no place
    inside a country ('the October 10 strikes'), the only curated event of its category on
    exactly its days sharing LINK_RELATED of the words. Curated events win over extracted
    ones, then the closest wording, then the narrower event; such a lone event of the same
    category wins over a link of another category that does not cite the words. Weaker
    evidence (a shared name and some words) needs overlapping days and a candidate not far
    longer than the event.
    """
    clause = candidate.article.text[candidate.clause[0] : candidate.clause[1]]
    clause = clause or candidate.sentence
    category = candidate.category
    if category == "statement" and _OWN_DEED_ANNOUNCED.search(clause):
        category = candidate.about or category  # "Russia announced its troops would leave"
    words = content_words(split_background(clause)[0])  # not the "after …" it follows
    figures = {(f["value"], f["unit"]) for f in candidate.figures}
    first, last = candidate.date.first, candidate.date.last
    slack = timedelta(days=LINK_DAYS_APART)
    best: tuple[tuple[bool, bool, float, bool], str] | None = None
    only: list[Event] = []
    index = index or LinkIndex.from_timeline(timeline)
    countries = index.countries  # sharing a whole country says little about being the same event
    longest = max(LINK_MAX_DAYS, 3 * candidate.date.days)
    for event in index.around(first, last, longest):
        if first > event.date.last + slack or last < event.date.first - slack:
            continue
        if event.date.days > longest:
            continue
        cites = any(
            citation.source == candidate.article.source_id
            and (LEAD.sub("", clause).strip(" ,;:.") in citation.quote or citation.quote in clause)
            for citation in event.sources
        )
        places = set(candidate.places) & set(event.places) - countries
        shared = (
            places
            | (set(candidate.actors) & set(event.actors))
            | (figures & {(f.value, f.unit) for f in event.figures})
        )
        about = index.words(event)
        overlap = len(words & about) / len(words) if words else 0.0
        alike = event.category == category
        overlapping = first <= event.date.last and event.date.first <= last
        measured = {(f.measure, f.unit): f.value for f in event.figures}
        conflict = any(
            measured.get((f["measure"], f["unit"]), f["value"]) != f["value"]
            for f in candidate.figures
        )
        if conflict and not overlapping:
            continue  # another count of the same thing on other days: another claim
        # what someone says of an event is not the event (unless the file's event is a saying)
        said = category == "statement" and event.category != "statement"
        if said and not cites and not _SAYS.search(event.title):
            continue
        elsewhere = set(candidate.places) - countries and set(event.places) - countries
        if not overlapping and not cites and (not alike or (elsewhere and not places)):
            continue  # a day apart is a report's error only for the same kind at the same place
        close = alike or len(shared) >= 2  # same kind of event, or same people at the same place
        narrow = candidate.date.days <= max(2 * LINK_MAX_DAYS, 3 * event.date.days)
        related = (
            overlapping
            and narrow
            and shared
            and overlap >= (LINK_RELATED if close else LINK_RELATED_OTHER)
        )  # weaker evidence: the days must overlap, not only be a day apart, and a month is
        # not a day's event on a shared name alone
        inside = event.date.first <= first and last <= event.date.last
        same_days = (event.date.first, event.date.last) == (first, last)
        # a place changes hands once: an advance into it is the advance the file has; and an
        # event of the same kind at the same place on exactly the same days is that event
        held = places and inside and (event.category in ("advance", "withdrawal") or same_days)
        # a report that names no place, of the only event of its kind on exactly its day
        dated = same_days and not candidate.inherited and not set(candidate.places) - countries
        dated = dated and overlap >= LINK_RELATED
        if event.category == category and event.origin != "extracted" and (held or dated):
            only.append(event)
        similar = overlap >= LINK_SIMILAR and len(words & about) >= LINK_MIN_WORDS
        if not (cites or similar or related):
            continue
        closeness = -0.02 * min(event.date.days - 1, 10)  # the narrower event, all else equal
        score = overlap + 0.1 * len(shared) + 0.1 * alike + closeness
        rank = (event.origin != "extracted", cites, score, alike)
        if best is None or rank > best[0]:
            best = (rank, event.id)
    held = only[0].id if len(only) == 1 else None
    if best is not None and (held is None or best[0][1] or best[0][3]):
        return best[1]  # unless a lone same-kind event beats a link of another kind
    return held


_STOPWORDS = frozenset(
    "the and that with from this have were said says been their they will which would about "
    "after also into more than over some there when where what while other its his her for "
    "on in at by of to a an is are was it as but not has had".split()
)


def group_same_events(candidates: Sequence[Candidate]) -> list[CandidateEvent]:
    """Candidates grouped when articles report the same event; otherwise one group each."""
    events: list[CandidateEvent] = []
    for candidate in candidates:
        home = next((event for event in events if _joins(event, candidate)), None)
        if home is None:
            events.append(CandidateEvent([candidate]))
        else:
            home.members.append(candidate)
    return events


def _joins(event: CandidateEvent, candidate: Candidate) -> bool:
    if any(member.article.path == candidate.article.path for member in event.members):
        return False  # one article, one sentence per event: never merge within an article
    return any(same_event(member, candidate) for member in event.members)


def same_event(a: Candidate, b: Candidate) -> bool:
    """Same span of days, at least one shared place, and similar wording."""
    return (
        (a.date.first, a.date.last) == (b.date.first, b.date.last)
        and bool(set(a.places) & set(b.places))
        and similarity(a.sentence, b.sentence) >= SAME_EVENT_SIMILARITY
    )


def similarity(first: str, second: str) -> float:
    """Jaccard similarity of two sentences' content words (crudely stemmed)."""
    a, b = content_words(first), content_words(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def content_words(text: str) -> set[str]:
    words = (word for word in _WORDS.findall(text.lower()) if word not in _STOPWORDS)
    return {_stem(word) for word in words if len(word) > 2}


_WORDS = re.compile(r"[a-z0-9]+")
_SUFFIX = re.compile(r"(?:ing|ed|es|s)$")


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _SUFFIX.sub("", word)
