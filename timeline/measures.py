"""Figures claimed in a sentence: a number with a unit, what it measures, who claims it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from timeline.candidates import Article
from timeline.temporal import Mention

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100,
}  # fmt: skip
QUALIFIERS = {
    "more than": "more-than", "over": "more-than", "at least": "at-least", "about": "about",
    "around": "about", "roughly": "about", "approximately": "about", "some": "about",
    "nearly": "about", "almost": "about", "up to": "up-to",
}  # fmt: skip
# Unit words: (unit, measure when no verb says more).
UNITS = {
    r"square\s+kilomet(?:er|re)s?|sq\.?\s*km|km2|km²": ("km2", "territory"),
    r"square\s+miles?|sq\.?\s*mi(?:les?)?": ("sq-mi", "territory"),
    r"kilomet(?:er|re)s?|km": ("km", "distance"),
    r"villages|towns|settlements|localities|cities|communities": ("settlements", "settlements"),
    r"(?:cruise\s+)?missiles?|rockets?": ("missiles", "missiles-fired"),
    r"drones?": ("drones", "drones-launched"),
    r"people|persons?|civilians|residents|servicemen|soldiers|troops": ("people", "people"),
    r"percent|per\s+cent|%": ("percent", "share"),  # "80 percent of residents" is a share
}
# Verbs that make a measure precise: (unit, pattern, measure).
_RETAKEN = r"retak|retook|regain|recaptur|liberat|reclaim|took\s+back"
MEASURES = (
    ("km2", _RETAKEN + r"|control", "territory-retaken"),
    ("sq-mi", _RETAKEN, "territory-retaken"),
    ("settlements", _RETAKEN, "settlements-retaken"),
    ("settlements", r"affected|without|outage|blackout", "settlements-affected"),
    ("missiles", r"shot\s+down|intercept|downed|destroyed", "missiles-shot-down"),
    ("drones", r"shot\s+down|intercept|downed|destroyed", "drones-shot-down"),
    ("people", r"killed|killing|dead|died|deaths", "deaths"),
    ("people", r"wounded|injured", "injured"),
    ("people", r"evacuat", "people-evacuated"),
    ("people", r"detained|arrested", "people-detained"),
)  # fmt: skip
_QUALIFIER = "|".join(sorted(QUALIFIERS, key=len, reverse=True)).replace(" ", r"\s+")
_FIGURE = re.compile(
    rf"(?i)(?<![\w,.-])(?:(?P<q>{_QUALIFIER})\s+)?[\"“]?(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|"
    rf"{'|'.join(_NUMBER_WORDS)})[\"”]?(?P<between>(?:\s+(?:of\s+the|[A-Za-z][\w-]*)){{0,2}}?)"
    rf"(?:\s+|(?=%))(?P<unit>{'|'.join(f'(?:{unit})' for unit in UNITS)})(?![\w-])"
)


def find_figures(
    sentence: str,
    offset: int,
    mentions: Iterable[Mention],
    claimed_by: str,
    article: Article,
    claimant: str | None = None,
) -> list[dict[str, Any]]:
    """Numbers with a unit claimed in a sentence: measure, value, unit, qualifier, who claims
    it as written (`claimed_by`) and as an actor id of the file (`claimant`, if known)."""
    taken = [(m.start - offset, m.end - offset) for m in mentions]
    figures = []
    for match in _FIGURE.finditer(sentence):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue  # the number of a temporal expression ("past 24 hours")
        unit, measure = _unit(match["unit"])
        for name, verbs, precise in MEASURES:
            if name == unit and re.search(rf"(?i)\b(?:{verbs})", sentence):
                measure = precise
                break
        figure = {
            "measure": measure,
            "value": _value(match["n"]),
            "unit": unit,
            "qualifier": QUALIFIERS.get(" ".join((match["q"] or "").lower().split())),
            "claimed_by": claimed_by,
            "claimant": claimant,
            "source": article.source_id or article.path,
            "text": match.group(),
        }
        figures.append({key: value for key, value in figure.items() if value is not None})
    return figures


def _unit(text: str) -> tuple[str, str]:
    for pattern, unit in UNITS.items():
        if re.fullmatch(rf"(?i){pattern}", text):
            return unit
    raise AssertionError(text)  # the figure pattern only matches these units


def _value(text: str) -> int | float:
    if text.lower() in _NUMBER_WORDS:
        return _NUMBER_WORDS[text.lower()]
    number = float(text.replace(",", ""))
    return int(number) if number.is_integer() else number
