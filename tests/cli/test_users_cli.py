"""``netralitas users`` / ``audit`` / ``serve --host`` as an administrator runs them."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from app_server import serve
from cli_inprocess import Completed, invoke

BIN = Path(sys.executable).with_name("netralitas")
PASSWORD = "Kata-Sandi-Panjang-1"


def run(*args: str, cwd: Path, stdin: str | None = None) -> Completed:
    # HOME and the working directory are the test's own: no real secrets.toml is picked up
    env = {"HOME": str(cwd), "NETRALITAS_STORE": str(cwd / "s.duckdb")}
    return invoke(*args, env=env, cwd=cwd, stdin=stdin)


def run_installed(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed entry point as a process: ``serve`` must refuse before it starts a
    server (in-process a missing refusal would start one and never return)."""
    env = {**os.environ, "HOME": str(cwd), "NETRALITAS_STORE": str(cwd / "s.duckdb")}
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, cwd=cwd, input="",
        timeout=300,
    )  # fmt: skip


def test_user_lifecycle_and_audit(tmp_path: Path) -> None:
    out = run(
        "users", "add", "Ani", "--role", "analyst", "--province", "17", "--password-stdin",
        cwd=tmp_path, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    out = run("users", "add", "kepala@bkd.go.id", "--role", "viewer", "--oidc", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    out = run("users", "set-role", "ani", "uploader", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    out = run("users", "set-scope", "ani", "--regency", "1706", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    out = run("users", "passwd", "ani", cwd=tmp_path, stdin=PASSWORD + "-baru\n")
    assert out.returncode == 0, out.stderr
    assert run("users", "unlock", "ani", cwd=tmp_path).returncode == 0

    listed = json.loads(run("users", "list", "--json", cwd=tmp_path).stdout)
    assert [(u["username"], u["role"], u["has_password"]) for u in listed] == [
        ("ani", "uploader", True),
        ("kepala@bkd.go.id", "viewer", False),
    ]
    assert listed[0]["regencies"] == ["1706"] and listed[0]["provinces"] == []
    assert "password_hash" not in listed[0]

    assert run("users", "remove", "kepala@bkd.go.id", cwd=tmp_path).returncode == 0
    missing = run("users", "remove", "nobody", cwd=tmp_path)
    assert missing.returncode == 1 and "no user" in missing.stderr

    log = json.loads(run("audit", "--json", cwd=tmp_path).stdout)
    assert [e["action"] for e in reversed(log)] == [
        "user.add",
        "user.add",
        "user.role",
        "user.scope",
        "user.password",
        "user.unlock",
        "user.remove",
    ]
    assert all(e["actor"].startswith("cli:") and e["channel"] == "cli" for e in log)
    assert PASSWORD not in json.dumps(log)

    out = run("audit", "--csv", str(tmp_path / "audit.csv"), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    with (tmp_path / "audit.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 7 and rows[-1]["action"] == "user.add" and rows[-1]["target"] == "ani"


def test_password_is_never_taken_from_the_command_line(tmp_path: Path) -> None:
    out = run("users", "add", "ani", "--role", "viewer", "--password", PASSWORD, cwd=tmp_path)
    assert out.returncode == 2 and "No such option" in out.stderr
    empty = run("users", "add", "ani", "--role", "viewer", cwd=tmp_path, stdin="")
    assert empty.returncode == 1 and "no password" in empty.stderr
    short = run("users", "add", "ani", "--role", "viewer", cwd=tmp_path, stdin="pendek\n")
    assert short.returncode == 1 and "at least" in short.stderr
    assert json.loads(run("users", "list", "--json", cwd=tmp_path).stdout) == []


def test_serve_on_open_address_without_sign_in_refuses(tmp_path: Path) -> None:
    out = run_installed("serve", "--host", "0.0.0.0", "--no-demo", cwd=tmp_path)
    assert out.returncode == 1
    assert "refusing to listen on 0.0.0.0" in out.stderr
    assert "sign-in is not configured" in out.stderr
    assert "Dashboard:" not in out.stderr
    # an OIDC-only account without a password does not count as sign-in configured
    run("users", "add", "kepala@bkd.go.id", "--role", "admin", "--oidc", cwd=tmp_path)
    out = run_installed("serve", "--host", "192.168.10.5", "--no-demo", cwd=tmp_path)
    assert out.returncode == 1 and "refusing to listen on 192.168.10.5" in out.stderr


def _starts(tmp_path: Path, host: str) -> bool:
    """Launch ``serve`` on ``host`` and report whether it answers (then stop it); a refusal
    fails in :func:`app_server.serve` with the server's log."""
    with serve(
        tmp_path / "s.duckdb", tmp_path, {"HOME": str(tmp_path)}, ("--host", host, "--no-demo")
    ):
        return True


@pytest.mark.server
@pytest.mark.parametrize("how", ["local", "oidc"])
def test_serve_on_open_address_starts_once_sign_in_is_configured(tmp_path: Path, how: str) -> None:
    if how == "local":
        out = run("users", "add", "admin", "--role", "admin", cwd=tmp_path, stdin=PASSWORD + "\n")
        assert out.returncode == 0, out.stderr
    else:
        (tmp_path / ".streamlit").mkdir()
        (tmp_path / ".streamlit" / "secrets.toml").write_text(
            "[auth]\n"
            'redirect_uri = "https://dasbor.bkd.go.id/oauth2callback"\n'
            'cookie_secret = "0123456789abcdef0123456789abcdef"\n'
            'client_id = "netralitas"\nclient_secret = "rahasia"\n'
            'server_metadata_url = "https://sso.bkd.go.id/.well-known/openid-configuration"\n'
        )
    assert _starts(tmp_path, "0.0.0.0")
