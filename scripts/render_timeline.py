"""Render the timeline figure of a story (or all events) to HTML and PNG, and check its labels.

Offline: the page loads the plotly.js inside the installed plotly package; Chromium draws it
at the dashboard's width and the labels' boxes are read back from the SVG.

    python scripts/render_timeline.py kharkiv-counteroffensive energy-strikes all
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import plotly
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.figures import timeline_figure  # noqa: E402
from timeline.layout import PLOT_WIDTH_PX  # noqa: E402
from timeline.load import load_timeline  # noqa: E402
from timeline.query import Filters, events_frame, filter_events, story_window  # noqa: E402

# The lane names and the figure's side margins.
LANE_NAMES_PX = 140
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
# The labels' boxes as drawn: the event titles and counts, not the axes' tick labels.
LABEL_BOXES = """texts => texts.map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
})"""


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    """Pairs of label boxes that intersect (by more than a pixel each way)."""
    found = []
    for index, one in enumerate(boxes):
        for other in boxes[index + 1 :]:
            if (
                min(one["right"], other["right"]) - max(one["left"], other["left"]) > 1
                and min(one["bottom"], other["bottom"]) - max(one["top"], other["top"]) > 1
            ):
                found.append((one["text"], other["text"]))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("views", nargs="+", help="story ids, or 'all' for every event")
    parser.add_argument("--events", type=Path, default=ROOT / "events.yaml")
    parser.add_argument("--out", type=Path, default=ROOT / "test-output" / "timeline")
    parser.add_argument("--width", type=int, default=1280, help="window width (px)")
    parser.add_argument(
        "--plot-width", type=float, default=PLOT_WIDTH_PX, help="the plot area's width (px)"
    )
    arguments = parser.parse_args()
    arguments.out.mkdir(parents=True, exist_ok=True)
    timeline = load_timeline(arguments.events)
    frame = events_frame(timeline)
    problems = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": arguments.width, "height": 900})
        for view in arguments.views:
            if view == "all":
                shown, window, stories = frame, None, list(timeline.stories.values())
            else:
                window = story_window(frame, timeline.stories[view])
                shown = filter_events(frame, Filters(start=window[0], end=window[1]))
                stories = [
                    s for s in timeline.stories.values()
                    if s.date.first <= window[1] and window[0] <= s.date.last
                ]  # fmt: skip
            figure = timeline_figure(shown, stories, window=window, width_px=arguments.plot_width)
            # Room for the lane names beside a plot area of the width the labels were laid for.
            figure.update_layout(width=arguments.plot_width + LANE_NAMES_PX, autosize=False)
            html = arguments.out / f"{view}.html"
            figure.write_html(html, include_plotlyjs=str(PLOTLY_JS), full_html=True)
            page.goto(html.as_uri())
            page.wait_for_selector(".scatterlayer .trace", state="attached")
            page.screenshot(path=str(arguments.out / f"{view}.png"), full_page=True)
            labels = page.locator(".scatterlayer .textpoint text").evaluate_all(LABEL_BOXES)
            plot = page.locator(".nsewdrag").first.bounding_box()
            clashes = overlaps(labels)
            problems += len(clashes)
            print(f"{view}: {len(shown)} events, {len(labels)} labels, plot {plot['width']:.0f}"
                  f" x {plot['height']:.0f} px (figure height {figure.layout.height} px), "
                  f"{len(clashes)} overlapping")  # fmt: skip
            for one, other in clashes:
                print(f"  {one!r} overlaps {other!r}")
        browser.close()
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
