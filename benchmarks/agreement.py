"""How often two readers agree on every point of an event: the ceiling of the event scores.

    python benchmarks/agreement.py [--out benchmarks/results/agreement.md]

The held-out sets' clauses (tests/data/extraction/events/, sets eleventh and twelfth) were
labelled again by a second reader who saw each article and its list of clauses, never the
first reader's labels (tests/data/extraction/second-reader/). The second reader's labels are
judged exactly as the extractor's candidates are (benchmarks/extraction.py: date by first and
last day, `same_as`, and for a new event a headline the first reader's title groups accept,
category, story and places), so 'right on every point' reads on the same scale as the
extractor's score. Disagreements are listed point by point.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.extraction import (  # noqa: E402
    EVENT_LABELS,
    LABELLED,
    POINTS,
    EventArticle,
    EventLabel,
    load_event_labels,
    score_events,
    title_problem,
)
from timeline.dates import parse_date  # noqa: E402
from timeline.load import load_timeline  # noqa: E402

SECOND_READER = LABELLED / "second-reader"
RESULTS = ROOT / "benchmarks" / "results" / "agreement.md"


@dataclass(frozen=True, slots=True)
class Agreement:
    """The second reader's labels judged against the first's: per point and on all at once."""

    labels: int
    right: dict[str, int]
    judged: dict[str, int]
    all_right: int
    differences: tuple[str, ...]


def load_second_reader(folder: Path = SECOND_READER) -> dict[str, list[dict[str, Any]]]:
    """Each article's second labels (by the first labels' file stem), in clause order."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))["events"]
        for path in sorted(folder.glob("*.yaml"))
    }


def _days(text: Any) -> tuple[Any, Any]:
    when = parse_date(str(text))
    return when.first, when.last


def judge(label: EventLabel, other: Mapping[str, Any]) -> dict[str, bool]:
    """Each point of `other` (a second label of the same clause) against `label`, as
    benchmarks/extraction.score_events judges a candidate."""
    linked = other.get("same_as")
    points = {
        "date": _days(other["date"]) == _days(label.date),
        "same_as": (linked in label.same_as) if label.same_as else linked is None,
    }
    if not label.same_as:
        points["title"] = title_problem(other.get("title") or "", label.title or ()) is None
        points["category"] = other.get("category") == label.category
        points["story"] = other.get("story") == label.story
        points["places"] = frozenset(other.get("places") or ()) == label.places
    return points


def agreement(
    articles: Sequence[EventArticle], second: Mapping[str, Sequence[Mapping[str, Any]]]
) -> Agreement:
    """The second reader's labels of every article it has, clause by clause."""
    right = dict.fromkeys(POINTS, 0)
    judged = dict.fromkeys(POINTS, 0)
    labels = all_right = 0
    differences = []
    for article in articles:
        others = {item["clause"]: item for item in second.get(article.name, ())}
        for label in article.events:
            if label.clause not in others:
                continue
            labels += 1
            points = judge(label, others[label.clause])
            for point, agreed in points.items():
                judged[point] += 1
                right[point] += agreed
            wrong = [point for point, agreed in points.items() if not agreed]
            all_right += not wrong
            if wrong:
                differences.append(f"{article.name}: {label.clause[:60]!r}: {', '.join(wrong)}")
    return Agreement(labels, right, judged, all_right, tuple(differences))


def _row(name: str, labels: int, right: Mapping, judged: Mapping, all_right: int) -> str:
    cells = " | ".join(f"{right[p]}/{judged[p]}" for p in POINTS)
    share = all_right / labels if labels else 0.0
    return f"| {name} | {labels} | {cells} | **{all_right}/{labels}** ({share:.0%}) |"


def report(found: Agreement, extractor: Any, sets: Sequence[str]) -> list[str]:
    """The Markdown table (the second reader beside the extractor) and the differences."""
    return [
        "# Two readers, the same clauses",
        "",
        f"The second reader's labels of the {', '.join(sets)} sets' clauses, judged against the "
        "first reader's as the extractor's candidates are, beside the extractor's own "
        "candidates for the same clauses (benchmarks/agreement.py). The extractor must also "
        "find each event; the second reader was given the clauses.",
        "",
        "| labelled by | labels | " + " | ".join(POINTS) + " | right on every point |",
        "|---" * (len(POINTS) + 3) + "|",
        _row("second reader", found.labels, found.right, found.judged, found.all_right),
        _row("extractor", extractor.labels, extractor.right, extractor.judged, extractor.all_right),
        "",
        "Where they differ:",
        "",
        *([f"- {line}" for line in found.differences] or ["- nowhere"]),
    ]


def main(argv: Sequence[str] | None = None) -> int:
    """Judge the second reader's labels, print the table and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    arguments = parser.parse_args(argv)
    second = load_second_reader()
    articles = [a for a in load_event_labels(EVENT_LABELS) if a.name in second]
    sets = sorted({a.set for a in articles})
    extractor = score_events(articles, load_timeline(ROOT / "events.yaml"))
    text = "\n".join(report(agreement(articles, second), extractor, sets)) + "\n"
    arguments.out.write_text(text, encoding="utf-8")
    print(text, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
