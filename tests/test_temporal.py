"""The tense that resolves a date written without a year or a week: narrative and reported
clauses."""

from datetime import date

import pytest

from timeline.temporal import find_mentions


@pytest.mark.parametrize(
    ("text", "published", "expression", "days"),
    [
        # a memory is of the past, however near the coming date is
        ("She remembers the morning of 24 February clearly.", date(2022, 9, 19),
         "the morning of 24 February", ("2022-02-24", "2022-02-24")),
        ("He recalls 3 March, when the tanks came.", date(2022, 9, 19),
         "3 March", ("2022-03-03", "2022-03-03")),
        # "that" opens a clause with its own tense: "will note" is not the visit's
        ("The House will note that on Monday the President visited the city.", date(2022, 11, 16),
         "Monday", ("2022-11-14", "2022-11-14")),
        ("He said that talks will resume on Monday.", date(2022, 11, 16),
         "Monday", ("2022-11-21", "2022-11-21")),
    ],
)  # fmt: skip
def test_tense_of_the_clause_the_date_is_in(text, published, expression, days):
    found = [m for m in find_mentions(text, published) if m.text == expression]
    assert [(m.date_start.isoformat(), m.date_end.isoformat()) for m in found] == [days]


@pytest.mark.parametrize(
    ("text", "published", "expression", "days"),
    [
        # a weekday in capitals heading a digest's item: the latest such day, and two of them
        ("MONDAY — Zelensky walked through Kherson.", date(2022, 11, 19), "MONDAY",
         ("2022-11-14", "2022-11-14")),
        ("THURSDAY AND FRIDAY — A crew repaired lines.", date(2022, 11, 19), "THURSDAY AND FRIDAY",
         ("2022-11-17", "2022-11-18")),
        # any date in a heading in capitals
        ("SATURDAY 8 OCTOBER: The bridge burned.", date(2022, 10, 9), "SATURDAY 8 OCTOBER",
         ("2022-10-08", "2022-10-08")),
        # a chronology's entry in the present of headlines is past, however near the next one
        ("2 March | Russian troops take control of Kherson", date(2022, 11, 14), "2 March",
         ("2022-03-02", "2022-03-02")),
        # two days of one month joined by "and": from the first to the second
        ("Protests on September 21 and September 24 ended with detentions.", date(2022, 9, 26),
         "September 21 and September 24", ("2022-09-21", "2022-09-24")),
    ],
)  # fmt: skip
def test_headings_and_pairs_of_days(text, published, expression, days):
    found = [m for m in find_mentions(text, published) if m.text == expression]
    assert [(m.date_start.isoformat(), m.date_end.isoformat()) for m in found] == [days]


@pytest.mark.parametrize(
    "text",
    [
        "The Monday meeting went ahead.",  # not capitals
        "WE MET ON MONDAY.",  # capitals, but not a heading
        "Sales on September 21 and 300 more on September 24.",  # not two days joined by "and"
    ],
)
def test_not_headings_nor_pairs(text):
    found = find_mentions(text, date(2022, 9, 26))
    assert all(m.rule not in ("weekday-heading", "range") for m in found)
