"""Honest change figures: against the previous upload (or a picked day), named, and absent
when nothing moved. Unit tests of ``dashboard.render.comparison`` and the Ringkasan page over a
real store with two roster uploads a week apart."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import polars as pl
import pytest
from independent_figures import agency_figures, totals
from streamlit.testing.v1 import AppTest

from dashboard import i18n, queries
from dashboard.ingest.roster import commit_roster, validate_roster
from dashboard.render import briefing, comparison
from dashboard.store.database import ENV_STORE, Store

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]

FIRST = dt.datetime(2024, 1, 5, 10, 0)
SECOND = dt.datetime(2024, 1, 12, 10, 0)
NIPS = ("198001012005011001", "198203152006041002", "199401012018011001", "199501012019011002")


def _roster(signed: dict[str, str]) -> bytes:
    """Four officials of one agency; ``signed`` maps NIP -> signature day (dd/mm/yyyy)."""
    rows = [
        (nip, f"Pejabat {i}", f"Jabatan {i}", "Pengawas", "Sudah" if nip in signed else "Belum",
         signed.get(nip, ""))
        for i, nip in enumerate(NIPS)
    ]  # fmt: skip
    return mc.muko_v2_bytes(rows)


def _upload(store: Store, data: bytes, name: str, at: dt.datetime) -> None:
    report = validate_roster(data, name, store=store)
    result = commit_roster(report, store, uploaded_by="tester")
    assert result.upload_id, report
    # the upload happened on ``at`` (the store stamps "now"; the test moves it back)
    with store.transaction() as con:
        con.execute(
            "UPDATE uploads SET uploaded_at = ? WHERE upload_id = ?", [at, result.upload_id]
        )


@pytest.fixture
def two_uploads(tmp_path: Path) -> Store:
    store = Store(tmp_path / "two.duckdb")
    store.ensure()
    _upload(store, _roster({NIPS[0]: "02/01/2024"}), "minggu-1.csv", FIRST)
    signed = {NIPS[0]: "02/01/2024", NIPS[1]: "08/01/2024", NIPS[2]: "10/01/2024"}
    _upload(store, _roster(signed), "minggu-2.csv", SECOND)
    return store


def _uploads(*days: dt.date, status: str = "committed") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "uploaded_at": [dt.datetime.combine(d, dt.time(9)) for d in days],
            "status": [status] * len(days),
        }
    )


def test_previous_upload_is_the_one_before_the_latest_day() -> None:
    jan = [dt.date(2024, 1, d) for d in (5, 12, 12, 19)]
    assert comparison.previous_upload_day(_uploads(*jan), dt.date(2024, 2, 1)) == jan[1]
    # as of the 15th the 19th has not happened yet
    assert comparison.previous_upload_day(_uploads(*jan), dt.date(2024, 1, 15)) == jan[0]
    # two uploads on one day are one upload day: nothing earlier to compare with
    assert comparison.previous_upload_day(_uploads(jan[1], jan[2]), dt.date(2024, 2, 1)) is None
    assert comparison.previous_upload_day(_uploads(*jan, status="rolled_back"), jan[3]) is None
    assert comparison.previous_upload_day(_uploads(), jan[3]) is None


def test_a_picked_day_wins_when_it_is_before_the_as_of_day() -> None:
    f = queries.Filters(date_to=dt.date(2024, 3, 1))
    ups = _uploads(dt.date(2024, 1, 5), dt.date(2024, 1, 12))
    assert comparison.baseline(ups, f, dt.date(2024, 2, 1)) == comparison.Baseline(
        dt.date(2024, 2, 1), comparison.KIND_DATE
    )
    assert comparison.baseline(ups, f, dt.date(2024, 3, 1)).kind == comparison.KIND_UPLOAD
    b = comparison.baseline(ups, f)
    assert b is not None and b.day == dt.date(2024, 1, 5)
    assert b.filters(f).date_to == dt.date(2024, 1, 5)
    assert b.label("id") == "vs. unggahan " + i18n.fmt_date(b.day, "id")
    assert b.label("en") == "vs. the upload of " + i18n.fmt_date(b.day, "en")


def test_no_delta_when_nothing_moved() -> None:
    assert comparison.delta(5, 5, "int", "id") is None
    assert comparison.delta(0.5, 0.50001, "pct", "id") is None  # rounds to 0,0 points
    assert comparison.delta(5, None, "int", "id") is None
    assert comparison.delta(1234, 0, "int", "id") == "+1.234"
    assert comparison.delta(0.25, 0.75, "pct", "en") == "-50.0 pts"
    assert comparison.delta(0.75, 0.25, "pct", "id") == "+50,0 poin"


def _run(monkeypatch: pytest.MonkeyPatch, store: Store, **params: str) -> AppTest:
    monkeypatch.setenv(ENV_STORE, str(store.path))
    at = AppTest.from_file(APP, default_timeout=180)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_headline_names_the_previous_upload_and_shows_what_moved(
    monkeypatch: pytest.MonkeyPatch, two_uploads: Store
) -> None:
    at = _run(monkeypatch, two_uploads)
    now = totals(agency_figures(two_uploads))
    before = totals(agency_figures(two_uploads, as_of=FIRST.date()))
    assert (now["done"], before["done"]) == (3, 1)  # the fixture is what the test says
    cards = {m.label: m for m in at.metric}
    signed, unsigned = cards["Sudah tanda tangan"], cards["Belum tanda tangan"]
    assert signed.value == str(now["done"])
    assert signed.delta == f"+{now['done'] - before['done']}"
    assert unsigned.delta == f"-{before['undone'] - now['undone']}"
    points = i18n.fmt_number((now["rate"] - before["rate"]) * 100, "id", 1)
    assert cards["Tingkat tanda tangan"].delta == f"+{points} poin"
    # the target did not move, nor did the (absent) events: no "±0"
    assert not cards["Pejabat sasaran"].delta
    assert not cards["Kegiatan"].delta
    day = i18n.fmt_date(FIRST.date(), "id")
    captions = [c.value for c in at.caption]
    assert f"Perubahan dibanding filter yang sama per unggahan {day}." in captions
    # the delta says what it compares against, in the card itself
    assert f"vs. unggahan {day}" in str(signed.proto)

    # the briefing compares with the same upload
    doc = briefing.build_html(two_uploads, queries.Filters(), "id")
    assert f"+{now['done'] - before['done']} vs. unggahan {day}" in doc


def test_one_upload_only_shows_no_deltas(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    store = Store(tmp_path / "one.duckdb")
    store.ensure()
    _upload(store, _roster({NIPS[0]: "02/01/2024"}), "minggu-1.csv", FIRST)
    at = _run(monkeypatch, store)
    assert at.metric and not any(m.delta for m in at.metric)
    assert i18n.t("compare.none", "id") in [c.value for c in at.caption]
    doc = briefing.build_html(store, queries.Filters(), "id")
    assert 'class="delta"' not in doc
