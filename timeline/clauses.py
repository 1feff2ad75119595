"""Sentences into clauses that may report different events, which part of a clause a date
belongs to, and what of a sentence is background ('after …', ', causing …')."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from timeline.temporal import Mention
from timeline.verbs import (
    ADVERB,
    IRREGULAR_PAST,
    NOT_VERBS,
    PARTICIPLE_BASE,
    PAST_VERB,
    RESULT_COORDINATED,
    RESULT_PARTICIPLE,
    base_forms,
    ing_bases,
)


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

    def reported_after(self, clause: tuple[int, int]) -> tuple[int, int] | None:
        """What a saying clause reports when it was cut off as the next clause ('Poland's
        president said' + 'the missile which hit …'), or None."""
        index = self.index(clause)
        if clause not in self.clauses or index + 1 >= len(self.clauses):
            return None
        following = self.clauses[index + 1]
        return following if _THAT.fullmatch(self.text, clause[1], following[0]) else None

    def is_attribution(self, clause: tuple[int, int]) -> bool:
        """Whether a clause only says who said what came before ('…, Kyiv said on Monday')."""
        return self.index(clause) > 0 and bool(_ATTRIBUTION_ONLY.match(self.words(clause)))


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
    if index >= 1 and _WHERE.match(text, clause[0]):
        about = sentence.clauses[index - 1]
        if _STATE_NOW.search(text, *about) and not PAST_VERB.search(text, *about):
            # "Water is flowing again in 60% of Izyum, where two pumping stations were
            # repaired on Monday": the state the dated deed brought about, where it is
            return [about]
    place = _LOCATIVE.search(text, *sentence.clauses[index - 2]) if index >= 2 else None
    if (
        place
        and _WHICH.match(text, sentence.clauses[index - 1][0])
        and not PAST_VERB.match(text, clause[0])
    ):
        # "in Kupyansk, which …, soldiers raised the flag": where the main clause happened
        return [clause, (place.start("where"), place.end())]
    if (
        index >= 2
        and PAST_VERB.match(text, clause[0])
        and _WHICH.match(text, sentence.clauses[index - 1][0])
    ):
        about = sentence.clauses[index - 2]  # "Kherson, which …, came under": Kherson came
        if len(sentence.words(about).split()) <= RELATIVE_ABOUT_WORDS:
            return [about, clause]
    aside = _APPOSITIVE.match(text, sentence.clauses[index - 1][1]) if index >= 1 else None
    if aside and aside.start("part") == clause[0]:
        # "The plant, struck by missiles on 11 September, …": what was done to the plant
        return [sentence.clauses[index - 1], clause]
    before = _APPOSITIVE.match(text, sentence.clauses[index - 2][1]) if index >= 2 else None
    if (
        before
        and before.end() == clause[0]
        and before.start("part") == sentence.clauses[index - 1][0]
    ):
        return [sentence.clauses[index - 2], clause]  # "The plant … restarted a unit"
    lead = TIME_WORDS.search(text, max(clause[0], anchor.start - 12), anchor.start)
    dated_noun = _dated_noun(text, clause, anchor, lead.start() if lead else anchor.start)
    if dated_noun:
        return dated_noun
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
        place = _LOCATIVE.search(text, *about)
        if place:  # "In the east, in Kupyansk, which Russian forces abandoned": Kupyansk
            about = place.span("name")
        if len(sentence.words(about).split()) > RELATIVE_ABOUT_WORDS:
            return [clause]
    told = (relative.end(), last)
    if COMPLEMENT_HEAD.search(text, *about):  # "the House will note that on Monday …"
        return [told]  # "that" opens what is noted or said, not a clause about a noun
    if PAST_VERB.match(text, relative.end()):  # "that landed …": what it is about does it
        return [about, told]
    return [told, about]  # "which Russian forces seized": it is done to what it is about


RELATIVE_ABOUT_WORDS = 6
_WHERE = re.compile(r"where\s")
# A state of now: "is flowing again", "are back", "is running", "has power again".
_STATE_NOW = re.compile(r"\b(?:is|are)\s+(?:now\s+)?(?:[a-z]+ing|back|again|on)\b|\bagain\b")
# "In Lviv, where two missiles struck …, 30% of the region was left without power": a
# relative clause about a fronted place is no part of what the sentence tells.
FRONTED_WHERE = re.compile(
    r"(\s*(?:In|At|Near|Outside|Across)\s+[^,]{2,40}),\s+where\s[^,]{2,160},\s+"
)


def without_fronted_where(text: str) -> str:
    """The text without the relative clause about its fronted place ('In Lviv, where
    missiles struck, power failed' 'In Lviv, power failed')."""
    found = FRONTED_WHERE.match(text)
    return f"{found[1]}, {text[found.end() :]}" if found else text


# "… follow strikes on Oct. 18 that hit three energy facilities": a noun dated where it
# stands, and what a relative clause right after its date says it did.
_THAT_DID = re.compile(rf"\s+(?:that|which)\s+(?P<did>(?:[a-z]+ly\s+)?(?:{PAST_VERB.pattern}))")
_WORD = re.compile(r"\S+")
NOUN_WORDS = 4  # a noun phrase dated where it stands: "Russia's massive missile strikes"
_NOT_A_NOUN = frozenset(
    "follow follows followed after before since by from to with and or of in on at for as "
    "is are was were has have had be been".split()
)


def _dated_noun(
    text: str, clause: tuple[int, int], anchor: Mention, lead: int
) -> list[tuple[int, int]] | None:
    """'strikes on Oct. 18 that hit three energy facilities': the noun and what the relative
    clause after its date says it did (None when the date is not between the two)."""
    did = _THAT_DID.match(text, anchor.end)
    if not did or did.end() > clause[1]:
        return None
    # the noun phrase: the words before the date, back to a verb (found where they stand: the
    # text may space them with two spaces, a tab or a non-breaking space)
    words: list[re.Match[str]] = []
    for word in reversed(list(_WORD.finditer(text, clause[0], lead))[-NOUN_WORDS:]):
        if word[0].lower() in _NOT_A_NOUN or PAST_VERB.fullmatch(word[0]) or word[0].endswith(","):
            break
        words.insert(0, word)
    if not words or not re.fullmatch(r"[a-z][\w'’-]*", words[-1][0]):
        return None
    return [(words[0].start(), words[-1].end()), (did.start("did"), clause[1])]


# A place a clause ends with ("In the east, in Kupyansk"), and its name.
_LOCATIVE = re.compile(
    r"(?:\A|,\s+)(?P<where>(?:[Ii]n|[Aa]t|[Nn]ear|[Oo]utside)\s+(?:the\s+)?)"
    r"(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\Z"
)
# A clause with its own verb before "that": "that" opens its object, not a relative clause.
COMPLEMENT_HEAD = re.compile(
    r"\b(?:will|would|shall|can|could|must|may|might|should)\s+(?:\w+\s+)?[a-z]+\s*\Z"
    r"|\b(?:report|say|note|confirm|claim|warn|announce|believe|add|state)(?:s|ed|d)?\s*\Z"
    r"|\b(?:said|told)(?:\s+(?:us|me|him|her|them|reporters|journalists))?\s*\Z"
    # "told his Security Council that …", "informed the parliament that …"
    r"|\b(?:told|tells|informed|informs|assured|reminded)\s+(?:[\w'’-]+\s+){1,6}\Z"
)


# "an apartment block struck" right before a date: a thing and what was done to it
_PARTICIPLE_EVENT = re.compile(
    r"\b(?:[Aa]n?|[Tt]he)\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?!(?:was|were|is|are|been|be|had|has|have)\b)[\w'’-]+\s+"
    r"(?:[a-z]{3,}ed|hit|struck|shot|destroyed)\s*\Z"
)
_MAIN_CLAUSE = re.compile(r"\b(?:was|were|is|are|has|have|had)\b|\b[a-z]{3,}ed\b")
_FRONTED_PLACE = re.compile(r"((?:In|At|Near|Outside)\s+[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*),")


# Sayings in writing are sayings too: a governor "wrote" or "posted" on Telegram what a
# spokesman "said" on air.
REPORTING = (
    r"(?:said|says|told|announced|warned|claimed|added|reported|informed|informs|wrote|writes|"
    r"posted|posts|tweeted|tweets|stated|states)"
)


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
# What follows 'a day after' when it is a clause with its own subject and past verb ("a day
# after President Zelensky visited Izium"), not a noun ("a day after the barrage, …").
NARRATED_CLAUSE = (
    r"(?:[\w'’.-]+\s+){1,4}?(?:had\s+|was\s+|were\s+)?(?:[a-z]{2,}ed|"
    + "|".join(IRREGULAR_PAST)
    + r")\b"
)
# A narrative time within the day: "hours after", "just minutes before", "shortly after".
SAME_DAY_AFTER = (
    r"(?<!past\s)(?<!last\s)(?<!next\s)(?<!\d\s)(?:(?:just|only|barely|mere)\s+)?"
    r"(?:(?:a\s+few|several|two|three)\s+)?"
    r"(?:hours|minutes|moments)|an\s+hour|shortly|soon"
)
# "shortly after 16:00", "hours after nightfall": a time of day, not an event that follows.
NOT_A_TIME_OF_DAY = (
    r"(?!\s+(?:\d|(?:midnight|noon|midday|dawn|daybreak|first\s+light|dusk|nightfall|"
    r"sunset|sunrise|sundown|lunch(?:time)?|breakfast|dinner)\b))"
)
# Where a sentence splits into clauses that may report different events.
# A split that begins with spaces begins where they begin ((?<!\s)): tried from inside a long
# run of spaces as well, each try scanned the rest of the run (a clock time and 10,000 spaces
# took 5.7 s), and a second space slipped past the look-behinds that keep "days after" whole.
_CLAUSE_SPLIT = re.compile(
    r";\s+|(?<!\s)\s+[—–]\s+"
    r"|,\s+(?=(?:and|but|while|whereas|with)\s)"
    r"|(?<!\s)\s+(?=but\s)"
    r"|(?:,|(?<!\s))\s+(?=and\s+(?:by|on|in|then)\s)"
    r"|,\s+(?=(?:a|one|two|three|four|five|six|\d)\s+days?\s+(?:after|before)\b)"
    # "… struck cities two days after a blast damaged the bridge": with or without a comma,
    # an 'after' that opens a clause of its own tells an event of its own
    r"|(?<=\w)\s+(?=(?:a|one|two|three|four|five|six|\d)\s+days?\s+(?:after|before)\s+"
    rf"{NARRATED_CLAUSE})"
    # "…, hours after the defence ministry said …", "shortly before a blast damaged …"
    r"|(?<!just)(?<!only)(?<!barely)(?<!mere)(?<!few)(?<!several)(?<!two)(?<!three)(?<!\d)"
    rf"(?:,\s+(?=(?:{SAME_DAY_AFTER})\s+(?:after|before)\b{NOT_A_TIME_OF_DAY})"
    rf"|(?<!\s)\s+(?=(?:{SAME_DAY_AFTER})\s+(?:after|before)\s+{NARRATED_CLAUSE}))"
    r"|,\s+(?=(?:which|when|where)\s)"
    r"|(?<!\s)\s+(?=since\s+(?:it|they|he|she|we)\s)"
    r"|(?<!day)(?<!days)(?<!hour)(?<!hours)(?<!minutes)(?<!moments)(?<!shortly)(?<!soon)"
    rf"(?<!\s)\s+(?={_SUBORDINATE})"
    # "in the past 24 hours | after Russia acknowledged …": a count of hours is no narrative
    rf"|(?<=\d\shours)\s+(?={_SUBORDINATE})"
    r"|(?<=said),\s+(?=[a-z]+ing\b)|(?<=says),\s+(?=[a-z]+ing\b)"  # "…, X said, hitting …"
    # "…on Monday, knocking out water supplies …" (not "A missile that landed …, killing two
    # farm workers, was …", where the participle is inside the subject)
    rf"|,\s+(?={RESULT_PARTICIPLE.pattern}(?![^,;]*,\s+(?:[a-z]+ly\s+)?"
    r"(?:was|were|is|are|has|have|had)\b))"
    # "… on Wednesday and plunged neighbouring Moldova into a blackout": a result told by a
    # second verb (after a clause with a verb of its own)
    rf"|(?<=\w),?\s+(?={RESULT_COORDINATED.pattern})"
)


def _trimmed(piece: str) -> str:
    """A clause's text less the punctuation and spaces before the next (a tab or a
    non-breaking space as well as a space; str.rstrip, as a pattern anchored at the end would
    be tried from every space of a long run)."""
    while True:
        cut = piece.rstrip().rstrip(",;—–")
        if cut == piece:
            return piece
        piece = cut


# "…, Poland's president said on Wednesday": an attribution after a clause of its own.
_ATTRIBUTION_SPLIT = re.compile(
    rf"[,.!?][\"”’]?\s+(?={_SPEAKER}{REPORTING}\b(?!\s+(?:that|it|they)\b))"
)
# A participle phrase between the subject and its verb, with an agent or a place: "The plant,
# struck by Russian missiles on 11 September, restarted …".
_APPOSITIVE = re.compile(
    rf",\s+(?P<part>(?:[a-z]{{2,}}ed|{'|'.join(PARTICIPLE_BASE)})\s+(?:by|in|on|at|during)\s"
    rf"[^,;]{{3,120}}),\s+(?=(?:[a-z]+ly\s+)?(?:{PAST_VERB.pattern}|has|have|is|are)\b)"
)
_FINITE = re.compile(r"\b(?:is|are|has|have|will|would|can|could|must|says)\b")
_FRONTED = re.compile(r"(?:When|After|Before|While|As|Although|Though|Since)\s[^,]{5,200},\s+")
_WHICH = re.compile(r"(?:which|who|where)\s")
_WHEN = re.compile(r"when\s")
# the comma that closes a "which" clause: the main clause's verb follows it
_RELATIVE_CLOSES = re.compile(
    r",\s+(?=(?:[a-z]+ly\s+)?(?:[a-z]{2,}ed|" + "|".join(IRREGULAR_PAST) + r"|is|are|has|have|"
    r"remains)\b)"
)
_MAIN_RESUMES = re.compile(
    r",\s+(?=(?:the\s+|its\s+|their\s+)?(?:[A-Za-z][\w'’-]*\s+){0,2}?[a-z][\w'’-]*\s+"
    rf"(?:{PAST_VERB.pattern}))"
)
FRONTED_WORDS = 3  # a first clause this short is a fronted adverbial ("Earlier on Monday,")
# A fronted time ("On Friday,") and a subordinate clause ("as …,") before the main clause: the
# subordinate clause tells an event of its own, and the main clause shares its time.
FRONTED_SUBORDINATE = re.compile(
    r"(?:On|By|In|At|Early|Late|Later|Earlier)\s[^,]{1,30},\s+(?:as|when|while)\s[^,]{5,200},\s+"
)
_ATTRIBUTION_ONLY = re.compile(
    rf"{_SPEAKER}{REPORTING}\b(?!\s+(?:that|it|they|he|she|we)\b)(?:(?!\bthat\b)[^;])*\Z"
)


def clause_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The clauses of a sentence as spans of the text (at least one: the sentence)."""
    cuts = [start]
    fronted = _FRONTED.match(text, start, end)
    if fronted and PAST_VERB.search(fronted.group()):  # a clause, not "As a result of …,"
        cuts.append(fronted.end())
    cuts += [match.end() for match in _CLAUSE_SPLIT.finditer(text, start, end)]
    shared = FRONTED_SUBORDINATE.match(text, start, end)
    if shared:  # "On Friday, as the first units drove into the city, residents poured …"
        cuts.append(shared.end())
    for match in _ATTRIBUTION_SPLIT.finditer(text, start, end):
        before = text[max(c for c in cuts if c <= match.start()) : match.start()]
        # not "Kyiv's mayor, Vitali …, said"; "…, plunging the port into darkness" is a clause
        if PAST_VERB.search(before) or _FINITE.search(before) or RESULT_PARTICIPLE.match(before):
            cuts.append(match.end())
    where = FRONTED_WHERE.match(text, start, end)
    if where:  # "In Lviv, where …, 30% of the region lost power": one clause, the last part
        cuts = [cut for cut in cuts if not start < cut <= where.end()]
    cuts = sorted(set(cuts))
    spans = []
    for first, last in zip(cuts, [*cuts[1:], end], strict=True):
        piece = _trimmed(text[first:last])
        if piece.strip():
            spans.append((first, first + len(piece)))
    short = len(spans) > 1 and len(text[spans[0][0] : spans[0][1]].split()) <= FRONTED_WORDS
    # "The discovery came | a day after …" is a clause, not a fronted adverbial
    short = short and not PAST_VERB.search(text, spans[0][0], spans[0][1])
    # (not "Since 11 September, | when power unit No. 6 was switched off": the day's event)
    if short and not _WHICH.match(text, spans[1][0]) and not _WHEN.match(text, spans[1][0]):
        spans[:2] = [(spans[0][0], spans[1][1])]  # "On Sunday, Zelensky said …" is one clause
    closed = []
    for first, last in spans:  # "Kherson, which Ukraine recaptured …, came under shelling"
        resumed = _RELATIVE_CLOSES.search(text, first, last) if _WHICH.match(text, first) else None
        if resumed is None and _WHICH.match(text, first):
            # "in Kupyansk, which Russian forces abandoned yesterday, soldiers raised …": the
            # main clause resumes with a subject of its own after a relative clause with a verb
            resumed = next(
                (
                    found
                    for found in _MAIN_RESUMES.finditer(text, first, last)
                    if PAST_VERB.search(text, first, found.start())
                ),
                None,
            )
        if resumed is None and _WHEN.match(text, first) and first > start:
            # "Since 11 September, when power unit No. 6 was switched off, none of its reactors
            # has produced electricity": the main clause resumes after the 'when' clause
            resumed = next(
                (
                    found
                    for found in _RESUMES_AFTER_WHEN.finditer(text, first, last)
                    if PAST_VERB.search(text, first, found.start())
                ),
                None,
            )
        if resumed:
            closed += [(first, resumed.start()), (resumed.end(), last)]
        else:
            closed.append((first, last))
    return closed or [(start, end)]


_RESUMES_AFTER_WHEN = re.compile(
    r",\s+(?=(?:[A-Za-z][\w'’-]*\s+){1,5}?(?:has|have|had|is|are|was|were|"
    + PAST_VERB.pattern
    + r")\b)"
)


_THAT = re.compile(r"\s+that\s+")
# "Poland's president said that the missile which hit … on Tuesday": a saying and what it
# reports, each with its own date, are two events: the statement and the deed.
# ("wrote on Facebook on Thursday that", "said in a statement on Monday that")
_SAID_THAT = re.compile(rf"\b{REPORTING}\b(?:\s+[\w'’-]+){{0,5}}?(?P<that>\s+that\s+)")


def reported_apart(
    text: str, spans: Sequence[tuple[int, int]], mentions: Sequence[Mention]
) -> list[tuple[int, int]]:
    """Clauses 'X said [when] that Y' split before 'that' when what is said happened on days
    that ended before the day of the saying (not 'said on Monday that … in the past day',
    a claim up to the saying)."""
    split: list[tuple[int, int]] = []
    for first, last in spans:
        cut = next(
            (
                found
                for found in _SAID_THAT.finditer(text, first, last)
                if any(
                    first <= said.start < found.start("that")
                    and found.end() <= told.start < last
                    and told.date.last < said.date.first
                    for said in mentions
                    for told in mentions
                )
            ),
            None,
        )
        split += [(first, cut.start("that")), (cut.end(), last)] if cut else [(first, last)]
    return split


def appositive_apart(
    text: str,
    spans: Sequence[tuple[int, int]],
    mentions: Sequence[Mention],
    deed: Callable[[str], bool],
) -> list[tuple[int, int]]:
    """Clauses 'The plant, struck by missiles on 11 September, restarted a unit on Wednesday'
    split into the subject, the participle phrase and the main clause when the phrase tells a
    deed (`deed` of 'it was' + the phrase) and both it and the main clause hold a date: what
    was done to the subject before is an event of its own (not 'The mayor, elected in 2020,
    said on Monday …')."""
    split: list[tuple[int, int]] = []
    for first, last in spans:
        aside = next(
            (
                found
                for found in _APPOSITIVE.finditer(text, first, last)
                if any(found.start("part") <= m.start < found.end("part") for m in mentions)
                and any(found.end() <= m.start < last for m in mentions)
                and deed(f"It was {found['part']}")
            ),
            None,
        )
        if aside is None:
            split.append((first, last))
            continue
        split += [(first, aside.start()), aside.span("part"), (aside.end(), last)]
    return split


# "… restored to most of the city after the strike on 11 September": a date in a trailing
# "after …" phrase dates what it names, not the clause.
_AFTER_PHRASE = re.compile(r"\s(?=(?:after|following)\s+(?:the|a|an|its|their|last|this)\s)")


def dated_background(
    text: str, spans: Sequence[tuple[int, int]], starts: Sequence[int]
) -> list[tuple[int, int]]:
    """Clauses with a trailing 'after …' phrase split off when both it and the clause before
    it hold a date (`starts`: where the dates begin): each dates its own event."""
    split: list[tuple[int, int]] = []
    for first, last in spans:
        cut = next(
            (
                found
                for found in _AFTER_PHRASE.finditer(text, first, last)
                if any(first <= at < found.start() for at in starts)
                and any(found.end() <= at < last for at in starts)
            ),
            None,
        )
        split += [(first, cut.start()), (cut.end(), last)] if cut else [(first, last)]
    return split


TIME_WORDS = re.compile(
    r"(?i)\b(?:on|in|by|since|over|during|until|till|at|from|between|as\s+of|early|late|earlier|"
    r"later|"
    r"(?<=\w\s)of|"
    # "In the night from Sunday to Monday": the part of the day goes with the days
    r"(?:(?:in|during|on|over)\s+)?the\s+(?:night|morning|evening|afternoon)\s+(?:from|of|between))"
    r"\s+\Z"
)


# "As a result of massive missile attacks, …": a fronted phrase that is not the event
FRONTED_PHRASE = re.compile(
    r"(?i)((?:as\s+a\s+result\s+of|due\s+to|because\s+of|despite|following|amid|"
    r"according\s+to|in\s+response\s+to|(?:after|before|while|since)\s+[a-z]+ing\b|"
    r"(?:an?|one|two|three|four|five|six|\d+)\s+days?\s+(?:after|before)\b)"
    r"\s*[^,]{2,80}),\s+"
)  # "After crossing the Oskil River in late September, …": a participle's phrase, no clause


_LEAD_QUOTES = re.compile(r"\A[\"“‘'\s]+")
_BACKGROUND = re.compile(
    r"(?i)(?:\s(?:after|following|amid|was\s+followed\s+by)|,\s+(?:forcing|causing|leaving|"
    r"killing|cutting|prompting|triggering|knocking|sparking))\s"
)


def split_background(sentence: str) -> tuple[str, str, str]:
    """The sentence before and after its first 'after'/'following'/'amid' or consequence
    (', causing …'): what follows is background or aftermath, and only breaks ties; so does
    a fronted cause ('As a result of the attacks, …')."""
    cause = FRONTED_PHRASE.match(_LEAD_QUOTES.sub("", sentence))
    if cause and not PAST_VERB.search(cause.group(1)):
        rest = _LEAD_QUOTES.sub("", sentence)[cause.end() :]
        return rest, cause.group(), cause.group(1)
    found = _BACKGROUND.search(sentence)
    if found is None:
        return sentence, "", ""
    if _DISTANCE_ONLY.match(sentence[: found.start()]):
        # "a day after Russia's new commander called the situation tense": the clause is the
        # 'after' phrase, dated on its own; what it tells is its event
        return sentence[found.end() :], "", ""
    return sentence[: found.start()], found.group(), sentence[found.end() :]


# How long before or after, with nothing else: "a day", "two days", "hours", "shortly".
_DISTANCE_ONLY = re.compile(
    r"(?i)\A\W*(?:(?:just|only|some|about)\s+)?(?:(?:a|an|one|two|three|four|five|six|\d+)\s+)?"
    r"(?:days?|hours?|weeks?|months?|minutes?|shortly|soon|moments?)?\s*\Z"
)


_MARKUP_START = re.compile(r"(?:<[^<>]{0,200}>\s*)+")
_TAG_AT_END = re.compile(r"<[^<>]{0,200}>\Z")
_TAG_REACH = 202  # the longest tag _TAG_AT_END takes


def without_markup(text: str, start: int, end: int) -> tuple[int, int]:
    """A sentence span without the HTML tags scrapers leave around paragraphs (still verbatim).

    The tags that end it are taken off one by one from the end, with the spaces between them
    (a pattern anchored at the end would be tried from every character of a long sentence)."""
    lead = _MARKUP_START.match(text, start, end)
    if lead:
        start = lead.end()
    stop = end
    tag = _TAG_AT_END.search(text, max(start, stop - _TAG_REACH), stop)
    while tag is not None:
        stop = _before_spaces(text, start, tag.start())
        tag = _TAG_AT_END.search(text, max(start, stop - _TAG_REACH), stop)
    return start, stop


def _before_spaces(text: str, start: int, stop: int) -> int:
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    return stop


# Where a clause's subject ends: its first verb (a past form, an auxiliary or a modal).
_FIRST_VERB = re.compile(
    PAST_VERB.pattern + r"|\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might)\b"
)
_SUBJECT_LEAD = re.compile(
    r"(?i)\A[\s\"“‘'-]*(?:(?:\d+\.|[-•*])\s+)?"
    r"(?:(?:event|update|summary|details|incident):\s+)?"
    r"(?:(?:on|in|by|at|since|over|during)\s+[^,]{1,40},\s+)?"
)
_AFTER_HEAD = re.compile(r"(?i)\s(?:on|in|at|of|from|to|near|against|across|for|with|that|which)\s")


def subject_head(clause: str) -> str:
    """The head word of a clause's subject, lower-cased: the last word before its first verb,
    or before the first preposition there ('water supply to … residents was restored':
    'supply'); '' when no verb follows a subject."""
    lead = _SUBJECT_LEAD.match(clause)
    body = clause[lead.end() :] if lead else clause
    verb = _FIRST_VERB.search(body)
    if verb is None or verb.start() == 0:
        return ""
    subject = body[: verb.start()]
    cut = _AFTER_HEAD.search(subject)
    words = re.findall(r"[A-Za-z][\w'’-]*", subject[: cut.start()] if cut else subject)
    return words[-1].lower() if words else ""


SUBJECT_WORDS = 4  # longer, a subject is a description, not a name to put in a title


# Who makes the claims a sentence reports, as the article words it: the subject of its saying
# verb ("Kharkiv regional governor Oleg Synegubov said …", "…, the air force said") or the
# name after "according to". A figure is the speaker's claim, not the outlet's.
_SAYING = re.compile(rf"\b{REPORTING}\b")
_ACCORDING_TO = re.compile(r"\baccording to (?P<who>[^,.;:()\n]{2,80})")
# Where a subject begins: after a clause boundary before the saying verb.
_SUBJECT_START = re.compile(r"[,;:—]\s*|\s(?:and|but|while|as|that|after|when)\s")
_PRONOUNS = frozenset("i we you he she it they this that who which".split())
SPEAKER_WORDS = 8  # longer, it is a clause, not a name
# When or how it was said, written before the speaker without a comma: "On 10 October Moscow
# said", "In a statement on Monday the ministry said" (with a comma, _SUBJECT_LEAD takes it).
_SAID_WHEN = re.compile(
    r"(?i)\A(?:(?:on|in|at|by|late|early|during|over)\s+(?:a\s+statement\s+)?(?:on\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?\s+[a-z]+|[a-z]+\s+\d{1,2}(?:st|nd|rd|th)?|\w+day|\d{4}|"
    r"a\s+statement|(?:the\s+)?(?:morning|evening|night|week|weekend))\s+)+"
)


def speaker(sentence: str) -> str:
    """Who the sentence says makes its claims, as written ('Kharkiv regional governor Oleg
    Synegubov', 'the air force', 'officials'); '' for none, or for a pronoun, whose referent
    is in another sentence."""
    found = _ACCORDING_TO.search(sentence)
    if found:
        return _speaker_words(found["who"])
    verb = _SAYING.search(sentence)
    if verb is None:
        return ""
    lead = _SUBJECT_LEAD.match(sentence)
    before = sentence[lead.end() if lead else 0 : verb.start()]
    if before.rstrip().endswith(","):  # "The governor, Oleg Synegubov, said": with the name
        head, _, name = before.rstrip()[:-1].rpartition(",")
        return _speaker_words(f"{head.split(',')[-1]},{name}" if head else name)
    starts = [boundary.end() for boundary in _SUBJECT_START.finditer(before)]
    phrase = before[starts[-1] if starts else 0 :].lstrip()
    when = _SAID_WHEN.match(phrase)
    return _speaker_words(phrase[when.end() if when else 0 :])


def _speaker_words(phrase: str) -> str:
    words = phrase.strip(" \"“”‘’'").split()
    if not 0 < len(words) <= SPEAKER_WORDS or words[0].lower() in _PRONOUNS:
        return ""
    if any(_FIRST_VERB.fullmatch(word) for word in words):
        return ""  # "troops entered the town": a clause, not who speaks
    return " ".join(words)


def subject_phrase(clause: str) -> str:
    """The subject of a clause when it is short and names something ('The plant' of 'The
    plant, the largest nuclear power station in Europe, has been …'), else ''."""
    lead = _SUBJECT_LEAD.match(clause)
    body = clause[lead.end() :] if lead else clause
    verb = _FIRST_VERB.search(body)
    subject = re.split(r"[,;(]", body[: verb.start()] if verb else body, maxsplit=1)[0].strip()
    words = subject.split()
    if not 0 < len(words) <= SUBJECT_WORDS or not words[0][:1].isupper():
        return ""
    if words[0].lower() in ("it", "they", "its", "their", "he", "she", "we", "this", "that"):
        return ""
    return subject


# A nationality adjective: "Russian", "Ukrainian", "Polish", "Belarusian", "Chinese".
DEMONYM = re.compile(r"[A-Z][a-z]+(?:ian|an|ish|ese|ch|i)")
_AUXILIARIES = frozenset(
    "is are was were be been being has have had will would can could may might must shall "
    "should did does do".split()
)
_NOT_AFTER = frozenset("the a an its their his her our this these those of to".split())
_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def main_verb(clause: str, verbs: frozenset[str]) -> tuple[str, str, str] | None:
    """The clause's main verb among `verbs` (base forms), with its subject's head word and what
    follows it: the first word after the subject that is one of them, past or present, passing
    over auxiliaries and adverbs ('have openly described'); None when the first verb of the
    clause is another (its keywords decide) or inside a relative clause."""
    lead = _SUBJECT_LEAD.match(clause)
    start = lead.end() if lead else 0
    words = list(_WORD.finditer(clause, start))
    for number, match in enumerate(words):
        word = match.group().lower()
        if number == 0 or word in _AUXILIARIES or re.fullmatch(ADVERB, word):
            continue
        previous = words[number - 1].group().lower()
        if previous in ("that", "which", "who") and number > 1:  # not "That evening, …"
            return None
        forms = base_forms(word)
        known = next((form for form in forms if form in verbs), None)
        finite = PAST_VERB.fullmatch(word) or previous in _AUXILIARIES
        # a present form only after a name or a pronoun: "Russia fires", not "missile attacks"
        # (and not "Missile attacks damaged": a verb after it makes it the subject)
        named = words[number - 1].group()[:1].isupper() or previous in ("it", "he", "she")
        following = words[number + 1].group().lower() if number + 1 < len(words) else ""
        named = named and not (PAST_VERB.fullmatch(following) or following in _AUXILIARIES)
        # "Russian strikes on the grid", "Ukrainian forces on Saturday": a nationality
        # adjective before a plural noun, not a name before its verb
        named = named and not DEMONYM.fullmatch(words[number - 1].group())
        if known and (finite or (word.endswith("s") and named and previous not in _NOT_AFTER)):
            return known, subject_head(clause[: match.start()] + " was"), clause[match.end() :]
        if finite and word not in NOT_VERBS:
            return None  # another verb comes first: the clause is about that
    return None


def clause_verbs(clause: str) -> set[str]:
    """The base forms every verb of a clause may be of: past forms, participles after an
    auxiliary, '-ing' forms and present forms after a name ('Zelensky visits'), not a
    participle used as an adjective ('the liberated city', 'of liberated Kherson')."""
    found: set[str] = set()
    words = list(_WORD.finditer(clause))
    for number, match in enumerate(words):
        word = match.group().lower()
        previous = words[number - 1].group() if number else ""
        if word in NOT_VERBS or word in _AUXILIARIES or previous.lower() in _NOT_AFTER:
            continue
        if PAST_VERB.fullmatch(word) or (
            previous.lower() in _AUXILIARIES and (word in PARTICIPLE_BASE or word.endswith("en"))
        ):
            found.update(base_forms(word))
        elif word.endswith("ing"):
            found.update(ing_bases(word))
        elif word.endswith("s") and previous[:1].isupper() and not DEMONYM.fullmatch(previous):
            found.update(base_forms(word))
    return found
