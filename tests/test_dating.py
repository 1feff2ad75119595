"""Which date a clause's event takes: the saying's or the deed's."""

from datetime import date

import pytest

from timeline.dating import clock_heading, dates_saying, deictic_mentions
from timeline.temporal import Mention


def _mention(text: str, expression: str) -> Mention:
    start = text.index(expression)
    return Mention(expression, start, start + len(expression), None, "test")


@pytest.mark.parametrize(
    ("text", "expression", "saying"),
    [
        ("Klitschko said on Wednesday that heating points would open.", "Wednesday", True),
        ("On Monday, Zelensky said the army had advanced.", "Monday", True),
        ("In a briefing on 10 October, Konashenkov said the strikes hit.", "10 October", True),
        ("CLAIM: In a briefing on 10 October, Konashenkov said the strikes hit.", "10 October",
         True),
        # the date of what was said, with the attribution after it
        ("Half the country lost power on Wednesday, the government said.", "Wednesday", False),
        ("On 11 October, Russian missiles struck Lviv.", "11 October", False),
    ],
)  # fmt: skip
def test_dates_saying(text, expression, saying):
    assert dates_saying(_mention(text, expression), text, 0) is saying


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # in a same-day report a clock time or "overnight" is the publication day
        ("Russian missiles hit the power station at about 19:30.",
         [("at about 19:30", "2022-09-11 evening")]),
        ("Our Iskanders hit an energy facility overnight.", [("overnight", "2022-09-11 night")]),
        ("Engineers shut down the reactor at 07:15.", [("at 07:15", "2022-09-11 morning")]),
        ("Engineers shut down the reactor at 03:41.", [("at 03:41", "2022-09-11 night")]),
        ("A drone hit a depot at 7.30pm.", [("at 7.30pm", "2022-09-11 evening")]),
        ("Drones struck the port in the early hours.",
         [("in the early hours", "2022-09-11 night")]),
        ("Sirens sounded at dawn.", [("at dawn", "2022-09-11 morning")]),
        ("A missile hit the station, the mayor said an hour ago.",
         [("an hour ago", "2022-09-11")]),
        # "by" a clock time: when it was done by
        ("The last soldiers had crossed to the left bank by 5am.",
         [("by 5am", "2022-09-11 morning")]),
        ("Crews reconnected the hospital by 18:30, the operator said.",
         [("by 18:30", "2022-09-11 evening")]),
        # not what is not an event, nor a range of hours, nor a count
        ("Troops arrived at 5 villages.", []),
        ("The next bulletin is at 22:00.", []),
        ("The office is open from 09:00 to 17:00.", []),
        ("Shelters will be ready by 8pm.", []),
    ],
)  # fmt: skip
def test_deictic_mentions(text, found):
    mentions = deictic_mentions(text, 0, len(text), date(2022, 9, 11))
    assert [(m.text, str(m.date)) for m in mentions] == found


def test_a_time_of_day_is_on_the_day_named_last():
    text = "The first explosion came at 6:40."
    mentions = deictic_mentions(text, 0, len(text), date(2022, 10, 12), date(2022, 10, 10))
    assert [(m.text, str(m.date)) for m in mentions] == [("at 6:40", "2022-10-10 morning")]


# A clock time alone on the first line of a block heads an item of a timeline of the day: the
# item is on the day the text named last (within a week before publication), else the
# publication day, at the part of day of its hour.
@pytest.mark.parametrize(
    ("text", "named", "expected"),
    [
        ("8:15 a.m.\nThe first missile struck Kyiv.", date(2022, 10, 10), "2022-10-10 morning"),
        ("Intro.\n\n14:20\nThe lights went out.", date(2022, 10, 10), "2022-10-10 afternoon"),
        ("Intro.\n\n21.05 GMT\nSirens sounded again.", None, "2022-10-12 evening"),
        ("Intro.\n\n7:40 pm local time\nA drone hit a depot.", None, "2022-10-12 evening"),
        # a day named weeks before is a flashback, not the day of the timeline
        ("Intro.\n\n09:30\nA missile hit a plant.", date(2022, 9, 11), "2022-10-12 morning"),
        # a live page's entry: a time stamp with its zone and day, a headline and a credit,
        # then the entry's first paragraph; a clock of another continent gives no part of day
        ("Intro.\n\n11:52 a.m. ET, October 11, 2022\nPower is out in Lviv, governor says\n"
         "From our correspondent\n\nFive people were killed in Kyiv.", date(2022, 10, 11),
         "2022-10-11"),
        ("Intro.\n\n14:05 BST, 12 October\nSirens again\n\nA drone hit a depot in Kyiv.",
         None, "2022-10-12 afternoon"),
        ("Intro.\n\n7.40pm PT\nUpdate\n\nThe lights went out in Odesa.", None, "2022-10-12"),
    ],
)  # fmt: skip
def test_a_clock_heading_dates_its_item(text, named, expected):
    found = clock_heading(text, text.rindex("\n") + 1, date(2022, 10, 12), named)
    assert str(found.date) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The first missile struck Kyiv at 8:15.",  # a time in the sentence: deictic_mentions
        "Intro.\n\nCasualties: 14\nThe lights went out.",  # a heading that is no time
        "Intro.\n\n8:15 a.m. The first missile struck Kyiv.",  # one line: no heading
        # a live entry's second paragraph is the entry's own, not the stamp's first item
        "11:52 a.m. ET, October 11\nHeadline\n\nA first paragraph that runs on.\n\n"
        "The lights went out.",
        # a block of long lines after the stamp is a paragraph, not a headline and credit
        "11:52 a.m. ET\nA long first line that tells what happened in many more words than "
        "any headline of a live page would have in it\n\nThe lights went out.",
    ],
)
def test_no_clock_heading(text):
    start = text.rindex("The")
    assert clock_heading(text, start, date(2022, 10, 12), None) is None
