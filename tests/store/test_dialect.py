"""The DuckDB -> PostgreSQL translation: what it rewrites, and numbers typed as on DuckDB."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.store.database import Store
from dashboard.store.dialect import bind, postgres_sql


def test_named_and_positional_parameters_become_numbered_in_first_use_order() -> None:
    ((sql, _),), order = postgres_sql("SELECT * FROM t WHERE b = $b AND a = $a AND c = $b")
    assert "$1" in sql and "$2" in sql and "$3" not in sql
    assert order == ("b", "a")
    assert bind(order, {"a": 1, "b": 2, "unused": 3}) == (2, 1)
    ((sql, _),), order = postgres_sql("SELECT * FROM t WHERE a = ? AND b = ?")
    assert order == (0, 1) and bind(order, ["x", "y"]) == ("x", "y")


def test_group_by_all_groups_by_the_non_aggregate_columns() -> None:
    ((sql, _),), _ = postgres_sql("SELECT a, b, count(*) AS n, sum(x) AS s FROM t GROUP BY ALL")
    assert sql.endswith("GROUP BY 1, 2")


def test_postgres_only_gaps_are_filled() -> None:
    ((sql, _),), _ = postgres_sql("SELECT any_value(name) AS n, round(a / b, 1) AS r FROM t")
    assert "ANY_VALUE" not in sql.upper() and "ARRAY_AGG(name)" in sql
    assert "ROUND(CAST(" in sql and "AS DECIMAL)" in sql
    ((sql, _),), _ = postgres_sql("SELECT count(*) FROM (SELECT 1)")
    assert "AS _q" in sql


def test_a_change_with_parameters_reports_its_row_count() -> None:
    ((sql, _),), _ = postgres_sql("DELETE FROM t WHERE a = ?")
    assert sql.startswith("WITH changed AS (DELETE") and sql.endswith("FROM changed")


def test_several_statements_stay_separate_and_a_new_table_is_analysed() -> None:
    statements, order = postgres_sql(
        "DROP TABLE IF EXISTS a; CREATE TEMP TABLE a AS SELECT $x AS x"
    )
    assert [s.bound for s in statements] == [False, True, False] and order == ("x",)
    assert statements[2].text == "ANALYZE a"


def test_results_are_typed_as_duckdb_types_them(store: Store) -> None:
    """Sums of integers are whole numbers, averages and divisions doubles, on either engine."""
    df = store.query(
        "SELECT sum(x) AS s, avg(x) AS a, round(sum(x) / 3, 2) AS r, count(*) AS n, "
        "$d::DATE AS d FROM (SELECT 2 AS x UNION ALL SELECT 5) AS v",
        {"d": dt.date(2024, 1, 2)},
    )
    row = df.row(0, named=True)
    assert row == {"s": 7, "a": 3.5, "r": 2.33, "n": 2, "d": dt.date(2024, 1, 2)}
    assert not df.schema["s"].is_float() and df.schema["a"].is_float()


@pytest.mark.parametrize("values", [["a", "b"], []])
def test_list_parameters_filter_in_one_bound_value(store: Store, values: list[str]) -> None:
    df = store.query(
        "SELECT code FROM regions WHERE code IN (SELECT unnest($codes)) ORDER BY code",
        {"codes": ["11", "12", *values]},
    )
    assert df["code"].to_list() == ["11", "12"]
