"""Draw the offline map in Chromium and check that its labels do not overlap.

For all events and for each story of an events file, writes the map figure to HTML with the
plotly.js that ships inside the installed plotly package (nothing fetched from the network),
opens it in Chromium at 1280x800 (playwright), saves a screenshot, and measures the drawn SVG
text of place and country names: every pair of labels that intersect, or a label over a
marker other than its own, is printed. Exit status 1 if there is any.

    PYTHONPATH=. .venv/bin/python scripts/render_map.py events.yaml -o test-output/map
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import plotly

from timeline.geo import load_borders, map_figure, places_frame
from timeline.load import load_timeline

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
VIEWPORT = {"width": 1280, "height": 800}
CHROMIUM = "/usr/bin/chromium"
# Boxes of every drawn text of the marker traces (place names) and of the country names, and
# of every marker, in page pixels; the label's own marker is the one at the same index.
MEASURE = """() => {
    const box = (element) => {
        const r = element.getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom];
    };
    const traces = [...document.querySelectorAll('.scatterlayer .trace')];
    const labels = [];
    const markers = [];
    traces.forEach((trace, t) => {
        const texts = [...trace.querySelectorAll('.textpoint text')];
        const points = [...trace.querySelectorAll('.points path.point')];
        texts.forEach((text, i) => {
            if (text.textContent) labels.push({trace: t, index: i, text: text.textContent,
                                              box: box(text)});
        });
        points.forEach((point, i) => markers.push({trace: t, index: i, box: box(point)}));
    });
    return {labels, markers};
}"""


def overlaps(a: Sequence[float], b: Sequence[float]) -> bool:
    """Whether two page boxes (left, top, right, bottom) intersect."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def problems(measured: dict) -> list[str]:
    """Every label overlapping another label or a marker other than its own."""
    found = []
    labels, markers = measured["labels"], measured["markers"]
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            if overlaps(first["box"], second["box"]):
                found.append(f"labels {first['text']!r} and {second['text']!r} overlap")
        for marker in markers:
            own = (marker["trace"], marker["index"]) == (first["trace"], first["index"])
            if not own and overlaps(first["box"], marker["box"]):
                found.append(f"label {first['text']!r} covers a marker")
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Render the map for all events and each story; print what overlaps."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("events", type=Path)
    parser.add_argument("-o", "--output", type=Path, default=Path("test-output/map"))
    parser.add_argument("--width", type=int, help="figure width in pixels (default: the page's)")
    args = parser.parse_args(argv)
    timeline = load_timeline(args.events)
    borders = load_borders()
    selections = {"all": timeline.events} | {
        story: [event for event in timeline.events if story in event.stories]
        for story in timeline.stories
    }
    args.output.mkdir(parents=True, exist_ok=True)
    failed = False
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport=VIEWPORT)
        for name, events in selections.items():
            pairs = [(place, event.category) for event in events for place in event.places]
            figure = map_figure(places_frame(pairs, timeline.places), borders, width=args.width)
            html = args.output / f"{name}.html"
            figure.write_html(html, include_plotlyjs=str(PLOTLY_JS), full_html=True)
            page.goto(html.resolve().as_uri())
            page.wait_for_selector(".scatterlayer .trace")
            page.screenshot(path=str(args.output / f"{name}.png"))
            found = problems(page.evaluate(MEASURE))
            failed = failed or bool(found)
            print(f"{name}: {len(events)} events, {len(found)} overlaps")
            for problem in found:
                print(f"  {problem}")
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
