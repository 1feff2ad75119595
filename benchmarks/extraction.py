"""Temporal extraction on the labelled set: timeline.temporal against raw dateparser search_dates.

    python benchmarks/extraction.py [--runs 7] [--out benchmarks/results/extraction.md]

Both run in the same process on the same decoded texts (tests/data/extraction/*.yaml, format in
that folder's README.md). The baseline is `dateparser.search.search_dates` with languages=["en"],
RELATIVE_BASE = the publication date and PREFER_DATES_FROM = "past"; it returns no offsets, so
each string it returns is located in the text with word boundaries, left to right, and its date
is the day of the datetime it returns. A labelled expression is *found* when a prediction
overlaps its span, and its *date is right* when that prediction's first and last days equal the
label's. A prediction overlapping no labelled expression and no ignored span is a *false
positive*; those overlapping a labelled non-temporal span are counted separately as trap hits.
Times are the medians of several runs over all articles, after one warm-up run; our caches are
cleared before every run so no run profits from the one before.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import dateparser
import yaml
from dateparser.search import search_dates

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from timeline import extract, temporal  # noqa: E402
from timeline.articles import decode_article  # noqa: E402
from timeline.load import load_timeline  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "extraction"
RESULTS = ROOT / "benchmarks" / "results" / "extraction.md"
BASELINE_LANGUAGES = ["en"]
BASELINE_PREFER_DATES_FROM = "past"
DEFAULT_RUNS = 7


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled span of an article: an expression with its dates, or a span to ignore."""

    text: str
    start: int
    end: int
    date_start: date | None = None
    date_end: date | None = None
    precision: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A labelled article: its decoded text, publication date and labelled spans."""

    name: str
    text: str
    published: date
    expressions: tuple[Span, ...]
    ignore: tuple[Span, ...]
    negatives: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Prediction:
    """A date a system found: where, and which days (precision when the system gives one)."""

    text: str
    start: int
    end: int
    date_start: date
    date_end: date
    precision: str | None = None


@dataclass(frozen=True, slots=True)
class Score:
    """Counts over the labelled set for one system."""

    expressions: int
    found: int
    dates_right: int
    dates_within: int
    precisions_right: int
    false_positives: int
    trap_hits: int
    errors: tuple[str, ...]

    @property
    def recall(self) -> float:
        """Share of labelled expressions found."""
        return self.found / self.expressions

    @property
    def accuracy(self) -> float:
        """Share of labelled expressions found with the right first and last day."""
        return self.dates_right / self.expressions

    @property
    def lenient(self) -> float:
        """Share of labelled expressions found with days inside the labelled span."""
        return self.dates_within / self.expressions


def load_labelled(folder: Path = LABELLED) -> list[Article]:
    """Every labelled article of a folder, in file name order."""
    articles = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = decode_article((path.parent / data["article"]).read_bytes())
        articles.append(
            Article(
                name=path.stem,
                text=text,
                published=data["published"],
                expressions=tuple(_span(item) for item in data["expressions"]),
                ignore=tuple(_span(item) for item in data["ignore"]),
                negatives=tuple(_span(item) for item in data["negatives"]),
            )
        )
    return articles


def _span(item: dict) -> Span:
    return Span(
        item["text"],
        item["start"],
        item["end"],
        item.get("date_start"),
        item.get("date_end"),
        item.get("precision"),
    )


def ours(article: Article) -> list[Prediction]:
    """Our extractor's mentions."""
    return [
        Prediction(m.text, m.start, m.end, m.date_start, m.date_end, m.precision.value)
        for m in temporal.find_mentions(article.text, article.published)
    ]


def baseline(article: Article) -> list[Prediction]:
    """Raw search_dates, its strings located in the text with word boundaries."""
    settings = {
        "RELATIVE_BASE": datetime.combine(article.published, datetime.min.time()),
        "PREFER_DATES_FROM": BASELINE_PREFER_DATES_FROM,
    }
    found = search_dates(article.text, languages=BASELINE_LANGUAGES, settings=settings) or []
    predictions, cursor = [], 0
    for text, when in found:
        pattern = re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")
        match = pattern.search(article.text, cursor) or pattern.search(article.text)
        if match is None:
            continue
        cursor = match.end()
        day = when.date()
        predictions.append(Prediction(text, match.start(), match.end(), day, day))
    return predictions


def score(articles: Sequence[Article], predictions: Sequence[Sequence[Prediction]]) -> Score:
    """Recall, right dates and false positives of one system's predictions."""
    counts = {"expressions": 0, "found": 0, "dates": 0, "within": 0, "precisions": 0, "fp": 0}
    counts["traps"] = 0
    errors = []
    for article, predicted in zip(articles, predictions, strict=True):
        for label in article.expressions:
            counts["expressions"] += 1
            hits = [p for p in predicted if _overlap(p, label)]
            if not hits:
                errors.append(f"{article.name}: missed {label.text!r} at {label.start}")
                continue
            counts["found"] += 1
            hit = hits[0]
            counts["within"] += label.date_start <= hit.date_start <= hit.date_end <= label.date_end
            if (hit.date_start, hit.date_end) == (label.date_start, label.date_end):
                counts["dates"] += 1
                counts["precisions"] += hit.precision == label.precision
            else:
                errors.append(
                    f"{article.name}: {label.text!r} at {label.start} read as "
                    f"{hit.date_start}..{hit.date_end} (expected {label.date_start}.."
                    f"{label.date_end})"
                )
        allowed = article.expressions + article.ignore
        for prediction in predicted:
            if not any(_overlap(prediction, span) for span in allowed):
                counts["fp"] += 1
                trap = any(_overlap(prediction, span) for span in article.negatives)
                counts["traps"] += trap
                what = "trap" if trap else "false positive"
                errors.append(
                    f"{article.name}: {what} {prediction.text!r} at {prediction.start} -> "
                    f"{prediction.date_start}"
                )
    return Score(
        counts["expressions"],
        counts["found"],
        counts["dates"],
        counts["within"],
        counts["precisions"],
        counts["fp"],
        counts["traps"],
        tuple(errors),
    )


def _overlap(a: Prediction | Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def timed(system: Callable[[Article], list[Prediction]], articles: Sequence[Article]) -> float:
    """Seconds for one pass of a system over every article, with our caches cleared first."""
    temporal.parse_absolute.cache_clear()
    temporal._parser.cache_clear()
    began = time.perf_counter()
    for article in articles:
        system(article)
    return time.perf_counter() - began


def pipeline(articles: Sequence[Article]) -> Callable[[Article], list[Prediction]]:
    """The whole candidate pipeline of `timeline extract` (gazetteer, figures, grouping),
    timed like a system; its mentions are ours."""
    timeline = load_timeline(ROOT / "events.yaml")
    inputs = {a.name: extract.Article(a.name, a.text, a.published, "label") for a in articles}

    def candidates(article: Article) -> list[Prediction]:
        extract.extract([inputs[article.name]], timeline)
        return []

    return candidates


def run(runs: int = DEFAULT_RUNS) -> tuple[dict[str, tuple[Score, list[float]]], list[float]]:
    """Score both systems and time `runs` passes of each (and of the whole candidate
    pipeline), interleaved, after a warm-up."""
    articles = load_labelled()
    systems = {"timeline.temporal": ours, "search_dates (baseline)": baseline}
    results = {}
    for name, system in systems.items():
        results[name] = (score(articles, [system(a) for a in articles]), [])
    candidates = pipeline(articles)
    timed(candidates, articles)
    whole = []
    for _ in range(runs):
        for name, system in systems.items():
            results[name][1].append(timed(system, articles))
        whole.append(timed(candidates, articles))
    return results, whole


def report(results: dict[str, tuple[Score, list[float]]], whole: list[float], runs: int) -> str:
    """The results as Markdown."""
    articles = load_labelled()
    words = sum(len(article.text.split()) for article in articles)
    lines = [
        "# Temporal extraction: timeline.temporal vs raw dateparser search_dates",
        "",
        "Written by `python benchmarks/extraction.py`; the method is in the script's docstring "
        "and in docs/extraction.md.",
        f"Labelled set: {len(articles)} articles ({words:,} words) in `tests/data/extraction/`, "
        f"{sum(len(a.expressions) for a in articles)} labelled expressions, "
        f"{sum(len(a.negatives) for a in articles)} labelled non-temporal spans, "
        f"{sum(len(a.ignore) for a in articles)} ignored spans.",
        f"Python {sys.version.split()[0]}, dateparser {dateparser.__version__}; times are "
        f"medians of {runs} runs over all articles, after a warm-up run.",
        "",
        "| system | recall | date accuracy | days inside the label | right precision | "
        "false positives (on traps) | time, all articles | per article |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, (found, times) in results.items():
        median = statistics.median(times)
        precision = (
            f"{found.precisions_right}/{found.expressions}"
            if name.startswith("timeline")
            else "n/a (no precision)"
        )
        lines.append(
            f"| {name} | {found.found}/{found.expressions} ({found.recall:.1%}) | "
            f"{found.dates_right}/{found.expressions} ({found.accuracy:.1%}) | "
            f"{found.dates_within}/{found.expressions} ({found.lenient:.1%}) | {precision} | "
            f"{found.false_positives} ({found.trap_hits}) | {median * 1000:.1f} ms | "
            f"{median * 1000 / len(articles):.1f} ms |"
        )
    ours_time = statistics.median(results["timeline.temporal"][1])
    base_time = statistics.median(results["search_dates (baseline)"][1])
    lines += [
        "",
        f"Speed-up: {base_time / ours_time:.1f}× faster than the baseline. The whole candidate "
        "pipeline of `python -m timeline extract` (mentions, sentences, places, actors, "
        f"figures, categories, stories, grouping) takes {statistics.median(whole) * 1000:.1f} ms "
        "for all articles.",
        "",
        "Date accuracy counts a labelled expression right when a prediction overlaps it and "
        "gives exactly its first and last day (a month is 1st–last day, a week Monday–Sunday, "
        "a range both ends); it is over all labelled expressions, so a miss counts as wrong. "
        "'Days inside the label' is lenient: the days given lie within the labelled span (the "
        "baseline's 12 April for 'in April' counts), which is as well as a system that gives "
        "one day and no precision can do.",
        "",
    ]
    for name, (found, _) in results.items():
        lines.append(f"## {name}: misses, wrong dates and false positives ({len(found.errors)})")
        lines.append("")
        lines += [f"- {error}" for error in found.errors] or ["- none"]
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table and write the results file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="timed runs (median)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="Markdown results file")
    arguments = parser.parse_args(argv)
    results, whole = run(max(1, arguments.runs))
    text = report(results, whole, max(1, arguments.runs))
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(text + "\n", encoding="utf-8")
    print("\n".join(line for line in text.splitlines() if line.startswith(("|", "Speed"))))
    print(f"written to {arguments.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
