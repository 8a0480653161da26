"""Generated files belong to the rights that made them: follow-up letters (one agency, or the
batch) kept for their download buttons are gone once the session signs out and another
account signs in in the same tab, once an administrator lowers the maker's role, and once
the account's scope moves; a refused file is audited. The edge side (a direct fetch of
the old download address) is in ``test_held_files_edge.py`` and the browser test."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pytest
from security_apptest import deferred_file, recording_media_managers, signed_in
from streamlit.runtime.media_file_storage import MediaFileStorageError
from streamlit.testing.v1 import AppTest

from dashboard import i18n
from dashboard.access import audit, auth
from dashboard.install import builtin
from dashboard.store.database import Store
from dashboard.web import asgi, bindings

ANALYST, VIEWER = "analis.surat", "pemantau.surat"
PASSWORDS = {ANALYST: "analis-surat-rahasia", VIEWER: "pemantau-surat-rahasia"}
PAGE = "views/followup.py"


def _t(key: str, **kw: object) -> str:
    return i18n.t(key, "id", **kw)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    s = Store(tmp_path_factory.mktemp("held") / "store.duckdb")
    builtin.install(s, with_demo=True, n_officials=5_000)
    auth.add_user(s, VIEWER, "viewer", password=PASSWORDS[VIEWER], actor="test")
    return s


@pytest.fixture
def analyst(demo: Store) -> Store:
    """A fresh analyst of Bengkulu (the tests change its role and scope)."""
    if auth.accounts.get_user(demo, ANALYST) is not None:
        auth.remove_user(demo, ANALYST, actor="test")
    auth.add_user(demo, ANALYST, "analyst", password=PASSWORDS[ANALYST], provinces=["17"],
                  actor="test")  # fmt: skip
    return demo


def _labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def _letters_made(at: AppTest) -> tuple[str, str]:
    """Generate one agency's letter and the batch; (agency, letter number). Both download
    buttons are drawn for their maker (the control)."""
    assert at.selectbox(key="fu_agency").options, "the analyst has agencies to chase"
    at.selectbox(key="fu_agency").select_index(0).run()
    assert not at.exception, at.exception
    agency = str(at.selectbox(key="fu_agency").value)
    next(b for b in at.button if b.key == "fu_generate").click().run()
    assert not at.exception, at.exception
    next(b for b in at.button if b.key == "fu_batch").click().run()
    assert not at.exception, at.exception
    labels = _labels(at)
    prefix = _t("followup.download", number="")
    number = next(label[len(prefix) :] for label in labels if label.startswith(prefix))
    assert _t("followup.download", number=number) in labels, labels
    assert any(label.startswith(_t("followup.batch_download", n="")[:5]) for label in labels)
    return agency, number


def _letter_button(at: AppTest, number: str) -> str:
    """The deferred file id behind the letter's download button."""
    label = _t("followup.download", number=number)
    return str(next(b for b in at.get("download_button") if b.proto.label == label).proto
               .deferred_file_id)  # fmt: skip


def _no_letters(at: AppTest, number: str) -> None:
    labels = _labels(at)
    assert _t("followup.download", number=number) not in labels, labels
    assert not [b for b in at.get("download_button") if "surat" in b.proto.label.lower()], labels


def _denied(store: Store, actor: str) -> pl.DataFrame:
    log = audit.log(store, actions=("download",))
    return log.filter((pl.col("actor") == actor) & (pl.col("outcome") == "denied"))


def test_sign_out_then_a_viewer_in_the_same_tab_gets_no_letters(
    analyst: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    managers = recording_media_managers(monkeypatch)
    at = signed_in(analyst, ANALYST, PASSWORDS[ANALYST], tmp_path, monkeypatch, PAGE)
    _, number = _letters_made(at)
    old_button, mgr = _letter_button(at, number), managers[-1]
    assert deferred_file(mgr, old_button)[:2] == b"PK"  # the control: a DOCX for its maker
    next(b for b in at.button if b.key == "netralitas_signout").click().run()
    with pytest.raises(MediaFileStorageError):  # the old button, clicked after sign-out
        deferred_file(mgr, old_button)
    assert "revoked" in _denied(analyst, ANALYST)["detail"][0]
    at.text_input(key="signin_username").input(VIEWER)
    at.text_input(key="signin_password").input(PASSWORDS[VIEWER])
    next(b for b in at.button if b.label == _t("auth.signin_button")).click().run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    assert VIEWER in " ".join(c.value for c in at.sidebar.caption)
    _no_letters(at, number)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: auth.set_role(s, ANALYST, "viewer", actor="admin"),
        lambda s: auth.set_scope(s, ANALYST, provinces=["18"], actor="admin"),
    ],
    ids=["role_lowered", "scope_moved"],
)
def test_letters_are_dropped_when_the_maker_loses_the_rights(
    analyst: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: object
) -> None:
    managers = recording_media_managers(monkeypatch)
    at = signed_in(analyst, ANALYST, PASSWORDS[ANALYST], tmp_path, monkeypatch, PAGE)
    _, number = _letters_made(at)
    old_button, mgr = _letter_button(at, number), managers[-1]
    change(analyst)  # type: ignore[operator]
    with pytest.raises(MediaFileStorageError):  # the old button, before any rerun
        deferred_file(mgr, old_button)
    assert "role_changed" in _denied(analyst, ANALYST)["detail"][0]
    at.run()  # the next run of the same session
    assert not at.exception, at.exception
    _no_letters(at, number)


# -- the edge: a direct fetch of a generated file ----------------------------------------------


def _fetch(cookie: str, body: bytes) -> int:
    """One GET of a generated download through the edge, in front of a /media response as
    Streamlit sends one (Content-Disposition: attachment) with ``body``."""

    async def media(scope: dict, receive: object, send: object) -> None:
        start = {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-disposition", b'attachment; filename="surat.zip"')],
        }
        await send(start)  # type: ignore[operator]
        await send({"type": "http.response.body", "body": body})  # type: ignore[operator]

    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    headers = [(b"cookie", f"{bindings.BIND_COOKIE}={cookie}".encode())]
    scope = {"type": "http", "path": "/media/abc.zip", "method": "GET", "headers": headers,
             "scheme": "http", "client": ("127.0.0.1", 5000)}  # fmt: skip
    run = asgi.Edge(media)(scope, receive, send)  # type: ignore[arg-type]
    with ThreadPoolExecutor(1) as pool:  # no event loop of the browser tests' thread
        pool.submit(asyncio.run, run).result()
    return int(next(m for m in sent if m["type"] == "http.response.start")["status"])


def test_the_edge_serves_a_file_only_to_the_rights_it_was_made_under(
    analyst: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NETRALITAS_STORE", str(analyst.path))
    cookie, letters, other = "one-tab-two-people", b"PK letters with names", b"PK other"
    bind = bindings.digest(cookie)
    made = bindings.Held(ANALYST, "analyst", ("17",), auth.SOURCE_LOCAL, auth.VIEW_AGGREGATES)
    bindings.register(bind, bindings.Binding(ANALYST, "analyst", ("17",), auth.SOURCE_LOCAL))
    try:
        bindings.hold(bind, letters, made)
        assert _fetch(cookie, letters) == 200  # the control: its maker gets it
        assert _fetch(cookie, other) == 403  # bytes never made for this browser
        # the next person signs in in the same tab (same browser cookie)
        bindings.register(bind, bindings.Binding(VIEWER, "viewer", (), auth.SOURCE_LOCAL))
        assert _fetch(cookie, letters) == 403
        reasons = _denied(analyst, VIEWER)["detail"].to_list()
        assert reasons and "other_rights" in reasons[0]
        assert "not_held" in _denied(analyst, ANALYST)["detail"][0]
        # a sign-out drops whatever was held for the browser
        bindings.register(bind, bindings.Binding(ANALYST, "analyst", ("17",), auth.SOURCE_LOCAL))
        bindings.forget(bind)
        bindings.register(bind, bindings.Binding(ANALYST, "analyst", ("17",), auth.SOURCE_LOCAL))
        assert _fetch(cookie, letters) == 403
    finally:
        bindings.forget(bind)
