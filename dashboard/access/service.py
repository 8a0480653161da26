"""The one gate for sensitive actions, for the web pages and the CLI alike.

One function per action: commit an upload, roll one back, read names and NIPs, download
the unsigned list, change accounts. Each checks the caller's role and scope here, on the
server, against the resource itself (the rows an upload would write, the rows a stored
upload wrote, the regions a list asks for), never against what a widget offered; then
does the action and writes one audit event whose shape does not depend on the channel.
A refusal is audited with outcome ``denied`` and raised as
:class:`~dashboard.access.gate.Refused`, the one refusal of the access layer.

Names and NIPs are never the default: every read takes ``personal=False`` unless asked.
Reading them on screen is audited only when refused (pages re-run on every click; the
successful reads that leave the app, downloads, are always audited).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NoReturn, TypedDict, TypeVar, Unpack

import polars as pl

from dashboard import queries
from dashboard.access import audit, auth, sessions, upload_scope
from dashboard.access.gate import refuse
from dashboard.domain.scope import polars_expr
from dashboard.ingest.checks import AGENCY_PROVINCE, UploadReport
from dashboard.ingest.events import EventReport, commit_events
from dashboard.ingest.roster import RosterReport, commit_roster
from dashboard.queries.filters import Filters
from dashboard.store.database import CommitResult, Store, UploadError
from dashboard.store.database import rollback_upload as _rollback
from schemas import Officials
from schemas.vocab import AUDIT_CHANNELS

T = TypeVar("T")
PERSONAL_DATA = "personal_data"  # audit action of a refused read of names and NIPs
UNSIGNED_LIST = "unsigned_list"  # audit target of unsigned-list downloads


@dataclass(frozen=True)
class Caller:
    """Who asks, and through which door (``web`` or ``cli``)."""

    user: auth.User
    channel: str = "web"

    def __post_init__(self) -> None:
        if self.channel not in AUDIT_CHANNELS:
            raise ValueError(f"channel must be one of {AUDIT_CHANNELS}")

    @property
    def actor(self) -> str:
        return self.user.username


def web_caller(user: auth.User | None) -> Caller:
    """The caller of a page run; no signed-in user is treated as a viewer."""
    return Caller(user or auth.User("?", "viewer"), channel="web")


def cli_caller() -> Caller:
    """The CLI runs as the operating-system user with shell access to the store: an admin."""
    return Caller(auth.User(audit.cli_actor(), "admin"), channel="cli")


class _Event(TypedDict, total=False):
    outcome: str
    target: str | None
    detail: dict[str, object] | None


def _audit(store: Store, caller: Caller, action: str, **event: Unpack[_Event]) -> None:
    """The one audit event of an action, the same shape from every channel."""
    audit.record(
        store, action, actor=caller.actor, channel=caller.channel, ip=caller.user.ip, **event
    )


def _deny(
    store: Store,
    caller: Caller,
    action: str,
    reason: str,
    *,
    target: str | None = None,
    detail: dict[str, object] | None = None,
) -> NoReturn:
    refuse(
        store,
        action,
        reason,
        actor=caller.actor,
        channel=caller.channel,
        ip=caller.user.ip,
        target=target,
        detail=detail,
    )


def _require(
    store: Store, caller: Caller, permission: str, action: str, target: str | None = None
) -> None:
    if not caller.user.can(permission):
        _deny(store, caller, action, "role", target=target, detail={"role": caller.user.role})


# -- uploads -----------------------------------------------------------------------------------


def _upload_detail(report: UploadReport, rows: int) -> dict[str, object]:
    kind = "roster" if isinstance(report, RosterReport) else "events"
    kind = {"TargetReport": "sasaran", "SignatureReport": "tanda_tangan"}.get(
        type(report).__name__, kind
    )
    mode = report.mode if isinstance(report, RosterReport) else "append"
    return {
        "kind": kind,
        "mode": mode,
        "rows": report.rows,
        "valid_rows": report.valid_rows,
        "accepted": rows,
        "sha256": report.raw.sha256[:16],
    }


def commit_upload(
    store: Store,
    caller: Caller,
    report: UploadReport,
    *,
    accept_valid: bool = False,
    uploaded_by: str | None = None,
) -> CommitResult:
    """Commit a checked roster or events file as one upload, if every row it would write
    lies in the caller's scope, and so does its agency (rows outside are errors already
    when the report went through :func:`upload_scope.refuse_out_of_scope`; this checks
    the rows that would be written, whatever the page did).
    ``uploaded_by`` is the name recorded on the upload (default: the caller)."""
    target = report.raw.sha256[:16]
    _require(store, caller, auth.UPLOAD, "upload", target)
    rows = report.accepted(accept_valid)
    scope = caller.user.scope
    from dashboard.ingest.siasn import TargetReport, commit_target
    from dashboard.ingest.signatures import SignatureReport, commit_signatures

    if scope is not None and isinstance(report, SignatureReport):
        # a list names people, not places: only a national account may send one
        _deny(store, caller, "upload", "scope", target=target, detail={"kind": "tanda_tangan"})
    if scope is not None and rows.height:
        # the rows' own places, and the area of the agency each belongs to
        inside = polars_expr(scope, Officials.province_code, Officials.regency_code)
        if AGENCY_PROVINCE in rows.columns:
            inside = inside & upload_scope.agency_in_scope_expr(caller.user)
        outside = rows.filter(~inside).height
        if outside:
            _deny(store, caller, "upload", "scope", target=target, detail={"outside": outside})
    by = uploaded_by or caller.actor
    if isinstance(report, TargetReport):
        result = commit_target(report, store, accept_valid=accept_valid, uploaded_by=by)
    elif isinstance(report, SignatureReport):
        result = commit_signatures(report, store, accept_valid=accept_valid, uploaded_by=by)
    elif isinstance(report, RosterReport):
        result = commit_roster(report, store, accept_valid=accept_valid, uploaded_by=by)
    elif isinstance(report, EventReport):
        result = commit_events(report, store, accept_valid=accept_valid, uploaded_by=by)
    else:
        raise TypeError(f"not a checked upload: {type(report).__name__}")
    if result.upload_id:
        _audit(
            store,
            caller,
            "upload",
            target=result.upload_id,
            detail=_upload_detail(report, rows.height),
        )
    return result


def rollback_upload(store: Store, caller: Caller, upload_id: str) -> dict[str, int]:
    """Undo a committed upload when every row it wrote, and its agencies, lie in scope.

    The scope is checked against the upload as stored (:func:`queries.upload_places`), so
    an id typed by hand is refused exactly like one no list offered.
    """
    _require(store, caller, auth.ROLLBACK, "rollback", upload_id)
    if queries.upload_kind(store, upload_id) is not None and not upload_scope.upload_in_scope(
        store, caller.user, upload_id
    ):
        _deny(store, caller, "rollback", "scope", target=upload_id)
    try:
        counts = _rollback(store, upload_id)
    except UploadError:
        _audit(store, caller, "rollback", outcome="failure", target=upload_id)
        raise
    _audit(store, caller, "rollback", target=upload_id, detail=dict(counts))
    return counts


# -- the unsigned list and personal data ----------------------------------------------------------


def _requested_outside(user: auth.User, f: Filters) -> list[str]:
    """Regions ``f`` asks for that lie outside the user's scope."""
    if user.national:
        return []
    return [p for p in f.provinces if not user.sees_province(p)] + [
        r for r in f.regencies if not user.sees_regency(r)
    ]


def _scoped_filters(
    store: Store, caller: Caller, f: Filters, action: str, target: str | None
) -> Filters:
    outside = _requested_outside(caller.user, f)
    if outside:
        _deny(store, caller, action, "scope", target=target, detail={"regions": outside})
    return auth.scope_filters(caller.user, f)


class ListPage(TypedDict, total=False):
    """Which page of the list and what narrows it (as in :func:`queries.unsigned_officials`)."""

    offset: int
    limit: int | None
    search: str | None


def unsigned_officials(
    store: Store, caller: Caller, f: Filters, *, personal: bool = False, **page: Unpack[ListPage]
) -> pl.DataFrame:
    """One page of the unsigned list within the caller's scope; names and NIPs only when
    asked for (``personal=True``) and allowed (analyst and above)."""
    if personal:
        _require(store, caller, auth.VIEW_PERSONAL_DATA, PERSONAL_DATA, UNSIGNED_LIST)
        f = _scoped_filters(store, caller, f, PERSONAL_DATA, UNSIGNED_LIST)
    else:  # counts and positions only: the scope narrows the view, nothing to refuse
        f = auth.scope_filters(caller.user, f)
    return queries.unsigned_officials(store, f, personal=personal, **page)


def download_unsigned(
    store: Store,
    caller: Caller,
    f: Filters,
    *,
    file_format: str,
    search: str | None = None,
    personal: bool = False,
) -> pl.DataFrame:
    """The whole unsigned list for a file, within scope; audited with its size."""
    if personal:
        _require(store, caller, auth.DOWNLOAD_PERSONAL_DATA, "download", UNSIGNED_LIST)
    scoped = _scoped_filters(store, caller, f, "download", UNSIGNED_LIST)
    df = queries.unsigned_officials(store, scoped, limit=None, search=search, personal=personal)
    _audit(
        store,
        caller,
        "download",
        target=UNSIGNED_LIST,
        detail={
            "format": file_format,
            "measure": scoped.measure,
            "filtered": bool(search),
            "personal": personal,
            "rows": df.height,
            "scope": list(caller.user.visible_provinces or []),
        },
    )
    return df


# -- accounts --------------------------------------------------------------------------------------


class NewAccount(TypedDict, total=False):
    """What :func:`auth.add_user` takes besides the name and role."""

    password: str | None
    email: str | None
    provinces: Iterable[str]
    regencies: Iterable[str]
    source: str


def _change(
    store: Store,
    caller: Caller,
    action: str,
    change: Callable[..., T],
    username: str,
    *args: object,
    **kwargs: object,
) -> T:
    """Check that the caller manages accounts, then make the change (it audits itself)."""
    _require(store, caller, auth.MANAGE_USERS, action, username)
    return change(
        store, username, *args, actor=caller.actor, channel=caller.channel, ip=caller.user.ip,
        **kwargs,
    )  # fmt: skip


def add_user(
    store: Store, caller: Caller, username: str, role: str, **account: Unpack[NewAccount]
) -> auth.User:
    return _change(store, caller, "user.add", auth.add_user, username, role, **account)


def remove_user(store: Store, caller: Caller, username: str) -> None:
    _change(store, caller, "user.remove", auth.remove_user, username)
    _end_sessions_of(store, caller, username, "account_removed")


def set_role(store: Store, caller: Caller, username: str, role: str) -> auth.User:
    return _change(store, caller, "user.role", auth.set_role, username, role)


def set_scope(
    store: Store,
    caller: Caller,
    username: str,
    *,
    provinces: Iterable[str] = (),
    regencies: Iterable[str] = (),
) -> auth.User:
    return _change(
        store, caller, "user.scope", auth.set_scope, username,
        provinces=provinces, regencies=regencies,
    )  # fmt: skip


def set_password(store: Store, caller: Caller, username: str, password: str) -> None:
    """New password; the account's sessions end (whoever knew the old one is signed out)."""
    _change(store, caller, "user.password", auth.set_password, username, password)
    _end_sessions_of(store, caller, username, "password_changed")


def unlock_user(store: Store, caller: Caller, username: str) -> None:
    _change(store, caller, "user.unlock", auth.unlock_user, username)


# -- sessions ----------------------------------------------------------------------------------


def _end_sessions_of(store: Store, caller: Caller, username: str, reason: str) -> None:
    """After an account change that must sign it out everywhere (audited when any ended)."""
    name = auth.normalise_username(username) or username
    sessions.end_all(
        store, name, actor=caller.actor, channel=caller.channel, ip=caller.user.ip,
        detail={"reason": reason},
    )  # fmt: skip


def revoke_sessions(
    store: Store,
    caller: Caller,
    *,
    session_ids: Iterable[str] = (),
    username: str | None = None,
) -> list[str]:
    """End sessions by id, or every live session of ``username``; returns those ended.
    Only account managers may; the ending is audited as ``session.revoke``."""
    ids = list(session_ids)
    _require(store, caller, auth.MANAGE_USERS, "session.revoke", username or ",".join(ids))
    actor, channel, ip = caller.actor, caller.channel, caller.user.ip
    if username is not None:
        return sessions.end_all(store, username, actor=actor, channel=channel, ip=ip)
    return sessions.end(store, ids, actor=actor, channel=channel, ip=ip)
