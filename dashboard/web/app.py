"""Streamlit entry point (``netralitas serve`` runs this file): the app shell.

Shell contract (page authors read this):

- The shell runs before every page: it opens the ``Store()`` (path from ``$NETRALITAS_STORE``),
  fills an empty store once (``builtin.ensure_populated``), draws the sidebar's global filters
  (``dashboard/web/shell.py``), keeps them in the URL, and publishes a ``Ctx``
  (``dashboard/web/context.py``). A page starts with ``ctx = get_context()``.
- Pages are the files in ``dashboard/web/views/``; titles come from i18n keys ``nav.<page>``.
- Read data through ``dashboard/web/cache.py:cached_query(fn, ctx, *args)`` and show it with
  ``dashboard/web/components.py`` (``page_header`` first: title, freshness, sources, demo notice).
"""

from __future__ import annotations

import atexit
import gc
from pathlib import Path

import streamlit as st

from dashboard.access import auth
from dashboard.geo import maps
from dashboard.web import session
from dashboard.web.shell import build_context

PAGES_DIR = Path(__file__).resolve().parent / "views"
# (file, i18n title key, url path, icon); the first is the default page
PAGES = (
    ("overview.py", "nav.overview", "ringkasan", ":material/dashboard:"),
    ("map.py", "nav.map", "peta", ":material/map:"),
    ("timeline.py", "nav.timeline", "linimasa", ":material/timeline:"),
    ("unsigned.py", "nav.unsigned", "belum-tanda-tangan", ":material/pending_actions:"),
    ("followup.py", "nav.followup", "tindak-lanjut", ":material/assignment_late:"),
    ("agencies.py", "nav.agencies", "instansi", ":material/account_balance:"),
    ("upload.py", "nav.upload", "unggah-roster", ":material/upload_file:"),
    ("sources.py", "nav.sources", "sumber-metode", ":material/menu_book:"),
    ("briefing.py", "nav.briefing", "briefing", ":material/print:"),
    ("admin.py", "nav.admin", "admin", ":material/admin_panel_settings:"),
)
# pages that need more than viewing aggregates (dashboard/access/auth.py); others: every role
PAGE_PERMISSIONS = {"upload.py": auth.UPLOAD, "admin.py": auth.MANAGE_USERS}


@st.cache_resource(show_spinner=False)
def _freeze_heap() -> bool:
    """Once per process, after the first run: move what is alive (modules, caches) out of
    the collector's reach, so the collections Python still starts on its own stay short
    (the server runs without Streamlit's full collection after every run)."""
    gc.collect()
    gc.freeze()
    atexit.register(gc.unfreeze)  # so that the exit frees it as usual
    return True


st.set_page_config(page_title="Netralitas ASN", page_icon="🗳️", layout="wide")
# sign-in (or the single local user); stops the run until signed in
user = session.gate(url_paths=tuple(p[2] for p in PAGES))
ctx = build_context(user)
maps.prewarm(ctx.store.path)  # once per process, in the background
pages = [
    st.Page(
        PAGES_DIR / file,
        title=ctx.t(key),
        url_path=url_path,
        icon=icon,
        default=(i == 0),
    )
    for i, (file, key, url_path, icon) in enumerate(PAGES)
    if user.can(PAGE_PERMISSIONS.get(file, auth.VIEW_AGGREGATES))
]
# errors are logged server-side; the reader sees a notice without trace or data
session.guarded(st.navigation(pages).run, ctx.lang)
_freeze_heap()
