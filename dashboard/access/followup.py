"""Follow-up actions, each checked for role and scope on the server, at the action.

Every function here takes the acting :class:`~dashboard.access.auth.User` and refuses
(:class:`~dashboard.access.gate.Refused`, audited as ``denied``) what that user may not do;
pages and the CLI call these, never the store writes directly. The rules (permissions from
the one table, :data:`dashboard.access.auth.ALLOWED`):

- Letters and the chase list: any role, within scope. Names and NIPs in a letter's
  attachment only with ``letters_with_names`` (analysts and admins); uploaders (who send
  rosters in) and viewers get count-only letters. Every generation is audited with counts,
  never names.
- Recording a step, confirming a letter as sent, deadlines and contacts: analysts and
  above, for agencies in scope; a campaign-wide deadline needs national scope.
- Letterhead and signer: admins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import NoReturn

import polars as pl

from dashboard import i18n
from dashboard.access import audit, auth
from dashboard.access.auth import User
from dashboard.access.gate import refuse
from dashboard.followup import letters as letters_mod
from dashboard.followup import overdue, steps
from dashboard.followup.addresses import InvalidAddress, single_address
from dashboard.queries import followup as q
from dashboard.queries.filters import Filters
from dashboard.store import followup as writes
from dashboard.store.database import Store
from dashboard.text import first_control
from schemas.vocab import FOLLOWUP_CAMPAIGNS, LETTER_FORMATS

MIME = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


class FollowupError(ValueError):
    """A request that cannot be carried out (unknown agency or letter, bad date...)."""


class InvalidEmail(FollowupError):
    """A contact address that is not exactly one e-mail address."""


class InvalidText(FollowupError):
    """Typed text holding a control character (named as ``U+0001``, never echoed)."""

    def __init__(self, field: str, char: str) -> None:
        super().__init__(f"{field} contains control character {char}")
        self.field = field
        self.char = char


def _clean_text(values: Mapping[str, object]) -> None:
    """Refuse typed text (notes, contacts, letterhead) holding a control character: the one
    rule uploads follow, so what is stored can always be printed, mailed and exported."""
    for name, value in values.items():
        char = first_control(value) if isinstance(value, str) else None
        if char is not None:
            raise InvalidText(name, char)


def letters_name_officials(user: User) -> bool:
    return user.can(auth.LETTERS_WITH_NAMES)


def may_act(user: User) -> bool:
    return user.can(auth.FOLLOWUP_ACT)


@dataclass(frozen=True)
class Where:
    """Where an action comes from, for the audit trail."""

    channel: str = "web"
    ip: str | None = None


def _deny(
    store: Store, user: User, action: str, where: Where, reason: str, **detail: object
) -> NoReturn:
    refuse(
        store,
        action,
        reason,
        actor=user.username,
        channel=where.channel,
        ip=where.ip,
        detail=detail,
    )


def _in_scope(
    store: Store, user: User, agency_ids: Sequence[str], action: str, where: Where
) -> pl.DataFrame:
    """The agencies' rows; refuses unknown ids and any agency outside the user's scope."""
    ids = sorted(set(agency_ids))
    rows = q.agencies(store, ids)
    unknown = sorted(set(ids) - set(rows["agency_id"].to_list()))
    if unknown:
        raise FollowupError(f"unknown agency: {', '.join(unknown[:5])}")
    inside = rows.select(auth.in_scope_expr(user, "province_code", "regency_code"))
    outside = rows.filter(~inside.to_series())
    if outside.height:
        _deny(
            store,
            user,
            action,
            where,
            "agency outside your scope",
            agencies=outside["agency_id"].to_list(),
        )
    return rows


# -- reads -------------------------------------------------------------------------------------


def chase_list(
    store: Store, user: User, f: Filters, nearing_days: int = overdue.NEARING_DAYS
) -> pl.DataFrame:
    """Agencies in view (within scope) with unsigned officials, most urgent first, with
    deadline, step, last action and their latest letter."""
    f = auth.scope_filters(user, f)
    campaign = q.campaign_of(f)
    figures = q.agency_figures(store, f)
    hist = q.history(store)
    table = overdue.chase_table(
        figures, q.deadlines(store), steps.current_steps(hist), campaign, f.as_of(), nearing_days
    )
    reg = q.letters(store).filter(pl.col("campaign") == campaign)
    latest = (
        reg.sort("generated_at")
        .group_by("agency_id")
        .agg(
            pl.col("letter_id").last().alias("last_letter_id"),
            pl.col("letter_number").last().alias("last_letter_number"),
            pl.col("status").last().alias("last_letter_status"),
            pl.len().cast(pl.Int64).alias("letters"),
        )
    )
    return table.join(latest, on="agency_id", how="left").with_columns(
        pl.col("letters").fill_null(0)
    )


def overdue_count(store: Store, user: User, f: Filters) -> int:
    """Agencies in view past their deadline with unsigned officials (for Ringkasan).

    No deadline set for the campaign means none can be overdue: answered without computing
    the agency figures, so Ringkasan pays nothing until follow-up is in use.
    """
    campaign = q.campaign_of(f)
    if q.deadlines(store).filter(pl.col("campaign") == campaign).height == 0:
        return 0
    return int(chase_list(store, user, f)["overdue"].sum())


# -- letters -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterFile:
    name: str
    data: bytes
    mime: str
    agency_ids: tuple[str, ...]
    officials_listed: int


@dataclass(frozen=True)
class LetterBatch:
    files: tuple[LetterFile, ...]
    register: pl.DataFrame  # the letters recorded (numbers, counts)
    with_names: bool


def generate_letters(
    store: Store,
    user: User,
    agency_ids: Sequence[str],
    *,
    fmt: str = "docx",
    f: Filters | None = None,
    bundle: bool = False,
    lang: str = "id",
    letter_date: dt.date | None = None,
    where: Where | None = None,
) -> LetterBatch:
    """Number, record and render the letters to these agencies (those with unsigned only).

    An agency whose letter for its current step is generated and not yet sent gets that
    same letter (number, date) again, in the format asked for: one letter, one number.

    ``bundle``: one file (a ZIP of DOCX, or one PDF of every letter) instead of one file
    per agency. The register rows, the audit row and the rendering share one transaction.
    """
    where = where or Where()
    if fmt not in LETTER_FORMATS:
        raise FollowupError(f"format must be one of {', '.join(LETTER_FORMATS)}")
    rows = _in_scope(store, user, agency_ids, "letter.generate", where)
    f = auth.scope_filters(user, f or Filters())
    campaign = q.campaign_of(f)
    letter_date = letter_date or dt.date.today()
    ids = rows["agency_id"].to_list()
    figures = q.agency_figures(store, replace(f, agencies=tuple(ids), provinces=(), regencies=()))
    figures = figures.filter(pl.col("unsigned") > 0)
    if figures.height == 0:
        return LetterBatch(files=(), register=pl.DataFrame(), with_names=False)
    named = letters_name_officials(user)
    due = overdue.resolve_deadlines(figures["agency_id"], q.deadlines(store), campaign)
    due_by = dict(zip(due["agency_id"], due["due_date"], strict=True))
    bases = q.legal_bases(store, figures["agency_id"].to_list())
    contacts = {r["agency_id"]: r for r in q.contacts(store).to_dicts()}
    settings_row = q.letter_settings(store)
    settings = letters_mod.Settings.from_row(settings_row, lang)
    lists: dict[str, pl.DataFrame | None] = (
        dict(q.unsigned_of(store, f, figures["agency_id"].to_list()))
        if named
        else dict.fromkeys(figures["agency_id"].to_list())
    )
    now = writes.utc_now()
    register = pl.DataFrame(
        {
            "letter_id": [writes.new_id("ltr") for _ in range(figures.height)],
            "agency_id": figures["agency_id"],
            "campaign": campaign,
            "letter_date": letter_date,
            "generated_at": now,
            "generated_by": user.username,
            "format": fmt,
            "with_names": named,
            "officials_listed": [
                (x.height if (x := lists[a]) is not None else 0) for a in figures["agency_id"]
            ],
            "unsigned": figures["unsigned"],
            "status": "generated",
        }
    )
    by_agency = {r["agency_id"]: r for r in figures.to_dicts()}
    with writes.register_letters(store, register, settings.number_format, letter_date.year) as (
        con,
        numbered,
    ):
        built = [
            letters_mod.build(
                agency=by_agency[r["agency_id"]],
                figures=by_agency[r["agency_id"]],
                number=r["letter_number"],
                letter_date=r["letter_date"],  # a letter generated again keeps its date
                settings=settings,
                campaign=campaign,
                due_date=due_by.get(r["agency_id"]),
                legal_bases=bases.filter(pl.col("agency_id") == r["agency_id"])[
                    "legal_basis"
                ].to_list(),
                contact=contacts.get(r["agency_id"]),
                officials=lists[r["agency_id"]],
                lang=lang,
            )
            for r in numbered.iter_rows(named=True)
        ]
        files = _render(built, fmt, bundle)
        writes.insert_audit(
            con,
            audit.rows(
                "letter.generate",
                actor=user.username,
                target=ids[0] if len(ids) == 1 else "batch",
                detail={
                    "format": fmt,
                    "campaign": campaign,
                    "letters": numbered["letter_number"].to_list(),
                    "agencies": numbered.height,
                    "with_names": named,
                    "officials_listed": int(numbered["officials_listed"].sum()),
                    "scope": list(user.visible_provinces or []),
                },
                ip=where.ip,
                channel=where.channel,
            ),
        )
    return LetterBatch(files=tuple(files), register=numbered, with_names=named)


def _render(built: list[letters_mod.Letter], fmt: str, bundle: bool) -> list[LetterFile]:
    stamp = dt.date.today().isoformat()
    if bundle and len(built) > 1:
        ids = tuple(x.agency_id for x in built)
        listed = sum(x.officials_listed for x in built)
        if fmt == "pdf":
            data = letters_mod.to_pdf(built)
            return [LetterFile(f"surat-tindak-lanjut-{stamp}.pdf", data, MIME["pdf"], ids, listed)]
        data = letters_mod.zip_docx(built)
        return [LetterFile(f"surat-tindak-lanjut-{stamp}.zip", data, MIME["zip"], ids, listed)]
    out = []
    for x in built:
        data = letters_mod.to_pdf([x]) if fmt == "pdf" else letters_mod.to_docx(x)
        name = f"{letters_mod.file_stem(x)}.{fmt}"
        out.append(LetterFile(name, data, MIME[fmt], (x.agency_id,), x.officials_listed))
    return out


# -- actions -----------------------------------------------------------------------------------


def _require_act(store: Store, user: User, action: str, where: Where) -> None:
    if not may_act(user):
        _deny(store, user, action, where, "role may not record follow-up actions")


def _unsigned_now(store: Store, user: User, agency_id: str, campaign: str) -> int | None:
    f = auth.scope_filters(user, Filters(agencies=(agency_id,), measure=campaign))
    fig = q.agency_figures(store, f)
    return int(fig["unsigned"][0]) if fig.height else None


def _current_step(store: Store, agency_id: str, campaign: str) -> str:
    cur = steps.current_steps(q.history(store, [agency_id]))
    cur = cur.filter(pl.col("campaign") == campaign)
    return cur["step"][0] if cur.height else steps.FIRST_STEP


def record_step(
    store: Store,
    user: User,
    agency_id: str,
    step: str,
    *,
    campaign: str = "pakta",
    note: str | None = None,
    taken_on: dt.date | None = None,
    letter_id: str | None = None,
    where: Where | None = None,
) -> dict:
    """Record one follow-up action (with the agency's unsigned count at that moment)."""
    where = where or Where()
    steps.check_step(step)
    _clean_text({"note": note})
    if campaign not in FOLLOWUP_CAMPAIGNS:
        raise FollowupError(f"campaign must be one of {', '.join(FOLLOWUP_CAMPAIGNS)}")
    _require_act(store, user, "followup.step", where)
    _in_scope(store, user, [agency_id], "followup.step", where)
    row = _step_row(store, user, agency_id, step, campaign, note, taken_on, letter_id)
    writes.add_steps(
        store,
        pl.DataFrame([row]),
        audit=audit.rows(
            "followup.step",
            actor=user.username,
            target=agency_id,
            detail={"step": step, "campaign": campaign, "letter": letter_id},
            ip=where.ip,
            channel=where.channel,
        ),
    )
    return row


def _step_row(
    store: Store,
    user: User,
    agency_id: str,
    step: str,
    campaign: str,
    note: str | None,
    taken_on: dt.date | None,
    letter_id: str | None,
) -> dict:
    return {
        "step_id": writes.new_id("step"),
        "agency_id": agency_id,
        "campaign": campaign,
        "step": step,
        "taken_on": taken_on or dt.date.today(),
        "taken_at": writes.utc_now(),
        "taken_by": user.username,
        "note": (note or "").strip()[:500] or None,
        "letter_id": letter_id,
        "unsigned_at_step": _unsigned_now(store, user, agency_id, campaign),
    }


def confirm_sent(
    store: Store,
    user: User,
    letter_id: str,
    *,
    note: str | None = None,
    sent_on: dt.date | None = None,
    where: Where | None = None,
) -> str:
    """The letter went out: its agency moves to the next step. Returns the new step."""
    where = where or Where()
    _clean_text({"note": note})
    _require_act(store, user, "letter.sent", where)
    row = q.letter(store, letter_id)
    if row is None:
        raise FollowupError(f"unknown letter {letter_id}")
    agency_id, campaign = row["agency_id"], row["campaign"]
    _in_scope(store, user, [agency_id], "letter.sent", where)
    new = steps.next_step(_current_step(store, agency_id, campaign))
    step = _step_row(store, user, agency_id, new, campaign, note, sent_on, letter_id)
    ok = writes.mark_letter_sent(
        store,
        letter_id,
        sent_by=user.username,
        sent_at=writes.utc_now(),
        step=step,
        audit=audit.rows(
            "letter.sent",
            actor=user.username,
            target=agency_id,
            detail={"letter": row["letter_number"], "step": new, "campaign": campaign},
            ip=where.ip,
            channel=where.channel,
        ),
    )
    if not ok:
        raise FollowupError(f"letter {row['letter_number']} was already confirmed as sent")
    return new


def set_deadline(
    store: Store,
    user: User,
    due_date: dt.date,
    *,
    campaign: str = "pakta",
    agency_id: str | None = None,
    where: Where | None = None,
) -> dict:
    """A campaign's deadline (national scope only) or one agency's override."""
    where = where or Where()
    if campaign not in FOLLOWUP_CAMPAIGNS:
        raise FollowupError(f"campaign must be one of {', '.join(FOLLOWUP_CAMPAIGNS)}")
    _require_act(store, user, "followup.deadline", where)
    if agency_id is None and not user.national:
        _deny(store, user, "followup.deadline", where, "campaign deadline needs national scope")
    if agency_id is not None:
        _in_scope(store, user, [agency_id], "followup.deadline", where)
    row = {
        "deadline_id": writes.new_id("ddl"),
        "campaign": campaign,
        "agency_id": agency_id,
        "due_date": due_date,
        "set_by": user.username,
        "set_at": writes.utc_now(),
    }
    writes.add_deadline(
        store,
        row,
        audit=audit.rows(
            "followup.deadline",
            actor=user.username,
            target=agency_id or campaign,
            detail={"due": due_date.isoformat(), "campaign": campaign},
            ip=where.ip,
            channel=where.channel,
        ),
    )
    return row


def set_contact(
    store: Store,
    user: User,
    agency_id: str,
    *,
    email: str | None,
    head_title: str | None = None,
    head_name: str | None = None,
    send_list: bool = False,
    where: Where | None = None,
) -> None:
    where = where or Where()
    _require_act(store, user, "followup.contact", where)
    _in_scope(store, user, [agency_id], "followup.contact", where)
    _clean_text({"head_title": head_title, "head_name": head_name})
    try:
        address = single_address(email)
    except InvalidAddress as exc:
        raise InvalidEmail(str(exc)) from exc
    row = {
        "agency_id": agency_id,
        "email": address,
        "head_title": head_title,
        "head_name": head_name,
        "send_list": send_list,
        "updated_by": user.username,
        "updated_at": writes.utc_now(),
    }
    writes.save_contact(
        store,
        row,
        audit=audit.rows(
            "followup.contact",
            actor=user.username,
            target=agency_id,
            detail={"send_list": send_list},
            ip=where.ip,
            channel=where.channel,
        ),
    )


def save_letter_settings(
    store: Store, user: User, settings: dict, *, where: Where | None = None
) -> None:
    """Letterhead, signer, copies and numbering (admins)."""
    where = where or Where()
    if not user.can(auth.LETTER_SETTINGS):
        _deny(store, user, "letter.settings", where, "only admins set the letterhead")
    _clean_text(settings)
    current = q.letter_settings(store) or {}
    row = {
        **{k: v for k, v in current.items() if k not in ("updated_by", "updated_at")},
        **{k: v for k, v in settings.items() if v is not None},
        "updated_by": user.username,
        "updated_at": writes.utc_now(),
    }
    # a field given blank is cleared; the ones every letter prints fall back to the
    # catalog's placeholders, which mark the letters as drafts (Settings.placeholders)
    row = {k: (None if isinstance(v, str) and not v.strip() else v) for k, v in row.items()}
    defaults = letters_mod.Settings.from_row(None, i18n.DEFAULT_LANG)
    for key in ("office_name", "signer_position", "signer_name"):
        row[key] = row.get(key) or getattr(defaults, key)
    row.setdefault("number_format", letters_mod.Settings.number_format)
    writes.save_letter_settings(
        store,
        row,
        audit=audit.rows(
            "letter.settings",
            actor=user.username,
            target="letter_settings",
            detail={"fields": sorted(k for k, v in settings.items() if v is not None)},
            ip=where.ip,
            channel=where.channel,
        ),
    )


# -- did it work? ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    by_step: pl.DataFrame  # step, agencies, unsigned_at_step, unsigned_now
    after_reminders: pl.DataFrame  # sent_on, reminders, signed_after (summed over agencies)
    per_step: pl.DataFrame  # one row per recorded step with a count (for one agency's view)
    per_reminder: pl.DataFrame  # agency_id, sent_on, signed_after (for one agency's view)


def effect(store: Store, user: User, f: Filters) -> Effect:
    """Unsigned at each step against now, and signatures after each reminder (e-mails sent
    and letters confirmed as sent), over the agencies in view and in scope."""
    from dashboard.followup import effect as eff
    from schemas.vocab import FOLLOWUP_STEPS

    f = auth.scope_filters(user, f)
    campaign = q.campaign_of(f)
    figures = q.agency_figures(store, f)
    ids = figures["agency_id"]
    hist = q.history(store).filter(
        (pl.col("campaign") == campaign) & pl.col("agency_id").is_in(ids.implode())
    )
    per_step = eff.step_effect(hist, figures)
    sends = q.reminder_sends(store).filter(
        (pl.col("status") == "sent")
        & (pl.col("campaign") == campaign)
        & pl.col("agency_id").is_in(ids.implode())
    )
    reminders = pl.concat(
        [
            sends.select("agency_id", pl.col("send_date").alias("sent_on")),
            hist.filter(pl.col("letter_id").is_not_null()).select(
                "agency_id", pl.col("taken_on").alias("sent_on")
            ),
        ]
    )
    after = eff.signatures_after_reminders(
        reminders, q.signed_days(store, reminders["agency_id"].unique().to_list())
    )
    summed = (
        after.group_by("sent_on")
        .agg(pl.len().cast(pl.Int64).alias("reminders"), pl.col("signed_after").sum())
        .sort("sent_on")
    )
    return Effect(
        by_step=eff.effect_by_step(per_step, FOLLOWUP_STEPS),
        after_reminders=summed,
        per_step=per_step,
        per_reminder=after,
    )
