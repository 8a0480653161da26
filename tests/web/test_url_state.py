"""URL <-> filters: round trips, defaults left out, invalid values dropped and reported."""

from __future__ import annotations

import datetime as dt

from dashboard.queries.filters import Filters
from dashboard.web.url_state import Known, filters_from_params, params_from_filters

KNOWN = Known(
    provinces=frozenset({"17", "34", "62"}),
    regencies={"1706": "17", "3403": "34", "6271": "62", "6201": "62"},
    agencies=frozenset({"seed-62-dpmptsp", "seed-1706-pemkab"}),
)


def test_defaults_give_an_empty_query_string() -> None:
    assert params_from_filters(Filters(), "id") == {}
    f, lang, dropped = filters_from_params({}, KNOWN)
    assert (f, lang, dropped) == (Filters(), "id", [])


def test_round_trip_of_every_field() -> None:
    f = Filters(
        provinces=("17", "62"),
        regencies=("1706", "6271"),
        agencies=("seed-1706-pemkab", "seed-62-dpmptsp"),
        agency_levels=("kabupaten", "provinsi"),
        position_levels=("administrator", "jpt_pratama"),
        jenis_asn=("PNS", "PPPK"),
        date_from=dt.date(2023, 9, 1),
        date_to=dt.date(2024, 2, 14),
        include_demo=False,
        measure="ikrar",
    )
    params = params_from_filters(f, "en")
    assert params == {
        "lang": "en",
        "measure": "ikrar",
        "prov": "17,62",
        "kab": "1706,6271",
        "agency": "seed-1706-pemkab,seed-62-dpmptsp",
        "alevel": "kabupaten,provinsi",
        "plevel": "administrator,jpt_pratama",
        "jenis": "PNS,PPPK",
        "from": "2023-09-01",
        "to": "2024-02-14",
        "demo": "0",
    }
    back, lang, dropped = filters_from_params(params, KNOWN)
    assert back == f
    assert lang == "en"
    assert dropped == []


def test_lists_are_sorted_deduplicated_and_accept_repeated_keys() -> None:
    f, _, dropped = filters_from_params({"prov": ["62,17", "62"], "plevel": "pengawas"}, KNOWN)
    assert f.provinces == ("17", "62")
    assert f.position_levels == ("pengawas",)
    assert dropped == []


def test_invalid_values_are_dropped_and_reported() -> None:
    params = {
        "lang": "fr",
        "measure": "votes",
        "prov": "62,99,abc",
        "kab": "6271,1706",  # 1706 is in Bengkulu, not in the chosen Kalteng
        "agency": "seed-62-dpmptsp,nope",
        "alevel": "desa",
        "plevel": "eselon9",
        "jenis": "honorer,PPPK",
        "from": "2024-13-01",
        "to": "2024-02-14",
        "demo": "maybe",
    }
    f, lang, dropped = filters_from_params(params, KNOWN)
    assert lang == "id"
    assert f == Filters(
        provinces=("62",),
        regencies=("6271",),
        agencies=("seed-62-dpmptsp",),
        jenis_asn=("PPPK",),
        date_to=dt.date(2024, 2, 14),
    )
    assert dropped == [
        "lang=fr",
        "measure=votes",
        "prov=99",
        "prov=abc",
        "kab=1706",
        "agency=nope",
        "alevel=desa",
        "plevel=eselon9",
        "jenis=honorer",
        "from=2024-13-01",
        "demo=maybe",
    ]


def test_start_after_end_drops_the_start() -> None:
    f, _, dropped = filters_from_params({"from": "2024-03-01", "to": "2024-02-01"}, KNOWN)
    assert f.date_from is None
    assert f.date_to == dt.date(2024, 2, 1)
    assert dropped == ["from=2024-03-01"]


def test_dropped_values_are_sanitised_for_display() -> None:
    _, _, dropped = filters_from_params({"prov": "<b>x</b>"}, KNOWN)
    assert dropped == ["prov=?b?x??b?"]
    long = "9" * 100
    _, _, dropped = filters_from_params({"kab": long}, KNOWN)
    assert dropped == ["kab=" + "9" * 40]


def test_without_reference_only_the_syntax_is_checked() -> None:
    f, _, dropped = filters_from_params({"prov": "11,1", "kab": "1101,11011", "agency": "x y"})
    assert f.provinces == ("11",)
    assert f.regencies == ("1101",)
    assert f.agencies == ()
    assert dropped == ["prov=1", "kab=11011", "agency=x?y"]
