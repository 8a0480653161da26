"""Workbooks that are markup: an HTML table or an Excel 2003 XML workbook with an .xls name.

Personnel systems written in PHP offer "Export Excel" as an HTML page with a ``<table>``
and an ``.xls`` name; older systems write SpreadsheetML 2003 (``<?xml …?><Workbook …>``).
Excel opens both, so clerks send both. They are read here as tables (merged cells, that is
``colspan``/``rowspan`` or ``ss:MergeAcross``/``ss:MergeDown``, leave blank cells, as in a
real workbook) and go through the same header search as any sheet; they are never parsed as
CSV. Not a hot path: such exports are small, and lxml builds the tree in C.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMAT_NAMES = {"html": "HTML", "xml": "Excel 2003 XML (SpreadsheetML)"}
SS = "urn:schemas-microsoft-com:office:spreadsheet"
_PROBE = 4096
_HTML = re.compile(rb"<\s*(!doctype\s+html|html|table|body|head)\b", re.IGNORECASE)
_XML_WORKBOOK = re.compile(rb"<\s*(ss:)?workbook\b|" + re.escape(SS.encode()), re.IGNORECASE)


@dataclass
class Table:
    """One table: its name (sheet or caption), cells as text, and which cells were numbers."""

    name: str
    rows: list[list[str | None]] = field(default_factory=list)
    non_text: list[list[bool]] = field(default_factory=list)


def markup_kind(data: bytes) -> str | None:
    """ "html" or "xml" (SpreadsheetML) from the first bytes, else None."""
    head = data[:_PROBE].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"\xff\xfe") or head.startswith(b"\xfe\xff"):
        head = data[:_PROBE].decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    if head[:5].lower() == b"<?xml" and _XML_WORKBOOK.search(head):
        return "xml"
    if head[:1] == b"<" and _HTML.search(head):
        return "html"
    return None


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    out = " ".join(value.split())
    return out or None


class _Grid:
    """Cells placed by row and column, spans leaving blank cells (as a merge does)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], tuple[str | None, bool]] = {}
        self.taken: set[tuple[int, int]] = set()
        self.height = 0

    def put(self, r: int, c: int, text: str | None, number: bool, across: int, down: int) -> int:
        """Place a cell at (r, c) spanning ``across`` x ``down``; returns the next column."""
        for dr in range(down):
            for dc in range(across):
                self.taken.add((r + dr, c + dc))
        self.cells[(r, c)] = (text, number)
        self.height = max(self.height, r + down)
        return c + across

    def free(self, r: int, c: int) -> int:
        while (r, c) in self.taken:
            c += 1
        return c

    def table(self, name: str) -> Table:
        width = max((c for _, c in self.taken), default=-1) + 1
        out = Table(name)
        for r in range(self.height):
            row = [self.cells.get((r, c), (None, False)) for c in range(width)]
            out.rows.append([t for t, _ in row])
            out.non_text.append([n for _, n in row])
        return out


def _span(value: str | None, default: int = 1, least: int = 1) -> int:
    """A span or 1-based index attribute, bounded (a hostile 10**9 spans no memory)."""
    try:
        return max(least, min(int(value or default), 1000))
    except ValueError:
        return default


def _html_tables(data: bytes) -> list[Table]:
    import lxml.html  # type: ignore[import-untyped]

    doc = lxml.html.document_fromstring(data)
    tables = []
    for i, tab in enumerate(doc.iter("table")):
        if tab.xpath("ancestor::table"):
            continue  # a layout table inside a cell: its text is in the outer cell
        grid = _Grid()
        rows = [tr for tr in tab.iter("tr") if tr.xpath("ancestor::table[1]")[0] is tab]
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                c = grid.free(r, c)
                text = _text(cell.text_content())
                # a page shows the digits it holds: no cell lost digits to a number type
                c = grid.put(
                    r, c, text, False, _span(cell.get("colspan")), _span(cell.get("rowspan"))
                )
            grid.height = max(grid.height, r + 1)
        caption = tab.find("caption")
        name = _text(caption.text_content()) if caption is not None else None
        tables.append(grid.table(name or str(i + 1)))
    return [t for t in tables if t.rows]


def _xml_tables(data: bytes) -> list[Table]:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(data, parser)
    ns = {"ss": SS}
    tables = []
    for i, sheet in enumerate(root.iterfind("ss:Worksheet", ns)):
        grid = _Grid()
        r = 0
        for row in sheet.iterfind("ss:Table/ss:Row", ns):
            r = _span(row.get(f"{{{SS}}}Index"), r + 1) - 1
            c = 0
            for cell in row.iterfind("ss:Cell", ns):
                c = _span(cell.get(f"{{{SS}}}Index"), c + 1) - 1
                c = grid.free(r, c)
                data_el = cell.find("ss:Data", ns)
                text = _text("".join(data_el.itertext())) if data_el is not None else None
                kind = data_el.get(f"{{{SS}}}Type") if data_el is not None else None
                c = grid.put(
                    r,
                    c,
                    text,
                    kind in ("Number", "DateTime"),
                    _span(cell.get(f"{{{SS}}}MergeAcross"), 0, least=0) + 1,
                    _span(cell.get(f"{{{SS}}}MergeDown"), 0, least=0) + 1,
                )
            grid.height = max(grid.height, r + 1)
            r += 1
        tables.append(grid.table(sheet.get(f"{{{SS}}}Name") or str(i + 1)))
    return tables


def read_tables(data: bytes, kind: str) -> list[Table]:
    """Every table of the document; raises :class:`MarkupUnreadable` when the markup cannot be
    parsed (the reader turns it into the unreadable-file report naming the format)."""
    try:
        return _html_tables(data) if kind == "html" else _xml_tables(data)
    except Exception as exc:  # noqa: BLE001 - lxml's errors all mean "not this format"
        raise MarkupUnreadable(type(exc).__name__) from exc


class MarkupUnreadable(ValueError):
    """The document is not well-formed markup of its kind; the message is lxml's error type."""
