"""Server-side sessions of local accounts: what lets a reload, or another app process,
recognise a signed-in browser.

Only a digest of the browser's session secret is kept, never the secret (the cookie
value) itself: a copy of the store does not sign anyone in. ``session_id`` is a public
handle for listing and revoking; it opens nothing.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

SESSION_ID_PATTERN = r"^s-[0-9a-f]{16}$"


class UserSessions(pa.DataFrameModel):
    session_id: str = pa.Field(unique=True, str_matches=SESSION_ID_PATTERN)
    username: str
    # sha256 hex of the session cookie; null until the browser has received its cookie
    secret_digest: str = pa.Field(nullable=True, str_matches=r"^[0-9a-f]{64}$")
    created_at: dt.datetime  # UTC
    last_seen_at: dt.datetime  # UTC, updated at most once a minute
    expires_at: dt.datetime  # UTC, absolute end whatever the activity
    revoked_at: dt.datetime = pa.Field(nullable=True)
    revoked_by: str = pa.Field(nullable=True)  # the account, admin or CLI user who ended it
    user_agent: str = pa.Field(nullable=True)  # a short summary ("Chrome 131, Linux")

    class Config:
        strict = True
        coerce = True
