"""Deadlines, the overdue rule and the order in which agencies are chased.

- The deadline of an agency is its own override if one was set, else the campaign's; the
  latest set wins in both cases (the table keeps every earlier one as history).
- **Overdue**: the as-of day is after the deadline and the agency still has unsigned
  officials. No deadline, no overdue.
- **Nearing**: not overdue, unsigned officials, deadline within ``nearing_days``.
- **Priority** = unsigned x days outstanding (an agency with no dated signing event counts
  0 days and so sorts by its unsigned count after the dated ones). Agencies that have
  reported nothing (belum melapor) come before all others.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.followup.steps import FIRST_STEP

NEARING_DAYS = 7


def resolve_deadlines(
    agency_ids: pl.Series | list[str], deadlines: pl.DataFrame, campaign: str
) -> pl.DataFrame:
    """``agency_id, due_date, deadline_source`` (``agency`` / ``campaign`` / null)."""
    ids = pl.DataFrame({"agency_id": pl.Series(list(agency_ids), dtype=pl.String)})
    rows = deadlines.filter(pl.col("campaign") == campaign).sort("set_at", "deadline_id")
    default = rows.filter(pl.col("agency_id").is_null())["due_date"]
    default_date = default[-1] if default.len() else None
    own = (
        rows.filter(pl.col("agency_id").is_not_null())
        .group_by("agency_id", maintain_order=True)
        .agg(pl.col("due_date").last().alias("_own"))
    )
    return ids.join(own, on="agency_id", how="left").select(
        "agency_id",
        pl.coalesce("_own", pl.lit(default_date, dtype=pl.Date)).alias("due_date"),
        pl.when(pl.col("_own").is_not_null())
        .then(pl.lit("agency"))
        .when(pl.lit(default_date is not None))
        .then(pl.lit("campaign"))
        .otherwise(pl.lit(None, dtype=pl.String))
        .alias("deadline_source"),
    )


def overdue_expr(as_of: dt.date) -> pl.Expr:
    return ((pl.col("due_date") < pl.lit(as_of)) & (pl.col("unsigned") > 0)).fill_null(False)


def mark(df: pl.DataFrame, as_of: dt.date, nearing_days: int = NEARING_DAYS) -> pl.DataFrame:
    """Adds ``overdue``, ``nearing``, ``days_to_deadline`` and ``priority`` to a frame with
    ``unsigned``, ``days_outstanding`` and ``due_date``."""
    days_left = (pl.col("due_date") - pl.lit(as_of)).dt.total_days()
    return df.with_columns(
        overdue_expr(as_of).alias("overdue"),
        days_left.alias("days_to_deadline"),
    ).with_columns(
        (
            ~pl.col("overdue")
            & (pl.col("unsigned") > 0)
            & (pl.col("days_to_deadline") <= nearing_days)
        )
        .fill_null(False)
        .alias("nearing"),
        (pl.col("unsigned") * pl.col("days_outstanding").fill_null(0).clip(lower_bound=0))
        .cast(pl.Int64)
        .alias("priority"),
    )


def chase_table(
    figures: pl.DataFrame,
    deadlines: pl.DataFrame,
    current: pl.DataFrame,
    campaign: str,
    as_of: dt.date,
    nearing_days: int = NEARING_DAYS,
) -> pl.DataFrame:
    """Agencies with unsigned officials, most urgent first, with deadline and status.

    ``figures``: one row per agency (``agency_id, unsigned, days_outstanding``, ...);
    ``current``: :func:`dashboard.followup.steps.current_steps` of the history.
    """
    todo = figures.filter(pl.col("unsigned") > 0)
    due = resolve_deadlines(todo["agency_id"], deadlines, campaign)
    cur = current.filter(pl.col("campaign") == campaign).drop("campaign")
    out = (
        todo.join(due, on="agency_id", how="left")
        .join(cur, on="agency_id", how="left")
        .with_columns(
            pl.col("step").fill_null(FIRST_STEP),
            pl.col("actions").fill_null(0),
        )
    )
    marked = mark(out, as_of, nearing_days)
    if "reported" in marked.columns:  # agencies that sent nothing come first: ask for a list
        return marked.sort(
            ["reported", "priority", "unsigned", "agency_id"],
            descending=[False, True, True, False],
            nulls_last=True,
        )
    return marked.sort(["priority", "unsigned", "agency_id"], descending=[True, True, False])
