"""Sessions and downloads: a download button stops working once its session signs out or
its account's role changes, a generated file is served only to the signed-in browser that
asked for it and only briefly, and OIDC trusts only verified e-mails and never reads an
empty scope claim as national."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import polars as pl
import pytest
from app_server import serve
from chromium import CHROMIUM, CHROMIUM_ARGS
from security_apptest import deferred_file, recording_media_managers, signed_in
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.testing.v1 import AppTest

from dashboard import i18n
from dashboard.access import audit, auth
from dashboard.install import builtin
from dashboard.store.database import Store
from dashboard.web import asgi, bindings

ANALYST, PASSWORD = "analis17", "analis-rahasia-17"


T = TypeVar("T")


def _t(key: str) -> str:
    return i18n.t(key, "id")


def _alone(work: Callable[[], T]) -> T:
    """Run ``work`` on a thread of its own. The browser tests keep one Playwright for the whole
    session, and its event loop stays current on the main thread, where neither
    ``asyncio.run`` nor a second sync Playwright may start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


# -- OIDC ------------------------------------------------------------------------------------------

CLAIMS = {"email": "staf@bkd.go.id", "email_verified": True, "r": "analyst", "s": "17"}


def _oidc(store: Store, claims: dict) -> auth.User | None:
    return auth.oidc_user(store, claims, role_claim="r", scope_claim="s")


def test_oidc_needs_a_verified_email(store: Store) -> None:
    assert _oidc(store, CLAIMS) is not None
    for verified in (False, "false", None, "yes"):
        assert _oidc(store, {**CLAIMS, "email_verified": verified}) is None, verified
    unverified = {k: v for k, v in CLAIMS.items() if k != "email_verified"}
    assert _oidc(store, unverified) is None
    # an account in the store is not matched by an unverified address either
    auth.add_user(store, "kepala@bkd.go.id", "admin", source=auth.SOURCE_OIDC, actor="t")
    assert _oidc(store, {"email": "kepala@bkd.go.id", "r": "viewer"}) is None


@pytest.mark.parametrize("empty", ["", "  ", [], ",", ()])
def test_oidc_empty_scope_claim_grants_nothing(store: Store, empty: object) -> None:
    assert _oidc(store, {**CLAIMS, "s": empty}) is None


def test_oidc_absent_scope_claim_is_national(store: Store) -> None:
    user = _oidc(store, {k: v for k, v in CLAIMS.items() if k != "s"})
    assert user is not None and user.national


# -- download buttons ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("downloads") / "store.duckdb")
    builtin.install(s, with_demo=True, n_officials=5_000)
    return s


@pytest.fixture
def analyst(demo: Store) -> Store:
    """A fresh analyst account (the tests change its role)."""
    if auth.accounts.get_user(demo, ANALYST) is not None:
        auth.remove_user(demo, ANALYST, actor="test")
    auth.add_user(demo, ANALYST, "analyst", password=PASSWORD, provinces=["17"], actor="test")
    return demo


@dataclass
class _CsvButton:
    """The analyst's unsigned page, its CSV button and the media manager that serves it."""

    at: AppTest
    mgr: MediaFileManager
    file_id: str


@pytest.fixture
def csv_button(analyst: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> _CsvButton:
    managers = recording_media_managers(monkeypatch)
    at = signed_in(analyst, ANALYST, PASSWORD, tmp_path, monkeypatch, "views/unsigned.py")
    button = next(b for b in at.get("download_button") if b.label == _t("shell.download_csv"))
    return _CsvButton(at, managers[-1], str(button.proto.deferred_file_id))


def _downloads(store: Store) -> list[tuple[str, str]]:
    log = audit.log(store, actions=("download",)).filter(pl.col("actor") == ANALYST)
    return list(zip(log["outcome"], log["detail"], strict=True))


def test_download_button_refused_after_role_is_lowered(
    analyst: Store, csv_button: _CsvButton
) -> None:
    mgr, file_id = csv_button.mgr, csv_button.file_id
    named = deferred_file(mgr, file_id).decode("utf-8-sig")
    lines = named.splitlines()  # what the file holds, an empty line, then the table
    header = lines[lines.index("") + 1]
    assert _t("lead.col.nip") in header  # the control: it works for an analyst
    auth.set_role(analyst, ANALYST, "viewer", actor="admin")
    with pytest.raises(MediaFileStorageError):
        deferred_file(mgr, file_id)  # the same button, no rerun in between
    outcomes = _downloads(analyst)
    assert outcomes[0][0] == "denied" and "role_changed" in outcomes[0][1]
    assert [o for o, _ in outcomes].count("ok") == 1


def test_download_button_refused_after_sign_out(analyst: Store, csv_button: _CsvButton) -> None:
    at = csv_button.at
    next(b for b in at.button if b.key == "netralitas_signout").click()
    at.run()
    assert at.text_input(key="signin_username") is not None  # back at the sign-in form
    with pytest.raises(MediaFileStorageError):
        deferred_file(csv_button.mgr, csv_button.file_id)
    outcomes = _downloads(analyst)
    assert outcomes and outcomes[0][0] == "denied" and "revoked" in outcomes[0][1]


# -- generated files at the edge -----------------------------------------------------------------


def _fetch(cookie: str | None, path: str = "/media/abc123.csv") -> int:
    """One GET through the edge middleware in front of a /media response as Streamlit
    sends a generated download (Content-Disposition: attachment)."""

    async def media(scope: dict, receive: object, send: object) -> None:
        await send(  # type: ignore[operator]
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/csv"),
                    (b"content-disposition", b'attachment; filename="belum.csv"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"Nama,NIP\n"})  # type: ignore[operator]

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    headers = [(b"cookie", f"{bindings.BIND_COOKIE}={cookie}".encode())] if cookie else []
    scope = {"type": "http", "path": path, "method": "GET", "headers": headers, "scheme": "http"}
    _alone(lambda: asyncio.run(asgi.Edge(media)(scope, receive, send)))  # type: ignore[arg-type]
    start = next(m for m in sent if m["type"] == "http.response.start")
    return int(start["status"])


def test_generated_file_only_for_the_signed_in_browser_and_role(
    analyst: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRALITAS_STORE", str(analyst.path))
    cookie = "browser-of-the-analyst"
    assert _fetch(None) == 403  # a copied link without the browser's cookie
    assert _fetch(cookie) == 403  # a cookie with no signed-in session behind it
    bindings.register(
        bindings.digest(cookie), bindings.Binding(ANALYST, "analyst", ("17",), auth.SOURCE_LOCAL)
    )
    try:
        assert _fetch(cookie, "/media/fresh.csv") == 403  # not made for this browser
        held = bindings.Held(ANALYST, "analyst", ("17",), auth.SOURCE_LOCAL, None)
        bindings.hold(bindings.digest(cookie), b"Nama,NIP\n", held)
        assert _fetch(cookie, "/media/fresh.csv") == 200
        auth.set_role(analyst, ANALYST, "viewer", actor="admin")
        assert _fetch(cookie, "/media/fresh.csv") == 403  # role lowered: refused at once
    finally:
        bindings.forget(bindings.digest(cookie))
    assert _fetch(cookie, "/media/fresh.csv") == 403  # signed out


def test_generated_file_link_expires() -> None:
    t0 = 1000.0
    late = t0 + bindings.DOWNLOAD_SECONDS + 1
    assert bindings.fresh_download("/media/x.csv", "browser-a", now=t0)
    assert bindings.fresh_download("/media/x.csv", "browser-a", now=t0 + bindings.DOWNLOAD_SECONDS)
    assert not bindings.fresh_download("/media/x.csv", "browser-a", now=late)
    # the same content (so the same path) downloaded later by another browser is its own link
    assert bindings.fresh_download("/media/x.csv", "browser-b", now=late)
    assert not bindings.fresh_download(
        "/media/x.csv", "browser-b", now=late + bindings.DOWNLOAD_SECONDS + 1
    )


# -- a copied session id ---------------------------------------------------------------------------


def _strings(msg: object) -> list[str]:
    out: list[str] = []

    def walk(v: object) -> None:
        if isinstance(v, str):
            out.append(v)
        elif hasattr(v, "ListFields"):
            for _, x in v.ListFields():  # type: ignore[attr-defined]
                walk(x)
        elif isinstance(v, list | tuple) or type(v).__name__.startswith("Repeated"):
            for x in v:  # type: ignore[attr-defined]
                walk(x)

    walk(msg)
    return out


async def _attach(url: str, session_id: str, seconds: float = 60.0, runs: int = 2) -> list[str]:
    """Present ``session_id`` from a client that has no cookie of the browser (as anyone
    who copied the id would), ask for a rerun and collect the text the server sends."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    texts: list[str] = []
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(
        ws_url,
        subprotocols=["streamlit", "PLACEHOLDER_AUTH_TOKEN", session_id],  # type: ignore[list-item]
    ) as ws:
        back = BackMsg()
        back.rerun_script.query_string = ""
        await ws.send(back.SerializeToString())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        finished = 0
        while loop.time() < deadline and finished < runs:
            try:
                raw = await asyncio.wait_for(ws.recv(), timeout=deadline - loop.time())
            except TimeoutError:
                break
            msg = ForwardMsg()
            msg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
            texts += _strings(msg)
            # a run that ends early for a rerun (the sign-out asks for one) is not the answer
            if (
                msg.HasField("script_finished")
                and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                finished += 1
                if finished < runs:  # the first run of a resumed session may draw nothing
                    await ws.send(back.SerializeToString())
    return texts


@pytest.mark.browser
@pytest.mark.server
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)"
)
def test_copied_session_id_without_the_browser_cookie_is_signed_out(
    analyst: Store, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    with serve(analyst.path, tmp_path, env={"HOME": str(tmp_path)}) as server:
        url = server.base_url
        ids: list[str] = []

        def sign_in() -> None:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page()

                def frames(ws: object) -> None:
                    def got(payload: str | bytes) -> None:
                        if isinstance(payload, bytes):
                            msg = ForwardMsg()
                            msg.ParseFromString(payload)
                            if msg.HasField("new_session"):
                                ids.append(msg.new_session.initialize.session_id)

                    ws.on("framereceived", got)  # type: ignore[attr-defined]

                page.on("websocket", frames)
                page.goto(url)
                page.get_by_label(_t("auth.username")).fill(ANALYST)
                page.get_by_label(_t("auth.password")).fill(PASSWORD)
                page.get_by_role("button", name=_t("auth.signin_button")).click()
                page.get_by_role("button", name=_t("auth.signout"), exact=True).wait_for(
                    timeout=120_000
                )
                assert ids
                browser.close()  # the person closes the tab; the session waits to be resumed

        _alone(sign_in)
        texts = " ".join(_alone(lambda: asyncio.run(_attach(url, ids[-1]))))
        assert ANALYST not in texts  # not signed in as the analyst
        assert _t("auth.signin_title") in texts  # but shown the sign-in form
        log = audit.log(analyst, actions=("signout",))
        assert "other_browser" in " ".join(log["detail"].drop_nulls())
