"""Letters read back and compared with the roster: exactly the agency's unsigned officials,
for those who may see names; counts only for everyone else; scope enforced at the action."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import polars as pl
import pytest
from docx import Document
from independent_figures import read_sql
from pypdf import PdfReader

from dashboard.access import audit, auth
from dashboard.access import followup as fa
from dashboard.access.gate import Refused
from dashboard.followup import letters as letters_mod
from dashboard.queries import followup as q
from dashboard.store.database import Store

BOTH_BACKENDS = True  # each test runs on a DuckDB file and on PostgreSQL


def _roster(store: Store) -> pl.DataFrame:
    """The current roster straight from the file (an independent read, no project query)."""
    return read_sql(
        store,
        "SELECT o.agency_id, o.name, o.nip, o.position, o.signed, o.signed_date, "
        "a.province_code FROM officials o JOIN agencies a USING (agency_id) "
        "WHERE o.superseded_by IS NULL",
    )


def _busiest(roster: pl.DataFrame, province: str | None = None) -> str:
    """The agency with the most unsigned officials (in ``province``), ties by id."""
    r = roster if province is None else roster.filter(pl.col("province_code") == province)
    counts = (
        r.filter(~pl.col("signed"))
        .group_by("agency_id")
        .len()
        .sort(["len", "agency_id"], descending=[True, False])
    )
    return counts["agency_id"][0]


def _docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "Nama")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    return text + "\n" + "\n".join(cells), rows


def _audit_letters(store: Store) -> pl.DataFrame:
    return audit.log(store, actions=("letter.generate",))


def test_docx_lists_exactly_that_agencys_unsigned_officials(demo_copy: Store) -> None:
    roster = _roster(demo_copy)
    agency = _busiest(roster)
    analyst = auth.User("ana", "analyst")
    batch = fa.generate_letters(demo_copy, analyst, [agency], fmt="docx")
    (file,) = batch.files
    assert file.name.endswith(".docx") and batch.with_names
    text, rows = _docx_text(file.data)

    mine = roster.filter(pl.col("agency_id") == agency)
    unsigned = mine.filter(~pl.col("signed"))
    assert sorted((r[1], r[2]) for r in rows) == sorted(
        zip(unsigned["name"], unsigned["nip"], strict=True)
    )
    assert [r[0] for r in rows] == [str(i) for i in range(1, unsigned.height + 1)]
    signed_nips = mine.filter(pl.col("signed"))["nip"].drop_nulls().to_list()
    assert signed_nips and not [n for n in signed_nips if n in text]
    others = roster.filter((pl.col("agency_id") != agency) & ~pl.col("signed"))
    assert not [n for n in others["nip"].drop_nulls().to_list() if n in text]
    # the letter's own lines: number, addressee, legal basis, counts
    number = batch.register["letter_number"][0]
    assert number in text and "22 September 2022" in text
    assert f"{unsigned.height} pegawai belum menandatanganinya" in text
    reg = q.letters(demo_copy)
    assert reg.height == 1 and reg["officials_listed"][0] == unsigned.height
    logged = _audit_letters(demo_copy)
    assert logged.height == 1 and logged["actor"][0] == "ana"
    detail = json.loads(logged["detail"][0])
    assert detail["with_names"] is True and detail["officials_listed"] == unsigned.height
    assert not [n for n in unsigned["nip"].to_list() if n in logged["detail"][0]]


@pytest.mark.parametrize("role", ["viewer", "uploader"])
def test_viewers_and_uploaders_get_count_only_letters(demo_copy: Store, role: str) -> None:
    roster = _roster(demo_copy)
    agency = _busiest(roster)
    batch = fa.generate_letters(demo_copy, auth.User("v", role), [agency], fmt="docx")
    doc = Document(io.BytesIO(batch.files[0].data))
    text = "\n".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    unsigned = roster.filter((pl.col("agency_id") == agency) & ~pl.col("signed"))
    assert not [n for n in unsigned["nip"].to_list() if n in text]
    assert not [n for n in unsigned["name"].to_list() if n in text]
    assert f"{unsigned.height} pegawai belum" in text
    assert "daftar nama tidak dilampirkan" in text
    assert not batch.with_names and batch.register["officials_listed"][0] == 0
    assert json.loads(_audit_letters(demo_copy)["detail"][0])["with_names"] is False


def test_analyst_scoped_to_one_province_cannot_write_to_another(demo_copy: Store) -> None:
    roster = _roster(demo_copy)
    home, other = _busiest(roster, "62"), _busiest(roster, "17")
    analyst = auth.User("bkd.kalteng", "analyst", provinces=("62",))
    assert fa.generate_letters(demo_copy, analyst, [home]).files
    with pytest.raises(Refused, match="scope"):
        fa.generate_letters(demo_copy, analyst, [home, other])
    with pytest.raises(Refused):
        fa.record_step(demo_copy, analyst, other, "reminder_1")
    assert q.letters(demo_copy)["agency_id"].to_list() == [home]  # nothing for the batch
    denied = audit.log(demo_copy, actions=("letter.generate",)).filter(
        pl.col("outcome") == "denied"
    )
    assert denied.height == 1 and other in denied["detail"][0]
    # and the chase list of that analyst holds their province only
    listed = fa.chase_list(demo_copy, analyst, q.Filters())
    assert set(listed["province_code"]) == {"62"}


def test_numbers_run_on_and_a_failed_rendering_uses_none(
    demo_copy: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = _roster(demo_copy)
    ids = roster.filter(~pl.col("signed"))["agency_id"].unique().sort().head(3).to_list()
    admin = auth.User("adm", "admin")
    first = fa.generate_letters(demo_copy, admin, ids[:2], letter_date=dt.date(2024, 1, 5))
    assert first.register["sequence"].to_list() == [1, 2]
    assert first.register["letter_number"][1] == "800/002/NETRALITAS/2024"

    def broken(letter: letters_mod.Letter) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(letters_mod, "to_docx", broken)
    with pytest.raises(RuntimeError):
        fa.generate_letters(demo_copy, admin, ids[2:], letter_date=dt.date(2024, 2, 1))
    monkeypatch.undo()
    assert q.letters(demo_copy).height == 2 and _audit_letters(demo_copy).height == 1
    again = fa.generate_letters(demo_copy, admin, ids[2:], letter_date=dt.date(2024, 2, 1))
    assert again.register["sequence"].to_list() == [3]


def test_batch_is_one_zip_of_docx_or_one_pdf(demo_copy: Store) -> None:
    roster = _roster(demo_copy)
    ids = sorted(
        roster.filter(~pl.col("signed") & (pl.col("province_code") == "62"))["agency_id"]
        .unique()
        .to_list()
    )[:3]
    admin = auth.User("adm", "admin")
    z = fa.generate_letters(demo_copy, admin, ids, fmt="docx", bundle=True)
    (zfile,) = z.files
    with zipfile.ZipFile(io.BytesIO(zfile.data)) as zf:
        names = zf.namelist()
        assert len(names) == 3 and all(n.endswith(".docx") for n in names)
        assert sorted(n.removesuffix(".docx")[-len(ids[0]) :] for n in names) == sorted(ids)
        numbers = {
            n: Document(io.BytesIO(zf.read(n))).tables[1].rows[0].cells[2].text for n in names
        }
        assert sorted(numbers.values()) == sorted(z.register["letter_number"].to_list())
    p = fa.generate_letters(demo_copy, admin, ids, fmt="pdf", bundle=True)
    (pfile,) = p.files
    reader = PdfReader(io.BytesIO(pfile.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for number in p.register["letter_number"]:
        assert number in text
    # each letter has its covering page and its attachment page
    assert len(reader.pages) >= 2 * len(ids)
    unsigned = roster.filter(pl.col("agency_id").is_in(ids) & ~pl.col("signed"))
    assert all(nip in text for nip in unsigned["nip"].to_list())


def test_confirming_a_letter_moves_the_agency_on(demo_copy: Store) -> None:
    roster = _roster(demo_copy)
    agency = _busiest(roster)
    analyst = auth.User("ana", "analyst")
    letter_id = fa.generate_letters(demo_copy, analyst, [agency]).register["letter_id"][0]
    assert fa.confirm_sent(demo_copy, analyst, letter_id) == "reminder_1"
    with pytest.raises(fa.FollowupError, match="already"):
        fa.confirm_sent(demo_copy, analyst, letter_id)
    second = fa.generate_letters(demo_copy, analyst, [agency]).register["letter_id"][0]
    assert fa.confirm_sent(demo_copy, analyst, second, note="lewat kurir") == "reminder_2"
    hist = q.history(demo_copy, [agency])
    assert hist["step"].to_list() == ["reminder_1", "reminder_2"]
    assert hist["letter_id"].to_list() == [letter_id, second]
    unsigned = roster.filter((pl.col("agency_id") == agency) & ~pl.col("signed")).height
    assert hist["unsigned_at_step"].to_list() == [unsigned, unsigned]
    row = fa.chase_list(demo_copy, analyst, q.Filters()).filter(pl.col("agency_id") == agency)
    assert row["step"][0] == "reminder_2" and row["last_note"][0] == "lewat kurir"
    assert audit.log(demo_copy, actions=("letter.sent",)).height == 2
    with pytest.raises(Refused):
        fa.confirm_sent(demo_copy, auth.User("v", "viewer"), second)


def test_deadline_override_makes_one_agency_overdue(demo_copy: Store) -> None:
    roster = _roster(demo_copy)
    agency = _busiest(roster)
    admin = auth.User("adm", "admin")
    today = dt.date.today()
    fa.set_deadline(demo_copy, admin, today + dt.timedelta(days=30))
    fa.set_deadline(demo_copy, admin, today - dt.timedelta(days=1), agency_id=agency)
    listed = fa.chase_list(demo_copy, admin, q.Filters())
    assert listed.filter(pl.col("overdue"))["agency_id"].to_list() == [agency]
    assert fa.overdue_count(demo_copy, admin, q.Filters()) == 1
    scoped = auth.User("prov", "analyst", provinces=("62",))
    with pytest.raises(Refused, match="national"):
        fa.set_deadline(demo_copy, scoped, today)


def test_effect_counts_signatures_after_each_reminder_from_the_roster(demo_copy: Store) -> None:
    from dashboard.store import followup as writes

    roster = _roster(demo_copy)
    has_unsigned = roster.filter(~pl.col("signed"))["agency_id"].unique().implode()
    spread = (
        roster.filter(pl.col("signed") & pl.col("agency_id").is_in(has_unsigned))
        .group_by("agency_id")
        .agg(pl.col("signed_date").n_unique().alias("days"))
        .sort(["days", "agency_id"], descending=[True, False])
    )
    agency = spread["agency_id"][0]
    mine = roster.filter((pl.col("agency_id") == agency) & pl.col("signed"))
    dates = mine["signed_date"].drop_nulls().unique().sort()
    assert dates.len() >= 3
    first, middle = dates[0], dates[dates.len() // 2]
    for day in (first, middle):
        writes.log_reminder(
            demo_copy,
            {
                "send_id": writes.new_id("rem"),
                "agency_id": agency,
                "campaign": "pakta",
                "send_date": day,
                "sent_at": dt.datetime(day.year, day.month, day.day, 7),
                "recipient": "tu@a.example",
                "status": "sent",
                "unsigned": 1,
                "names_listed": 0,
                "reason": None,
            },
        )
    admin = auth.User("adm", "admin")
    fa.record_step(demo_copy, admin, agency, "reminder_1", taken_on=dt.date.today())
    eff = fa.effect(demo_copy, admin, q.Filters())
    got = eff.per_reminder.filter(pl.col("agency_id") == agency)
    expected = [
        mine.filter((pl.col("signed_date") >= first) & (pl.col("signed_date") < middle)).height,
        mine.filter(pl.col("signed_date") >= middle).height,
    ]
    # a step without a letter is no reminder: two windows, split at the second send
    assert got["sent_on"].to_list() == [first, middle]
    assert got["signed_after"].to_list() == expected
    unsigned = roster.filter((pl.col("agency_id") == agency) & ~pl.col("signed")).height
    assert eff.per_step.filter(pl.col("agency_id") == agency)["unsigned_at_step"].to_list() == [
        unsigned
    ]
    assert eff.by_step.filter(pl.col("step") == "reminder_1")["unsigned_now"][0] >= unsigned


def test_docx_then_pdf_is_one_letter_with_one_number(demo_copy: Store) -> None:
    roster = _roster(demo_copy)
    agency = _busiest(roster)
    analyst = auth.User("ana", "analyst")
    docx = fa.generate_letters(demo_copy, analyst, [agency], fmt="docx")
    pdf = fa.generate_letters(
        demo_copy, analyst, [agency], fmt="pdf", letter_date=dt.date.today() + dt.timedelta(1)
    )
    number = docx.register["letter_number"][0]
    assert pdf.register["letter_number"].to_list() == [number]
    assert pdf.register["letter_id"].to_list() == docx.register["letter_id"].to_list()
    assert pdf.register["reused"].to_list() == [True]
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.files[0].data)).pages)
    assert number in text
    # the register holds the letter once
    register = read_sql(demo_copy, "SELECT letter_number FROM followup_letters")
    assert register["letter_number"].to_list() == [number]
    # once sent, the next step's letter takes the next number; the sent one is not offered
    fa.confirm_sent(demo_copy, analyst, docx.register["letter_id"][0])
    nxt = fa.generate_letters(demo_copy, analyst, [agency], fmt="pdf")
    assert nxt.register["reused"].to_list() == [False]
    assert nxt.register["sequence"][0] == docx.register["sequence"][0] + 1
    # a step recorded by hand after a letter was generated makes that letter stale
    fa.record_step(demo_copy, analyst, agency, "reminder_2", campaign=q.campaign_of(q.Filters()))
    after = fa.generate_letters(demo_copy, analyst, [agency], fmt="docx")
    assert after.register["reused"].to_list() == [False]
    assert after.register["sequence"][0] == nxt.register["sequence"][0] + 1
