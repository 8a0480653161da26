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
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from dashboard.ingest import decoding, layout
from dashboard.ingest.columns import header_keys

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
class FileFormat:
    kind: str  # "csv" | "xlsx" | "xls" | "ods"
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_row: int = 1  # spreadsheet row of the header
    # no sheet was asked for and the workbook has several: this one held the header
    sheet_chosen: bool = False


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
    # the file holds a NUL byte somewhere (then every cell is checked for one)
    has_nul: bool = False

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


def find_header(rows: Iterable[Iterable[object]], known: set[str]) -> tuple[int, int]:
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


def _delimiter_and_header(lines: list[str], known: set[str]) -> tuple[str, int]:
    """The delimiter under which a known header shows up (a title row fools the sniffer)."""
    sniffed = sniff_delimiter(lines)
    best = (sniffed, *find_header(csv.reader(lines, delimiter=sniffed), known))
    for d in DELIMITERS:
        idx, score = find_header(csv.reader(lines, delimiter=d), known)
        if score > best[2]:
            best = (d, idx, score)
    return best[0], best[1]


def _tidy(frame: pl.DataFrame) -> tuple[pl.DataFrame, dict[str, str]]:
    """Name blank headers after their column letter; drop blank-headed empty columns.

    Returns the frame and the old -> new column names.
    """
    renames: dict[str, str] = {}
    for i, name in enumerate(frame.columns):
        blank = name.strip() == "" or name.startswith("__UNNAMED__")
        if blank and frame[name].null_count() == frame.height:
            continue
        label = f"kolom_{_column_letter(i)}" if blank else name.strip()
        if label in renames.values():
            label = f"{label} ({_column_letter(i)})"
        renames[name] = label
    return frame.select([pl.col(o).cast(pl.String).alias(n) for o, n in renames.items()]), renames


def _column_letter(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def read_csv(
    data: bytes, known_headers: set[str]
) -> tuple[pl.DataFrame, FileFormat, tuple[int, ...]]:
    """The frame, how it was read, and the lines whose bytes were not in the encoding."""
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
    # polars reads UTF-8 only: hand it the original bytes when they already are
    payload = data[3:] if encoding == "utf-8-sig" else data
    if encoding not in ("utf-8", "utf-8-sig") or foreign:
        payload = decoded.encode("utf-8")
    try:
        frame = pl.read_csv(
            io.BytesIO(payload),
            separator=delimiter,
            infer_schema=False,
            skip_lines=header_at,
            truncate_ragged_lines=True,
            quote_char='"',
            n_rows=limit("NETRALITAS_MAX_ROWS") + 1,
        )
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
    fmt = FileFormat(kind="csv", encoding=encoding, delimiter=delimiter, header_row=header_at + 1)
    return frame, fmt, foreign


def _choose_sheet(reader: object, names: list[str], known: set[str]) -> int:
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


def preferred_sheet(data: bytes, known_headers: set[str]) -> str | None:
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


def workbook_kind(data: bytes) -> str | None:
    """ "xlsx", "ods" or "xls" from the first bytes, else None (not a workbook)."""
    if data.startswith(XLS_MAGIC):
        return "xls"
    if data.startswith(XLSX_MAGIC):
        # an ODS file stores its mimetype first, uncompressed
        return "ods" if ODS_MIMETYPE in data[:200] else "xlsx"
    return None


def read_excel(
    data: bytes, sheet: str | None, known_headers: set[str], kind: str
) -> tuple[pl.DataFrame, FileFormat, dict[str, pl.Series]]:
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
        if sheet is None:
            idx = _choose_sheet(reader, names, known_headers) if len(names) > 1 else 0
        else:
            lowered = [n.lower() for n in names]
            if sheet.lower() not in lowered:
                raise UnreadableFile("sheet_not_found", sheet=sheet, sheets=", ".join(names))
            idx = lowered.index(sheet.lower())
        head = reader.load_sheet(idx, header_row=None, n_rows=HEADER_SEARCH_ROWS, dtypes="string")
        head_rows = head.to_polars().rows()
        if not head_rows:
            if len(names) > 1:
                raise UnreadableFile("sheet_empty", sheet=names[idx], sheets=", ".join(names))
            raise UnreadableFile("file_empty")
        header_at, _ = find_header(head_rows, known_headers)
        frame, typed = (
            reader.load_sheet(
                idx,
                header_row=header_at,
                dtypes=dtypes,
                skip_whitespace_tail_rows=True,
                n_rows=limit("NETRALITAS_MAX_ROWS") + 1,
            ).to_polars()
            # a boolean load keeps only non-text cells: how we tell a number-typed NIP cell
            for dtypes in ("string", "boolean")
        )
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile("file_unreadable", reason=type(exc).__name__) from exc
    except BaseException as exc:
        raise _unless_panic(exc) from exc
    non_text = {c: typed[c].is_not_null() for c in typed.columns if c in frame.columns}
    fmt = FileFormat(
        kind=kind,
        sheet=names[idx],
        sheets=tuple(names),
        header_row=header_at + 1,
        sheet_chosen=sheet is None and len(names) > 1,
    )
    return frame, fmt, non_text


def _has_known_header(frame: pl.DataFrame, known: set[str]) -> bool:
    return find_header([frame.columns], known)[1] > 0


def read_table(
    data: bytes, file_name: str, *, sheet: str | None = None, known_headers: set[str] | None = None
) -> RawTable:
    """Read CSV/XLSX/XLS/ODS bytes into a :class:`RawTable`; raise :class:`UnreadableFile`
    if impossible. A file with a header but no data rows is read (zero rows): the checks
    report it.

    ``known_headers`` (header keys) lets the reader skip title rows above the header and
    choose the workbook sheet that holds it.
    """
    known = known_headers or set()
    if not data[:BINARY_PROBE].strip() and not data.strip():
        raise UnreadableFile("file_empty")
    non_text: dict[str, pl.Series] = {}
    foreign: tuple[int, ...] = ()
    kind = workbook_kind(data)
    if kind is not None:
        frame, fmt, non_text = read_excel(data, sheet, known, kind)
    elif decoding.looks_binary(data):
        raise UnreadableFile("file_binary")
    else:
        frame, fmt, foreign = read_csv(data, known)
    max_rows = limit("NETRALITAS_MAX_ROWS")
    if frame.height > max_rows:
        raise UnreadableFile("too_many_rows", value=f"> {max_rows:,}", detail=max_rows)
    renamed, renames = _tidy(frame)
    non_text = {renames[old]: s for old, s in non_text.items() if old in renames}
    if renamed.width == 0:
        if len(fmt.sheets) > 1:
            raise UnreadableFile("sheet_empty", sheet=fmt.sheet, sheets=", ".join(fmt.sheets))
        raise UnreadableFile("file_empty")
    rows = layout.classify(renamed)
    every_row = not rows.footer and bool(rows.keep.all())
    # the usual case keeps every row: no copy of a million-row frame, positions implied
    positions = (
        None
        if every_row
        else pl.int_range(renamed.height, eager=True, dtype=pl.Int64).filter(rows.keep)
    )
    frame = renamed if every_row else renamed.filter(rows.keep)
    if frame.height == 0 and len(fmt.sheets) > 1 and not _has_known_header(frame, known):
        # a workbook whose chosen sheet is a cover note: say which sheets there are
        raise UnreadableFile("sheet_empty", sheet=fmt.sheet, sheets=", ".join(fmt.sheets))
    first_data_line = fmt.header_row + 1
    return RawTable(
        frame=frame,
        fmt=fmt,
        file_name=file_name,
        sha256=sha256(data),
        non_text={
            k: v.head(renamed.height) if every_row else v.head(renamed.height).filter(rows.keep)
            for k, v in non_text.items()
        },
        positions=positions,
        skipped=tuple(i + first_data_line for i in rows.footer),
        foreign_rows=tuple(n for n in foreign if n >= first_data_line),
        has_nul=b"\x00" in data if kind is None else False,
    )
