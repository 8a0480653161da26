"""Which browser a signed-in session belongs to, and what its downloads may still do.

Streamlit cannot rotate its session id at sign-in (1.67 has no API for it): a client that
presents a copied id reattaches to that session. So the edge (``dashboard.web.asgi``)
gives every browser a random, HttpOnly cookie (:data:`BIND_COOKIE`), the sign-in records
its digest, and every run compares the cookie of the connection now attached: a copied
session id alone, without the browser's cookie, finds itself signed out.

The registry here (no Streamlit) is shared by the script runs and the edge middleware:
signed-in bindings, downloads that the edge must refuse once they are old or their
session has signed out or changed role, and the one-time tickets with which a page that
has just signed in fetches its session cookie (``dashboard.access.sessions``).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
import time
from dataclasses import dataclass

from dashboard.access import auth

BIND_COOKIE = "netralitas_bind"
DOWNLOAD_SECONDS = 60.0  # a generated download link works this long after its first use
ENV_UPLOAD_QUOTA_MB = "NETRALITAS_UPLOAD_QUOTA_MB"
DEFAULT_UPLOAD_QUOTA_MB = 500
UPLOAD_WINDOW_SECONDS = 3600.0


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


@dataclass(frozen=True)
class Held:
    """Who a generated file was made for, and under which rights: its download is served
    only to a browser still signed in as that account, with that role and scope, whose
    role still has ``requires`` (None: any signed-in role)."""

    username: str
    role: str
    scope: tuple[str, ...]
    source: str
    requires: str | None


_lock = threading.Lock()
_signed_in: dict[str, Binding] = {}
_first_fetch: dict[tuple[str, str], float] = {}
_uploaded: dict[str, list[tuple[float, int]]] = {}
_held: dict[tuple[str, str], Held] = {}  # (browser, digest of the file's bytes) -> maker
# a browser cookie is replaced at sign-in and sign-out (``renew``): the digest of the old
# value -> the digest of its successor. The page's open connection keeps presenting the old
# value to the script runs, which therefore act for its successor; the old value itself
# opens nothing any more (a value planted before sign-in is worthless after it).
_renewed: dict[str, str] = {}
MAX_HELD_PER_BROWSER = 200


def _current(bind: str) -> str:
    """The live digest that ``bind`` stands for (itself unless renewed); under ``_lock``."""
    for _ in range(len(_renewed) + 1):
        nxt = _renewed.get(bind)
        if nxt is None:
            return bind
        bind = nxt
    return bind


def current(bind: str | None) -> str | None:
    if not bind:
        return None
    with _lock:
        return _current(bind)


def renew(old: str | None, new: str) -> None:
    """The browser behind ``old`` now presents ``new``: its sign-in, upload quota and held
    files move with it, and ``old`` signs nothing in any more."""
    with _lock:
        if not old:
            return
        live = _current(old)
        if live == new:
            return
        _renewed[live] = new
        if live in _signed_in:
            _signed_in[new] = _signed_in.pop(live)
        if live in _uploaded:
            _uploaded[new] = _uploaded.pop(live)
        for b, d in [k for k in _held if k[0] == live]:
            _held[(new, d)] = _held.pop((b, d))


def register(bind: str | None, binding: Binding) -> None:
    if bind:
        with _lock:
            _signed_in[_current(bind)] = binding


def forget(bind: str | None) -> None:
    """Sign the browser out at the edge: its binding and every file held for it go."""
    if bind:
        with _lock:
            live = _current(bind)
            _signed_in.pop(live, None)
            for key in [k for k in _held if k[0] == live]:
                del _held[key]


def lookup(bind: str | None) -> Binding | None:
    if not bind:
        return None
    with _lock:
        if bind in _renewed:  # a replaced cookie value opens nothing
            return None
        return _signed_in.get(bind)


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hold(bind: str | None, data: bytes, held: Held) -> None:
    """Record that the file ``data`` was made for the browser ``bind`` under ``held``'s
    rights; the edge serves it to that browser only while they still hold."""
    if not bind:
        return
    key_digest = file_digest(data)
    with _lock:
        live = _current(bind)
        for gone in [k for k in _held if k[0] not in _signed_in and k[0] != live]:
            del _held[gone]  # browsers signed out or replaced: nothing of theirs is served
        mine = [k for k in _held if k[0] == live]
        for old in mine[: max(0, len(mine) - MAX_HELD_PER_BROWSER + 1)]:
            del _held[old]
        _held.pop((live, key_digest), None)  # re-inserted last: the newest is kept longest
        _held[(live, key_digest)] = held


def drop_held(bind: str | None) -> None:
    """Every file held for this browser stops being served (sign-out, role or scope change)."""
    if bind:
        with _lock:
            live = _current(bind)
            for key in [k for k in _held if k[0] == live]:
                del _held[key]


def held_by(bind: str | None, data: bytes) -> Held | None:
    if not bind:
        return None
    with _lock:
        if bind in _renewed:
            return None
        return _held.get((bind, file_digest(data)))


def held_refusal(held: Held | None, binding: Binding | None, now_row: Binding | None) -> str | None:
    """Why a held file may not be served to a browser signed in as ``binding`` whose account
    the store now has as ``now_row`` (None: it may). The rule is the one the file was
    made under: the same account, role and scope, and a role that has ``requires``."""
    if binding is None:
        return "not_signed_in"
    if held is None:
        return "not_held"
    if (binding.username, binding.role, binding.scope) != (held.username, held.role, held.scope):
        return "other_rights"
    if held.requires is not None and not auth.can(binding.role, held.requires):
        return "not_allowed"
    if now_row is not None and (now_row.role, now_row.scope) != (held.role, held.scope):
        return "role_changed"
    return None


def fresh_download(path: str, bind: str, now: float | None = None) -> bool:
    """Whether the generated download at ``path`` is still young for the browser ``bind``
    (its first fetch starts the clock).

    The clock is per browser: Streamlit names a file after a hash of its content, so two
    people who download the same list share a path, and one must not expire the other's.
    """
    now = time.monotonic() if now is None else now
    with _lock:
        first = _first_fetch.setdefault((bind, path), now)
        for old in [p for p, t in _first_fetch.items() if now - t > 10 * DOWNLOAD_SECONDS]:
            del _first_fetch[old]
    return now - first <= DOWNLOAD_SECONDS


def upload_quota_bytes() -> int:
    """What one browser may upload per hour (``NETRALITAS_UPLOAD_QUOTA_MB``, default 500)."""
    try:
        mb = float(os.environ.get(ENV_UPLOAD_QUOTA_MB, DEFAULT_UPLOAD_QUOTA_MB))
    except ValueError:
        mb = DEFAULT_UPLOAD_QUOTA_MB
    return int(mb * 1024 * 1024)


def upload_allowed(bind: str | None, nbytes: int, now: float | None = None) -> bool:
    """Whether the browser behind ``bind`` may send an upload of ``nbytes``.

    Streamlit accepts a file from any session that holds a session id, signed in or not, so
    the edge asks here first: only a signed-in browser whose role may upload, and only
    within its hourly quota. An accepted upload is charged to the quota.
    """
    binding = lookup(bind)
    if binding is None or bind is None or not auth.can(binding.role, auth.UPLOAD):
        return False
    return charge_upload(bind, nbytes, now)


def charge_upload(bind: str, nbytes: int, now: float | None = None, *, more: bool = False) -> bool:
    """Charge ``nbytes`` to the browser's hourly quota; False (and nothing charged) when it
    would go past it. The edge charges a body's declared length up front and every byte
    beyond it as it arrives, so a body without a length (chunked) is counted too; ``more``
    adds to the request's entry instead of starting one."""
    now = time.monotonic() if now is None else now
    with _lock:
        bind = _current(bind)
        recent = [(t, n) for t, n in _uploaded.get(bind, []) if now - t < UPLOAD_WINDOW_SECONDS]
        if sum(n for _, n in recent) + max(nbytes, 0) > upload_quota_bytes():
            _uploaded[bind] = recent
            return False
        if more and recent:  # the same body again: one entry per request, not per piece
            t, n = recent[-1]
            recent[-1] = (t, n + max(nbytes, 0))
            _uploaded[bind] = recent
        else:
            _uploaded[bind] = [*recent, (now, max(nbytes, 0))]
    return True


# -- handing a signed-in browser its session cookie ----------------------------------------------

TICKET_SECONDS = 60.0  # a sign-in's ticket for its session cookie works this long, once


@dataclass(frozen=True)
class Ticket:
    """A sign-in's claim to a session cookie: for one session, by one browser, briefly."""

    session_id: str
    bind: str
    deadline: float


_tickets: dict[str, Ticket] = {}  # digest of the ticket -> its claim
_claimed: dict[str, float] = {}  # digests of tickets used, until their deadline


def offer_session(bind: str | None, session_id: str, now: float | None = None) -> str | None:
    """A one-time ticket with which the browser behind ``bind`` fetches the session cookie
    of ``session_id`` (``dashboard.web.asgi``); None without a browser cookie."""
    if not bind:
        return None
    now = time.monotonic() if now is None else now
    ticket = secrets.token_urlsafe(24)
    with _lock:
        for key in [k for k, t in _tickets.items() if t.deadline < now]:
            del _tickets[key]
        for key in [k for k, d in _claimed.items() if d < now]:
            del _claimed[key]
        _tickets[hashlib.sha256(ticket.encode()).hexdigest()] = Ticket(
            session_id, bind, now + TICKET_SECONDS
        )
    return ticket


def claim_session(ticket: str | None, bind: str | None, now: float | None = None) -> str | None:
    """The session id a ticket names, once, for the browser it was offered to, in time."""
    if not ticket or not bind:
        return None
    now = time.monotonic() if now is None else now
    key = hashlib.sha256(ticket.encode()).hexdigest()
    with _lock:
        offered = _tickets.get(key)
        if offered is None or _current(offered.bind) != bind or offered.deadline < now:
            return None
        del _tickets[key]
        _claimed[key] = offered.deadline
    return offered.session_id


def ticket_open(ticket: str | None, now: float | None = None) -> bool:
    """Whether the page should still ask for its cookie with ``ticket`` (offered, unused,
    in time)."""
    if not ticket:
        return False
    now = time.monotonic() if now is None else now
    with _lock:
        offered = _tickets.get(hashlib.sha256(ticket.encode()).hexdigest())
    return offered is not None and offered.deadline >= now
