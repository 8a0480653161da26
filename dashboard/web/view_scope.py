"""What a view is filtered to, in words (pure: no Streamlit, unit-tested directly).

A shared link or a forwarded file must say what it shows: the page heading, the browser
tab, every download's file name and first rows, and the removable filter chips all read
the same text, built here from the :class:`Filters` and the names of the codes in them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from dashboard import i18n
from dashboard.queries.filters import Filters

MAX_NAMED = 3  # more chosen places than this are counted, not listed


@dataclass(frozen=True)
class Names:
    """Display names of the codes a view may name."""

    provinces: Mapping[str, str] = field(default_factory=dict)
    regencies: Mapping[str, str] = field(default_factory=dict)
    regency_province: Mapping[str, str] = field(default_factory=dict)  # regency -> province
    agencies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Chip:
    """One active filter: the ``Filters`` field, the value it removes, and its label."""

    field: str
    value: str | None
    label: str


def short_name(name: str) -> str:
    """ "Kabupaten Kotawaringin Barat" -> "Kab. Kotawaringin Barat" (the usual short form)."""
    return "Kab. " + name[len("Kabupaten ") :] if name.startswith("Kabupaten ") else name


def _listed(codes: tuple[str, ...], names: Mapping[str, str], many_key: str, lang: str) -> str:
    if len(codes) > MAX_NAMED:
        return i18n.t(many_key, lang, n=i18n.fmt_number(len(codes), lang))
    return ", ".join(short_name(names.get(c, c)) for c in codes)


def scope_text(f: Filters, names: Names, lang: str) -> str:
    """The place (and agencies) in view: "Kab. Kotawaringin Barat, Kalimantan Tengah";
    "Seluruh Indonesia" when nothing narrows it. An access scope counts like a filter."""
    provinces = f.provinces or tuple(f.scope_provinces or ())
    if f.regencies:
        parents = tuple(dict.fromkeys(names.regency_province.get(r, r[:2]) for r in f.regencies))
        place = _listed(f.regencies, names.regencies, "scope.n_regencies", lang)
        place += ", " + _listed(parents, names.provinces, "scope.n_provinces", lang)
    elif provinces:
        place = _listed(provinces, names.provinces, "scope.n_provinces", lang)
    else:
        place = i18n.t("scope.national", lang)
    if f.agencies:
        return _listed(f.agencies, names.agencies, "scope.n_agencies", lang) + " — " + place
    return place


def heading(title: str, f: Filters, names: Names, lang: str) -> str:
    """ "Ringkasan · Kab. Kotawaringin Barat, Kalimantan Tengah": the page and its scope."""
    return f"{title} · {scope_text(f, names, lang)}"


def chips(f: Filters, names: Names, lang: str) -> list[Chip]:
    """The active filters, one chip each (a place, an agency, a level, a date, the
    measure, demo data left out), in the sidebar's order."""

    def t(key: str, **kw: object) -> str:
        return i18n.t(key, lang, **kw)

    out = [Chip("provinces", c, names.provinces.get(c, c)) for c in f.provinces]
    out += [Chip("regencies", c, names.regencies.get(c, c)) for c in f.regencies]
    out += [Chip("agencies", c, names.agencies.get(c, c)) for c in f.agencies]
    out += [Chip("agency_levels", v, t(f"level.{v}")) for v in f.agency_levels]
    out += [Chip("position_levels", v, t(f"position.{v}")) for v in f.position_levels]
    out += [Chip("jenis_asn", v, t(f"jenis_asn.{v}")) for v in f.jenis_asn]
    if f.date_from:
        out.append(Chip("date_from", None, t("scope.from", date=i18n.fmt_date(f.date_from, lang))))
    if f.date_to:
        out.append(Chip("date_to", None, t("scope.to", date=i18n.fmt_date(f.date_to, lang))))
    if f.measure != "pakta":
        out.append(Chip("measure", None, t(f"measure.{f.measure}")))
    if not f.include_demo:
        out.append(Chip("include_demo", None, t("scope.no_demo")))
    return out


def without(f: Filters, chip: Chip) -> dict[str, object]:
    """The filter change that removes ``chip`` (``Filters`` field -> new value)."""
    if chip.field in ("date_from", "date_to"):
        return {chip.field: None}
    if chip.field == "measure":
        return {"measure": "pakta"}
    if chip.field == "include_demo":
        return {"include_demo": True}
    kept = tuple(v for v in getattr(f, chip.field) if v != chip.value)
    change: dict[str, object] = {chip.field: kept}
    if chip.field == "provinces":  # regencies of a province no longer chosen go with it
        change["regencies"] = tuple(r for r in f.regencies if r[:2] in kept) if kept else ()
    return change


def file_stem(basename: str, f: Filters, names: Names, lang: str) -> str:
    """A download's name: what it is and where ("belum-tanda-tangan-kab-kotawaringin-barat")."""
    if not (f.provinces or f.regencies or f.agencies or f.scope_provinces):
        return basename
    words = "".join(ch if ch.isalnum() else "-" for ch in scope_text(f, names, lang).lower())
    words = "-".join(w for w in words.split("-") if w)
    return f"{basename}-{words[:80].strip('-')}"


def preamble(title: str, f: Filters, names: Names, lang: str) -> list[str]:
    """A download's first rows: the page and scope, then every active filter."""
    rows = [heading(title, f, names, lang)]
    labels = [c.label for c in chips(f, names, lang)]
    if labels:
        rows.append(i18n.t("scope.filters", lang, items="; ".join(labels)))
    if f.jenis_asn:
        rows.append(i18n.t("scope.jenis_note", lang))
    return rows
