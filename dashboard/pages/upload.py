"""Placeholder page (owned by another engineer; replaced by the real page)."""

from __future__ import annotations

import streamlit as st

from dashboard.ui.components import page_header
from dashboard.ui.context import get_context

ctx = get_context()
page_header(ctx, "nav.upload")
st.info(ctx.t("shell.page_coming"))
