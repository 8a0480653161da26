"""Canonical upload columns and the header spellings that map onto them.

Offices name their columns in a dozen ways ("NIP", "Nomor Induk Pegawai",
"Tgl TTD", "OPD"); headers are compared by a key that ignores case, spaces and
punctuation. What maps to nothing is kept aside and reported, never an error.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

# joins a group header and its sub-header ("Tanda Tangan › Ikrar"; see reading.header_names)
GROUP_SEPARATOR = " \u203a "
HEADER_WORDS_FILE = Path(__file__).resolve().parent / "data" / "header_words.csv"

# -- roster --------------------------------------------------------------------------

NIP = "nip"
NAMA = "nama"
JABATAN = "jabatan"
JENJANG = "jenjang_jabatan"
INSTANSI = "instansi"
UNIT_KERJA = "unit_kerja"
PROVINSI = "provinsi"
KABUPATEN_KOTA = "kabupaten_kota"
STATUS = "status_tanda_tangan"
TANGGAL = "tanggal_tanda_tangan"
IKRAR = "ikrar"
KETERANGAN = "keterangan"

ROSTER_COLUMNS: tuple[str, ...] = (
    NIP,
    NAMA,
    JABATAN,
    JENJANG,
    INSTANSI,
    UNIT_KERJA,
    PROVINSI,
    KABUPATEN_KOTA,
    STATUS,
    TANGGAL,
    IKRAR,
    KETERANGAN,
)
# nip is required too, except for elected offices: checked per row, not per file
ROSTER_REQUIRED: tuple[str, ...] = (NAMA, JABATAN, INSTANSI, PROVINSI, STATUS)

ROSTER_ALIASES: dict[str, tuple[str, ...]] = {
    NIP: (
        "nip",
        "nomor induk pegawai",
        "no induk pegawai",
        "nip baru",
        "nip/nik",
        "employee id",
        "employee number",
    ),
    NAMA: (
        "nama",
        "nama lengkap",
        "nama pegawai",
        "nama pejabat",
        "nama asn",
        "name",
        "full name",
        "employee name",
    ),
    JABATAN: ("jabatan", "nama jabatan", "position", "title", "job title", "position title"),
    JENJANG: (
        "jenjang",
        "jenjang jabatan",
        "eselon",
        "jenis jabatan",
        "tingkat jabatan",
        "position level",
        "level",
    ),
    INSTANSI: (
        "instansi",
        "opd",
        "perangkat daerah",
        "nama instansi",
        "skpd",
        "agency",
        "institution",
        "government agency",
    ),
    UNIT_KERJA: ("unit kerja", "unit", "satuan kerja", "satker", "bidang", "work unit"),
    PROVINSI: ("provinsi", "propinsi", "prov", "province"),
    KABUPATEN_KOTA: (
        "kabupaten kota",
        "kab kota",
        "kabupaten",
        "kota",
        "kab",
        "regency",
        "regency city",
        "city",
    ),
    STATUS: (
        "status tanda tangan",
        "status ttd",
        "ttd",
        "status",
        "tanda tangan",
        "pakta integritas",
        "status pakta",
        "sudah ttd",
        "signed",
        "signature status",
        "pact signed",
        "integrity pact",
    ),
    TANGGAL: (
        "tanggal tanda tangan",
        "tgl ttd",
        "tanggal ttd",
        "tgl tanda tangan",
        "tanggal",
        "tgl",
        "date signed",
        "signed date",
        "signature date",
        "date of signing",
        "signing date",
        "date",
    ),
    IKRAR: ("ikrar", "ikrar netralitas", "status ikrar", "pledge", "pledged", "pledge status"),
    KETERANGAN: ("keterangan", "ket", "catatan", "note", "notes", "remarks"),
}

# -- events ----------------------------------------------------------------------------

EV_TANGGAL = "tanggal"
EV_PRESISI = "presisi_tanggal"
EV_INSTANSI = "instansi"
EV_PROVINSI = "provinsi"
EV_KABUPATEN_KOTA = "kabupaten_kota"
EV_JENIS = "jenis_kegiatan"
EV_DIPIMPIN = "dipimpin_oleh"
EV_SAKSI = "saksi"
EV_DASAR = "dasar_hukum"
EV_PESERTA = "jumlah_peserta"
EV_SASARAN = "jumlah_sasaran"
EV_SUDAH = "jumlah_sudah_tanda_tangan"
EV_RINGKASAN = "ringkasan"
EV_SUMBER = "sumber"
EV_JUDUL = "judul_sumber"
EV_TAUTAN = "tautan_sumber"

EVENT_COLUMNS: tuple[str, ...] = (
    EV_TANGGAL,
    EV_PRESISI,
    EV_INSTANSI,
    EV_PROVINSI,
    EV_KABUPATEN_KOTA,
    EV_JENIS,
    EV_DIPIMPIN,
    EV_SAKSI,
    EV_DASAR,
    EV_PESERTA,
    EV_SASARAN,
    EV_SUDAH,
    EV_RINGKASAN,
    EV_SUMBER,
    EV_JUDUL,
    EV_TAUTAN,
)
EVENT_REQUIRED: tuple[str, ...] = (EV_TANGGAL, EV_INSTANSI, EV_PROVINSI, EV_JENIS)

EVENT_ALIASES: dict[str, tuple[str, ...]] = {
    EV_TANGGAL: ("tanggal", "tgl", "tanggal kegiatan", "date", "event date"),
    EV_PRESISI: ("presisi tanggal", "presisi", "ketepatan tanggal", "date precision"),
    EV_INSTANSI: ("instansi", "opd", "perangkat daerah", "agency"),
    EV_PROVINSI: ("provinsi", "propinsi", "prov", "province"),
    EV_KABUPATEN_KOTA: ("kabupaten kota", "kab kota", "kabupaten", "kota", "regency", "city"),
    EV_JENIS: ("jenis kegiatan", "jenis", "kegiatan", "kind", "activity"),
    EV_DIPIMPIN: ("dipimpin oleh", "pemimpin", "dipimpin", "led by"),
    EV_SAKSI: ("saksi", "disaksikan", "witnesses", "witness"),
    EV_DASAR: ("dasar hukum", "dasar", "legal basis"),
    EV_PESERTA: ("jumlah peserta", "peserta", "participants"),
    EV_SASARAN: ("jumlah sasaran", "sasaran", "target", "targeted"),
    EV_SUDAH: (
        "jumlah sudah tanda tangan",
        "sudah tanda tangan",
        "jumlah ttd",
        "sudah ttd",
        "signed",
        "signed count",
    ),
    EV_RINGKASAN: ("ringkasan", "keterangan", "summary"),
    EV_SUMBER: ("sumber", "penerbit", "media", "source", "publisher"),
    EV_JUDUL: ("judul sumber", "judul berita", "judul", "source title", "title"),
    EV_TAUTAN: ("tautan sumber", "tautan", "link", "url", "source link"),
}


HEADER_SHOWN_CHARS = 60


def shorten(header: str, limit: int = HEADER_SHOWN_CHARS) -> str:
    """A header as a message shows it: one line, cut with "…" past ``limit`` characters (a
    pasted paragraph in a header cell would otherwise fill the report)."""
    one_line = " ".join(header.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "\u2026"


def header_key(text: str) -> str:
    """Case-, space- and punctuation-insensitive form of a header ("Tgl. TTD" -> "tglttd")."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def header_keys(text: str) -> list[str]:
    """The keys a header may match, best first: the whole header, then each part in
    parentheses, then the rest ("Employee ID (NIP)" -> employeeidnip, nip, employeeid).

    A grouped header ("Tanda Tangan › Ikrar › Status") also tries its last two parts, both
    ways round ("status ikrar"), then its sub-header alone ("Ikrar")."""
    if GROUP_SEPARATOR.strip() in text:
        parts = [p.strip() for p in text.split(GROUP_SEPARATOR.strip()) if p.strip()]
        keys = [header_key(text)]
        if len(parts) >= 2:
            keys += [header_key(parts[-1] + parts[-2]), header_key(parts[-2] + parts[-1])]
        if parts:
            keys += header_keys(parts[-1])
        return [k for k in dict.fromkeys(keys) if k]
    keys = [header_key(text)]
    inner = re.findall(r"\(([^()]*)\)", text)
    if inner:
        keys += [header_key(part) for part in inner]
        keys.append(header_key(re.sub(r"\([^()]*\)", " ", text)))
    return [k for k in dict.fromkeys(keys) if k]


@dataclass(frozen=True)
class ColumnMapping:
    """Which header of the file feeds which canonical column."""

    # canonical column -> header in the file
    columns: dict[str, str]
    # headers that map to nothing (kept aside, reported)
    extra: tuple[str, ...] = ()
    # headers that name a column already taken by an earlier header
    duplicate: tuple[str, ...] = ()
    missing_required: tuple[str, ...] = ()
    # canonical column -> the headers whose words could each name it (none of them is used)
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class WordRule:
    """A header names ``column`` when it holds every one of ``words`` (data/header_words.csv)."""

    column: str
    words: tuple[str, ...]
    example: str
    note: str


@cache
def header_word_rules() -> tuple[WordRule, ...]:
    """The word rules, in file order: the first rule a header satisfies decides."""
    with HEADER_WORDS_FILE.open(encoding="utf-8", newline="") as fh:
        return tuple(
            WordRule(r["column"], tuple(r["words"].split()), r["example"], r["note"])
            for r in csv.DictReader(fh)
        )


def header_words(text: str) -> set[str]:
    """The lower-case words of a header ("TGL. PENANDATANGANAN" -> {tgl, penandatanganan})."""
    return set(re.findall(r"[0-9a-z]+", text.lower()))


def by_words(header: str, rules: tuple[WordRule, ...]) -> str | None:
    """The column a header's words name (the first rule it satisfies), or None."""
    words = header_words(header)
    return next((r.column for r in rules if words.issuperset(r.words)), None)


def auto_mapping(
    headers: list[str],
    aliases: dict[str, tuple[str, ...]] = ROSTER_ALIASES,
    required: tuple[str, ...] = ROSTER_REQUIRED,
) -> ColumnMapping:
    """Map each header onto a canonical column by alias; the first header wins a column.

    A roster header that matches no alias is read by its words (``header_words.csv``):
    "STATUS PENANDATANGANAN" is the status column. When the words of two headers name the
    same column, neither is used and the ambiguity is reported (never a guess).
    """
    lookup: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            lookup.setdefault(header_key(name), canonical)
    rules = header_word_rules() if aliases is ROSTER_ALIASES else ()
    columns: dict[str, str] = {}
    extra: list[str] = []
    duplicate: list[str] = []
    worded: dict[str, list[str]] = {}
    for header in headers:
        column = next((lookup[k] for k in header_keys(header) if k in lookup), None)
        if column is None:
            found = by_words(header, rules)
            if found is None:
                extra.append(header)
            else:
                worded.setdefault(found, []).append(header)
        elif column in columns:
            duplicate.append(header)
        else:
            columns[column] = header
    ambiguous: list[tuple[str, tuple[str, ...]]] = []
    for column, named in worded.items():
        if column in columns:  # an alias named it already: the worded header is a repeat
            duplicate.extend(named)
        elif len(named) == 1:
            columns[column] = named[0]
        else:
            ambiguous.append((column, tuple(named)))
            extra.extend(named)
    mapping = with_columns(columns, headers, required, duplicate_hint=duplicate)
    if not ambiguous:
        return mapping
    unused = {h for _, named in ambiguous for h in named}
    return ColumnMapping(
        columns=mapping.columns,
        extra=tuple(h for h in mapping.extra if h not in unused),
        duplicate=mapping.duplicate,
        missing_required=mapping.missing_required,
        ambiguous=tuple(ambiguous),
    )


def with_columns(
    columns: dict[str, str],
    headers: list[str],
    required: tuple[str, ...] = ROSTER_REQUIRED,
    *,
    duplicate_hint: list[str] | None = None,
) -> ColumnMapping:
    """A mapping from an explicit choice (the upload page's editable mapping step)."""
    used = set(columns.values())
    duplicate = [h for h in (duplicate_hint or []) if h not in used]
    extra = [h for h in headers if h not in used and h not in duplicate]
    return ColumnMapping(
        columns={c: h for c, h in columns.items() if h in headers},
        extra=tuple(extra),
        duplicate=tuple(duplicate),
        missing_required=tuple(c for c in required if c not in columns),
    )


def apply_mapping(
    raw: pl.DataFrame, mapping: ColumnMapping, canonical: tuple[str, ...] = ROSTER_COLUMNS
) -> pl.DataFrame:
    """Rename to canonical columns (all String); an unmapped canonical column is all-null."""
    return raw.select(
        [
            (
                pl.col(mapping.columns[c]).cast(pl.String)
                if c in mapping.columns
                # repeated, not a literal: a literal alone would make a one-row frame
                else pl.repeat(None, pl.len(), dtype=pl.String)
            ).alias(c)
            for c in canonical
        ]
    )
