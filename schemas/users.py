"""Sign-in accounts for offices without an identity provider (and role/scope for OIDC emails).

A password is stored only as an Argon2 hash; OIDC-only accounts have none. Scope is kept
as comma-joined Kemendagri codes (``"17,62"``; regencies ``"1706"``) because the store has
no list type; both empty means national.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from schemas.vocab import ROLES, USER_SOURCES

USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._@+\-]{1,127}$"


class Users(pa.DataFrameModel):
    username: str = pa.Field(unique=True, str_matches=USERNAME_PATTERN)
    email: str = pa.Field(nullable=True)
    role: str = pa.Field(isin=ROLES)
    source: str = pa.Field(isin=USER_SOURCES)
    # Argon2id PHC string, never the password itself
    password_hash: str = pa.Field(nullable=True, str_startswith="$argon2")
    scope_provinces: str = pa.Field(nullable=True, str_matches=r"^\d{2}(,\d{2})*$")
    scope_regencies: str = pa.Field(nullable=True, str_matches=r"^\d{4}(,\d{4})*$")
    created_at: dt.datetime
    updated_at: dt.datetime

    class Config:
        strict = True
        coerce = True
