"""Cached derived objects (map decks, Plotly figures, query results) follow a new upload.

The pages keep figures and decks as shared resources keyed on the store's data version
(``dashboard.web.cache``); a commit must move that version, so the next run of the same
view, in the same process, draws the new figures rather than the cached ones.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ingest import roster
from dashboard.store.database import ENV_STORE, Store

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
# two Kalimantan Tengah officials, one signed: the province goes from no data to 50 %
KALTENG = """nip;nama;jabatan;jenjang_jabatan;instansi;provinsi;kabupaten_kota;status_tanda_tangan;tanggal_tanda_tangan
198003032007031003;Citra Dewi;Kepala Dinas;JPT Pratama;Dinas Kesehatan Kota Palangka Raya;Kalteng;Palangka Raya;sudah;21/09/2023
198004042008042004;Dedi Kurnia;Kepala Bidang;Administrator;Dinas Kesehatan Kota Palangka Raya;Kalimantan Tengah;Kota Palangka Raya;belum;
"""  # noqa: E501


def _region(at: AppTest, code: str) -> dict:
    """The pickable map record of a region, from the deck the page sent."""
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    regions = next(layer for layer in spec["layers"] if layer["id"] == "regions")
    return next(r for r in regions["data"] if r["code"] == code)


def test_map_and_figures_change_after_an_upload(
    monkeypatch: pytest.MonkeyPatch, seed_store: Store
) -> None:
    monkeypatch.setenv(ENV_STORE, str(seed_store.path))
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    before = _region(at, "62")
    assert before["line1"] == "tidak ada data"
    at.run()  # the same view again: served from the cache, the same deck
    assert _region(at, "62") == before

    report = roster.validate_roster(KALTENG.encode(), "kalteng.csv", store=seed_store)
    assert roster.commit_roster(report, seed_store, uploaded_by="test").upload_id
    at.run()
    assert not at.exception
    after = _region(at, "62")
    assert after["line1"] == "Sudah tanda tangan: 1 / 2"
    assert after["line2"] == "Tingkat tanda tangan: 50,0\u00a0%"
    assert after["fill"] != before["fill"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pejabat sasaran"] == "55"  # Bengkulu's report (53) + the two officials
