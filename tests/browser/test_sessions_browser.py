"""Server-side sessions in a real browser: a local sign-in survives a reload, the session
cookie has the flags it should, and a session ended from the command line, or left idle,
or past its absolute end, shows the sign-in form (with the reason) on the next rerun.

Screenshots go to ``tests/artifacts/screenshots/session-*.png``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from app_server import Server, serve
from browser_harness import RENDER_TIMEOUT_MS, App, contexts
from cli_inprocess import invoke

from dashboard import i18n
from dashboard.access import auth
from dashboard.access import sessions as ses
from dashboard.install import builtin
from dashboard.store.database import Store

pytestmark = pytest.mark.browser

ACCOUNTS = {"sesi.a": "sesi-rahasia-aa", "sesi.b": "sesi-rahasia-bb", "sesi.c": "sesi-rahasia-cc"}


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


@pytest.fixture(scope="module")
def sessions_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("browser_sessions")
    store = Store(tmp / "store.duckdb")
    builtin.install(store, n_officials=2_000)
    for name, password in ACCOUNTS.items():
        auth.add_user(store, name, "viewer", password=password, actor="test")
    with serve(store.path, tmp, {"HOME": str(tmp)}) as server:
        yield server


@pytest.fixture
def browse(sessions_server: Server, browser: object) -> Iterator[Callable[[], App]]:
    with contexts(browser, sessions_server) as open_one:
        yield open_one


def _sign_in(app: App, username: str) -> None:
    app.goto()
    assert app.title() == t("auth.signin_title")
    app.page.get_by_label(t("auth.username")).fill(username)
    app.page.get_by_label(t("auth.password"), exact=True).fill(ACCOUNTS[username])
    app.page.get_by_role("button", name=t("auth.signin_button")).click()
    _wait_title(app, t("nav.overview"))
    assert _signed_in_as(app) == username


def _wait_title(app: App, title: str) -> None:
    app.page.wait_for_function(
        "t => document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.trim()"
        ".split(' · ')[0] === t",
        arg=title,
        timeout=RENDER_TIMEOUT_MS,
    )
    app.wait_idle()


def _signed_in_as(app: App) -> str | None:
    sidebar = app.page.locator('[data-testid="stSidebar"]').inner_text()
    return next((u for u in ACCOUNTS if f"{u} (" in sidebar), None)


def _session_cookie(app: App, wait: float = 60.0) -> dict | None:
    """The browser's session cookie, once the page has fetched it (None after ``wait`` s)."""
    deadline = time.monotonic() + wait
    while True:
        found = [c for c in app.context.cookies() if c["name"] == ses.SESSION_COOKIE]
        if found or time.monotonic() > deadline:
            return found[0] if found else None
        app.page.wait_for_timeout(200)


def _rerun(app: App) -> None:
    """A click that reruns the script (the language switch back and forth would too)."""
    nav = app.page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_role("link", name=t("nav.sources"), exact=True).click()
    app.page.wait_for_function(
        """ts => ts.includes(document.querySelector('[data-testid="stMain"] h1')
              ?.innerText.trim().split(' · ')[0])""",
        arg=[t("nav.sources"), t("auth.signin_title")],
        timeout=RENDER_TIMEOUT_MS,
    )
    app.wait_idle()


def _rows(store: Store, username: str) -> list[dict]:
    return store.query(
        "SELECT * FROM user_sessions WHERE username = $u ORDER BY created_at", {"u": username}
    ).to_dicts()


def test_sign_in_survives_a_reload_with_a_strict_http_only_cookie(
    browse: Callable[[], App],
) -> None:
    app = browse()
    store = Store(app.server.store_path)
    signed_in_at = dt.datetime.now(dt.UTC)
    _sign_in(app, "sesi.a")
    cookie = _session_cookie(app)
    assert cookie is not None, "the page did not receive its session cookie"
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/" and cookie["secure"] is False  # plain http on loopback
    # Max-Age: the absolute lifetime, counted from the sign-in
    received_at = dt.datetime.now(dt.UTC)
    lifetime = dt.timedelta(hours=12).total_seconds()
    assert signed_in_at.timestamp() + lifetime - 1 <= cookie["expires"]
    assert cookie["expires"] <= received_at.timestamp() + lifetime + 1
    # the page cannot read it, and the store keeps only its digest
    assert ses.SESSION_COOKIE not in app.page.evaluate("document.cookie")
    (row,) = _rows(store, "sesi.a")
    assert row["secret_digest"] == hashlib.sha256(cookie["value"].encode()).hexdigest()
    assert cookie["value"] not in store.query("SELECT * FROM user_sessions").write_csv()
    assert row["user_agent"] and "Chrome" in row["user_agent"]

    app.page.reload()
    _wait_title(app, t("nav.overview"))
    assert _signed_in_as(app) == "sesi.a" and app.problems() == []
    app.screenshot("session-after-reload")
    # another tab of the same browser (a new Streamlit session) is signed in as well
    other_tab = app.context.new_page()
    other = App(app.server, app.context, other_tab)
    other.goto("sumber-metode")
    assert other.title() == t("nav.sources") and _signed_in_as(other) == "sesi.a"
    assert len(_rows(store, "sesi.a")) == 1  # restored, not a new session

    # another browser, without the cookie, is not
    stranger = browse()
    stranger.goto()
    assert stranger.title() == t("auth.signin_title")


def test_revoked_from_the_cli_the_next_rerun_shows_the_form(browse: Callable[[], App]) -> None:
    app = browse()
    store = Store(app.server.store_path)
    _sign_in(app, "sesi.b")
    assert _session_cookie(app) is not None
    app.page.reload()  # restored from the cookie
    _wait_title(app, t("nav.overview"))
    assert _signed_in_as(app) == "sesi.b"

    out = invoke(
        "users", "revoke-session", "--user", "sesi.b", "--json",
        env={"NETRALITAS_STORE": str(store.path)},
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    _rerun(app)
    assert app.title() == t("auth.signin_title")
    assert t("auth.session_revoked") in app.page.locator('[data-testid="stMain"]').inner_text()
    assert app.page.locator('[data-testid="stSidebarNav"]').count() == 0
    app.screenshot("session-revoked")
    # the refused cookie is dropped, so a reload is a plain sign-in form
    deadline = time.monotonic() + 60
    while _session_cookie(app, wait=0) is not None and time.monotonic() < deadline:
        app.page.wait_for_timeout(200)
    assert _session_cookie(app, wait=0) is None
    app.page.reload()
    app.wait_idle()
    assert app.title() == t("auth.signin_title")
    assert t("auth.session_revoked") not in app.page.locator('[data-testid="stMain"]').inner_text()
    (row,) = _rows(store, "sesi.b")
    assert row["revoked_at"] is not None and row["revoked_by"].startswith("cli:")


def test_idle_and_expired_sessions_are_refused_with_the_reason(
    browse: Callable[[], App],
) -> None:
    store_path = None
    for reason, column, key in (
        ("idle", "last_seen_at", "auth.session_idle"),
        ("expired", "expires_at", "auth.session_expired"),
    ):
        app = browse()
        store_path = store_path or app.server.store_path
        store = Store(store_path)
        _sign_in(app, "sesi.c")
        assert _session_cookie(app) is not None
        session_id = _rows(store, "sesi.c")[-1]["session_id"]
        past = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=31)
        with store.transaction(aggregates=False, bump_version=False) as con:
            con.execute(
                f"UPDATE user_sessions SET {column} = $t WHERE session_id = $id",
                {"t": past, "id": session_id},
            )
        app.page.reload()  # the restore from the cookie refuses it
        app.wait_idle()
        assert app.title() == t("auth.signin_title"), reason
        assert t(key) in app.page.locator('[data-testid="stMain"]').inner_text(), reason
        app.screenshot(f"session-{reason}")


def test_sign_out_ends_the_session_and_drops_the_cookie(browse: Callable[[], App]) -> None:
    app = browse()
    store = Store(app.server.store_path)
    _sign_in(app, "sesi.a")
    assert _session_cookie(app) is not None
    live = [r for r in _rows(store, "sesi.a") if r["revoked_at"] is None]
    app.page.get_by_role("button", name=t("auth.signout"), exact=True).click()
    _wait_title(app, t("auth.signin_title"))
    deadline = time.monotonic() + 60
    while _session_cookie(app, wait=0) is not None and time.monotonic() < deadline:
        app.page.wait_for_timeout(200)
    assert _session_cookie(app, wait=0) is None
    ended = {r["session_id"]: r for r in _rows(store, "sesi.a")}
    mine = ended[live[-1]["session_id"]]
    assert mine["revoked_at"] is not None and mine["revoked_by"] == "sesi.a"
    app.page.reload()
    app.wait_idle()
    assert app.title() == t("auth.signin_title")


def test_another_app_process_over_the_same_store_knows_the_browser(
    browse: Callable[[], App], sessions_server: Server, tmp_path: Path
) -> None:
    app = browse()
    _sign_in(app, "sesi.c")
    assert _session_cookie(app) is not None
    # a second ``netralitas serve`` (another process, another port: cookies are per host,
    # so the browser sends it the same cookies), as behind a load balancer
    with serve(sessions_server.store_path, tmp_path, {"HOME": str(tmp_path)}) as second:
        other = App(second, app.context, app.context.new_page())
        other.goto()
        assert other.title() == t("nav.overview") and other.problems() == []
        assert _signed_in_as(other) == "sesi.c"
        other.screenshot("session-second-process")
        # and it sees the session end as soon as the first process's user signs out
        app.page.get_by_role("button", name=t("auth.signout"), exact=True).click()
        _wait_title(app, t("auth.signin_title"))
        _rerun(other)
        assert other.title() == t("auth.signin_title")
