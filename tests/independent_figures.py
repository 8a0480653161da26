"""Independent Polars computation of compliance figures from the raw tables (test helper).

Deliberately not using dashboard.queries: the tests compare what pages and modules show
against this second implementation of the rules (roster before report, latest report,
signed on or before the as-of date).
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from dashboard.store.database import Store


def read_sql(store: Store, sql: str) -> pl.DataFrame:
    """``sql`` (portable SQL) run on the store by the engine's own driver, read-only: an
    independent read, no project query or dialect translation."""
    if store.dialect == "postgres":
        import adbc_driver_postgresql.dbapi as adbc

        with adbc.connect(store.location) as pg, pg.cursor() as cur:
            cur.execute(sql)
            return pl.from_arrow(cur.fetch_arrow_table())  # type: ignore[return-value]
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        return con.sql(sql).pl()
    finally:
        con.close()


def agency_figures(
    store: Store,
    *,
    as_of: dt.date | None = None,
    measure: str = "pakta",
    include_demo: bool = True,
) -> pl.DataFrame:
    """One row per agency with a figure: agency columns + target, done."""
    as_of = as_of or dt.date.today()
    officials = store.table("officials").filter(pl.col("superseded_by").is_null())
    with_roster = officials["agency_id"].unique()
    if not include_demo:
        officials = officials.filter(~pl.col("is_demo"))
    # a signature list counts for everyone it names (earliest date; undated always counts)
    sigs = store.table("signatures")
    if not include_demo:
        sigs = sigs.filter(~pl.col("is_demo"))
    sig = sigs.group_by("nip").agg(
        (pl.col("measure") == "ikrar").any().alias("_l_pledge"),
        (
            (pl.col("measure") == "pakta")
            & (pl.col("signed_date").is_null() | (pl.col("signed_date") <= as_of))
        )
        .any()
        .alias("_l_pact"),
    )
    officials = officials.join(sig, on="nip", how="left")
    if measure == "ikrar":
        done = pl.col("pledged") | pl.col("_l_pledge").fill_null(False)
    else:
        done = (
            pl.col("signed") & (pl.col("signed_date").is_null() | (pl.col("signed_date") <= as_of))
        ) | pl.col("_l_pact").fill_null(False)
    roster = officials.group_by("agency_id").agg(
        pl.len().cast(pl.Int64).alias("target"), done.sum().cast(pl.Int64).alias("done")
    )
    reports = store.table("signature_reports").filter(
        (pl.col("as_of") <= as_of) & ~pl.col("agency_id").is_in(with_roster.implode())
    )
    if not include_demo:
        reports = reports.filter(~pl.col("is_demo"))
    reports = (
        reports.sort("as_of")
        .group_by("agency_id")
        .last()
        .select(
            "agency_id",
            pl.col("target").cast(pl.Int64),
            pl.col("pledged" if measure == "ikrar" else "signed").cast(pl.Int64).alias("done"),
        )
        .drop_nulls("done")
    )
    agencies = store.table("agencies")
    if not include_demo:
        agencies = agencies.filter(~pl.col("is_demo"))
    return pl.concat([roster, reports]).join(agencies, on="agency_id", how="inner")


def totals(df: pl.DataFrame) -> dict[str, float | int | None]:
    target = int(df["target"].sum())
    done = int(df["done"].sum())
    return {
        "target": target,
        "done": done,
        "undone": target - done,
        "rate": done / target if target else None,
        "complete": df.filter(pl.col("done") == pl.col("target")).height,
    }


def id_int(n: int) -> str:
    """Indonesian thousands separator, written without Babel."""
    return f"{n:,}".replace(",", ".")


def id_pct(rate: float) -> str:
    return f"{rate * 100:.1f}".replace(".", ",") + "\u00a0%"


def en_pct(rate: float) -> str:
    return f"{rate * 100:.1f}\u00a0%"


def tamper(store: Store, *sql: str) -> list[tuple]:
    """Run portable statements on the store with the engine's own driver, bypassing the
    project (a test altering a store behind its back), and forget that this process
    verified the store's schema, as a newly started process would. Rows of the last one."""
    from dashboard.store import engine

    rows: list[tuple] = []
    if store.dialect == "postgres":
        import adbc_driver_postgresql.dbapi as adbc

        with adbc.connect(store.location, autocommit=True) as pg, pg.cursor() as cur:
            for stmt in sql:
                cur.execute(stmt)
                rows = cur.fetchall() if cur.description else []
    else:
        con = duckdb.connect(str(store.path))
        try:
            for stmt in sql:
                rows = con.execute(stmt).fetchall()
        finally:
            con.close()
    engine._VERIFIED.clear()
    return rows


def columns_of(store: Store, table: str) -> list[str]:
    schema = "public" if store.dialect == "postgres" else "main"
    return [
        str(r[0])
        for r in tamper(
            store,
            "SELECT column_name FROM information_schema.columns "
            f"WHERE table_schema = '{schema}' AND table_name = '{table}'",
        )
    ]


def tables_of(store: Store) -> set[str]:
    schema = "public" if store.dialect == "postgres" else "main"
    return {
        str(r[0])
        for r in tamper(
            store,
            f"SELECT table_name FROM information_schema.tables WHERE table_schema = '{schema}'",
        )
    }
