"""The scope rule's SQL predicate, Polars expression and Python check agree everywhere."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.access import auth
from dashboard.domain import scope
from dashboard.domain.regions import load_regions
from dashboard.queries.filters import Filters


def _places() -> pl.DataFrame:
    """Every region code as a row would carry it: provinces with no regency, and every
    regency under its own province, plus regencies filed under a wrong province."""
    regions = load_regions()
    provinces = regions.filter(pl.col("level") == "provinsi")
    regencies = regions.filter(pl.col("level") != "provinsi")
    assert (provinces.height, regencies.height) == (38, 514)
    return pl.concat(
        [
            provinces.select(
                pl.col("code").alias("province_code"),
                pl.lit(None, dtype=pl.String).alias("regency_code"),
            ),
            regencies.select("province_code", pl.col("code").alias("regency_code")),
            regencies.select(
                pl.lit("11").alias("province_code"), pl.col("code").alias("regency_code")
            ),
        ]
    )


PLACES = _places()
PROVINCES = sorted(PLACES["province_code"].unique().to_list())
REGENCIES = sorted(PLACES["regency_code"].drop_nulls().unique().to_list())


def _three_ways(s: scope.Scope | None) -> tuple[list[bool], list[bool], list[bool]]:
    con = duckdb.connect()
    con.register("places", PLACES.with_row_index("i").to_arrow())
    where = scope.sql_predicate(s, "province_code", "regency_code")
    in_sql = [r[0] for r in con.execute(f"SELECT {where} FROM places ORDER BY i").fetchall()]
    expr = scope.polars_expr(s, "province_code", "regency_code")
    in_polars = PLACES.with_columns(expr.alias("in"))["in"].to_list()
    in_python = [
        scope.contains(s, p, r)
        for p, r in zip(PLACES["province_code"], PLACES["regency_code"], strict=True)
    ]
    return in_sql, in_polars, in_python


FIXED = [
    None,
    scope.Scope(),
    scope.Scope(("17",)),
    scope.Scope((), ("1706",)),
    scope.Scope(("11",), ("1706", "6271")),
    scope.Scope(("62", "94"), ("6201", "9101")),  # a regency inside a whole province: dropped
    scope.Scope(tuple(PROVINCES)),
    scope.Scope((), tuple(REGENCIES)),
]


@pytest.mark.parametrize("s", FIXED, ids=repr)
def test_sql_polars_and_python_agree_on_every_region(s: scope.Scope | None) -> None:
    in_sql, in_polars, in_python = _three_ways(s)
    assert in_sql == in_polars == in_python
    # and the rule says what it should: independent of all three renderings
    expected = [
        s is None or p in s.provinces or (r is not None and r in s.regencies and r[:2] == p)
        for p, r in zip(PLACES["province_code"], PLACES["regency_code"], strict=True)
    ]
    assert in_python == expected


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(PROVINCES), max_size=3),
    st.lists(st.sampled_from(REGENCIES), max_size=6),
)
def test_agree_for_random_scopes(provinces: list[str], regencies: list[str]) -> None:
    in_sql, in_polars, in_python = _three_ways(scope.Scope(tuple(provinces), tuple(regencies)))
    assert in_sql == in_polars == in_python


def test_filters_and_user_carry_the_same_scope() -> None:
    user = auth.User("u", "analyst", provinces=("11",), regencies=("1706",))
    f = auth.scope_filters(user, Filters())
    assert f.scope == user.scope == scope.Scope(("11",), ("1706",))
    assert auth.scope_filters(auth.User("n", "viewer"), Filters()).scope is None
    # an empty scope is nothing, never national
    assert Filters(scope_provinces=()).scope == scope.Scope()
    assert "FALSE" in scope.sql_predicate(scope.Scope(), "p", "r")


def test_codes_are_checked_before_they_reach_sql() -> None:
    with pytest.raises(ValueError):
        scope.Scope(("17'; DROP TABLE x; --",))
