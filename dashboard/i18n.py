"""Translation and locale formatting: every user-facing string goes through here.

The strings live in one catalog per language (``dashboard/locales/<lang>.json``, key ->
text, ``str.format`` placeholders), so translators edit data, not code. Numbers and dates go
through :func:`fmt_number`, :func:`fmt_percent` and :func:`fmt_date` (Babel), so the
English switch changes all of them at once.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LANGS = ("id", "en")
DEFAULT_LANG = "id"
_LOCALES = {"id": "id_ID", "en": "en_US"}

CATALOG_DIR = Path(__file__).resolve().parent / "locales"


@cache
def catalog(lang: str) -> dict[str, str]:
    """The catalog of ``lang`` (key -> text); read once per process."""
    path = CATALOG_DIR / f"{lang if lang in LANGS else DEFAULT_LANG}.json"
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def t(key: str, lang: str = DEFAULT_LANG, **kwargs: object) -> str:
    """Translate ``key``; an unknown key is returned as-is so gaps show up in screenshots."""
    text = catalog(lang).get(key)
    if text is None:
        return key
    return text.format(**kwargs) if kwargs else text


def locale(lang: str) -> str:
    return _LOCALES.get(lang, _LOCALES[DEFAULT_LANG])


def fmt_number(value: float | int | None, lang: str = DEFAULT_LANG, digits: int = 0) -> str:
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale(lang))


def fmt_percent(value: float | None, lang: str = DEFAULT_LANG, digits: int = 1) -> str:
    """``value`` is a fraction (0.906 -> 90,6 %)."""
    if value is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "\u00a0%"
    return format_percent(value, format=pattern, locale=locale(lang))


def fmt_date(value: dt.date | None, lang: str = DEFAULT_LANG, precision: str = "day") -> str:
    """A date at its known precision: "25 Sep 2023", "Sep 2023" or "2023" — never a fake day."""
    if value is None:
        return "–"
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return format_date(value, format="MMM yyyy", locale=locale(lang))
    return format_date(value, format="d MMM yyyy", locale=locale(lang))
