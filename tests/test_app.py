"""The dashboard's script, run headless with Streamlit's AppTest."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from timeline.load import load_timeline
from timeline.query import Filters, events_frame, filter_events

APP = str(ROOT / "app.py")


def run_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def counts_line(app: AppTest) -> str:
    return next(m.value for m in app.markdown if " events** · " in m.value)


def test_opens_on_the_busiest_story_without_exception():
    timeline = load_timeline(ROOT / "events.yaml")
    story = timeline.stories["kharkiv-counteroffensive"]
    in_window = filter_events(
        events_frame(timeline), Filters(start=story.date.first, end=story.date.last)
    )
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
