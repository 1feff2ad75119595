"""Clause structure: a clause's subject and its main verb; verb forms."""

import time
from datetime import date

import pytest

from timeline.clauses import (
    appositive_apart,
    clause_spans,
    clause_verbs,
    dated_background,
    main_verb,
    reported_apart,
    speaker,
    split_background,
    subject_head,
    subject_phrase,
    without_fronted_where,
)
from timeline.temporal import find_mentions
from timeline.verbs import base_forms, ing_bases


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
     ("fires", "fire"), ("carries", "carry"), ("pushes", "push"), ("left", "leave"),
     ("taken", "take"), ("fallen", "fall")],
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


@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        # the saying a day after what it reports: the statement and the deed, apart
        ("WEDNESDAY — Poland's president said that the missile which hit a dryer on Tuesday "
         "afternoon was fired by air defences.",
         ["WEDNESDAY — Poland's president said",
          "the missile which hit a dryer on Tuesday afternoon was fired by air defences."]),
        ("The governor said this morning that missiles hit two blocks on Thursday.",
         ["The governor said this morning", "missiles hit two blocks on Thursday."]),
        # a claim up to the day it was made stays one clause (the curated file's advance)
        ("The General Staff said on Monday that its forces had liberated 20 villages in the "
         "past day.",
         ["The General Staff said on Monday that its forces had liberated 20 villages in the "
          "past day."]),
    ],
)  # fmt: skip
def test_reported_apart(sentence, parts):
    mentions = find_mentions(sentence, date(2022, 11, 16))
    spans = reported_apart(sentence, [(0, len(sentence))], mentions)
    assert [sentence[a:b] for a, b in spans] == parts


@pytest.mark.parametrize(
    ("sentence", "last"),
    [
        # the main clause resumes after a relative clause with its own subject
        ("In Kupyansk, which Russian forces abandoned yesterday, soldiers raised the flag.",
         "soldiers raised the flag."),
        # or with its verb
        ("Kherson, which Russia seized in March, came under shelling.", "came under shelling."),
    ],
)  # fmt: skip
def test_a_relative_clause_closes(sentence, last):
    spans = clause_spans(sentence, 0, len(sentence))
    assert sentence[slice(*spans[-1])] == last


@pytest.mark.parametrize(
    ("sentence", "first"),
    [
        # a date, then a "when" clause: the clause tells that day's event, apart
        ("Since 11 September, when power unit No. 6 was switched to cold shutdown, no reactor "
         "has produced electricity.", "Since 11 September"),
        ("On 4 March, when Russian troops stormed the plant, a fire broke out.", "On 4 March"),
        # a short fronted time before the main clause stays with it
        ("On Sunday, Zelensky said the army had advanced.",
         "On Sunday, Zelensky said the army had advanced."),
    ],
)  # fmt: skip
def test_a_when_clause_after_a_date_is_its_own(sentence, first):
    spans = clause_spans(sentence, 0, len(sentence))
    assert sentence[slice(*spans[0])] == first


@pytest.mark.parametrize(
    ("clause", "main"),
    [
        # a clause that is an "after" phrase tells its own event
        ("a day after Russia's new commander called the situation there tense",
         "Russia's new commander called the situation there tense"),
        ("two days after the governor ordered an evacuation", "the governor ordered an "
         "evacuation"),
        # else what comes before "after" is the event
        ("Missiles hit Kyiv after the bridge blast", "Missiles hit Kyiv"),
        ("Residents fled two days after the shelling began", "Residents fled two days"),
    ],
)  # fmt: skip
def test_split_background(clause, main):
    assert split_background(clause)[0] == main


@pytest.mark.parametrize(
    ("clause", "subject"),
    [
        ("The plant, the largest nuclear power station in Europe, has been under control",
         "The plant"),
        ("The Kakhovka dam was shelled again", "The Kakhovka dam"),
        # no name to use: a pronoun, or a long description
        ("It has been under Russian control since March", ""),
        ("The only working crossing between the two banks of the river was closed", ""),
    ],
)  # fmt: skip
def test_subject_phrase(clause, subject):
    assert subject_phrase(clause) == subject


@pytest.mark.parametrize(
    ("sentence", "who"),
    [
        ("Kharkiv regional governor Oleg Synegubov said on Tuesday that troops had entered "
         "Balakliia.", "Kharkiv regional governor Oleg Synegubov"),
        ("Ukraine's air force said it shot down 70 of the 84 missiles.", "Ukraine's air force"),
        ("At least 19 people were killed, the air force said.", "the air force"),
        ("On Monday, officials said 11 people died.", "officials"),
        ("The governor, Oleg Synegubov, said five people were hurt.",
         "The governor, Oleg Synegubov"),
        ("Ukraine’s army chief, General Valerii Zaluzhnyy, said its forces had retaken land.",
         "Ukraine’s army chief, General Valerii Zaluzhnyy"),
        ("About 80 missiles were fired, according to the Ukrainian military.",
         "the Ukrainian military"),
        ("Troops entered the town and the mayor said three people died.", "the mayor"),
        ("Russian forces had retaken 500 km2, the ministry reported on Friday.", "the ministry"),
        ("Kyiv said on Monday that it had liberated 20 settlements.", "Kyiv"),
        # when or how it was said, before the speaker without a comma, is not who said it
        ("On 10 October Moscow said 3 of its soldiers were killed.", "Moscow"),
        ("In a statement on 11 October the ministry said 5 people were hurt.", "the ministry"),
        ("Late on Sunday Zelensky said 3 drones were downed.", "Zelensky"),
        # a pronoun's speaker is in another sentence; no saying, no speaker
        ("He said 40 settlements were retaken.", ""),
        ("Russian troops shelled the city overnight.", ""),
        # a clause before the verb is not a name
        ("Russian troops left the city said nothing.", ""),
    ],
)  # fmt: skip
def test_the_speaker_of_a_sentence_is_who_it_says_claims_it(sentence, who):
    assert speaker(sentence) == who


@pytest.mark.parametrize(
    ("clause", "verbs", "not_verbs"),
    [
        # a participle after "the" or "of" is an adjective, not a verb of the clause
        ("Zelensky visited the liberated city", {"visit"}, {"liberate"}),
        ("Zelensky visits liberated Kherson", {"visit"}, set()),
        ("engineers had begun reconnecting the reactors", {"begin", "reconnect"}, set()),
        ("Russian strikes on the grid", set(), {"strike"}),  # a nationality and a noun
        ("Kyiv without power", set(), set()),
    ],
)  # fmt: skip
def test_clause_verbs(clause, verbs, not_verbs):
    found = clause_verbs(clause)
    assert verbs <= found
    assert not found & not_verbs
    assert bool(found) is bool(verbs)


@pytest.mark.parametrize(
    ("word", "base"),
    [("reconnecting", "reconnect"), ("restoring", "restore"), ("stopping", "stop"),
     ("shelling", "shell"), ("strikes", None), ("king", None)],
)  # fmt: skip
def test_ing_bases(word, base):
    bases = ing_bases(word)
    assert (base in bases) if base else bases == ()


# A participle phrase with a date of its own between a subject and its dated verb: three
# parts when the phrase tells a deed (here: any phrase but an election), else one.
@pytest.mark.parametrize(
    ("sentence", "parts"),
    [
        ("The refinery, shelled by Russian artillery on 2 October, resumed work on Friday.",
         ["The refinery", "shelled by Russian artillery on 2 October", "resumed work on Friday."]),
        ("The substation in Lviv, hit by a drone on Saturday, was back in service on Monday.",
         ["The substation in Lviv", "hit by a drone on Saturday",
          "was back in service on Monday."]),
        # no date after the phrase: the phrase only describes the subject
        ("The refinery, shelled by Russian artillery on 2 October, is closed.",
         ["The refinery, shelled by Russian artillery on 2 October, is closed."]),
        # no deed
        ("The mayor, elected in 2020, resigned on Monday.",
         ["The mayor, elected in 2020, resigned on Monday."]),
    ],
)  # fmt: skip
def test_appositive_apart(sentence, parts):
    mentions = find_mentions(sentence, date(2022, 11, 16))
    spans = appositive_apart(
        sentence, [(0, len(sentence))], mentions, lambda phrase: "elected" not in phrase
    )
    assert [sentence[a:b] for a, b in spans] == parts


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        ("In Lviv, where two missiles struck, the lights went out",
         "In Lviv, the lights went out"),
        ("At the port, where a drone hit a crane at dawn, work stopped",
         "At the port, work stopped"),
        # not a relative clause about a fronted place
        ("Power is back in Kherson, where engineers worked", "Power is back in Kherson, where "
         "engineers worked"),
    ],
)  # fmt: skip
def test_without_fronted_where(text, rest):
    assert without_fronted_where(text) == rest


SPACED = [
    "Russian troops left the town two days after the bridge was blown up.",
    "Power came back in Kharkiv on Monday, but the metro stayed closed.",
    "Kyiv has had blackouts since they hit the plant on 10 October.",
    "Missiles struck Lviv on Tuesday — the third strike in a week.",
    "The governor said the shelling stopped and by noon repair crews were out.",
]


def clause_words(text: str) -> list[list[str]]:
    return [text[start:end].split() for start, end in clause_spans(text, 0, len(text))]


@pytest.mark.parametrize("sentence", SPACED)
@pytest.mark.parametrize(
    "space", ["  ", "\t", "\u00a0 ", "   \n "], ids=["two", "tab", "nbsp", "run"]
)
def test_clauses_split_alike_however_the_words_are_spaced(sentence, space):
    assert clause_words(sentence.replace(" ", space)) == clause_words(sentence)


@pytest.mark.slow
def test_a_long_run_of_spaces_splits_in_linear_time():
    # Each split that begins with spaces was tried from every space of a run: 10,000 spaces
    # after a clock time took 5.7 s.
    text = "At 10:30" + " " * 100_000 + "missiles struck Kyiv, but the power stayed on."
    started = time.perf_counter()
    spans = clause_spans(text, 0, len(text))
    assert time.perf_counter() - started < 1.0
    assert [text[a:b].split() for a, b in spans][-1] == ["but", "the", "power", "stayed", "on."]
