"""The map and the headline as one phone-sized picture to forward (pure: no Streamlit).

Leaders forward pictures in chat groups: a 1080 x 1920 PNG (a phone screen, portrait) with
the scope, the as-of day, the six headline figures with their change, the choropleth with
its legend, and the demo notice and the approximate-boundaries note whenever they apply.
Built as SVG from the briefing's data (the same figures) and rasterised with CairoSVG,
offline. Every data text is escaped (``dashboard.text.html_escape``).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from dashboard import i18n, queries
from dashboard.geo import maps
from dashboard.render import briefing, comparison
from dashboard.render.briefing import BriefingData
from dashboard.text import html_escape

WIDTH, HEIGHT = 1080, 1920
MARGIN = 48
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
MAP_MAX_HEIGHT = 760
_VIEWBOX = re.compile(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"')


def _e(value: object) -> str:
    return html_escape(value)


def _lines(text: str, size: int, width: int = WIDTH - 2 * MARGIN) -> list[str]:
    """Wrap ``text`` for ``size``-px type (DejaVu Sans averages ~0.56 em per character)."""
    return textwrap.wrap(text, max(int(width / (0.56 * size)), 10)) or [""]


def _text(x: float, y: float, text: str, size: int, **attrs: str) -> str:
    extra = " ".join(f'{k.replace("_", "-")}="{_e(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}" {extra}>{_e(text)}</text>'


def _legend_width(label: str) -> int:
    return 40 + int(len(label) * 0.56 * 24) + 28


def _legend_rows(legend: list[tuple[str, str]]) -> int:
    rows, x = 1, MARGIN
    for label, _ in legend:
        w = _legend_width(label)
        if x + w > WIDTH - MARGIN:
            rows, x = rows + 1, MARGIN
        x += w
    return rows


def render_svg(d: BriefingData) -> str:
    """The picture as SVG (1080 x 1920)."""
    lang = d.lang
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    parts: list[str] = []
    y: float = MARGIN + 56
    for line in _lines(t("briefing.title", scope=d.scope), 52):
        parts.append(_text(MARGIN, y, line, 52, font_weight="bold", fill="#1b1b1b"))
        y += 64
    measure = t(f"measure.{d.filters.measure}")
    as_of = i18n.fmt_date(d.filters.as_of(), lang)
    for line in _lines(t("snapshot.meta", as_of=as_of, measure=measure), 30):
        parts.append(_text(MARGIN, y, line, 30, fill="#444"))
        y += 40
    y += 8
    if d.demo_in_view:
        lines = _lines(t("demo_notice"), 32, WIDTH - 2 * MARGIN - 40)
        box_h = 28 + 42 * len(lines)
        parts.append(
            f'<rect x="{MARGIN}" y="{y}" width="{WIDTH - 2 * MARGIN}" height="{box_h}" '
            'rx="12" fill="#fff3cd" stroke="#c9a227" stroke-width="2"/>'
        )
        for i, line in enumerate(lines):
            parts.append(
                _text(MARGIN + 20, y + 50 + 42 * i, line, 32, font_weight="bold", fill="#5c4400")
            )
        y += box_h + 24

    card_w, card_h, gap = (WIDTH - 2 * MARGIN - 24) / 2, 176, 24
    vs = d.baseline.label(lang) if d.baseline else ""
    for i, (label, value, change) in enumerate(briefing.headline_cards(d)):
        cx = MARGIN + (i % 2) * (card_w + gap)
        cy = y + (i // 2) * (card_h + 20)
        parts.append(
            f'<rect x="{cx:.0f}" y="{cy:.0f}" width="{card_w:.0f}" height="{card_h}" rx="14" '
            'fill="#ffffff" stroke="#c8c8c8" stroke-width="2"/>'
        )
        parts.append(_text(cx + 22, cy + 44, label, 28, fill="#444"))
        parts.append(_text(cx + 22, cy + 112, value, 58, font_weight="bold", fill="#1b1b1b"))
        if change:
            parts.append(_text(cx + 22, cy + 154, f"{change} {vs}", 24, fill="#444"))
    y += 3 * (card_h + 20) + 22
    for line in _lines(comparison.note(d.baseline, d.previous is not None, lang), 24):
        parts.append(_text(MARGIN, y, line, 24, fill="#555"))
        y += 32
    y += 16

    rate_key = "col.rate" if d.filters.measure == "pakta" else "col.pledge_rate"
    parts.append(
        _text(MARGIN, y + 8, t("briefing.map_title", measure=t(rate_key)), 34, font_weight="bold")
    )
    y += 28
    # what comes under the map (legend rows, notes) decides how tall the map may be
    legend = maps.legend(lang)
    foot = [t("approx_boundaries")] if d.approximate else []
    foot.append(t("snapshot.footer", date=i18n.fmt_date(d.generated, lang)))
    legend_rows = _legend_rows(legend)
    tail = 40 * legend_rows + 64 + sum(32 * len(_lines(p, 24)) + 8 for p in foot) + MARGIN
    box = _VIEWBOX.search(d.map_svg)
    if box:
        vw, vh = float(box.group(1)), float(box.group(2))
        map_w = WIDTH - 2 * MARGIN
        map_h = min(map_w * vh / vw, MAP_MAX_HEIGHT, HEIGHT - y - tail)
        parts.append(
            f'<svg x="{MARGIN}" y="{y:.0f}" width="{map_w}" height="{map_h:.0f}">{d.map_svg}</svg>'
        )
        y += map_h + 24
    # legend: swatch + label, as many a row as fit
    x = MARGIN
    for label, color in legend:
        w = _legend_width(label)
        if x + w > WIDTH - MARGIN:
            x, y = MARGIN, y + 40
        parts.append(
            f'<rect x="{x}" y="{y:.0f}" width="28" height="28" fill="{color}" stroke="#888"/>'
        )
        parts.append(_text(x + 38, y + 23, label, 24, fill="#333"))
        x += w
    y += 64
    for para in foot:
        for line in _lines(para, 24):
            parts.append(_text(MARGIN, y, line, 24, fill="#555"))
            y += 32
        y += 8
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>' + "".join(parts) + "</svg>"
    )


def to_png(svg: str) -> bytes:
    """Rasterise with CairoSVG (offline: the SVG references nothing outside itself)."""
    import cairosvg  # type: ignore[import-untyped]

    return bytes(cairosvg.svg2png(bytestring=svg.encode("utf-8")))


def build_png(store: Any, f: queries.Filters, lang: str) -> bytes:
    """Collect the briefing's data and draw the picture (cacheable like the briefing)."""
    return to_png(render_svg(briefing.collect(store, f, lang)))


def file_name(f: queries.Filters) -> str:
    """``peta-netralitas-<provinces or nasional>-<as of>.png``."""
    return briefing.file_name(f, "png").replace("briefing-", "peta-", 1)
