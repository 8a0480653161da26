"""The addresses a reader may type for a page: besides each page's own path (``PAGES`` in
``web/app.py``), the page's name in either language as a path (``/sumber-metode``,
``/overview``), and the default page's own path (``/ringkasan``), which Streamlit otherwise
answers with its English "Page not found" (it serves the default page only at the root).

Any other address (``/foo``, or a page this account may not open) gets the app's own
"page not found" page in the reader's language (:func:`unknown`), with links to the pages
the reader may open; a typed name that differs only in case or spelling of a page's path
(``/Ringkasan``, ``/Sumber & Metode``) opens that page.

Pure functions; ``app.py`` turns each alias into a hidden page that opens the real one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from urllib.parse import unquote


def slug(title: str) -> str:
    """A page name as a path: lower case ASCII letters and digits, words joined by "-"
    ("Sumber & Metode" -> "sumber-metode")."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def aliases(
    titles: Mapping[str, Iterable[str]], default_path: str, reserved: Iterable[str] = ()
) -> dict[str, str]:
    """``{alias: page path}``: the default page's own path, and every title's slug that is
    not already a page's path (or ``reserved``). ``titles``: page path -> its titles (one
    per language), in the order of the pages; a slug two pages share goes to the first."""
    taken = {*titles, *reserved}
    out: dict[str, str] = {default_path: default_path}
    taken.discard(default_path)
    for path, names in titles.items():
        for name in names:
            alias = slug(name)
            if alias and alias not in taken and alias not in out:
                out[alias] = path
    return out


# what Streamlit accepts as a page's url_path: one segment, no slash
_ONE_SEGMENT = re.compile(r"[^/\x00-\x1f\x7f]{1,100}")


def unknown(typed: str | None, known: Iterable[str]) -> str | None:
    """``typed`` (the page path in the address) when no page answers it and it can stand
    as a page's own path; ``None`` otherwise (no path, a known one, or one with a slash,
    which Streamlit answers itself)."""
    if not typed or typed in set(known) or not _ONE_SEGMENT.fullmatch(typed):
        return None
    return typed


def closest(typed: str, known: Iterable[str]) -> str | None:
    """The known path ``typed`` means when it differs only in case or spelling
    (``Ringkasan``, ``Sumber%20%26%20Metode`` once decoded), else ``None``."""
    wanted = slug(unquote(typed))
    return next((path for path in known if slug(path) == wanted), None) if wanted else None
