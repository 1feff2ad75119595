import subprocess
import sys

import pytest

from tests.conftest import ROOT
from timeline.cli import main, summary
from timeline.model import Timeline


def run_cli(*arguments: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "timeline", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )


def test_validate_curated_file_exits_zero():
    result = run_cli("validate", "events.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("events.yaml: ")
    assert " events, 5 sources, " in result.stdout


def test_validate_defaults_to_events_yaml():
    assert run_cli("validate").stdout == run_cli("validate", "events.yaml").stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"events: [\n", "bad.yaml:2:1: error: YAML syntax: did not find expected node "
         "content"),
        (b"events:\n  - id: x\n title: y\n", "bad.yaml:3:2: error: YAML syntax: did not "
         "find expected key (while parsing a block mapping at line 1)"),
        (b"- 1\n", "bad.yaml:1:1: error: expected a mapping with sources, places, actors, "
         "stories and events at the top level, found a list"),
        (b"\xff\xfe", "bad.yaml:1:1: error: byte 0xff is not valid UTF-8 (expected a UTF-8 "
         "text file)"),
    ],
)  # fmt: skip
def test_validate_invalid_file_exits_one_without_traceback(tmp_path, content, expected):
    (tmp_path / "bad.yaml").write_bytes(content)
    result = run_cli("validate", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == expected
    assert result.stdout.splitlines()[-1].startswith("bad.yaml: invalid: 1 error")
    assert "Traceback" not in result.stdout + result.stderr


def test_validate_missing_file(tmp_path):
    result = run_cli("validate", "nowhere.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "nowhere.yaml: error: cannot read the file: No such file or directory"
    )


def test_usage_error_exits_two(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2


@pytest.mark.parametrize(
    ("timeline", "line"),
    [
        (Timeline("e.yaml"), "e.yaml: 0 events, 0 sources, 0 places, 0 actors, 0 stories"),
    ],
)
def test_summary(timeline, line):
    assert summary(timeline) == line
