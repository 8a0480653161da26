"""Where an agency is written to: its head (the letter's addressee) and its e-mail address."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa


class AgencyContacts(pa.DataFrameModel):
    agency_id: str = pa.Field(unique=True)
    email: str = pa.Field(nullable=True, str_matches=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    head_title: str = pa.Field(nullable=True)  # "Kepala Dinas ..."; default: "Kepala <agency>"
    head_name: str = pa.Field(nullable=True)
    # whether reminders to this address may carry the list of names (still only when allowed)
    send_list: bool
    updated_by: str
    updated_at: dt.datetime

    class Config:
        strict = True
        coerce = True
