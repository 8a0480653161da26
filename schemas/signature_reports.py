"""Counts reported without a roster ("53 targeted, 5 not yet signed")."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl
from pandera.polars import PolarsData

from schemas.vocab import DATE_PRECISIONS


class SignatureReports(pa.DataFrameModel):
    report_id: str = pa.Field(unique=True)
    agency_id: str
    province_code: str = pa.Field(str_matches=r"^\d{2}$")
    regency_code: str = pa.Field(nullable=True, str_matches=r"^\d{4}$")
    as_of: dt.date
    as_of_precision: str = pa.Field(isin=DATE_PRECISIONS)
    target: int = pa.Field(ge=0)
    signed: int = pa.Field(ge=0)
    # pledge counts are rarely reported; null = not reported
    pledged: int = pa.Field(nullable=True, ge=0)
    event_id: str = pa.Field(nullable=True)
    source_publisher: str = pa.Field(nullable=True)
    source_title: str = pa.Field(nullable=True)
    source_file: str = pa.Field(nullable=True)
    is_demo: bool
    upload_id: str = pa.Field(nullable=True)

    @pa.dataframe_check
    @classmethod
    def signed_within_target(cls, df: PolarsData) -> pl.LazyFrame:
        return df.lazyframe.select(pl.col(cls.signed) <= pl.col(cls.target))

    class Config:
        strict = True
        coerce = True
