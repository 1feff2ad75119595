"""What extraction makes of an article: the article, a candidate event of one clause, and the
candidates of several articles that report the same event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from timeline.dates import FuzzyDate
from timeline.model import Source
from timeline.temporal import Mention


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
    about: str = ""  # the category of what a statement is about ("strike"), for its story
    named: bool = False  # its date names an event the reader knows ("the attacks of 10 October")
    doubts: tuple[str, ...] = ()  # codes of timeline.doubts: its points decided by a weak path

    @property
    def focus(self) -> tuple[int, int]:
        """The span that gives the date: the anchor expression, or for a clause or sentence
        that inherits its date, that clause or sentence itself."""
        if self.inherited:
            return self.clause if self.clause != (0, 0) else (self.start, self.end)
        return (self.anchor.start, self.anchor.end)

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
    # codes of timeline.doubts: its first member's, and its story's and link's
    doubts: tuple[str, ...] = ()

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


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for group in groups for item in group))
