"""The Mukomuko event as a journey: a 53-person target from a SIASN-style export, a
signature list of 48, the pages show 48 / 53 = 90,6 % and an analyst sees the 5 names; a
government in the target that sent no list shows as not reported. Expected values come
from the generated files (Polars over the raw CSVs), not from the query layer.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from app_server import Server, serve
from browser_harness import ROOT, app_pages, contexts
from independent_figures import id_int, id_pct

from dashboard import i18n

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location(
    "siasn_gen_browser", ROOT / "benchmarks" / "siasn.py"
)
gen = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["siasn_gen_browser"] = gen
_spec.loader.exec_module(gen)  # type: ignore[union-attr]

MUKOMUKO = "Pemerintah Kabupaten Mukomuko"
KOTA = "Pemerintah Kota Bengkulu"


def t(key: str, **kw: object) -> str:
    return i18n.t(key, "id", **kw)


def _page(key: str) -> str:
    return next(p for _, k, p in app_pages() if k == key)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("targets_browser")
    muko = gen.generate(53, seed=3, instansi=[MUKOMUKO], inactive_share=0, missing_share=0.095)
    kota = gen.generate(6, seed=4, instansi=[KOTA], inactive_share=0, missing_share=0)
    export = pl.concat([muko.export, kota.export])
    assert export["NIP BARU"].n_unique() == export.height
    # the list of the ceremony in Mukomuko only: Kota Bengkulu has sent nothing
    return gen.write(gen.Generated(export=export, signatures=muko.signatures), tmp, "journey")


@pytest.fixture(scope="module")
def server(files: dict[str, Path]) -> Iterator[Server]:
    tmp = files["csv"].parent
    store_path = tmp / "store.duckdb"
    cli = ROOT / ".venv" / "bin" / "netralitas"
    for path, kind in ((files["csv"], "sasaran"), (files["signatures"], "tanda-tangan")):
        done = subprocess.run(
            [str(cli), "import", str(path), "--kind", kind, "--store", str(store_path), "--json"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    with serve(store_path, tmp) as srv:
        yield srv


def test_mukomuko_target_and_list_on_the_pages(
    server: Server, browser: object, files: dict[str, Path]
) -> None:
    export = pl.read_csv(files["csv"], separator="|", infer_schema=False).with_columns(
        pl.col("NIP BARU").str.strip_chars_start("'").alias("nip")
    )
    signed = pl.read_csv(files["signatures"], separator=";", infer_schema=False)["NIP"]
    muko = export.filter(pl.col("INSTANSI INDUK NAMA") == MUKOMUKO)
    missing = muko.filter(~pl.col("nip").is_in(signed.implode()))
    gelar = pl.col("GELAR BELAKANG")
    names = missing.select(
        pl.when(gelar != "null")
        .then(pl.col("NAMA").str.strip_chars_start("'") + ", " + gelar)
        .otherwise(pl.col("NAMA").str.strip_chars_start("'"))
    ).to_series()
    assert (muko.height, muko.height - missing.height) == (53, 48)
    kota = export.filter(pl.col("INSTANSI INDUK NAMA") == KOTA)
    silent = sorted(f"{u} Kota Bengkulu" for u in kota["SATUAN KERJA KERJA NAMA"].unique())
    muko_units = muko["SATUAN KERJA KERJA NAMA"].n_unique()

    with contexts(browser, server) as open_one:
        app = open_one()
        # Ringkasan of Mukomuko: 48 of 53, 90,6 %
        app.goto("", "prov=17&kab=1706")  # the overview is the root
        assert app.problems() == []
        assert app.metric(t("overview.targeted")) == id_int(53)
        assert app.metric(t("col.signed")) == id_int(48)
        assert app.metric(t("col.rate")) == id_pct(48 / 53) == "90,6\xa0%"
        app.screenshot("targets-1-overview-mukomuko")
        # the unsigned page: the five names (local single-user mode: full rights)
        app.goto(_page("nav.unsigned"), "prov=17&kab=1706")
        assert app.problems() == []
        rows = app.grid_rows(0)
        assert sorted(r[0] for r in rows) == sorted(names)
        app.screenshot("targets-2-unsigned-mukomuko")
        # nationally: Kota Bengkulu's agencies have not reported, and say so
        app.goto()
        reporting = t(
            "overview.reporting",
            reported=id_int(muko_units),
            targeted=id_int(muko_units + len(silent)),
            rate=id_pct(muko_units / (muko_units + len(silent))),
        )
        assert reporting in app.screen_text()
        app.goto(_page("nav.unsigned"))
        assert app.problems() == []
        text = app.screen_text()
        assert t("unsigned.not_reported_header", n=id_int(len(silent))) in text
        assert all(name in text for name in silent), silent
        app.screenshot("targets-3-unsigned-national")
        # Tindak Lanjut: the agencies that sent nothing come first, marked as not reported
        app.goto(_page("nav.followup"))
        assert app.problems() == []
        rows = app.grid_rows(0)
        first = rows[: len(silent)]
        not_reported = t("followup.state.not_reported")
        assert all(not_reported in row for row in first), first
        assert all(any(n.startswith(row[0].rstrip("…")) for n in silent) for row in first)
        assert not any(not_reported in row for row in rows[len(silent) :]), rows
        app.screenshot("targets-4-followup-national")
