"""Follow-up letters in the Indonesian official-letter form (*tata naskah dinas*).

One :class:`Letter` (plain data, built by :func:`build`) is rendered two ways from the same
content: DOCX with python-docx, which offices edit and sign, and PDF through one HTML
document rendered offline by WeasyPrint (a pip package using the machine's Pango; no
office suite to install). A batch is a ZIP of DOCX files or one PDF in which every letter
starts on a new page.

The attachment (names, NIPs, positions, days outstanding) is present only when the caller
passes ``officials``; the caller decides that from the user's rights
(:mod:`dashboard.access.followup`). Without it the letter gives counts only.

Every value from the store (names, contact, letterhead, legal bases) loses its control
characters on its way into a :class:`Letter` (:func:`build`, :meth:`Settings.from_row`):
XML, hence DOCX, refuses them, and a store written before uploads refused them may hold some.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from babel.dates import format_date

from dashboard import i18n
from dashboard.text import strip_control, strip_control_expr

SKB_KEY = "letter.skb"
_CIRCULAR = re.compile(r"^\s*surat\s+edaran\b", re.IGNORECASE)
ATTACHMENT_COLUMNS = ("name", "nip", "position", "days_outstanding")
# the letterhead and signer fields that must be set before a letter is more than a draft
PLACEHOLDER_KEYS = {
    "office_name": "letter.default.office",
    "signer_name": "letter.default.signer_name",
}


@dataclass(frozen=True)
class Settings:
    """The office writing the letters (``letter_settings`` row, or the defaults)."""

    office_name: str
    signer_position: str
    signer_name: str
    office_parent: str | None = None
    office_address: str | None = None
    logo_path: str | None = None
    city: str | None = None
    signer_nip: str | None = None
    tembusan: tuple[str, ...] = ()
    classification: str | None = None
    number_format: str = "800/{seq:03d}/NETRALITAS/{year}"

    @classmethod
    def from_row(cls, row: Mapping | None, lang: str) -> Settings:
        if not row:
            return cls(
                office_name=i18n.t("letter.default.office", lang),
                signer_position=i18n.t("letter.default.signer_position", lang),
                signer_name=i18n.t("letter.default.signer_name", lang),
            )
        row = {k: strip_control(v) if isinstance(v, str) else v for k, v in row.items()}
        return cls(
            office_name=row["office_name"],
            signer_position=row["signer_position"],
            signer_name=row["signer_name"],
            office_parent=row.get("office_parent"),
            office_address=row.get("office_address"),
            logo_path=row.get("logo_path"),
            city=row.get("city"),
            signer_nip=row.get("signer_nip"),
            tembusan=tuple(
                t.strip() for t in (row.get("tembusan") or "").splitlines() if t.strip()
            ),
            classification=row.get("classification"),
            number_format=row.get("number_format") or cls.number_format,
        )

    def placeholders(self) -> tuple[str, ...]:
        """The fields (``office_name``, ``signer_name``) still blank or at the catalog's
        placeholder, in either language: a letter carrying one is a draft (*konsep*)."""
        return tuple(
            name
            for name, key in PLACEHOLDER_KEYS.items()
            if not (value := (getattr(self, name) or "").strip())
            or value.casefold() in {i18n.t(key, lang).casefold() for lang in i18n.LANGS}
        )


def normalise_nip(text: str | None) -> str | None:
    """A NIP as typed ("19800101 200501 1 001"): its digits, or None when blank. Whether it
    is a NIP (18 digits) is the schema's rule (``schemas/letter_settings.py``)."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    return digits or None


@dataclass(frozen=True)
class Letter:
    """Everything printed on one letter, already worded in its language."""

    agency_id: str
    number: str
    place_date: str
    classification: str
    attachment: str
    subject: str
    addressee: tuple[str, ...]
    paragraphs: tuple[str, ...]
    closing: str
    settings: Settings
    signer_nip_line: str | None
    tembusan_title: str
    attachment_heading: tuple[str, ...] = ()
    table_header: tuple[str, ...] = ()
    table_rows: tuple[tuple[str, ...], ...] = field(default=())
    lang: str = i18n.DEFAULT_LANG
    # set when the letterhead or signer is still a placeholder: printed atop the letter
    draft_mark: str | None = None

    @property
    def officials_listed(self) -> int:
        return len(self.table_rows)


def long_date(value: dt.date, lang: str) -> str:
    """ "1 Desember 2026": the form letters use (month written out)."""
    return format_date(value, format="d MMMM yyyy", locale=i18n.locale(lang))


_GOVERNMENT = re.compile(r"^Pemerintah\s+(Provinsi|Kabupaten|Kota)\s+(.+)$", re.IGNORECASE)


def head_of(agency_name: str, lang: str) -> str:
    """The addressee: a regional government is headed by its governor, regent or mayor;
    any other agency by its head (*Kepala ...*). An office's own contact entry overrides."""
    m = _GOVERNMENT.match(agency_name.strip())
    if m:
        return i18n.t(f"letter.head.{m.group(1).lower()}", lang, region=m.group(2))
    return i18n.t("letter.head_of", lang, agency=agency_name)


def circulars(legal_bases: Sequence[str | None]) -> list[str]:
    """The circulars (*surat edaran*) named in an agency's events, in order, once each.

    The 2022 SKB is cited by the letter itself, so only circulars are picked from the text.
    """
    seen: list[str] = []
    for text in legal_bases:
        for part in (text or "").split(";"):
            part = part.strip().rstrip(".")
            if _CIRCULAR.match(part) and part.lower() not in (s.lower() for s in seen):
                seen.append(part[0].upper() + part[1:])
    return seen


def build(
    *,
    agency: Mapping,
    figures: Mapping,
    number: str,
    letter_date: dt.date,
    settings: Settings,
    campaign: str,
    due_date: dt.date | None,
    legal_bases: Sequence[str | None] = (),
    contact: Mapping | None = None,
    officials: pl.DataFrame | None = None,
    lang: str = i18n.DEFAULT_LANG,
) -> Letter:
    """The letter to one agency. ``figures``: ``target, signed, unsigned`` (and optionally
    ``days_outstanding``, ``reported``); ``officials``: the attachment rows, or None for
    counts only. An agency that has not reported (``reported`` False) gets a letter asking
    for its signature list, with no attachment."""

    def t(key: str, **kw: object) -> str:
        return i18n.t(key, lang, **kw)

    def num(v: int | None) -> str:
        return i18n.fmt_number(v, lang)

    name = strip_control(agency["name"])
    head = strip_control((contact or {}).get("head_title")) or head_of(name, lang)
    head_name = strip_control((contact or {}).get("head_name"))
    addressee = (t("letter.to", head=head),) + ((head_name,) if head_name else ())
    addressee += (t("letter.at"), t("letter.place"))

    basis = t(SKB_KEY)
    found = circulars([strip_control(x) for x in legal_bases])
    if found:
        basis = t("letter.basis_with_circular", skb=basis, circular="; ".join(found))
    unsigned = int(figures.get("unsigned") or 0)
    # an agency that sent nothing is asked for its list, not told who has not signed
    silent = figures.get("reported") is False
    if silent:
        officials = None
    listed = officials is not None and officials.height > 0
    due = long_date(due_date, lang) if due_date else None
    if silent:
        paragraphs = [
            t(f"letter.p_basis.{campaign}", basis=basis),
            t(
                f"letter.p_not_reported.{campaign}",
                as_of=long_date(letter_date, lang),
                agency=name,
                target=num(figures.get("target")),
            ),
            t("letter.p_request_list_due" if due else "letter.p_request_list", due=due or ""),
        ]
    else:
        paragraphs = [
            t(f"letter.p_basis.{campaign}", basis=basis),
            t(
                f"letter.p_figures.{campaign}",
                as_of=long_date(letter_date, lang),
                agency=name,
                target=num(figures.get("target")),
                signed=num(figures.get("signed")),
                unsigned=num(unsigned),
            ),
        ]
        ask = "letter.p_request_due" if due else "letter.p_request"
        where = t("letter.where_attached" if listed else "letter.where_counts")
        paragraphs.append(t(ask, due=due or "", where=where))
        if officials is not None and not listed and unsigned:
            paragraphs.append(t("letter.p_no_roster"))
    place = settings.city + ", " if settings.city else ""
    rows: tuple[tuple[str, ...], ...] = ()
    heading: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    if listed and officials is not None:
        table = officials.select(
            strip_control_expr(pl.col("name")).fill_null("–"),
            strip_control_expr(pl.col("nip")).fill_null("–"),
            strip_control_expr(pl.col("position")).fill_null("–"),
            pl.col("days_outstanding").cast(pl.String).fill_null("–"),
        )
        rows = tuple((str(i), *r) for i, r in enumerate(table.iter_rows(), start=1))
        header = (
            t("letter.col.no"),
            t("letter.col.name"),
            t("letter.col.nip"),
            t("letter.col.position"),
            t("letter.col.days"),
        )
        heading = (
            t("letter.attachment_of", number=number),
            t("letter.attachment_date", date=long_date(letter_date, lang)),
            t(f"letter.attachment_title.{campaign}", agency=name.upper()),
        )
    return Letter(
        agency_id=agency["agency_id"],
        number=number,
        place_date=place + long_date(letter_date, lang),
        classification=settings.classification or t("letter.classification_default"),
        attachment=t("letter.attachment_one") if listed else "–",
        subject=t(f"letter.{'subject_list' if silent else 'subject'}.{campaign}"),
        addressee=addressee,
        paragraphs=tuple(paragraphs),
        closing=t("letter.closing"),
        settings=settings,
        signer_nip_line=t("letter.nip", nip=settings.signer_nip) if settings.signer_nip else None,
        tembusan_title=t("letter.tembusan"),
        attachment_heading=heading,
        table_header=header,
        table_rows=rows,
        lang=lang,
        draft_mark=t("letter.draft_mark") if settings.placeholders() else None,
    )


def _labels(lang: str) -> tuple[str, str, str, str]:
    return (
        i18n.t("letter.label.number", lang),
        i18n.t("letter.label.classification", lang),
        i18n.t("letter.label.attachment", lang),
        i18n.t("letter.label.subject", lang),
    )


def file_stem(letter: Letter) -> str:
    safe = re.sub(r"[^A-Za-z0-9]+", "-", letter.number).strip("-")
    return f"surat-{safe}-{letter.agency_id}"


# -- DOCX --------------------------------------------------------------------------------------


def to_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.5)
    sec.top_margin, sec.bottom_margin = Cm(2.0), Cm(2.0)
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    style.paragraph_format.space_after = Pt(0)
    s = letter.settings
    if letter.draft_mark:  # a draft says so before anything else
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(letter.draft_mark)
        run.bold, run.font.size = True, Pt(14)
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)

    # letterhead: logo left, office lines centred, a rule underneath
    kop = doc.add_table(rows=1, cols=2)
    kop.alignment = WD_TABLE_ALIGNMENT.CENTER
    logo_cell, text_cell = kop.rows[0].cells
    logo_cell.width, text_cell.width = Cm(2.6), Cm(13.4)
    logo = _logo(s.logo_path)
    if logo is not None:
        logo_cell.paragraphs[0].add_run().add_picture(io.BytesIO(logo[0]), width=Cm(2.2))
    first = True
    for text, size, bold in (
        (s.office_parent, 13, True),
        (s.office_name, 15, True),
        (s.office_address, 9, False),
    ):
        if not text:
            continue
        p = text_cell.paragraphs[0] if first else text_cell.add_paragraph()
        first = False
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text.upper() if bold else text)
        run.bold, run.font.size = bold, Pt(size)
    rule = doc.add_paragraph()
    p_pr = rule._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "thickThinSmallGap"), ("w:sz", "18"), ("w:space", "1")):
        bottom.set(qn(k), v)
    borders.append(bottom)
    p_pr.append(borders)

    p = doc.add_paragraph(letter.place_date)
    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p.paragraph_format.space_before = Pt(6)
    heads = doc.add_table(rows=4, cols=3)
    for row, (label, value) in zip(
        heads.rows,
        zip(
            _labels(letter.lang),
            (letter.number, letter.classification, letter.attachment, letter.subject),
            strict=True,
        ),
        strict=True,
    ):
        row.cells[0].width, row.cells[1].width, row.cells[2].width = Cm(2.5), Cm(0.5), Cm(13)
        row.cells[0].text, row.cells[1].text, row.cells[2].text = label, ":", value
    doc.add_paragraph()
    for line in letter.addressee:
        doc.add_paragraph(line)
    doc.add_paragraph()
    for text in (*letter.paragraphs, letter.closing):
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p.paragraph_format.first_line_indent = Cm(1.25)
        p.paragraph_format.space_after = Pt(6)
    for i, line in enumerate(_signer_lines(letter)):
        p = doc.add_paragraph(line)
        p.paragraph_format.left_indent = Cm(9)
        if i == 0:
            p.paragraph_format.space_before = Pt(12)
        if line == s.signer_name:
            p.runs[0].bold = p.runs[0].underline = True
    if s.tembusan:
        p = doc.add_paragraph(letter.tembusan_title)
        p.paragraph_format.space_before = Pt(18)
        for i, who in enumerate(s.tembusan, start=1):
            doc.add_paragraph(f"{i}. {who}")

    if letter.table_rows:
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        for line in letter.attachment_heading[:2]:
            doc.add_paragraph(line).paragraph_format.left_indent = Cm(9)
        p = doc.add_paragraph(letter.attachment_heading[2])
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.runs[0].bold = True
        p.paragraph_format.space_before = Pt(12)
        p.paragraph_format.space_after = Pt(6)
        table = doc.add_table(rows=1, cols=len(letter.table_header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, letter.table_header, strict=True):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for values in letter.table_rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=True):
                cell.text = text
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _signer_lines(letter: Letter) -> list[str]:
    s = letter.settings
    lines = [s.signer_position, "", "", "", s.signer_name]
    if letter.signer_nip_line:
        lines.append(letter.signer_nip_line)
    return lines


def _logo(path: str | None) -> tuple[bytes, str] | None:
    """(image bytes, MIME type) of a configured PNG/JPEG logo; None if unset or unreadable."""
    if not path:
        return None
    p = Path(path)
    mime = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}.get(p.suffix.lower())
    try:
        return (p.read_bytes(), mime) if mime else None
    except OSError:
        return None


def zip_docx(letters: Sequence[Letter]) -> bytes:
    """One ZIP holding one DOCX per letter."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for letter in letters:
            zf.writestr(f"{file_stem(letter)}.docx", to_docx(letter))
    return out.getvalue()


# -- HTML / PDF ----------------------------------------------------------------------------------

_CSS = """
@page { size: A4; margin: 2cm 2.5cm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; line-height: 1.35; }
.letter { page-break-after: always; }
.letter:last-child { page-break-after: auto; }
.kop { display: flex; align-items: center; border-bottom: 3px double #000;
       padding-bottom: 6px; margin-bottom: 10px; }
.kop img { width: 2.2cm; margin-right: 0.4cm; }
.kop .lines { flex: 1; text-align: center; }
.kop .parent { font-size: 13pt; font-weight: bold; text-transform: uppercase; }
.kop .office { font-size: 15pt; font-weight: bold; text-transform: uppercase; }
.kop .address { font-size: 8.5pt; }
.draft { text-align: center; font-weight: bold; font-size: 14pt; color: #c00000;
         margin: 0 0 6px 0; }
.date { text-align: right; margin-bottom: 8px; }
table.heads td { padding: 0 4px 0 0; vertical-align: top; }
.to { margin: 12px 0; }
.to p, .sign p, .heading p { margin: 0; }
p.body { text-align: justify; text-indent: 1.25cm; margin: 0 0 6px 0; }
.sign { margin: 16px 0 0 9cm; }
.sign .name { font-weight: bold; text-decoration: underline; margin-top: 3.2em; }
.tembusan { margin-top: 18px; }
.tembusan ol { margin: 0; padding-left: 1.2em; }
.attachment { page-break-before: always; }
.attachment .heading { margin-left: 9cm; }
.attachment h2 { font-size: 11pt; text-align: center; margin: 12px 0 6px 0; }
table.list { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
table.list th, table.list td { border: 1px solid #000; padding: 2px 4px; text-align: left; }
table.list td.n { text-align: right; }
"""


def _e(text: str | None) -> str:
    return html.escape(text or "")


def _letter_html(letter: Letter) -> str:
    s = letter.settings
    logo = _logo(s.logo_path)
    img = (
        f'<img src="data:{logo[1]};base64,{base64.b64encode(logo[0]).decode()}" alt="">'
        if logo
        else ""
    )
    kop = "".join(
        f'<div class="{cls}">{_e(text)}</div>'
        for cls, text in (
            ("parent", s.office_parent),
            ("office", s.office_name),
            ("address", s.office_address),
        )
        if text
    )
    heads = "".join(
        f"<tr><td>{_e(label)}</td><td>:</td><td>{_e(value)}</td></tr>"
        for label, value in zip(
            _labels(letter.lang),
            (letter.number, letter.classification, letter.attachment, letter.subject),
            strict=True,
        )
    )
    to = "".join(f"<p>{_e(line)}</p>" for line in letter.addressee)
    body = "".join(f'<p class="body">{_e(p)}</p>' for p in (*letter.paragraphs, letter.closing))
    sign = f'<p>{_e(s.signer_position)}</p><p class="name">{_e(s.signer_name)}</p>'
    if letter.signer_nip_line:
        sign += f"<p>{_e(letter.signer_nip_line)}</p>"
    tembusan = ""
    if s.tembusan:
        items = "".join(f"<li>{_e(x)}</li>" for x in s.tembusan)
        tembusan = f'<div class="tembusan">{_e(letter.tembusan_title)}<ol>{items}</ol></div>'
    attachment = ""
    if letter.table_rows:
        head = "".join(f"<th>{_e(h)}</th>" for h in letter.table_header)
        rows = "".join(
            "<tr>"
            + "".join(
                f'<td class="n">{_e(v)}</td>' if i in (0, 4) else f"<td>{_e(v)}</td>"
                for i, v in enumerate(r)
            )
            + "</tr>"
            for r in letter.table_rows
        )
        lines = "".join(f"<p>{_e(x)}</p>" for x in letter.attachment_heading[:2])
        attachment = (
            f'<div class="attachment"><div class="heading">{lines}</div>'
            f"<h2>{_e(letter.attachment_heading[2])}</h2>"
            f'<table class="list"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            "</div>"
        )
    draft = f'<p class="draft">{_e(letter.draft_mark)}</p>' if letter.draft_mark else ""
    return (
        f'<section class="letter">{draft}<div class="kop">{img}<div class="lines">{kop}</div></div>'
        f'<div class="date">{_e(letter.place_date)}</div>'
        f'<table class="heads">{heads}</table><div class="to">{to}</div>{body}'
        f'<div class="sign">{sign}</div>{tembusan}{attachment}</section>'
    )


def to_html(letters: Sequence[Letter]) -> str:
    """One HTML document: every letter (and its attachment) starts on a new page."""
    lang = letters[0].lang if letters else i18n.DEFAULT_LANG
    body = "".join(_letter_html(x) for x in letters)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<style>{_CSS}</style></head><body>{body}</body></html>"
    )


def to_pdf(letters: Sequence[Letter]) -> bytes:
    """The letters as one PDF, rendered offline (no URL is ever fetched)."""
    from weasyprint import HTML, URLFetcher  # type: ignore[import-untyped]

    # only the embedded logo (a data: URL) may be read: no file, no network
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=to_html(letters), url_fetcher=fetcher).write_pdf()
