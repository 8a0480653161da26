"""The one refusal: what every check of the access layer raises, after auditing it.

Every sensitive action (uploads, names and NIPs, downloads, follow-up, accounts, held files)
is checked on the server against the permission table (:data:`dashboard.access.auth.ALLOWED`)
and the scope rule; a "no" from any of them goes through :func:`refuse`, so each refusal is
one ``denied`` row of the audit trail with the same shape, and one exception type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NoReturn

from dashboard.access import audit
from dashboard.store.database import Store


class Refused(PermissionError):
    """The caller may not do this; the refusal is already in the audit trail. The message
    names the action and the reason, never data (it may be shown to the caller)."""

    def __init__(self, action: str, reason: str) -> None:
        super().__init__(f"{action}: not allowed ({reason})")
        self.action = action
        self.reason = reason


def refuse(
    store: Store,
    action: str,
    reason: str,
    *,
    actor: str,
    channel: str = "web",
    ip: str | None = None,
    target: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> NoReturn:
    """Audit the refusal of ``action`` (outcome ``denied``) and raise :class:`Refused`."""
    audit.record(
        store,
        action,
        actor=actor,
        outcome="denied",
        target=target,
        detail={"reason": reason, **(detail or {})},
        ip=ip,
        channel=channel,
    )
    raise Refused(action, reason)
