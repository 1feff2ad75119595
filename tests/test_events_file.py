"""The curated events.yaml and the seed articles it quotes."""

import hashlib
import html
import re
from datetime import date

import pytest

from tests.conftest import ROOT
from timeline.articles import read_article
from timeline.charts import charted_claims
from timeline.export import flat_rows
from timeline.load import load_timeline, parse_timeline
from timeline.publish import publish_html
from timeline.query import Filters, claims_frame, claims_of, events_frame, filter_events

SEED_SHA256 = {
    "000_fada3c370254c5ca.txt": "b845713ab3f4e49703a5e8130b536e71758256f0b046556f747eb4298eb3cc4d",
    "001_935721823d8254c9.txt": "287ec6aae24929ad98e9ebc232847ab3d7ff8cbd8f95b0db1b8d963f2c999e56",
    "002_f14fbde72ab9647f.txt": "732298eb7be7fb1581a3871bed06a6213c9f23fff18fd0e1809a6fdc34310f2e",
    "003_1ea3a47c925830eb.txt": "43a08ea6405241f3439726b88567dd5ea25d3b1d59b57840777485023b354dd1",
    "004_e87533819d34d121.txt": "76d303d60754c04e99c82653ff5e9da91180583f79d102406370ea99f1204193",
}


@pytest.fixture(scope="module")
def curated():
    timeline = load_timeline(ROOT / "events.yaml")
    assert timeline.problems == [], "\n".join(map(str, timeline.problems))
    return timeline


@pytest.mark.parametrize(("name", "digest"), sorted(SEED_SHA256.items()))
def test_seeds_are_byte_for_byte_copies(name, digest):
    assert hashlib.sha256((ROOT / "seeds" / name).read_bytes()).hexdigest() == digest
    shared = ROOT.parent / "shared" / "seeds" / name
    if shared.exists():
        assert shared.read_bytes() == (ROOT / "seeds" / name).read_bytes()


def test_every_seed_is_a_source(curated):
    files = {source.file for source in curated.sources.values()}
    assert files == {f"seeds/{name}" for name in SEED_SHA256}
    for source in curated.sources.values():
        assert source.published.precision.value == "day"
        assert source.published_note


def test_every_quote_is_verbatim_in_its_article(curated):
    texts = {s.id: read_article(ROOT / s.file) for s in curated.sources.values()}
    for event in curated.events:
        assert event.sources, event.id
        for citation in event.sources:
            assert citation.quote in texts[citation.source], (event.id, citation.quote)
            assert "\n\n" not in citation.quote, (event.id, "a quote spans paragraphs")


def test_coverage_of_both_campaigns(curated):
    def count(first, last):
        return sum(first <= e.date.first and e.date.last <= last for e in curated.events)

    assert len(curated.events) >= 40
    assert count(date(2022, 9, 1), date(2022, 9, 30)) >= 15
    assert count(date(2022, 10, 1), date(2022, 11, 30)) >= 10
    assert any("context" in e.stories for e in curated.events)
    merged = [e for e in curated.events if len({c.source for c in e.sources}) > 1]
    assert len(merged) >= 5, "events reported by several outlets should be merged"


def test_events_are_sorted(curated):
    keys = [event.sort_key for event in curated.events]
    assert keys == sorted(keys)


def test_readme_example_validates_when_appended(curated):
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"```yaml\n(  - id: .*?)```", readme, re.S).group(1)
    data = (ROOT / "events.yaml").read_bytes()
    example_id = re.search(r"id: (\S+)", example).group(1)
    if example_id in {event.id for event in curated.events}:
        pytest.skip(f"events.yaml already has the README's example '{example_id}'")
    timeline = parse_timeline(data.rstrip(b"\n") + b"\n" + example.encode(), "events.yaml", ROOT)
    assert timeline.errors == []
    assert example_id in {event.id for event in timeline.events}


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci in readme


def test_readme_error_example_is_what_the_validator_prints(curated):
    readme = (ROOT / "README.md").read_text()
    example = re.search(r"```yaml\n(  - id: .*?)```", readme, re.S).group(1)
    broken = (
        example.replace("date: 2022-09-10 ", "date: 2022-02-30 ")
        .replace("places: [kupiansk]", "places: [kupyansk]")
        .replace("Izyum and Kupiansk", "Izyum and Kupyansk")
    )
    data = (ROOT / "events.yaml").read_bytes().rstrip(b"\n") + b"\n" + broken.encode()
    timeline = parse_timeline(data, "events.yaml", ROOT)
    shown = re.search(r"```text\n(.*?)```", readme, re.S).group(1).strip().splitlines()
    positionless = [line.split(": ", 1)[1] for line in shown[:-1]]
    assert [str(p).split(": ", 1)[1] for p in timeline.problems] == positionless


# The shipped candidates, decided one by one (issue #15): the four known wrong ones are
# rejected; the rest reported curated events and were merged into them.
REJECTED_CANDIDATES = {
    "it-called-ukraine-s-likely-total-capture-of",  # March is the Kyiv withdrawal's
    "the-only-provincial-capital-that-moscow-had-seized",  # February is the invasion's
    "yuriy-ihnat-was-a-spokesperson-for-the-ukrainian",  # a 15 November figure on 10 October
    "abandoned-russian-military-equipment-general-staff-of-the",  # Sunday is the 200th day's
}


def test_no_candidate_is_left_undecided(curated):
    extracted = {e.id: e.status for e in curated.events if e.origin == "extracted"}
    assert extracted == dict.fromkeys(REJECTED_CANDIDATES, "rejected")


def test_exports_and_the_page_leave_the_rejected_events_out(curated):
    rejected = [e for e in curated.events if e.id in REJECTED_CANDIDATES]
    exported = {row["id"] for row in flat_rows(curated, list(curated.events))}
    assert exported == {e.id for e in curated.events} - REJECTED_CANDIDATES
    page = publish_html(curated)
    assert [e.id for e in rejected if html.escape(e.title, quote=False) in page] == []


def _names(actor) -> tuple[str, ...]:
    return (actor.name, *actor.aliases)


def test_figures_claimed_by_a_curated_actor_name_it(curated):
    for event in curated.events:
        for figure in event.figures:
            if figure.claimant is None:
                named = [a.id for a in curated.actors.values()
                         if figure.claimed_by.startswith(_names(a))]  # fmt: skip
                assert named == [], (event.id, figure.claimed_by)
            else:
                actor = curated.actors[figure.claimant]
                assert figure.claimed_by.startswith(_names(actor)), (event.id, figure.claimed_by)


def test_missiles_on_10_october_per_claimant(curated):
    """Issue #14's question, asked of the shipped file: one claim, 84, by Yuriy Ihnat."""
    claims = claims_frame(curated)
    shown = claims_of(claims, filter_events(events_frame(curated), Filters()))
    on_the_day = charted_claims(shown)
    on_the_day = on_the_day[
        (on_the_day["measure"] == "missiles-fired") & (on_the_day["date"] == "2022-10-10")
    ]
    assert on_the_day[["claimant", "value"]].values.tolist() == [["ihnat", 84]]
