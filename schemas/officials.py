"""The roster: one row per official. NIP and name are personal data (UU 27/2022)."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import JENIS_ASN, POSITION_LEVELS


class Officials(pa.DataFrameModel):
    # text, 18 digits; null only for elected officials (not ASN)
    nip: str = pa.Field(nullable=True, str_matches=r"^\d{18}$")
    name: str = pa.Field(str_length={"min_value": 1})
    position: str = pa.Field(str_length={"min_value": 1})
    position_level: str = pa.Field(isin=POSITION_LEVELS)
    agency_id: str
    province_code: str = pa.Field(str_matches=r"^\d{2}$")
    regency_code: str = pa.Field(nullable=True, str_matches=r"^\d{4}$")
    signed: bool
    signed_date: dt.date = pa.Field(nullable=True)
    pledged: bool
    note: str = pa.Field(nullable=True)
    upload_id: str
    # the upload whose "replace" superseded this row; null = current roster
    superseded_by: str = pa.Field(nullable=True)
    is_demo: bool
    # PNS or PPPK (from the number and the legal-status column); null: not known / not ASN
    jenis_asn: str = pa.Field(nullable=True, isin=JENIS_ASN)

    class Config:
        strict = True
        coerce = True
