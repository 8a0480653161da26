"""Roles, scope, passwords and lock-out against a real store (no Streamlit)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from dashboard import queries
from dashboard.access import audit, auth
from dashboard.queries.accounts import get_user
from dashboard.store.database import Store
from schemas.vocab import ROLES

PASSWORD = "kata-sandi-rahasia-17"
FAST = auth.LockoutPolicy(max_failures=3, window=dt.timedelta(minutes=15))


# -- permission matrix -----------------------------------------------------------------------


def test_permission_matrix_is_cumulative_and_exact() -> None:
    expected = {
        "viewer": {auth.VIEW_AGGREGATES},
        "analyst": {
            auth.VIEW_AGGREGATES,
            auth.VIEW_PERSONAL_DATA,
            auth.DOWNLOAD_PERSONAL_DATA,
            auth.LETTERS_WITH_NAMES,
            auth.FOLLOWUP_ACT,
        },
        "uploader": {
            auth.VIEW_AGGREGATES,
            auth.VIEW_PERSONAL_DATA,
            auth.DOWNLOAD_PERSONAL_DATA,
            auth.FOLLOWUP_ACT,
            auth.UPLOAD,
            auth.ROLLBACK,
        },
        "admin": set(auth.ACTIONS),
    }
    for role in ROLES:
        assert {a for a in auth.ACTIONS if auth.can(role, a)} == expected[role], role
    assert not any(auth.can(None, a) for a in auth.ACTIONS)
    assert not any(auth.can("superuser", a) for a in auth.ACTIONS)
    with pytest.raises(ValueError):
        auth.can("admin", "launch_rockets")


# -- personal data -----------------------------------------------------------------------------


def test_mask_nip_keeps_six_and_two() -> None:
    assert auth.mask_nip("198001012005011001") == "198001**********01"
    assert auth.mask_nip(None) is None
    assert auth.mask_nip("1234") == "****"


def test_mask_nip_expression_matches_the_function() -> None:
    nips = ["198001012005011001", "196512311990032002", "12345678", "123", None]
    out = pl.DataFrame({"nip": nips}).select(auth.mask_nip_expr("nip"))["nip"].to_list()
    assert out == [auth.mask_nip(n) for n in nips]
    assert out[1] == "196512**********02"


# -- passwords ----------------------------------------------------------------------------------


def test_password_is_stored_as_argon2id_hash_only(store: Store) -> None:
    auth.add_user(store, "Ani", "analyst", password=PASSWORD, actor="test")
    row = get_user(store, "ani")
    assert row is not None
    assert row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]
    assert auth.verify_password(row["password_hash"], PASSWORD)
    assert not auth.verify_password(row["password_hash"], PASSWORD + "x")
    assert not auth.verify_password(None, PASSWORD)


def test_short_password_and_bad_names_are_refused(store: Store) -> None:
    with pytest.raises(ValueError, match="at least"):
        auth.add_user(store, "budi", "viewer", password="short", actor="test")
    with pytest.raises(ValueError, match="user name"):
        auth.add_user(store, "a b", "viewer", password=PASSWORD, actor="test")
    with pytest.raises(ValueError, match="role"):
        auth.add_user(store, "budi", "boss", password=PASSWORD, actor="test")
    with pytest.raises(ValueError, match="code"):
        auth.add_user(store, "budi", "viewer", password=PASSWORD, provinces=["Bengkulu"], actor="t")
    assert store.query("SELECT count(*) AS n FROM users")["n"][0] == 0


# -- lock-out -----------------------------------------------------------------------------------


def _signins(store: Store) -> pl.DataFrame:
    return audit.log(store, actions=("signin",)).sort("occurred_at")


def test_brute_force_is_locked_out_and_audited(store: Store) -> None:
    auth.add_user(store, "ani", "analyst", password=PASSWORD, actor="test")
    results = [
        auth.authenticate(store, "ani", f"tebakan-{i}", ip="10.1.2.3", policy=FAST)
        for i in range(3)
    ]
    assert [r.status for r in results] == ["failure", "failure", "locked"]
    # the right password does not get in while locked, and is not even checked
    late = auth.authenticate(store, "ani", PASSWORD, ip="10.1.2.3", policy=FAST)
    assert late.status == "locked" and late.user is None
    assert late.locked_until is not None
    log = _signins(store)
    assert log["outcome"].to_list() == ["failure", "failure", "failure", "locked"]
    assert set(log["actor"]) == {"ani"}
    assert set(log["ip"]) == {"10.1.2.3"}


def test_lockout_is_in_the_store_not_the_process(store: Store) -> None:
    auth.add_user(store, "ani", "analyst", password=PASSWORD, actor="test")
    for _ in range(3):
        auth.authenticate(store, "ani", "salah-salah-salah", policy=FAST)
    reopened = Store(store.path)  # a restarted app / another session sees the same counter
    assert auth.authenticate(reopened, "ani", PASSWORD, policy=FAST).status == "locked"


def test_lockout_ends_after_the_window_and_on_unlock(store: Store) -> None:
    auth.add_user(store, "ani", "analyst", password=PASSWORD, actor="test")
    for _ in range(3):
        auth.authenticate(store, "ani", "salah-salah-salah", policy=FAST)
    until = auth.locked_until(store, "ani", FAST)
    assert until is not None
    assert auth.locked_until(store, "ani", FAST, now=until + dt.timedelta(seconds=1)) is None
    auth.unlock_user(store, "ani", actor="admin")
    ok = auth.authenticate(store, "ani", PASSWORD, policy=FAST)
    assert ok.status == "ok" and ok.user is not None and ok.user.role == "analyst"


def test_success_resets_the_failure_count(store: Store) -> None:
    auth.add_user(store, "ani", "analyst", password=PASSWORD, actor="test")
    for _ in range(2):
        auth.authenticate(store, "ani", "salah-salah-salah", policy=FAST)
    assert auth.authenticate(store, "ani", PASSWORD, policy=FAST).status == "ok"
    for _ in range(2):
        assert auth.authenticate(store, "ani", "salah-salah-salah", policy=FAST).status == "failure"


def test_unknown_user_name_is_not_recorded(store: Store) -> None:
    # people type their password into the user-name field: it must not land in the log
    result = auth.authenticate(store, "MyS3cretPassw0rd", "whatever")
    assert result.status == "failure"
    log = _signins(store)
    assert log["actor"].to_list() == [auth.UNKNOWN_ACTOR]
    assert not log.select(pl.all().cast(pl.String).str.contains("(?i)mys3cret").any()).row(0)[0]


# -- scope --------------------------------------------------------------------------------------


BENGKULU = auth.User("bengkulu", "analyst", provinces=("17",))
MUKOMUKO = auth.User("mukomuko", "analyst", regencies=("1706",))


def test_scope_is_applied_whatever_the_request(demo_store: Store) -> None:
    asked = queries.Filters(provinces=("62", "17"), regencies=("6271",))
    f = auth.scope_filters(BENGKULU, asked)
    assert (f.provinces, f.regencies, f.scope_provinces) == (("17",), (), ("17",))
    by_prov = queries.summary(demo_store, f, "provinsi")
    assert by_prov["code"].to_list() == ["17"]
    national = queries.summary(demo_store, queries.Filters(), "provinsi")
    row17 = national.filter(pl.col("code") == "17")
    assert by_prov.select("target", "signed").row(0) == row17.select("target", "signed").row(0)
    by_kab = queries.summary(
        demo_store, auth.scope_filters(BENGKULU, queries.Filters()), "kabupaten"
    )
    assert "1706" in by_kab["code"].to_list()
    assert not by_kab["code"].str.starts_with("62").any()
    assert set(by_kab["province_code"]) == {"17"}


def test_regency_scope_hides_the_rest_of_the_province(demo_store: Store) -> None:
    f = auth.scope_filters(MUKOMUKO, queries.Filters())
    assert f.scope_provinces == ("17",) and f.scope_regencies == ("1706",)
    agencies = queries.summary(demo_store, f, "instansi")
    raw = demo_store.table("agencies").filter(pl.col("regency_code") == "1706")["agency_id"]
    assert agencies.height > 0
    assert set(agencies["code"]) <= set(raw)
    assert set(agencies["regency_code"]) == {"1706"}
    # the same agencies as the national view restricted to 1706 by hand
    national = queries.summary(demo_store, queries.Filters(), "instansi")
    assert set(agencies["code"]) == set(national.filter(pl.col("regency_code") == "1706")["code"])


def test_national_user_is_not_scoped() -> None:
    f = auth.scope_filters(auth.User("pusat", "viewer"), queries.Filters(provinces=("62",)))
    assert f.scope_provinces is None and f.scope_regencies is None and f.provinces == ("62",)


def test_normalise_scope_drops_regencies_inside_whole_provinces() -> None:
    assert auth.normalise_scope(["17", "17"], ["17.06", "6271"]) == (("17",), ("6271",))
    u = auth.User("x", "viewer", provinces=("17",), regencies=("6271",))
    assert u.visible_provinces == ("17", "62")
    assert u.sees_regency("1706") and u.sees_regency("6271") and not u.sees_regency("6201")


def test_upload_rows_outside_scope_are_split_off() -> None:
    df = pl.DataFrame(
        {
            "province_code": ["17", "17", "62", "17", "62"],
            "regency_code": ["1706", None, "6271", "1701", "6201"],
        }
    )
    inside, outside = auth.split_by_scope(MUKOMUKO, df)
    assert inside.rows() == [("17", "1706")]
    assert outside.height == 4
    inside, outside = auth.split_by_scope(BENGKULU, df)
    assert inside["regency_code"].to_list() == ["1706", None, "1701"]
    assert outside["province_code"].to_list() == ["62", "62"]
    inside, outside = auth.split_by_scope(auth.User("pusat", "uploader"), df)
    assert inside.height == 5 and outside.height == 0


# -- configuration and OIDC -----------------------------------------------------------------

OIDC_SECRETS = {
    "auth": {
        "redirect_uri": "https://dash.example.go.id/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "netralitas",
        "client_secret": "s",
        "server_metadata_url": "https://sso.example.go.id/.well-known/openid-configuration",
    }
}


def test_sign_in_mode(store: Store, tmp_path: Path) -> None:
    assert auth.sign_in_mode(store, {}) == auth.MODE_SINGLE
    assert auth.sign_in_mode(store, OIDC_SECRETS) == auth.MODE_OIDC
    named = {"auth": {**OIDC_SECRETS["auth"]}}
    named["auth"]["keycloak"] = {
        k: named["auth"].pop(k) for k in ("client_id", "client_secret", "server_metadata_url")
    }
    assert auth.sign_in_mode(store, named) == auth.MODE_OIDC
    assert auth.sign_in_mode(store, {"auth": {"client_id": "x"}}) == auth.MODE_SINGLE
    # an OIDC-only account (no password) does not configure local sign-in
    auth.add_user(store, "kepala@bkd.go.id", "viewer", source=auth.SOURCE_OIDC, actor="t")
    assert auth.sign_in_mode(store, {}) == auth.MODE_SINGLE
    auth.add_user(store, "ani", "viewer", password=PASSWORD, actor="t")
    assert auth.sign_in_mode(store, {}) == auth.MODE_LOCAL
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    secrets.parent.mkdir()
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "https://d/oauth2callback"\ncookie_secret = "abcdefghijklmnopqrstuvwxyz"\n'
        'client_id = "c"\nclient_secret = "s"\nserver_metadata_url = "https://i/.well-known"\n'
    )
    assert auth.oidc_configured(auth.read_secrets([secrets]))


@pytest.mark.parametrize(
    ("host", "loop"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.1.1", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.10", False),
        ("dashboard.bkd.go.id", False),
    ],
)
def test_is_loopback(host: str, loop: bool) -> None:
    assert auth.is_loopback(host) is loop


def test_oidc_role_and_scope_from_claims(store: Store) -> None:
    claims = {
        "email": "Staf@Bengkulu.go.id",
        "email_verified": True,
        "netralitas_role": "analyst",
        "netralitas_scope": "17",
    }
    u = auth.oidc_user(store, claims, role_claim="netralitas_role", scope_claim="netralitas_scope")
    assert u is not None
    assert (u.username, u.role, u.provinces, u.source) == (
        "staf@bengkulu.go.id",
        "analyst",
        ("17",),
        "oidc",
    )
    groups = {
        "email": "a@b.id",
        "email_verified": True,
        "groups": ["viewer", "uploader", "other"],
        "wil": ["1706"],
    }
    u = auth.oidc_user(store, groups, role_claim="groups", scope_claim="wil")
    assert u is not None and u.role == "uploader" and u.regencies == ("1706",)
    assert auth.oidc_user(store, {"email": "a@b.id"}, role_claim="r", scope_claim="s") is None
    bad_scope = {"email": "a@b.id", "email_verified": True, "r": "admin", "s": "Bengkulu"}
    assert auth.oidc_user(store, bad_scope, role_claim="r", scope_claim="s") is None


def test_oidc_user_table_wins_over_claims(store: Store) -> None:
    auth.add_user(
        store, "kepala@bkd.go.id", "viewer", source=auth.SOURCE_OIDC, provinces=["62"], actor="t"
    )
    claims = {"email": "KEPALA@bkd.go.id", "email_verified": True, "netralitas_role": "admin"}
    u = auth.oidc_user(store, claims, role_claim="netralitas_role", scope_claim="netralitas_scope")
    assert u is not None and (u.role, u.provinces) == ("viewer", ("62",))
