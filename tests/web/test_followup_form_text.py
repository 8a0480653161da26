"""The follow-up page (Streamlit AppTest over a copy of the demo store): an address list in
the contact form and a control character in a note are refused with a message naming what
is wrong, and nothing is stored; control characters already in the store are not shown."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
from independent_figures import read_sql
from streamlit.testing.v1 import AppTest
from test_access_app import page_text

from dashboard.queries import followup as q
from dashboard.store.database import Store

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DIRTY = "Dinas\x01 Uji\x02 \x1b[31mKendali\x7f\x9b"
APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")


def _open(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, dirty: bool = False
) -> tuple[AppTest, Store, str]:
    """The follow-up page opened on the busiest agency, as the single local user (admin);
    ``dirty``: that agency's name holds control characters, written past every check."""
    target = tmp_path / "form.duckdb"
    shutil.copy(demo_store.path, target)
    store = Store(target)
    agency = read_sql(
        store,
        "SELECT agency_id, count(*) AS n FROM officials WHERE superseded_by IS NULL "
        "AND NOT signed GROUP BY agency_id ORDER BY n DESC, agency_id LIMIT 1",
    )["agency_id"].item()
    if dirty:
        con = duckdb.connect(str(target))
        try:
            con.execute("UPDATE agencies SET name = ? WHERE agency_id = ?", [DIRTY, agency])
        finally:
            con.close()
    monkeypatch.setenv("HOME", str(tmp_path))  # no secrets.toml of the machine: local mode
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NETRALITAS_STORE", str(target))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("views/followup.py")
    at.session_state["fu_agency"] = agency
    at.run()
    assert not at.exception, at.exception
    return at, store, agency


@pytest.fixture
def page(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[AppTest, Store, str]:
    return _open(demo_store, tmp_path, monkeypatch)


def test_a_store_holding_control_characters_shows_the_page_without_them(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at, _store, _agency = _open(demo_store, tmp_path, monkeypatch, dirty=True)
    text = page_text(at)
    assert "Dinas Uji" in text and "Kendali" in text
    assert not CONTROL.search(text)


def _errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def test_contact_form_refuses_an_address_list(page: tuple[AppTest, Store, str]) -> None:
    at, store, _agency = page
    field = next(t for t in at.text_input if t.label == "Alamat surel")
    field.input("tu@dinas.example.go.id,spy")
    next(b for b in at.button if b.label == "Simpan kontak").click()
    at.run()
    assert not at.exception, at.exception
    assert "Bukan tepat satu alamat surel" in _errors(at)
    assert q.contacts(store).height == 0


def test_note_with_a_control_character_is_refused(page: tuple[AppTest, Store, str]) -> None:
    at, store, agency = page
    next(t for t in at.text_input if t.label == "Catatan").input("sudah\x01 ditelepon")
    next(b for b in at.button if b.label == "Catat tindakan").click()
    at.run()
    assert not at.exception, at.exception
    errors = _errors(at)
    assert "Catatan" in errors and "U+0001" in errors and "\x01" not in errors
    assert q.history(store, [agency]).height == 0
