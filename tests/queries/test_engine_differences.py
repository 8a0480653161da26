"""Differences between DuckDB and PostgreSQL that the engine comparison
(``test_engines_agree``) found, each pinned with the value it must have on either engine."""

from __future__ import annotations

import polars as pl

from dashboard import queries
from dashboard.queries import Filters
from dashboard.queries import followup as fq
from dashboard.store.database import Store


def test_unsigned_by_position_on_the_pledge_measure(demo_store: Store) -> None:
    """The pledge has no date: the position breakdown binds no date it does not use."""
    got = queries.unsigned_by_position(demo_store, Filters(measure="ikrar"))
    current = demo_store.table("officials").filter(pl.col("superseded_by").is_null())
    expected = (
        current.join(demo_store.table("agencies").select("agency_id"), on="agency_id")
        .group_by("position_level")
        .agg(
            pl.len().cast(pl.Int64).alias("target"),
            pl.col("pledged").sum().cast(pl.Int64).alias("signed"),
            (~pl.col("pledged")).sum().cast(pl.Int64).alias("unsigned"),
        )
        .sort("position_level")
    )
    assert got.height > 0
    assert got.select("position_level", "target", "signed", "unsigned").rows() == expected.rows()


def test_days_outstanding_is_a_bigint(demo_store: Store) -> None:
    """``date_diff`` is a BIGINT on DuckDB; PostgreSQL's date subtraction an integer."""
    df = fq.agency_figures(demo_store, Filters())
    assert df.schema["days_outstanding"] == pl.Int64
    assert df["days_outstanding"].drop_nulls().len() > 0
