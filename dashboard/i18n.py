"""The one translation table (Indonesian first, English second) and locale formatting.

Every user-facing string goes through :func:`t`; numbers and dates through
:func:`fmt_number`, :func:`fmt_percent` and :func:`fmt_date` (Babel), so the
English switch changes all of them at once.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGS = ("id", "en")
DEFAULT_LANG = "id"
_LOCALES = {"id": "id_ID", "en": "en_US"}

# key -> (Indonesian, English). Placeholders use str.format names.
TEXT: dict[str, tuple[str, str]] = {
    # vocabulary
    "level.provinsi": ("Provinsi", "Province"),
    "level.kabupaten": ("Kabupaten", "Regency"),
    "level.kota": ("Kota", "City"),
    "level.pusat": ("Pusat", "Central"),
    "kind.kementerian": ("Kementerian", "Ministry"),
    "kind.lembaga": ("Lembaga", "Agency"),
    "kind.pemerintah_daerah": ("Pemerintah daerah", "Regional government"),
    "kind.sekretariat": ("Sekretariat", "Secretariat"),
    "kind.dinas": ("Dinas", "Service office (dinas)"),
    "kind.badan": ("Badan", "Board (badan)"),
    "kind.inspektorat": ("Inspektorat", "Inspectorate"),
    "kind.kecamatan": ("Kecamatan", "District office"),
    "kind.kantor": ("Kantor", "Office"),
    "kind.lainnya": ("Lainnya", "Other"),
    "position.pejabat_negara": ("Pejabat negara (dipilih)", "Elected official"),
    "position.jpt_madya": ("JPT Madya", "Senior executive (JPT Madya)"),
    "position.jpt_pratama": ("JPT Pratama", "Executive (JPT Pratama)"),
    "position.administrator": ("Administrator", "Administrator"),
    "position.pengawas": ("Pengawas", "Supervisor"),
    "position.fungsional": ("Fungsional", "Functional"),
    "position.pelaksana": ("Pelaksana", "Staff"),
    "position.pppk": ("PPPK", "Contract ASN (PPPK)"),
    "event.pakta": ("Penandatanganan Pakta Integritas", "Integrity pact signing"),
    "event.ikrar": ("Pengucapan Ikrar Netralitas", "Neutrality pledge"),
    "event.pakta_ikrar": ("Pakta Integritas dan Ikrar", "Pact signing and pledge"),
    "precision.day": ("tanggal", "day"),
    "precision.month": ("bulan", "month"),
    "precision.year": ("tahun", "year"),
    "source.roster": ("roster", "roster"),
    "source.laporan": ("laporan", "report"),
    "source.demo": ("data contoh", "demo"),
    "source.none": ("tidak ada data", "no data"),
    # figures
    "col.code": ("Kode", "Code"),
    "col.name": ("Nama", "Name"),
    "col.province": ("Provinsi", "Province"),
    "col.regency": ("Kabupaten/Kota", "Regency/City"),
    "col.agency": ("Instansi", "Agency"),
    "col.target": ("Sasaran", "Targeted"),
    "col.signed": ("Sudah tanda tangan", "Signed"),
    "col.unsigned": ("Belum tanda tangan", "Not signed"),
    "col.rate": ("Tingkat tanda tangan", "Signature rate"),
    "col.pledged": ("Sudah ikrar", "Pledged"),
    "col.unpledged": ("Belum ikrar", "Not pledged"),
    "col.pledge_rate": ("Tingkat ikrar", "Pledge rate"),
    "col.source": ("Sumber angka", "Figure source"),
    "col.level": ("Tingkat", "Level"),
    "col.kind": ("Jenis", "Kind"),
    "col.position_level": ("Jenjang jabatan", "Position level"),
    "col.date": ("Tanggal", "Date"),
    "col.event_kind": ("Kegiatan", "Activity"),
    "col.led_by": ("Dipimpin oleh", "Led by"),
    "col.publisher": ("Penerbit", "Publisher"),
    "provincial_level": ("(tingkat provinsi)", "(provincial level)"),
    # validation rules (pandera checks -> clerk-readable text)
    "rule.required": ("Kolom {column} wajib diisi.", "Column {column} is required."),
    "rule.pattern": (
        "Nilai '{value}' pada kolom {column} tidak sesuai format.",
        "Value '{value}' in column {column} does not have the expected format.",
    ),
    "rule.not_allowed": (
        "Nilai '{value}' pada kolom {column} tidak termasuk pilihan yang diizinkan.",
        "Value '{value}' in column {column} is not one of the allowed values.",
    ),
    "rule.too_small": (
        "Nilai '{value}' pada kolom {column} terlalu kecil.",
        "Value '{value}' in column {column} is too small.",
    ),
    "rule.too_large": (
        "Nilai '{value}' pada kolom {column} terlalu besar.",
        "Value '{value}' in column {column} is too large.",
    ),
    "rule.too_short": (
        "Nilai pada kolom {column} terlalu pendek.",
        "Value in column {column} is too short.",
    ),
    "rule.duplicate": (
        "Nilai '{value}' pada kolom {column} muncul lebih dari sekali.",
        "Value '{value}' in column {column} appears more than once.",
    ),
    "rule.wrong_type": (
        "Kolom {column} bertipe salah.",
        "Column {column} has the wrong type.",
    ),
    "rule.signed_within_target": (
        "Jumlah yang sudah tanda tangan melebihi sasaran.",
        "More signed than targeted.",
    ),
    "demo_notice": (
        "Menampilkan data contoh (sintetis) — bukan data sebenarnya.",
        "Showing demo data (synthetic) — not real figures.",
    ),
    "approx_boundaries": (
        "Batas wilayah bersifat perkiraan: batas darat diperkirakan dari lokasi desa, "
        "garis pantai dari Natural Earth. Bukan batas resmi.",
        "Boundaries are approximate: inland borders estimated from village locations, "
        "coastlines from Natural Earth. Not official boundaries.",
    ),
}


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """Translate ``key``; an unknown key is returned as-is so gaps show up in screenshots."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**kwargs) if kwargs else text


def locale(lang: str) -> str:
    return _LOCALES.get(lang, _LOCALES[DEFAULT_LANG])


def fmt_number(value: float | int | None, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale(lang))


def fmt_percent(value: float | None, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """``value`` is a fraction (0.906 -> 90,6 %)."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%"
    return format_percent(value, format=pattern, locale=locale(lang))


def fmt_date(value: dt.date | None, lang: str = DEFAULT_LANG, precision: str = "day") -> str:
    """A date at its known precision: "25 Sep 2023", "Sep 2023" or "2023" — never a fake day."""
    if value is None:
        return "–"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return format_date(value, format="MMM yyyy", locale=locale(lang))
    return format_date(value, format="d MMM yyyy", locale=locale(lang))
