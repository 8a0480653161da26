"""The upload page with a workbook of one sheet per work unit: all of them read together,
and the rows each sheet gave are shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.store.database import Store

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
UNITS = Path(__file__).resolve().parents[1] / "uploads" / "office" / "units_50.ods"


def test_unit_sheets_are_read_together_and_counted_per_sheet(
    monkeypatch: pytest.MonkeyPatch, seed_store: Store
) -> None:
    monkeypatch.setenv("NETRALITAS_STORE", str(seed_store.path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("views/upload.py")
    at.run()
    at.file_uploader(key="roster_file").set_value(
        ("units.ods", UNITS.read_bytes(), "application/vnd.oasis.opendocument.spreadsheet")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    choice = at.selectbox(key="sheet_roster")
    assert choice.value is None  # every sheet with the roster's header, first
    assert choice.options[0] == "All 50 sheets with the roster's header"
    captions = " ".join(c.value for c in at.caption)
    assert "150 data rows" in captions
    assert "50 sheets read together" in captions
    assert "Sekretariat: 3, Bidang Anggaran: 3, Bidang Aset: 3" in captions
    assert "UPT Wilayah 45: 3." in captions
