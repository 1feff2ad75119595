"""Claimed figures as a reader says them: 'at least 1 person', 'more than 1,000,000 people'."""

from __future__ import annotations

from timeline.model import Figure

# The file's qualifiers are slugs; a reader expects the words.
QUALIFIER_WORDS = {
    "about": "about",
    "more-than": "more than",
    "at-least": "at least",
    "up-to": "up to",
    "exactly": "exactly",
}
# Units read differently from how the file spells them (the file's are slugs, and plural).
UNIT_WORDS = {"km2": "km²", "sq-mi": "sq mi", "percent": "%"}
SINGULAR_UNITS = {"people": "person", "cities": "city", "facilities": "facility"}


def number_words(value: float) -> str:
    """'1,160', '2.5', '3,000,000': thousands separated, never e-notation, no trailing zeros."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def unit_words(value: float, unit: str) -> str:
    """The unit as read after the value: singular for exactly one ('1 person', '1 settlement')."""
    if unit in UNIT_WORDS:
        return UNIT_WORDS[unit]
    if value != 1:
        return unit
    if unit in SINGULAR_UNITS:
        return SINGULAR_UNITS[unit]
    return unit[:-1] if unit.endswith("s") and not unit.endswith("ss") else unit


def claim_words(figure: Figure) -> str:
    """A claimed figure as read out: 'about 1,160 sq mi', 'at least 1 person', '40%'."""
    if figure.unit == "ratio-to-one":
        amount = f"{number_words(figure.value)} to 1"
    else:
        unit = unit_words(figure.value, figure.unit)
        separator = "" if unit == "%" else " "
        amount = f"{number_words(figure.value)}{separator}{unit}"
    qualifier = QUALIFIER_WORDS.get(figure.qualifier or "", figure.qualifier or "")
    return f"{qualifier} {amount}".strip()
