"""Tindak Lanjut: which agencies to chase, where each one stands, and whether chasing works.

The list is ordered by unsigned x days outstanding (:mod:`dashboard.followup.overdue`);
every action goes through :mod:`dashboard.access.followup`, which checks role and scope
on the server and audits. The page shows counts only: names leave the app solely inside
a letter's attachment, for those allowed to see them.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import i18n
from dashboard.access import auth
from dashboard.access import followup as fa
from dashboard.access.gate import Refused
from dashboard.followup import letters as letters_mod
from dashboard.followup import steps
from dashboard.followup.overdue import NEARING_DAYS
from dashboard.queries import followup as q
from dashboard.render import followup_charts
from dashboard.text import plain
from dashboard.web import session
from dashboard.web.cache import cached_query
from dashboard.web.components import (
    Metric,
    file_button,
    linked_select,
    localised_table,
    metric_row,
    no_data,
    page_header,
)
from dashboard.web.context import get_context
from dashboard.web.leadership import paginate, plot_cached
from schemas.vocab import FOLLOWUP_STEPS, LETTER_FORMATS

STATUS_PARAM, AGENCY_PARAM = "tl_status", "tl_agency"  # "agency" is the global filter
STATUSES = ("all", "overdue", "nearing", "not_followed_up")
STATUS_KEY, AGENCY_KEY = "fu_status", "fu_agency"
LETTER_KEY, BATCH_KEY, FLASH_KEY = "fu_letter", "fu_batch_file", "fu_flash"
BATCH_MAX = 50
NAME_CHARS = 34

ctx = get_context()
f = ctx.filters
page_header(ctx, "nav.followup")
user = session.require(ctx, auth.VIEW_AGGREGATES)
where = fa.Where(channel="web", ip=session.client_ip())
campaign = q.campaign_of(f)
settings = cached_query(q.letter_settings, ctx)
labels = steps.step_labels(ctx.lang, (settings or {}).get("step_labels"))
flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    st.success(flash, icon=":material/check_circle:")

chase = cached_query(fa.chase_list, ctx, user, f)
register = cached_query(q.letters, ctx)
metric_row(
    ctx,
    [
        Metric(
            ctx.t("followup.m.to_chase"),
            ctx.num(chase.height),
            help=ctx.t("followup.help.to_chase"),
        ),
        Metric(
            ctx.t("followup.m.overdue"),
            ctx.num(int(chase["overdue"].sum())),
            help=ctx.t("followup.help.overdue"),
        ),
        Metric(
            ctx.t("followup.m.nearing"),
            ctx.num(int(chase["nearing"].sum())),
            help=ctx.t("followup.help.nearing", days=ctx.num(NEARING_DAYS)),
        ),
        Metric(
            ctx.t("followup.m.letters_sent"),
            ctx.num(
                register.filter(
                    (pl.col("status") == "sent")
                    & pl.col("agency_id").is_in(chase["agency_id"].implode())
                ).height
            ),
            help=ctx.t("followup.help.letters_sent"),
        ),
    ],
    per_row=4,
)
if chase.height == 0:
    no_data(ctx, "followup.none")
    st.stop()
if chase["due_date"].is_null().all():  # "0 overdue" means nothing until a deadline is set
    st.info(ctx.t("followup.no_deadline_yet"), icon=":material/event:")


# the form field that typed text came from, by the action's parameter name
TEXT_FIELDS = {"note": "followup.note", "head_title": "followup.contact_head"}


def _placeholder_warning() -> None:
    """Before a letter is generated: say that the letterhead or signer is still the
    placeholder, that the letter will carry it marked as a draft, and where to set it."""
    pending = letters_mod.Settings.from_row(settings, ctx.lang).placeholders()
    if not pending:
        return
    fields = ", ".join(ctx.t(f"letter.field.{name}") for name in pending)
    admin = user.can(auth.LETTER_SETTINGS) and user.can(auth.MANAGE_USERS)
    where_key = "followup.placeholder_where_admin" if admin else "followup.placeholder_where_other"
    st.warning(
        ctx.t("followup.placeholder_warning", fields=fields) + " " + ctx.t(where_key),
        icon=":material/warning:",
    )
    if admin:  # the Admin page is in this user's navigation
        st.page_link(
            "views/admin.py",
            label=ctx.t("followup.placeholder_link"),
            icon=":material/admin_panel_settings:",
            query_params={"lang": ctx.lang} if ctx.lang != i18n.DEFAULT_LANG else None,
        )


def _act(run: object) -> None:
    """Run an access-checked action; refusals and bad requests become a message."""
    try:
        run()  # type: ignore[operator]
    except Refused:
        st.error(ctx.t("followup.denied"), icon=":material/block:")
        st.stop()
    except fa.InvalidText as exc:
        label = ctx.t(TEXT_FIELDS.get(exc.field, "followup.note"))
        st.error(ctx.t("followup.bad_text", field=plain(label), char=exc.char))
        st.stop()
    except fa.FollowupError:
        st.error(ctx.t("followup.error"), icon=":material/error:")
        st.stop()


# -- the list ------------------------------------------------------------------------------------
if STATUS_KEY not in st.session_state:
    wanted = st.query_params.get(STATUS_PARAM)
    st.session_state[STATUS_KEY] = wanted if wanted in STATUSES else "all"
status = st.radio(
    ctx.t("followup.status_filter"),
    STATUSES,
    format_func=lambda s: ctx.t(f"followup.filter.{s}"),
    horizontal=True,
    key=STATUS_KEY,
)
if status == "all":
    if STATUS_PARAM in st.query_params:
        del st.query_params[STATUS_PARAM]
elif st.query_params.get(STATUS_PARAM) != status:
    st.query_params[STATUS_PARAM] = status

shown = {
    "all": chase,
    "overdue": chase.filter(pl.col("overdue")),
    "nearing": chase.filter(pl.col("nearing")),
    "not_followed_up": chase.filter(pl.col("step") == steps.FIRST_STEP),
}[status].with_columns(
    pl.coalesce("regency_name", "province_name").alias("region"),
    pl.when(pl.col("reported").not_())  # sent nothing yet: a list is asked for, not names
    .then(pl.lit("not_reported"))
    .when(pl.col("overdue"))
    .then(pl.lit("overdue"))
    .when(pl.col("nearing"))
    .then(pl.lit("nearing"))
    .when(pl.col("due_date").is_null())
    .then(pl.lit("no_deadline"))
    .otherwise(pl.lit("on_track"))
    .alias("state"),
    pl.col("step").replace_strict(labels, default=None).alias("step_label"),
    # a phone shows the first ~40 characters: the figures must follow the name closely
    pl.when(pl.col("name").str.len_chars() > NAME_CHARS)
    .then(pl.col("name").str.slice(0, NAME_CHARS - 1) + "…")
    .otherwise(pl.col("name"))
    .alias("name_short"),
)
if shown.height == 0:
    no_data(ctx, "followup.none_in_filter")
else:
    offset, limit = paginate(ctx, shown.height, "fu_list")
    localised_table(
        ctx,
        shown.slice(offset, limit),
        {
            "name_short": "col.agency",
            "unsigned": "followup.col.unsigned",
            "days_outstanding": "lead.col.days",
            "priority": "followup.col.priority",
            "state": "followup.col.state",
            "due_date": "followup.col.deadline",
            "step_label": "followup.col.step",
            "last_action_on": "followup.col.last_action",
            "last_action_by": "followup.col.last_by",
            "letters": "followup.col.letters",
            "region": "lead.col.region",
        },
        vocab={"state": "followup.state"},
        kinds={
            "due_date": "date",
            "last_action_on": "date",
            "step_label": "text",
            "name_short": "text",
        },
        key="fu_table",
    )
    st.caption(ctx.t("followup.order_caption"))

# -- one agency: letter, actions, history -------------------------------------------------------
st.subheader(ctx.t("followup.agency_header"))
_placeholder_warning()  # before any letter is generated, with or without an agency picked
names = dict(zip(shown["agency_id"], shown["name"], strict=True))
if AGENCY_KEY not in st.session_state:
    wanted = st.query_params.get(AGENCY_PARAM)
    st.session_state[AGENCY_KEY] = wanted if wanted in names else None
elif st.session_state[AGENCY_KEY] not in names:
    st.session_state[AGENCY_KEY] = None
picked = linked_select(
    ctx.t("followup.choose"),
    names,
    key=AGENCY_KEY,
    param=AGENCY_PARAM,
    placeholder=ctx.t("followup.choose_none"),
)

if picked:
    agency = picked
    row = shown.filter(pl.col("agency_id") == agency).row(0, named=True)
    metric_row(
        ctx,
        [
            Metric(
                ctx.t("followup.col.unsigned"),
                ctx.num(row["unsigned"]),
                help=ctx.t("followup.help.unsigned"),
            ),
            Metric(
                ctx.t("lead.col.days"),
                ctx.num(row["days_outstanding"]),
                help=ctx.t("followup.help.days"),
            ),
            Metric(
                ctx.t("followup.col.deadline"),
                ctx.date(row["due_date"]),
                help=ctx.t("followup.help.deadline"),
            ),
            Metric(
                ctx.t("followup.col.letters"),
                ctx.num(row["letters"]),
                help=ctx.t("followup.help.letters"),
            ),
        ],
        per_row=4,
    )
    st.markdown(
        ctx.t(
            "followup.where_it_stands",
            step=plain(row["step_label"]),  # step names are the office's own text
            state=ctx.t(f"followup.state.{row['state']}"),
        )
    )
    named = fa.letters_name_officials(user)
    st.caption(ctx.t("followup.letter_with_names" if named else "followup.letter_counts_only"))
    c1, c2 = st.columns([1, 3])
    fmt = c1.radio(
        ctx.t("followup.format"),
        LETTER_FORMATS,
        horizontal=True,
        key="fu_format",
        format_func=lambda x: x.upper(),
    )
    if c2.button(ctx.t("followup.generate"), key="fu_generate", icon=":material/draft:"):

        def _generate() -> None:
            batch = fa.generate_letters(
                ctx.store, user, [agency], fmt=fmt, f=f, lang=ctx.lang, where=where
            )
            file = batch.files[0]
            session.hold_file(
                LETTER_KEY,
                user,
                file.name,
                file.data,
                file.mime,
                requires=auth.VIEW_AGGREGATES,
                agency_id=agency,
                number=batch.register["letter_number"][0],
            )
            st.session_state[FLASH_KEY] = ctx.t(
                "followup.generated", number=plain(batch.register["letter_number"][0])
            )
            st.rerun()

        _act(_generate)
    made = session.held_file(ctx.store, LETTER_KEY, user)
    if made and made.meta["agency_id"] == agency:
        number, blob = made.meta["number"], made.data
        data = session.audited_download(
            ctx.store,
            user,
            lambda: (blob, 1),
            target=agency,
            detail={"letter": number, "format": made.name.rsplit(".", 1)[-1]},
            requires=made.requires,
        )
        file_button(
            st,
            ctx.t("followup.download", number=plain(number)),
            data,
            made.name,
            key="fu_download",
            mime=made.mime,
            requires=made.requires,
        )

    mine = register.filter((pl.col("agency_id") == agency) & (pl.col("campaign") == campaign)).sort(
        "generated_at", descending=True
    )
    # only the letter of the current step: one generated before the agency's last recorded
    # step is stale, and marking it sent would skip a step
    taken = cached_query(q.history, ctx, (agency,)).filter(pl.col("campaign") == campaign)
    last_step_at = taken["taken_at"].max() if taken.height else None
    pending = mine.filter(pl.col("status") == "generated")
    if last_step_at is not None:
        pending = pending.filter(pl.col("generated_at") > last_step_at)
    can_act = fa.may_act(user)
    if pending.height and can_act:
        letter_id, number = pending["letter_id"][0], pending["letter_number"][0]
        nxt = labels[steps.next_step(row["step"])]
        if st.button(
            ctx.t("followup.mark_sent", number=plain(number), step=plain(nxt)),
            key="fu_mark_sent",
            icon=":material/send:",
        ):

            def _sent() -> None:
                fa.confirm_sent(ctx.store, user, letter_id, where=where)
                st.session_state[FLASH_KEY] = ctx.t("followup.marked_sent", number=plain(number))
                st.rerun()

            _act(_sent)

    if can_act:
        with st.expander(ctx.t("followup.record_header"), icon=":material/edit_note:"):
            with st.form("fu_record", clear_on_submit=True, border=False):
                step = st.selectbox(
                    ctx.t("followup.col.step"),
                    FOLLOWUP_STEPS,
                    format_func=lambda x: plain(labels[x]),
                )
                taken_on = st.date_input(
                    ctx.t("followup.taken_on"), value=dt.date.today(), format="DD/MM/YYYY"
                )
                note = st.text_input(ctx.t("followup.note"), max_chars=500)
                if st.form_submit_button(ctx.t("followup.record")):

                    def _record() -> None:
                        fa.record_step(
                            ctx.store,
                            user,
                            agency,
                            step,
                            campaign=campaign,
                            note=note,
                            taken_on=taken_on,
                            where=where,
                        )
                        st.session_state[FLASH_KEY] = ctx.t("followup.recorded")
                        st.rerun()

                    _act(_record)
            with st.form("fu_deadline", border=False):
                due = st.date_input(
                    ctx.t("followup.deadline_for_agency"),
                    value=row["due_date"] or dt.date.today() + dt.timedelta(days=14),
                    format="DD/MM/YYYY",
                )
                if st.form_submit_button(ctx.t("followup.set_deadline")):

                    def _deadline() -> None:
                        fa.set_deadline(
                            ctx.store, user, due, campaign=campaign, agency_id=agency, where=where
                        )
                        st.session_state[FLASH_KEY] = ctx.t("followup.deadline_set")
                        st.rerun()

                    _act(_deadline)

        with st.expander(ctx.t("followup.contact_header"), icon=":material/contact_mail:"):
            contact = next(
                (c for c in cached_query(q.contacts, ctx).to_dicts() if c["agency_id"] == agency),
                {},
            )
            with st.form("fu_contact", border=False):
                email = st.text_input(ctx.t("followup.contact_email"), contact.get("email") or "")
                head = st.text_input(
                    ctx.t("followup.contact_head"),
                    contact.get("head_title") or "",
                    placeholder=ctx.t("followup.contact_head_ph"),
                )
                send_list = st.checkbox(
                    ctx.t("followup.contact_send_list"), bool(contact.get("send_list"))
                )
                if st.form_submit_button(ctx.t("followup.contact_save")):

                    def _contact() -> None:
                        try:
                            fa.set_contact(
                                ctx.store,
                                user,
                                agency,
                                email=email,
                                head_title=head or None,
                                send_list=send_list,
                                where=where,
                            )
                        except fa.InvalidEmail:
                            st.error(ctx.t("followup.contact_bad_email"))
                            return
                        st.session_state[FLASH_KEY] = ctx.t("followup.contact_saved")
                        st.rerun()

                    _act(_contact)

    hist = cached_query(q.history, ctx, (agency,))
    hist = hist.filter(pl.col("campaign") == campaign).sort("taken_at", descending=True)
    if hist.height:
        hist = hist.join(
            register.select("letter_id", "letter_number"), on="letter_id", how="left"
        ).with_columns(
            pl.col("step").replace_strict(labels, default=None).alias("step_label"),
            pl.lit(row["unsigned"]).alias("unsigned_now"),
        )
        localised_table(
            ctx,
            hist,
            {
                "taken_on": "followup.taken_on",
                "step_label": "followup.col.step",
                "taken_by": "followup.col.last_by",
                "note": "followup.note",
                "letter_number": "followup.col.letter",
                "unsigned_at_step": "followup.col.unsigned_at_step",
                "unsigned_now": "followup.col.unsigned_now",
            },
            kinds={"taken_on": "date", "step_label": "text", "note": "text"},
            key="fu_history",
        )
    else:
        st.caption(ctx.t("followup.no_history"))
    mine_after = cached_query(fa.effect, ctx, user, f).per_reminder.filter(
        pl.col("agency_id") == agency
    )
    if mine_after.height:
        localised_table(
            ctx,
            mine_after.sort("sent_on", descending=True),
            {"sent_on": "followup.chart.sent_on", "signed_after": "followup.col.signed_after"},
            kinds={"sent_on": "date"},
            key="fu_after_agency",
        )

# -- every agency in the list at once -------------------------------------------------------------
with st.expander(ctx.t("followup.batch_header"), icon=":material/folder_zip:"):
    ids = shown["agency_id"].head(BATCH_MAX).to_list()
    st.caption(ctx.t("followup.batch_caption", n=ctx.num(len(ids)), max=ctx.num(BATCH_MAX)))
    _placeholder_warning()
    bfmt = st.radio(
        ctx.t("followup.format"),
        LETTER_FORMATS,
        horizontal=True,
        key="fu_batch_format",
        format_func=lambda x: ctx.t(f"followup.batch_format.{x}"),
    )
    if ids and st.button(ctx.t("followup.batch_generate"), key="fu_batch"):

        def _batch() -> None:
            batch = fa.generate_letters(
                ctx.store, user, ids, fmt=bfmt, f=f, bundle=True, lang=ctx.lang, where=where
            )
            file = batch.files[0]
            session.hold_file(
                BATCH_KEY,
                user,
                file.name,
                file.data,
                file.mime,
                requires=auth.VIEW_AGGREGATES,
                n=len(ids),
            )

        _act(_batch)
    made_batch = session.held_file(ctx.store, BATCH_KEY, user)
    if made_batch:
        name, blob, n = made_batch.name, made_batch.data, made_batch.meta["n"]
        file_button(
            st,
            ctx.t("followup.batch_download", n=ctx.num(n)),
            session.audited_download(
                ctx.store,
                user,
                lambda: (blob, n),
                target="batch",
                detail={"file": name},
                requires=made_batch.requires,
            ),
            name,
            key="fu_batch_download",
            mime=made_batch.mime,
            requires=made_batch.requires,
        )

# -- did it work? ----------------------------------------------------------------------------------
st.subheader(ctx.t("followup.effect_header"))
eff = cached_query(fa.effect, ctx, user, f)
if eff.by_step.height:
    st.markdown(f"**{ctx.t('followup.chart.by_step_title')}**")
    plot_cached(
        ctx,
        "fu_effect_steps",
        lambda: followup_charts.effect_by_step(eff.by_step, labels, ctx.lang),
    )
    st.caption(ctx.t("followup.effect_caption"))
else:
    st.caption(ctx.t("followup.effect_none"))
if eff.after_reminders.height and eff.after_reminders["signed_after"].sum() > 0:
    st.markdown(f"**{ctx.t('followup.chart.after_title')}**")
    plot_cached(
        ctx,
        "fu_effect_after",
        lambda: followup_charts.signatures_after(eff.after_reminders, ctx.lang),
    )
    st.caption(ctx.t("followup.after_caption"))
elif eff.after_reminders.height:
    st.caption(ctx.t("followup.after_none"))
