"""The issue registry: every code has a severity and a message in both languages, and
every code the upload code emits is registered."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import polars as pl
import pytest

from dashboard.i18n import LANGS, catalog
from dashboard.ingest import issues
from dashboard.ingest.checks import IssueCollector, render

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDERS = {"column", "value", "detail", "check"}


def _emitted_codes() -> dict[str, str]:
    """Code literals passed to the issue collector, ``UnreadableFile`` and the CLI."""
    found: dict[str, str] = {}
    files = [*(ROOT / "dashboard" / "ingest").glob("*.py"), ROOT / "dashboard/cli/uploads.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            position = {"add": 2, "add_file": 0, "UnreadableFile": 0, "_unreadable": 0}.get(name)
            if position is None or len(node.args) <= position:
                continue
            arg = node.args[position]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found[arg.value] = f"{path.name}:{node.lineno}"
    return found


def test_every_code_has_a_severity_and_both_languages() -> None:
    for code, spec in issues.REGISTRY.items():
        assert spec.code == code
        assert spec.severity in issues.SEVERITIES, code
        assert not (spec.unreadable and spec.severity != "error"), code
        texts = {lang: catalog(lang).get(spec.key) for lang in LANGS}
        assert all(texts.values()), (code, texts)
        fields = {
            lang: {f for _, f, _, _ in string.Formatter().parse(text or "") if f}
            for lang, text in texts.items()
        }
        assert fields["id"] == fields["en"] <= PLACEHOLDERS, (code, fields)


def test_every_emitted_code_is_registered() -> None:
    emitted = _emitted_codes()
    assert len(emitted) > 30  # the scan sees the checks (a scan that finds nothing is broken)
    missing = {c: where for c, where in emitted.items() if c not in issues.REGISTRY}
    assert missing == {}


def test_unreadable_codes_are_exactly_the_ones_that_stop_reading() -> None:
    unreadable = {c for c, s in issues.REGISTRY.items() if s.unreadable}
    assert unreadable == {
        "file_not_found",
        "file_empty",
        "file_binary",
        "file_unreadable",
        "sheet_not_found",
        "sheet_empty",
        "markup_unreadable",
        "markup_no_table",
        "archive_too_large",
        "archive_too_many_entries",
        "too_many_rows",
    }
    assert not issues.is_unreadable("header_only")  # read, but no rows: exit 1, not 2


@pytest.mark.parametrize("lang", LANGS)
def test_render_uses_the_registry_and_counts_come_from_the_frame(lang: str) -> None:
    df = pl.DataFrame({"_row": [0, 1, 2]})
    checks = IssueCollector()
    checks.add(df, pl.col("_row") < 2, "region_fuzzy", "provinsi", value=pl.lit("Bengkuluu"))
    checks.add(df, pl.col("_row") == 2, "region_unknown", "provinsi", value=pl.lit("Atlantis"))
    checks.add_file("extra_column", "No", value="No")
    out = render(checks.frame(), lang=lang, header_row=1, labels={"provinsi": "Province"})
    assert out.columns == [
        *("_row", "row", "sheet", "column", "code", "severity"),
        *("message", "value", "detail"),
    ]
    assert out["row"].to_list() == [None, 2, 3, 4]
    assert out["severity"].to_list() == ["warning", "warning", "warning", "error"]
    assert issues.counts(out) == {"error": 1, "warning": 3}
    # the user's header is quoted, the sentence is the UI language's own
    msg = out.filter(pl.col("code") == "region_unknown")["message"].item()
    assert msg == catalog(lang)["upload.region_unknown"].format(
        value="Atlantis", column="Province", detail=""
    )
    assert out["value"].to_list() == ["No", "Bengkuluu", "Bengkuluu", "Atlantis"]


def test_an_unregistered_code_reads_as_an_error_not_a_crash() -> None:
    assert issues.severity("no_such_code") == "error"
    assert issues.message("no_such_code", "en") == "no_such_code"
