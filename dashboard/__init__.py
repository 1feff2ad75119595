"""The Streamlit dashboard's views, one module each; `app.py` lays them out on the page.

Each view only wires widgets to functions of the `timeline` package, which decides what they
show; Streamlit is imported here and in `app.py`, nowhere else.
"""
