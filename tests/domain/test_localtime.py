"""Times shown in the office's zone: fixed offsets, a setting, UTC in the store."""

from __future__ import annotations

import datetime as dt

from dashboard.domain.localtime import office_zone, to_local


def test_zone_from_the_setting_defaults_to_wib() -> None:
    assert office_zone({}) == "WIB"
    assert office_zone({"NETRALITAS_TIMEZONE": "wita"}) == "WITA"
    assert office_zone({"NETRALITAS_TIMEZONE": "WIT"}) == "WIT"
    assert office_zone({"NETRALITAS_TIMEZONE": "Mars"}) == "WIB"


def test_utc_moves_to_local_across_midnight() -> None:
    utc = dt.datetime(2026, 12, 31, 20, 30)
    assert to_local(utc, "WIB") == dt.datetime(2027, 1, 1, 3, 30)
    assert to_local(utc, "WITA") == dt.datetime(2027, 1, 1, 4, 30)
    assert to_local(utc, "WIT") == dt.datetime(2027, 1, 1, 5, 30)
    aware = dt.datetime(2026, 12, 31, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert to_local(aware, "WIB") == dt.datetime(2026, 12, 31, 20, 30)
