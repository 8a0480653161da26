"""Agencies (instansi) and their units (OPD)."""

from __future__ import annotations

import pandera.polars as pa

from schemas.vocab import AGENCY_KINDS, AGENCY_LEVELS


class Agencies(pa.DataFrameModel):
    agency_id: str = pa.Field(unique=True, str_length={"min_value": 1})
    name: str = pa.Field(str_length={"min_value": 2})
    short_name: str = pa.Field(nullable=True)
    # normalised name + region: the key that stops one office typed three ways
    # from becoming three agencies
    match_key: str = pa.Field(str_length={"min_value": 1})
    level: str = pa.Field(isin=AGENCY_LEVELS)
    kind: str = pa.Field(isin=AGENCY_KINDS)
    parent_id: str = pa.Field(nullable=True)
    province_code: str = pa.Field(nullable=True, str_matches=r"^\d{2}$")
    regency_code: str = pa.Field(nullable=True, str_matches=r"^\d{4}$")
    is_demo: bool
    upload_id: str = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
