"""Who may do what, on which provinces: roles, scope, passwords and lock-out (no Streamlit).

- Roles are ordered (``viewer`` < ``analyst`` < ``uploader`` < ``admin``); :data:`PERMISSIONS`
  is the one permission matrix, asked through :func:`can`.
- Scope is a set of provinces and/or regencies; none means national; the rule itself lives
  in :mod:`dashboard.domain.scope`. :func:`scope_filters`
  turns it into ``Filters.scope_provinces`` / ``scope_regencies`` so every query honours it
  no matter what the sidebar or the URL asks for; :func:`split_by_scope` checks upload rows.
- Passwords are kept only as Argon2id hashes. Failed sign-ins are counted from the audit
  trail in the store (:func:`dashboard.queries.accounts.recent_signin_failures`), so a lock-out
  survives restarts and holds across sessions and processes.
- Sign-in is configured by OIDC (``[auth]`` in ``.streamlit/secrets.toml``) or by local
  accounts in the store; with neither, only a single local user on loopback is served.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from dashboard.access import audit
from dashboard.domain import scope as scope_rule
from dashboard.domain.scope import Scope
from dashboard.queries import accounts
from dashboard.queries.filters import Filters
from dashboard.store import database as store_mod
from dashboard.store.database import Store
from schemas.vocab import ROLES

# -- roles and permissions -------------------------------------------------------------------

VIEW_AGGREGATES = "view_aggregates"  # counts, rates, maps, masked NIPs
VIEW_PERSONAL_DATA = "view_personal_data"  # names and full NIPs on screen
DOWNLOAD_PERSONAL_DATA = "download_personal_data"  # unsigned lists as CSV/XLSX (audited)
LETTERS_WITH_NAMES = "letters_with_names"  # a follow-up letter's attachment of names and NIPs
FOLLOWUP_ACT = "followup_act"  # record a step, mark a letter sent, deadlines, contacts
UPLOAD = "upload"  # roster uploads, within scope
ROLLBACK = "rollback"  # undo an upload, within scope
MANAGE_USERS = "manage_users"
VIEW_AUDIT = "view_audit"
MANAGE_BOUNDARIES = "manage_boundaries"
LETTER_SETTINGS = "letter_settings"  # letterhead, signer, numbering

# The one permission table: each action, the roles that may do it. Roles mostly include the
# one before; the exception is deliberate: an uploader sends rosters in and chases, but
# letters carry names only for analysts and admins.
ALLOWED: dict[str, frozenset[str]] = {
    VIEW_AGGREGATES: frozenset({"viewer", "analyst", "uploader", "admin"}),
    VIEW_PERSONAL_DATA: frozenset({"analyst", "uploader", "admin"}),
    DOWNLOAD_PERSONAL_DATA: frozenset({"analyst", "uploader", "admin"}),
    LETTERS_WITH_NAMES: frozenset({"analyst", "admin"}),
    FOLLOWUP_ACT: frozenset({"analyst", "uploader", "admin"}),
    UPLOAD: frozenset({"uploader", "admin"}),
    ROLLBACK: frozenset({"uploader", "admin"}),
    MANAGE_USERS: frozenset({"admin"}),
    VIEW_AUDIT: frozenset({"admin"}),
    MANAGE_BOUNDARIES: frozenset({"admin"}),
    LETTER_SETTINGS: frozenset({"admin"}),
}
ACTIONS = tuple(ALLOWED)
PERMISSIONS: dict[str, frozenset[str]] = {
    role: frozenset(a for a, roles in ALLOWED.items() if role in roles) for role in ROLES
}


def can(role: str | None, action: str) -> bool:
    """Whether ``role`` may do ``action``; unknown roles and actions may do nothing."""
    if action not in ALLOWED:
        raise ValueError(f"unknown action {action!r}")
    return action in PERMISSIONS.get(role or "", frozenset())


# -- users and scope ---------------------------------------------------------------------------

SOURCE_LOCAL = "local"
SOURCE_OIDC = "oidc"
SOURCE_SINGLE = "single"  # no sign-in configured: the one local user on loopback
SINGLE_USER = "local"
normalise_scope = scope_rule.normalise


def _split_codes(text: str | None) -> tuple[str, ...]:
    return tuple(c for c in (text or "").split(",") if c)


@dataclass(frozen=True)
class User:
    """A signed-in person: role plus scope (both empty = national)."""

    username: str
    role: str
    provinces: tuple[str, ...] = ()
    regencies: tuple[str, ...] = ()
    source: str = SOURCE_LOCAL
    email: str | None = None
    display_name: str | None = None
    # Streamlit-side only: where the session comes from (for the audit trail)
    ip: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        provs, kabs = normalise_scope(self.provinces, self.regencies)
        object.__setattr__(self, "provinces", provs)
        object.__setattr__(self, "regencies", kabs)

    def can(self, action: str) -> bool:
        return can(self.role, action)

    @property
    def scope(self) -> Scope | None:
        """The user's access scope (None: national)."""
        return scope_rule.scope_of(self.provinces, self.regencies)

    @property
    def national(self) -> bool:
        return self.scope is None

    @property
    def visible_provinces(self) -> tuple[str, ...] | None:
        """Provinces the user sees anything of (None = all)."""
        scope = self.scope
        return None if scope is None else scope.visible_provinces

    def sees_province(self, code: str) -> bool:
        return self.national or code in (self.visible_provinces or ())

    def sees_regency(self, code: str) -> bool:
        return scope_rule.contains(self.scope, code[:2], code)

    @classmethod
    def from_row(cls, row: Mapping, *, source: str | None = None) -> User:
        """From a ``users`` table row (``dashboard.queries.accounts.get_user``)."""
        return cls(
            username=row["username"],
            role=row["role"],
            provinces=_split_codes(row.get("scope_provinces")),
            regencies=_split_codes(row.get("scope_regencies")),
            source=source or row.get("source") or SOURCE_LOCAL,
            email=row.get("email"),
        )


def single_user() -> User:
    """The one local user when nothing is configured (the demo experience on loopback)."""
    return User(username=SINGLE_USER, role="admin", source=SOURCE_SINGLE)


def scope_filters(user: User, filters: Filters) -> Filters:
    """``filters`` limited to what ``user`` may see: the scope the queries always apply.

    UI filters outside the scope are dropped (so a hand-edited URL cannot widen the view),
    an empty province filter becomes the scope's provinces, and the scope fields are set
    from the user, never taken from the request.
    """
    if user.national:
        return replace(filters, scope_provinces=None, scope_regencies=None)
    visible = user.visible_provinces or ()
    # "all" means all the user may see: pages then draw the scope's provinces (maps at
    # regency level, briefing titled by province), not a national frame of empty regions
    provinces = tuple(p for p in filters.provinces if p in visible) or visible
    return replace(
        filters,
        provinces=provinces,
        regencies=tuple(r for r in filters.regencies if user.sees_regency(r)),
        scope_provinces=visible,
        scope_regencies=user.regencies or None,
    )


def in_scope_expr(user: User, province: str | pl.Expr, regency: str | pl.Expr) -> pl.Expr:
    """Boolean expression: the row's province/regency is inside the user's scope
    (:mod:`dashboard.domain.scope`)."""
    return scope_rule.polars_expr(user.scope, province, regency)


def split_by_scope(
    user: User, df: pl.DataFrame, province: str = "province_code", regency: str = "regency_code"
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows inside the scope, rows outside it) of an upload; outside rows are refused."""
    if user.national:
        return df, df.clear()
    mask = df.select(in_scope_expr(user, province, regency).alias("_in"))["_in"]
    return df.filter(mask), df.filter(~mask)


# -- personal data -----------------------------------------------------------------------------

NIP_MASK_KEEP = (6, 2)  # birth year+month shown, last two digits shown


def mask_nip(nip: str | None) -> str | None:
    """``198001012005011001`` -> ``198001**********01``: recognisable, not identifying."""
    if nip is None:
        return None
    head, tail = NIP_MASK_KEEP
    if len(nip) <= head + tail:
        return "*" * len(nip)
    return nip[:head] + "*" * (len(nip) - head - tail) + nip[-tail:]


def mask_nip_expr(col: str | pl.Expr) -> pl.Expr:
    """:func:`mask_nip` as a Polars expression (same output, columnar)."""
    c = pl.col(col) if isinstance(col, str) else col
    head, tail = NIP_MASK_KEEP
    n = c.str.len_chars()
    return (
        pl.when(n <= head + tail)
        .then(pl.lit("*").repeat_by(n).list.join(""))
        .otherwise(
            c.str.slice(0, head)
            + pl.lit("*").repeat_by(n - head - tail).list.join("")
            + c.str.slice(-tail, tail)
        )
        .alias(c.meta.output_name())
    )


MIN_CELL = 3  # counts shown to roles without personal data: smaller cells are suppressed


@dataclass(frozen=True)
class Suppressed:
    """Counts fit for a role that may not see people, and what was held back."""

    cells: pl.DataFrame  # only cells of at least MIN_CELL people
    hidden_cells: int
    hidden_people: int


def suppress_small_cells(df: pl.DataFrame, count: str, min_cell: int = MIN_CELL) -> Suppressed:
    """Drop cells of fewer than ``min_cell`` people: "1 unsigned Eselon II in agency X"
    names a person as surely as a name does."""
    small = pl.col(count) < min_cell
    hidden = df.filter(small)
    return Suppressed(
        cells=df.filter(~small),
        hidden_cells=hidden.height,
        hidden_people=int(hidden[count].sum()) if hidden.height else 0,
    )


# -- passwords and lock-out ----------------------------------------------------------------------

_HASHER = PasswordHasher()  # Argon2id, RFC 9106 low-memory profile
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class LockoutPolicy:
    """``max_failures`` failed sign-ins within ``window`` lock the account until the oldest
    of them leaves the window."""

    max_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)


def policy_from_env() -> LockoutPolicy:
    """Lock-out policy, adjustable by ``NETRALITAS_LOCKOUT_FAILURES`` / ``..._MINUTES``."""
    base = LockoutPolicy()
    return LockoutPolicy(
        max_failures=int(os.environ.get("NETRALITAS_LOCKOUT_FAILURES", base.max_failures)),
        window=dt.timedelta(
            minutes=float(
                os.environ.get("NETRALITAS_LOCKOUT_MINUTES", base.window.total_seconds() / 60)
            )
        ),
    )


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    return _HASHER.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant-ish time: a missing hash still costs one Argon2 verification."""
    try:
        return _HASHER.verify(password_hash or _dummy_hash(), password) and bool(password_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        _DUMMY.append(_HASHER.hash("not-a-password-of-anyone"))
    return _DUMMY[0]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def locked_until(
    store: Store, username: str, policy: LockoutPolicy, now: dt.datetime | None = None
) -> dt.datetime | None:
    """When the account's lock-out ends, or None when it is not locked."""
    now = now or _now()
    fails = accounts.recent_signin_failures(
        store, username, now - policy.window, policy.max_failures
    )
    if len(fails) < policy.max_failures:
        return None
    return min(fails) + policy.window


@dataclass(frozen=True)
class SignInResult:
    status: str  # "ok" | "failure" | "locked"
    user: User | None = None
    locked_until: dt.datetime | None = None


UNKNOWN_ACTOR = "(unknown)"  # a user name that matches no account is not recorded: it may be
# a password typed into the wrong field; the attempt is keyed by a keyed hash of it instead


def unknown_account_key(store: Store, username: str) -> str:
    """The lock-out key of a name that matches no account: ``#`` + keyed hash.

    Not a valid user name (those start with a letter or digit), so it never meets a real
    account; keyed by a per-store secret so the trail does not let anyone test guesses.
    """
    name = (username or "").strip().lower().encode()
    digest = hashlib.blake2b(name, key=store_mod.account_key_secret(store), digest_size=12)
    return "#" + digest.hexdigest()


def authenticate(
    store: Store,
    username: str,
    password: str,
    *,
    ip: str | None = None,
    channel: str = "web",
    policy: LockoutPolicy | None = None,
    now: dt.datetime | None = None,
) -> SignInResult:
    """Check a local sign-in and record it in the audit trail (success, failure or locked).

    The answer does not say whether the account exists: an unknown name costs the same
    Argon2 verification (against a dummy hash), is counted under its keyed name and locks
    after the same number of failures. A locked account is not verified at all (so
    guessing during a lock-out learns nothing). Checking the lock-out, verifying and
    recording run as one step per account (``signin_serialised``), so parallel attempts
    cannot slip past the limit.
    """
    policy = policy or policy_from_env()
    name = normalise_username(username)
    row = accounts.get_user(store, name) if name else None
    hidden_key = unknown_account_key(store, username)  # computed for both: same cost
    known = row is not None and row.get("password_hash") is not None
    key = name if known and name else hidden_key
    actor, target = (key, None) if known else (UNKNOWN_ACTOR, key)

    def record(outcome: str) -> None:
        audit.record(
            store, "signin", actor=actor, target=target, outcome=outcome, ip=ip, channel=channel
        )

    with store_mod.signin_serialised(store, key):
        until = locked_until(store, key, policy, now)
        if until is not None:
            record("locked")
            return SignInResult("locked", locked_until=until)
        if not verify_password(row["password_hash"] if known and row else None, password):
            record("failure")
            until = locked_until(store, key, policy, now)
            return SignInResult("locked" if until else "failure", locked_until=until)
        assert row is not None  # verify_password is False without a hash
        if _HASHER.check_needs_rehash(row["password_hash"]):
            store_mod.save_user(
                store, {**row, "password_hash": _HASHER.hash(password), "updated_at": _now()}
            )
        record("ok")
    return SignInResult("ok", user=replace(User.from_row(row), ip=ip))


# -- user management (used by the CLI and the admin page) ----------------------------------------

_USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._@+\-]{1,127}$")


def normalise_username(username: str) -> str | None:
    """Lower-cased, trimmed user name, or None when it cannot be one."""
    name = (username or "").strip().lower()
    return name if _USERNAME_RE.match(name) else None


def _scope_text(codes: tuple[str, ...]) -> str | None:
    return ",".join(codes) or None


def add_user(
    store: Store,
    username: str,
    role: str,
    *,
    password: str | None = None,
    email: str | None = None,
    provinces: Iterable[str] = (),
    regencies: Iterable[str] = (),
    source: str = SOURCE_LOCAL,
    actor: str,
    channel: str = "cli",
    ip: str | None = None,
) -> User:
    """Create an account (local ones need a password; OIDC ones are matched by e-mail)."""
    name = normalise_username(username)
    if name is None:
        raise ValueError("user name: 2-128 characters, lower-case letters, digits, . _ @ + -")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if accounts.get_user(store, name) is not None:
        raise ValueError(f"user {name} already exists")
    if source == SOURCE_LOCAL and not password:
        raise ValueError("a local account needs a password")
    provs, kabs = normalise_scope(provinces, regencies)
    now = _now()
    row = {
        "username": name,
        "email": (email or (name if "@" in name else None)),
        "role": role,
        "source": source,
        "password_hash": hash_password(password) if password else None,
        "scope_provinces": _scope_text(provs),
        "scope_regencies": _scope_text(kabs),
        "created_at": now,
        "updated_at": now,
    }
    detail = {"role": role, "provinces": list(provs), "regencies": list(kabs), "source": source}
    _save(store, row, "user.add", detail, actor=actor, channel=channel, ip=ip)
    return User.from_row(row)


def _save(
    store: Store,
    row: dict,
    action: str,
    detail: dict | None,
    *,
    actor: str,
    channel: str,
    ip: str | None,
) -> None:
    """Write one account and its audit event in one transaction."""
    event = audit.rows(
        action, actor=actor, target=row["username"], detail=detail, channel=channel, ip=ip
    )
    store_mod.save_user(store, row, audit=event)


def _existing(store: Store, username: str) -> dict:
    name = normalise_username(username)
    row = accounts.get_user(store, name) if name else None
    if row is None:
        raise KeyError(f"no user {username!r}")
    return row


def remove_user(
    store: Store, username: str, *, actor: str, channel: str = "cli", ip: str | None = None
) -> None:
    row = _existing(store, username)
    store_mod.delete_user(
        store,
        row["username"],
        audit=audit.rows(
            "user.remove", actor=actor, target=row["username"], channel=channel, ip=ip
        ),
    )


def set_role(
    store: Store,
    username: str,
    role: str,
    *,
    actor: str,
    channel: str = "cli",
    ip: str | None = None,
) -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    row = _existing(store, username)
    new = {**row, "role": role, "updated_at": _now()}
    detail = {"from": row["role"], "to": role}
    _save(store, new, "user.role", detail, actor=actor, channel=channel, ip=ip)
    return User.from_row(new)


def set_scope(
    store: Store,
    username: str,
    *,
    provinces: Iterable[str] = (),
    regencies: Iterable[str] = (),
    actor: str,
    channel: str = "cli",
    ip: str | None = None,
) -> User:
    row = _existing(store, username)
    provs, kabs = normalise_scope(provinces, regencies)
    new = {
        **row,
        "scope_provinces": _scope_text(provs),
        "scope_regencies": _scope_text(kabs),
        "updated_at": _now(),
    }
    detail = {"provinces": list(provs), "regencies": list(kabs)}
    _save(store, new, "user.scope", detail, actor=actor, channel=channel, ip=ip)
    return User.from_row(new)


def set_password(
    store: Store,
    username: str,
    password: str,
    *,
    actor: str,
    channel: str = "cli",
    ip: str | None = None,
) -> None:
    """New password; also ends a lock-out (failures before it no longer count)."""
    row = _existing(store, username)
    new = {**row, "password_hash": hash_password(password), "updated_at": _now()}
    _save(store, new, "user.password", None, actor=actor, channel=channel, ip=ip)


def unlock_user(
    store: Store, username: str, *, actor: str, channel: str = "cli", ip: str | None = None
) -> None:
    row = _existing(store, username)
    audit.record(store, "user.unlock", actor=actor, target=row["username"], channel=channel, ip=ip)


# -- how sign-in is configured ---------------------------------------------------------------------

MODE_OIDC = "oidc"
MODE_LOCAL = "local"
MODE_SINGLE = "single"
ENV_ROLE_CLAIM = "NETRALITAS_OIDC_ROLE_CLAIM"
ENV_SCOPE_CLAIM = "NETRALITAS_OIDC_SCOPE_CLAIM"
DEFAULT_ROLE_CLAIM = "netralitas_role"
DEFAULT_SCOPE_CLAIM = "netralitas_scope"


def secrets_paths(cwd: Path | None = None) -> list[Path]:
    """Where Streamlit reads ``secrets.toml`` from (home first, the working directory wins)."""
    return [
        Path.home() / ".streamlit" / "secrets.toml",
        (cwd or Path.cwd()) / ".streamlit" / "secrets.toml",
    ]


def read_secrets(paths: Iterable[Path] | None = None) -> dict:
    """The merged secrets (later files win per top-level key); unreadable files are skipped."""
    merged: dict = {}
    for p in paths if paths is not None else secrets_paths():
        try:
            with p.open("rb") as fh:
                merged.update(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return merged


def oidc_configured(secrets: Mapping) -> bool:
    """An ``[auth]`` section Streamlit's ``st.login`` can use (one provider or named ones)."""
    section = secrets.get("auth")
    if not isinstance(section, Mapping):
        return False
    if not section.get("redirect_uri") or not section.get("cookie_secret"):
        return False
    providers = [section] + [v for v in section.values() if isinstance(v, Mapping)]
    return any(p.get("client_id") and p.get("server_metadata_url") for p in providers)


def sign_in_mode(store: Store, secrets: Mapping | None = None) -> str:
    """``oidc`` when an identity provider is configured, ``local`` when the store has
    password accounts, else ``single`` (one local user, loopback only)."""
    if oidc_configured(read_secrets() if secrets is None else secrets):
        return MODE_OIDC
    if store.exists() and accounts.count_password_users(store) > 0:
        return MODE_LOCAL
    return MODE_SINGLE


def is_loopback(host: str | None) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``; ``0.0.0.0`` and LAN addresses are not."""
    if host is None:
        return False
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def claim_names(secrets: Mapping | None = None) -> tuple[str, str]:
    """(role claim, scope claim): env first, then ``[netralitas]`` in secrets, then defaults."""
    section = (secrets or {}).get("netralitas") or {}
    role = os.environ.get(ENV_ROLE_CLAIM) or section.get("role_claim") or DEFAULT_ROLE_CLAIM
    scope = os.environ.get(ENV_SCOPE_CLAIM) or section.get("scope_claim") or DEFAULT_SCOPE_CLAIM
    return str(role), str(scope)


def _claim_codes(value: object) -> list[str]:
    if isinstance(value, str):
        return [v for v in re.split(r"[,\s]+", value) if v]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return []


def _claim_true(value: object) -> bool:
    """A boolean claim: JSON true (some providers send the string "true")."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def oidc_user(
    store: Store, claims: Mapping, *, role_claim: str, scope_claim: str, ip: str | None = None
) -> User | None:
    """The user behind an OIDC sign-in, or None when they may not use the dashboard.

    The user table (matched by e-mail) wins over claims, so an office can manage roles
    without touching the identity provider. From claims: the role claim must name a role;
    the scope claim lists province (``17``) and regency (``1706``) codes, absent = national,
    present but empty (or malformed) = no access: a provider that sends the claim means to
    limit, and an emptied list must not widen to the whole country.

    Only an e-mail the provider vouches for (``email_verified`` true) is matched: many
    providers let people type any address into their profile.
    """
    email = claims.get("email")
    if not email or not _claim_true(claims.get("email_verified")):
        return None
    row = accounts.get_user_by_email(store, str(email))
    if row is not None:
        return replace(
            User.from_row(row, source=SOURCE_OIDC), ip=ip, display_name=claims.get("name")
        )
    role = claims.get(role_claim)
    if isinstance(role, list | tuple):  # group-style claims: the highest role listed
        named = [r for r in role if r in ROLES]
        role = max(named, key=ROLES.index) if named else None
    if role not in ROLES:
        return None
    codes = _claim_codes(claims.get(scope_claim))
    if scope_claim in claims and not codes:
        return None
    try:
        provs, kabs = normalise_scope(
            [c for c in codes if len(c) == 2], [c for c in codes if len(c) != 2]
        )
    except ValueError:
        return None  # a malformed scope claim must not widen to national
    return User(
        username=str(email).lower(),
        role=str(role),
        provinces=provs,
        regencies=kabs,
        source=SOURCE_OIDC,
        email=str(email),
        display_name=claims.get("name"),
        ip=ip,
    )
