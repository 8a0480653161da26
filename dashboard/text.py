"""Text that comes from data (uploaded names, units, notes, file names, event titles,
sources, URL parameters, sign-in claims), made inert before it reaches a renderer.

Two renderers interpret markup:

- Streamlit's markdown (``st.subheader``, ``st.markdown``, ``st.caption``, ``st.write``,
  ``st.error``/``info``, metric and widget labels): ``[x](url)`` becomes a live link,
  ``![b](url)`` makes every viewer's browser fetch ``url``, ``:red[...]`` and ``$...$`` are
  styled. :func:`plain` backslash-escapes the characters that can start markup (CommonMark
  allows escaping any ASCII punctuation), so the text shows exactly as typed.
- HTML: Plotly hover text, trace names, axis and treemap labels (a subset of HTML: ``<a>``,
  ``<b>``, ``<br>``...), pydeck tooltips and the printable briefing. :func:`html_escape`
  turns ``& < > " '`` into entities, which Plotly, deck.gl and browsers show as characters.

Use :func:`plain` on a value before it goes into markdown, :func:`html_escape` before it
goes into HTML; our own markup (``<br>`` between escaped names) is added afterwards.

Control characters (C0 but tab, line feed and carriage return; DEL; C1) are refused where
text comes in (uploads, forms, the CLI), but a store written before that, or by hand, may
still hold them: every renderer (pages, letters, e-mails, exports) removes them with
:func:`strip_control` / :func:`strip_control_expr`, one definition, :data:`CONTROL_CLASS`.
"""

from __future__ import annotations

import html
import re

import polars as pl

# what can start markup anywhere in a line: emphasis, code, links and images, HTML, tables,
# strike-through, LaTeX ($), Streamlit's :colour[...] / :material/icon:, autolinks (@, www.)
_MARKDOWN_INLINE = re.compile(r"([\\`*_{}\[\]()<>#!|~$:@&])")
# what only starts markup at the start of a line: headings, lists, quotes ("1." / "1)")
_MARKDOWN_LEADING = re.compile(r"^(\d+)([.)])|^([-+=>])")
_WWW = re.compile(r"\b(www)\.", re.IGNORECASE)

# one regex class for Python's ``re`` and Polars (Rust regex) alike: C0 but tab, LF and CR,
# DEL, C1. Invisible, cut by many tools, refused by XML (DOCX) and a way to forge headers.
CONTROL_CLASS = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]"
_CONTROL = re.compile(CONTROL_CLASS)
_CONTROL_NAMES = {f"{c:c}": f"U+{c:04X}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def strip_control(value: object) -> str:
    """``value`` as text without control characters (tab and line breaks kept)."""
    if value is None:
        return ""
    return _CONTROL.sub("", str(value))


def strip_control_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`strip_control` on a Polars string column (nulls stay null)."""
    return expr.cast(pl.String).str.replace_all(CONTROL_CLASS, "")


def has_control_expr(expr: pl.Expr) -> pl.Expr:
    """True where a string cell holds a control character."""
    return expr.str.contains(CONTROL_CLASS)


def control_name_expr(expr: pl.Expr) -> pl.Expr:
    """The first control character of each cell as ``U+0001`` (never the raw byte)."""
    return expr.str.extract(f"({CONTROL_CLASS})", 1).replace_strict(
        _CONTROL_NAMES, default=None, return_dtype=pl.String
    )


def first_control(value: str | None) -> str | None:
    """The first control character of ``value`` as ``U+0001``; None if there is none."""
    m = _CONTROL.search(value or "")
    return f"U+{ord(m.group()):04X}" if m else None


def one_line(value: object) -> str:
    """Text for a single-line field (an e-mail header): no control characters, every run of
    whitespace (line breaks too) one space."""
    return " ".join(strip_control(value).split())


def plain(value: object) -> str:
    """``value`` as literal text inside Streamlit markdown (line breaks become spaces)."""
    if value is None:
        return ""
    text = one_line(value)
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    text = _MARKDOWN_LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)
    return _WWW.sub(r"\1\\.", text)


def html_escape(value: object) -> str:
    """``value`` as literal text inside HTML or Plotly hover text / labels."""
    if value is None:
        return ""
    return html.escape(strip_control(value), quote=True)


def html_escape_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`html_escape` on a Polars string column (``&`` first, so nothing is doubled)."""
    out = strip_control_expr(expr)
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        out = out.str.replace_all(char, entity, literal=True)
    return out.str.replace_all("'", "&#x27;", literal=True)
