"""The five real seed events (``data/seed/seed.json``), as validated frames."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from dashboard.domain.agency_names import match_key_expr
from dashboard.store.database import conform
from schemas import Agencies, Events, SignatureReports

if TYPE_CHECKING:
    import pandera.polars as pa

SEED_FILE = Path(__file__).resolve().parents[2] / "data" / "seed" / "seed.json"
SEED_UPLOAD_ID = "seed"


@dataclass(frozen=True)
class SeedData:
    agencies: pl.DataFrame
    events: pl.DataFrame
    signature_reports: pl.DataFrame

    def skip_regency_codes(self) -> set[str]:
        """Regions whose figures come from a real report: demo data stays out of them."""
        return set(self.signature_reports[SignatureReports.regency_code].drop_nulls().to_list())


def _frame(rows: list[dict[str, object]], model: type[pa.DataFrameModel]) -> pl.DataFrame:
    df = pl.DataFrame(rows, infer_schema_length=None)
    extra = {"is_demo": pl.lit(False), "upload_id": pl.lit(SEED_UPLOAD_ID)}
    df = df.with_columns([v.alias(k) for k, v in extra.items() if k in model.to_schema().columns])
    return model.validate(conform(df, model))


def load_seed(path: Path = SEED_FILE) -> SeedData:
    raw = json.loads(path.read_text(encoding="utf-8"))
    agencies = pl.DataFrame(raw["agencies"], infer_schema_length=None).with_columns(
        match_key_expr(
            pl.col(Agencies.name), pl.col(Agencies.province_code), pl.col(Agencies.regency_code)
        ).alias(Agencies.match_key),
        pl.lit(None, dtype=pl.String).alias(Agencies.parent_id),
    )
    events = pl.DataFrame(raw["events"], infer_schema_length=None).with_columns(
        pl.col(Events.event_date).str.to_date()
    )
    reports = pl.DataFrame(raw["signature_reports"], infer_schema_length=None).with_columns(
        pl.col(SignatureReports.as_of).str.to_date()
    )
    return SeedData(
        agencies=_frame(agencies.to_dicts(), Agencies),
        events=_frame(events.to_dicts(), Events),
        signature_reports=_frame(reports.to_dicts(), SignatureReports),
    )
