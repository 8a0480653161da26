"""Moving an office's store between engines (a DuckDB file and a PostgreSQL database).

Every table is read as Arrow from the source and appended in bulk to the target, in one
transaction on the target: a failure halfway leaves the target as it was. The target
must hold no data yet (only the reference regions every new store starts with, which the
copy replaces). The per-store account key goes along, so the audit trail's keyed names
stay comparable, and the aggregates are rebuilt from the copied roster.
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.store.engine import Store
from dashboard.store.errors import StoreError
from dashboard.store.schema import TABLE_NAMES
from dashboard.store.writes import insert_frame

REFERENCE_TABLES = ("regions", "region_aliases")


class CopyError(StoreError):
    """The copy would overwrite data or read a store that is not one."""


@dataclass(frozen=True)
class CopyResult:
    rows: dict[str, int]


def copy_store(source: Store, target: Store) -> CopyResult:
    """Copy every table of ``source`` into the empty ``target``; returns rows per table."""
    if source.location == target.location:
        raise CopyError("The source and the target are the same store.")
    if not source.exists():
        raise CopyError(f"{source} does not exist.")
    source.ensure()
    target.ensure()
    held = {t: n for t, n in target.counts().items() if n and t not in REFERENCE_TABLES}
    if held:
        listed = ", ".join(f"{t}={n}" for t, n in sorted(held.items()))
        raise CopyError(f"{target} already holds data ({listed}); copy into an empty store.")
    frames = {t: source.table(t) for t in TABLE_NAMES}
    key = source.query("SELECT value FROM meta WHERE key = 'account_key'")
    with target.transaction() as con:
        for table in REFERENCE_TABLES:
            con.execute(f"DELETE FROM {table}")
        for table, frame in frames.items():
            insert_frame(con, table, frame, validate=False)
        con.execute("DELETE FROM meta WHERE key = 'account_key'")
        if key.height:
            con.execute("INSERT INTO meta VALUES ('account_key', ?)", [key["value"][0]])
    return CopyResult(rows={t: f.height for t, f in frames.items()})
