"""Signing and pledge ceremonies in view, and where they took place."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.queries.filters import Filters, view_clause
from dashboard.queries.rule import demo_ok
from dashboard.store.database import Store


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
      AND {view_clause(f, params, regions="e", agencies="a")} AND {demo_ok(f, "e")}
    """


def events(store: Store, f: Filters) -> pl.DataFrame:
    params: dict = {}
    return store.query(events_sql(f, params) + " ORDER BY event_date DESC, event_id", params)


def seed_events(store: Store) -> pl.DataFrame:
    return store.query(
        "SELECT e.*, a.name AS agency_name FROM events e JOIN agencies a USING (agency_id) "
        "WHERE NOT e.is_demo ORDER BY event_id"
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


def last_signing_event_cte(f: Filters) -> str:
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
        SELECT DISTINCT ON (agency_id) agency_id, event_date AS since,
               date_precision AS since_precision, {ref} AS since_ref
        FROM events
        WHERE kind IN {kinds} AND date_precision IN ('day', 'month') AND event_date <= $as_of
        ORDER BY agency_id, {ref} DESC, event_id
    )"""
