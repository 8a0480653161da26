"""The app server's edge: security headers, a closed metrics endpoint, the browser cookie
that binds sign-ins, a guard on generated downloads and on uploaded files.

``netralitas serve`` runs this file; Streamlit 1.67 finds ``app`` (an ``st.App``, its
supported hook for middleware) and serves the dashboard script through it, so these hold
without a reverse proxy. The README's nginx configuration repeats the headers and the
metrics rule for offices that put one in front.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import streamlit as st
from starlette.middleware import Middleware

from dashboard.access import auth
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


def download_allowed(path: str, bind: str | None) -> bool:
    """A generated download may be fetched only by the browser whose session is signed in
    with the role and scope it had, and only shortly after its first fetch."""
    binding = bindings.lookup(bind)
    if binding is None or bind is None:
        return False
    from dashboard.queries.accounts import get_user
    from dashboard.store.database import Store, StoreError

    try:
        row = get_user(Store(), binding.username)
    except StoreError:
        return False
    if row is None:
        if binding.source == auth.SOURCE_LOCAL:  # the account was removed
            return False
    else:
        now = auth.User.from_row(row)
        if (now.role, (*now.provinces, *now.regencies)) != (binding.role, binding.scope):
            return False
    return bindings.fresh_download(path, bind)


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
        if UPLOAD_PATH in path and scope.get("method") in ("PUT", "POST"):
            size = _header(scope, b"content-length")
            nbytes = int(size) if size.isdigit() else 0
            if not bindings.upload_allowed(bindings.digest(cookie), nbytes):
                log.warning("upload refused: browser not signed in, role, or quota")
                await self._plain(send, 403, b"Forbidden")
                return
        new_cookie = None if cookie else secrets.token_urlsafe(32)
        secure = "; Secure" if _https(scope) else ""
        is_media = "/media/" in path
        refused = False

        async def send_guarded(message: Message) -> None:
            nonlocal refused
            if refused:
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                disposition = next(
                    (v for k, v in headers if k.lower() == b"content-disposition"), b""
                )
                if is_media and b"attachment" in disposition.lower():
                    ok = await asyncio.to_thread(download_allowed, path, bindings.digest(cookie))
                    if not ok:
                        refused = True
                        log.info("download refused: no signed-in session or link expired")
                        await self._plain(send, 403, b"Forbidden")
                        return
                headers += [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                if new_cookie:
                    headers.append(
                        (
                            b"set-cookie",
                            f"{bindings.BIND_COOKIE}={new_cookie}; Path=/; HttpOnly; "
                            f"SameSite=Lax{secure}".encode(),
                        )
                    )
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_guarded)

    @staticmethod
    async def _plain(send: Send, status: int, body: bytes) -> None:
        headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
        headers += [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


app = st.App(Path(__file__).with_name("app.py"), middleware=[Middleware(Edge)])
