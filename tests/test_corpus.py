"""Extracting an archive to Parquet (timeline.corpus), querying it (timeline.corpus_query), its
chart, its command and its dashboard view."""

import hashlib
import multiprocessing
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import ROOT
from timeline import corpus as corpus_module
from timeline.cli import main
from timeline.corpus import (
    ARTICLES_FOLDER,
    SCHEMA,
    CorpusError,
    Failure,
    Job,
    MissingDependency,
    batch_sizes,
    batches,
    candidate_rows,
    expand,
    extract_corpus,
    plan_jobs,
    read_candidates,
    read_dates,
    require_dask,
)
from timeline.corpus_figures import per_day_figure
from timeline.corpus_query import (
    Corpus,
    CorpusFilter,
    NoCandidates,
    chosen_articles,
    send_to_review,
)
from timeline.extract import extract, read_one
from timeline.intake import NewArticle, Pick
from timeline.load import load_timeline
from timeline.synth import write_articles, write_synthetic

EVENTS = str(ROOT / "events.yaml")


def corpus_jobs(folder: Path) -> list[Job]:
    jobs, failures = plan_jobs(expand([str(folder)]), read_dates(folder / "dates.csv"), None)
    assert failures == []
    return jobs


def folder_bytes(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "articles"
    write_articles(24, 5, folder)
    return folder


@pytest.fixture(scope="module")
def serial(articles, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "candidates.parquet"
    summary = extract_corpus(corpus_jobs(articles), out, EVENTS, workers=0, batch_size=5)
    assert (summary.found, summary.extracted, summary.failures) == (24, 24, [])
    return out


def test_rows_are_what_extract_finds_in_each_article(articles, serial):
    timeline = load_timeline(EVENTS)
    expected = []
    for path in expand([str(articles)]):
        for event in extract([read_one(path, None, timeline)], timeline):
            expected += [
                (path, m.sentence, m.title, str(m.date), m.category) for m in event.members
            ]
    rows = read_candidates(serial).to_pylist()
    found = [(r["path"], r["sentence"], r["title"], r["date"], r["category"]) for r in rows]
    assert sorted(found) == sorted(expected)
    assert len(found) > 24  # every synthetic article has dated sentences


def test_the_dates_file_gives_outlet_url_and_published(articles, serial):
    first = read_candidates(serial).slice(0, 1).to_pylist()[0]
    line = next(
        row for row in (articles / "dates.csv").read_text().splitlines()
        if first["path"].endswith(row.split(",")[0])
    )  # fmt: skip
    _, published, outlet, url = line.split(",")
    assert (first["published"].isoformat(), first["outlet"], first["url"]) == (
        published, outlet, url,
    )  # fmt: skip
    assert first["published_from"] == "dates file"


def test_same_input_same_bytes(articles, serial, tmp_path):
    again = tmp_path / "again.parquet"
    extract_corpus(corpus_jobs(articles), again, EVENTS, workers=0, batch_size=5)
    assert folder_bytes(again) == folder_bytes(serial)
    assert len(list(again.glob("part-*.parquet"))) == 5  # 24 articles in batches of 5


@pytest.mark.slow
def test_a_local_dask_cluster_writes_the_same_rows_and_bytes(articles, serial, tmp_path):
    out = tmp_path / "dask.parquet"
    # planned while the workers start, as the command does
    summary = extract_corpus(lambda: corpus_jobs(articles), out, EVENTS, workers=2, batch_size=5)
    assert (summary.extracted, summary.failures) == (24, [])
    assert len(summary.peak_kb_by_worker) == 2  # both workers took batches
    assert read_candidates(out).to_pylist() == read_candidates(serial).to_pylist()
    assert folder_bytes(out) == folder_bytes(serial)


@pytest.mark.slow
def test_a_local_cluster_runs_without_the_dashboards_background_work():
    import dask
    import distributed  # noqa: F401 (its settings exist once it is imported)

    before = dask.config.get("distributed.admin.tick.interval")
    with corpus_module._client(None, 1) as client:
        (settings,) = client.run(_background_work).values()
    assert settings == {
        "profiler": False,
        "tick": 1.0,
        "system monitor": 5.0,
        "start method": "forkserver",
    }
    assert dask.config.get("distributed.admin.tick.interval") == before  # the caller's, as it was


def _background_work(dask_worker) -> dict:
    callbacks = dask_worker.periodic_callbacks
    return {
        "profiler": "profile" in callbacks,
        "tick": callbacks["tick"].callback_time / 1000,
        "system monitor": callbacks["monitor"].callback_time / 1000,
        "start method": multiprocessing.get_start_method(),
    }


@pytest.mark.slow
def test_a_local_cluster_leaves_the_workers_imports_to_them(tmp_path):
    """The server that forks the workers imports pandas for them; this process does not."""
    write_articles(2, 1, tmp_path / "articles")
    code = (
        "import sys\n"
        "from timeline.corpus import expand, extract_corpus, plan_jobs, read_dates\n"
        "if __name__ == '__main__':\n"
        f"    paths = expand([{str(tmp_path / 'articles')!r}])\n"
        f"    dates = read_dates({str(tmp_path / 'articles' / 'dates.csv')!r})\n"
        "    jobs, _ = plan_jobs(paths, dates, None)\n"
        f"    summary = extract_corpus(jobs, {str(tmp_path / 'out')!r}, workers=1)\n"
        "    print(summary.extracted, 'pandas' in sys.modules)\n"
    )
    (tmp_path / "run.py").write_text(code)
    result = subprocess.run(
        [sys.executable, str(tmp_path / "run.py")], capture_output=True, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True,
    )  # fmt: skip
    assert result.stdout == "2 False\n"


@pytest.mark.parametrize(
    ("count", "size", "sizes"),
    [
        (0, 100, []),
        (5, 100, [5]),
        (24, 5, [5, 5, 5, 5, 4]),  # below the smallest batch: no shrinking
        (170, 20, [20, 19, 17, 15, 13, 11, 10, 10, 10, 10, 10, 10, 10, 5]),
        (1000, 100, [100, 100, 100, 88, 77, 67, 59, 52, 45, 39, 35, 30, 26, 23, 20, 18, 16, 14,
                     12, 10, 10, 10, 10, 10, 10, 10, 9]),
    ],
)  # fmt: skip
def test_the_last_batches_shrink_to_the_smallest(count, size, sizes):
    assert batch_sizes(count, size) == sizes


@pytest.mark.parametrize("size", [0, -1])
def test_a_batch_of_no_articles_is_refused(size):
    with pytest.raises(ValueError, match="at least one article"):
        batch_sizes(5, size)


def test_batches_hold_every_job_once_in_path_order(articles):
    jobs = corpus_jobs(articles)
    cut = batches(list(reversed(jobs)), 20)
    assert [len(batch) for batch in cut] == [10, 10, 4]
    assert [job.path for batch in cut for job in batch] == sorted(job.path for job in jobs)


def test_resume_skips_what_is_done_and_redoes_a_changed_article(articles, serial, tmp_path):
    out = tmp_path / "resume.parquet"
    jobs = corpus_jobs(articles)
    first = extract_corpus(jobs[:10], out, EVENTS, workers=0, batch_size=5)
    assert (first.skipped, first.extracted) == (0, 10)
    written = {p.name: p.stat().st_mtime_ns for p in out.glob("part-*.parquet")}
    second = extract_corpus(jobs, out, EVENTS, workers=0, batch_size=5)
    assert (second.found, second.skipped, second.extracted) == (24, 10, 14)
    assert {p: t for p, t in written.items() if (out / p).exists()} == written  # untouched
    assert sorted(read_candidates(out).to_pylist(), key=_key) == sorted(
        read_candidates(serial).to_pylist(), key=_key
    )
    changed = Path(jobs[0].path)
    changed.write_text(changed.read_text() + "Kyiv was shelled on Monday.\n", encoding="utf-8")
    try:
        third = extract_corpus(corpus_jobs(articles), out, EVENTS, workers=0, batch_size=5)
        # its batch of five is dropped and done again; nothing else
        assert (third.skipped, third.extracted) == (19, 5)
        rows = read_candidates(out).to_pylist()
        digests = {r["sha256"] for r in rows if r["path"] == jobs[0].path}
        assert digests == {hashlib.sha256(changed.read_bytes()).hexdigest()}
    finally:
        changed.write_text(changed.read_text().replace("Kyiv was shelled on Monday.\n", ""))


def _key(row: dict) -> tuple:
    return (row["path"], row["sentence_start"], row["start"])


def test_with_nothing_left_no_cluster_is_started(articles, serial, tmp_path, monkeypatch):
    out = tmp_path / "done.parquet"
    shutil.copytree(serial, out)

    def no_cluster(*arguments):
        raise AssertionError("a cluster was started with nothing to do")

    monkeypatch.setattr(corpus_module, "_client", no_cluster)
    summary = extract_corpus(corpus_jobs(articles), out, EVENTS, workers=2, batch_size=5)
    assert (summary.skipped, summary.extracted) == (24, 0)
    assert folder_bytes(out) == folder_bytes(serial)


def test_a_part_without_its_articles_list_is_dropped(articles, tmp_path):
    out = tmp_path / "stopped.parquet"
    jobs = corpus_jobs(articles)[:5]
    extract_corpus(jobs, out, EVENTS, workers=0)
    (out / ARTICLES_FOLDER / next(out.glob("part-*.parquet")).name).unlink()  # as if stopped
    summary = extract_corpus(jobs, out, EVENTS, workers=0)
    assert (summary.skipped, summary.extracted) == (0, 5)
    assert len(list(out.glob("part-*.parquet"))) == 1


BAD_ARTICLES = [
    ("undecodable.txt", b"date 2022-10-10\n\nKyiv \xff was hit on Monday.",
     "byte 22 (0xff) is not UTF-8 (expected a UTF-8 text file)"),
    ("undated.txt", b"Russian missiles struck Kyiv on Monday.",
     "no publication date known, and none is guessed (give it in --dates, start the file "
     "with a line 'date YYYY-MM-DD', or give --published YYYY-MM-DD)"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "reason"), BAD_ARTICLES, ids=lambda v: str(v)[:12])
def test_a_bad_article_is_reported_and_the_rest_completes(tmp_path, name, content, reason):
    folder = tmp_path / "articles"
    write_articles(6, 2, folder)
    (folder / "0000" / name).write_bytes(content)
    jobs, _ = plan_jobs(expand([str(folder)]), {}, None)
    summary = extract_corpus(jobs, tmp_path / "out", EVENTS, workers=0, batch_size=3)
    assert summary.failures == [Failure(str(folder / "0000" / name), reason)]
    assert summary.extracted == 6
    assert {r["path"] for r in read_candidates(tmp_path / "out").to_pylist()} == {
        str(folder / "0000" / f"article-{n:07d}.txt") for n in range(6)
    }


def test_an_exception_in_extraction_is_one_failure(tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    write_articles(3, 2, folder)
    real = corpus_module.extract

    def fragile(articles, timeline, context=None):
        if articles[0].path.endswith("0000001.txt"):
            raise ZeroDivisionError("division by zero")
        return real(articles, timeline, context)

    monkeypatch.setattr(corpus_module, "extract", fragile)
    jobs, _ = plan_jobs(expand([str(folder)]), {}, None)
    summary = extract_corpus(jobs, tmp_path / "out", None, workers=0)
    assert summary.failures == [
        Failure(
            str(folder / "0000" / "article-0000001.txt"),
            "internal error: ZeroDivisionError: division by zero (please report it)",
        )
    ]
    assert summary.extracted == 2


def test_an_unreadable_file_is_a_failure_before_the_run(tmp_path):
    jobs, failures = plan_jobs([str(tmp_path / "gone.txt")], {}, None)
    assert (jobs, failures) == (
        [], [Failure(str(tmp_path / "gone.txt"), "cannot read the file: No such file or directory")]
    )  # fmt: skip


def test_dates_file_then_dateline_then_published(tmp_path):
    lines = "Russian missiles struck Kyiv on Monday."
    (tmp_path / "a.txt").write_text(f"date 2022-10-12\n\n{lines}")  # the dates file wins
    (tmp_path / "b.txt").write_text(f"date 2022-10-12\n\n{lines}")
    (tmp_path / "c.txt").write_text(lines)
    (tmp_path / "dates.csv").write_text("path,published,outlet,url\na.txt,2022-10-11,BBC,\n")
    jobs, _ = plan_jobs(
        [str(tmp_path / name) for name in ("a.txt", "b.txt", "c.txt")],
        read_dates(tmp_path / "dates.csv"),
        date(2022, 10, 20),
    )
    extract_corpus(jobs, tmp_path / "out", None, workers=0)
    rows = read_candidates(tmp_path / "out").to_pylist()
    assert [(Path(r["path"]).name, r["published_from"], r["date"], r["outlet"]) for r in rows] == [
        ("a.txt", "dates file", "2022-10-10", "BBC"),
        ("b.txt", "dateline", "2022-10-10", ""),
        ("c.txt", "--published", "2022-10-17", ""),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("file,published\n", "{csv}:1: error: the header has no column path "
         "(expected path,published,outlet,url)"),
        ("path,published\na.txt,2022-13-01\n", "{csv}:2: error: published '2022-13-01' is "
         "not a day (expected YYYY-MM-DD)"),
    ],
)  # fmt: skip
def test_a_bad_dates_file_says_where(tmp_path, content, message):
    csv = tmp_path / "dates.csv"
    csv.write_text(content)
    with pytest.raises(CorpusError) as caught:
        read_dates(csv)
    assert str(caught.value) == message.format(csv=csv)


@pytest.mark.parametrize(
    "path",
    ["real/a.txt", "linked/a.txt", "real/link.txt", "real/missing.txt", "linked/../a.txt",
     "real/sub/..", "real/.", "real/", "a.txt", "./real/a.txt", "real//a.txt"],
)  # fmt: skip
def test_paths_resolve_as_realpath_resolves_them(tmp_path, monkeypatch, path):
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "real" / "a.txt").write_text("x")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "link.txt").symlink_to(tmp_path / "real" / "sub" / "a.txt")
    monkeypatch.chdir(tmp_path)
    resolve = corpus_module._resolver()
    for where in (path, str(tmp_path / path)):
        resolve("real/other.txt")  # its folder is known before
        assert resolve(where) == os.path.realpath(where)


def test_expand_takes_folders_globs_and_files_once_each(tmp_path):
    for name in ("a/1.txt", "a/b/2.txt", "c.txt", "a/notes.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = expand([str(tmp_path / "a"), str(tmp_path / "*.txt"), str(tmp_path / "c.txt")])
    assert found == [str(tmp_path / p) for p in ("a/1.txt", "a/b/2.txt", "c.txt")]


def test_missing_dask_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingDependency) as caught:
        require_dask()
    assert str(caught.value) == (
        "extract-corpus needs the package 'distributed' (install it with: "
        "pip install -r requirements-corpus.txt)"
    )


# Queries, over a dataset written by hand

ROWS = [
    ("a.txt", date(2022, 10, 10), "strike", "energy-strikes", "Missiles hit Kyiv",
     "Missiles hit Kyiv on Monday."),
    ("a.txt", date(2022, 10, 10), "strike", "energy-strikes", "Drones hit Lviv",
     "Drones hit Lviv on Monday, 50% of the city dark."),
    ("b.txt", date(2022, 10, 11), "infrastructure", "energy-strikes", "Power restored in Kyiv",
     "Power was restored in Kyiv on Tuesday."),
    ("b.txt", date(2022, 9, 10), "advance", None, "Troops retake Balakliia",
     "Troops retook Balakliia on Saturday."),
]  # fmt: skip


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Corpus:
    folder = tmp_path_factory.mktemp("small") / "candidates.parquet"
    folder.mkdir()
    rows = [
        {"path": path, "published": day, "date_start": day, "date_end": day, "category": cat,
         "story": story, "title": title, "sentence": sentence, "outlet": "BBC", "url": None,
         "start": 30 * n}
        for n, (path, day, cat, story, title, sentence) in enumerate(ROWS)
    ]  # fmt: skip
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), folder / "part-1.parquet")
    return Corpus(folder)


@pytest.mark.parametrize(
    ("where", "titles"),
    [
        (CorpusFilter(), ["Troops retake Balakliia", "Missiles hit Kyiv", "Drones hit Lviv",
                          "Power restored in Kyiv"]),
        (CorpusFilter(text="kyiv"), ["Missiles hit Kyiv", "Power restored in Kyiv"]),
        (CorpusFilter(text="50%"), ["Drones hit Lviv"]),
        (CorpusFilter(text="5_%"), []),  # a wildcard character is a character to find
        (CorpusFilter(categories=("strike", "advance")),
         ["Troops retake Balakliia", "Missiles hit Kyiv", "Drones hit Lviv"]),
        (CorpusFilter(text="kyiv", stories=("energy-strikes",), categories=("strike",)),
         ["Missiles hit Kyiv"]),
    ],
)  # fmt: skip
def test_search_and_count(small, where, titles):
    assert [row["title"] for row in small.search(where)] == titles
    assert small.count(where) == len(titles)


def test_per_day_counts_by_group(small):
    assert small.per_day("category") == {
        "day": [date(2022, 9, 10), date(2022, 10, 10), date(2022, 10, 11)],
        "category": ["advance", "strike", "infrastructure"],
        "candidates": [1, 2, 1],
    }
    assert small.per_day("story", CorpusFilter(text="kyiv"))["story"] == ["energy-strikes"] * 2
    assert small.values("story") == ["energy-strikes"]


def test_a_page_at_a_time(small):
    assert [r["title"] for r in small.search(limit=2, offset=1)] == [
        "Missiles hit Kyiv", "Drones hit Lviv",
    ]  # fmt: skip


def test_a_folder_without_parts_is_not_a_dataset(tmp_path):
    with pytest.raises(NoCandidates) as caught:
        Corpus(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}: no candidates here (expected a folder of part-*.parquet files written by "
        "python -m timeline extract-corpus)"
    )


def test_chosen_rows_give_each_article_once_with_its_chosen_candidates():
    b_row = {"path": "b.txt", "outlet": "BBC", "published": date(2022, 10, 11), "url": ""}
    rows = [
        {**b_row, "sentence": "Kyiv was hit on Monday.", "start": 15},
        {"path": "a.txt", "outlet": "AP", "published": date(2022, 10, 10), "url": "u",
         "sentence": "Lviv was hit on Sunday.", "start": 15},
        {**b_row, "sentence": "Odesa was hit on Tuesday.", "start": 40},
        {**b_row, "sentence": "Kyiv was hit on Monday.", "start": 15},
    ]  # fmt: skip
    assert chosen_articles(rows) == [
        (NewArticle("a.txt", "AP", date(2022, 10, 10), "u"), [Pick("Lviv was hit on Sunday.", 15)]),
        (
            NewArticle("b.txt", "BBC", date(2022, 10, 11), None),
            [Pick("Kyiv was hit on Monday.", 15), Pick("Odesa was hit on Tuesday.", 40)],
        ),
    ]


def test_per_day_figure(small):
    figure = per_day_figure(small.per_day("category"), "category")
    assert [trace.name for trace in figure.data] == ["advance", "infrastructure", "strike"]
    assert list(figure.data[2].y) == [2]
    assert figure.data[2].marker.color == "#CC6677"
    assert figure.layout.barmode == "stack"
    assert figure.layout.yaxis.title.text == "Candidates"


# Sending to review, through add-article


@pytest.fixture
def review_folder(tmp_path: Path) -> tuple[Path, list[dict]]:
    """An events file with one event, and the candidate rows of an article in its folder as
    extract-corpus writes them (the view shows these)."""
    events = tmp_path / "events.yaml"
    write_synthetic(1, 1, events)  # (an empty list is written `[]`: nothing appends to it)
    write_articles(1, 3, tmp_path / "articles")
    article = tmp_path / "articles" / "0000" / "article-0000000.txt"
    job = Job(str(article), "", date(2022, 10, 3), "Reuters")
    timeline = load_timeline(events)
    found = extract([read_one(job.path, job.published, timeline)], timeline)
    return events, list(candidate_rows(job, found))


def test_send_to_review_adds_only_the_chosen_candidate(review_folder):
    events, rows = review_folder
    assert len(rows) > 2
    chosen = rows[1]
    no_outlet = {**chosen, "path": "other.txt", "outlet": ""}
    lines = send_to_review(events, [no_outlet, chosen])
    assert lines == [
        f"{events}: registered source 'reuters-2022-10-03'; added 1 candidate event (0 already "
        "present)",
        "other.txt: error: no outlet known for the article, so it cannot be registered as a "
        "source (give path,published,outlet,url in --dates when extracting)",
    ]
    timeline = load_timeline(events)
    assert timeline.errors == []
    assert timeline.sources["reuters-2022-10-03"].file == "articles/0000/article-0000000.txt"
    added = [e for e in timeline.events if e.id != "synthetic-event-000000"]
    assert [(e.status, [c.quote for c in e.sources]) for e in added] == [
        ("candidate", [chosen["sentence"]])
    ]


def test_send_to_review_again_registers_nothing_and_adds_the_next_choice(review_folder):
    events, rows = review_folder
    send_to_review(events, [rows[0]])
    before = events.read_bytes()
    assert send_to_review(events, [rows[0]]) == [
        f"{events}: nothing to add from {rows[0]['path']} (source 'reuters-2022-10-03' already "
        "there; 1 already present)"
    ]
    assert events.read_bytes() == before
    assert send_to_review(events, [rows[0], rows[2]]) == [
        f"{events}: added 1 candidate event (1 already present)"
    ]
    assert len(load_timeline(events).events) == 3


# The command


def test_command_summary_and_failures(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "articles"
    write_articles(4, 2, folder)
    (folder / "undated.txt").write_text("Kyiv was hit on Monday.")
    monkeypatch.chdir(tmp_path)
    argv = ["extract-corpus", "articles", "--dates", "articles/dates.csv", "--out", "c.parquet",
            "--events", EVENTS, "--workers", "0"]  # fmt: skip
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert err == (
        "articles/undated.txt: error: no publication date known, and none is guessed (give it "
        "in --dates, start the file with a line 'date YYYY-MM-DD', or give --published "
        "YYYY-MM-DD)\n"
    )
    candidates = read_candidates(tmp_path / "c.parquet").num_rows
    assert out.startswith(
        f"c.parquet: 4 articles extracted, {candidates} candidates, 0 already done, 1 failure ("
    )
    (folder / "undated.txt").unlink()
    assert main(argv) == 0  # the batch that held the failure is done again
    assert capsys.readouterr().out.startswith(
        f"c.parquet: 4 articles extracted, {candidates} candidates, 0 already done, 0 failures ("
    )
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith(
        "c.parquet: 0 articles extracted, 0 candidates, 4 already done, 0 failures ("
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nothing-*.txt"], "timeline: error: no articles found in nothing-*.txt (expected "
         "files, folders of *.txt files or glob patterns)"),
        (["a.txt", "--events", "missing.yaml"],
         "missing.yaml: error: cannot read the events file: no such file"),
    ],
)  # fmt: skip
def test_command_refusals(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("date 2022-10-10\n\nKyiv was hit on Monday.")
    assert main(["extract-corpus", *argv, "--out", "c.parquet", "--workers", "0"]) == 1
    assert capsys.readouterr() == ("", message + "\n")


# The dashboard view


def _corpus_page(events: str) -> None:
    from pathlib import Path

    from dashboard.corpus import corpus_view

    corpus_view(Path(events))


@pytest.mark.slow
def test_the_corpus_view(serial, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("TIMELINE_CANDIDATES", str(serial))
    app = AppTest.from_function(_corpus_page, args=(EVENTS,), default_timeout=60).run()
    assert not app.exception
    total = read_candidates(serial).num_rows
    assert app.caption[0].value == f"{total:,} of {total:,} candidates match."
    app.text_input("corpus_text").set_value("power station").run()
    matches = sum("power station" in r["sentence"] for r in read_candidates(serial).to_pylist())
    assert app.caption[0].value == f"{matches:,} of {total:,} candidates match."
    assert len(app.dataframe[0].value) == min(matches, 200)
    assert app.button("corpus_send").disabled


def test_the_corpus_view_without_a_dataset(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("TIMELINE_CANDIDATES", raising=False)
    app = AppTest.from_function(_corpus_page, args=(EVENTS,), default_timeout=60).run()
    assert app.info[0].value.startswith("Open a dataset written by `python -m timeline")


def test_the_corpus_view_says_how_to_install_duckdb(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    pq.write_table(SCHEMA.empty_table(), tmp_path / "part-1.parquet")
    monkeypatch.setenv("TIMELINE_CANDIDATES", str(tmp_path))
    monkeypatch.setitem(sys.modules, "duckdb", None)
    app = AppTest.from_function(_corpus_page, args=(EVENTS,), default_timeout=60).run()
    assert [w.value for w in app.warning] == [
        "the corpus view needs DuckDB (install it with: pip install -r requirements-corpus.txt)"
    ]
