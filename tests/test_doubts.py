"""The vocabulary of extraction doubts: codes in a declared order, and the notes line."""

from __future__ import annotations

import pytest

from timeline.doubts import DOUBTS, UnknownDoubt, doubt_words, doubts, notes_line


def test_the_vocabulary_has_one_entry_a_code_and_words_the_notes_line_can_hold():
    codes = [code for code, _ in DOUBTS]
    assert len(codes) == len(set(codes))
    assert all(";" not in words and not words.endswith(".") for _, words in DOUBTS)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ((), ()),
        (("places-previous", "category-keywords"), ("category-keywords", "places-previous")),
        (("link-weak", "date-range", "link-weak"), ("date-range", "link-weak")),
    ],
)
def test_codes_come_once_each_in_the_vocabularys_order(given, expected):
    assert doubts(given) == expected


def test_an_undeclared_code_is_refused():
    with pytest.raises(UnknownDoubt, match=r"^doubt 'date-guessed' is not one of date-inherited, "):
        doubts(["date-guessed", "date-range"])


@pytest.mark.parametrize(
    ("codes", "line"),
    [
        ((), ""),
        (("category-keywords",), "Extraction doubts: category from keywords, not the verb"),
        (
            ("places-previous", "category-keywords"),
            "Extraction doubts: category from keywords, not the verb; places from the "
            "previous sentence",
        ),
    ],
)
def test_the_notes_line(codes, line):
    assert notes_line(codes) == line


def test_words_are_what_the_reviewer_reads():
    assert doubt_words(["title-pronoun", "date-inherited"]) == [
        "date from another sentence",
        "title's subject is a pronoun",
    ]
