"""Queries of a candidates dataset (timeline.corpus) with DuckDB over its Parquet files.

Every query reads only the columns and rows it needs, in DuckDB, and returns small results
(counts per day, one page of matches), so a million candidates stay interactive: nothing
loads the whole dataset into pandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from timeline.corpus import INSTALL_HINT, MissingDependency
from timeline.errors import TimelineError
from timeline.intake import NewArticle, Pick, add_article

PAGE_ROWS = 200
GROUPS = ("category", "story")
# What a search returns for each match: enough to read, choose and send to review.
SHOWN_COLUMNS = (
    "path", "published", "outlet", "url", "date", "category", "story", "title", "sentence",
    "places", "actors", "text", "start", "end",
)  # fmt: skip


class NoCandidates(Exception):
    """The path holds no candidates dataset (no part-*.parquet files)."""


@dataclass(frozen=True, slots=True)
class CorpusFilter:
    """What the corpus view shows: a search text, categories, stories and a span of days."""

    text: str = ""
    categories: tuple[str, ...] = ()
    stories: tuple[str, ...] = ()


def duckdb_module() -> Any:
    """DuckDB, or MissingDependency saying how to install it."""
    try:
        import duckdb
    except ImportError:
        raise MissingDependency(
            f"the corpus view needs DuckDB (install it with: {INSTALL_HINT})"
        ) from None
    return duckdb


def parts_glob(dataset: str | Path) -> str:
    """The glob of a dataset's candidate parts; NoCandidates when there are none (or a single
    Parquet file, which is its own glob)."""
    path = Path(dataset)
    if path.is_file():
        return str(path)
    if not any(path.glob("part-*.parquet")):
        raise NoCandidates(
            f"{dataset}: no candidates here (expected a folder of part-*.parquet files written "
            "by python -m timeline extract-corpus)"
        )
    return str(path / "part-*.parquet")


class Corpus:
    """A candidates dataset opened for queries (a DuckDB view over its Parquet parts)."""

    def __init__(self, dataset: str | Path) -> None:
        duckdb = duckdb_module()
        self.dataset = str(dataset)
        self.connection = duckdb.connect()
        source = parts_glob(dataset).replace("'", "''")
        self.connection.execute(f"CREATE VIEW candidates AS SELECT * FROM read_parquet('{source}')")

    def count(self, where: CorpusFilter = CorpusFilter()) -> int:
        """How many candidates the filter keeps."""
        clause, parameters = _where(where)
        return self._rows(f"SELECT count(*) FROM candidates {clause}", parameters)[1][0][0]

    def values(self, column: str) -> list[str]:
        """The distinct values of `category` or `story`, sorted (no nulls)."""
        if column not in GROUPS:
            raise ValueError(f"not a grouping column: {column!r} (expected one of {GROUPS})")
        _, rows = self._rows(
            f"SELECT DISTINCT {column} FROM candidates WHERE {column} IS NOT NULL ORDER BY 1"
        )
        return [row[0] for row in rows]

    def per_day(self, group: str, where: CorpusFilter = CorpusFilter()) -> dict[str, list]:
        """Candidates per day of their event's first day and per value of `group`, as columns
        day, group, candidates (sorted by day, then group)."""
        if group not in GROUPS:
            raise ValueError(f"not a grouping column: {group!r} (expected one of {GROUPS})")
        clause, parameters = _where(where)
        _, rows = self._rows(
            f"SELECT date_start AS day, coalesce({group}, '(none)') AS grp, count(*) "
            f"FROM candidates {clause} GROUP BY ALL ORDER BY day, grp",
            parameters,
        )
        return {
            "day": [row[0] for row in rows],
            group: [row[1] for row in rows],
            "candidates": [row[2] for row in rows],
        }

    def search(
        self, where: CorpusFilter = CorpusFilter(), limit: int = PAGE_ROWS, offset: int = 0
    ) -> list[dict[str, Any]]:
        """One page of the matching candidates, in (day, path, offset) order."""
        clause, parameters = _where(where)
        columns = ", ".join(f'"{c}"' for c in SHOWN_COLUMNS)
        names, rows = self._rows(
            f"SELECT {columns} FROM candidates {clause} "
            "ORDER BY date_start, path, start LIMIT ? OFFSET ?",
            [*parameters, limit, offset],
        )
        return [dict(zip(names, row, strict=True)) for row in rows]

    def _rows(self, sql: str, parameters: Sequence[Any] = ()) -> tuple[list[str], list[tuple]]:
        # A cursor per query: one connection is not safe across threads (Streamlit's sessions)
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(parameters))
            return [d[0] for d in cursor.description], cursor.fetchall()

    def close(self) -> None:
        """Release the connection."""
        self.connection.close()


def _where(where: CorpusFilter) -> tuple[str, list[Any]]:
    conditions: list[str] = []
    parameters: list[Any] = []
    if where.text.strip():
        # case-insensitive substring of the title or the sentence, the search users expect
        conditions.append("(title ILIKE ? ESCAPE '\\' OR sentence ILIKE ? ESCAPE '\\')")
        pattern = "%" + _escape_like(where.text.strip()) + "%"
        parameters += [pattern, pattern]
    for column, chosen in (("category", where.categories), ("story", where.stories)):
        if chosen:
            conditions.append(f"{column} IN ({', '.join('?' for _ in chosen)})")
            parameters += list(chosen)
    return ("WHERE " + " AND ".join(conditions) if conditions else ""), parameters


def _escape_like(text: str) -> str:
    # "50%" or "power_station" are words to find, not wildcards
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def chosen_articles(rows: Sequence[dict[str, Any]]) -> list[tuple[NewArticle, list[Pick]]]:
    """The articles of chosen candidate rows, once each in path order, with what registering
    one as a source needs (path, outlet, published, url) and the picks of its chosen
    candidates, in the order chosen."""
    chosen: dict[str, tuple[NewArticle, list[Pick]]] = {}
    for row in rows:
        article = NewArticle(row["path"], row["outlet"], row["published"], row["url"] or None)
        picks = chosen.setdefault(row["path"], (article, []))[1]
        pick = Pick(row["sentence"], row["start"])
        if pick not in picks:
            picks.append(pick)
    return [chosen[path] for path in sorted(chosen)]


def send_to_review(events_path: str | Path, rows: Sequence[dict[str, Any]]) -> list[str]:
    """Add the chosen candidates to the events file through add-article's path: each article
    registered as a source (once), only its chosen candidates added for review, or cited by the
    events they report; one line per article, `path: error: ...` for one that could not be
    added."""
    lines = []
    for article, picks in chosen_articles(rows):
        if not article.outlet:
            lines.append(
                f"{article.file}: error: no outlet known for the article, so it cannot be "
                "registered as a source (give path,published,outlet,url in --dates when "
                "extracting)"
            )
            continue
        try:
            plan, _ = add_article(events_path, article, only=picks)
        except TimelineError as error:
            lines.append(f"{article.file}: error: {str(error).splitlines()[0]}")
            continue
        lines.append(plan.summary(str(events_path), str(article.file)))
    return lines
