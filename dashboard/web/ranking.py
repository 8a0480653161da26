"""Rankings that mean something: a lowest-rate list leaves out agencies too small for
their rate to say much (a 7-person agency at 0 % would lead it). Pure: unit-tested."""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_MIN_SIZE = 20
ENV_MIN_SIZE = "NETRALITAS_RANKING_MIN_SIZE"


def ranking_min_size(env: Mapping[str, str] | None = None) -> int:
    """The smallest target an agency needs to enter a lowest-rate list
    (``NETRALITAS_RANKING_MIN_SIZE``, default 20; 1 ranks every agency)."""
    raw = (env if env is not None else os.environ).get(ENV_MIN_SIZE, "").strip()
    return max(1, int(raw)) if raw.isdigit() else DEFAULT_MIN_SIZE
