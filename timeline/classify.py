"""A candidate's category (keywords of its main clause) and its story (the one under way then,
with the most alike events)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from timeline.clauses import split_background
from timeline.dates import FuzzyDate
from timeline.linking import content_words
from timeline.model import Story, Timeline

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
        words = content_words(sentence)
        index = index or StoryIndex()

        def fit(story: Story) -> tuple[bool, int, int, int, date]:
            about = content_words(f"{story.title} {story.description or ''}")
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


def classify(sentence: str, clause: str = "") -> str:
    """A category of the controlled vocabulary from keywords; 'other' when none matches.

    Keywords of the main clause count (statements and assessments half); a tie goes to a
    category that is not a statement or assessment, then to the category named first (the
    subject and verb come first: 'missiles struck energy facilities' is a strike), then to
    what an 'after …' or ', causing …' adds, then to the earlier of CATEGORY_KEYWORDS."""
    if clause and _STATEMENT_VERB.search(clause):
        return "statement"
    main, _, background = split_background(sentence)
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
