"""The audit trail: sign-ins, uploads, rollbacks, downloads of personal data, user changes.

Who, when, what, from where — never the secret or the personal data itself. ``detail`` is
a small JSON object of counts, codes and ids; keys that look like secrets are refused
outright (a programming error), and anything shaped like an 18-digit NIP is masked, so a
careless caller cannot turn the audit log into a copy of the roster.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import re
import uuid
from collections.abc import Mapping

import polars as pl

from dashboard.queries import accounts
from dashboard.store import database as store_mod
from dashboard.store.database import Store
from schemas.vocab import AUDIT_ACTIONS, AUDIT_CHANNELS, AUDIT_OUTCOMES

_SECRET_KEY = re.compile(r"pass|token|secret|hash|cookie|credential|otp", re.IGNORECASE)
_NIP = re.compile(r"\d{18}")
MAX_TEXT = 200


class AuditError(ValueError):
    """A caller tried to put a secret into the audit trail."""


def _clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    text = _NIP.sub(lambda m: m.group(0)[:6] + "*" * 10 + m.group(0)[-2:], str(value))
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text[:MAX_TEXT]


def _clean_detail(detail: Mapping | None) -> str | None:
    if not detail:
        return None
    for key in detail:
        if _SECRET_KEY.search(str(key)):
            raise AuditError(f"audit detail key {key!r} looks like a secret; not recorded")

    def clean(v: object) -> object:
        if v is None or isinstance(v, bool | int | float):
            return v
        if isinstance(v, list | tuple):
            return [clean(x) for x in v][:50]
        return _clean_text(str(v))

    return json.dumps({str(k): clean(v) for k, v in detail.items()}, ensure_ascii=False)


def rows(
    action: str,
    *,
    actor: str,
    outcome: str = "ok",
    target: str | None = None,
    detail: Mapping | None = None,
    ip: str | None = None,
    channel: str = "web",
    at: dt.datetime | None = None,
) -> pl.DataFrame:
    """One audit row, cleaned, ready for :func:`dashboard.store.writes.append_audit` (or to be
    written in the same transaction as the change it records)."""
    if action not in AUDIT_ACTIONS:
        raise AuditError(f"unknown audit action {action!r}")
    if outcome not in AUDIT_OUTCOMES or channel not in AUDIT_CHANNELS:
        raise AuditError(f"bad outcome/channel {outcome!r}/{channel!r}")
    return pl.DataFrame(
        [
            {
                "event_id": uuid.uuid4().hex,
                "occurred_at": at or dt.datetime.now(dt.UTC).replace(tzinfo=None),
                "actor": _clean_text(actor) or "?",
                "action": action,
                "outcome": outcome,
                "target": _clean_text(target),
                "detail": _clean_detail(detail),
                "ip": _clean_text(ip),
                "channel": channel,
            }
        ]
    )


def record(
    store: Store,
    action: str,
    *,
    actor: str,
    outcome: str = "ok",
    target: str | None = None,
    detail: Mapping | None = None,
    ip: str | None = None,
    channel: str = "web",
) -> None:
    """Append one event to the audit trail (its own transaction)."""
    store_mod.append_audit(
        store,
        rows(
            action,
            actor=actor,
            outcome=outcome,
            target=target,
            detail=detail,
            ip=ip,
            channel=channel,
        ),
    )


def cli_actor() -> str:
    """The CLI acts as the operating-system user running it."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:?"


def log(
    store: Store,
    *,
    since: dt.datetime | None = None,
    actions: tuple[str, ...] = (),
    limit: int | None = None,
) -> pl.DataFrame:
    """The trail, newest first (for the admin page and ``netralitas audit``)."""
    return accounts.audit_rows(store, since=since, actions=actions, limit=limit)
