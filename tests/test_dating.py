"""Which date a clause's event takes: the saying's or the deed's."""

import pytest

from timeline.dating import dates_saying
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
