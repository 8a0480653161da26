"""Names and texts from uploads are shown as text, never rendered as markup.

Agencies and events named with Markdown links/images, HTML and Plotly's hover markup are
uploaded through the real commit path; then the chart figures, the Instansi and Linimasa
pages (AppTest) and the briefing HTML are checked for live markup made of that data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import queries
from dashboard.ingest import roster
from dashboard.ingest.events import commit_events, validate_events
from dashboard.render import briefing, charts
from dashboard.store.database import Store
from dashboard.text import html_escape, plain

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
LINK = "Dinas [x](http://e.invalid) Mukomuko"
IMAGE = "Badan ![b](http://127.0.0.1:9/b.png) Mukomuko"
HTML = 'Kantor <b>bold</b><a href="http://e.invalid">a</a><img src=x> Mukomuko'
PLOTLY = "Inspektorat <i>miring</i><span style='color:red'>merah</span> %{x} Mukomuko"
NAMES = (LINK, IMAGE, HTML, PLOTLY)
LIVE_HTML = re.compile(r"<a\b|<b>|<img\b|<i>|<span\b", re.IGNORECASE)
LIVE_MARKDOWN = re.compile(r"(?<!\\)\[x(?<!\\)\]\(|(?<!\\)!\[b|(?<!\\)<(b|a|img)\b")


@pytest.fixture
def markup_store(seed_store: Store) -> Store:
    header = "nip;nama;jabatan;jenjang_jabatan;instansi;provinsi;kabupaten_kota;status_tanda_tangan"
    lines = [header] + [
        f"1980010120050110{i:02d};[Nama](http://e.invalid) <b>{i}</b>;Kepala <img src=x>;"
        f"JPT Pratama;{name};Bengkulu;Mukomuko;{'sudah' if i % 2 else 'belum'}"
        for i, name in enumerate(NAMES)
    ]
    report = roster.validate_roster(
        ("\n".join(lines) + "\n").encode(), "[f](x).csv", store=seed_store
    )
    assert not report.errors, report.errors
    assert roster.commit_roster(report, seed_store, uploaded_by="admin").upload_id
    ev = [
        "tanggal;presisi_tanggal;instansi;provinsi;kabupaten_kota;jenis_kegiatan;judul_sumber;sumber"
    ]
    for i, name in enumerate(NAMES):
        ev.append(f"2023-0{i + 1}-10;tanggal;{name};Bengkulu;Mukomuko;pakta;{HTML};{LINK}")
        ev.append(f"{i + 3}/2023;bulan;{name};Bengkulu;Mukomuko;ikrar;{IMAGE};{PLOTLY}")
    events = validate_events(("\n".join(ev) + "\n").encode(), "ev.csv", store=seed_store)
    assert not events.errors, events.errors
    assert commit_events(events, seed_store, uploaded_by="admin").upload_id
    return seed_store


def _data_strings(fig) -> list[str]:  # noqa: ANN001 - a plotly Figure
    """Every string a figure draws from data: names, labels, text, custom data, axes."""
    out: list[str] = []
    for tr in fig.data:
        for attr in ("name", "text", "y", "x", "labels", "customdata", "hovertext"):
            value = getattr(tr, attr, None)
            if value is None:
                continue
            flat = value.ravel().tolist() if hasattr(value, "ravel") else value
            out += [str(v) for v in (flat if isinstance(flat, (list, tuple)) else [flat])]
    return out


def test_chart_hover_strings_hold_no_live_markup(markup_store: Store) -> None:
    events = queries.events(markup_store, queries.Filters())
    assert set(NAMES) <= set(events["agency_name"])
    strings = _data_strings(charts.events_timeline(events, "id"))
    assert any("&lt;b&gt;bold" in s for s in strings)  # the names are there, escaped
    bars = pl.DataFrame({"label": list(NAMES), "unsigned": [1, 2, 3, 4], "target": [4] * 4,
                         "rate": [0.5] * 4})  # fmt: skip
    strings += _data_strings(charts.unsigned_bars(bars, "id", "pakta", label="label", title="t"))
    curve = pl.DataFrame(
        {
            "grp": ["a", "a"],
            "grp_name": [HTML, HTML],
            "day": [dt.date(2023, 1, 1)] * 2,
            "rate": [0.1, 0.2],
            "signed": [1, 2],
            "target": [10, 10],
        }  # fmt: skip
    )
    strings += _data_strings(charts.cumulative_rate(curve, "id"))
    live = [s for s in strings if LIVE_HTML.search(s)]
    assert live == []


def _open(monkeypatch: pytest.MonkeyPatch, store: Store, page: str, params: dict) -> AppTest:
    monkeypatch.setenv("NETRALITAS_STORE", str(store.path))
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _markdown_values(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "subheader", "header", "title", "info", "warning", "error")
    return [str(e.value) for k in kinds for e in at.get(k)]


@pytest.mark.parametrize("name", NAMES)
def test_agency_page_shows_names_as_text(
    monkeypatch: pytest.MonkeyPatch, markup_store: Store, name: str
) -> None:
    agency_id = markup_store.query("SELECT agency_id FROM agencies WHERE name = $n", {"n": name})
    at = _open(monkeypatch, markup_store, "agencies", {"instansi": agency_id.item()})
    subheaders = [s.value for s in at.subheader]
    assert plain(name) in subheaders  # shown, as text
    live = [v for v in _markdown_values(at) if LIVE_MARKDOWN.search(v)]
    assert live == []


def test_timeline_shows_names_as_text(monkeypatch: pytest.MonkeyPatch, markup_store: Store) -> None:
    at = _open(monkeypatch, markup_store, "timeline", {})
    assert [v for v in _markdown_values(at) if LIVE_MARKDOWN.search(v)] == []
    specs = [json.loads(e.proto.spec) for e in at.get("plotly_chart")]
    assert specs
    drawn = json.dumps([s.get("data") for s in specs])
    assert html_escape("<b>bold</b>") in drawn  # the uploaded names are drawn, escaped
    assert not LIVE_HTML.search(drawn.replace("\\u003c", "<"))


def test_briefing_holds_no_markup_made_of_data(markup_store: Store) -> None:
    doc = briefing.build_html(markup_store, queries.Filters(provinces=("17",)), "id")
    assert html_escape("<b>bold</b>") in doc  # the agency is listed, escaped
    assert not re.search(r"<a\b|<img\b|<b>bold|<i>miring|<span style='color", doc)
