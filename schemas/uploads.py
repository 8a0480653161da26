"""One row per committed upload: the unit of de-duplication and rollback."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import UPLOAD_KINDS, UPLOAD_MODES, UPLOAD_STATUSES


class Uploads(pa.DataFrameModel):
    upload_id: str = pa.Field(unique=True)
    kind: str = pa.Field(isin=UPLOAD_KINDS)
    file_name: str
    sha256: str = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    uploaded_by: str
    uploaded_at: dt.datetime
    rows: int = pa.Field(ge=0)
    valid_rows: int = pa.Field(ge=0)
    mode: str = pa.Field(isin=UPLOAD_MODES)
    status: str = pa.Field(isin=UPLOAD_STATUSES)

    class Config:
        strict = True
        coerce = True
