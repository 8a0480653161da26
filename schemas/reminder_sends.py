"""Every reminder e-mail attempt: the log that makes ``netralitas remind`` idempotent.

One ``sent`` row per agency, campaign and day at most; failures are logged too (with a
short reason that never holds the message body).
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import FOLLOWUP_CAMPAIGNS, REMINDER_STATUSES


class ReminderSends(pa.DataFrameModel):
    send_id: str = pa.Field(unique=True)
    agency_id: str
    campaign: str = pa.Field(isin=FOLLOWUP_CAMPAIGNS)
    send_date: dt.date
    sent_at: dt.datetime  # UTC
    recipient: str
    status: str = pa.Field(isin=REMINDER_STATUSES)
    unsigned: int = pa.Field(ge=0)
    names_listed: int = pa.Field(ge=0)
    reason: str = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True
