"""Sign-in for the Streamlit app, and the signed-in user every page sees.

Contract:

- ``app.py`` calls :func:`gate` first. It returns the :class:`~dashboard.auth.User` of this
  session or stops the run behind a sign-in screen. Which screen depends on the
  configuration (``auth.sign_in_mode``): OIDC (``st.login``), local accounts (a form),
  or none — then a single local admin is served, on loopback only, and the sidebar says so.
- :func:`current_user` is the user of this run; ``Ctx.user`` carries the same object and
  ``Ctx.filters`` already carry its scope (``auth.scope_filters``).
- :func:`guarded` runs a page so that an exception is logged server-side and the person
  sees a generic message (no stack trace, no other user's data).
- :func:`record` writes an audit event with this session's user and address.

A local sign-in is also a session row in the store (``dashboard.access.sessions``): the
page then fetches its session cookie once, a reload (or another app process) signs the
browser in again from that cookie, and every run checks the row, so an ended, expired or
idle session shows the sign-in form with the reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, NoReturn
from urllib.parse import urlsplit

import polars as pl
import streamlit as st

from dashboard import i18n
from dashboard.access import audit, auth, sessions
from dashboard.access.gate import refuse
from dashboard.domain import localtime
from dashboard.queries.accounts import get_user
from dashboard.store.database import Store, StoreError
from dashboard.text import plain
from dashboard.web import bindings
from dashboard.web.cache import memo
from dashboard.web.context import _CTX_KEY as CTX_KEY

USER_KEY = "_netralitas_user"
PENDING_USER_KEY = "_netralitas_signed_in"  # set by the sign-in form, taken by the next run
OIDC_AUDITED_KEY = "_netralitas_oidc_audited"
BIND_KEY = "_netralitas_bind"  # digest of the browser cookie the sign-in was made with
GRANTS_KEY = "_netralitas_download_grants"
HELD_KEY = "_netralitas_held_files"  # generated files kept for a download button
SESSION_ID_KEY = "_netralitas_session_id"  # the store's session row of this sign-in
TICKET_KEY = "_netralitas_session_ticket"  # fetches the session cookie (bindings.offer_session)
NOTICE_KEY = "_netralitas_session_notice"  # why the session ended, shown on the form
DROP_COOKIE_KEY = "_netralitas_drop_cookie"  # the form asks the browser to drop the cookie
SESSION_URL = "_netralitas/session"  # relative: works under a base URL path too
ENV_TRUST_PROXY = "NETRALITAS_TRUST_PROXY"  # "1": take the client address from X-Forwarded-For
LANG_WIDGET_KEY = "w_lang"  # the shell's language widget (dashboard/web/shell.py)

log = logging.getLogger("netralitas")


# -- request facts -------------------------------------------------------------------------------


def client_ip() -> str | None:
    """The client's address for the audit trail (None on localhost).

    Behind a reverse proxy every client looks like the proxy; set ``NETRALITAS_TRUST_PROXY=1``
    (only when the proxy overwrites ``X-Forwarded-For``) to record the forwarded address.
    """
    try:
        if os.environ.get(ENV_TRUST_PROXY) == "1":
            forwarded = st.context.headers.get("X-Forwarded-For")
            if forwarded:
                return forwarded.split(",")[0].strip()[:64]
    except Exception:  # no request context: nothing to record
        return None
    return _direct_ip()


PROXY_HEADERS = (
    "X-Forwarded-For",
    "Forwarded",
    "X-Real-IP",
    "X-Client-IP",
    "True-Client-IP",
    "X-Forwarded-Host",
)


def _host_name(host: str) -> str:
    """``127.0.0.1:8501`` -> ``127.0.0.1``; ``[::1]:8501`` -> ``::1``."""
    return urlsplit(f"//{host}").hostname or ""


def is_local_request(headers: Mapping[str, str], ip: str | None) -> bool:
    """The request comes from this machine and not through a proxy on it, nor from a page
    of another origin (a foreign ``Origin`` is a web page driving the user's browser).

    A reverse proxy on the same host connects from loopback too; the usual proxy headers or
    a non-loopback ``Host`` give it away (a proxy that sends neither cannot be told apart).
    """
    if ip is not None and not auth.is_loopback(ip):
        return False
    lowered = {str(k).lower(): v for k, v in headers.items()}
    if any(lowered.get(h.lower()) for h in PROXY_HEADERS):
        return False
    origin = lowered.get("origin")
    if origin and not auth.is_loopback(urlsplit(origin).hostname or ""):
        return False
    host = lowered.get("host")
    if not isinstance(host, str) or not host:
        return True
    return auth.is_loopback(_host_name(host))


def _is_local_client() -> bool:
    try:
        headers = dict(st.context.headers)
    except Exception:  # no request (AppTest): nothing says it is remote
        return True
    return is_local_request(headers, _direct_ip())


def _bind() -> str | None:
    """Digest of this connection's browser cookie (``dashboard.web.bindings``)."""
    try:
        return bindings.digest(st.context.cookies.get(bindings.BIND_COOKIE))
    except Exception:  # no request context
        return None


def _session_secret() -> str | None:
    """This connection's session cookie (``dashboard.access.sessions``)."""
    try:
        value = st.context.cookies.get(sessions.SESSION_COOKIE)
    except Exception:  # no request context
        return None
    return value if isinstance(value, str) and value else None


def _user_agent() -> str | None:
    try:
        value = st.context.headers.get("User-Agent")
    except Exception:
        return None
    return value if isinstance(value, str) else None


def _direct_ip() -> str | None:
    """``st.context.ip_address``: None on localhost (and where there is no real request)."""
    try:
        ip = st.context.ip_address
    except Exception:
        return None
    return ip if isinstance(ip, str) else None


def _lang() -> str:
    lang = st.session_state.get(LANG_WIDGET_KEY) or st.query_params.get("lang")
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def _secrets() -> dict:
    """Streamlit's own view of secrets.toml (the files ``st.login`` reads)."""
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets file at all
        return {}


# -- the gate ------------------------------------------------------------------------------------


# the app's page addresses (set by ``gate``): before sign-in each of them shows the sign-in
# screen, so a shared link opens the form (not "Page not found") and then the linked page
_deep_link_paths: tuple[str, ...] = ()


def _sign_in_mode(store: Store, secrets: Mapping) -> str:
    """``auth.sign_in_mode``, its count of password accounts read once per store file
    signature (any write, ``netralitas users add`` included, moves it) instead of a query
    on every run."""
    if auth.oidc_configured(secrets):
        return auth.MODE_OIDC
    return memo(
        ("sign_in_mode", store.location, store.file_signature()),
        lambda: auth.sign_in_mode(store, {}),
    )


def gate(store: Store | None = None, url_paths: tuple[str, ...] = ()) -> auth.User:
    """The user of this session, or stop the run behind the sign-in screen."""
    global _deep_link_paths
    _deep_link_paths = url_paths
    store = store or Store()
    secrets = _secrets()
    try:
        mode = _sign_in_mode(store, secrets)
        if mode == auth.MODE_SINGLE:
            user = _single()
        elif mode == auth.MODE_OIDC:
            user = _oidc(store, secrets)
        else:
            user = _local(store)
    except StoreError as exc:
        msg = str(exc)  # store problems are about the file, never about a person
        _refuse(msg)
    previous = st.session_state.get(USER_KEY)
    if isinstance(previous, auth.User) and _grant_facts(previous) != _grant_facts(user):
        revoke_downloads()  # role or scope changed: buttons made before no longer work
    st.session_state[USER_KEY] = user
    bindings.register(
        _bind(),
        bindings.Binding(user.username, user.role, (*user.provinces, *user.regencies), user.source),
    )
    _sidebar_badge(user, mode)
    if mode == auth.MODE_LOCAL:
        _hand_cookie()
    return user


def current_user() -> auth.User:
    """The signed-in user of this run (set by :func:`gate`)."""
    user = st.session_state.get(USER_KEY)
    if user is None:
        raise RuntimeError("current_user() called before session.gate()")
    return user


def _refuse(message: str) -> NoReturn:
    """Show just ``message`` as an error and end the run."""

    def show() -> None:
        st.error(message)

    _only(show)


def _only(render: Callable[[], None]) -> NoReturn:
    """Show just ``render`` (sign-in or refusal) and end the run.

    It is registered as the only page, so nothing but this gate can run before sign-in.
    Any context of an earlier signed-in run is dropped first.
    """
    st.session_state.pop(CTX_KEY, None)
    st.session_state.pop(USER_KEY, None)
    title = i18n.t("auth.signin_title", _lang())
    pages = [st.Page(render, title=title, url_path="masuk", default=True)]
    pages += [st.Page(render, title=title, url_path=p) for p in _deep_link_paths if p != "masuk"]
    st.navigation(pages, position="hidden").run()
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def _single() -> auth.User:
    if not _is_local_client():
        # sign-in not configured and someone reached us over the network: serve nothing
        msg = i18n.t("auth.remote_refused", _lang())
        _refuse(msg)
    return auth.single_user()


NOTICES = {
    sessions.EXPIRED: "auth.session_expired",
    sessions.IDLE: "auth.session_idle",
    sessions.REVOKED: "auth.session_revoked",
    sessions.NO_ACCOUNT: "auth.session_revoked",
}


def _end_notice(reason: str | None) -> None:
    """Remember why the session ended, for the sign-in form (a sign-out needs no reason)."""
    key = NOTICES.get(reason or "")
    if key:
        st.session_state[NOTICE_KEY] = key
    if reason is not None:  # a cookie that signs nobody in is dropped
        st.session_state[DROP_COOKIE_KEY] = True


def _signed_in(store: Store, user: auth.User) -> auth.User | None:
    """This session's user still signed in, as the store has it now (None: not any more)."""
    if st.session_state.get(BIND_KEY) != _bind():
        # the session id was presented by another browser (Streamlit cannot rotate it):
        # that is not the browser that signed in
        audit.record(
            store,
            "signout",
            actor=user.username,
            outcome="denied",
            ip=client_ip(),
            detail={"reason": "other_browser"},
        )
        _forget_session()
        return None
    session_id = st.session_state.get(SESSION_ID_KEY)
    if isinstance(session_id, str):
        # the row decides: ended, expired or idle sessions, removed accounts end here, and
        # role and scope are re-read every run
        checked = sessions.check_id(store, session_id)
        if checked.user is None:
            _forget_session()
            # this browser did not sign out (that forgets the session first): another did
            elsewhere = checked.reason == sessions.SIGNED_OUT
            _end_notice(sessions.REVOKED if elsewhere else checked.reason)
        return checked.user
    row = get_user(store, user.username)
    if row is not None and row.get("password_hash"):
        return auth.User.from_row(row)
    return None


def _restored(store: Store) -> auth.User | None:
    """The user a browser's session cookie still signs in (a reload, another process)."""
    secret = _session_secret()
    if secret is None or st.session_state.get(DROP_COOKIE_KEY):
        return None
    checked = sessions.restore(store, secret)
    if checked.user is None or checked.row is None:
        _end_notice(checked.reason)
        return None
    st.session_state[BIND_KEY] = _bind()
    st.session_state[SESSION_ID_KEY] = checked.row["session_id"]
    return replace(checked.user, ip=client_ip())


def _local(store: Store) -> auth.User:
    user = st.session_state.get(USER_KEY)
    if isinstance(user, auth.User) and user.source == auth.SOURCE_LOCAL:
        current = _signed_in(store, user)
        if current is not None:
            return current
    else:
        restored = _restored(store)
        if restored is not None:
            return restored

    def sign_in_page() -> None:
        lang = _lang()
        st.title(i18n.t("auth.signin_title", lang))
        notice = st.session_state.get(NOTICE_KEY)
        if isinstance(notice, str):
            st.info(i18n.t(notice, lang), icon=":material/timer_off:")
        if st.session_state.get(DROP_COOKIE_KEY):
            _fetch_hidden(f"{SESSION_URL}/end")
        with st.form("netralitas_signin", clear_on_submit=True):
            username = st.text_input(i18n.t("auth.username", lang), key="signin_username")
            password = st.text_input(
                i18n.t("auth.password", lang), type="password", key="signin_password"
            )
            submitted = st.form_submit_button(i18n.t("auth.signin_button", lang), type="primary")
        if not submitted:
            return
        result = auth.authenticate(store, username, password, ip=client_ip())
        if result.status == "ok" and result.user is not None:
            st.session_state[PENDING_USER_KEY] = result.user
            st.rerun()
        if result.status == "locked" and result.locked_until is not None:
            zone = localtime.office_zone()
            until = f"{localtime.to_local(result.locked_until, zone):%H:%M} {zone}"
            st.error(i18n.t("auth.locked", lang, until=until), icon=":material/lock:")
        else:
            st.error(i18n.t("auth.signin_failed", lang), icon=":material/error:")

    pending = st.session_state.pop(PENDING_USER_KEY, None)
    if isinstance(pending, auth.User):
        _start_session(store, pending)
        return pending
    _only(sign_in_page)


def _start_session(store: Store, user: auth.User) -> None:
    """A verified sign-in: a session row, and a ticket for the page to fetch its cookie."""
    bind = _bind()
    session_id = sessions.start(store, user.username, user_agent=_user_agent())
    st.session_state[BIND_KEY] = bind
    st.session_state[SESSION_ID_KEY] = session_id
    st.session_state[TICKET_KEY] = bindings.offer_session(bind, session_id)
    for key in (NOTICE_KEY, DROP_COOKIE_KEY):
        st.session_state.pop(key, None)


def _fetch_hidden(url: str) -> None:
    """Make the browser request ``url`` from this origin (a hidden image): how a run,
    which cannot set cookies itself, has the app server set or drop one."""
    st.html(f'<img src="{url}" alt="" width="1" height="1" style="position:absolute;opacity:0">')


def _hand_cookie() -> None:
    """After a sign-in, until the browser has fetched its session cookie."""
    ticket = st.session_state.get(TICKET_KEY)
    if isinstance(ticket, str) and bindings.ticket_open(ticket):
        with st.sidebar:
            _fetch_hidden(f"{SESSION_URL}?t={ticket}")
    else:
        st.session_state.pop(TICKET_KEY, None)


def _oidc_provider(secrets: Mapping) -> str | None:
    """``st.login()`` for one provider in ``[auth]``, else the first named ``[auth.NAME]``."""
    section = secrets.get("auth") or {}
    if section.get("client_id"):
        return None
    named = [k for k, v in section.items() if isinstance(v, Mapping) and v.get("client_id")]
    return named[0] if named else None


def _oidc(store: Store, secrets: Mapping) -> auth.User:
    if not st.user.get("is_logged_in", False):
        provider = _oidc_provider(secrets)

        def sso_page() -> None:
            lang = _lang()
            st.title(i18n.t("auth.signin_title", lang))
            if st.button(i18n.t("auth.oidc_button", lang), type="primary"):
                if provider:
                    st.login(provider)
                else:
                    st.login()

        _only(sso_page)
    claims = st.user.to_dict()
    role_claim, scope_claim = auth.claim_names(secrets)
    ip = client_ip()
    user = auth.oidc_user(store, claims, role_claim=role_claim, scope_claim=scope_claim, ip=ip)
    email = str(claims.get("email") or "?")
    if user is None:
        if st.session_state.get(OIDC_AUDITED_KEY) != f"denied:{email}":
            audit.record(store, "signin", actor=email.lower(), outcome="denied", ip=ip)
            st.session_state[OIDC_AUDITED_KEY] = f"denied:{email}"

        def denied_page() -> None:
            lang = _lang()
            st.error(i18n.t("auth.oidc_unknown", lang, email=plain(email)))
            st.button(i18n.t("auth.signout", lang), on_click=st.logout)

        _only(denied_page)
    if st.session_state.get(OIDC_AUDITED_KEY) != user.username:
        # the identity provider did the sign-in; record it once per session
        audit.record(
            store, "signin", actor=user.username, ip=ip, detail={"via": "oidc", "role": user.role}
        )
        st.session_state[OIDC_AUDITED_KEY] = user.username
    return user


def _forget_session() -> None:
    """Drop the signed-in state: user, context, binding and every download it made."""
    revoke_downloads()
    bindings.forget(st.session_state.pop(BIND_KEY, None))
    bindings.forget(_bind())
    st.session_state.pop(USER_KEY, None)
    st.session_state.pop(OIDC_AUDITED_KEY, None)
    st.session_state.pop(CTX_KEY, None)
    st.session_state.pop(SESSION_ID_KEY, None)
    st.session_state.pop(TICKET_KEY, None)


def sign_out(everywhere: bool = False) -> None:
    """Forget the user of this session (and end the OIDC session); end its session row, or
    with ``everywhere`` every session of the account, and have the browser drop its cookie."""
    user = st.session_state.get(USER_KEY)
    session_id = st.session_state.get(SESSION_ID_KEY)
    _forget_session()
    if not isinstance(user, auth.User):
        return
    ip = client_ip()
    try:
        store = Store()
        ended: list[str] = []
        if everywhere and user.source == auth.SOURCE_LOCAL:
            ended = sessions.end_all(
                store, user.username, actor=user.username, action="signout", ip=ip,
                detail={"everywhere": True},
            )  # fmt: skip
        elif isinstance(session_id, str):
            ended = sessions.end(store, [session_id], actor=user.username, action="signout", ip=ip)
        if not ended:
            audit.record(store, "signout", actor=user.username, ip=ip)
    except StoreError:
        log.warning("sign-out not recorded: store unavailable")
    st.session_state[DROP_COOKIE_KEY] = True
    if user.source == auth.SOURCE_OIDC:
        st.logout()


def sign_out_everywhere() -> None:
    sign_out(everywhere=True)


def _scope_label(user: auth.User, lang: str, names: Mapping[str, str] | None = None) -> str:
    if user.national:
        return i18n.t("auth.scope_national", lang)
    codes = (*user.provinces, *user.regencies)
    if names is None:
        from dashboard.domain import regions

        names = {c: regions.region_name(c) or c for c in codes}
    return ", ".join(names.get(c, c) for c in codes)


def _sidebar_badge(user: auth.User, mode: str) -> None:
    lang = _lang()
    sb = st.sidebar
    if mode == auth.MODE_SINGLE:
        sb.info(i18n.t("auth.single_user_mode", lang), icon=":material/person:")
        return
    role = i18n.t(f"auth.role.{user.role}", lang)
    sb.caption(i18n.t("auth.signed_in_as", lang, user=plain(user.username), role=role))
    sb.caption(i18n.t("auth.scope", lang, scope=_scope_label(user, lang)))
    sb.button(
        i18n.t("auth.signout", lang),
        on_click=sign_out,
        key="netralitas_signout",
        icon=":material/logout:",
    )
    if user.source == auth.SOURCE_LOCAL:
        sb.button(
            i18n.t("auth.signout_everywhere", lang),
            on_click=sign_out_everywhere,
            key="netralitas_signout_everywhere",
            icon=":material/devices:",
            help=i18n.t("auth.signout_everywhere_help", lang),
        )


def require(ctx: Any, action: str) -> auth.User:
    """Stop the page unless this run's user may do ``action``.

    Pages that need more than viewing aggregates call it first: the navigation hides them
    from other roles, and checking again in the page is defence in depth.
    """
    user = getattr(ctx, "user", None)
    if not isinstance(user, auth.User) or not user.can(action):
        st.error(i18n.t("auth.not_allowed", getattr(ctx, "lang", _lang())), icon=":material/block:")
        st.stop()
    return user


# -- what the user may see -----------------------------------------------------------------------


def visible_regions(user: auth.User, regions: pl.DataFrame) -> pl.DataFrame:
    """Sidebar/URL region options (``code``, ``level``, ``province_code``) within scope.

    A regency-scoped user keeps the parent province as an option (it is where their
    regencies are); the queries still limit it to those regencies.
    """
    if user.national:
        return regions
    provinces = list(user.visible_provinces or ())
    is_province = pl.col("level") == "provinsi"
    return regions.filter(
        (is_province & pl.col("code").is_in(provinces))
        | (~is_province & auth.in_scope_expr(user, "province_code", "code"))
    )


def visible_agencies(user: auth.User, agencies: pl.DataFrame) -> pl.DataFrame:
    """Agency options (``province_code``, ``regency_code``) within scope."""
    if user.national:
        return agencies
    return agencies.filter(auth.in_scope_expr(user, "province_code", "regency_code"))


# -- auditing and errors -------------------------------------------------------------------------


def record(
    store: Store,
    action: str,
    *,
    target: str | None = None,
    detail: Mapping[str, Any] | None = None,
    outcome: str = "ok",
    user: auth.User | None = None,
) -> None:
    """Audit an action of this session's user (call from the script thread)."""
    who = user or st.session_state.get(USER_KEY)
    audit.record(
        store,
        action,
        actor=who.username if isinstance(who, auth.User) else "?",
        outcome=outcome,
        target=target,
        detail=detail,
        ip=client_ip(),
    )


GRANT_SECONDS = 600.0  # a download button works this long after the run that drew it


@dataclass
class DownloadGrant:
    """What a download button was drawn for; checked again when it is clicked."""

    username: str
    role: str
    scope: tuple[str, ...]
    source: str
    issued: float
    revoked: bool = False


def _grant_facts(user: auth.User) -> tuple:
    return (user.username, user.role, user.provinces, user.regencies)


def revoke_downloads() -> None:
    """Every download button of this session stops working and every file held for one is
    dropped, here and at the edge (sign-out, role or scope change, session end)."""
    for grant in st.session_state.get(GRANTS_KEY, []):
        grant.revoked = True
    st.session_state[GRANTS_KEY] = []
    for held in st.session_state.get(HELD_KEY, {}).values():
        held.grant.revoked = True
    st.session_state[HELD_KEY] = {}
    bindings.drop_held(st.session_state.get(BIND_KEY))
    bindings.drop_held(_bind())


def _grant(user: auth.User) -> DownloadGrant:
    grant = DownloadGrant(
        user.username,
        user.role,
        (*user.provinces, *user.regencies),
        user.source,
        time.monotonic(),
    )
    grants = [g for g in st.session_state.get(GRANTS_KEY, []) if not g.revoked]
    st.session_state[GRANTS_KEY] = [*grants[-50:], grant]
    return grant


def grant_refusal(store: Store, grant: DownloadGrant, action: str | None) -> str | None:
    """Why a download may not be made now (None: it may).

    At click time: the session has not signed out or changed role since the button was
    drawn, the button is recent, and the account in the store still has that role and
    scope (a role lowered by an administrator applies at once) and may do ``action``.
    """
    if time.monotonic() - grant.issued > GRANT_SECONDS and not grant.revoked:
        return "expired"
    return holder_refusal(store, grant, action)


def holder_refusal(store: Store, grant: DownloadGrant, action: str | None) -> str | None:
    """Why the rights ``grant`` recorded no longer hold (None: they do): the session has
    not signed out or changed role or scope, the role may do ``action``, and the account
    in the store still has that role and scope."""
    if grant.revoked:
        return "revoked"
    if action is not None and not auth.can(grant.role, action):
        return "not_allowed"
    if grant.source == auth.SOURCE_SINGLE:
        return None
    row = get_user(store, grant.username)
    if row is None:
        return "account_removed" if grant.source == auth.SOURCE_LOCAL else None
    now = auth.User.from_row(row)
    if (now.role, (*now.provinces, *now.regencies)) != (grant.role, grant.scope):
        return "role_changed"
    return None


@dataclass
class HeldFile:
    """A generated file kept in the session for its download button, with the rights it
    was made under (:func:`hold_file`)."""

    name: str
    data: bytes
    mime: str | None
    grant: DownloadGrant
    requires: str | None
    meta: dict[str, Any]


def _facts(grant: DownloadGrant) -> tuple:
    return (grant.username, grant.role, grant.scope)


def hold_file(
    key: str,
    user: auth.User,
    name: str,
    data: bytes,
    mime: str | None,
    *,
    requires: str | None = None,
    **meta: Any,
) -> None:
    """Keep a generated file (letters, a batch) for a download button on later runs, with
    who made it, under which role and scope, and the permission ``requires`` that allowed it.
    :func:`held_file` gives it back only while those rights hold; sign-out, a role or scope
    change and the end of the session drop it (:func:`revoke_downloads`)."""
    grant = DownloadGrant(
        user.username,
        user.role,
        (*user.provinces, *user.regencies),
        user.source,
        time.monotonic(),
    )
    held = dict(st.session_state.get(HELD_KEY, {}))
    held[key] = HeldFile(name, data, mime, grant, requires, dict(meta))
    st.session_state[HELD_KEY] = held


def held_file(store: Store, key: str, user: auth.User) -> HeldFile | None:
    """The file kept under ``key`` if this run's user may still have it: the same account,
    role and scope it was made under, the role may do what it required, and the store
    agrees. Otherwise it is dropped, and the refusal audited; None."""
    held = st.session_state.get(HELD_KEY, {})
    file = held.get(key)
    if not isinstance(file, HeldFile):
        return None
    grant = file.grant
    mine = DownloadGrant(
        user.username, user.role, (*user.provinces, *user.regencies), user.source, 0.0
    )
    refusal = "other_rights" if _facts(grant) != _facts(mine) else None
    refusal = refusal or holder_refusal(store, grant, file.requires)
    if refusal is None:
        return file
    st.session_state[HELD_KEY] = {k: v for k, v in held.items() if k != key}
    audit.record(
        store,
        "download",
        actor=user.username,
        target=key,
        outcome="denied",
        detail={"reason": refusal, "made_by": grant.username, "file": file.name},
        ip=client_ip(),
    )
    return None


def edge_keeper(requires: str | None) -> Callable[[Any], Any]:
    """What a download button passes its file through: the edge (``dashboard.web.asgi``)
    then serves those bytes only to this browser while this run's user keeps the rights
    (account, role, scope, ``requires``) it is made under. Any other fetch is refused."""
    user = st.session_state.get(USER_KEY)
    bind = _bind()
    if not isinstance(user, auth.User) or bind is None:
        return lambda data: data
    facts = bindings.Held(
        user.username, user.role, (*user.provinces, *user.regencies), user.source, requires
    )

    def keep(data: Any) -> Any:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if isinstance(raw, bytes | bytearray):
            bindings.hold(bind, bytes(raw), facts)
        return data

    return keep


def audited_download(
    store: Store,
    user: auth.User,
    make: Callable[[], tuple[bytes, int]],
    *,
    target: str,
    detail: Mapping[str, Any],
    action: str = "download",
    requires: str | None = None,
) -> Callable[[], bytes]:
    """Wrap a deferred ``st.download_button`` callable: check, build the file, audit it.

    Streamlit runs the callable outside the script run when the button is clicked, so the
    user and address are captured now, in a grant that sign-out or a role change revokes
    and that the click checks against the store again (:func:`grant_refusal`). A refused
    click is audited and produces no file. ``make`` returns (file bytes, number of rows);
    ``requires`` is the permission the file needs (None: any signed-in role).
    """
    ip = client_ip()
    grant = _grant(user)
    scope = list(user.visible_provinces or [])

    def build() -> bytes:
        refusal = grant_refusal(store, grant, requires)
        if refusal is not None:  # the one refusal: audited as denied, raised as Refused
            refuse(
                store,
                action,
                refusal,
                actor=user.username,
                ip=ip,
                target=target,
                detail={**detail, "scope": scope},
            )
        data, rows = make()
        audit.record(
            store,
            action,
            actor=user.username,
            target=target,
            detail={**detail, "rows": rows, "scope": scope},
            ip=ip,
        )
        return data

    return build


def guarded(run: Callable[[], Any], lang: str | None = None) -> None:
    """Run a page; an error is logged with its trace server-side, the reader gets a notice.

    The log names the exception type and the frames, not the message (it may hold data).

    Streamlit's own control flow (``st.rerun``, ``st.stop``) derives from BaseException
    and passes through untouched.
    """
    try:
        run()
    except Exception as exc:
        ref = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S%f")
        # where it failed, not the message: messages can quote cell values (names, NIPs)
        trace = "".join(traceback.format_tb(exc.__traceback__))
        log.error("page failed (ref %s): %s\n%s", ref, type(exc).__name__, trace)
        st.error(i18n.t("auth.error_generic", lang or _lang(), ref=ref), icon=":material/error:")
