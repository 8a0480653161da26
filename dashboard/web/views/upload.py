"""Unggah Roster: roster and event uploads, checked before anything is stored.

Flow: pick a file -> see how it was read -> adjust the column mapping -> check (progress bar)
-> report with filters and downloads (the rejected rows themselves included) -> preview of
what changes -> choose mode and what to accept -> commit. Every other page's caches are keyed
on the store version, so they show the new figures on their next run. The report lives in
``st.session_state`` keyed by the file's digest, so reruns do not re-check a large file.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.access import auth, service, upload_history, upload_scope
from dashboard.access.gate import Refused
from dashboard.domain import localtime
from dashboard.domain.regions import load_regions
from dashboard.domain.regions import provinces as province_table
from dashboard.ingest import columns as C
from dashboard.ingest.checks import UploadReport
from dashboard.ingest.events import (
    EVENT_KNOWN_HEADERS,
    check_events,
    form_report,
    read_events,
)
from dashboard.ingest.reading import (
    RawTable,
    UnreadableFile,
    preferred_sheet,
    roster_sheets,
    sha256,
    sheet_names,
)
from dashboard.ingest.roster import ROSTER_KNOWN_HEADERS, check_roster, read_roster
from dashboard.ingest.templates import template_bytes
from dashboard.store.database import StoreBusy, UploadError
from dashboard.text import plain
from dashboard.web import session, widget_text
from dashboard.web.cache import cached_query
from dashboard.web.components import download_buttons, file_button, local_time_text, page_header
from dashboard.web.context import Ctx, get_context
from schemas.vocab import EVENT_KINDS, UPLOAD_MODES, UPLOAD_STATUSES

REPORT_KEY = "_upload_report"
EVENTS_REPORT_KEY = "_upload_events_report"
FLASH_KEY = "_upload_flash"
RAW_KEY = "_upload_raw_{kind}"
FILE_TYPES = ["csv", "txt", "tsv", "xlsx", "xls", "ods"]
DELIMITER_KEYS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _uploader(ctx: Ctx) -> str:
    return ctx.user.username if ctx.user is not None else "lokal"


def _scope(ctx: Ctx, report: UploadReport) -> UploadReport:
    """Regional uploaders may only upload rows of their own area (and see only its people
    in the preview)."""
    if ctx.user is not None and not ctx.user.national:
        upload_scope.refuse_out_of_scope(report, ctx.user)
    return report


def _templates(ctx: Ctx, kind: str) -> None:
    c1, c2, _ = st.columns([1, 1, 3])
    for col, fmt in ((c1, "csv"), (c2, "xlsx")):
        file_button(
            col,
            ctx.t(f"upload.page.template_{fmt}"),
            template_bytes(kind, fmt, ctx.lang),
            f"templat-{'roster' if kind == 'roster' else 'kegiatan'}.{fmt}",
            key=f"tpl_{kind}_{fmt}",
            icon=":material/description:",
        )


def _format_line(ctx: Ctx, raw: RawTable) -> str:
    fmt = raw.fmt
    if fmt.kind == "csv":
        delim = ctx.t(f"upload.page.delim.{DELIMITER_KEYS.get(fmt.delimiter or ',', 'comma')}")
        return ctx.t(
            "upload.page.format_csv",
            encoding=fmt.encoding,
            delimiter=delim,
            header=fmt.header_row,
            rows=ctx.num(raw.frame.height),
        )
    line = ctx.t(
        "upload.page.format_xlsx",
        kind=fmt.kind.upper(),
        sheet=plain(fmt.sheet),
        header=fmt.header_row,
        rows=raw.frame.height,
    )
    if not fmt.parts:
        return line
    # sheets read together (one per work unit): how many rows each gave
    each = ", ".join(f"{plain(p.name)}: {ctx.num(p.rows)}" for p in fmt.parts)
    return line + " " + ctx.t("upload.page.sheets_rows", n=len(fmt.parts), sheets=each)


def _unreadable(ctx: Ctx, exc: UnreadableFile) -> None:
    st.error(
        ctx.t(
            f"upload.{exc.code}",
            column="",
            value=plain(exc.detail.get("value", exc.detail.get("sheet", ""))),
            detail=plain(exc.detail.get("detail", exc.detail.get("sheets", ""))),
        ),
        icon=":material/error:",
    )


def _read(ctx: Ctx, kind: str, data: bytes, name: str) -> RawTable | None:
    """Read the file once per upload (offering a sheet choice for workbooks).

    The result (or the reason it cannot be read) is kept in this session's state under the
    file's digest and sheet, so a rerun of the page (every click) does not parse it again;
    nothing is shared between sessions.
    """
    digest = sha256(data)
    held = st.session_state.get(RAW_KEY.format(kind=kind))
    if not held or held["digest"] != digest:
        try:
            sheets = sheet_names(data) if data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0") else []
        except UnreadableFile as exc:
            sheets, held = [], {"digest": digest, "sheets": [], "read": {None: exc}}
        else:
            known = ROSTER_KNOWN_HEADERS if kind == "roster" else EVENT_KNOWN_HEADERS
            # offered first: the sheet whose header the reader recognises (not a cover sheet)
            first = preferred_sheet(data, known) if len(sheets) > 1 else None
            together = roster_sheets(data, known) if len(sheets) > 1 else []
            held = {
                "digest": digest,
                "sheets": sheets,
                "read": {},
                "preferred": first,
                "together": together,
            }
        st.session_state[RAW_KEY.format(kind=kind)] = held
    sheet = None
    if len(held["sheets"]) > 1:
        preferred = held.get("preferred")
        together = held.get("together") or []
        # several sheets with the roster's header: all of them together, first (None)
        options = [None, *held["sheets"]] if len(together) > 1 else held["sheets"]
        start = options.index(preferred) if preferred in options else 0
        sheet = st.selectbox(
            ctx.t("upload.page.sheet"),
            options,
            index=0 if len(together) > 1 else start,
            format_func=lambda s: (
                ctx.t("upload.page.all_sheets", n=len(together)) if s is None else s
            ),
            key=f"sheet_{kind}",
        )
    result = held["read"].get(sheet)
    if result is None:
        reader = read_roster if kind == "roster" else read_events
        try:
            result = reader(data, name, sheet)
        except UnreadableFile as exc:
            result = exc
        held["read"] = {sheet: result}  # one parsed sheet kept, not every one looked at
    if isinstance(result, UnreadableFile):
        _unreadable(ctx, result)
        return None
    return result


def _mapping(ctx: Ctx, raw: RawTable, kind: str) -> C.ColumnMapping:
    """The automatic mapping, editable: one select per canonical column."""
    aliases, required, canon = (
        (C.ROSTER_ALIASES, C.ROSTER_REQUIRED, C.ROSTER_COLUMNS)
        if kind == "roster"
        else (C.EVENT_ALIASES, C.EVENT_REQUIRED, C.EVENT_COLUMNS)
    )
    auto = C.auto_mapping(raw.headers, aliases, required)
    none = ctx.t("upload.page.not_mapped")
    options = [none, *raw.headers]
    chosen: dict[str, str] = {}
    with st.expander(ctx.t("upload.page.mapping"), expanded=bool(auto.missing_required)):
        st.caption(ctx.t("upload.page.mapping_help"))
        cols = st.columns(3)
        for i, col in enumerate(canon):
            label = ctx.t(f"upload.field.{col}") + (" *" if col in required else "")
            current = auto.columns.get(col)
            pick = cols[i % 3].selectbox(
                label,
                options,
                index=options.index(current) if current in options else 0,
                key=f"map_{kind}_{raw.sha256[:12]}_{col}",
            )
            if pick != none:
                chosen[col] = pick
    return C.with_columns(chosen, raw.headers, required, duplicate_hint=list(auto.duplicate))


def _check(ctx: Ctx, kind: str, raw: RawTable, mapping: C.ColumnMapping, mode: str) -> UploadReport:
    bar = st.progress(0.0, text=ctx.t("upload.page.checking"))

    def step(frac: float, _stage: str) -> None:
        bar.progress(min(max(frac, 0.0), 1.0), text=ctx.t("upload.page.checking"))

    report: UploadReport
    if kind == "roster":
        report = check_roster(
            raw, store=ctx.store, mapping=mapping, mode=mode, lang=ctx.lang, progress=step
        )
    else:
        report = check_events(raw, store=ctx.store, mapping=mapping, lang=ctx.lang, progress=step)
    bar.empty()
    return _scope(ctx, report)


ERROR_EXAMPLES = 5  # whole messages shown per kind of error; the table lists every one


def _blocking(ctx: Ctx, report: UploadReport) -> None:
    """What blocks the upload, first: errors grouped by kind with their counts, each shown
    message whole (it wraps), the rows as the spreadsheet numbers them."""
    errors = report.issues.filter(pl.col("severity") == "error")
    if errors.height == 0:
        return
    kinds = (
        errors.group_by("code", maintain_order=True)
        .agg(pl.len().alias("n"), pl.col("row", "message").head(ERROR_EXAMPLES))
        .sort("n", descending=True, maintain_order=True)
    )
    lines = [ctx.t("upload.page.blocking", n=ctx.num(errors.height), kinds=ctx.num(kinds.height))]
    for kind in kinds.iter_rows(named=True):
        block = [f"**{plain(kind['code'])}** · {ctx.num(kind['n'])}"]
        for row, message in zip(kind["row"], kind["message"], strict=True):
            where = ctx.t("upload.page.at_row", row=row) if row is not None else ""
            block.append(f"- {where}{plain(message)}")
        if kind["n"] > ERROR_EXAMPLES:
            more = ctx.num(kind["n"] - ERROR_EXAMPLES)
            block.append(f"- {ctx.t('upload.page.more_in_table', n=more)}")
        lines.append("\n".join(block))
    st.error("\n\n".join(lines), icon=":material/error:")


def _report(ctx: Ctx, report: UploadReport, key: str) -> None:
    """Counts, the issue table with filters, and the downloads."""
    c = st.columns(4)
    c[0].metric(ctx.t("upload.page.rows"), ctx.num(report.rows))
    c[1].metric(ctx.t("upload.page.valid"), ctx.num(report.valid_rows))
    c[2].metric(ctx.t("upload.page.errors"), ctx.num(len(report.errors)))
    c[3].metric(ctx.t("upload.page.warnings"), ctx.num(len(report.warnings)))
    if report.duplicate_of:
        st.info(ctx.t("upload.page.duplicate", upload_id=report.duplicate_of))
    st.subheader(ctx.t("upload.page.report"))
    if report.issues.height == 0:
        st.success(ctx.t("upload.page.no_issues"), icon=":material/check_circle:")
        return
    _blocking(ctx, report)
    f1, f2 = st.columns(2)
    severities = f1.multiselect(
        ctx.t("upload.page.filter_severity"),
        ["error", "warning"],
        default=["error", "warning"],
        format_func=lambda s: ctx.t(f"upload.severity.{s}"),
        placeholder=ctx.t("filter.all"),
        key=f"{key}_sev",
    )
    codes = sorted(report.issues["code"].unique().to_list())
    picked = f2.multiselect(
        ctx.t("upload.page.filter_code"), codes, placeholder=ctx.t("filter.all"), key=f"{key}_codes"
    )
    shown = report.issues.filter(pl.col("severity").is_in(severities)).sort(
        pl.col("severity") != "error", maintain_order=True
    )
    if picked:
        shown = shown.filter(pl.col("code").is_in(picked))
    view = UploadReport(
        raw=report.raw,
        mapping=report.mapping,
        lang=report.lang,
        issues=shown,
        candidates=report.candidates,
        new_agencies=report.new_agencies,
    ).issue_table()
    # file-wide issues have no row: a dash, not "None"
    st.dataframe(view, hide_index=True, width="stretch", key=f"{key}_table", placeholder="–")
    # two buttons per row so the longer labels fit
    label = ctx.t("upload.page.download_report")
    download_buttons(
        ctx, report.issue_table(), "laporan-unggahan", key=f"{key}_rep", label=label, widths=(1, 1)
    )
    rejected = report.rejected_rows()
    if rejected.height:
        label = ctx.t("upload.page.download_rejected")
        download_buttons(
            ctx, rejected, "baris-ditolak", key=f"{key}_rej", label=label, widths=(1, 1)
        )


def _new_agencies(ctx: Ctx, report: UploadReport) -> None:
    new = report.valid_new_agencies
    if new.height == 0:
        return
    names = dict(load_regions().select("code", "name").iter_rows())
    with st.expander(ctx.t("upload.page.new_agencies", n=new.height), expanded=True):
        st.dataframe(
            new.select(
                pl.col("name").alias(ctx.t("col.agency")),
                pl.col("province_code")
                .replace_strict(names, default=pl.col("province_code"))
                .alias(ctx.t("col.province")),
                pl.col("regency_code")
                .replace_strict(names, default=pl.col("regency_code"))
                .alias(ctx.t("col.regency")),
                pl.col("rows").alias(ctx.t("upload.page.rows")),
            ),
            hide_index=True,
            width="stretch",
        )


def _preview(ctx: Ctx, report) -> None:  # noqa: ANN001 - a RosterReport
    prev = report.agency_preview
    if prev.height == 0:
        return
    st.subheader(ctx.t("upload.page.preview"))
    before, after = ctx.t("upload.page.before"), ctx.t("upload.page.after")
    st.dataframe(
        prev.select(
            pl.col("name").alias(ctx.t("col.agency")),
            pl.col("is_new").alias(ctx.t("upload.page.is_new")),
            pl.format("{} / {}", "signed_before", "target_before").alias(
                f"{ctx.t('col.signed')} / {ctx.t('col.target')} · {before}"
            ),
            pl.format("{} / {}", "signed_after", "target_after").alias(
                f"{ctx.t('col.signed')} / {ctx.t('col.target')} · {after}"
            ),
        ),
        hide_index=True,
        width="stretch",
    )
    people = report.person_changes
    if people.height:
        with st.expander(f"{ctx.t('upload.page.people')} ({ctx.num(people.height)})"):
            labels = {c: ctx.t(f"upload.change.{c}") for c in ("newly_signed", "new", "left")}
            st.dataframe(
                people.select(
                    pl.col("agency_name").alias(ctx.t("col.agency")),
                    pl.col("nip").alias("NIP"),
                    pl.col("name").alias(ctx.t("col.name")),
                    pl.col("change")
                    .replace_strict(labels, default=pl.col("change"))
                    .alias(ctx.t("upload.page.change")),
                ),
                hide_index=True,
                width="stretch",
            )


def _flash(ctx: Ctx) -> None:
    msg = st.session_state.pop(FLASH_KEY, None)
    if msg:
        st.success(msg, icon=":material/task_alt:")


def _commit(ctx: Ctx, report: UploadReport, kind: str, accept_valid: bool) -> None:
    try:
        result = service.commit_upload(
            ctx.store,
            service.web_caller(ctx.user),
            report,
            accept_valid=accept_valid,
            uploaded_by=_uploader(ctx),
        )
    except StoreBusy:
        st.error(ctx.t("upload.page.busy"))
        return
    except Refused:
        st.error(ctx.t("auth.action_refused"), icon=":material/block:")
        return
    if result.upload_id:
        rows = report.accepted(accept_valid).height
        st.session_state[FLASH_KEY] = ctx.t(
            "upload.page.committed", upload_id=result.upload_id, rows=ctx.num(rows)
        )
        st.session_state.pop(REPORT_KEY if kind == "roster" else EVENTS_REPORT_KEY, None)
        st.session_state.pop(TARGET_REPORT_KEY, None)
        st.rerun()
    elif result.duplicate_of:
        st.info(ctx.t("upload.page.duplicate", upload_id=result.duplicate_of))
    else:
        st.warning(ctx.t("upload.page.nothing"))


def roster_tab(ctx: Ctx) -> None:
    st.caption(ctx.t("upload.page.intro"))
    _templates(ctx, "roster")
    file = st.file_uploader(
        ctx.t("upload.page.file"),
        type=FILE_TYPES,
        key="roster_file",
        help=ctx.t("upload.page.limit", mb=st.get_option("server.maxUploadSize")),
    )
    st.caption(ctx.t("upload.page.limit", mb=st.get_option("server.maxUploadSize")))
    if file is None:
        st.session_state.pop(REPORT_KEY, None)
        st.session_state.pop(RAW_KEY.format(kind="roster"), None)
        return
    raw = _read(ctx, "roster", file.getvalue(), file.name)
    if raw is None:
        return
    st.caption(_format_line(ctx, raw))
    mapping = _mapping(ctx, raw, "roster")
    mode = st.radio(
        ctx.t("upload.page.mode"),
        list(UPLOAD_MODES),
        format_func=lambda m: ctx.t(f"upload.page.mode.{m}"),
        captions=[ctx.t(f"upload.page.mode_says.{m}") for m in UPLOAD_MODES],
        key="roster_mode",
        horizontal=True,
    )
    signature = (raw.sha256, tuple(sorted(mapping.columns.items())), mode, ctx.lang)
    held = st.session_state.get(REPORT_KEY)
    if st.button(ctx.t("upload.page.check"), type="primary", key="roster_check"):
        held = (signature, _check(ctx, "roster", raw, mapping, mode))
        st.session_state[REPORT_KEY] = held
    if not held or held[0] != signature:
        return
    report = held[1]
    _report(ctx, report, "roster_report")
    _new_agencies(ctx, report)
    _preview(ctx, report)
    _accept_and_commit(ctx, report, "roster")


TARGET_KINDS = ("sasaran", "tanda_tangan")
TARGET_REPORT_KEY = "_upload_target_report"


def targets_tab(ctx: Ctx) -> None:
    """A target roster (SIASN export, or the template without status) or a signature list
    matched to it by NIP: each is one upload, rolled back on its own."""
    from dashboard.ingest.siasn import check_target
    from dashboard.ingest.signatures import check_signatures

    st.caption(ctx.t("upload.page.targets_intro"))
    kind = st.radio(
        ctx.t("upload.page.target_kind"),
        list(TARGET_KINDS),
        format_func=lambda k: ctx.t(f"upload.kind.{k}"),
        key="target_kind",
        horizontal=True,
    )
    file = st.file_uploader(ctx.t("upload.page.file"), type=FILE_TYPES, key="target_file")
    if file is None:
        st.session_state.pop(TARGET_REPORT_KEY, None)
        return
    data = file.getvalue()
    signature = (kind, hashlib.sha256(data).hexdigest(), ctx.lang)
    held = st.session_state.get(TARGET_REPORT_KEY)
    if st.button(ctx.t("upload.page.check"), type="primary", key="target_check"):
        try:
            if kind == "sasaran":  # rows of a target roster have places: scope applies
                checked = _scope(ctx, check_target(data, file.name, store=ctx.store, lang=ctx.lang))
            else:
                checked = check_signatures(data, file.name, store=ctx.store, lang=ctx.lang)
            held = (signature, checked)
        except UnreadableFile as exc:
            _unreadable(ctx, exc)
            return
        st.session_state[TARGET_REPORT_KEY] = held
    if not held or held[0] != signature:
        return
    report = held[1]
    _report(ctx, report, "target_report")
    inactive = getattr(report, "inactive", {})
    if inactive:
        st.caption(
            ctx.t(
                "upload.page.not_targeted",
                n=ctx.num(sum(inactive.values())),
                reasons=", ".join(f"{k}: {ctx.num(v)}" for k, v in inactive.items()),
            )
        )
    _accept_and_commit(ctx, report, kind)


def _accept_and_commit(ctx: Ctx, report: UploadReport, kind: str) -> None:
    accept_valid = False
    if report.has_errors:
        left = report.rows - report.valid_rows
        policy = st.radio(
            ctx.t("upload.page.policy"),
            ["all", "valid"],
            format_func=lambda p: ctx.t(
                f"upload.page.policy.{p}", valid=ctx.num(report.valid_rows), left=ctx.num(left)
            ),
            captions=[ctx.t(f"upload.page.policy_says.{p}") for p in ("all", "valid")],
            key=f"{kind}_policy",
        )
        accept_valid = policy == "valid"
    can_commit = report.valid_rows > 0 and (accept_valid or not report.has_errors)
    if report.has_errors and not accept_valid and report.valid_rows > 0:
        st.caption(ctx.t("upload.page.why_disabled"))
    if st.button(
        ctx.t("upload.page.commit") if kind == "roster" else ctx.t("upload.page.events_commit"),
        type="primary",
        disabled=not can_commit,
        key=f"{kind}_commit",
    ):
        _commit(ctx, report, kind, accept_valid)


def events_tab(ctx: Ctx) -> None:
    st.subheader(ctx.t("upload.page.form"))
    provs = province_table().sort("name")
    with st.form("event_form", clear_on_submit=False):
        c1, c2, c3 = st.columns(3)

        def text(col: str, where=c1, **kw) -> str:  # noqa: ANN001 - a Streamlit column
            return where.text_input(ctx.t(f"upload.field.{col}"), key=f"ev_{col}", **kw)

        values: dict[str, str | None] = {
            C.EV_TANGGAL: text(C.EV_TANGGAL, c1, placeholder="25/09/2023"),
            C.EV_PRESISI: c2.selectbox(
                ctx.t(f"upload.field.{C.EV_PRESISI}"),
                ["", "tanggal", "bulan", "tahun"],
                key=f"ev_{C.EV_PRESISI}",
            ),
            C.EV_JENIS: c3.selectbox(
                ctx.t(f"upload.field.{C.EV_JENIS}"),
                list(EVENT_KINDS),
                format_func=lambda k: ctx.t(f"event.{k}"),
                key=f"ev_{C.EV_JENIS}",
            ),
            C.EV_INSTANSI: text(C.EV_INSTANSI, c1),
            C.EV_PROVINSI: c2.selectbox(
                ctx.t(f"upload.field.{C.EV_PROVINSI}"),
                provs["name"].to_list(),
                key=f"ev_{C.EV_PROVINSI}",
            ),
            C.EV_KABUPATEN_KOTA: text(C.EV_KABUPATEN_KOTA, c3),
            C.EV_DIPIMPIN: text(C.EV_DIPIMPIN, c1),
            C.EV_SAKSI: text(C.EV_SAKSI, c2),
            C.EV_DASAR: text(C.EV_DASAR, c3),
            C.EV_PESERTA: text(C.EV_PESERTA, c1),
            C.EV_SASARAN: text(C.EV_SASARAN, c2),
            C.EV_SUDAH: text(C.EV_SUDAH, c3),
            C.EV_SUMBER: text(C.EV_SUMBER, c1),
            C.EV_JUDUL: text(C.EV_JUDUL, c2),
            C.EV_TAUTAN: text(C.EV_TAUTAN, c3),
            C.EV_RINGKASAN: st.text_area(
                ctx.t(f"upload.field.{C.EV_RINGKASAN}"), key=f"ev_{C.EV_RINGKASAN}"
            ),
        }
        submitted = st.form_submit_button(ctx.t("upload.page.form_submit"), type="primary")
    if submitted:
        report = _scope(ctx, form_report(values, store=ctx.store, lang=ctx.lang))
        if report.has_errors:
            st.dataframe(report.issue_table(), hide_index=True, width="stretch")
        else:
            _commit(ctx, report, "events", accept_valid=False)

    st.divider()
    st.subheader(ctx.t("upload.page.events_file"))
    _templates(ctx, "events")
    file = st.file_uploader(ctx.t("upload.page.file_events"), type=FILE_TYPES, key="events_file")
    if file is None:
        st.session_state.pop(EVENTS_REPORT_KEY, None)
        st.session_state.pop(RAW_KEY.format(kind="events"), None)
        return
    raw = _read(ctx, "events", file.getvalue(), file.name)
    if raw is None:
        return
    st.caption(_format_line(ctx, raw))
    mapping = _mapping(ctx, raw, "events")
    signature = (raw.sha256, tuple(sorted(mapping.columns.items())), ctx.lang)
    held = st.session_state.get(EVENTS_REPORT_KEY)
    if st.button(ctx.t("upload.page.check"), type="primary", key="events_check"):
        held = (signature, _check(ctx, "events", raw, mapping, "append"))
        st.session_state[EVENTS_REPORT_KEY] = held
    if not held or held[0] != signature:
        return
    report = held[1]
    _report(ctx, report, "events_report")
    _new_agencies(ctx, report)
    _accept_and_commit(ctx, report, "events")


CONFIRM_KEY = "rollback_confirm"  # the upload whose rollback waits for confirmation


def _history_frame(ctx: Ctx, hist: pl.DataFrame) -> pl.DataFrame:
    """The history in words and in the office's local time."""
    zone = localtime.office_zone()

    def words(col: str, vocab: tuple[str, ...]) -> pl.Expr:
        labels = {v: ctx.t(f"upload.{col}.{v}") for v in vocab}
        return pl.col(col).replace_strict(labels, default=pl.col(col), return_dtype=pl.String)

    def when(v: dt.datetime | None) -> str:
        return local_time_text(ctx, v, zone)

    return hist.select(
        pl.col("upload_id").alias(ctx.t("upload.col.upload_id")),
        words("kind", ("roster", "events")).alias(ctx.t("upload.col.kind")),
        pl.col("file_name").alias(ctx.t("upload.col.file")),
        pl.col("uploaded_by").alias(ctx.t("upload.col.uploaded_by")),
        pl.col("uploaded_at")
        .map_elements(when, return_dtype=pl.String)
        .alias(ctx.t("upload.col.uploaded_at")),
        pl.col("valid_rows").alias(ctx.t("upload.col.valid_rows")),
        words("mode", UPLOAD_MODES).alias(ctx.t("upload.col.mode")),
        words("status", UPLOAD_STATUSES).alias(ctx.t("upload.col.status")),
    )


def _confirm_rollback(ctx: Ctx, pick: str) -> None:
    """Say what undoing ``pick`` will change, and undo it only on a second, explicit click."""
    p = cached_query(queries.rollback_preview, ctx, pick)

    def rate(signed: int, target: int) -> str:
        return ctx.pct(signed / target if target else None)

    lines = [
        ctx.t("upload.rollback.what", upload_id=plain(pick)),
        ctx.t(
            "upload.rollback.rows",
            officials=ctx.num(p["officials"]),
            events=ctx.num(p["events"]),
            reports=ctx.num(p["reports"]),
            restored=ctx.num(p["restored"]),
            agencies=ctx.num(p["agencies"]),
        ),
    ]
    if p["agencies"]:
        lines.append(
            ctx.t(
                "upload.rollback.figures",
                target_before=ctx.num(p["target_before"]),
                target_after=ctx.num(p["target_after"]),
                signed_before=ctx.num(p["signed_before"]),
                signed_after=ctx.num(p["signed_after"]),
                rate_before=rate(p["signed_before"], p["target_before"]),
                rate_after=rate(p["signed_after"], p["target_after"]),
            )
        )
    st.warning("\n\n".join(lines), icon=":material/undo:")
    c1, c2 = st.columns(2)
    if c2.button(ctx.t("upload.rollback.cancel"), key="rollback_cancel"):
        st.session_state.pop(CONFIRM_KEY, None)
        st.rerun()
    if not c1.button(ctx.t("upload.rollback.confirm"), key="rollback_yes", type="primary"):
        return
    st.session_state.pop(CONFIRM_KEY, None)
    try:
        service.rollback_upload(ctx.store, service.web_caller(ctx.user), pick)
    except StoreBusy:
        st.error(ctx.t("upload.page.busy"))
        return
    except UploadError as exc:
        st.error(plain(str(exc)))
        return
    except Refused:
        st.error(ctx.t("auth.action_refused"), icon=":material/block:")
        return
    st.session_state[FLASH_KEY] = ctx.t("upload.page.rolled_back", upload_id=pick)
    st.rerun()


def history_tab(ctx: Ctx) -> None:
    hist = cached_query(queries.uploads, ctx)
    if ctx.user is not None:  # file names, counts, uploaders: only within the user's scope
        hist = upload_history.visible_uploads(ctx.store, ctx.user, hist)
    if hist.height == 0:
        st.info(ctx.t("upload.page.history_empty"))
        return
    st.dataframe(_history_frame(ctx, hist), hide_index=True, width="stretch")
    st.caption(ctx.t("upload.history_zone", zone=localtime.office_zone()))
    if ctx.user is not None and not ctx.user.can(auth.ROLLBACK):
        return
    committed = hist.filter(pl.col("status") == "committed")["upload_id"].to_list()
    if ctx.user is not None:  # only uploads wholly inside the user's scope can be undone
        committed = upload_scope.uploads_in_scope(ctx.store, ctx.user, committed)
    if not committed:
        return
    files = dict(zip(hist["upload_id"], hist["file_name"], strict=True))
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.selectbox(
        ctx.t("upload.page.rollback_pick"),
        committed,
        key="rollback_pick",
        format_func=lambda u: f"{u} · {files.get(u) or ''}",
    )
    if c2.button(ctx.t("upload.page.rollback"), key="rollback_go"):
        st.session_state[CONFIRM_KEY] = pick
    if pick and st.session_state.get(CONFIRM_KEY) == pick:
        _confirm_rollback(ctx, pick)


ctx = get_context()
session.require(ctx, auth.UPLOAD)  # the page can be requested by name, not only via the menu
page_header(ctx, "nav.upload")
widget_text.localise_uploaders(ctx.lang, FILE_TYPES)  # Streamlit's English uploader texts
_flash(ctx)
tab_roster, tab_targets, tab_events, tab_history = st.tabs(
    [
        ctx.t("upload.page.tab_roster"),
        ctx.t("upload.page.tab_targets"),
        ctx.t("upload.page.tab_events"),
        ctx.t("upload.page.tab_history"),
    ],
    key="upload_tabs",  # the open tab stays open across reruns (the rollback's two clicks)
)
with tab_roster:
    roster_tab(ctx)
with tab_targets:
    targets_tab(ctx)
with tab_events:
    events_tab(ctx)
with tab_history:
    history_tab(ctx)
