"""The letter's wording from plain inputs: legal basis, addressee, counts-only form."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
from docx import Document

from dashboard.followup import letters

SEED_BASIS = (
    "Surat Edaran Gubernur Kalimantan Tengah Nomor 800/254/IV.1/BKD; Keputusan Bersama "
    "MenPAN-RB, Mendagri, BKN, KASN dan Bawaslu tanggal 22 September 2022"
)


def test_circulars_are_picked_from_the_events_once_each() -> None:
    assert letters.circulars([SEED_BASIS, SEED_BASIS.upper(), None, "peraturan presiden"]) == [
        "Surat Edaran Gubernur Kalimantan Tengah Nomor 800/254/IV.1/BKD"
    ]
    assert letters.circulars(["surat edaran bupati tentang netralitas ASN; keputusan bersama"]) == [
        "Surat edaran bupati tentang netralitas ASN"
    ]
    assert letters.circulars([None, "Keputusan Bersama 22 September 2022"]) == []


def _letter(officials: pl.DataFrame | None, **kw: object) -> letters.Letter:
    settings = letters.Settings(
        office_name="Badan Kepegawaian Daerah",
        signer_position="Kepala BKD",
        signer_name="Nama Penanda Tangan",
        signer_nip="197001011995031001",
        tembusan=("Gubernur Kalimantan Tengah",),
        city="Palangka Raya",
    )
    return letters.build(
        agency={"agency_id": "a1", "name": "Pemerintah Kabupaten Kapuas"},
        figures={"target": 10, "signed": 7, "unsigned": 3},
        number="800/007/BKD/2024",
        letter_date=dt.date(2024, 1, 15),
        settings=settings,
        campaign="pakta",
        due_date=dt.date(2024, 1, 31),
        legal_bases=[SEED_BASIS],
        officials=officials,
        **kw,  # type: ignore[arg-type]
    )


def test_the_letter_cites_skb_and_circular_and_addresses_the_regent() -> None:
    people = pl.DataFrame(
        {
            "name": ["A", "B", "C"],
            "nip": ["198001012005011001", "198001012005011002", None],
            "position": ["Kepala Seksi", "Analis", "Staf"],
            "days_outstanding": [40, 40, None],
        }
    )
    letter = _letter(people)
    body = " ".join(letter.paragraphs)
    assert "22 September 2022" in body and "800/254/IV.1/BKD" in body
    assert letter.addressee[0] == "Yth. Bupati Kapuas"
    assert "31 Januari 2024" in body and letter.place_date == "Palangka Raya, 15 Januari 2024"
    assert letter.attachment == "1 (satu) berkas" and letter.officials_listed == 3
    assert letter.table_rows[2] == ("3", "C", "–", "Staf", "–")
    doc = Document(io.BytesIO(letters.to_docx(letter)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "NIP. 197001011995031001" in text and "1. Gubernur Kalimantan Tengah" in text


def test_counts_only_letter_has_no_attachment_and_says_so() -> None:
    letter = _letter(None)
    assert letter.table_rows == () and letter.attachment == "–"
    assert "daftar nama tidak dilampirkan" in " ".join(letter.paragraphs)
    doc = Document(io.BytesIO(letters.to_docx(letter)))
    assert all(t.rows[0].cells[1].text != "Nama" for t in doc.tables)


def test_html_of_a_batch_starts_each_letter_on_a_new_page_and_escapes_text() -> None:
    a = _letter(None)
    b = _letter(None, contact={"head_title": "Kepala <Dinas> & Co"})
    html = letters.to_html([a, b])
    assert html.count('<section class="letter">') == 2
    assert "page-break-after: always" in html
    assert "Kepala &lt;Dinas&gt; &amp; Co" in html and "<Dinas>" not in html


def _silent_letter(lang: str, officials: pl.DataFrame | None) -> letters.Letter:
    return letters.build(
        agency={"agency_id": "a2", "name": "Dinas Pendidikan Kota Bengkulu"},
        figures={"target": 12, "signed": 0, "unsigned": 12, "reported": False},
        number="800/008/BKD/2024",
        letter_date=dt.date(2024, 1, 15),
        settings=letters.Settings(office_name="BKD", signer_position="Kepala BKD", signer_name="N"),
        campaign="pakta",
        due_date=dt.date(2024, 1, 31),
        officials=officials,
        lang=lang,
    )


def test_an_agency_that_sent_nothing_is_asked_for_its_list_not_told_who_has_not_signed() -> None:
    people = pl.DataFrame(
        {
            "name": ["Ani"],
            "nip": ["198001012005011001"],
            "position": ["Guru"],
            "days_outstanding": [40],
        }
    )
    letter = _silent_letter("id", people)
    assert letter.subject == "Permintaan Daftar Tanda Tangan Pakta Integritas Netralitas ASN"
    text = " ".join(letter.paragraphs)
    assert "terdapat 12 pegawai yang wajib menandatangani Pakta Integritas" in text
    assert "belum menerima daftar tanda tangan" in text
    assert "paling lambat tanggal 31 Januari 2024" in text
    assert "belum menandatanganinya" not in text  # not the figures of a reporting agency
    assert letter.table_rows == () and letter.attachment == "–"  # no names: there is no list yet
    docx = Document(io.BytesIO(letters.to_docx(letter)))
    assert "Ani" not in "\n".join(p.text for p in docx.paragraphs)
    english = _silent_letter("en", None)
    assert english.subject == (
        "Request for the list of signatures of the ASN Neutrality Integrity Pact"
    )
    assert "we have received no list of signatures or report" in " ".join(english.paragraphs)


def test_a_reporting_agency_still_gets_the_figures_letter() -> None:
    letter = letters.build(
        agency={"agency_id": "a1", "name": "Pemerintah Kabupaten Kapuas"},
        figures={"target": 10, "signed": 7, "unsigned": 3, "reported": True},
        number="800/007/BKD/2024",
        letter_date=dt.date(2024, 1, 15),
        settings=letters.Settings(office_name="BKD", signer_position="Kepala BKD", signer_name="N"),
        campaign="pakta",
        due_date=None,
    )
    assert letter.subject == "Tindak Lanjut Penandatanganan Pakta Integritas Netralitas ASN"
    assert "7 pegawai telah menandatangani" in " ".join(letter.paragraphs)


def test_placeholders_are_the_unset_letterhead_and_signer_in_either_language() -> None:
    for lang in ("id", "en"):
        assert letters.Settings.from_row(None, lang).placeholders() == (
            "office_name",
            "signer_name",
        )
    # a store written by the CLI before a letterhead was set holds the Indonesian placeholder
    stored = letters.Settings(
        office_name="KANTOR PENGIRIM (ATUR KOP SURAT)",
        signer_position="Kepala",
        signer_name="Budi Santoso",
    )
    assert stored.placeholders() == ("office_name",)
    assert letters.Settings(
        office_name="BKD", signer_position="", signer_name=" "
    ).placeholders() == ("signer_name",)
    assert _letter(None).settings.placeholders() == ()


def _docx_paragraphs(letter: letters.Letter) -> list[str]:
    return [p.text for p in Document(io.BytesIO(letters.to_docx(letter))).paragraphs]


def test_a_letter_with_a_placeholder_is_marked_as_a_draft_and_a_set_one_is_not() -> None:
    ready = _letter(None)
    assert ready.draft_mark is None
    assert not [p for p in _docx_paragraphs(ready) if "KONSEP" in p]
    assert "KONSEP" not in letters.to_html([ready])
    for lang, word in (("id", "KONSEP"), ("en", "DRAFT")):
        draft = letters.build(
            agency={"agency_id": "a1", "name": "Dinas Uji"},
            figures={"target": 10, "signed": 7, "unsigned": 3},
            number="800/001/X/2024",
            letter_date=dt.date(2024, 1, 15),
            settings=letters.Settings.from_row(None, lang),
            campaign="pakta",
            due_date=None,
            lang=lang,
        )
        assert draft.draft_mark is not None and draft.draft_mark.startswith(word)
        assert _docx_paragraphs(draft)[0] == draft.draft_mark  # the first line of the letter
        html = letters.to_html([draft])
        assert html.index(draft.draft_mark) < html.index('class="kop"')


def test_a_typed_nip_keeps_its_digits() -> None:
    assert letters.normalise_nip("19800101 200501 1 001") == "198001012005011001"
    assert letters.normalise_nip("1980.0101-2005") == "198001012005"
    assert letters.normalise_nip("  ") is None
    assert letters.normalise_nip(None) is None
