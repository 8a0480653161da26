"""The per-run context every page reads: language, global filters, store, store version.

Contract: ``app.py`` builds the context from the sidebar widgets and the URL *before* the
page runs; a page calls ``ctx = get_context()`` and never reads widgets or the URL itself.
To change a global filter from a page (map drill-down, "back to national"), call
``request_filters(provinces=("62",))``: the change is applied to the sidebar widgets at the
start of the next run (and so lands in the URL). Inside a widget callback pass
``rerun=False`` (the callback already triggers the rerun).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import streamlit as st

from dashboard import i18n
from dashboard.queries.filters import Filters
from dashboard.store.database import Store

if TYPE_CHECKING:
    from dashboard.access.auth import User
    from dashboard.web.view_scope import Names

_CTX_KEY = "_netralitas_ctx"
PENDING_KEY = "_netralitas_pending_filters"
FILTER_FIELDS = (
    "provinces",
    "regencies",
    "agencies",
    "agency_levels",
    "position_levels",
    "jenis_asn",
    "date_from",
    "date_to",
    "include_demo",
    "measure",
)


@dataclass(frozen=True)
class Ctx:
    """What a page needs: ``version`` changes whenever the store's data changes."""

    lang: str
    filters: Filters
    store: Store
    version: tuple
    # the signed-in user (dashboard.auth.User); ``filters`` already carry their scope
    user: User | None = None
    # names of the regions and agencies the filters may name (the heading, chips, files)
    names: Names | None = field(default=None, compare=False)

    def t(self, key: str, **kw: object) -> str:
        return i18n.t(key, self.lang, **kw)

    def num(self, value: float | int | None, digits: int = 0) -> str:
        return i18n.fmt_number(value, self.lang, digits)

    def pct(self, value: float | None, digits: int = 1) -> str:
        return i18n.fmt_percent(value, self.lang, digits)

    def date(self, value: dt.date | None, precision: str = "day") -> str:
        return i18n.fmt_date(value, self.lang, precision)


def set_context(ctx: Ctx) -> None:
    """Called by the shell once per run."""
    st.session_state[_CTX_KEY] = ctx


def get_context() -> Ctx:
    """The context the shell computed for this run."""
    ctx = st.session_state.get(_CTX_KEY)
    if ctx is None:  # a page run without the shell (should not happen via app.py)
        raise RuntimeError("get_context() called before the app shell built the context")
    return ctx


def request_filters(*, rerun: bool = True, **changes: Any) -> None:
    """Ask the shell to change global filters (``Filters`` field names) on the next run."""
    unknown = set(changes) - set(FILTER_FIELDS) - {"lang"}
    if unknown:
        raise ValueError(f"unknown filter fields: {sorted(unknown)}")
    pending = dict(st.session_state.get(PENDING_KEY) or {})
    pending.update(changes)
    st.session_state[PENDING_KEY] = pending
    if rerun:
        st.rerun()
