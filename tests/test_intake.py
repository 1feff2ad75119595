"""Taking candidates in (timeline.intake): one planning for `extract --into` and `add-article`
links a second report to the event it reports, appends the rest, never re-adds rejected words,
keeps only the chosen candidates, and adds nothing on a second run."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import copy_small
from timeline.candidates import CandidateEvent
from timeline.cli import main
from timeline.errors import UnknownSource
from timeline.extract import extract, read_one
from timeline.intake import (
    IntakePlan,
    NewArticle,
    Pick,
    add_article,
    plan_candidates,
    save,
    valid_timeline,
)
from timeline.load import load_timeline
from timeline.model import Timeline
from timeline.write import FileChanged

# The small file's sources, then two more whose files are articles of the folder; and two
# countries, so that the gazetteer knows the demonyms ("Russian", "Ukrainian").
SOURCES = (
    "    file: article-b.txt\n"
    "  - id: ki\n"
    "    outlet: The Kyiv Independent\n"
    "    published: 2022-09-13\n"
    "    published_note: dateline\n"
    "    file: seeds/report.txt\n"
    "  - id: ki-full\n"
    "    outlet: The Kyiv Independent\n"
    "    published: 2022-09-13\n"
    "    published_note: dateline\n"
    "    file: seeds/full.txt\n"
    "places:\n"
    "  - {id: ukraine, name: Ukraine, kind: country, country: Ukraine, lat: 48.38, lon: 31.17}\n"
    "  - {id: russia, name: Russia, kind: country, country: Russia, lat: 61.524, lon: 105.3188}\n"
)
LINKED = "Missile strikes cut power in Kharkiv on Sunday night, the regional governor said."
ADVANCE = "Ukrainian troops entered the town of Balakliia on Thursday after days of fighting."
SHELLING = "Russian forces shelled the outskirts of Izium on Monday morning."
# kharkiv-strikes' one citation, and the one a second report of it adds after it
CITED = (
    "      - source: a\n"
    "        quote: A wave of missile strikes on Sunday night caused power cuts in Kharkiv.\n"
)
REPORT_CITED = f"      - source: ki\n        quote: {LINKED}\n"
FULL_CITED = f"      - source: ki-full\n        quote: {LINKED}\n"
REJECTED = (
    "  - id: rejected-report\n"
    "    title: Missile strikes cut power in Kharkiv\n"
    "    date: 2022-09-11\n"
    "    category: strike\n"
    "    origin: extracted\n"
    "    status: rejected\n"
    "    sources:\n"
    "      - source: ki\n"
    f"        quote: {LINKED}\n"
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The small events file with two more sources: seeds/report.txt (one sentence, a second
    report of kharkiv-strikes) and seeds/full.txt (that sentence and two new events); the cwd."""
    events = copy_small(tmp_path)
    text = events.read_text()
    events.write_text(text.replace("    file: article-b.txt\nplaces:\n", SOURCES, 1))
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "report.txt").write_text(LINKED + "\n")
    (tmp_path / "seeds" / "full.txt").write_text(f"{LINKED}\n\n{ADVANCE}\n\n{SHELLING}\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli(capsys: pytest.CaptureFixture) -> Callable[..., tuple[int, str, str]]:
    """The command line, run in this process: arguments in; exit status, stdout, stderr out."""

    def run(*arguments: str) -> tuple[int, str, str]:
        return (main(list(arguments)), *capsys.readouterr())

    return run


# extract --into


def test_a_second_report_becomes_a_further_source_of_the_event(folder, cli):
    before = (folder / "events.yaml").read_bytes()
    status, out, err = cli("extract", "seeds/report.txt", "--into", "events.yaml")
    assert (status, err) == (0, "")
    assert out == (
        "events.yaml: added 0 candidate events; 1 candidate cited by 'kharkiv-strikes' (0 "
        "already present); 2 lines added after line 63\n"
    )
    expected = before.replace(CITED.encode(), (CITED + REPORT_CITED).encode(), 1)
    assert expected != before
    assert (folder / "events.yaml").read_bytes() == expected


def test_a_second_run_adds_nothing(folder, cli):
    cli("extract", "seeds/report.txt", "--into", "events.yaml")
    once = (folder / "events.yaml").read_bytes()
    status, out, err = cli("extract", "seeds/report.txt", "--into", "events.yaml")
    assert (status, out, err) == (
        0, "events.yaml: nothing to add from seeds/report.txt (1 already present)\n", ""
    )  # fmt: skip
    assert (folder / "events.yaml").read_bytes() == once


def test_linked_and_new_candidates_in_one_write(folder, cli):
    before = (folder / "events.yaml").read_bytes()
    status, out, err = cli("extract", "seeds/full.txt", "--into", "events.yaml")
    assert (status, err) == (0, "")
    assert out.startswith(
        "events.yaml: added 2 candidate events; 1 candidate cited by 'kharkiv-strikes' (0 "
        "already present); 2 lines added after line 63; "
    )
    after = (folder / "events.yaml").read_bytes()
    linked = before.replace(CITED.encode(), (CITED + FULL_CITED).encode(), 1)
    assert after.startswith(linked)  # one citation inserted, then the new events appended
    timeline = load_timeline(folder / "events.yaml")
    assert timeline.problems == []
    added = {e.sources[0].quote: e.status for e in timeline.events if e.origin == "extracted"}
    assert added == {
        "The governor said more than 40 settlements had been reclaimed.": "candidate",
        ADVANCE: "candidate",
        SHELLING: "candidate",
    }


def test_rejected_words_are_never_added_again(folder, cli):
    events = folder / "events.yaml"
    events.write_bytes(events.read_bytes() + REJECTED.encode())
    before = events.read_bytes()
    status, out, err = cli("extract", "seeds/report.txt", "--into", "events.yaml")
    assert (status, out, err) == (
        0,
        "events.yaml: nothing to add from seeds/report.txt (0 already present; 1 rejected "
        "before)\n",
        "",
    )
    assert events.read_bytes() == before


def test_dry_run_prints_the_diff_and_writes_nothing(folder, cli):
    before = (folder / "events.yaml").read_bytes()
    status, out, err = cli("extract", "seeds/report.txt", "--into", "events.yaml", "--dry-run")
    assert (status, err) == (0, "")
    assert out == (
        "--- events.yaml\n"
        "+++ events.yaml\n"
        "@@ -61,6 +61,8 @@\n"
        "     sources:\n"
        "       - source: a\n"
        "         quote: A wave of missile strikes on Sunday night caused power cuts in Kharkiv.\n"
        "+      - source: ki\n"
        f"+        quote: {LINKED}\n"
        "     links:\n"
        "       - {event: power-restored, relation: caused}\n"
        "   - id: counteroffensive-begins\n"
        "# events.yaml: added 0 candidate events; 1 candidate cited by 'kharkiv-strikes' (0 "
        "already present); dry run, nothing written\n"
    )
    assert (folder / "events.yaml").read_bytes() == before


def test_an_article_the_file_cannot_cite_is_refused_with_the_command_that_registers_it(folder, cli):
    (folder / "new.txt").write_text("date 2022-09-12\nKharkiv was shelled on Sunday.\n")
    before = (folder / "events.yaml").read_bytes()
    assert cli("extract", "new.txt", "--into", "events.yaml") == (
        1,
        "",
        "events.yaml: error: new.txt is not the file of any source in events.yaml (register it "
        "with: python -m timeline add-article new.txt --outlet NAME --published YYYY-MM-DD "
        "--into events.yaml; it extracts and adds in the same write)\n",
    )
    assert (folder / "events.yaml").read_bytes() == before


def test_the_listing_without_into_keeps_its_keys_and_names_the_event_reported(folder, cli):
    status, out, _ = cli("extract", "seeds/report.txt")
    rows = json.loads(out)
    assert status == 0
    assert list(rows[0]) == [
        "source", "source_id", "published", "published_from", "text", "start", "end",
        "date_start", "date_end", "precision", "mention_date", "sentence", "sentence_start",
        "sentence_end", "anchor", "candidate_id", "title", "date", "stories", "category",
        "places", "actors", "figures", "quote", "sources", "origin", "status", "same_as",
        "doubts",
    ]  # fmt: skip
    assert {row["same_as"] for row in rows} == {"kharkiv-strikes"}


# The planning, as a library


def _extracted(folder: Path, article: str) -> tuple[bytes, Timeline, list[CandidateEvent]]:
    """The events file's bytes, its timeline and the candidates of one of its articles."""
    data = (folder / "events.yaml").read_bytes()
    timeline = valid_timeline(data, folder / "events.yaml")
    events = extract([read_one(str(folder / article), date(2022, 9, 13), timeline)], timeline)
    return data, timeline, events


def test_two_clauses_reporting_one_event_cite_its_words_once(folder):
    data, timeline, (event,) = _extracted(folder, "seeds/report.txt")
    twin = CandidateEvent(list(event.members), event.id + "-2", event.stories, event.same_as)
    plan = plan_candidates(data, folder / "events.yaml", timeline, [event, twin])
    assert (plan.linked, plan.present) == ([(event.id, "kharkiv-strikes")], 1)
    assert plan.new_data == data.replace(CITED.encode(), (CITED + REPORT_CITED).encode(), 1)


def test_only_the_chosen_candidates_are_taken_in(folder):
    data, timeline, events = _extracted(folder, "seeds/full.txt")
    chosen = next(e for e in events if e.first.sentence == ADVANCE)
    only = [Pick.of(chosen.first)]
    plan = plan_candidates(data, folder / "events.yaml", timeline, events, only=only)
    assert (plan.added, plan.linked, plan.present) == ([chosen.id], [], 0)
    assert plan.new_data.startswith(data)
    appended = plan.new_data[len(data) :].decode()
    assert f"        quote: {ADVANCE}\n" in appended
    assert SHELLING not in appended


def test_nothing_chosen_changes_nothing(folder):
    data, timeline, events = _extracted(folder, "seeds/full.txt")
    plan = plan_candidates(data, folder / "events.yaml", timeline, events, only=[])
    assert (plan.changed, plan.added, plan.linked, plan.present) == (False, [], [], 0)


def test_add_article_registers_the_source_once_and_adds_the_chosen_candidate(folder):
    (folder / "seeds" / "other.txt").write_text(f"{SHELLING}\n\n{ADVANCE}\n")
    article = NewArticle("seeds/other.txt", "BBC News", date(2022, 9, 13))
    _, _, events = _extracted(folder, "seeds/other.txt")
    assert len(events) == 2
    shelling = next(Pick.of(e.first) for e in events if e.first.sentence == SHELLING)
    plan, changes = add_article(folder / "events.yaml", article, only=[shelling])
    assert (plan.source_id, plan.source_added, len(plan.added)) == ("bbc-2022-09-13", True, 1)
    # the source after the last one (line 22), then the event at the end (line 101)
    assert changes.startswith("5 lines added after line 22; ")
    assert changes.endswith(" lines added after line 101")
    timeline = load_timeline(folder / "events.yaml")
    assert timeline.problems == []
    cited = [c.quote for e in timeline.events for c in e.sources if c.source == "bbc-2022-09-13"]
    assert cited == [SHELLING]

    again, _ = add_article(folder / "events.yaml", article, only=[shelling])
    assert (again.changed, again.source_added, again.present) == (False, False, 1)


def test_a_plan_is_not_written_over_a_file_that_changed_since(folder):
    data, timeline, events = _extracted(folder, "seeds/report.txt")
    plan = plan_candidates(data, folder / "events.yaml", timeline, events)
    edited = data + b"# a comment saved meanwhile\n"
    (folder / "events.yaml").write_bytes(edited)
    with pytest.raises(FileChanged):
        save(folder / "events.yaml", plan)
    assert (folder / "events.yaml").read_bytes() == edited


def test_an_unregistered_article_cannot_be_planned_without_its_source(folder):
    (folder / "seeds" / "other.txt").write_text(f"{SHELLING}\n")
    data, timeline, events = _extracted(folder, "seeds/other.txt")
    with pytest.raises(UnknownSource):
        plan_candidates(data, folder / "events.yaml", timeline, events)


@pytest.mark.parametrize(
    ("added", "linked", "present", "rejected", "source", "changed", "expected"),
    [
        (["x"], [], 0, 0, (None, False), True,
         "e.yaml: added 1 candidate event (0 already present)"),
        ([], [("x", "t"), ("y", "t"), ("z", "u")], 2, 1, (None, False), True,
         "e.yaml: added 0 candidate events; 3 candidates cited by 't', 'u' (2 already present; "
         "1 rejected before)"),
        (["x", "y"], [], 0, 0, ("s", True), True,
         "e.yaml: registered source 's'; added 2 candidate events (0 already present)"),
        ([], [], 3, 0, ("s", False), False,
         "e.yaml: nothing to add from a.txt (source 's' already there; 3 already present)"),
        ([], [], 1_200, 0, (None, False), False,
         "e.yaml: nothing to add from a.txt (1,200 already present)"),
    ],
)  # fmt: skip
def test_summary(added, linked, present, rejected, source, changed, expected):
    new_data = b"new" if changed else b"old"
    plan = IntakePlan(b"old", new_data, added, linked, present, rejected, *source)
    assert plan.summary("e.yaml", "a.txt") == expected


def test_a_dry_run_diff_marks_a_last_line_without_its_newline(folder, cli):
    events = folder / "events.yaml"
    events.write_text(events.read_text().rstrip("\n"))
    code, out, err = cli(
        "add-article", "seeds/full.txt", "--outlet", "Wire", "--published", "2022-09-12",
        "--into", "events.yaml", "--dry-run",
    )  # fmt: skip
    assert (code, err) == (0, "")
    removed = [line for line in out.splitlines() if line.startswith("-") and "\n" not in line]
    # The old last line comes out and back in, marked as diff -u marks it, never glued on.
    assert "\\ No newline at end of file" in out.splitlines()
    assert not [line for line in removed if "+  " in line]


@pytest.mark.parametrize("article", ["seeds/latin1.txt", "seeds"])
def test_an_article_that_cannot_be_read_is_named_not_the_events_file(folder, cli, article):
    (folder / "seeds" / "latin1.txt").write_bytes(
        "Kyiv was hit on Monday \u2013 \xe9".encode("cp1252")
    )
    before = (folder / "events.yaml").read_bytes()
    code, _, err = cli(
        "add-article", article, "--outlet", "Wire", "--published", "2022-09-12",
        "--into", "events.yaml",
    )  # fmt: skip
    assert code == 1
    assert err.startswith(f"{article}: error: "), err
    assert (folder / "events.yaml").read_bytes() == before
