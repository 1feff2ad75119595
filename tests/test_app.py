"""The dashboard's script, run headless with Streamlit's AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from timeline.load import load_timeline
from timeline.query import Filters, events_frame, filter_events, story_window

APP = str(ROOT / "app.py")


def run_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def counts_line(app: AppTest) -> str:
    return next(m.value for m in app.markdown if " events** · " in m.value)


def test_opens_on_the_busiest_story_without_exception():
    timeline = load_timeline(ROOT / "events.yaml")
    story = timeline.stories["kharkiv-counteroffensive"]
    frame = events_frame(timeline)
    start, end = story_window(frame, story)
    in_window = filter_events(frame, Filters(start=start, end=end))
    app = run_app()
    assert not app.exception
    assert app.selectbox(key="preset").value == story.title
    total = len(timeline.events)
    assert counts_line(app).startswith(f"**{len(in_window)} of {total} events**")


def test_all_events_preset_shows_every_valid_event():
    timeline = load_timeline(ROOT / "events.yaml")
    app = run_app()
    app.selectbox(key="preset").set_value("All events").run()
    total = len(timeline.events)
    assert counts_line(app).startswith(f"**{total} of {total} events**")


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
    original = small_copy.read_bytes()
    app = run_app()
    assert counts_line(app).startswith("**5 of 5 events**")
    breakage(small_copy)
    app.run()
    assert not app.exception
    assert any("Showing the last good version" in info.value for info in app.info)
    assert counts_line(app).startswith("**5 of 5 events**")
    assert app.error, "the current problem is shown too"
    small_copy.write_bytes(original.replace(b"More than 40", b"Over 40"))
    app.run()
    assert not any("Showing the last good version" in info.value for info in app.info)
    assert counts_line(app).startswith("**5 of 5 events**")
