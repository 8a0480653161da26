"""Shared fixtures: real DuckDB stores in temporary directories."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.store import builtin
from dashboard.store.database import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """An empty store file."""
    s = Store(tmp_path / "store.duckdb")
    s.ensure()
    return s


@pytest.fixture
def seed_store(tmp_path: Path) -> Store:
    """The five real seed events only."""
    s = Store(tmp_path / "seed.duckdb")
    builtin.install(s, with_demo=False)
    return s


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Seed + a small demo dataset (shared, read-only by convention)."""
    s = Store(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    builtin.install(s, with_demo=True, n_officials=20_000)
    return s
