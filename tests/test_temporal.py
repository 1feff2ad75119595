"""The tense that resolves a date written without a year or a week: narrative and reported
clauses."""

from datetime import date

import pytest

from timeline.temporal import find_mentions


@pytest.mark.parametrize(
    ("text", "published", "expression", "days"),
    [
        # The tense of the clause the date is in.
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
        # a participle's clause has no tense of its own: its sentence's, never forward
        ("The city was the only capital Russia had taken, falling on 2 March without a fight.",
         date(2022, 11, 13), "2 March", ("2022-03-02", "2022-03-02")),
        ("Troops had crossed the river by then, starting on 3 April under fire.",
         date(2022, 11, 20), "3 April", ("2022-04-03", "2022-04-03")),
        ("The ministry says repairs will take weeks, beginning on 2 January.",
         date(2022, 11, 20), "2 January", ("2023-01-02", "2023-01-02")),
        # a clause with a verb of its own keeps the nearest reading ("go" is not a participle)
        ("The US, whose voters go to the polls on Nov. 8, has sent aid since Feb. 24.",
         date(2022, 11, 3), "Nov. 8", ("2022-11-08", "2022-11-08")),
        # Headings and pairs of days.
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
        # two weekdays joined by "and": the days from the first to the second, by tense
        ("Emergency shutdowns continued on Thursday and Friday.", date(2022, 11, 25),
         "Thursday and Friday", ("2022-11-24", "2022-11-25")),
        ("Talks will be held on Monday and Tuesday in Istanbul.", date(2022, 11, 25),
         "Monday and Tuesday", ("2022-11-28", "2022-11-29")),
        # "will be held": a participle after 'be' is not a past tense, irregular or not
        ("The vote will be held on Sunday.", date(2022, 11, 25), "Sunday",
         ("2022-11-27", "2022-11-27")),
        # Ordinal days.
        # an ordinal day alone is of the month named before it
        ("Sept 6: the line broke. By the 10th Izyum was free.", date(2022, 10, 3), "the 10th",
         ("2022-09-10", "2022-09-10")),
        ("Shelling began on 3 November and went on until the 7th, officials said.",
         date(2022, 11, 20), "the 7th", ("2022-11-07", "2022-11-07")),
        ("On October 29 the convoy left; it reached Kherson on the 31st.", date(2022, 11, 2),
         "the 31st", ("2022-10-31", "2022-10-31")),
        # with no month named, the publication's month or the one before, by tense
        ("Repairs were finished on the 28th.", date(2022, 11, 3), "the 28th",
         ("2022-10-28", "2022-10-28")),
        # a weekday and an ordinal: the nearest month where that day falls on that weekday
        ("4/ By Tue 27th UAF held the rail hub.", date(2022, 10, 3), "Tue 27th",
         ("2022-09-27", "2022-09-27")),
        ("Voting ends on Friday the 14th, the commission says.", date(2022, 10, 3),
         "Friday the 14th", ("2022-10-14", "2022-10-14")),
        ("Sat 1st: the ferry stopped running.", date(2022, 10, 20), "Sat 1st",
         ("2022-10-01", "2022-10-01")),
    ],
)  # fmt: skip
def test_days_of_an_expression(text, published, expression, days):
    found = [m for m in find_mentions(text, published) if m.text == expression]
    assert [(m.date_start.isoformat(), m.date_end.isoformat()) for m in found] == [days]


@pytest.mark.parametrize(
    "text",
    [
        "The 93rd Brigade attacked, supported by the 10th Brigade.",  # units, not days
        "Attacked by the 3rd and the 4th battalions.",
        "It was the 200th day of the war.",
    ],
)
def test_ordinals_that_are_not_days(text):
    assert find_mentions(text, date(2022, 10, 3)) == []


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
