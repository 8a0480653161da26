"""The letterhead and signer set on the Admin page (Streamlit AppTest over a copy of the demo
store): until they are set, Tindak Lanjut warns that letters carry a placeholder and are
drafts; an admin sets them in the form, the change is audited, and the next letter carries
them and no placeholder; a viewer is refused by the access layer, and the refusal audited."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from docx import Document
from independent_figures import read_sql
from streamlit.testing.v1 import AppTest
from test_access_app import page_text

from dashboard import i18n
from dashboard.access import audit, auth
from dashboard.access import followup as fa
from dashboard.access.gate import Refused
from dashboard.queries import followup as q
from dashboard.store.database import Store

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
OFFICE = "Badan Kepegawaian Daerah Provinsi Uji"
SIGNER = "Dra. Siti Aminah, M.Si."
NIP = "197001011995032001"


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


def _docx_text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for tb in doc.tables for row in tb.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def store(demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    target = tmp_path / "letterhead.duckdb"
    shutil.copy(demo_store.path, target)
    monkeypatch.setenv("HOME", str(tmp_path))  # no secrets.toml of the machine: local mode
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NETRALITAS_STORE", str(target))
    return Store(target)


def _busiest(store: Store) -> str:
    return read_sql(
        store,
        "SELECT agency_id, count(*) AS n FROM officials WHERE superseded_by IS NULL "
        "AND NOT signed GROUP BY agency_id ORDER BY n DESC, agency_id LIMIT 1",
    )["agency_id"].item()


def _followup(agency: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("views/followup.py")
    at.session_state["fu_agency"] = agency
    at.run()
    assert not at.exception, at.exception
    return at


def _placeholder_warnings(at: AppTest) -> list[str]:
    head = t("followup.placeholder_warning", fields="X").split("X")[0]
    return [w.value for w in at.warning if w.value.startswith(head)]


def test_admin_sets_the_letterhead_and_the_next_letter_carries_it(store: Store) -> None:
    agency = _busiest(store)
    at = _followup(agency)
    warned = _placeholder_warnings(at)
    assert warned, page_text(at)
    assert t("letter.field.office_name") in warned[0] and t("letter.field.signer_name") in warned[0]
    assert t("followup.placeholder_where_admin") in warned[0]  # the local user is the admin

    at.switch_page("views/admin.py").run()
    assert not at.exception, at.exception
    assert any(w.value.startswith(t("admin.lh.pending", fields="X")[:10]) for w in at.warning)
    # a placeholder is not offered as a value to keep
    assert at.text_input(key="admin_lh_office_name").value == ""
    at.text_input(key="admin_lh_office_name").input(OFFICE)
    at.text_input(key="admin_lh_signer_position").input("Kepala Badan")
    at.text_input(key="admin_lh_signer_name").input(SIGNER)
    at.text_input(key="admin_lh_signer_nip").input("19700101 199503 2 001")
    at.text_input(key="admin_lh_city").input("Palangka Raya")
    next(b for b in at.button if b.label == t("admin.lh.save")).click()
    at.run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == [t("admin.lh.saved")]
    assert not [w for w in at.warning if "KONSEP" in w.value]
    saved = q.letter_settings(store)
    assert saved is not None
    assert (saved["office_name"], saved["signer_name"], saved["signer_nip"]) == (
        OFFICE,
        SIGNER,
        NIP,
    )
    logged = audit.log(store, actions=("letter.settings",))
    assert logged.height == 1
    assert (logged["outcome"][0], logged["channel"][0]) == ("ok", "web")
    assert "office_name" in json.loads(logged["detail"][0])["fields"]

    # Tindak Lanjut no longer warns, and the next letter carries the letterhead
    assert _placeholder_warnings(_followup(agency)) == []
    batch = fa.generate_letters(store, auth.User("adm", "admin"), [agency], fmt="docx")
    text = _docx_text(batch.files[0].data)
    assert OFFICE.upper() in text and SIGNER in text and f"NIP. {NIP}" in text
    for lang in i18n.LANGS:
        assert i18n.t("letter.default.office", lang).upper() not in text
        assert i18n.t("letter.default.signer_name", lang) not in text
    assert "KONSEP" not in text


def test_a_letter_before_the_letterhead_is_set_is_a_draft(store: Store) -> None:
    batch = fa.generate_letters(store, auth.User("adm", "admin"), [_busiest(store)], fmt="docx")
    text = _docx_text(batch.files[0].data)
    assert text.startswith(t("letter.draft_mark"))
    assert t("letter.default.office").upper() in text


def test_a_wrong_nip_is_refused_in_the_form_and_nothing_is_saved(store: Store) -> None:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("views/admin.py").run()
    at.text_input(key="admin_lh_office_name").input(OFFICE)
    at.text_input(key="admin_lh_signer_name").input(SIGNER)
    at.text_input(key="admin_lh_signer_nip").input("12345")
    next(b for b in at.button if b.label == t("admin.lh.save")).click()
    at.run()
    assert [e.value for e in at.error] == [t("admin.lh.bad_nip")]
    assert q.letter_settings(store) is None


@pytest.mark.parametrize("role", ["viewer", "analyst", "uploader"])
def test_only_admins_set_the_letterhead_and_a_refusal_is_audited(store: Store, role: str) -> None:
    assert not auth.User("x", role).can(auth.LETTER_SETTINGS)
    with pytest.raises(Refused):
        fa.save_letter_settings(
            store, auth.User("x", role), {"office_name": OFFICE, "signer_name": SIGNER}
        )
    assert q.letter_settings(store) is None
    denied = audit.log(store, actions=("letter.settings",))
    assert denied.height == 1 and denied["outcome"][0] == "denied" and denied["actor"][0] == "x"
