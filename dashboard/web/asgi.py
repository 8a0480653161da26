"""The app server's edge: security headers, a closed metrics endpoint, the browser cookie
that binds sign-ins, the session cookie of a signed-in browser, a guard on generated
downloads and on uploaded files.

The session cookie (``dashboard.access.sessions`` says why it is a cookie of its own) is
set only here, in the answer to ``_netralitas/session?t=TICKET``, which the page fetches
once after a sign-in: a fresh secret, never shown to the page, whose digest is written to
the session row. ``_netralitas/session/end`` drops it at sign-out.

``netralitas serve`` runs this file; Streamlit 1.67 finds ``app`` (an ``st.App``, its
supported hook for middleware) and serves the dashboard script through it, so these hold
without a reverse proxy. The README's nginx configuration repeats the headers and the
metrics rule for offices that put one in front.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import os
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import streamlit as st
from starlette.middleware import Middleware

from dashboard.access import auth, sessions
from dashboard.web import bindings
from dashboard.web.session import ENV_TRUST_PROXY

log = logging.getLogger("netralitas")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Streamlit's page needs inline styles (emotion) and its one inline script, Plotly evaluates
# generated code and deck.gl starts blob: workers; everything else is this origin only, so
# data shown as markup can neither load an outside image (a beacon) nor send anything out.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "worker-src 'self' blob:",
        "frame-src 'self' blob: data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
CLOSED_PATHS = ("/_stcore/metrics",)  # Streamlit's unauthenticated process metrics
UPLOAD_PATH = "/_stcore/upload_file/"  # file uploader PUTs: signed-in uploaders only
SESSION_PATH = "/_netralitas/session"  # after a sign-in the page fetches its cookie here
SESSION_END_PATH = "/_netralitas/session/end"  # and at sign-out drops it here
# a transparent 1x1 GIF: the answer the page's hidden image expects
PIXEL = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def _cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed header: as if there were no cookie
                return {}
    return {k: m.value for k, m in jar.items()}


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers", []):
        if k == name:
            return str(v.decode("latin-1"))
    return ""


def _https(scope: Scope) -> bool:

    if scope.get("scheme") == "https":
        return True
    trusted = os.environ.get(ENV_TRUST_PROXY) == "1"
    return trusted and _header(scope, b"x-forwarded-proto").lower() == "https"


def session_cookie(value: str, max_age: int, secure: bool) -> bytes:
    """The ``Set-Cookie`` value of the session cookie (``max_age`` 0 drops it)."""
    return (
        f"{sessions.SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; "
        f"SameSite=Strict{'; Secure' if secure else ''}"
    ).encode()


def _ticket(scope: Scope) -> str | None:
    values = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1")).get("t")
    return values[0] if values else None


def issue_session(ticket: str | None, bind: str | None) -> sessions.Issued | None:
    """The secret for the session a sign-in's ticket names, if this browser may have it."""
    session_id = bindings.claim_session(ticket, bind)
    if session_id is None:
        return None
    from dashboard.store.database import Store, StoreError

    try:
        return sessions.issue_secret(Store(), session_id)
    except StoreError:
        return None


def download_refusal(path: str, bind: str | None, data: bytes) -> str | None:
    """Why the generated file ``data`` at ``path`` may not go to the browser ``bind`` (None:
    it may): the browser must be signed in with the role and scope its account has now, the
    file must have been made for this browser under exactly those rights (the rule that
    allowed it, ``bindings.held_refusal``), and the link must be young."""
    binding = bindings.lookup(bind)
    if binding is None or bind is None:
        return "not_signed_in"
    from dashboard.queries.accounts import get_user
    from dashboard.store.database import Store, StoreError

    try:
        row = get_user(Store(), binding.username)
    except StoreError:
        return "store_unavailable"
    now_row = None
    if row is None:
        if binding.source == auth.SOURCE_LOCAL:  # the account was removed
            return "account_removed"
    else:
        now = auth.User.from_row(row)
        scope = (*now.provinces, *now.regencies)
        if (now.role, scope) != (binding.role, binding.scope):
            return "role_changed"
        now_row = bindings.Binding(now.username, now.role, scope, binding.source)
    refusal = bindings.held_refusal(bindings.held_by(bind, data), binding, now_row)
    if refusal is not None:
        return refusal
    return None if bindings.fresh_download(path, bind) else "expired"


def download_allowed(path: str, bind: str | None, data: bytes) -> bool:
    return download_refusal(path, bind, data) is None


def audit_refusal(path: str, bind: str | None, reason: str, ip: str | None) -> None:
    """A refused fetch of a generated file goes into the audit trail (who asked, why)."""
    binding = bindings.lookup(bind)
    from dashboard.access import audit
    from dashboard.store.database import Store, StoreError

    try:
        audit.record(
            Store(),
            "download",
            actor=binding.username if binding else auth.UNKNOWN_ACTOR,
            outcome="denied",
            target=path.rsplit("/", 1)[-1][:80],
            detail={"reason": reason, "at": "edge"},
            ip=ip,
        )
    except StoreError:
        log.warning("refused download not recorded: store unavailable")


def _client(scope: Scope) -> str | None:
    client = scope.get("client")
    return str(client[0])[:64] if client else None


def bind_cookie(value: str, secure: bool) -> bytes:
    """The ``Set-Cookie`` value of the browser cookie (``dashboard.web.bindings``)."""
    return (
        f"{bindings.BIND_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax"
        f"{'; Secure' if secure else ''}"
    ).encode()


def renewed_bind(cookie: str | None) -> str:
    """A fresh browser cookie that takes over from ``cookie`` (sign-in, sign-out): whatever
    the old value could open (a sign-in, held files, the upload quota) now needs the new
    one, so a value planted in the browser before is worthless."""
    fresh = secrets.token_urlsafe(32)
    bindings.renew(bindings.digest(cookie), str(bindings.digest(fresh)))
    return fresh


UPLOAD_DRAIN_BYTES = 8 * 1024 * 1024  # read (and drop) this much of a refused body at most


class Edge:
    """Pure ASGI middleware (websocket traffic passes untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        if any(path.rstrip("/").endswith(p) for p in CLOSED_PATHS):
            await self._plain(send, 404, b"Not Found")
            return
        cookie = _cookies(scope).get(bindings.BIND_COOKIE)
        secure = _https(scope)
        if path.rstrip("/").endswith(SESSION_END_PATH):
            # only from a page of this site (a cross-site request carries no bind cookie)
            drop = []
            if cookie:
                drop = [
                    (b"set-cookie", bind_cookie(renewed_bind(cookie), secure)),
                    (b"set-cookie", session_cookie("", 0, secure)),
                ]
            await self._plain(send, 200 if cookie else 403, PIXEL, drop, b"image/gif")
            return
        if path.rstrip("/").endswith(SESSION_PATH) and scope.get("method") == "GET":
            issued = await asyncio.to_thread(issue_session, _ticket(scope), bindings.digest(cookie))
            if issued is None:
                log.info("session cookie refused: no valid ticket for this browser")
                await self._plain(send, 403, b"Forbidden")
                return
            given = [
                (b"set-cookie", bind_cookie(renewed_bind(cookie), secure)),
                (b"set-cookie", session_cookie(issued.secret, issued.max_age, secure)),
            ]
            await self._plain(send, 200, PIXEL, given, b"image/gif")
            return
        refused = False
        if UPLOAD_PATH in path and scope.get("method") in ("PUT", "POST"):
            size = _header(scope, b"content-length")
            nbytes = int(size) if size.isdigit() else 0
            bind = bindings.digest(cookie)
            if bind is None or not bindings.upload_allowed(bind, nbytes):
                log.warning("upload refused: browser not signed in, role, or quota")
                await self._plain(send, 403, b"Forbidden")
                return

            def stop() -> None:
                nonlocal refused
                refused = True

            receive = self._counted(receive, send, bind, nbytes, stop)
        # an OIDC sign-in ends at its callback: the browser gets a fresh cookie there
        renew = bool(cookie) and path.rstrip("/").endswith("/oauth2callback")
        new_cookie = renewed_bind(cookie) if renew else None
        if not cookie:
            new_cookie = secrets.token_urlsafe(32)
        is_media = "/media/" in path
        if is_media:  # a generated file is checked whole (its bytes say what it is)
            scope = {**scope, "headers": [h for h in scope.get("headers", []) if h[0] != b"range"]}
        held_start: Message | None = None
        held_body: list[bytes] = []

        async def send_guarded(message: Message) -> None:
            nonlocal refused, held_start
            if refused:
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                disposition = next(
                    (v for k, v in headers if k.lower() == b"content-disposition"), b""
                )
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                if new_cookie:
                    headers.append((b"set-cookie", bind_cookie(new_cookie, secure)))
                message["headers"] = headers
                if is_media and b"attachment" in disposition.lower():
                    held_start = message  # sent once the whole file has been checked
                    return
            elif message["type"] == "http.response.body" and held_start is not None:
                held_body.append(bytes(message.get("body", b"")))
                if message.get("more_body", False):
                    return
                data = b"".join(held_body)
                bind = bindings.digest(cookie)
                encoding = next(
                    (v for k, v in held_start["headers"] if k.lower() == b"content-encoding"), b""
                )
                # text files come compressed from the app's gzip layer: the bytes made are inside
                made = gzip.decompress(data) if encoding.lower() == b"gzip" else data
                why = await asyncio.to_thread(download_refusal, path, bind, made)
                if why is not None:
                    refused = True
                    log.info("download refused at the edge: %s", why)
                    await asyncio.to_thread(audit_refusal, path, bind, why, _client(scope))
                    await self._plain(send, 403, b"Forbidden")
                    return
                await send(held_start)
                message = {"type": "http.response.body", "body": data}
            await send(message)

        try:
            await self.app(scope, receive, send_guarded)
        except Exception:
            if not refused:  # a body stopped at the quota ends the app's read: expected
                raise

    def _counted(
        self, receive: Receive, send: Send, bind: str, declared: int, stop: Callable[[], None]
    ) -> Receive:
        """``receive`` that charges every byte of an upload body past its declared length to
        the browser's quota as it arrives; past the quota the rest is read and dropped (up
        to ``UPLOAD_DRAIN_BYTES``), the answer is 413, and the app sees a disconnect."""
        received = 0
        over = False

        async def counted() -> Message:
            nonlocal received, over
            if over:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] != "http.request":
                return message
            before = received
            received += len(message.get("body", b""))
            extra = received - max(declared, before)
            more = before > 0 or declared > 0
            if extra > 0 and not bindings.charge_upload(bind, extra, more=more):
                over = True
                stop()
                drained, more = 0, bool(message.get("more_body", False))  # what is left
                while more and drained < UPLOAD_DRAIN_BYTES:
                    rest = await receive()
                    if rest["type"] != "http.request":
                        break
                    drained += len(rest.get("body", b""))
                    more = bool(rest.get("more_body", False))
                log.warning("upload stopped: past the hourly quota")
                await Edge._plain(send, 413, b"Payload Too Large")
                return {"type": "http.disconnect"}
            return message

        return counted

    @staticmethod
    async def _plain(
        send: Send,
        status: int,
        body: bytes,
        extra: list[tuple[bytes, bytes]] | None = None,
        content_type: bytes = b"text/plain",
    ) -> None:
        headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        headers += [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        headers += [(b"cache-control", b"no-store"), *(extra or [])]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(Edge)])
