"""Accounts and the audit trail, as read for sign-in, lock-out and the admin page.

Password hashes are read only by :func:`get_user` (for verification), never by listings.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import polars as pl

from dashboard.store.engine import Store

if TYPE_CHECKING:  # pandera (and through it pandas) costs ~2 s to import: only where validating
    pass


USER_PUBLIC_COLUMNS = (
    "username",
    "email",
    "role",
    "source",
    "scope_provinces",
    "scope_regencies",
    "created_at",
    "updated_at",
)


def get_user(store: Store, username: str) -> dict | None:
    """One account by user name, including its password hash (for verification only)."""
    df = store.query("SELECT * FROM users WHERE username = $u", {"u": username})
    return df.row(0, named=True) if df.height else None


def get_user_by_email(store: Store, email: str) -> dict | None:
    """An account by e-mail (case-insensitive): OIDC sign-ins take role and scope from it."""
    df = store.query(
        "SELECT * FROM users WHERE lower(email) = lower($e) ORDER BY username LIMIT 1",
        {"e": email},
    )
    return df.row(0, named=True) if df.height else None


def list_users(store: Store) -> pl.DataFrame:
    """Every account without its password hash, plus whether one is set."""
    cols = ", ".join(USER_PUBLIC_COLUMNS)
    return store.query(
        f"SELECT {cols}, password_hash IS NOT NULL AS has_password FROM users ORDER BY username"
    )


def count_password_users(store: Store) -> int:
    """Accounts that can sign in with a password (local sign-in is configured when > 0)."""
    df = store.query("SELECT count(*) AS n FROM users WHERE password_hash IS NOT NULL")
    return int(df["n"][0])


def audit_rows(
    store: Store,
    *,
    since: dt.datetime | None = None,
    actions: tuple[str, ...] = (),
    limit: int | None = None,
) -> pl.DataFrame:
    """The audit trail, newest first."""
    params: dict = {"since": since or dt.datetime(1900, 1, 1)}
    where = "occurred_at >= $since"
    if actions:
        params["actions"] = list(actions)
        where += " AND action IN (SELECT unnest($actions))"
    sql = f"SELECT * FROM audit_log WHERE {where} ORDER BY occurred_at DESC, event_id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return store.query(sql, params)


def recent_signin_failures(
    store: Store, username: str, since: dt.datetime, limit: int
) -> list[dt.datetime]:
    """Times of the latest failed sign-ins for ``username`` since ``since``, newest first.

    Failures before the last success, unlock or password change do not count: the audit
    trail is the lock-out counter, so it survives restarts and spans sessions and processes.
    An attempt on an unknown account is recorded with its keyed name in ``target`` (the
    actor is a placeholder), so ``username`` may be that key: unknown names lock too.
    """
    df = store.query(
        f"""SELECT occurred_at FROM audit_log
            WHERE action = 'signin' AND outcome = 'failure' AND coalesce(target, actor) = $u
              AND occurred_at >= $since
              AND occurred_at > coalesce((
                  SELECT max(occurred_at) FROM audit_log
                  WHERE (action = 'signin' AND outcome = 'ok' AND actor = $u)
                     OR (action IN ('user.unlock', 'user.password', 'user.add')
                         AND outcome = 'ok' AND target = $u)
              ), TIMESTAMP '1900-01-01')
            ORDER BY occurred_at DESC LIMIT {int(limit)}""",
        {"u": username, "since": since},
    )
    return df["occurred_at"].to_list()
