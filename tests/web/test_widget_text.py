"""Streamlit's English uploader texts replaced from the catalog; one date format."""

from __future__ import annotations

import ast
from pathlib import Path

from dashboard import i18n
from dashboard.web import widget_text

ROOT = Path(__file__).resolve().parents[2]


def test_css_strings_cannot_break_out_of_the_rule_or_the_style_element() -> None:
    assert widget_text.css_string("Pilih berkas") == '"Pilih berkas"'
    bad = widget_text.css_string('a"b\\c</style><x>\n')
    assert bad.startswith('"') and bad.endswith('"')
    inner = bad[1:-1]
    assert '"' not in inner.replace("\\22 ", "") and "<" not in inner and ">" not in inner
    assert "\n" not in inner and "\\5c " in inner


def test_uploader_texts_come_from_the_catalog_in_each_language() -> None:
    for lang in i18n.LANGS:
        texts = widget_text.uploader_texts(lang, 50, ["csv", "xlsx"])
        assert texts["button"] == i18n.t("upload.widget.button", lang)
        assert texts["limit"] == i18n.t("upload.widget.limit", lang, mb=50, types="CSV, XLSX")
        assert texts["drop"] == i18n.t("upload.widget.drop", lang)
        css = widget_text.uploader_css(texts)
        for text in texts.values():
            assert widget_text.css_string(text) in css
    assert "Upload" not in widget_text.uploader_texts("id", 50, ["csv"]).values()


def test_every_date_input_shows_the_whole_date_day_first() -> None:
    """Every ``date_input`` call in the app passes ``format`` as the one format."""
    calls = 0
    for path in (ROOT / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "date_input"
            ):
                continue
            calls += 1
            fmt = next((k.value for k in node.keywords if k.arg == "format"), None)
            ok = (isinstance(fmt, ast.Constant) and fmt.value == widget_text.DATE_INPUT_FORMAT) or (
                isinstance(fmt, ast.Name) and fmt.id == "DATE_INPUT_FORMAT"
            )
            assert ok, f"{path.relative_to(ROOT)}:{node.lineno}"
    assert calls >= 4
    assert widget_text.DATE_INPUT_FORMAT == "DD/MM/YYYY"


def test_the_uploader_script_names_the_button_and_cannot_close_its_element() -> None:
    for lang in i18n.LANGS:
        texts = widget_text.uploader_texts(lang, 50, ["csv"])
        script = widget_text.uploader_script(texts)
        assert widget_text.js_string(texts["button"]) in script
        assert script.count("<") == 2 and script.count(">") == 2 + script.count("=>")
    hostile = widget_text.uploader_script({"button": 'a</script><b>"'})
    assert "</script><b>" not in hostile and hostile.endswith("</script>")
