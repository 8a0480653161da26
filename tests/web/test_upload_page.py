"""AppTest of the Unggah Roster page: upload a file, read the report, commit, see new figures."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.store.database import Store

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")


def open_upload(monkeypatch: pytest.MonkeyPatch, store: Store, lang: str = "id") -> AppTest:
    monkeypatch.setenv("NETRALITAS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=120)
    if lang != "id":
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("views/upload.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, key: str):  # noqa: ANN202
    return next(b for b in at.button if b.key == key)


def _report_table(at: AppTest):  # noqa: ANN202
    """The issue table: the dataframe with a message column."""
    return next(d.value for d in at.dataframe if {"Keterangan", "Message"} & set(d.value.columns))


def _muko(store: Store) -> tuple[int, int, str]:
    df = queries.summary(store, queries.Filters(), "kabupaten").filter(pl.col("code") == "1706")
    return df.select("target", "signed", "source").row(0)


def test_clerk_file_report_then_commit_valid_rows(
    monkeypatch: pytest.MonkeyPatch, seed_store: Store
) -> None:
    at = open_upload(monkeypatch, seed_store)
    at.file_uploader(key="roster_file").set_value(
        ("clerk.csv", mc.clerk_csv_bytes(), "text/csv")
    ).run()
    captions = " ".join(c.value for c in at.caption)
    assert "cp1252" in captions and "titik koma" in captions  # detected format shown
    # the mapping step is pre-filled from the headers
    assert (
        at.selectbox(key=next(s.key for s in at.selectbox if s.key.endswith("_nip"))).value == "NIP"
    )
    _button(at, "roster_check").click().run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Baris"] == "23" and metrics["Valid"] == "9"
    errors = len(
        [
            i
            for i in mc.CLERK_EXPECTED
            if i[2]
            not in {
                "extra_column",
                "position_level_inferred",
                "signed_without_date",
                "date_out_of_range",
                "nip_birthdate_implausible",
                "region_fuzzy",
            }
        ]
    )
    assert metrics["Galat"] == str(errors)
    table = _report_table(at)
    assert len(table) == len(mc.CLERK_EXPECTED)
    # strict policy first: committing is disabled while there are errors
    assert _button(at, "roster_commit").disabled
    at.radio(key="roster_policy").set_value("valid").run()
    assert not _button(at, "roster_commit").disabled
    assert _muko(seed_store) == (53, 48, "laporan")
    _button(at, "roster_commit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Tersimpan sebagai unggahan" in s.value for s in at.success)
    assert _muko(seed_store)[0] == 9 and _muko(seed_store)[2] == "roster"
    # the history tab lists it
    hist = at.dataframe[-1].value
    assert len(hist) == 1 and hist.iloc[0, 5] == 9


def test_filters_and_english(monkeypatch: pytest.MonkeyPatch, seed_store: Store) -> None:
    at = open_upload(monkeypatch, seed_store, lang="en")
    at.file_uploader(key="roster_file").set_value(
        ("clerk.csv", mc.clerk_csv_bytes(), "text/csv")
    ).run()
    _button(at, "roster_check").click().run()
    at.multiselect(key="roster_report_sev").set_value(["warning"]).run()
    table = _report_table(at)
    assert set(table["Severity"]) == {"Warning"}
    at.multiselect(key="roster_report_codes").set_value(["region_fuzzy"]).run()
    table = _report_table(at)
    assert table["Row"].tolist() == [17] and "by similarity" in table["Message"].iloc[0]


def test_unreadable_file_message(monkeypatch: pytest.MonkeyPatch, seed_store: Store) -> None:
    at = open_upload(monkeypatch, seed_store)
    at.file_uploader(key="roster_file").set_value(
        ("gambar.csv", mc.binary_bytes(), "text/csv")
    ).run()
    assert any("bukan tabel CSV" in e.value for e in at.error)


def test_event_form_commits_one_event(monkeypatch: pytest.MonkeyPatch, seed_store: Store) -> None:
    at = open_upload(monkeypatch, seed_store)
    before = seed_store.counts()
    at.text_input(key="ev_tanggal").set_value("2 Oktober 2023")
    at.text_input(key="ev_instansi").set_value("Pemkab Mukomuko")
    at.text_input(key="ev_kabupaten_kota").set_value("Mukomuko")
    at.text_input(key="ev_jumlah_sasaran").set_value("53")
    at.text_input(key="ev_jumlah_sudah_tanda_tangan").set_value("50")
    at.selectbox(key="ev_provinsi").set_value("Bengkulu")
    next(b for b in at.button if "Periksa dan simpan" in b.label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    after = seed_store.counts()
    assert after["events"] == before["events"] + 1
    assert after["signature_reports"] == before["signature_reports"] + 1
    # the newer report is now Mukomuko's figure
    assert _muko(seed_store) == (53, 50, "laporan")


def test_workbook_offers_the_roster_sheet_first(
    monkeypatch: pytest.MonkeyPatch, seed_store: Store
) -> None:
    """An ODS saved by LibreOffice Calc, instructions sheet first, title rows above the
    header: the sheet choice starts on the roster sheet and the header row is found."""
    ods = (Path(__file__).resolve().parents[1] / "uploads" / "office").joinpath(
        "title_rows_instructions.ods"
    )
    at = open_upload(monkeypatch, seed_store, lang="en")
    at.file_uploader(key="roster_file").set_value(
        ("roster.ods", ods.read_bytes(), "application/vnd.oasis.opendocument.spreadsheet")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="sheet_roster").value == "Data Pejabat"
    captions = " ".join(c.value for c in at.caption)
    assert "ODS workbook" in captions and "header on row 4" in captions
    _button(at, "roster_check").click().run()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Rows"], metrics["Valid"]) == ("3", "3")
