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


def plain(value: object) -> str:
    """``value`` as literal text inside Streamlit markdown (line breaks become spaces)."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    text = _MARKDOWN_INLINE.sub(r"\\\1", text)
    text = _MARKDOWN_LEADING.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", text)
    return _WWW.sub(r"\1\\.", text)


def html_escape(value: object) -> str:
    """``value`` as literal text inside HTML or Plotly hover text / labels."""
    if value is None:
        return ""
    return html.escape(str(value), quote=True)


def html_escape_expr(expr: pl.Expr) -> pl.Expr:
    """:func:`html_escape` on a Polars string column (``&`` first, so nothing is doubled)."""
    out = expr.cast(pl.String)
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")):
        out = out.str.replace_all(char, entity, literal=True)
    return out.str.replace_all("'", "&#x27;", literal=True)
