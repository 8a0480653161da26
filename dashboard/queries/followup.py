"""Reads of the follow-up: per-agency figures to chase, deadlines, history, letters, sends.

The figures reuse the compliance query's agency figures (``ac``) and latest signing event
(``lastev``), so "unsigned" and "days outstanding" mean exactly what they mean on the
Belum Tanda Tangan page. The follow-up tables are small (one row per action): they are
read whole and combined in Polars by :mod:`dashboard.followup`.
"""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from dashboard.queries.compliance import scope_ctes
from dashboard.queries.events import last_signing_event_cte
from dashboard.queries.filters import Filters, used_params
from dashboard.queries.unsigned import unsigned_officials
from dashboard.store.database import Store


def campaign_of(f: Filters) -> str:
    return "ikrar" if f.measure == "ikrar" else "pakta"


def agency_figures(store: Store, f: Filters) -> pl.DataFrame:
    """One row per agency in view: target, signed, unsigned, days outstanding, region names."""
    params: dict = {}
    sql = f"""WITH {scope_ctes(f, params)}, {last_signing_event_cte(f)}
        SELECT ac.agency_id, ac.name, ac.short_name, ac.level, ac.kind, ac.province_code,
               ac.regency_code, p.name AS province_name, r.name AS regency_name, ac.is_demo,
               ac.target, ac.signed, ac.unsigned, ac.source, ac.reported,
               le.since, le.since_precision,
               date_diff('day', le.since_ref, $as_of::DATE) AS days_outstanding
        FROM ac
        LEFT JOIN lastev le USING (agency_id)
        LEFT JOIN regions p ON p.code = ac.province_code
        LEFT JOIN regions r ON r.code = ac.regency_code
        ORDER BY ac.agency_id"""
    return store.query(sql, used_params(sql, params))


def deadlines(store: Store) -> pl.DataFrame:
    return store.query("SELECT * FROM followup_deadlines ORDER BY set_at, deadline_id")


def history(store: Store, agency_ids: list[str] | None = None) -> pl.DataFrame:
    """Every recorded step (of these agencies), oldest first."""
    if agency_ids is None:
        return store.query("SELECT * FROM followup_steps ORDER BY taken_at, step_id")
    return store.query(
        "SELECT * FROM followup_steps WHERE agency_id IN (SELECT unnest($ids)) "
        "ORDER BY taken_at, step_id",
        {"ids": list(agency_ids) or [""]},
    )


def letters(store: Store, agency_ids: list[str] | None = None) -> pl.DataFrame:
    """The letters register (counts only), newest first."""
    where = "TRUE" if agency_ids is None else "agency_id IN (SELECT unnest($ids))"
    params = None if agency_ids is None else {"ids": list(agency_ids) or [""]}
    return store.query(
        f"SELECT * FROM followup_letters WHERE {where} ORDER BY generated_at DESC, sequence DESC",
        params,
    )


def letter(store: Store, letter_id: str) -> dict | None:
    df = store.query("SELECT * FROM followup_letters WHERE letter_id = $i", {"i": letter_id})
    return df.row(0, named=True) if df.height else None


def reminder_sends(store: Store, agency_ids: list[str] | None = None) -> pl.DataFrame:
    where = "TRUE" if agency_ids is None else "agency_id IN (SELECT unnest($ids))"
    params = None if agency_ids is None else {"ids": list(agency_ids) or [""]}
    return store.query(
        f"SELECT * FROM reminder_sends WHERE {where} ORDER BY sent_at, send_id", params
    )


def contacts(store: Store) -> pl.DataFrame:
    return store.query("SELECT * FROM agency_contacts ORDER BY agency_id")


def letter_settings(store: Store) -> dict | None:
    df = store.query("SELECT * FROM letter_settings WHERE setting_id = 'default'")
    return df.row(0, named=True) if df.height else None


def agencies(store: Store, agency_ids: list[str]) -> pl.DataFrame:
    """Agency rows (for the scope check and the addressee), with region names."""
    return store.query(
        """SELECT a.agency_id, a.name, a.short_name, a.level, a.province_code, a.regency_code,
                  p.name AS province_name, r.name AS regency_name
           FROM agencies a
           LEFT JOIN regions p ON p.code = a.province_code
           LEFT JOIN regions r ON r.code = a.regency_code
           WHERE a.agency_id IN (SELECT unnest($ids)) ORDER BY a.agency_id""",
        {"ids": list(agency_ids) or [""]},
    )


def legal_bases(store: Store, agency_ids: list[str]) -> pl.DataFrame:
    """``agency_id, legal_basis``: what the agency's events name as their basis, newest first."""
    return store.query(
        """SELECT DISTINCT agency_id, legal_basis, max(event_date) AS latest FROM events
           WHERE agency_id IN (SELECT unnest($ids)) AND legal_basis IS NOT NULL
           GROUP BY ALL ORDER BY agency_id, latest DESC""",
        {"ids": list(agency_ids) or [""]},
    )


def unsigned_of(store: Store, f: Filters, agency_ids: list[str]) -> dict[str, pl.DataFrame]:
    """Per agency, its roster officials not yet done, as the unsigned list shows them, in one
    query (names and NIPs: the caller has checked the user may have them)."""
    these = replace(
        f,
        agencies=tuple(agency_ids) or ("",),
        provinces=(),
        regencies=(),
        position_levels=(),
        jenis_asn=(),
        date_from=None,
    )
    rows = unsigned_officials(store, these, limit=None, personal=True)
    parts = rows.partition_by("agency_id", as_dict=True, maintain_order=True)
    return {a: parts.get((a,), rows.clear()) for a in agency_ids}


def signed_days(store: Store, agency_ids: list[str]) -> pl.DataFrame:
    """Signatures per agency and day (current roster), from the aggregates."""
    return store.query(
        """SELECT agency_id, signed_date, sum(n)::BIGINT AS n FROM agg_signed_days
           WHERE agency_id IN (SELECT unnest($ids)) GROUP BY ALL ORDER BY agency_id, signed_date""",
        {"ids": list(agency_ids) or [""]},
    )
