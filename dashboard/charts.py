"""The Charts view: events per day, and the figures claimed about the events shown."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from timeline.charts import charted_claims, claims_figure, daily_counts_figure
from timeline.query import claims_of
from timeline.viewstate import default_measures


def charts_view(shown: pd.DataFrame, claims: pd.DataFrame) -> None:
    """Daily counts, then the claimed figures the user picks (headline ones first)."""
    st.plotly_chart(daily_counts_figure(shown), width="stretch")
    unreviewed = st.checkbox(
        "Include unreviewed candidates", key="claims_unreviewed",
        help="Figures of extracted events nobody has confirmed yet, drawn as open diamonds",
    )  # fmt: skip
    visible_claims = charted_claims(claims_of(claims, shown), unreviewed)
    measures = sorted(set(visible_claims["measure"]))
    wanted = st.multiselect("Claimed figures", measures, default=default_measures(measures))
    if wanted:
        st.plotly_chart(claims_figure(visible_claims, wanted, unreviewed), width="stretch")
