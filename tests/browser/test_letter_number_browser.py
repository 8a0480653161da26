"""One letter, one number, in a real browser: the DOCX and then the PDF of an agency's
letter carry the same number, the register holds it once, and after marking it sent no
button offers to mark an older letter."""

from __future__ import annotations

import io

import pytest
from browser_harness import RENDER_TIMEOUT_MS, App
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from dashboard import i18n
from dashboard.store.database import Store

pytestmark = pytest.mark.browser


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


def _agency(store: Store) -> str:
    """An agency with unsigned roster officials and no letter yet (raw SQL)."""
    return store.query(
        "SELECT agency_id, count(*) AS n FROM officials o WHERE superseded_by IS NULL "
        "AND NOT signed AND NOT EXISTS (SELECT 1 FROM followup_letters l "
        "WHERE l.agency_id = o.agency_id) GROUP BY agency_id ORDER BY n DESC, agency_id "
        "LIMIT 1 OFFSET 1"
    )["agency_id"][0]


def _numbers(store: Store, agency: str) -> list[str]:
    return store.query(
        "SELECT letter_number FROM followup_letters WHERE agency_id = $a ORDER BY sequence",
        {"a": agency},
    )["letter_number"].to_list()


def _generate(app: App, fmt: str) -> str:
    """Generate the letter in ``fmt``; the number the success notice names."""
    radio = app.page.locator('[data-testid="stRadio"]').filter(has_text=t("followup.format"))
    radio.first.get_by_text(fmt.upper(), exact=True).click()
    app.wait_idle()
    app.page.get_by_role("button", name=t("followup.generate")).click()
    notice = app.page.locator('[data-testid="stAlertContentSuccess"]')
    expect(notice).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    app.wait_idle()
    text = notice.inner_text()
    return text.split("Surat ", 1)[1].split(" ")[0]


@pytest.mark.parametrize("width", [390, 1366, 1920])
def test_docx_and_pdf_share_one_number(app: App, width: int) -> None:
    store = Store(app.server.store_path)
    agency = _agency(store)
    app.page.set_viewport_size({"width": width, "height": 900})
    app.goto("tindak-lanjut", f"tl_agency={agency}")

    number = _generate(app, "docx")
    name, data = app.download(t("followup.download", number=number))
    assert name.endswith(".docx")
    assert number in "\n".join(
        c.text for tb in Document(io.BytesIO(data)).tables for r in tb.rows for c in r.cells
    )
    again = _generate(app, "pdf")
    assert again == number
    name, data = app.download(t("followup.download", number=number))
    assert name.endswith(".pdf")
    pdf = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert number in pdf
    assert _numbers(store, agency) == [number]

    step = t("followup.step.reminder_1")
    mark = app.page.get_by_role("button", name=t("followup.mark_sent", number=number, step=step))
    expect(mark).to_have_count(1, timeout=RENDER_TIMEOUT_MS)
    mark.click()
    expect(app.page.get_by_text(t("followup.marked_sent", number=number))).to_be_visible(
        timeout=RENDER_TIMEOUT_MS
    )
    app.wait_idle()
    # no button offers to mark any letter sent any more
    prefix = t("followup.mark_sent", number="X", step="Y").split("X")[0].strip()
    assert app.page.get_by_role("button", name=prefix).count() == 0
    assert app.problems() == []
