"""Turn pandera failure cases into issues a clerk can act on: spreadsheet row, column, rule.

pandera reports a 0-based ``index``; a spreadsheet shows the header on row 1,
so the first data row is row 2.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandera.polars as pa
import polars as pl

from dashboard.i18n import t

HEADER_ROWS = 1


@dataclass(frozen=True)
class Issue:
    """One reported problem (see ``dashboard.ingest.issues`` for what each code means)."""

    row: int | None  # spreadsheet numbering; None for whole-file problems
    column: str | None
    code: str
    message: str
    value: str | None = None
    detail: str | None = None
    sheet: str | None = None  # the sheet of ``row`` when several sheets were read together

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def spreadsheet_row(index: int) -> int:
    return index + HEADER_ROWS + 1


def _rule_code(check: str) -> str:
    """A stable error code from pandera's check text (``str_matches(...)`` -> ``pattern``)."""
    name = check.split("(", 1)[0].strip()
    return {
        "not_nullable": "required",
        "str_matches": "pattern",
        "isin": "not_allowed",
        "greater_than_or_equal_to": "too_small",
        "less_than_or_equal_to": "too_large",
        "str_length": "too_short",
        "field_uniqueness": "duplicate",
        "dtype": "wrong_type",
    }.get(name, name or "invalid")


def schema_issues(
    exc: pa.errors.SchemaErrors, lang: str = "id", row_offset: int = 0
) -> list[Issue]:
    """One issue per failing cell, sorted by row then column."""
    fc = exc.failure_cases
    issues: list[Issue] = []
    for rec in fc.iter_rows(named=True):  # failure cases only: small by construction
        index = rec.get("index")
        code = _rule_code(str(rec.get("check") or ""))
        # a whole-row (dataframe) check names the schema, not a column
        column = rec.get("column") if rec.get("schema_context") == "Column" else None
        value = rec.get("failure_case")
        issues.append(
            Issue(
                row=spreadsheet_row(int(index) + row_offset) if index is not None else None,
                column=column,
                code=code,
                message=t(
                    f"rule.{code}", lang, column=column or "", value=value, check=rec.get("check")
                ),
                value=None if value is None else str(value),
            )
        )
    return sorted(issues, key=lambda i: (i.row or 0, i.column or ""))


def validate_rows(
    df: pl.DataFrame, model: type[pa.DataFrameModel], lang: str = "id"
) -> tuple[pl.DataFrame, list[Issue]]:
    """Validate lazily; return the rows that passed and the issues of the rows that did not."""
    try:
        return model.validate(df, lazy=True), []
    except pa.errors.SchemaErrors as exc:
        issues = schema_issues(exc, lang)
        bad = {i.row - HEADER_ROWS - 1 for i in issues if i.row is not None}
        whole_file = [i for i in issues if i.row is None]
        if whole_file:
            return df.clear(), issues
        keep = df.with_row_index("_i").filter(~pl.col("_i").is_in(sorted(bad))).drop("_i")
        return model.validate(keep), issues
