"""What the app server's edge keeps, against a real server and a real browser.

- The upload quota counts the bytes that arrive: bodies sent chunked (no Content-Length)
  are stopped with 413 once past it.
- A browser cookie planted before sign-in opens nothing after it (the value is renewed).
"""

from __future__ import annotations

import http.client
import re
import urllib.request
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from app_server import Server, serve
from browser_harness import RENDER_TIMEOUT_MS, App, contexts, cookie, sign_in, wait_title

from dashboard import i18n
from dashboard.access import auth
from dashboard.install import builtin
from dashboard.store.database import Store
from dashboard.web import bindings

pytestmark = pytest.mark.browser

QUOTA_MB = 2
ACCOUNTS = {
    "analis.keluar": ("analyst", "analis-keluar-rahasia"),
    "analis.turun": ("analyst", "analis-turun-rahasia"),
    "analis.pindah": ("analyst", "analis-pindah-rahasia"),
    "pemantau.tab": ("viewer", "pemantau-tab-rahasia"),
    "unggah.kuota": ("uploader", "unggah-kuota-rahasia"),
    "unggah.tanam": ("uploader", "unggah-tanam-rahasia"),
}
BATCH_LABEL = re.compile(r"Unduh [\d.]+ surat")


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


@pytest.fixture(scope="module")
def edge_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("browser_edges")
    store = Store(tmp / "store.duckdb")
    builtin.install(store, n_officials=5_000)
    for name, (role, password) in ACCOUNTS.items():
        scope = {"provinces": ["17"]} if role != "viewer" else {}
        auth.add_user(store, name, role, password=password, actor="test", **scope)
    env = {"HOME": str(tmp), bindings.ENV_UPLOAD_QUOTA_MB: str(QUOTA_MB)}
    with serve(store.path, tmp, env) as server:
        yield server


@pytest.fixture
def browse(edge_server: Server, browser: object) -> Iterator[Callable[[], App]]:
    with contexts(browser, edge_server) as open_one:
        yield open_one


def _sign_in(app: App, username: str) -> None:
    sign_in(app, username, ACCOUNTS[username][1])


# -- uploads at the edge ---------------------------------------------------------------------------


def _session_id(app: App) -> str:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    for raw in reversed(app.received):
        msg = ForwardMsg()
        try:
            msg.ParseFromString(raw)
        except Exception:  # not a message of this kind
            continue
        if msg.HasField("new_session"):
            return str(msg.new_session.initialize.session_id)
    raise AssertionError("no session id received")


def _put(app: App, bind: str, size: int, chunked: bool, n: int) -> int:
    """PUT one file of ``size`` bytes to the page's upload endpoint, as the browser would
    (its session, its XSRF cookie) but with the browser cookie ``bind``."""
    base = urlsplit(app.server.base_url)
    cookies = {c["name"]: c["value"] for c in app.context.cookies()}
    xsrf = cookies.get("_streamlit_xsrf", "")
    head = (
        f'--b\r\nContent-Disposition: form-data; name="files"; filename="daftar-{n}.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    tail = b"\r\n--b--\r\n"
    piece = 64 * 1024
    body = [head, *(b"0" * min(piece, size - i) for i in range(0, size, piece)), tail]
    headers = {
        "Content-Type": "multipart/form-data; boundary=b",
        "Cookie": f"{bindings.BIND_COOKIE}={bind}; _streamlit_xsrf={xsrf}",
        "X-Xsrftoken": xsrf,
    }
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=RENDER_TIMEOUT_MS / 1000)
    try:
        path = f"/_stcore/upload_file/{_session_id(app)}/file-{n}"
        if chunked:
            conn.request("PUT", path, body=iter(body), headers=headers, encode_chunked=True)
        else:
            data = b"".join(body)
            conn.request(
                "PUT", path, body=data, headers={**headers, "Content-Length": str(len(data))}
            )
        answer = conn.getresponse()
        answer.read()
        return answer.status
    finally:
        conn.close()


def test_chunked_uploads_are_counted_against_the_quota(browse: Callable[[], App]) -> None:
    app = browse()
    app.goto()
    _sign_in(app, "unggah.kuota")
    bind = cookie(app, bindings.BIND_COOKIE)
    part = 800 * 1024  # four of them are past the quota of 2 MB
    statuses = [_put(app, bind, part, chunked=True, n=i) for i in range(4)]
    assert statuses[:2] == [204, 204], statuses  # within the quota: stored
    assert statuses[2:] == [413, 413], statuses  # past it: stopped while streaming
    # a declared length past what is left is refused before the body is read
    assert _put(app, bind, part, chunked=False, n=9) == 403


def test_a_bind_cookie_planted_before_sign_in_is_worthless_after_it(
    browse: Callable[[], App],
) -> None:
    app = browse()
    with urllib.request.urlopen(app.server.base_url + "/", timeout=120) as first:
        given = [c for c in first.headers.get_all("set-cookie") or [] if "netralitas_bind=" in c]
    planted = given[0].split(";", 1)[0].split("=", 1)[1]  # the planter's own value
    app.context.add_cookies(
        [{"name": bindings.BIND_COOKIE, "value": planted, "url": app.server.base_url}]
    )
    app.goto()
    assert cookie(app, bindings.BIND_COOKIE) == planted  # the victim's browser carries it
    _sign_in(app, "unggah.tanam")
    renewed = cookie(app, bindings.BIND_COOKIE)
    assert renewed != planted
    assert _put(app, planted, 1024, chunked=False, n=1) == 403  # the planter is refused
    assert _put(app, renewed, 1024, chunked=False, n=2) == 204  # the victim is not
    # the sign-in still holds on a reload with the renewed cookie
    app.page.reload()
    wait_title(app, t("nav.overview"))
    assert "unggah.tanam (" in app.page.locator('[data-testid="stSidebar"]').inner_text()
    assert _put(app, cookie(app, bindings.BIND_COOKIE), 1024, chunked=False, n=3) == 204
