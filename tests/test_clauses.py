"""Clause structure: a clause's subject and its main verb; verb forms."""

import pytest

from timeline.clauses import dated_background, main_verb, subject_head
from timeline.verbs import base_forms


@pytest.mark.parametrize(
    ("clause", "head"),
    [
        ("Water returned to taps in Desnianskyi district", "water"),
        ("On 13 September, water supply to about 8,000 residents of Izium was restored", "supply"),
        ("3. Humanitarian partners reached Balakliia on 14 September", "partners"),
        ("A strike on a dam cuts water to 80% of Kyiv homes", ""),  # no past verb, no auxiliary
        ("Returned after news of the advance", ""),  # no subject before the verb
    ],
)
def test_subject_head(clause, head):
    assert subject_head(clause) == head


VERBS = frozenset("strike fire leave say".split())


@pytest.mark.parametrize(
    ("clause", "found"),
    [
        ("Russian missiles struck a dam", ("strike", "missiles", " a dam")),
        ("Russia fires 84 missiles", ("fire", "russia", " 84 missiles")),
        ("Russian troops had already left the city", ("leave", "troops", " the city")),
        ("On Monday, Zelensky said nothing", ("say", "zelensky", " nothing")),
        # another verb first: the clause is about that one
        ("Engineers repaired the line that missiles struck", None),
        # a verb inside a relative clause is not the main verb
        ("A missile that struck a village was fired by air defences", None),
        # a plural noun after a determiner is not a present verb
        ("The strikes destroyed power stations", None),
    ],
)
def test_main_verb(clause, found):
    assert main_verb(clause, VERBS) == found


@pytest.mark.parametrize(
    ("word", "base"),
    [("struck", "strike"), ("retook", "retake"), ("seized", "seize"), ("stopped", "stop"),
     ("fires", "fire"), ("carries", "carry"), ("pushes", "push"), ("left", "leave")],
)  # fmt: skip
def test_base_forms(word, base):
    assert base in base_forms(word)


@pytest.mark.parametrize(
    ("clause", "dates", "parts"),
    [
        # a date in each part: the "after …" phrase is its own clause
        ("Power was restored on Monday after the strike on 11 September", ("Monday", "11 Sep"),
         ["Power was restored on Monday", "after the strike on 11 September"]),
        # one date: the phrase stays (it only breaks ties)
        ("Power was restored on Monday after the strike", ("Monday",),
         ["Power was restored on Monday after the strike"]),
        # an "after" with its own subject and verb is split elsewhere, not here
        ("Drones hit Kyiv on Monday after Russia said on Sunday", ("Monday", "Sunday"),
         ["Drones hit Kyiv on Monday after Russia said on Sunday"]),
    ],
)  # fmt: skip
def test_dated_background_splits_an_after_phrase_with_its_own_date(clause, dates, parts):
    starts = [clause.index(word) for word in dates]
    assert [clause[a:b] for a, b in dated_background(clause, [(0, len(clause))], starts)] == parts
