"""A writable copy of the shared demo store on its own engine (the shared one stays clean).

A DuckDB file is copied as a file; a PostgreSQL demo database is copied table by table into
a new database of the test cluster (``store copy``, the path an office takes)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.store.copy import copy_store
from dashboard.store.database import Store


def writable_copy(request: pytest.FixtureRequest, demo_store: Store, folder: Path) -> Store:
    if demo_store.dialect == "postgres":
        target = Store(request.getfixturevalue("pg_cluster").new_database())
        copy_store(demo_store, target)
        return target
    target = folder / "copy.duckdb"
    shutil.copy(demo_store.path, target)
    wal = demo_store.path.with_name(demo_store.path.name + ".wal")
    if wal.exists():
        shutil.copy(wal, target.with_name(target.name + ".wal"))
    return Store(target)
