"""Additive schema upgrades: older stores are brought up to date, risky changes refused."""

from __future__ import annotations

import pytest

from dashboard.store.database import SCHEMA_VERSION, Store, StoreVersionError
from tests.independent_figures import columns_of, tables_of, tamper


def _version(store: Store) -> int:
    return int(tamper(store, "SELECT value FROM meta WHERE key='schema_version'")[0][0])


def _downgrade(store: Store, *sql: str) -> None:
    tamper(store, *sql, "UPDATE meta SET value = '1' WHERE key = 'schema_version'")


def test_version_1_store_gains_the_new_tables_and_keeps_its_rows(seed_store: Store) -> None:
    before = seed_store.counts()["events"]
    _downgrade(seed_store, "DROP TABLE users", "DROP TABLE audit_log")
    changes = seed_store.migrate()
    assert "create table users" in changes and "create table audit_log" in changes
    assert _version(seed_store) == SCHEMA_VERSION
    assert seed_store.counts()["events"] == before == 5
    assert seed_store.counts()["users"] == 0
    assert seed_store.migrate() == []  # idempotent


def test_missing_nullable_column_is_added_by_ensure(store: Store) -> None:
    _downgrade(store, "ALTER TABLE users DROP COLUMN email")
    store.ensure()
    cols = columns_of(store, "users")
    assert "email" in cols and _version(store) == SCHEMA_VERSION


def test_type_change_is_refused_and_file_left_alone(store: Store) -> None:
    _downgrade(
        store,
        "ALTER TABLE audit_log DROP COLUMN ip",
        "ALTER TABLE audit_log ADD COLUMN ip INTEGER",
        "DROP TABLE users",
    )
    with pytest.raises(StoreVersionError, match="audit_log.ip"):
        store.ensure()
    assert _version(store) == 1
    assert "users" not in tables_of(store)  # the whole upgrade rolled back


def test_new_required_column_is_refused(store: Store) -> None:
    _downgrade(store, "ALTER TABLE users DROP COLUMN role")
    with pytest.raises(StoreVersionError, match="users.role"):
        store.ensure()


def test_newer_store_is_refused(store: Store) -> None:
    tamper(store, f"UPDATE meta SET value = '{SCHEMA_VERSION + 1}' WHERE key='schema_version'")
    with pytest.raises(StoreVersionError, match="schema version"):
        store.ensure()


def test_version_2_store_gains_the_follow_up_tables(seed_store: Store) -> None:
    follow_up = (
        "followup_deadlines",
        "followup_steps",
        "followup_letters",
        "reminder_sends",
        "agency_contacts",
        "letter_settings",
    )
    _downgrade(seed_store, *(f"DROP TABLE {t}" for t in follow_up))
    tamper(seed_store, "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    changes = seed_store.migrate()
    assert sorted(changes) == sorted(f"create table {t}" for t in follow_up)
    assert _version(seed_store) == SCHEMA_VERSION
    assert seed_store.counts()["events"] == 5
    assert all(seed_store.counts()[t] == 0 for t in follow_up)


def test_version_3_store_gains_the_sessions_table(seed_store: Store) -> None:
    _downgrade(seed_store, "DROP TABLE user_sessions", *_V4_CHANGES)
    tamper(seed_store, "UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    assert sorted(seed_store.migrate()) == sorted(["create table user_sessions", *_V5_MADE])
    assert _version(seed_store) == SCHEMA_VERSION
    assert seed_store.counts()["events"] == 5 and seed_store.counts()["user_sessions"] == 0
    cols = columns_of(seed_store, "user_sessions")
    assert "secret_digest" in cols and "expires_at" in cols and "revoked_by" in cols


# what schema version 5 added: undone to make a version-4 store
_V4_CHANGES = ("DROP TABLE signatures", "ALTER TABLE officials DROP COLUMN jenis_asn")
_V5_MADE = ("create table signatures", "add column officials.jenis_asn")


def test_version_4_store_gains_signatures_and_jenis_asn_without_loss(store: Store) -> None:
    from dashboard.ingest.roster import commit_roster, validate_roster
    from dashboard.queries import Filters, summary

    text = (
        "nip,nama,jabatan,instansi,provinsi,kabupaten_kota,status_tanda_tangan,tanggal_tanda_tangan\n"
        "197103281992031011,Ani,Kepala Dinas,Dinas Kesehatan,Bengkulu,Mukomuko,Sudah,2023-09-21\n"
        "198001012005011002,Budi,Sekretaris,Dinas Kesehatan,Bengkulu,Mukomuko,Belum,\n"
        "198502022010012003,Cici,Camat,Kecamatan Kota Mukomuko,Bengkulu,Mukomuko,Sudah,\n"
        "199003032015031004,Dedi,Analis,Kecamatan Kota Mukomuko,Bengkulu,Mukomuko,Belum,\n"
    )
    report = validate_roster(text.encode(), "roster.csv", store=store)
    assert commit_roster(report, store).upload_id
    before_counts = store.counts()
    before = summary(store, Filters(), "instansi")
    _downgrade(store, *_V4_CHANGES, "DROP TABLE agg_person_signatures")
    tamper(store, "UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    assert sorted(store.migrate()) == sorted(_V5_MADE)
    assert _version(store) == SCHEMA_VERSION
    assert store.counts() == before_counts and before_counts["officials"] == 4
    assert summary(store, Filters(), "instansi").equals(before)
    assert store.table("officials")["jenis_asn"].null_count() == 4  # unknown until re-read
