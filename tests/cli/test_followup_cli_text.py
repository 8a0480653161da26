"""The follow-up CLI on text that breaks the rules: a store holding control characters still
gets its letters; typed control characters and address lists are refused with a message."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from docx import Document
from independent_figures import read_sql

from dashboard.cli.main import main
from dashboard.queries import followup as q
from dashboard.store.database import Store

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@pytest.fixture
def store_copy(demo_store: Store, tmp_path: Path) -> Store:
    target = tmp_path / "cli.duckdb"
    shutil.copy(demo_store.path, target)
    return Store(target)


def _run(store: Store, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--store", str(store.path)])
    return result.exit_code, result.stdout, result.stderr


def _busiest(store: Store) -> tuple[str, str]:
    """(agency, its province) with the most unsigned officials, ties by id."""
    rows = read_sql(
        store,
        "SELECT o.agency_id, a.province_code, count(*) AS n FROM officials o "
        "JOIN agencies a USING (agency_id) WHERE o.superseded_by IS NULL AND NOT o.signed "
        "AND a.province_code IS NOT NULL GROUP BY o.agency_id, a.province_code "
        "ORDER BY n DESC, o.agency_id LIMIT 1",
    )
    return rows["agency_id"].item(), rows["province_code"].item()


def test_letters_for_a_province_whose_agency_name_holds_control_bytes(
    store_copy: Store, tmp_path: Path
) -> None:
    agency, province = _busiest(store_copy)
    con = duckdb.connect(str(store_copy.path))  # past every check of the application
    try:
        con.execute(
            "UPDATE agencies SET name = ? WHERE agency_id = ?",
            ["Dinas\x01 Uji\x02 \x1b[31mKendali\x7f", agency],
        )
    finally:
        con.close()
    expected = read_sql(
        store_copy,
        "SELECT DISTINCT o.agency_id FROM officials o JOIN agencies a USING (agency_id) "
        f"WHERE o.superseded_by IS NULL AND NOT o.signed AND a.province_code = '{province}'",
    )["agency_id"].to_list()
    out = tmp_path / "surat"
    code, stdout, stderr = _run(
        store_copy, "letters", "--province", province, "--format", "docx", "--out", str(out)
    )
    assert code == 0, stderr
    files = sorted(out.iterdir())
    assert len(files) == len(expected) and len(files) >= 1
    mine = next(p for p in files if p.stem.endswith(agency))
    doc = Document(io.BytesIO(mine.read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Dinas Uji [31mKendali" in text and not CONTROL.search(text)
    assert "Traceback" not in stdout + stderr


def test_contact_with_an_address_list_is_refused(store_copy: Store) -> None:
    agency, _ = _busiest(store_copy)
    code, _, stderr = _run(
        store_copy,
        "followup",
        "contact",
        "--agency",
        agency,
        "--email",
        "tu@dinas.example.go.id,spy",
    )
    assert code == 1 and "exactly one address" in stderr
    assert "Traceback" not in stderr
    assert q.contacts(store_copy).height == 0
    code, _, stderr = _run(
        store_copy, "followup", "contact", "--agency", agency, "--email", "tu@dinas.example.go.id"
    )
    assert code == 0, stderr
    assert q.contacts(store_copy)["email"].to_list() == ["tu@dinas.example.go.id"]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("followup", "contact", "--head-title", "Kepala\x01 Dinas"), "head_title"),
        (("followup", "record", "--step", "referred", "--note", "telepon\x1b[2J"), "note"),
        (("followup", "letterhead", "--office-name", "Badan\x7f Kepegawaian"), "office_name"),
    ],
)
def test_typed_control_characters_are_refused_by_name_and_code_point(
    store_copy: Store, args: tuple[str, ...], named: str
) -> None:
    agency, _ = _busiest(store_copy)
    extra = ("--agency", agency) if args[1] in ("contact", "record") else ()
    code, stdout, stderr = _run(store_copy, *args, *extra)
    assert code == 1
    point = f"U+{ord(CONTROL.search(''.join(args)).group()):04X}"  # type: ignore[union-attr]
    assert f"{named} contains control character {point}" in stderr
    assert not CONTROL.search(stdout + stderr) and "Traceback" not in stderr
    assert q.contacts(store_copy).height == 0
    assert q.history(store_copy).height == 0
    assert q.letter_settings(store_copy) is None
