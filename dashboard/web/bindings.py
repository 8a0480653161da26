"""Which browser a signed-in session belongs to, and what its downloads may still do.

Streamlit cannot rotate its session id at sign-in (1.67 has no API for it): a client that
presents a copied id reattaches to that session. So the edge (``dashboard.web.asgi``)
gives every browser a random, HttpOnly cookie (:data:`BIND_COOKIE`), the sign-in records
its digest, and every run compares the cookie of the connection now attached: a copied
session id alone, without the browser's cookie, finds itself signed out.

The registry here (no Streamlit) is shared by the script runs and the edge middleware:
signed-in bindings, and downloads that the edge must refuse once they are old or their
session has signed out or changed role.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

BIND_COOKIE = "netralitas_bind"
DOWNLOAD_SECONDS = 60.0  # a generated download link works this long after its first use


def digest(cookie: str | None) -> str | None:
    """What is kept of the cookie (never the cookie itself)."""
    if not cookie:
        return None
    return hashlib.sha256(cookie.encode()).hexdigest()


@dataclass(frozen=True)
class Binding:
    """The signed-in account behind one browser cookie."""

    username: str
    role: str
    scope: tuple[str, ...]
    source: str


_lock = threading.Lock()
_signed_in: dict[str, Binding] = {}
_first_fetch: dict[str, float] = {}


def register(bind: str | None, binding: Binding) -> None:
    if bind:
        with _lock:
            _signed_in[bind] = binding


def forget(bind: str | None) -> None:
    if bind:
        with _lock:
            _signed_in.pop(bind, None)


def lookup(bind: str | None) -> Binding | None:
    if not bind:
        return None
    with _lock:
        return _signed_in.get(bind)


def fresh_download(path: str, now: float | None = None) -> bool:
    """Whether a generated download at ``path`` is still young (first fetch starts it)."""
    now = time.monotonic() if now is None else now
    with _lock:
        first = _first_fetch.setdefault(path, now)
        for old in [p for p, t in _first_fetch.items() if now - t > 10 * DOWNLOAD_SECONDS]:
            del _first_fetch[old]
    return now - first <= DOWNLOAD_SECONDS
