"""The dashboard's script, run headless with Streamlit's AppTest."""

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from timeline.load import load_timeline

APP = str(ROOT / "app.py")


def run_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


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
    assert app.query_params == {
        "start": "2022-09-06",
        "end": "2022-09-12",
        "story": "kharkiv-counteroffensive",
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
    reopened = AppTest.from_file(APP, default_timeout=60)
    reopened.query_params.update(app.query_params)
    reopened.run()
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
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(story="energy-strikes")
    app.run()
    app.button(key="next_event").click().run()
    assert app.query_params["event"] == ENERGY_FIRST
    assert f"1 of {len(members)}" in [m.value for m in app.markdown]
    first = events[ENERGY_FIRST]
    text = brief(app)
    assert first["title"] in text
    assert first["sources"][0]["quote"][:60] in " ".join(text.split())
    app.button(key="previous_event").click().run()
    assert app.query_params["event"] == ENERGY_FIRST, "Previous stops at the first"
    earlier, later = ENERGY_AFTER_11_OCTOBER
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(story="energy-strikes", event=earlier)
    app.run()
    app.button(key="next_event").click().run()
    assert app.query_params["event"] == later
    assert f"4 of {len(members)}" in [m.value for m in app.markdown]
    assert app.selectbox(key="selected").value == later, "the Event view follows"


def test_the_selected_event_sits_beside_the_chart():
    """At the top of a narrower column to the chart's right, so that it is on the first screen
    however tall the chart grows to title every event."""
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(story="energy-strikes", event=ENERGY_FIRST)
    app.run()
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


def test_a_link_restores_its_view_and_the_url_follows_changes():
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(
        story="energy-strikes", categories="strike,withdrawl", lane="actor", view="table"
    )
    app.run()
    assert not app.exception
    assert app.selectbox(key="preset").value == "October–November strikes on the energy grid"
    assert app.multiselect(key="categories").value == ["strike"], "unknown values are dropped"
    assert app.radio(key="lane").value == "actor"
    assert [tab.label for tab in app.tabs] == [
        "Event", "Story", "Map", "Charts", "Table", "Review", "Add an event", "Corpus",
    ]  # fmt: skip
    assert len(app.dataframe) == 1, "the table tab is open, and only it runs"
    # The story's five strikes (10 October - 15 November); no other story has one then.
    events = curated()["events"]
    strikes = [
        e for e in events if "energy-strikes" in e.get("stories", ()) and e["category"] == "strike"
    ]
    assert len(strikes) == 5
    assert counts_line(app).startswith(f"**{len(strikes)} of {len(events)} events**")
    app.text_input(key="text").set_value("kharkiv").run()
    assert app.query_params == {
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


def test_form_refuses_an_invalid_event_and_keeps_the_input(small_copy):
    before = small_copy.read_bytes()
    app = run_app()
    fill_form(app, title="Bad one", when="2022-02-30", category="strike", stories=["strikes"],
              source="a", quote="not in the article")  # fmt: skip
    app = submit(app)
    assert small_copy.read_bytes() == before
    assert app.error[0].value.startswith("Not added: the event has problems.")
    problems = app.code[-1].value
    assert "date '2022-02-30' is not a real day" in problems
    assert "quote not found verbatim in source 'a'" in problems
    assert next(w for w in app.text_input if w.key == "new_title").value == "Bad one"


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
    assert any("Showing the last good version" in info.value for info in app.info)
    assert counts_line(app).startswith("**4 of 5 events**")
    assert app.error, "the current problem is shown too"
    small_copy.write_bytes(original.replace(b"More than 40", b"Over 40"))
    app.run()
    assert not any("Showing the last good version" in info.value for info in app.info)
    assert counts_line(app).startswith("**4 of 5 events**")


def test_the_review_tab_opens_from_the_url_and_rejects_a_candidate(small_copy):
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(view="review")
    app.run()
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
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(view="table")
    app.run()
    app.selectbox(key="preset").set_value("All events").run()
    assert counts_line(app).startswith("**4 of 4 events**")
    assert "More than 40 settlements reclaimed" not in app.dataframe[0].value["title"].tolist()
    app.toggle(key="rejected").set_value(True).run()
    assert counts_line(app).startswith("**5 of 5 events**")
    assert "More than 40 settlements reclaimed" in app.dataframe[0].value["title"].tolist()
    assert app.query_params["rejected"] == "1"


def test_the_corpus_tab_opens_from_the_url_and_asks_for_a_dataset(monkeypatch):
    monkeypatch.delenv("TIMELINE_CANDIDATES", raising=False)
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(view="corpus")
    app.run()
    assert not app.exception
    assert app.tabs[7].label == "Corpus"
    assert app.text_input(key="corpus_path").value == ""


def test_the_story_view_opens_at_the_story_s_first_event_and_steps_with_next():
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(view="story", story="energy-strikes")
    app.run()
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
