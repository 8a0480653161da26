"""Streamlit entry point (``netralitas serve`` runs this file)."""

from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.store import Store

st.set_page_config(page_title="Netralitas ASN", layout="wide")
st.title("Netralitas ASN")
store = Store()
st.dataframe(queries.summary(store, queries.Filters(), "provinsi"))
