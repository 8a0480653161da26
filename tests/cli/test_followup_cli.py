"""``netralitas letters`` and ``netralitas followup``: files written, JSON that matches the
roster, deadlines that make agencies overdue, clear errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner
from docx import Document
from independent_figures import read_sql
from store_copies import writable_copy

from dashboard.cli.main import main
from dashboard.store.database import Store

BOTH_BACKENDS = True  # each test runs on a DuckDB file and on PostgreSQL


@pytest.fixture
def store_copy(request: pytest.FixtureRequest, demo_store: Store, tmp_path: Path) -> Store:
    return writable_copy(request, demo_store, tmp_path)


def _unsigned(store: Store) -> pl.DataFrame:
    return read_sql(
        store,
        "SELECT o.agency_id, o.nip, a.province_code FROM officials o "
        "JOIN agencies a USING (agency_id) WHERE o.superseded_by IS NULL AND NOT o.signed",
    )


def _run(store: Store, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--store", store.location])
    return result.exit_code, result.stdout, result.stderr


def test_letters_writes_one_docx_per_agency_with_its_officials(
    store_copy: Store, tmp_path: Path
) -> None:
    unsigned = _unsigned(store_copy)
    counts = unsigned.group_by("agency_id").len().sort("agency_id")
    ids = counts["agency_id"].head(2).to_list()
    out = tmp_path / "surat"
    code, stdout, _ = _run(
        store_copy, "letters", "--agency", ids[0], "--agency", ids[1], "--out", str(out), "--json"
    )
    assert code == 0
    doc = json.loads(stdout)
    assert sorted(f["agency_id"] for f in doc["files"]) == ids
    for f in doc["files"]:
        expected = unsigned.filter(pl.col("agency_id") == f["agency_id"])
        assert f["officials_listed"] == expected.height
        text = "\n".join(
            c.text
            for t in Document(io.BytesIO(Path(f["file"]).read_bytes())).tables
            for row in t.rows
            for c in row.cells
        )
        assert all(n in text for n in expected["nip"].to_list())
        assert f["letter_number"] in text
    assert sorted(p.name for p in out.iterdir()) == sorted(
        Path(f["file"]).name for f in doc["files"]
    )


def test_letters_for_a_province_as_pdf(store_copy: Store, tmp_path: Path) -> None:
    unsigned = _unsigned(store_copy).filter(pl.col("province_code") == "34")
    out = tmp_path / "pdf"
    code, stdout, _ = _run(
        store_copy, "letters", "--province", "34", "--format", "pdf", "--out", str(out), "--json"
    )
    assert code == 0
    files = json.loads(stdout)["files"]
    assert sorted(f["agency_id"] for f in files) == sorted(unsigned["agency_id"].unique())
    assert all(Path(f["file"]).read_bytes().startswith(b"%PDF") for f in files)


def test_deadline_then_overdue_list(store_copy: Store) -> None:
    unsigned = _unsigned(store_copy)
    agency = unsigned["agency_id"].sort()[0]
    code, _, _ = _run(store_copy, "followup", "deadline", "--date", "2099-01-01")
    assert code == 0
    code, _, _ = _run(
        store_copy, "followup", "deadline", "--date", "2024-01-31", "--agency", agency
    )
    assert code == 0
    code, stdout, _ = _run(store_copy, "followup", "list", "--overdue", "--json")
    assert code == 0
    rows = json.loads(stdout)
    assert [r["agency_id"] for r in rows] == [agency]
    assert rows[0]["due_date"] == "2024-01-31" and rows[0]["deadline_source"] == "agency"
    code, stdout, _ = _run(store_copy, "followup", "list", "--json")
    everyone = json.loads(stdout)
    assert {r["agency_id"] for r in everyone} >= set(unsigned["agency_id"].unique())
    priorities = [r["priority"] for r in everyone]
    assert priorities == sorted(priorities, reverse=True)


def test_bad_input_gets_a_message_not_a_traceback(store_copy: Store, tmp_path: Path) -> None:
    code, _, err = _run(store_copy, "followup", "deadline", "--date", "31-01-2024")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = _run(store_copy, "letters", "--agency", "no-such", "--out", str(tmp_path))
    assert code == 1 and "unknown agency" in err and "Traceback" not in err
    code, _, err = _run(store_copy, "followup", "contact", "--agency", "no-such", "--email", "x")
    assert code == 1 and "Traceback" not in err
    code, _, err = _run(
        store_copy, "followup", "contact", "--agency", "seed-62-dpmptsp", "--email", "tu kantor"
    )
    assert code == 1 and "not an e-mail address" in err
