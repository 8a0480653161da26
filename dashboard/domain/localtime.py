"""The office's local time (WIB, WITA or WIT): the store keeps UTC, people read local time.

Indonesia keeps no daylight saving time, so each zone is a fixed offset from UTC. The
office chooses its zone with ``NETRALITAS_TIMEZONE`` (WIB, WITA or WIT; default WIB).
"""

from __future__ import annotations

import datetime as dt
import os

ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}  # hours ahead of UTC
DEFAULT_ZONE = "WIB"


def office_zone(env: dict[str, str] | None = None) -> str:
    """The zone named by ``NETRALITAS_TIMEZONE`` (unknown values fall back to WIB)."""
    name = (env if env is not None else os.environ).get("NETRALITAS_TIMEZONE", DEFAULT_ZONE)
    name = name.strip().upper()
    return name if name in ZONES else DEFAULT_ZONE


def to_local(value: dt.datetime, zone: str) -> dt.datetime:
    """A naive UTC time (as the store keeps it) in ``zone``, naive."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value + dt.timedelta(hours=ZONES[zone])
