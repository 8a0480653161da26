"""Signing / pledge ceremonies, each with its source."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import DATE_PRECISIONS, EVENT_KINDS


class Events(pa.DataFrameModel):
    event_id: str = pa.Field(unique=True)
    # first day of the known period; date_precision says how much of it is real
    event_date: dt.date
    date_precision: str = pa.Field(isin=DATE_PRECISIONS)
    agency_id: str
    province_code: str = pa.Field(str_matches=r"^\d{2}$")
    # where the ceremony took place (may differ from a provincial agency's level)
    regency_code: str = pa.Field(nullable=True, str_matches=r"^\d{4}$")
    kind: str = pa.Field(isin=EVENT_KINDS)
    led_by: str = pa.Field(nullable=True)
    witnesses: str = pa.Field(nullable=True)
    legal_basis: str = pa.Field(nullable=True)
    participants: int = pa.Field(nullable=True, ge=0)
    target_count: int = pa.Field(nullable=True, ge=0)
    signed_count: int = pa.Field(nullable=True, ge=0)
    summary: str = pa.Field(nullable=True)
    source_publisher: str = pa.Field(nullable=True)
    source_title: str = pa.Field(nullable=True)
    source_file: str = pa.Field(nullable=True)
    is_demo: bool
    upload_id: str = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
