"""``netralitas users sessions`` / ``revoke-session`` as an administrator runs them."""

from __future__ import annotations

import json
from pathlib import Path

from test_users_cli import PASSWORD, run

from dashboard.access import auth
from dashboard.access import sessions as ses
from dashboard.store.database import Store


def test_list_and_revoke_sessions(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.duckdb")
    auth.add_user(store, "ani", "analyst", password=PASSWORD, actor="t")
    auth.add_user(store, "budi", "viewer", password=PASSWORD, actor="t")
    chrome = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36"
    a1 = ses.start(store, "ani", user_agent=chrome)
    a2 = ses.start(store, "ani")
    b1 = ses.start(store, "budi")
    secret = ses.issue_secret(store, a1)
    assert secret is not None

    out = run("users", "sessions", "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    listed = json.loads(out.stdout)
    assert sorted(r["session_id"] for r in listed) == sorted([a1, a2, b1])
    assert {r["state"] for r in listed} == {"live"}
    assert next(r for r in listed if r["session_id"] == a1)["user_agent"] == "Chrome 131, Linux"
    assert secret.secret not in out.stdout and "secret_digest" not in out.stdout
    only_ani = json.loads(run("users", "sessions", "ani", "--json", cwd=tmp_path).stdout)
    assert sorted(r["session_id"] for r in only_ani) == sorted([a1, a2])

    out = run("users", "revoke-session", a1, "--json", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"revoked": [a1]}
    assert ses.restore(store, secret.secret).reason == ses.REVOKED
    again = run("users", "revoke-session", a1, cwd=tmp_path)
    assert again.returncode == 1 and "no live session" in again.stderr

    out = run("users", "revoke-session", "--user", "ani", "--json", cwd=tmp_path)
    assert json.loads(out.stdout) == {"revoked": [a2]}
    live = json.loads(run("users", "sessions", "--json", cwd=tmp_path).stdout)
    assert [r["session_id"] for r in live] == [b1]
    ended = json.loads(run("users", "sessions", "ani", "--all", "--json", cwd=tmp_path).stdout)
    assert {(r["session_id"], r["state"]) for r in ended} == {(a1, "revoked"), (a2, "revoked")}
    assert all(r["revoked_by"].startswith("cli:") for r in ended)

    usage = run("users", "revoke-session", cwd=tmp_path)
    assert usage.returncode == 2

    log = json.loads(run("audit", "--json", "--action", "session.revoke", cwd=tmp_path).stdout)
    details = [json.loads(e["detail"]) for e in reversed(log)]
    assert details == [
        {"sessions": [a1], "count": 1, "accounts": ["ani"]},
        {"sessions": [a2], "count": 1, "accounts": ["ani"]},
    ]
    assert {(e["target"], e["channel"]) for e in log} == {("ani", "cli")}
    assert all(e["actor"].startswith("cli:") for e in log)
