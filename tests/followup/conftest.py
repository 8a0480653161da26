"""A writable copy of the shared demo store for follow-up tests (the shared one stays clean)."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_copies import writable_copy

from dashboard.store.database import Store


@pytest.fixture
def demo_copy(request: pytest.FixtureRequest, demo_store: Store, tmp_path: Path) -> Store:
    return writable_copy(request, demo_store, tmp_path)
