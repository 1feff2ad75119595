"""Places and actors named in a clause, and the places of a clause that names none."""

from datetime import date

import pytest

from tests.conftest import ROOT
from timeline.extract import Article, Gazetteer, article_candidates
from timeline.load import load_timeline


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_timeline(load_timeline(ROOT / "events.yaml"))


@pytest.mark.parametrize(
    ("sentence", "places", "actors"),
    [
        # a name that is a place and an actor: the agent after "by" is the actor
        ("the strikes were a response to attacks by Kyiv", (), ("ukraine-government",)),
        ("Russian missiles hit Kyiv", ("kyiv",), ()),
    ],
)
def test_find(gazetteer, sentence, places, actors):
    assert gazetteer.find(sentence) == (places, actors)


@pytest.mark.parametrize(
    ("text", "places"),
    [
        # a district the gazetteer lacks is in the city the article is about
        ("date 2022-11-18\nPower cuts: what Kyiv households need to know\n\nWater returned to "
         "taps in Desnianskyi district on Wednesday evening.", [("kyiv",)]),
        # a town it lacks is not
        ("date 2022-11-18\nPower cuts: what Kyiv households need to know\n\nWater returned to "
         "taps in Brovary on Wednesday evening.", [()]),
    ],
)  # fmt: skip
def test_places_of_a_clause_that_names_none(gazetteer, text, places):
    article = Article("a.txt", text, date.fromisoformat(text[5:15]), "dateline")
    assert [c.places for c in article_candidates(article, gazetteer)] == places
