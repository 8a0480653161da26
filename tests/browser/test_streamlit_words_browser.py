"""Streamlit's own English words stay off the app's pages, at a phone's, a laptop's and a
desktop's width: the file uploader says the catalog's words (Indonesian by default), and the
page names a reader types in the address bar (``/ringkasan``, ``/peta``, … and the English
names) open their page instead of Streamlit's "Page not found".

Screenshots of the pages this touches, in both languages, land in
``tests/artifacts/screenshots/words-*.png``.
"""

from __future__ import annotations

import re

import pytest
from browser_harness import App, app_pages, wait_title
from playwright.sync_api import expect

from dashboard import i18n
from dashboard.web import page_paths

pytestmark = pytest.mark.browser

PAGES = app_pages()
WIDTHS = (390, 1366, 1920)
# what Streamlit 1.67 writes on its own (static/js) around an uploader and for a wrong path
ENGLISH = re.compile(
    r"Drag and drop|per file|Browse files|\bUpload\b|Limit \d|Page not found|"
    r"no corresponding file|Running the app's main page"
)
UPLOADERS_JS = """() => [...document.querySelectorAll('[data-testid="stFileUploaderDropzone"]')]
  .map(z => [
    getComputedStyle(z.querySelector('button [data-testid="stMarkdownContainer"]'), '::after')
      .content,
    getComputedStyle(
      z.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div'), '::after')
      .content])"""


def _visible_words(app: App) -> str:
    return str(app.page.evaluate("() => document.body.innerText"))


@pytest.mark.parametrize("lang", list(i18n.LANGS))
@pytest.mark.parametrize("width", WIDTHS)
def test_the_uploader_speaks_the_page_language(app: App, width: int, lang: str) -> None:
    app.page.set_viewport_size({"width": width, "height": 900})
    app.goto("unggah-roster", "" if lang == i18n.DEFAULT_LANG else f"lang={lang}")
    assert app.title() == i18n.t("nav.upload", lang)
    shot = app.screenshot(f"words-unggah-roster-{lang}-{width}")
    words = _visible_words(app)
    if lang == i18n.DEFAULT_LANG:
        assert not ENGLISH.findall(words), (ENGLISH.findall(words), shot)
    else:
        assert "per file" not in words and "Drag and drop" not in words, shot
    button = i18n.t("upload.widget.button", lang)
    limit = i18n.t("upload.widget.limit", lang, mb=50, types="CSV, TXT, TSV, XLSX, XLS, ODS")
    shown = app.page.evaluate(UPLOADERS_JS)
    assert len(shown) == 3 and all(s == [f'"{button}"', f'"{limit}"'] for s in shown), shown
    # assistive technology hears the same word: every uploader button is named by it
    buttons = app.page.locator('[data-testid="stFileUploaderDropzone"] button')
    for i in range(3):
        expect(buttons.nth(i)).to_have_attribute("aria-label", button)
    # the first uploader is on screen, with its button in view and inside the page
    box = app.page.get_by_role("button", name=button).first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (box, shot)
    assert app.problems() == [] and app.external_requests() == []


def _names() -> dict[str, str]:
    """Every path a reader may type -> the i18n key of the page it opens."""
    keys = {path: key for _, key, path in PAGES}
    aliases = page_paths.aliases(
        {path: [i18n.t(key, lang) for lang in i18n.LANGS] for path, key in keys.items()},
        default_path=PAGES[0][2],
    )
    return {**keys, **{a: keys[p] for a, p in aliases.items()}}


@pytest.mark.parametrize("width", WIDTHS)
def test_typed_page_names_open_their_page(app: App, width: int) -> None:
    app.page.set_viewport_size({"width": width, "height": 900})
    names = _names()
    assert names["ringkasan"] == names["overview"] == "nav.overview" and "sources-methods" in names
    for path, key in names.items():
        app.goto(path)
        wait_title(app, i18n.t(key))
        assert app.problems() == [], path
        assert not ENGLISH.findall(_visible_words(app)), path
    # the default page's own name lands on the app's root address, with the link kept
    app.goto("ringkasan", "lang=en")
    wait_title(app, i18n.t("nav.overview", "en"))
    assert app.page.evaluate("location.pathname") == "/"
    assert app.query().get("lang") == ["en"]


@pytest.mark.parametrize("lang", list(i18n.LANGS))
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["", "tindak-lanjut", "admin"])
def test_screens_touched_render_cleanly(app: App, path: str, width: int, lang: str) -> None:
    """Ringkasan (the sidebar's dates), Tindak Lanjut (the letterhead warning) and Admin
    (the letterhead form): no problem box, the whole date in every date input."""
    app.page.set_viewport_size({"width": width, "height": 900})
    app.goto(path, "" if lang == i18n.DEFAULT_LANG else f"lang={lang}")
    shot = app.screenshot(f"words-{path or 'ringkasan'}-{lang}-{width}")
    assert app.problems() == [], shot
    dates = app.page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stDateInput"]')]
            .filter(e => e.getBoundingClientRect().width > 0)
            .map(e => e.innerText.replace(/\\s+/g, ''))"""
    )
    for text in dates:  # the label, then the empty date's day / month / year fields
        assert text.endswith("dd/mm/yyyy") or re.search(r"\d\d/\d\d/\d{4}$", text), (text, shot)


@pytest.mark.parametrize("lang", list(i18n.LANGS))
def test_an_unknown_address_gets_the_apps_own_page_in_the_readers_language(
    app: App, lang: str
) -> None:
    query = "" if lang == i18n.DEFAULT_LANG else f"lang={lang}"
    app.page.set_viewport_size({"width": 390, "height": 900})
    app.goto("tidak-ada-halaman-ini", query)
    wait_title(app, i18n.t("nav.not_found", lang))
    shot = app.screenshot(f"words-not-found-{lang}-390")
    words = _visible_words(app)
    assert "Page not found" not in words or lang == "en", shot
    assert i18n.t("shell.not_found", lang, path="tidak-ada-halaman-ini") in words, shot
    # a link to every page this reader may open (the local user: all of them)
    links = app.page.locator('[data-testid="stPageLink"]').all_inner_texts()
    titles = [i18n.t(key, lang) for _, key, _ in PAGES]
    assert len(links) == len(titles), links
    assert all(x.strip().endswith(title) for x, title in zip(links, titles, strict=True)), links
    assert app.problems() == [] and app.external_requests() == []
    # a page's path written in other case or words opens that page
    app.goto("Sumber%20%26%20Metode", query)
    wait_title(app, i18n.t("nav.sources", lang))
    app.goto("UNGGAH-ROSTER", query)
    wait_title(app, i18n.t("nav.upload", lang))
    assert app.problems() == []
