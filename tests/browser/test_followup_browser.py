"""The Tindak Lanjut page in a real browser: generate a letter for one agency, download it,
mark it as sent, see the step change on the page and both actions in the audit log."""

from __future__ import annotations

import io

import pytest
from browser_harness import RENDER_TIMEOUT_MS, App
from docx import Document

from dashboard import i18n
from dashboard.store.database import Store

pytestmark = pytest.mark.browser


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


def _stands(step: str) -> str:
    """The line saying where the agency stands, as read on screen (markdown bold dropped)."""
    text = t("followup.where_it_stands", step=step, state=t("followup.state.no_deadline"))
    return text.replace("**", "")


def _target(store: Store) -> tuple[str, list[str]]:
    """The agency with the most unsigned roster officials, and their NIPs (raw SQL)."""
    top = store.query(
        "SELECT agency_id, count(*) AS n FROM officials WHERE superseded_by IS NULL "
        "AND NOT signed GROUP BY agency_id ORDER BY n DESC, agency_id LIMIT 1"
    )["agency_id"][0]
    nips = store.query(
        "SELECT nip FROM officials WHERE superseded_by IS NULL AND NOT signed "
        "AND agency_id = $a ORDER BY nip",
        {"a": top},
    )["nip"].to_list()
    return top, nips


def test_generate_letter_mark_sent_and_audit(app: App) -> None:
    agency, nips = _target(Store(app.server.store_path))
    app.goto("tindak-lanjut", f"tl_agency={agency}")
    shot = app.screenshot("followup-before")
    assert app.title() == t("nav.followup") and app.problems() == [], shot
    assert _stands(t("followup.step.not_followed_up")) in app.screen_text()
    assert app.metric(t("followup.col.unsigned")) == str(len(nips))
    app.screenshot("followup-before")

    app.page.get_by_role("button", name=t("followup.generate")).click()
    app.wait_idle()
    success = app.page.locator('[data-testid="stAlertContentSuccess"]').inner_text()
    number = success.split("Surat ", 1)[1].split(" ")[0]  # after the icon's ligature text
    assert success.strip().endswith(t("followup.generated", number=number))
    name, data = app.download(t("followup.download", number=number))
    assert name.endswith(f"{agency}.docx")
    doc = Document(io.BytesIO(data))
    listed = sorted(row.cells[2].text for row in doc.tables[-1].rows[1:])
    assert listed == nips

    mark = t("followup.mark_sent", number=number, step=t("followup.step.reminder_1"))
    app.page.get_by_role("button", name=mark).click()
    app.wait_idle()
    assert _stands(t("followup.step.reminder_1")) in app.screen_text()
    assert t("followup.marked_sent", number=number) in app.screen_text()
    assert app.query()["tl_agency"] == [agency]
    assert app.problems() == []
    app.screenshot("followup-after")

    app.navigate(t("nav.admin"))
    # the audit table draws its cells after the run: wait for the agency's rows
    app.page.locator('[data-testid="stDataFrame"] [role="gridcell"]').filter(
        has_text=agency
    ).first.wait_for(state="attached", timeout=RENDER_TIMEOUT_MS)
    grids = app.page.locator('[data-testid="stDataFrame"]').count()
    rows = [r for i in range(grids) for r in app.grid_rows(i)]
    actions = [r for r in rows if agency in " ".join(r)]
    labels = {t("audit.action.letter.generate"), t("audit.action.letter.sent")}
    assert labels <= {cell for r in actions for cell in r}, rows[:6]
    assert t("audit.action.download") in {cell for r in rows for cell in r}
    assert not [n for n in nips if n in app.screen_text()]
    app.screenshot("followup-audit")
