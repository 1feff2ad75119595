"""The command line's conventions: streams, exit statuses, help, closed pipes, no tracebacks."""

import os
import re
import subprocess
import sys

import pytest

import timeline.cli.validate
from tests.conftest import ROOT
from timeline.cli import main
from timeline.errors import InvalidDate


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


def test_validate_reports_on_stdout_only(tmp_path):
    """validate's report is its result: problems and summary on stdout, nothing on stderr."""
    (tmp_path / "bad.yaml").write_bytes(b"- 1\n")
    result = run_cli("validate", "bad.yaml", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, "")
    assert result.stdout.splitlines() == [
        "bad.yaml:1:1: error: expected a mapping with sources, places, actors, stories and "
        "events at the top level, found a list",
        "bad.yaml: invalid: 1 error, 0 warnings",
    ]


COMMANDS = [
    "validate", "extract", "extract-corpus", "add-article", "export", "publish", "import-acled",
    "synth",
]  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: python -m timeline {command} ")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_ends_its_help_with_the_exit_statuses(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    words = " ".join(capsys.readouterr().out.split())
    assert words.endswith(
        " exit status: 0 done, 1 invalid input or refused (nothing written), 2 usage error or "
        "internal error (a bug: please report it); results go to stdout, problems to stderr"
    )


def test_a_command_without_a_description_shows_its_summary(capsys):
    with pytest.raises(SystemExit):
        main(["synth", "--help"])
    paragraphs = capsys.readouterr().out.split("\n\n")
    assert paragraphs[1] == "Write a synthetic events file or article corpus for benchmarks."


def test_options_are_never_abbreviated(capsys):
    """`--sto` is not `--story`: an abbreviation would change meaning once a second option
    starts the same way."""
    with pytest.raises(SystemExit) as caught:
        main(["export", "--format", "json", "--sto", "kharkiv"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.endswith("error: unrecognized arguments: --sto\n")


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    listed = re.findall(r"(?m)^ {4}(\S+)", capsys.readouterr().out)
    assert listed == COMMANDS


# Every command writes to stdout; a reader that went away (`| head`) must end it quietly.
PIPED = [
    ("--help",),
    ("validate", "events.yaml"),
    ("export", "--format", "json", "events.yaml"),
    ("publish", "--out", "{tmp}/story.html", "events.yaml"),
    ("add-article", "seeds/001_935721823d8254c9.txt", "--outlet", "X", "--published",
     "2022-09-12", "--dry-run"),
    ("extract", "seeds/001_935721823d8254c9.txt"),
    ("import-acled", "{tmp}/acled-ukraine-2022.csv", "--into", "{tmp}/events.yaml",
     "--story", "autumn-2022", "--dry-run"),
    ("synth", "--events", "3", "--out", "{tmp}/synthetic.yaml"),
    ("extract-corpus", "seeds/001_935721823d8254c9.txt", "--out", "{tmp}/c.parquet",
     "--workers", "0", "--published", "2022-09-12"),
]  # fmt: skip


@pytest.mark.parametrize("argv", PIPED, ids=lambda argv: argv[0])
def test_a_closed_pipe_ends_quietly(tmp_path, argv):
    for path in (ROOT / "tests" / "data" / "acled").iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes a byte
    try:
        result = subprocess.run(
            [sys.executable, "-m", "timeline", *(a.format(tmp=tmp_path) for a in argv)],
            cwd=ROOT,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (1, "")


def test_an_unexpected_exception_is_one_line_on_stderr(monkeypatch, capsys):
    def broken(path):
        raise RuntimeError("boom")

    monkeypatch.setattr(timeline.cli.validate, "load_timeline_cached", broken)
    assert main(["validate", "e.yaml"]) == 2
    assert capsys.readouterr() == (
        "",
        "timeline: internal error: RuntimeError: boom (please report it)\n",
    )


def test_a_domain_error_no_command_expects_is_one_line_on_stderr(monkeypatch, capsys):
    def refused(path):
        raise InvalidDate("date '2022-13' has no month 13")

    monkeypatch.setattr(timeline.cli.validate, "load_timeline_cached", refused)
    assert main(["validate", "e.yaml"]) == 1
    assert capsys.readouterr() == ("", "timeline: error: date '2022-13' has no month 13\n")
