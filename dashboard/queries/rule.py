"""The compliance rule, defined once: done, as-of, demo inclusion, source.

An official is done when they signed on or before the as-of day (an undated signature
always counts), or, for the pledge measure, when they pledged; by the roster's own status or
by a signature list naming them (the earliest date counts). An agency's figure comes
from its current roster where it has one, else from its latest report on or before the
as-of day; demo rows count only when demo data is included, and a figure from demo rows
says so in its source. Every query of the package builds on these fragments.
"""

from __future__ import annotations

from dashboard.queries.filters import (
    Filters,
    jenis_clause,
)
from dashboard.store.schema import (
    effective_pledged_sql,
    effective_signed_date_sql,
    effective_signed_sql,
    roster_aggregate_sql,
    signed_days_sql,
)
from schemas.vocab import SOURCE_DEMO


def demo_ok(f: Filters, alias: str) -> str:
    """SQL: the row of table ``alias`` may count (demo rows only when demo data is shown)."""
    return "TRUE" if f.include_demo else f"NOT {alias}.is_demo"


def done_row_sql(f: Filters, alias: str = "o", sig: str = "s") -> str:
    """SQL: one roster row (``officials``) counts as done for the measure (uses ``$as_of``).

    The caller left-joins :data:`SIGNATURES_JOIN` (``agg_person_signatures`` as ``sig``):
    a person is done by the roster's own status or by a signature list naming them.
    """
    if f.measure == "ikrar":
        return effective_pledged_sql(alias, sig)
    date = effective_signed_date_sql(alias, sig)
    return f"({effective_signed_sql(alias, sig)} AND ({date} IS NULL OR {date} <= $as_of))"


def signatures_join(alias: str = "o", sig: str = "s") -> str:
    """SQL: the join every reader of roster rows needs for :func:`done_row_sql`."""
    return f"LEFT JOIN agg_person_signatures {sig} ON {sig}.nip = {alias}.nip"


def roster_agg(f: Filters, params: dict) -> str:
    """SQL (a table): the roster aggregates the view counts: ``agg_roster`` itself, or
    when the view narrows the roster by PNS/PPPK the same rows over those officials only."""
    if not f.jenis_asn:
        return "agg_roster"
    return f"({roster_aggregate_sql(jenis_clause(f, params))})"


def signed_days(f: Filters, params: dict) -> str:
    """SQL (a table): ``agg_signed_days`` for the view (as :func:`roster_agg`)."""
    if not f.jenis_asn:
        return "agg_signed_days"
    return f"({signed_days_sql(jenis_clause(f, params))})"


def late_cte(name: str, f: Filters, params: dict) -> str:
    """CTE ``name``: for agencies with signatures dated after the as-of day, the signatures
    per position level dated up to it (what :func:`done_agg_sql` counts instead)."""
    return f"""{name} AS (
        SELECT agency_id, position_level, is_demo, sum(n) AS n_before
        FROM {signed_days(f, params)} sd
        WHERE signed_date <= $as_of AND agency_id IN (
            SELECT agency_id FROM {roster_agg(f, params)} ra WHERE last_signed_date > $as_of)
        GROUP BY ALL
    )"""


def done_agg_sql(f: Filters, c: str = "c", late: str = "d") -> str:
    """SQL: done officials of one ``agg_roster`` row ``c`` joined to its :func:`late_cte` row
    ``late`` (the rule of :func:`done_row_sql`, over the aggregates)."""
    if f.measure == "ikrar":
        return f"{c}.pledged_n"
    return f"""CASE WHEN {c}.last_signed_date IS NULL OR {c}.last_signed_date <= $as_of
                  THEN {c}.signed_n ELSE {c}.signed_undated + coalesce({late}.n_before, 0) END"""


def report_done_sql(f: Filters, alias: str = "r") -> str:
    """SQL: the done count of a signature report for the measure."""
    return f"{alias}.pledged" if f.measure == "ikrar" else f"{alias}.signed"


def latest_report_sql(f: Filters, alias: str = "r") -> str:
    """SQL conditions of the reports that may count: on or before the as-of day (applies
    where the agency has no roster: checked by the caller). The query selects
    :func:`latest_report_distinct` and ends with :func:`latest_report_order`, which keep
    each agency's latest."""
    return f"{alias}.as_of <= $as_of AND {demo_ok(f, alias)}"


def latest_report_distinct(alias: str = "r") -> str:
    """SQL after SELECT: one row per agency (the first by :func:`latest_report_order`)."""
    return f"DISTINCT ON ({alias}.agency_id)"


def latest_report_order(alias: str = "r") -> str:
    return f"ORDER BY {alias}.agency_id, {alias}.as_of DESC"


def source_sql(is_demo: str, basis: str) -> str:
    """SQL: the source a figure shows (``demo`` for demo rows, else roster / laporan)."""
    return f"CASE WHEN {is_demo} THEN '{SOURCE_DEMO}' ELSE '{basis}' END"
