"""Did it work? The unsigned count at each follow-up step against the count now, and the
signatures that came in after each reminder (until the next one)."""

from __future__ import annotations

import polars as pl


def step_effect(history: pl.DataFrame, now: pl.DataFrame) -> pl.DataFrame:
    """One row per recorded step with a count: ``unsigned_at_step``, ``unsigned_now``,
    ``signed_since`` (the drop; negative when the roster grew)."""
    return (
        history.filter(pl.col("unsigned_at_step").is_not_null())
        .join(now.select("agency_id", pl.col("unsigned").alias("unsigned_now")), on="agency_id")
        .select(
            "agency_id",
            "campaign",
            "step",
            "taken_on",
            "unsigned_at_step",
            "unsigned_now",
            (pl.col("unsigned_at_step") - pl.col("unsigned_now")).alias("signed_since"),
        )
        .sort("agency_id", "taken_on")
    )


def effect_by_step(effect: pl.DataFrame, steps: tuple[str, ...]) -> pl.DataFrame:
    """Across agencies, per step: agencies, unsigned when the step was taken, unsigned now.

    An agency with a step recorded twice counts its first time only: the question is what
    happened after it was first asked.
    """
    first = effect.sort("taken_on").group_by("agency_id", "step", maintain_order=True).first()
    out = first.group_by("step").agg(
        pl.len().cast(pl.Int64).alias("agencies"),
        pl.col("unsigned_at_step").sum().cast(pl.Int64),
        pl.col("unsigned_now").sum().cast(pl.Int64),
    )
    order = pl.DataFrame({"step": list(steps), "_rank": list(range(len(steps)))})
    return order.join(out, on="step", how="inner").sort("_rank").drop("_rank")


def signatures_after_reminders(reminders: pl.DataFrame, signed_days: pl.DataFrame) -> pl.DataFrame:
    """Per reminder (``agency_id, sent_on``): signatures dated from that day until the next
    reminder to the same agency (``signed_after``), and the days that window covers.

    ``signed_days``: ``agency_id, signed_date, n`` (signatures per agency and day).
    Signatures before an agency's first reminder belong to no reminder.
    """
    rem = (
        reminders.select("agency_id", pl.col("sent_on").cast(pl.Date))
        .unique()
        .sort("agency_id", "sent_on")
    )
    if rem.height == 0:
        return rem.with_columns(pl.lit(0, dtype=pl.Int64).alias("signed_after"))
    sig = (
        signed_days.filter(pl.col("agency_id").is_in(rem["agency_id"].implode()))
        .select("agency_id", pl.col("signed_date").cast(pl.Date), pl.col("n").cast(pl.Int64))
        .sort("signed_date")
    )
    attributed = sig.join_asof(
        rem.sort("sent_on"),
        left_on="signed_date",
        right_on="sent_on",
        by="agency_id",
        strategy="backward",
        check_sortedness=False,  # both sorted on the date above, hence within each agency
    ).filter(pl.col("sent_on").is_not_null())
    counts = attributed.group_by("agency_id", "sent_on").agg(
        pl.col("n").sum().alias("signed_after")
    )
    return (
        rem.join(counts, on=["agency_id", "sent_on"], how="left")
        .with_columns(pl.col("signed_after").fill_null(0).cast(pl.Int64))
        .sort("agency_id", "sent_on")
    )
