"""The audit trail: what it records, what it refuses to record, and its export."""

from __future__ import annotations

import csv
import io

import polars as pl
import pytest

from dashboard.access import audit, auth
from dashboard.render import export
from dashboard.store.database import TABLE_NAMES, Store

PASSWORD = "Sangat-Rahasia-2024"
WRONG = "Tebakan-Salah-2024"


def test_user_changes_are_recorded_with_actor_target_and_detail(store: Store) -> None:
    auth.add_user(store, "ani", "viewer", password=PASSWORD, provinces=["17"], actor="cli:root")
    auth.set_role(store, "ani", "analyst", actor="cli:root")
    auth.set_scope(store, "ani", regencies=["1706"], actor="cli:root")
    auth.set_password(store, "ani", PASSWORD + "!", actor="cli:root")
    auth.remove_user(store, "ani", actor="cli:root")
    log = audit.log(store).sort("occurred_at")
    assert log["action"].to_list() == [
        "user.add",
        "user.role",
        "user.scope",
        "user.password",
        "user.remove",
    ]
    assert set(log["actor"]) == {"cli:root"} and set(log["target"]) == {"ani"}
    assert set(log["channel"]) == {"cli"}
    assert log["detail"][1] == '{"from": "viewer", "to": "analyst"}'
    assert log["detail"][2] == '{"provinces": [], "regencies": ["1706"]}'
    assert log["detail"][3] is None


def test_passwords_never_reach_the_store_in_clear(store: Store) -> None:
    auth.add_user(store, "ani", "analyst", password=PASSWORD, actor="t")
    auth.authenticate(store, "ani", WRONG)
    auth.authenticate(store, "ani", PASSWORD)
    auth.authenticate(store, WRONG, PASSWORD)  # a password typed as the user name
    auth.set_password(store, "ani", PASSWORD + "-baru", actor="t")
    for table in TABLE_NAMES:
        text = store.table(table).select(pl.all().cast(pl.String)).write_csv()
        assert PASSWORD not in text and WRONG not in text, table
    assert PASSWORD.encode() not in store.path.read_bytes()
    assert WRONG.encode() not in store.path.read_bytes()
    assert audit.log(store, actions=("signin",))["outcome"].to_list().count("ok") == 1


def test_secret_keys_are_refused_and_nips_masked() -> None:
    with pytest.raises(audit.AuditError):
        audit.rows("download", actor="ani", detail={"password": "x"})
    with pytest.raises(audit.AuditError):
        audit.rows("download", actor="ani", detail={"id_token": "x"})
    with pytest.raises(audit.AuditError):
        audit.rows("sudo", actor="ani")
    row = audit.rows(
        "download", actor="ani", target="unsigned 198001012005011001", detail={"n": 5, "x": "1234"}
    ).row(0, named=True)
    assert row["target"] == "unsigned 198001**********01"
    assert row["detail"] == '{"n": 5, "x": "1234"}'


def test_download_record_and_csv_export_is_formula_safe(store: Store) -> None:
    audit.record(
        store,
        "download",
        actor='=HYPERLINK("http://x")',
        target="unsigned",
        detail={"rows": 12, "format": "csv", "provinces": ["17"]},
        ip="10.0.0.5",
    )
    data = export.to_csv_bytes(audit.log(store))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["actor"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["ip"] == "10.0.0.5" and rows[0]["action"] == "download"
    assert "password_hash" not in rows[0]
