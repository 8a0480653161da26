"""A NUL byte typed in a search box or put in a link is no error page, on either engine:
the pages search as without it, and a search of nothing but such bytes says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from independent_figures import read_sql
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from dashboard.store.database import Store

BOTH_BACKENDS = True  # each test runs on a DuckDB file and on PostgreSQL

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
NUL = "\x00"


def _open(monkeypatch: pytest.MonkeyPatch, store: Store, page: str, params: dict) -> AppTest:
    monkeypatch.setenv("NETRALITAS_STORE", store.location)
    at = AppTest.from_file(APP, default_timeout=120)
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _infos(at: AppTest) -> list[str]:
    return [str(e.value) for e in at.info]


def test_agency_search_and_link_with_a_nul_byte(
    monkeypatch: pytest.MonkeyPatch, demo_store: Store
) -> None:
    at = _open(monkeypatch, demo_store, "agencies", {"lang": "en"})
    first = at.dataframe[0].value
    at.text_input(key="lead_agencies_search").input(NUL).run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("shell.search_unusable", "en") in _infos(at)
    assert at.dataframe[0].value.equals(first)

    name = read_sql(demo_store, "SELECT name FROM agencies ORDER BY agency_id LIMIT 1")["name"][0]
    at.text_input(key="lead_agencies_search").input(f"{name}{NUL}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("shell.search_unusable", "en") not in _infos(at)
    assert name in set(at.dataframe[0].value["Agency"])

    link = _open(monkeypatch, demo_store, "agencies", {"lang": "en", "instansi": f"x{NUL}"})
    assert t("agencies.detail_not_in_view", "en") in _infos(link) + [
        str(e.value) for e in link.warning
    ]


def test_unsigned_search_with_a_nul_byte(
    monkeypatch: pytest.MonkeyPatch, demo_store: Store
) -> None:
    at = _open(monkeypatch, demo_store, "unsigned", {"lang": "en"})
    name = read_sql(
        demo_store,
        "SELECT name FROM officials WHERE superseded_by IS NULL AND NOT signed "
        "ORDER BY nip LIMIT 1",
    )["name"][0]
    at.text_input(key="lead_unsigned_search").input(name).run()
    plain = at.dataframe[0].value
    assert len(plain) > 0 and set(plain["Name"]) >= {name}
    at.text_input(key="lead_unsigned_search").input(f"{NUL}{name}{NUL}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.dataframe[0].value.equals(plain)
    at.text_input(key="lead_unsigned_search").input(NUL).run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("shell.search_unusable", "en") in _infos(at)
