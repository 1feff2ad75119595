"""A clause as a headline: no time words, connectives or datelines, the verb in the present,
at most MAX_TITLE_CHARS characters and never cut mid-phrase."""

from __future__ import annotations

import re
from collections.abc import Sequence

from timeline.clauses import COMPLEMENT_HEAD, FRONTED_PHRASE, TIME_WORDS, without_fronted_where
from timeline.dating import starts_at
from timeline.temporal import Mention
from timeline.verbs import (
    A_VERB,
    ADVERB,
    IRREGULAR_PAST,
    NOT_VERBS,
    PARTICIPLE,
    PARTICIPLE_BASE,
    PAST_VERB,
    REGULAR_EXCEPTIONS,
    regular_base,
    third_person,
)

MAX_TITLE_CHARS = 90
TITLE_SOURCE_CHARS = 20 * MAX_TITLE_CHARS
LEAD = re.compile(
    r"(?i)\A(?:\d{1,2}[:.]\d{2}\s+|\d{1,2}/(?:\d{1,2})?\s+|[•·▪*|]\s*|-\s+|live:\s*|"
    r"(?:event|update|summary|details|incident|background|context|claim|quote|fact\s+check):\s*|"
    r"(?-i:Q|A):\s+|"
    r"(?-i:[A-Z][A-Z .'’-]{2,30})(?:\s*\([^()]{1,40}\))?:\s+|"
    r"(?:and|but|while|whereas|which|when|where|as|"
    r"since|after|before|then|also|meanwhile|earlier|later|early|late|with)\b[\s,]*|"
    r"on\s+the\s+battlefield,\s*|[\"“”'‘’]+\s*)+"
)


_QUOTE_TAIL = re.compile(
    r"[,.]?[\"”’]?\s*,?\s*(?:(?:she|he|they|we)\s+(?:said|says|added)|according\s+to\s+[^,]+)"
    r"[.!]?\s*\Z"
)
DATELINE_PREFIX = re.compile(
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
    return headline_how(text, spans, mentions, claim_only)[0]


def headline_how(
    text: str,
    spans: Sequence[tuple[int, int]],
    mentions: Sequence[Mention],
    claim_only: bool = False,
) -> tuple[str, bool]:
    """What `headline` gives, and whether it had to be cut to MAX_TITLE_CHARS."""
    pieces = []
    for first, last in spans:
        cursor = first
        for mention in sorted(mentions, key=starts_at):
            if mention.start < cursor or mention.end > last or mention.rule == "pointed":
                continue  # ("the attacks" a saying points back to is the clause's subject)
            piece = TIME_WORDS.sub("", text[cursor : mention.start])
            cursor = mention.end
            if piece.rstrip().endswith(",") and text[cursor:last].startswith(","):
                piece = piece.rstrip()[:-1]  # "The attack, on October 22, damaged": no commas
            pieces.append(piece)
            # "On Sunday, Russia …" loses its comma; "in a village on Tuesday, killing …" not
            fronted = not LEAD.sub("", piece).strip(" ,\"“”'‘’")
            after = r"(?:['’]s)?\s*,?" if fronted else r"(?:['’]s)?"
            cursor += len(re.match(after, text[cursor:last]).group())
        following = spans[spans.index((first, last)) + 1] if (first, last) != spans[-1] else None
        moved = following is not None and following[0] < first and text[following[0]].islower()
        # "… over the town hall." + "in Kupyansk": a sentence's end moved inside the title
        pieces.append(text[cursor:last].rstrip(" ,;." if moved else " ,;"))
    first, last = spans[0][0], spans[-1][1]
    # A headline of MAX_TITLE_CHARS is made of a clause's first words: a clause of thousands of
    # characters (a hostile file) is cut first, as some passes below take time with the square
    # of what they are given.
    title = " ".join(" ".join(pieces).split())[:TITLE_SOURCE_CHARS]
    title = re.sub(r"(?<=\w )(In|At|Near|Outside)(?= [A-Z])", lambda m: m.group(1).lower(), title)
    title = re.sub(r"<[^<>]*>|\[\d{1,3}\]", "", title)  # markup, footnote marks ("[1]")
    title = " ".join(CLOCK_TIME.sub("", title).split())
    title = DATELINE_PREFIX.sub("", title)
    cause = FRONTED_PHRASE.match(title)
    if cause and not PAST_VERB.search(cause.group(1)):  # "As a result of the attacks, X …": X …
        title = title[cause.end() :]
    title = LEAD.sub("", title)
    title = _QUOTE_TAIL.sub("", title)
    title = re.sub(r"[\"“”]", "", title)
    title = re.sub(r"\s+([,.;:])", r"\1", title).strip(" ,;:.—–-")
    title = without_fronted_where(title)  # "In Lviv, where …, X": X in Lviv
    title = _FRONTED_LOCATIVE.sub(_place_after, title)
    title = without_asides(title, always=claim_only)
    whole = present_tense(active_voice(title))
    cut = len(whole) > MAX_TITLE_CHARS
    title = _ATTRIBUTED.sub(r"\1\2 says", shorten(whole))
    while _DANGLING_END.search(title):  # "sold out for" once "the next seven days" went
        title = _DANGLING_END.sub("", title).rstrip(" ,;:")
    if title:
        return title[:1].upper() + title[1:], cut
    return text[first:last][:MAX_TITLE_CHARS], last - first > MAX_TITLE_CHARS


# A time of day is not in a headline ("by 18:00", "at about half past six", "11:40.").
CLOCK_TIME = re.compile(
    # (?<!\s): a match begins where spaces begin, not inside a run of them, where each try
    # would scan the rest of the run (10,000 spaces took 4 s)
    r"(?i)(?<!\s)(?:(?:\A|\s+)(?:at|by|from|until|till|around|about|between)\b)*\s*"
    r"(?:about\s+|around\s+)?"
    r"(?:\b\d{1,2}:\d{2}\b(?:\s*(?:a\.m\.|p\.m\.|am|pm))?"
    r"|\b\d{1,2}(?:[.:]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
    r"|\b(?:noon|midday|midnight|overnight)\b"
    r"|\bhalf\s+past\s+[a-z]+|\b(?:a\s+)?quarter\s+(?:past|to)\s+[a-z]+|\b[a-z]+\s+o['’]clock)"
    r"(?:\s+(?:GMT|UTC|local\s+time|Kyiv\s+time|Moscow\s+time))?"
    r"(?:\s+and\s+\d{1,2}:\d{2}\b)?\.?(?=[\s,;.]|\Z)"
)


# "In neighbouring Moldova, half the country lost power": the place goes after the verb
_FRONTED_LOCATIVE = re.compile(
    r"\A(In|At|Near|Outside|Across)\s+([^,]{2,40}),\s+"
    # where that place is ("In Lviv, near the Polish border, …") is not the headline's
    r"(?:(?:near|close\s+to|on|outside|just|some|about|\d+\s*km)\b[^,]{2,40},\s+)?(.+)\Z"
)
# "…, Poland's president said" at the end of a headline: "…, Poland's president says".


# "have discovered", "has retaken": a perfect of the headline's own verb (not "has been …", a
# state, nor one after "says", which is what was said)
_PERFECT = re.compile(
    rf"\b(?P<aux>has|have)\s+(?P<adverb>(?:{ADVERB}\s+)*)(?!been\b)(?P<verb>{PARTICIPLE})\b"
)
_SAYS = re.compile(r"\b(?:says|say|tells|tell)\b")


def perfect_as_present(title: str) -> str:
    """A headline's present perfect in the simple present, as the curated titles tell a dated
    event: 'Ukrainian authorities have discovered a mass grave' 'Ukrainian authorities
    discover a mass grave'; 'The dam has been closed' stays."""
    perfect = _PERFECT.search(title)
    if perfect is None or _SAYS.search(title, 0, perfect.start()):
        return title
    word = perfect["verb"].lower()
    base = PARTICIPLE_BASE.get(word) or REGULAR_EXCEPTIONS.get(word) or regular_base(word)
    verb = third_person(base) if perfect["aux"] == "has" else base
    return f"{title[: perfect.start()]}{perfect['adverb']}{verb}{title[perfect.end() :]}"


def _place_after(fronted: re.Match) -> str:
    """'In Kharkiv, two missiles hit a facility and the metro stopped': the place after the
    first clause ('two missiles hit a facility in Kharkiv and the metro stopped')."""
    where = f"{fronted[1].lower()} {fronted[2]}"
    # before 'and …', and before an 'after …' or an attribution a short title drops ("gas
    # returned to 2,300 homes in Balakliia after engineers replaced …")
    joined = _AFTER_FIRST_PART.search(fronted[3])
    if joined is None:
        return f"{fronted[3]} {where}"
    return f"{fronted[3][: joined.start()]} {where}{fronted[3][joined.start() :]}"


_AFTER_FIRST_PART = re.compile(r" (?=(?:and|after|following|amid|because)\s)|(?=,\s)")
_ATTRIBUTED = re.compile(r"(,\s+)((?:[\w'’.-]+\s+){0,5}?[\w'’.-]+)\s+said\Z")


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
    for match in PAST_VERB.finditer(title):
        word = match.group()
        words = title[: match.start()].split()
        if not words or word in NOT_VERBS:
            continue
        previous = words[-1].lower().strip(",")
        if any(w.lower().strip(",") in _MODALS for w in words) or _PRESENT_REPORTING.search(
            title[: match.start()]
        ):
            return title  # the clause's verb is already present or a modal's
        helper = next((w.lower() for w in reversed(words) if not re.fullmatch(ADVERB, w)), "")
        if previous in ("who", "that", "which") or helper in _AUXILIARY:
            continue  # a relative clause's verb, or a participle ("have openly described")
        if re.match(r"\s+by\b", title[match.end() :]):
            continue  # "Kherson, recaptured by Ukraine, has …", "The plant struck by missiles"
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
        elif not reported and replaced:  # "was shelled and seized" stays a passive
            # "… and seized", "… and the city's metro stopped": the second verb too, with
            # its own subject when it has one
            joined = re.match(
                rf"([^,;]*?\band\s+(?P<subject>(?:the|a|an|its|their)\s+[\w'’-]+\s+"
                rf"(?:[\w'’-]+\s+)?)?)({PAST_VERB.pattern})",
                after,
            )
            if joined:
                subject = joined["subject"]
                number = _is_plural(subject.split()) if subject else plural
                second, _ = _in_present(joined.group(3), "", number, False)
                tail = after[joined.end() :]
                after = joined.group(1) + (second or joined.group(3)) + tail
        return " ".join((head + after).split())
    relative = _RELATIVE_ONLY.match(title)
    if (
        relative and not reported and not _MODALS & {w.lower() for w in title.split()}
    ):  # "A missile that landed in …": the clause is the event
        promoted = present_tense(relative.group(1) + " " + relative.group(2))
        if promoted != relative.group(1) + " " + relative.group(2):
            return promoted
    return title


# "Mr Murashov was stopped by Russian servicemen on the road": a passive whose agent is an
# actor is told actively, as headlines are ("Russian servicemen stop Mr Murashov on the road")
_PASSIVE = re.compile(
    rf"\A(?P<subject>[^,;]{{2,60}}?)\s+(?:was|were|is|are|(?:has|have|had)\s+been)\s+"
    rf"(?P<verb>{PARTICIPLE})\s+by\s+(?P<agent>(?:[\w'’-]+\s+){{0,3}}?[\w'’-]+)"
    r"(?P<rest>(?:\s+(?:on|in|at|near|from|to|during|after|before|outside|inside|with|while)\b.*)?)"
    r"\Z"
)
_RELATIVE = re.compile(r"\b(?:which|that|who|whom|whose)\b")
AGENTS = frozenset(
    "servicemen soldiers troops forces police occupiers military army guards militants "
    "officials authorities agents".split()
)


def active_voice(title: str) -> str:
    """A passive clause with an actor as its agent told actively, the verb in the present:
    'Mr Murashov was stopped by Russian servicemen on the road' gives 'Russian servicemen
    stop Mr Murashov on the road'; any other title as it is."""
    found = _PASSIVE.match(title)
    if found is None or A_VERB.search(found["subject"]) or _RELATIVE.search(found["subject"]):
        return title  # "This included targets … which were taken by Ukraine": not a subject
    agent = found["agent"].split()
    if not (any(word[:1].isupper() for word in agent) or agent[-1].lower() in AGENTS):
        return title  # "moved by bus", "hit by 30%": not someone who did it
    verb = found["verb"]
    base = PARTICIPLE_BASE.get(verb) or REGULAR_EXCEPTIONS.get(verb) or regular_base(verb)
    subject = found["subject"]
    if subject.split()[0] in ("The", "A", "An", "Its", "Their", "His", "Her"):
        subject = subject[:1].lower() + subject[1:]
    active = base if _is_plural(agent) else third_person(base)
    agent_text = found["agent"]
    return f"{agent_text[:1].upper()}{agent_text[1:]} {active} {subject}{found['rest']}"


_RELATIVE_ONLY = re.compile(r"(\S.*?)\s(?:that|which|who)\s(.*)\Z")


def _in_present(word: str, after: str, plural: bool, reported: bool) -> tuple[str | None, str]:
    """A past form as the present (and what follows, changed when an auxiliary goes), or None
    to leave the title as it is."""
    perfect = re.match(rf"\s+(?:{ADVERB}\s+)?{PARTICIPLE}\b", after)
    if word in ("had", "has", "have"):
        been = re.match(r"\s+been\s+", after)
        if been:  # "had been destroyed" -> "destroyed"
            return "", after[been.end() - 1 :]
        if perfect and word == "had" and not reported:
            # "Engineers had reconnected a line on Saturday": the headline tells it now,
            # "Engineers reconnect a line"
            participle = perfect.group()
            verb = re.search(rf"{PARTICIPLE}\Z", participle).group()
            base = PARTICIPLE_BASE.get(verb) or REGULAR_EXCEPTIONS.get(verb) or regular_base(verb)
            present = base if plural else third_person(base)
            return "", participle[: len(participle) - len(verb)] + present + after[perfect.end() :]
        if perfect:
            return ("have" if plural else "has"), after
        return (None, after) if reported else (("have" if plural else "has"), after)
    if word in ("was", "were"):
        if perfect:  # "was probably fired" -> "probably fired"
            return "", after
        return (None, after) if reported else (("are" if plural else "is"), after)
    if reported:
        return None, after
    base = IRREGULAR_PAST.get(word) or REGULAR_EXCEPTIONS.get(word) or regular_base(word)
    return (base if plural else third_person(base)), after


_SINGULAR_S = frozenset("gas news means series species".split())
_PARTS = frozenset("half most part rest majority third quarter all some many".split())


def _is_plural(words: Sequence[str]) -> bool:
    """Whether the subject before a verb is plural, from its last word (adverbs skipped)."""
    index = len(words) - 1
    while index > 0 and re.fullmatch(ADVERB, words[index].lower()):
        index -= 1
    for back in range(index - 1, max(0, index - 4), -1):  # "Volunteers from Kharkiv": volunteers
        if words[back].lower() in ("from", "of", "in", "at", "near", "with", "on"):
            # ("half of Kyiv's households": a part of a whole takes the whole's number)
            if words[back].lower() != "of" or words[back - 1].lower() not in _PARTS:
                index = back - 1
            break
    head = words[index].strip(",")
    lowered = head.lower()
    if lowered in _PLURAL_WORDS or lowered.endswith("men"):  # "servicemen", "gunmen"
        return True
    if head[:1].isupper() and index > 0:
        # "Ukrainians", "our Iskanders"; not "Donbas" or "Reuters"
        owned = words[index - 1].lower() in ("our", "their", "these", "those", "its")
        return lowered.endswith("ans") or (owned and lowered.endswith("s") and lowered[-2:] != "ss")
    if lowered in _SINGULAR_S:  # "gas returned": a mass noun, not a plural
        return False
    return lowered.endswith("s") and not lowered.endswith(("ss", "us", "is", "'s", "’s"))


_ASIDES = (
    re.compile(r"\s*\([^()]*\)"),  # parentheses
    re.compile(r",\s+(?:which|who|where)\s[^,]*,"),  # ", which …,"
    # ", killing two farm workers," (and ", including a child" after it)
    re.compile(r",\s+[a-z]+ing\s[^,]*(?:,\s+including\s[^,]*(?:,|\Z)|,)"),
    # a relative clause before the verb; not "said that …", whose "that" starts what was said
    re.compile(
        r"(?<!said)(?<!says)(?<!told)(?<!ed)\s(?:that|which|who)\s[^,]*?"
        r"(?=\s(?:is|are|was|were|has|have|had)\s)"
    ),
    # "in the Kholodnohirskyi district of Kharkiv": the city is what a reader's map names
    re.compile(
        r"\bthe\s+(?:[A-Z][\w'’-]*\s+){1,3}(?:district|neighbou?rhood|quarter|suburb|"
        r"microdistrict|area)\s+of\s+(?=[A-Z])"
    ),
    re.compile(r",?\s+(?:after|following|amid|because|as)\s.*?(?=,\s[^,]*\bsays?\Z|\Z)"),
)
_CUT_BEFORE = re.compile(
    r",\s+|\s+(?:after|before|while|which|who|as|because|following|amid|—|–)\s+|\s+\(|:\s+"
    r"|\s+and\s+(?=(?:the|a|an|its|their)\s)"  # "… in Kharkiv | and the city's metro stopped"
)
_DANGLING_END = re.compile(
    r"(?i)\s+(?:the|a|an|of|and|or|in|on|at|to|for|with|by|from|its|their|his|her|that|where|"
    r"which|who|when|while|over|into|onto|across|through|near|about|after|before|under|against|"
    r"towards?|"
    r"around|during|since|until|as|than|between|among|amid)\Z"
)


def without_asides(title: str, always: bool = False) -> str:
    """A title longer than MAX_TITLE_CHARS without its asides, one kind after the other until
    it fits (always: every kind but 'after …'): parentheses, ', which …,', ', killing …,', a
    relative clause before the verb, 'after …'."""
    for number, aside in enumerate(_ASIDES):
        if len(title) <= MAX_TITLE_CHARS and not (always and number < len(_ASIDES) - 1):
            break
        found = next(
            (
                m for m in aside.finditer(title)
                # "told his Security Council that …": what was told, not a relative clause
                if not COMPLEMENT_HEAD.search(title[: m.start() + 1])
            ),
            None,
        )  # fmt: skip
        if found is not None:
            title = title[: found.start()] + title[found.end() :]
        title = re.sub(r"\s+([,.;:])", r"\1", " ".join(title.split()))
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
