"""Reading article texts, whether plain text or a scraped Python list of paragraphs."""

from __future__ import annotations

import ast
import html
from pathlib import Path

from timeline.errors import UnreadableArticle

PARAGRAPH_BREAK = "\n\n"


def decode_article(raw: bytes) -> str:
    """An article file's text: UTF-8, a list-of-paragraphs literal joined by blank lines."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableArticle(
            f"byte {error.start} (0x{raw[error.start]:02x}) is not UTF-8 "
            "(expected a UTF-8 text file)"
        ) from None
    paragraphs = _paragraph_list(text)
    return text if paragraphs is None else PARAGRAPH_BREAK.join(paragraphs)


def read_article(path: str | Path) -> str:
    """Read and decode an article file; raise UnreadableArticle with the reason."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise UnreadableArticle(f"cannot read '{path}': {error.strerror}") from None
    return decode_article(raw)


def _paragraph_list(text: str) -> list[str] | None:
    # Scrapers sometimes save str(list_of_paragraphs); quotes must match the prose, not its repr.
    stripped = text.strip()
    if not (stripped.startswith("[") and stripped.endswith("]")):
        return None
    try:
        value = ast.literal_eval(stripped)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return None


def highlight_html(text: str, quotes: list[str]) -> str:
    """The article as escaped HTML paragraphs with every quoted passage wrapped in <mark>."""
    spans = sorted(
        (start, start + len(quote))
        for quote in quotes
        if quote and (start := text.find(quote)) >= 0
    )
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        if start < cursor:
            start = cursor
        if start >= end:
            continue
        pieces.append(html.escape(text[cursor:start]))
        pieces.append(f"<mark>{html.escape(text[start:end])}</mark>")
        cursor = end
    pieces.append(html.escape(text[cursor:]))
    paragraphs = "".join(pieces).split("\n\n")
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs if paragraph.strip())
