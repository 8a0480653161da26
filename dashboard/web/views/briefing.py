"""Briefing: a one-page printable summary of the current view (self-contained HTML).

The document is built by the pure ``dashboard.briefing`` module (every data value escaped,
no script, no external resource), cached per store version, filters and language.
"""

from __future__ import annotations

import streamlit as st

from dashboard.web import briefing
from dashboard.web.cache import cached_query
from dashboard.web.components import page_header
from dashboard.web.context import get_context

ctx = get_context()
page_header(ctx, "nav.briefing")
st.markdown(ctx.t("briefing.intro"))
doc = cached_query(briefing.build_html, ctx, ctx.filters, ctx.lang)
st.download_button(
    ctx.t("briefing.download"),
    data=doc.encode("utf-8"),
    file_name=briefing.file_name(ctx.filters),
    mime="text/html",
    type="primary",
    icon=":material/download:",
    on_click="ignore",
    key="briefing_download",
)
st.caption(ctx.t("briefing.print_hint"))
st.subheader(ctx.t("briefing.preview"))
# our own markup: data values are escaped and there is no script (see dashboard.briefing)
st.iframe(doc, height=1150)
