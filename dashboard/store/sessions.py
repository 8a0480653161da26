"""Writes of server-side sessions: start one, hand its browser a secret, note activity,
end one or all of an account's. Each is one transaction; an ending and its audit row land
together. None changes a figure, so none bumps the data version (caches stay warm) and
none rebuilds the roster aggregates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from dashboard.store.engine import Store, count_of
from dashboard.store.writes import insert_frame


def create_session(store: Store, row: dict) -> None:
    """Insert one session row (validated against ``schemas.UserSessions``)."""
    with store.transaction(aggregates=False, bump_version=False) as con:
        insert_frame(con, "user_sessions", pl.DataFrame([row]))


def set_secret(store: Store, session_id: str, secret_digest: str, now: dt.datetime) -> bool:
    """Record the digest of the secret the browser was given: once, while the session is
    live. False when the session is ended, expired or already has one."""
    with store.transaction(aggregates=False, bump_version=False) as con:
        changed = count_of(
            con.execute(
                """UPDATE user_sessions SET secret_digest = $d, last_seen_at = $now
                   WHERE session_id = $id AND secret_digest IS NULL
                     AND revoked_at IS NULL AND expires_at > $now""",
                {"d": secret_digest, "id": session_id, "now": now},
            )
        )
    return changed > 0


def touch_session(store: Store, session_id: str, now: dt.datetime) -> None:
    """Note activity (the idle clock restarts); callers do it at most once a minute."""
    with store.transaction(aggregates=False, bump_version=False) as con:
        con.execute(
            """UPDATE user_sessions SET last_seen_at = $now
               WHERE session_id = $id AND revoked_at IS NULL AND last_seen_at < $now""",
            {"id": session_id, "now": now},
        )


def revoke_sessions(
    store: Store,
    session_ids: list[str],
    *,
    revoked_by: str,
    now: dt.datetime,
    audit: Callable[[list[str]], pl.DataFrame] | None = None,
) -> list[str]:
    """End the live sessions among ``session_ids``; returns those it ended. ``audit``
    builds the audit row from them, written only when one was ended."""
    if not session_ids:
        return []
    with store.transaction(aggregates=False, bump_version=False) as con:
        live = [
            str(r[0])
            for r in con.execute(
                """SELECT session_id FROM user_sessions
                   WHERE session_id IN (SELECT unnest($ids)) AND revoked_at IS NULL
                   ORDER BY session_id""",
                {"ids": session_ids},
            ).fetchall()
        ]
        if live:
            con.execute(
                """UPDATE user_sessions SET revoked_at = $now, revoked_by = $by
                   WHERE session_id IN (SELECT unnest($ids)) AND revoked_at IS NULL""",
                {"ids": live, "now": now, "by": revoked_by},
            )
            if audit is not None:
                insert_frame(con, "audit_log", audit(live))
    return live


def delete_ended_sessions(store: Store, before: dt.datetime) -> int:
    """Drop rows of sessions that ended (revoked or expired) before ``before``."""
    with store.transaction(aggregates=False, bump_version=False) as con:
        return count_of(
            con.execute(
                "DELETE FROM user_sessions WHERE revoked_at < $before OR expires_at < $before",
                {"before": before},
            )
        )
