"""Faults while the dashboard is open, driven through app.py with Streamlit's AppTest.

The events file is deleted, renamed, made unreadable, replaced by a folder, emptied or
half-written while a session is open. Each time the page must say so, keep showing the last
good data, and pick the file up again once it is back (the emptied file, which crashes the
process today, is tried in a child process). Saving from the form when the disk refuses
must say why and keep what the user typed.

chmod 000 does not stop root from reading (these tests often run as root, e.g. in CI): there
the unreadable file is simulated by making Path.read_bytes raise PermissionError for that file,
which is what the app sees for a user who may not read it.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

APP = str(ROOT / "app.py")
SMALL = ROOT / "tests" / "data" / "small"
LAST_GOOD = "Showing the last good version of events.yaml"


@pytest.fixture
def events_file(tmp_path, monkeypatch) -> Path:
    """A writable copy of the small events file and its articles, opened by the app."""
    folder = tmp_path / "data"
    folder.mkdir()
    for path in SMALL.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("TIMELINE_EVENTS", str(folder / "events.yaml"))
    return folder / "events.yaml"


def run_app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def counts(app: AppTest) -> str:
    """The 'N of M events' part of the counts line."""
    line = next(m.value for m in app.markdown if " events** · " in m.value)
    return line.split("**")[1]


def notices(app: AppTest) -> str:
    """Everything the page says in info, warning and error boxes and in problem listings."""
    boxes = [*app.info, *app.warning, *app.error, *app.code]
    return "\n".join(str(box.value) for box in boxes)


def unreadable(path: Path, monkeypatch) -> Callable[[], None]:
    """Make the file unreadable to this process; return how to make it readable again.

    chmod 000, and where root ignores that, Path.read_bytes raising PermissionError for the file
    (the patch itself is undone by monkeypatch when the test ends).
    """
    path.chmod(0)
    blocked = {path}
    if os.access(path, os.R_OK):
        real_read = Path.read_bytes

        def refuse(self: Path) -> bytes:
            if self in blocked:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real_read(self)

        monkeypatch.setattr(Path, "read_bytes", refuse)

    def readable_again() -> None:
        blocked.clear()
        path.chmod(0o644)

    return readable_again


def deleted(path: Path, monkeypatch) -> Callable[[bytes], None]:
    path.unlink()
    return lambda data: path.write_bytes(data)


def renamed(path: Path, monkeypatch) -> Callable[[bytes], None]:
    moved = path.with_name("events.yaml.bak")
    path.rename(moved)

    def back(data: bytes) -> None:
        moved.rename(path)
        path.write_bytes(data)

    return back


def made_unreadable(path: Path, monkeypatch) -> Callable[[bytes], None]:
    readable_again = unreadable(path, monkeypatch)

    def back(data: bytes) -> None:
        readable_again()
        path.write_bytes(data)

    return back


def replaced_by_a_folder(path: Path, monkeypatch) -> Callable[[bytes], None]:
    path.unlink()
    path.mkdir()

    def back(data: bytes) -> None:
        path.rmdir()
        path.write_bytes(data)

    return back


def half_written(fraction: float):
    def fault(path: Path, monkeypatch) -> Callable[[bytes], None]:
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * fraction)])
        return lambda data: path.write_bytes(data)

    return fault


def cut_inside_a_character(path: Path, monkeypatch) -> Callable[[bytes], None]:
    data = path.read_bytes()
    path.write_bytes(data.replace(b"Outlet A", "Outlet Київ".encode()).split("ї".encode())[0]
                     + "ї".encode()[:1])  # fmt: skip
    return lambda data: path.write_bytes(data)


FAULTS = [
    pytest.param(deleted, "cannot read the file", id="deleted"),
    pytest.param(renamed, "cannot read the file", id="renamed"),
    pytest.param(made_unreadable, "cannot read the file", id="unreadable"),
    pytest.param(replaced_by_a_folder, "cannot read the file", id="replaced-by-a-folder"),
    pytest.param(half_written(0.3), "events.yaml:", id="first-30-percent-written"),
    pytest.param(half_written(0.5), "events.yaml:", id="first-half-written"),
    pytest.param(cut_inside_a_character, "is not valid UTF-8", id="cut-inside-a-character"),
]


@pytest.mark.parametrize(("fault", "notice"), FAULTS)
def test_a_fault_keeps_the_last_good_data_and_the_file_is_picked_up_again(
    events_file, monkeypatch, fault, notice
):
    original = events_file.read_bytes()
    app = run_app()
    assert counts(app) == "4 of 5 events"

    restore = fault(events_file, monkeypatch)
    app.run()
    assert not app.exception
    assert LAST_GOOD in notices(app), "a notice says the data shown is the last good version"
    assert notice in notices(app), "and what is wrong with the file now"
    assert counts(app) == "4 of 5 events", "the last good data is still shown"

    # The file comes back, one event shorter: the page shows the new content, no notice.
    restore(original[: original.index(b"  - id: settlements-reclaimed")])
    app.run()
    assert not app.exception
    assert LAST_GOOD not in notices(app)
    assert counts(app) == "3 of 4 events"


# Run in a child process: the bug it shows kills the process, which must not be pytest's.
EMPTIED_SCRIPT = """
import json, os, sys
from pathlib import Path
from streamlit.testing.v1 import AppTest
path = Path(os.environ["TIMELINE_EVENTS"])
original = path.read_bytes()
def state(app):
    boxes = [*app.info, *app.warning, *app.error, *app.code]
    line = next(m.value for m in app.markdown if " events** · " in m.value)
    return {"exception": bool(app.exception), "counts": line.split("**")[1],
            "notices": "\\n".join(str(box.value) for box in boxes)}
app = AppTest.from_file(sys.argv[1], default_timeout=60).run()
path.write_bytes(b"")  # what an editor's open("w") leaves until it has written
app.run()
emptied = state(app)
path.write_bytes(original)
app.run()
print(json.dumps({"emptied": emptied, "back": state(app)}))
"""


def test_an_emptied_file_keeps_the_last_good_data(events_file):
    result = subprocess.run(
        [sys.executable, "-c", EMPTIED_SCRIPT, APP],
        capture_output=True, text=True, timeout=180, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    states = json.loads(result.stdout.splitlines()[-1])
    assert not states["emptied"]["exception"]
    assert LAST_GOOD in states["emptied"]["notices"]
    assert "the file is empty" in states["emptied"]["notices"]
    assert states["emptied"]["counts"] == "4 of 5 events"
    assert states["back"]["counts"] == "4 of 5 events"
    assert LAST_GOOD not in states["back"]["notices"]


def test_an_unreadable_file_is_reported_as_unreadable_not_as_moved(events_file, monkeypatch):
    app = run_app()
    unreadable(events_file, monkeypatch)
    app.run()
    assert "permission denied" in notices(app).lower()
    assert "moved or deleted" not in notices(app)


def test_a_missing_file_at_start_shows_a_notice_and_an_empty_timeline(events_file):
    events_file.unlink()
    app = run_app()
    assert not app.exception
    assert "cannot read the file" in notices(app)
    assert counts(app) == "0 of 0 events"
    assert "cannot be read right now, so nothing can be added" in notices(app)
    events_file.write_bytes((SMALL / "events.yaml").read_bytes())
    app.run()
    assert counts(app) == "5 of 5 events"


def test_the_form_adds_nothing_while_the_file_is_unreadable(events_file, monkeypatch):
    app = run_app()
    unreadable(events_file, monkeypatch)
    app.run()
    assert "cannot be read right now, so nothing can be added" in notices(app)
    assert not [b for b in app.button if b.label == "Validate and add"]


def fill_and_submit(app: AppTest) -> AppTest:
    values = {
        "new_title": "Power returns to Kharkiv", "new_when": "2022-09-12 morning",
        "new_category": "infrastructure", "new_stories": ["strikes"], "new_source": "a",
        "new_quote": "caused power cuts in Kharkiv",
    }  # fmt: skip
    widgets = (*app.text_input, *app.text_area, *app.selectbox, *app.multiselect)
    for widget in widgets:
        if widget.key in values:
            widget.set_value(values[widget.key])
    return next(b for b in app.button if b.label == "Validate and add").click().run()


def _fail(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize(
    ("module", "name", "code", "message"),
    [
        (os, "write", errno.ENOSPC, "no space left on the device"),
        (tempfile, "mkstemp", errno.EACCES, "permission denied"),
        (tempfile, "mkstemp", errno.EROFS, "the file system is read-only"),
    ],
    ids=["disk-full", "read-only-folder", "read-only-file-system"],
)
def test_a_save_the_disk_refuses_says_why_and_keeps_the_input(
    events_file, monkeypatch, module, name, code, message
):
    before = events_file.read_bytes()
    app = run_app()
    monkeypatch.setattr(module, name, _fail(code))
    app = fill_and_submit(app)
    monkeypatch.undo()
    assert not app.exception
    errors = [box.value for box in app.error]
    assert len(errors) == 1
    assert errors[0].startswith("Not added: cannot ")
    assert message in errors[0]
    assert "the file was not changed" in errors[0]
    assert events_file.read_bytes() == before
    title = next(w for w in app.text_input if w.key == "new_title")
    assert title.value == "Power returns to Kharkiv", "what the user typed is kept"
    leftovers = sorted(p.name for p in events_file.parent.iterdir())
    assert leftovers == ["article-a.txt", "article-b.txt", "events.yaml", "events.yaml.lock"]


@pytest.mark.parametrize(("fault", "notice"), FAULTS)
def test_a_fault_is_told_in_one_message_that_the_last_good_version_is_shown(
    events_file, monkeypatch, fault, notice
):
    app = run_app()
    fault(events_file, monkeypatch)
    app.run()
    said = [str(box.value) for box in (*app.info, *app.warning, *app.error)]
    assert len([text for text in said if LAST_GOOD in text]) == 1, "said once"
    assert not [text for text in said if "none of it is shown" in text.lower()], (
        "and not contradicted"
    )
