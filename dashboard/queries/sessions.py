"""Server-side sessions as read to restore a sign-in and to list them for administrators.

The secret's digest is read only to find a session by it (:func:`session_by_digest`),
never by listings.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.store.engine import Store

SESSION_PUBLIC_COLUMNS = (
    "session_id",
    "username",
    "created_at",
    "last_seen_at",
    "expires_at",
    "revoked_at",
    "revoked_by",
    "user_agent",
)
_COLUMNS = ", ".join(SESSION_PUBLIC_COLUMNS)


def session_by_digest(store: Store, secret_digest: str) -> dict | None:
    """The session whose browser secret has this digest (ended ones included)."""
    df = store.query(
        f"SELECT {_COLUMNS} FROM user_sessions WHERE secret_digest = $d", {"d": secret_digest}
    )
    return df.row(0, named=True) if df.height else None


def session_by_id(store: Store, session_id: str) -> dict | None:
    df = store.query(
        f"SELECT {_COLUMNS} FROM user_sessions WHERE session_id = $id", {"id": session_id}
    )
    return df.row(0, named=True) if df.height else None


def list_sessions(
    store: Store,
    *,
    username: str | None = None,
    live_at: dt.datetime | None = None,
) -> pl.DataFrame:
    """Sessions, newest first; of one account if ``username``; with ``live_at``, only those
    neither revoked nor past their absolute end at that time (idle ones are still listed:
    the idle rule is the access layer's)."""
    where: list[str] = ["TRUE"]
    params: dict[str, object] = {}
    if username is not None:
        where.append("username = $u")
        params["u"] = username
    if live_at is not None:
        where.append("revoked_at IS NULL AND expires_at > $now")
        params["now"] = live_at
    return store.query(
        f"""SELECT {_COLUMNS} FROM user_sessions WHERE {" AND ".join(where)}
            ORDER BY created_at DESC, session_id""",
        params or None,
    )
