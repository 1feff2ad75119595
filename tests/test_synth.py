from collections import Counter

import pytest

from timeline.cli import main
from timeline.load import load_timeline
from timeline.synth import write_synthetic


@pytest.mark.parametrize(("events", "seed"), [(0, 1), (300, 1), (300, 2)])
def test_synthetic_files_validate(tmp_path, events, seed):
    out = tmp_path / "synthetic.yaml"
    write_synthetic(events, seed, out)
    timeline = load_timeline(out)
    assert timeline.errors == []
    assert len(timeline.events) == events


def test_same_seed_same_file_and_a_realistic_mix(tmp_path):
    first, second = tmp_path / "a" / "e.yaml", tmp_path / "b" / "e.yaml"
    write_synthetic(400, 7, first)
    write_synthetic(400, 7, second)
    assert first.read_bytes() == second.read_bytes()
    events = load_timeline(first).events
    precisions = Counter(event.date.precision.value for event in events)
    assert precisions["day"] > precisions["range"] > precisions["year"]
    assert {"part of day", "week", "part of month", "month"} <= set(precisions)
    assert sum(len(event.sources) > 1 for event in events) > 50
    assert any(event.figures for event in events)
    assert any(event.links for event in events)


def test_cli(tmp_path, capsys):
    assert main(["synth", "--events", "50", "--seed", "3", "--out", str(tmp_path / "s.yaml")]) == 0
    out, err = capsys.readouterr()
    assert (out.startswith(f"{tmp_path / 's.yaml'}: 50 events, "), err) == (True, "")


def test_cli_reports_an_unwritable_output(tmp_path, capsys):
    (tmp_path / "taken").write_text("a file, not a folder")
    out = tmp_path / "taken" / "s.yaml"
    assert main(["synth", "--events", "5", "--out", str(out)]) == 1
    assert capsys.readouterr() == ("", f"{tmp_path / 'taken'}: error: cannot write: File exists\n")
