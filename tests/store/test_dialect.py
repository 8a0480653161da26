"""The DuckDB -> PostgreSQL translation: what it rewrites, and numbers typed as on DuckDB."""

from __future__ import annotations

import datetime as dt
import re

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


def _values_in_text_order(sql: str, values: list[object]) -> list[object]:
    """The value each ``$k`` of a translated statement receives, read left to right."""
    ((text, _),), order = postgres_sql(sql)
    bound = bind(order, values)
    return [bound[int(k) - 1] for k in re.findall(r"\$(\d+)", text)]


@pytest.mark.parametrize(
    ("sql", "n"),
    [
        ("SELECT * FROM t WHERE agency_id = ? AND campaign = ? AND send_date = ?", 3),
        ("SELECT * FROM t WHERE a = ? AND (b = ? OR c = ?) AND d BETWEEN ? AND ?", 5),
        ("SELECT CASE WHEN a = ? THEN ? WHEN a = ? THEN ? ELSE ? END AS x FROM t", 5),
        ("SELECT coalesce(?, ?) AS x, substr(a, ?, ?) AS y FROM t", 4),
        ("SELECT * FROM t WHERE a IN (SELECT b FROM u WHERE c = ? AND d = ?) AND e = ?", 3),
        ("SELECT ? AS x FROM t WHERE a = ? ORDER BY a LIMIT ? OFFSET ?", 4),
        ("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", 3),
        ("UPDATE t SET a = ?, b = ? WHERE c = ? AND d = ?", 4),
        ("SELECT CAST(? AS INT) AS n FROM t WHERE d < ?::DATE AND e = ?", 3),
        ("SELECT '?' AS q, \"x?\" AS y, ? AS z FROM t WHERE a = ? -- ?\n AND b = ?", 3),
    ],
)
def test_question_marks_are_bound_in_the_order_of_the_text(sql: str, n: int) -> None:
    """The parsed tree is walked in another order than the text (AND chains, CASE, function
    arguments, subqueries, LIMIT/OFFSET): each ``?`` still receives the value of its place;
    a ``?`` in a string, a quoted name or a comment is no parameter."""
    values: list[object] = [f"v{i}" for i in range(n)]
    assert _values_in_text_order(sql, values) == values


def test_the_agency_campaign_date_statement_binds_each_value_to_its_column() -> None:
    ((text, _),), order = postgres_sql(
        "SELECT * FROM t WHERE agency_id = ? AND campaign = ? AND send_date = ?"
    )
    bound = bind(order, ["A1", "pakta", dt.date(2024, 2, 1)])
    for column, value in (
        ("agency_id", "A1"),
        ("campaign", "pakta"),
        ("send_date", dt.date(2024, 2, 1)),
    ):
        k = int(re.search(rf"{column} = \$(\d+)", text).group(1))  # type: ignore[union-attr]
        assert bound[k - 1] == value


def test_positional_values_reach_their_place_on_the_engine(store: Store) -> None:
    """Values of different and of the same type, in places where the tree order is not the
    text order: the engine returns each where it was written."""
    df = store.query(
        "SELECT CASE WHEN x = ? THEN ? ELSE ? END AS c, coalesce(NULL, ?) AS f, "
        "? || ? AS s FROM (SELECT 1 AS x UNION ALL SELECT 2) AS v "
        "WHERE x >= ? AND ?::DATE < ? ORDER BY x LIMIT ? OFFSET ?",
        [1, "one", "other", "first", "a", "b", 0, dt.date(2024, 1, 1), dt.date(2024, 1, 2), 5, 0],
    )
    assert df.rows() == [("one", "first", "ab"), ("other", "first", "ab")]
    df = store.query(
        "SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3) AS v "
        "WHERE x IN (SELECT y FROM (SELECT 2 AS y UNION ALL SELECT 3) AS w WHERE y > ?) "
        "AND x < ? ORDER BY x",
        [2, 4],
    )
    assert df["x"].to_list() == [3]


def test_a_row_inserted_with_question_marks_lands_in_its_columns(store: Store) -> None:
    with store.transaction() as con:
        con.execute("CREATE TABLE probe (a VARCHAR, b VARCHAR, d DATE, n BIGINT)")
        con.execute(
            "INSERT INTO probe (a, b, d, n) VALUES (?, ?, ?, ?)",
            ["first", "second", dt.date(2024, 3, 4), 7],
        )
        con.execute(
            "UPDATE probe SET b = ?, n = ? WHERE a = ? AND d = ?",
            ["B", 8, "first", dt.date(2024, 3, 4)],
        )
    assert store.query("SELECT a, b, d, n FROM probe").rows() == [
        ("first", "B", dt.date(2024, 3, 4), 8)
    ]


def test_date_diff_is_a_bigint_as_on_duckdb() -> None:
    ((sql, _),), _ = postgres_sql("SELECT date_diff('day', a, b) AS d FROM t")
    assert sql.startswith("SELECT CAST(") and sql.endswith("AS BIGINT) AS d FROM t")


def test_written_tables_names_the_targets_of_writes_only() -> None:
    from dashboard.store.dialect import written_tables

    assert written_tables("INSERT INTO meta VALUES (?, ?)") == {"meta"}
    assert written_tables("UPDATE officials SET superseded_by = ? WHERE agency_id = ?") == {
        "officials"
    }
    assert written_tables("DELETE FROM regions") == {"regions"}
    assert written_tables(
        "DROP TABLE IF EXISTS agg_roster; CREATE TABLE agg_roster AS SELECT 1"
    ) == {"agg_roster"}
    assert written_tables("CREATE TEMP TABLE scope AS SELECT 1") == set()
    assert written_tables("SELECT count(*) FROM officials") == set()
