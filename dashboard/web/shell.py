"""The sidebar: global filters that live in the URL, built before every page run.

Flow of one run (see ``build_context``):

1. First run of a browser session: parse ``st.query_params`` (``url_state``) into the
   sidebar widgets' session state; invalid values are dropped with a visible warning.
2. Apply filter changes requested by a page (``context.request_filters``).
3. Draw the widgets (language, measure, province, regency/city, agency, agency level,
   position level, date range, demo data) and build a frozen ``Filters``.
4. Write the filters back to ``st.query_params`` on *every* run: moving between pages
   through the sidebar drops the query string, so it must be re-applied from state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import polars as pl
import streamlit as st

from dashboard import i18n, queries
from dashboard.access import auth
from dashboard.access.auth import User
from dashboard.install import builtin
from dashboard.store.database import Store, StoreError
from dashboard.text import plain, strip_control
from dashboard.web import session, url_state
from dashboard.web import view_scope as scope
from dashboard.web.cache import cached_query, memo, store_version
from dashboard.web.context import PENDING_KEY, Ctx, set_context
from dashboard.web.widget_text import DATE_INPUT_FORMAT
from schemas.vocab import AGENCY_LEVELS, JENIS_ASN, POSITION_LEVELS

if TYPE_CHECKING:
    from streamlit.delta_generator import DeltaGenerator

INIT_KEY = "_netralitas_url_loaded"
# The demo toggle is not preset through session state: in the browser a toggle whose
# session value was set before it was first drawn came back with its default on the first
# rerun triggered by another widget (seen with the map's click selection). Its wanted
# value is kept here and passed as ``value=``; the widget key is deleted to re-apply it.
DEMO_WANTED_KEY = "_netralitas_demo_wanted"
DROPPED_KEY = "_netralitas_url_dropped"
MIN_DATE = dt.date(2022, 1, 1)

# Filters field -> sidebar widget key
WIDGET_KEYS = {f.name: f.widget for f in url_state.FILTER_FIELDS}
_LIST_FIELDS = url_state.LIST_FIELDS


@st.cache_resource(show_spinner=False)
def _populate_once(store_path: str) -> bool:
    """Fill an empty store with the seed events and demo data, once per process."""
    store = Store(store_path)
    with st.spinner(i18n.t("shell.populating")):
        return builtin.ensure_populated(store)


def _want_demo(value: bool) -> None:
    st.session_state[DEMO_WANTED_KEY] = bool(value)
    st.session_state.pop(WIDGET_KEYS["include_demo"], None)


def _state_from_filters(f: queries.Filters, lang: str) -> dict[str, Any]:
    """Widget states for ``f`` (the demo toggle goes through :func:`_want_demo`)."""
    state: dict[str, Any] = {WIDGET_KEYS["lang"]: lang}
    for name in WIDGET_KEYS:
        if name in ("lang", "include_demo"):
            continue
        value = getattr(f, name)
        state[WIDGET_KEYS[name]] = list(value) if name in _LIST_FIELDS else value
    return state


def _load_url(known: url_state.Known) -> None:
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    filters, lang, dropped = url_state.filters_from_params(params, known)
    st.session_state.update(_state_from_filters(filters, lang))
    _want_demo(filters.include_demo)
    st.session_state[DROPPED_KEY] = (dropped, filters)
    st.session_state[INIT_KEY] = True


def _apply_pending() -> None:
    pending = st.session_state.pop(PENDING_KEY, None)
    if not pending:
        return
    for name, value in pending.items():
        if name == "include_demo":
            _want_demo(value)
            continue
        key = WIDGET_KEYS[name]
        st.session_state[key] = list(value) if name in _LIST_FIELDS else value
    # a province change invalidates regency/agency choices made elsewhere
    if "provinces" in pending and "regencies" not in pending:
        st.session_state[WIDGET_KEYS["regencies"]] = []


def _reset_filters() -> None:
    lang = st.session_state.get(WIDGET_KEYS["lang"], i18n.DEFAULT_LANG)
    st.session_state.update(_state_from_filters(queries.Filters(), lang))
    _want_demo(True)


def _keep(key: str, allowed: set[str]) -> None:
    """Drop selections that are no longer offered (before the widget is drawn)."""
    current = st.session_state.get(key) or []
    st.session_state[key] = [v for v in current if v in allowed]


def _choose(
    sb: DeltaGenerator, label: str, names: dict[str, str], field: str, placeholder: str
) -> list[str]:
    """A multiselect over ``names`` (value -> label) that drops stale selections first and
    is disabled when nothing can be offered."""
    key = WIDGET_KEYS[field]
    _keep(key, set(names))
    return sb.multiselect(
        label,
        options=list(names),
        format_func=lambda v: strip_control(names.get(v, v)),
        key=key,
        placeholder=placeholder,
        disabled=not names,
    )


def _sync_url(filters: queries.Filters, lang: str) -> None:
    want = url_state.params_from_filters(filters, lang)
    for key in url_state.PARAM_KEYS:
        value = want.get(key)
        if value is None:
            if key in st.query_params:
                del st.query_params[key]
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def province_names(regions: pl.DataFrame) -> dict[str, str]:
    """Province code -> name, by name."""
    prov = regions.filter(pl.col("level") == "provinsi").sort("name")
    return dict(zip(prov["code"], prov["name"], strict=True))


def regency_names(regions: pl.DataFrame, provinces: tuple[str, ...]) -> dict[str, str]:
    """Regency/city code -> name, by name, of ``provinces`` (all when empty)."""
    kab = regions.filter(pl.col("level") != "provinsi")
    if provinces:
        kab = kab.filter(pl.col("province_code").is_in(provinces))
    kab = kab.sort("name")
    return dict(zip(kab["code"], kab["name"], strict=True))


def agency_names(
    agencies: pl.DataFrame,
    provinces: tuple[str, ...],
    regencies: tuple[str, ...],
    include_demo: bool,
) -> dict[str, str]:
    """Agency id -> name of the agencies offered within the chosen region (none without
    one: thousands of options are unusable)."""
    ag = agencies if include_demo else agencies.filter(~pl.col("is_demo"))
    if regencies:
        offered = ag.filter(
            pl.col("regency_code").is_in(regencies)
            | (pl.col("regency_code").is_null() & pl.col("province_code").is_in(provinces))
        )
    elif provinces:
        offered = ag.filter(pl.col("province_code").is_in(provinces))
    else:
        offered = ag.head(0)
    return dict(zip(offered["agency_id"], offered["name"], strict=True))


# which sidebar options (a tuple naming the list and its arguments) -> value -> label
Options = Callable[[tuple], dict[str, str]]


def _sidebar(options: Options) -> tuple[Any, str]:
    sb = st.sidebar
    lang = sb.radio(
        "Bahasa / Language",
        options=list(i18n.LANGS),
        format_func=lambda v: {"id": "Bahasa Indonesia", "en": "English"}[v],
        key=WIDGET_KEYS["lang"],
        horizontal=True,
    )

    def t(key: str) -> str:
        return i18n.t(key, lang)

    measure = sb.radio(
        t("filter.measure"),
        options=list(queries.MEASURES),
        format_func=lambda v: t(f"measure.{v}"),
        key=WIDGET_KEYS["measure"],
        help=t("filter.measure_help"),
    )
    sb.subheader(t("filter.title"))

    provinces = _choose(
        sb, t("filter.province"), options(("provinces",)), "provinces", t("filter.all")
    )
    regencies = _choose(
        sb,
        t("filter.regency"),
        options(("regencies", tuple(sorted(provinces)))),
        "regencies",
        t("filter.all"),
    )

    include_demo = bool(
        st.session_state.get(
            WIDGET_KEYS["include_demo"], st.session_state.get(DEMO_WANTED_KEY, True)
        )
    )
    chosen_agencies = _choose(
        sb,
        t("filter.agency"),
        options(("agencies", tuple(sorted(provinces)), tuple(sorted(regencies)), include_demo)),
        "agencies",
        t("filter.agency_placeholder") if provinces else t("filter.agency_first"),
    )
    alevels, plevels, jenis = (
        _choose(sb, label, {v: t(f"{prefix}.{v}") for v in vocab}, field, t("filter.all"))
        for label, prefix, vocab, field in (
            (t("filter.agency_level"), "level", AGENCY_LEVELS, "agency_levels"),
            (t("filter.position_level"), "position", POSITION_LEVELS, "position_levels"),
            (t("filter.jenis_asn"), "jenis_asn", JENIS_ASN, "jenis_asn"),
        )
    )
    max_date = dt.date.today() + dt.timedelta(days=366)
    for key in (WIDGET_KEYS["date_from"], WIDGET_KEYS["date_to"]):
        value = st.session_state.get(key)
        if value is not None and not MIN_DATE <= value <= max_date:
            st.session_state[key] = None
    # one date format on every page, in both languages; one input per row, so the whole
    # date shows in the sidebar at every width
    c1 = c2 = sb
    date_from, date_to = (
        column.date_input(
            t(f"filter.{field}"),
            value=None,
            min_value=MIN_DATE,
            max_value=max_date,
            key=WIDGET_KEYS[field],
            format=DATE_INPUT_FORMAT,
            help=t(help_key) if help_key else None,
        )
        for column, field, help_key in (
            (c1, "date_from", None),
            (c2, "date_to", "filter.date_to_help"),
        )
    )
    if date_from and date_to and date_from > date_to:
        sb.warning(t("filter.date_order"))
        date_from = None
    include_demo = sb.toggle(
        t("filter.include_demo"),
        value=bool(st.session_state.get(DEMO_WANTED_KEY, True)),
        key=WIDGET_KEYS["include_demo"],
        help=t("filter.demo_help"),
    )
    sb.button(t("filter.reset"), on_click=_reset_filters, width="stretch")

    filters = queries.Filters(
        provinces=tuple(sorted(provinces)),
        regencies=tuple(sorted(regencies)),
        agencies=tuple(sorted(chosen_agencies)),
        agency_levels=tuple(sorted(alevels)),
        position_levels=tuple(sorted(plevels)),
        jenis_asn=tuple(sorted(jenis)),
        date_from=date_from,
        date_to=date_to,
        include_demo=bool(include_demo),
        measure=measure,
    )
    return filters, lang


def _frames(ctx0: Ctx, user: User | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Region and agency options within the user's scope (regions outside it are not
    even offered)."""
    regions = cached_query(queries.region_options, ctx0)
    agencies = cached_query(queries.agency_options, ctx0)
    if user is not None:
        regions = session.visible_regions(user, regions)
        agencies = session.visible_agencies(user, agencies)
    return regions, agencies


def _names(regions: pl.DataFrame, agencies: pl.DataFrame) -> scope.Names:
    """The names the view's heading, chips and downloads may use."""
    kab = regions.filter(pl.col("level") != "provinsi")
    return scope.Names(
        provinces=province_names(regions),
        regencies=dict(zip(kab["code"], kab["name"], strict=True)),
        regency_province=dict(zip(kab["code"], kab["province_code"], strict=True)),
        agencies=dict(zip(agencies["agency_id"], agencies["name"], strict=True)),
    )


def build_context(user: User | None = None) -> Ctx:
    """Read the URL/sidebar, sync the URL, and publish the ``Ctx`` for this run.

    ``user`` (from ``session.gate``) limits the offered regions/agencies and the filters to
    the user's access scope.
    """
    store = Store()
    try:
        store.ensure()
        _populate_once(store.location)
        version = store_version(store)
    except StoreError as exc:
        st.error(plain(str(exc)))
        st.stop()
    ctx0 = Ctx(i18n.DEFAULT_LANG, queries.Filters(), store, version)
    scope_key = (user.provinces, user.regencies) if user is not None else None
    regions, agencies = memo(
        ("sidebar_frames", store.location, version, scope_key), lambda: _frames(ctx0, user)
    )

    def options(which: tuple) -> dict[str, str]:
        """The sidebar's option lists, once per (store version, scope, what they depend on)."""
        kind, *args = which

        def build() -> dict[str, str]:
            if kind == "provinces":
                return province_names(regions)
            if kind == "regencies":
                return regency_names(regions, *args)
            return agency_names(agencies, *args)

        return memo(("sidebar_options", store.location, version, scope_key, which), build)

    if not st.session_state.get(INIT_KEY):
        kab = regions.filter(pl.col("level") != "provinsi")
        known = url_state.Known(
            provinces=frozenset(regions.filter(pl.col("level") == "provinsi")["code"]),
            regencies=dict(zip(kab["code"], kab["province_code"], strict=True)),
            agencies=frozenset(agencies["agency_id"]),
        )
        _load_url(known)
    _apply_pending()

    filters, lang = _sidebar(options)
    # the notice stays while the view is still the one the link asked for (reruns that
    # change nothing, e.g. the map measuring its width, keep it); the first change ends it
    dropped, from_link = st.session_state.get(DROPPED_KEY) or ((), None)
    if dropped and filters == from_link:
        st.warning(i18n.t("shell.url_dropped", lang, items=plain(", ".join(dropped))), icon="⚠️")
    elif dropped:
        st.session_state.pop(DROPPED_KEY, None)
    _sync_url(filters, lang)
    if user is not None:
        filters = auth.scope_filters(user, filters)
    names = memo(
        ("scope_names", store.location, version, scope_key), lambda: _names(regions, agencies)
    )
    ctx = Ctx(lang=lang, filters=filters, store=store, version=version, user=user, names=names)
    set_context(ctx)
    return ctx
