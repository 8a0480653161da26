"""Driving the app as a signed-in user with AppTest, and clicking its download buttons the
way a browser asks the server for the file: shared by the security tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard import i18n
from dashboard.store.database import Store

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")


def signed_in(
    store: Store, who: str, password: str, tmp: Path, mp: pytest.MonkeyPatch, page: str = ""
) -> AppTest:
    """The app over ``store``, signed in as ``who``; on ``page`` if given (no exception)."""
    mp.setenv("HOME", str(tmp))
    mp.chdir(tmp)
    mp.setenv("NETRALITAS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.text_input(key="signin_username").input(who)
    at.text_input(key="signin_password").input(password)
    next(b for b in at.button if b.label == i18n.t("auth.signin_button", "id")).click()
    at.run()
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def recording_media_managers(monkeypatch: pytest.MonkeyPatch) -> list[MediaFileManager]:
    """AppTest builds a real MediaFileManager per run and drops it afterwards; keep them,
    so a test can do what the browser's click on a download button asks the server for."""
    managers: list[MediaFileManager] = []

    class Kept(MediaFileManager):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            managers.append(self)

    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", Kept)
    return managers


def deferred_file(mgr: MediaFileManager, file_id: str) -> bytes:
    """The deferred file ``file_id``, built now (raises when the build refuses)."""
    url = mgr.execute_deferred(file_id)
    file = mgr.read_file(url.rsplit("/", 1)[-1].split(".")[0])
    assert file is not None
    return file.content
