"""pandera schemas: the single source of truth for table and column names, types and rules.

Every other module refers to columns as ``Officials.nip`` (a plain string)
rather than repeating ``"nip"``. The models are imported lazily: pandera pulls
in pandas (~2 s), which read-only paths such as ``netralitas summary`` do not
need; ``schemas.vocab`` stays importable on its own.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemas.agencies import Agencies
    from schemas.agency_contacts import AgencyContacts
    from schemas.audit_log import AuditLog
    from schemas.events import Events
    from schemas.followup_deadlines import FollowupDeadlines
    from schemas.followup_letters import FollowupLetters
    from schemas.followup_steps import FollowupSteps
    from schemas.letter_settings import LetterSettings
    from schemas.officials import Officials
    from schemas.regions import RegionAliases, Regions
    from schemas.reminder_sends import ReminderSends
    from schemas.signature_reports import SignatureReports
    from schemas.signatures import Signatures
    from schemas.uploads import Uploads
    from schemas.user_sessions import UserSessions
    from schemas.users import Users

_MODELS = {
    "Regions": "schemas.regions",
    "RegionAliases": "schemas.regions",
    "Agencies": "schemas.agencies",
    "Events": "schemas.events",
    "Officials": "schemas.officials",
    "SignatureReports": "schemas.signature_reports",
    "Signatures": "schemas.signatures",
    "Uploads": "schemas.uploads",
    "Users": "schemas.users",
    "AuditLog": "schemas.audit_log",
    # follow-up: deadlines, steps, letters, reminders
    "FollowupDeadlines": "schemas.followup_deadlines",
    "FollowupSteps": "schemas.followup_steps",
    "FollowupLetters": "schemas.followup_letters",
    "ReminderSends": "schemas.reminder_sends",
    "AgencyContacts": "schemas.agency_contacts",
    "LetterSettings": "schemas.letter_settings",
    "UserSessions": "schemas.user_sessions",
}

# table name in the store -> schema class name
TABLE_MODELS = {
    "regions": "Regions",
    "region_aliases": "RegionAliases",
    "agencies": "Agencies",
    "events": "Events",
    "officials": "Officials",
    "signature_reports": "SignatureReports",
    "signatures": "Signatures",
    "uploads": "Uploads",
    "users": "Users",
    "audit_log": "AuditLog",
    # follow-up: deadlines, steps, letters, reminders
    "followup_deadlines": "FollowupDeadlines",
    "followup_steps": "FollowupSteps",
    "followup_letters": "FollowupLetters",
    "reminder_sends": "ReminderSends",
    "agency_contacts": "AgencyContacts",
    "letter_settings": "LetterSettings",
    "user_sessions": "UserSessions",
}


def __getattr__(name: str) -> Any:
    if name in _MODELS:
        return getattr(importlib.import_module(_MODELS[name]), name)
    if name == "TABLES":
        return {table: __getattr__(model) for table, model in TABLE_MODELS.items()}
    raise AttributeError(name)


__all__ = [
    "TABLES",
    "TABLE_MODELS",
    "Agencies",
    "AgencyContacts",
    "AuditLog",
    "Events",
    "FollowupDeadlines",
    "FollowupLetters",
    "FollowupSteps",
    "LetterSettings",
    "ReminderSends",
    "Officials",
    "RegionAliases",
    "Regions",
    "SignatureReports",
    "Signatures",
    "Uploads",
    "UserSessions",
    "Users",
]
