"""Signatures from a signature list (daftar tanda tangan): one row per person and measure.

A list is matched to the target roster by NIP; rows accumulate over lists, each list
being an upload that can be rolled back on its own. A person counts as signed when the
roster says so or a row here exists; the earliest date counts. NIP and name are personal
data (UU 27/2022).
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import SIGNATURE_MEASURES


class Signatures(pa.DataFrameModel):
    signature_id: str = pa.Field(unique=True)
    nip: str = pa.Field(str_matches=r"^\d{18}$")
    measure: str = pa.Field(isin=SIGNATURE_MEASURES)
    # null: the list gives no date (an undated signature always counts, as on a roster)
    signed_date: dt.date = pa.Field(nullable=True)
    # as the list wrote them, for checking against the target
    name: str = pa.Field(nullable=True)
    unit: str = pa.Field(nullable=True)
    upload_id: str
    is_demo: bool

    class Config:
        strict = True
        coerce = True
