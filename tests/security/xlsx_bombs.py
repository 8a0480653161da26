"""Small XLSX files that unpack to a lot: built with zipfile, streamed (never held in memory)."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl

HEADER = ["nip", "nama", "jabatan", "jenjang_jabatan", "instansi", "provinsi", "kabupaten_kota"]
CHUNK = 1 << 20


def _base_members() -> dict[str, bytes]:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "roster"
    ws.append(HEADER)
    ws.append(["198001012005011001", "X", "Kepala", "JPT Pratama", "Dinas", "Bengkulu", "Mukomuko"])
    buf = io.BytesIO()
    wb.save(buf)
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def cell_bomb(path: Path, inflated_mb: int) -> Path:
    """One sheet whose second row holds one inline-string cell of ``inflated_mb`` MB."""
    members = _base_members()
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1">'
        + "".join(
            f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
            for i, h in enumerate(HEADER)
        )
        + '</row><row r="2"><c r="B2" t="inlineStr"><is><t>'
    ).encode()
    tail = b"</t></is></c></row></sheetData></worksheet>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
        for name, body in members.items():
            if name == "xl/worksheets/sheet1.xml":
                with out.open(name, "w", force_zip64=True) as f:
                    f.write(head)
                    block = b"A" * CHUNK
                    for _ in range(inflated_mb):
                        f.write(block)
                    f.write(tail)
            else:
                out.writestr(name, body)
    return path


def entries_bomb(path: Path, entries: int) -> Path:
    """A valid workbook plus ``entries`` tiny extra members."""
    members = _base_members()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, body in members.items():
            out.writestr(name, body)
        for i in range(entries):
            out.writestr(f"xl/media/pad{i}.bin", b"")
    return path


def lying_bomb(path: Path, inflated_mb: int, declared: int = 1_000_000) -> Path:
    """A cell bomb whose zip directory declares the big member at ``declared`` bytes (the
    workbook parser unpacks it all the same)."""
    cell_bomb(path, inflated_mb)
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:  # central directory records
        n = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + n] == name:
            struct.pack_into("<I", data, at + 24, declared)
        at += 4
    path.write_bytes(bytes(data))
    return path
