"""Upload templates (CSV and XLSX) for rosters and events.

The XLSX template formats every data column as Text, so Excel cannot turn an
NIP into ``1.98E+17`` in the first place, and its second sheet explains each
column with an example (Indonesian by default).
"""

from __future__ import annotations

import io

from dashboard.i18n import t
from dashboard.ingest import columns as C

# column -> example value (examples are data, not UI text: the same in both languages)
ROSTER_EXAMPLES: dict[str, str] = {
    C.NIP: "198503122010011002",
    C.NAMA: "Siti Rahmawati, S.E.",
    C.JABATAN: "Kepala Bidang Anggaran",
    C.JENJANG: "Administrator",
    C.INSTANSI: "Badan Keuangan dan Aset Daerah Kabupaten Mukomuko",
    C.UNIT_KERJA: "Bidang Anggaran",
    C.PROVINSI: "Bengkulu",
    C.KABUPATEN_KOTA: "Kabupaten Mukomuko",
    C.STATUS: "Sudah",
    C.TANGGAL: "25/09/2023",
    C.IKRAR: "Sudah",
    C.KETERANGAN: "",
}
EVENT_EXAMPLES: dict[str, str] = {
    C.EV_TANGGAL: "25/09/2023",
    C.EV_PRESISI: "tanggal",
    C.EV_INSTANSI: "Pemerintah Kabupaten Mukomuko",
    C.EV_PROVINSI: "Bengkulu",
    C.EV_KABUPATEN_KOTA: "Kabupaten Mukomuko",
    C.EV_JENIS: "pakta dan ikrar",
    C.EV_DIPIMPIN: "Sekretaris Daerah",
    C.EV_SAKSI: "KPU; Bawaslu",
    C.EV_DASAR: "Keputusan Bersama 22 September 2022",
    C.EV_PESERTA: "53",
    C.EV_SASARAN: "53",
    C.EV_SUDAH: "48",
    C.EV_RINGKASAN: "Penandatanganan pakta integritas oleh kepala OPD dan camat",
    C.EV_SUMBER: "ANTARA",
    C.EV_JUDUL: "",
    C.EV_TAUTAN: "",
}


def _spec(kind: str) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    if kind == "events":
        return C.EVENT_COLUMNS, C.EVENT_REQUIRED, EVENT_EXAMPLES
    return C.ROSTER_COLUMNS, C.ROSTER_REQUIRED, ROSTER_EXAMPLES


def template_csv(kind: str = "roster") -> bytes:
    """Header row only (UTF-8 with BOM, so Excel opens it with the right encoding)."""
    cols, _, _ = _spec(kind)
    return ("\ufeff" + ",".join(cols) + "\r\n").encode("utf-8")


def template_xlsx(kind: str = "roster", lang: str = "id") -> bytes:
    """Sheet 1: the header, columns formatted as Text; sheet 2: what each column means."""
    import xlsxwriter

    cols, required, examples = _spec(kind)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    text = wb.add_format({"num_format": "@"})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "num_format": "@"})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    bold = wb.add_format({"bold": True})
    data = wb.add_worksheet(t("upload.tpl.sheet_data", lang))
    for i, col in enumerate(cols):
        data.write_string(0, i, col, head)
        data.set_column(i, i, 24 if col != C.NIP else 22, text)
    data.freeze_panes(1, 0)
    guide = wb.add_worksheet(t("upload.tpl.sheet_guide", lang))
    titles = ("upload.tpl.col", "upload.tpl.required", "upload.tpl.meaning", "upload.tpl.example")
    for i, key in enumerate(titles):
        guide.write_string(0, i, t(key, lang), bold)
    prefix = "upload.tpl.ev." if kind == "events" else "upload.tpl."
    for r, col in enumerate(cols, start=1):
        guide.write_string(r, 0, col)
        must = col in required or (kind == "roster" and col == C.NIP)
        guide.write_string(r, 1, t("upload.tpl.yes" if must else "upload.tpl.no", lang))
        guide.write_string(r, 2, t(f"{prefix}{col}", lang), wrap)
        guide.write_string(r, 3, examples.get(col, ""))
    guide.set_column(0, 0, 28)
    guide.set_column(1, 1, 8)
    guide.set_column(2, 2, 80)
    guide.set_column(3, 3, 40)
    wb.close()
    return buf.getvalue()


def template_bytes(kind: str, fmt: str, lang: str = "id") -> bytes:
    """``kind`` roster/events, ``fmt`` csv/xlsx."""
    return template_xlsx(kind, lang) if fmt == "xlsx" else template_csv(kind)
