from collections import Counter

import pytest

from timeline.cli import main
from timeline.load import load_timeline
from timeline.synth import write_articles, write_synthetic
from timeline.temporal import dateline


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


def test_articles_same_seed_same_bytes_and_dated(tmp_path):
    counts = write_articles(30, 4, tmp_path / "a")
    write_articles(30, 4, tmp_path / "b")
    files = sorted((tmp_path / "a").rglob("*.txt"))
    assert len(files) == counts["articles"] == 30
    for path in [*files, tmp_path / "a" / "dates.csv"]:
        assert path.read_bytes() == (tmp_path / "b" / path.relative_to(tmp_path / "a")).read_bytes()
    header, *rows = (tmp_path / "a" / "dates.csv").read_text().splitlines()
    assert header == "path,published,outlet,url"
    for row in rows:  # the dates file and each article's own date line agree
        name, published, outlet, url = row.split(",")
        text = (tmp_path / "a" / name).read_text()
        assert dateline(text)[0].isoformat() == published
        assert outlet
        assert url.startswith("https://")
    assert 5 * 30 <= counts["sentences"] <= 12 * 30


def test_articles_go_a_thousand_to_a_folder(tmp_path):
    write_articles(1001, 1, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0000", "0001", "dates.csv"]
    assert [p.name for p in (tmp_path / "0001").iterdir()] == ["article-0001000.txt"]


def test_cli_articles(tmp_path, capsys):
    out = tmp_path / "corpus"
    assert main(["synth", "--articles", "3", "--seed", "1", "--out", str(out)]) == 0
    printed, err = capsys.readouterr()
    assert (printed.startswith(f"{out}: 3 articles ("), err) == (True, "")
    assert printed.endswith(f" sentences), dates in {out / 'dates.csv'}\n")


def test_cli_wants_events_or_articles(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["synth", "--events", "3", "--articles", "3", "--out", "x"])
    assert caught.value.code == 2
    assert "argument --articles: not allowed with argument --events" in capsys.readouterr().err
