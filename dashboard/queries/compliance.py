"""Compliance figures: per agency first, then summed by province, regency, agency or level.

An agency's figure comes from its current roster where it has one, else from its latest
signature report (the rule: :mod:`dashboard.queries.rule`), and every figure carries the
``source`` it came from (roster / laporan / demo). Groupings are sums over those agency
figures, done in DuckDB so a national roster never leaves the database as rows.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Protocol

import polars as pl

from dashboard.queries.events import events_sql
from dashboard.queries.filters import (
    GROUPINGS,
    Filters,
    in_list,
    jenis_clause,
    region_clause,
    roster_only,
    used_params,
    view_clause,
)
from dashboard.queries.rule import (
    demo_ok,
    done_agg_sql,
    done_row_sql,
    late_cte,
    latest_report_distinct,
    latest_report_order,
    latest_report_sql,
    report_done_sql,
    roster_agg,
    signatures_join,
    signed_days,
    source_sql,
)
from dashboard.store.database import Store
from dashboard.store.schema import (
    effective_pledged_sql,
    effective_signed_date_sql,
    effective_signed_sql,
)
from schemas.vocab import SOURCE_REPORT, SOURCE_ROSTER

JENIS_UNKNOWN = "tidak_diketahui"  # a number that is neither (an elected official: none)


def agency_compliance_sql(f: Filters, params: dict) -> str:
    """SQL for one row per agency with target / signed and the figure's source.

    ``from_roster`` says whether the figure comes from a roster (else from a report).
    """
    params["as_of"] = f.as_of()
    level_filter = in_list("c.position_level", f.position_levels, params, "plevels")
    # reports have no position or PNS/PPPK breakdown, so those filters leave them out
    report_guard = "FALSE" if roster_only(f) else "TRUE"
    return f"""
    WITH {late_cte("late", f, params)},
    roster AS (
        SELECT c.agency_id, bool_or(c.is_demo) AS is_demo,
               sum(c.n)::BIGINT AS target, sum({done_agg_sql(f)})::BIGINT AS done,
               sum(c.reported_n) > 0 AS reported
        FROM {roster_agg(f, params)} c
        LEFT JOIN late d USING (agency_id, position_level, is_demo)
        WHERE {demo_ok(f, "c")} AND {level_filter} AND {_in_view(f, params, "c.agency_id")}
        GROUP BY c.agency_id
    ),
    has_roster AS (SELECT DISTINCT agency_id FROM agg_roster),
    report AS (
        SELECT {latest_report_distinct()} r.agency_id, r.is_demo, r.target,
               {report_done_sql(f)} AS done, r.as_of, r.as_of_precision
        FROM signature_reports r
        WHERE {report_guard} AND r.agency_id NOT IN (SELECT agency_id FROM has_roster)
          AND {latest_report_sql(f)} AND {_in_view(f, params, "r.agency_id")}
        {latest_report_order()}
    ),
    figures AS (
        SELECT agency_id, target, done, {source_sql("is_demo", SOURCE_ROSTER)} AS source,
               TRUE AS from_roster, reported
        FROM roster
        UNION ALL
        SELECT agency_id, target, done, {source_sql("is_demo", SOURCE_REPORT)} AS source,
               FALSE AS from_roster, TRUE AS reported
        FROM report WHERE done IS NOT NULL
    )
    SELECT a.agency_id, a.name, a.short_name, a.level, a.kind, a.province_code, a.regency_code,
           a.is_demo, fg.target, fg.done AS signed, fg.target - fg.done AS unsigned,
           fg.done / nullif(fg.target, 0) AS rate, fg.source, fg.from_roster, fg.reported
    FROM figures fg JOIN agencies a USING (agency_id)
    WHERE {view_clause(f, params, regions="a", agencies="a")} AND {demo_ok(f, "a")}
    """


def _in_view(f: Filters, params: dict, agency_id: str) -> str:
    """SQL: the agency ``agency_id`` is in the view, so a province's figures aggregate that
    province's rows, not the nation's. The final selection applies the same clause; this
    only narrows the work before it."""
    clause = view_clause(f, params, regions="va", agencies="va")
    if all(part.strip() == "TRUE" for part in clause.split(" AND ")):
        return "TRUE"
    return f"{agency_id} IN (SELECT va.agency_id FROM agencies va WHERE {clause})"


def agency_compliance_cte_body(base: str) -> str:
    """The rows of :func:`agency_compliance_sql` with whole-number counts, as a CTE body."""
    return f"""
        SELECT agency_id, name, short_name, level, kind, province_code, regency_code, is_demo,
               target::BIGINT AS target, signed::BIGINT AS signed,
               unsigned::BIGINT AS unsigned, rate, source, from_roster, reported
        FROM ({base}) AS figures"""


def agency_compliance(store: Store, f: Filters) -> pl.DataFrame:
    params: dict = {}
    return store.query(agency_compliance_sql(f, params) + " ORDER BY rate, name", params)


def _timed_sql(f: Filters, params: dict) -> str:
    """The rows of :func:`agency_compliance_sql` with the agency's reporting deadline.

    Adds ``due_date`` (the agency's own deadline of the measure's campaign, else the
    campaign's; the latest set wins, as in :mod:`dashboard.followup.overdue`),
    ``first_reported_on`` (the UTC day the first committed upload that reported for the
    agency was made: a signature list naming one of its officials, a roster with status or
    a count report; null when none has an upload record, e.g. demo rows: no date). An
    agency reported on time when that day is on or before its due date.
    """
    params["campaign"] = "ikrar" if f.measure == "ikrar" else "pakta"
    kinds = "('roster', 'tanda_tangan')"
    return f"""
    SELECT c.*, coalesce(
               (SELECT dl.due_date FROM followup_deadlines dl
                WHERE dl.campaign = $campaign AND dl.agency_id = c.agency_id
                ORDER BY dl.set_at DESC, dl.deadline_id DESC LIMIT 1),
               (SELECT dl.due_date FROM followup_deadlines dl
                WHERE dl.campaign = $campaign AND dl.agency_id IS NULL
                ORDER BY dl.set_at DESC, dl.deadline_id DESC LIMIT 1)) AS due_date,
           fr.first_reported_on
    FROM ({agency_compliance_cte_body(agency_compliance_sql(f, params))}) c
    LEFT JOIN (
        SELECT x.agency_id, min(u.uploaded_at)::DATE AS first_reported_on
        FROM (
            SELECT o.agency_id, s.upload_id FROM signatures s
            JOIN officials o ON o.nip = s.nip AND o.superseded_by IS NULL
            UNION ALL
            SELECT DISTINCT o.agency_id, o.upload_id FROM officials o
            UNION ALL
            SELECT r.agency_id, r.upload_id FROM signature_reports r
        ) x JOIN uploads u ON u.upload_id = x.upload_id
        WHERE u.status = 'committed' AND u.kind IN {kinds}
        GROUP BY x.agency_id
    ) fr ON fr.agency_id = c.agency_id"""


def _deadline_agg() -> str:
    """Agencies reported on or before their deadline, and targeted agencies without one."""
    return """count(*) FILTER (WHERE reported AND first_reported_on <= due_date)::BIGINT
                   AS agencies_on_time,
               count(*) FILTER (WHERE due_date IS NULL)::BIGINT AS agencies_without_deadline"""


def _sources_agg() -> str:
    return "string_agg(DISTINCT source, '+' ORDER BY source) AS source"


def _reporting_agg() -> str:
    """Agencies targeted / reported (a signature list, a roster with status or a count
    report) and the rate among the reported ones; ``rate`` is over everyone targeted."""
    return """count(*)::BIGINT AS agencies_targeted,
               count(*) FILTER (WHERE reported)::BIGINT AS agencies_reported,
               sum(signed) FILTER (WHERE reported)
                   / nullif(sum(target) FILTER (WHERE reported), 0) AS rate_reported"""


def summary(store: Store, f: Filters, by: str) -> pl.DataFrame:
    """Target, signed, unsigned and rate per province, regency/city or agency."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {GROUPINGS}")
    params: dict = {}
    if by == "jenis_asn":
        base = agency_compliance_sql(f, params)
        return store.query(_by_jenis_sql(f, base, params), params)
    base = _timed_sql(f, params)
    if by == "instansi":
        sql = f"""
        SELECT agency_id AS code, name, province_code, regency_code, target, signed, unsigned,
               rate, source, 1::BIGINT AS agencies_targeted,
               (CASE WHEN reported THEN 1 ELSE 0 END)::BIGINT AS agencies_reported,
               CASE WHEN reported THEN rate END AS rate_reported,
               (CASE WHEN reported AND first_reported_on <= due_date THEN 1 ELSE 0 END)::BIGINT
                   AS agencies_on_time,
               (CASE WHEN due_date IS NULL THEN 1 ELSE 0 END)::BIGINT
                   AS agencies_without_deadline,
               due_date, first_reported_on
        FROM ({base}) ORDER BY rate, name"""
    elif by == "provinsi":
        sql = f"""
        SELECT c.province_code AS code, any_value(p.name) AS name,
               sum(target)::BIGINT AS target, sum(signed)::BIGINT AS signed,
               sum(unsigned)::BIGINT AS unsigned, sum(signed) / nullif(sum(target), 0) AS rate,
               {_sources_agg()}, {_reporting_agg()},
               {_deadline_agg()}
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
               {_sources_agg()}, {_reporting_agg()},
               {_deadline_agg()}
        FROM ({base}) c
        LEFT JOIN regions r ON r.code = c.regency_code
        LEFT JOIN regions p ON p.code = c.province_code
        GROUP BY coalesce(c.regency_code, c.province_code), c.regency_code IS NULL
        ORDER BY code"""
    return store.query(sql, params)


def _by_jenis_sql(f: Filters, base: str, params: dict) -> str:
    """PNS / PPPK (and numbers of unknown kind) over the roster agencies in view; a count
    report has no such breakdown and is left out, as it is from the position levels."""
    levels = in_list("o.position_level", f.position_levels, params, "plevels")
    levels += " AND " + jenis_clause(f, params)
    done = done_row_sql(f)
    return f"""
        SELECT coalesce(o.jenis_asn, '{JENIS_UNKNOWN}') AS code,
               count(*)::BIGINT AS target,
               count(*) FILTER (WHERE {done})::BIGINT AS signed,
               count(*) FILTER (WHERE NOT ({done}))::BIGINT AS unsigned,
               count(*) FILTER (WHERE {done}) / nullif(count(*), 0) AS rate,
               count(DISTINCT o.agency_id)::BIGINT AS agencies_targeted
        FROM officials o JOIN ({base}) ac ON ac.agency_id = o.agency_id {signatures_join()}
        WHERE o.superseded_by IS NULL AND ac.from_roster AND {demo_ok(f, "o")} AND {levels}
        GROUP BY 1 ORDER BY 1"""


def agencies_not_reported(store: Store, f: Filters) -> pl.DataFrame:
    """Targeted agencies in view that have reported nothing (belum melapor): no signature
    list names any of their officials, their roster has no status and no count report
    stands for them. Largest target first."""
    params: dict = {}
    base = agency_compliance_sql(f, params)
    return store.query(
        f"""SELECT agency_id, name, short_name, level, province_code, regency_code, target
            FROM ({base}) WHERE NOT reported ORDER BY target DESC, name""",
        params,
    )


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
    # targeted agencies that sent something (a list, a roster with status, a report)
    agencies_reported: int = 0
    # of those, the ones whose first report was committed on or before their deadline
    # (the measure's campaign), and the targeted agencies that have no deadline at all
    agencies_on_time: int = 0
    agencies_without_deadline: int = 0


def headline(store: Store, f: Filters) -> Headline:
    params: dict = {}
    base = _timed_sql(f, params)
    ev_params: dict = {}
    ev_sql = events_sql(f, ev_params)
    row = store.query(
        f"""SELECT coalesce(sum(target), 0)::BIGINT AS target,
                   coalesce(sum(signed), 0)::BIGINT AS signed,
                   coalesce(sum(unsigned), 0)::BIGINT AS unsigned,
                   sum(signed) / nullif(sum(target), 0) AS rate,
                   count(*) AS agencies,
                   count(*) FILTER (WHERE unsigned = 0) AS agencies_complete,
                   count(*) FILTER (WHERE reported) AS agencies_reported,
                   {_deadline_agg()},
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
        agencies_reported=row["agencies_reported"],
        agencies_on_time=row["agencies_on_time"],
        agencies_without_deadline=row["agencies_without_deadline"],
    )


def unsigned_by_position(store: Store, f: Filters) -> pl.DataFrame:
    """Roster officials per position level: target, done, not done (for the measure).

    Reports carry no position breakdown, so this covers roster figures only.
    """
    params: dict = {"as_of": f.as_of()}
    done = done_row_sql(f)
    sql = f"""SELECT o.position_level, count(*) AS target,
                   count(*) FILTER (WHERE {done}) AS signed,
                   count(*) FILTER (WHERE NOT ({done})) AS unsigned
            FROM officials o JOIN agencies a USING (agency_id) {signatures_join()}
            WHERE o.superseded_by IS NULL
              AND {demo_ok(f, "o")} AND {demo_ok(f, "a")}
              AND {in_list("o.position_level", f.position_levels, params, "plevels")}
              AND {jenis_clause(f, params)}
              AND {view_clause(f, params, regions="a", agencies="a")}
            GROUP BY o.position_level ORDER BY o.position_level"""
    # the pledge measure has no date: DuckDB refuses a parameter the text does not use
    return store.query(sql, used_params(sql, params))


def scope_ctes(
    f: Filters, params: dict, *, ac_table: str | None = None, lv_table: str | None = None
) -> str:
    """CTEs over the agencies in view (DuckDB computes only those a query uses).

    ``ac``: agency figures (agency_compliance_sql); ``lv``: per agency and position level,
    target and done, from the roster aggregates; ``cur``: current roster rows with ``done``
    and the agency's region (reads ``officials``: for name lists only); ``rep``: the
    report behind each report-based figure. ``ac_table`` / ``lv_table`` name temp tables
    already holding ``ac`` / ``lv`` (see :func:`scoped`).
    """
    params["as_of"] = f.as_of()
    base = f"SELECT * FROM {ac_table}" if ac_table else agency_compliance_sql(f, params)
    levels = in_list("o.position_level", f.position_levels, params, "plevels")
    levels += " AND " + jenis_clause(f, params)
    # an official's region is their agency's (agencies are keyed by region), so this repeats
    # the agency filter on the roster itself: DuckDB then skips row groups of other regions
    # instead of probing all officials against the agencies in view
    o_regions = region_clause(f, params, "o.")
    c_levels = in_list("c.position_level", f.position_levels, params, "plevels")
    lv = (
        f"lv AS (SELECT * FROM {lv_table})"
        if lv_table
        else f"""{late_cte("lv_late", f, params)},
    lv AS (
        SELECT c.agency_id, c.position_level, sum(c.n)::BIGINT AS target,
               sum({done_agg_sql(f)})::BIGINT AS done
        FROM {roster_agg(f, params)} c
        LEFT JOIN lv_late d USING (agency_id, position_level, is_demo)
        WHERE {demo_ok(f, "c")} AND {c_levels} AND c.agency_id IN (SELECT agency_id FROM ac)
        GROUP BY c.agency_id, c.position_level
    )"""
    )
    return f"""
    ac AS ({agency_compliance_cte_body(base)}),
    cur AS (
        SELECT o.nip, o.name, o.position, o.position_level, o.agency_id,
               {effective_signed_sql()} AS signed, {effective_signed_date_sql()} AS signed_date,
               {effective_pledged_sql()} AS pledged, o.upload_id, {done_row_sql(f)} AS done,
               o.jenis_asn,
               ac.name AS agency_name, ac.short_name AS agency_short_name,
               ac.kind AS agency_kind, ac.level AS agency_level,
               ac.province_code AS agency_province_code, ac.regency_code AS agency_regency_code
        FROM officials o JOIN ac ON ac.agency_id = o.agency_id {signatures_join()}
        WHERE o.superseded_by IS NULL AND {demo_ok(f, "o")} AND {levels} AND {o_regions}
    ),
    {lv},
    rep AS (
        SELECT {latest_report_distinct()} ac.*, r.as_of, r.as_of_precision,
               r.source_publisher AS report_publisher, r.source_title AS report_title,
               r.source_file AS report_file
        FROM ac JOIN signature_reports r ON r.agency_id = ac.agency_id
        WHERE ac.agency_id NOT IN (SELECT agency_id FROM agg_roster) AND {latest_report_sql(f)}
        {latest_report_order()}
    )"""


class ScopedRun(Protocol):
    """``run(body, extra)``: one query over the scope tables of :func:`scoped`."""

    def __call__(self, body: str, extra: dict[str, object] | None = None) -> pl.DataFrame: ...


@contextlib.contextmanager
def scoped(store: Store, f: Filters) -> Iterator[ScopedRun]:
    """One connection on which ``ac`` and ``lv`` for ``f`` are computed once (temp tables).

    Yields ``run(body)``: runs ``WITH <scope><body>``, where ``body`` is either
    ``" SELECT ..."`` or ``", more_cte AS (...) SELECT ..."``. A page that needs a
    dozen breakdowns pays for the agency figures once instead of a dozen times.
    """
    store.ensure()
    tag = f"_scope_{uuid.uuid4().hex[:12]}"
    ac_t, lv_t = f"{tag}_ac", f"{tag}_lv"
    with store.connect() as con:
        try:
            params: dict = {}
            sql = f"CREATE TEMP TABLE {ac_t} AS WITH {scope_ctes(f, params)} SELECT * FROM ac"
            con.execute(sql, used_params(sql, params))
            params = {}
            sql = (
                f"CREATE TEMP TABLE {lv_t} AS WITH {scope_ctes(f, params, ac_table=ac_t)} "
                "SELECT * FROM lv"
            )
            con.execute(sql, used_params(sql, params))
            scope_params: dict = {}
            scope = scope_ctes(f, scope_params, ac_table=ac_t, lv_table=lv_t)

            def run(body: str, extra: dict[str, object] | None = None) -> pl.DataFrame:
                text = f"WITH {scope}{body}"
                return con.sql(
                    text, params=used_params(text, {**scope_params, **(extra or {})})
                ).pl()

            yield run
        finally:
            con.execute(f"DROP TABLE IF EXISTS {ac_t}; DROP TABLE IF EXISTS {lv_t}")


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
    demo = demo_ok(f, "d")
    levels = in_list("d.position_level", f.position_levels, extra, "plevels")
    c_demo = demo_ok(f, "c")
    c_levels = in_list("c.position_level", f.position_levels, extra, "plevels")
    grp = "ac.province_code" if by_province else "''"
    with scoped(store, f) as run:
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
                    FROM {signed_days(f, extra)} d JOIN ac ON ac.agency_id = d.agency_id
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
            SELECT (SELECT coalesce(sum(c.signed_undated), 0) FROM {roster_agg(f, extra)} c
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
