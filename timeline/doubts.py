"""What extraction doubts about a candidate: the points its pipeline decided by a weak path
(a fallback, a guess from context), as codes and as the words a reviewer reads."""

from __future__ import annotations

from collections.abc import Iterable

# (code, what the reviewer reads), in the order they are shown: date, title, category, story,
# places, link. The words hold no ';' (it separates them on the notes line).
DOUBTS: tuple[tuple[str, str], ...] = (
    ("date-inherited", "date from another sentence"),
    ("date-counted", "date counted from another day or event"),
    ("date-range", "date is a range of days"),
    ("date-vague", "date is a week, month or longer, not a day"),
    ("title-cut", "title cut to fit"),
    ("title-pronoun", "title's subject is a pronoun"),
    ("title-passive", "title does not say who did it"),
    ("category-keywords", "category from keywords, not the verb"),
    ("category-other", "no category found (other)"),
    ("story-default", "no story covers the date (default story)"),
    ("story-tie", "story picked among several with nothing shared"),
    ("places-continued", "places from the event it continues"),
    ("places-joined", "places from the clause it is joined to"),
    ("places-speaker", "places from who said it"),
    ("places-earlier", "places from an earlier event"),
    ("places-previous", "places from the previous sentence"),
    ("places-heading", "places from the paragraph heading"),
    ("places-headline", "places from the headline"),
    ("places-site", "places from a site named before"),
    ("link-weak", "linked to an existing event without shared wording"),
)
DOUBT_WORDS: dict[str, str] = dict(DOUBTS)
_ORDER = {code: position for position, (code, _) in enumerate(DOUBTS)}
NOTES_PREFIX = "Extraction doubts: "


class UnknownDoubt(ValueError):
    """A doubt code that is not in the declared vocabulary."""


def doubts(codes: Iterable[str]) -> tuple[str, ...]:
    """The codes once each, in the vocabulary's order; raise UnknownDoubt for one not in it."""
    found = set(codes)
    unknown = sorted(found - DOUBT_WORDS.keys())
    if unknown:
        raise UnknownDoubt(f"doubt {unknown[0]!r} is not one of {', '.join(_ORDER)}")
    return tuple(sorted(found, key=_ORDER.__getitem__))


def doubt_words(codes: Iterable[str]) -> list[str]:
    """What a reviewer reads for each code, in order."""
    return [DOUBT_WORDS[code] for code in doubts(codes)]


def notes_line(codes: Iterable[str]) -> str:
    """The line a new candidate's notes carry ('Extraction doubts: category from keywords, not
    the verb; places from the previous sentence'), or '' without doubts."""
    words = doubt_words(codes)
    return NOTES_PREFIX + "; ".join(words) if words else ""
