"""The Corpus view: a candidates dataset written by `extract-corpus`, browsed with DuckDB.

Counts per day and one page of matches are all that is queried and sent, so a million
candidates stay interactive; the chosen candidates, and only they, go to review through
add-article's path.
"""

from __future__ import annotations

import os
from pathlib import Path

import streamlit as st

from timeline.corpus import MissingDependency
from timeline.corpus_figures import GROUP_TITLES, per_day_figure
from timeline.corpus_query import (
    PAGE_ROWS,
    Corpus,
    CorpusFilter,
    NoCandidates,
    send_to_review,
)

# TIMELINE_CANDIDATES opens a dataset without typing its path (the tests use it too).
CANDIDATES_VARIABLE = "TIMELINE_CANDIDATES"


@st.cache_resource(show_spinner=False, max_entries=4)
def open_corpus(path: str, stamp: float) -> Corpus:
    """The dataset opened once per path and modification time (a rerun reuses it)."""
    return Corpus(path)


def corpus_view(events_file: Path) -> None:
    """Pick a dataset, chart its candidates per day, search them, send some to review."""
    # in the sidebar, with the other choices of what is shown
    path = st.sidebar.text_input(
        "Candidates dataset (a folder written by extract-corpus)",
        value=os.environ.get(CANDIDATES_VARIABLE, ""),
        key="corpus_path",
        placeholder="candidates.parquet",
    ).strip()
    if not path:
        st.info(
            "Open a dataset written by `python -m timeline extract-corpus ARTICLES --out "
            "candidates.parquet`: give its folder in the sidebar or in TIMELINE_CANDIDATES."
        )
        return
    if not Path(path).exists():
        st.warning(f"{path}: no such file or folder.")
        return
    try:
        corpus = open_corpus(path, Path(path).stat().st_mtime)
    except (MissingDependency, NoCandidates) as error:
        st.warning(str(error))
        return
    text = st.text_input("Search titles and sentences", key="corpus_text")
    left, middle, right = st.columns(3)
    categories = left.multiselect("Categories", corpus.values("category"), key="corpus_cats")
    stories = middle.multiselect("Stories", corpus.values("story"), key="corpus_stories")
    group = right.radio(
        "Bars by", list(GROUP_TITLES), key="corpus_group", horizontal=True,
        format_func=GROUP_TITLES.get,
    )  # fmt: skip
    where = CorpusFilter(text, tuple(categories), tuple(stories))
    total = corpus.count(where)
    st.caption(f"{total:,} of {corpus.count():,} candidates match.")
    st.plotly_chart(per_day_figure(corpus.per_day(group, where), group), key="corpus_chart")
    rows = corpus.search(where)
    if not rows:
        return
    shown = f"the first {PAGE_ROWS:,}" if total > PAGE_ROWS else "all"
    st.caption(f"Showing {shown}; select candidates to send them to review.")
    table = st.dataframe(
        rows, key="corpus_rows", on_select="rerun", selection_mode="multi-row",
        hide_index=True, width="stretch",
    )  # fmt: skip
    chosen = [rows[i] for i in table.selection.rows]
    help_text = (
        "Registers the article of each chosen candidate as a source (once) and adds the chosen "
        f"candidates alone to {events_file.name} (status: candidate), or cites their words in "
        "the event they report, as add-article does."
    )
    if st.button(
        f"Send {len(chosen)} to review", key="corpus_send", disabled=not chosen, help=help_text
    ):
        for line in send_to_review(events_file, chosen):
            (st.error if ": error: " in line else st.success)(line)
