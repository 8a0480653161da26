"""A regency-scoped uploader cannot read or overwrite an agency wider than their scope.

Scope is checked on the agency (the resource), not on what a row claims: a provincial
agency's roster row placed in Mukomuko, a ministry named on a Mukomuko row, and an
agency named without a region are each judged by the area the agency covers.
"""

from __future__ import annotations

import polars as pl
import pytest

from dashboard.access import auth, upload_scope
from dashboard.ingest import roster
from dashboard.store.database import Store

HEADER = "nip;nama;jabatan;jenjang_jabatan;instansi;provinsi;kabupaten_kota;status_tanda_tangan"
BKD = "Badan Kepegawaian Daerah Provinsi Bengkulu"
MUKOMUKO = auth.User("op.mukomuko", "uploader", regencies=("1706",))


def _nip(i: int) -> str:
    return f"1980010120050110{i:02d}"


def _csv(rows: list[tuple[str, str, str, str]]) -> bytes:
    """rows of (nip, name, agency, regency)."""
    lines = [HEADER] + [
        f"{nip};{name};Analis;Pelaksana;{agency};Bengkulu;{reg};belum"
        for nip, name, agency, reg in rows
    ]
    return ("\n".join(lines) + "\n").encode()


def _commit(store: Store, data: bytes, name: str) -> str:
    report = roster.validate_roster(data, name, store=store)
    assert not report.has_errors, report.errors
    result = roster.commit_roster(report, store, uploaded_by="admin")
    assert result.upload_id
    return result.upload_id


def _current(store: Store, agency_name: str) -> list[str]:
    return store.query(
        """SELECT o.nip FROM officials o JOIN agencies a USING (agency_id)
           WHERE a.name = $n AND o.superseded_by IS NULL ORDER BY o.nip""",
        {"n": agency_name},
    )["nip"].to_list()


@pytest.fixture
def bkd_store(seed_store: Store) -> Store:
    """The provincial BKD with 24 officials (entered by a national admin), some of whom
    work in Mukomuko."""
    rows = [
        (_nip(i), f"Pegawai BKD {i:02d}", BKD, "Mukomuko" if i < 4 else "Kota Bengkulu")
        for i in range(24)
    ]
    _commit(seed_store, _csv(rows), "bkd.csv")
    assert len(_current(seed_store, BKD)) == 24
    return seed_store


@pytest.mark.parametrize("lang", ["id", "en"])
def test_provincial_agency_row_in_a_regency_is_refused(bkd_store: Store, lang: str) -> None:
    data = _csv([(_nip(90), "Penyusup", BKD, "Mukomuko")])
    report = roster.validate_roster(data, "satu.csv", store=bkd_store, mode="replace", lang=lang)
    assert upload_scope.refuse_out_of_scope(report, MUKOMUKO) == 1
    errors = [(e.row, e.column, e.code) for e in report.errors]
    assert errors == [(2, "instansi", "agency_out_of_scope")]
    message = report.errors[0].message
    assert BKD in message
    assert ("kewenangan" in message) if lang == "id" else ("not wholly inside" in message)
    # the preview shows nobody of the provincial roster
    assert report.agency_preview.height == 0
    assert report.person_changes.height == 0
    shown = " ".join(str(v) for v in report.issues.rows())
    assert not any(_nip(i) in shown for i in range(24))
    # nothing to commit, even accepting the valid rows; the 24 stay current
    result = roster.commit_roster(report, bkd_store, accept_valid=True, uploaded_by="op")
    assert result.upload_id is None
    assert len(_current(bkd_store, BKD)) == 24


def test_append_to_a_provincial_agency_is_refused_without_revealing_its_roster(
    bkd_store: Store,
) -> None:
    # an NIP already on the BKD roster: the report must not confirm that
    data = _csv([(_nip(3), "Pegawai BKD 03", BKD, "Mukomuko")])
    report = roster.validate_roster(data, "tambah.csv", store=bkd_store, mode="append")
    upload_scope.refuse_out_of_scope(report, MUKOMUKO)
    assert [e.code for e in report.errors] == ["agency_out_of_scope"]
    assert report.accepted(True).height == 0


@pytest.mark.parametrize("agency", ["Kementerian Dalam Negeri", "BKN", "Badan Kepegawaian Negara"])
def test_national_agency_named_on_a_regency_row_is_refused(seed_store: Store, agency: str) -> None:
    data = _csv([(_nip(50), "Pegawai Pusat", agency, "Mukomuko")])
    report = roster.validate_roster(data, "pusat.csv", store=seed_store)
    assert not report.has_errors  # for a national uploader it is a valid row
    upload_scope.refuse_out_of_scope(report, MUKOMUKO)
    assert [(e.row, e.code) for e in report.errors] == [(2, "agency_out_of_scope")]
    assert roster.commit_roster(report, seed_store, accept_valid=True).upload_id is None
    # a national account may
    national = roster.validate_roster(data, "pusat.csv", store=seed_store)
    assert upload_scope.refuse_out_of_scope(national, auth.User("pusat", "uploader")) == 0


def test_agency_named_without_a_region_is_judged_by_its_own_area(seed_store: Store) -> None:
    # "Dinas Pendidikan" of Bengkulu Selatan (1701), entered by the admin
    _commit(
        seed_store,
        _csv([(_nip(i), f"Guru {i}", "Dinas Pendidikan", "Bengkulu Selatan") for i in range(3)]),
        "bs.csv",
    )
    before = seed_store.query(
        "SELECT nip FROM officials WHERE superseded_by IS NULL AND regency_code = '1701'"
    )["nip"].to_list()
    # the same bare name on a Mukomuko row is Mukomuko's own office: accepted, and the
    # preview does not list Bengkulu Selatan's teachers
    data = _csv([(_nip(70), "Guru Muko", "Dinas Pendidikan", "Mukomuko")])
    report = roster.validate_roster(data, "muko.csv", store=seed_store)
    assert upload_scope.refuse_out_of_scope(report, MUKOMUKO) == 0
    assert not report.has_errors
    assert set(report.person_changes.get_column("name", default=pl.Series([]))) <= {"Guru Muko"}
    assert roster.commit_roster(report, seed_store, uploaded_by="op").upload_id
    after = seed_store.query(
        "SELECT nip FROM officials WHERE superseded_by IS NULL AND regency_code = '1701'"
    )["nip"].to_list()
    assert after == before
    # a bare name with no regency belongs to the province: refused
    data = _csv([(_nip(71), "Guru Prov", "Dinas Pendidikan", "")])
    report = roster.validate_roster(data, "prov.csv", store=seed_store)
    upload_scope.refuse_out_of_scope(report, MUKOMUKO)
    assert report.accepted(True).height == 0


def test_regency_uploader_cannot_roll_back_a_provincial_roster(bkd_store: Store) -> None:
    upload_id = bkd_store.query("SELECT upload_id FROM uploads WHERE file_name = 'bkd.csv'").item()
    # only rows placed in Mukomuko: the row claims alone would put it inside 1706
    only_muko = _csv([(_nip(i), f"Pegawai BKD {i:02d}", BKD, "Mukomuko") for i in range(24)])
    second = _commit(bkd_store, only_muko, "bkd-muko.csv")
    assert not upload_scope.upload_in_scope(bkd_store, MUKOMUKO, second)
    assert upload_scope.uploads_in_scope(bkd_store, MUKOMUKO, [upload_id, second]) == []
    bengkulu = auth.User("bkd", "uploader", provinces=("17",))
    assert upload_scope.upload_in_scope(bkd_store, bengkulu, second)


def test_event_for_a_provincial_agency_is_refused(bkd_store: Store) -> None:
    from dashboard.ingest.events import commit_events, validate_events

    data = (
        "tanggal;instansi;provinsi;kabupaten_kota;jenis_kegiatan;jumlah_sasaran;"
        "jumlah_sudah_tanda_tangan\n"
        f"02/10/2023;{BKD};Bengkulu;Mukomuko;pakta;24;24\n"
        "02/10/2023;Pemerintah Kabupaten Mukomuko;Bengkulu;Mukomuko;pakta;53;50\n"
    ).encode()
    report = validate_events(data, "kegiatan.csv", store=bkd_store)
    assert not report.has_errors, report.errors
    assert upload_scope.refuse_out_of_scope(report, MUKOMUKO) == 1
    assert [(e.row, e.code) for e in report.errors] == [(2, "agency_out_of_scope")]
    result = commit_events(report, bkd_store, accept_valid=True, uploaded_by="op")
    written = bkd_store.query(
        "SELECT a.name FROM events e JOIN agencies a USING (agency_id) WHERE e.upload_id = $u",
        {"u": result.upload_id},
    )["name"].to_list()
    assert written == ["Pemerintah Kabupaten Mukomuko"]
