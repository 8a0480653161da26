"""Times in the office's zone and audit details in words, as the tables show them."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.queries.filters import Filters
from dashboard.web.components import detail_text, local_time_text
from dashboard.web.context import Ctx


def _ctx(lang: str) -> Ctx:
    return Ctx(lang, Filters(), None, (0,))  # type: ignore[arg-type]


def test_a_stored_utc_time_is_shown_in_the_office_zone_with_its_name() -> None:
    late = dt.datetime(2026, 12, 7, 20, 30)  # 20:30 UTC is past midnight in the east
    for lang in ("id", "en"):
        ctx = _ctx(lang)
        assert local_time_text(ctx, late, "WIB") == f"{ctx.date(dt.date(2026, 12, 8))} 03:30 WIB"
        assert local_time_text(ctx, late, "WIT") == f"{ctx.date(dt.date(2026, 12, 8))} 05:30 WIT"
        assert local_time_text(ctx, None, "WIB") == "–"


def test_audit_details_read_as_words_not_json() -> None:
    raw = pl.Series(
        "detail",
        ['{"format": "csv", "rows": 12}', '{"role": "viewer"}', None, "{}"],
    )
    shown = pl.select(detail_text(pl.lit(raw))).to_series().to_list()
    assert shown == ["format: csv · rows: 12", "role: viewer", None, ""]
