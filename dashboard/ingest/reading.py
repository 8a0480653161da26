"""Turn an uploaded file (bytes) into a frame of strings, saying how it was read.

Rosters come as CSV with commas, semicolons (Indonesian-locale Excel) or tabs,
in UTF-8 with or without BOM, UTF-16 (Excel's "Unicode Text") or Windows-1252
(see ``decoding``), or as XLSX, XLS or ODS workbooks (read by calamine through
fastexcel). Every cell is read as text — an NIP or a region code read as a number
loses digits. The header row is found below title rows in every format, and in a
workbook the sheet that holds it is chosen. Blank rows, numbering rows and the
footer below the table are not data (see ``layout``); kept rows keep their
spreadsheet row numbers. A file that cannot be read at all raises
:class:`UnreadableFile` (the CLI's exit code 2).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from dashboard.ingest import decoding, layout, markup
from dashboard.ingest.columns import GROUP_SEPARATOR, header_keys

SNIFF_BYTES = 1024
HEADER_SEARCH_ROWS = 15
DELIMITERS = ",;\t|"
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
BINARY_PROBE = decoding.BINARY_PROBE
ROW = "_row"
# Limits checked before any parsing (a 1 MB XLSX can inflate to gigabytes); each can be
# changed through the environment variable named here.
LIMITS = {
    "NETRALITAS_MAX_INFLATED_MB": 200,  # all members of an XLSX, unpacked
    "NETRALITAS_MAX_ZIP_ENTRIES": 5000,  # members of an XLSX
    "NETRALITAS_MAX_ZIP_RATIO": 100,  # unpacked / packed size, for members over 1 MB unpacked
    "NETRALITAS_MAX_ROWS": 5_000_000,  # data rows of a CSV (an XLSX sheet stops at 1,048,576)
}
RATIO_FLOOR = 1 << 20  # small members compress however they like
INFLATE_CHUNK = 1 << 20


class UnreadableFile(Exception):
    """The file cannot be read as a table at all; ``code`` is a stable error code."""

    def __init__(self, code: str, **detail: object) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


def limit(name: str) -> int:
    """The limit ``name`` of :data:`LIMITS`, from the environment when set to a positive int."""
    try:
        value = int(os.environ.get(name, ""))
    except ValueError:
        return LIMITS[name]
    return value if value > 0 else LIMITS[name]


def check_archive(data: bytes) -> None:
    """Refuse an XLSX whose zip directory promises more than the limits, before parsing it.

    Only the central directory is read (``infolist``): nothing is inflated. Raises
    :class:`UnreadableFile` (``archive_too_large`` / ``archive_too_many_entries``).
    """
    if not data.startswith(XLSX_MAGIC):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
    max_entries = limit("NETRALITAS_MAX_ZIP_ENTRIES")
    if len(members) > max_entries:
        raise UnreadableFile("archive_too_many_entries", value=len(members), detail=max_entries)
    max_mb = limit("NETRALITAS_MAX_INFLATED_MB")
    total = sum(m.file_size for m in members)
    if total > max_mb * 1_000_000:
        raise UnreadableFile("archive_too_large", value=_mb(total), detail=max_mb)
    max_ratio = limit("NETRALITAS_MAX_ZIP_RATIO")
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > max_ratio * max(m.compress_size, 1):
            raise UnreadableFile("archive_too_large", value=_mb(m.file_size), detail=max_mb)
    # the directory can lie (a member declared at 1 MB that inflates to 1 GB, which the
    # workbook parser would still unpack): inflate each member in small pieces, keeping
    # nothing, and stop as soon as it yields more than it declared
    view = memoryview(data)
    for m in members:
        if _inflated_size(view, m, limit=m.file_size) > m.file_size:
            raise UnreadableFile("archive_too_large", value=f"> {_mb(m.file_size)}", detail=max_mb)


def _inflated_size(view: memoryview, member: zipfile.ZipInfo, limit: int) -> int:
    """Bytes ``member`` really inflates to, counted up to just past ``limit``."""
    head = view[member.header_offset : member.header_offset + 30]
    if len(head) < 30 or bytes(head[:4]) != XLSX_MAGIC:
        raise UnreadableFile("file_unreadable", reason="local header")
    name_len, extra_len = (
        int.from_bytes(head[26:28], "little"),
        int.from_bytes(head[28:30], "little"),
    )
    start = member.header_offset + 30 + name_len + extra_len
    raw = view[start : start + member.compress_size]
    if member.compress_type == zipfile.ZIP_STORED:
        return len(raw)
    if member.compress_type != zipfile.ZIP_DEFLATED:
        raise UnreadableFile("file_unreadable", reason="compression")
    inflater = zlib.decompressobj(-15)
    total = 0
    for at in range(0, len(raw), INFLATE_CHUNK):
        pending: bytes = bytes(raw[at : at + INFLATE_CHUNK])
        while pending:
            try:
                out = inflater.decompress(pending, INFLATE_CHUNK)
            except zlib.error as exc:
                raise UnreadableFile("file_unreadable", reason="deflate") from exc
            total += len(out)
            if total > limit:
                return total
            pending = inflater.unconsumed_tail
    return total


def _mb(size: int) -> str:
    return f"{size / 1_000_000:,.0f}"


def sheet_names(data: bytes) -> list[str]:
    """The sheets of a workbook (empty when it cannot be opened); guarded like a read."""
    check_archive(data)
    import fastexcel

    try:
        return list(fastexcel.read_excel(data).sheet_names)
    except Exception:  # noqa: BLE001 - an unreadable workbook is reported by the reader
        return []


@dataclass(frozen=True)
class SheetPart:
    """One sheet of a workbook read together with others: where its rows sit in the frame."""

    name: str
    start: int  # the first ``_row`` of this sheet in the combined frame
    header_row: int  # spreadsheet row of the sheet's (last) header row
    rows: int  # data rows kept
    skipped: tuple[int, ...] = ()  # footer rows, as the sheet numbers them


@dataclass(frozen=True)
class FileFormat:
    kind: str  # "csv" | "xlsx" | "xls" | "ods"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_row: int = 1  # spreadsheet row of the header
    # no sheet was asked for and the workbook has several: this one held the header
    sheet_chosen: bool = False
    # the sheets read together (one per work unit), in workbook order; empty for one table
    parts: tuple[SheetPart, ...] = ()
    # (sheet, reason) of each sheet of a workbook that was not read: "instructions",
    # "empty" or "other_table"
    not_read: tuple[tuple[str, str], ...] = ()


@dataclass
class RawTable:
    """Cells as text, headers as the user wrote them; ``_row`` is not a column."""

    frame: pl.DataFrame
    fmt: FileFormat
    file_name: str
    sha256: str
    # workbooks only: per column, True where the cell held a number or date rather than text
    non_text: dict[str, pl.Series] = field(default_factory=dict)
    # per kept row, its 0-based position below the header (blank rows dropped in between)
    positions: pl.Series | None = None
    # spreadsheet rows of the footer (totals, signature block): skipped, reported once
    skipped: tuple[int, ...] = ()
    # spreadsheet rows holding bytes not valid in the file's encoding (read as cp1252)
    foreign_rows: tuple[int, ...] = ()

    @property
    def headers(self) -> list[str]:
        return self.frame.columns

    def spreadsheet_row(self, index: int) -> int:
        """0-based position below the header -> the row number a spreadsheet shows."""
        return index + self.fmt.header_row + 1

    def row_index(self) -> pl.Series:
        """``_row`` per kept row: its 0-based position below the header (Int64)."""
        if self.positions is None:
            return pl.int_range(self.frame.height, eager=True, dtype=pl.Int64).alias(ROW)
        return self.positions.cast(pl.Int64).alias(ROW)

    def indexed(self) -> pl.DataFrame:
        """The frame with ``_row`` first."""
        return self.frame.select(self.row_index(), pl.all())  # a new frame: raw stays as read

    def row_number(self, index: pl.Expr) -> pl.Expr:
        """``_row`` -> the row number the sheet (or CSV) holding it shows."""
        parts = self.fmt.parts
        if len(parts) <= 1:
            return index + self.fmt.header_row + 1
        return _by_part(index, parts, lambda p: index - p.start + p.header_row + 1)

    def sheet_name(self, index: pl.Expr) -> pl.Expr:
        """``_row`` -> the sheet holding it; null unless several sheets were read."""
        parts = self.fmt.parts
        if len(parts) <= 1:
            return pl.lit(None, dtype=pl.String)
        return _by_part(index, parts, lambda p: pl.lit(p.name, dtype=pl.String))

    def row_label(self, index: pl.Expr) -> pl.Expr:
        """``_row`` -> "7", or "Bidang Aset!7" when several sheets were read."""
        number = self.row_number(index).cast(pl.String)
        if len(self.fmt.parts) <= 1:
            return number
        return pl.concat_str([self.sheet_name(index), number], separator="!")


def _by_part(
    index: pl.Expr, parts: tuple[SheetPart, ...], value: Callable[[SheetPart], pl.Expr]
) -> pl.Expr:
    """``value(part)`` for the sheet whose rows hold ``index`` (sheets sit one after another)."""
    chain: Any = pl.when(index.is_null()).then(None)  # a whole-file issue: no sheet
    chain = chain.when(index >= parts[-1].start).then(value(parts[-1]))
    for part in reversed(parts[:-1]):
        chain = chain.when(index >= part.start).then(value(part))
    return chain.otherwise(value(parts[0]))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sample_lines(text: str) -> list[str]:
    """The complete lines in roughly the first KB (or the first line if it is longer)."""
    head = text[: SNIFF_BYTES * 4]
    cut = head.rfind("\n", 0, max(SNIFF_BYTES, head.find("\n") + 1))
    sample = head[: cut if cut > 0 else len(head)]
    return sample.splitlines()[: HEADER_SEARCH_ROWS + 5]


def sniff_delimiter(lines: list[str]) -> str:
    """csv.Sniffer on the sample; if it gives up, the candidate most frequent on line one."""
    sample = "\n".join(lines)
    try:
        found = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
        if found in DELIMITERS:
            return found
    except csv.Error:
        pass
    first = lines[0] if lines else ""
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def find_header(rows: Iterable[Iterable[object]], known: Collection[str]) -> tuple[int, int]:
    """(0-based index, known-header count) of the first row with at least two known headers.

    Office spreadsheets often carry a title ("DAFTAR PEJABAT …") above the header.
    """
    for i, row in enumerate(rows):
        if i >= HEADER_SEARCH_ROWS:
            break
        score = sum(any(k in known for k in header_keys(str(c or ""))) for c in row)
        if score >= 2:
            return i, score
    return 0, 0


HEADER_BLOCK_MAX = 3
# a cell of numbers, dates or a column-number row: data, never a sub-header
_DATA_LIKE = re.compile(r"^[\d\s.,/:()\-+]*$")


def _cells(row: Sequence[object], width: int) -> list[str]:
    out = ["" if c is None else " ".join(str(c).split()) for c in row]
    return out + [""] * (width - len(out))


def _is_sub_header(top: Sequence[object], below: Sequence[object]) -> bool:
    """Whether ``below`` continues the header ``top``: it names the columns under a merged
    group ("Tanda Tangan" over "Pakta Integritas" and "Ikrar"), and nothing under a header
    merged over both rows (those cells are blank, in a merge range or in a CSV alike)."""
    width = max(len(top), len(below))
    t, b = _cells(top, width), _cells(below, width)
    if sum(1 for c in t if c) < 2 or not any(b):
        return False
    if any(_DATA_LIKE.match(c) for c in b if c):
        return False
    grouped = False
    j = next((i for i, c in enumerate(t) if c), width)
    while j < width:
        k = j + 1
        while k < width and not t[k]:
            k += 1
        under = sum(1 for c in b[j:k] if c)
        if b[j] and under == 1:
            return False  # a one-column header with a cell below it: a data row
        grouped = grouped or under >= 2
        j = k
    return grouped


def header_block(rows: Sequence[Sequence[object]], at: int) -> tuple[int, int]:
    """(first row, number of rows) of the header block around row ``at`` (the row with the
    known headers): a group row above it, sub-header rows below it; three rows at most."""
    first = at
    if first > 0 and _is_sub_header(rows[first - 1], rows[first]):
        first -= 1
    last = at
    while last - first + 1 < HEADER_BLOCK_MAX and last + 1 < len(rows):
        if not _is_sub_header(_lowest(rows[first : last + 1]), rows[last + 1]):
            break
        last += 1
    return first, last - first + 1


def _lowest(block: Sequence[Sequence[object]]) -> list[str]:
    """Per column, the lowest filled cell of a header block (what a row below continues)."""
    width = max(len(r) for r in block)
    grid = [_cells(r, width) for r in block]
    return [next((r[j] for r in reversed(grid) if r[j]), "") for j in range(width)]


def header_names(block: Sequence[Sequence[object]]) -> list[str]:
    """Each column's name from a header block: group and sub-header joined ("Tanda Tangan ›
    Ikrar"). A group's label covers the blank cells to its right that have a sub-header."""
    width = max(len(r) for r in block)
    grid = [_cells(r, width) for r in block]
    for r in reversed(range(len(grid) - 1)):  # a sub-group first: its group covers it
        row, below = grid[r], grid[r + 1]
        label = ""
        for j in range(width):
            if row[j]:
                label = row[j] if below[j] else ""  # a group has a sub-header under its anchor
            elif label and below[j]:
                row[j] = label
            else:
                label = ""
    names = []
    for j in range(width):
        parts: list[str] = []
        for cells in grid:
            if cells[j] and (not parts or parts[-1] != cells[j]):
                parts.append(cells[j])
        names.append(GROUP_SEPARATOR.join(parts))
    return names


def _delimiter_and_header(lines: list[str], known: Collection[str]) -> tuple[str, int]:
    """The delimiter under which a known header shows up (a title row fools the sniffer)."""
    sniffed = sniff_delimiter(lines)
    best = (sniffed, *find_header(csv.reader(lines, delimiter=sniffed), known))
    for d in DELIMITERS:
        idx, score = find_header(csv.reader(lines, delimiter=d), known)
        if score > best[2]:
            best = (d, idx, score)
    return best[0], best[1]


_DUPLICATED = re.compile(r"^(.*?)_duplicated_\d+$")  # polars' name for a repeated header


def _tidy(
    frame: pl.DataFrame, names: list[str] | None = None
) -> tuple[pl.DataFrame, dict[str, str]]:
    """Name blank headers after their column letter ("Kolom I"), a repeated one after its
    letter too ("NIP (D)"); drop blank-headed empty columns. No internal name survives.

    ``names``: the headers, when the frame's columns are placeholders. Returns the frame and
    the old -> new column names.
    """
    renames: dict[str, str] = {}
    for i, column in enumerate(frame.columns):
        name = names[i] if names is not None and i < len(names) else column
        repeated = _DUPLICATED.match(name)
        if repeated:
            name = repeated.group(1)
        name = " ".join(name.split())
        blank = name == "" or name.startswith("__UNNAMED__")
        if blank and frame[column].null_count() == frame.height:
            continue
        label = f"Kolom {_column_letter(i)}" if blank else name
        if label in renames.values():
            label = f"{label} ({_column_letter(i)})"
        renames[column] = label
    return frame.select([pl.col(o).cast(pl.String).alias(n) for o, n in renames.items()]), renames


def _column_letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def read_csv(
    data: bytes, known_headers: Collection[str]
) -> tuple[pl.DataFrame, FileFormat, tuple[int, ...], list[str] | None]:
    """The frame (data rows only), how it was read, the lines whose bytes were not in the
    encoding, and the header of each column (from a header of one to three rows)."""
    foreign: tuple[int, ...] = ()
    if data.isascii():  # the common case, checked at memory speed: no decode needed
        decoded, encoding = data[: SNIFF_BYTES * 4].decode("ascii"), "utf-8"
    else:
        try:
            found = decoding.decode(data)
        except decoding.TextUnreadable as exc:
            raise UnreadableFile("file_unreadable", reason=str(exc)) from exc
        decoded, encoding, foreign = found.text, found.encoding, found.foreign_lines
    lines = _sample_lines(decoded)
    if not any(ln.strip() for ln in lines):
        raise UnreadableFile("file_empty")
    delimiter, header_at = _delimiter_and_header(lines, known_headers)
    # records, not lines: a header cell may hold a line break ("STATUS\nPENANDATANGANAN")
    try:
        records = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter))
    except csv.Error:  # a field past csv's size limit: the parser's own header stands
        records = []
    first, count = header_block(records, header_at) if header_at < len(records) else (header_at, 1)
    block = records[first : first + count]
    names = header_names(block) if block else None
    # polars reads UTF-8 only: hand it the original bytes when they already are
    payload = data[3:] if encoding == "utf-8-sig" else data
    if encoding not in ("utf-8", "utf-8-sig") or foreign:
        payload = decoded.encode("utf-8")
    try:
        frame = pl.read_csv(
            io.BytesIO(payload),
            separator=delimiter,
            infer_schema=False,
            skip_lines=first,
            truncate_ragged_lines=True,
            quote_char='"',
            n_rows=limit("NETRALITAS_MAX_ROWS") + 1,
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
    if names is not None and len(names) != frame.width:
        names = None  # the sample saw another shape than the parser: its own header stands
    fmt = FileFormat(kind="csv", encoding=encoding, delimiter=delimiter, header_row=first + count)
    return frame.slice(count - 1), fmt, foreign, names


def _choose_sheet(reader: object, names: list[str], known: Collection[str]) -> int:
    """The first sheet whose top rows hold the best-scoring known header (ties: the first).

    A workbook often opens with an instructions or cover sheet; the roster is elsewhere.
    """
    best, best_score = 0, 0
    for idx in range(len(names)):
        head = reader.load_sheet(  # type: ignore[attr-defined]
            idx, header_row=None, n_rows=HEADER_SEARCH_ROWS, dtypes="string"
        )
        _, score = find_header(head.to_polars().rows(), known)
        if score > best_score:
            best, best_score = idx, score
    return best


def _unless_panic(exc: BaseException) -> BaseException:
    """calamine (Rust) panics on some malformed workbooks, and pyo3 raises that as
    ``PanicException``, a BaseException: it means "not a workbook" too. Anything else
    (KeyboardInterrupt, SystemExit) goes on as it was."""
    if type(exc).__name__ == "PanicException":
        return UnreadableFile("file_unreadable", reason="PanicException")
    return exc


def preferred_sheet(data: bytes, known_headers: Collection[str]) -> str | None:
    """The sheet :func:`read_table` reads when none is asked for (the upload page offers it
    first); None when the workbook cannot be opened."""
    import fastexcel

    check_archive(data)
    try:
        reader = fastexcel.read_excel(data)
        names = list(reader.sheet_names)
        return names[_choose_sheet(reader, names, known_headers)] if names else None
    except Exception:  # noqa: BLE001 - an unreadable workbook is reported by the reader
        return None
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":
            return None
        raise


def roster_sheets(data: bytes, known_headers: Collection[str]) -> list[str]:
    """The sheets :func:`read_table` reads together when none is asked for (empty when the
    workbook cannot be opened)."""
    import fastexcel

    check_archive(data)
    try:
        reader = fastexcel.read_excel(data)
        names = list(reader.sheet_names)
        return [names[i] for i in _survey(reader, names, known_headers)[0]] if names else []
    except Exception:  # noqa: BLE001 - an unreadable workbook is reported by the reader
        return []
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":
            return []
        raise


def workbook_kind(data: bytes) -> str | None:
    """ "xlsx", "ods" or "xls" from the first bytes, else None (not a workbook)."""
    if data.startswith(XLS_MAGIC):
        return "xls"
    if data.startswith(XLSX_MAGIC):
        # an ODS file stores its mimetype first, uncompressed
        return "ods" if ODS_MIMETYPE in data[:200] else "xlsx"
    return None


@dataclass
class _Sheet:
    """One sheet as read: columns named from its header block, every row below it."""

    name: str
    frame: pl.DataFrame  # placeholder column names ``c0``, ``c1`` …
    names: list[str]  # the header of each column
    typed: pl.DataFrame  # True where a cell held a number or date (same shape)
    header_row: int  # spreadsheet row of the block's last row


def _field(header: object, known: Collection[str]) -> str | None:
    """The column a header names: its first known key, or the field that key maps to when
    ``known`` is a key -> field mapping ("NIP" and "Nomor Induk Pegawai" alike)."""
    key = next((k for k in header_keys(str(header or "")) if k in known), None)
    if key is None or not isinstance(known, Mapping):
        return key
    return str(known[key])


def _recognised(names: Sequence[object], known: Collection[str]) -> frozenset[str]:
    """The fields a header row names (what makes two sheets the same table)."""
    return frozenset(f for f in (_field(c, known) for c in names) if f is not None)


def _survey(
    reader: object, names: list[str], known: Collection[str]
) -> tuple[list[int], list[tuple[str, str]]]:
    """The sheets to read (the best-scoring one and every sheet with the same header) and
    why each other sheet is not read."""
    heads = [
        reader.load_sheet(  # type: ignore[attr-defined]
            idx, header_row=None, n_rows=HEADER_SEARCH_ROWS, dtypes="string"
        )
        .to_polars()
        .rows()
        for idx in range(len(names))
    ]
    return survey_heads(heads, names, known)


def survey_heads(
    heads: Sequence[Sequence[Sequence[object]]], names: list[str], known: Collection[str]
) -> tuple[list[int], list[tuple[str, str]]]:
    """:func:`_survey` over the top rows of each table."""
    scores: list[tuple[int, frozenset[str] | None, str]] = []
    for rows in heads:
        at, score = find_header(rows, known)
        if score < 2:
            filled = any(c is not None and str(c).strip() for r in rows for c in r)
            scores.append((score, None, "instructions" if filled else "empty"))
            continue
        first, count = header_block(rows, at)
        scores.append((score, _recognised(header_names(rows[first : first + count]), known), ""))
    best = max(range(len(names)), key=lambda i: (scores[i][0], -i))
    if scores[best][1] is None:
        return [best], [(names[i], r) for i, (_, _, r) in enumerate(scores) if i != best]
    read, skipped = [], []
    for idx, (_, keys, reason) in enumerate(scores):
        if idx == best or (keys is not None and keys == scores[best][1]):
            read.append(idx)
        else:
            skipped.append((names[idx], reason or "other_table"))
    return read, skipped


def sheet_from_rows(
    name: str, rows: list[list[str | None]], non_text: list[list[bool]], known: Collection[str]
) -> _Sheet:
    """A table read by another parser (an HTML or XML workbook) as a :class:`_Sheet`."""
    width = max((len(r) for r in rows), default=0)
    columns = [f"c{i}" for i in range(width)]
    padded = [list(r) + [None] * (width - len(r)) for r in rows]
    flags = [list(f) + [False] * (width - len(f)) for f in non_text]
    frame = pl.DataFrame(padded, schema=dict.fromkeys(columns, pl.String), orient="row")
    typed = pl.DataFrame(
        [[True if f else None for f in r] for r in flags],
        schema=dict.fromkeys(columns, pl.Boolean),
        orient="row",
    )
    head = frame.head(HEADER_SEARCH_ROWS).rows()
    at, _ = find_header(head, known)
    first, count = header_block(head, at) if head else (0, 1)
    names = header_names(head[first : first + count]) if head else []
    body = first + count
    return _Sheet(name, frame.slice(body), names, typed.slice(body), body)


def _load_sheet(reader: object, idx: int, name: str, known: Collection[str]) -> _Sheet:
    frame, typed = (
        reader.load_sheet(  # type: ignore[attr-defined]
            idx,
            header_row=None,
            dtypes=dtypes,
            skip_whitespace_tail_rows=True,
            n_rows=limit("NETRALITAS_MAX_ROWS") + HEADER_SEARCH_ROWS + 1,
        ).to_polars()
        # a boolean load keeps only non-text cells: how we tell a number-typed NIP cell
        for dtypes in ("string", "boolean")
    )
    head = frame.head(HEADER_SEARCH_ROWS).rows()
    at, _ = find_header(head, known)
    first, count = header_block(head, at) if head else (0, 1)
    names = header_names(head[first : first + count]) if head else []
    placeholders = [f"c{i}" for i in range(frame.width)]
    frame = frame.rename(dict(zip(frame.columns, placeholders, strict=True)))
    typed = typed.rename(dict(zip(typed.columns, placeholders[: typed.width], strict=True)))
    body = first + count
    return _Sheet(name, frame.slice(body), names, typed.slice(body), body)


def read_excel(
    data: bytes, sheet: str | None, known_headers: Collection[str], kind: str
) -> tuple[list[_Sheet], FileFormat]:
    """The sheets of a workbook that hold the roster: the one asked for, else every sheet
    with the best-scoring header (one per work unit, say)."""
    import fastexcel

    check_archive(data)
    try:
        reader = fastexcel.read_excel(data)
        names = list(reader.sheet_names)
    except Exception as exc:  # fastexcel raises its own error tree; all mean "not a workbook"
        raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
    except BaseException as exc:
        raise _unless_panic(exc) from exc
    if not names:
        raise UnreadableFile("file_empty")
    try:
        skipped: list[tuple[str, str]] = []
        if sheet is None:
            picked, skipped = _survey(reader, names, known_headers) if len(names) > 1 else ([0], [])
        else:
            lowered = [n.lower() for n in names]
            if sheet.lower() not in lowered:
                raise UnreadableFile("sheet_not_found", sheet=sheet, sheets=", ".join(names))
            picked = [lowered.index(sheet.lower())]
        sheets = [_load_sheet(reader, idx, names[idx], known_headers) for idx in picked]
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
    except BaseException as exc:
        raise _unless_panic(exc) from exc
    primary = sheets[0]
    if primary.frame.height == 0 and not primary.names:
        if len(names) > 1:
            raise UnreadableFile("sheet_empty", sheet=primary.name, sheets=", ".join(names))
        raise UnreadableFile("file_empty")
    fmt = FileFormat(
        kind=kind,
        sheet=primary.name,
        sheets=tuple(names),
        header_row=primary.header_row,
        sheet_chosen=sheet is None and len(names) > 1 and len(sheets) == 1,
        not_read=tuple(skipped),
    )
    return sheets, fmt


def _has_known_header(frame: pl.DataFrame, known: Collection[str]) -> bool:
    return find_header([frame.columns], known)[1] > 0


@dataclass
class _Piece:
    """One table (a CSV, or one sheet) tidied and with its non-data rows dropped."""

    name: str | None
    frame: pl.DataFrame
    non_text: dict[str, pl.Series]
    positions: pl.Series | None  # None: every row kept
    read_height: int  # rows below the header before dropping
    header_row: int
    skipped: tuple[int, ...]  # footer rows, as the table numbers them


def _piece(
    frame: pl.DataFrame,
    names: list[str] | None,
    non_text: dict[str, pl.Series],
    header_row: int,
    name: str | None,
) -> _Piece:
    renamed, renames = _tidy(frame, names)
    non_text = {renames[old]: v for old, v in non_text.items() if old in renames}
    rows = layout.classify(renamed)
    every_row = not rows.footer and bool(rows.keep.all())
    # the usual case keeps every row: no copy of a million-row frame, positions implied
    positions = (
        None
        if every_row
        else pl.int_range(renamed.height, eager=True, dtype=pl.Int64).filter(rows.keep)
    )
    return _Piece(
        name=name,
        frame=renamed if every_row else renamed.filter(rows.keep),
        non_text={
            k: v.head(renamed.height) if every_row else v.head(renamed.height).filter(rows.keep)
            for k, v in non_text.items()
        },
        positions=positions,
        read_height=renamed.height,
        header_row=header_row,
        skipped=tuple(i + header_row + 1 for i in rows.footer),
    )


def _sheet_piece(sheet: _Sheet) -> _Piece:
    typed = sheet.typed
    non_text = {c: typed[c].is_not_null() for c in typed.columns if c in sheet.frame.columns}
    return _piece(sheet.frame, sheet.names, non_text, sheet.header_row, sheet.name)


def _combine(pieces: list[_Piece], known: Collection[str]) -> tuple[_Piece, tuple[SheetPart, ...]]:
    """Sheets with the same header as one table: columns matched by their header key (the
    first sheet's spelling kept), rows one sheet after another."""
    first = pieces[0]
    by_key: dict[str, str] = {}
    for c in first.frame.columns:
        by_key.setdefault(_field(c, known) or next(iter(header_keys(c)), c), c)
    frames, non_text, positions, parts = [], [], [], []
    start = 0
    for piece in pieces:
        names: dict[str, str] = {}
        for c in piece.frame.columns:
            key = _field(c, known) or next(iter(header_keys(c)), c)
            target = c if piece is first else by_key.get(key, c)
            if target in names.values():  # two headers of one sheet with one key: keep both
                target = c if c not in names.values() else f"{c} ({piece.name})"
            names[c] = target
        frames.append(piece.frame.rename(names))
        height = piece.frame.height
        non_text.append(
            pl.DataFrame({names[c]: v for c, v in piece.non_text.items()}, height=height)
        )
        local = (
            piece.positions
            if piece.positions is not None
            else pl.int_range(height, eager=True, dtype=pl.Int64)
        )
        positions.append(local + start)
        parts.append(SheetPart(piece.name or "", start, piece.header_row, height, piece.skipped))
        start += max(piece.read_height, 1)
    frame = pl.concat(frames, how="diagonal")
    flags = pl.concat(non_text, how="diagonal")
    combined = _Piece(
        name=first.name,
        frame=frame,
        non_text={c: flags[c].fill_null(False) for c in flags.columns},
        positions=pl.concat(positions),
        read_height=start,
        header_row=first.header_row,
        skipped=first.skipped,
    )
    return combined, tuple(parts)


def _read_markup(data: bytes, kind: str, known: Collection[str]) -> tuple[list[_Sheet], FileFormat]:
    """The tables of an HTML page or an Excel 2003 XML workbook, chosen like sheets."""
    try:
        tables = markup.read_tables(data, kind)
    except markup.MarkupUnreadable as exc:
        raise UnreadableFile(
            "markup_unreadable", value=markup.FORMAT_NAMES[kind], reason=str(exc)
        ) from exc
    if not tables:
        raise UnreadableFile("markup_no_table", value=markup.FORMAT_NAMES[kind])
    names = [t.name for t in tables]
    heads = [t.rows[:HEADER_SEARCH_ROWS] for t in tables]
    picked, skipped = survey_heads(heads, names, known) if len(tables) > 1 else ([0], [])
    sheets = [sheet_from_rows(names[i], tables[i].rows, tables[i].non_text, known) for i in picked]
    max_rows = limit("NETRALITAS_MAX_ROWS")
    if any(s.frame.height > max_rows for s in sheets):
        raise UnreadableFile("too_many_rows", value=f"> {max_rows:,}", detail=max_rows)
    fmt = FileFormat(
        kind=kind,
        sheet=sheets[0].name or None,
        sheets=tuple(names) if len(names) > 1 else (),
        header_row=sheets[0].header_row,
        sheet_chosen=len(names) > 1 and len(sheets) == 1,
        not_read=tuple(skipped),
    )
    return sheets, fmt


def read_table(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    known_headers: Collection[str] | None = None,
) -> RawTable:
    """Read CSV/XLSX/XLS/ODS bytes into a :class:`RawTable`; raise :class:`UnreadableFile`
    if impossible. A file with a header but no data rows is read (zero rows): the checks
    report it.

    ``known_headers`` (header keys) lets the reader skip title rows above the header, find
    a header of several rows, and choose the workbook sheets that hold it.
    """
    known = known_headers or set()
    if not data[:BINARY_PROBE].strip() and not data.strip():
        raise UnreadableFile("file_empty")
    foreign: tuple[int, ...] = ()
    kind = workbook_kind(data)
    parts: tuple[SheetPart, ...] = ()
    if kind is not None:
        sheets, fmt = read_excel(data, sheet, known, kind)
        max_rows = limit("NETRALITAS_MAX_ROWS")
        if any(s.frame.height > max_rows for s in sheets):
            raise UnreadableFile("too_many_rows", value=f"> {max_rows:,}", detail=max_rows)
        pieces = [_sheet_piece(s) for s in sheets]
        piece = pieces[0]
        if len(pieces) > 1:
            piece, parts = _combine(pieces, known)
            fmt = replace(fmt, parts=parts)
    elif (markup_kind := markup.markup_kind(data)) is not None:
        sheets, fmt = _read_markup(data, markup_kind, known)
        pieces = [_sheet_piece(s) for s in sheets]
        piece = pieces[0]
        if len(pieces) > 1:
            piece, parts = _combine(pieces, known)
            fmt = replace(fmt, parts=parts)
    elif decoding.looks_binary(data):
        raise UnreadableFile("file_binary")
    else:
        frame, fmt, foreign, names = read_csv(data, known)
        max_rows = limit("NETRALITAS_MAX_ROWS")
        if frame.height > max_rows:
            raise UnreadableFile("too_many_rows", value=f"> {max_rows:,}", detail=max_rows)
        piece = _piece(frame, names, {}, fmt.header_row, None)
    frame = piece.frame
    if frame.width == 0:
        if len(fmt.sheets) > 1:
            raise UnreadableFile("sheet_empty", sheet=fmt.sheet, sheets=", ".join(fmt.sheets))
        raise UnreadableFile("file_empty")
    if frame.height == 0 and len(fmt.sheets) > 1 and not _has_known_header(frame, known):
        # a workbook whose chosen sheet is a cover note: say which sheets there are
        raise UnreadableFile("sheet_empty", sheet=fmt.sheet, sheets=", ".join(fmt.sheets))
    first_data_line = fmt.header_row + 1
    return RawTable(
        frame=frame,
        fmt=fmt,
        file_name=file_name,
        sha256=sha256(data),
        non_text=piece.non_text,
        positions=piece.positions,
        skipped=piece.skipped,
        foreign_rows=tuple(n for n in foreign if n >= first_data_line),
    )
