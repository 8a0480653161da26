"""Server-side sessions: the rules (absolute end, idle time, once-a-minute activity) and
the rows in a real store (start, hand out a secret, restore, end, end everywhere)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dashboard.access import audit, auth
from dashboard.access import sessions as ses
from dashboard.queries import sessions as read
from dashboard.store.database import Store

T0 = dt.datetime(2026, 12, 1, 8, 0, 0)
POLICY = ses.SessionPolicy(lifetime=dt.timedelta(hours=12), idle=dt.timedelta(minutes=30))
PASSWORD = "kata-sandi-panjang-1"


def _row(**kw: object) -> dict:
    base = {
        "session_id": "s-0123456789abcdef",
        "username": "ani",
        "created_at": T0,
        "last_seen_at": T0,
        "expires_at": T0 + POLICY.lifetime,
        "revoked_at": None,
        "revoked_by": None,
    }
    return {**base, **kw}


def test_a_fresh_session_is_accepted() -> None:
    assert ses.refusal(_row(), T0 + dt.timedelta(minutes=29), POLICY) is None


def test_idle_for_the_idle_time_ends_it() -> None:
    assert ses.refusal(_row(), T0 + dt.timedelta(minutes=30), POLICY) == ses.IDLE
    seen = T0 + dt.timedelta(hours=2)
    assert ses.refusal(_row(last_seen_at=seen), seen + dt.timedelta(minutes=29), POLICY) is None


def test_the_absolute_end_holds_however_active() -> None:
    end = T0 + POLICY.lifetime
    active = _row(last_seen_at=end - dt.timedelta(seconds=1))
    assert ses.refusal(active, end - dt.timedelta(seconds=1), POLICY) is None
    assert ses.refusal(active, end, POLICY) == ses.EXPIRED


def test_an_ended_session_says_who_ended_it() -> None:
    later = T0 + dt.timedelta(minutes=1)
    assert ses.refusal(_row(revoked_at=later, revoked_by="ani"), later, POLICY) == ses.SIGNED_OUT
    by_admin = _row(revoked_at=later, revoked_by="cli:root")
    assert ses.refusal(by_admin, later, POLICY) == ses.REVOKED


def test_activity_is_written_at_most_once_a_minute() -> None:
    assert not ses.touch_due(T0, T0 + dt.timedelta(seconds=59))
    assert ses.touch_due(T0, T0 + dt.timedelta(seconds=60))


def test_cookie_max_age_is_the_lifetime_left() -> None:
    assert ses.max_age(T0 + POLICY.lifetime, T0) == 12 * 3600
    assert ses.max_age(T0, T0 + dt.timedelta(hours=1)) == 0


def test_policy_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert ses.policy_from_env() == ses.SessionPolicy(
        dt.timedelta(hours=12), dt.timedelta(minutes=30)
    )
    monkeypatch.setenv(ses.ENV_SESSION_HOURS, "8")
    monkeypatch.setenv(ses.ENV_SESSION_IDLE_MINUTES, "5")
    assert ses.policy_from_env() == ses.SessionPolicy(
        dt.timedelta(hours=8), dt.timedelta(minutes=5)
    )
    monkeypatch.setenv(ses.ENV_SESSION_IDLE_MINUTES, "-1")
    assert ses.policy_from_env().idle == dt.timedelta(minutes=30)


def test_user_agent_is_summarised() -> None:
    chrome = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    )
    assert ses.user_agent_summary(chrome) == "Chrome 131, Windows"
    edge = chrome + " Edg/131.0.2903.86"
    assert ses.user_agent_summary(edge) == "Edge 131, Windows"
    safari = (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    )
    assert ses.user_agent_summary(safari) == "Safari 17, iOS"
    assert ses.user_agent_summary(None) is None


# -- in the store ---------------------------------------------------------------------------------


@pytest.fixture
def accounts(store: Store) -> Store:
    auth.add_user(store, "ani", "analyst", password=PASSWORD, provinces=["17"], actor="t")
    auth.add_user(store, "budi", "viewer", password=PASSWORD, actor="t")
    return store


def _started(store: Store, username: str = "ani", at: dt.datetime = T0) -> tuple[str, str]:
    sid = ses.start(
        store, username, user_agent="Mozilla/5.0 (X11; Linux) Chrome/131.0", policy=POLICY, now=at
    )
    issued = ses.issue_secret(store, sid, now=at)
    assert issued is not None and issued.max_age == 12 * 3600
    return sid, issued.secret


def test_a_started_session_is_restored_by_its_secret_only(accounts: Store) -> None:
    sid, secret = _started(accounts)
    raw = accounts.query("SELECT * FROM user_sessions")
    assert raw.height == 1 and raw["session_id"][0] == sid
    assert raw["secret_digest"][0] == ses.secret_digest(secret) != secret
    assert secret not in raw.write_csv()  # the secret is never stored
    assert raw["user_agent"][0] == "Chrome 131, Linux"
    assert raw["expires_at"][0] == T0 + POLICY.lifetime

    got = ses.restore(accounts, secret, policy=POLICY, now=T0 + dt.timedelta(minutes=5))
    assert got.reason is None and got.user is not None
    assert (got.user.username, got.user.role, got.user.provinces) == ("ani", "analyst", ("17",))
    assert ses.restore(accounts, secret + "x", policy=POLICY, now=T0).reason == ses.UNKNOWN
    # a secret is given once: a second ask (another browser with the ticket) gets none
    assert ses.issue_secret(accounts, sid, now=T0) is None


def test_restoring_writes_activity_once_a_minute_and_idle_ends_it(accounts: Store) -> None:
    sid, secret = _started(accounts)

    def seen() -> dt.datetime:
        return read.session_by_id(accounts, sid)["last_seen_at"]

    ses.restore(accounts, secret, policy=POLICY, now=T0 + dt.timedelta(seconds=30))
    assert seen() == T0  # not yet a minute: nothing written
    ses.restore(accounts, secret, policy=POLICY, now=T0 + dt.timedelta(minutes=20))
    assert seen() == T0 + dt.timedelta(minutes=20)
    later = T0 + dt.timedelta(minutes=49)
    assert ses.restore(accounts, secret, policy=POLICY, now=later).reason is None
    idle = later + dt.timedelta(minutes=30)
    assert ses.restore(accounts, secret, policy=POLICY, now=idle).reason == ses.IDLE


def test_role_and_scope_come_from_the_account_now(accounts: Store) -> None:
    _, secret = _started(accounts)
    auth.set_role(accounts, "ani", "viewer", actor="admin")
    auth.set_scope(accounts, "ani", regencies=["1706"], actor="admin")
    user = ses.restore(accounts, secret, policy=POLICY, now=T0).user
    assert user is not None and (user.role, user.regencies) == ("viewer", ("1706",))
    auth.remove_user(accounts, "ani", actor="admin")
    assert ses.restore(accounts, secret, policy=POLICY, now=T0).reason == ses.NO_ACCOUNT


def test_ending_one_and_ending_everywhere_are_audited(accounts: Store) -> None:
    a1, s1 = _started(accounts)
    a2, s2 = _started(accounts, at=T0 + dt.timedelta(minutes=1))
    b1, sb = _started(accounts, "budi")
    now = T0 + dt.timedelta(minutes=2)
    assert ses.end(accounts, [a1], actor="cli:root", channel="cli", now=now) == [a1]
    assert ses.restore(accounts, s1, policy=POLICY, now=now).reason == ses.REVOKED
    assert ses.restore(accounts, s2, policy=POLICY, now=now).reason is None
    assert ses.end(accounts, [a1], actor="cli:root", now=now) == []  # already ended

    ended = ses.end_all(accounts, "ani", actor="ani", action="signout", now=now)
    assert ended == [a2]
    assert ses.restore(accounts, s2, policy=POLICY, now=now).reason == ses.SIGNED_OUT
    assert ses.restore(accounts, sb, policy=POLICY, now=now).reason is None  # budi's stays

    live = read.list_sessions(accounts, live_at=now)
    assert live["session_id"].to_list() == [b1]
    assert "secret_digest" not in read.list_sessions(accounts).columns

    log = audit.log(accounts, actions=("session.revoke", "signout"))
    events = [
        (e["action"], e["actor"], e["target"], json.loads(e["detail"])) for e in log.to_dicts()
    ]
    assert sorted(events, key=lambda e: e[0]) == [
        ("session.revoke", "cli:root", "ani", {"sessions": [a1], "count": 1, "accounts": ["ani"]}),
        ("signout", "ani", "ani", {"sessions": [a2], "count": 1, "accounts": ["ani"]}),
    ]
    text = accounts.query("SELECT * FROM audit_log").write_csv()
    assert all(s not in text and ses.secret_digest(s) not in text for s in (s1, s2, sb))


def test_a_secret_is_not_given_to_an_ended_session(accounts: Store) -> None:
    sid = ses.start(accounts, "ani", policy=POLICY, now=T0)
    ses.end(accounts, [sid], actor="ani", now=T0)
    assert ses.issue_secret(accounts, sid, now=T0) is None


def test_a_new_password_or_a_removed_account_ends_its_sessions(accounts: Store) -> None:
    from dashboard.access import service

    caller = service.cli_caller()
    _, ani = _started(accounts, at=ses.utc_now())
    _, budi = _started(accounts, "budi", at=ses.utc_now())
    service.set_password(accounts, caller, "ani", PASSWORD + "-baru")
    assert ses.restore(accounts, ani, policy=POLICY).reason == ses.REVOKED
    assert ses.restore(accounts, budi, policy=POLICY).reason is None
    service.remove_user(accounts, caller, "budi")
    assert ses.restore(accounts, budi, policy=POLICY).reason == ses.REVOKED
    reasons = [
        json.loads(e["detail"])["reason"]
        for e in audit.log(accounts, actions=("session.revoke",)).to_dicts()
    ]
    assert sorted(reasons) == ["account_removed", "password_changed"]
