"""Undo with care, in a real browser: the upload history reads in words and local time,
and a rollback happens only after a confirmation that says what it will change (rows,
agencies, target and signed before and after, compared with the store)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from app_server import Server, serve
from browser_harness import RENDER_TIMEOUT_MS, App, contexts
from playwright.sync_api import expect

from dashboard import i18n
from dashboard.ingest.roster import validate_roster
from dashboard.install import builtin
from dashboard.store.database import Store

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

pytestmark = pytest.mark.browser


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


def num(v: int) -> str:
    return i18n.fmt_number(v, i18n.DEFAULT_LANG)


@pytest.fixture(scope="module")
def small_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Its own app over a small demo store: this module writes to it."""
    tmp = tmp_path_factory.mktemp("rollback_app")
    store_path = tmp / "store.duckdb"
    builtin.install(Store(store_path), n_officials=2_000)
    with serve(store_path, tmp) as server:
        yield server


def _status(store: Store, upload_id: str) -> str:
    return store.query("SELECT status FROM uploads WHERE upload_id = $u", {"u": upload_id})[
        "status"
    ][0]


def _figures(store: Store, agencies: list[str]) -> tuple[int, int]:
    df = store.query(
        "SELECT signed FROM officials WHERE superseded_by IS NULL "
        "AND agency_id IN (SELECT unnest($a))",
        {"a": agencies},
    )
    return df.height, int(df["signed"].sum())


@pytest.mark.parametrize("width", [390, 1366, 1920])
def test_rollback_asks_first_and_says_what_changes(
    small_server: Server, browser: object, tmp_path: Path, width: int
) -> None:
    store = Store(small_server.store_path)
    with contexts(browser, small_server) as open_one:
        app: App = open_one()
        app.page.set_viewport_size({"width": width, "height": 900})
        app.goto("unggah-roster")
        roster = tmp_path / "mukomuko.csv"
        roster.write_bytes(mc.muko_v2_bytes())
        app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(roster)
        )
        app.wait_idle()
        app.page.get_by_role("button", name=t("upload.page.check")).click()
        app.wait_idle()
        app.page.get_by_role("button", name=t("upload.page.commit"), exact=True).click()
        app.wait_idle()
        upload_id = store.query(
            "SELECT upload_id FROM uploads WHERE kind = 'roster' AND status = 'committed' "
            "ORDER BY uploaded_at DESC LIMIT 1"
        )["upload_id"][0]
        rows = store.query(
            "SELECT DISTINCT agency_id FROM officials WHERE upload_id = $u", {"u": upload_id}
        )
        agencies = rows["agency_id"].to_list()
        n_rows = store.query(
            "SELECT count(*) AS n FROM officials WHERE upload_id = $u", {"u": upload_id}
        )["n"][0]
        before = _figures(store, agencies)

        app.page.get_by_role("tab", name=t("upload.page.tab_history")).click()
        history = app.page.locator('[data-testid="stDataFrame"]').last
        expect(history).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        app.wait_idle()
        text = app.screen_text()
        assert t("upload.history_zone", zone="WIB") in text and "UTC" not in text
        if width > 390:  # the grid draws the columns in view only; a phone shows the first
            assert t("upload.status.committed") in text and t("upload.mode.replace") in text
            assert " WIB" in " ".join(app.grid_texts(-1) or [text])

        app.page.get_by_role("button", name=t("upload.page.rollback")).click()
        warning = app.page.locator('[data-testid="stAlertContentWarning"]').filter(
            has_text=upload_id
        )
        expect(warning).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        said = warning.inner_text()
        assert f"{num(n_rows)} " in said and f"{num(len(agencies))} " in said
        assert f"{num(before[0])} →" in said and f"{num(before[1])} →" in said
        app.screenshot(f"rollback-confirm-{width}")
        assert _status(store, upload_id) == "committed"  # one click undid nothing

        app.page.get_by_role("button", name=t("upload.rollback.confirm")).click()
        expect(
            app.page.get_by_text(t("upload.page.rolled_back", upload_id=upload_id))
        ).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        assert _status(store, upload_id) == "rolled_back"
        after = _figures(store, agencies)
        assert f"→ {num(after[0])}" in said and f"→ {num(after[1])}" in said
        assert app.problems() == []


@pytest.mark.parametrize("width", [390, 1920])
def test_upload_report_leads_with_what_blocks(
    small_server: Server, browser: object, tmp_path: Path, width: int
) -> None:
    store = Store(small_server.store_path)
    data = mc.clerk_csv_bytes()
    expected = validate_roster(data, "clerk.csv", store=store)
    errors = expected.issues.filter(pl.col("severity") == "error")
    assert errors.height > 0 and expected.warnings  # the file mixes both
    with contexts(browser, small_server) as open_one:
        app: App = open_one()
        app.page.set_viewport_size({"width": width, "height": 900})
        app.goto("unggah-roster")
        roster = tmp_path / "clerk.csv"
        roster.write_bytes(data)
        app.page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(roster)
        )
        app.wait_idle()
        app.page.get_by_role("button", name=t("upload.page.check")).click()
        kinds = errors["code"].unique().len()
        head = t("upload.page.blocking", n=num(errors.height), kinds=num(kinds))
        blocking = app.page.locator('[data-testid="stAlertContentError"]').filter(
            has_text=head.replace("**", "")
        )
        expect(blocking).to_be_visible(timeout=RENDER_TIMEOUT_MS)
        app.wait_idle()
        said = blocking.inner_text()
        for code, n in errors.group_by("code").len().iter_rows():
            assert f"{code} · {num(n)}" in said
        # every message shown whole: the first of each kind, word for word
        for message in errors.group_by("code", maintain_order=True).first()["message"]:
            assert message in said
        # errors stand above the issue table, inside the page's width
        box = blocking.bounding_box()
        table = app.page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        assert box is not None and table is not None
        assert box["y"] + box["height"] <= table["y"] and box["x"] + box["width"] <= width
        app.screenshot(f"upload-report-{width}")
        # why "Simpan" waits is said in words, and the choice to save valid rows enables it
        commit = app.page.get_by_role("button", name=t("upload.page.commit"), exact=True)
        expect(commit).to_be_disabled()
        assert t("upload.page.why_disabled") in app.screen_text()
        left = expected.rows - expected.valid_rows
        valid = t("upload.page.policy.valid", valid=num(expected.valid_rows), left=num(left))
        app.page.get_by_text(valid, exact=True).click()
        expect(commit).to_be_enabled(timeout=RENDER_TIMEOUT_MS)
