"""The words that say what a view shows (heading, tab, chips, download names and rows)."""

from __future__ import annotations

import datetime as dt

from dashboard.queries.filters import Filters
from dashboard.web import view_scope as scope

NAMES = scope.Names(
    provinces={"62": "Kalimantan Tengah", "17": "Bengkulu"},
    regencies={"6201": "Kabupaten Kotawaringin Barat", "6271": "Kota Palangka Raya"},
    regency_province={"6201": "62", "6271": "62"},
    agencies={"a1": "Dinas Kesehatan Kabupaten Barito Utara"},
)


def test_national_when_nothing_narrows_the_view() -> None:
    assert scope.scope_text(Filters(), NAMES, "id") == "Seluruh Indonesia"
    assert scope.scope_text(Filters(), NAMES, "en") == "All of Indonesia"
    assert scope.heading("Ringkasan", Filters(), NAMES, "id") == "Ringkasan · Seluruh Indonesia"
    assert scope.chips(Filters(), NAMES, "id") == []


def test_regency_named_with_its_province() -> None:
    f = Filters(regencies=("6201",))
    assert scope.heading("Ringkasan", f, NAMES, "id") == (
        "Ringkasan · Kab. Kotawaringin Barat, Kalimantan Tengah"
    )
    two = Filters(provinces=("62",), regencies=("6201", "6271"))
    assert scope.scope_text(two, NAMES, "id") == (
        "Kab. Kotawaringin Barat, Kota Palangka Raya, Kalimantan Tengah"
    )


def test_many_places_are_counted_and_access_scope_counts() -> None:
    many = Filters(provinces=("11", "12", "17", "62"))
    assert scope.scope_text(many, NAMES, "id") == "4 provinsi"
    assert scope.scope_text(many, NAMES, "en") == "4 provinces"
    scoped = Filters(scope_provinces=("17",))
    assert scope.scope_text(scoped, NAMES, "id") == "Bengkulu"


def test_agency_comes_before_its_place() -> None:
    f = Filters(provinces=("62",), agencies=("a1",))
    assert scope.scope_text(f, NAMES, "id") == (
        "Dinas Kesehatan Kabupaten Barito Utara — Kalimantan Tengah"
    )


def test_chips_name_every_filter_and_removing_one_changes_only_it() -> None:
    f = Filters(
        provinces=("17", "62"),
        regencies=("6201",),
        agency_levels=("kabupaten",),
        date_to=dt.date(2024, 2, 14),
        include_demo=False,
        measure="ikrar",
    )
    chips = scope.chips(f, NAMES, "id")
    assert [c.label for c in chips] == [
        "Bengkulu",
        "Kalimantan Tengah",
        "Kabupaten Kotawaringin Barat",
        "Kabupaten",
        "per 14 Feb 2024",
        "Ikrar Netralitas diucapkan",
        "tanpa data contoh",
    ]
    by_label = {c.label: c for c in chips}
    # removing a province takes its regencies with it, keeps the others
    assert scope.without(f, by_label["Kalimantan Tengah"]) == {
        "provinces": ("17",),
        "regencies": (),
    }
    assert scope.without(f, by_label["Bengkulu"]) == {
        "provinces": ("62",),
        "regencies": ("6201",),
    }
    assert scope.without(f, by_label["Kabupaten Kotawaringin Barat"]) == {"regencies": ()}
    assert scope.without(f, by_label["per 14 Feb 2024"]) == {"date_to": None}
    assert scope.without(f, by_label["Ikrar Netralitas diucapkan"]) == {"measure": "pakta"}
    assert scope.without(f, by_label["tanpa data contoh"]) == {"include_demo": True}


def test_file_stem_and_preamble() -> None:
    f = Filters(regencies=("6201",), position_levels=("administrator",))
    assert scope.file_stem("belum-tanda-tangan", Filters(), NAMES, "id") == "belum-tanda-tangan"
    assert scope.file_stem("belum-tanda-tangan", f, NAMES, "id") == (
        "belum-tanda-tangan-kab-kotawaringin-barat-kalimantan-tengah"
    )
    assert scope.preamble("Belum Tanda Tangan", f, NAMES, "en") == [
        "Belum Tanda Tangan · Kab. Kotawaringin Barat, Kalimantan Tengah",
        "Filters: Kabupaten Kotawaringin Barat; Administrator",
    ]


def test_pns_pppk_is_a_chip_and_downloads_say_that_count_reports_are_left_out() -> None:
    from dashboard import i18n

    f = Filters(jenis_asn=("PPPK",))
    chip = next(c for c in scope.chips(f, NAMES, "en") if c.field == "jenis_asn")
    assert chip.label == i18n.t("jenis_asn.PPPK", "en")
    assert scope.without(f, chip) == {"jenis_asn": ()}
    assert scope.preamble("Ringkasan", f, NAMES, "id") == [
        "Ringkasan · Seluruh Indonesia",
        i18n.t("scope.filters", "id", items="PPPK"),
        i18n.t("scope.jenis_note", "id"),
    ]
