"""The query layer: filters in, Polars frames out. All SQL of the dashboard and CLI lives here.

Compliance figures are per agency first: from its current roster where it
has one, else from its latest signature report, and every figure carries the
``source`` it came from (roster / laporan / demo). Groupings (province,
regency, agency, position level) are sums over those agency figures, done in
DuckDB so a national roster never leaves the database as rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import polars as pl

from dashboard.store import Store
from schemas.vocab import SOURCE_DEMO, SOURCE_REPORT, SOURCE_ROSTER

MEASURES = ("pakta", "ikrar")
GROUPINGS = ("provinsi", "kabupaten", "instansi")


@dataclass(frozen=True)
class Filters:
    """The global filters; empty tuples mean "all"."""

    provinces: tuple[str, ...] = ()
    regencies: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    agency_levels: tuple[str, ...] = ()
    position_levels: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    include_demo: bool = True
    measure: str = "pakta"
    # limits the whole view to these provinces (access scope), independent of the UI filter
    scope_provinces: tuple[str, ...] | None = field(default=None)

    def as_of(self) -> dt.date:
        return self.date_to or dt.date.today()

    def shifted(self, days: int) -> Filters:
        return replace(self, date_to=self.as_of() - dt.timedelta(days=days))


def _in(col: str, values: tuple[str, ...], params: dict, name: str) -> str:
    if not values:
        return "TRUE"
    params[name] = list(values)
    return f"{col} IN (SELECT unnest(${name}))"


def _region_clause(f: Filters, params: dict, prefix: str) -> str:
    parts = [
        _in(f"{prefix}province_code", f.provinces, params, "provinces"),
        _in(f"{prefix}regency_code", f.regencies, params, "regencies"),
    ]
    if f.scope_provinces is not None:
        params["scope"] = list(f.scope_provinces) or [""]
        parts.append(f"{prefix}province_code IN (SELECT unnest($scope))")
    return " AND ".join(parts)


def agency_compliance_sql(f: Filters, params: dict) -> str:
    """SQL for one row per agency with target / signed and the figure's source."""
    params["as_of"] = f.as_of()
    demo = "TRUE" if f.include_demo else "NOT is_demo"
    level_filter = _in("position_level", f.position_levels, params, "plevels")
    if f.measure == "ikrar":
        done = "count(*) FILTER (WHERE pledged)"
        report_done = "r.pledged"
    else:
        done = "count(*) FILTER (WHERE signed AND (signed_date IS NULL OR signed_date <= $as_of))"
        report_done = "r.signed"
    # reports have no position breakdown, so a position filter leaves them out
    report_guard = "FALSE" if f.position_levels else "TRUE"
    return f"""
    WITH roster AS (
        SELECT agency_id, bool_or(is_demo) AS is_demo,
               count(*) AS target, {done} AS done
        FROM officials
        WHERE superseded_by IS NULL AND {demo} AND {level_filter}
        GROUP BY agency_id
    ),
    has_roster AS (SELECT DISTINCT agency_id FROM officials WHERE superseded_by IS NULL),
    report AS (
        SELECT r.agency_id, r.is_demo, r.target, {report_done} AS done, r.as_of, r.as_of_precision
        FROM signature_reports r
        WHERE r.as_of <= $as_of AND {report_guard}
          AND {"TRUE" if f.include_demo else "NOT r.is_demo"}
          AND r.agency_id NOT IN (SELECT agency_id FROM has_roster)
        QUALIFY row_number() OVER (PARTITION BY r.agency_id ORDER BY r.as_of DESC) = 1
    ),
    figures AS (
        SELECT agency_id, target, done,
               CASE WHEN is_demo THEN '{SOURCE_DEMO}' ELSE '{SOURCE_ROSTER}' END AS source
        FROM roster
        UNION ALL
        SELECT agency_id, target, done,
               CASE WHEN is_demo THEN '{SOURCE_DEMO}' ELSE '{SOURCE_REPORT}' END AS source
        FROM report WHERE done IS NOT NULL
    )
    SELECT a.agency_id, a.name, a.short_name, a.level, a.kind, a.province_code, a.regency_code,
           a.is_demo, fg.target, fg.done AS signed, fg.target - fg.done AS unsigned,
           fg.done / nullif(fg.target, 0) AS rate, fg.source
    FROM figures fg JOIN agencies a USING (agency_id)
    WHERE {_region_clause(f, params, "a.")}
      AND {_in("a.agency_id", f.agencies, params, "agencies")}
      AND {_in("a.level", f.agency_levels, params, "alevels")}
      AND {"TRUE" if f.include_demo else "NOT a.is_demo"}
    """


def agency_compliance(store: Store, f: Filters) -> pl.DataFrame:
    params: dict = {}
    return store.query(agency_compliance_sql(f, params) + " ORDER BY rate, name", params)


def _sources_agg() -> str:
    return "string_agg(DISTINCT source, '+' ORDER BY source) AS source"


def summary(store: Store, f: Filters, by: str) -> pl.DataFrame:
    """Target, signed, unsigned and rate per province, regency/city or agency."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    params: dict = {}
    base = agency_compliance_sql(f, params)
    if by == "instansi":
        sql = f"""
        SELECT agency_id AS code, name, province_code, regency_code, target, signed, unsigned,
               rate, source FROM ({base}) ORDER BY rate, name"""
    elif by == "provinsi":
        sql = f"""
        SELECT c.province_code AS code, any_value(p.name) AS name,
               sum(target)::BIGINT AS target, sum(signed)::BIGINT AS signed,
               sum(unsigned)::BIGINT AS unsigned, sum(signed) / nullif(sum(target), 0) AS rate,
               {_sources_agg()}
        FROM ({base}) c LEFT JOIN regions p ON p.code = c.province_code
        GROUP BY c.province_code ORDER BY code"""
    else:
        # agencies of provincial level have no regency: they form their own row per province
        sql = f"""
        SELECT coalesce(c.regency_code, c.province_code) AS code,
               any_value(coalesce(r.name, p.name)) AS name,
               any_value(c.province_code) AS province_code,
               c.regency_code IS NULL AS provincial_level,
               sum(target)::BIGINT AS target, sum(signed)::BIGINT AS signed,
               sum(unsigned)::BIGINT AS unsigned, sum(signed) / nullif(sum(target), 0) AS rate,
               {_sources_agg()}
        FROM ({base}) c
        LEFT JOIN regions r ON r.code = c.regency_code
        LEFT JOIN regions p ON p.code = c.province_code
        GROUP BY coalesce(c.regency_code, c.province_code), c.regency_code IS NULL
        ORDER BY code"""
    return store.query(sql, params)


@dataclass(frozen=True)
class Headline:
    target: int
    signed: int
    unsigned: int
    rate: float | None
    agencies: int
    agencies_complete: int
    events: int
    sources: tuple[str, ...]


def headline(store: Store, f: Filters) -> Headline:
    params: dict = {}
    base = agency_compliance_sql(f, params)
    ev_params: dict = {}
    ev_sql = events_sql(f, ev_params)
    row = store.query(
        f"""SELECT coalesce(sum(target), 0)::BIGINT AS target,
                   coalesce(sum(signed), 0)::BIGINT AS signed,
                   coalesce(sum(unsigned), 0)::BIGINT AS unsigned,
                   sum(signed) / nullif(sum(target), 0) AS rate,
                   count(*) AS agencies,
                   count(*) FILTER (WHERE unsigned = 0) AS agencies_complete,
                   list(DISTINCT source ORDER BY source) AS sources,
                   (SELECT count(*) FROM ({ev_sql})) AS events
            FROM ({base})""",
        {**params, **ev_params},
    ).row(0, named=True)
    return Headline(
        target=row["target"],
        signed=row["signed"],
        unsigned=row["unsigned"],
        rate=row["rate"],
        agencies=row["agencies"],
        agencies_complete=row["agencies_complete"],
        events=row["events"],
        sources=tuple(row["sources"] or ()),
    )


def events_sql(f: Filters, params: dict) -> str:
    params["ev_to"] = f.as_of()
    params["ev_from"] = f.date_from or dt.date(1900, 1, 1)
    return f"""
    SELECT e.*, a.name AS agency_name, a.short_name AS agency_short_name, a.level AS agency_level,
           coalesce(r.lat, p.lat) AS lat, coalesce(r.lon, p.lon) AS lon,
           coalesce(r.name, p.name) AS place_name
    FROM events e JOIN agencies a USING (agency_id)
    LEFT JOIN regions r ON r.code = e.regency_code
    LEFT JOIN regions p ON p.code = e.province_code
    WHERE e.event_date <= $ev_to AND e.event_date >= date_trunc('year', $ev_from::DATE)
      AND (e.date_precision = 'year' OR e.event_date >= date_trunc('month', $ev_from::DATE))
      AND (e.date_precision <> 'day' OR e.event_date >= $ev_from)
      AND {_region_clause(f, params, "e.")}
      AND {_in("e.agency_id", f.agencies, params, "ev_agencies")}
      AND {_in("a.level", f.agency_levels, params, "ev_alevels")}
      AND {"TRUE" if f.include_demo else "NOT e.is_demo"}
    """


def events(store: Store, f: Filters) -> pl.DataFrame:
    params: dict = {}
    return store.query(events_sql(f, params) + " ORDER BY event_date DESC, event_id", params)


def seed_events(store: Store) -> pl.DataFrame:
    return store.query(
        "SELECT e.*, a.name AS agency_name FROM events e JOIN agencies a USING (agency_id) "
        "WHERE NOT e.is_demo ORDER BY event_id"
    )


def regions_table(level: str) -> pl.DataFrame:
    """Regions of one level from the shipped reference file (no store needed)."""
    from dashboard.regions import provinces, regencies

    return provinces() if level == "provinsi" else regencies()
