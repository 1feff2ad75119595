"""Which date a clause's event takes: its own expressions, not those of its saying; dates the
narrative counts from an earlier event ('a day after'); 'yesterday' in a quote."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from timeline.clauses import NARRATED_CLAUSE, NOT_A_TIME_OF_DAY, REPORTING, SAME_DAY_AFTER
from timeline.dates import DatePoint, FuzzyDate, Precision
from timeline.temporal import Mention
from timeline.verbs import PAST_VERB

_WHEN = re.compile(r"(?i)when\b")


def when_of(text: str, clause: tuple[int, int], own: Sequence[Mention]) -> tuple[Mention, ...]:
    """'Power has been cut since 6 November, when a strike hit …': the 'when' clause happened
    on the day just named (the first day of a span)."""
    if not _WHEN.match(text, clause[0]):
        return ()
    named = [m for m in own if m.end <= clause[0] and not text[m.end : clause[0]].strip(" ,")]
    if not named:
        return ()
    point = FuzzyDate(named[-1].date.start)
    return (Mention(text[clause[0] : clause[0] + 4], clause[0], clause[0] + 4, point, "when"),)


def event_dates(mentions: Sequence[Mention], text: str) -> Sequence[Mention]:
    """The expressions that may date the clause's event: not those of its saying, unless
    there are no others; a day named in the clause before its attribution ('… were still
    without power on Friday, the city said') dates the clause rather than a day counted from
    another event."""
    events = [m for m in mentions if not is_statement_date(m, text)]
    if events and all(m.rule == "narrative" for m in events):
        named = [m for m in mentions if m.rule != "narrative" and _not_said_before(m, text)]
        events += named
    return events or mentions


def _not_said_before(mention: Mention, text: str) -> bool:
    """Whether no reporting verb stands right before the expression ('said on Monday')."""
    return not _REPORTING_BEFORE.search(text, max(0, mention.start - 24), mention.start)


def until_said(anchor: Mention, mentions: Sequence[Mention], text: str) -> Mention:
    """'X said on Sunday it had retaken … since the start of the month': the claim runs to
    the day it was made, not to publication."""
    if anchor.rule != "since":
        return anchor
    said = next((m for m in mentions if m is not anchor and is_statement_date(m, text)), None)
    if said is None or not single_day(said.date):
        return anchor
    if not anchor.date.first <= said.date.first < anchor.date.last:
        return anchor
    span = FuzzyDate(anchor.date.start, said.date.start)
    return Mention(anchor.text, anchor.start, anchor.end, span, "since")


def starts_at(mention: Mention) -> int:
    return mention.start


def single_day(when: FuzzyDate) -> bool:
    return when.end is None and when.precision in (Precision.DAY, Precision.PART_OF_DAY)


_DATELINE_HEAD = re.compile(r"(?:\A|\n)[A-Z][A-Z .,'’-]{2,40},\s+\Z")


def in_dateline(mention: Mention, text: str) -> bool:
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
    r"|the\s+previous\s+(?P<previous>night|evening|morning|afternoon)"
    # "hours after Moscow said …", "shortly before the blast": the same day as the event
    rf"|(?P<hours>{SAME_DAY_AFTER})\s+(?P<hdir>after|before)\b{NOT_A_TIME_OF_DAY})\b"
)
_TELLS_CLAUSE = re.compile(rf"\s+{NARRATED_CLAUSE}")
_OPENS = re.compile(r"[\s\"“‘'(—–-]+")


def counted_from_noun(mention: Mention) -> bool:
    """Whether a narrative date names what it counts from by a noun ('two days after the
    barrage', "Two days after Russia's latest barrage,"), not a clause of its own."""
    counted = _NARRATIVE.match(mention.text)
    if counted is None or counted.end() == len(mention.text.rstrip(" ,")):
        return False
    return not _TELLS_CLAUSE.match(mention.text, counted.end())


def _named_day(mention: Mention) -> FuzzyDate:
    """The day a mention names: its own date, or the first day of a 'since' range."""
    return FuzzyDate(mention.date.start) if mention.rule == "since" else mention.date


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
        # "since Oct. 10, when …": the day a 'since' counts from is named as well
        here = [m for m in own if m.end <= match.start() and single_day(_named_day(m))]
        reference = here[-1] if here else (days[-1][0] if days else None)
        pointing = (match["dir"] or match["rel"] or match["hdir"] or "").lower() in (
            "before",
            "after",
        )
        noun = pointing and re.match(r"\s+the\s+([a-z]{4,})", text[match.end() : end])
        until = match.end()
        if not here and noun:
            stem = noun.group(1)[:5]
            reference = next((m for m, words in reversed(days) if stem in words.lower()), reference)
            until += noun.end()  # "two days before the barrage" is the whole expression
        fronted = re.match(r"[^,;]{1,60}?,", text[until:end]) if pointing else None
        if fronted and not _OPENS.sub("", text[start : match.start()]):
            until += fronted.end() - 1  # "Two days after the flag went up,": the whole phrase
        if reference is None:
            continue
        day = _named_day(reference).first
        if match["same"] or match["hours"]:
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
            # (not "Two days after the flag went up, the garrison …": a fronted phrase dates
            # the main clause after it)
            told = _TELLS_CLAUSE.match(text, match.end(), end) and _OPENS.sub(
                "", text[start : match.start()]
            )
            if direction in ("after", "before") and match["n"] and (here or told):
                # "X on Monday, a day after Y", "X came a day after Y visited": the phrase
                # dates Y, which came first ('after') or later ('before') than X
                forward = direction == "before"
            day += timedelta(days=count if forward else -count)
            point = DatePoint(day, day, Precision.DAY)
        found.append(
            Mention(
                text[match.start() : until], match.start(), until, FuzzyDate(point), "narrative"
            )
        )
    return found


# "said on Wednesday that the attacks had cut power": what a saying tells in the past perfect
# of "the attacks" it points back to is on the day the text gave them.
_POINTED_BACK = re.compile(
    rf"\b{REPORTING}\b[^.;]{{0,60}}?\bthat\s+(?P<noun>(?:the|these|those)\s+"
    r"(?:(?:missile|drone|Russian|air)\s+)?(?:attacks?|strikes?|barrages?|bombardments?|"
    r"shelling|missiles|explosions|blasts?))\s+had\b"
)
_ATTACK_WORDS = re.compile(
    r"(?i)\b(?:attack|strike|barrage|bombard|shell|missile|drone|explosion|blast)"
)


def pointed_back_mentions(
    text: str, start: int, end: int, days: Sequence[tuple[Mention, str]]
) -> list[Mention]:
    """'Zelensky said on Wednesday that the attacks had cut power …': 'the attacks', dated on
    the last single day named before the sentence in a sentence that speaks of attacks (not
    a day of saying), so that what was said is dated apart from the saying."""
    found = []
    for match in _POINTED_BACK.finditer(text, start, end):
        reference = next(
            (
                m
                for m, words in reversed(days)
                if _ATTACK_WORDS.search(words) and _not_said_before(m, text) and m.start < start
            ),
            None,
        )
        if reference is None:
            continue
        day = _named_day(reference).first
        point = FuzzyDate(DatePoint(day, day, Precision.DAY))
        found.append(
            Mention(match["noun"], match.start("noun"), match.end("noun"), point, "pointed")
        )
    return found


# Times of day without a day: "overnight", "at about 19:30" are on the last day the paragraph
# named, else the publication day (a same-day report: "Russian missiles hit the power station
# at about 19:30"), when the sentence names no day.
_DEICTIC = re.compile(
    r"(?i)\b(?P<night>overnight|in\s+the\s+early\s+hours(?!\s+of\b))\b"
    r"|\b(?P<dawn>(?:at|before)\s+(?:dawn|daybreak))\b"
    r"|\b(?P<ago>(?:an?|one|two|three|four|five|six|a\s+few|several|\d{1,2})\s+"
    r"(?:minutes?|hours?)\s+ago)\b"
    r"|\b(?:at|by)\s+(?:about\s+|around\s+|approximately\s+)?"
    r"(?:(?P<h>[01]?\d|2[0-3]):[0-5]\d(?:\s*(?P<ap>[ap]\.m\.|[ap]m\b))?"
    r"|(?P<h12>1[0-2]|0?[1-9])(?:[.:][0-5]\d)?\s*(?P<ap12>[ap]\.m\.|[ap]m\b))"
    r"(?!\s*(?:-|–|to|until|and)\s*\d)"
)


def deictic_mentions(
    text: str, start: int, end: int, published: date, named: date | None = None
) -> list[Mention]:
    """'overnight', 'at dawn', 'an hour ago' and a clock time ('at about 19:30', 'at 7.30pm')
    in a sentence that names no day and tells what happened (a past-tense verb before them):
    the day named last before it (`named`; "On Monday, missiles hit Kyiv. The first explosion
    came at 6:40."), else the publication day ('an hour ago' always), with the part of day the
    words or the hour give ('at 07:15' the morning, 'at 19:30' the evening, 'overnight' the
    night)."""
    found = []
    for match in _DEICTIC.finditer(text, start, end):
        if not PAST_VERB.search(text, start, match.start()):
            continue  # "The next bulletin is at 22:00": not an event
        day = published if match["ago"] or named is None else named
        point = DatePoint(day, day, Precision.DAY)
        if match["night"] or match["dawn"]:
            part = "night" if match["night"] else "morning"
            point = DatePoint(day, day, Precision.PART_OF_DAY, part)
        elif not match["ago"]:
            hour = _hour(int(match["h"] or match["h12"]), match["ap"] or match["ap12"])
            point = DatePoint(day, day, Precision.PART_OF_DAY, _part_of_hour(hour))
        found.append(
            Mention(match.group(), match.start(), match.end(), FuzzyDate(point), "deictic")
        )
    return found[:1]


# A line that is only a clock time: the heading of an item in a timeline of the day ("8:15
# a.m.", "09:30", "14.20 GMT", "10:40 local time"), or the time stamp of a live page's entry,
# with a zone and the day ("11:52 a.m. ET, October 10, 2022", "9:41 BST, 10 October").
_CLOCK_HEADING = re.compile(
    r"(?im)^[ \t]*(?P<clock>(?P<h>[01]?\d|2[0-3])[:.](?P<m>[0-5]\d)"
    r"(?:\s*(?P<ap>[ap]\.m\.|[ap]m))?)"
    r"(?:\s+(?:GMT|UTC|CET|EET|EEST|MSK|BST|local\s+time|Kyiv\s+time|"
    r"(?P<far>E[SD]?T|C[SD]?T|P[SD]?T)))?"
    r"(?:,?[ \t]+(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?[ \t]+)?"
    r"(?:[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2}(?:,?[ \t]+\d{4})?"
    r"|\d{1,2}[ \t]+[A-Z][a-z]{2,8}(?:[ \t]+\d{4})?))?"
    r"[ \t]*:?[ \t]*$"
)
HEADING_REACH_DAYS = 7  # a day named longer before publication is a flashback, not the day
# the lines between a live entry's time stamp and its text, a headline and a credit, are short
ENTRY_HEAD_WORDS = 15


def clock_heading(text: str, start: int, published: date, named: date | None) -> Mention | None:
    """The clock time heading the block of lines a sentence is in (a timeline of the day:
    "8:15 a.m." on its own line, then what happened), or heading the block before it when
    that holds only short lines (a live page's entry: time stamp, headline, credit, then its
    first paragraph), dated on the day the text named last when that is within
    HEADING_REACH_DAYS before publication, else the publication day, with the part of day of
    its hour (none for a clock of another continent: "ET"); None without one."""
    block = text.rfind("\n\n", 0, start)
    line_start = block + 2 if block >= 0 else 0
    line_end = text.find("\n", line_start, start)
    found = _CLOCK_HEADING.match(text, line_start, line_end) if line_end >= 0 else None
    if found is None and block > 0 and not text[line_start:start].strip():
        # the first paragraph after a block of short lines that opens with a time stamp
        previous = text.rfind("\n\n", 0, block)
        head = text[previous + 2 if previous >= 0 else 0 : block]
        lines = head.split("\n")
        if len(lines) > 1 and all(len(line.split()) <= ENTRY_HEAD_WORDS for line in lines):
            at = block - len(head)
            found = _CLOCK_HEADING.match(text, at, at + len(lines[0]))
    if found is None:
        return None
    hour = _hour(int(found["h"]), found["ap"])
    reach = timedelta(days=HEADING_REACH_DAYS)
    day = named if named is not None and published - reach <= named <= published else published
    if found["far"]:
        point = DatePoint(day, day, Precision.DAY)
    else:
        point = DatePoint(day, day, Precision.PART_OF_DAY, _part_of_hour(hour))
    return Mention(
        found["clock"], found.start("clock"), found.end("clock"), FuzzyDate(point), "deictic"
    )


def _hour(hour: int, meridiem: str | None) -> int:
    """The hour of the 24-hour clock of an hour and its 'a.m.' or 'pm', if any."""
    meridiem = (meridiem or "").lower()
    if meridiem.startswith("p") and hour < 12:
        return hour + 12
    if meridiem.startswith("a") and hour == 12:
        return 0
    return hour


def _part_of_hour(hour: int) -> str:
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


_QUOTED_RELATIVE = frozenset(
    {"yesterday", "today", "tomorrow", "last night", "tonight", "this morning", "this afternoon",
     "this evening"}
)  # fmt: skip
_SPEECH_BEFORE = re.compile(
    r"(?i)\b(?:said|says|told|spoke|speaking|added|wrote|interviewed|talked)\b[^.!?]{0,40}\Z"
)


def said_when(
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
    said = next((m for m in own if m is not mention and is_statement_date(m, text)), None)
    if said is None and days:
        last = days[-1][0]
        spoke = _SPEECH_BEFORE.search(text, max(0, last.start - 60), last.start)
        said = last if spoke and last.end <= start else None
    if said is None or not single_day(said.date):
        return mention
    day = said.date.first + (mention.date.first - published)
    point = DatePoint(day, day, mention.date.start.precision, mention.date.start.part)
    return Mention(mention.text, mention.start, mention.end, FuzzyDate(point), "quoted")


_REPORTING_AFTER_DATE = re.compile(rf",\s+(?:[\w'’.-]+\s+){{1,6}}?{REPORTING}\b")


def is_statement_date(mention: Mention, text: str) -> bool:
    """Whether the expression dates a statement ('said on Monday', 'On Sunday, X said')."""
    if _REPORTING_BEFORE.search(text, max(0, mention.start - 24), mention.start):
        return True
    return bool(_REPORTING_AFTER_DATE.match(text, mention.end))


# What may stand before a date that dates a saying: "On", "In a briefing on", "In his nightly
# address late on", after a label ("CLAIM: On").
_LEADING_PREPOSITION = re.compile(
    r"(?i)\s*(?:(?-i:[A-Z]{2,}):\s+)?(?:(?:in|at|during)\s+(?:an?|the|his|her|its|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:briefing|statement|speech|interview|address|post|video|message|conference)\s+)?"
    r"(?:on|late|early|in|by|at)?\s*\Z"
)


def dates_saying(mention: Mention, text: str, clause_start: int) -> bool:
    """Whether the expression dates the saying itself: 'said on Monday that …', 'On Monday, X
    said …' (not '… lost power on Monday, the ministry said', where it dates what was said)."""
    if _REPORTING_BEFORE.search(text, max(0, mention.start - 24), mention.start):
        return True
    fronted = _LEADING_PREPOSITION.match(text[clause_start : mention.start])
    return bool(fronted and _REPORTING_AFTER_DATE.match(text, mention.end))


_REPORTING_BEFORE = re.compile(
    r"(?i)\b(?:said|says|told|announced|wrote|tweeted|stated|claimed|reported|added|informed|informs)"
    r"(?:\s+(?:us|him|her|them|me|reporters|journalists))?(?:\s+(?:on|late|early))?\s+\Z"
)


def pick_anchor(mentions: Sequence[Mention], text: str) -> Mention:
    """The expression that dates the event: the narrowest, passing over the date of a
    statement ('said on Monday ... in the past 24 hours' is dated by the past 24 hours); of
    two as narrow, a day the text names before one counted from another event ('Two days
    after the barrage, … on Friday')."""

    def reported(mention: Mention) -> bool:
        return bool(_REPORTING_BEFORE.search(text, max(0, mention.start - 24), mention.start))

    pool = [m for m in mentions if not reported(m)] or list(mentions)
    return min(pool, key=lambda m: (m.date.days, m.rule == "narrative", m.start))
