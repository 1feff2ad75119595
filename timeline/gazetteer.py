"""Places and actors of the events file named in a clause, and where a clause that names none
happens (the event it continues, the place a pronoun points back to, the article's headline)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from timeline.candidates import Candidate
from timeline.clauses import Sentence
from timeline.model import Timeline
from timeline.temporal import dateline
from timeline.verbs import A_VERB, IRREGULAR_PAST, PARTICIPLE


def name_antecedent(title: str, places: Sequence[str], gazetteer: Gazetteer) -> str:
    """A title with the place a pronoun stands for: 'Its government warns …' gives 'Moldova's
    government warns …', 'Russian troops abandon it' 'Russian troops abandon Balakliia'."""
    if not places:
        return title
    name = gazetteer.place_names[places[0]]
    title = re.sub(r"\A(?:Its|Their)\s", f"{name}'s ", title)
    return re.sub(
        r"(?<=\w)\s+it(?=\Z|[,.;]|\s+(?:in|on|at|after|before|from|to)\b)", f" {name}", title
    )


def speakers(gazetteer: Gazetteer, sentence: Sentence, clause: tuple[int, int]) -> tuple[str, ...]:
    """The actors of the sentence's attributions ('…, the Kremlin said'): who says it."""
    found: list[str] = []
    for other in sentence.clauses:
        if other != clause and sentence.is_attribution(other):
            found += gazetteer.find(sentence.words(other))[1]
    return tuple(dict.fromkeys(found))


def context_places_how(
    gazetteer: Gazetteer,
    sentence: Sentence,
    clause: tuple[int, int],
    title: str,
    before: Sequence[Candidate],
    continues: Candidate | None,
    topic: tuple[str, ...] = (),
    heading: tuple[str, ...] = (),
) -> tuple[tuple[str, ...], str]:
    """Places for a clause that names none: those of the event it continues; of the clause it
    is joined to ('…; repair crews restored…'); of the sentence's attribution ('said Olena, who
    stayed in Izium'); when it points back ('it', 'they', 'the town'), the first place of the
    last candidate that has one ('the city': the last city, not a country; 'the country': the
    country of the last candidate with a place); else, unless it
    names an actor or a place the gazetteer does not know, the places of the paragraph's
    run-in heading (`heading`: 'Izium, one week on.') or of the article's headline ('Dispatch
    from Balakliia').

    Also where from: 'continued', 'joined', 'speaker',
    'earlier' (an earlier candidate), 'previous' (the sentence right before), 'heading',
    'headline', or '' for no places."""
    words = sentence.words(clause)
    if gazetteer.names_unknown_place(words):
        return (), ""  # "in Kryvyi Rih, flooding parts of the city": a place the gazetteer lacks
    if continues is not None:
        return continues.places, "continued"
    index = sentence.index(clause)
    joint = sentence.text[sentence.clauses[index - 1][1] : clause[0] + 4] if index > 0 else ""
    if _COORDINATE.match(joint):
        places = gazetteer.find(sentence.words(sentence.clauses[index - 1]))[0]
        if places:
            return places, "joined"
    for other in sentence.clauses:
        # "…, the mayor of Mykolaiv said", "The mayor of Mykolaiv said | that a missile …"
        saying = sentence.is_attribution(other) or sentence.reported_after(other) == clause
        if other != clause and saying:
            places = gazetteer.find(sentence.words(other))[0]
            if places:
                return places, "speaker"
    if _COUNTRY_ANAPHOR.search(words):
        # "30% of the country's power stations": the country named last, or the last place's
        for candidate in reversed(before):
            countries = [gazetteer.country_of.get(p, p) for p in candidate.places]
            countries = [p for p in countries if p in gazetteer.countries]
            if countries:
                return tuple(countries[:1]), "earlier"
    pointing = _PRONOUN_SUBJECT.match(title) or _ANAPHOR.search(words)
    if pointing and not (gazetteer.find(words)[1] and not _PLACE_ANAPHOR.search(words)):
        # (not "Ukraine's General Staff said its forces …": 'its' is the actor named there)
        if heading:
            return heading, "heading"  # "Izium, one week on. Ukrainian forces took back …"
        wanted = before
        if _PLACE_ANAPHOR.search(words):  # "the city": a place, not a country
            wanted = [c for c in before if set(c.places) - gazetteer.countries]
        earlier = next(
            (tuple(p for p in c.places if p not in gazetteer.countries)[:1] or c.places[:1]
             for c in reversed(wanted) if c.places),
            (),
        )  # fmt: skip
        return (earlier, "earlier") if earlier else (topic, "headline" if topic else "")
    if not gazetteer.find(words)[1]:
        # "At the Zaporizhzhia nuclear power plant, engineers shut down …. Engineers had
        # reconnected a backup line …": the sentence right before, in its paragraph, is there
        last = before[-1] if before else None
        right_before = (
            last is not None
            and last.end <= sentence.start
            and not sentence.text[last.end : sentence.start].strip()
            and "\n" not in sentence.text[last.end : sentence.start]
        )
        earlier = last.places if right_before else ()
        if earlier:
            return earlier, "previous"
        if heading:
            return heading, "heading"
        return topic, "headline" if topic else ""  # a dispatch from a place: what names no other
    return (), ""


# A site named before and pointed back to: "The Zaporizhzhia nuclear plant … produces nothing.
# … on Oct. 12 the plant lost its last line".
_SITE_ANAPHOR = re.compile(
    r"\b[Tt]he\s+(?P<noun>plant|station|dam|bridge|reactor|substation|port|airport|airbase)\b"
)
SITE_REACH = 600  # characters back to look for the site's name: its paragraph, about


def site_antecedent(
    gazetteer: Gazetteer, text: str, start: int, words: str
) -> tuple[str, tuple[str, ...]] | None:
    """For words that point back to a site ('the plant'), the name the text gave it last in
    the SITE_REACH characters before `start` ('Zaporizhzhia nuclear plant') and the places
    the gazetteer finds in that name; None without one."""
    pointing = _SITE_ANAPHOR.search(words)
    if pointing is None:
        return None
    named = re.compile(rf"\b(?P<name>[A-Z][\w'’-]*(?:\s+[\w'’-]+){{0,2}}?)\s+{pointing['noun']}\b")
    for found in reversed(list(named.finditer(text, max(0, start - SITE_REACH), start))):
        places = gazetteer.find(found.group())[0]
        if places:
            name = re.sub(r"\A(?:The|A|An)\s+", "", found["name"])
            return f"{name} {pointing['noun']}", places
    return None


# A name going on after a hyphen: "Kupyansk-Vuzlovyi".
_HYPHENATED = re.compile(r"-[A-Z][a-z]+(?![\w-])")
_COUNTRY_ANAPHOR = re.compile(r"(?i)\bthe\s+country\b")
# Words that point back to a place named before.
_ANAPHOR = re.compile(
    r"(?i)\b(?:the\s+(?:[a-z]+\s+)?(?:city|town|village|region|capital|port|area|settlement)|there)\b"
    r"|(?<=[a-z]ed)\s+it\b"  # "abandoned it"
)
_PLACE_ANAPHOR = re.compile(
    r"(?i)\b(?:the\s+(?:[a-z]+\s+)?(?:city|town|village|region|capital|port|area|settlement)|there)\b"
)
# "near Beryslav", "in Brussels": a place the gazetteer does not know
# (not "in Desnianskyi district": a part of a city is in the city the text is about)
_UNKNOWN_PLACE = re.compile(
    r"\b(?:[Ii]n|[Nn]ear|[Aa]t|[Oo]utside|from|to)\s+(?:the\s+)?"
    r"(?!(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)[A-Z][a-z][\w'’-]*+"
    r"(?!\s+(?:district|neighbou?rhood|suburb|quarter|microdistrict)\b)"
    # "a Polish village": a place in a country the gazetteer lacks (a known one's demonym is
    # found first, by Gazetteer.find)
    r"|\b(?:a|an|the)\s+[A-Z][a-z]+(?:ish|ian|ese|an)\s+(?:village|town|city|border|port)\b"
)
HEADLINE_WORDS = 15


def article_topic(text: str, gazetteer: Gazetteer) -> tuple[str, ...]:
    """Where the article is: the first place of a 'Location:' or 'Address:' field ('Address:
    house No. 14, Pushkinska Street, Izyum, Kharkiv region': Izyum; 'Location: Russian
    Federation': Russia), else the places (not whole countries) of its headline, a short
    first paragraph without a final full stop, after the dateline line (a letterhead in
    capitals read as a name: 'KHARKIV CITY COUNCIL')."""
    for field_line in _LOCATION_FIELD.finditer(text):
        places = gazetteer.find(field_line.group(1))[0]
        if places:
            return places[:1]
    found = dateline(text)
    body = text[found[1] :] if found else text
    first = body.strip().split("\n", 1)[0].strip()
    if not first or len(first.split()) > HEADLINE_WORDS or first.endswith("."):
        return ()
    if first.isupper():  # a letterhead in capitals: "KHARKIV CITY COUNCIL"
        first = first.title()
    return tuple(p for p in gazetteer.find(first)[0] if p not in gazetteer.countries)


# A form's field naming where the article is ("Location: Russian Federation").
_LOCATION_FIELD = re.compile(r"(?m)(?:^|\s)(?:Location|Address|Place|Where)\s*:[ \t]*([^\n]+)")


HEADING_WORDS = 6


def paragraph_heading(text: str, start: int, end: int, gazetteer: Gazetteer) -> tuple[str, ...]:
    """The places (not whole countries) of a run-in heading: a paragraph's first sentence of at
    most HEADING_WORDS words without a verb ('Izium, one week on.'), or () when it is not one."""
    sentence = text[start:end]
    if len(sentence.split()) > HEADING_WORDS or A_VERB.search(sentence):
        return ()
    return tuple(p for p in gazetteer.find(sentence)[0] if p not in gazetteer.countries)


_PRONOUN_SUBJECT = re.compile(r"(?:They|It|We|He|She|Its|Their|His|Her)\b")
_COORDINATE = re.compile(r"[\s,]*(?:;|(?:and|but)\b)")


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
        for place in timeline.places.values():
            for written in (place.name, *place.aliases):
                for name in other_spellings(written, place.kind, place.region):
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
        # A file without countries has no demonyms: an empty alternation would match anywhere.
        demonyms = (
            re.compile(
                r"\b(" + "|".join(map(re.escape, demonym_of)) + r")\s+(?:village|town|city|region|"
                r"territory|border|soil|airspace|capital|port|settlement)s?\b"
            )
            if demonym_of
            else None
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
            # the words just before the name ("the region of", "by"): looked for there only,
            # not from the sentence's start for every name of a long one
            reach = max(0, match.start() - BEFORE_REACH)
            if self._compound(sentence, match.end()):
                continue  # "Kupyansk-Vuzlovyi" is another place than Kupyansk
            place, actor = self.places.get(name), self.actors.get(name)
            if match.start() in regions or _REGION_OF.search(sentence, reach, match.start()):
                place = self._region(name) or place  # "the region of Kharkiv": the region
            # "Kyiv said": a capital that speaks is the government, not the place.
            if place and actor and _REPORTING_AFTER.match(sentence, match.end()):
                place = None
            if place and actor and _AGENT_BEFORE.search(sentence, reach, match.start()):
                place = None  # "attacks by Kyiv": who did it, not where
            if (
                place in self.countries
                and _AGENT_BEFORE.search(sentence, reach, match.start())
                and (
                    _POSSESSIVE.match(sentence, match.end())
                    or _NOT_AGENT.search(sentence, reach, match.start())
                )
            ):
                place = None  # "fired by Ukraine's air defences, not by Russia": whose deed
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
            if place and (
                _COMPANY_AFTER.match(sentence, match.end())
                or _ADJECTIVE_AFTER.match(sentence, match.end())
            ):
                place = None  # "crews from Kharkiv Vodokanal", "a Kyiv-bound train"
            if place and _OFFICE_AFTER.match(sentence, match.end()):
                place = None  # "Kharkiv Oblast Governor Oleh Syniehubov": whose office, not where
            if _TIME_ZONE.match(sentence, match.end()):
                place = actor = None  # "5 a.m. Moscow time"
            if place and _ORIGIN_BEFORE.search(sentence, max(0, match.start() - 40), match.start()):
                place = None  # "Volunteers from Kharkiv", "arrived from Kharkiv": not where
            for found, into in ((place, places), (actor, actors)):
                if found and found not in into:
                    into.append(found)
        for match in self.demonyms.finditer(sentence) if self.demonyms else ():
            if _NEAR_BEFORE.search(sentence, max(0, match.start() - 20), match.start()):
                continue  # "near the Polish border": a landmark the event is near, not in
            country = self.demonym_of[match.group(1)]
            if country not in places:
                places.append(country)
        return tuple(places), tuple(actors)

    def names_unknown_place(self, clause: str) -> bool:
        """Whether a clause names a place the gazetteer lacks ('near Beryslav', 'a Polish
        village'); a known name there ('arrived from Kharkiv') is not one."""
        for found in _UNKNOWN_PLACE.finditer(clause):
            name = re.search(r"[A-Z]", clause[found.start() : found.end()])
            at = found.start() + (name.start() if name else 0)
            if self.pattern is None or not self.pattern.match(clause, at):
                return True
        return False

    def _compound(self, sentence: str, end: int) -> bool:
        """Whether a name goes on, after a hyphen, into a capitalised word the gazetteer does
        not know: one name of another place ('Kupyansk-Vuzlovyi'; not 'Russia-Ukraine')."""
        rest = _HYPHENATED.match(sentence, end)
        return rest is not None and (
            self.pattern is None or not self.pattern.match(sentence, end + 1)
        )

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


# Other romanisations of Ukrainian names, word by word: the Russian '-ov' of '-iv' (Kharkiv:
# Kharkov, Lviv: Lvov), 'zh' for 'zhzh' (Zaporizhia), 'ya' and 'yu' for 'ia' and 'iu'
# (Kupyansk, Izyum, Balakliya), 'e' for 'ie' (Severodonetsk).
_ROMANISATIONS = (
    (re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])iv\b"), "ov"),
    (re.compile(r"zhzh"), "zh"),
    (re.compile(r"(?<=[a-z])i(?=[au])"), "y"),
    (re.compile(r"(?<=[A-Za-z])ie"), "e"),
)


def other_spellings(name: str, kind: str, region: str | None) -> tuple[str, ...]:
    """Names news gives a place besides the gazetteer's: other romanisations of its words
    (_ROMANISATIONS, each alone and all together), a lower-case generic noun ('Crimean
    bridge', 'Crimean peninsula'), a river's noun first ('river Oskil') and for a site the
    name of its region's first word ('Kerch Bridge' for the
    Crimean Bridge in the Kerch Strait)."""
    found: list[str] = []
    if kind != "site":
        every = name
        for pattern, replacement in _ROMANISATIONS:
            found.append(pattern.sub(replacement, name))
            every = pattern.sub(replacement, every)
        found.append(every)
    generic = re.fullmatch(r"([A-Z][\w'’-]+)\s+([A-Z][a-z]+)", name)
    if generic:  # "the annexed Crimean peninsula", "the Crimean bridge"
        noun = generic[2]
        found += [f"{generic[1]} {noun.lower()}"]
        if noun in ("River", "Lake"):  # "the river Oskil", as translations put it
            found += [f"{noun.lower()} {generic[1]}", f"{noun} {generic[1]}"]
        first = re.match(r"[A-Z][a-z]+", region or "") if kind == "site" else None
        if first and first.group() != generic[1]:
            found += [f"{first.group()} {noun}", f"{first.group()} {noun.lower()}"]
    return tuple(dict.fromkeys(spelling for spelling in found if spelling != name))


# When, put between a subject and its verb: "Russia on 10 October fired", "Ukraine late on
# Monday said", "Moscow yesterday claimed".
_WHEN_BETWEEN = (
    r"(?:\s+(?:(?:late|early)\s+)?(?:on\s+)?(?:[A-Z][a-z]+day|\d{1,2}\s+[A-Z][a-z]+|"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:\s+(?:morning|afternoon|evening|night))?"
    r"|\s+(?:yesterday|overnight|today|earlier|later|also|then|again|once\s+more))?"
)
_ACTING_AFTER = re.compile(
    _WHEN_BETWEEN + r"\s+(?:(?:has|had|have|will|would)\s+)?"
    r"(?!(?:was|were|had|did|said|told|[a-z]+ounced|warned|claimed|reported|added|suffered|"
    r"experienced|endured|faced|plunged\s+into|lost\s+(?:power|electricity|heat\w*|water|gas|light))\b)"
    r"(?:[a-z]{3,}ed|" + "|".join(IRREGULAR_PAST) + r"|fires|launches)\b"
    # "the only regional capital Russia had taken": a perfect's participle
    rf"|\s+(?:has|had|have)\s+(?:[a-z]+ly\s+)?(?!been\b){PARTICIPLE}\b"
)  # not "was hit" or "suffered" (a country that is hit is where it happens), not "said"


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
    # "Moldova says it has suffered a massive blackout": what befell it
    r"|\bit\s+(?:has\s+|had\s+)?(?:suffered|experienced|endured|faced|lost|was\s+hit)\b"
)
BEFORE_REACH = 64
_REGION_OF = re.compile(r"(?i)\b(?:region|oblast|province)\s+of\s+\Z")
_AGENT_BEFORE = re.compile(r"\bby\s+\Z")
_NOT_AGENT = re.compile(r"\bnot\s+by\s+\Z")
_POSSESSIVE = re.compile(r"['’]s\b")
# Where people or goods come from is not where the event happens (but "withdrew from Izium",
# "fled from Kharkiv", "evacuated from …" are there).
_ORIGIN_BEFORE = re.compile(
    r"(?i)\b(?:arriv\w+|came|comes?|coming|returned|returning|travell?ed|volunteers|visitors|"
    r"delegations?|bus(?:es)?|trains?|convoys?|trucks?|lorries)\s+from\s+\Z"
)
_TIME_ZONE = re.compile(r"\s+time\b")
_NEAR_BEFORE = re.compile(r"(?i)\b(?:near|close\s+to|towards?|along)\s+the\s+\Z")
_INSTITUTION_AFTER = re.compile(
    r"['’]s\s+(?:\w+\s+)?(?:ministry|minister|government|army|military|forces|president|parliament|"
    r"air\s+force|general\s+staff|navy|officials|leader|spokes\w+|envoy|ambassador|commanders?|"
    r"generals?|chief)\b"
)
# A place that names an office ("Kharkiv regional military administration", "Kharkiv Oblast
# Governor"): who speaks, not where the event is (not a letterhead's "KHARKIV CITY COUNCIL",
# which names the city the notice is about).
_OFFICE_AFTER = re.compile(
    r"\s+(?:(?:regional|oblast|Oblast|district|military|state|civil(?:ian)?)\s+){0,3}"
    r"(?:administration|[Gg]overnor|prosecutor['’]?s?)\b"
)
# A company or a body named after its city ("Kharkiv Vodokanal", "Kyiv Oblenergo", "the Kyiv
# Independent"): whose name it bears, not where the event is (not "the Kharkiv metro").
_COMPANY_AFTER = re.compile(
    r"\s+(?:Vodokanal|Oblenergo|Oblgaz|Teplo\w*|\w*[Ee]nergo|Independent|University|Institute)\b"
)
# "a Kyiv-bound train", "Moscow-backed officials": a name made an adjective, not a place.
_ADJECTIVE_AFTER = re.compile(r"-[a-z]")
_REPORTING_AFTER = re.compile(
    r"['’]?s?"
    + _WHEN_BETWEEN
    + r"\s+(?:has\s+|had\s+|have\s+)?(?:said|says|claimed|claims|announced|denied|insisted|"
    r"warned|blamed|accused|stated|reported|wants|demanded|responded)\b"
)
