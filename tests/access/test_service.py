"""The access service refuses, on the server, what a role or scope does not allow, and
audits every attempt (one event, one shape, whether from the web or the CLI)."""

from __future__ import annotations

import json

import polars as pl
import pytest

from dashboard import queries
from dashboard.access import auth, service
from dashboard.access.gate import Refused
from dashboard.ingest.roster import validate_roster
from dashboard.queries.filters import Filters
from dashboard.store.database import Store

HEADER = (
    "nip,nama,jabatan,jenjang_jabatan,instansi,unit_kerja,provinsi,kabupaten_kota,"
    "status_tanda_tangan,tanggal_tanda_tangan,ikrar,keterangan"
)


def _roster(agency: str, regency: str, nips: list[str]) -> bytes:
    rows = [
        f"{nip},Pegawai {i},Staf,Pelaksana,{agency},Umum,Bengkulu,{regency},"
        f"{'Sudah' if i % 2 else 'Belum'},{'25/09/2023' if i % 2 else ''},ya,"
        for i, nip in enumerate(nips)
    ]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


MUKOMUKO = _roster("Pemkab Mukomuko", "Kab. Mukomuko", [f"19800101200501{i:04d}" for i in range(4)])
SELUMA = _roster("Pemkab Seluma", "Kab. Seluma", [f"19810101200601{i:04d}" for i in range(3)])

ADMIN = service.Caller(auth.User("admin", "admin"), channel="web")
MUKOMUKO_UPLOADER = service.Caller(auth.User("kab1706", "uploader", regencies=("1706",)))
VIEWER = service.Caller(auth.User("lihat", "viewer"))
BENGKULU_ANALYST = service.Caller(auth.User("analis17", "analyst", provinces=("17",)))


def _commit(store: Store, caller: service.Caller, data: bytes, name: str) -> str:
    report = validate_roster(data, name, store=store)
    assert not report.has_errors, report.issues
    result = service.commit_upload(store, caller, report)
    assert result.upload_id is not None
    return result.upload_id


def _audit(store: Store) -> list[dict]:
    return queries.audit_rows(store).sort("occurred_at", "event_id").to_dicts()


def _seluma_and_mukomuko(store: Store) -> tuple[str, str]:
    return (
        _commit(store, ADMIN, SELUMA, "seluma.csv"),
        _commit(store, MUKOMUKO_UPLOADER, MUKOMUKO, "mukomuko.csv"),
    )


def test_regency_uploader_cannot_roll_back_another_regencys_upload(seed_store: Store) -> None:
    seluma, own = _seluma_and_mukomuko(seed_store)
    before = seed_store.table("officials").height
    with pytest.raises(Refused) as refused:
        service.rollback_upload(seed_store, MUKOMUKO_UPLOADER, seluma)
    assert refused.value.reason == "scope"
    assert seed_store.table("officials").height == before  # nothing undone
    status = queries.uploads(seed_store).filter(pl.col("upload_id") == seluma)["status"]
    assert status.to_list() == ["committed"]
    last = _audit(seed_store)[-1]
    assert (last["action"], last["outcome"], last["actor"], last["target"]) == (
        "rollback",
        "denied",
        "kab1706",
        seluma,
    )
    assert json.loads(last["detail"])["reason"] == "scope"
    # the same user may undo their own upload: audited once, as ok
    counts = service.rollback_upload(seed_store, MUKOMUKO_UPLOADER, own)
    assert counts["officials"] == 4
    last = _audit(seed_store)[-1]
    assert (last["action"], last["outcome"], last["target"]) == ("rollback", "ok", own)


def test_viewer_asking_for_names_is_refused_and_audited(seed_store: Store) -> None:
    _seluma_and_mukomuko(seed_store)
    with pytest.raises(Refused) as refused:
        service.unsigned_officials(seed_store, VIEWER, Filters(), personal=True)
    assert refused.value.reason == "role"
    with pytest.raises(Refused):
        service.download_unsigned(seed_store, VIEWER, Filters(), file_format="csv", personal=True)
    events = [(e["action"], e["outcome"], e["actor"]) for e in _audit(seed_store)[-2:]]
    assert events == [("personal_data", "denied", "lihat"), ("download", "denied", "lihat")]
    # without names the viewer gets the list, and the safe default carries no names or NIPs
    rows = service.unsigned_officials(seed_store, VIEWER, Filters(), limit=None)
    assert rows.height == 2 + 2  # every other row of each file is unsigned
    assert {"name", "nip"}.isdisjoint(rows.columns)
    assert {"name", "nip"}.isdisjoint(queries.unsigned_officials(seed_store, Filters()).columns)


def test_province_analyst_cannot_download_another_provinces_list(seed_store: Store) -> None:
    _seluma_and_mukomuko(seed_store)
    other = Filters(provinces=("62",))  # Kalimantan Tengah
    with pytest.raises(Refused) as refused:
        service.download_unsigned(
            seed_store, BENGKULU_ANALYST, other, file_format="xlsx", personal=True
        )
    assert refused.value.reason == "scope"
    last = _audit(seed_store)[-1]
    assert (last["action"], last["outcome"], last["actor"], last["target"]) == (
        "download",
        "denied",
        "analis17",
        service.UNSIGNED_LIST,
    )
    assert json.loads(last["detail"])["regions"] == ["62"]
    # their own province: the list with names, audited with its size
    own = service.download_unsigned(
        seed_store, BENGKULU_ANALYST, Filters(provinces=("17",)), file_format="csv", personal=True
    )
    assert sorted(own["nip"]) == [
        "198001012005010000",
        "198001012005010002",
        "198101012006010000",
        "198101012006010002",
    ]
    last = _audit(seed_store)[-1]
    assert (last["action"], last["outcome"]) == ("download", "ok")
    assert json.loads(last["detail"])["rows"] == own.height == 4


def test_upload_out_of_scope_is_refused_before_anything_is_written(seed_store: Store) -> None:
    report = validate_roster(SELUMA, "seluma.csv", store=seed_store)
    before = seed_store.counts()
    with pytest.raises(Refused) as refused:
        service.commit_upload(seed_store, MUKOMUKO_UPLOADER, report)
    assert refused.value.reason == "scope"
    after = seed_store.counts()
    assert {k: v for k, v in after.items() if k != "audit_log"} == {
        k: v for k, v in before.items() if k != "audit_log"
    }
    last = _audit(seed_store)[-1]
    assert (last["action"], last["outcome"], json.loads(last["detail"])["outside"]) == (
        "upload",
        "denied",
        3,
    )


def test_one_audit_shape_from_web_and_cli(seed_store: Store) -> None:
    web = _commit(seed_store, ADMIN, SELUMA, "seluma.csv")
    cli = _commit(seed_store, service.cli_caller(), MUKOMUKO, "mukomuko.csv")
    by_target = {e["target"]: e for e in _audit(seed_store) if e["action"] == "upload"}
    web_event, cli_event = by_target[web], by_target[cli]
    assert (web_event["channel"], cli_event["channel"]) == ("web", "cli")
    assert json.loads(web_event["detail"]).keys() == json.loads(cli_event["detail"]).keys()
    assert json.loads(cli_event["detail"])["accepted"] == 4


def test_account_changes_need_an_admin(seed_store: Store) -> None:
    with pytest.raises(Refused):
        service.add_user(seed_store, BENGKULU_ANALYST, "baru", "admin", password="rahasia-123")
    assert queries.get_user(seed_store, "baru") is None
    last = _audit(seed_store)[-1]
    assert (last["action"], last["outcome"], last["target"]) == ("user.add", "denied", "baru")
    service.add_user(seed_store, ADMIN, "baru", "viewer", password="rahasia-123")
    service.set_role(seed_store, ADMIN, "baru", "analyst")
    assert auth.User.from_row(queries.get_user(seed_store, "baru") or {}).role == "analyst"
    assert [e["action"] for e in _audit(seed_store)[-2:]] == ["user.add", "user.role"]
