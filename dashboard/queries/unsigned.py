"""Belum Tanda Tangan: who has not yet signed (or pledged), where, at which level, since when.

Counts come from the roster aggregates (``agg_roster`` / ``agg_signed_days``, rebuilt on
every write); only the name list reads ``officials``, and names and NIPs leave the
database one page at a time (or in an export that was asked for), and only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from dashboard.queries.compliance import scope_ctes, scoped
from dashboard.queries.events import last_signing_event_cte
from dashboard.queries.filters import Filters, position_rank_sql, typed_text, used_params
from dashboard.store.database import Store

UNSIGNED_GROUPS = ("position_level", "agency_kind", "province", "regency")


def _unsigned_by_body(by: str) -> str:
    if by not in UNSIGNED_GROUPS:
        raise ValueError(f"by must be one of {UNSIGNED_GROUPS}")
    if by == "position_level":
        return f"""
        SELECT position_level AS key, NULL::VARCHAR AS name, NULL::VARCHAR AS province_code,
               sum(target - done)::BIGINT AS unsigned, sum(target)::BIGINT AS target
        FROM lv GROUP BY position_level ORDER BY {position_rank_sql("position_level")}"""
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
    with scoped(store, f) as run:
        return _with_rate(run(body))


_HEAT_BODY = """
        SELECT ac.province_code, any_value(p.name) AS province_name, lv.position_level,
               sum(lv.target - lv.done)::BIGINT AS unsigned, sum(lv.target)::BIGINT AS target
        FROM lv JOIN ac USING (agency_id) LEFT JOIN regions p ON p.code = ac.province_code
        GROUP BY ac.province_code, lv.position_level
        ORDER BY province_code, {rank}"""


def unsigned_heat(store: Store, f: Filters) -> pl.DataFrame:
    """Roster officials not yet done per province x position level (long form)."""
    with scoped(store, f) as run:
        return run(_HEAT_BODY.format(rank=position_rank_sql("lv.position_level")))


_REPORTS_BODY = """
        SELECT agency_id, name, short_name, province_code, regency_code, target, signed,
               unsigned, rate, source, as_of, as_of_precision, report_publisher, report_file
        FROM rep ORDER BY unsigned DESC, name"""


def report_unsigned(store: Store, f: Filters) -> pl.DataFrame:
    """Agencies whose figure comes from a report: counts only, there are no names."""
    with scoped(store, f) as run:
        return run(_REPORTS_BODY)


def _days_body(f: Filters) -> str:
    return f""", {last_signing_event_cte(f)}
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
    with scoped(store, f) as run:
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
    with scoped(store, f) as run:
        by = {g: _with_rate(run(_unsigned_by_body(g))) for g in UNSIGNED_GROUPS}
        heat = run(_HEAT_BODY.format(rank=position_rank_sql("lv.position_level")))
        days = run(_days_body(f))
        reports = run(_REPORTS_BODY)
        roster = run(" SELECT coalesce(sum(target - done), 0)::BIGINT AS n FROM lv")["n"][0]
    return UnsignedOverview(
        by=by, heat=heat, days=days, reports=reports, roster_unsigned=int(roster)
    )


def _unsigned_where(search: str | None, personal: bool, params: dict) -> str:
    search = typed_text(search)
    if not search:
        return "TRUE"
    params["q"] = search.lower()
    fields = ["cur.agency_name", "cur.position"] + (["cur.name", "cur.nip"] if personal else [])
    return "(" + " OR ".join(f"strpos(lower(coalesce({c}, '')), $q) > 0" for c in fields) + ")"


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
    return f""", {last_signing_event_cte(f)}
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
        f"{position_rank_sql('position_level')}, name, nip NULLS LAST"
    )


def unsigned_count(
    store: Store, f: Filters, search: str | None = None, personal: bool = False
) -> int:
    """How many roster officials are not yet done (matching ``search``)."""
    params: dict = {}
    with scoped(store, f) as run:
        if not typed_text(search):  # from the aggregates: no need to touch the roster
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
    personal: bool = False,
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
    sql = f"WITH {scope_ctes(f, params)}{body}"
    out = store.query(sql, used_params(sql, params))
    return out if personal else out.drop("name", "nip")


def unsigned_cells(store: Store, f: Filters, search: str | None = None) -> pl.DataFrame:
    """Not-yet-done roster officials counted by agency, position level and region.

    For roles that may not see people: from the roster aggregates, no row per person.
    ``search`` matches the agency name only (a position searched for could single one
    out). Small cells are suppressed by the caller (``auth.suppress_small_cells``).
    """
    params: dict = {}
    where = "TRUE"
    search = typed_text(search)
    if search:
        params["q"] = search.lower()
        where = "strpos(lower(coalesce(ac.name, '')), $q) > 0"
    sql = f"""WITH {scope_ctes(f, params)}
    SELECT ac.name AS agency_name, lv.position_level, ac.province_code,
           p.name AS province_name, ac.regency_code, r.name AS regency_name,
           (lv.target - lv.done)::BIGINT AS unsigned
    FROM lv JOIN ac USING (agency_id)
    LEFT JOIN regions p ON p.code = ac.province_code
    LEFT JOIN regions r ON r.code = ac.regency_code
    WHERE lv.target > lv.done AND {where}
    ORDER BY unsigned DESC, ac.province_code, agency_name,
             {position_rank_sql("lv.position_level")}"""
    return store.query(sql, used_params(sql, params))
