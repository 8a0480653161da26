"""The rollback's confirmation says what will change: its preview equals what the rollback
then does (rows removed and made current again, agencies, target and signed)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from dashboard import queries
from dashboard.ingest.roster import commit_roster, validate_roster
from dashboard.store.database import Store, rollback_upload

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

BOTH_BACKENDS = True  # the preview's SQL runs on DuckDB and PostgreSQL


def _current(store: Store, agencies: list[str]) -> tuple[int, int]:
    """(target, signed) of the current roster rows of ``agencies`` (raw SQL)."""
    df = store.query(
        "SELECT signed FROM officials WHERE superseded_by IS NULL "
        "AND agency_id IN (SELECT unnest($a))",
        {"a": agencies},
    )
    return df.height, int(df["signed"].sum())


def test_preview_matches_what_the_rollback_does(seed_store: Store) -> None:
    first = commit_roster(
        validate_roster(mc.muko_v2_bytes(), "v1.csv", store=seed_store), seed_store
    ).upload_id
    v2 = [*mc.MUKO_V2[:-3], ("199601012020011001", "Sari Dewi", "Lurah", "Pengawas", "Belum", "")]
    second = commit_roster(
        validate_roster(mc.muko_v2_bytes(v2), "v2.csv", store=seed_store), seed_store
    ).upload_id
    assert first and second
    agencies = seed_store.query(
        "SELECT DISTINCT agency_id FROM officials WHERE upload_id = $u", {"u": second}
    )["agency_id"].to_list()
    before = _current(seed_store, agencies)

    preview = queries.rollback_preview(seed_store, second)
    assert (preview["target_before"], preview["signed_before"]) == before
    assert preview["officials"] == len(v2) and preview["agencies"] == len(agencies)
    assert preview["events"] == 0 and preview["reports"] == 0

    counts = rollback_upload(seed_store, second)
    assert preview["officials"] == counts["officials"]
    assert preview["restored"] == counts["restored"] == len(mc.MUKO_V2)
    after = _current(seed_store, agencies)
    assert (preview["target_after"], preview["signed_after"]) == after
    assert after != before
