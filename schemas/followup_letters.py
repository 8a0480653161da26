"""The letters register: every follow-up letter generated, with its number.

Holds counts only, never the names listed in a letter: the letter itself is the
personal-data document and it is not kept in the store.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import FOLLOWUP_CAMPAIGNS, LETTER_FORMATS, LETTER_STATUSES


class FollowupLetters(pa.DataFrameModel):
    letter_id: str = pa.Field(unique=True)
    letter_number: str = pa.Field(unique=True)
    sequence: int = pa.Field(ge=1)  # per year, the running number inside letter_number
    year: int
    agency_id: str
    campaign: str = pa.Field(isin=FOLLOWUP_CAMPAIGNS)
    letter_date: dt.date
    generated_at: dt.datetime  # UTC
    generated_by: str
    format: str = pa.Field(isin=LETTER_FORMATS)
    with_names: bool
    officials_listed: int = pa.Field(ge=0)
    unsigned: int = pa.Field(ge=0)
    status: str = pa.Field(isin=LETTER_STATUSES)
    sent_at: dt.datetime = pa.Field(nullable=True)
    sent_by: str = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
