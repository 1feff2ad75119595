"""Dated event candidates from news articles, with provenance, merged into events.yaml on request.

An article is decoded like the validator decodes it (`timeline.articles.decode_article`), so
offsets and quotes refer to the same text. Its publication date comes from `--published`, else
a leading `date YYYY-MM-DD` line, else the `sources` entry of the events file whose `file` is the
article. `timeline.temporal` finds and resolves the temporal expressions; sentences are split
into clauses, and every clause with one becomes a candidate event: a headline title, the date of
the clause, a category, a story, places and actors from the events file's gazetteer, claimed
figures and the sentence as the verbatim quote (a dateless sentence that continues the event
before it takes that event's date). `same_as` says which event of the file a candidate reports.
The same event reported by several articles (same span of days, a shared place, similar
wording) becomes one candidate citing each of them. `render` gives the mentions as JSON or
YAML; `merge` appends the candidates to an events file with `origin: extracted` and `status:
candidate` through `timeline.write` (`python -m timeline extract`, in timeline/cli, does
either). docs/extraction.md has the rules and the measured numbers.
"""

from __future__ import annotations

import bisect
import functools
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from timeline.articles import read_article
from timeline.dates import DatePoint, FuzzyDate, Precision
from timeline.errors import Problem, Severity, TimelineError, UnknownSource
from timeline.load import load_timeline
from timeline.model import Event, Source, Story, Timeline
from timeline.temporal import Mention, dateline, find_mentions, sentence_spans
from timeline.words import plural
from timeline.write import append_events, event_block, file_sha256, plan_append, suggest_id

EVENTS_FILE = "events.yaml"
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
    clause: tuple[int, int] = (0, 0)
    inherited: bool = False

    @property
    def focus(self) -> tuple[int, int]:
        """The span that gives the date: the anchor expression, or for a sentence that
        inherits its date, the sentence itself."""
        return (self.start, self.end) if self.inherited else (self.anchor.start, self.anchor.end)

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
    same_as: str | None = None

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
    """Candidate events from articles: one per dated clause, the same event merged, each with
    its stories and its `same_as`."""
    gazetteer = Gazetteer.from_timeline(timeline)
    candidates = [
        candidate for article in articles for candidate in article_candidates(article, gazetteer)
    ]
    events = group_same_events(candidates)
    stories = list(timeline.stories.values()) if timeline else []
    taken = {event.id for event in timeline.events} if timeline else set()
    index = StoryIndex.from_timeline(timeline)
    links = LinkIndex.from_timeline(timeline) if timeline else None
    for event in events:
        event.id = suggest_id(event.first.title, taken)
        taken.add(event.id)
        first = event.first
        words = first.article.text[first.clause[0] : first.clause[1]] or first.sentence
        event.stories = pick_stories(
            first.date, stories, words, first.places, first.actors, index, first.category
        )
        event.same_as = same_as(first, timeline, links) if timeline else None
    return events


# Past forms news uses, with their base forms; regular "-ed" verbs are handled by rule. (Here,
# before the clause patterns that use them; headlines use them to put verbs in the present.)
IRREGULAR_PAST = {
    "said": "say", "told": "tell", "hit": "hit", "struck": "strike", "took": "take",
    "met": "meet", "shot": "shoot", "brought": "bring", "left": "leave", "fled": "flee",
    "won": "win", "lost": "lose", "fell": "fall", "sent": "send", "held": "hold",
    "began": "begin", "came": "come", "went": "go", "gave": "give", "made": "make",
    "saw": "see", "spoke": "speak", "withdrew": "withdraw", "retook": "retake",
    "overran": "overrun", "became": "become", "heard": "hear", "kept": "keep", "led": "lead",
    "built": "build", "swept": "sweep", "fought": "fight", "found": "find", "flew": "fly",
    "drove": "drive", "caught": "catch", "sought": "seek", "thought": "think", "stood": "stand",
    "ran": "run", "rose": "rise", "sold": "sell", "spent": "spend", "tore": "tear",
    "chose": "choose", "drew": "draw", "felt": "feel", "grew": "grow", "knew": "know",
    "meant": "mean", "paid": "pay", "threw": "throw", "wrote": "write", "broke": "break",
    "bought": "buy", "shut": "shut", "cut": "cut", "put": "put", "spread": "spread",
    "hid": "hide", "stole": "steal", "did": "do", "had": "have", "was": "be", "were": "be",
}  # fmt: skip


def article_candidates(article: Article, gazetteer: Gazetteer) -> list[Candidate]:
    """One candidate per dated clause of the article, and one per dateless sentence that says
    it continues the event before it (with that event's date and places)."""
    text = article.text
    found = [m for m in find_mentions(text, article.published) if not _in_dateline(m, text)]
    topic = article_topic(text, gazetteer)
    candidates: list[Candidate] = []
    days: list[tuple[Mention, str]] = []  # single days so far, with their sentences
    main: Candidate | None = None  # the first candidate of the last dated sentence
    for start, end in (_without_markup(text, *span) for span in sentence_spans(text)):
        own = [m for m in found if start <= m.start and m.end <= end]
        narrative = narrative_mentions(text, start, end, own, days)
        # "the next day" counts from the event before it, not from the publication
        own = [m for m in own if not any(n.start < m.end and m.start < n.end for n in narrative)]
        own = sorted(own + narrative, key=_at)
        own = [_said_when(m, text, start, own, days, article.published) for m in own]
        # what the narrative counts from is what the text names, not what was counted from it
        days += [(m, text[start:end]) for m in own if _single_day(m.date) and m.rule != "narrative"]
        sentence = Sentence(text, start, end, clause_spans(text, start, end), tuple(own))
        if not own:
            if main is not None and _CONTINUES.search(text, start, end):
                whole = (start, end)
                candidates.append(
                    _candidate(article, gazetteer, sentence, whole, (main.anchor,), candidates,
                               continues=main, topic=topic)
                )  # fmt: skip
            continue
        count = len(candidates)
        for clause in sentence.clauses:
            every = tuple(m for m in own if clause[0] <= m.start < clause[1])
            if not every:
                every = _when_of(text, clause, own)
            if every:
                candidates.append(
                    _candidate(article, gazetteer, sentence, clause, every, candidates,
                               topic=topic)
                )  # fmt: skip
        main = candidates[count] if len(candidates) > count else main
    return candidates


_WHEN = re.compile(r"(?i)when\b")


def _when_of(text: str, clause: tuple[int, int], own: Sequence[Mention]) -> tuple[Mention, ...]:
    """'Power has been cut since 6 November, when a strike hit …': the 'when' clause happened
    on the day just named (the first day of a span)."""
    if not _WHEN.match(text, clause[0]):
        return ()
    named = [m for m in own if m.end <= clause[0] and not text[m.end : clause[0]].strip(" ,")]
    if not named:
        return ()
    point = FuzzyDate(named[-1].date.start)
    return (Mention(text[clause[0] : clause[0] + 4], clause[0], clause[0] + 4, point, "when"),)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of an article and its clauses, as spans of the article's text."""

    text: str
    start: int
    end: int
    clauses: list[tuple[int, int]]
    mentions: tuple[Mention, ...] = ()

    def words(self, span: tuple[int, int]) -> str:
        """The text of a span."""
        return self.text[span[0] : span[1]]

    def index(self, clause: tuple[int, int]) -> int:
        """The position of a clause in the sentence (0 for a span that is not one)."""
        return self.clauses.index(clause) if clause in self.clauses else 0

    def is_attribution(self, clause: tuple[int, int]) -> bool:
        """Whether a clause only says who said what came before ('…, Kyiv said on Monday')."""
        return self.index(clause) > 0 and bool(_ATTRIBUTION_ONLY.match(self.words(clause)))


def _candidate(
    article: Article,
    gazetteer: Gazetteer,
    sentence: Sentence,
    clause: tuple[int, int],
    every: tuple[Mention, ...],
    before: Sequence[Candidate],
    continues: Candidate | None = None,
    topic: tuple[str, ...] = (),
) -> Candidate:
    """The candidate of one clause: its date, headline, category, places, actors, figures."""
    text, start, end = article.text, sentence.start, sentence.end
    attribution = sentence.is_attribution(clause)
    content = clause
    if attribution:  # what was said is the clause before; the date is the saying's
        content = (sentence.clauses[sentence.index(clause) - 1][0], clause[1])
    if continues is not None:
        anchor, mentions = continues.anchor, every
    else:
        pool = every if attribution else _event_dates(every, text)
        anchor = _until_said(pick_anchor(pool, text), every, text)
        mentions = tuple(anchor if m.start == anchor.start else m for m in every)
    spans = [content] if attribution else relative_event(sentence, clause, anchor)
    words = " ".join(sentence.words(span) for span in spans)
    places, actors = gazetteer.find(words)
    actors = actors or _speakers(gazetteer, sentence, clause)
    title = headline(text, spans, sentence.mentions, claim_only=attribution)
    if not places:
        places = _context_places(gazetteer, sentence, clause, title, before, continues, topic)
        title = _name_antecedent(title, places, gazetteer)
    places = gazetteer.specific(places)
    claimant = gazetteer.actor_names.get(actors[0]) if actors else None
    category = "statement" if attribution else classify(words, words)
    named = (
        _NAMED_BY_DATE.match(text, anchor.end)
        if _DETERMINER.search(text, max(0, anchor.start - 12), anchor.start)
        else None
    )
    if named and classify(named.group(1)) != "other":  # "the damage from the October 10 strikes"
        category = classify(named.group(1))
    return Candidate(
        article=article,
        start=start,
        end=end,
        mentions=mentions,
        anchor=anchor,
        title=title,
        category=category,
        places=places,
        actors=actors,
        figures=tuple(
            find_figures(text[start:end], start, mentions, claimant or _outlet(article), article)
        ),
        clause=clause,
        inherited=continues is not None,
    )


_RELATIVE = re.compile(r"(?<!said )(?<!says )(?<!told )(?<!ed )(?<![\w'’-])(?:that|which|who)\s")
_MAIN_VERB_AFTER = re.compile(r",?\s+(?:[a-z]+ly\s+)?(?:is|are|was|were|has|have|had)\b")


def relative_event(
    sentence: Sentence, clause: tuple[int, int], anchor: Mention
) -> list[tuple[int, int]]:
    """The spans that tell the dated event of a clause, in headline order. Usually the clause;
    when the date lies in a relative clause before the main verb ('A missile that landed … on
    Tuesday, killing two, was fired …'), that clause with what it is about: 'A missile' +
    'landed …'; 'Kherson, which Russian forces seized on March 2, is …' gives 'Russian forces
    seized …' + 'Kherson'."""
    text = sentence.text
    index = sentence.index(clause)
    if (
        index >= 2
        and _VERB.match(text, clause[0])
        and _WHICH.match(text, sentence.clauses[index - 1][0])
    ):
        about = sentence.clauses[index - 2]  # "Kherson, which …, came under": Kherson came
        if len(sentence.words(about).split()) <= RELATIVE_ABOUT_WORDS:
            return [about, clause]
    lead = _TIME_WORDS.search(text, max(clause[0], anchor.start - 12), anchor.start)
    participle = _PARTICIPLE_EVENT.search(text, clause[0], lead.start() if lead else anchor.start)
    if participle and _MAIN_CLAUSE.search(text, clause[0], participle.start()):
        # "rescuers searched the rubble of an apartment block struck on Sunday": the strike
        told = [(participle.start(), participle.end()), (anchor.end, clause[1])]
        where = _FRONTED_PLACE.match(text, clause[0], participle.start())
        return [*told[:1], where.span(1), *told[1:]] if where else told
    relatives = list(_RELATIVE.finditer(text, clause[0], anchor.start))
    if not relatives:
        return [clause]
    relative = relatives[-1]
    verb = _MAIN_VERB_AFTER.search(text, anchor.end, clause[1])
    last = verb.start() if verb else clause[1]
    if relative.start() > clause[0]:
        about = (clause[0], relative.start())
    else:  # the clause starts with "which": it is about the end of the clause before
        index = sentence.index(clause)
        if index == 0:
            return [clause]
        about = sentence.clauses[index - 1]
        if len(sentence.words(about).split()) > RELATIVE_ABOUT_WORDS:
            return [clause]
    told = (relative.end(), last)
    if _VERB.match(text, relative.end()):  # "that landed …": what it is about does it
        return [about, told]
    return [told, about]  # "which Russian forces seized": it is done to what it is about


RELATIVE_ABOUT_WORDS = 6
# "the October 10 strikes", "Russia's February invasion": a date naming an event by its day
_DETERMINER = re.compile(r"(?:\b(?:the|its|their)|\w['’]s)\s+\Z")
_NAMED_BY_DATE = re.compile(r"\s+([a-z]+(?:\s+[a-z]+)?)")
# "an apartment block struck" right before a date: a thing and what was done to it
_PARTICIPLE_EVENT = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?!(?:was|were|is|are|been|be|had|has|have)\b)[\w'’-]+\s+"
    r"(?:[a-z]{3,}ed|hit|struck|shot|destroyed)\s*\Z"
)
_MAIN_CLAUSE = re.compile(r"\b(?:was|were|is|are|has|have|had)\b|\b[a-z]{3,}ed\b")
_FRONTED_PLACE = re.compile(r"((?:In|At|Near|Outside)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*),")


def _name_antecedent(title: str, places: Sequence[str], gazetteer: Gazetteer) -> str:
    """A title with the place a pronoun stands for: 'Its government warns …' gives 'Moldova's
    government warns …', 'Russian troops abandon it' 'Russian troops abandon Balakliia'."""
    if not places:
        return title
    name = gazetteer.place_names[places[0]]
    title = re.sub(r"\A(?:Its|Their)\s", f"{name}'s ", title)
    return re.sub(
        r"(?<=\w)\s+it(?=\Z|[,.;]|\s+(?:in|on|at|after|before|from|to)\b)", f" {name}", title
    )


def _speakers(gazetteer: Gazetteer, sentence: Sentence, clause: tuple[int, int]) -> tuple[str, ...]:
    """The actors of the sentence's attributions ('…, the Kremlin said'): who says it."""
    found: list[str] = []
    for other in sentence.clauses:
        if other != clause and sentence.is_attribution(other):
            found += gazetteer.find(sentence.words(other))[1]
    return tuple(dict.fromkeys(found))


def _event_dates(mentions: Sequence[Mention], text: str) -> Sequence[Mention]:
    """The expressions that may date the clause's event: not those of its saying, unless
    there are no others."""
    events = [m for m in mentions if not _is_statement_date(m, text)]
    return events or mentions


def _context_places(
    gazetteer: Gazetteer,
    sentence: Sentence,
    clause: tuple[int, int],
    title: str,
    before: Sequence[Candidate],
    continues: Candidate | None,
    topic: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """Places for a clause that names none: those of the event it continues; of the clause it
    is joined to ('…; repair crews restored…'); of the sentence's attribution ('said Olena, who
    stayed in Izium'); when it points back ('it', 'they', 'the town'), the first place of the
    last candidate that has one ('the city': the last city, not a country); else, unless it
    names an actor or a place the gazetteer does not know, the places of the article's
    headline ('Dispatch from Balakliia')."""
    if continues is not None:
        return continues.places
    index = sentence.index(clause)
    joint = sentence.text[sentence.clauses[index - 1][1] : clause[0] + 4] if index > 0 else ""
    if _COORDINATE.match(joint):
        places = gazetteer.find(sentence.words(sentence.clauses[index - 1]))[0]
        if places:
            return places
    for other in sentence.clauses:
        if other != clause and sentence.is_attribution(other):
            places = gazetteer.find(sentence.words(other))[0]
            if places:
                return places
    words = sentence.words(clause)
    if _UNKNOWN_PLACE.search(words):
        return ()  # "in Kryvyi Rih, flooding parts of the city": a place the gazetteer lacks
    pointing = _PRONOUN_SUBJECT.match(title) or _ANAPHOR.search(words)
    if pointing and not (gazetteer.find(words)[1] and not _PLACE_ANAPHOR.search(words)):
        # (not "Ukraine's General Staff said its forces …": 'its' is the actor named there)
        wanted = before
        if _PLACE_ANAPHOR.search(words):  # "the city": a place, not a country
            wanted = [c for c in before if set(c.places) - gazetteer.countries]
        earlier = next(
            (tuple(p for p in c.places if p not in gazetteer.countries)[:1] or c.places[:1]
             for c in reversed(wanted) if c.places),
            (),
        )  # fmt: skip
        return earlier or topic
    if not gazetteer.find(words)[1]:
        return topic  # a dispatch from a place: what names no other place or actor is there
    return ()


# Words that point back to a place named before.
_ANAPHOR = re.compile(
    r"(?i)\b(?:the\s+(?:city|town|village|region|capital|port|area|settlement)|there)\b"
    r"|(?<=[a-z]ed)\s+it\b"  # "abandoned it"
)
_PLACE_ANAPHOR = re.compile(
    r"(?i)\b(?:the\s+(?:city|town|village|region|capital|port|area|settlement)|there)\b"
)
# "near Beryslav", "in Brussels": a place the gazetteer does not know
_UNKNOWN_PLACE = re.compile(r"\b(?:in|near|at|outside|from|to)\s+(?:the\s+)?[A-Z][a-z]")
HEADLINE_WORDS = 15


def article_topic(text: str, gazetteer: Gazetteer) -> tuple[str, ...]:
    """The places (not whole countries) of the article's headline: a short first paragraph
    without a final full stop, after the dateline line."""
    found = dateline(text)
    body = text[found[1] :] if found else text
    first = body.strip().split("\n", 1)[0].strip()
    if not first or len(first.split()) > HEADLINE_WORDS or first.endswith("."):
        return ()
    return tuple(p for p in gazetteer.find(first)[0] if p not in gazetteer.countries)


def _until_said(anchor: Mention, mentions: Sequence[Mention], text: str) -> Mention:
    """'X said on Sunday it had retaken … since the start of the month': the claim runs to
    the day it was made, not to publication."""
    if anchor.rule != "since":
        return anchor
    said = next((m for m in mentions if m is not anchor and _is_statement_date(m, text)), None)
    if said is None or not _single_day(said.date):
        return anchor
    if not anchor.date.first <= said.date.first < anchor.date.last:
        return anchor
    span = FuzzyDate(anchor.date.start, said.date.start)
    return Mention(anchor.text, anchor.start, anchor.end, span, "since")


def _at(mention: Mention) -> int:
    return mention.start


def _single_day(when: FuzzyDate) -> bool:
    return when.end is None and when.precision in (Precision.DAY, Precision.PART_OF_DAY)


# A dateless sentence continues the event before it when it points back at it.
_CONTINUES = re.compile(
    r"(?i)\b(?:of|from)\s+(?:the|those|these|them)\b(?:\s+(?:roughly\s+|about\s+)?\d[\d,]*)?"
    r"(?:\s+\w+)?\s+(?:drones|missiles|rockets|shells|attacks|strikes)\b"
    r"|\A(?:Of\s+(?:those|them|these)|Most\s+of\s+them|During\s+the\s+(?:attack|strike|raid))\b"
)
_PRONOUN_SUBJECT = re.compile(r"(?:They|It|We|He|She|Its|Their|His|Her)\b")
_COORDINATE = re.compile(r"[\s,]*(?:;|(?:and|but)\b)")
_DATELINE_HEAD = re.compile(r"(?:\A|\n)[A-Z][A-Z .,'’-]{2,40},\s+\Z")


def _in_dateline(mention: Mention, text: str) -> bool:
    """A date in a wire dateline ('KYIV, Oct 18 (Reuters) -') is the publication's, not an
    event's."""
    return bool(_DATELINE_HEAD.search(text, max(0, mention.start - 44), mention.start))


# Dates the narrative gives: relative to the event before, not to the publication.
_NARRATIVE = re.compile(
    r"(?i)\b(?:(?P<n>a|one|two|three|four|five|six|\d)\s+days?\s+(?P<dir>after|before|later|"
    r"earlier)|the\s+(?P<next>next|following|previous)\s+day|the\s+day\s+(?P<rel>after|before)"
    r"|(?:by|that|later\s+that)\s+(?:the\s+)?(?P<part>morning|afternoon|evening|night)"
    r"|(?:the\s+same|that)\s+(?P<same>day)"
    r"|the\s+(?P<before>night|evening|morning|afternoon)\s+before(?!\s+(?:the|last|yesterday)\b)"
    r"|the\s+previous\s+(?P<previous>night|evening|morning|afternoon))\b"
)
_NUMBER_OF = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def narrative_mentions(
    text: str,
    start: int,
    end: int,
    own: Sequence[Mention],
    days: Sequence[tuple[Mention, str]],
) -> list[Mention]:
    """'a day after', 'the next day', 'by the evening', 'the same day', 'the night before',
    dated from the last
    single day named before them (in the sentence, else before it; 'two days before the
    barrage': the last one whose sentence speaks of a barrage): 'X on Monday, a day after Y'
    puts Y on Sunday; 'The next day, Y' after a Sunday puts Y on Monday."""
    found = []
    for match in _NARRATIVE.finditer(text, start, end):
        here = [m for m in own if m.end <= match.start() and _single_day(m.date)]
        reference = here[-1] if here else (days[-1][0] if days else None)
        pointing = (match["dir"] or match["rel"] or "").lower() in ("before", "after")
        noun = pointing and re.match(r"\s+the\s+([a-z]{4,})", text[match.end() : end])
        until = match.end()
        if not here and noun:
            stem = noun.group(1)[:5]
            reference = next((m for m, words in reversed(days) if stem in words.lower()), reference)
            until += noun.end()  # "two days before the barrage" is the whole expression
        if reference is None:
            continue
        day = reference.date.first
        if match["same"]:
            point = DatePoint(day, day, Precision.DAY)
        elif match["before"] or match["previous"]:  # "The night before, a strike hit …"
            day -= timedelta(days=1)
            part = (match["before"] or match["previous"]).lower()
            point = DatePoint(day, day, Precision.PART_OF_DAY, part)
        elif match["part"]:
            point = DatePoint(day, day, Precision.PART_OF_DAY, match["part"].lower())
        else:
            count = _NUMBER_OF.get((match["n"] or "a").lower()) or int(match["n"])
            direction = (match["dir"] or match["next"] or match["rel"]).lower()
            forward = direction in ("later", "next", "following", "after")
            if direction == "after" and match["n"] and here:
                forward = False  # "X on Monday, a day after Y": Y came first
            day += timedelta(days=count if forward else -count)
            point = DatePoint(day, day, Precision.DAY)
        found.append(
            Mention(
                text[match.start() : until], match.start(), until, FuzzyDate(point), "narrative"
            )
        )
    return found


_QUOTED_RELATIVE = frozenset(
    {"yesterday", "today", "tomorrow", "last night", "tonight", "this morning", "this afternoon",
     "this evening"}
)  # fmt: skip
_SPEECH_BEFORE = re.compile(
    r"(?i)\b(?:said|says|told|spoke|speaking|added|wrote|interviewed|talked)\b[^.!?]{0,40}\Z"
)


def _said_when(
    mention: Mention,
    text: str,
    start: int,
    own: Sequence[Mention],
    days: Sequence[tuple[Mention, str]],
    published: date,
) -> Mention:
    """'Yesterday' inside a quote counts from when it was said: the day of the saying in the
    sentence, else that of 'spoke/said … on Tuesday' before it; without one, publication."""
    words = " ".join(mention.text.lower().split())
    if mention.rule != "relative-day" or words not in _QUOTED_RELATIVE:
        return mention
    before = text[start : mention.start]
    if not (before.count('"') % 2 or before.rfind("“") > before.rfind("”")):
        return mention
    said = next((m for m in own if m is not mention and _is_statement_date(m, text)), None)
    if said is None and days:
        last = days[-1][0]
        spoke = _SPEECH_BEFORE.search(text, max(0, last.start - 60), last.start)
        said = last if spoke and last.end <= start else None
    if said is None or not _single_day(said.date):
        return mention
    day = said.date.first + (mention.date.first - published)
    point = DatePoint(day, day, mention.date.start.precision, mention.date.start.part)
    return Mention(mention.text, mention.start, mention.end, FuzzyDate(point), "quoted")


def _is_statement_date(mention: Mention, text: str) -> bool:
    """Whether the expression dates a statement ('said on Monday', 'On Sunday, X said')."""
    if _REPORTING_BEFORE.search(text, max(0, mention.start - 24), mention.start):
        return True
    return bool(_REPORTING_AFTER_DATE.match(text, mention.end))


_REPORTING = r"(?:said|says|told|announced|warned|claimed|added|reported)"
_REPORTING_AFTER_DATE = re.compile(rf",\s+(?:[\w'’.-]+\s+){{1,6}}?{_REPORTING}\b")
# Who speaks: up to six words, none of them a connective ("a day after its government warned").
_SPEAKER = (
    r"(?:(?!(?:after|before|when|while|as|because|since|day|days|that|which|who|and|but)\b)"
    r"[\w'’.-]+,?\s+){0,6}?"
)
# A subordinate clause with its own subject and verb: it may tell another event.
_SUBORDINATE = (
    r"(?:after|before|as|because|once|until|while|when)\s+(?:[\w'’-]+\s+){1,4}?"
    r"(?:had\s+|has\s+|have\s+|was\s+|were\s+)?(?:[a-z]{2,}ed|said|took|fled|left|fell|began)\b"
)
# Where a sentence splits into clauses that may report different events.
_CLAUSE_SPLIT = re.compile(
    r";\s+|\s+[—–]\s+"
    r"|,\s+(?=(?:and|but|while|whereas|with)\s)"
    r"|\s+(?=but\s)"
    r"|,?\s+(?=and\s+(?:by|on|in|then)\s)"
    r"|,\s+(?=(?:a|one|two|three|four|five|six|\d)\s+days?\s+(?:after|before)\b)"
    r"|,\s+(?=(?:which|when|where)\s)"
    r"|\s+(?=since\s+(?:it|they|he|she|we)\s)"
    rf"|(?<!day)(?<!days)\s+(?={_SUBORDINATE})"
    r"|(?<=said),\s+(?=[a-z]+ing\b)|(?<=says),\s+(?=[a-z]+ing\b)"  # "…, X said, hitting …"
)
# "…, Poland's president said on Wednesday": an attribution after a clause of its own.
_ATTRIBUTION_SPLIT = re.compile(
    rf"[,.!?][\"”’]?\s+(?={_SPEAKER}{_REPORTING}\b(?!\s+(?:that|it|they)\b))"
)
_FINITE = re.compile(r"\b(?:is|are|has|have|will|would|can|could|must|says)\b")
_FRONTED = re.compile(r"(?:When|After|Before|While|As|Although|Though|Since)\s[^,]{5,200},\s+")
_WHICH = re.compile(r"(?:which|who|where)\s")
# the comma that closes a "which" clause: the main clause's verb follows it
_RELATIVE_CLOSES = re.compile(
    r",\s+(?=(?:[a-z]+ly\s+)?(?:[a-z]{2,}ed|" + "|".join(IRREGULAR_PAST) + r"|is|are|has|have|"
    r"remains)\b)"
)
FRONTED_WORDS = 3  # a first clause this short is a fronted adverbial ("Earlier on Monday,")
_ATTRIBUTION_ONLY = re.compile(
    rf"{_SPEAKER}{_REPORTING}\b(?!\s+(?:that|it|they|he|she|we)\b)(?:(?!\bthat\b)[^;])*\Z"
)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of a sentence as spans of the text (at least one: the sentence)."""
    cuts = [start]
    fronted = _FRONTED.match(text, start, end)
    if fronted and _VERB.search(fronted.group()):  # a clause, not "As a result of …,"
        cuts.append(fronted.end())
    cuts += [match.end() for match in _CLAUSE_SPLIT.finditer(text, start, end)]
    for match in _ATTRIBUTION_SPLIT.finditer(text, start, end):
        before = text[max(c for c in cuts if c <= match.start()) : match.start()]
        if _VERB.search(before) or _FINITE.search(before):  # not "Kyiv's mayor, Vitali …, said"
            cuts.append(match.end())
    cuts = sorted(set(cuts))
    spans = []
    for first, last in zip(cuts, [*cuts[1:], end], strict=True):
        piece = text[first:last].rstrip(" ,;—–")
        if piece.strip():
            spans.append((first, first + len(piece)))
    short = len(spans) > 1 and len(text[spans[0][0] : spans[0][1]].split()) <= FRONTED_WORDS
    if short and not _WHICH.match(text, spans[1][0]):
        spans[:2] = [(spans[0][0], spans[1][1])]  # "On Sunday, Zelensky said …" is one clause
    closed = []
    for first, last in spans:  # "Kherson, which Ukraine recaptured …, came under shelling"
        resumed = _RELATIVE_CLOSES.search(text, first, last) if _WHICH.match(text, first) else None
        if resumed:
            closed += [(first, resumed.start()), (resumed.end(), last)]
        else:
            closed.append((first, last))
    return closed or [(start, end)]


# Headlines

MAX_TITLE_CHARS = 90
_LEAD = re.compile(
    r"(?i)\A(?:\d{1,2}[:.]\d{2}\s+|live:\s*|(?-i:[A-Z][A-Z .'’-]{2,30}):\s+|"
    r"(?:and|but|while|whereas|which|when|where|as|"
    r"since|after|before|then|also|meanwhile|earlier|later|early|late|with)\b[\s,]*|"
    r"on\s+the\s+battlefield,\s*|[\"“”'‘’]+\s*)+"
)
_TIME_WORDS = re.compile(
    r"(?i)\b(?:on|in|by|since|over|during|until|till|at|from|as\s+of|early|late|earlier|later)"
    r"\s+\Z"
)
_QUOTE_TAIL = re.compile(r"[,.]?[\"”’]?\s*,?\s*(?:she|he|they|we)\s+(?:said|says|added)[.!]?\s*\Z")
_DATELINE_PREFIX = re.compile(
    r"\A(?:(?:[^\s—–]+\s+){0,4}[^\s—–]+\s+[—–]\s+|[A-Z][A-Z .’'-]+,\s+[^—–]{0,30}?\s[-—–]\s+)"
)


def headline(
    text: str,
    spans: Sequence[tuple[int, int]],
    mentions: Sequence[Mention],
    claim_only: bool = False,
) -> str:
    """A headline from spans of a sentence: without time expressions, connectives and
    datelines, its verb in the present tense, at most MAX_TITLE_CHARS characters, never cut
    mid-phrase and never with '…'. With claim_only (what an attribution says) its asides go
    whatever its length: a date in a relative clause there is another candidate's."""
    pieces = []
    for first, last in spans:
        cursor = first
        for mention in sorted(mentions, key=_at):
            if mention.start < cursor or mention.end > last:
                continue
            piece = _TIME_WORDS.sub("", text[cursor : mention.start])
            cursor = mention.end
            if piece.rstrip().endswith(",") and text[cursor:last].startswith(","):
                piece = piece.rstrip()[:-1]  # "The attack, on October 22, damaged": no commas
            pieces.append(piece)
            # "On Sunday, Russia …" loses its comma; "in a village on Tuesday, killing …" not
            fronted = not _LEAD.sub("", piece).strip(" ,\"“”'‘’")
            after = r"(?:['’]s)?\s*,?" if fronted else r"(?:['’]s)?"
            cursor += len(re.match(after, text[cursor:last]).group())
        pieces.append(text[cursor:last].rstrip(" ,;"))
    first, last = spans[0][0], spans[-1][1]
    title = " ".join(" ".join(pieces).split())
    title = re.sub(r"(?<=\w )(In|At|Near|Outside)(?= [A-Z])", lambda m: m.group(1).lower(), title)
    title = re.sub(r"<[^<>]*>", "", title)
    title = _DATELINE_PREFIX.sub("", title)
    cause = _FRONTED_PHRASE.match(title)
    if cause and not _VERB.search(cause.group(1)):  # "As a result of the attacks, X …": X …
        title = title[cause.end() :]
    title = _LEAD.sub("", title)
    title = _QUOTE_TAIL.sub("", title)
    title = re.sub(r"[\"“”]", "", title)
    title = re.sub(r"\s+([,.;:])", r"\1", title).strip(" ,;:.—–-")
    title = _FRONTED_LOCATIVE.sub(lambda m: f"{m[3]} {m[1].lower()} {m[2]}", title)
    title = without_asides(title, always=claim_only)
    title = _ATTRIBUTED.sub(r"\1\2 says", shorten(present_tense(title)))
    return (title[:1].upper() + title[1:]) if title else text[first:last][:MAX_TITLE_CHARS]


# "As a result of massive missile attacks, …": a fronted phrase that is not the event
_FRONTED_PHRASE = re.compile(
    r"(?i)((?:as\s+a\s+result\s+of|due\s+to|because\s+of|despite|following|amid|"
    r"according\s+to|in\s+response\s+to)\s[^,]{2,80}),\s+"
)
# "In neighbouring Moldova, half the country lost power": the place goes after the verb
_FRONTED_LOCATIVE = re.compile(r"\A(In|At|Near|Outside|Across)\s+([^,]{2,40}),\s+(.+)\Z")
# "…, Poland's president said" at the end of a headline: "…, Poland's president says".
_ATTRIBUTED = re.compile(r"(,\s+)((?:[\w'’.-]+\s+){0,5}?[\w'’.-]+)\s+said\Z")


# "-ed" forms whose base the spelling rules get wrong.
REGULAR_EXCEPTIONS = {
    "added": "add", "completed": "complete", "deleted": "delete", "competed": "compete",
    "hoped": "hope", "focused": "focus", "visited": "visit", "exited": "exit",
    "patrolled": "patrol", "controlled": "control", "compelled": "compel",
    "expelled": "expel", "cancelled": "cancel", "developed": "develop",
}  # fmt: skip
_PARTICIPLE = (
    r"(?:[a-z]{2,}ed|taken|given|shot|hit|struck|seen|done|gone|held|left|lost|fought|found|"
    r"flown|driven|caught|sought|stood|sold|spent|torn|chosen|drawn|grown|known|paid|thrown|"
    r"written|broken|brought|built|bought|cut|put|set|spread|hurt|beaten|begun|fallen|risen|"
    r"withdrawn|retaken|overrun|become|sent|kept|led|made|met|won|hidden|stolen)"
)
_ADVERB = r"(?:[a-z]+ly|also|already|again|now|then|still|not|never|just|first|once)"
_VERB = re.compile(r"(?<![\w'’-])(?:" + "|".join(IRREGULAR_PAST) + r"|[a-z]{2,}ed)(?![\w'’-])")
_NOT_VERBS = frozenset(
    "hundred united armed limited red speed need bed shed seed feed breed naked sacred "
    "wicked indeed proceed exceed succeed".split()
)
_MODALS = frozenset("could would will can may might must should shall cannot".split())
_BEFORE_ADJECTIVE = frozenset("the a an its their his her our this that these those of".split())
_AUXILIARY = frozenset("had has have been be being was were is are am".split())
_PRESENT_REPORTING = re.compile(
    r"(?i)\b(?:says|say|tells|tell|announces|announce|claims|claim|reports|report|warns|warn|"
    r"insists|insist|believes|believe|thinks|think)\b"
)
_PLURAL_WORDS = frozenset(
    "they we i you people police children men women troops forces officials residents".split()
)


def present_tense(title: str, reported: bool = False) -> str:
    """The title with its main verb (the first past-tense verb after the subject, outside a
    relative clause and not after a modal) in the present tense, a verb coordinated with it
    ('entered … and raised') too; in what it reports ('said it had recaptured'), only the
    perfect and the passive change ('has recaptured', 'power stations destroyed')."""
    for match in _VERB.finditer(title):
        word = match.group()
        words = title[: match.start()].split()
        if not words or word in _NOT_VERBS:
            continue
        previous = words[-1].lower().strip(",")
        if any(w.lower().strip(",") in _MODALS for w in words) or _PRESENT_REPORTING.search(
            title[: match.start()]
        ):
            return title  # the clause's verb is already present or a modal's
        helper = next((w.lower() for w in reversed(words) if not re.fullmatch(_ADVERB, w)), "")
        if previous in ("who", "that", "which") or helper in _AUXILIARY:
            continue  # a relative clause's verb, or a participle ("have openly described")
        if re.match(r"\s+by\b", title[match.end() :]) and "," in title[: match.start()][-3:]:
            continue  # "Kherson, recaptured by Ukraine, has …": a participle
        if re.match(r"\s+saying\b", title[match.end() :]):
            continue
        if previous in _BEFORE_ADJECTIVE:
            continue  # "the abandoned equipment": an adjective
        plural = _is_plural(words)
        after = title[match.end() :]
        replaced, after = _in_present(word, after, plural, reported)
        if replaced is None:
            return title
        head = title[: match.start()] + replaced
        if not reported and replaced in ("says", "say", "tells", "tell"):
            reported_clause = re.sub(r"\A\s+that\b", "", after).strip()
            after = " " + present_tense(reported_clause, reported=True)
        elif not reported:
            joined = re.match(rf"([^,;]*?\band\s+)({_VERB.pattern})", after)
            if joined:
                second, _ = _in_present(joined.group(2), "", plural, False)
                tail = after[joined.end() :]
                after = joined.group(1) + (second or joined.group(2)) + tail
        return " ".join((head + after).split())
    relative = _RELATIVE_ONLY.match(title)
    if (
        relative and not reported and not _MODALS & {w.lower() for w in title.split()}
    ):  # "A missile that landed in …": the clause is the event
        promoted = present_tense(relative.group(1) + " " + relative.group(2))
        if promoted != relative.group(1) + " " + relative.group(2):
            return promoted
    return title


_RELATIVE_ONLY = re.compile(r"(\S.*?)\s(?:that|which|who)\s(.*)\Z")


def _in_present(word: str, after: str, plural: bool, reported: bool) -> tuple[str | None, str]:
    """A past form as the present (and what follows, changed when an auxiliary goes), or None
    to leave the title as it is."""
    perfect = re.match(rf"\s+(?:{_ADVERB}\s+)?{_PARTICIPLE}\b", after)
    if word in ("had", "has", "have"):
        been = re.match(r"\s+been\s+", after)
        if been:  # "had been destroyed" -> "destroyed"
            return "", after[been.end() - 1 :]
        if perfect:
            return ("have" if plural else "has"), after
        return (None, after) if reported else (("have" if plural else "has"), after)
    if word in ("was", "were"):
        if perfect:  # "was probably fired" -> "probably fired"
            return "", after
        return (None, after) if reported else (("are" if plural else "is"), after)
    if reported:
        return None, after
    base = IRREGULAR_PAST.get(word) or REGULAR_EXCEPTIONS.get(word) or _regular_base(word)
    return (base if plural else _third_person(base)), after


def _is_plural(words: Sequence[str]) -> bool:
    """Whether the subject before a verb is plural, from its last word (adverbs skipped)."""
    index = len(words) - 1
    while index > 0 and re.fullmatch(_ADVERB, words[index].lower()):
        index -= 1
    for back in range(index - 1, max(0, index - 4), -1):  # "Volunteers from Kharkiv": volunteers
        if words[back].lower() in ("from", "of", "in", "at", "near", "with", "on"):
            index = back - 1
            break
    head = words[index].strip(",")
    lowered = head.lower()
    if lowered in _PLURAL_WORDS:
        return True
    if head[:1].isupper() and index > 0:
        return lowered.endswith("ans")  # "Ukrainians", not "Donbas" or "Reuters"
    return lowered.endswith("s") and not lowered.endswith(("ss", "us", "is", "'s", "’s"))


def _regular_base(word: str) -> str:
    """The base of a regular past form: 'stopped' stop, 'seized' seize, 'carried' carry,
    'fired' fire, 'entered' enter, 'announced' announce."""
    if word.endswith("ied"):
        return word[:-3] + "y"
    stem = word[:-2]
    if re.search(r"([bdgkmnprtz])\1\Z", stem):
        return stem[:-1]  # "stopped", "planned"; not "shelled", "killed"
    if re.search(
        r"(?:[cgvzu]|[^s]s|[^aeiou][aeiou][bdkm]|[^aeiou][aiou]r|[^aeiou][aou]t|[^aeiou][iou]l|"
        r"[^aeiou]in|[^aeiou][aiu]p)\Z",
        stem,
    ):
        return stem + "e"
    return stem


def _third_person(base: str) -> str:
    irregular = {"be": "is", "have": "has", "do": "does", "go": "goes", "say": "says"}
    if base in irregular:
        return irregular[base]
    if re.search(r"[^aeiou]y\Z", base):
        return base[:-1] + "ies"
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        return base + "es"
    return base + "s"


_ASIDES = (
    re.compile(r"\s*\([^()]*\)"),  # parentheses
    re.compile(r",\s+(?:which|who|where)\s[^,]*,"),  # ", which …,"
    re.compile(r",\s+[a-z]+ing\s[^,]*,"),  # ", killing two farm workers,"
    # a relative clause before the verb; not "said that …", whose "that" starts what was said
    re.compile(
        r"(?<!said)(?<!says)(?<!told)(?<!ed)\s(?:that|which|who)\s[^,]*?"
        r"(?=\s(?:is|are|was|were|has|have|had)\s)"
    ),
    re.compile(r",?\s+(?:after|following|amid|because|as)\s.*?(?=,\s[^,]*\bsays?\Z|\Z)"),
)
_CUT_BEFORE = re.compile(
    r",\s+|\s+(?:after|before|while|which|who|as|because|following|amid|—|–)\s+|\s+\(|:\s+"
)
_DANGLING_END = re.compile(
    r"(?i)\s+(?:the|a|an|of|and|or|in|on|at|to|for|with|by|from|its|their|his|her|that|where|"
    r"which|who|when|while|over|into|onto|across|through|near|about|after|before|under|against|"
    r"around|during|since|until|as|than|between|among|amid)\Z"
)


def without_asides(title: str, always: bool = False) -> str:
    """A title longer than MAX_TITLE_CHARS without its asides, one kind after the other until
    it fits (always: every kind but 'after …'): parentheses, ', which …,', ', killing …,', a
    relative clause before the verb, 'after …'."""
    for number, aside in enumerate(_ASIDES):
        if len(title) <= MAX_TITLE_CHARS and not (always and number < len(_ASIDES) - 1):
            break
        title = re.sub(r"\s+([,.;:])", r"\1", " ".join(aside.sub("", title, count=1).split()))
    return title


def shorten(title: str) -> str:
    """A title of at most MAX_TITLE_CHARS, cut at the last phrase boundary that fits, else at
    a word; never with '…' or a dangling word at the end."""
    if len(title) <= MAX_TITLE_CHARS:
        return title
    cuts = [m.start() for m in _CUT_BEFORE.finditer(title) if 12 <= m.start() <= MAX_TITLE_CHARS]
    cut = title[: cuts[-1]] if cuts else title[: MAX_TITLE_CHARS + 1].rsplit(" ", 1)[0]
    while _DANGLING_END.search(cut):
        cut = _DANGLING_END.sub("", cut)
    return cut.rstrip(" ,;:")


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
    r"(?:\s+(?:us|him|her|them|me|reporters|journalists))?(?:\s+(?:on|late|early))?\s+\Z"
)


def pick_anchor(mentions: Sequence[Mention], text: str) -> Mention:
    """The expression that dates the event: the narrowest, passing over the date of a
    statement ('said on Monday ... in the past 24 hours' is dated by the past 24 hours)."""

    def reported(mention: Mention) -> bool:
        return bool(_REPORTING_BEFORE.search(text, max(0, mention.start - 24), mention.start))

    pool = [m for m in mentions if not reported(m)] or list(mentions)
    return min(pool, key=lambda m: (m.date.days, m.start))


STORY_NEAR_DAYS = 7  # a story with events this close to a date is under way then


@dataclass(frozen=True, slots=True)
class Filed:
    """What an event filed under a story tells about the story: when, what kind, where, who."""

    first: date
    last: date
    category: str
    places: frozenset[str]
    actors: frozenset[str]


@dataclass(frozen=True)
class StoryIndex:
    """The reviewed events of the file under each story (extracted candidates are not used)."""

    events: dict[str, tuple[Filed, ...]] = field(default_factory=dict)

    @classmethod
    def from_timeline(cls, timeline: Timeline | None) -> StoryIndex:
        """The index of an events file (empty without one)."""
        found: dict[str, list[Filed]] = {}
        for event in timeline.events if timeline else ():
            if event.origin == "extracted":
                continue
            filed = Filed(
                event.date.first,
                event.date.last,
                event.category,
                frozenset(event.places),
                frozenset(event.actors),
            )
            for story in event.stories:
                found.setdefault(story, []).append(filed)
        return cls({story: tuple(events) for story, events in found.items()})

    def near(self, story: str, when: FuzzyDate) -> list[Filed]:
        """The story's events within STORY_NEAR_DAYS of a date."""
        reach = timedelta(days=STORY_NEAR_DAYS)
        return [
            e for e in self.events.get(story, ()) if e.first - reach <= when.last
            and when.first <= e.last + reach
        ]  # fmt: skip


def pick_stories(
    when: FuzzyDate,
    stories: Sequence[Story],
    sentence: str = "",
    places: Sequence[str] = (),
    actors: Sequence[str] = (),
    index: StoryIndex | None = None,
    category: str = "",
) -> tuple[str, ...]:
    """The story whose span covers the date; among several, the first by: having events near
    the date in the file, how many of those share a place or an actor with the candidate (two
    points each) or its category (one), how many there are, the words its title and
    description share with the sentence, the latest start. When none covers it: 'context',
    else the first story."""
    covering = [story for story in stories if story.date.covers(when)]
    if covering:
        words = _content_words(sentence)
        index = index or StoryIndex()

        def fit(story: Story) -> tuple[bool, int, int, int, date]:
            about = _content_words(f"{story.title} {story.description or ''}")
            near = index.near(story.id, when)
            alike = sum(  # a shared place or actor says more than a shared category
                2 * bool(e.places & set(places) or e.actors & set(actors))
                + (e.category == category)
                for e in near
            )
            return bool(near), alike, len(near), len(words & about), story.date.first

        return (max(covering, key=fit).id,)
    fallback = next((story for story in stories if story.id == "context"), None)
    fallback = fallback or (stories[0] if stories else None)
    return (fallback.id,) if fallback else ()


# Keyword classifier: the category with the most keyword hits wins; ties go to the earlier
# category. Statements and assessments count half, since nearly every sentence says who said it.
CATEGORY_KEYWORDS = {
    "strike": r"missiles?|rockets?|drones?|strikes?|struck|hit|shell(?:ed|ing|s)?|bomb\w*|"
    r"airstrikes?|"
    r"barrages?|salvos?|raids?|"
    r"explosions?|blasts?|attack(?:s|ed)?",
    "advance": r"retak\w*|retook|recaptur\w*|liberat\w*|regain\w*|took\s+back|reclaim\w*|"
    r"advanc\w*|counter-?offensive|offensive|breakthrough|captur\w*|seiz\w*|annex\w*|"
    r"took|entered|raised\s+(?:the\s+)?(?:\w+\s+)?flag|"
    r"(?:troops|forces|soldiers)\s+(?:were|are)\s+(?:in|inside)|consolidat\w*|crossed|"
    r"push\w*\s+(?:into|towards?|through)|gain\w*\s+ground|broke\s+through|"
    r"flags?\s+(?:went|go|goes|were|was)\s+up",
    "withdrawal": r"withdr[ae]w\w*|withdrawal|retreat\w*|pull(?:ed|ing)?\s+(?:back|out)|"
    r"abandon\w*|regroup\w*|"
    r"(?:troops|forces|soldiers|tanks|units|Russians|Ukrainians)\s+(?:\w+\s+)?(?:leave|left|leaving)",
    "infrastructure": r"power|electricity|blackouts?|outages?|grid|water\s+suppl\w*|energy|"
    r"(?<=energy\s)facilit\w*|(?<=power\s)facilit\w*|(?<=energy\s)infrastructure|"
    r"heat(?:ing)?|restor\w*|repair\w*|power\s+plants?",
    "casualties": r"killed|killing|dead|deaths?|died|wounded|injured|casualt\w*|losses|bodies|"
    r"burials?|graves?",
    "civilians": r"evacuat\w*|residents|refugees|civilians|fled|flee\w*|return\w*\s+home|"
    r"humanitarian|shelters?|deport\w*|bread|food",
    "diplomacy": r"talks|negotiat\w*|summit|diplomat\w*|sanctions?|agreements?|ceasefire|"
    r"treaty|aid|pledg\w*|G20|G7|ambassadors|envoys|met",
    "assessment": r"think\s+tank|analysts?|institute|assess\w*|intelligence|experts?",
    "statement": r"said|says|told|announc\w*|warn\w*|claim\w*|denounc\w*|vow\w*|tweet\w*|"
    r"wrote|stated|declared|threat\w*|speech|address(?:ed)?|mock\w*",
}
_CATEGORY_PATTERNS = {
    name: re.compile(rf"(?i)(?<![\w-])(?:{pattern})(?![\w-])")
    for name, pattern in CATEGORY_KEYWORDS.items()
}
_HALF_WEIGHT = frozenset({"statement", "assessment"})


# A clause whose verb is one of these reports words, whatever they are about.
_STATEMENT_VERB = re.compile(
    r"(?i)\b(?:warn|vow|urg|threaten|deni|deny|promis|pledg|call)\w*\s+(?:of|that|to|on|for)\b"
)


_LEAD_QUOTES = re.compile(r"\A[\"“‘'\s]+")
_BACKGROUND = re.compile(
    r"(?i)(?:\s(?:after|following|amid|was\s+followed\s+by)|,\s+(?:forcing|causing|leaving|"
    r"killing|cutting|prompting|triggering|knocking|sparking))\s"
)


def _split_background(sentence: str) -> tuple[str, str, str]:
    """The sentence before and after its first 'after'/'following'/'amid' or consequence
    (', causing …'): what follows is background or aftermath, and only breaks ties; so does
    a fronted cause ('As a result of the attacks, …')."""
    cause = _FRONTED_PHRASE.match(_LEAD_QUOTES.sub("", sentence))
    if cause and not _VERB.search(cause.group(1)):
        rest = _LEAD_QUOTES.sub("", sentence)[cause.end() :]
        return rest, cause.group(), cause.group(1)
    found = _BACKGROUND.search(sentence)
    if found is None:
        return sentence, "", ""
    return sentence[: found.start()], found.group(), sentence[found.end() :]


def classify(sentence: str, clause: str = "") -> str:
    """A category of the controlled vocabulary from keywords; 'other' when none matches.

    Keywords of the main clause count (statements and assessments half); a tie goes to a
    category that is not a statement or assessment, then to the category named first (the
    subject and verb come first: 'missiles struck energy facilities' is a strike), then to
    what an 'after …' or ', causing …' adds, then to the earlier of CATEGORY_KEYWORDS."""
    if clause and _STATEMENT_VERB.search(clause):
        return "statement"
    main, _, background = _split_background(sentence)
    best, best_score = "other", (0.0, False, 0.0, 0.0)
    for name, pattern in _CATEGORY_PATTERNS.items():
        found = list(pattern.finditer(main))
        weight = 0.5 if name in _HALF_WEIGHT else 1.0
        hits = weight * len({hit.group().lower() for hit in found})
        first = -found[0].start() if found else -len(main) - 1
        behind = weight * len({hit.lower() for hit in pattern.findall(background)})
        score = (hits, name not in _HALF_WEIGHT, first if hits else 0.0, behind)
        if (hits or behind) and score > best_score:
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
    country_of: dict[str, str] = field(default_factory=dict)  # place id -> its country's id
    place_names: dict[str, str] = field(default_factory=dict)
    countries: frozenset[str] = frozenset()
    demonyms: re.Pattern | None = None  # "a Moldovan village": the country, as a place
    demonym_of: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # place id -> kind (city, region, …)

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
        country_ids = {p.name: p.id for p in timeline.places.values() if p.kind == "country"}
        country_of = {
            p.id: country_ids[p.country]
            for p in timeline.places.values()
            if p.kind != "country" and p.country in country_ids
        }
        place_names = {place.id: place.name for place in timeline.places.values()}
        countries = frozenset(country_ids.values())
        demonym_of = {_demonym(name): place for name, place in country_ids.items()}
        demonyms = re.compile(
            r"\b(" + "|".join(map(re.escape, demonym_of)) + r")\s+(?:village|town|city|region|"
            r"territory|border|soil|airspace|capital|port|settlement)s?\b"
        )
        kinds = {place.id: place.kind for place in timeline.places.values()}
        return cls(
            pattern, places, actors, actor_names, country_of, place_names, countries, demonyms,
            demonym_of, kinds,
        )  # fmt: skip

    def find(self, sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Place ids and actor ids named in a sentence, in order of first mention."""
        places: list[str] = []
        actors: list[str] = []
        if self.pattern is None:
            return (), ()
        regions = {  # "Kyiv, Kharkiv and Zaporizhzhia regions": each is a region
            listed.start(1) + name.start()
            for listed in _REGION_LIST.finditer(sentence)
            for name in re.finditer(r"[A-Z][\w'’-]+", listed.group(1))
        }
        for match in self.pattern.finditer(sentence):
            name = match.group()
            place, actor = self.places.get(name), self.actors.get(name)
            if match.start() in regions:
                place = self._region(name) or place
            # "Kyiv said": a capital that speaks is the government, not the place.
            if place and actor and _REPORTING_AFTER.match(sentence, match.end()):
                place = None
            if place and actor:
                actor = None
            # "Russia launched missiles at …", "Russia said …": a country that acts or speaks
            # is not where it happens, unless it speaks of its own land ("… its territory")
            if (place in self.countries and _ACTING_AFTER.match(sentence, match.end())) or (
                place in self.countries
                and _REPORTING_AFTER.match(sentence, match.end())
                and not _OWN_LAND.search(sentence, match.end(), match.end() + 80)
            ):
                place = None
            if place in self.countries and _INSTITUTION_AFTER.match(sentence, match.end()):
                place = None  # "Russia's defence ministry": whose, not where
            if _TIME_ZONE.match(sentence, match.end()):
                place = actor = None  # "5 a.m. Moscow time"
            for found, into in ((place, places), (actor, actors)):
                if found and found not in into:
                    into.append(found)
        for match in self.demonyms.finditer(sentence) if self.demonyms else ():
            country = self.demonym_of[match.group(1)]
            if country not in places:
                places.append(country)
        return tuple(places), tuple(actors)

    def _region(self, name: str) -> str | None:
        """The region a name stands for, as the gazetteer spells it ('Kyiv region')."""
        for spelling in (f"{name} region", f"{name} Region", f"{name} Oblast", name):
            place = self.places.get(spelling)
            if place and self.kinds.get(place) == "region":
                return place
        return None

    def specific(self, places: Sequence[str]) -> tuple[str, ...]:
        """The places without a country when a place inside that country is named too."""
        inside = {self.country_of[place] for place in places if place in self.country_of}
        return tuple(place for place in places if place not in inside)


_ACTING_AFTER = re.compile(
    r"\s+(?:(?:has|had|have|will|would)\s+)?"
    r"(?!(?:was|were|had|did|said|told|[a-z]+ounced|warned|claimed|reported|added)\b)"
    r"(?:[a-z]{3,}ed|" + "|".join(IRREGULAR_PAST) + r"|fires|launches)\b"
)  # not "was hit" (a country that is hit is where it happens), not "said" (nor one that speaks)


def _demonym(country: str) -> str:
    """'Moldova' Moldovan, 'Russia' Russian, 'Ukraine' Ukrainian (the regular English forms)."""
    if country.endswith("a"):
        return country + "n"
    if country.endswith("e"):
        return country[:-1] + "ian"
    return country + "ian"


_REGION_LIST = re.compile(
    r"((?:[A-Z][\w'’-]+,\s+)*[A-Z][\w'’-]+,?\s+and\s+[A-Z][\w'’-]+)\s+"
    r"(?:regions|oblasts|provinces)\b"
)
_OWN_LAND = re.compile(
    r"\bits\s+(?:territory|cities|towns|villages|regions|grid|power|capital|citizens|people)\b"
)
_TIME_ZONE = re.compile(r"\s+time\b")
_INSTITUTION_AFTER = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?:ministry|government|army|military|forces|president|parliament|"
    r"air\s+force|general\s+staff|navy|officials|leader|spokes\w+|envoy|ambassador)\b"
)
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
    r"percent|per\s+cent|%": ("percent", "share"),  # "80 percent of residents" is a share
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
    rf"(?:\s+|(?=%))(?P<unit>{'|'.join(f'(?:{unit})' for unit in UNITS)})(?![\w-])"
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


# Linking to the events already in the file

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
            self.wording[event.id] = frozenset(_content_words(quotes))
        return self.wording[event.id]


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
    words = _content_words(_split_background(clause)[0])  # not the "after …" it follows
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
            and (_LEAD.sub("", clause).strip(" ,;:.") in citation.quote or citation.quote in clause)
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
        alike = event.category == candidate.category
        overlapping = first <= event.date.last and event.date.first <= last
        measured = {(f.measure, f.unit): f.value for f in event.figures}
        conflict = any(
            measured.get((f["measure"], f["unit"]), f["value"]) != f["value"]
            for f in candidate.figures
        )
        if conflict and not overlapping:
            continue  # another count of the same thing on other days: another claim
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
        # a place changes hands once: an advance into it is the advance the file has
        held = places and inside and event.category in ("advance", "withdrawal")
        # a report that names no place, of the only event of its kind on exactly its day
        dated = same_days and not candidate.inherited and not set(candidate.places) - countries
        dated = dated and overlap >= LINK_RELATED
        if event.category == candidate.category and event.origin != "extracted" and (held or dated):
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
    words = (word for word in _WORDS.findall(text.lower()) if word not in _STOPWORDS)
    return {_stem(word) for word in words if len(word) > 2}


_WORDS = re.compile(r"[a-z0-9]+")
_SUFFIX = re.compile(r"(?:ing|ed|es|s)$")


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return _SUFFIX.sub("", word)


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
                        "same_as": event.same_as,
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
