"""The query layer: filters in, Polars frames out. All SQL of the dashboard and CLI lives here.

Compliance figures are per agency first: from its current roster where it
has one, else from its latest signature report, and every figure carries the
``source`` it came from (roster / laporan / demo). Groupings (province,
regency, agency, position level) are sums over those agency figures, done in
DuckDB so a national roster never leaves the database as rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

import polars as pl

from dashboard.store.database import Store
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
    # access scope below province level (dashboard.auth): inside the provinces these regency
    # codes belong to, only these regencies are visible (provincial-level rows are not)
    scope_regencies: tuple[str, ...] | None = field(default=None)

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
    if f.scope_regencies:
        params["scope_kab"] = list(f.scope_regencies)
        parts.append(
            f"(coalesce({prefix}regency_code IN (SELECT unnest($scope_kab)), FALSE) "
            f"OR {prefix}province_code NOT IN (SELECT left(unnest($scope_kab), 2)))"
        )
    return " AND ".join(parts)


def agency_compliance_sql(f: Filters, params: dict) -> str:
    """SQL for one row per agency with target / signed and the figure's source."""
    params["as_of"] = f.as_of()
    demo = "TRUE" if f.include_demo else "NOT c.is_demo"
    level_filter = _in("c.position_level", f.position_levels, params, "plevels")
    if f.measure == "ikrar":
        done = "sum(c.pledged_n)"
        report_done = "r.pledged"
    else:
        # signatures dated after the as-of day do not count yet; undated ones always do
        done = """sum(CASE WHEN c.last_signed_date IS NULL OR c.last_signed_date <= $as_of
                      THEN c.signed_n ELSE c.signed_undated + coalesce(d.n_before, 0) END)"""
        report_done = "r.signed"
    # reports have no position breakdown, so a position filter leaves them out
    report_guard = "FALSE" if f.position_levels else "TRUE"
    return f"""
    WITH late AS (
        SELECT d.agency_id, d.position_level, d.is_demo, sum(d.n) AS n_before
        FROM agg_signed_days d
        WHERE d.signed_date <= $as_of
          AND d.agency_id IN (SELECT agency_id FROM agg_roster WHERE last_signed_date > $as_of)
        GROUP BY ALL
    ),
    roster AS (
        SELECT c.agency_id, bool_or(c.is_demo) AS is_demo,
               sum(c.n)::BIGINT AS target, ({done})::BIGINT AS done
        FROM agg_roster c
        LEFT JOIN late d USING (agency_id, position_level, is_demo)
        WHERE {demo} AND {level_filter}
        GROUP BY c.agency_id
    ),
    has_roster AS (SELECT DISTINCT agency_id FROM agg_roster),
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
    from dashboard.geo.regions import provinces, regencies

    return provinces() if level == "provinsi" else regencies()


# --- app shell and leadership pages (V1): freshness, sidebar options, map points, briefing ---


@dataclass(frozen=True)
class Freshness:
    """How current the figures in view are: last committed upload and last event."""

    last_upload: dt.datetime | None
    last_upload_kind: str | None
    last_event: dt.date | None
    last_event_precision: str | None
    demo_events: int = 0


def freshness(store: Store, f: Filters) -> Freshness:
    """Last committed upload (demo uploads only when demo data is included) and last event."""
    ev_params: dict = {}
    ev_sql = events_sql(f, ev_params)
    demo = "TRUE" if f.include_demo else "kind <> 'demo'"
    up = store.query(
        f"""SELECT uploaded_at, kind FROM uploads
            WHERE status = 'committed' AND {demo}
            ORDER BY uploaded_at DESC LIMIT 1"""
    )
    ev = store.query(
        f"""SELECT event_date, date_precision,
                   (SELECT count(*) FROM ({ev_sql}) WHERE is_demo) AS demo_events
            FROM ({ev_sql}) ORDER BY event_date DESC LIMIT 1""",
        ev_params,
    )
    return Freshness(
        last_upload=up["uploaded_at"][0] if up.height else None,
        last_upload_kind=up["kind"][0] if up.height else None,
        last_event=ev["event_date"][0] if ev.height else None,
        last_event_precision=ev["date_precision"][0] if ev.height else None,
        demo_events=ev["demo_events"][0] if ev.height else 0,
    )


def region_options(store: Store) -> pl.DataFrame:
    """Provinces and regencies/cities for the sidebar (code, name, level, province_code)."""
    return store.query("SELECT code, name, level, province_code FROM regions ORDER BY code")


def agency_options(store: Store) -> pl.DataFrame:
    """Every agency with its region, for the sidebar's agency picker and URL validation."""
    return store.query(
        """SELECT agency_id, name, short_name, level, province_code, regency_code, is_demo
           FROM agencies ORDER BY name, agency_id"""
    )


def event_points(store: Store, f: Filters) -> pl.DataFrame:
    """Events grouped by place (regency or province reference point) for the map.

    ``people`` is the reported signers where known, else participants, else null.
    """
    params: dict = {}
    sql = events_sql(f, params)
    return store.query(
        f"""SELECT coalesce(regency_code, province_code) AS code, any_value(place_name) AS name,
                   any_value(lat) AS lat, any_value(lon) AS lon,
                   count(*) AS events,
                   sum(coalesce(signed_count, participants))::BIGINT AS people,
                   bool_and(is_demo) AS is_demo,
                   string_agg(DISTINCT source_publisher, ', ' ORDER BY source_publisher)
                       AS publishers
            FROM ({sql}) WHERE lat IS NOT NULL
            GROUP BY coalesce(regency_code, province_code) ORDER BY code""",
        params,
    )


def unsigned_by_position(store: Store, f: Filters) -> pl.DataFrame:
    """Roster officials per position level: target, done, not done (for the measure).

    Reports carry no position breakdown, so this covers roster figures only.
    """
    params: dict = {"as_of": f.as_of()}
    if f.measure == "ikrar":
        done = "o.pledged"
    else:
        done = "o.signed AND (o.signed_date IS NULL OR o.signed_date <= $as_of)"
    return store.query(
        f"""SELECT o.position_level, count(*) AS target,
                   count(*) FILTER (WHERE {done}) AS signed,
                   count(*) FILTER (WHERE NOT ({done})) AS unsigned
            FROM officials o JOIN agencies a USING (agency_id)
            WHERE o.superseded_by IS NULL
              AND {"TRUE" if f.include_demo else "NOT o.is_demo AND NOT a.is_demo"}
              AND {_in("o.position_level", f.position_levels, params, "plevels")}
              AND {_region_clause(f, params, "a.")}
              AND {_in("a.agency_id", f.agencies, params, "agencies")}
              AND {_in("a.level", f.agency_levels, params, "alevels")}
            GROUP BY o.position_level ORDER BY o.position_level""",
        params,
    )


# ---------------------------------------------------------------------------
# Leadership views (issue 5): Linimasa (timeline), Belum Tanda Tangan (unsigned
# officials) and Instansi (agencies). Everything builds on agency_compliance_sql
# so these pages agree with the headline figures to the official. Counts come
# from the roster aggregates (agg_roster / agg_signed_days, rebuilt on every
# write); only the name lists read ``officials``, and names and NIPs leave the
# database one page at a time (or in an export that was asked for).
# ---------------------------------------------------------------------------

UNSIGNED_GROUPS = ("position_level", "agency_kind", "province", "regency")
AGENCY_SORTS = {
    "rate_asc": "rate ASC NULLS LAST, unsigned DESC NULLS LAST, name",
    "rate_desc": "rate DESC NULLS LAST, target DESC NULLS LAST, name",
    "unsigned_desc": "unsigned DESC NULLS LAST, rate ASC NULLS LAST, name",
    "target_desc": "target DESC NULLS LAST, name",
    "name_asc": "name",
    "last_event_desc": "last_event_date DESC NULLS LAST, name",
}


def _position_rank_sql(col: str) -> str:
    """Hierarchy order of a position level (top first), for stable sorting."""
    from schemas.vocab import POSITION_LEVELS

    levels = ", ".join(f"'{lvl}'" for lvl in POSITION_LEVELS)
    return f"coalesce(list_position([{levels}], {col}), 99)"


def _done_sql(f: Filters, alias: str = "o") -> str:
    """Whether one roster row counts as done for the measure (same rule as the headline)."""
    if f.measure == "ikrar":
        return f"{alias}.pledged"
    return f"({alias}.signed AND ({alias}.signed_date IS NULL OR {alias}.signed_date <= $as_of))"


def _scope_ctes(
    f: Filters, params: dict, *, ac_table: str | None = None, lv_table: str | None = None
) -> str:
    """CTEs over the agencies in view (DuckDB computes only those a query uses).

    ``ac``: agency figures (agency_compliance_sql); ``lv``: per agency and position level,
    target and done, from the roster aggregates; ``cur``: current roster rows with ``done``
    and the agency's region (reads ``officials``: for name lists only); ``rep``: the
    report behind each report-based figure. ``ac_table`` / ``lv_table`` name temp tables
    already holding ``ac`` / ``lv`` (see :func:`_scoped`).
    """
    params["as_of"] = f.as_of()
    base = f"SELECT * FROM {ac_table}" if ac_table else agency_compliance_sql(f, params)
    demo_o = "TRUE" if f.include_demo else "NOT o.is_demo"
    demo_c = "TRUE" if f.include_demo else "NOT c.is_demo"
    demo_r = "TRUE" if f.include_demo else "NOT r.is_demo"
    levels = _in("o.position_level", f.position_levels, params, "plevels")
    # an official's region is their agency's (agencies are keyed by region), so this repeats
    # the agency filter on the roster itself: DuckDB then skips row groups of other regions
    # instead of probing all officials against the agencies in view
    o_regions = _region_clause(f, params, "o.")
    c_levels = _in("c.position_level", f.position_levels, params, "plevels")
    if f.measure == "ikrar":
        lv_done = "c.pledged_n"
    else:
        # as in agency_compliance_sql: signatures dated after the as-of day do not count yet
        lv_done = """CASE WHEN c.last_signed_date IS NULL OR c.last_signed_date <= $as_of
                          THEN c.signed_n ELSE c.signed_undated + coalesce(d.n_before, 0) END"""
    lv = (
        f"lv AS (SELECT * FROM {lv_table})"
        if lv_table
        else f"""lv_late AS (
        SELECT agency_id, position_level, is_demo, sum(n) AS n_before FROM agg_signed_days
        WHERE signed_date <= $as_of AND agency_id IN (
            SELECT agency_id FROM agg_roster WHERE last_signed_date > $as_of)
        GROUP BY ALL
    ),
    lv AS (
        SELECT c.agency_id, c.position_level, sum(c.n)::BIGINT AS target,
               sum({lv_done})::BIGINT AS done
        FROM agg_roster c LEFT JOIN lv_late d USING (agency_id, position_level, is_demo)
        WHERE {demo_c} AND {c_levels} AND c.agency_id IN (SELECT agency_id FROM ac)
        GROUP BY c.agency_id, c.position_level
    )"""
    )
    return f"""
    ac AS (
        SELECT * REPLACE (target::BIGINT AS target, signed::BIGINT AS signed,
                          unsigned::BIGINT AS unsigned)
        FROM ({base})
    ),
    cur AS (
        SELECT o.nip, o.name, o.position, o.position_level, o.agency_id, o.signed,
               o.signed_date, o.pledged, o.upload_id, {_done_sql(f)} AS done,
               ac.name AS agency_name, ac.short_name AS agency_short_name,
               ac.kind AS agency_kind, ac.level AS agency_level,
               ac.province_code AS agency_province_code, ac.regency_code AS agency_regency_code
        FROM officials o JOIN ac ON ac.agency_id = o.agency_id
        WHERE o.superseded_by IS NULL AND {demo_o} AND {levels} AND {o_regions}
    ),
    {lv},
    rep AS (
        SELECT ac.*, r.as_of, r.as_of_precision, r.source_publisher AS report_publisher,
               r.source_title AS report_title, r.source_file AS report_file
        FROM ac JOIN signature_reports r ON r.agency_id = ac.agency_id
        WHERE r.as_of <= $as_of AND {demo_r}
          AND ac.agency_id NOT IN (SELECT agency_id FROM agg_roster)
        QUALIFY row_number() OVER (PARTITION BY r.agency_id ORDER BY r.as_of DESC) = 1
    )"""


def _used(sql: str, params: dict) -> dict:
    """The parameters ``sql`` refers to (DuckDB refuses unused named parameters)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", sql)}


@contextlib.contextmanager
def _scoped(store: Store, f: Filters) -> Iterator[Callable[[str], pl.DataFrame]]:
    """One connection on which ``ac`` and ``lv`` for ``f`` are computed once (temp tables).

    Yields ``run(body)``: runs ``WITH <scope><body>``, where ``body`` is either
    ``" SELECT ..."`` or ``", more_cte AS (...) SELECT ..."``. A page that needs a
    dozen breakdowns pays for the agency figures once instead of a dozen times.
    """
    store.ensure()
    tag = f"_v2_{uuid.uuid4().hex[:12]}"
    ac_t, lv_t = f"{tag}_ac", f"{tag}_lv"
    with store.connect() as con:
        try:
            params: dict = {}
            sql = f"CREATE TEMP TABLE {ac_t} AS WITH {_scope_ctes(f, params)} SELECT * FROM ac"
            con.execute(sql, _used(sql, params))
            params = {}
            sql = (
                f"CREATE TEMP TABLE {lv_t} AS WITH {_scope_ctes(f, params, ac_table=ac_t)} "
                "SELECT * FROM lv"
            )
            con.execute(sql, _used(sql, params))
            scope_params: dict = {}
            scope = _scope_ctes(f, scope_params, ac_table=ac_t, lv_table=lv_t)

            def run(body: str, extra: dict | None = None) -> pl.DataFrame:
                text = f"WITH {scope}{body}"
                return con.sql(text, params=_used(text, {**scope_params, **(extra or {})})).pl()

            yield run
        finally:
            con.execute(f"DROP TABLE IF EXISTS {ac_t}; DROP TABLE IF EXISTS {lv_t}")


def _last_signing_event_cte(f: Filters) -> str:
    """``lastev``: per agency, its latest signing event known at least to the month.

    A month-precision event counts from the last day of its month (capped at the as-of
    date), so "days outstanding" is a lower bound, never inflated by a guessed day.
    Events known only to the year give no date to count from.
    """
    kinds = "('ikrar', 'pakta_ikrar')" if f.measure == "ikrar" else "('pakta', 'pakta_ikrar')"
    ref = (
        "least(CASE WHEN date_precision = 'month' THEN last_day(event_date) "
        "ELSE event_date END, $as_of::DATE)"
    )
    return f"""
    lastev AS (
        SELECT agency_id, event_date AS since, date_precision AS since_precision,
               {ref} AS since_ref
        FROM events
        WHERE kind IN {kinds} AND date_precision IN ('day', 'month') AND event_date <= $as_of
        QUALIFY row_number() OVER (PARTITION BY agency_id ORDER BY {ref} DESC, event_id) = 1
    )"""


@dataclass(frozen=True)
class Cumulative:
    """Cumulative pact signatures over time, and what could not be placed on a day."""

    # grp, grp_name, day, new_signed, signed (cumulative), target, rate
    curve: pl.DataFrame
    # roster officials counted as signed whose signing date is not recorded
    undated_signed: int
    # report-based figures known only to the month or year (not drawn as a fake day)
    imprecise_reports: pl.DataFrame
    # denominator of the curve: targets of roster agencies and day-dated reports
    target: int


def cumulative_signed(store: Store, f: Filters, by_province: bool = False) -> Cumulative:
    """Signatures per day, cumulated, as a share of the current target.

    Pledges have no per-person date, so this is always the pact measure. Roster
    signatures step on their ``signed_date`` (from ``agg_signed_days``); a report steps
    on its ``as_of`` only when that is known to the day; everything else is returned
    for the caption.
    """
    f = replace(f, measure="pakta")
    extra: dict = {}
    demo = "TRUE" if f.include_demo else "NOT d.is_demo"
    levels = _in("d.position_level", f.position_levels, extra, "plevels")
    c_demo = "TRUE" if f.include_demo else "NOT c.is_demo"
    c_levels = _in("c.position_level", f.position_levels, extra, "plevels")
    grp = "ac.province_code" if by_province else "''"
    with _scoped(store, f) as run:
        curve = run(
            f""",
            imprecise AS (SELECT agency_id FROM rep WHERE as_of_precision <> 'day'),
            grp AS (
                SELECT {grp} AS grp, sum(target)::BIGINT AS target FROM ac
                WHERE ac.agency_id NOT IN (SELECT agency_id FROM imprecise) GROUP BY 1
            ),
            steps AS (
                SELECT grp, day, sum(n)::BIGINT AS new_signed FROM (
                    SELECT {grp} AS grp, d.signed_date AS day, d.n
                    FROM agg_signed_days d JOIN ac ON ac.agency_id = d.agency_id
                    WHERE d.signed_date <= $as_of AND {demo} AND {levels}
                    UNION ALL
                    SELECT {grp} AS grp, ac.as_of AS day, ac.signed AS n FROM rep ac
                    WHERE ac.as_of_precision = 'day'
                ) GROUP BY ALL
            )
            SELECT s.grp, p.name AS grp_name, s.day, s.new_signed,
                   (sum(s.new_signed) OVER (PARTITION BY s.grp ORDER BY s.day))::BIGINT AS signed,
                   g.target,
                   sum(s.new_signed) OVER (PARTITION BY s.grp ORDER BY s.day)
                       / nullif(g.target, 0) AS rate
            FROM steps s JOIN grp g USING (grp) LEFT JOIN regions p ON p.code = s.grp
            ORDER BY s.grp, s.day""",
            extra,
        )
        row = run(
            f"""
            SELECT (SELECT coalesce(sum(c.signed_undated), 0) FROM agg_roster c
                    WHERE c.agency_id IN (SELECT agency_id FROM ac) AND {c_demo} AND {c_levels}
                   )::BIGINT AS undated,
                   (SELECT coalesce(sum(target), 0) FROM ac WHERE agency_id NOT IN (
                        SELECT agency_id FROM rep WHERE as_of_precision <> 'day'))::BIGINT
                       AS target""",
            extra,
        ).row(0, named=True)
        imprecise = run(
            """
            SELECT agency_id, name, short_name, province_code, regency_code, target, signed,
                   as_of, as_of_precision, source, report_publisher, report_title, report_file
            FROM rep WHERE as_of_precision <> 'day' ORDER BY as_of, name"""
        )
    return Cumulative(
        curve=curve,
        undated_signed=int(row["undated"]),
        imprecise_reports=imprecise,
        target=int(row["target"]),
    )


def _unsigned_by_body(by: str) -> str:
    if by not in UNSIGNED_GROUPS:
        raise ValueError(f"by must be one of {UNSIGNED_GROUPS}")
    if by == "position_level":
        return f"""
        SELECT position_level AS key, NULL::VARCHAR AS name, NULL::VARCHAR AS province_code,
               sum(target - done)::BIGINT AS unsigned, sum(target)::BIGINT AS target
        FROM lv GROUP BY position_level ORDER BY {_position_rank_sql("position_level")}"""
    if by == "agency_kind":
        return """
        SELECT kind AS key, NULL::VARCHAR AS name, NULL::VARCHAR AS province_code,
               sum(unsigned)::BIGINT AS unsigned, sum(target)::BIGINT AS target
        FROM ac GROUP BY kind ORDER BY unsigned DESC, key"""
    if by == "province":
        return """
        SELECT ac.province_code AS key, any_value(p.name) AS name,
               ac.province_code AS province_code,
               sum(unsigned)::BIGINT AS unsigned, sum(target)::BIGINT AS target
        FROM ac LEFT JOIN regions p ON p.code = ac.province_code
        GROUP BY ac.province_code ORDER BY unsigned DESC, key"""
    # provincial-level agencies have no regency: keyed by the province code, name null
    return """
        SELECT coalesce(ac.regency_code, ac.province_code) AS key, any_value(r.name) AS name,
               any_value(ac.province_code) AS province_code,
               sum(unsigned)::BIGINT AS unsigned, sum(target)::BIGINT AS target
        FROM ac LEFT JOIN regions r ON r.code = ac.regency_code
        GROUP BY coalesce(ac.regency_code, ac.province_code) ORDER BY unsigned DESC, key"""


def _with_rate(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns((1 - pl.col("unsigned") / pl.col("target")).alias("rate"))


def unsigned_by(store: Store, f: Filters, by: str) -> pl.DataFrame:
    """Not-yet-done counts per position level, agency kind, province or regency/city.

    Columns: ``key``, ``name`` (regions), ``province_code`` (regency rows), ``unsigned``,
    ``target``, ``rate``. Report-based agencies count everywhere except by position
    level (a report has no breakdown by level); see :func:`report_unsigned`.
    """
    body = _unsigned_by_body(by)
    with _scoped(store, f) as run:
        return _with_rate(run(body))


_HEAT_BODY = """
        SELECT ac.province_code, any_value(p.name) AS province_name, lv.position_level,
               sum(lv.target - lv.done)::BIGINT AS unsigned, sum(lv.target)::BIGINT AS target
        FROM lv JOIN ac USING (agency_id) LEFT JOIN regions p ON p.code = ac.province_code
        GROUP BY ac.province_code, lv.position_level
        ORDER BY province_code, {rank}"""


def unsigned_heat(store: Store, f: Filters) -> pl.DataFrame:
    """Roster officials not yet done per province x position level (long form)."""
    with _scoped(store, f) as run:
        return run(_HEAT_BODY.format(rank=_position_rank_sql("lv.position_level")))


_REPORTS_BODY = """
        SELECT agency_id, name, short_name, province_code, regency_code, target, signed,
               unsigned, rate, source, as_of, as_of_precision, report_publisher, report_file
        FROM rep ORDER BY unsigned DESC, name"""


def report_unsigned(store: Store, f: Filters) -> pl.DataFrame:
    """Agencies whose figure comes from a report: counts only, there are no names."""
    with _scoped(store, f) as run:
        return run(_REPORTS_BODY)


def _days_body(f: Filters) -> str:
    return f""", {_last_signing_event_cte(f)}
        SELECT date_diff('day', le.since_ref, $as_of::DATE) AS days_outstanding,
               sum(lv.target - lv.done)::BIGINT AS unsigned
        FROM lv LEFT JOIN lastev le USING (agency_id)
        GROUP BY ALL HAVING sum(lv.target - lv.done) > 0
        ORDER BY days_outstanding NULLS LAST"""


def unsigned_days(store: Store, f: Filters) -> pl.DataFrame:
    """Roster officials not yet done per "days outstanding" value (null: no dated signing
    event). Days are a property of the agency, so this sums per-agency counts; a few
    hundred rows at most, the chart bins them.
    """
    with _scoped(store, f) as run:
        return run(_days_body(f))


@dataclass(frozen=True)
class UnsignedOverview:
    """Everything the Belum Tanda Tangan page shows above its name list, in one go."""

    by: dict[str, pl.DataFrame]  # keyed by UNSIGNED_GROUPS
    heat: pl.DataFrame
    days: pl.DataFrame
    reports: pl.DataFrame
    roster_unsigned: int


def unsigned_overview(store: Store, f: Filters) -> UnsignedOverview:
    """The breakdowns, heat table, days histogram and report agencies on one connection,
    with the agency figures computed once (the same results as the single functions)."""
    with _scoped(store, f) as run:
        by = {g: _with_rate(run(_unsigned_by_body(g))) for g in UNSIGNED_GROUPS}
        heat = run(_HEAT_BODY.format(rank=_position_rank_sql("lv.position_level")))
        days = run(_days_body(f))
        reports = run(_REPORTS_BODY)
        roster = run(" SELECT coalesce(sum(target - done), 0)::BIGINT AS n FROM lv")["n"][0]
    return UnsignedOverview(
        by=by, heat=heat, days=days, reports=reports, roster_unsigned=int(roster)
    )


def _unsigned_where(search: str | None, personal: bool, params: dict) -> str:
    if not search:
        return "TRUE"
    params["q"] = search.strip().lower()
    fields = ["cur.agency_name", "cur.position"] + (["cur.name", "cur.nip"] if personal else [])
    return "(" + " OR ".join(f"contains(lower(coalesce({c}, '')), $q)" for c in fields) + ")"


def _unsigned_list_body(
    f: Filters, params: dict, search: str | None, personal: bool, *, count: bool = False
) -> str:
    columns = (
        "count(*) AS n"
        if count
        else """cur.name, cur.nip, cur.position, cur.position_level, cur.agency_id,
           cur.agency_name, cur.agency_kind, cur.agency_province_code AS province_code,
           p.name AS province_name, cur.agency_regency_code AS regency_code,
           r.name AS regency_name, le.since, le.since_precision,
           date_diff('day', le.since_ref, $as_of::DATE) AS days_outstanding"""
    )
    return f""", {_last_signing_event_cte(f)}
    SELECT {columns}
    FROM cur
    LEFT JOIN lastev le ON le.agency_id = cur.agency_id
    LEFT JOIN regions p ON p.code = cur.agency_province_code
    LEFT JOIN regions r ON r.code = cur.agency_regency_code
    WHERE NOT cur.done AND {_unsigned_where(search, personal, params)}
    """


def _unsigned_order() -> str:
    return (
        "ORDER BY days_outstanding DESC NULLS LAST, province_code, agency_name, "
        f"{_position_rank_sql('position_level')}, name, nip NULLS LAST"
    )


def unsigned_count(
    store: Store, f: Filters, search: str | None = None, personal: bool = True
) -> int:
    """How many roster officials are not yet done (matching ``search``)."""
    params: dict = {}
    with _scoped(store, f) as run:
        if not search:  # from the aggregates: no need to touch the roster
            return int(run(" SELECT coalesce(sum(target - done), 0)::BIGINT AS n FROM lv")["n"][0])
        body = _unsigned_list_body(f, params, search, personal, count=True)
        return int(run(body, params)["n"][0])


def unsigned_officials(
    store: Store,
    f: Filters,
    *,
    offset: int = 0,
    limit: int | None = 50,
    search: str | None = None,
    personal: bool = True,
) -> pl.DataFrame:
    """One page of the follow-up list (``limit=None``: all of it, for an export).

    Longest outstanding first. ``personal=False`` drops names and NIPs in the query,
    so they never reach the page.
    """
    params: dict = {}
    body = _unsigned_list_body(f, params, search, personal) + " " + _unsigned_order()
    if limit is not None:
        params["limit"], params["offset"] = int(limit), int(offset)
        body += " LIMIT $limit OFFSET $offset"
    # one statement, no temp tables: the list needs only ``ac`` and ``cur``
    sql = f"WITH {_scope_ctes(f, params)}{body}"
    out = store.query(sql, _used(sql, params))
    return out if personal else out.drop("name", "nip")


def unsigned_cells(store: Store, f: Filters, search: str | None = None) -> pl.DataFrame:
    """Not-yet-done roster officials counted by agency, position level and region.

    For roles that may not see people: from the roster aggregates, no row per person.
    ``search`` matches the agency name only (a position searched for could single one
    out). Small cells are suppressed by the caller (``auth.suppress_small_cells``).
    """
    params: dict = {}
    where = "TRUE"
    if search:
        params["q"] = search.strip().lower()
        where = "contains(lower(coalesce(ac.name, '')), $q)"
    sql = f"""WITH {_scope_ctes(f, params)}
    SELECT ac.name AS agency_name, lv.position_level, ac.province_code,
           p.name AS province_name, ac.regency_code, r.name AS regency_name,
           (lv.target - lv.done)::BIGINT AS unsigned
    FROM lv JOIN ac USING (agency_id)
    LEFT JOIN regions p ON p.code = ac.province_code
    LEFT JOIN regions r ON r.code = ac.regency_code
    WHERE lv.target > lv.done AND {where}
    ORDER BY unsigned DESC, ac.province_code, agency_name,
             {_position_rank_sql("lv.position_level")}"""
    return store.query(sql, _used(sql, params))


def _agency_view_sql(f: Filters, params: dict, search: str | None) -> str:
    """Agencies in view: those with a figure, plus those with only an event in view."""
    base = agency_compliance_sql(f, params)
    ev = events_sql(f, params)
    where = "TRUE"
    if search:
        params["q"] = search.strip().lower()
        where = "(contains(lower(a.name), $q) OR contains(lower(coalesce(a.short_name, '')), $q))"
    return f"""
    WITH ac AS (
        SELECT * REPLACE (target::BIGINT AS target, signed::BIGINT AS signed,
                          unsigned::BIGINT AS unsigned)
        FROM ({base})
    ),
    ev AS ({ev}),
    lastev AS (
        SELECT agency_id, event_date, date_precision, kind AS event_kind, source_publisher,
               source_title, source_file, count(*) OVER (PARTITION BY agency_id) AS events
        FROM ev
        QUALIFY row_number() OVER (PARTITION BY agency_id ORDER BY event_date DESC,
                                   event_id DESC) = 1
    ),
    inview AS (SELECT agency_id FROM ac UNION SELECT agency_id FROM ev)
    SELECT a.agency_id, a.name, a.short_name, a.level, a.kind, a.province_code,
           p.name AS province_name, a.regency_code, r.name AS regency_name, a.is_demo,
           ac.target, ac.signed, ac.unsigned, ac.rate, ac.source,
           le.event_date AS last_event_date, le.date_precision AS last_event_precision,
           le.event_kind AS last_event_kind, le.source_publisher AS last_event_publisher,
           le.source_title AS last_event_title, le.source_file AS last_event_file,
           coalesce(le.events, 0) AS events
    FROM inview JOIN agencies a ON a.agency_id = inview.agency_id
    LEFT JOIN ac ON ac.agency_id = a.agency_id
    LEFT JOIN lastev le ON le.agency_id = a.agency_id
    LEFT JOIN regions p ON p.code = a.province_code
    LEFT JOIN regions r ON r.code = a.regency_code
    WHERE {where}
    """


def agency_ranking(
    store: Store,
    f: Filters,
    *,
    sort: str = "rate_asc",
    search: str | None = None,
    offset: int = 0,
    limit: int | None = 50,
) -> pl.DataFrame:
    """Agencies in view with their figure, source and last event (one page of them)."""
    if sort not in AGENCY_SORTS:
        raise ValueError(f"sort must be one of {tuple(AGENCY_SORTS)}")
    params: dict = {}
    sql = f"SELECT * FROM ({_agency_view_sql(f, params, search)}) ORDER BY {AGENCY_SORTS[sort]}"
    if limit is not None:
        params["limit"], params["offset"] = int(limit), int(offset)
        sql += ", agency_id LIMIT $limit OFFSET $offset"
    return store.query(sql, params)


def agency_count(store: Store, f: Filters, search: str | None = None) -> int:
    params: dict = {}
    sql = _agency_view_sql(f, params, search)
    return int(store.query(f"SELECT count(*) AS n FROM ({sql})", params)["n"][0])


def _one_agency(f: Filters, agency_id: str) -> Filters | None:
    """The filters narrowed to one agency; None when the agency lies outside them."""
    if f.agencies and agency_id not in f.agencies:
        return None
    return replace(f, agencies=(agency_id,))


def agency_detail(store: Store, f: Filters, agency_id: str) -> dict | None:
    """The agency's ranking row under the current filters (None if not in view)."""
    one = _one_agency(f, agency_id)
    if one is None:
        return None
    df = agency_ranking(store, one, limit=1)
    return df.row(0, named=True) if df.height else None


def agency_roster_count(store: Store, f: Filters, agency_id: str) -> int:
    one = _one_agency(f, agency_id)
    if one is None:
        return 0
    params: dict = {}
    scope = _scope_ctes(one, params)
    sql = f"WITH {scope} SELECT coalesce(sum(target), 0)::BIGINT AS n FROM lv"
    return int(store.query(sql, params)["n"][0])


def agency_roster(
    store: Store,
    f: Filters,
    agency_id: str,
    *,
    offset: int = 0,
    limit: int | None = 50,
    personal: bool = True,
) -> pl.DataFrame:
    """One page of the agency's current roster, top positions first."""
    # outside the view: an agency id that matches nothing, so the page gets no rows
    one = _one_agency(f, agency_id) or replace(f, agencies=("",))
    params: dict = {}
    scope = _scope_ctes(one, params)
    sql = f"""WITH {scope}
        SELECT name, nip, position, position_level, done, signed, signed_date, pledged, upload_id
        FROM cur ORDER BY {_position_rank_sql("position_level")}, name, nip NULLS LAST"""
    if limit is not None:
        params["limit"], params["offset"] = int(limit), int(offset)
        sql += " LIMIT $limit OFFSET $offset"
    out = store.query(sql, params)
    return out if personal else out.drop("name", "nip")


def agency_uploads(store: Store, agency_id: str) -> pl.DataFrame:
    """The uploads that touched this agency: its roster rows added, current and superseded.

    Found through the agency's officials' ``upload_id`` (rows it added) and
    ``superseded_by`` (rows it replaced), plus the uploads of its events and reports.
    """
    params = {"agency": agency_id}
    return store.query(
        """
        WITH added AS (
            SELECT upload_id, count(*) AS rows_added,
                   count(*) FILTER (WHERE superseded_by IS NULL) AS rows_current
            FROM officials WHERE agency_id = $agency GROUP BY upload_id
        ),
        replaced AS (
            SELECT superseded_by AS upload_id, count(*) AS rows_replaced
            FROM officials WHERE agency_id = $agency AND superseded_by IS NOT NULL
            GROUP BY superseded_by
        ),
        other AS (
            SELECT upload_id FROM events WHERE agency_id = $agency
            UNION SELECT upload_id FROM signature_reports WHERE agency_id = $agency
        ),
        ids AS (
            SELECT upload_id FROM added UNION SELECT upload_id FROM replaced
            UNION SELECT upload_id FROM other
        )
        SELECT u.upload_id, u.kind, u.file_name, u.uploaded_by, u.uploaded_at, u.mode,
               u.status, coalesce(a.rows_added, 0) AS rows_added,
               coalesce(a.rows_current, 0) AS rows_current,
               coalesce(rp.rows_replaced, 0) AS rows_replaced
        FROM uploads u JOIN ids USING (upload_id)
        LEFT JOIN added a USING (upload_id) LEFT JOIN replaced rp USING (upload_id)
        ORDER BY u.uploaded_at DESC, u.upload_id""",
        params,
    )


# ---------------------------------------------------------------------------
# Uploads (issue 4): what the roster / event upload needs to know before a
# commit (existing agencies by match key, the current roster of the agencies
# in a file, their figures) and the upload history for the CLI and the page.
# ---------------------------------------------------------------------------


def agencies_for_matching(store: Store, keys: list[str], provinces: list[str]) -> pl.DataFrame:
    """Stored agencies an upload may refer to: by exact match key, or in its provinces
    (for the looser comparison of names typed differently)."""
    return store.query(
        "SELECT agency_id, match_key, name, province_code, regency_code, level FROM agencies "
        "WHERE match_key IN (SELECT unnest($keys)) "
        "OR province_code IN (SELECT unnest($provinces)) ORDER BY agency_id",
        {"keys": list(keys), "provinces": list(provinces)},
    )


def current_roster(store: Store, agency_ids: list[str]) -> pl.DataFrame:
    """The current roster rows (not superseded) of these agencies: who is on it, signed or not."""
    return store.query(
        "SELECT agency_id, nip, name, position, signed FROM officials "
        "WHERE superseded_by IS NULL AND agency_id IN (SELECT unnest($ids))",
        {"ids": list(agency_ids)},
    )


def agency_figures(store: Store, agency_ids: list[str]) -> pl.DataFrame:
    """Target / signed of these agencies now: current roster, else the latest report."""
    return store.query(
        """
        WITH roster AS (
            SELECT agency_id, count(*) AS target, count(*) FILTER (WHERE signed) AS signed,
                   'roster' AS source
            FROM officials
            WHERE superseded_by IS NULL AND agency_id IN (SELECT unnest($ids))
            GROUP BY agency_id
        ),
        report AS (
            SELECT agency_id, target, signed, 'laporan' AS source FROM signature_reports
            WHERE agency_id IN (SELECT unnest($ids))
              AND agency_id NOT IN (SELECT agency_id FROM roster)
            QUALIFY row_number() OVER (PARTITION BY agency_id ORDER BY as_of DESC) = 1
        )
        SELECT agency_id, target::BIGINT AS target, signed::BIGINT AS signed, source
        FROM (SELECT * FROM roster UNION ALL SELECT * FROM report)
        """,
        {"ids": list(agency_ids)},
    )


def uploads(store: Store, kinds: tuple[str, ...] = ("roster", "events")) -> pl.DataFrame:
    """Upload history, newest first (seed and demo installs left out by default)."""
    return store.query(
        "SELECT upload_id, kind, file_name, sha256, uploaded_by, uploaded_at, rows, valid_rows, "
        "mode, status FROM uploads WHERE kind IN (SELECT unnest($kinds)) "
        "ORDER BY uploaded_at DESC, upload_id",
        {"kinds": list(kinds)},
    )


def recent_uploads(store: Store, limit: int = 20) -> pl.DataFrame:
    """Latest uploads for the freshness panel (the uploader is for the scope rule only: who
    uploaded is not shown)."""
    return store.query(
        """SELECT upload_id, kind, file_name, uploaded_by, uploaded_at, rows, valid_rows, mode,
                  status
           FROM uploads ORDER BY uploaded_at DESC LIMIT $limit""",
        {"limit": limit},
    )


def upload_regions(store: Store, upload_ids: list[str]) -> pl.DataFrame:
    """Where each upload wrote: distinct (upload_id, province_code, regency_code) over the
    roster rows, events, reports and agencies it added (a rolled-back upload has none)."""
    return store.query(
        """SELECT DISTINCT upload_id, province_code, regency_code FROM (
               SELECT upload_id, province_code, regency_code FROM officials
               UNION ALL SELECT upload_id, province_code, regency_code FROM events
               UNION ALL SELECT upload_id, province_code, regency_code FROM signature_reports
               UNION ALL SELECT upload_id, province_code, regency_code FROM agencies
           ) WHERE upload_id IN (SELECT unnest($ids))""",
        {"ids": list(upload_ids)},
    )


def committed_upload_with_sha256(store: Store, sha256: str, kind: str) -> str | None:
    """The committed upload of the same file content, if any (the de-duplication key)."""
    df = store.query(
        "SELECT upload_id FROM uploads WHERE sha256 = $s AND kind = $k AND status = 'committed' "
        "ORDER BY uploaded_at LIMIT 1",
        {"s": sha256, "k": kind},
    )
    return df["upload_id"][0] if df.height else None
