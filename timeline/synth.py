"""Synthetic events files that validate, for measuring the tools at scale."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from timeline.dates import PARTS_OF_DAY, PARTS_OF_MONTH, Precision
from timeline.model import CATEGORIES, PLACE_KINDS, SIDES
from timeline.write import event_block

_VOCABULARY = (
    "forces strike power station city region village border grid missile drone attack "
    "officials said governor reported troops advance withdraw retake restore electricity "
    "water supply outage shelling evacuation residents bridge rail hub front line defence "
    "ministry statement claimed destroyed damaged repaired morning night week month"
)
WORDS = tuple(_VOCABULARY.split())
# The mix of date precisions seen in curated news timelines (roughly that of events.yaml).
PRECISION_WEIGHTS = {
    "day": 55, "part of day": 8, "week": 8, "part of month": 8, "month": 5, "year": 1,
    "range": 15,
}  # fmt: skip
FIRST_DAY = date(2022, 2, 24)
DAYS = 365
SOURCES = 200
PLACES = 300
ACTORS = 120
QUOTES_PER_SOURCE_TEXT = 600


def write_synthetic(events: int, seed: int, out: Path) -> dict[str, int]:
    """Write a valid events file of `events` events (and its source texts) to `out`."""
    rng = random.Random(seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    texts_dir = out.parent / f"{out.stem}-sources"
    texts_dir.mkdir(exist_ok=True)
    sentences = {
        f"synthetic-source-{n:03d}": [_sentence(rng) for _ in range(QUOTES_PER_SOURCE_TEXT)]
        for n in range(SOURCES)
    }
    for source_id, lines in sentences.items():
        (texts_dir / f"{source_id}.txt").write_text(" ".join(lines) + "\n", encoding="utf-8")
    parts = ["# Synthetic events for benchmarks: python -m timeline synth\nsources:\n"]
    for source_id in sentences:
        published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        parts.append(
            f"  - id: {source_id}\n    outlet: Outlet {source_id[-3:]}\n"
            f"    published: {published.isoformat()}\n    published_note: synthetic\n"
            f"    file: {texts_dir.name}/{source_id}.txt\n"
        )
    parts.append("places:\n")
    for n in range(PLACES):
        parts.append(
            f"  - id: place-{n:03d}\n    name: Place {n}\n    kind: {rng.choice(PLACE_KINDS)}\n"
            f"    country: Ukraine\n    lat: {rng.uniform(44.5, 52.0):.4f}\n"
            f"    lon: {rng.uniform(22.5, 40.0):.4f}\n"
        )
    parts.append("actors:\n")
    for n in range(ACTORS):
        parts.append(f"  - id: actor-{n:03d}\n    name: Actor {n}\n    side: {rng.choice(SIDES)}\n")
    parts.append(
        "stories:\n  - id: synthetic-year\n    title: The first year\n"
        # Whole years, so that a part of a month or a week at either end stays inside.
        f"    date: {FIRST_DAY.year} .. {(FIRST_DAY + timedelta(days=DAYS)).year}\n"
        + ("events:\n" if events else "events: []\n")
    )
    source_ids = list(sentences)
    for n in range(events):
        parts.append(event_block(_event(rng, n, source_ids, sentences)))
    out.write_text("".join(parts), encoding="utf-8")
    return {"events": events, "sources": SOURCES, "places": PLACES, "actors": ACTORS}


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 24))
    return " ".join(words).capitalize() + "."


def _event(
    rng: random.Random, n: int, source_ids: list[str], sentences: dict[str, list[str]]
) -> dict:
    cited = rng.sample(source_ids, k=rng.choice((1, 1, 1, 1, 2, 3)))
    event = {
        "id": f"synthetic-event-{n:06d}",
        "title": " ".join(rng.choices(WORDS, k=rng.randint(4, 10))).capitalize(),
        "date": _date(rng),
        "stories": ["synthetic-year"],
        "category": rng.choice(CATEGORIES),
        "actors": [f"actor-{rng.randrange(ACTORS):03d}" for _ in range(rng.randint(0, 2))] or None,
        "places": [f"place-{rng.randrange(PLACES):03d}" for _ in range(rng.randint(0, 3))] or None,
        "sources": [{"source": source, "quote": rng.choice(sentences[source])} for source in cited],
        "status": rng.choice(("confirmed", "reported", "reported", "disputed")),
    }
    if rng.random() < 0.2:
        event["figures"] = [
            {
                "measure": rng.choice(("missiles-fired", "missiles-shot-down", "deaths")),
                "value": rng.randint(1, 120),
                "unit": "missiles",
                "claimed_by": f"Actor {rng.randrange(ACTORS)}",
                "source": cited[0],
            }
        ]
    if n and rng.random() < 0.1:
        event["links"] = [
            {"event": f"synthetic-event-{rng.randrange(n):06d}", "relation": "related"}
        ]
    if event["actors"]:
        event["actors"] = sorted(set(event["actors"]))
    if event["places"]:
        event["places"] = sorted(set(event["places"]))
    return event


def _date(rng: random.Random) -> str:
    kind = rng.choices(list(PRECISION_WEIGHTS), weights=list(PRECISION_WEIGHTS.values()))[0]
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    if kind == Precision.RANGE:
        return f"{day.isoformat()} .. {(day + timedelta(days=rng.randint(1, 20))).isoformat()}"
    return written_point(day, Precision(kind), rng.choice)


def written_point(day: date, precision: Precision, choose: Callable[[Sequence[str]], str]) -> str:
    """The date point of that precision (not a range) that holds the day, as events.yaml writes
    it; `choose` picks the part of the day or of the month where the precision names one."""
    if precision is Precision.DAY:
        return day.isoformat()
    if precision is Precision.PART_OF_DAY:
        return f"{day.isoformat()} {choose(PARTS_OF_DAY)}"
    if precision is Precision.WEEK:
        year, week, _ = day.isocalendar()
        return f"{year:04d}-W{week:02d}"
    if precision is Precision.PART_OF_MONTH:
        return f"{day.year:04d}-{day.month:02d} {choose(PARTS_OF_MONTH)}"
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}"


def with_typo(data: bytes) -> bytes:
    """An events file with one mistake a user makes: the unknown category 'withdrawl' in its
    last event (what the benchmarks and tests of a big file's one error load)."""
    text = data.decode("utf-8")
    last = text.rindex("    category: ")
    return (text[:last] + "    category: withdrawl" + text[text.index("\n", last) :]).encode()


# Synthetic news articles: what `extract-corpus` reads at archive scale.
ARTICLE_PLACES = (
    "Kharkiv", "Izium", "Kupiansk", "Balakliia", "Kyiv", "Lviv", "Kherson", "Mykolaiv",
    "Zaporizhzhia Oblast", "Donetsk Oblast", "Sumy Oblast", "Poltava Oblast",
)  # fmt: skip
ARTICLE_SPEAKERS = (
    "Volodymyr Zelensky", "Oleh Syniehubov", "Vitali Klitschko", "Ihor Terekhov",
    "the Ukrainian Air Force", "the Ministry of Defence of Russia", "Dmitry Peskov",
    "the Institute for the Study of War", "the UK Ministry of Defence",
)  # fmt: skip
ARTICLE_OUTLETS = ("Reuters", "BBC News", "The Guardian", "Kyiv Independent", "AP News")
# One dated sentence each; {when} is an expression the extractor resolves against the
# publication date, as wire copy writes them.
_DATED = (
    "Russian missiles struck a power station in {place} {when}, {speaker} said.",
    "Ukrainian forces recaptured {place} {when}, according to {speaker}.",
    "Air defence shot down {n} drones over {place} {when}.",
    "Blackouts hit {place} {when} after strikes on the energy grid.",
    "{speaker} said {when} that repair crews had restored electricity in {place}.",
    "Shelling damaged a bridge near {place} {when}, killing {n} people.",
    "Residents of {place} were evacuated {when} as troops advanced along the front line.",
    "{speaker} announced {when} that water supply in {place} was restored.",
)
_UNDATED = (
    "Officials in {place} described the situation as difficult.",
    "Most of the city remains without heating, residents said.",
    "{speaker} did not comment on the losses.",
    "The front line has barely moved along the river.",
)
_WHEN = (
    "on {weekday}", "on {weekday} night", "on {month_day}", "yesterday", "last week",
    "early on {weekday}", "in the past 24 hours", "earlier this month",
)  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ARTICLE_FIRST_DAY = date(2022, 9, 1)
ARTICLE_DAYS = 120
ARTICLES_PER_FOLDER = 1000


def write_articles(count: int, seed: int, out: Path) -> dict[str, int]:
    """Write `count` dated articles under `out` (a folder per thousand) and `out/dates.csv`
    with each one's path, published day, outlet and url; same seed, same bytes."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    lines = ["path,published,outlet,url\n"]
    sentences = 0
    for n in range(count):
        published = ARTICLE_FIRST_DAY + timedelta(days=rng.randrange(ARTICLE_DAYS))
        body = [_article_sentence(rng, published) for _ in range(rng.randint(5, 12))]
        sentences += len(body)
        folder = out / f"{n // ARTICLES_PER_FOLDER:04d}"
        folder.mkdir(exist_ok=True)
        name = f"{folder.name}/article-{n:07d}.txt"
        paragraphs = [" ".join(body[i : i + 3]) for i in range(0, len(body), 3)]
        text = f"date {published.isoformat()}\n\n" + "\n\n".join(paragraphs) + "\n"
        (out / name).write_text(text, encoding="utf-8")
        outlet = rng.choice(ARTICLE_OUTLETS)
        lines.append(f"{name},{published.isoformat()},{outlet},https://example.org/{n:07d}\n")
    (out / "dates.csv").write_text("".join(lines), encoding="utf-8")
    return {"articles": count, "sentences": sentences}


def _article_sentence(rng: random.Random, published: date) -> str:
    if rng.random() < 0.3:
        template, when = rng.choice(_UNDATED), ""
    else:
        template = rng.choice(_DATED)
        day = published - timedelta(days=rng.randint(1, 6))
        when = rng.choice(_WHEN).format(
            weekday=_WEEKDAYS[day.weekday()], month_day=f"{day:%B} {day.day}"
        )
    sentence = template.format(
        place=rng.choice(ARTICLE_PLACES), speaker=rng.choice(ARTICLE_SPEAKERS), when=when,
        n=rng.randint(2, 40),
    )  # fmt: skip
    return sentence[0].upper() + sentence[1:]
