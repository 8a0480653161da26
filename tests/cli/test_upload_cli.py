"""The upload CLI contract as an outside script sees it: exit codes, one JSON object
(the commands run in-process, :mod:`cli_inprocess`)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from cli_inprocess import Completed, invoke

from dashboard.store.database import Store

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

KEYS = {"ok", "rows", "valid_rows", "errors", "warnings", "upload_id", "duplicate_of"}
ISSUE_KEYS = {"row", "column", "code", "message", "value", "detail", "sheet"}
WARNINGS = {
    "extra_column",
    "position_level_inferred",
    "signed_without_date",
    "date_out_of_range",
    "nip_birthdate_implausible",
    "region_fuzzy",
}


def run(*args: str) -> Completed:
    return invoke(*args, env={"NETRALITAS_STORE": "/nonexistent/never-used.duckdb"})


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return mc.build(tmp_path_factory.mktemp("cli-corpus"), large=False)


def _doc(out: Completed) -> dict:
    doc = json.loads(out.stdout)  # exactly one JSON object, nothing else on stdout
    assert set(doc) == KEYS
    for issue in doc["errors"] + doc["warnings"]:
        assert set(issue) == ISSUE_KEYS
    return doc


def _triples(issues: list[dict]) -> set[tuple]:
    return {(i["row"], i["column"], i["code"]) for i in issues}


def test_validate_clerk_file_json(corpus: dict[str, Path]) -> None:
    out = run("validate", str(corpus["clerk_semicolon_cp1252.csv"]), "--json")
    assert out.returncode == 1, out.stderr
    doc = _doc(out)
    assert (doc["ok"], doc["rows"], doc["valid_rows"]) == (False, 23, 9)
    assert (doc["upload_id"], doc["duplicate_of"]) == (None, None)
    expected_warn = {i for i in mc.CLERK_EXPECTED if i[2] in WARNINGS}
    assert _triples(doc["warnings"]) == expected_warn
    assert _triples(doc["errors"]) == mc.CLERK_EXPECTED - expected_warn
    assert all(isinstance(i["message"], str) and i["message"] for i in doc["errors"])
    # stderr carries counts only: no names or NIPs from the file
    assert "Aminah" not in out.stderr and "198505052010012003" not in out.stderr


def test_validate_clean_file_exit_0_and_english(corpus: dict[str, Path]) -> None:
    out = run("validate", str(corpus["muko_v2.csv"]), "--json", "--lang", "en")
    assert out.returncode == 0, out.stderr
    doc = _doc(out)
    assert (doc["ok"], doc["rows"], doc["valid_rows"], doc["errors"]) == (True, 4, 4, [])


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.csv", "file_empty"),
        ("binary_renamed.csv", "file_binary"),
        ("does-not-exist.csv", "file_not_found"),
    ],
)
def test_unreadable_file_exit_2(corpus: dict[str, Path], name: str, code: str) -> None:
    path = corpus.get(name, corpus["empty.csv"].with_name(name))
    out = run("validate", str(path), "--json")
    assert out.returncode == 2
    doc = _doc(out)
    assert doc["ok"] is False and _triples(doc["errors"]) == {(None, None, code)}


def test_header_only_file_was_read_exit_1(corpus: dict[str, Path]) -> None:
    out = run("validate", str(corpus["header_only.csv"]), "--json", "--lang", "en")
    assert out.returncode == 1
    doc = _doc(out)
    assert (doc["rows"], _triples(doc["errors"])) == (0, {(None, None, "header_only")})
    assert "no data rows" in doc["errors"][0]["message"]


def test_sheet_option(corpus: dict[str, Path]) -> None:
    xlsx = str(corpus["several_sheets.xlsx"])
    ok = _doc(run("validate", xlsx, "--sheet", "Roster", "--json"))
    assert _triples(ok["errors"]) == {(3, "nip", "nip_scientific")}
    out = run("validate", xlsx, "--sheet", "Nope", "--json")
    assert out.returncode == 2 and _doc(out)["errors"][0]["code"] == "sheet_not_found"


def test_import_duplicate_uploads_rollback(corpus: dict[str, Path], seed_store: Store) -> None:
    clerk, store = str(corpus["clerk_semicolon_cp1252.csv"]), str(seed_store.path)

    refused = run("import", clerk, "--store", store, "--json")
    assert refused.returncode == 1 and _doc(refused)["upload_id"] is None

    out = run("import", clerk, "--accept-valid", "--store", store, "--json")
    doc = _doc(out)
    assert out.returncode == 1  # there were errors, even though the valid rows landed
    assert doc["upload_id"] and doc["valid_rows"] == 9
    upload_id = doc["upload_id"]

    summary = json.loads(run("summary", "--by", "kabupaten", "--json", "--store", store).stdout)
    muko = next(r for r in summary if r["code"] == "1706")
    assert (muko["target"], muko["source"]) == (9, "roster")

    again = _doc(run("import", clerk, "--accept-valid", "--store", store, "--json"))
    assert (again["upload_id"], again["duplicate_of"]) == (None, upload_id)

    listed = json.loads(run("uploads", "--json", "--store", store).stdout)
    assert [u["upload_id"] for u in listed] == [upload_id]
    assert listed[0]["valid_rows"] == 9 and listed[0]["status"] == "committed"

    back = run("rollback", upload_id, "--store", store)
    assert back.returncode == 0, back.stderr
    summary = json.loads(run("summary", "--by", "kabupaten", "--json", "--store", store).stdout)
    muko = next(r for r in summary if r["code"] == "1706")
    assert (muko["target"], muko["signed"], muko["source"]) == (53, 48, "laporan")
    assert run("rollback", upload_id, "--store", store).returncode != 0


def test_import_events_json(corpus: dict[str, Path], seed_store: Store) -> None:
    out = run(
        "import-events",
        str(corpus["events.csv"]),
        "--accept-valid",
        "--store",
        str(seed_store.path),
        "--json",
    )
    doc = _doc(out)
    assert out.returncode == 1 and doc["upload_id"] and doc["valid_rows"] == 2
    assert _triples(doc["errors"]) == mc.EVENTS_EXPECTED
    assert seed_store.counts()["events"] == 7


def test_templates(tmp_path: Path) -> None:
    import openpyxl

    xlsx, csv_ = tmp_path / "roster.xlsx", tmp_path / "roster.csv"
    assert run("template", str(xlsx)).returncode == 0
    assert run("template", str(csv_)).returncode == 0
    assert run("template", str(tmp_path / "x.pdf")).returncode == 2
    assert csv_.read_bytes().decode("utf-8-sig").strip().split(",")[:3] == [
        "nip",
        "nama",
        "jabatan",
    ]
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Data", "Petunjuk"]
    data, guide = wb["Data"], wb["Petunjuk"]
    assert [c.value for c in data[1]][:2] == ["nip", "nama"]
    assert data.column_dimensions["A"].number_format == "@"  # NIP column stays text in Excel
    rows = {r[0]: r for r in guide.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(mc.TEMPLATE_HEADERS)
    assert "Teks" in rows["nip"][2] and rows["nama"][1] == "ya"
    # an empty template is read, and says it has no data rows yet
    empty = run("validate", str(xlsx), "--json")
    assert empty.returncode == 1
    assert (None, None, "header_only") in _triples(_doc(empty)["errors"])
    ev = tmp_path / "events.xlsx"
    assert run("template", str(ev), "--kind", "events").returncode == 0
    assert "jumlah_sasaran" in [c.value for c in openpyxl.load_workbook(ev)["Data"][1]]


@pytest.mark.parametrize(
    "cmd", ["validate", "import", "import-events", "uploads", "rollback", "template"]
)
def test_upload_commands_have_help(cmd: str) -> None:
    out = run(cmd, "--help")
    assert out.returncode == 0 and "Usage:" in out.stdout
