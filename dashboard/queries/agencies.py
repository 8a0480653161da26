"""Agencies: the ranking, one agency (figure, roster, uploads), what an upload needs."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from dashboard.queries.compliance import (
    agency_compliance_cte_body,
    agency_compliance_sql,
    scope_ctes,
)
from dashboard.queries.events import events_sql
from dashboard.queries.filters import Filters, is_typable, position_rank_sql, typed_text
from dashboard.store.database import Store

AGENCY_SORTS = {
    "rate_asc": "rate ASC NULLS LAST, unsigned DESC NULLS LAST, name",
    "rate_desc": "rate DESC NULLS LAST, target DESC NULLS LAST, name",
    "unsigned_desc": "unsigned DESC NULLS LAST, rate ASC NULLS LAST, name",
    "target_desc": "target DESC NULLS LAST, name",
    "name_asc": "name",
    "last_event_desc": "last_event_date DESC NULLS LAST, name",
}


def _agency_view_sql(f: Filters, params: dict, search: str | None) -> str:
    """Agencies in view: those with a figure, plus those with only an event in view."""
    base = agency_compliance_sql(f, params)
    ev = events_sql(f, params)
    where = "TRUE"
    search = typed_text(search)
    if search:
        params["q"] = search.lower()
        where = (
            "(strpos(lower(a.name), $q) > 0 OR strpos(lower(coalesce(a.short_name, '')), $q) > 0)"
        )
    return f"""
    WITH ac AS ({agency_compliance_cte_body(base)}),
    ev AS ({ev}),
    lastev AS (
        SELECT DISTINCT ON (agency_id) agency_id, event_date, date_precision,
               kind AS event_kind, source_publisher, source_title, source_file,
               count(*) OVER (PARTITION BY agency_id) AS events
        FROM ev
        ORDER BY agency_id, event_date DESC, event_id DESC
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
    """The filters narrowed to one agency; None when the agency lies outside them (or the
    id, from a URL say, holds a character no stored id has)."""
    if not is_typable(agency_id) or (f.agencies and agency_id not in f.agencies):
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
    scope = scope_ctes(one, params)
    sql = f"WITH {scope} SELECT coalesce(sum(target), 0)::BIGINT AS n FROM lv"
    return int(store.query(sql, params)["n"][0])


def agency_roster(
    store: Store,
    f: Filters,
    agency_id: str,
    *,
    offset: int = 0,
    limit: int | None = 50,
    personal: bool = False,
) -> pl.DataFrame:
    """One page of the agency's current roster, top positions first."""
    # outside the view: an agency id that matches nothing, so the page gets no rows
    one = _one_agency(f, agency_id) or replace(f, agencies=("",))
    params: dict = {}
    scope = scope_ctes(one, params)
    sql = f"""WITH {scope}
        SELECT name, nip, position, position_level, done, signed, signed_date, pledged, upload_id
        FROM cur ORDER BY {position_rank_sql("position_level")}, name, nip NULLS LAST"""
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
    """Target / signed (pact) of these agencies today, as every page counts them:
    ``agency_id``, ``target``, ``signed``, ``source``, ``from_roster``."""
    params: dict = {}
    base = agency_compliance_sql(Filters(agencies=tuple(agency_ids) or ("",)), params)
    return store.query(
        f"""SELECT agency_id, target::BIGINT AS target, signed::BIGINT AS signed, source,
                   from_roster FROM ({base})""",
        params,
    )


def agency_names(store: Store, agency_ids: list[str]) -> pl.DataFrame:
    """``agency_id``, ``name`` of these stored agencies."""
    return store.query(
        "SELECT agency_id, name FROM agencies WHERE agency_id IN (SELECT unnest($ids))",
        {"ids": list(agency_ids)},
    )


def target_people(store: Store, nips: list[str]) -> pl.DataFrame:
    """Current roster rows of these NIPs (a signature list is matched to them):
    ``nip``, ``name``, ``agency_id``."""
    return store.query(
        "SELECT nip, name, agency_id FROM officials "
        "WHERE superseded_by IS NULL AND nip IN (SELECT unnest($n))",
        {"n": list(nips)},
    )


def stored_signatures(store: Store, nips: list[str]) -> pl.DataFrame:
    """Signatures already stored for these NIPs: ``nip``, ``measure``, ``first`` (earliest
    date; null when one is undated)."""
    return store.query(
        "SELECT nip, measure, min(signed_date) AS first FROM signatures "
        "WHERE nip IN (SELECT unnest($n)) GROUP BY nip, measure",
        {"n": list(nips)},
    )
