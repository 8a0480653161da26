"""Follow-up deadlines (tenggat): one per campaign, optionally overridden per agency.

Rows are never updated: a new deadline is a new row and the latest one set wins, so the
history of who moved a deadline, and when, stays in the store.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import FOLLOWUP_CAMPAIGNS


class FollowupDeadlines(pa.DataFrameModel):
    deadline_id: str = pa.Field(unique=True)
    campaign: str = pa.Field(isin=FOLLOWUP_CAMPAIGNS)
    agency_id: str = pa.Field(nullable=True)  # null: the campaign-wide deadline
    due_date: dt.date
    set_by: str
    set_at: dt.datetime  # UTC

    class Config:
        strict = True
        coerce = True
