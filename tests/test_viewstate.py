"""The dashboard's state and the values its views show, without Streamlit.

Expected values are read off tests/data/small/events.yaml by hand: five events, in the
frame's (chronological) order
  counteroffensive-begins  ~2022-09 early (1-10 Sep)  counteroffensive        advance         a, b
  power-restored           2022-W36 (5-11 Sep)        strikes                 infrastructure  b, a
  izium-retaken            10-11 Sep, Izium           counteroffensive        advance         a, b
  kharkiv-strikes          11 Sep night, Kharkiv      counteroffensive, strikes  strike       a
  settlements-reclaimed    12 Sep                     counteroffensive        advance         a
and two stories: counteroffensive (2022-09-06 .. 2022-10 early) and strikes (2022-09-11 ..
2022-11).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from tests.conftest import SMALL, copy_small
from timeline.errors import Problem, Severity
from timeline.load import load_timeline, refused
from timeline.model import Figure, Timeline
from timeline.query import (
    Filters,
    busiest_story,
    claims_frame,
    claims_of,
    date_span,
    events_frame,
    place_pairs,
)
from timeline.schema import EVENT, Field, Kind, Record
from timeline.viewstate import (
    ALL_EVENTS,
    EventSummary,
    FormErrors,
    ViewState,
    actor_names,
    already_added,
    block_fields,
    chart_window,
    claim_words,
    clicked_days,
    counts_line,
    cut,
    default_measures,
    event_summary,
    figure_rows,
    first_point_id,
    focus_window,
    form_errors,
    form_event,
    form_more_fields,
    form_value,
    full_window,
    keep_in_view,
    kept_selection,
    opening_event,
    opening_view,
    picked_window,
    plot_width_px,
    position_words,
    preset_window,
    reading_event,
    step,
    stories_in_window,
    story_bands,
    story_by_title,
    story_filters,
    story_presets,
    worth_keeping,
)
from timeline.write import event_block


def sep(day: int) -> date:
    return date(2022, 9, day)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ViewState()),
        ({"story": "strikes"}, ViewState(story="strikes")),
        ({"story": "kherson"}, ViewState()),
        (
            {"categories": "strike,withdrawl", "actors": "russian-armed-forces,nobody",
             "places": "atlantis,izium", "sources": "b,z", "origins": "extracted,invented"},
            ViewState(Filters(categories=("strike",), actors=("russian-armed-forces",),
                              places=("izium",), sources=("b",), origins=("extracted",))),
        ),
        ({"start": "2022-09-10", "end": "2022-02-30"}, ViewState(Filters(start=sep(10)))),
        ({"stories": "strikes,kherson"}, ViewState(Filters(stories=("strikes",)))),
        ({"text": "Izium"}, ViewState(Filters(text="Izium"))),
        ({"lane": "actor"}, ViewState(lane="actor")),
        ({"lane": "weather"}, ViewState()),
        ({"event": "izium-retaken"}, ViewState(selected="izium-retaken")),
        ({"event": "gone-event"}, ViewState()),
        ({"view": "map"}, ViewState(view="Map")),
        ({"view": "add"}, ViewState(view="Add an event")),
        ({"view": "review"}, ViewState(view="Review")),
        ({"view": "nowhere"}, ViewState()),
        ({"rejected": "1"}, ViewState(Filters(rejected=True))),
        ({"story": "strikes", "others": "1"}, ViewState(story="strikes", others=True)),
        ({"others": "true"}, ViewState(others=True)),
        ({"others": "0"}, ViewState()),
    ],
)  # fmt: skip
def test_from_params_keeps_what_the_timeline_knows(small, params, expected):
    assert ViewState.from_params(params, small) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (ViewState(), {}),
        (ViewState(view="Event", lane="category"), {}),
        (ViewState(view="Charts"), {"view": "charts"}),
        (ViewState(view="Add an event"), {"view": "add"}),
        (ViewState(story="strikes", others=True), {"story": "strikes", "others": "1"}),
        (
            ViewState(Filters(start=sep(6), end=sep(12), categories=("strike", "advance"),
                              text="power"),
                      story="strikes", lane="source", selected="kharkiv-strikes", view="Table"),
            {"start": "2022-09-06", "end": "2022-09-12", "categories": "strike,advance",
             "text": "power", "view": "table", "story": "strikes", "lane": "source",
             "event": "kharkiv-strikes"},
        ),
    ],
)  # fmt: skip
def test_to_params_names_only_what_differs_from_a_fresh_view(state, expected):
    assert state.to_params() == expected


def test_to_params_puts_the_filters_first():
    state = ViewState(Filters(text="x"), story="strikes", view="Map")
    assert list(state.to_params()) == ["text", "view", "story"]


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(story="counteroffensive", view="Map"),
        ViewState(Filters(start=sep(10), end=sep(11), places=("izium", "kharkiv")),
                  lane="actor", selected="power-restored", view="Add an event"),
        ViewState(Filters(stories=("strikes",)), story="counteroffensive"),
        ViewState(story="counteroffensive", others=True, selected="izium-retaken"),
        ViewState(Filters(rejected=True), view="Review"),
        ViewState(Filters(actors=("ukraine-armed-forces",), sources=("a",),
                          origins=("curated", "extracted"), text="retake")),
    ],
)  # fmt: skip
def test_a_link_restores_the_view_it_was_made_from(small, state):
    assert ViewState.from_params(state.to_params(), small) == state


@pytest.mark.parametrize(
    ("params", "story"),
    [
        ({}, "counteroffensive"),  # 4 of the 5 events; strikes has 2
        ({"story": "strikes"}, "strikes"),
        ({"text": "izium"}, None),  # a link without a story shows all events
        ({"utm_source": "mail"}, None),
    ],
)
def test_a_bare_address_opens_on_the_busiest_story(small, frame, params, story):
    assert opening_view(params, small, frame).story == story


def test_an_empty_file_opens_on_all_events(small, frame):
    assert opening_view({}, small, frame.iloc[:0]) == ViewState()


@pytest.mark.parametrize(
    ("stories", "busiest"),
    [
        ([["b"], ["a"], ["a", "b"]], "b"),  # a tie: the story seen first
        ([["b"], ["a"], ["a"]], "a"),
        ([[], []], None),
        ([], None),
    ],
)
def test_busiest_story(stories, busiest):
    assert busiest_story(pd.DataFrame({"stories": pd.Series(stories, dtype=object)})) == busiest


def test_story_presets_list_all_events_then_the_stories(small):
    assert story_presets(small) == [ALL_EVENTS, "September counteroffensive", "Strikes"]


@pytest.mark.parametrize(
    ("title", "story_id"),
    [("Strikes", "strikes"), ("September counteroffensive", "counteroffensive"),
     (ALL_EVENTS, None), ("strikes", None), (None, None)],
)  # fmt: skip
def test_story_by_title(small, title, story_id):
    story = story_by_title(small, title)
    assert (story.id if story else None) == story_id


@pytest.mark.parametrize(
    ("story_id", "window"),
    [
        # Its events start 1 Sep, but the story only on 6 Sep; the last one is on 12 Sep.
        ("counteroffensive", (sep(6), sep(12))),
        # power-restored's week ends 11 Sep, the day the story starts and kharkiv-strikes is.
        ("strikes", (sep(11), sep(11))),
        (None, (sep(1), sep(12))),  # all events: the data's whole span
    ],
)
def test_a_preset_sets_the_window(small, frame, story_id, window):
    story = small.stories[story_id] if story_id else None
    assert preset_window(frame, story) == window


def test_date_span(frame):
    assert date_span(frame) == (sep(1), sep(12))
    assert date_span(frame.iloc[:0]) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, (None, None)), ((), (None, None)), ((sep(3),), (sep(3), None)),
     ((sep(3), sep(9)), (sep(3), sep(9)))],
)  # fmt: skip
def test_picked_window_while_the_user_picks(value, expected):
    assert picked_window(value) == expected


@pytest.mark.parametrize(
    ("filters", "window"),
    [(Filters(), None), (Filters(start=sep(3)), None), (Filters(end=sep(3)), None),
     (Filters(start=sep(3), end=sep(9)), (sep(3), sep(9)))],
)  # fmt: skip
def test_full_window_needs_both_ends(filters, window):
    assert full_window(filters) == window


@pytest.mark.parametrize(
    ("window", "story_ids"),
    [
        (None, ["counteroffensive", "strikes"]),
        ((sep(1), sep(5)), []),
        ((sep(1), sep(6)), ["counteroffensive"]),
        ((sep(11), sep(11)), ["counteroffensive", "strikes"]),
        ((date(2022, 10, 10), date(2022, 10, 10)), ["counteroffensive", "strikes"]),
        ((date(2022, 10, 11), date(2022, 12, 1)), ["strikes"]),
        ((date(2022, 12, 1), date(2022, 12, 31)), []),
    ],
)
def test_stories_in_window(small, window, story_ids):
    found = stories_in_window(small.stories.values(), window)
    assert [story.id for story in found] == story_ids


@pytest.mark.parametrize(
    ("ids", "total", "line"),
    [
        (None, 5, "**5 of 5 events** · 2 sources · 2 places"),
        (["kharkiv-strikes"], 5, "**1 of 5 events** · 1 source · 1 place"),
        (["counteroffensive-begins", "power-restored"], 5,
         "**2 of 5 events** · 2 sources · 0 places"),
        ([], 5, "**0 of 5 events** · 0 sources · 0 places"),
        (None, 12345, "**5 of 12,345 events** · 2 sources · 2 places"),
        (["kharkiv-strikes"], 1, "**1 of 1 event** · 1 source · 1 place"),
    ],
)  # fmt: skip
def test_counts_line(frame, ids, total, line):
    shown = frame if ids is None else frame[frame["id"].isin(ids)]
    assert counts_line(shown, total) == line


def test_actor_names(small):
    assert actor_names(small) == {
        "ukraine-armed-forces": "Armed Forces of Ukraine",
        "russian-armed-forces": "Russian Armed Forces",
    }


@pytest.mark.parametrize(
    ("points", "clicked"),
    [
        ([], None),
        ([{"customdata": ["izium-retaken", "x"]}], "izium-retaken"),
        ([{"customdata": ["izium"]}, {"customdata": ["kharkiv"]}], "izium"),
        ([{"x": 3, "y": 1}], None),  # a click on a story band carries no id
        ([{"customdata": []}], None),
        ([{"customdata": None}], None),
    ],
)
def test_first_point_id(points, clicked):
    assert first_point_id(points) == clicked


@pytest.mark.parametrize(
    ("points", "days"),
    [
        ([], None),
        ([{"customdata": ["izium-retaken", "Izium", "10 September 2022", "day", "Kharkiv"]}],
         None),  # an event
        ([{"customdata": ["izium-retaken", "3 events", "10–11 September 2022", "cluster", "·",
                          "2022-09-10", "2022-09-11"]}], (date(2022, 9, 10), date(2022, 9, 11))),
        ([{"x": 3, "y": 1}], None),  # a story band
        ([{"customdata": None}], None),
    ],
)  # fmt: skip
def test_clicked_days_are_a_count_boxs_days(points, days):
    assert clicked_days(points) == days


def test_place_pairs_once_per_place_of_each_event(frame):
    assert place_pairs(frame) == [("izium", "advance"), ("kharkiv", "strike")]
    assert place_pairs(frame.iloc[:0]) == []


@pytest.mark.parametrize(
    ("ids", "claimed"),
    [
        (None, ["counteroffensive-begins", "counteroffensive-begins", "settlements-reclaimed"]),
        (["settlements-reclaimed", "izium-retaken"], ["settlements-reclaimed"]),
        (["izium-retaken"], []),
    ],
)
def test_claims_of_the_events_shown(small, frame, ids, claimed):
    shown = frame if ids is None else frame[frame["id"].isin(ids)]
    assert claims_of(claims_frame(small), shown)["event_id"].tolist() == claimed


@pytest.mark.parametrize(
    ("measures", "opened"),
    [
        (["missiles-fired", "settlements-retaken", "territory-retaken"],
         ["territory-retaken", "missiles-fired"]),
        (["missiles-shot-down", "missiles-fired"], ["missiles-fired", "missiles-shot-down"]),
        (["casualties", "settlements-retaken"], ["casualties"]),
        ([], []),
    ],
)  # fmt: skip
def test_default_measures(measures, opened):
    assert default_measures(measures) == opened


def figure(value: float, unit: str, qualifier: str | None = None) -> Figure:
    return Figure("territory-retaken", value, unit, "army chief", "a", qualifier)


@pytest.mark.parametrize(
    ("claimed", "words"),
    [
        (figure(3000, "km2"), "3,000 km²"),
        (figure(1160, "sq-mi", "about"), "about 1,160 sq mi"),
        (figure(2.5, "km", "more-than"), "more than 2.5 km"),
        (figure(40.0, "settlements", "up-to"), "up to 40 settlements"),
        (figure(1, "people", "at-least"), "at least 1 person"),
        (figure(2, "people", "exactly"), "exactly 2 people"),
        (figure(1, "settlements"), "1 settlement"),
        (figure(1, "cities"), "1 city"),
        (figure(1, "facilities"), "1 facility"),
        (figure(1, "km"), "1 km"),
        (figure(1_000_000, "people", "more-than"), "more than 1,000,000 people"),
        (figure(12_500_000.0, "people"), "12,500,000 people"),
        (figure(0.25, "km"), "0.25 km"),
        (figure(40, "percent"), "40%"),
        (figure(3, "ratio-to-one"), "3 to 1"),
    ],
)
def test_claim_words(claimed, words):
    assert claim_words(claimed) == words


def test_figure_rows_mark_measures_the_claims_disagree_on(small):
    begins, settlements = small.events_with_ids(
        ["counteroffensive-begins", "settlements-reclaimed"]
    )
    assert figure_rows(begins, small) == [
        {"measure": "territory-retaken", "claim": "3,000 km²", "claimed by": "army chief",
         "reported by": "Outlet A", "disputed": "yes"},
        {"measure": "territory-retaken", "claim": "about 1,160 sq mi", "claimed by": "Ukraine",
         "reported by": "Outlet B", "disputed": "yes"},
    ]  # fmt: skip
    assert figure_rows(settlements, small) == [
        {"measure": "settlements-retaken", "claim": "more than 40 settlements",
         "claimed by": "the governor", "reported by": "Outlet A", "disputed": ""},
    ]  # fmt: skip


FORM = {
    "title": "  Power returns to Kharkiv ", "event_id": "", "when": " 2022-09-12 morning ",
    "category": "infrastructure", "status": "reported", "stories": ["strikes"], "actors": [],
    "places": ["kharkiv"], "source": "a", "quote": " caused power cuts in Kharkiv",
    "quoted": "  ", "notes": "",
}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "existing", "expected"),
    [
        (
            {}, [],
            {"id": "power-returns-to-kharkiv", "title": "Power returns to Kharkiv",
             "date": "2022-09-12 morning", "stories": ["strikes"], "category": "infrastructure",
             "actors": None, "places": ["kharkiv"],
             "sources": [{"source": "a", "quote": " caused power cuts in Kharkiv",
                          "quoted": None}],
             "status": "reported", "notes": None},
        ),
        (
            {"event_id": " power-back ", "actors": ["ukraine-armed-forces"], "places": [],
             "quoted": " the mayor ", "notes": " Partly. ", "status": "confirmed"},
            ["power-back"],
            {"id": "power-back", "title": "Power returns to Kharkiv",
             "date": "2022-09-12 morning", "stories": ["strikes"], "category": "infrastructure",
             "actors": ["ukraine-armed-forces"], "places": None,
             "sources": [{"source": "a", "quote": " caused power cuts in Kharkiv",
                          "quoted": "the mayor"}],
             "status": "confirmed", "notes": "Partly."},
        ),
        # Required fields left empty are written empty, so the validator reports each at its
        # line; no story is no stories field (an empty list is an error).
        (
            {"category": None, "source": None, "stories": [], "places": []}, [],
            {"id": "power-returns-to-kharkiv", "title": "Power returns to Kharkiv",
             "date": "2022-09-12 morning", "stories": None, "category": "",
             "actors": None, "places": None,
             "sources": [{"source": "", "quote": " caused power cuts in Kharkiv",
                          "quoted": None}],
             "status": "reported", "notes": None},
        ),
    ],
)  # fmt: skip
def test_form_event(changes, existing, expected):
    assert form_event(**{**FORM, **changes}, existing_ids=existing) == expected


# EVENT with fields the form does not lay out itself, as a schema edit would add them.
EXTENDED = Record(EVENT.name, EVENT.title, EVENT.description, (
    *EVENT.fields,
    Field("reviewed_on", Kind.DATE, "When the entry was last revised."),
    Field("tags", Kind.TEXTS, "Words to find it by."),
    Field("confidence", Kind.NUMBER, "How sure the editor is, 0 to 1.", low=0, high=1),
    Field("reviewer", Kind.REF, "Id of the actor who reviewed it.", section="actors"),
    Field("corrections", Kind.RECORDS, "Nested records.", record="citation"),
))  # fmt: skip


def test_a_field_the_schema_gains_is_offered_by_the_form(monkeypatch):
    offered = [spec.name for spec in form_more_fields()]
    monkeypatch.setattr("timeline.viewstate.EVENT", EXTENDED)
    names = [spec.name for spec in form_more_fields()][len(offered) :]
    assert names == ["reviewed_on", "tags", "confidence", "reviewer"], "nested records are left out"
    more = {"reviewed_on": " 2022-11-20 ", "tags": "grid\n\n blackout ", "confidence": "0.5"}
    event = form_event(**FORM, existing_ids=[], more=more)
    assert {name: event[name] for name in names if name in event} == {
        "reviewed_on": "2022-11-20", "tags": ["grid", "blackout"], "confidence": 0.5,
    }, "an empty field is left out, as the writer would"  # fmt: skip


def test_the_errors_of_a_field_the_schema_gains_go_under_it(monkeypatch):
    monkeypatch.setattr("timeline.viewstate.EVENT", EXTENDED)
    more = {"confidence": "2", "tags": "grid\nblackout"}
    block = event_block(
        form_event(**{**FORM, "event_id": "power-back"}, existing_ids=[], more=more)
    )
    lines = block.splitlines()
    confidence = lines.index("    confidence: 2") + 1
    tags = lines.index("    tags:") + 1
    problems = [
        problem(NEW, confidence, "confidence: 2 is out of range (expected 0 to 1)"),
        problem(NEW, tags + 2, "tags: second tag"),
    ]
    assert form_errors(problems, block, "events.yaml") == FormErrors(
        by_field={
            "confidence": ["confidence: 2 is out of range (expected 0 to 1)"],
            "tags": ["tags: second tag"],
        },
        general=[],
    )


def test_a_required_field_the_schema_gains_left_empty_is_written_empty(monkeypatch):
    required = Field("verified_by", Kind.TEXT, "Who checked it.", True)
    extended = Record(EVENT.name, EVENT.title, EVENT.description, (*EVENT.fields, required))
    monkeypatch.setattr("timeline.viewstate.EVENT", extended)
    assert form_event(**FORM, existing_ids=[], more={})["verified_by"] == "", (
        "written empty, so that the validator reports it at its line, under its field"
    )


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        (Kind.TEXT, "  a note ", "a note"),
        (Kind.TEXT, "   ", None),
        (Kind.DATE, "", None),
        (Kind.TEXTS, "one\n  two  \n\n", ["one", "two"]),
        (Kind.TEXTS, "\n", None),
        (Kind.REFS, ["kyiv"], ["kyiv"]),
        (Kind.REFS, [], None),
        (Kind.REF, None, None),
        (Kind.NUMBER, "3", 3),
        (Kind.NUMBER, " 2.5 ", 2.5),
        (Kind.NUMBER, "3.0", 3.0),
        (Kind.NUMBER, "1e3", 1000),
        # not a number: passed on for the validator to say so at the field
        (Kind.NUMBER, "three", "three"),
        (Kind.NUMBER, "nan", "nan"),
        (Kind.NUMBER, "-inf", "-inf"),
    ],
)
def test_form_value(kind, value, expected):
    got = form_value(Field("x", kind, "x"), value)
    assert got == expected
    assert type(got) is type(expected)


@pytest.mark.parametrize(
    ("existing", "made_id"),
    [
        ([], "power-returns-to-kharkiv"),
        (["power-returns-to-kharkiv"], "power-returns-to-kharkiv-2"),
        (["power-returns-to-kharkiv", "power-returns-to-kharkiv-2"], "power-returns-to-kharkiv-3"),
    ],
)
def test_an_empty_id_is_made_from_the_title_unique_in_the_file(existing, made_id):
    assert form_event(**FORM, existing_ids=iter(existing))["id"] == made_id


def test_an_id_made_from_a_title_keeps_its_words_whole_and_unique():
    made = form_event(**{**FORM, "title": "Ukraine's army retakes Kupiansk"},
                      existing_ids=["ukraines-army-retakes-kupiansk"])  # fmt: skip
    assert made["id"] == "ukraines-army-retakes-kupiansk-2"


def added(frame, **changes) -> str | None:
    """already_added for a form event repeating the small file's 'kharkiv-strikes' (title
    'Missile strikes cut power in Kharkiv', 11 Sep night, source a), with changes."""
    event = {"id": "new", "title": "Missile strikes cut power in Kharkiv",
             "date": "2022-09-11 night", "sources": [{"source": "a", "quote": "x"}]}  # fmt: skip
    return already_added(frame, {**event, **changes})


@pytest.mark.parametrize(
    ("changes", "found"),
    [
        ({}, "kharkiv-strikes"),
        ({"title": "  missile strikes cut  power in KHARKIV "}, "kharkiv-strikes"),
        # The same date written otherwise ("2022-09-10 .. 2022-09-11" is izium-retaken's).
        ({"title": "Ukrainian forces retake Izium", "date": "2022-09-10..2022-09-11",
          "sources": [{"source": "b", "quote": "y"}]}, "izium-retaken"),
        ({"id": "another-id"}, "kharkiv-strikes"),
        ({"title": "Missile strikes cut power in Kharkiv again"}, None),
        ({"date": "2022-09-12"}, None),
        ({"sources": [{"source": "b", "quote": "x"}]}, None),
        ({"date": "2022-02-30"}, None),  # not a date: the validator says so
        ({"title": ""}, None),
    ],
)  # fmt: skip
def test_a_second_submission_of_an_event_in_the_file_is_found(frame, changes, found):
    assert added(frame, **changes) == found


def test_nothing_is_already_added_to_an_empty_file():
    assert added(events_frame(Timeline(path="events.yaml"))) is None


def test_block_fields_name_the_form_field_of_every_line():
    block = (
        "  - id: power-back\n"
        "    title: Power returns\n"
        "    date: 2022-09-12\n"
        "    stories:\n"
        "      - strikes\n"
        '    category: ""\n'
        "    places:\n"
        "      - kharkiv\n"
        "      - izium\n"
        "    sources:\n"
        "      - source: a\n"
        "        quote: caused power cuts\n"
        "        quoted: the mayor\n"
        "    status: reported\n"
        "    notes: Partly.\n"
    )
    assert block_fields(block) == {
        1: "id", 2: "title", 3: "date", 4: "stories", 5: "stories", 6: "category",
        7: "places", 8: "places", 9: "places", 10: "source", 11: "source", 12: "quote",
        13: "quoted", 14: "status", 15: "notes",
    }  # fmt: skip


def test_block_fields_of_a_block_that_does_not_parse():
    assert block_fields("  - id: [\n") == {}


NEW = "events.yaml (new event #1 'power-back')"


def problem(file: str, line: int, message: str, severity=Severity.ERROR) -> Problem:
    return Problem(file, line, 5, severity, message, "event 'power-back'")


def test_form_errors_go_under_the_fields_their_lines_hold():
    block = event_block(form_event(**{**FORM, "event_id": "power-back"}, existing_ids=[]))
    problems = [
        problem(NEW, 3, "date '2022-02-30' is not a real day"),
        problem(NEW, 5, "unknown story 'strikes'"),
        problem(NEW, 11, "quote not found verbatim in source 'a'"),
        problem(NEW, 11, "second problem of the quote"),
        problem(NEW, 2, "title: a warning, not shown", Severity.WARNING),
        problem(NEW, 40, "past the block's end"),
        problem("events.yaml", 3, "the file's own error"),
    ]
    assert form_errors(problems, block, "events.yaml") == FormErrors(
        by_field={
            "date": ["date '2022-02-30' is not a real day"],
            "stories": ["unknown story 'strikes'"],
            "quote": ["quote not found verbatim in source 'a'", "second problem of the quote"],
        },
        general=[
            f"{NEW}:40:5: error: event 'power-back': past the block's end",
            "events.yaml:3:5: error: event 'power-back': the file's own error",
        ],
    )
    assert form_errors(problems, block, "events.yaml").count == 6


@pytest.mark.parametrize("field", ["category", "source"])
def test_a_choice_left_empty_says_to_choose_one(field):
    block = event_block(form_event(**{**FORM, field: None}, existing_ids=[]))
    line = next(number for number, name in block_fields(block).items() if name == field)
    message = f"{field}: expected text, found an empty string"
    errors = form_errors([problem(NEW, line, message)], block, "events.yaml")
    assert errors.by_field == {field: [f"choose a {field}: it is required"]}


def test_the_form_event_is_written_in_the_files_field_order():
    event = form_event(**{**FORM, "quote": "caused power cuts in Kharkiv"}, existing_ids=[])
    assert event_block(event) == (
        "  - id: power-returns-to-kharkiv\n"
        "    title: Power returns to Kharkiv\n"
        "    date: 2022-09-12 morning\n"
        "    stories:\n"
        "      - strikes\n"
        "    category: infrastructure\n"
        "    places:\n"
        "      - kharkiv\n"
        "    sources:\n"
        "      - source: a\n"
        "        quote: caused power cuts in Kharkiv\n"
        "    status: reported\n"
    )


@pytest.mark.parametrize(
    ("timeline", "kept"),
    [
        (load_timeline(SMALL / "events.yaml"), True),
        (Timeline(path="events.yaml"), True),  # valid, if empty: e.g. a new file
        (refused("events.yaml", "cannot read the file: No such file or directory", 0, 0), False),
    ],
    ids=["valid", "valid-and-empty", "unreadable"],
)
def test_worth_keeping(timeline, kept):
    assert worth_keeping(timeline) is kept


def test_a_file_with_errors_is_kept_while_some_events_are_valid(tmp_path):
    broken = copy_small(tmp_path)
    broken.write_bytes(broken.read_bytes().replace(b"date: 2022-W36", b"date: 2022-W99"))
    one_bad = load_timeline(broken)
    assert (len(one_bad.errors), len(one_bad.events)) == (1, 4)
    assert worth_keeping(one_bad)
    broken.write_text("events:\n  - id: Bad Id\n")
    assert not worth_keeping(load_timeline(broken))


@pytest.mark.parametrize(
    ("story", "others", "stories"),
    [(None, False, ()), (None, True, ()), ("strikes", False, ("strikes",)), ("strikes", True, ())],
)  # fmt: skip
def test_a_story_shows_its_own_events_unless_others_are_asked_for(story, others, stories):
    filters = Filters(start=sep(6), end=sep(12), text="power")
    assert story_filters(filters, story, others) == Filters(
        start=sep(6), end=sep(12), stories=stories, text="power"
    )


@pytest.mark.parametrize(
    ("story", "others", "window", "bands"),
    [
        ("strikes", False, (sep(1), sep(30)), ["strikes"]),
        ("strikes", True, (sep(1), sep(30)), ["counteroffensive", "strikes"]),
        (None, False, (sep(1), sep(5)), []),
        (None, False, None, ["counteroffensive", "strikes"]),
    ],
)
def test_story_bands(small, story, others, window, bands):
    drawn = story_bands(small.stories.values(), window, story, others)
    assert [each.id for each in drawn] == bands


def spans(*days: tuple[str, str]) -> pd.DataFrame:
    """A frame of events with these first and last days."""
    return pd.DataFrame(
        {"start": pd.to_datetime([first for first, _ in days]),
         "end": pd.to_datetime([last for _, last in days])}
    )  # fmt: skip


# Two background events (2014, 2015), then eight events in eight days of September 2022.
BACKGROUND_THEN_BUSY = spans(
    ("2014-01-01", "2014-12-31"), ("2015-03-01", "2015-03-01"),
    *((f"2022-09-0{day}", f"2022-09-0{day}") for day in range(1, 9)),
)  # fmt: skip


@pytest.mark.parametrize(
    ("events", "window"),
    [
        # The background is a fifth of the events: the frame starts at the busy week; a margin
        # of one day (a twentieth of eight days, at least one) on each side.
        (BACKGROUND_THEN_BUSY, (date(2022, 8, 31), sep(9))),
        # With a third background event it is over a fifth: everything is framed, with a
        # margin of a twentieth of the 3,173 days (158 days).
        (
            pd.concat([BACKGROUND_THEN_BUSY, spans(("2016-06-01", "2016-06-01"))]),
            (date(2013, 7, 27), date(2023, 2, 13)),
        ),
        # Evenly spread: the whole span (1-12 September), one day of margin.
        (None, (date(2022, 8, 31), sep(13))),
        (spans(), None),
    ],
)
def test_focus_window_frames_the_busy_part(frame, events, window):
    assert focus_window(frame if events is None else events) == window


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ((sep(6), sep(12)), (sep(6), sep(12))),  # a story's window, or dates the user picked
        ((sep(1), sep(12)), (date(2022, 8, 31), sep(13))),  # the data's span: the busy part
        (None, (date(2022, 8, 31), sep(13))),
    ],
)
def test_chart_window(frame, window, expected):
    assert chart_window(frame, window, (sep(1), sep(12))) == expected


@pytest.mark.parametrize(
    ("first", "last", "moved"),
    [
        (sep(9), sep(9), (sep(6), sep(12))),  # inside: the window stays
        (sep(1), sep(6), (sep(6), sep(12))),  # overlapping its first day: stays
        (sep(20), sep(20), (sep(17), sep(23))),  # after: centred on it, as long as before
        (sep(1), sep(3), (date(2022, 8, 30), sep(5))),  # before, a span: centred on its middle
        (date(2014, 1, 1), date(2014, 12, 31), (date(2014, 1, 1), date(2014, 1, 7))),  # longer
    ],
)
def test_keep_in_view_moves_the_window_to_the_event(first, last, moved):
    assert keep_in_view((sep(6), sep(12)), first, last) == moved


def test_keep_in_view_without_a_window():
    assert keep_in_view(None, sep(1), sep(2)) is None


IDS = ["a", "b", "c"]


@pytest.mark.parametrize(
    ("selected", "offset", "after"),
    [
        ("a", 1, "b"), ("b", 1, "c"), ("c", 1, "c"),  # Next stops at the last
        ("c", -1, "b"), ("a", -1, "a"),  # Previous stops at the first
        (None, 1, "a"), (None, -1, "c"), ("gone", 1, "a"), ("gone", -1, "c"),
    ],
)  # fmt: skip
def test_step(selected, offset, after):
    assert step(IDS, selected, offset) == after


def test_step_without_events():
    assert step([], "a", 1) is None


@pytest.mark.parametrize(
    ("ids", "selected", "words"),
    [
        (IDS, "b", "2 of 3"), (IDS, None, "none of 3 selected"), ([], None, "no events"),
        ([f"e{n}" for n in range(1200)], "e1199", "1,200 of 1,200"),
    ],
)  # fmt: skip
def test_position_words(ids, selected, words):
    assert position_words(ids, selected) == words


def test_event_summary_is_title_date_first_quote_and_outlet(small):
    (event,) = small.events_with_ids(["kharkiv-strikes"])
    assert event_summary(event, small) == EventSummary(
        title="Missile strikes cut power in Kharkiv",
        when="11 September 2022, night",
        quote="A wave of missile strikes on Sunday night caused power cuts in Kharkiv.",
        outlet="Outlet A",
    )
    assert event_summary(event, small, limit=30).quote == "A wave of missile strikes on…"


@pytest.mark.parametrize(
    ("text", "limit", "cut_text"),
    [
        ("short", 10, "short"),
        ("two  words\nwrapped", 40, "two words wrapped"),
        ("It said: the strikes, mostly at night, went on.", 24, "It said: the strikes…"),
        ("Unbrokenlongword", 8, "Unbroke…"),
    ],
)
def test_cut(text, limit, cut_text):
    assert cut(text, limit) == cut_text


@pytest.mark.parametrize(
    ("user_agent", "width"),
    [
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", 190.0),
        ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0 Mobile Safari/537.36", 190.0),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0 Safari/537.36", 500.0),
        ("", 500.0),
    ],
)  # fmt: skip
def test_titles_are_laid_out_for_a_phone_on_a_phone(user_agent, width):
    assert plot_width_px(user_agent) == width


@pytest.mark.parametrize(
    ("ids", "selected", "expected"),
    [
        (["a", "b", "c"], "b", "b"),
        (["a", "b", "c"], None, "a"),
        (["a", "b", "c"], "gone", "a"),
        ([], None, None),
        ([], "gone", None),
    ],
)
def test_the_story_view_reads_the_selected_event_or_starts_at_the_first(ids, selected, expected):
    assert reading_event(ids, selected) == expected


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        # the small file: counteroffensive-begins 1-10 Sep, power-restored 5-11 Sep,
        # izium-retaken 10-11 Sep, kharkiv-strikes 11 Sep, settlements-reclaimed 12 Sep
        (None, "counteroffensive-begins"),
        ((date(2022, 9, 11), date(2022, 9, 12)), "power-restored"),
        ((date(2022, 9, 12), date(2022, 9, 30)), "settlements-reclaimed"),
        # a window that holds none of them: the first shown
        ((date(2023, 1, 1), date(2023, 1, 31)), "counteroffensive-begins"),
    ],
)
def test_a_visit_opens_at_the_first_event_the_window_holds(frame, window, expected):
    assert opening_event(frame, window) == expected


def test_no_event_shown_none_opened(frame):
    assert opening_event(frame.iloc[:0], (date(2022, 9, 1), date(2022, 9, 30))) is None


SHOWN = ["a", "b"]
IN_FILE = ["a", "b", "hidden"]


@pytest.mark.parametrize(
    ("selected", "waiting", "shown", "in_file", "broken", "kept"),
    [
        # An open event shown stays open, whether the file is broken or not.
        ("a", None, SHOWN, IN_FILE, False, ("a", None)),
        ("a", None, SHOWN, IN_FILE, True, ("a", None)),
        (None, None, SHOWN, IN_FILE, False, (None, None)),
        # Hidden by the filters, or gone from a valid file: let go, as before.
        ("hidden", None, SHOWN, IN_FILE, False, (None, None)),
        ("hidden", None, SHOWN, IN_FILE, True, (None, None)),
        ("gone", None, SHOWN, IN_FILE, False, (None, None)),
        # Gone from a broken file: it waits ...
        ("gone", None, SHOWN, IN_FILE, True, (None, "gone")),
        (None, "gone", SHOWN, IN_FILE, True, (None, "gone")),
        # ... and is open again once the fixed file shows it,
        (None, "gone", ["a", "b", "gone"], [*IN_FILE, "gone"], False, ("gone", None)),
        # unless the fixed file no longer has it, or the filters hide it,
        (None, "gone", SHOWN, IN_FILE, False, (None, None)),
        (None, "gone", SHOWN, [*IN_FILE, "gone"], False, (None, None)),
        # or the user opened another event meanwhile.
        ("b", "gone", SHOWN, IN_FILE, True, ("b", None)),
    ],
)  # fmt: skip
def test_the_open_event_is_kept_and_comes_back_once_the_file_is_fixed(
    selected, waiting, shown, in_file, broken, kept
):
    assert kept_selection(selected, waiting, shown, in_file, broken) == kept
