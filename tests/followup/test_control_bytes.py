"""A store that already holds control characters still prints, mails and exports.

The bytes are written straight into the store (SQL, past every upload check), as a store
from before the upload rule, or one edited by hand, would hold them: DOCX (XML refuses
them), PDF, XLSX, CSV and a reminder e-mail to a real SMTP server (aiosmtpd) are made,
hold the text without those characters and contain none. E-mail: headers come from the
standard library, one recipient per message whatever the stored address says, and typed
text or addresses that break the rules are refused at the action.
"""

from __future__ import annotations

import datetime as dt
import email
import io
import re
import socket
import zipfile
from collections.abc import Iterator
from email.message import Message
from email.policy import default as default_policy

import duckdb
import polars as pl
import pytest
from aiosmtpd.controller import Controller
from docx import Document
from independent_figures import read_sql
from openpyxl import load_workbook
from pypdf import PdfReader

from dashboard.access import auth
from dashboard.access import followup as fa
from dashboard.followup import reminders
from dashboard.queries import followup as q
from dashboard.queries.filters import Filters
from dashboard.render import export
from dashboard.store.database import Store

TODAY = dt.date.today()
# written out here, independently of the code under test (C0 but tab/LF/CR, DEL, C1)
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")
AGENCY_RAW = "Dinas\x01 Uji\x02 \x1b[31mKéndali\x7f\x9b"
AGENCY_CLEAN = "Dinas Uji [31mKéndali"
OFFICIAL_RAW = "Budi\x01 \x1b[0mSantoso\x7f\x85"
OFFICIAL_CLEAN = "Budi [0mSantoso"
ADMIN = auth.User("adm", "admin")


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes, Message]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        raw = envelope.content  # type: ignore[attr-defined]
        msg = email.message_from_bytes(raw, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), raw, msg))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _agencies_with_unsigned(store: Store) -> list[str]:
    counts = read_sql(
        store,
        "SELECT agency_id, count(*) AS n FROM officials "
        "WHERE superseded_by IS NULL AND NOT signed GROUP BY agency_id",
    )
    return counts.sort(["n", "agency_id"], descending=[True, False])["agency_id"].to_list()


def _write(store: Store, sql: str, params: list[object]) -> None:
    """A write past every check of the application (the engine's own driver)."""
    con = duckdb.connect(str(store.path))
    try:
        con.execute(sql, params)
    finally:
        con.close()


@pytest.fixture
def dirty(demo_copy: Store) -> tuple[Store, str, str]:
    """The busiest agency renamed, and one of its unsigned officials, with control bytes."""
    agency = _agencies_with_unsigned(demo_copy)[0]
    nip = read_sql(
        demo_copy,
        "SELECT nip FROM officials WHERE superseded_by IS NULL AND NOT signed "
        f"AND agency_id = '{agency}' ORDER BY nip LIMIT 1",
    )["nip"].item()
    _write(demo_copy, "UPDATE agencies SET name = ? WHERE agency_id = ?", [AGENCY_RAW, agency])
    _write(demo_copy, "UPDATE officials SET name = ? WHERE nip = ?", [OFFICIAL_RAW, nip])
    names = read_sql(demo_copy, f"SELECT name FROM agencies WHERE agency_id = '{agency}'")
    assert names["name"].item() == AGENCY_RAW  # the bytes really are in the store
    return demo_copy, agency, nip


def _docx_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))


def test_docx_and_pdf_letters_render_a_store_holding_control_characters(
    dirty: tuple[Store, str, str],
) -> None:
    store, agency, _nip = dirty
    docx = fa.generate_letters(store, ADMIN, [agency], fmt="docx").files
    assert len(docx) == 1
    doc = Document(io.BytesIO(docx[0].data))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    assert AGENCY_CLEAN in text and OFFICIAL_CLEAN in text
    assert not CONTROL.search(text)
    assert not CONTROL_BYTES.search(_docx_xml(docx[0].data))

    pdf = fa.generate_letters(store, ADMIN, [agency], fmt="pdf").files
    assert len(pdf) == 1 and pdf[0].data.startswith(b"%PDF")
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf[0].data)).pages)
    assert AGENCY_CLEAN in pdf_text and OFFICIAL_CLEAN in pdf_text
    assert not CONTROL.search(pdf_text)


def test_xlsx_and_csv_exports_of_such_a_store_hold_the_cleaned_text(
    dirty: tuple[Store, str, str],
) -> None:
    store, agency, nip = dirty
    listed = q.unsigned_of(store, Filters(), [agency])[agency]
    assert OFFICIAL_RAW in listed["name"].to_list()  # the query returns the stored bytes

    xlsx = export.to_xlsx_bytes(listed)
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).active
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert OFFICIAL_CLEAN in cells and nip in cells
    assert not [c for c in cells if CONTROL.search(c)]
    # xlsxwriter would write a control character as an _x0001_ escape: none in the file
    xml = _docx_xml(xlsx)
    assert not CONTROL_BYTES.search(xml) and not re.search(rb"_x00[01][0-9A-Fa-f]_", xml)

    csv = export.to_csv_bytes(listed)
    assert OFFICIAL_CLEAN.encode() in csv and not CONTROL_BYTES.search(csv)


def test_reminder_from_such_a_store_has_a_clean_encoded_subject_and_one_recipient(
    dirty: tuple[Store, str, str], smtp_server: tuple[Inbox, int]
) -> None:
    store, agency, _nip = dirty
    inbox, port = smtp_server
    fa.set_deadline(store, ADMIN, TODAY - dt.timedelta(days=5))
    fa.set_contact(store, ADMIN, agency, email="tu@dinas.example.go.id", send_list=True)
    unsigned = q.unsigned_of(store, Filters(), [agency])[agency].height
    smtp = reminders.SmtpSettings(
        host="127.0.0.1", port=port, sender="bkd@kantor.example", send_names=True
    )
    out = reminders.send_reminders(store, smtp)
    assert [(o.agency_id, o.status) for o in out] == [(agency, "sent")]
    assert len(inbox.messages) == 1
    rcpts, raw, msg = inbox.messages[0]
    assert rcpts == ["tu@dinas.example.go.id"]
    count = f"{unsigned:,}".replace(",", ".")
    assert str(msg["Subject"]) == (
        f"Pengingat Pakta Integritas: {count} pegawai {AGENCY_CLEAN} belum menandatangani"
    )
    # on the wire the headers are ASCII: the non-ASCII subject is RFC 2047-encoded
    headers = raw.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii() and b"=?utf-8?" in headers
    body = msg.get_content()  # type: ignore[attr-defined]
    assert AGENCY_CLEAN in body and OFFICIAL_CLEAN in body
    assert not CONTROL_BYTES.search(raw)


def test_a_stored_address_list_never_reaches_two_recipients(
    demo_copy: Store, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    first, second = _agencies_with_unsigned(demo_copy)[:2]
    fa.set_deadline(demo_copy, ADMIN, TODAY - dt.timedelta(days=5))
    fa.set_contact(demo_copy, ADMIN, first, email="tu@a.example")
    fa.set_contact(demo_copy, ADMIN, second, email="tu@b.example")
    # an address list written before the one-address rule (or by hand)
    _write(
        demo_copy,
        "UPDATE agency_contacts SET email = ? WHERE agency_id = ?",
        ["tu@dinas.example.go.id,spy@luar.example", second],
    )
    smtp = reminders.SmtpSettings(host="127.0.0.1", port=port, sender="bkd@kantor.example")
    out = {o.agency_id: o for o in reminders.send_reminders(demo_copy, smtp)}
    assert out[first].status == "sent"
    assert (out[second].status, out[second].reason) == ("failed", "InvalidAddress")
    assert [r for r, _, _ in inbox.messages] == [["tu@a.example"]]
    log = q.reminder_sends(demo_copy)
    assert dict(zip(log["agency_id"], log["status"], strict=True)) == {
        first: "sent",
        second: "failed",
    }


@pytest.mark.parametrize(
    "address",
    [
        "tu@dinas.example.go.id,spy",
        "tu@dinas.example.go.id; spy@luar.example",
        "Tata Usaha <tu@dinas.example.go.id>, spy@luar.example",
        "tu@dinas",
        "tu @dinas.example.go.id",
        "tu@dinas.example.go.id\x00",
    ],
)
def test_contact_address_must_be_exactly_one_address(demo_copy: Store, address: str) -> None:
    agency = _agencies_with_unsigned(demo_copy)[0]
    with pytest.raises(fa.InvalidEmail):
        fa.set_contact(demo_copy, ADMIN, agency, email=address)
    assert q.contacts(demo_copy).filter(pl.col("agency_id") == agency).height == 0
    fa.set_contact(demo_copy, ADMIN, agency, email=" tu@dinas.example.go.id ")
    saved = q.contacts(demo_copy).filter(pl.col("agency_id") == agency)
    assert saved["email"].to_list() == ["tu@dinas.example.go.id"]


def test_sender_address_must_be_one_address() -> None:
    with pytest.raises(reminders.ReminderConfigError, match="FROM"):
        reminders.settings_from(
            {"NETRALITAS_SMTP_HOST": "mail.kantor", "NETRALITAS_SMTP_FROM": "a@b.example,c@d.ex"}
        )


def test_typed_text_with_control_characters_is_refused_naming_field_and_code(
    demo_copy: Store,
) -> None:
    agency = _agencies_with_unsigned(demo_copy)[0]
    with pytest.raises(fa.InvalidText) as head:
        fa.set_contact(demo_copy, ADMIN, agency, email=None, head_title="Kepala\x1b[31m Dinas")
    assert (head.value.field, head.value.char) == ("head_title", "U+001B")
    with pytest.raises(fa.InvalidText) as note:
        fa.record_step(demo_copy, ADMIN, agency, "referred", note="sudah\x07 ditelepon")
    assert (note.value.field, note.value.char) == ("note", "U+0007")
    with pytest.raises(fa.InvalidText) as letterhead:
        fa.save_letter_settings(
            demo_copy,
            ADMIN,
            {"office_name": "Badan\x9b Kepegawaian", "signer_name": "A", "signer_position": "B"},
        )
    assert (letterhead.value.field, letterhead.value.char) == ("office_name", "U+009B")
    assert "\x1b" not in str(head.value) and "U+001B" in str(head.value)
    assert q.contacts(demo_copy).filter(pl.col("agency_id") == agency).height == 0
    assert q.history(demo_copy, [agency]).height == 0
    assert q.letter_settings(demo_copy) is None
    # tab and line breaks are text, not control characters
    fa.record_step(demo_copy, ADMIN, agency, "referred", note="baris satu\nbaris\tdua")
    assert q.history(demo_copy, [agency]).height == 1
