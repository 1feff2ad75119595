"""Headlines: what a title keeps of its clause."""

import pytest

from timeline.headlines import CLOCK_TIME


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
        # numbers that are not times stay
        ("Russia fired 84 missiles and 3.5 million people lost power",
         "Russia fired 84 missiles and 3.5 million people lost power"),
    ],
)  # fmt: skip
def test_clock_times_leave_a_title(text, kept):
    assert " ".join(CLOCK_TIME.sub("", text).split()).strip() == kept
