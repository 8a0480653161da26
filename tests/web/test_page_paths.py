"""The page names a reader may type: each title as a path, in both languages."""

from __future__ import annotations

from dashboard.web import page_paths


def test_slug_is_the_name_as_a_path() -> None:
    assert page_paths.slug("Sumber & Metode") == "sumber-metode"
    assert page_paths.slug("Belum Tanda Tangan") == "belum-tanda-tangan"
    assert page_paths.slug("Not yet signed") == "not-yet-signed"
    assert page_paths.slug(" Ringkasan ") == "ringkasan"
    assert page_paths.slug("Pénanda-tangan") == "penanda-tangan"
    assert page_paths.slug("&") == ""


def test_aliases_add_the_default_page_and_the_other_names_but_never_a_real_path() -> None:
    titles = {
        "ringkasan": ["Ringkasan", "Overview"],
        "peta": ["Peta", "Map"],
        "sumber-metode": ["Sumber & Metode", "Sources & Methods"],
        "admin": ["Admin", "Admin"],
        "briefing": ["Briefing", "Peta"],  # a name another page has as its path
    }
    got = page_paths.aliases(titles, default_path="ringkasan", reserved=("overview",))
    assert got == {
        "ringkasan": "ringkasan",
        "map": "peta",
        "sources-methods": "sumber-metode",
    }


def test_unknown_addresses_and_their_nearest_page() -> None:
    known = ["ringkasan", "sumber-metode", "overview"]
    assert page_paths.unknown("foo", known) == "foo"
    assert page_paths.unknown("ringkasan", known) is None
    assert page_paths.unknown("", known) is None and page_paths.unknown(None, known) is None
    assert page_paths.unknown("a/b", known) is None  # Streamlit answers nested paths itself
    assert page_paths.unknown("x\x00", known) is None
    assert page_paths.unknown("y" * 101, known) is None
    assert page_paths.closest("Ringkasan", known) == "ringkasan"
    assert page_paths.closest("Sumber%20%26%20Metode", known) == "sumber-metode"
    assert page_paths.closest("SUMBER_METODE", known) == "sumber-metode"
    assert page_paths.closest("foo", known) is None and page_paths.closest("%%", known) is None
