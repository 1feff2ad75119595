"""Loose guards on the ratios BENCHMARKS.md reports, so that a change undoing one fails here.

Each figure is compared with its reference in the same process, as medians of a few runs, and
the bounds sit well away from what the benchmark measures (noted beside each): these
machines are noisy, and a guard that flakes gets ignored. benchmarks/run.py measures the real
numbers at 100,000 events.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from benchmarks.edits import EDITS, edited
from tests.conftest import ROOT
from timeline import cache
from timeline.cache import load_cached
from timeline.figures import timeline_figure
from timeline.incremental import reload
from timeline.load import FAST_PATH_MIN_BYTES, load_timeline, parse_timeline
from timeline.query import PICKER_LIMIT, Filters, events_frame, filter_events
from timeline.synth import write_synthetic

RUNS = 3

# Timing guards: seconds each, and only meaningful on a machine that is not busy with other work.
pytestmark = pytest.mark.slow


def median_seconds(work, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """5,000 synthetic events (about 3 MB): big enough for the fast path and the dense view."""
    path = tmp_path_factory.mktemp("synthetic") / "events.yaml"
    write_synthetic(5000, 1, path)
    assert path.stat().st_size > FAST_PATH_MIN_BYTES
    return path


def test_loading_stays_far_below_pyyamls_c_loader(synthetic):
    """Measured 0.22x here, 0.23x at 10k, 0.17x at 100k; the exact path alone is 0.52x here."""
    data = synthetic.read_bytes()
    raw = median_seconds(lambda: yaml.load(data, Loader=yaml.CSafeLoader))
    ours = median_seconds(lambda: load_timeline(synthetic))
    assert ours < 0.4 * raw, f"load {ours:.2f} s vs raw {raw:.2f} s"


def test_reading_by_records_costs_about_what_fastload_whole_does(synthetic):
    """Measured 1.17x here, 1.09x at 10k and 1.22x at 1k events (benchmarks/results/edits.md;
    in CPU time 1.1x at 100k): the split into records and what is kept for the next edit must
    stay cheap."""
    data = synthetic.read_bytes()
    whole = median_seconds(
        lambda: parse_timeline(data, "events.yaml", synthetic.parent, by_records=False)
    )
    ours = median_seconds(lambda: parse_timeline(data, "events.yaml", synthetic.parent))
    assert ours < 1.6 * whole, f"by records {ours:.2f} s vs fastload whole {whole:.2f} s"


def with_typo(path: Path) -> bytes:
    """The file with an unknown category in its last event."""
    text = path.read_text(encoding="utf-8")
    last = text.rindex("    category: ")
    return (text[:last] + "    category: withdrawl" + text[text.index("\n", last) :]).encode()


def test_a_file_with_one_typo_is_reported_faster_than_pyyaml_parses_it(synthetic):
    """Read record by record, only the bad one by the exact reader: about 0.2x (the exact path
    alone was 0.74x here, 0.68x at 10k)."""
    typo = with_typo(synthetic)
    raw = median_seconds(lambda: yaml.load(typo, Loader=yaml.CSafeLoader))
    ours = median_seconds(lambda: parse_timeline(typo, "events.yaml", synthetic.parent))
    assert len(parse_timeline(typo, "events.yaml", synthetic.parent).errors) == 1
    assert ours < 1.5 * raw, f"one typo {ours:.2f} s vs raw {raw:.2f} s"


def test_a_file_with_one_typo_loads_about_as_fast_as_the_valid_file(synthetic):
    """Measured about 1.0x at 10k and 100k events (3.9x when the exact path read it all)."""
    data, typo = synthetic.read_bytes(), with_typo(synthetic)
    valid = median_seconds(lambda: parse_timeline(data, "events.yaml", synthetic.parent))
    ours = median_seconds(lambda: parse_timeline(typo, "events.yaml", synthetic.parent))
    assert ours < 2.0 * valid, f"one typo {ours:.2f} s vs valid {valid:.2f} s"


@pytest.mark.parametrize("edit", EDITS)
def test_a_reload_after_a_one_event_edit_is_a_small_fraction_of_a_cold_load(synthetic, edit):
    """Measured 0.04-0.07x at 10k and 0.04x at 100k events, a delete now as cheap as the other
    edits (benchmarks/results/edits.md); 0.11x at 100k when a delete copied every later event."""
    data = synthetic.read_bytes()
    changed = edited(data, edit)
    cold = median_seconds(lambda: reload(data, "events.yaml", synthetic.parent))
    before = reload(data, "events.yaml", synthetic.parent).snapshot
    after = reload(changed, "events.yaml", synthetic.parent, before)
    assert after.read <= 1
    ours = median_seconds(lambda: reload(changed, "events.yaml", synthetic.parent, before))
    assert ours < 0.3 * cold, f"{edit}: reload {ours:.3f} s vs cold {cold:.3f} s"


@pytest.mark.parametrize("edit", EDITS)
def test_the_dashboards_load_after_a_one_event_edit_is_a_fraction_of_a_cold_one(
    synthetic, tmp_path, edit, monkeypatch
):
    """The whole load a save costs the dashboard (reload, both tables, the cache entry) beside
    a cold one: measured 0.23-0.29x here, where a file this small is written to the cache
    after each edit (benchmarks/results/edits.md has 100,000 events). Rebuilding the rows of
    the events a delete moved, as it once did, cost as much as the rest together."""
    data = synthetic.read_bytes()
    changed = edited(data, edit)
    cold_times, edit_times = [], []
    for run in range(RUNS):
        monkeypatch.setattr(cache, "_SNAPSHOTS", {})
        monkeypatch.setattr(cache, "_TABLES", {})
        folder = tmp_path / f"cache-{run}"
        for version, times in ((data, cold_times), (changed, edit_times)):
            started = time.perf_counter()
            load_cached(version, "e", synthetic.parent, folder)
            times.append(time.perf_counter() - started)
    cold, ours = statistics.median(cold_times), statistics.median(edit_times)
    assert ours < 0.5 * cold, f"{edit}: {ours:.3f} s vs cold {cold:.3f} s"


def test_a_warm_start_is_a_small_fraction_of_a_cold_one(synthetic, tmp_path):
    """Measured 0.04x at 10k and 100k events, but 0.1-0.2x at this guard's 5,000: the fixed
    part (stat-ing every article, the file's hash) weighs more in a small file, and a CI run
    once measured 0.27x. Losing the cache would put it near 1x."""
    data = synthetic.read_bytes()
    cold_times, warm_times = [], []
    for run in range(RUNS):
        cache = tmp_path / f"cache-{run}"
        cold_times.append(
            median_seconds(lambda cache=cache: load_cached(data, "e", synthetic.parent, cache), 1)
        )
        warm_times.append(
            median_seconds(lambda cache=cache: load_cached(data, "e", synthetic.parent, cache), 1)
        )
    assert load_cached(data, "e", synthetic.parent, tmp_path / "cache-0").from_cache
    cold, warm = statistics.median(cold_times), statistics.median(warm_times)
    assert warm < 0.5 * cold, f"warm {warm:.2f} s vs cold {cold:.2f} s"


def test_the_dense_chart_stays_small_and_a_rerun_stays_fast(synthetic):
    """Measured 0.02 MB and 0.16 s at 100k events."""
    timeline = load_timeline(synthetic)
    frame = events_frame(timeline)
    stories = list(timeline.stories.values())

    def rerun() -> str:
        shown = filter_events(frame, Filters(categories=("strike", "advance"), text="drone"))
        return timeline_figure(shown, stories).to_json()

    payload = timeline_figure(frame, stories).to_json()
    assert len(payload) < 500_000, f"{len(payload):,} bytes for {len(frame):,} events"
    assert median_seconds(rerun) < 2.0


def test_a_dashboard_rerun_after_a_filter_change_stays_fast(synthetic, monkeypatch):
    """The whole app script, warm: measured 0.2 s at 1k and 0.24 s at 100k events. The event
    picker is capped, so its options do not grow with the file (100,000 took 0.5 s a rerun)."""
    monkeypatch.setenv("TIMELINE_EVENTS", str(synthetic))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    app.selectbox(key="preset").set_value("All events").run()
    assert not app.exception
    assert len(app.selectbox(key="selected").options) == PICKER_LIMIT
    caption = f"first {PICKER_LIMIT:,} of the 5,000 events"
    assert any(caption in shown.value for shown in app.caption)

    def rerun_with(text: str) -> None:
        app.text_input(key="text").set_value(text).run()

    times = [median_seconds(lambda text=text: rerun_with(text), 1) for text in ("drone", "") * 2]
    assert not app.exception
    assert statistics.median(times) < 2.0, f"reruns took {times}"
