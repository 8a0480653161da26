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
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard import i18n
from dashboard.access import auth
from dashboard.geo import maps
from dashboard.text import plain
from dashboard.web import page_paths, session
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


def _opener(target: st.Page) -> Callable[[], None]:
    """A hidden page's body: open ``target`` with the same link parameters (filters, lang)."""

    def open_target() -> None:
        st.switch_page(target, query_params=st.query_params.to_dict())

    return open_target


def _typed_page_name() -> str | None:
    """The page path in the address this run was asked for ("" at the root). Streamlit
    1.67 keeps it on the run's page manager only (pinned in uv.lock; the browser tests of
    unknown addresses fail if that changes)."""
    run = get_script_run_ctx()
    return run.pages_manager.intended_page_name if run is not None else None


def _not_found(typed: str, open_pages: list[st.Page]) -> Callable[[], None]:
    """The answer to an address no page of this reader has: what happened, in the reader's
    language, and the pages they may open."""

    def page() -> None:
        st.title(ctx.t("nav.not_found"))
        st.warning(ctx.t("shell.not_found", path=plain(typed)), icon=":material/link_off:")
        for target in open_pages:
            st.page_link(target, label=target.title, icon=target.icon)

    return page


st.set_page_config(page_title="Netralitas ASN", page_icon="🗳️", layout="wide")
# the page names a reader may type, in either language (dashboard/web/page_paths.py); the
# default page is served at the root, its own name opens it too
# Streamlit serves the default page at the root only, yet reserves it a path of its own
# that no address reaches: one nobody would type
DEFAULT_RESERVED = "_default"
ALIASES = page_paths.aliases(
    {path: [i18n.t(key, lang) for lang in i18n.LANGS] for _, key, path, _ in PAGES},
    default_path=PAGES[0][2],
    reserved=(DEFAULT_RESERVED,),
)
# sign-in (or the single local user); stops the run until signed in
user = session.gate(url_paths=tuple(dict.fromkeys((*(p[2] for p in PAGES), *ALIASES))))
ctx = build_context(user)
maps.prewarm(ctx.store.path)  # once per process, in the background
pages = {
    url_path: st.Page(
        PAGES_DIR / file,
        title=ctx.t(key),
        url_path=DEFAULT_RESERVED if i == 0 else url_path,  # its own name: an alias, below
        icon=icon,
        default=(i == 0),
    )
    for i, (file, key, url_path, icon) in enumerate(PAGES)
    if user.can(PAGE_PERMISSIONS.get(file, auth.VIEW_AGGREGATES))
}
hidden = [
    st.Page(_opener(pages[path]), title=pages[path].title, url_path=alias, visibility="hidden")
    for alias, path in ALIASES.items()
    if path in pages
]
# an address no page of this reader answers: the nearest page, or a page saying so
open_paths = {**{p: p for p in pages}, **{a: p for a, p in ALIASES.items() if p in pages}}
typed = page_paths.unknown(_typed_page_name(), [*open_paths, DEFAULT_RESERVED])
if typed is not None:
    near = page_paths.closest(typed, open_paths)
    answer = _opener(pages[open_paths[near]]) if near else _not_found(typed, [*pages.values()])
    hidden.append(
        st.Page(answer, title=ctx.t("nav.not_found"), url_path=typed, visibility="hidden")
    )
# errors are logged server-side; the reader sees a notice without trace or data
session.guarded(st.navigation([*pages.values(), *hidden]).run, ctx.lang)
_freeze_heap()
