"""Global filters <-> URL query parameters (pure: no Streamlit, unit-tested directly).

The link is the view: copying the URL must reproduce it, so every global filter has a
short query parameter. Lists are comma-joined (``prov=62,17``); defaults are left out so
the plain URL stays clean. A value that does not parse or names an unknown region/agency
is dropped and reported (``key=value``, sanitised for display), never raised.

Parameters: ``lang`` (id|en), ``measure`` (pakta|ikrar), ``prov`` (province codes),
``kab`` (regency codes), ``agency`` (agency ids), ``alevel`` (agency levels), ``plevel``
(position levels), ``jenis`` (PNS / PPPK), ``from`` / ``to`` (ISO dates), ``demo`` (1|0).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from dashboard.i18n import DEFAULT_LANG, LANGS
from dashboard.queries.filters import MEASURES, Filters
from schemas.vocab import AGENCY_LEVELS, JENIS_ASN, POSITION_LEVELS


@dataclass(frozen=True)
class FilterField:
    """One field of the view: its :class:`Filters` name (or ``lang``), URL parameter and
    sidebar widget key, and whether it holds a list of codes."""

    name: str
    param: str
    widget: str
    is_list: bool = False


# the one declaration of the view's fields; URL parsing, links and the sidebar use it
FILTER_FIELDS = (
    FilterField("lang", "lang", "w_lang"),
    FilterField("measure", "measure", "w_measure"),
    FilterField("provinces", "prov", "w_prov", is_list=True),
    FilterField("regencies", "kab", "w_kab", is_list=True),
    FilterField("agencies", "agency", "w_agency", is_list=True),
    FilterField("agency_levels", "alevel", "w_alevel", is_list=True),
    FilterField("position_levels", "plevel", "w_plevel", is_list=True),
    FilterField("jenis_asn", "jenis", "w_jenis", is_list=True),
    FilterField("date_from", "from", "w_from"),
    FilterField("date_to", "to", "w_to"),
    FilterField("include_demo", "demo", "w_demo"),
)
PARAM = {f.name: f.param for f in FILTER_FIELDS}
PARAM_KEYS = tuple(PARAM.values())
LIST_FIELDS = tuple(f.name for f in FILTER_FIELDS if f.is_list)
MAX_VALUES = 600  # more codes than regencies exist is not a real view
MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
_PROVINCE_RE = re.compile(r"^\d{2}$")
_REGENCY_RE = re.compile(r"^\d{4}$")
_AGENCY_RE = re.compile(r"^[\w.\-]{1,80}$")


@dataclass(frozen=True)
class Known:
    """Reference values to validate against; ``None`` means "check the syntax only"."""

    provinces: frozenset[str] | None = None
    regencies: Mapping[str, str] | None = None  # regency code -> province code
    agencies: frozenset[str] | None = None


def _safe(value: str) -> str:
    """Display form of a dropped URL value: no markup, bounded length."""
    return re.sub(r"[^\w\-.:]", "?", value)[:40]


def _values(params: Mapping[str, str | Sequence[str]], key: str) -> list[str]:
    raw = params.get(key)
    if raw is None:
        return []
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out += [v.strip() for v in str(item).split(",") if v.strip()]
    return out


def _last(params: Mapping[str, str | Sequence[str]], key: str) -> str | None:
    vals = _values(params, key)
    return vals[-1] if vals else None


def _date(value: str | None, key: str, dropped: list[str]) -> dt.date | None:
    if value is None:
        return None
    try:
        d = dt.date.fromisoformat(value)
    except ValueError:
        dropped.append(f"{key}={_safe(value)}")
        return None
    if not MIN_DATE <= d <= MAX_DATE:
        dropped.append(f"{key}={_safe(value)}")
        return None
    return d


def _choose(
    params: Mapping[str, str | Sequence[str]],
    key: str,
    ok: Callable[[str], bool],
    dropped: list[str],
) -> tuple[str, ...]:
    kept: list[str] = []
    for v in _values(params, key):
        if ok(v) and v not in kept and len(kept) < MAX_VALUES:
            kept.append(v)
        elif v not in kept:
            dropped.append(f"{key}={_safe(v)}")
    return tuple(sorted(kept))


def filters_from_params(
    params: Mapping[str, str | Sequence[str]], known: Known | None = None
) -> tuple[Filters, str, list[str]]:
    """Parse query parameters into (Filters, language, dropped ``key=value`` strings)."""
    known = known or Known()
    dropped: list[str] = []

    lang = _last(params, PARAM["lang"]) or DEFAULT_LANG
    if lang not in LANGS:
        dropped.append(f"lang={_safe(lang)}")
        lang = DEFAULT_LANG
    measure = _last(params, PARAM["measure"]) or "pakta"
    if measure not in MEASURES:
        dropped.append(f"measure={_safe(measure)}")
        measure = "pakta"

    def province_ok(v: str) -> bool:
        return bool(_PROVINCE_RE.match(v)) and (known.provinces is None or v in known.provinces)

    provinces = _choose(params, PARAM["provinces"], province_ok, dropped)

    def regency_ok(v: str) -> bool:
        if not _REGENCY_RE.match(v):
            return False
        if known.regencies is not None and v not in known.regencies:
            return False
        parent = known.regencies[v] if known.regencies is not None else v[:2]
        return not provinces or parent in provinces

    regencies = _choose(params, PARAM["regencies"], regency_ok, dropped)

    def agency_ok(v: str) -> bool:
        return bool(_AGENCY_RE.match(v)) and (known.agencies is None or v in known.agencies)

    agencies = _choose(params, PARAM["agencies"], agency_ok, dropped)
    alevels = _choose(params, PARAM["agency_levels"], lambda v: v in AGENCY_LEVELS, dropped)
    plevels = _choose(params, PARAM["position_levels"], lambda v: v in POSITION_LEVELS, dropped)
    jenis = _choose(params, PARAM["jenis_asn"], lambda v: v in JENIS_ASN, dropped)

    date_from = _date(_last(params, PARAM["date_from"]), PARAM["date_from"], dropped)
    date_to = _date(_last(params, PARAM["date_to"]), PARAM["date_to"], dropped)
    if date_from and date_to and date_from > date_to:
        dropped.append(f"from={date_from.isoformat()}")
        date_from = None

    demo_raw = _last(params, PARAM["include_demo"])
    include_demo = True
    if demo_raw is not None:
        if demo_raw in ("0", "1"):
            include_demo = demo_raw == "1"
        else:
            dropped.append(f"demo={_safe(demo_raw)}")

    filters = Filters(
        provinces=provinces,
        regencies=regencies,
        agencies=agencies,
        agency_levels=alevels,
        position_levels=plevels,
        jenis_asn=jenis,
        date_from=date_from,
        date_to=date_to,
        include_demo=include_demo,
        measure=measure,
    )
    return filters, lang, dropped


def params_from_filters(filters: Filters, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """The query parameters for a view; defaults are omitted (the inverse of the parser)."""
    out: dict[str, str] = {}
    if lang != DEFAULT_LANG:
        out[PARAM["lang"]] = lang
    if filters.measure != "pakta":
        out[PARAM["measure"]] = filters.measure
    for name in LIST_FIELDS:
        values: tuple[str, ...] = getattr(filters, name)
        if values:
            out[PARAM[name]] = ",".join(sorted(values))
    if filters.date_from:
        out[PARAM["date_from"]] = filters.date_from.isoformat()
    if filters.date_to:
        out[PARAM["date_to"]] = filters.date_to.isoformat()
    if not filters.include_demo:
        out[PARAM["include_demo"]] = "0"
    return out
