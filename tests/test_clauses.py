"""Clause structure: a clause's subject and its main verb; verb forms."""

import pytest

from timeline.clauses import main_verb, subject_head
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
