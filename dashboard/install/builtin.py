"""Install the built-in data: the seed events always, the demo dataset on request."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl

from dashboard import queries
from dashboard.domain import regions
from dashboard.install import demo, seed
from dashboard.store.database import Store, conform, replace_builtin
from schemas import TABLES, Uploads


def _upload_row(upload_id: str, kind: str, file_name: str, digest_of: bytes, rows: int) -> dict:
    return {
        Uploads.upload_id: upload_id,
        Uploads.kind: kind,
        Uploads.file_name: file_name,
        Uploads.sha256: hashlib.sha256(digest_of).hexdigest(),
        Uploads.uploaded_by: "system",
        Uploads.uploaded_at: dt.datetime.now(dt.UTC).replace(tzinfo=None),
        Uploads.rows: rows,
        Uploads.valid_rows: rows,
        Uploads.mode: "replace",
        Uploads.status: "committed",
    }


def install(
    store: Store,
    *,
    with_demo: bool = True,
    n_officials: int = demo.DEFAULT_OFFICIALS,
    keep_demo: bool = False,
) -> dict[str, int]:
    """Replace seed (and demo) rows in ``store``; returns row counts per table.

    ``keep_demo`` leaves existing demo rows alone (used to add missing seed rows).
    """
    store.ensure()
    sd = seed.load_seed()
    frames: dict[str, list[pl.DataFrame]] = {
        "agencies": [sd.agencies],
        "events": [sd.events],
        "signature_reports": [sd.signature_reports],
        "officials": [],
    }
    uploads = [
        _upload_row(
            seed.SEED_UPLOAD_ID,
            "seed",
            seed.SEED_FILE.name,
            seed.SEED_FILE.read_bytes(),
            sd.events.height,
        )
    ]
    if with_demo:
        dd = demo.generate(
            regions.load_regions(),
            sd.agencies,
            sd.skip_regency_codes(),
            n_officials=n_officials,
        )
        frames["agencies"].append(dd.agencies)
        frames["events"].append(dd.events)
        frames["officials"].append(dd.officials)
        uploads.append(
            _upload_row(
                demo.DEMO_UPLOAD_ID,
                "demo",
                "data contoh (sintetis)",
                f"demo:{n_officials}".encode(),
                dd.officials.height,
            )
        )
    merged = {
        k: pl.concat([conform(f, TABLES[k]) for f in v], how="vertical_relaxed")
        for k, v in frames.items()
        if v
    }
    replace_builtin(
        store,
        regions=regions.load_regions(),
        aliases=regions.load_aliases(),
        frames=merged,
        upload_rows=pl.DataFrame(uploads),
        builtin_ids=("seed",) if keep_demo else ("seed", "demo"),
    )
    return {k: v.height for k, v in merged.items()}


def ensure_populated(store: Store) -> bool:
    """Fill an empty store with the seed events and the demo dataset; True if it did."""
    store.ensure()
    if queries.upload_count(store) > 0:
        return False
    install(store, with_demo=True)
    return True


def ensure_seeded(store: Store) -> None:
    """Make sure the real seed events are present, leaving everything else as it is."""
    store.ensure()
    if queries.upload_count(store, seed.SEED_UPLOAD_ID) == 0:
        install(store, with_demo=False, keep_demo=True)
