"""Temporal expressions in English news text, resolved against the publication date.

`find_mentions(text, published)` returns every expression our grammar knows, each with its
character span and the inclusive span of days it means (a `FuzzyDate`, so it prints in the
events.yaml date grammar). The grammar is a small set of regular expressions; it never reads
bare numbers, lowercase month names or pronouns, so quantities ("84 missiles"), ordinals
("200th"), the modal "may", names ("TEC-5", "Group of 20") and durations ("six-month war",
"in eight days") cannot become dates. dateparser parses the absolute parts (month names, days,
years) with the settings of `DATEPARSER_SETTINGS`; everything relative to the publication date
is resolved here, because dateparser fills missing parts from its base date, has no tense and
no notion of precision. The rules are written out in docs/extraction.md.
"""

from __future__ import annotations

import bisect
import calendar
import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum

import dateparser
from dateparser.date import DateDataParser

from timeline.dates import DatePoint as Point
from timeline.dates import FuzzyDate, Precision

DATEPARSER_LANGUAGES = ["en"]  # without it dateparser guesses Catalan for English and is slower
# Every dateparser setting, explicit. dateparser only reads what is written (month, day, year):
# the year of a date written without one is chosen by our tense rules, so its base date is a
# fixed leap year (February 29 stays valid) and a parse depends on the string alone.
DATEPARSER_SETTINGS = {
    "DATE_ORDER": "MDY",
    "PREFER_LOCALE_DATE_ORDER": False,
    "STRICT_DATE_ORDER": "none",
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": False,
    "TIMEZONE_ABBREVIATIONS": {},
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_MONTH_OF_YEAR": "first",
    "PREFER_DATES_FROM": "current_period",
    "RELATIVE_BASE": datetime(2000, 1, 1),
    "STRICT_PARSING": False,
    "REQUIRE_PARTS": [],
    "SKIP_TOKENS": ["t"],
    "NORMALIZE": True,
    "DEFAULT_LANGUAGES": [],
    "USE_GIVEN_LANGUAGE_ORDER": True,
    "LANGUAGE_DETECTION_CONFIDENCE_THRESHOLD": 0.5,
    "RETURN_TIME_SPAN": False,
    "DEFAULT_START_OF_WEEK": "monday",
    "DEFAULT_DAYS_IN_MONTH": 30,
    "RETURN_TIME_AS_PERIOD": False,
    "PARSERS": ["absolute-time"],
    "IGNORE_SURROUNDING_TEXT": False,
    "CACHE_SIZE_LIMIT": 1000,
}
if hasattr(dateparser, "PartsOfDay"):  # dateparser 1.5 added it; we never parse times of day
    DATEPARSER_SETTINGS["PARTS_OF_DAY"] = dateparser.PartsOfDay()

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
# Fixed-date holidays news refers to by name; the year follows the tense like "December 31".
HOLIDAYS = {
    "new year's eve": (12, 31), "new year's day": (1, 1), "christmas eve": (12, 24),
    "christmas day": (12, 25), "christmas": (12, 25),
}  # fmt: skip
PART_OF_MONTH_WORDS = {
    "early": "early", "beginning": "early", "start": "early", "mid": "mid", "middle": "mid",
    "late": "late", "end": "late",
}  # fmt: skip
# Words before a weekday that make it a name, not a date ("Good Friday", "Bloody Sunday").
WEEKDAY_NAMES_BEFORE = frozenset(
    "good black holy maundy ash cyber bloody super palm easter giving shrove fat whit".split()
)
WEEKDAY_NAMES_AFTER = frozenset(
    "times telegraph mirror express post herald tribune mail star independent sport".split()
)


class Tense(Enum):
    """What the verbs around an expression say about its time relative to publication."""

    PAST = "past"
    FUTURE = "future"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Mention:
    """A temporal expression: where it is in the text and which days it means."""

    text: str
    start: int
    end: int
    date: FuzzyDate
    rule: str

    @property
    def date_start(self) -> date:
        """The first day the expression may mean."""
        return self.date.first

    @property
    def date_end(self) -> date:
        """The last day the expression may mean (inclusive)."""
        return self.date.last

    @property
    def precision(self) -> Precision:
        """How wide the date is; RANGE for a span between two points."""
        return self.date.precision


# The grammar

_MONTH_FULL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH = rf"(?:{_MONTH_FULL}\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)(?:\.|\b))"
_DAY = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)?(?![\d])(?!,\d)(?!:\d)"
_YEAR = r"(?:1[89][0-9]{2}|20[0-9]{2})(?![\d])"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_WEEKDAY_SHORT = r"(?:Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\b"
_ORDINAL = r"(?:3[01]|[12][0-9]|0?[1-9])(?:st|nd|rd|th)\b"
# an ordinal before these names a military unit ("the 93rd Brigade"), not a day
_UNIT_NAMES = r"(?:Brigade|Division|Regiment|Battalion|Corps|Army|Guards|Separate|Mechani[sz]ed)\b"
_NUM = rf"(?:\d{{1,3}}|(?i:{'|'.join(sorted(NUMBERS, key=len, reverse=True))}))"
_UNITS_AFTER_YEAR = (
    r"(?:people|troops|soldiers|civilians|missiles|rockets|drones|tanks|km|kilomet(?:er|re)s|"
    r"miles|square|sq|villages|towns|settlements|cases|residents|units|tonnes|tons|dollars|"
    r"euros|deaths|casualties|times|metres|meters|feet|votes)"
)
# A second day after a first makes a range ("October 12 and 13"), unless a count follows it.
_SECOND_DAY = rf"(?:\s*(?:-|–|\band\b|\bto\b)\s*(?P<d2>{_DAY})(?!\s+(?:[a-z]+s|people|staff)\b))?"

_RULES_SOURCE = {
    "month-day": rf"(?<![\w-])(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<mon>{_MONTH})\s+(?P<d1>{_DAY})"
    rf"{_SECOND_DAY}(?:,?\s+(?P<y>{_YEAR}))?",
    "day-month": rf"(?<![\w,.$£€-])(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?P<d1>{_DAY})"
    rf"(?:\s*(?:-|–|\band\b|\bto\b)\s*(?P<d2>{_DAY}))?(?:\s+of)?\s+(?P<mon>{_MONTH})"
    rf"(?:,?\s+(?P<y>{_YEAR}))?",
    "month-year": rf"\b(?P<mon>{_MONTH})\s+(?P<y>{_YEAR})",
    "part-of-month": rf"\b(?P<pm>[Ee]arly|[Mm]id|[Ll]ate)(?:-|\s+)(?P<mon>{_MONTH_FULL})\b"
    rf"(?:,?\s+(?P<y>{_YEAR}))?",
    "part-of-named-month": rf"\b(?:[Tt]he\s+)?(?P<pm>beginning|start|middle|end)\s+of\s+"
    rf"(?P<mon>{_MONTH_FULL})\b(?:,?\s+(?P<y>{_YEAR}))?",
    "part-of-this-month": r"\b(?:(?:[Tt]he\s+)?(?P<pm>beginning|start|middle|end)\s+of\s+"
    r"(?P<rel>this|last|next|the)|(?P<pm2>[Ee]arly|[Mm]id|[Ll]ate)[-\s]+(?P<rel2>this|last|next))"
    r"\s+month\b",
    # A bare month or year is a date only after a preposition; the resolver checks it (matching
    # the month or year first is several times faster than trying prepositions everywhere).
    "month": rf"(?P<x>{_MONTH_FULL})\b(?![-\s]*\d)",
    "year": rf"(?<![\w,.$£€/-])(?P<x>{_YEAR})\b"
    rf"(?![-–/.]\d|,\d|\s*%|\s*(?i:per\s?cent)|\s+{_UNITS_AFTER_YEAR}\b)",
    "iso-date": r"(?<![\w-])(?P<iso>[0-9]{4}-[0-9]{2}-[0-9]{2})(?![\w-])",
    "weekday": rf"(?<![\w-])(?:(?P<mod>(?i:last|next|this\s+coming|this\s+past|this|coming|"
    rf"past))\s+)?(?P<wd>{_WEEKDAY})(?:\s+(?P<part>(?i:morning|afternoon|evening|night)))?",
    "relative-day": r"\b(?i:(?P<rd>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
    r"yesterday|today|tomorrow|tonight|last\s+night)(?:\s+(?P<part>morning|afternoon|evening|"
    r"night)\b)?|this\s+(?P<this>morning|afternoon|evening))\b",
    "ago": rf"\b(?P<n>{_NUM})\s+(?P<unit>(?i:days?|weeks?|months?|years?))\s+(?i:ago)\b",
    "relative-unit": rf"\b(?:(?P<det>(?i:the))\s+)?(?P<dir>(?i:past|last|previous|next|coming|"
    rf"this|following))\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>(?i:hours?|days?|weeks?|weekends?|"
    r"months?|years?))\b",
    "earlier-later": r"\b(?P<el>(?i:earlier|later))\s+(?i:this)\s+(?P<unit>(?i:week|month|year))\b",
    "weekend": r"\b(?i:over|during|at|on|across|through|throughout|by|until|till|before|after)"
    r"\s+(?P<x>(?i:the)\s+weekend)\b",
    "holiday": r"\b(?P<h>New\s+Year['’]s\s+(?:Eve|Day)|Christmas(?:\s+(?:Eve|Day))?)\b",
    # "MONDAY —", "THURSDAY AND FRIDAY —": a weekday heading an item of a digest (in capitals,
    # read title-cased)
    "weekday-heading": rf"(?m)^(?P<wd>{_WEEKDAY})(?:\s+(?:AND|and|TO|to|-|–)\s+(?P<wd2>"
    rf"{_WEEKDAY}))?(?=\s*(?:[—–:]|-\s))",
    # "Tue 27th", "Friday the 14th": a weekday and an ordinal day, the month left to the
    # calendar (the nearest month whose day falls on that weekday)
    "weekday-ordinal": rf"(?<![\w-])(?P<wd>{_WEEKDAY}|{_WEEKDAY_SHORT})\.?\s+(?:the\s+)?"
    rf"(?P<d1>{_ORDINAL})(?!\s+(?:of\s+)?{_MONTH})",
    # "by the 10th": an ordinal day alone after a preposition, in the month named before it
    "ordinal-day": rf"\b(?i:on|by|until|till|since|from|before|after|through)\s+(?P<x>the\s+"
    rf"(?P<d1>{_ORDINAL}))(?!\s+(?:of\s+)?{_MONTH})(?![-\w])(?!\s+(?:[a-z]|{_UNIT_NAMES}))",
}
# Earlier rules win when two candidates cover the same characters.
_RULES = {name: re.compile(source) for name, source in _RULES_SOURCE.items()}
# Rules run only when the lowercased text holds one of these words (a cheap skip).
_RULE_NEEDS = {
    "ago": ("ago",), "weekend": ("weekend",), "holiday": ("christmas", "new year"),
    "earlier-later": ("earlier this", "later this"), "part-of-this-month": ("month",),
    "part-of-named-month": (" of ",), "iso-date": ("-",),
}  # fmt: skip
_MONTH_PREPOSITION = re.compile(
    r"(?i)\b(?P<prep>in|since|during|from|until|till|through|by|before|after|to|of|last|this|"
    r"next)\s+\Z"
)
_YEAR_PREPOSITION = re.compile(
    r"(?i)\b(?P<prep>in|since|during|from|until|till|through|by|before|after|of|throughout|"
    r"early|mid|late|around)(?:\s+|-)\Z"
)

# A month or year used as an adjective ("its February invasion", "Moscow's 2014 annexation"):
# a determiner or possessive before it and a lowercase noun after it make it a date.
_DETERMINER_BEFORE = re.compile(r"(?:\b(?i:its|their|his|her|our|the)|\w['’]s)\s+\Z")
_NOUN_AFTER = re.compile(r"\s+[a-z]{3,}\b")
_DATELINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})(?=\s|\Z)")
_SINCE_BEFORE = re.compile(r"(?i:\bsince)\s+\Z")
_PART_OF_BEFORE = re.compile(r"(?i:\b(?:the\s+)?(morning|afternoon|evening|night)\s+of)\s+\Z")
_RANGE_OPENER = re.compile(r"(?i:\b(?:from|between))\s+\Z")
_RANGE_JOINER = re.compile(r"\A\s*(?:-|–|—|(?i:to|until|till|through|and))\s*\Z")
_POSSESSIVE_AFTER = re.compile(r"\A['’]s\b")

_FUTURE_MARKERS = re.compile(
    r"(?i)\b(?:will|shall|won['’]t|would|wouldn['’]t|going\s+to|(?:is|are|was|were)\s+due|"
    r"(?:is|are|was|were)\s+set\s+to|plans?\s+to|"
    r"planned|planning|intends?\s+to|aims?\s+to|scheduled|expects?|expected|expecting|"
    r"upcoming|next|(?:may|might)(?!\s+(?:not\s+)?have\b))\b|['’]ll\b"
)
_IRREGULAR_PAST = (
    "was were had did said told took made came went saw gave got began fled left hit struck "
    "fought shot won lost fell sent held met led spoke wrote broke brought built bought caught "
    "chose drew drove felt found flew grew heard kept knew meant paid ran rose sold stood stole "
    "taught thought threw understood withdrew retook overran became sought spent tore swept "
    "has have "
    # a memory is of the past: "She remembers the morning of 24 February"
    "remember remembers recall recalls recount recounts"
)
_PAST_MARKERS = re.compile(
    rf"(?i)(?<![\w-])(?:{'|'.join(_IRREGULAR_PAST.split())}|[a-z]{{2,}}ed)\b"
)
_NOT_PAST = frozenset(
    "need speed red bed feed seed deed weed breed hundred indeed proceed exceed succeed shed "
    "bred sled shred embed united limited armed naked sacred wicked".split()
)
# not the comma of "3,000"; "that" opens a clause with its own tense ("the House will note
# that on Monday the President visited")
_CLAUSE_BREAK = re.compile(r",(?!\d)|[;:()\"“”]|\s[—–-]\s|(?<=\s)that(?=\s)")
_WORD = re.compile(r"\w+")


def dateline(text: str) -> tuple[date, int] | None:
    """The date of a leading `date YYYY-MM-DD` line and where the line ends, if there is one."""
    found = _DATELINE.match(text)
    if found is None:
        return None
    try:
        return date.fromisoformat(found.group(1)), found.end()
    except ValueError:
        return None


def find_mentions(text: str, published: date) -> list[Mention]:
    """Every temporal expression of `text` resolved against `published`, in text order."""
    skip = dateline(text)
    begin = skip[1] if skip else 0  # the dateline is the publication date, not an expression
    original, text = text, _heading_case(text)  # the same length: offsets hold for both
    sentences = sentence_spans(text)
    lowered = text.lower()
    context = _Context(text, published, sentences)
    found = []
    for priority, (rule, pattern) in enumerate(_RULES.items()):
        needs = _RULE_NEEDS.get(rule)
        if needs and not any(word in lowered for word in needs):
            continue
        for match in pattern.finditer(text, begin):
            try:
                mention = _RESOLVERS[rule](match, context)
            except (ValueError, OverflowError):
                continue  # its days fall outside the calendar (year 1 to 9999): not a date
            if mention is not None:
                found.append((priority, mention))
    chosen = _join_ranges(_without_overlaps(found), text)
    mentions = [_with_prefix(mention, text, published) for mention in chosen]
    if text == original:
        return mentions
    return [replace(m, text=original[m.start : m.end]) for m in mentions]


# A heading in capitals ("MONDAY —", "TUESDAY 15 NOVEMBER:", "KYIV, OCT 18 (Reuters) -"): its
# weekday and month names are read as if written in the usual case.
_CAPS_HEADING = re.compile(r"(?m)^[A-Z0-9][A-Z0-9 ,.'’()-]{2,60}?(?=\s*(?:[—–:]|\s-\s))")
_CAPS_NAME = re.compile(
    r"\b(?:MONDAY|TUESDAY|WEDNESDAY|THURSDAY|FRIDAY|SATURDAY|SUNDAY|JANUARY|FEBRUARY|MARCH|"
    r"APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER|JAN|FEB|MAR|APR|JUN|JUL|"
    r"AUG|SEPT|SEP|OCT|NOV|DEC)\b"
)


def _heading_case(text: str) -> str:
    """The text with the weekday and month names of headings in capitals title-cased."""
    if not _CAPS_HEADING.search(text):
        return text
    return _CAPS_HEADING.sub(
        lambda heading: _CAPS_NAME.sub(lambda name: name.group().title(), heading.group()), text
    )


def _without_overlaps(found: list[tuple[int, Mention]]) -> list[Mention]:
    """Keep the longest candidates (then the earliest rule) that do not overlap each other."""
    kept: list[Mention] = []
    taken: list[tuple[int, int]] = []
    order = sorted(found, key=lambda item: (item[1].start - item[1].end, item[0], item[1].start))
    for _, mention in order:
        if all(mention.end <= start or end <= mention.start for start, end in taken):
            kept.append(mention)
            taken.append((mention.start, mention.end))
    return sorted(kept, key=lambda mention: mention.start)


def _join_ranges(mentions: list[Mention], text: str) -> list[Mention]:
    """'from A to B', 'between A and B': one range mention instead of two points."""
    joined: list[Mention] = []
    for mention in mentions:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.date.end is None
            and mention.date.end is None
            and _RANGE_JOINER.match(text[previous.end : mention.start])
            and (
                _RANGE_OPENER.search(text[max(0, previous.start - 12) : previous.start])
                or _two_named_days(previous, mention, text)
            )
            and previous.date.first <= mention.date.last
        ):
            joined[-1] = Mention(
                text[previous.start : mention.end],
                previous.start,
                mention.end,
                FuzzyDate(previous.date.start, mention.date.start),
                "range",
            )
            continue
        joined.append(mention)
    return joined


_AND = re.compile(r"\A\s+and\s+\Z")


def _two_named_days(first: Mention, second: Mention, text: str) -> bool:
    """'on September 21 and September 24': two days of a month named, each with its month,
    joined by 'and' (one event held on both, from the first to the second)."""
    if first.rule == second.rule == "weekday" and first.text.istitle() and second.text.istitle():
        # "on Thursday and Friday": the days from the first to the second
        return (
            bool(_AND.match(text[first.end : second.start]))
            and first.date.precision is second.date.precision is Precision.DAY
            and 0 < (second.date.first - first.date.first).days < 7
        )
    named = ("month-day", "day-month")
    return (
        first.rule in named
        and second.rule in named
        and bool(_AND.match(text[first.end : second.start]))
        and first.date.precision is Precision.DAY
        and second.date.precision is Precision.DAY
        and first.date.first.month == second.date.first.month
        and first.date.first < second.date.first
    )


def _with_prefix(mention: Mention, text: str, published: date) -> Mention:
    """Widen a mention by a 'since' (a range to publication) or 'the night of' before it."""
    before = text[max(0, mention.start - 24) : mention.start]
    after = text[mention.end : mention.end + 3]
    since = _SINCE_BEFORE.search(before)
    # "since last Monday's barrage": the date qualifies a noun; 'since' belongs to the noun.
    if since and not _POSSESSIVE_AFTER.match(after) and mention.date.first <= published:
        start = mention.start - (len(before) - since.start())
        span = FuzzyDate(mention.date.start, Point(published, published, Precision.DAY))
        return Mention(text[start : mention.end], start, mention.end, span, "since")
    part_of = _PART_OF_BEFORE.search(before)
    if part_of and mention.date.precision is Precision.DAY:
        start = mention.start - (len(before) - part_of.start())
        part = part_of[1].lower()
        point = replace(mention.date.start, precision=Precision.PART_OF_DAY, part=part)
        return Mention(text[start : mention.end], start, mention.end, FuzzyDate(point), "part-of")
    return mention


# Resolution of each rule's matches


@dataclass(frozen=True, slots=True)
class _Context:
    text: str
    published: date
    sentences: list[tuple[int, int]]

    def tense(self, start: int, end: int) -> Tense:
        if _SINCE_BEFORE.search(self.text, max(0, start - 12), start):
            return Tense.PAST  # "since X": X has begun
        found = tense_at(self.text, start, end, self.sentences)
        if (
            found is Tense.UNKNOWN
            and _ITEM_DATE.match(self.text, end)
            and _LINE_START.search(self.text, max(0, start - 4), start)
        ):
            return Tense.PAST  # "2 March | Russian troops take Kherson": a chronology's entry
        return found


# A date opening a line, before a separator: an entry of a chronology or a table, told in the
# present of headlines but past ("2 March | Russian troops take control of Kherson").
_LINE_START = re.compile(r"(?:\A|\n)[ \t]*(?:[-•*][ \t]+)?\Z")
_ITEM_DATE = re.compile(r"[ \t]*(?:\||:|[—–]|-\s)")


def _mention(
    match: re.Match, when: FuzzyDate | None, rule: str, group: str | None = None
) -> Mention | None:
    """The mention of a match (or of one of its groups) meaning `when`; None without a date."""
    if when is None:
        return None
    start, end = match.span(group) if group else match.span()
    return Mention(match.string[start:end], start, end, when, rule)


def _resolve_month_day(match: re.Match, context: _Context) -> Mention | None:
    year = match["y"]
    core = f"{match['mon']} {match['d1']}" + (f" {year}" if year else "")
    parsed = parse_absolute(core)
    if parsed is None or parsed[1] != "day":
        return None
    found = parsed[0]
    if year is None:
        weekday = WEEKDAYS.index(match["wd"].lower()) if match["wd"] else None
        found = _choose_day(found.month, found.day, weekday, context, match)
        if found is None:
            return None
    when = _day(found)
    if match["d2"]:
        last_day = int(re.match(r"\d+", match["d2"]).group())
        if not found.day < last_day <= calendar.monthrange(found.year, found.month)[1]:
            return None
        when = FuzzyDate(when.start, _day(found.replace(day=last_day)).start)
    return _mention(match, when, "month-day")


def _choose_day(
    month: int, day: int, weekday: int | None, context: _Context, match: re.Match
) -> date | None:
    options = []
    for year in _years_around(context.published):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    if weekday is not None and any(option.weekday() == weekday for option in options):
        options = [option for option in options if option.weekday() == weekday]
    spans = [_day(option) for option in options]
    chosen = _by_tense(spans, context.tense(*match.span()), context.published)
    return chosen.first if chosen else None


def _resolve_month(match: re.Match, context: _Context) -> Mention | None:
    """A month after a preposition ('in April', 'last May') or with a year ('September 2022')."""
    if "y" in match.re.groupindex:
        parsed = parse_absolute(f"{match['mon']} {match['y']}")
        if parsed is None or parsed[1] != "month":
            return None
        return _mention(match, _month(parsed[0].year, parsed[0].month), "month-year")
    before = _MONTH_PREPOSITION.search(context.text, max(0, match.start() - 12), match.start())
    parsed = parse_absolute(match["x"])
    is_month = parsed is not None and parsed[1] == "month"
    if before is None and is_month and _as_adjective(match, context.text):
        # a named event ("its February invasion") has happened unless a verb says otherwise
        tense = context.tense(*match.span())
        tense = Tense.PAST if tense is Tense.UNKNOWN else tense
        options = [_month(year, parsed[0].month) for year in _years_around(context.published)]
        return _mention(match, _by_tense(options, tense, context.published), "month")
    if before is None or parsed is None or parsed[1] != "month":
        return None  # "May" the modal or a name, "March" the verb: not after a preposition
    options = [_month(year, parsed[0].month) for year in _years_around(context.published)]
    relation = before["prep"].lower()
    if relation not in ("last", "next", "this"):
        chosen = _by_tense(options, context.tense(*match.span()), context.published)
        return _mention(match, chosen, "month")
    chosen = _relative_choice(options, relation, context.published)
    start = before.start()
    return Mention(context.text[start : match.end()], start, match.end(), chosen, "month")


def _as_adjective(match: re.Match, text: str) -> bool:
    """Whether a bare month or year stands between a determiner and a noun."""
    return bool(
        _DETERMINER_BEFORE.search(text, max(0, match.start() - 12), match.start())
        and _NOUN_AFTER.match(text, match.end())
    )


def _resolve_part_of_month(match: re.Match, context: _Context) -> Mention | None:
    part = PART_OF_MONTH_WORDS[match["pm"].lower()]
    year = match["y"]
    parsed = parse_absolute(match["mon"] + (f" {year}" if year else ""))
    if parsed is None:
        return None
    month = parsed[0].month
    if year:
        return _mention(match, _part_of_month(int(year), month, part), "part-of-month")
    options = [_part_of_month(year, month, part) for year in _years_around(context.published)]
    chosen = _by_tense(options, context.tense(*match.span()), context.published)
    return _mention(match, chosen, "part-of-month")


def _resolve_part_of_this_month(match: re.Match, context: _Context) -> Mention | None:
    part = PART_OF_MONTH_WORDS[(match["pm"] or match["pm2"]).lower()]
    relation = (match["rel"] or match["rel2"]).lower()
    shift = {"last": -1, "next": 1}.get(relation, 0)
    year, month = _add_months(context.published.year, context.published.month, shift)
    return _mention(match, _part_of_month(year, month, part), "part-of-this-month")


def _resolve_year(match: re.Match, context: _Context) -> Mention | None:
    before = _YEAR_PREPOSITION.search(context.text, max(0, match.start() - 12), match.start())
    if before is None and not _as_adjective(match, context.text):
        return None  # a bare four-digit number may be a count, a name or a copyright line
    parsed = parse_absolute(match["x"])
    if parsed is None or parsed[1] != "year":
        return None
    return _mention(match, _year(parsed[0].year), "year", "x")


def _resolve_iso(match: re.Match, context: _Context) -> Mention | None:
    parsed = parse_absolute(match["iso"])
    if parsed is None or parsed[1] != "day":
        return None
    return _mention(match, _day(parsed[0]), "iso-date", "iso")


def _resolve_weekday(match: re.Match, context: _Context) -> Mention | None:
    text = match.string
    before = re.search(r"(\w+)\s+\Z", text[max(0, match.start() - 20) : match.start()])
    after = re.match(r"\s+(\w+)", text[match.end() : match.end() + 20])
    if before and before[1].lower() in WEEKDAY_NAMES_BEFORE:
        return None
    if after and after[1].lower() in WEEKDAY_NAMES_AFTER:
        return None
    weekday = WEEKDAYS.index(match["wd"].lower())
    modifier = " ".join((match["mod"] or "").lower().split())
    published = context.published
    back = (published.weekday() - weekday) % 7
    ahead = (weekday - published.weekday()) % 7
    if modifier in ("last", "this past", "past"):
        day = published - timedelta(days=back or 7)  # "last Tuesday" on a Tuesday: a week ago
    elif modifier in ("next", "this coming", "coming"):
        day = published + timedelta(days=ahead or 7)
    elif modifier == "this":
        day = published + timedelta(days=weekday - published.weekday())  # in publication's week
    elif context.tense(*match.span()) is Tense.FUTURE:
        day = published + timedelta(days=ahead)  # the same weekday is the publication day
    else:
        day = published - timedelta(days=back)
    point = _day(day).start
    if match["part"]:
        point = Point(day, day, Precision.PART_OF_DAY, match["part"].lower())
    return _mention(match, FuzzyDate(point), "weekday")


def _resolve_weekday_ordinal(match: re.Match, context: _Context) -> Mention | None:
    """'Tue 27th': the day of that number falling on that weekday, in the nearest month the
    tense allows (within a year of publication)."""
    weekday = [name[:3] for name in WEEKDAYS].index(match["wd"][:3].lower())
    day = int(re.match(r"\d+", match["d1"]).group())
    published = context.published
    options = []
    for shift in range(-12, 13):
        year, month = _add_months(published.year, published.month, shift)
        if (
            day <= calendar.monthrange(year, month)[1]
            and date(year, month, day).weekday() == weekday
        ):
            options.append(_day(date(year, month, day)))
    tense = context.tense(*match.span())
    return _mention(match, _by_tense(options, tense, published), "weekday-ordinal")


_MONTH_NAMED = re.compile(_MONTH)
MONTH_CONTEXT_CHARS = 1500  # how far back "the 10th" looks for its month


def _resolve_ordinal_day(match: re.Match, context: _Context) -> Mention | None:
    """'by the 10th': that day of the month named last before it, else of the months around
    publication; the year (or month) by tense."""
    day = int(re.match(r"\d+", match["d1"]).group())
    start = match.start("x")
    named = list(_MONTH_NAMED.finditer(context.text, max(0, start - MONTH_CONTEXT_CHARS), start))
    published = context.published
    if named:
        month = _MONTH_ABBREVIATIONS.index(named[-1].group()[:3].lower())
        found = _choose_day(month + 1, day, None, context, match)
        return _mention(match, _day(found) if found else None, "ordinal-day", "x")
    options = []
    for shift in (-1, 0, 1):
        year, month = _add_months(published.year, published.month, shift)
        if day <= calendar.monthrange(year, month)[1]:
            options.append(_day(date(year, month, day)))
    chosen = _by_tense(options, context.tense(*match.span("x")), published)
    return _mention(match, chosen, "ordinal-day", "x")


_MONTH_ABBREVIATIONS = tuple("jan feb mar apr may jun jul aug sep oct nov dec".split())


def _resolve_weekday_heading(match: re.Match, context: _Context) -> Mention | None:
    """A digest's items are what happened: the latest such weekday up to publication, or the
    days from the first to the second weekday."""
    published = context.published

    def latest(name: str) -> date:
        return published - timedelta(days=(published.weekday() - WEEKDAYS.index(name)) % 7)

    first = latest(match["wd"].lower())
    if match["wd2"] is None:
        return _mention(match, _day(first), "weekday-heading")
    last = latest(match["wd2"].lower())
    if last < first:
        return None
    return _mention(match, _days(first, last), "weekday-heading")


def _resolve_relative_day(match: re.Match, context: _Context) -> Mention | None:
    published = context.published
    if match["this"]:
        return _mention(match, _part_of_day(published, match["this"].lower()), "relative-day")
    word = " ".join(match["rd"].lower().split())
    if word == "today" and re.match(r"\s+programme", match.string[match.end() :]):
        return None  # BBC Radio 4's Today programme
    offsets = {
        "the day before yesterday": (-2, None), "yesterday": (-1, None), "today": (0, None),
        "tomorrow": (1, None), "the day after tomorrow": (2, None), "tonight": (0, "night"),
        "last night": (-1, "night"),
    }  # fmt: skip
    shift, part = offsets[word]
    part = match["part"].lower() if match["part"] else part
    day = published + timedelta(days=shift)
    return _mention(match, _part_of_day(day, part) if part else _day(day), "relative-day")


def _resolve_ago(match: re.Match, context: _Context) -> Mention | None:
    count = _number(match["n"])
    unit = match["unit"].lower().rstrip("s")
    if count is None or (count == 1) != (match["unit"].lower() == unit):
        return None  # "two day ago", "one days ago": not what a writer means
    return _mention(match, _shifted(context.published, unit, -count), "ago")


def _resolve_relative_unit(match: re.Match, context: _Context) -> Mention | None:
    direction = match["dir"].lower()
    raw_unit = match["unit"].lower()
    unit = raw_unit.rstrip("s")
    plural = raw_unit != unit
    count = _number(match["n"]) if match["n"] else None
    if count is None and match["n"]:
        return None
    if direction == "following" or (direction == "previous" and match["det"]):
        return None  # relative to a time the text talks about, not to publication
    if count is None and plural:
        return None  # "the past weeks", "the coming days": vague
    published = context.published
    rolling = count is not None or match["det"] or direction in ("past", "previous")
    if direction == "this" or (not rolling and direction in ("last", "next", "coming")):
        if count is not None or unit in ("hour", "day"):
            return None  # "this day", "last day of the war": not the publication's calendar
        shift = {"last": -1, "next": 1, "coming": 1}.get(direction, 0)
        return _mention(match, _calendar_unit(published, unit, shift), "calendar-unit")
    if unit == "weekend":
        return None
    count = count or 1
    if unit == "hour":
        unit, count = "day", math.ceil(count / 24)
    here = Point(published, published, Precision.DAY)
    if direction in ("next", "coming"):
        until = _add(published, unit, count)
        span = FuzzyDate(here, Point(until, until, Precision.DAY))
    else:
        since = _add(published, unit, -count)
        span = FuzzyDate(Point(since, since, Precision.DAY), here)
    return _mention(match, span, "rolling")


def _resolve_earlier_later(match: re.Match, context: _Context) -> Mention | None:
    unit = match["unit"].lower()
    whole = _calendar_unit(context.published, unit, 0).start
    here = Point(context.published, context.published, Precision.DAY)
    span = FuzzyDate(whole, here) if match["el"].lower() == "earlier" else FuzzyDate(here, whole)
    return _mention(match, span, "earlier-later")


def _resolve_weekend(match: re.Match, context: _Context) -> Mention | None:
    when = _weekend(context.published, context.tense(*match.span()))
    return _mention(match, when, "weekend", "x")


def _resolve_holiday(match: re.Match, context: _Context) -> Mention | None:
    name = " ".join(match["h"].lower().replace("’", "'").split())
    month, day = HOLIDAYS[name]
    options = [_day(date(year, month, day)) for year in _years_around(context.published)]
    when = _by_tense(options, context.tense(*match.span()), context.published)
    return _mention(match, when, "holiday")


_RESOLVERS: dict[str, Callable[[re.Match, _Context], Mention | None]] = {
    "month-day": _resolve_month_day,
    "day-month": _resolve_month_day,
    "month-year": _resolve_month,
    "part-of-month": _resolve_part_of_month,
    "part-of-named-month": _resolve_part_of_month,
    "part-of-this-month": _resolve_part_of_this_month,
    "month": _resolve_month,
    "year": _resolve_year,
    "iso-date": _resolve_iso,
    "weekday": _resolve_weekday,
    "relative-day": _resolve_relative_day,
    "ago": _resolve_ago,
    "relative-unit": _resolve_relative_unit,
    "earlier-later": _resolve_earlier_later,
    "weekend": _resolve_weekend,
    "holiday": _resolve_holiday,
    "weekday-heading": _resolve_weekday_heading,
    "weekday-ordinal": _resolve_weekday_ordinal,
    "ordinal-day": _resolve_ordinal_day,
}


# dateparser, for the absolute parts


@functools.lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    return DateDataParser(languages=DATEPARSER_LANGUAGES, settings=DATEPARSER_SETTINGS)


@functools.lru_cache(maxsize=4096)
def parse_absolute(text: str) -> tuple[date, str] | None:
    """dateparser's reading of an absolute date ('Feb. 24', '2014'): a day and its period
    ('day', 'month', 'year'); parts not written come from DATEPARSER_SETTINGS, not from now."""
    data = _parser().get_date_data(text)
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period


# Tense


def tense_at(text: str, start: int, end: int, sentences: list[tuple[int, int]]) -> Tense:
    """The tense of the verb nearest to text[start:end] in its clause (commas, quotes, dashes
    and parentheses end clauses); a fronted 'On Saturday,' takes the tense of the next clause."""
    index = bisect.bisect_right(sentences, (start, len(text) + 1)) - 1
    first, last = sentences[index] if index >= 0 else (0, len(text))
    low, high = _clause(text, first, last, start, end)
    found = _nearest_marker(text, low, high, start, end)
    if found is None and len(_WORD.findall(text[low:start] + text[end:high])) <= 2:
        following = _CLAUSE_BREAK.search(text, high + 1, last)
        found = _nearest_marker(text, high, following.start() if following else last, start, end)
    if found is None and _PARTICIPLE_OPENS.match(text, low):
        # a participle's clause has no tense of its own: its sentence's ("Russia had taken the
        # city, falling on 2 March"; not "whose voters go to the polls on Nov. 8")
        found = _nearest_marker(text, first, last, start, end)
    return found or Tense.UNKNOWN


_PARTICIPLE_OPENS = re.compile(r"\s*[a-z]+ing\b")


# How far from an expression its clause and the verb that gives its tense are looked for: a
# verb governs a date within a sentence's reach, and a clause of thousands of dates (a
# hostile file) would otherwise be scanned once for each of them.
TENSE_REACH = 600


def _clause(text: str, first: int, last: int, start: int, end: int) -> tuple[int, int]:
    first, last = max(first, start - TENSE_REACH), min(last, end + TENSE_REACH)
    breaks_before = [m.end() for m in _CLAUSE_BREAK.finditer(text, first, start)]
    after = _CLAUSE_BREAK.search(text, end, last)
    return (breaks_before[-1] if breaks_before else first), (after.start() if after else last)


def _nearest_marker(text: str, low: int, high: int, start: int, end: int) -> Tense | None:
    best: tuple[int, Tense] | None = None
    low, high = max(low, start - TENSE_REACH), min(high, end + TENSE_REACH)
    window = text[low:high]
    for pattern, tense in ((_FUTURE_MARKERS, Tense.FUTURE), (_PAST_MARKERS, Tense.PAST)):
        for marker in pattern.finditer(window):
            at, until = low + marker.start(), low + marker.end()
            if start <= at < end:
                continue  # a word of the expression itself ("next" in "next week")
            if tense is Tense.PAST and not _is_past_word(marker.group(), text, at):
                continue
            distance = start - until if until <= start else at - end
            if best is None or distance < best[0]:
                best = (distance, tense)
    return best[1] if best else None


def _is_past_word(word: str, text: str, at: int) -> bool:
    lowered = word.lower()
    if lowered in _NOT_PAST:
        return False
    # "will be completed", "will be held": a participle after a form of 'be' is not a past
    # tense ("was" is a marker of its own)
    return not (
        lowered not in ("was", "were", "been")
        and re.search(r"(?i)\b(?:be|been|being|is|are|am)\s+\Z", text[max(0, at - 8) : at])
    )


def _by_tense(options: list[FuzzyDate], tense: Tense, published: date) -> FuzzyDate | None:
    """The option the tense points at: the latest begun by publication, the earliest not yet
    over, or (tense unknown) the nearest to publication."""
    if not options:
        return None
    if tense is Tense.PAST:
        begun = [option for option in options if option.first <= published]
        return max(begun, key=lambda option: option.first) if begun else min(options, key=_first)
    if tense is Tense.FUTURE:
        pending = [option for option in options if option.last >= published]
        return min(pending, key=_first) if pending else max(options, key=_first)
    return min(options, key=lambda option: (_distance(option, published), option.first))


def _relative_choice(options: list[FuzzyDate], relation: str, published: date) -> FuzzyDate:
    """'last April' is the latest April before this month, 'next April' the earliest after."""
    if relation == "last":
        return max((o for o in options if o.last < published.replace(day=1)), key=_first)
    if relation == "next":
        return min((o for o in options if o.first > published), key=_first)
    return next(o for o in options if o.first.year == published.year)


def _first(option: FuzzyDate) -> date:
    return option.first


def _distance(option: FuzzyDate, published: date) -> int:
    if option.first <= published <= option.last:
        return 0
    return min(abs((option.first - published).days), abs((option.last - published).days))


# Spans of days


def _day(day: date) -> FuzzyDate:
    return FuzzyDate(Point(day, day, Precision.DAY))


def _days(first: date, last: date) -> FuzzyDate:
    return FuzzyDate(Point(first, first, Precision.DAY), Point(last, last, Precision.DAY))


def _part_of_day(day: date, part: str) -> FuzzyDate:
    return FuzzyDate(Point(day, day, Precision.PART_OF_DAY, part))


def _week(day: date) -> FuzzyDate:
    monday = day - timedelta(days=day.weekday())
    return FuzzyDate(Point(monday, monday + timedelta(days=6), Precision.WEEK))


def _month(year: int, month: int) -> FuzzyDate:
    last = calendar.monthrange(year, month)[1]
    return FuzzyDate(Point(date(year, month, 1), date(year, month, last), Precision.MONTH))


def _part_of_month(year: int, month: int, part: str) -> FuzzyDate:
    first, last = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}[part]
    last = min(last, calendar.monthrange(year, month)[1])
    return FuzzyDate(
        Point(date(year, month, first), date(year, month, last), Precision.PART_OF_MONTH, part)
    )


def _year(year: int) -> FuzzyDate:
    return FuzzyDate(Point(date(year, 1, 1), date(year, 12, 31), Precision.YEAR))


def _years_around(published: date) -> tuple[int, int, int]:
    return published.year - 1, published.year, published.year + 1


def _calendar_unit(published: date, unit: str, shift: int) -> FuzzyDate:
    """The week, weekend, month or year of publication, or `shift` of them before or after."""
    if unit == "week":
        return _week(published + timedelta(weeks=shift))
    if unit == "weekend":
        # "next weekend" on a weekday is the coming one; "last weekend" the one before this week
        return _weekend_of(published, 0 if shift == 1 and published.weekday() < 5 else shift)
    if unit == "month":
        return _month(*_add_months(published.year, published.month, shift))
    return _year(published.year + shift)


def _shifted(published: date, unit: str, count: int) -> FuzzyDate:
    """The day, week, month or year `count` units from publication, at that unit's precision."""
    if unit == "day":
        return _day(published + timedelta(days=count))
    if unit == "week":
        return _week(published + timedelta(weeks=count))
    if unit == "month":
        return _month(*_add_months(published.year, published.month, count))
    return _year(published.year + count)


def _weekend(published: date, tense: Tense) -> FuzzyDate:
    """'The weekend': on a weekend, this one; otherwise the last one, or the next one in the
    future tense."""
    if published.weekday() >= 5:
        return _weekend_of(published, 0)
    return _weekend_of(published, 0 if tense is Tense.FUTURE else -1)


def _weekend_of(published: date, shift: int) -> FuzzyDate:
    """Saturday and Sunday of the week `shift` weeks from the publication's ISO week."""
    saturday = published - timedelta(days=published.weekday()) + timedelta(days=5 + 7 * shift)
    return _days(saturday, saturday + timedelta(days=1))


def _add(day: date, unit: str, count: int) -> date:
    if unit == "day":
        return day + timedelta(days=count)
    if unit == "week":
        return day + timedelta(weeks=count)
    months = count * (12 if unit == "year" else 1)
    year, month = _add_months(day.year, day.month, months)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _number(text: str | None) -> int | None:
    if text is None:
        return None
    if text.isdigit():
        return int(text)
    return NUMBERS.get(text.lower())


# Sentences

_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col sgt capt gov sen rep st no jan feb mar apr jun jul aug sep sept "
    "oct nov dec u.s u.k a.m p.m e.g i.e vs etc inc corp co ltd jr sr prof maj adm cmdr".split()
)
# a sentence's end, with the closing quotes and brackets and the footnote marks ("[3]") after it
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*(?:\[\d{1,3}\])*\s+|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentences as (start, end) spans, without surrounding spaces; paragraphs never join."""
    spans: list[tuple[int, int]] = []
    start = 0
    for boundary in _BOUNDARY.finditer(text):
        if _ends_sentence(text, boundary):
            _add_span(spans, text, start, boundary.end())
            start = boundary.end()
    _add_span(spans, text, start, len(text))
    return spans


def _ends_sentence(text: str, boundary: re.Match) -> bool:
    if "\n" in boundary.group():
        return True
    following = text[boundary.end() : boundary.end() + 1]
    if not following or not (following.isupper() or following.isdigit() or following in "\"'“‘(["):
        return False
    if text[boundary.start()] != ".":
        return True
    word = re.search(r"([\w.]+)\Z", text[max(0, boundary.start() - 12) : boundary.start()])
    if word is None:
        return True
    token = word.group(1).lower()
    return not (token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()))


def _add_span(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        first = start + (len(piece) - len(piece.lstrip()))
        spans.append((first, first + len(stripped)))
