"""Additive schema upgrades: older stores are brought up to date, risky changes refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.store.database import SCHEMA_VERSION, Store, StoreVersionError


def _version(path: Path) -> int:
    con = duckdb.connect(str(path))
    try:
        return int(con.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
    finally:
        con.close()


def _downgrade(path: Path, *sql: str) -> None:
    con = duckdb.connect(str(path))
    for stmt in sql:
        con.execute(stmt)
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()


def test_version_1_store_gains_the_new_tables_and_keeps_its_rows(seed_store: Store) -> None:
    before = seed_store.counts()["events"]
    _downgrade(seed_store.path, "DROP TABLE users", "DROP TABLE audit_log")
    changes = seed_store.migrate()
    assert "create table users" in changes and "create table audit_log" in changes
    assert _version(seed_store.path) == SCHEMA_VERSION
    assert seed_store.counts()["events"] == before == 5
    assert seed_store.counts()["users"] == 0
    assert seed_store.migrate() == []  # idempotent


def test_missing_nullable_column_is_added_by_ensure(store: Store) -> None:
    _downgrade(store.path, "ALTER TABLE users DROP COLUMN email")
    store.ensure()
    con = duckdb.connect(str(store.path))
    cols = [r[0] for r in con.execute("DESCRIBE users").fetchall()]
    con.close()
    assert "email" in cols and _version(store.path) == SCHEMA_VERSION


def test_type_change_is_refused_and_file_left_alone(store: Store) -> None:
    _downgrade(
        store.path,
        "ALTER TABLE audit_log DROP COLUMN ip",
        "ALTER TABLE audit_log ADD COLUMN ip INTEGER",
        "DROP TABLE users",
    )
    with pytest.raises(StoreVersionError, match="audit_log.ip"):
        store.ensure()
    assert _version(store.path) == 1
    con = duckdb.connect(str(store.path))
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    con.close()
    assert "users" not in tables  # the whole upgrade rolled back


def test_new_required_column_is_refused(store: Store) -> None:
    _downgrade(store.path, "ALTER TABLE users DROP COLUMN role")
    with pytest.raises(StoreVersionError, match="users.role"):
        store.ensure()


def test_newer_store_is_refused(store: Store) -> None:
    con = duckdb.connect(str(store.path))
    con.execute("UPDATE meta SET value = ? WHERE key='schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
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
    _downgrade(seed_store.path, *(f"DROP TABLE {t}" for t in follow_up))
    con = duckdb.connect(str(seed_store.path))
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    changes = seed_store.migrate()
    assert sorted(changes) == sorted(f"create table {t}" for t in follow_up)
    assert _version(seed_store.path) == SCHEMA_VERSION
    assert seed_store.counts()["events"] == 5
    assert all(seed_store.counts()[t] == 0 for t in follow_up)


def test_version_3_store_gains_the_sessions_table(seed_store: Store) -> None:
    _downgrade(seed_store.path, "DROP TABLE user_sessions")
    con = duckdb.connect(str(seed_store.path))
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    assert seed_store.migrate() == ["create table user_sessions"]
    assert _version(seed_store.path) == SCHEMA_VERSION == 4
    assert seed_store.counts()["events"] == 5 and seed_store.counts()["user_sessions"] == 0
    con = duckdb.connect(str(seed_store.path))
    cols = [r[0] for r in con.execute("DESCRIBE user_sessions").fetchall()]
    con.close()
    assert "secret_digest" in cols and "expires_at" in cols and "revoked_by" in cols
