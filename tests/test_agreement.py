"""The two-reader agreement benchmark: its judge is the extractor's, and its data covers every
clause it names."""

import pytest

from benchmarks.agreement import agreement, judge, load_second_reader
from benchmarks.extraction import EventArticle, EventLabel, load_event_labels

NEW = EventLabel(
    article="a", clause="Russian missiles hit Lviv on Monday", start=0, end=35,
    date="2022-10-10", same_as=(), title=("missile|missiles", "hit|hits", "Lviv"),
    category="strike", story="energy-strikes", places=frozenset({"lviv"}),
)  # fmt: skip
KNOWN = EventLabel(
    article="a", clause="the barrage of 10 October", start=40, end=65, date="2022-10-10",
    same_as=("october-10-strikes", "energy-strikes-continue"),
)  # fmt: skip
AGREED = {"date": "2022-10-10", "same_as": None, "title": "Russian missiles hit Lviv",
          "category": "strike", "story": "energy-strikes", "places": ["lviv"]}  # fmt: skip


@pytest.mark.parametrize(
    ("label", "other", "wrong"),
    [
        (NEW, AGREED, []),
        (NEW, {**AGREED, "date": "2022-10-10 morning"}, []),  # the same day
        (NEW, {**AGREED, "date": "2022-10-09 .. 2022-10-10"}, ["date"]),
        (NEW, {**AGREED, "title": "Lviv is without power"}, ["title"]),
        (NEW, {**AGREED, "title": "Russian missiles hit Lviv…"}, ["title"]),
        (NEW, {**AGREED, "category": "infrastructure"}, ["category"]),
        (NEW, {**AGREED, "story": None}, ["story"]),
        (NEW, {**AGREED, "places": ["lviv", "ukraine"]}, ["places"]),
        (NEW, {"date": "2022-10-10", "same_as": "october-10-strikes"},
         ["same_as", "title", "category", "story", "places"]),
        (KNOWN, {"date": "2022-10-10", "same_as": "energy-strikes-continue"}, []),
        (KNOWN, {"date": "2022-10-10", "same_as": "november-15-strikes"}, ["same_as"]),
        (KNOWN, AGREED, ["same_as"]),  # a new event where the file holds it: only linking counts
    ],
    ids=["agreed", "part-of-day", "range", "title", "ellipsis", "category", "story", "places",
         "linked-not-new", "any-of-same-as", "other-event", "new-not-linked"],
)  # fmt: skip
def test_judge(label, other, wrong):
    assert [point for point, agreed in judge(label, other).items() if not agreed] == wrong


def test_agreement_counts_each_clause_once_and_lists_differences():
    article = EventArticle("a", "twelfth", None, "", None, (NEW, KNOWN))
    second = {"a": [{**AGREED, "clause": NEW.clause},
                    {"clause": KNOWN.clause, "date": "2022-10-11", "same_as": None}]}  # fmt: skip
    found = agreement([article], second)
    assert (found.labels, found.all_right) == (2, 1)
    assert found.judged == {"date": 2, "title": 1, "category": 1, "story": 1, "places": 1,
                            "same_as": 2}  # fmt: skip
    assert found.differences == ("a: 'the barrage of 10 October': date, same_as",)


def test_the_second_reader_labelled_every_clause_of_its_articles_and_nothing_else():
    second = load_second_reader()
    first = {article.name: article for article in load_event_labels()}
    assert second
    for name, labels in second.items():
        assert [label["clause"] for label in labels] == [e.clause for e in first[name].events]
