"""Every bulk write leaves the server store with current planner statistics.

PostgreSQL's autovacuum analyses a table only after enough changes and some time; a store
just filled by the demo, an import or a copy had none, and first queries over a million
rows ran for minutes. The store analyses what a bulk write wrote, right after its commit.
DuckDB keeps its statistics as it writes (nothing to check there beyond the figures).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from dashboard.ingest.siasn import check_target, commit_target
from dashboard.install import builtin
from dashboard.store.copy import copy_store
from dashboard.store.database import AGGREGATE_TABLES, Store
from tests.conftest import new_store

_spec = importlib.util.spec_from_file_location(
    "siasn_gen_stats", Path(__file__).resolve().parents[2] / "benchmarks" / "siasn.py"
)
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(gen)  # type: ignore[union-attr]

ROSTER_TABLES = ("officials", "agencies", "uploads", *AGGREGATE_TABLES)


def _statistics(store: Store, tables: tuple[str, ...]) -> dict[str, tuple[int, int, bool]]:
    """Per table: (rows, pg_class.reltuples, analysed at least once)."""
    out = {}
    for table in tables:
        rows = int(store.query(f"SELECT count(*) AS n FROM {table}")["n"][0])
        stats = store.query(
            "SELECT c.reltuples AS reltuples, "
            "coalesce(s.last_analyze, s.last_autoanalyze) IS NOT NULL AS analysed "
            "FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid "
            "WHERE c.relname = ? AND c.relkind = 'r'",
            [table],
        )
        out[table] = (rows, int(stats["reltuples"][0]), bool(stats["analysed"][0]))
    return out


def _assert_current(store: Store, tables: tuple[str, ...]) -> None:
    for table, (rows, reltuples, analysed) in _statistics(store, tables).items():
        assert analysed, table
        assert reltuples == rows, (table, rows, reltuples)


@pytest.fixture
def pg(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> Store:
    if backend != "postgresql":
        pytest.skip("planner statistics are the server store's")
    return new_store(request, "postgresql", tmp_path, "pg")


def test_a_new_store_has_statistics_for_its_reference_tables(pg: Store) -> None:
    pg.ensure()
    _assert_current(pg, ("regions", "region_aliases", "meta", *AGGREGATE_TABLES))


def test_the_demo_leaves_statistics_of_every_table_it_filled(pg: Store) -> None:
    builtin.install(pg, with_demo=True, n_officials=3_000)
    assert pg.counts()["officials"] > 3_000 - 1
    _assert_current(pg, (*ROSTER_TABLES, "events", "signature_reports"))


def test_an_import_leaves_statistics_of_the_tables_it_wrote(pg: Store, tmp_path: Path) -> None:
    paths = gen.write(gen.generate(2_000), tmp_path, "siasn")
    pg.ensure()
    data = paths["csv"].read_bytes()
    report = check_target(data, paths["csv"].name, store=pg)
    assert commit_target(report, pg).upload_id
    _assert_current(pg, ROSTER_TABLES)
    # a second import replaces the roster per agency: the statistics follow again
    again = gen.write(gen.generate(1_500, seed=5), tmp_path / "again", "siasn")["csv"]
    report = check_target(again.read_bytes(), again.name, store=pg)
    assert commit_target(report, pg).upload_id
    _assert_current(pg, ROSTER_TABLES)


def test_a_copy_into_the_server_leaves_statistics_of_every_table(pg: Store, tmp_path: Path) -> None:
    source = Store(tmp_path / "source.duckdb")
    builtin.install(source, with_demo=True, n_officials=3_000)
    copied = copy_store(source, pg)
    _assert_current(pg, tuple(t for t, n in copied.rows.items() if n) + AGGREGATE_TABLES)
