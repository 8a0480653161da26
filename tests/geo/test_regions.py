from __future__ import annotations

import polars as pl
import pytest

from dashboard.domain import regions
from schemas import Regions


def test_all_provinces_and_regencies_present() -> None:
    df = regions.load_regions()
    assert df.filter(pl.col(Regions.level) == "provinsi").height == 38
    assert df.filter(pl.col(Regions.level) == "kabupaten").height == 416
    assert df.filter(pl.col(Regions.level) == "kota").height == 98
    # every regency's parent is a province in the table
    provs = set(regions.provinces()[Regions.code])
    assert set(regions.regencies()[Regions.province_code]) <= provs


@pytest.mark.parametrize(
    ("text", "kind", "code"),
    [
        ("Kalteng", "provinsi", "62"),
        ("Prov. Kalimantan Tengah", "provinsi", "62"),
        ("PROVINSI KALIMANTAN TENGAH", "provinsi", "62"),
        ("DIY", "provinsi", "34"),
        ("NTB", "provinsi", "52"),
        ("Sumut", "provinsi", "12"),
        ("Babel", "provinsi", "19"),
        ("Kepri", "provinsi", "21"),
        ("PBD", "provinsi", "96"),
        ("Pabar", "provinsi", "92"),
        ("DKI", "provinsi", "31"),
        ("17", "provinsi", "17"),
        ("KAB. MUKOMUKO", "kabupaten", "1706"),
        ("Muko-Muko", "kabupaten", "1706"),
        ("Kab. Muko-Muko", "kabupaten", "1706"),
        ("Kabupaten Mukomuko", "kabupaten", "1706"),
        ("17.06", "kabupaten", "1706"),
        ("1706", "kabupaten", "1706"),
        ("Palangkaraya", "kabupaten", "6271"),
        ("Kota Palangka Raya", "kabupaten", "6271"),
        ("Gunung Kidul", "kabupaten", "3403"),
        ("Gunungkidul", "kabupaten", "3403"),
        ("Pare Pare", "kabupaten", "7372"),
        ("Toli Toli", "kabupaten", "7204"),
        ("Pangkajene Kepulauan", "kabupaten", "7310"),
        ("Jakarta Selatan", "kabupaten", "3174"),
        ("Bekasi", "kabupaten", "3216"),  # a bare name means the kabupaten
        ("Kota Bekasi", "kabupaten", "3275"),
    ],
)
def test_aliases_resolve_exactly(text: str, kind: str, code: str) -> None:
    res = regions.resolve(text, kind)
    assert (res.code, res.method) == (code, "exact")


def test_fuzzy_match_reports_what_it_matched() -> None:
    res = regions.resolve("Kab. Mukomoko", "kabupaten", province_code="17")
    assert res.code == "1706"
    assert res.method == "fuzzy"
    assert res.matched_name == "Kabupaten Mukomuko"
    assert res.score is not None and res.score < 100


def test_unknown_region_gives_suggestions_not_a_guess() -> None:
    res = regions.resolve("Xyzzy Raya", "kabupaten")
    assert res.code is None
    assert res.method == "none"
    assert len(res.suggestions) >= 1


def test_province_constrains_ambiguous_regency() -> None:
    # "Kota Bengkulu" only exists in Bengkulu; a regency outside the given province is not chosen
    res = regions.resolve("Kota Bengkulu", "kabupaten", province_code="17")
    assert res.code == "1771"


def test_resolve_many_is_row_aligned() -> None:
    out = regions.resolve_many(
        pl.Series(["Muko-Muko", None, "Palangkaraya", "Muko-Muko"]), "kabupaten"
    )
    assert out["code"].to_list() == ["1706", None, "6271", "1706"]
