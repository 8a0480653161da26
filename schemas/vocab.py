"""Controlled vocabularies shared by every table.

Kept apart from the table schemas because uploads, queries and the UI all
need the same lists, and one list per concept avoids drift.
"""

from __future__ import annotations

REGION_LEVELS = ("provinsi", "kabupaten", "kota")

AGENCY_LEVELS = ("pusat", "provinsi", "kabupaten", "kota")

AGENCY_KINDS = (
    "kementerian",
    "lembaga",
    "pemerintah_daerah",
    "sekretariat",
    "dinas",
    "badan",
    "inspektorat",
    "kecamatan",
    "kantor",
    "lainnya",
)

# Ordered from the top of the hierarchy down; "pejabat_negara" is an elected
# office (governor, regent, mayor and deputies): not ASN, no NIP. The level is
# optional in an upload: a position whose level neither the file gives nor its title
# implies is stored as POSITION_LEVEL_UNKNOWN, a category of its own in every breakdown.
POSITION_LEVEL_UNKNOWN = "tidak_diketahui"
POSITION_LEVELS = (
    "pejabat_negara",
    "jpt_madya",
    "jpt_pratama",
    "administrator",
    "pengawas",
    "fungsional",
    "pelaksana",
    "pppk",
    POSITION_LEVEL_UNKNOWN,
)

EVENT_KINDS = ("pakta", "ikrar", "pakta_ikrar")

DATE_PRECISIONS = ("day", "month", "year")

UPLOAD_MODES = ("replace", "append")
# roster: officials with their signature status; sasaran: a target roster without status
# (e.g. SIASN's "Export Data ASN"); tanda_tangan: a signature list matched to the target by NIP
UPLOAD_KINDS = ("roster", "events", "seed", "demo", "sasaran", "tanda_tangan")
# the kinds an uploader may roll back (built-in seed / demo rows cannot be)
ROLLBACK_KINDS = ("roster", "events", "sasaran", "tanda_tangan")

# ASN by employment: civil servant (NIP) or contract ASN (PPPK, an NI built differently)
JENIS_ASN = ("PNS", "PPPK")
# what a signature list records per person: the pact, the pledge (or both: two rows)
SIGNATURE_MEASURES = ("pakta", "ikrar")
UPLOAD_STATUSES = ("committed", "rolled_back")

# Where a compliance figure comes from.
SOURCE_ROSTER = "roster"
SOURCE_REPORT = "laporan"
SOURCE_DEMO = "demo"

# --- access control ---
# Ordered from least to most privileged; each role includes the ones before it.
ROLES = ("viewer", "analyst", "uploader", "admin")
# Where a user's identity comes from: the store's user table or an OIDC provider.
USER_SOURCES = ("local", "oidc")
# Audit trail: what happened, and how it ended.
AUDIT_ACTIONS = (
    "signin",
    "signout",
    "upload",
    "rollback",
    "download",
    "personal_data",
    "user.add",
    "user.remove",
    "user.role",
    "user.scope",
    "user.password",
    "user.unlock",
    "session.revoke",
    "audit.export",
    "letter.generate",
    "letter.sent",
    "letter.settings",
    "followup.step",
    "followup.deadline",
    "followup.contact",
    "reminder.send",
)
AUDIT_OUTCOMES = ("ok", "failure", "locked", "denied")
AUDIT_CHANNELS = ("web", "cli")

# --- follow-up (deadlines, letters, reminders) ---
# a campaign is the measure being chased: the pact or the pledge
FOLLOWUP_CAMPAIGNS = ("pakta", "ikrar")
# the named steps, in order; an agency with no step recorded is at the first
FOLLOWUP_STEPS = ("not_followed_up", "reminder_1", "reminder_2", "referred", "done")
LETTER_FORMATS = ("docx", "pdf")
LETTER_STATUSES = ("generated", "sent")
REMINDER_STATUSES = ("sent", "failed")
