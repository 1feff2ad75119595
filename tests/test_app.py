"""The dashboard's script, run headless with Streamlit's AppTest."""

import re

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from timeline.load import load_timeline
from timeline.schema import EVENT, Field, Kind, Record

APP = str(ROOT / "app.py")


def run_app(**query: str) -> AppTest:
    """The app run once, opened at a URL with these query parameters."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(query)
    return app.run()


def counts_line(app: AppTest) -> str:
    return next(m.value for m in app.markdown if " events** · " in m.value)


def curated() -> dict:
    """events.yaml as plain YAML, to count from without the code under test; the rejected
    events left out, as the dashboard hides them unless asked."""
    data = yaml.safe_load((ROOT / "events.yaml").read_text(encoding="utf-8"))
    data["events"] = [e for e in data["events"] if e.get("status") != "rejected"]
    return data


def cited_and_located(events: list[dict]) -> tuple[int, int]:
    """How many sources the events cite and how many places they name."""
    sources = {citation["source"] for event in events for citation in event["sources"]}
    places = {place for event in events for place in event.get("places") or []}
    return len(sources), len(places)


# Other stories' events that overlap the Kharkiv story's window, 6-12 September 2022 (from the
# story's first day to the last day of its events), found by reading their dates: 29 Aug - 12 Sep.
OVERLAPPING_KHARKIV = {"kherson-offensive-500-km2"}


def test_opens_on_the_busiest_story_showing_only_its_events():
    data = curated()
    events = data["events"]
    members = [e for e in events if "kharkiv-counteroffensive" in e.get("stories", ())]
    others = [e for e in events if "energy-strikes" in e.get("stories", ())]
    assert len(members) > len(others), "the Kharkiv story has the most events"
    sources, places = cited_and_located(members)
    app = run_app()
    assert not app.exception
    assert app.selectbox(key="preset").value == "September Kharkiv counteroffensive"
    assert counts_line(app) == (
        f"**{len(members)} of {len(events)} events** · {sources} sources · {places} places"
    )
    opened = app.session_state["selected"]
    assert opened in {e["id"] for e in members}, "the first screen holds an event to read"
    assert f"1 of {len(members)}" in [m.value for m in app.markdown], "the first one shown"
    assert app.query_params == {
        "start": "2022-09-06",
        "end": "2022-09-12",
        "story": "kharkiv-counteroffensive",
        "event": opened,
    }, "the URL names the view, so that a copied link opens it"


def test_other_stories_events_in_the_dates_are_shown_on_request():
    events = curated()["events"]
    # Every event of the story falls in its window (it is made from their days).
    members = [e for e in events if "kharkiv-counteroffensive" in e.get("stories", ())]
    in_window = members + [e for e in events if e["id"] in OVERLAPPING_KHARKIV]
    assert len(in_window) == 41 + 1
    app = run_app()
    assert not app.checkbox(key="others").value, "off unless asked for"
    app.checkbox(key="others").check().run()
    assert counts_line(app).startswith(f"**{len(in_window)} of {len(events)} events**")
    assert app.query_params["others"] == "1"
    reopened = run_app(**app.query_params)
    assert reopened.checkbox(key="others").value, "a link restores the switch"
    assert counts_line(reopened) == counts_line(app)


def test_all_events_disables_the_other_stories_switch():
    app = run_app()
    app.selectbox(key="preset").set_value("All events").run()
    assert app.checkbox(key="others").disabled
    assert "others" not in app.query_params


def brief(app: AppTest) -> str:
    """The selected event's title and date and its first quote, under the chart, as text."""
    texts = [m.value.replace("\\", "") for m in app.markdown]
    return "\n".join(t for t in texts if "” — *" in t or (t.startswith("**") and " · " in t))


# The energy-strikes story in date order, read off its events' dates: the decline of the
# energy system (from October), the strikes of 10 October, the strikes that went on from
# 11 October, the air force's warning (14-15 November), then thirteen events on 15 November.
ENERGY_FIRST = "energy-system-decline"
ENERGY_AFTER_11_OCTOBER = ("energy-strikes-continue", "air-force-warns-of-stockpiling")


def test_next_and_previous_step_through_the_events_in_date_order():
    events = {e["id"]: e for e in curated()["events"]}
    members = [e for e in events.values() if "energy-strikes" in e["stories"]]
    app = run_app(story="energy-strikes")
    assert app.query_params["event"] == ENERGY_FIRST, "a visit opens at the first event"
    assert f"1 of {len(members)}" in [m.value for m in app.markdown]
    first = events[ENERGY_FIRST]
    text = brief(app)
    assert first["title"] in text
    assert first["sources"][0]["quote"][:60] in " ".join(text.split())
    app.button(key="next_event").click().run()
    assert f"2 of {len(members)}" in [m.value for m in app.markdown]
    app.button(key="previous_event").click().run()
    assert app.query_params["event"] == ENERGY_FIRST
    app.button(key="previous_event").click().run()
    assert app.query_params["event"] == ENERGY_FIRST, "Previous stops at the first"
    earlier, later = ENERGY_AFTER_11_OCTOBER
    app = run_app(story="energy-strikes", event=earlier)
    app.button(key="next_event").click().run()
    assert app.query_params["event"] == later
    assert f"4 of {len(members)}" in [m.value for m in app.markdown]
    assert app.selectbox(key="selected").value == later, "the Event view follows"


def test_the_selected_event_sits_beside_the_chart():
    """At the top of a narrower column to the chart's right, so that it is on the first screen
    however tall the chart grows to title every event."""
    app = run_app(story="energy-strikes", event=ENERGY_FIRST)
    chart, detail = (column for column in app.columns if column.get("plotly_chart")
                     or column.button)  # fmt: skip
    assert (chart.proto.weight, detail.proto.weight) == (0.7, 0.3)
    assert [button.key for button in detail.button] == ["previous_event", "next_event"]
    title = curated_title(ENERGY_FIRST)
    assert any(title in m.value.replace("\\", "") for m in detail.markdown)
    assert not chart.button, "nothing under the chart in its column"


def curated_title(event_id: str) -> str:
    return next(e["title"] for e in curated()["events"] if e["id"] == event_id)


def test_all_events_preset_shows_every_valid_event():
    events = curated()["events"]
    sources, places = cited_and_located(events)
    app = run_app()
    app.selectbox(key="preset").set_value("All events").run()
    assert counts_line(app) == (
        f"**{len(events)} of {len(events)} events** · {sources} sources · {places} places"
    )


def table_frames(app: AppTest) -> list:
    """The Table view's tables (the open event's figures are a table too)."""
    return [frame for frame in app.dataframe if "title" in frame.value.columns]


def test_a_link_restores_its_view_and_the_url_follows_changes():
    app = run_app(story="energy-strikes", categories="strike,withdrawl", lane="actor", view="table")
    assert not app.exception
    assert app.selectbox(key="preset").value == "October–November strikes on the energy grid"
    assert app.multiselect(key="categories").value == ["strike"], "unknown values are dropped"
    assert app.radio(key="lane").value == "actor"
    assert [tab.label for tab in app.tabs] == [
        "Event", "Story", "Map", "Charts", "Table", "Review", "Add an event", "Corpus",
    ]  # fmt: skip
    assert len(table_frames(app)) == 1, "the table tab is open"
    assert not app.get("plotly_chart")[1:], "only the timeline is drawn: no map, no charts"
    # The story's five strikes (10 October - 15 November); no other story has one then.
    events = curated()["events"]
    strikes = [
        e for e in events if "energy-strikes" in e.get("stories", ()) and e["category"] == "strike"
    ]
    assert len(strikes) == 5
    assert counts_line(app).startswith(f"**{len(strikes)} of {len(events)} events**")
    app.text_input(key="text").set_value("kharkiv").run()
    params = dict(app.query_params)
    assert params.pop("event", None) == app.session_state["selected"], "the open event, if any"
    assert params == {
        "start": "2022-10-10", "end": "2022-11-15", "categories": "strike", "text": "kharkiv",
        "view": "table", "story": "energy-strikes", "lane": "actor",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        ("events: [\n", "YAML syntax"),
        ("events:\n  - id: Bad Id\n", "is not a slug"),
    ],
)
def test_invalid_file_shows_positioned_problems(tmp_path, monkeypatch, content, shown):
    broken = tmp_path / "events.yaml"
    broken.write_text(content)
    monkeypatch.setenv("TIMELINE_EVENTS", str(broken))
    app = run_app()
    assert not app.exception
    assert shown in app.code[0].value
    assert app.code[0].value.startswith("events.yaml:")


def test_a_link_to_all_events_opens_at_an_event_of_the_busy_months_not_of_2014():
    # A link naming a view but no story shows all events, framed on their busy part (from
    # 2022); opening the first event of all (2014) would pull the frame back to it.
    events = curated()["events"]
    first_day = min(str(e["date"])[:4] for e in events)
    assert first_day == "2014", "the file holds background events of 2014"
    app = run_app(view="table")
    assert not app.exception
    opened = next(e for e in events if e["id"] == app.session_state["selected"])
    assert str(opened["date"]).lstrip("~").startswith("2022"), opened["date"]


@pytest.fixture
def small_copy(tmp_path, monkeypatch):
    """A writable copy of the small events file and its articles, opened by the app."""
    for path in (ROOT / "tests" / "data" / "small").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("TIMELINE_EVENTS", str(tmp_path / "events.yaml"))
    return tmp_path / "events.yaml"


def fill_form(app: AppTest, **values) -> AppTest:
    for key, value in values.items():
        element = next(
            w for w in (*app.text_input, *app.text_area, *app.selectbox, *app.multiselect)
            if w.key == f"new_{key}"
        )  # fmt: skip
        element.set_value(value)
    return app


def submit(app: AppTest) -> AppTest:
    return next(b for b in app.button if b.label == "Validate and add").click().run()


def test_form_appends_a_valid_event_keeping_every_byte(small_copy):
    before = small_copy.read_bytes()
    app = run_app()
    fill_form(
        app, title="Power returns to Kharkiv: \"partly\" #2", when="2022-09-12 morning",
        category="infrastructure", stories=["strikes"], places=["kharkiv"], source="a",
        quote="caused power cuts in Kharkiv",
    )  # fmt: skip
    app = submit(app)
    assert not app.exception
    added_id = "power-returns-to-kharkiv-partly-2"
    assert [s.value for s in app.success] == [f"Added '{added_id}' to {small_copy.name}."]
    after = small_copy.read_bytes()
    assert after.startswith(before)
    reloaded = load_timeline(small_copy)
    assert reloaded.problems == []
    added = next(e for e in reloaded.events if e.id == added_id)
    assert added.title == 'Power returns to Kharkiv: "partly" #2'
    assert str(added.date) == "2022-09-12 morning"


def field_errors(app: AppTest) -> dict[str, str]:
    """The add form's error messages by the key of the field they are drawn under (right after
    it), as the user reads them."""
    errors: dict[str, str] = {}
    previous = None

    def walk(node) -> None:
        nonlocal previous
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", None) == "error":
                errors[previous] = child.value.replace("\\", "")
            elif getattr(child, "key", None):
                previous = child.key
            walk(child)

    form = next(block for block in app.get("form") if block.text_input(key="new_title"))
    walk(form)
    return errors


def test_form_refuses_an_invalid_event_and_shows_each_error_at_its_field(small_copy):
    before = small_copy.read_bytes()
    app = run_app()
    fill_form(app, title="Bad one", when="2022-02-30", stories=["strikes"], places=["izium"],
              source="a", quote="not in the article")  # fmt: skip
    app = submit(app)
    assert small_copy.read_bytes() == before
    assert field_errors(app) == {
        "new_category": "choose a category: it is required",
        "new_when": "date '2022-02-30' is not a real day (February 2022 has 28 days)",
        "new_quote": "quote not found verbatim in source 'a' (expected text copied exactly)",
    }
    summary = [box.value for box in app.error if box.value.startswith("Not added")]
    assert summary == [
        "Not added: 3 problems marked at the fields below. Your input is kept; fix it and "
        "submit again."
    ], "one line at the top"
    assert not app.code, "no YAML block the user never sees"
    assert next(w for w in app.text_input if w.key == "new_title").value == "Bad one"
    # Fixed, the errors go with the next submission.
    fill_form(app, when="2022-09-12", category="strike", quote="caused power cuts in Kharkiv")
    app = submit(app)
    assert field_errors(app) == {}
    assert [s.value for s in app.success] == [f"Added 'bad-one' to {small_copy.name}."]


def test_an_id_already_in_the_file_is_shown_at_the_id_field(small_copy):
    app = run_app()
    fill_form(app, title="Izium again", event_id="izium-retaken", when="2022-09-12",
              category="advance", stories=["counteroffensive"], source="a",
              quote="Ukrainian forces retook Izium on Saturday")  # fmt: skip
    app = submit(app)
    assert field_errors(app) == {
        "new_event_id": "duplicate id 'izium-retaken' (first defined at line 27)"
    }


# What the form appends for POWER: written out by hand from the data model.
POWER = {"title": "Power returns to Kharkiv", "when": "2022-09-12 morning",
         "category": "infrastructure", "stories": ["strikes"], "places": ["kharkiv"],
         "source": "a", "quote": "caused power cuts in Kharkiv"}  # fmt: skip
POWER_BLOCK = (
    b"  - id: power-returns-to-kharkiv\n"
    b"    title: Power returns to Kharkiv\n"
    b"    date: 2022-09-12 morning\n"
    b"    stories:\n"
    b"      - strikes\n"
    b"    category: infrastructure\n"
    b"    places:\n"
    b"      - kharkiv\n"
    b"    sources:\n"
    b"      - source: a\n"
    b"        quote: caused power cuts in Kharkiv\n"
    b"    status: reported\n"
)


def test_a_second_submit_of_the_same_event_adds_nothing(small_copy):
    before = small_copy.read_bytes()
    app = run_app()
    fill_form(app, **POWER)
    app = submit(app)
    assert small_copy.read_bytes() == before + POWER_BLOCK, "one block added"
    app = submit(app)  # a double click, or the button pressed again after success
    assert not app.exception
    assert small_copy.read_bytes() == before + POWER_BLOCK, "and no second one, renamed or not"
    assert [box.value for box in app.error] == [
        f"Not added again: this event is already in {small_copy.name}, added as "
        "'power-returns-to-kharkiv' (the same title, date and source). Change the form to add "
        "another one."
    ]
    assert [s.value for s in app.success] == [
        f"Added 'power-returns-to-kharkiv' to {small_copy.name}."
    ], "what was added is still said"


def test_an_event_already_in_the_file_is_refused_whoever_added_it(small_copy):
    before = small_copy.read_bytes()
    app = run_app()
    fill_form(app, title="missile strikes cut power in  Kharkiv", when="2022-09-11 night",
              category="strike", stories=["strikes"], source="a",
              quote="caused power cuts in Kharkiv")  # fmt: skip
    app = submit(app)
    assert small_copy.read_bytes() == before
    assert "added as 'kharkiv-strikes'" in app.error[0].value


def test_the_success_message_stays_until_dismissed(small_copy):
    app = run_app()
    fill_form(app, **POWER)
    app = submit(app)
    added = [f"Added 'power-returns-to-kharkiv' to {small_copy.name}."]
    assert [s.value for s in app.success] == added
    assert POWER_BLOCK.decode().rstrip("\n") in [block.value for block in app.code]
    # The reruns the file watcher makes after the save, and any other.
    for _ in range(3):
        app.run()
        assert [s.value for s in app.success] == added
    app.selectbox(key="preset").set_value("All events").run()
    assert [s.value for s in app.success] == added
    app.button(key="dismiss_added").click().run()
    assert not app.success
    app.run()
    assert not app.success, "dismissed for good"


def test_the_form_offers_a_field_the_schema_gains(small_copy, monkeypatch):
    extended = Record(EVENT.name, EVENT.title, EVENT.description, (
        *EVENT.fields,
        Field("reviewed_on", Kind.DATE, "When the entry was last revised."),
        Field("reviewer", Kind.REF, "Id of the actor who reviewed it.", section="actors"),
        Field("tags", Kind.TEXTS, "Words to find it by."),
    ))  # fmt: skip
    monkeypatch.setattr("timeline.viewstate.EVENT", extended)
    app = run_app(view="add")
    assert not app.exception
    updated = next(w for w in app.text_input if w.key == "new_reviewed_on")
    assert updated.label == "Reviewed on (optional)"
    assert updated.help == "When the entry was last revised."
    reviewer = next(w for w in app.selectbox if w.key == "new_reviewer")
    assert reviewer.options == sorted(load_timeline(small_copy).actors)
    tags = next(w for w in app.text_area if w.key == "new_tags")
    assert tags.label == "Tags (optional), one a line"


def test_the_form_offers_a_reference_to_another_event_by_id(small_copy, monkeypatch):
    extended = Record(EVENT.name, EVENT.title, EVENT.description, (
        *EVENT.fields,
        Field("follows", Kind.REF, "Id of the event this one follows.", section="events"),
    ))  # fmt: skip
    monkeypatch.setattr("timeline.viewstate.EVENT", extended)
    app = run_app(view="add")
    assert not app.exception
    follows = next(w for w in app.selectbox if w.key == "new_follows")
    assert follows.options == sorted(event.id for event in load_timeline(small_copy).events)


def test_form_refuses_when_the_file_changed_since_loading(small_copy):
    app = run_app()
    small_copy.write_bytes(small_copy.read_bytes() + b"# edited elsewhere\n")
    changed = small_copy.read_bytes()
    fill_form(app, title="Late", when="2022-09-12", category="strike", stories=["strikes"],
              source="a", quote="caused power cuts in Kharkiv")  # fmt: skip
    app = submit(app)
    assert small_copy.read_bytes() == changed
    assert "changed since it was loaded" in app.error[0].value


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda path: path.write_bytes(b"events: [\n"), id="does-not-parse"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:200]), id="half-written"),
        pytest.param(lambda path: path.unlink(), id="deleted"),
    ],
)
def test_last_good_data_is_kept_while_the_file_is_broken(small_copy, breakage):
    # It opens on the counteroffensive story: four of the file's five events.
    original = small_copy.read_bytes()
    app = run_app()
    assert counts_line(app).startswith("**4 of 5 events**")
    breakage(small_copy)
    app.run()
    assert not app.exception
    said = [box.value for box in (*app.info, *app.warning, *app.error)]
    last_good = [text for text in said if "Showing the last good version" in text]
    assert len(last_good) == 1, "said once"
    assert re.fullmatch(
        r"events\.yaml: invalid: \d+ errors?, 0 warnings — fix these in the file\. Showing the "
        r"last good version of events\.yaml, loaded at \d\d:\d\d:\d\d \(5 events\), until "
        r"the file is fixed\.",
        last_good[0],
    )
    assert not [text for text in said if "one of it is shown" in text], "nothing contradicts it"
    assert counts_line(app).startswith("**4 of 5 events**")
    small_copy.write_bytes(original.replace(b"More than 40", b"Over 40"))
    app.run()
    assert not any("Showing the last good version" in box.value for box in (*app.info, *app.error))
    assert counts_line(app).startswith("**4 of 5 events**")


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        # No valid event, and no version before this one loaded.
        (b"events:\n  - id: Bad Id\n", "— fix these in the file. None of it is shown."),
        (b"events: [\n", "— fix these in the file. None of it is shown."),
    ],
)
def test_a_broken_file_with_no_last_good_version_says_nothing_is_shown(
    tmp_path, monkeypatch, content, shown
):
    broken = tmp_path / "events.yaml"
    broken.write_bytes(content)
    monkeypatch.setenv("TIMELINE_EVENTS", str(broken))
    app = run_app()
    said = [box.value for box in (*app.info, *app.warning, *app.error)]
    told = [text for text in said if "fix these" in text or "last good" in text]
    assert len(told) == 1
    assert told[0].startswith("events.yaml: invalid: ")
    assert told[0].endswith(shown)


def test_a_file_with_some_valid_events_says_they_are_shown(small_copy):
    small_copy.write_bytes(small_copy.read_bytes().replace(b"date: 2022-W36", b"date: 2022-W99"))
    app = run_app()
    said = [box.value for box in (*app.info, *app.warning, *app.error)]
    assert [text for text in said if "fix these" in text or "last good" in text] == [
        "events.yaml: invalid: 1 error, 1 warning — fix these in the file. The valid events "
        "are still shown."
    ]


def test_the_open_event_stays_open_while_the_file_is_edited_and_broken(small_copy):
    original = small_copy.read_bytes()
    app = run_app(event="izium-retaken")
    assert app.selectbox(key="selected").value == "izium-retaken"
    # Another event's title edited and saved.
    small_copy.write_bytes(original.replace(b"title: Missile strikes", b"title: Rocket strikes"))
    app.run()
    assert app.selectbox(key="selected").value == "izium-retaken", "kept across a reload"
    small_copy.write_bytes(b"events: [\n")  # the last good version is shown
    app.run()
    assert app.selectbox(key="selected").value == "izium-retaken"
    assert app.query_params["event"] == "izium-retaken"
    small_copy.write_bytes(original)
    app.run()
    assert app.selectbox(key="selected").value == "izium-retaken"


def test_an_event_a_broken_file_loses_is_opened_again_once_it_is_fixed(small_copy):
    original = small_copy.read_bytes()
    app = run_app(event="izium-retaken")
    # Its id broken: the file's other events are valid and shown, this one is left out.
    small_copy.write_bytes(original.replace(b"id: izium-retaken", b"id: Izium Retaken"))
    app.run()
    assert not app.exception
    assert app.selectbox(key="selected").value is None
    assert app.query_params["event"] == "izium-retaken", "a reload of the page still opens it"
    small_copy.write_bytes(original)
    app.run()
    assert app.selectbox(key="selected").value == "izium-retaken", "open again"
    assert app.query_params["event"] == "izium-retaken"
    assert any("Ukrainian forces retake Izium" in h.value for h in app.subheader)


def test_a_link_to_an_event_a_broken_file_lacks_opens_it_once_fixed(small_copy):
    original = small_copy.read_bytes()
    small_copy.write_bytes(original.replace(b"id: izium-retaken", b"id: Izium Retaken"))
    app = run_app(event="izium-retaken")
    assert app.selectbox(key="selected").value is None
    small_copy.write_bytes(original)
    app.run()
    assert app.selectbox(key="selected").value == "izium-retaken"


def test_an_event_deleted_from_a_valid_file_is_let_go(small_copy):
    original = small_copy.read_bytes()
    app = run_app(event="settlements-reclaimed", story="counteroffensive")
    assert app.selectbox(key="selected").value == "settlements-reclaimed"
    small_copy.write_bytes(original[: original.index(b"  - id: settlements-reclaimed")])
    app.run()
    assert app.selectbox(key="selected").value is None
    assert "event" not in app.query_params


def test_the_review_tab_opens_from_the_url_and_rejects_a_candidate(small_copy):
    app = run_app(view="review")
    assert not app.exception
    assert app.tabs[5].label == "Review"
    # The small file's one candidate, with its decisions.
    decisions = [b.key for b in app.button if b.key.endswith("-settlements-reclaimed")]
    assert decisions == ["accept-settlements-reclaimed", "reject-settlements-reclaimed"]
    app.button(key="reject-settlements-reclaimed").click().run()
    assert not app.exception
    assert "    status: rejected\n" in small_copy.read_text(encoding="utf-8")
    assert any("No candidates to review" in info.value for info in app.info)


def test_rejected_events_are_hidden_until_the_switch_shows_them(small_copy):
    text = small_copy.read_text(encoding="utf-8")
    small_copy.write_text(text.replace("status: candidate", "status: rejected"), encoding="utf-8")
    app = run_app(view="table")
    app.selectbox(key="preset").set_value("All events").run()
    assert counts_line(app).startswith("**4 of 4 events**")
    assert "More than 40 settlements reclaimed" not in table_frames(app)[0].value["title"].tolist()
    app.toggle(key="rejected").set_value(True).run()
    assert counts_line(app).startswith("**5 of 5 events**")
    assert "More than 40 settlements reclaimed" in table_frames(app)[0].value["title"].tolist()
    assert app.query_params["rejected"] == "1"


def test_the_corpus_tab_opens_from_the_url_and_asks_for_a_dataset(monkeypatch):
    monkeypatch.delenv("TIMELINE_CANDIDATES", raising=False)
    app = run_app(view="corpus")
    assert not app.exception
    assert app.tabs[7].label == "Corpus"
    assert app.text_input(key="corpus_path").value == ""


def test_the_story_view_opens_at_the_story_s_first_event_and_steps_with_next():
    app = run_app(view="story", story="energy-strikes")
    assert not app.exception
    # The energy story's first event in date order: the decline of the energy system, dated
    # "2022-10 .. 2022-11-15" (from October), before the strikes of 10 October.
    first = "energy-system-decline"
    assert app.session_state["selected"] == first
    assert app.query_params["event"] == [first] or app.query_params["event"] == first
    assert any(m.value.startswith("**1 of 17**") for m in app.markdown)
    app.button(key="next_event").click().run()
    assert not app.exception
    assert any(m.value.startswith("**2 of 17**") for m in app.markdown)


def test_an_event_the_reader_closes_stays_closed():
    app = run_app(story="energy-strikes")
    assert app.session_state["selected"] == ENERGY_FIRST, "a visit opens at the first event"
    app.selectbox(key="selected").set_value(None).run()
    app.text_input(key="text").set_value("missile").run()
    assert app.session_state["selected"] is None, "only a new visit opens one by itself"
    assert "event" not in app.query_params


@pytest.mark.parametrize(
    ("query", "said"),
    [
        ({"event": "no-such-event"}, "The link's event 'no-such-event' is not shown (not in "
                                     "events.yaml); opened the first event shown instead."),
        # an event of another story: the story's filters hide it
        ({"story": "energy-strikes", "event": "russia-withdraws-izium-kupiansk"}, None),
    ],
)  # fmt: skip
def test_a_link_to_an_event_not_shown_says_so(query, said):
    app = run_app(**query)
    assert not app.exception
    shown = app.session_state["selected"]
    assert shown is not None, "the first event shown is open"
    assert shown != query["event"]
    notes = [box.value for box in app.info if "The link's event" in box.value]
    if said is None:
        assert notes == [
            f"The link's event '{query['event']}' is not shown (hidden by the filters); opened "
            "the first event shown instead."
        ]
    else:
        assert notes == [said]
