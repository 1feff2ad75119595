from datetime import date

import pytest

from timeline.dates import Precision, parse_date
from timeline.errors import InvalidDate

D = date


@pytest.mark.parametrize(
    ("text", "first", "last", "precision", "canonical"),
    [
        ("2022-09-11", D(2022, 9, 11), D(2022, 9, 11), Precision.DAY, "2022-09-11"),
        ("2022-09-11 night", D(2022, 9, 11), D(2022, 9, 11), Precision.PART_OF_DAY, None),
        ("2022-W37", D(2022, 9, 12), D(2022, 9, 18), Precision.WEEK, None),
        ("2020-W53", D(2020, 12, 28), D(2021, 1, 3), Precision.WEEK, None),
        ("2022-09 early", D(2022, 9, 1), D(2022, 9, 10), Precision.PART_OF_MONTH, None),
        ("2022-09 mid", D(2022, 9, 11), D(2022, 9, 20), Precision.PART_OF_MONTH, None),
        ("2022-09 late", D(2022, 9, 21), D(2022, 9, 30), Precision.PART_OF_MONTH, None),
        ("2022-02 late", D(2022, 2, 21), D(2022, 2, 28), Precision.PART_OF_MONTH, None),
        ("2024-02", D(2024, 2, 1), D(2024, 2, 29), Precision.MONTH, None),
        ("2014", D(2014, 1, 1), D(2014, 12, 31), Precision.YEAR, None),
        ("2022-09 early .. 2022-09-11", D(2022, 9, 1), D(2022, 9, 11), Precision.RANGE, None),
        ("2022-09-06..2022-09-11", D(2022, 9, 6), D(2022, 9, 11), Precision.RANGE,
         "2022-09-06 .. 2022-09-11"),
        ("~2022-09-10", D(2022, 9, 10), D(2022, 9, 10), Precision.DAY, None),
        ("  2022-10  ", D(2022, 10, 1), D(2022, 10, 31), Precision.MONTH, "2022-10"),
    ],
)  # fmt: skip
def test_parse_date_spans(text, first, last, precision, canonical):
    parsed = parse_date(text)
    assert (parsed.first, parsed.last, parsed.precision) == (first, last, precision)
    assert str(parsed) == (canonical or text)
    assert parse_date(str(parsed)) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2022-13-40", "date '2022-13-40' has no month 13 (expected a month 01 to 12)"),
        ("2022-02-30", "date '2022-02-30' is not a real day (February 2022 has 28 days)"),
        ("2022-W54", "date '2022-W54' has no week 54 (2022 has 52 ISO weeks)"),
        ("2022-09-11 dusk", "date '2022-09-11 dusk' has unknown part of day 'dusk' "
         "(expected morning, afternoon, evening, night)"),
        ("2022-09 start", "date '2022-09 start' has unknown part of month 'start' "
         "(expected early, mid, late)"),
        ("2022-09-11 .. 2022-09-06", "date range '2022-09-11 .. 2022-09-06' ends before it "
         "starts (2022-09-06 is before 2022-09-11)"),
        ("0000-01-01", "date '0000-01-01' has year 0000 (expected a year from 0001)"),
        ("11 September 2022", "date '11 September 2022' is not a date (expected YYYY-MM-DD, "
         "YYYY-MM-DD morning|afternoon|evening|night, YYYY-Www, YYYY-MM early|mid|late, "
         "YYYY-MM, YYYY or a range 'A .. B')"),
        ("2022-09-11T10:00", None),
        ("2022-9-11", None),
        ("", None),
        ("2022-09-11 .. ", None),
    ],
)  # fmt: skip
def test_parse_date_refuses(text, message):
    with pytest.raises(InvalidDate) as caught:
        parse_date(text)
    if message is not None:
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2022-09-11", "11 September 2022"),
        ("2022-09-11 night", "11 September 2022, night"),
        ("2022-09 early", "early September 2022"),
        ("2022-W36", "week 36 of 2022 (5 September 2022 – 11 September 2022)"),
        ("2022-03", "March 2022"),
        ("2014", "2014"),
        ("~2022-09-06 .. 2022-09-11", "about 6 September 2022 to 11 September 2022"),
    ],
)
def test_describe_in_words(text, words):
    assert parse_date(text).describe() == words


def test_covers_and_part_rank():
    month = parse_date("2022-09")
    assert month.covers(parse_date("2022-09-11 night"))
    assert not month.covers(parse_date("2022-09-30 .. 2022-10-01"))
    ranks = [parse_date(f"2022-09-11 {part}").part_rank for part in ("morning", "night")]
    assert ranks == [1, 4]
    assert parse_date("2022-09-11").part_rank == 0
