"""Streamlit's own English words on its widgets, replaced by the app's catalog.

Streamlit 1.67 writes the file uploader's button ("Upload"), its limits line ("50MB per
file • CSV, …") and its drag message ("Drag and drop a file here") in English, with no
option to change them. The page adds a style block (:func:`uploader_css`) that hides those
texts and shows the catalog's instead (``upload.widget.*`` in ``dashboard/locales``), in
the session's language; nothing is fetched. A style cannot name a button for assistive
technology (the name would stay "Upload", or be empty once the text is hidden), so a small
script (:func:`uploader_script`) gives each uploader button the catalog's text as its
``aria-label``, also on buttons Streamlit draws later. The selectors are Streamlit's ``data-testid``
attributes, which its own tests rely on; the browser tests check the result.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import streamlit as st

from dashboard import i18n

# the one format of every st.date_input, in both languages: the whole date, day first
DATE_INPUT_FORMAT = "DD/MM/YYYY"
_DROPZONE = '[data-testid="stFileUploaderDropzone"]'


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: quotes, backslashes and line breaks escaped, and
    nothing that could close the style element."""
    out = []
    for ch in text:
        if ch in '"\\' or ch in "<>" or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def uploader_texts(lang: str, max_mb: int, types: Sequence[str]) -> dict[str, str]:
    """The uploader's texts in ``lang``: ``button``, ``limit``, ``drop``."""
    kinds = ", ".join(t.upper() for t in types)
    return {
        "button": i18n.t("upload.widget.button", lang),
        "limit": i18n.t("upload.widget.limit", lang, mb=max_mb, types=kinds),
        "drop": i18n.t("upload.widget.drop", lang),
    }


def uploader_css(texts: dict[str, str]) -> str:
    """The style block replacing the uploader's English texts with ``texts``."""
    return (
        "<style>"
        # the button: keep its icon, replace its label
        f'{_DROPZONE} button [data-testid="stMarkdownContainer"] > * {{display: none}}'
        f' {_DROPZONE} button [data-testid="stMarkdownContainer"]::after'
        f" {{content: {css_string(texts['button'])}}}"
        # the limits line under it
        f' {_DROPZONE} [data-testid="stFileUploaderDropzoneInstructions"] span {{display: none}}'
        f' {_DROPZONE} [data-testid="stFileUploaderDropzoneInstructions"] > div::after'
        f" {{content: {css_string(texts['limit'])}; font-size: 0.875rem; opacity: 0.75}}"
        # while a file is dragged over it: the overlay right after the hidden input
        f" {_DROPZONE} > input + div * {{display: none}}"
        f" {_DROPZONE} > input + div::after {{content: {css_string(texts['drop'])}}}"
        "</style>"
    )


def js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that cannot close the script element."""
    return json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")


def uploader_script(texts: dict[str, str]) -> str:
    """The script naming every uploader button with ``texts["button"]``, now and whenever
    Streamlit draws one anew."""
    selector = js_string(f"{_DROPZONE} button")
    return (
        "<script>(() => {"
        # one observer per page, however often the page reruns; the latest language wins
        f"window.netralitasUploaderName = {js_string(texts['button'])};"
        f"const mark = () => document.querySelectorAll({selector}).forEach(b => {{"
        "const name = window.netralitasUploaderName;"
        "if (b.getAttribute('aria-label') !== name) b.setAttribute('aria-label', name); });"
        "mark();"
        "if (window.netralitasUploaderObserver) return;"
        "const watch = new MutationObserver(mark);"
        "window.netralitasUploaderObserver = watch;"
        "watch.observe(document.body, {childList: true, subtree: true});"
        "})();</script>"
    )


def localise_uploaders(lang: str, types: Sequence[str]) -> None:
    """Add the style block and the naming script to this page (call once, before or after
    its uploaders)."""
    texts = uploader_texts(lang, int(st.get_option("server.maxUploadSize")), types)
    st.html(uploader_css(texts))
    st.html(uploader_script(texts), unsafe_allow_javascript=True)
