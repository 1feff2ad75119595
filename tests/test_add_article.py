"""`add-article`: one command registers a source and adds its candidates; a second adds nothing."""

from __future__ import annotations

import difflib
import re
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import copy_small
from timeline.cli import main
from timeline.edits import set_status
from timeline.intake import relative_file, source_id
from timeline.load import load_timeline

ARTICLE = (
    "Missile strikes cut power in Kharkiv on Sunday night, the regional governor said.\n\n"
    "Ukrainian troops entered the town of Balakliia on Thursday after days of fighting.\n\n"
    "Russian forces shelled the outskirts of Izium on Monday morning.\n"
)
COUNTRIES = (
    "places:\n"
    "  - {id: ukraine, name: Ukraine, kind: country, country: Ukraine, lat: 48.38, lon: 31.17}\n"
    "  - {id: russia, name: Russia, kind: country, country: Russia, lat: 61.524, lon: 105.3188}\n"
)
SOURCE_LINES = (
    "  - id: kyiv-independent-2022-09-13\n"
    "    outlet: The Kyiv Independent\n"
    "    published: 2022-09-13\n"
    "    published_note: Given on the command line (--published).\n"
    "    file: seeds/new.txt\n"
    "    url: https://kyivindependent.com/a\n"
    "    author: A. Reporter\n"
)
ADD = [
    "add-article", "seeds/new.txt", "--outlet", "The Kyiv Independent", "--published",
    "2022-09-13", "--url", "https://kyivindependent.com/a", "--author", "A. Reporter",
]  # fmt: skip


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small events file (with two countries) and a new article in seeds/, as the cwd."""
    events = copy_small(tmp_path)
    events.write_text(events.read_text().replace("places:\n", COUNTRIES, 1))
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "new.txt").write_text(ARTICLE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture, *arguments: str) -> tuple[int, str, str]:
    status = main(list(arguments))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def only_insertions(before: str, after: str) -> bool:
    """Whether `after` is `before` with lines inserted and none changed or removed."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(True), after.splitlines(True))
    return all(tag in ("equal", "insert") for tag, *_ in matcher.get_opcodes())


def test_first_run_registers_the_source_and_adds_candidates(folder, capsys):
    before = (folder / "events.yaml").read_text()
    status, out, err = run(capsys, *ADD)
    after = (folder / "events.yaml").read_text()
    assert (status, err) == (0, "")
    assert out.startswith("events.yaml: registered source 'kyiv-independent-2022-09-13'; added "), (
        out
    )
    assert "    file: article-b.txt\n" + SOURCE_LINES + "places:\n" in after
    assert only_insertions(before, after)
    timeline = load_timeline(folder / "events.yaml")
    assert timeline.problems == []
    new = [e for e in timeline.events if e.sources[-1].source == "kyiv-independent-2022-09-13"]
    assert new, "no event cites the new source"
    assert all(e.status == "candidate" for e in new if e.origin == "extracted")


def test_second_run_adds_nothing(folder, capsys):
    run(capsys, *ADD)
    before = (folder / "events.yaml").read_bytes()
    status, out, err = run(capsys, *ADD)
    assert (status, err) == (0, "")
    assert re.fullmatch(
        r"events\.yaml: nothing to add from seeds/new\.txt \(source 'kyiv-independent-2022-09-13' "
        r"already there; \d+ already present\)\n",
        out,
    ), out
    assert (folder / "events.yaml").read_bytes() == before


def test_the_same_article_under_another_name_is_recognised_by_its_content(folder, capsys):
    run(capsys, *ADD)
    (folder / "seeds" / "copy.txt").write_text(ARTICLE)
    before = (folder / "events.yaml").read_bytes()
    status, out, _ = run(capsys, *[a if a != "seeds/new.txt" else "seeds/copy.txt" for a in ADD])
    assert status == 0
    assert "nothing to add from seeds/copy.txt (source 'kyiv-independent-2022-09-13'" in out
    assert (folder / "events.yaml").read_bytes() == before


def test_a_rejected_candidate_is_never_added_again(folder, capsys):
    run(capsys, *ADD)
    timeline = load_timeline(folder / "events.yaml")
    candidate = next(e for e in timeline.events if e.status == "candidate")
    set_status(folder / "events.yaml", candidate.id, "rejected", None)
    before = (folder / "events.yaml").read_bytes()
    (folder / "seeds" / "copy.txt").write_text(ARTICLE)
    status, out, _ = run(capsys, *[a if a != "seeds/new.txt" else "seeds/copy.txt" for a in ADD])
    assert status == 0
    assert "; 1 rejected before)" in out
    assert (folder / "events.yaml").read_bytes() == before


def test_dry_run_prints_the_diff_and_writes_nothing(folder, capsys):
    before = (folder / "events.yaml").read_bytes()
    status, out, err = run(capsys, *ADD, "--dry-run")
    assert (status, err) == (0, "")
    assert out.startswith("--- events.yaml\n+++ events.yaml\n@@ ")
    assert "".join("+" + line for line in SOURCE_LINES.splitlines(True)) in out
    assert out.endswith("; dry run, nothing written\n")
    assert (folder / "events.yaml").read_bytes() == before


def test_refuses_an_article_outside_the_folder(folder, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "new.txt"
    outside.write_text(ARTICLE)
    before = (folder / "events.yaml").read_bytes()
    status, out, err = run(capsys, *[str(outside) if a == "seeds/new.txt" else a for a in ADD])
    assert (status, out) == (1, "")
    assert err == (
        f"events.yaml: error: {outside} is not in {folder.resolve()}, the folder of events.yaml, "
        "or below it (a source's file is kept relative to that folder, so that quotes can be "
        f"checked wherever it goes); copy it in first, e.g. cp {outside} seeds/, and add the "
        "copy\n"
    )
    assert (folder / "events.yaml").read_bytes() == before


def test_refuses_an_invalid_events_file(folder, capsys):
    events = folder / "events.yaml"
    events.write_text(events.read_text().replace("category: strike", "category: striek", 1))
    before = events.read_bytes()
    status, out, err = run(capsys, *ADD)
    assert (status, out) == (1, "")
    assert err == (
        "events.yaml: error: the file has 1 error (run: python -m timeline validate "
        "events.yaml); nothing added\n"
    )
    assert events.read_bytes() == before


@pytest.mark.parametrize(
    ("outlet", "taken", "expected"),
    [
        ("BBC News", set(), "bbc-2022-09-12"),
        ("BBC News", {"bbc-2022-09-12"}, "bbc-2022-09-12-2"),
        ("BBC News", {"bbc-2022-09-12", "bbc-2022-09-12-2"}, "bbc-2022-09-12-3"),
        ("The Independent", set(), "independent-2022-09-12"),
        ("Radio Free Europe/Radio Liberty (RFE/RL)", set(), "rferl-2022-09-12"),
        ("The New York Times", set(), "new-york-times-2022-09-12"),
        ("Courthouse News Service", set(), "courthouse-2022-09-12"),
        ("Новая газета", set(), "source-2022-09-12"),
    ],
)
def test_source_ids_from_outlet_and_day(outlet, taken, expected):
    assert source_id(outlet, date(2022, 9, 12), taken) == expected


def test_the_file_is_kept_relative_to_the_events_folder(tmp_path):
    (tmp_path / "seeds" / "deep").mkdir(parents=True)
    article = tmp_path / "seeds" / "deep" / "a.txt"
    article.write_text(ARTICLE)
    assert relative_file(article, tmp_path / "events.yaml") == "seeds/deep/a.txt"
