"""Bytes of a text table -> text, with the encoding said and never papered over.

Offices send UTF-8 (with or without BOM), Excel's "Unicode Text" (UTF-16 with a
BOM, tab-separated) and Windows-1252 / Latin-1 from Indonesian-locale Excel. A file
copied together from several sources can mix UTF-8 and Windows-1252: decoding it
all as one of them turns "Đoàn" into mojibake without a sound. Here such a file is
read as UTF-8, each invalid run is read as Windows-1252, and the lines where that
happened are returned so the upload can warn about exactly those rows.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

BINARY_PROBE = 8192
# an escaped invalid byte run (``errors="surrogateescape"``)
_ESCAPED = re.compile("[\udc80-\udcff]+")


class TextUnreadable(Exception):
    """The bytes carry a BOM but are not valid in its encoding."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8" | "utf-8-sig" | "utf-16-le" | "utf-16-be" | "cp1252" | "latin-1"
    # 1-based physical lines holding bytes that are not valid in ``encoding``
    foreign_lines: tuple[int, ...] = ()


def utf16_bom(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """Control characters well beyond what a text table holds (a stray NUL is not enough:
    it is reported on its cell)."""
    if utf16_bom(data):
        return False
    probe = data[:BINARY_PROBE]
    control = sum(1 for b in probe if b < 32 and b not in (9, 10, 13))
    return control > max(4, len(probe) // 100)


def _single_byte(data: bytes) -> Decoded:
    try:
        # Windows-1252 is what Indonesian-locale Excel writes; it leaves five bytes undefined
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        return Decoded(data.decode("latin-1"), "latin-1")


def _repair_mixed(escaped: str, encoding: str) -> Decoded:
    """UTF-8 text whose invalid runs are read as Windows-1252; which lines needed it."""
    parts: list[str] = []
    lines: list[int] = []
    last, line, counted = 0, 1, 0
    for match in _ESCAPED.finditer(escaped):
        start = match.start()
        line += escaped.count("\n", counted, start)
        counted = start
        if not lines or lines[-1] != line:
            lines.append(line)
        raw = bytes(ord(ch) - 0xDC00 for ch in match.group())
        parts.append(escaped[last:start])
        parts.append(raw.decode("cp1252", errors="replace"))
        last = match.end()
    parts.append(escaped[last:])
    return Decoded("".join(parts), encoding, tuple(lines))


def decode(data: bytes) -> Decoded:
    """Detect the encoding and decode; raise :class:`TextUnreadable` for a lying BOM."""
    utf16 = utf16_bom(data)
    if utf16:
        try:
            return Decoded(data[2:].decode(utf16), utf16)
        except UnicodeDecodeError as exc:
            raise TextUnreadable(utf16) from exc
    encoding = "utf-8"
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    try:
        return Decoded(data.decode("utf-8"), encoding)
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")
    # valid multi-byte UTF-8 besides the invalid bytes: a mixed file, mostly UTF-8
    utf8_letters = _ESCAPED.sub("", escaped)
    if encoding == "utf-8-sig" or not utf8_letters.isascii():
        return _repair_mixed(escaped, encoding)
    return _single_byte(data)
