"""The global filters of every figure, and the SQL fragments that apply them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from dashboard.domain.scope import Scope, sql_predicate

MEASURES = ("pakta", "ikrar")

# what no search can mean: NUL (a PostgreSQL text value refuses it), the other control
# characters (C0, DEL, C1) and lone surrogates (UTF-8 cannot carry them)
_UNTYPABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


GROUPINGS = ("provinsi", "kabupaten", "instansi", "jenis_asn")


@dataclass(frozen=True)
class Filters:
    """The global filters; empty tuples mean "all"."""

    provinces: tuple[str, ...] = ()
    regencies: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    agency_levels: tuple[str, ...] = ()
    position_levels: tuple[str, ...] = ()
    # PNS / PPPK: only roster officials of these kinds (count reports have no such split
    # and are left out while this is set, as they are by a position level)
    jenis_asn: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_demo: bool = True
    measure: str = "pakta"
    # limits the whole view to these provinces (access scope), independent of the UI filter
    scope_provinces: tuple[str, ...] | None = field(default=None)
    # access scope below province level (dashboard.auth): inside the provinces these regency
    # codes belong to, only these regencies are visible (provincial-level rows are not)
    scope_regencies: tuple[str, ...] | None = field(default=None)

    @property
    def scope(self) -> Scope | None:
        """The access scope these filters carry (None: national)."""
        if self.scope_provinces is None:
            return None
        kabs = tuple(self.scope_regencies or ())
        whole = tuple(p for p in self.scope_provinces if p not in {k[:2] for k in kabs})
        return Scope(whole, kabs)

    def as_of(self) -> dt.date:
        return self.date_to or dt.date.today()

    def shifted(self, days: int) -> Filters:
        return replace(self, date_to=self.as_of() - dt.timedelta(days=days))


def typed_text(value: str | None) -> str | None:
    """Text a user typed (a search box, a URL value) as it may reach SQL on either engine:
    the characters above removed, outer spaces trimmed; None when nothing is left.

    The one place such text is cleaned, so a stray byte is never an error page on
    PostgreSQL and both engines answer alike."""
    if value is None:
        return None
    cleaned = _UNTYPABLE.sub("", value).strip()
    return cleaned or None


def is_typable(value: str) -> bool:
    """False for a value holding a character :func:`typed_text` removes (no stored key)."""
    return _UNTYPABLE.search(value) is None


def in_list(col: str, values: tuple[str, ...], params: dict, name: str) -> str:
    if not values:
        return "TRUE"
    params[name] = list(values)
    return f"{col} IN (SELECT unnest(${name}))"


def roster_only(f: Filters) -> bool:
    """The view narrows the roster by something a count report does not break down
    (position level, PNS/PPPK): reports are left out of its figures."""
    return bool(f.position_levels or f.jenis_asn)


def jenis_clause(f: Filters, params: dict, col: str = "o.jenis_asn") -> str:
    """SQL: the roster row's jenis ASN is one of the view's (TRUE when not narrowed)."""
    return in_list(col, f.jenis_asn, params, "jenis")


def view_clause(f: Filters, params: dict, *, regions: str, agencies: str) -> str:
    """SQL: the row lies in the view's regions (columns of table ``regions``), agencies and
    agency levels (of the ``agencies`` row ``agencies``)."""
    return (
        f"{region_clause(f, params, regions + '.')}"
        f" AND {in_list(f'{agencies}.agency_id', f.agencies, params, 'agencies')}"
        f" AND {in_list(f'{agencies}.level', f.agency_levels, params, 'alevels')}"
    )


def region_clause(f: Filters, params: dict, prefix: str) -> str:
    parts = [
        in_list(f"{prefix}province_code", f.provinces, params, "provinces"),
        in_list(f"{prefix}regency_code", f.regencies, params, "regencies"),
    ]
    parts.append(sql_predicate(f.scope, f"{prefix}province_code", f"{prefix}regency_code"))
    return " AND ".join(parts)


def position_rank_sql(col: str) -> str:
    """Hierarchy order of a position level (top first), for stable sorting."""
    from schemas.vocab import POSITION_LEVELS

    ranks = " ".join(f"WHEN '{lvl}' THEN {i}" for i, lvl in enumerate(POSITION_LEVELS, start=1))
    return f"(CASE {col} {ranks} ELSE 99 END)"


def used_params(sql: str, params: dict) -> dict:
    """The parameters ``sql`` refers to (DuckDB refuses unused named parameters)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}
