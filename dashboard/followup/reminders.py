"""Reminder e-mails: one per agency that is overdue or nearing its deadline, per day.

Meant for cron or a systemd timer (``netralitas remind``); there is no scheduler here.
Each message goes to the agency's own contact address and holds that agency's figures
only; the list of names is added only where the agency's contact allows it *and* the
sending office switched names on (``send_names``). Idempotent: a day's send is claimed in
the log before the message is handed to the server, so a second run the same day (or two
overlapping runs) sends nothing more; a refused message frees the slot again.

Settings come from the environment (``NETRALITAS_SMTP_HOST``, ``_PORT``, ``_USER``,
``_PASSWORD``, ``_FROM``, ``_STARTTLS``, ``_SSL``, ``NETRALITAS_REMIND_NAMES``,
``NETRALITAS_REMIND_DAYS``) or ``[smtp]`` in ``.streamlit/secrets.toml``; the environment
wins.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, replace
from email import policy
from email.message import EmailMessage

import polars as pl

from dashboard import i18n
from dashboard.followup import overdue, steps
from dashboard.followup.addresses import InvalidAddress, single_address
from dashboard.followup.letters import long_date
from dashboard.queries import followup as q
from dashboard.queries.filters import Filters
from dashboard.store import followup as writes
from dashboard.store.database import Store
from dashboard.text import one_line, strip_control, strip_control_expr

ENV_PREFIX = "NETRALITAS_SMTP_"


class ReminderConfigError(ValueError):
    """SMTP is not configured (message names the missing setting, never a secret)."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 25
    sender: str = "netralitas@localhost.localdomain"
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    use_ssl: bool = False
    send_names: bool = False
    nearing_days: int = overdue.NEARING_DAYS
    timeout: float = 30.0

    def __repr__(self) -> str:  # never print the password
        return f"SmtpSettings(host={self.host!r}, port={self.port}, sender={self.sender!r})"


def _flag(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def settings_from(env: Mapping[str, str], secrets: Mapping | None = None) -> SmtpSettings:
    """From ``NETRALITAS_SMTP_*`` variables, falling back on ``[smtp]`` in the secrets."""
    sec = dict((secrets or {}).get("smtp") or {})

    def get(name: str, default: object = None) -> object:
        v = env.get(ENV_PREFIX + name.upper())
        return v if v not in (None, "") else sec.get(name, default)

    host = get("host")
    if not host:
        raise ReminderConfigError(
            f"SMTP is not configured: set {ENV_PREFIX}HOST (or [smtp] host in secrets.toml)"
        )
    try:
        port = int(str(get("port", 25)))
        days = int(str(env.get("NETRALITAS_REMIND_DAYS") or sec.get("nearing_days") or 7))
    except ValueError as exc:
        raise ReminderConfigError("SMTP port and reminder days must be whole numbers") from exc
    names = env.get("NETRALITAS_REMIND_NAMES")
    try:
        sender = single_address(str(get("from", SmtpSettings.sender)))
    except InvalidAddress as exc:
        raise ReminderConfigError(f"{ENV_PREFIX}FROM: {exc}") from exc
    return SmtpSettings(
        host=str(host),
        port=port,
        sender=sender or SmtpSettings.sender,
        user=str(get("user")) if get("user") else None,
        password=str(get("password")) if get("password") else None,
        starttls=_flag(get("starttls", False)),
        use_ssl=_flag(get("ssl", False)),
        send_names=_flag(names if names not in (None, "") else sec.get("send_names", False)),
        nearing_days=days,
    )


def due_reminders(
    store: Store, as_of: dt.date, campaign: str = "pakta", nearing_days: int = overdue.NEARING_DAYS
) -> pl.DataFrame:
    """Agencies to remind today: overdue or nearing, with unsigned officials and a contact
    address, not yet sent to today. Carries each one's figures and contact."""
    f = Filters(measure=campaign, date_to=as_of)
    table = overdue.chase_table(
        q.agency_figures(store, f),
        q.deadlines(store),
        steps.current_steps(q.history(store)),
        campaign,
        as_of,
        nearing_days,
    ).filter(pl.col("overdue") | pl.col("nearing"))
    contacts = q.contacts(store).filter(pl.col("email").is_not_null())
    sent = q.reminder_sends(store).filter(
        (pl.col("send_date") == as_of)
        & (pl.col("status") == "sent")
        & (pl.col("campaign") == campaign)
    )
    return (
        table.join(contacts.select("agency_id", "email", "send_list", "head_title"), on="agency_id")
        .join(sent.select("agency_id"), on="agency_id", how="anti")
        .sort(["overdue", "priority", "agency_id"], descending=[True, True, False])
    )


def compose(
    row: Mapping,
    officials: pl.DataFrame | None,
    smtp: SmtpSettings,
    campaign: str,
    as_of: dt.date,
    lang: str = "id",
) -> EmailMessage:
    """The message to one agency: its own figures, and its own list when given.

    Built by the standard library (``policy.SMTP``: non-ASCII headers RFC 2047-encoded,
    CRLF lines); every value from the store loses its control characters here, and the
    header values are single lines, so stored text can neither forge a header nor stop the
    message. Raises :class:`InvalidAddress` unless sender and recipient are one address each.
    """

    def t(key: str, **kw: object) -> str:
        return i18n.t(key, lang, **kw)

    sender, recipient = single_address(smtp.sender), single_address(row["email"])
    if sender is None or recipient is None:
        raise InvalidAddress("no address")
    name = strip_control(row["name"])
    due = long_date(row["due_date"], lang) if row.get("due_date") else "–"
    state = t("remind.state.overdue" if row["overdue"] else "remind.state.nearing", due=due)
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = one_line(
        t(
            f"remind.subject.{campaign}",
            agency=name,
            unsigned=i18n.fmt_number(row["unsigned"], lang),
        )
    )
    lines = [
        t("remind.greeting", head=strip_control(row.get("head_title")) or name),
        "",
        t(
            f"remind.figures.{campaign}",
            as_of=long_date(as_of, lang),
            agency=name,
            target=i18n.fmt_number(row["target"], lang),
            signed=i18n.fmt_number(row["signed"], lang),
            unsigned=i18n.fmt_number(row["unsigned"], lang),
        ),
        state,
        "",
    ]
    if officials is not None and officials.height:
        listed = officials.select(
            strip_control_expr(pl.col(c)).alias(c) for c in ("name", "nip", "position")
        )
        lines.append(t("remind.list_header"))
        lines += [
            f"{i}. {r['name']} — {r['nip'] or '–'} — {r['position']}"
            for i, r in enumerate(listed.iter_rows(named=True), start=1)
        ]
        lines.append("")
    lines += [t("remind.closing"), "", t("remind.signature")]
    msg.set_content("\n".join(lines))
    return msg


@dataclass(frozen=True)
class Outcome:
    agency_id: str
    recipient: str
    status: str  # sent / failed / dry_run / skipped (already sent today)
    unsigned: int
    names_listed: int
    overdue: bool
    reason: str | None = None


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    if smtp.use_ssl:
        server: smtplib.SMTP = smtplib.SMTP_SSL(
            smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
        )
    else:
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
        if smtp.starttls:
            server.starttls(context=ssl.create_default_context())
    if smtp.user and smtp.password:
        server.login(smtp.user, smtp.password)
    return server


def send_reminders(
    store: Store,
    smtp: SmtpSettings | None,
    *,
    as_of: dt.date | None = None,
    campaign: str = "pakta",
    dry_run: bool = False,
    lang: str = "id",
) -> list[Outcome]:
    """Send today's reminders (or, with ``dry_run``, say what would be sent; no SMTP needed).

    Every attempt is logged in ``reminder_sends``; nothing about a dry run is written.
    """
    as_of = as_of or dt.date.today()
    nearing = smtp.nearing_days if smtp else overdue.NEARING_DAYS
    todo = due_reminders(store, as_of, campaign, nearing)
    with_list = (
        todo.filter(pl.col("send_list"))["agency_id"].to_list() if smtp and smtp.send_names else []
    )
    lists = q.unsigned_of(store, Filters(measure=campaign), with_list) if with_list else {}
    outcomes: list[Outcome] = []
    server: smtplib.SMTP | None = None
    try:
        for row in todo.iter_rows(named=True):
            people = lists.get(row["agency_id"])
            listed = people.height if people is not None else 0
            base = Outcome(
                agency_id=row["agency_id"],
                recipient=one_line(row["email"]),
                status="dry_run",
                unsigned=int(row["unsigned"]),
                names_listed=listed,
                overdue=bool(row["overdue"]),
            )
            if dry_run or smtp is None:
                outcomes.append(base)
                continue
            send_id = writes.new_id("rem")
            claimed = writes.log_reminder(
                store,
                {
                    "send_id": send_id,
                    "agency_id": row["agency_id"],
                    "campaign": campaign,
                    "send_date": as_of,
                    "sent_at": writes.utc_now(),
                    "recipient": row["email"],
                    "status": "sent",
                    "unsigned": int(row["unsigned"]),
                    "names_listed": listed,
                    "reason": None,
                },
            )
            if not claimed:  # another run got there first
                outcomes.append(replace(base, status="skipped"))
                continue
            try:
                msg = compose(row, people, smtp, campaign, as_of, lang)
            except InvalidAddress:  # a stored address from before the one-address rule
                writes.mark_reminder_failed(store, send_id, "InvalidAddress")
                outcomes.append(replace(base, status="failed", reason="InvalidAddress"))
                continue
            try:
                if server is None:
                    server = _connect(smtp)
                # the envelope names the one recipient itself: never read from the headers
                server.send_message(msg, from_addr=str(msg["From"]), to_addrs=[str(msg["To"])])
            except (smtplib.SMTPException, OSError) as exc:
                reason = type(exc).__name__
                writes.mark_reminder_failed(store, send_id, reason)
                outcomes.append(replace(base, status="failed", reason=reason))
                server = None
                continue
            outcomes.append(replace(base, status="sent"))
    finally:
        if server is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                server.quit()
    return outcomes


def from_environment(secrets: Mapping | None = None) -> SmtpSettings:
    return settings_from(os.environ, secrets)
