"""The addresses a reader may type for a page: besides each page's own path (``PAGES`` in
``web/app.py``), the page's name in either language as a path (``/sumber-metode``,
``/overview``), and the default page's own path (``/ringkasan``), which Streamlit otherwise
answers with its English "Page not found" (it serves the default page only at the root).

Pure functions; ``app.py`` turns each alias into a hidden page that opens the real one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping


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
