"""Lines a test adds for the end of the run (printed by tests/conftest.py), so the output of
`make test` names what was compared, not only that it passed."""

from __future__ import annotations

import pytest

SUMMARY = pytest.StashKey[list[str]]()


def summary_lines(config: pytest.Config) -> list[str]:
    return config.stash.setdefault(SUMMARY, [])
