"""What leaders forward: the briefing as a one-page A4 PDF and the map + headline as a
phone-sized PNG. Figures are checked against an independent computation from raw rows
(``independent_figures``), for the national view and for one province."""

from __future__ import annotations

import io
import re

import pytest
from independent_figures import agency_figures, id_int, id_pct, totals
from PIL import Image
from pypdf import PdfReader

from dashboard import i18n
from dashboard.geo import boundaries
from dashboard.queries import Filters
from dashboard.render import briefing, snapshot
from dashboard.store.database import Store

A4_POINTS = (595.28, 841.89)
KALTENG = "62"


def _expected(store: Store, province: str | None) -> dict:
    raw = agency_figures(store)
    if province:
        raw = raw.filter(raw["province_code"] == province)
    return totals(raw)


def _flat(text: str) -> str:
    """PDF text with line breaks and no-break spaces as plain spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize("province", [None, KALTENG])
def test_briefing_pdf_is_one_a4_page_with_the_page_figures(
    demo_store: Store, province: str | None
) -> None:
    f = Filters(provinces=(province,)) if province else Filters()
    pdf = briefing.build_pdf(demo_store, f, "id")
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4_POINTS, abs=0.5)
    text = _flat(reader.pages[0].extract_text())
    tot = _expected(demo_store, province)
    for value in (id_int(tot["target"]), id_int(tot["done"]), id_int(tot["undone"])):
        assert value in text
    assert _flat(id_pct(tot["rate"])) in text
    assert "Menampilkan data contoh (sintetis)" in text
    scope = "Kalimantan Tengah" if province else "Nasional"
    assert f"Briefing Netralitas ASN — {scope}" in text
    level = "kabupaten" if province else "provinsi"
    if boundaries.is_approximate(level, demo_store.path):
        assert "Batas wilayah bersifat perkiraan" in text


@pytest.mark.parametrize(("province", "lang"), [(None, "id"), (KALTENG, "en")])
def test_map_picture_is_a_phone_png_with_the_page_figures(
    demo_store: Store, province: str | None, lang: str
) -> None:
    f = Filters(provinces=(province,)) if province else Filters()
    data = briefing.collect(demo_store, f, lang)
    svg = snapshot.render_svg(data)
    png = snapshot.to_png(svg)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    assert image.size == (snapshot.WIDTH, snapshot.HEIGHT)
    # not a blank page: the map's colours are painted
    colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
    assert len(colours) > 50
    tot = _expected(demo_store, province)
    num = (lambda n: id_int(n)) if lang == "id" else (lambda n: f"{n:,}")
    for value in (num(tot["target"]), num(tot["done"]), num(tot["undone"])):
        assert f">{value}</text>" in svg
    assert f">{i18n.fmt_percent(tot['rate'], lang)}</text>" in svg
    # the demo notice and the boundaries note where they apply (demo rows are in view here)
    notice = i18n.t("demo_notice", lang)
    assert notice.split()[0] in svg and data.demo_in_view
    level = "kabupaten" if province else "provinsi"
    if boundaries.is_approximate(level, demo_store.path):
        assert i18n.t("approx_boundaries", lang).split()[0] in svg
    # everything fits on the picture: no text below its bottom edge
    bottoms = [float(y) for y in re.findall(r'<text x="[0-9.]+" y="([0-9.]+)"', svg)]
    assert bottoms and max(bottoms) <= snapshot.HEIGHT - 20
    # the map is drawn inside the picture, one path per region of the view
    assert svg.count("<path ") == data.map_svg.count("<path ") > 0


def test_picture_text_from_data_is_escaped(demo_store: Store) -> None:
    data = briefing.collect(demo_store, Filters(), "id")
    evil = data.__class__(**{**data.__dict__, "scope": '<script>alert("x")</script>'})
    svg = snapshot.render_svg(evil)
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    Image.open(io.BytesIO(snapshot.to_png(svg))).load()


def test_file_names_follow_the_scope() -> None:
    f = Filters(provinces=(KALTENG,))
    assert briefing.file_name(f, "pdf").startswith("briefing-netralitas-62-")
    assert briefing.file_name(f, "pdf").endswith(".pdf")
    assert snapshot.file_name(Filters()).startswith("peta-netralitas-nasional-")
