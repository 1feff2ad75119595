"""A candidate's category (keywords of its main clause) and its story (the one under way then,
with the most alike events)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from timeline.clauses import REPORTING, clause_verbs, main_verb, split_background, subject_head
from timeline.dates import FuzzyDate
from timeline.linking import content_words
from timeline.model import Story, Timeline
from timeline.verbs import A_VERB, ing_bases

LARGE_PLACES = frozenset({"region", "country"})
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
    local: frozenset[str] = frozenset()  # the places of the file that are no region or country

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
        local = frozenset(
            place.id for place in (timeline.places.values() if timeline else ())
            if place.kind not in LARGE_PLACES
        )  # fmt: skip
        return cls({story: tuple(events) for story, events in found.items()}, local)

    def at(self, story: str, places: Sequence[str]) -> bool:
        """Whether an event of the story took place at one of the places that is a city, a
        town, a village or a site (not a region or a country, which many stories share)."""
        local = set(places) & self.local
        return any(e.places & local for e in self.events.get(story, ()))

    def near(self, story: str, when: FuzzyDate) -> list[Filed]:
        """The story's events within STORY_NEAR_DAYS of a date."""
        reach = timedelta(days=STORY_NEAR_DAYS)
        return [
            e for e in self.events.get(story, ()) if e.first - reach <= when.last
            and when.first <= e.last + reach
        ]  # fmt: skip


def pick_stories_how(
    when: FuzzyDate,
    stories: Sequence[Story],
    sentence: str = "",
    places: Sequence[str] = (),
    actors: Sequence[str] = (),
    index: StoryIndex | None = None,
    category: str = "",
) -> tuple[tuple[str, ...], str]:
    """The story whose span covers the date; among several, the first by: having events near
    the date in the file that share a place, an actor or the category with the candidate, how
    many points those give (two for a place or an actor, one for the category), having events
    at the candidate's city, town, village or site (StoryIndex.at), having events near the
    date at all, how many, the words its title and description share with the sentence, the
    latest start. When none covers it: 'context', else the first story.

    Also how it chose: 'one' (a single story covers the date), 'shared'
    (the chosen one has events near the date sharing a place, an actor or the category),
    'tie' (several cover it and the chosen one shares none of these), 'default' (none covers
    it: 'context' or the first story) or 'none' (no stories)."""
    covering = [story for story in stories if story.date.covers(when)]
    if covering:
        words = content_words(sentence)
        index = index or StoryIndex()

        def fit(story: Story) -> tuple[bool, int, bool, bool, int, int, date]:
            about = content_words(f"{story.title} {story.description or ''}")
            near = index.near(story.id, when)
            alike = sum(  # a shared place or actor says more than a shared category
                2 * bool(e.places & set(places) or e.actors & set(actors))
                + (e.category == category)
                for e in near
            )
            # events near the date that share nothing with the candidate say less than
            # events of the story at its place ("Balakliia" in early October: the Kharkiv
            # story's, not a bridge blast of the southern one)
            at = index.at(story.id, places)
            return alike > 0, alike, at, bool(near), len(near), len(words & about), story.date.first

        best = max(covering, key=fit)
        how = "one" if len(covering) == 1 else ("shared" if fit(best)[0] else "tie")
        return (best.id,), how
    fallback = next((story for story in stories if story.id == "context"), None)
    fallback = fallback or (stories[0] if stories else None)
    return ((fallback.id,), "default") if fallback else ((), "none")


# A place held, told without a verb of movement: "under Ukrainian control", "in Ukrainian
# hands", "troops were in the city", a flag raised or gone up. These say a place was taken
# whatever the clause's verb is.
CONTROL_STATES = (
    r"(?:troops|forces|soldiers)\s+(?:were|are)\s+(?:in|inside)|"
    r"raised\s+(?:the\s+)?(?:\w+\s+)?flag|flags?\s+(?:went|go|goes|were|was)\s+up|"
    r"(?:under|in)\s+(?:full\s+)?(?:Ukrainian|Russian|Ukraine's|Russia's)\s+(?:control|hands)"
)
_CONTROL_STATE = re.compile(rf"(?i)(?<![\w-])(?:{CONTROL_STATES})(?![\w-])")


# Keyword classifier: the category with the most keyword hits wins; ties go to the earlier
# category. Statements and assessments count half, since nearly every sentence says who said it.
CATEGORY_KEYWORDS = {
    "strike": r"missiles?|rockets?|drones?|strikes?|struck|hit|shell(?:ed|ing|s)?|bomb\w*|"
    r"airstrikes?|"
    r"barrages?|salvos?|raids?|"
    r"explosions?|blasts?|attack(?:s|ed)?",
    "advance": r"retak\w*|retook|recaptur\w*|liberat\w*|regain\w*|took\s+back|reclaim\w*|"
    r"advanc\w*|counter-?offensive|offensive|breakthrough|captur\w*|seiz\w*|annex\w*|"
    r"took|enter(?:s|ed)?|tak(?:e|es|en)\s+control|"
    r"consolidat\w*|crossed|"
    r"push\w*\s+(?:into|towards?|through)|gain\w*\s+ground|broke\s+through|"
    rf"{CONTROL_STATES}",
    "withdrawal": r"withdr[ae]w\w*|withdrawal|retreat\w*|pull(?:ed|ing)?\s+(?:back|out)|"
    r"abandon\w*|regroup\w*|"
    r"(?:troops|forces|soldiers|tanks|units|Russians|Ukrainians)\s+(?:\w+\s+)?(?:leave|left|leaving)",
    "infrastructure": r"power|electricity|blackouts?|outages?|grid|water\s+suppl\w*|energy|"
    r"(?<=energy\s)facilit\w*|(?<=power\s)facilit\w*|(?<=energy\s)infrastructure|"
    r"heat(?:ing)?|restor\w*|repair\w*|power\s+plants?",
    "casualties": r"killed|killing|dead|deaths?|died|wounded|injured|casualt\w*|losses|bodies|"
    r"burials?|graves?",
    "civilians": r"evacuat\w*|residents|refugees|civilians|fled|flee\w*|return\w*\s+home|queues?|"
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


# What a saying reports that is words, not a deed: a plan or forecast ("would open"), a hedge
# ("was probably fired"), a judgment ("the strikes were a response"); the curated file files
# those as statements and "X said its forces had retaken Y" as the advance.
_WORDS_NOT_DEEDS = re.compile(
    r"(?i)\b(?:would|will|could|might|may|plans?\s+to|intends?\s+to|wants?\s+to|probably|"
    r"likely|possibly|apparently|appears?|seems?)\b"
    # what is going on as it is said, not a deed done: "said it was regrouping its forces"
    r"|\A\W*(?:that\s+)?(?:[\w'’-]+\s+){1,4}?(?:is|are|was|were)\s+(?!being\b)[a-z]{3,}ing\b"
    r"|\A\W*(?:that\s+)?(?:[\w'’-]+\s+){1,6}?(?:is|are|was|were)\s+(?:an?|not|no|only)\b"
    # what is said of events already told ("the strikes had hit only military targets")
    r"|\A\W*(?:that\s+)?(?:most\s+of\s+|all\s+of\s+|some\s+of\s+)?(?:the|those|these)\s+"
    r"(?:strikes|attacks|missiles|barrage|shelling|explosions?)\b"
)
_SAYING = re.compile(rf"(?i)\b{REPORTING}\b(?:\s+(?:reporters|journalists|us))?")


def reports_words(clause: str) -> bool:
    """Whether a clause dated by its saying ('X said on Monday that …') is a statement: it
    reports a plan, a forecast or a judgment, or nothing at all."""
    saying = _SAYING.search(clause)
    if saying is None:
        return False
    reported = clause[saying.end() :]
    that = re.match(r"[^,.;]{0,40}?\bthat\b", reported)  # "said on Monday that …"
    reported = reported[that.end() :] if that else reported
    if not A_VERB.search(reported):
        return True  # "Zelensky said on Monday": the saying, and nothing said
    return words_not_deeds(reported)


def words_not_deeds(reported: str) -> bool:
    """Whether what a saying reports is a plan, a forecast or a judgment, not a deed."""
    return bool(_WORDS_NOT_DEEDS.search(reported))


# A clause whose subject is a utility tells what happened to the supply, whatever the verb
# ("Water returned to taps", "power was restored", "heating failed").
UTILITY_SUBJECTS = frozenset(
    "power electricity water heating heat light lights gas grid supply supplies outage outages "
    "blackout blackouts".split()
)


# The kind of event a clause's main verb tells (base forms; verbs.py gives the inflections):
# the verb decides before keywords are counted. Written from the category definitions of the
# vocabulary (docs/data-model.md) and the event types of an ACLED-like codebook (acled.py maps
# them the same way: protests and strategic developments are `other`), covering the common
# verbs of English news for each kind rather than the words of any one article. Verbs whose
# kind depends on their subject or object ("launch", "fire", "cut", "leave", "take", "fall")
# are not here: verb_category reads them with what they are done to.
VERB_CATEGORIES = {
    "advance": "retake recapture liberate enter advance capture seize regain reclaim breach "
    "occupy storm overrun encircle surround outflank penetrate conquer annex overpower rout "
    "dislodge consolidate",
    "withdrawal": "withdraw retreat abandon relinquish surrender cede vacate disengage redeploy",
    "strike": "strike hit shell bomb bombard attack target pound hammer batter pummel blast "
    "raid strafe blitz torpedo intercept",
    "casualties": "kill wound injure die murder execute massacre slay slaughter maim perish "
    "exhume bury",
    "civilians": "evacuate flee deliver deport shelter rescue relocate resettle displace "
    "distribute queue",
    "diplomacy": "meet negotiate sanction pledge sign ratify host mediate broker summon discuss",
    "infrastructure": "restore repair reconnect rebuild disconnect de-energise de-energize reopen",
    # words of officials about something ("warn", "urge", "vow" and "threaten" are words when
    # what follows is words: _STATEMENT_VERB)
    "statement": "praise condemn criticise criticize thank congratulate mock "
    "deny insist demand appeal reject welcome hail",
    "assessment": "assess analyse analyze",
    # protests, riots and acts of state: no category of the vocabulary names them
    "other": "protest demonstrate rally riot mobilise mobilize conscript",
}
_VERB_CATEGORY = {verb: name for name, verbs in VERB_CATEGORIES.items() for verb in verbs.split()}
# Verbs whose kind depends on what they are done to, or by whom.
_WEAPON_WORDS = r"missiles?|rockets?|drones?|shells?|strikes?|salvos?|barrages?"
_WEAPONS = re.compile(rf"(?i)\b(?:{_WEAPON_WORDS})\b")
# (and the lines that carry power: "lost its last 750-kV line", "cut a transmission line")
_UTILITIES = re.compile(
    r"(?i)\b(?:power|electricity|water|heating|lights?|gas|supply|grid)\b"
    r"|\b(?:\d+[-\s]?kV|transmission|high-voltage)\s+lines?\b"
)
MILITARY = frozenset(
    "troops forces soldiers units army military garrison brigade brigades battalion russians "
    "ukrainians".split()
)
# The armed forces as threads and briefings abbreviate them (Ukraine's ZSU/AFU/UAF, Russia's
# RF/RU forces), lowercased as subject_head gives them.
ARMED_FORCES = frozenset("uaf afu zsu vsu rf ru".split())
CIVILIANS = frozenset(
    "residents people families family civilians refugees villagers children evacuees locals "
    "son daughter mother father wife husband neighbours neighbors women men".split()
)
_REPORTING_VERBS = frozenset("say tell announce claim report add state".split())
_OBJECT_VERBS = frozenset(
    "launch fire cut knock lose leave return reach raise arrive begin start shoot blow drive "
    "roll march move".split()
)
_MOTION = frozenset("drive roll march move".split())
# Verbs of impact whose subject is a weapon: "missiles slammed into energy facilities"
# (and a weapon that explodes: a truck or a transformer that explodes is no strike, which the
# vocabulary defines as missile, drone or artillery fire)
_IMPACT = frozenset("slam crash smash rain land plough plow tear rip explode detonate".split())
# Verbs of damage, a strike when the subject is fire of war: "Artillery fire wrecked the water
# treatment plant", "Russian bombs flattened the school" (not "A fire destroyed a warehouse").
_DAMAGING = frozenset("destroy damage wreck flatten level demolish raze gut".split())
_FIRE_OF_WAR = re.compile(
    rf"(?i)\b(?:{_WEAPON_WORDS}|shelling|airstrikes?|artillery|bombs?|bombing|bombardment|"
    r"projectiles?)\b"
)
# The flag of the side that takes a place: "soldiers hoisted the Ukrainian flag over the town
# hall", "planted a flag" (raise is read the same way).
_FLAGGING = frozenset("raise hoist plant fly unfurl".split())
# Sides that swap prisoners or bodies negotiate: "the two sides exchanged 50 prisoners".
_SWAPPED = re.compile(r"(?i)\s+(?:[\w,-]+\s+){0,4}?(?:prisoners|POWs|bodies|captives)\b")
_WITHOUT_UTILITY = re.compile(
    r"(?i)\s+(?:[\w.,%]+\s+){0,4}?without\s+(?:\w+\s+)?(?:power|electricity|water|heat\w*|gas|light)"
)
# What a government announces that is itself the deed: aid, money, sanctions.
_AID = re.compile(
    r"(?i)\s+(?:[\w£$€.,-]+\s+){0,6}?(?:package|aid|assistance|funding|loans?|grants?|sanctions)\b"
)
# What begins when an advance does: "The push, which began near Balakliia on 6 September".
OPERATIONS = frozenset("push offensive counteroffensive counter-offensive assault advance".split())
# What a government announces that is an act of state, not words: "announced a 'partial
# mobilisation' of 300,000 reservists", martial law, a curfew, a referendum.
_ACT_OF_STATE = re.compile(
    r"(?i)\s+(?:[\w\"“”'‘’,-]+\s+){0,4}?[\"“'‘]?"
    r"(?:mobili[sz]ation|conscription|call-up|martial\s+law|curfew|referendums?|"
    r"state\s+of\s+emergency)\b"
)
# People taken away: "was taken from his house by soldiers", "were detained by police".
_TAKEN_AWAY = re.compile(
    r"(?i)\s+(?:away\s+)?(?:from\s+(?:his|her|their|the|a)\s+(?:house|home|flat|apartment|"
    r"street|village)|by\s+(?:\w+\s+){0,2}?(?:soldiers|troops|police|forces|servicemen|officers|"
    r"occupiers|military|guards))\b"
)
_ONE_WEAPON = frozenset("missile rocket shell drone projectile".split())
_KILLING = re.compile(r",\s+killing\b")


def one_weapon_kills(event: str) -> bool:
    """Whether the event of a relative clause is one missile's dead: 'A missile that landed in
    a village on Tuesday, killing two, was fired by …' (the sentence is about that missile;
    the event filed is who it killed). Missiles of an attacker ('Russian missiles hit two
    blocks, killing 17') and a missile in a main clause stay strikes."""
    return subject_head(event) in _ONE_WEAPON and bool(_KILLING.search(event))


_TAKING = frozenset("take detain abduct arrest kidnap".split())
# Arms a country gives Ukraine are aid, not a delivery to civilians.
_GIVING = frozenset("deliver send supply give".split())
_DECREEING = frozenset("declare order".split())
_ARMS_TO_UKRAINE = re.compile(
    r"(?i)\s+(?:[\w'’-]+\s+){0,6}?(?:weapons?|arms|ammunition|tanks|air\s+defen[cs]es?|"
    r"missiles?|rockets?|howitzers?|artillery|HIMARS|(?:\w+\s+)?systems?)\b"
    r"(?:\s+[\w'’-]+){0,4}?\s+to\s+(?:Ukraine|Kyiv|the\s+Ukrainian)\b"
)
# What a witness saw is the event: "I saw the soldiers … load their trucks and drive off".
_SEEING = frozenset("see watch hear notice witness".split())
_LEAVING = re.compile(
    r"(?i)\b(?:drive|drove|pull|pulled|move|moved|head|headed)\s+(?:off|away|out)\b"
    r"|\b(?:leave|withdraw|retreat|flee)\b"
)
# Naming something is words about it: "Putin called the attack 'a terrorist act'", "branded
# the strikes genocide" (not "called up reservists", "called off the talks").
_NAMING = frozenset("call brand describe label dub".split())
_NAMING_NOT = re.compile(r"\s+(?:up|off|in|back|out)\b")
# Structures that give way: "a span of the bridge collapsed", "the roof fell in".
_COLLAPSING = frozenset("collapse fall".split())
# People who sleep, hide or live in shelters shelter: "slept for 41 nights on the platform of
# the metro station", "hid in the basement", "lived underground for a month".
_STAYING = frozenset("sleep hide live spend stay huddle".split())
_SHELTERS = re.compile(
    r"(?i)\A(?:[^.;]{0,80}?)\b(?:metro|subway|underground|basements?|cellars?|bunkers?|"
    r"bomb\s+shelters?|shelters?)\b"
)
STRUCTURES = frozenset(
    "bridge span spans building buildings roof dam tower walls wall block house pylon pylons "
    "substation mast".split()
)
# Forces that hold a place have taken it: "By Tue 27th UAF held Kupyansk-Vuzlovyi".
_HOLDING = re.compile(r"\s+(?:the\s+)?[A-Z][\w'’-]+")
# A strike and, coordinated with it, a taking: "its territory was shelled and seized".
_AND_TAKEN = re.compile(
    r"(?i)\s+(?:[\w'’-]+\s+){0,6}?and\s+(?:then\s+)?(?:seized|captured|taken|took|occupied|"
    r"overran|overrun|stormed)\b"
)
# Troops welcomed where they arrive: "Ukrainian troops were being hugged and kissed in the
# city's square", "residents greeted the soldiers with flowers".
_WELCOMING = frozenset("welcome greet cheer hug kiss embrace".split())
# The last of a force to go: "the last of some 30,000 soldiers had crossed to the left bank".
_LAST_OF = re.compile(r"(?i)\bthe\s+last\s+(?:of\s+)?(?:the\s+|its\s+|their\s+|some\s+)?")
# Verbs of aspect or attempt whose event is the verb after them: "engineers had begun
# reconnecting the reactors" is a reconnection, "tried to retake the village" an advance.
_ASPECT = frozenset("begin start continue resume keep finish try attempt manage seek".split())
_ASPECT_COMPLEMENT = re.compile(r"\s+(?:to\s+)?(?P<verb>[a-z][a-z-]+)\b")
# Verbs that make someone do something: "forced Russia to abandon its assault" is what was
# made to happen.
_CAUSING = frozenset("force compel oblige prompt".split())
_CAUSED = re.compile(r"\s+(?:[\w'’-]+\s+){1,4}?to\s+(?P<verb>[a-z][a-z-]+)\b")
# Light verbs, whose event is their object ("completed the withdrawal of its troops",
# "carried out strikes", "launched a counteroffensive"): the keywords decide.
_LIGHT = frozenset(
    "complete finish conduct carry launch begin start continue resume mark order".split()
)
# Nouns of an advance or withdrawal as a clause's subject: the clause is about that event
# ("its withdrawal from Kherson showed the limits of its army").
_MOVES = frozenset(
    "withdrawal retreat pullout advance offensive counteroffensive counter-offensive capture "
    "recapture liberation breakthrough push assault".split()
)
# Troops that are gone have left: "the Russian garrison in Izium was gone".
_GOING = frozenset("go disappear vanish".split())
# A front line broken through: "UAF punched through RU lines near Balakliia".
_THROUGH = frozenset("punch break burst smash push fight cut".split())
# An enemy driven back: "pushed the Russians back from the city", "beat them back to the
# river" (troops that push, drive or throw someone back advance; not "pushed back the date").
_BACK = frozenset("push drive force beat throw".split())
_ENEMY = (
    r"(?:(?:the|its|their|his|our|enemy|russian|ukrainian|occupying|ru|rf|uaf)\s+)*"
    r"(?:russians|ukrainians|enemy|invaders|occupiers|troops|forces|units|them|army|lines?)"
)
_SOMEONE_BACK = re.compile(rf"(?i)\s+(?:{_ENEMY}\s+back|back\s+{_ENEMY})\b")
# What falls to an enemy is taken: "Kherson fell on 2 March", "the town fell to Russian
# forces" (not prices or temperatures; a structure that falls is damage, a shell a strike).
SETTLEMENTS = frozenset(
    "city town village capital port stronghold settlement settlements hub region oblast "
    "bridgehead".split()
)
_NOT_TAKEN = frozenset("night snow rain darkness silence dusk quiet".split())
_FALLS_TO = re.compile(r"\s+(?:to|into\s+(?:\w+\s+)?hands|on|in)\b")
# People who take to the streets protest: no category of the vocabulary names a protest.
_TO_THE_STREETS = re.compile(r"(?i)\s+to\s+the\s+streets\b")
_VERBS = frozenset(_VERB_CATEGORY).union(
    _REPORTING_VERBS, _OBJECT_VERBS, _TAKING, _SEEING, _GIVING, _DECREEING, _NAMING,
    _COLLAPSING, _WELCOMING, _IMPACT, _ASPECT, _CAUSING, _GOING, _THROUGH, _BACK, _STAYING,
    _DAMAGING, _FLAGGING, {"exchange", "swap"},
    {"stop", "hold", "cross"},
)  # fmt: skip
# Verbs that may tell troops moving or a place changing hands, read with their subject and
# object; a clause none of whose verbs is one of these (a visit, a walk, a protest, a
# reconnection) is no advance or withdrawal by the keywords around it ("visited the
# liberated city", "after news of the Ukrainian advance").
MOVEMENT = (
    frozenset(VERB_CATEGORIES["advance"].split() + VERB_CATEGORIES["withdrawal"].split())
    | _MOTION | _GOING | _THROUGH | _SEEING | _WELCOMING | _BACK
    | frozenset("take leave reach arrive cross fall flee hold gain free secure clear sweep "
    "pull come move return raise lose control liberate".split())
)  # fmt: skip


def _complement(clause: str, verb: str, rest: str) -> str | None:
    """The clause with a verb of aspect or cause replaced by the verb it governs ('had begun
    reconnecting the reactors' → 'had reconnected the reactors'), or None."""
    found = (_CAUSED if verb in _CAUSING else _ASPECT_COMPLEMENT).match(rest)
    if found is None:
        return None
    word = found["verb"]
    infinitive = rest[: found.start("verb")].rstrip().endswith(" to")
    bases = ing_bases(word) or ((word,) if infinitive else ())
    base = next((b for b in bases if b in _VERBS), None)
    if base is None:
        return None
    head = re.sub(r"[A-Za-z][\w'’-]*\s*\Z", "", clause[: len(clause) - len(rest)])
    return f"{head}{base}ed{rest[found.end() :]}"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


def verb_category(clause: str) -> str | None:
    """The category the clause's main verb tells, with its subject and object where the verb
    needs them ('launched missiles' strike, 'cut power' infrastructure, troops that 'left'
    withdrawal, a family that left civilians); for 'X said (that) …' that of what was said,
    or 'statement' for a plan, a hedge or a judgment; None when the verb does not tell."""
    found = main_verb(clause, _VERBS)
    if found is None:
        return None
    verb, subject, rest = found
    if verb in _ASPECT | _CAUSING:
        governed = _complement(clause, verb, rest)
        if governed is not None:
            return verb_category(governed)
    if verb == "take" and _TO_THE_STREETS.match(rest):
        return "other"  # "people took to the streets": a protest
    if verb in _STAYING and _SHELTERS.match(rest):
        return "civilians"  # "she slept for 41 nights in the metro": people sheltering
    if verb in _BACK and _SOMEONE_BACK.match(rest) and not _WEAPONS.search(subject):
        return "advance"  # "Ukrainian troops pushed the Russians back from the city"
    if verb in _THROUGH and re.match(r"\s+through\b", rest) and not _WEAPONS.search(subject):
        return "advance"  # "UAF punched through RU lines", "broke through the defences"
    if verb in _GOING and subject in MILITARY | ARMED_FORCES:
        return "advance" if re.match(r"\s+(?:\w+\s+)?in(?:to)?\b", rest) else "withdrawal"
    if verb == "fall" and _WEAPONS.search(subject):
        return "strike"  # "a missile fell on a village"
    if verb == "announce" and _AID.match(rest):
        return "diplomacy"  # "announced a further £50 million package": the aid is the deed
    if verb in ("announce", "declare", "order") and _ACT_OF_STATE.match(rest):
        return "other"  # the act itself, which no category of the vocabulary names
    if verb in _GIVING and _ARMS_TO_UKRAINE.match(rest):
        return "diplomacy"  # "Germany delivered the first IRIS-T system to Ukraine": aid
    if verb in _TAKING and _TAKEN_AWAY.match(rest):
        return "civilians"  # a person taken away from home: what happened to civilians
    if verb == "stop" and _TAKEN_AWAY.match(rest) and subject not in MILITARY | OPERATIONS:
        return "civilians"  # "Mr Murashov was stopped by Russian servicemen": detained
    if verb in _NAMING and not _NAMING_NOT.match(rest):
        return "statement"
    if verb in _COLLAPSING and subject in STRUCTURES:
        return "infrastructure"
    if verb == "fall" and _FALLS_TO.match(rest):
        said_of = clause[: len(clause) - len(rest)].split()
        # "Kherson fell", "Lyman fell"; not "Prices fell", "Night fell"
        name = said_of[-2] if len(said_of) >= 2 else ""
        named = name[:1].isupper() and not name.endswith("s") and subject not in _NOT_TAKEN
        if subject in SETTLEMENTS or named:
            return "advance"
    if verb == "hold" and subject in MILITARY | ARMED_FORCES and _HOLDING.match(rest):
        return "advance"
    if verb in _WELCOMING and (subject in MILITARY or MILITARY & set(_words(rest[:40]))):
        return "advance"  # troops greeted in a city, residents who welcome them: arrival
    told_of = set(_words(clause[: len(clause) - len(rest)]))  # the subject, with its "of …"
    if verb in ("cross", "leave") and MILITARY & told_of and _LAST_OF.search(clause):
        return "withdrawal"  # "the last of some 30,000 soldiers had crossed to the left bank"
    if verb in _TAKING and verb != "take" and subject in MILITARY | {"police"}:
        return "civilians"  # "soldiers detained the city's mayor" (troops that take a city advance)
    if verb in _SEEING:
        leaving = _LEAVING.search(rest)
        seen = re.findall(r"[A-Za-z]+", rest[: leaving.start()].lower()) if leaving else ()
        return "withdrawal" if MILITARY.intersection(seen) else None
    if subject in MILITARY and verb in _MOTION and re.match(r"\s+(?:off|away|out)\b", rest):
        return "withdrawal"  # "the soldiers drove off towards Kupyansk"
    if verb in _REPORTING_VERBS:
        that = re.match(r"[^,.;]{0,40}?\bthat\b", rest)
        reported = rest[that.end() :] if that else rest
        if not reported.strip(" ,.") or words_not_deeds(reported):
            return "statement"
        return verb_category(reported)
    if verb == "flee" and subject in MILITARY:
        return "withdrawal"  # "Russian troops fled Izium": troops that flee withdraw
    if _VERB_CATEGORY.get(verb) == "strike" and _AND_TAKEN.match(rest):
        return "advance"  # "shelled and seized": the taking is what the shelling led to
    if verb in _VERB_CATEGORY:
        return _VERB_CATEGORY[verb]
    if verb in _IMPACT:
        return "strike" if _WEAPONS.search(subject) else None
    if verb in ("launch", "fire"):
        return "strike" if _WEAPONS.search(rest[:60]) else None
    if verb in ("cut", "knock", "lose"):
        return "infrastructure" if _UTILITIES.search(rest[:40]) else None
    if verb == "leave" and _WITHOUT_UTILITY.match(rest):
        return "infrastructure"  # "10 million people were left without power"
    if subject in CIVILIANS and verb in ("leave", "return", "arrive"):
        return "civilians"
    if subject in MILITARY and verb in ("leave", "reach", "arrive"):
        return "withdrawal" if verb == "leave" else "advance"
    if subject in OPERATIONS and verb in ("begin", "start", "launch"):
        return "advance"
    if subject in MILITARY and verb in _MOTION and re.match(r"\s+(?:\w+\s+)?in(?:to)?\b", rest):
        return "advance"  # "the first Ukrainian units drove into the city"
    if verb == "blow" and re.match(r"\s+up\b", rest):
        return "other"  # a bridge blown up: neither a strike nor the retreat it covers
    if verb == "shoot" and re.match(r"\s+(?:\w+\s+){0,4}?down\b", rest):
        return "strike"  # air defences that shoot missiles down: the curated file's strikes
    if verb in _FLAGGING:
        return (
            "advance"
            if re.match(r"\s+(?:the\s+|a\s+|their\s+)?(?:\w+\s+)?flags?\b", rest)
            else None
        )
    if verb in _DAMAGING:
        doer = clause[: len(clause) - len(rest)]  # the subject, as written
        return "strike" if _FIRE_OF_WAR.search(doer) else None
    if verb in ("exchange", "swap") and _SWAPPED.match(rest):
        return "diplomacy"
    return None


def classify(sentence: str, clause: str = "") -> str:
    """A category of the controlled vocabulary: 'statement' for a clause that warns, vows or
    urges; 'infrastructure' for one whose subject is a utility; else what the clause's main
    verb tells (verb_category); else the keywords of the sentence (keyword_category)."""
    return classify_how(sentence, clause)[0]


def classify_how(sentence: str, clause: str = "") -> tuple[str, bool]:
    """What `classify` gives, and whether it came from the keywords (no verb decided it)."""
    if clause and _STATEMENT_VERB.search(clause):
        return "statement", False
    if clause and subject_head(clause) in UTILITY_SUBJECTS:
        return "infrastructure", False
    main = split_background(clause)[0] if clause else ""
    verb = verb_category(main) if clause else None
    if verb:
        return verb, False
    return keyword_category(sentence, moves=not clause or tells_movement(main)), True


_NOT_DEEDS = frozenset({"statement", "other"})


def tells_deed(clause: str) -> bool:
    """Whether the clause's main verb tells a deed of its own ('Kupiansk was occupied on 27
    February'), not only names a time another clause tells ('Russia began its campaign on 10
    October', 'the war came to the city', what was said)."""
    found = main_verb(clause, _VERBS)
    if found is None or found[0] in _ASPECT | _LIGHT:
        return False
    return verb_category(clause) not in (None, *_NOT_DEEDS)


def tells_movement(clause: str) -> bool:
    """Whether a clause may tell troops moving or a place changing hands: it has no verb we
    can see, one of its verbs is a verb of MOVEMENT, a light verb ('ordered a withdrawal') or
    one that makes someone do something ('forced Russia into a retreat'), or its subject is
    an advance or a withdrawal ('its withdrawal from Kherson showed …')."""
    verbs = clause_verbs(clause)
    return (
        not verbs or bool(verbs & (MOVEMENT | _LIGHT | _CAUSING)) or subject_head(clause) in _MOVES
    )


def keyword_category(sentence: str, moves: bool = True) -> str:
    """The category whose keywords the sentence's main part holds most ('other' for none):
    what a statement is about, and what decides when the main verb does not.

    Keywords of the main clause count (statements and assessments half); a tie goes to a
    category that is not a statement or assessment, then to the category named first (the
    subject and verb come first: 'missiles struck energy facilities' is a strike), then to
    what an 'after …' or ', causing …' adds, then to the earlier of CATEGORY_KEYWORDS.
    With `moves` false (the clause's verb tells no movement) advance and withdrawal count
    only a place held (CONTROL_STATES)."""
    main, _, background = split_background(sentence)
    best, best_score = "other", (0.0, False, 0.0, 0.0)
    for name, pattern in _CATEGORY_PATTERNS.items():
        if not moves and name == "withdrawal":
            continue
        if not moves and name == "advance":
            pattern = _CONTROL_STATE
        found = list(pattern.finditer(main))
        weight = 0.5 if name in _HALF_WEIGHT else 1.0
        hits = weight * len({hit.group().lower() for hit in found})
        first = -found[0].start() if found else -len(main) - 1
        behind = weight * len({hit.lower() for hit in pattern.findall(background)})
        score = (hits, name not in _HALF_WEIGHT, first if hits else 0.0, behind)
        if (hits or behind) and score > best_score:
            best, best_score = name, score
    return best
