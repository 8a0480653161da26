"""SQL lives only in the data layer: dashboard/store (writes) and dashboard/queries (reads)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard"
DATA_LAYER = (DASHBOARD / "store", DASHBOARD / "queries")
SQL = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|WITH|DROP|ALTER)\b[\s\S]*\b(FROM|INTO|SET|TABLE|AS)\b"
)
DB_CALLS = {"execute", "sql", "query", "executemany"}


def _outside_data_layer() -> list[Path]:
    files = sorted(DASHBOARD.rglob("*.py"))
    assert len(files) > 40, "the package was not found"
    return [p for p in files if not any(p.is_relative_to(d) for d in DATA_LAYER)]


def _strings(node: ast.AST) -> list[str]:
    """Every string literal in ``node``, f-string parts joined (placeholders as ``?``)."""
    out = []
    for n in ast.walk(node):
        if isinstance(n, ast.JoinedStr):
            out.append(
                "".join(
                    v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "?"
                    for v in n.values
                )
            )
        elif isinstance(n, ast.Constant) and isinstance(n.value, str):
            out.append(n.value)
    return out


def test_no_sql_statements_outside_store_and_queries() -> None:
    found = []
    for path in _outside_data_layer():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for text in _strings(tree):
            if SQL.search(text):
                found.append(f"{path.relative_to(DASHBOARD)}: {text.strip()[:60]!r}")
    assert found == []


def test_no_database_calls_outside_store_and_queries() -> None:
    found = []
    for path in _outside_data_layer():
        for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute)
                and n.func.attr in DB_CALLS
                and n.args
                and any(SQL.search(s) for s in _strings(n.args[0]))
            ):
                found.append(f"{path.relative_to(DASHBOARD)}:{n.lineno}")
    assert found == []


def test_the_check_finds_sql() -> None:
    """The pattern recognises the statements it is meant to catch (and not prose)."""
    assert SQL.search("SELECT count(*) AS n FROM uploads")
    assert SQL.search("\n  DELETE FROM users WHERE username = ?")
    assert SQL.search("UPDATE officials SET superseded_by = ?")
    assert not SQL.search("Select a province from the list")
    assert not SQL.search("DELETE the account")
