"""Which event of the file a candidate reports (`same_as`), and which candidates of several
articles report the same event."""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
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
# A country named by at most this share of the file's events ("Moldova" here, not "Ukraine")
# is a place like any other: sharing it says the reports are about the same thing.
RARE_PLACE_SHARE = 0.05
LINK_HELD_DAYS = 62  # a place's change of hands may be filed as a period ("the first weeks")
FLASHBACK_DAYS = 14  # a day this long before publication, named in passing, is a past event


@dataclass(frozen=True)
class LinkIndex:
    """The events of a file by first day, with the content words of their titles and quotes
    (found when first asked for): what same_as searches, built once per extraction."""

    firsts: list[date]
    events: list[Event]
    countries: frozenset[str]  # the countries many events name: sharing one says little
    enclosing: dict[str, frozenset[str]] = field(default_factory=dict)
    wording: dict[str, frozenset[str]] = field(default_factory=dict)
    sites: frozenset[str] = frozenset()  # places of kind "site": a bridge, a power plant

    @classmethod
    def from_timeline(cls, timeline: Timeline) -> LinkIndex:
        """The index of a loaded events file."""
        ordered = sorted(timeline.events, key=lambda event: event.date.first)
        named = Counter(place for event in timeline.events for place in set(event.places or ()))
        countries = frozenset(
            p.id
            for p in timeline.places.values()
            if p.kind == "country" and named[p.id] > RARE_PLACE_SHARE * len(timeline.events)
        )
        sites = frozenset(p.id for p in timeline.places.values() if p.kind == "site")
        return cls(
            [event.date.first for event in ordered],
            ordered,
            countries,
            enclosing(timeline),
            sites=sites,
        )

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


def enclosing(timeline: Timeline) -> dict[str, frozenset[str]]:
    """Each place's enclosing places of the gazetteer: the places its `region` and `country`
    name ('Balakliia' lies in 'Kharkiv Oblast', in 'Ukraine')."""
    ids = {
        name: place.id
        for place in timeline.places.values()
        for name in (place.name, *place.aliases)
    }
    return {
        place.id: frozenset(ids[name] for name in (place.region, place.country) if name in ids)
        for place in timeline.places.values()
    }


_SAYS = re.compile(r"\bsays?\b|\A[A-Z][\w ]{1,20}:")  # "Mayor says …", "ISW: …"
# What makes an event of its own within a kind: the two must agree on each (an interception
# is not the strike it stopped, a repair not the outage it ends).
_ASPECTS = (
    re.compile(
        r"(?i)\b(?:intercept\w*|sh(?:o|oo)t\w*\s+(?:\w+\s+){0,4}?down|down(?:ed|s)\s+\w+|"
        r"air\s+defen[cs]es?)"
    ),
    re.compile(r"(?i)\b(?:restor\w*|reconnect\w*|repair\w*|came\s+back|back\s+on)\b"),
    # a nuclear plant's reactors shut down is not the region's blackouts of that day
    re.compile(r"(?i)\b(?:nuclear|reactors?|NPP|cold\s+shutdown)\b"),
)
# "75 missiles, 41 of which were shot down": what a relative clause adds about a noun of the
# clause (its part, its fate) is no aspect of the clause's own event.
_RELATIVE_ASIDE = re.compile(r",\s+(?:[\w'’-]+\s+){0,3}?(?:of\s+)?(?:which|whom)\b[^,;]*")
_OWN_DEED_ANNOUNCED = re.compile(
    r"(?i)\b(?:(?:its|their|our)\s+(?:troops|forces|army|units|soldiers)|it|they|we)\s+"
    r"(?:would|will|were\s+going\s+to)\b"
)


def same_as(candidate: Candidate, timeline: Timeline, index: LinkIndex | None = None) -> str | None:
    """The id of the event of the file the candidate reports, or None (`index`: the file's
    LinkIndex, when several candidates are linked against the same file).

    The event must cover the candidate's days (give or take LINK_DAYS_APART) and be no longer
    than LINK_MAX_DAYS (or three times the candidate; an advance or withdrawal up to
    LINK_HELD_DAYS, for the lone-event rule only). Then it is the same event when it already
    cites these words of this article; or its title and quotes share LINK_SIMILAR of the
    clause's content words (at least LINK_MIN_WORDS); or, on overlapping days, it shares a
    place (not a country many events name), an actor or a figure and LINK_RELATED of the words
    (LINK_RELATED_OTHER when the categories differ and only one of them is shared); or,
    failing all that, it is the lone curated event of the candidate's category at a place it
    names or one that holds it (the gazetteer's region and country; a whole country only for a
    strike) on its days, or for an advance or withdrawal covering them or inside a month named
    in a flashback, or on exactly its days when it names no place inside a country (sharing
    LINK_RELATED of the words, unless its date names the event), or of any category at a site
    it names (a bridge, a plant) on exactly its days; or, for a day FLASHBACK_DAYS
    before publication, the one curated event of the file that day. Never an event that
    differs in an aspect (_ASPECTS), a country-wide event for a city's outage or repair, or,
    for a statement, an event that is not a saying. Curated events win over extracted ones,
    then the closest wording, then the narrower event; a lone event wins over a link by wording
    that is not of the same category, on overlapping days, at a shared place.
    """
    return same_as_how(candidate, timeline, index)[0]


def same_as_how(
    candidate: Candidate, timeline: Timeline, index: LinkIndex | None = None
) -> tuple[str | None, str]:
    """What `same_as` gives, and by which rule: 'cites' (the event already cites these
    words), 'similar' (shared wording), 'related' (a shared place, actor or figure and some
    wording), 'lone' (the one event of its kind there), 'flashback' (the one event of a
    past day), or '' for no event."""
    clause = candidate.article.text[candidate.clause[0] : candidate.clause[1]]
    clause = clause or candidate.sentence
    category = candidate.category
    if category == "statement" and _OWN_DEED_ANNOUNCED.search(clause):
        category = candidate.about or category  # "Russia announced its troops would leave"
    words = content_words(split_background(clause)[0])  # not the "after …" it follows
    own = _RELATIVE_ASIDE.sub("", clause)
    figures = {(f["value"], f["unit"]) for f in candidate.figures}
    first, last = candidate.date.first, candidate.date.last
    slack = timedelta(days=LINK_DAYS_APART)
    best: tuple[tuple[bool, bool, float, bool], str, bool, str] | None = None
    lone: list[tuple[bool, bool, tuple[int, float], Event]] = []  # see _only
    flashback: list[Event] = []
    index = index or LinkIndex.from_timeline(timeline)
    countries = index.countries  # sharing a whole country says little about being the same event
    longest = max(LINK_MAX_DAYS, 3 * candidate.date.days)
    changes_hands = category in ("advance", "withdrawal")
    named = set(candidate.places)
    # the candidate's places and those that enclose them: "Balakliia" is in "Kharkiv Oblast"
    within = named | {outer for place in named for outer in index.enclosing.get(place, ())}
    past = (candidate.article.published - last).days >= FLASHBACK_DAYS
    # what has gone on since a day until publication ("Since 10 October, attacks have …")
    ongoing = candidate.anchor.text.lower().startswith("since")
    searched = max(longest, LINK_HELD_DAYS) if changes_hands else longest
    for event in index.around(first, last, searched):
        if first > event.date.last + slack or last < event.date.first - slack:
            continue
        period = event.date.days > longest  # only the change of hands of a place may be one
        if period and not (changes_hands and event.category == category):
            continue
        cites = any(
            citation.source == candidate.article.source_id
            and (LEAD.sub("", clause).strip(" ,;:.") in citation.quote or citation.quote in clause)
            for citation in event.sources
        )
        places = named & set(event.places) - countries
        encloses = within & set(event.places)  # a city of a region or country the event names
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
        if not (cites or candidate.named) and any(
            bool(aspect.search(own)) != bool(aspect.search(event.title)) for aspect in _ASPECTS
        ):
            continue  # shooting missiles down is not the strike; restoring power not the cut
        local = named - countries and set(event.places) <= countries
        if local and category not in ("strike", "statement") and not cites:
            continue  # an outage or a repair in a city is not the country's (a strike is)
        elsewhere = named - countries and set(event.places) - countries
        if (
            not overlapping
            and not cites
            and (not alike or (elsewhere and not encloses - countries))
        ):
            continue  # a day apart is a report's error only for the same kind at the same place
        same_days = (event.date.first, event.date.last) == (first, last)
        curated = event.origin != "extracted"
        if past and same_days and curated and (not named or encloses) and first == last:
            flashback.append(event)  # "She remembers the morning of 24 February"
        inside = event.date.first <= first and last <= event.date.last
        # a month named in a flashback holds the day the place changed hands ("in March")
        holds = past and first <= event.date.first and event.date.last <= last
        # a place changes hands once: an advance into it (or into a place inside it) is the
        # advance the file has; and an event of the same kind on exactly the same days at the
        # place, or at a region or country that holds it, is that event
        held = (encloses - countries and changes_hands and (inside or holds)) or (
            same_days and (encloses - countries or (encloses and category == "strike"))
        )  # (a barrage is the sum of its local strikes; an outage or repair is local)
        # a report that names no place, of the only event of its kind on exactly its day; a
        # date naming an event ("the attacks of 10 October") needs no shared words
        dated = same_days and not candidate.inherited and not named - countries
        dated = dated and (overlap >= LINK_RELATED or candidate.named)
        # one site, one day, one event: a bridge's fire is its explosion, whatever the kind
        at_site = same_days and curated and bool(named & set(event.places) & index.sites)
        if (alike and curated and (held or dated)) or at_site:
            titled = len(words & content_words(event.title))
            lone.append((bool(places), same_days, (titled, overlap), event))
        if period:
            continue
        close = alike or len(shared) >= 2  # same kind of event, or same people at the same place
        narrow = candidate.date.days <= max(2 * LINK_MAX_DAYS, 3 * event.date.days)
        related = (
            overlapping
            and narrow
            and shared
            and overlap >= (LINK_RELATED if close else LINK_RELATED_OTHER)
        )  # weaker evidence: the days must overlap, not only be a day apart, and a month is
        # not a day's event on a shared name alone
        similar = overlap >= LINK_SIMILAR and len(words & about) >= LINK_MIN_WORDS
        similar = similar and (narrow or not ongoing)  # "since 10 October" is not that day
        if not (cites or similar or related):
            continue
        closeness = -0.02 * min(event.date.days - 1, 10)  # the narrower event, all else equal
        score = overlap + 0.1 * len(shared) + 0.1 * alike + closeness
        rank = (curated, cites, score, alike)
        if best is None or rank > best[0]:
            how = "cites" if cites else ("similar" if similar else "related")
            best = (rank, event.id, alike and overlapping and bool(places), how)
    held_id = _only(lone)
    if best is not None and (held_id is None or best[0][1] or best[2]):
        return best[1], best[3]  # unless a lone same-kind event beats a link by wording alone
    if held_id is None and len(flashback) == 1:
        return flashback[0].id, "flashback"  # the one event of the file on a past day named
    return held_id, ("lone" if held_id else "")


def _only(lone: Sequence[tuple[bool, bool, tuple[int, float], Event]]) -> str | None:
    """The one event of several lone candidates, each (at a place the candidate names, on
    exactly its days, (words shared with its title, share of words), event): those at such a
    place first, then those on its days; among several on its days the one whose title shares
    most words, then whose wording does; None when two remain."""
    for tier in ((True, True), (True, False), (False, True), (False, False)):
        found = [(words, event) for at, days, words, event in lone if (at, days) >= tier]
        if found:
            found.sort(key=lambda item: item[0], reverse=True)
            # words choose only among events on exactly its days: a week's events are many
            if len(found) == 1 or (tier[1] and found[0][0] > found[1][0]):
                return found[0][1].id
            return None
    return None


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
