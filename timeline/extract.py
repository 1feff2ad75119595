"""Dated event candidates from news articles, with provenance, merged into events.yaml on request.

An article is decoded like the validator decodes it (`timeline.articles.decode_article`), so
offsets and quotes refer to the same text. Its publication date comes from `--published`, else
a leading `date YYYY-MM-DD` line, else the `sources` entry of the events file whose `file` is the
article. `timeline.temporal` finds and resolves the temporal expressions; every sentence with at
least one becomes a candidate event: a suggested title, the date of its anchor expression, a
category, a story, places and actors from the events file's gazetteer, claimed figures and the
sentence as the verbatim quote. The same event reported by several articles (same span of days,
a shared place, similar wording) becomes one candidate citing each of them. `render` gives the
mentions as JSON or YAML; `merge` appends the candidates to an events file with `origin:
extracted` and `status: candidate` through `timeline.write` (`python -m timeline extract`, in
timeline/cli, does either). docs/extraction.md has the rules and the measured numbers.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from timeline.articles import read_article
from timeline.dates import FuzzyDate, Precision
from timeline.errors import Problem, Severity, TimelineError, UnknownSource
from timeline.load import load_timeline
from timeline.model import Source, Story, Timeline
from timeline.temporal import Mention, dateline, find_mentions, sentence_spans
from timeline.words import plural
from timeline.write import append_events, event_block, file_sha256, plan_append, suggest_id

EVENTS_FILE = "events.yaml"
MAX_TITLE_WORDS = 12
SAME_EVENT_SIMILARITY = 0.3  # Jaccard of content words; conservative, merging is hard to undo
FORMATS = ("json", "yaml")


class NoPublicationDate(TimelineError):
    """No publication date is known for an article, and none is guessed."""


class EventsFileError(TimelineError):
    """The events file cannot be used for extraction or merging."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


@dataclass(frozen=True, slots=True)
class Article:
    """A decoded article with its publication date and, when known, its source entry."""

    path: str
    text: str
    published: date
    published_from: str
    source: Source | None = None

    @property
    def source_id(self) -> str | None:
        """The id of the article's entry in the events file's sources, if it has one."""
        return self.source.id if self.source else None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One dated sentence of one article, read as a candidate event."""

    article: Article
    start: int
    end: int
    mentions: tuple[Mention, ...]
    anchor: Mention
    title: str
    category: str
    places: tuple[str, ...]
    actors: tuple[str, ...]
    figures: tuple[dict[str, Any], ...]

    @property
    def sentence(self) -> str:
        """The sentence, verbatim: the candidate's quote."""
        return self.article.text[self.start : self.end]

    @property
    def date(self) -> FuzzyDate:
        """The candidate's date: its anchor expression's."""
        return self.anchor.date


@dataclass(slots=True)
class CandidateEvent:
    """Candidates from different articles taken to report the same event."""

    members: list[Candidate]
    id: str = ""
    stories: tuple[str, ...] = ()

    @property
    def first(self) -> Candidate:
        """The member whose title, date and category the event takes."""
        return self.members[0]

    @property
    def places(self) -> tuple[str, ...]:
        """Every member's places, in order of first mention."""
        return _union(member.places for member in self.members)

    @property
    def actors(self) -> tuple[str, ...]:
        """Every member's actors, in order of first mention."""
        return _union(member.actors for member in self.members)


# Reading articles


def read_articles(
    paths: Sequence[str], published: date | None, timeline: Timeline | None
) -> tuple[list[Article], list[str]]:
    """The readable articles, and one `file: error: ...` line for each that is not."""
    articles, problems = [], []
    for path in paths:
        try:
            articles.append(read_one(path, published, timeline))
        except TimelineError as error:
            problems.append(f"{path}: error: {error}")
    return articles, problems


def read_one(path: str, published: date | None, timeline: Timeline | None) -> Article:
    """Read an article and find its publication date; raise NoPublicationDate without one."""
    text = read_article(path)
    source = source_for(path, timeline)
    if published is not None:
        return Article(path, text, published, "--published", source)
    found = dateline(text)
    if found is not None:
        return Article(path, text, found[0], "dateline", source)
    if source is not None and source.published.precision is Precision.DAY:
        return Article(path, text, source.published.first, f"source '{source.id}'", source)
    where = f"the sources of {timeline.path}" if timeline else "an events file's sources"
    raise NoPublicationDate(
        "no publication date known, and none is guessed (give --published YYYY-MM-DD, start "
        f"the file with a line 'date YYYY-MM-DD', or give it a day in {where} with its file)"
    )


def source_for(path: str, timeline: Timeline | None) -> Source | None:
    """The source entry whose `file` is this article (paths compared after resolving)."""
    if timeline is None:
        return None
    base = Path(timeline.path).parent
    wanted = os.path.realpath(path)
    for source in timeline.sources.values():
        if source.file and os.path.realpath(base / source.file) == wanted:
            return source
    return None


# Candidates


def extract(articles: Sequence[Article], timeline: Timeline | None) -> list[CandidateEvent]:
    """Candidate events from articles: one per dated sentence, the same event merged."""
    gazetteer = Gazetteer.from_timeline(timeline)
    candidates = [
        candidate for article in articles for candidate in article_candidates(article, gazetteer)
    ]
    events = group_same_events(candidates)
    stories = list(timeline.stories.values()) if timeline else []
    taken = {event.id for event in timeline.events} if timeline else set()
    for event in events:
        event.id = suggest_id(event.first.title, taken)
        taken.add(event.id)
        event.stories = pick_stories(event.first.date, stories, event.first.sentence)
    return events


def article_candidates(article: Article, gazetteer: Gazetteer) -> list[Candidate]:
    """One candidate per sentence of the article that holds a temporal expression."""
    mentions = find_mentions(article.text, article.published)
    candidates = []
    spans = (_without_markup(article.text, *span) for span in sentence_spans(article.text))
    for start, end in spans:
        inside = tuple(m for m in mentions if start <= m.start and m.end <= end)
        if not inside:
            continue
        sentence = article.text[start:end]
        anchor = pick_anchor(inside, article.text)
        places, actors = gazetteer.find(sentence)
        claimant = gazetteer.actor_names.get(actors[0]) if actors else None
        candidates.append(
            Candidate(
                article=article,
                start=start,
                end=end,
                mentions=inside,
                anchor=anchor,
                title=suggest_title(sentence, anchor.start - start, anchor.end - start),
                category=classify(sentence),
                places=places,
                actors=actors,
                figures=tuple(
                    find_figures(sentence, start, inside, claimant or _outlet(article), article)
                ),
            )
        )
    return candidates


_MARKUP_START = re.compile(r"(?:<[^<>]{0,200}>\s*)+")
_MARKUP_END = re.compile(r"(?:\s*<[^<>]{0,200}>)+\Z")


def _without_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence span without the HTML tags scrapers leave around paragraphs (still verbatim)."""
    lead = _MARKUP_START.match(text, start, end)
    if lead:
        start = lead.end()
    tail = _MARKUP_END.search(text, start, end)
    return start, (tail.start() if tail else end)


_REPORTING_BEFORE = re.compile(
    r"(?i)\b(?:said|says|told|announced|wrote|tweeted|stated|claimed|reported|added)"
    r"(?:\s+(?:on|late|early))?\s+\Z"
)


def pick_anchor(mentions: Sequence[Mention], text: str) -> Mention:
    """The expression that dates the event: the narrowest, passing over the date of a
    statement ('said on Monday ... in the past 24 hours' is dated by the past 24 hours)."""

    def reported(mention: Mention) -> bool:
        return bool(_REPORTING_BEFORE.search(text, max(0, mention.start - 24), mention.start))

    pool = [m for m in mentions if not reported(m)] or list(mentions)
    return min(pool, key=lambda m: (m.date.days, m.start))


def pick_stories(when: FuzzyDate, stories: Sequence[Story], sentence: str = "") -> tuple[str, ...]:
    """The story whose span covers the date (several: the one whose title and description share
    most words with the sentence, then the latest to start); else 'context', else the first."""
    covering = [story for story in stories if story.date.covers(when)]
    if covering:
        words = _content_words(sentence)

        def fit(story: Story) -> tuple[int, date]:
            about = _content_words(f"{story.title} {story.description or ''}")
            return len(words & about), story.date.first

        return (max(covering, key=fit).id,)
    fallback = next((story for story in stories if story.id == "context"), None)
    fallback = fallback or (stories[0] if stories else None)
    return (fallback.id,) if fallback else ()


_LEADING_PREPOSITION = re.compile(
    r"(?i)\b(?:on|in|by|since|over|during|until|till|at|from|as\s+of|early|late)\s+\Z"
)
_DATELINE_PREFIX = re.compile(r"\A(?:[^\s—–]+\s+){0,4}[^\s—–]+\s+[—–]\s+")


def suggest_title(sentence: str, start: int, end: int) -> str:
    """A headline-like title: the sentence without its anchor expression, cut to a few words."""
    preposition = _LEADING_PREPOSITION.search(sentence, max(0, start - 12), start)
    cut_from = preposition.start() if preposition else start
    after = re.match(r"(?:['’]s)?\s*,?", sentence[end:])
    rest = sentence[:cut_from] + " " + sentence[end + after.end() :]
    rest = _DATELINE_PREFIX.sub("", rest.strip())
    rest = re.sub(r"\s+([,.;:])", r"\1", " ".join(rest.split()))
    rest = re.sub(r"([“\"(‘])\s+", r"\1", re.sub(r"<[^<>]*>", "", rest)).strip(" ,;:—–-")
    words = rest.split()
    title = " ".join(words[:MAX_TITLE_WORDS]).rstrip(" ,;:.—–-")
    if len(words) > MAX_TITLE_WORDS:
        title += "…"
    return (title[:1].upper() + title[1:]) if title else sentence[:80]


# Keyword classifier: the category with the most keyword hits wins; ties go to the earlier
# category. Statements and assessments count half, since nearly every sentence says who said it.
CATEGORY_KEYWORDS = {
    "strike": r"missiles?|rockets?|drones?|strikes?|struck|shell(?:ed|ing|s)?|bomb\w*|airstrikes?|"
    r"explosions?|blasts?|attack(?:s|ed)?",
    "advance": r"retak\w*|retook|recaptur\w*|liberat\w*|regain\w*|took\s+back|reclaim\w*|"
    r"advanc\w*|counter-?offensive|offensive|breakthrough|captur\w*|seiz\w*",
    "withdrawal": r"withdr[ae]w\w*|withdrawal|retreat\w*|pull(?:ed|ing)?\s+(?:back|out)|"
    r"abandon\w*|regroup\w*",
    "infrastructure": r"power|electricity|blackouts?|outages?|grid|water\s+suppl\w*|energy|"
    r"heat(?:ing)?|restor\w*|repair\w*|power\s+plants?",
    "casualties": r"killed|killing|dead|deaths?|died|wounded|injured|casualt\w*|losses",
    "civilians": r"evacuat\w*|residents|refugees|civilians|fled|flee\w*|return(?:ed|ing)?|"
    r"humanitarian|shelters?|deport\w*",
    "diplomacy": r"talks|negotiat\w*|summit|diplomat\w*|sanctions?|agreements?|ceasefire|"
    r"treaty|aid|pledg\w*|G20|G7",
    "assessment": r"think\s+tank|analysts?|institute|assess\w*|intelligence|experts?",
    "statement": r"said|says|told|announc\w*|warn\w*|claim\w*|denounc\w*|vow\w*|tweet\w*|"
    r"wrote|stated|declared|threat\w*|speech|address(?:ed)?|mock\w*",
}
_CATEGORY_PATTERNS = {
    name: re.compile(rf"(?i)(?<![\w-])(?:{pattern})(?![\w-])")
    for name, pattern in CATEGORY_KEYWORDS.items()
}
_HALF_WEIGHT = frozenset({"statement", "assessment"})


def classify(sentence: str) -> str:
    """A category of the controlled vocabulary from keywords; 'other' when none matches."""
    best, best_score = "other", 0.0
    for name, pattern in _CATEGORY_PATTERNS.items():
        hits = len({hit.lower() for hit in pattern.findall(sentence)})
        score = hits * (0.5 if name in _HALF_WEIGHT else 1.0)
        if score > best_score:
            best, best_score = name, score
    return best


# Places and actors


@dataclass(frozen=True)
class Gazetteer:
    """Names and aliases of the events file's places and actors, matched as whole words."""

    pattern: re.Pattern | None = None
    places: dict[str, str] = field(default_factory=dict)
    actors: dict[str, str] = field(default_factory=dict)
    actor_names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_timeline(cls, timeline: Timeline | None) -> Gazetteer:
        """The gazetteer of an events file (empty without one)."""
        if timeline is None:
            return cls()
        places: dict[str, str] = {}
        actors: dict[str, str] = {}
        for place in timeline.places.values():
            for name in (place.name, *place.aliases):
                places.setdefault(name, place.id)
        for actor in timeline.actors.values():
            for name in (actor.name, *actor.aliases):
                actors.setdefault(name, actor.id)
        names = sorted({*places, *actors}, key=len, reverse=True)  # longest name wins
        if not names:
            return cls()
        pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, names)) + r")(?!\w)")
        actor_names = {actor.id: actor.name for actor in timeline.actors.values()}
        return cls(pattern, places, actors, actor_names)

    def find(self, sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Place ids and actor ids named in a sentence, in order of first mention."""
        places: list[str] = []
        actors: list[str] = []
        if self.pattern is None:
            return (), ()
        for match in self.pattern.finditer(sentence):
            name = match.group()
            place, actor = self.places.get(name), self.actors.get(name)
            # "Kyiv said": a capital that speaks is the government, not the place.
            if place and actor and _REPORTING_AFTER.match(sentence, match.end()):
                place = None
            if place and actor:
                actor = None
            for found, into in ((place, places), (actor, actors)):
                if found and found not in into:
                    into.append(found)
        return tuple(places), tuple(actors)


_REPORTING_AFTER = re.compile(
    r"['’]?s?\s+(?:has\s+|had\s+|have\s+)?(?:said|says|claimed|claims|announced|denied|insisted|"
    r"warned|blamed|accused|stated|reported|wants|demanded|responded)\b"
)


# Figures

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100,
}  # fmt: skip
QUALIFIERS = {
    "more than": "more-than", "over": "more-than", "at least": "at-least", "about": "about",
    "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "nearly": "about", "almost": "about", "up to": "up-to",
}  # fmt: skip
# Unit words: (unit, measure when no verb says more).
UNITS = {
    r"square\s+kilomet(?:er|re)s?|sq\.?\s*km|km2|km²": ("km2", "territory"),
    r"square\s+miles?|sq\.?\s*mi(?:les?)?": ("sq-mi", "territory"),
    r"kilomet(?:er|re)s?|km": ("km", "distance"),
    r"villages|towns|settlements|localities|cities|communities": ("settlements", "settlements"),
    r"(?:cruise\s+)?missiles?|rockets?": ("missiles", "missiles-fired"),
    r"drones?": ("drones", "drones-launched"),
    r"people|persons?|civilians|residents|servicemen|soldiers|troops": ("people", "people"),
}
# Verbs that make a measure precise: (unit, pattern, measure).
_RETAKEN = r"retak|retook|regain|recaptur|liberat|reclaim|took\s+back"
MEASURES = (
    ("km2", _RETAKEN + r"|control", "territory-retaken"),
    ("sq-mi", _RETAKEN, "territory-retaken"),
    ("settlements", _RETAKEN, "settlements-retaken"),
    ("settlements", r"affected|without|outage|blackout", "settlements-affected"),
    ("missiles", r"shot\s+down|intercept|downed|destroyed", "missiles-shot-down"),
    ("drones", r"shot\s+down|intercept|downed|destroyed", "drones-shot-down"),
    ("people", r"killed|killing|dead|died|deaths", "deaths"),
    ("people", r"wounded|injured", "injured"),
    ("people", r"evacuat", "people-evacuated"),
    ("people", r"detained|arrested", "people-detained"),
)  # fmt: skip
_QUALIFIER = "|".join(sorted(QUALIFIERS, key=len, reverse=True)).replace(" ", r"\s+")
_FIGURE = re.compile(
    rf"(?i)(?<![\w,.-])(?:(?P<q>{_QUALIFIER})\s+)?[\"“]?(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|"
    rf"{'|'.join(_NUMBER_WORDS)})[\"”]?(?P<between>(?:\s+(?:of\s+the|[A-Za-z][\w-]*)){{0,2}}?)"
    rf"\s+(?P<unit>{'|'.join(f'(?:{unit})' for unit in UNITS)})(?![\w-])"
)


def find_figures(
    sentence: str, offset: int, mentions: Iterable[Mention], claimed_by: str, article: Article
) -> list[dict[str, Any]]:
    """Numbers with a unit claimed in a sentence: measure, value, unit, qualifier, claimant."""
    taken = [(m.start - offset, m.end - offset) for m in mentions]
    figures = []
    for match in _FIGURE.finditer(sentence):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue  # the number of a temporal expression ("past 24 hours")
        unit, measure = _unit(match["unit"])
        for name, verbs, precise in MEASURES:
            if name == unit and re.search(rf"(?i)\b(?:{verbs})", sentence):
                measure = precise
                break
        figure = {
            "measure": measure,
            "value": _value(match["n"]),
            "unit": unit,
            "qualifier": QUALIFIERS.get(" ".join((match["q"] or "").lower().split())),
            "claimed_by": claimed_by,
            "source": article.source_id or article.path,
            "text": match.group(),
        }
        figures.append({key: value for key, value in figure.items() if value is not None})
    return figures


def _unit(text: str) -> tuple[str, str]:
    for pattern, unit in UNITS.items():
        if re.fullmatch(rf"(?i){pattern}", text):
            return unit
    raise AssertionError(text)  # the figure pattern only matches these units


def _value(text: str) -> int | float:
    if text.lower() in _NUMBER_WORDS:
        return _NUMBER_WORDS[text.lower()]
    number = float(text.replace(",", ""))
    return int(number) if number.is_integer() else number


def _outlet(article: Article) -> str:
    return article.source.outlet if article.source else Path(article.path).name


# The same event in several articles

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
    a, b = _content_words(first), _content_words(second)
    return len(a & b) / len(a | b) if a and b else 0.0


def _content_words(text: str) -> set[str]:
    words = (word for word in re.findall(r"[a-z0-9]+", text.lower()) if word not in _STOPWORDS)
    return {re.sub(r"(?:ing|ed|es|s)$", "", word) for word in words if len(word) > 2}


# Output


def mention_rows(events: Sequence[CandidateEvent]) -> list[dict[str, Any]]:
    """The JSON contract: one row per temporal expression, with its candidate's fields."""
    rows = []
    for event in events:
        for member in event.members:
            article = member.article
            for mention in member.mentions:
                rows.append(
                    {
                        "source": article.path,
                        "source_id": article.source_id,
                        "published": article.published.isoformat(),
                        "published_from": article.published_from,
                        "text": mention.text,
                        "start": mention.start,
                        "end": mention.end,
                        "date_start": mention.date_start.isoformat(),
                        "date_end": mention.date_end.isoformat(),
                        "precision": mention.precision.value,
                        "mention_date": str(mention.date),
                        "sentence": member.sentence,
                        "sentence_start": member.start,
                        "sentence_end": member.end,
                        "anchor": mention is member.anchor,
                        "candidate_id": event.id,
                        "title": event.first.title,
                        "date": str(event.first.date),
                        "stories": list(event.stories),
                        "category": event.first.category,
                        "places": list(event.places),
                        "actors": list(event.actors),
                        "figures": [dict(f) for m in event.members for f in m.figures],
                        "quote": member.sentence,
                        "sources": [_citation(m, with_file=True) for m in event.members],
                        "origin": "extracted",
                        "status": "candidate",
                    }
                )
    return rows


def event_record(event: CandidateEvent) -> dict[str, Any]:
    """The candidate as an events.yaml item (every article must have a source id)."""
    first = event.first
    sources = ", ".join(sorted({member.article.source_id for member in event.members}))
    notes = (
        f"Extracted automatically: “{first.anchor.text}” read as {first.date.describe()} "
        f"against the publication date {first.article.published.isoformat()} "
        f"({first.article.published_from}); cited: {sources}. Review before confirming."
    )
    figures = [
        {key: value for key, value in figure.items() if key != "text"}
        for member in event.members
        for figure in member.figures
    ]
    return {
        "id": event.id,
        "title": first.title,
        "date": str(first.date),
        "stories": list(event.stories),
        "category": first.category,
        "actors": list(event.actors) or None,
        "places": list(event.places) or None,
        "sources": [_citation(member) for member in event.members],
        "figures": figures or None,
        "origin": "extracted",
        "status": "candidate",
        "notes": notes,
    }


def _citation(member: Candidate, with_file: bool = False) -> dict[str, Any]:
    citation = {"source": member.article.source_id, "quote": member.sentence}
    if with_file:
        citation["file"] = member.article.path
    return citation


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))


# Merging into events.yaml


@dataclass(frozen=True, slots=True)
class MergePlan:
    """What merging would do: the blocks to append and how many candidates were present."""

    blocks: list[str]
    skipped: int


def plan_merge(path: str, events: Sequence[CandidateEvent], timeline: Timeline) -> MergePlan:
    """The event blocks new to the file; raises UnknownSource for an article it cannot cite."""
    for event in events:
        for member in event.members:
            if member.article.source_id is None:
                raise UnknownSource(
                    f"{member.article.path} is not the file of any source in {path} (add a "
                    "sources entry with its id, outlet, published, published_note and file, "
                    "then extract again)"
                )
    cited = {(c.source, c.quote) for e in timeline.events for c in e.sources}
    present = {
        (str(e.date), frozenset(e.places), c.quote) for e in timeline.events for c in e.sources
    }
    blocks, skipped = [], 0
    for event in events:
        record = event_record(event)
        quotes = [(c["source"], c["quote"]) for c in record["sources"]]
        keys = [(record["date"], frozenset(event.places), quote) for _, quote in quotes]
        if any(quote in cited for quote in quotes) or any(key in present for key in keys):
            skipped += 1
            continue
        blocks.append(event_block(record))
    return MergePlan(blocks, skipped)


def merge(
    path: str, events: Sequence[CandidateEvent], timeline: Timeline, dry_run: bool
) -> tuple[list[str], str]:
    """Append the new candidates to the events file, or only check them: (blocks, summary)."""
    expected = file_sha256(path)  # the file must not change between loading and appending
    plan = plan_merge(path, events, timeline)
    present = f"{plan.skipped:,} already present"
    if dry_run:
        plan_append(Path(path).read_bytes(), plan.blocks, path, Path(path).parent)  # validates
        return plan.blocks, (
            f"{path}: would add {plural(len(plan.blocks), 'candidate event')} "
            f"({present}; dry run, nothing written)"
        )
    append_events(path, plan.blocks, expected)
    return plan.blocks, f"{path}: added {plural(len(plan.blocks), 'candidate event')} ({present})"


# Output and the events file


def render(rows: list[dict[str, Any]], output: str) -> str:
    """The rows as JSON (a list) or YAML (a sequence), ending with a line break."""
    if output == "yaml":
        return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False, width=100)
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def find_events_file(given: str | None, files: Sequence[str]) -> str | None:
    """The events file to read: the one given, ./events.yaml, or the nearest above a FILE."""
    if given:
        if not Path(given).is_file():
            raise EventsFileError(given, "cannot read the events file: no such file")
        return given
    if Path(EVENTS_FILE).is_file():
        return EVENTS_FILE
    for folder in Path(files[0]).resolve().parents if files else ():
        if (folder / EVENTS_FILE).is_file():
            return os.path.relpath(folder / EVENTS_FILE)
    return None


def load_events_file(
    path: str | None, must_be_valid: bool
) -> tuple[Timeline | None, Problem | None]:
    """The events file's timeline (None without a file) and a warning when it has errors.

    Raises EventsFileError instead when the file must be valid (it is to be merged into).
    """
    if path is None:
        return None, None
    timeline = load_timeline(path)
    if not timeline.errors:
        return timeline, None
    message = (
        f"the file has {plural(len(timeline.errors), 'error')} (run: python -m timeline "
        f"validate {path})"
    )
    if must_be_valid:
        raise EventsFileError(path, message + "; nothing added")
    warning = f"{message}; records with errors are ignored"
    return timeline, Problem(path, 0, 0, Severity.WARNING, warning)
