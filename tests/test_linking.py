"""`same_as`: which event of the file a candidate reports, and which it does not."""

from datetime import date

import pytest

from tests.conftest import ROOT
from timeline.extract import Article, Gazetteer, article_candidates, same_as
from timeline.load import load_timeline


@pytest.fixture(scope="module")
def timeline():
    return load_timeline(ROOT / "events.yaml")


def links(timeline, text: str) -> list[str | None]:
    article = Article("a.txt", text, date.fromisoformat(text[5:15]), "dateline")
    candidates = article_candidates(article, Gazetteer.from_timeline(timeline))
    return [same_as(candidate, timeline) for candidate in candidates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a day later at another place is another event, however alike the words
        ("date 2022-10-14\nOn 10 October, Russia launched 84 cruise missiles across Ukraine. A day "
         "later, on 11 October, Russian missiles struck energy facilities in Lviv.",
         ["october-10-strikes", None]),
        # the same kind of event at a place the event holds, on exactly its days
        ("date 2022-10-14\nOn 10 October, a missile hit a children's playground in central Kyiv.",
         ["october-10-strikes"]),
        # what someone says a day later is not a casualty report of the day before
        ("date 2022-11-18\nKyiv's mayor, Vitali Klitschko, said on Wednesday that about 430 "
         "heating points would open across the city.", [None]),
        # … nor what a spokesman says of the strikes the strikes themselves
        ("date 2022-10-14\nIn a briefing on 10 October, Igor Konashenkov said the strikes had hit "
         "military targets.", [None]),
        # an announcement of what the speaker's own side does is that deed
        ("date 2022-11-14\nRussia announced on November 9 that its troops would leave Kherson.",
         ["russia-withdraws-from-kherson"]),
    ],
)  # fmt: skip
def test_same_as(timeline, text, expected):
    assert links(timeline, text) == expected
