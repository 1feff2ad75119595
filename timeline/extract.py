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
YAML; `timeline.intake` takes them into an events file, added (`origin: extracted`, `status:
candidate`) or linked to the event they report (`python -m timeline extract`, in timeline/cli,
does either). docs/extraction.md has the rules and the measured numbers.

The steps live in their own modules: `timeline.clauses` (sentence into clauses, background),
`timeline.dating` (which date a clause's event takes), `timeline.headlines` (clause into
headline), `timeline.classify` (category, story), `timeline.gazetteer` (places, actors),
`timeline.measures` (claimed figures), `timeline.linking` (`same_as`, one event in several
articles); this module reads articles, runs the steps and writes the results.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from timeline.articles import read_article
from timeline.candidates import Article, Candidate, CandidateEvent
from timeline.classify import (
    CATEGORY_KEYWORDS,
    StoryIndex,
    classify,
    classify_how,
    keyword_category,
    one_weapon_kills,
    pick_stories_how,
    reports_words,
    tells_deed,
    words_not_deeds,
)
from timeline.clauses import (
    FRONTED_SUBORDINATE,
    FRONTED_WHERE,
    NARRATED_CLAUSE,
    Sentence,
    appositive_apart,
    clause_spans,
    dated_background,
    relative_event,
    reported_apart,
    speaker,
    subject_phrase,
    without_fronted_where,
    without_markup,
)
from timeline.dates import Precision
from timeline.dating import (
    clock_heading,
    counted_from_noun,
    dates_saying,
    deictic_mentions,
    event_dates,
    in_dateline,
    narrative_mentions,
    pick_anchor,
    pointed_back_mentions,
    said_when,
    single_day,
    starts_at,
    until_said,
    when_of,
)
from timeline.doubts import doubt_words, doubts, notes_line
from timeline.errors import Problem, Severity, TimelineError
from timeline.gazetteer import (
    HEADLINE_WORDS,
    Gazetteer,
    article_topic,
    context_places_how,
    name_antecedent,
    paragraph_heading,
    site_antecedent,
    speakers,
)
from timeline.headlines import (
    CLOCK_TIME,
    DATELINE_PREFIX,
    MAX_TITLE_CHARS,
    headline,
    headline_how,
    perfect_as_present,
    present_tense,
    shorten,
    without_asides,
)
from timeline.linking import (
    LinkIndex,
    group_same_events,
    same_as,
    same_as_how,
    same_event,
    similarity,
)
from timeline.load import load_timeline
from timeline.measures import find_figures
from timeline.model import Source, Story, Timeline
from timeline.temporal import Mention, dateline, find_mentions, sentence_spans
from timeline.verbs import (
    A_VERB,
    ADVERB,
    PARTICIPLE,
    PAST_VERB,
    RESULT_COORDINATED,
    RESULT_PARTICIPLE,
    RESULT_PARTICIPLES,
    RESULT_PAST,
)
from timeline.words import plural
from timeline.write import suggest_id

# The parts live in their own modules; what callers and tests use is importable from here.
__all__ = [
    "CATEGORY_KEYWORDS",
    "FORMATS",
    "MAX_TITLE_CHARS",
    "Article",
    "Candidate",
    "CandidateEvent",
    "EventsFileError",
    "Gazetteer",
    "LinkIndex",
    "NoPublicationDate",
    "Sentence",
    "StoryIndex",
    "article_candidates",
    "classify",
    "clause_spans",
    "event_record",
    "extract",
    "find_events_file",
    "find_figures",
    "group_same_events",
    "headline",
    "load_events_file",
    "mention_rows",
    "narrative_mentions",
    "pick_anchor",
    "pick_stories_how",
    "present_tense",
    "read_articles",
    "read_one",
    "relative_event",
    "render",
    "same_as",
    "same_event",
    "shorten",
    "similarity",
    "source_for",
    "without_asides",
]

EVENTS_FILE = "events.yaml"
FORMATS = ("json", "yaml")


class NoPublicationDate(TimelineError):
    """No publication date is known for an article, and none is guessed."""


class EventsFileError(TimelineError):
    """The events file cannot be used for extraction or merging."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path


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


@dataclass(frozen=True, slots=True)
class ExtractionContext:
    """What extraction looks up in an events file, built once per file: building it per
    article took about a sixth of an article's extraction with the shipped file."""

    timeline: Timeline | None
    gazetteer: Gazetteer
    stories: tuple[Story, ...]
    event_ids: frozenset[str]
    index: StoryIndex
    links: LinkIndex | None

    @classmethod
    def of(cls, timeline: Timeline | None) -> ExtractionContext:
        """The lookups of `timeline` (None: no file, so no places, stories or links)."""
        return cls(
            timeline,
            Gazetteer.from_timeline(timeline),
            tuple(timeline.stories.values()) if timeline else (),
            frozenset(event.id for event in timeline.events) if timeline else frozenset(),
            StoryIndex.from_timeline(timeline),
            LinkIndex.from_timeline(timeline) if timeline else None,
        )


def extract(
    articles: Sequence[Article],
    timeline: Timeline | None,
    context: ExtractionContext | None = None,
) -> list[CandidateEvent]:
    """Candidate events from articles: one per dated clause, the same event merged, each with
    its stories and its `same_as`. `context`, when given, must be `ExtractionContext.of` this
    timeline (callers extracting many articles one by one build it once)."""
    if context is None:
        context = ExtractionContext.of(timeline)
    elif context.timeline is not timeline:
        raise ValueError("the extraction context was built for another timeline")
    gazetteer = context.gazetteer
    candidates = [
        candidate for article in articles for candidate in article_candidates(article, gazetteer)
    ]
    events = group_same_events(candidates)
    stories = list(context.stories)
    taken = set(context.event_ids)
    index = context.index
    links = context.links
    for event in events:
        event.id = suggest_id(event.first.title, taken)
        taken.add(event.id)
        first = event.first
        words = first.article.text[first.clause[0] : first.clause[1]] or first.sentence
        event.stories, picked = pick_stories_how(
            first.date,
            stories,
            words,
            first.places,
            first.actors,
            index,
            first.about or first.category,
        )
        event.same_as, linked = same_as_how(first, timeline, links) if timeline else (None, "")
        event.doubts = event_doubts(first.doubts, picked, linked, event.same_as is not None)
    return events


# How a story or a link decided by a weak path is doubted (pick_stories_how, same_as_how)
_STORY_DOUBTS = {"default": "story-default", "tie": "story-tie"}
_LINK_DOUBTS = {"lone": "link-weak", "flashback": "link-weak"}


def event_doubts(
    member: Sequence[str], picked: str, linked: str, is_linked: bool
) -> tuple[str, ...]:
    """A candidate event's doubts: its first member's, its story's and its link's; for one
    linked to an event of the file only those of its date and link, the points it keeps."""
    codes = [*member, _STORY_DOUBTS.get(picked, ""), _LINK_DOUBTS.get(linked, "")]
    if is_linked:
        codes = [code for code in codes if code.startswith(("date-", "link-"))]
    return doubts(code for code in codes if code)


def article_candidates(article: Article, gazetteer: Gazetteer) -> list[Candidate]:
    """One candidate per dated clause of the article (not of its headline and heading lines),
    and one per dateless sentence that says it continues the event before it (with that
    event's date and places) or tells an event in an item under a date heading."""
    text = article.text
    found = [m for m in find_mentions(text, article.published) if not in_dateline(m, text)]
    topic = article_topic(text, gazetteer)
    candidates: list[Candidate] = []
    days: list[tuple[Mention, str]] = []  # single days so far, with their sentences
    main: Candidate | None = None  # the first candidate of the last dated sentence
    spans = (without_markup(text, *span) for span in sentence_spans(text))
    heading: tuple[str, ...] = ()  # the places of the paragraph's run-in heading
    item: Candidate | None = None  # the candidate of a date heading the paragraph ("MONDAY —")
    title_end = headline_end(text)  # the article's headline tells what its body tells
    after = 0  # the end of the sentence before
    for start, end in with_headings(text, list(spans), found):
        if "\n" in text[after:start] or after == 0:
            heading = paragraph_heading(text, start, end, gazetteer)
            item = None
        # the sentence right after the dated one, in its paragraph ("Two civilians were killed.")
        next_to = main is not None and main.end == after and "\n" not in text[after:start]
        after = end
        own = [m for m in found if start <= m.start and m.end <= end]
        # a time of day is on the day the paragraph named last, else the publication day
        paragraph = text.rfind("\n", 0, start)
        named = days[-1][0] if days and days[-1][0].start > paragraph else None
        own = own or deictic_mentions(
            text, start, end, article.published, named.date.first if named else None
        )
        narrative = narrative_mentions(text, start, end, own, days)
        narrative += pointed_back_mentions(text, start, end, days) if own else []
        # "the next day" counts from the event before it, not from the publication
        own = [m for m in own if not any(n.start < m.end and m.start < n.end for n in narrative)]
        own = sorted(own + narrative, key=starts_at)
        own = [said_when(m, text, start, own, days, article.published) for m in own]
        # what the narrative counts from is what the text names, not what was counted from it
        days += [
            (m, text[start:end])
            for m in own
            if single_day(m.date) and m.rule not in ("narrative", "pointed")
        ]
        starts = [m.start for m in own]
        clauses = dated_background(text, clause_spans(text, start, end), starts)
        clauses = reported_apart(text, clauses, own)
        clauses = appositive_apart(text, clauses, own, tells_deed)
        sentence = Sentence(text, start, end, clauses, tuple(own))
        if not own:
            # what a dateless sentence continues: the dated sentence's first event, or its
            # last ("…crossed by 5am; by the afternoon, troops were hugged in the square.
            # Hours earlier, a span of the bridge had collapsed.")
            continued = main
            aftermath = next_to and aftermath_of(main, text[start:end])
            if next_to and not aftermath and candidates[-1] is not main:
                aftermath = aftermath_of(candidates[-1], text[start:end])
                continued = candidates[-1] if aftermath else main
            whole = (start, end)
            if continued is not None and (_CONTINUES.search(text, start, end) or aftermath):
                candidates.append(
                    _candidate(article, gazetteer, sentence, whole, (continued.anchor,),
                               candidates, continues=continued, topic=topic, heading=heading)
                )  # fmt: skip
            elif (
                main is not None
                and main.category == "strike"
                and (place := _PLACE_FIRST.match(text, start, end))
                and gazetteer.find(place["where"])[0]
                and PAST_VERB.search(text, place.end(), end)
            ):
                # "In Kharkiv, two missiles hit a critical infrastructure facility.": a place
                # the strikes the text last dated also hit, told in a sentence of its own
                told = _candidate(article, gazetteer, sentence, whole, (main.anchor,),
                                  candidates, continues=main, topic=topic,
                                  heading=heading)  # fmt: skip
                if told.category in ("strike", "infrastructure"):
                    candidates.append(told)
            elif _tells(text, start, end) and (
                clock := clock_heading(
                    text, start, article.published, days[-1][0].date.first if days else None
                )
            ):
                # "8:15 a.m. / The first missile struck …": an item of a timeline of the day;
                # the sentence takes the heading's date (it is what the date is judged by)
                told = _candidate(article, gazetteer, sentence, whole, (clock,), candidates,
                                  topic=topic, heading=heading)  # fmt: skip
                if told.category != "other" and not _NONE.search(text, start, end):
                    # the heading's date, not one counted from another day
                    kept = (code for code in told.doubts if code != "date-counted")
                    dated = doubts((*kept, "date-inherited"))
                    candidates.append(replace(told, inherited=True, doubts=dated))
            elif item is not None and PAST_VERB.search(text, start, end):
                # "MONDAY, 10 OCTOBER — … A missile hit the bridge.": the heading dates its item
                told = _candidate(article, gazetteer, sentence, whole, (), candidates,
                                  topic=topic, heading=heading, dated_by=item)  # fmt: skip
                if told.category != "other" and not _NONE.search(text, start, end):
                    candidates.append(told)
            continue
        count = len(candidates)
        previous: Candidate | None = None  # the candidate of the clause before, if it had one
        before = (start, start)
        setting: tuple[Mention, ...] = ()  # the date of a habitual 'when' clause before
        for clause in sentence.clauses:
            every = tuple(m for m in own if clause[0] <= m.start < clause[1])
            where = FRONTED_WHERE.match(text, clause[0], clause[1])
            if where:  # "In Kharkiv, where missiles struck on 10 October, power failed on 11
                # October": the date of what the clause tells, not of its place's aside
                every = tuple(m for m in every if m.start >= where.end()) or every
            first = len(candidates)  # where this clause's candidate goes
            scene, setting = setting, ()  # only the clause right after the scene takes it
            if not every and scene:
                every = scene  # "In March, when … every night, she slept …"
            elif not every:
                every = when_of(text, clause, own)
                told = candidates[-1] if every and len(candidates) > count else None
                if (
                    every
                    and _HABIT.search(text, clause[0], clause[1])
                    and clause != sentence.clauses[-1]
                ):
                    # "In March, when shells fell on Saltivka every night, she slept in the
                    # metro": a 'when' clause of habit sets the scene; the clause after it is
                    # the month's event, and the date before only names it
                    if told is not None and not tells_deed(text[told.clause[0] : told.clause[1]]):
                        candidates.pop()
                    every, setting = (), every
                    told = None
                if (
                    told is not None
                    and told.anchor.rule != "since"
                    and single_day(told.date)
                    and not text[told.anchor.end : clause[0]].strip(" ,")
                ):
                    # "Russia began its campaign on 10 October, when it fired 80 missiles":
                    # the 'when' clause tells what happened that day; the clause before only
                    # names it. One that tells a deed of its own ("Kupiansk was occupied on
                    # 27 February, when its mayor handed …") is that day's event, and the
                    # 'when' clause only says how.
                    if tells_deed(text[told.clause[0] : told.clause[1]]):
                        every = ()
                    else:
                        candidates.pop()
                elif told is not None and not text[told.anchor.end : clause[0]].strip(" ,"):
                    # "Moscow has pounded power stations since Oct. 10, when 80 missiles
                    # struck": the day named is the 'when' clause's event, which came first;
                    # what has gone on since is listed after it
                    first = len(candidates) - 1
            if every:
                previous = _candidate(
                    article,
                    gazetteer,
                    sentence,
                    clause,
                    every,
                    candidates,
                    topic=topic,
                    heading=heading,
                )
                if absence(text, clause, previous.anchor):
                    previous = None  # what has not happened since March is not an event
                    continue
                if (
                    masthead(text, sentence, previous.anchor, article.published)
                    or end <= title_end
                    or only_time(text, clause, every)
                ):
                    previous = None  # "Radio news bulletin, Sunday 11 September, 21:00", a headline
                    continue
                candidates.insert(first, previous)
            elif (
                previous is not None
                and not previous.named  # "the October 10 strikes" date them, not what follows
                and (joined := shares_date(text, before, clause))
            ):
                # "…on 15 November, and a missile fell on a Polish village": the same day
                shared = _candidate(article, gazetteer, sentence, joined, (), candidates,
                                    topic=topic, heading=heading, dated_by=previous)  # fmt: skip
                if shared.category != "other":  # an event, not "and stayed for six months"
                    candidates.append(shared)
                    previous = shared
            else:
                previous = None
            before = clause
        if len(candidates) > count:
            main = candidates[count]
            # a date heading opens an item; another date in the paragraph ends it
            item = main if opens_item(text, main.anchor) else None
    return candidates


def _candidate(
    article: Article,
    gazetteer: Gazetteer,
    sentence: Sentence,
    clause: tuple[int, int],
    every: tuple[Mention, ...],
    before: Sequence[Candidate],
    continues: Candidate | None = None,
    topic: tuple[str, ...] = (),
    heading: tuple[str, ...] = (),
    dated_by: Candidate | None = None,
) -> Candidate:
    """The candidate of one clause: its date, headline, category, places, actors, figures
    (`continues`: the event a dateless sentence continues, whose date and places it takes;
    `dated_by`: the clause before, whose date a joined clause shares)."""
    text, start, end = article.text, sentence.start, sentence.end
    attribution = sentence.is_attribution(clause)
    content = clause
    if attribution:  # what was said is the clause before; the date is the saying's
        content = (sentence.clauses[sentence.index(clause) - 1][0], clause[1])
    reported = sentence.reported_after(clause)
    if reported is not None:  # "X said [on Wednesday]" + what it reports, dated apart
        content, attribution = (clause[0], reported[1]), True
    if continues is not None or dated_by is not None:
        anchor, mentions = (continues or dated_by).anchor, every
    else:
        pool = every if attribution else event_dates(every, text)
        anchor = until_said(pick_anchor(pool, text), every, text)
        mentions = tuple(anchor if m.start == anchor.start else m for m in every)
    spans = [content] if attribution else relative_event(sentence, clause, anchor)
    words = " ".join(sentence.words(span) for span in spans)
    for counted in (m for m in mentions if m.rule == "narrative" and counted_from_noun(m)):
        # "Two days after Russia's latest barrage, households were without power": what the
        # day is counted from is not what the clause tells, nor where
        words = words.replace(counted.text, " ")
    # "After crossing the Oskil River …, forces captured Lyman": where they came from is not
    # where the event is
    words = _FRONTED_SETTING.sub("", words, count=1)
    words = without_fronted_where(words)  # "In Lviv, where missiles struck, X": X
    places, actors = gazetteer.find(words)
    actors = actors or speakers(gazetteer, sentence, clause)
    title, cut = headline_how(text, spans, sentence.mentions, claim_only=attribution)
    site = None if places else site_antecedent(gazetteer, text, start, words)
    where = "site" if site is not None else ""
    if site is not None:  # "the plant": the Zaporizhzhia nuclear plant named before
        places = site[1]
        noun = site[0].rsplit(" ", 1)[1]
        title = re.sub(rf"\A[Tt]he\s+{noun}\b", lambda _: f"The {site[0]}", title)
    if not places:
        places, where = context_places_how(  # a saying's places are those of what it reports
            gazetteer, sentence, content if reported else clause, title, before, continues,
            topic, heading,
        )  # fmt: skip
        title = name_antecedent(title, places, gazetteer)
    if anchor.rule != "since" and single_day(anchor.date):
        title = perfect_as_present(title)  # "Authorities have discovered": on a day, an event
    if dated_by is not None and _RESULT.match(text, clause[0]):
        title = result_title(text, clause, dated_by, title)
    owner = _OWNER.match(title)
    if owner and sentence.index(clause) > 0:
        # "The plant … since 4 March, when its territory was shelled": whose is the main
        # clause's subject
        subject = subject_phrase(text[sentence.clauses[0][0] : sentence.clauses[0][1]])
        if subject:
            title = f"{subject}'s {title[owner.end() :]}"
    places = gazetteer.specific(places)
    # A figure is claimed by whoever the sentence says speaks (as written, with the actor it
    # names, if any), else by the clause's first actor, else by the outlet.
    said_by = speaker(text[start:end])
    if said_by:
        named = gazetteer.find(f"{said_by} said")[1]
        claimed_by, claimant = said_by, (named[0] if named else None)
    elif actors:
        claimed_by, claimant = gazetteer.actor_names.get(actors[0]), actors[0]
    else:
        claimed_by, claimant = None, None
    # a clause dated by its saying tells a statement when what is said is words, not a deed
    inherited = continues is not None or dated_by is not None
    said = not inherited and not attribution and dates_saying(anchor, text, clause[0])
    said = said and reports_words(sentence.words(clause))
    deed, by_keywords = classify_how(words, words)
    if deed == "other" and dated_by is not None and _RESULT.match(text, clause[0]):
        deed, by_keywords = dated_by.category, False  # "…, damaging the road": the strike's
    if spans != [clause] and one_weapon_kills(words):
        deed, by_keywords = "casualties", False
    # "Ukrainian forces have recaptured Balakliia, the ministry said": the curated file files
    # the deed; a plan or a judgment said is a statement
    told = attribution and deed not in ("other", "assessment")
    told = told and not words_not_deeds(text[content[0] : clause[0]])
    category = "statement" if (attribution and not told) or said or reported else deed
    named = (
        _NAMED_BY_DATE.match(text, anchor.end)
        if _DETERMINER.search(text, max(0, anchor.start - 12), anchor.start)
        else _NOUN_OF_DATE.search(text, max(0, anchor.start - 30), anchor.start)
    )
    if named and classify(named.group(1)) != "other":  # "the damage from the October 10 strikes"
        category = classify(named.group(1))
        by_keywords = False
    else:
        named = None
    by_keywords = by_keywords and category == deed
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
            find_figures(
                text[start:end],
                start,
                mentions,
                claimed_by or _outlet(article),
                article,
                claimant,
            )
        ),
        clause=clause,
        inherited=inherited,
        about=keyword_category(words) if category == "statement" else category,
        named=named is not None,
        doubts=clause_doubts(
            anchor, inherited, title, cut, category, by_keywords, where if places else ""
        ),
    )


# How a date, a title, a category or places decided by a weak path are doubted
_COUNTED = frozenset({"narrative", "pointed", "deictic", "quoted"})
_VAGUE = frozenset({Precision.WEEK, Precision.PART_OF_MONTH, Precision.MONTH, Precision.YEAR})
# A title whose subject is a pronoun the reader must resolve ("She returns", "It calls")
_PRONOUN_TITLE = re.compile(r"(?:She|He|It|They|We|I|You|This|These|Those)\b")
# A passive without its agent ("The bridge is damaged", "Two people were killed")
_AGENTLESS = re.compile(
    rf"\b(?:is|are|was|were|been|be)\s+(?:{ADVERB}\s+)*{PARTICIPLE}\b(?!.*\bby\b)"
)


def clause_doubts(
    anchor: Mention,
    inherited: bool,
    title: str,
    cut: bool,
    category: str,
    by_keywords: bool,
    places_from: str,
) -> tuple[str, ...]:
    """The doubts of a clause's candidate: its date taken from another sentence, counted from
    another day or not a single day; its title cut, or with a pronoun or no agent for a
    subject; its category from keywords or none; its places from context (`places_from`, a
    context_places_how answer or 'site')."""
    codes = []
    if inherited:
        codes.append("date-inherited")
    elif anchor.rule in _COUNTED:
        codes.append("date-counted")
    if anchor.date.precision is Precision.RANGE:
        codes.append("date-range")
    elif anchor.date.precision in _VAGUE:
        codes.append("date-vague")
    if cut:
        codes.append("title-cut")
    if _PRONOUN_TITLE.match(title):
        codes.append("title-pronoun")
    if _AGENTLESS.search(title):
        codes.append("title-passive")
    if category == "other":
        codes.append("category-other")
    elif by_keywords:
        codes.append("category-keywords")
    if places_from:
        codes.append(f"places-{places_from}")
    return doubts(codes)


_OWNER = re.compile(r"(?:Its|Their)\s+")
# A result told by a participle or, after "and", by a second verb in the past
_RESULT = re.compile(rf"{RESULT_PARTICIPLE.pattern}|(?:{'|'.join(sorted(RESULT_PAST))})\b")
# A fronted phrase that sets the scene: "After crossing the Oskil River …,", "Two days after
# Russia's latest barrage," (not "Two days after the flag went up,", a clause of its own)
_FRONTED_SETTING = re.compile(
    r"\A\s*(?:(?:After|Before|While)\s+[a-z]+ing\b[^,]{2,80}"
    r"|(?:An?|One|Two|Three|Four|Five|Six|\d+)\s+days?\s+(?:after|before)\s+"
    rf"(?!{NARRATED_CLAUSE})[^,]{{2,60}}),\s+"
)
# "… was hit by Russian missiles on Sunday": the agent of a passive clause
_AGENT = re.compile(
    r"\b(?:was|were|been)\s+(?:[a-z]+ly\s+)?[a-z]+\s+by\s+(?P<agent>[^,;]+?)"
    r"(?=\s+(?:on|in|at|near|across|overnight|early|late|last|this)\b|[,;]|\Z)"
)
_PASSIVE = re.compile(r"\b(?:was|were|been)\s+(?:[a-z]+ly\s+)?[a-z]+\b")


def result_title(text: str, clause: tuple[int, int], before: Candidate, title: str) -> str:
    """'… on Monday, knocking out water supplies to Kyiv': the headline of what the event did,
    with the subject of the clause before (its agent when passive) as the participle's:
    'Russian missiles knock out water supplies to Kyiv'."""
    first, last = before.clause
    anchor = before.anchor
    if first <= anchor.start and anchor.end <= last:  # "The following day Russia launched …"
        # without the date's preposition: "The strikes on Wednesday forced …"
        main = re.sub(
            r"\s(?:on|in|at|by|since|from|early|late)\s+\Z", " ", text[first : anchor.start]
        )
        main += text[anchor.end : last]
    else:
        main = text[first:last]
    main = DATELINE_PREFIX.sub("", main.strip(" ,"))
    agent = _AGENT.search(main)
    subject = agent["agent"] if agent else ("" if _PASSIVE.search(main) else subject_phrase(main))
    participle = _RESULT.match(title.lower())
    if not subject or participle is None:
        return title
    past = RESULT_PARTICIPLES.get(participle.group(), participle.group())
    subject = subject[:1].upper() + subject[1:]
    return shorten(present_tense(f"{subject} {past}{title[participle.end() :]}"))


# "the October 10 strikes", "Russia's February invasion": a date naming an event by its day
_DETERMINER = re.compile(r"(?:\b(?:the|its|their)|\w['’]s)\s+\Z")
_NAMED_BY_DATE = re.compile(r"\s+([a-z]+(?:\s+[a-z]+)?)")
# "the attacks of 10 October", "the strike on 11 September": the same, the noun before the date
_NOUN_OF_DATE = re.compile(r"\bthe\s+([a-z]+)\s+(?:of|on)\s+\Z")


def with_headings(
    text: str, spans: Sequence[tuple[int, int]], mentions: Sequence[Mention]
) -> list[tuple[int, int]]:
    """Sentence spans with a date heading ('10 October, 11:40.': dates and times, nothing
    else) joined to the sentence after it on its line, whose date it gives."""
    joined: list[tuple[int, int]] = []
    heading: tuple[int, int] | None = None
    for start, end in spans:
        if heading is not None and "\n" not in text[heading[1] : start]:
            start = heading[0]
        elif heading is not None:
            joined.append(heading)
        heading = None
        rest, cursor = [], start
        for mention in (m for m in mentions if start <= m.start and m.end <= end):
            rest.append(text[cursor : mention.start])
            cursor = mention.end
        rest.append(text[cursor:end])
        if cursor > start and not re.sub(r"[\W_]+", "", CLOCK_TIME.sub("", " ".join(rest))):
            heading = (start, end)
        else:
            joined.append((start, end))
    return [*joined, heading] if heading else joined


# A date heading an item: at the start of its line (after a bullet), followed by a dash or a
# colon, perhaps after a clock time ("MONDAY —", "Oct. 31:", "10 October, 11:40.").
_ITEM_OPENER = re.compile(r"[\s,]*(?:\d{1,2}[:.]\d{2}\.?)?\s*(?:[—–:.]|-\s)")


def opens_item(text: str, anchor: Mention) -> bool:
    """Whether a date heads its paragraph as an item's heading: it dates what the item tells."""
    line_start = text.rfind("\n", 0, anchor.start) + 1
    lead = text[line_start : anchor.start].strip()
    return lead in ("", "-", "•", "*") and bool(_ITEM_OPENER.match(text, anchor.end))


MASTHEAD_WORDS = 12


def headline_end(text: str) -> int:
    """Where the article's headline ends (0 without one): a short first paragraph, after the
    dateline line, without a final full stop ('The Ukraine Week, issue 38: flags in Kherson,
    a dark Tuesday'). Its dates are the body's events in summary, not events of their own."""
    found = dateline(text)
    begin = found[1] if found else 0
    first = re.match(r"\s*([^\n]+)", text[begin:])
    if first is None:
        return 0
    words = first.group(1).strip()
    if len(words.split()) > HEADLINE_WORDS or words.endswith((".", "!", "?", '."', ".”")):
        return 0
    return begin + first.end(1)


def masthead(text: str, sentence: Sentence, anchor: Mention, published: date) -> bool:
    """Whether a dated sentence is the article's own heading, place-and-date line or
    signature ('Kyiv, 18 October 2022', 'Signed: H. M.  Date: 3 October 2022'): a line of its
    own, of at most MASTHEAD_WORDS words, without a verb, dated the publication day."""
    line_start = text.rfind("\n", 0, sentence.start) + 1
    line_end = text.find("\n", sentence.end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    words = text[sentence.start : sentence.end]
    return (
        anchor.date.first == anchor.date.last == published
        and line.strip() == words.strip()
        and len(words.split()) <= MASTHEAD_WORDS
        and not A_VERB.search(words)
    )


# Words that, with a date, make a sentence that only moves the story on: "Then came Friday."
_TIME_ONLY = re.compile(
    r"(?i)[\s\W]*(?:(?:then|and|so|finally|next|it\s+was|came|comes|arrived|dawned|on|by|until|"
    r"till)\b[\s\W]*)*"
)


def only_time(text: str, clause: tuple[int, int], mentions: Sequence[Mention]) -> bool:
    """Whether a clause holds nothing but its dates and words that move the story on to them
    ('Then came Friday.'): it sets the day for what follows but tells no event."""
    cursor, rest = clause[0], []
    for mention in sorted(mentions, key=starts_at):
        if clause[0] <= mention.start and mention.end <= clause[1]:
            rest.append(text[cursor : mention.start])
            cursor = mention.end
    rest.append(text[cursor : clause[1]])
    return cursor > clause[0] and all(_TIME_ONLY.fullmatch(piece) for piece in rest)


# "Many had not seen a Ukrainian flag in public since March": a state, not an event
_NOT_SINCE = re.compile(r"(?i)\b(?:has|have|had)(?:\s+not|n['’]t|\s+never)\b")


def absence(text: str, clause: tuple[int, int], anchor: Mention) -> bool:
    """Whether a clause tells only that something has not happened since its date."""
    since = text[anchor.start : anchor.end].lower().startswith("since")
    return since and bool(_NOT_SINCE.search(text, clause[0], clause[1]))


# A clause joined by ";" or "and" to a dated one, with a subject of its own: "…; parts of
# Moldova lose power", "…, and a missile fell on a Polish village" (not "and stayed …", whose
# subject is the clause before's, nor a clause that opens with a preposition or a participle).
_JOINED = re.compile(r"[\s,]*(?:;\s*(?:and\s+)?|and\s+)")
_NO_SUBJECT = re.compile(
    rf"(?:{PAST_VERB.pattern}|[a-z]+ing\b|(?:is|are|was|were|has|have|had|will|would|did|"
    r"can|could|then|also|to|in|on|at|by|for|with|from|as|so|not)\b)"
)


def shares_date(
    text: str, before: tuple[int, int], clause: tuple[int, int]
) -> tuple[int, int] | None:
    """The span of a clause that shares the date of the clause before it, without its 'and';
    None when it does not (not joined by ';' or 'and', or without a subject of its own). A
    participle of result right after it (', knocking out water supplies …') shares it too."""
    joint = _JOINED.match(text, before[1], clause[1])
    result = RESULT_COORDINATED.match(text, clause[0])
    if result and not text[before[1] : clause[0]].strip(" ,"):
        return (result.end(), clause[1])  # "… and plunged Moldova into a blackout"
    if joint is None and RESULT_PARTICIPLE.match(text, clause[0]):
        return clause if not text[before[1] : clause[0]].strip(" ,") else None  # what it did
    if joint is None and FRONTED_SUBORDINATE.match(text, before[0], clause[0] + 1):
        joint = re.compile(r"[\s,]*").match(text, before[1], clause[1])  # "On Friday, as …, X"
    if joint is None or joint.end() >= clause[1] or _NO_SUBJECT.match(text, joint.end()):
        return None
    if "\n" in text[before[1] : joint.end()]:
        return None
    return (max(joint.end(), clause[0]), clause[1])


_NONE = re.compile(r"(?i)\b(?:no|nobody|none|not|no\s+one)\b")
# The end of a sentence that tells what happened (not an entry's headline, "Lviv region lost
# about 30% of its power, governor says").
_FULL_STOP = re.compile(r"[.!?][\"”’)]*\s*\Z")


def _tells(text: str, start: int, end: int) -> bool:
    """Whether the sentence ends with a full stop and has a past verb on the line it ends on.

    Found in two steps: one pattern looking ahead from each past verb to the end took time
    with the square of a long line's length (6 s for 200 KB without a full stop)."""
    stop = _FULL_STOP.search(text, start, end)
    if stop is None:
        return False
    line = text.rfind("\n", start, stop.start()) + 1
    verb = PAST_VERB.search(text, max(line, start), end)
    return verb is not None and verb.end() <= stop.start()


# What happened again and again: a scene, not one event ("when shells fell every night").
_HABIT = re.compile(
    r"(?i)\b(?:every|each)\s+(?:single\s+)?(?:night|day|morning|evening|week|hour|time)\b"
    r"|\b(?:nightly|daily|night\s+after\s+night|day\s+after\s+day|day\s+and\s+night|"
    r"around\s+the\s+clock|constantly|repeatedly)\b"
)
# What an event did, told in the sentence after it: a supply lost, something fallen or
# destroyed ("In Zhytomyr, water pumping stations stopped and the whole city is without
# power.", "Two spans of the road section have fallen into the sea.").
_DAMAGE = re.compile(
    r"(?i)\bwithout\s+(?:power|electricity|water|heat\w*|gas|light)\b"
    r"|\b(?:has|have|had|was|were)\s+(?:been\s+)?(?:[a-z]+ly\s+)?"
    r"(?:fallen|collapsed|destroyed|damaged|burned|burnt|knocked\s+out)\b"
    r"|(?<!\bis\s)(?<!\bare\s)(?<!\bbe\s)\b(?:stopped|collapsed|fell)\b"
)


def aftermath_of(main: Candidate, sentence: str) -> bool:
    """Whether a dateless sentence right after a dated one in its paragraph tells what that
    event did: casualties after a strike ("Two civilians were killed.", not "No
    casualties."), or damage after a strike, an incident or a withdrawal (a supply lost, a
    bridge fallen: retreating troops blow bridges)."""
    if _NONE.search(sentence) or main.category not in ("strike", "other", "withdrawal"):
        return False
    if main.category == "strike" and classify(sentence, sentence) == "casualties":
        return bool(PAST_VERB.search(sentence))  # not "The enemy is hiding the losses."
    return bool(_DAMAGE.search(sentence))


# A sentence opened by a place: "In Kharkiv, two missiles hit …"
_PLACE_FIRST = re.compile(
    r"(?:In|At|Near|Outside)\s+(?P<where>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?),\s+"
)
# A dateless sentence continues the event before it when it points back at it.
_CONTINUES = re.compile(
    r"(?i)\b(?:of|from)\s+(?:the|those|these|them)\b(?:\s+(?:roughly\s+|about\s+)?\d[\d,]*)?"
    r"(?:\s+\w+)?\s+(?:drones|missiles|rockets|shells|attacks|strikes)\b"
    r"|\A(?:Of\s+(?:those|them|these)|Most\s+of\s+them|During\s+the\s+(?:attack|strike|raid))\b"
)


def _outlet(article: Article) -> str:
    return article.source.outlet if article.source else Path(article.path).name


# Output


def mention_rows(events: Sequence[CandidateEvent]) -> list[dict[str, Any]]:
    """The JSON contract: one row per temporal expression, with its candidate's fields; a
    candidate dated by the clause before it ("… on Monday and knocked out power") has none of
    its own, and gets the row of the expression it is dated by."""
    rows = []
    for event in events:
        for member in event.members:
            article = member.article
            for mention in member.mentions or (member.anchor,):
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
                        "doubts": doubt_words(event.doubts),
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
    if event.doubts:  # its last sentence: the Review view reads it back (timeline.review)
        notes += f" {notes_line(event.doubts)}."
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
