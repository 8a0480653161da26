"""A writable copy of the shared demo store for follow-up tests (the shared one stays clean)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.store.database import Store


@pytest.fixture
def demo_copy(demo_store: Store, tmp_path: Path) -> Store:
    target = tmp_path / "followup.duckdb"
    shutil.copy(demo_store.path, target)
    wal = demo_store.path.with_name(demo_store.path.name + ".wal")
    if wal.exists():
        shutil.copy(wal, target.with_name(target.name + ".wal"))
    return Store(target)
