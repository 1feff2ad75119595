"""Headlines: what a title keeps of its clause."""

import pytest

from timeline.headlines import CLOCK_TIME, present_tense


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Crews restored supply to 120,000 households by 18:00", "Crews restored supply to "
         "120,000 households"),
        ("A drone struck a warehouse at about half past six", "A drone struck a warehouse"),
        ("Consumers should limit use between 17:00 and 23:00.", "Consumers should limit use"),
        ("Troops entered Kherson at seven o'clock", "Troops entered Kherson"),
        ("11:40. Two missiles hit energy facilities", "Two missiles hit energy facilities"),
        ("Sirens sounded at 6 a.m. local time", "Sirens sounded"),
        # at the start of a title too
        ("At 00:59 the plant lost its last line", "the plant lost its last line"),
        ("Between 07:00 and 09:30, missiles struck", ", missiles struck"),
        ("By noon the lights had gone out", "the lights had gone out"),
        ("The power came back at about 6am", "The power came back"),
        # numbers that are not times stay
        ("Russia fired 84 missiles and 3.5 million people lost power",
         "Russia fired 84 missiles and 3.5 million people lost power"),
    ],
)  # fmt: skip
def test_clock_times_leave_a_title(text, kept):
    assert " ".join(CLOCK_TIME.sub("", text).split()).strip() == kept


@pytest.mark.parametrize(
    ("title", "present"),
    [
        # the past perfect of a headline's verb becomes the present simple
        ("Engineers had reconnected a backup line", "Engineers reconnect a backup line"),
        ("Police had found a mass burial site", "Police find a mass burial site"),
        ("Two spans had fallen into the sea", "Two spans fall into the sea"),
        # a name in the plural after a possessive
        ("Kharkov: our Iskanders hit an energy facility", "Kharkov: our Iskanders hit an energy "
         "facility"),
        # the present perfect stays; what a saying reports keeps its perfect
        ("Ukraine has retaken the city", "Ukraine has retaken the city"),
        ("Kyiv said it had recaptured 20 villages", "Kyiv says it has recaptured 20 villages"),
    ],
)  # fmt: skip
def test_present_tense(title, present):
    assert present_tense(title) == present
