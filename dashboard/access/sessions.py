"""Server-side sessions of local accounts: the rules (absolute end, idle time) and
starting, restoring and ending one (no Streamlit).

Why a session row: a local sign-in used to live only in the Streamlit session's memory,
so a reload asked for the password again and another app process behind a load balancer
did not know the user. A row in the store, found by the digest of a browser secret, can
be checked by any process, and ended by the person, everywhere, or by an administrator.

How the browser holds it (``dashboard.web.asgi``, ``dashboard.web.session``): a second
cookie, :data:`SESSION_COOKIE`, apart from the per-browser bind cookie. The bind cookie
exists before anyone signs in, so a value planted in a victim's browser (a sibling
subdomain can set cookies) would become the victim's session once they signed in if it
were the secret (session fixation). The session secret is therefore made at sign-in, by
the app server, and never seen by the page: after the password is verified the run offers
a one-time ticket (60 s, bound to the bind cookie, in this process's memory); the page
fetches ``_netralitas/session?t=TICKET`` from the same origin, and that response sets
the cookie (HttpOnly, SameSite=Strict, Path=/, Secure on https or behind a trusted
proxy that says https, Max-Age = the session's remaining absolute lifetime). Only its
sha256 digest is stored. The ticket alone is useless without the browser's bind cookie,
and it opens nothing once used or after 60 s.

Every run re-checks the row (ended, past its absolute end, idle too long) and takes role
and scope from the users table; a removed account, or one without a password, ends it.
Activity is written at most once a minute (:data:`TOUCH_SECONDS`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from dashboard.access import audit
from dashboard.access.auth import User
from dashboard.queries import accounts
from dashboard.queries import sessions as read
from dashboard.store import sessions as write
from dashboard.store.engine import Store

SESSION_COOKIE = "netralitas_session"
ENV_SESSION_HOURS = "NETRALITAS_SESSION_HOURS"
ENV_SESSION_IDLE_MINUTES = "NETRALITAS_SESSION_IDLE_MINUTES"
TOUCH_SECONDS = 60.0  # activity is written at most this often
KEEP_ENDED_DAYS = 30  # ended sessions stay listed this long

REVOKED = "revoked"  # ended by an administrator, or by the person elsewhere
SIGNED_OUT = "signed_out"  # ended by this account itself
EXPIRED = "expired"
IDLE = "idle"
UNKNOWN = "unknown"  # no such session (a stale or forged cookie)
NO_ACCOUNT = "no_account"  # the account was removed or has no password any more


@dataclass(frozen=True)
class SessionPolicy:
    """A session ends ``lifetime`` after sign-in, or after ``idle`` without activity."""

    lifetime: dt.timedelta = dt.timedelta(hours=12)
    idle: dt.timedelta = dt.timedelta(minutes=30)


def _positive(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def policy_from_env() -> SessionPolicy:
    """``NETRALITAS_SESSION_HOURS`` (default 12) and ``NETRALITAS_SESSION_IDLE_MINUTES``
    (default 30); a value that is not a positive number keeps the default."""
    base = SessionPolicy()
    return SessionPolicy(
        lifetime=dt.timedelta(
            hours=_positive(ENV_SESSION_HOURS, base.lifetime.total_seconds() / 3600)
        ),
        idle=dt.timedelta(
            minutes=_positive(ENV_SESSION_IDLE_MINUTES, base.idle.total_seconds() / 60)
        ),
    )


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# -- the pure rules ------------------------------------------------------------------------------


def refusal(row: Mapping, now: dt.datetime, policy: SessionPolicy) -> str | None:
    """Why the session ``row`` no longer signs anyone in (None: it does)."""
    if row.get("revoked_at") is not None:
        return SIGNED_OUT if row.get("revoked_by") == row.get("username") else REVOKED
    if now >= row["expires_at"]:
        return EXPIRED
    if now - row["last_seen_at"] >= policy.idle:
        return IDLE
    return None


def touch_due(last_seen: dt.datetime, now: dt.datetime) -> bool:
    """Whether activity must be written now (at most once a minute)."""
    return (now - last_seen).total_seconds() >= TOUCH_SECONDS


def max_age(expires_at: dt.datetime, now: dt.datetime) -> int:
    """The cookie's Max-Age: the seconds left of the session's absolute lifetime."""
    return max(0, int((expires_at - now).total_seconds()))


def secret_digest(secret: str) -> str:
    """What is stored of the browser's secret (never the secret itself)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_session_id() -> str:
    return f"s-{secrets.token_hex(8)}"


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"))
_SYSTEMS = (
    ("Windows", "Windows"),
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iOS"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def user_agent_summary(user_agent: str | None) -> str | None:
    """``Chrome 131, Linux``: enough to tell one's devices apart in a listing, not the full
    header (which helps fingerprint a person)."""
    if not user_agent:
        return None
    browser = next(
        (
            f"{name} {m.group(1)}"
            for token, name in _BROWSERS
            if (m := re.search(re.escape(token) + r"(\d+)", user_agent))
        ),
        None,
    )
    if browser is None and "Safari/" in user_agent:
        m = re.search(r"Version/(\d+)", user_agent)
        browser = f"Safari {m.group(1)}" if m else "Safari"
    system = next((name for token, name in _SYSTEMS if token in user_agent), None)
    parts = [p for p in (browser, system) if p]
    return ", ".join(parts) if parts else "?"


# -- starting, restoring, ending -----------------------------------------------------------------


def start(
    store: Store,
    username: str,
    *,
    user_agent: str | None = None,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> str:
    """A new session row for a verified sign-in (no secret yet); returns its id.

    Rows of sessions that ended more than :data:`KEEP_ENDED_DAYS` ago are dropped.
    """
    policy = policy or policy_from_env()
    now = now or utc_now()
    write.delete_ended_sessions(store, now - dt.timedelta(days=KEEP_ENDED_DAYS))
    session_id = new_session_id()
    write.create_session(
        store,
        {
            "session_id": session_id,
            "username": username,
            "secret_digest": None,
            "created_at": now,
            "last_seen_at": now,
            "expires_at": now + policy.lifetime,
            "revoked_at": None,
            "revoked_by": None,
            "user_agent": user_agent_summary(user_agent),
        },
    )
    return session_id


@dataclass(frozen=True)
class Issued:
    """A secret for the browser's cookie, and how long the cookie may live."""

    secret: str
    max_age: int


def issue_secret(store: Store, session_id: str, now: dt.datetime | None = None) -> Issued | None:
    """A fresh secret for a live session that has none yet (only its digest is stored);
    None when the session ended or already gave one out."""
    now = now or utc_now()
    secret = secrets.token_urlsafe(32)
    if not write.set_secret(store, session_id, secret_digest(secret), now):
        return None
    row = read.session_by_id(store, session_id)
    return Issued(secret, max_age(row["expires_at"], now)) if row else None


@dataclass(frozen=True)
class Check:
    """A session looked at now: its row and user, or why it signs nobody in."""

    reason: str | None
    row: dict | None = None
    user: User | None = None


def check(
    store: Store,
    row: dict | None,
    *,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> Check:
    """The session ``row`` against the rules and the users table (role and scope now); a
    live one has its activity written when due."""
    policy = policy or policy_from_env()
    now = now or utc_now()
    if row is None:
        return Check(UNKNOWN)
    reason = refusal(row, now, policy)
    if reason is not None:
        return Check(reason, row)
    account = accounts.get_user(store, row["username"])
    if account is None or not account.get("password_hash"):
        return Check(NO_ACCOUNT, row)
    if touch_due(row["last_seen_at"], now):
        write.touch_session(store, row["session_id"], now)
    return Check(None, row, User.from_row(account))


def restore(
    store: Store,
    secret: str,
    *,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> Check:
    """The session a browser's cookie secret names, checked (see :func:`check`)."""
    return check(
        store, read.session_by_digest(store, secret_digest(secret)), policy=policy, now=now
    )


def check_id(
    store: Store,
    session_id: str,
    *,
    policy: SessionPolicy | None = None,
    now: dt.datetime | None = None,
) -> Check:
    return check(store, read.session_by_id(store, session_id), policy=policy, now=now)


def end(
    store: Store,
    session_ids: list[str],
    *,
    actor: str,
    action: str = "session.revoke",
    channel: str = "web",
    ip: str | None = None,
    detail: Mapping[str, object] | None = None,
    now: dt.datetime | None = None,
) -> list[str]:
    """End these sessions (those still live); one audit event names the ones ended, their
    accounts and who ended them (ids only: no secret, no digest)."""
    now = now or utc_now()
    owners = read.list_sessions(store).filter(pl.col("session_id").is_in(session_ids))
    names = sorted(set(owners["username"].to_list()))

    def event(ended: list[str]) -> pl.DataFrame:
        return audit.rows(
            action,
            actor=actor,
            target=names[0] if len(names) == 1 else None,
            detail={**(detail or {}), "sessions": ended, "count": len(ended), "accounts": names},
            channel=channel,
            ip=ip,
            at=now,
        )

    return write.revoke_sessions(store, session_ids, revoked_by=actor, now=now, audit=event)


def end_all(
    store: Store,
    username: str,
    *,
    actor: str,
    action: str = "session.revoke",
    channel: str = "web",
    ip: str | None = None,
    detail: Mapping[str, object] | None = None,
    now: dt.datetime | None = None,
) -> list[str]:
    """End every live session of ``username`` (see :func:`end`)."""
    now = now or utc_now()
    live = read.list_sessions(store, username=username, live_at=now)["session_id"].to_list()
    return end(
        store, live, actor=actor, action=action, channel=channel, ip=ip, detail=detail, now=now
    )
