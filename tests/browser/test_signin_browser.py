"""Access control in a real browser: a store with local accounts makes ``netralitas serve``
ask for a sign-in, and what each account may see is checked on screen, in the downloads,
in everything the server sent over the websocket, and in the audit log.

The expected values (names, NIPs, counts, the regions of Kalimantan Tengah) come from the
raw rows of the store, not from the query layer the pages use. Screenshots go to
``tests/artifacts/screenshots/signin-*.png``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import polars as pl
import pytest
from app_server import Server, serve
from browser_harness import App, contexts, csv_table
from independent_figures import agency_figures, id_int, totals

from dashboard import i18n
from dashboard.access import auth
from dashboard.install import builtin
from dashboard.store.database import Store

pytestmark = pytest.mark.browser

BENGKULU, MUKOMUKO, KALTENG = "17", "1706", "62"
MAX_FAILURES = auth.LockoutPolicy().max_failures
LOCKOUT_MINUTES = 15
NIP_RE = re.compile(r"(?<![\d.])\d{18}(?!\d)")
ACCOUNTS = {
    # username: (role, provinces, password)
    "pemantau": ("viewer", (), "pemantau-rahasia-1"),
    "analis17": ("analyst", (BENGKULU,), "analis-rahasia-17"),
    "korban": ("viewer", (), "korban-rahasia-01"),
}


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


def _number(text: str) -> int:
    return int(text.replace(".", "").replace("\xa0", "").strip())


# -- the server with accounts --------------------------------------------------------------


@pytest.fixture(scope="module")
def signin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``netralitas serve`` over seed + demo data and three local accounts (module-wide)."""
    tmp = tmp_path_factory.mktemp("browser_signin")
    store = Store(tmp / "store.duckdb")
    builtin.install(store, n_officials=20_000)
    for name, (role, provinces, password) in ACCOUNTS.items():
        auth.add_user(store, name, role, password=password, provinces=provinces, actor="test")
    # accounts in the store, no identity provider: the app asks for a local sign-in
    assert auth.sign_in_mode(store, {}) == auth.MODE_LOCAL
    env = {
        "HOME": str(tmp),  # no ~/.streamlit/secrets.toml of this machine (it could add SSO)
        "NETRALITAS_LOCKOUT_FAILURES": str(MAX_FAILURES),
        "NETRALITAS_LOCKOUT_MINUTES": str(LOCKOUT_MINUTES),
    }
    with serve(store.path, tmp, env) as server:
        yield server


@pytest.fixture
def browse(signin_server: Server, browser: object) -> Iterator[Callable[[], App]]:
    """Fresh browser contexts (no cookies, no session) on the server with accounts."""
    with contexts(browser, signin_server) as open_one:
        yield open_one


def submit_sign_in(app: App, username: str, password: str, query: str = "", path: str = "") -> None:
    """Open ``path`` (default: the app's root) in this browser and submit the sign-in form
    once; the query string (filters) is kept."""
    app.goto(path, query)
    assert app.title() == t("auth.signin_title")
    assert app.problems() == []
    app.page.get_by_label(t("auth.username")).fill(username)
    app.page.get_by_label(t("auth.password"), exact=True).fill(password)
    app.page.get_by_role("button", name=t("auth.signin_button")).click()
    app.page.wait_for_function(
        """t => document.querySelector('[data-testid="stAlertContentError"]')
              || document.querySelector('[data-testid="stMain"] h1')?.innerText.trim() !== t""",
        arg=t("auth.signin_title"),
        timeout=120_000,
    )
    app.wait_idle()


def sign_in(app: App, username: str, query: str = "") -> None:
    submit_sign_in(app, username, ACCOUNTS[username][2], query)
    assert app.title() == t("nav.overview"), app.problems()
    role = t(f"auth.role.{ACCOUNTS[username][0]}")
    sidebar = app.page.locator('[data-testid="stSidebar"]').inner_text()
    assert f"{username} ({role})" in sidebar


# -- the expected values, from the raw rows ------------------------------------------------


def _current_officials(store: Store) -> pl.DataFrame:
    """Current roster rows with their agency's province (where the app places them)."""
    agencies = store.table("agencies").select(
        "agency_id", pl.col("province_code").alias("agency_province")
    )
    return (
        store.table("officials")
        .filter(pl.col("superseded_by").is_null())
        .join(agencies, on="agency_id")
    )


def _unsigned(store: Store, province: str | None = None) -> pl.DataFrame:
    today = dt.date.today()
    officials = _current_officials(store)
    if province:
        officials = officials.filter(pl.col("agency_province") == province)
    done = pl.col("signed") & (pl.col("signed_date").is_null() | (pl.col("signed_date") <= today))
    return officials.filter(~done)


def _all_nips(store: Store) -> set[str]:
    return set(store.table("officials")["nip"].drop_nulls().to_list())


def _kalteng_words(store: Store) -> set[str]:
    """Strings that only a view of Kalimantan Tengah would show: its name and its regencies',
    its agencies' names and short names, and who led its events."""
    regions = store.query(
        "SELECT name FROM regions WHERE code = $p OR province_code = $p", {"p": KALTENG}
    )["name"].to_list()
    agencies = store.query(
        "SELECT name, short_name FROM agencies WHERE province_code = $p", {"p": KALTENG}
    )
    led = store.query(
        "SELECT led_by FROM events WHERE province_code = $p AND led_by IS NOT NULL",
        {"p": KALTENG},
    )["led_by"].to_list()
    words = {*regions, *agencies["name"], *agencies["short_name"].drop_nulls(), *led}
    assert "Kalimantan Tengah" in words and len(regions) == 15
    return words


def _received(app: App) -> bytes:
    return b"\n".join(app.received)


def _found(words: set[str], text: str) -> list[str]:
    return sorted(w for w in words if w in text)


def _found_bytes(words: set[str], data: bytes) -> list[str]:
    return sorted(w for w in words if w.encode("utf-8") in data)


def _error(app: App) -> str:
    """The text of the error box (without its icon's ligature name)."""
    box = app.page.locator(
        '[data-testid="stAlertContentError"] [data-testid="stMarkdownContainer"]'
    )
    return box.inner_text().strip()


def _csv(data: bytes) -> tuple[list[str], list[list[str]]]:
    header, body, _ = csv_table(data)
    return header, body


# -- (a) a viewer sees counts, never names or NIPs -----------------------------------------


def test_viewer_sees_no_names_and_no_nips(browse: Callable[[], App]) -> None:
    app = browse()
    store = Store(app.server.store_path)
    names = set(_unsigned(store)["name"].to_list())
    nips = _all_nips(store)
    sign_in(app, "pemantau", f"prov={BENGKULU}")
    assert app.query().get("prov") == [BENGKULU]

    for scope, province in (("17", BENGKULU), ("national", None)):
        if province is None:  # back to the whole country, as a reader would
            app.page.get_by_role("button", name=t("filter.reset")).click()
            app.wait_for_query("prov", None)
        else:
            app.navigate(t("nav.unsigned"))
        assert app.title() == t("nav.unsigned") and app.problems() == []
        app.screenshot(f"signin-viewer-unsigned-{scope}")
        unsigned = _unsigned(store, province)
        named = _number(app.metric(t("unsigned.m.named")))
        assert named == unsigned.height > 0
        text = app.screen_text()
        assert NIP_RE.findall(text) == [], scope
        assert _found(names, text) == [], scope
        assert t("lead.personal_hidden") in text
        headers = app.page.locator(
            '[data-testid="stDataFrame"] [role="columnheader"]'
        ).all_inner_texts()
        # counts by agency, level and region: no row per person, so no position either
        assert t("col.agency") in headers and t("lead.col.not_done.pakta") in headers
        assert t("lead.col.position") not in headers
        assert t("col.name") not in headers and t("lead.col.nip") not in headers

        # what a viewer may download: the same counts, small cells left out
        cells = (
            unsigned.group_by("agency_id", "position_level")
            .len("n")
            .filter(pl.col("n") >= auth.MIN_CELL)
        )
        _, data = app.download(t("shell.download_csv"))
        header, body = _csv(data)
        assert len(body) == cells.height
        assert t("col.name") not in header and t("lead.col.nip") not in header
        assert t("lead.col.position") not in header and t("col.agency") in header
        assert NIP_RE.findall(data.decode("utf-8-sig")) == []
        assert _found_bytes(names, data) == []

    # nothing the server sent this browser (shown or not) carries a NIP or such a name
    received = _received(app)
    assert [n for n in nips if n.encode() in received] == []
    assert _found_bytes(names, received) == []
    assert app.external_requests() == []


# -- (b) an analyst of Bengkulu sees Bengkulu, with names, and nothing of Kalteng -----------


def test_bengkulu_analyst_sees_mukomuko_and_nothing_of_kalteng(browse: Callable[[], App]) -> None:
    app = browse()
    store = Store(app.server.store_path)
    kalteng = _kalteng_words(store)
    # a hand-made link to Kalimantan Tengah: dropped, and the reader is told
    sign_in(app, "analis17", f"prov={KALTENG}")
    assert app.query().get("prov") in (None, [BENGKULU])
    notices = app.page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
    assert any(f"prov={KALTENG}" in n for n in notices), notices
    sidebar_prov = app.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]')
    sidebar_prov.first.locator("input").click()
    options = app.page.get_by_role("option").all_inner_texts()
    app.page.keyboard.press("Escape")
    assert options == ["Bengkulu"]

    # the overview: the figures of Bengkulu's raw rows
    expected = totals(agency_figures(store).filter(pl.col("province_code") == BENGKULU))
    assert app.metric(t("overview.targeted")) == id_int(expected["target"])
    assert app.metric(t("col.unsigned")) == id_int(expected["undone"])
    texts = {"overview": app.screen_text()}
    app.screenshot("signin-analyst-overview")

    # the map: Bengkulu's regencies/cities, Mukomuko with its reported figures
    app.navigate(t("nav.map"))
    assert app.problems() == []
    texts["map"] = app.screen_text()
    app.screenshot("signin-analyst-map")
    mukomuko = store.query("SELECT name FROM regions WHERE code = $c", {"c": MUKOMUKO})["name"][0]
    raw = agency_figures(store).filter(pl.col("regency_code") == MUKOMUKO)
    row = next(r for r in app.grid_rows(0) if r[0] == mukomuko)
    # key columns first: name, rate, unsigned
    target, done = raw["target"].sum(), raw["done"].sum()
    assert float(row[1]) == pytest.approx(done / target)  # the grid cell holds the fraction
    assert _number(row[2]) == target - done

    # the unsigned list: names and NIPs of Bengkulu only, in the page and in the CSV
    app.navigate(t("nav.unsigned"))
    assert app.problems() == []
    texts["unsigned"] = app.screen_text()
    app.screenshot("signin-analyst-unsigned")
    unsigned = _unsigned(store, BENGKULU)
    named = _number(app.metric(t("unsigned.m.named")))
    assert named == unsigned.height > 0
    shown_names = _found(set(unsigned["name"].to_list()), texts["unsigned"])
    assert shown_names  # personal data is visible to an analyst (control for the viewer)
    downloads_before = _downloads(store, "analis17").height
    _, data = app.download(t("shell.download_csv"))
    header, body = _csv(data)
    assert len(body) == named
    assert {r[header.index(t("col.province"))] for r in body} == {"Bengkulu"}
    nip = header.index(t("lead.col.nip"))
    assert sorted(r[nip] for r in body) == sorted(unsigned["nip"].fill_null("").to_list())
    assert _found_bytes(kalteng, data) == []
    # the named list left the app: audited, with its size and the account's scope
    after = _downloads(store, "analis17")
    assert after.height == downloads_before + 1
    assert after["detail"][0] == (
        f'{{"format": "csv", "measure": "pakta", "filtered": false, "rows": {named}, '
        f'"scope": ["{BENGKULU}"]}}'
    )

    # the agencies: searching finds Mukomuko's, and none of Kalteng's
    app.navigate(t("nav.agencies"))
    assert app.problems() == []
    texts["agencies"] = app.screen_text()
    app.screenshot("signin-analyst-agencies")
    search = app.page.get_by_label(t("agencies.search"))
    search.fill("Mukomuko")
    search.press("Enter")
    app.page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"] [role="gridcell"]')]
              .some(c => c.innerText.includes('Mukomuko'))""",
        timeout=120_000,
    )
    app.wait_idle()
    texts["agencies-mukomuko"] = app.screen_text()
    search.fill("Kapuas")  # a regency of Kalimantan Tengah
    search.press("Enter")
    app.page.get_by_text(t("shell.no_data")).wait_for(timeout=120_000)
    app.wait_idle()
    texts["agencies-kapuas"] = app.screen_text()
    app.screenshot("signin-analyst-agencies-kapuas")

    assert mukomuko in texts["map"] and mukomuko in texts["agencies-mukomuko"]
    assert "Mukomuko" in texts["unsigned"]  # Pemkab Mukomuko: its report's counts
    for page, text in texts.items():
        assert _found(kalteng, text) == [], page
    # and nothing about Kalteng reached this browser at all; Bengkulu's names did (so the
    # websocket frames are read as sent, and the viewer's check above can see a leak)
    received = _received(app)
    assert _found_bytes(kalteng, received) == []
    assert _found_bytes(set(unsigned["name"].to_list()), received)
    assert app.external_requests() == []


def _downloads(store: Store, actor: str) -> pl.DataFrame:
    """The actor's audited downloads of the unsigned list, newest first (raw audit_log)."""
    return store.query(
        """SELECT occurred_at, detail FROM audit_log
           WHERE actor = $a AND action = 'download' AND target = 'unsigned_list'
           ORDER BY occurred_at DESC""",
        {"a": actor},
    )


# -- (c) guessing the password locks the account, and the log says so -----------------------


def test_wrong_passwords_lock_the_account_and_are_audited(browse: Callable[[], App]) -> None:
    app = browse()
    store = Store(app.server.store_path)
    errors: list[str] = []
    for i in range(1, MAX_FAILURES + 1):  # an attacker reloading the page between guesses
        submit_sign_in(app, "korban", f"tebakan-ke-{i}")
        assert app.title() == t("auth.signin_title")
        errors.append(_error(app))
    log = store.query(
        """SELECT occurred_at, outcome, detail FROM audit_log
           WHERE actor = 'korban' AND action = 'signin' ORDER BY occurred_at"""
    )
    assert log["outcome"].to_list() == ["failure"] * MAX_FAILURES
    # said in the office's time (WIB, UTC+7, by default), not in UTC
    wib = log["occurred_at"][0] + dt.timedelta(minutes=LOCKOUT_MINUTES, hours=7)
    locked = t("auth.locked", until=f"{wib:%H:%M} WIB")
    # wrong until the last guess, which locks the account
    assert errors == [t("auth.signin_failed")] * (MAX_FAILURES - 1) + [locked]
    app.screenshot("signin-locked")

    # the right password, from another browser, is refused as well
    other = browse()
    submit_sign_in(other, "korban", ACCOUNTS["korban"][2])
    assert other.title() == t("auth.signin_title")
    assert _error(other) == locked
    assert other.page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert other.page.locator('[data-testid="stMetric"]').count() == 0
    other.screenshot("signin-locked-right-password")

    log = store.query(
        """SELECT outcome, detail, channel FROM audit_log
           WHERE actor = 'korban' AND action = 'signin' ORDER BY occurred_at"""
    )
    assert log["outcome"].to_list() == ["failure"] * MAX_FAILURES + ["locked"]
    assert set(log["channel"]) == {"web"}
    # the log holds no password, neither the guesses nor the right one
    audit_text = store.query("SELECT * FROM audit_log").write_csv()
    assert "tebakan" not in audit_text and ACCOUNTS["korban"][2] not in audit_text
    assert not store.query("SELECT * FROM audit_log WHERE actor = 'korban' AND outcome = 'ok'")[
        "outcome"
    ].len()


def test_a_shared_link_opens_the_form_then_the_linked_page(browse: Callable[[], App]) -> None:
    # a link to a page with filters, opened by someone not yet signed in
    app = browse()
    path = "belum-tanda-tangan"
    submit_sign_in(app, "analis17", ACCOUNTS["analis17"][2], f"prov={BENGKULU}", path=path)
    assert app.problems() == []  # no "Page not found" over the form or after it
    assert app.title() == t("nav.unsigned")
    assert urlsplit(app.url()).path.rstrip("/").endswith(path)
    assert app.query().get("prov") == [BENGKULU]
    # the scope is named, not given as a code
    sidebar = app.page.locator('[data-testid="stSidebar"]').inner_text()
    assert t("auth.scope", scope="Bengkulu") in sidebar
    store = Store(app.server.store_path)
    expected = _unsigned(store, BENGKULU).height
    assert _number(app.metric(t("unsigned.m.named"))) == expected
    app.screenshot("signin-deep-link")
