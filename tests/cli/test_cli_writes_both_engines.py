"""The commands that write (import, import-events, rollback, users, followup, letters,
remind) on a DuckDB file and on PostgreSQL alike, run in-process; each result is read
back from the store's tables."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from independent_figures import read_sql

from dashboard.cli.main import main
from dashboard.store.database import Store

BOTH_BACKENDS = True  # each test runs on a DuckDB file and on PostgreSQL

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

PASSWORD = "Kata-Sandi-Panjang-1"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return mc.build(tmp_path_factory.mktemp("cli-corpus"), large=False)


@pytest.fixture
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No real secrets.toml is picked up: HOME and the working directory are the test's."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)


def _run(store: Store, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--store", store.location], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_import_then_rollback(corpus: dict[str, Path], seed_store: Store) -> None:
    clerk = str(corpus["clerk_semicolon_cp1252.csv"])
    code, out, _ = _run(seed_store, "import", clerk, "--accept-valid", "--json")
    doc = json.loads(out)
    assert code == 1 and doc["valid_rows"] == 9  # errors reported, valid rows committed
    upload_id = doc["upload_id"]
    officials = seed_store.table("officials")
    assert officials.filter(pl.col("upload_id") == upload_id).height == 9
    code, out, _ = _run(seed_store, "import", clerk, "--accept-valid", "--json")
    assert json.loads(out)["duplicate_of"] == upload_id

    code, _, err = _run(seed_store, "rollback", upload_id)
    assert code == 0, err
    assert seed_store.table("officials").filter(pl.col("upload_id") == upload_id).height == 0
    uploads = seed_store.table("uploads").filter(pl.col("upload_id") == upload_id)
    assert uploads["status"].to_list() != ["committed"]
    code, _, err = _run(seed_store, "rollback", upload_id)
    assert code != 0 and "Traceback" not in err


def test_import_events(corpus: dict[str, Path], seed_store: Store) -> None:
    before = seed_store.counts()["events"]
    code, out, _ = _run(
        seed_store, "import-events", str(corpus["events.csv"]), "--accept-valid", "--json"
    )
    doc = json.loads(out)
    assert code == 1 and doc["valid_rows"] == 2
    assert seed_store.counts()["events"] == before + 2


def test_users_lifecycle(store: Store, own_home: None) -> None:
    code, _, err = _run(
        store, "users", "add", "Ani", "--role", "analyst", "--province", "17", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0, err
    assert _run(store, "users", "add", "kepala@bkd.go.id", "--role", "viewer", "--oidc")[0] == 0
    assert _run(store, "users", "set-role", "ani", "uploader")[0] == 0
    assert _run(store, "users", "set-scope", "ani", "--regency", "1706")[0] == 0
    assert _run(store, "users", "passwd", "ani", stdin=PASSWORD + "-baru\n")[0] == 0
    assert _run(store, "users", "remove", "kepala@bkd.go.id")[0] == 0
    code, _, err = _run(store, "users", "remove", "nobody")
    assert code == 1 and "no user" in err

    users = read_sql(store, "SELECT username, role FROM users ORDER BY username")
    assert users.rows() == [("ani", "uploader")]
    code, out, _ = _run(store, "users", "list", "--json")
    listed = json.loads(out)
    assert [(u["username"], u["role"], u["regencies"]) for u in listed] == [
        ("ani", "uploader", ["1706"])
    ]
    log = json.loads(_run(store, "audit", "--json")[1])
    assert [e["action"] for e in reversed(log)] == [
        "user.add",
        "user.add",
        "user.role",
        "user.scope",
        "user.password",
        "user.remove",
    ]
