"""The session cookie at the edge: given once, only to the browser that signed in, with
a one-time ticket; HttpOnly, SameSite=Strict, Path=/, Max-Age, Secure on https; only its
digest reaches the store."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie

import pytest

from dashboard.access import auth
from dashboard.access import sessions as ses
from dashboard.store.database import Store
from dashboard.web import asgi, bindings

BIND = "cookie-of-the-browser-that-signed-in"


@pytest.fixture(autouse=True)
def _another_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test is another browser: a cookie value replaced at a sign-in or a sign-out
    (``bindings.renew``) opens nothing again, so no two tests may share one."""
    monkeypatch.setitem(globals(), "BIND", f"cookie-of-a-browser-{secrets.token_hex(8)}")


def _get(path: str, cookie: str | None, scheme: str = "http") -> tuple[int, dict[str, str]]:
    """One GET through the edge (the app behind it must not be reached)."""

    async def app(scope: dict, receive: object, send: object) -> None:
        raise AssertionError("the edge answers this path itself")

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    raw_path, _, query = path.partition("?")
    headers = [(b"cookie", f"{bindings.BIND_COOKIE}={cookie}".encode())] if cookie else []
    scope = {
        "type": "http", "path": raw_path, "query_string": query.encode(), "method": "GET",
        "headers": headers, "scheme": scheme,
    }  # fmt: skip
    with ThreadPoolExecutor(1) as pool:  # no event loop of another test on this thread
        pool.submit(lambda: asyncio.run(asgi.Edge(app)(scope, receive, send))).result()  # type: ignore[arg-type]
    start = next(m for m in sent if m["type"] == "http.response.start")
    headers_out = {k.decode(): v.decode() for k, v in start["headers"]}  # the last cookie
    renewed = [v.decode() for k, v in start["headers"] if v.startswith(b"netralitas_bind=")]
    if renewed:
        headers_out["bind-cookie"] = renewed[0]
    return int(start["status"]), headers_out


def test_sign_in_and_sign_out_renew_the_browser_cookie(signed_in: tuple[Store, str]) -> None:
    """A value planted in the browser before sign-in opens nothing after it."""
    _, session_id = signed_in
    planted = bindings.digest(BIND)
    ticket = bindings.offer_session(planted, session_id)
    status, headers = _get(f"/_netralitas/session?t={ticket}", BIND)
    assert status == 200 and ses.SESSION_COOKIE in headers["set-cookie"]
    fresh = headers["bind-cookie"].split(";", 1)[0].split("=", 1)[1]
    assert fresh != BIND and "HttpOnly" in headers["bind-cookie"]
    who = bindings.Binding("ani", "uploader", (), auth.SOURCE_LOCAL)
    bindings.register(planted, who)  # the page's own runs still present the old value
    try:
        assert bindings.lookup(planted) is None  # the old value opens nothing
        assert bindings.lookup(bindings.digest(fresh)) == who
        assert not bindings.upload_allowed(planted, 1)
        assert bindings.upload_allowed(bindings.digest(fresh), 1)
        status, headers = _get("/_netralitas/session/end", fresh)  # sign-out renews again
        after = headers["bind-cookie"].split(";", 1)[0].split("=", 1)[1]
        assert status == 200 and after not in (fresh, BIND)
        assert bindings.lookup(bindings.digest(fresh)) is None
    finally:
        bindings.forget(planted)


@pytest.fixture
def signed_in(store: Store, monkeypatch: pytest.MonkeyPatch) -> tuple[Store, str]:
    monkeypatch.setenv("NETRALITAS_STORE", str(store.path))
    auth.add_user(store, "ani", "viewer", password="kata-sandi-panjang", actor="t")
    return store, ses.start(store, "ani")


def test_the_ticket_gives_the_cookie_once_to_its_browser(signed_in: tuple[Store, str]) -> None:
    store, session_id = signed_in
    ticket = bindings.offer_session(bindings.digest(BIND), session_id)
    assert ticket is not None
    url = f"/{asgi.SESSION_PATH.lstrip('/')}?t={ticket}"
    assert _get(url, None)[0] == 403  # the ticket without the browser's cookie
    assert _get(url, "another-browser")[0] == 403
    status, headers = _get(url, BIND)
    assert status == 200 and headers["content-type"] == "image/gif"
    assert headers["cache-control"] == "no-store"
    jar: SimpleCookie = SimpleCookie()
    jar.load(headers["set-cookie"])
    morsel = jar[ses.SESSION_COOKIE]
    flags = headers["set-cookie"]
    assert "HttpOnly" in flags and "SameSite=Strict" in flags and "Secure" not in flags
    assert morsel["path"] == "/" and 12 * 3600 - 5 <= int(morsel["max-age"]) <= 12 * 3600
    row = store.query("SELECT * FROM user_sessions WHERE session_id = $s", {"s": session_id})
    assert row["secret_digest"][0] == hashlib.sha256(morsel.value.encode()).hexdigest()
    assert morsel.value not in row.write_csv() and ticket not in row.write_csv()
    assert ses.restore(store, morsel.value).user is not None
    assert _get(url, BIND)[0] == 403  # used: a second fetch (a copied ticket) gets nothing


def test_the_cookie_is_secure_on_https(signed_in: tuple[Store, str]) -> None:
    _, session_id = signed_in
    ticket = bindings.offer_session(bindings.digest(BIND), session_id)
    status, headers = _get(f"/_netralitas/session?t={ticket}", BIND, scheme="https")
    assert status == 200 and headers["set-cookie"].endswith("; Secure")


def test_an_ended_session_gets_no_cookie(signed_in: tuple[Store, str]) -> None:
    store, session_id = signed_in
    ticket = bindings.offer_session(bindings.digest(BIND), session_id)
    ses.end(store, [session_id], actor="ani")
    assert _get(f"/_netralitas/session?t={ticket}", BIND)[0] == 403


def test_sign_out_drops_the_cookie_only_for_a_page_of_this_site() -> None:
    status, headers = _get("/_netralitas/session/end", BIND)
    assert status == 200
    assert headers["set-cookie"].startswith(f"{ses.SESSION_COOKIE}=; Path=/; Max-Age=0;")
    status, headers = _get("/_netralitas/session/end", None)  # cross-site: no bind cookie
    assert status == 403 and "set-cookie" not in headers


def test_tickets_are_one_time_bound_and_short_lived() -> None:
    bind = bindings.digest(BIND)
    t0 = 5000.0
    ticket = bindings.offer_session(bind, "s-0000000000000001", now=t0)
    assert bindings.offer_session(None, "s-0000000000000001") is None  # no browser cookie
    assert bindings.ticket_open(ticket, now=t0)
    assert bindings.claim_session(ticket, "other", now=t0) is None
    assert bindings.claim_session(ticket, bind, now=t0 + 1) == "s-0000000000000001"
    assert bindings.claim_session(ticket, bind, now=t0 + 2) is None
    assert not bindings.ticket_open(ticket, now=t0 + 2)
    late = bindings.offer_session(bind, "s-0000000000000002", now=t0)
    assert bindings.claim_session(late, bind, now=t0 + bindings.TICKET_SECONDS + 1) is None
