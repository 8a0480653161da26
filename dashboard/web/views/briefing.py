"""Briefing: the current view to send: a one-page A4 PDF, a phone-sized picture (map and
headline) and the self-contained HTML.

The documents are built by the pure ``dashboard.render.briefing`` and ``dashboard.render.snapshot``
modules (every data value escaped, no script, no external resource), cached per store
version, filters and language, and generated only when a button is clicked.
"""

from __future__ import annotations

import streamlit as st

from dashboard.render import briefing, snapshot
from dashboard.web.cache import cached_query
from dashboard.web.components import file_button, page_header
from dashboard.web.context import get_context

ctx = get_context()
page_header(ctx, "nav.briefing")
st.markdown(ctx.t("briefing.intro"))
doc = cached_query(briefing.build_html, ctx, ctx.filters, ctx.lang)
row = st.container(horizontal=True, gap="small")
file_button(
    row,
    ctx.t("briefing.download_pdf"),
    lambda: cached_query(briefing.build_pdf, ctx, ctx.filters, ctx.lang),
    briefing.file_name(ctx.filters, "pdf"),
    key="briefing_download_pdf",
    icon=":material/picture_as_pdf:",
    primary=True,
)
file_button(
    row,
    ctx.t("briefing.download_png"),
    lambda: cached_query(snapshot.build_png, ctx, ctx.filters, ctx.lang),
    snapshot.file_name(ctx.filters),
    key="briefing_download_png",
    icon=":material/image:",
)
file_button(
    row,
    ctx.t("briefing.download"),
    doc.encode("utf-8"),
    briefing.file_name(ctx.filters),
    key="briefing_download",
)
st.caption(ctx.t("briefing.print_hint"))
st.subheader(ctx.t("briefing.preview"))
# our own markup: data values are escaped and there is no script (see dashboard.render.briefing)
st.iframe(doc, height=1150)
