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
