"""The Mukomuko event as a journey: a 53-person target from a SIASN-style export, a
signature list of 48, the pages show 48 / 53 = 90,6 % and an analyst sees the 5 names; a
government in the target that sent no list shows as not reported. Expected values come
from the generated files (Polars over the raw CSVs), not from the query layer.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from app_server import Server, serve
from browser_harness import ROOT, App, app_pages, contexts, csv_table, sign_in
from cli_inprocess import invoke
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
ACCOUNTS = {
    "analis.muko": ("analyst", "analis-muko-rahasia"),
    "pemantau.muko": ("viewer", "pemantau-muko-rahasia"),
}


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
    # the same store with accounts, for the signed-in journeys (a store with a password
    # account asks for sign-in, so it is a copy served by its own server)
    shutil.copy(store_path, tmp / "accounts.duckdb")
    with serve(store_path, tmp) as srv:
        yield srv


@pytest.fixture(scope="module")
def signed_server(server: Server, files: dict[str, Path]) -> Iterator[Server]:
    tmp = files["csv"].parent / "accounts"
    tmp.mkdir()
    store_path = tmp / "store.duckdb"
    shutil.move(files["csv"].parent / "accounts.duckdb", store_path)
    for name, (role, password) in ACCOUNTS.items():
        out = invoke(
            "users", "add", name, "--role", role, "--province", "17", "--password-stdin",
            "--store", str(store_path), stdin=password + "\n",
        )  # fmt: skip
        assert out.returncode == 0, out.stdout + out.stderr
    with serve(store_path, tmp, {"HOME": str(tmp)}) as srv:
        yield srv


def _expected(files: dict[str, Path]) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """(the export with ``nip`` and ``done``, Mukomuko's five unsigned names, the agencies
    of Kota Bengkulu), from the generated files."""
    export = pl.read_csv(files["csv"], separator="|", infer_schema=False).with_columns(
        pl.col("NIP BARU").str.strip_chars_start("'").alias("nip")
    )
    signed = pl.read_csv(files["signatures"], separator=";", infer_schema=False)["NIP"]
    export = export.with_columns(pl.col("nip").is_in(signed.implode()).alias("done"))
    missing = export.filter((pl.col("INSTANSI INDUK NAMA") == MUKOMUKO) & ~pl.col("done"))
    gelar = pl.col("GELAR BELAKANG")
    names = missing.select(
        pl.when(gelar != "null")
        .then(pl.col("NAMA").str.strip_chars_start("'") + ", " + gelar)
        .otherwise(pl.col("NAMA").str.strip_chars_start("'"))
        .alias("name"),
        "nip",
    )
    kota = export.filter(pl.col("INSTANSI INDUK NAMA") == KOTA)
    silent = sorted(f"{u} Kota Bengkulu" for u in kota["SATUAN KERJA KERJA NAMA"].unique())
    return export, names, silent


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


def _unsigned_of_mukomuko(app: App) -> str:
    app.goto(_page("nav.unsigned"), "prov=17&kab=1706")
    assert app.problems() == []
    return app.screen_text()


def test_signed_in_analyst_sees_the_five_names_and_a_viewer_does_not(
    signed_server: Server, browser: object, files: dict[str, Path]
) -> None:
    _, names, _ = _expected(files)
    assert names.height == 5
    with contexts(browser, signed_server) as open_one:
        analyst = open_one()
        analyst.goto(_page("nav.unsigned"), "prov=17&kab=1706")
        sign_in(analyst, "analis.muko", ACCOUNTS["analis.muko"][1])
        _unsigned_of_mukomuko(analyst)
        assert sorted(r[0] for r in analyst.grid_rows(0)) == sorted(names["name"])
        analyst.screenshot("targets-5-unsigned-analyst")

        viewer = open_one()
        viewer.goto(_page("nav.unsigned"), "prov=17&kab=1706")
        sign_in(viewer, "pemantau.muko", ACCOUNTS["pemantau.muko"][1])
        text = _unsigned_of_mukomuko(viewer)
        # the same view: the figures are there, no name and no NIP
        assert viewer.metric(t("unsigned.m.total.pakta")) == id_int(5)
        assert not [n for n in names["name"].to_list() + names["nip"].to_list() if n in text]
        viewer.screenshot("targets-6-unsigned-viewer")


def test_the_silent_government_on_the_map_and_in_the_download(
    server: Server, browser: object, files: dict[str, Path]
) -> None:
    export, _, silent = _expected(files)
    kota = export.filter(pl.col("INSTANSI INDUK NAMA") == KOTA)
    with contexts(browser, server) as open_one:
        app = open_one()
        # Peta of Bengkulu: the colours are over everyone targeted (not-reported counts as
        # not signed), and Kota Bengkulu's row says none of its agencies reported
        app.goto(_page("nav.map"), "prov=17")
        assert app.problems() == []
        text = app.screen_text()
        assert t("map.basis.targeted.legend") in text
        rows = {r[0]: r for r in app.grid_rows(0)}
        kota_row = next(r for name, r in rows.items() if name.startswith("Kota Bengkulu"))
        after_source = kota_row[kota_row.index(t("source.roster")) + 1 :]
        assert after_source[:2] == [id_int(0), id_int(len(silent))], kota_row
        app.screenshot("targets-7-map-bengkulu")
        # the other basis: the colours are over reported agencies only, and it says so
        app.page.get_by_text(t("map.basis.reported"), exact=True).click()
        app.page.get_by_text(t("map.basis.reported.legend")).wait_for()
        app.wait_idle()
        assert t("map.basis.targeted.legend") not in app.screen_text()

        # the unsigned page's download holds every official of the silent government
        app.goto(_page("nav.unsigned"))
        assert app.problems() == []
        name, data = app.download(t("shell.download_csv"))
        assert name.startswith("belum-tanda-tangan") and name.endswith(".csv")
        header, body, _ = csv_table(data)
        nips = {r[header.index(t("lead.col.nip"))] for r in body}
        assert set(kota["nip"]) <= nips
        agencies = {r[header.index(t("col.agency"))] for r in body}
        assert set(silent) <= agencies


def test_choosing_pppk_changes_the_headline_to_the_pppk_officials(
    server: Server, browser: object, files: dict[str, Path]
) -> None:
    export, _, _ = _expected(files)
    pppk = export.filter(pl.col("STATUS ASN") == "PPPK")
    assert 0 < pppk.height < export.height
    done = int(pppk["done"].sum())
    with contexts(browser, server) as open_one:
        app = open_one()
        app.goto()
        assert app.metric(t("overview.targeted")) == id_int(export.height)
        box = app.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has_text=t("filter.jenis_asn")
        )
        box.locator("input").click()
        app.page.keyboard.type(t("jenis_asn.PPPK"))  # the one option left, focused
        app.page.get_by_role("option", name=t("jenis_asn.PPPK")).first.wait_for()
        app.page.keyboard.press("Enter")  # the sidebar scrolls apart: no click off-screen
        app.page.keyboard.press("Escape")
        app.wait_for_query("jenis", "PPPK")
        assert app.problems() == []
        assert app.metric(t("overview.targeted")) == id_int(pppk.height)
        assert app.metric(t("col.signed")) == id_int(done)
        assert app.metric(t("col.rate")) == id_pct(done / pppk.height)
        # the chip and the note that count reports are left out
        text = app.screen_text()
        assert t("jenis_asn.PPPK") in text and t("scope.jenis_note") in text
        app.screenshot("targets-8-overview-pppk")
        # the link reproduces it
        app.goto("", "jenis=PPPK")
        assert app.metric(t("overview.targeted")) == id_int(pppk.height)
