"""Rendering attacks, proven in the real browser: hostile text in the data is shown as text.

A scratch copy of tests/data/small gets one event per attack string, whose title, quote, who is
quoted, notes, place (name, region), actor, outlet, figure unit and claimant all carry it; the
quotes are added to the copy's article so the file stays valid. Every view is opened (the event
page of each attack, the timeline with its hover labels in every lane, the map, the charts, the
table), and nothing may run or load: no dialog, no request leaving localhost, no <img src=x>, no
javascript: link, no bold made from data, and each string visible literally somewhere.
Screenshots go to test-output/attacks/.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_support import POINTS, open_view, running_dashboard, wait_until_finished
from tests.conftest import ROOT, copy_small
from timeline.load import load_timeline

pytestmark = pytest.mark.browser

OUTPUT = ROOT / "test-output" / "attacks"
ATTACKS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "latex": "$5 and $10",
    "markdown-image": "![x](http://attacker.example/x.png)",
    "javascript-link": "[click](javascript:alert(1))",
    "plotly-template": "%{x}",
    "html-bold": "<b>bold</b>",
}
STORY_TITLE = "Hostile <b>bold</b> story $5 and $10 %{x}"


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def hostile_copy(folder: Path) -> Path:
    """Copy tests/data/small into folder and add one event per attack; return its events file."""
    copy_small(folder)
    places, actors, sources, events, quotes = [], [], [], [], []
    for number, (name, attack) in enumerate(ATTACKS.items()):
        places.append(
            f"  - {{id: place-{name}, name: {quoted('Place ' + attack)}, kind: city, "
            f"region: {quoted(attack)}, country: Ukraine, lat: {46.5 + number * 0.8}, "
            f"lon: {24.0 + number * 2.0}}}"
        )
        actors.append(f"  - {{id: actor-{name}, name: {quoted('Actor ' + attack)}, side: other}}")
        sources.append(
            f"  - {{id: source-{name}, outlet: {quoted('Outlet ' + attack)}, "
            f"published: 2022-09-20, published_note: {quoted(attack)}, file: article-a.txt}}"
        )
        quotes.append(f"Quote {attack}")
        events.append(
            f"""  - id: attack-{name}
    title: {quoted("Title " + attack)}
    date: 2022-09-{13 + number}
    stories: [hostile]
    category: {("strike", "statement", "other", "advance")[number % 4]}
    actors: [actor-{name}]
    places: [place-{name}]
    sources:
      - source: source-{name}
        quote: {quoted("Quote " + attack)}
        quoted: {quoted("Quoted " + attack)}
    figures:
      - measure: territory-retaken
        value: {100 + number}
        unit: {quoted(attack)}
        claimed_by: {quoted("Claimant " + attack)}
        source: source-{name}
    notes: {quoted("Notes " + attack)}
"""
        )
    stories = [f"  - {{id: hostile, title: {quoted(STORY_TITLE)}, date: 2022-09-13 .. 2022-09-20}}"]
    text = (folder / "events.yaml").read_text(encoding="utf-8")
    for section, items in (("sources", sources), ("places", places), ("actors", actors),
                           ("stories", stories)):  # fmt: skip
        text = text.replace(f"\n{section}:\n", f"\n{section}:\n" + "\n".join(items) + "\n", 1)
    text += "".join(events)
    (folder / "events.yaml").write_text(text, encoding="utf-8")
    article = folder / "article-a.txt"
    article.write_text(article.read_text(encoding="utf-8") + "\n" + "\n".join(quotes) + "\n")
    return folder / "events.yaml"


@pytest.fixture(scope="module")
def hostile_file(tmp_path_factory) -> Path:
    events_file = hostile_copy(tmp_path_factory.mktemp("hostile"))
    timeline = load_timeline(events_file)
    assert timeline.ok, [str(problem) for problem in timeline.errors]
    assert {f"attack-{name}" for name in ATTACKS} <= {event.id for event in timeline.events}
    return events_file


@pytest.fixture(scope="module")
def dashboard(hostile_file) -> Iterator[str]:
    """The dashboard on the hostile copy."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with running_dashboard("attacks", hostile_file) as url:
        yield url


@pytest.fixture
def watched(page):
    """The page, recording every dialog (and dismissing it)."""
    page.dialogs = []

    def record(dialog) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return page


# Elements that would mean the data was interpreted: a bold run whose whole text is "bold"
# (from <b>bold</b>), an image with src x or from the attacker, a link to javascript:, math.
# The y-axis title of the claims chart (Charts tab), which once rendered the units as markup,
# has a test of its own below, so that a regression there does not mask the rest.
INTERPRETED = """(skipClaimsAxis) => {
  const claimsChart = plot => [...plot.querySelectorAll('.g-xtitle')]
      .some(title => title.textContent.trim() === 'Date of the claim');
  const known = e => skipClaimsAxis && e.closest('.g-ytitle')
      && claimsChart(e.closest('.js-plotly-plot'));
  return {
    bold: [...document.querySelectorAll('b, strong, tspan, span')]
        .filter(e => !known(e) && e.textContent.trim() === 'bold' && (
            ['B', 'STRONG'].includes(e.tagName.toUpperCase())
            || /bold|[6-9]00/.test(e.getAttribute('style') || '')))
        .map(e => e.outerHTML.slice(0, 120)),
    images: [...document.querySelectorAll('img')]
        .filter(e => e.getAttribute('src') === 'x' || (e.src || '').includes('attacker'))
        .map(e => e.outerHTML.slice(0, 120)),
    links: [...document.querySelectorAll('a[href]')]
        .filter(e => /^\\s*javascript:/i.test(e.getAttribute('href')))
        .map(e => e.outerHTML.slice(0, 120)),
    katex: document.querySelectorAll('.katex, mjx-container, .MathJax').length,
  };
}"""


def assert_nothing_ran(view) -> None:
    found = view.evaluate(INTERPRETED, True)
    assert found == {"bold": [], "images": [], "links": [], "katex": 0}
    assert view.dialogs == []
    assert view.foreign_requests == []


def visible_literally(view, text: str) -> bool:
    """Whether some element on the page shows text as typed."""
    return view.get_by_text(text, exact=False).count() > 0


def open_tab(view, name: str) -> None:
    """Open a tab and scroll its content into view (for the screenshots)."""
    open_view(view, name)
    view.locator('[role="tabpanel"]').last.scroll_into_view_if_needed()


@pytest.mark.parametrize("name", list(ATTACKS))
def test_the_event_page_shows_hostile_text_literally(watched, dashboard, name):
    attack = ATTACKS[name]
    watched.goto(f"{dashboard}/?event=attack-{name}")
    wait_until_finished(watched)
    open_tab(watched, "Event")
    watched.get_by_text(f"Quote {attack}", exact=False).first.wait_for(timeout=15_000)
    expander = watched.get_by_text("Article text, quoted passage highlighted").first
    expander.click()
    watched.wait_for_timeout(500)
    watched.screenshot(path=str(OUTPUT / f"event-{name}.png"), full_page=True)
    for shown in (f"Title {attack}", f"Quote {attack}", f"Quoted {attack}", f"Notes {attack}",
                  f"Place {attack}", f"Actor {attack}", f"Outlet {attack}"):  # fmt: skip
        assert visible_literally(watched, shown), f"{shown!r} is not shown as typed"
    assert watched.locator('[data-testid="stException"]').count() == 0
    assert_nothing_ran(watched)


# Markers of a chart's plot area (not the miniature copies in the timeline's range slider).
MARKERS = ".cartesianlayer .scatterlayer .trace .points path.point"


def hover_labels(view, chart) -> list[str]:
    """Hover every marker of a chart in turn; the label each one shows (if any)."""
    labels = []
    markers = chart.locator(MARKERS)
    for index in range(markers.count()):
        view.mouse.move(0, 0)
        chart.locator(".hoverlayer .hovertext").first.wait_for(state="detached", timeout=5_000)
        marker = markers.nth(index)
        if not marker.is_visible():
            continue
        marker.hover(force=True)
        label = chart.locator(".hoverlayer .hovertext").first
        try:
            label.wait_for(timeout=2_000)
        except Exception:  # a point of the map's outlines has no label
            continue
        labels.append(label.text_content() or "")
    return labels


@pytest.mark.parametrize("lane", ["category", "actor", "source"])
def test_timeline_hover_labels_and_lanes_show_hostile_text_literally(watched, dashboard, lane):
    watched.goto(f"{dashboard}/?story=hostile&lane={lane}")
    wait_until_finished(watched)
    watched.wait_for_selector(POINTS)
    timeline = watched.locator('[data-testid="stPlotlyChart"]').first
    texts = hover_labels(watched, timeline)
    timeline.locator(MARKERS).first.hover(force=True)
    watched.wait_for_timeout(300)
    watched.screenshot(path=str(OUTPUT / f"timeline-{lane}.png"), full_page=True)
    joined = "\n".join(texts)
    for attack in ATTACKS.values():
        assert f"Title {attack}" in joined, f"no hover label shows 'Title {attack}'"
        assert f"Place {attack}" in joined
    axis = watched.locator(".js-plotly-plot .yaxislayer-above").first.text_content() or ""
    if lane == "actor":
        assert all(f"Actor {attack}" in axis for attack in ATTACKS.values()), axis
    if lane == "source":
        assert all(f"Outlet {attack}" in axis for attack in ATTACKS.values()), axis
    assert visible_literally(watched, STORY_TITLE), "the story band's label"
    assert_nothing_ran(watched)


def test_map_tab_shows_hostile_place_names_literally(watched, dashboard):
    watched.goto(f"{dashboard}/?story=hostile")
    wait_until_finished(watched)
    open_tab(watched, "Map")
    map_chart = watched.locator('[role="tabpanel"] [data-testid="stPlotlyChart"]')
    labels = hover_labels(watched, map_chart)
    watched.screenshot(path=str(OUTPUT / "map.png"), full_page=True)
    joined = "\n".join(labels)
    for attack in ATTACKS.values():
        assert f"Place {attack}" in joined, f"no map label shows 'Place {attack}'"
    assert_nothing_ran(watched)


def test_charts_and_table_tabs_run_nothing_from_the_data(watched, dashboard):
    watched.goto(f"{dashboard}/?story=hostile")
    wait_until_finished(watched)
    open_tab(watched, "Charts")
    watched.screenshot(path=str(OUTPUT / "charts.png"), full_page=True)
    legend = " ".join(watched.locator('[role="tabpanel"]:visible .legendtext').all_text_contents())
    for attack in ATTACKS.values():
        assert f"Claimant {attack}" in legend, f"the claims legend lacks 'Claimant {attack}'"
    assert_nothing_ran(watched)
    open_tab(watched, "Table")
    watched.screenshot(path=str(OUTPUT / "table.png"), full_page=True)
    assert_nothing_ran(watched)


def test_claims_axis_title_shows_units_literally(watched, dashboard):
    watched.goto(f"{dashboard}/?story=hostile")
    wait_until_finished(watched)
    open_tab(watched, "Charts")
    claims = watched.locator('[role="tabpanel"] [data-testid="stPlotlyChart"]').last
    claims.scroll_into_view_if_needed()
    watched.screenshot(path=str(OUTPUT / "claims-axis-title.png"))
    title = watched.locator('[role="tabpanel"]:visible .g-ytitle').last.text_content() or ""
    assert ATTACKS["html-bold"] in title, title
    assert watched.evaluate(INTERPRETED, False)["bold"] == []


def test_the_hostile_file_keeps_its_strings_verbatim(hostile_file):
    """The loader hands the dashboard exactly the strings the attacks are made of."""
    events = {event.id: event for event in load_timeline(hostile_file).events}
    for name, attack in ATTACKS.items():
        event = events[f"attack-{name}"]
        assert (event.title, event.notes) == (f"Title {attack}", f"Notes {attack}")
        assert event.sources[0].quote == f"Quote {attack}"


def test_server_config_keeps_the_dashboard_local_and_quiet():
    """What .streamlit/config.toml must keep: loopback only, local Host headers, XSRF on, no
    usage statistics, no tracebacks on the page (the running server is tested in test_browser)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    assert set(config["server"]["allowedHosts"]) <= {"localhost", "127.0.0.1", "::1"}
    assert config["server"]["enableXsrfProtection"] is True
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"
