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
