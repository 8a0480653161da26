"""A roster without a position-level column, imported through the CLI, shows its unknown
levels as their own category ("Tidak diketahui") on the Belum Tanda Tangan page.

Screenshots at 390, 1366 and 1920 px land in ``tests/artifacts/screenshots/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_server import Server, serve
from browser_harness import App, app_pages, contexts
from cli_inprocess import invoke

from dashboard import i18n
from dashboard.install import builtin
from dashboard.store.database import Store
from schemas.vocab import POSITION_LEVEL_UNKNOWN

pytestmark = pytest.mark.browser

# Kesbangpol Kalteng: positions that name a level, common titles, and two no rule knows
ROWS = [
    ("197501012000031001", "Katma F. Dirun", "Kepala Biro Umum", "Sudah"),
    ("198002022005011002", "Sutoyo", "Pelaksana", "Belum"),
    ("198503032010012003", "Rina Marlina", "Analis Kebijakan", "Belum"),
    ("198604042011011004", "Yusuf", "Pengemudi", "Belum"),
    ("198705052012012005", "Bambang", "Ajudan Kepala Badan", "Belum"),
    ("198806062013011006", "Darto", "Sopir Pribadi", "Belum"),
]
UNKNOWN_UNSIGNED = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("unknown_level")
    store_path = tmp / "store.duckdb"
    builtin.install(Store(store_path), with_demo=False)
    roster = tmp / "roster.csv"
    lines = ["NIP,Nama,Jabatan,Instansi,Provinsi,Status,Tanggal TTD"]
    lines += [
        f"{nip},{name},{pos},Badan Kesbangpol Provinsi Kalimantan Tengah,Kalteng,{st},"
        + ("21/09/2023" if st == "Sudah" else "")
        for nip, name, pos, st in ROWS
    ]
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = invoke("import", str(roster), "--store", str(store_path), "--json")
    assert done.returncode == 0, done.stdout + done.stderr  # warnings only: every row lands
    with serve(store_path, tmp) as srv:
        yield srv


def _shot(app: App, name: str, width: int) -> Path:
    app.page.set_viewport_size({"width": width, "height": 900})
    app.settle_layout()
    height = app.page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"]')]"
        ".map(e => e.scrollHeight))"
    )
    app.page.set_viewport_size({"width": width, "height": min(height, 12_000)})
    app.settle_layout()
    path = app.screenshot_path(f"{name}-{width}")
    app.page.screenshot(path=str(path), full_page=True)
    return path


def test_unknown_level_is_its_own_category(server: Server, browser: object) -> None:
    path = next(p for _, key, p in app_pages() if key == "nav.unsigned")
    label = i18n.t(f"position.{POSITION_LEVEL_UNKNOWN}", "id")
    with contexts(browser, server) as open_one:
        app = open_one()
        app.goto(path, "prov=62")
        assert app.problems() == []
        bars = app.page.locator(".js-plotly-plot").first
        bars.wait_for(timeout=60_000)
        ticks = bars.locator(".ytick text, .xtick text").all_text_contents()
        assert label in ticks, ticks
        # the bar's hover data carries the count: two unknown-level officials unsigned
        counts = app.page.evaluate(
            """(label) => { const gd = document.querySelector('.js-plotly-plot');
              for (const tr of gd.data) { const ys = tr.y || [], xs = tr.x || [];
                const i = ys.indexOf(label); if (i >= 0) return xs[i];
                const j = xs.indexOf(label); if (j >= 0) return ys[j]; } return null; }""",
            label,
        )
        assert counts == UNKNOWN_UNSIGNED
        for width in (390, 1366, 1920):
            _shot(app, "unsigned-unknown-level", width)
        app.goto(path, "prov=62&lang=en")
        en = app.page.locator(".js-plotly-plot").first
        en.wait_for(timeout=60_000)
        assert (
            i18n.t(f"position.{POSITION_LEVEL_UNKNOWN}", "en")
            in en.locator(".ytick text, .xtick text").all_text_contents()
        )
