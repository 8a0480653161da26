"""What the headline's change figures compare against (pure: no Streamlit).

A change is only worth showing against a moment the figures could have moved: the previous
upload (the day of the last upload before the latest one), or a day the reader picks. "A
week before today" says nothing when the data's last activity was months ago. The label
names the comparison ("vs. unggahan 5 Jan 2024"); an unchanged figure gets no delta at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import polars as pl

from dashboard import i18n, queries

KIND_UPLOAD = "upload"
KIND_DATE = "date"


@dataclass(frozen=True)
class Baseline:
    """Figures are compared with the same filters as of ``day``."""

    day: dt.date
    kind: str  # KIND_UPLOAD | KIND_DATE

    def filters(self, f: queries.Filters) -> queries.Filters:
        return replace(f, date_to=self.day)

    def what(self, lang: str) -> str:
        """``unggahan 5 Jan 2024`` / ``1 Feb 2024``."""
        key = "compare.upload" if self.kind == KIND_UPLOAD else "compare.date"
        return i18n.t(key, lang, date=i18n.fmt_date(self.day, lang))

    def label(self, lang: str) -> str:
        """``vs. unggahan 5 Jan 2024``: beside every delta."""
        return i18n.t("compare.vs", lang, what=self.what(lang))


def previous_upload_day(uploads: pl.DataFrame, as_of: dt.date) -> dt.date | None:
    """The day of the upload before the latest one (on an earlier day), up to ``as_of``.

    ``uploads`` has ``uploaded_at`` and ``status`` (``queries.uploads``); uploads on the same
    day count as one, so a morning correction is not "the previous upload".
    """
    if uploads.height == 0:
        return None
    days = (
        uploads.filter(pl.col("status") == "committed")
        .select(pl.col("uploaded_at").dt.date().alias("day"))
        .filter(pl.col("day") <= as_of)
        .unique()
        .sort("day", descending=True)["day"]
    )
    return days[1] if days.len() >= 2 else None


def baseline(
    uploads: pl.DataFrame, f: queries.Filters, picked: dt.date | None = None
) -> Baseline | None:
    """The reader's day if they picked one (before the as-of day), else the previous upload."""
    if picked is not None and picked < f.as_of():
        return Baseline(picked, KIND_DATE)
    day = previous_upload_day(uploads, f.as_of())
    return Baseline(day, KIND_UPLOAD) if day else None


def delta(now: float | int | None, before: float | int | None, kind: str, lang: str) -> str | None:
    """Signed change ("+1.234", "-0,5 poin"); None when there is nothing to compare or
    nothing changed (no "±0")."""
    if now is None or before is None:
        return None
    diff = now - before
    if kind == "pct":
        points = round(abs(diff) * 100, 1)
        if points == 0:
            return None
        sign = "+" if diff > 0 else "-"
        return f"{sign}{i18n.fmt_number(points, lang, 1)} {i18n.t('shell.points', lang)}"
    if diff == 0:
        return None
    sign = "+" if diff > 0 else "-"
    return f"{sign}{i18n.fmt_number(abs(diff), lang)}"


HEADLINE_FIELDS = ("target", "signed", "unsigned", "rate", "agencies_complete", "events")


def headline_changed(now: queries.Headline, before: queries.Headline) -> bool:
    return any(getattr(now, k) != getattr(before, k) for k in HEADLINE_FIELDS)


def note(b: Baseline | None, changed: bool, lang: str) -> str:
    """The sentence under the cards: what the changes compare against, or why there are none."""
    if b is None:
        return i18n.t("compare.none", lang)
    if not changed:
        return i18n.t("compare.unchanged", lang, what=b.what(lang))
    return i18n.t("compare.note", lang, what=b.what(lang))
