"""The follow-up history: every step taken to get one agency's officials to sign.

``unsigned_at_step`` is the agency's unsigned count when the step was taken, so the effect
of each step can be read later against the count now. ``note`` is free text written by
staff; it is shown on the page but never copied into the audit trail.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import FOLLOWUP_CAMPAIGNS, FOLLOWUP_STEPS


class FollowupSteps(pa.DataFrameModel):
    step_id: str = pa.Field(unique=True)
    agency_id: str
    campaign: str = pa.Field(isin=FOLLOWUP_CAMPAIGNS)
    step: str = pa.Field(isin=FOLLOWUP_STEPS)
    taken_on: dt.date
    taken_at: dt.datetime  # UTC, when it was recorded
    taken_by: str
    note: str = pa.Field(nullable=True)
    letter_id: str = pa.Field(nullable=True)
    unsigned_at_step: int = pa.Field(nullable=True, ge=0)

    class Config:
        strict = True
        coerce = True
