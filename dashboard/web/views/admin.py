"""Admin: the user accounts, their sign-in sessions, the letterhead and signer of the
follow-up letters, and the audit trail (admins only;
``app.py`` hides the page from other roles and the page checks again, in case it is
reached some other way).

Accounts are changed on the server (``netralitas users ...``), not here: a browser session
that could create admins would be the first thing an attacker looks for. Ending sessions
is offered here, since it only takes access away (through the access service, audited).
The letterhead form saves through the same access function as ``netralitas followup
letterhead`` (``access/followup.save_letter_settings``: permission ``letter_settings``,
audited).
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard.access import audit, auth, service, sessions
from dashboard.access import followup as fa
from dashboard.access.gate import Refused
from dashboard.followup import letters as letters_mod
from dashboard.queries import followup as fq
from dashboard.queries.accounts import list_users
from dashboard.queries.sessions import list_sessions
from dashboard.render import export
from dashboard.web import session
from dashboard.web.components import detail_text, file_button, localised_table
from dashboard.web.context import get_context

AUDIT_ROWS_SHOWN = 500
ENDED_KEY = "_admin_sessions_ended"  # how many the last click ended, shown after the rerun
LETTERHEAD_SAVED_KEY = "_admin_letterhead_saved"  # the notice shown after the rerun
# (settings field, label key) of the letterhead form, in the order of the letter
LETTERHEAD_FIELDS = (
    ("office_parent", "admin.lh.office_parent"),
    ("office_name", "admin.lh.office_name"),
    ("office_address", "admin.lh.office_address"),
    ("city", "admin.lh.city"),
    ("signer_position", "admin.lh.signer_position"),
    ("signer_name", "admin.lh.signer_name"),
    ("signer_nip", "admin.lh.signer_nip"),
)

ctx = get_context()
st.title(ctx.t("nav.admin"))
user = session.require(ctx, auth.MANAGE_USERS)

# -- accounts --------------------------------------------------------------------------------
st.header(ctx.t("admin.users"))
st.caption(ctx.t("admin.users_help"))
accounts = list_users(ctx.store)
if accounts.height == 0:
    st.info(ctx.t("admin.no_users"), icon=":material/person:")
else:
    accounts = accounts.with_columns(
        pl.concat_str(
            [pl.col("scope_provinces"), pl.col("scope_regencies")], separator=",", ignore_nulls=True
        )
        .fill_null(ctx.t("auth.scope_national"))
        .str.replace_all(",", ", ")
        .alias("scope"),
        pl.when(pl.col("has_password"))
        .then(pl.lit(ctx.t("admin.yes")))
        .otherwise(pl.lit(ctx.t("admin.no")))
        .alias("has_password"),
    )
    localised_table(
        ctx,
        accounts,
        {
            "username": "admin.col.username",
            "email": "admin.col.email",
            "role": "admin.col.role",
            "source": "admin.col.source",
            "scope": "admin.col.scope",
            "has_password": "admin.col.has_password",
            "created_at": "admin.col.created_at",
            "updated_at": "admin.col.updated_at",
        },
        vocab={"role": "auth.role", "source": "admin.source"},
        key="admin_users",
    )

# -- sign-in sessions ------------------------------------------------------------------------
st.header(ctx.t("admin.sessions"))
st.caption(ctx.t("admin.sessions_help"))
ended_before = st.session_state.pop(ENDED_KEY, None)
if isinstance(ended_before, int):
    st.success(ctx.t("admin.sessions_revoked", n=ctx.num(ended_before)))
now = sessions.utc_now()
policy = sessions.policy_from_env()
live = list_sessions(ctx.store, live_at=now).filter(pl.col("last_seen_at") > now - policy.idle)
if live.height == 0:
    st.info(ctx.t("admin.no_sessions"), icon=":material/devices:")
else:
    localised_table(
        ctx,
        live,
        {
            "username": "admin.col.username",
            "session_id": "admin.col.session",
            "created_at": "admin.col.signed_in_at",
            "last_seen_at": "admin.col.last_seen_at",
            "expires_at": "admin.col.expires_at",
            "user_agent": "admin.col.user_agent",
        },
        kinds={"session_id": "text", "user_agent": "text"},
        key="admin_sessions",
    )
    owners = dict(zip(live["session_id"], live["username"], strict=True))
    with st.form("admin_revoke_session"):
        picked = st.selectbox(
            ctx.t("admin.session_pick"),
            options=list(owners),
            format_func=lambda sid: f"{owners[sid]} · {sid}",
            key="admin_session_pick",
        )
        everywhere = st.checkbox(ctx.t("admin.session_all_of_account"), key="admin_session_all")
        revoke = st.form_submit_button(ctx.t("admin.session_revoke"), icon=":material/logout:")
    if revoke and picked in owners:
        caller = service.web_caller(user)
        if everywhere:
            ended = service.revoke_sessions(ctx.store, caller, username=owners[picked])
        else:
            ended = service.revoke_sessions(ctx.store, caller, session_ids=[picked])
        st.session_state[ENDED_KEY] = len(ended)
        st.rerun()  # the list without them, then the message

# -- letterhead and signer -------------------------------------------------------------------
st.header(ctx.t("admin.letterhead"), anchor="kop-surat")
st.caption(ctx.t("admin.letterhead_help"))
if st.session_state.pop(LETTERHEAD_SAVED_KEY, False):
    st.success(ctx.t("admin.lh.saved"), icon=":material/check_circle:")
current = fq.letter_settings(ctx.store) or {}
pending = letters_mod.Settings.from_row(current, ctx.lang).placeholders()
if pending:
    st.warning(
        ctx.t(
            "admin.lh.pending",
            fields=", ".join(ctx.t(f"letter.field.{name}") for name in pending),
        ),
        icon=":material/warning:",
    )
with st.form("admin_letterhead"):
    typed: dict[str, str] = {}
    for name, label in LETTERHEAD_FIELDS:
        value = current.get(name) or ""
        if name in pending:  # a placeholder is not a value to edit: start empty
            value = ""
        typed[name] = st.text_input(
            ctx.t(label), value=value, max_chars=200, key=f"admin_lh_{name}"
        )
    save = st.form_submit_button(ctx.t("admin.lh.save"), icon=":material/save:")
if save:
    nip = letters_mod.normalise_nip(typed["signer_nip"])
    if nip is not None and not (nip.isdigit() and len(nip) == 18):
        st.error(ctx.t("admin.lh.bad_nip"), icon=":material/error:")
    else:
        try:
            fa.save_letter_settings(
                ctx.store,
                user,
                {**{k: v.strip() for k, v in typed.items()}, "signer_nip": nip or ""},
                where=fa.Where(channel="web", ip=session.client_ip()),
            )
        except Refused:
            st.error(ctx.t("auth.not_allowed"), icon=":material/block:")
        except fa.InvalidText as exc:
            label = dict(LETTERHEAD_FIELDS).get(exc.field, "admin.lh.office_name")
            st.error(ctx.t("followup.bad_text", field=ctx.t(label), char=exc.char))
        else:
            st.session_state[LETTERHEAD_SAVED_KEY] = True
            st.rerun()

# -- audit trail -----------------------------------------------------------------------------
st.header(ctx.t("admin.audit"))
st.caption(ctx.t("admin.audit_help"))
trail = audit.log(ctx.store)
st.caption(
    ctx.t(
        "admin.audit_shown",
        shown=ctx.num(min(trail.height, AUDIT_ROWS_SHOWN)),
        total=ctx.num(trail.height),
    )
)
localised_table(
    ctx,
    trail.head(AUDIT_ROWS_SHOWN).with_columns(detail_text(pl.col("detail"))),
    {
        "occurred_at": "admin.col.occurred_at",
        "actor": "admin.col.actor",
        "action": "admin.col.action",
        "outcome": "admin.col.outcome",
        "target": "admin.col.target",
        "detail": "admin.col.detail",
        "ip": "admin.col.ip",
        "channel": "admin.col.channel",
    },
    vocab={"action": "audit.action", "outcome": "audit.outcome", "channel": "audit.channel"},
    kinds={"detail": "text", "target": "text"},
    key="admin_audit",
)
file_button(
    st,
    ctx.t("admin.audit_download"),
    session.audited_download(
        ctx.store,
        user,
        lambda: (export.to_csv_bytes(audit.log(ctx.store)), trail.height),
        target="audit_log",
        detail={"format": "csv"},
        action="audit.export",
    ),
    export.stamped_name("log-audit", "csv"),
    key="admin_audit_csv",
)
