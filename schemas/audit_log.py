"""The audit trail: who did what, when, from where.

It never holds passwords, tokens or personal data (names, NIPs): ``detail`` carries
counts, codes and ids only (see ``dashboard.audit``).
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import AUDIT_ACTIONS, AUDIT_CHANNELS, AUDIT_OUTCOMES


class AuditLog(pa.DataFrameModel):
    event_id: str = pa.Field(unique=True)
    occurred_at: dt.datetime  # UTC
    actor: str  # username, OIDC email, "local" (single-user mode) or the CLI's OS user
    action: str = pa.Field(isin=AUDIT_ACTIONS)
    outcome: str = pa.Field(isin=AUDIT_OUTCOMES)
    target: str = pa.Field(nullable=True)  # the user, upload id or dataset acted on
    detail: str = pa.Field(nullable=True)  # small JSON object: counts, codes, ids
    ip: str = pa.Field(nullable=True)
    channel: str = pa.Field(isin=AUDIT_CHANNELS)

    class Config:
        strict = True
        coerce = True
