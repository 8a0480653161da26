"""Access control in the running app (Streamlit AppTest over a real store): sign in as each
role and scope and check what is and is not on screen, in downloads and in the audit log."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import audit, auth, upload_scope
from dashboard.ingest import roster
from dashboard.install import builtin
from dashboard.render import briefing
from dashboard.store.database import Store
from dashboard.web import leadership, session

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "web" / "app.py")
PAGES = ("overview", "map", "timeline", "unsigned", "followup", "agencies", "sources", "briefing")
NIP_RE = re.compile(r"(?<![\d.])\d{18}(?!\d)")  # 18 digits, not the tail of a float
ACCOUNTS = {
    # username: (role, provinces, regencies, password)
    "pemantau": ("viewer", (), (), "pemantau-rahasia-1"),
    "analis17": ("analyst", ("17",), (), "analis-rahasia-17"),
    "unggah17": ("uploader", ("17",), (), "unggah-rahasia-17"),
    "admin": ("admin", (), (), "admin-rahasia-001"),
    "korban": ("viewer", (), (), "korban-rahasia-01"),
}


@pytest.fixture(scope="module")
def users_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """Seed + demo data and one account per role (module-wide; tests only read the data)."""
    s = Store(tmp_path_factory.mktemp("access") / "access.duckdb")
    builtin.install(s, with_demo=True, n_officials=20_000)
    for name, (role, provs, kabs, pw) in ACCOUNTS.items():
        auth.add_user(s, name, role, password=pw, provinces=provs, regencies=kabs, actor="test")
    return s


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No secrets.toml of the developer's machine: HOME and cwd are the test's own."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def app(store: Store, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("NETRALITAS_STORE", str(store.path))
    return AppTest.from_file(APP, default_timeout=180)


def sign_in(at: AppTest, username: str, password: str | None = None) -> AppTest:
    at.run()
    at.text_input(key="signin_username").input(username)
    at.text_input(key="signin_password").input(password or ACCOUNTS[username][3])
    next(b for b in at.button if b.label == "Masuk").click()
    return at.run()


# Styler ids and CSS: Streamlit derives the table id from ``hash()`` (any 19-digit number)
NOT_TEXT_FIELDS = {"uuid", "styles"}


def _strings(value: object) -> Iterator[str]:
    """Every string inside a protobuf message (chart specs, labels, alerts...)."""
    if isinstance(value, str):
        yield value
    elif hasattr(value, "ListFields"):
        for field, v in value.ListFields():  # type: ignore[attr-defined]
            if field.name not in NOT_TEXT_FIELDS:
                yield from _strings(v)
    elif isinstance(value, list | tuple) or type(value).__name__.startswith(("Repeated", "Scalar")):
        for v in value:  # type: ignore[attr-defined]
            yield from _strings(v)


def page_text(at: AppTest) -> str:
    """All the text a reader could see on this run: elements, chart specs, table cells."""
    parts: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.extend(_strings(proto))
        for child in (getattr(node, "children", None) or {}).values():
            walk(child)

    walk(at._tree)
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [tb.value.to_csv() for tb in at.table]
    return "\n".join(parts)


def visit_all(at: AppTest, agency: str | None = None) -> dict[str, str]:
    """Text of every page; ``agency`` opens that agency's detail (roster tab) too."""
    out = {}
    for page in PAGES:
        if page == "agencies" and agency:
            at.session_state["lead_agency_detail"] = agency
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, (page, at.exception)
        out[page] = page_text(at)
    return out


def unsigned_names(store: Store) -> set[str]:
    return set(
        store.query(
            "SELECT DISTINCT name FROM officials WHERE superseded_by IS NULL AND NOT signed"
        )["name"]
    )


def roster_agency(store: Store, province: str) -> str:
    """An agency of ``province`` with unsigned officials on its current roster."""
    return store.query(
        """SELECT agency_id FROM officials WHERE superseded_by IS NULL AND NOT signed
           AND province_code = $p GROUP BY agency_id ORDER BY count(*) DESC, agency_id LIMIT 1""",
        {"p": province},
    )["agency_id"][0]


# -- configuration ------------------------------------------------------------------------------


def test_no_configuration_is_single_local_user(
    seed_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(seed_store, monkeypatch)
    at.run()
    assert not at.exception
    notices = " ".join(i.value for i in at.sidebar.info)
    assert "Mode lokal satu pengguna" in notices
    ctx = at.session_state["_netralitas_ctx"]
    assert ctx.user.role == "admin" and ctx.user.source == auth.SOURCE_SINGLE
    assert ctx.filters.scope_provinces is None


def test_sign_in_form_gates_everything(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(users_store, monkeypatch)
    at.run()
    assert [t.value for t in at.title] == ["Masuk ke Netralitas ASN"]
    assert len(at.dataframe) == 0 and len(at.metric) == 0 and len(at.sidebar.multiselect) == 0
    assert "_netralitas_ctx" not in at.session_state
    text = page_text(at)
    assert "Bengkulu" not in text and "Mukomuko" not in text
    sign_in(at, "pemantau", "kata-sandi-yang-salah")
    assert any("salah" in e.value for e in at.error)
    assert "_netralitas_ctx" not in at.session_state


def test_oidc_configuration_shows_the_sso_button(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(users_store, monkeypatch)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "0123456789abcdef0123456789abcdef",
        "client_id": "netralitas",
        "client_secret": "rahasia",
        "server_metadata_url": "https://sso.example.go.id/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Masuk dengan akun kantor (SSO)"]
    assert len(at.dataframe) == 0 and "_netralitas_ctx" not in at.session_state


# -- brute force ----------------------------------------------------------------------------------


def test_brute_force_in_the_app_is_locked_out_and_audited(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(users_store, monkeypatch)
    for i in range(auth.LockoutPolicy().max_failures):
        sign_in(at, "korban", f"tebakan-ke-{i}")
    assert any("dikunci" in e.value for e in at.error)
    sign_in(at, "korban")  # the right password, too late
    assert any("dikunci" in e.value for e in at.error)
    assert "_netralitas_ctx" not in at.session_state
    log = audit.log(users_store, actions=("signin",)).filter(pl.col("actor") == "korban")
    assert sorted(log["outcome"].to_list()) == ["failure"] * 5 + ["locked"]
    assert not log["detail"].drop_nulls().str.contains("tebakan").any()


# -- roles --------------------------------------------------------------------------------------


def test_viewer_sees_no_names_and_no_nips(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = sign_in(app(users_store, monkeypatch), "pemantau")
    ctx = at.session_state["_netralitas_ctx"]
    assert ctx.user.role == "viewer" and not leadership.can_see_personal_data(ctx)
    for page in ("upload", "admin"):  # not in the navigation
        with pytest.raises(ValueError, match="navigation page"):
            at.switch_page(f"views/{page}.py")
    texts = visit_all(at, agency=roster_agency(users_store, "17"))
    names = unsigned_names(users_store)
    for page, text in texts.items():
        found = [text[max(0, m.start() - 80) : m.end() + 20] for m in NIP_RE.finditer(text)]
        assert not found, (page, found)
        assert not [n for n in names if n in text], page
    assert "Belum Tanda Tangan" in texts["unsigned"]  # the page itself is there (counts)
    # what a viewer can download: counts, no names, NIPs or positions
    export = leadership.unsigned_cells_export(ctx.store, ctx.filters, "id", None)
    assert export.height > 0
    assert not {"Nama", "NIP", "Jabatan"} & set(export.columns)
    # a page file run outside the navigation refuses by itself:
    # test_pages_check_permissions_when_run_by_name


def test_analyst_sees_names_and_nips_of_own_scope(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the positive control for the viewer test: the same pages do show personal data
    at = sign_in(app(users_store, monkeypatch), "analis17")
    at.switch_page("views/unsigned.py").run()
    text = page_text(at)
    shown = [n for n in unsigned_names(users_store) if n in text]
    assert shown and NIP_RE.findall(text)


def test_bengkulu_analyst_sees_mukomuko_and_nothing_of_kalteng(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = app(users_store, monkeypatch)
    at.query_params["prov"] = "62"  # a hand-made link to Kalimantan Tengah
    sign_in(at, "analis17")
    ctx = at.session_state["_netralitas_ctx"]
    assert ctx.filters.scope_provinces == ("17",) and ctx.filters.provinces == ("17",)
    # the sidebar offers Bengkulu only, and dropped the link's province with a notice
    prov = next(m for m in at.sidebar.multiselect if m.label == "Provinsi")
    assert prov.options == ["Bengkulu"] and prov.value == []
    assert any("prov=62" in w.value for w in at.warning)
    texts = visit_all(at, agency=roster_agency(users_store, "17"))
    kalteng = set(
        users_store.query("SELECT name FROM regions WHERE province_code = '62' OR code = '62'")[
            "name"
        ]
    )
    assert "Kalimantan Tengah" in kalteng and len(kalteng) == 15
    for page, text in texts.items():
        assert not [k for k in kalteng if k in text], page
    assert "Mukomuko" in texts["overview"] + texts["map"]
    assert "Mukomuko" in texts["briefing"] or "Bengkulu" in texts["briefing"]
    # downloads: the named follow-up list and the briefing file
    export = leadership.unsigned_export(ctx.store, ctx.filters, "id", None, True)
    assert export.height > 0 and set(export["Provinsi"]) == {"Bengkulu"}
    html = briefing.build_html(ctx.store, ctx.filters, "id")
    assert "Mukomuko" in html and not [k for k in kalteng if k in html]
    # a Kalteng agency asked for by id is not in view
    kal_agency = roster_agency(users_store, "62")
    at.session_state["lead_agency_detail"] = kal_agency
    at.switch_page("views/agencies.py").run()
    assert not [k for k in kalteng if k in page_text(at)]


# -- uploads ------------------------------------------------------------------------------------

ROSTER = """nip;nama;jabatan;jenjang_jabatan;instansi;provinsi;kabupaten_kota;status_tanda_tangan;tanggal_tanda_tangan
198001012005011001;Ani Lestari;Kepala Dinas;JPT Pratama;Dinas Pendidikan Kabupaten Mukomuko;Bengkulu;Mukomuko;sudah;25/09/2023
198002022006022002;Budi Santoso;Sekretaris;Administrator;Dinas Pendidikan Kabupaten Mukomuko;Bengkulu;Mukomuko;belum;
198003032007031003;Citra Dewi;Kepala Dinas;JPT Pratama;Dinas Kesehatan Kota Palangka Raya;Kalteng;Palangka Raya;sudah;21/09/2023
198004042008042004;Dedi Kurnia;Kepala Bidang;Administrator;Dinas Kesehatan Kota Palangka Raya;Kalimantan Tengah;Kota Palangka Raya;belum;
"""  # noqa: E501


# the same file with two new people in Kalteng: against the roster above, a preview lists
# Citra Dewi and Dedi Kurnia as no longer on the roster
KALTENG_CHANGED = ROSTER.replace(
    "198003032007031003;Citra Dewi", "198905052015051005;Fajar Nugraha"
).replace("198004042008042004;Dedi Kurnia", "199006062016062006;Gita Lestari")


def test_uploader_out_of_scope_rows_are_refused(seed_store: Store) -> None:
    national = roster.validate_roster(ROSTER.encode(), "nasional.csv", store=seed_store)
    first = roster.commit_roster(national, seed_store, uploaded_by="pusat")
    user = auth.User("unggah17", "uploader", provinces=("17",))
    report = roster.validate_roster(KALTENG_CHANGED.encode(), "campuran.csv", store=seed_store)
    assert not report.has_errors  # a national uploader could commit all four rows
    assert {"Citra Dewi", "Dedi Kurnia"} <= set(report.person_changes["name"])
    assert upload_scope.refuse_out_of_scope(report, user) == 2
    refused = report.issues.filter(pl.col("code") == upload_scope.OUT_OF_SCOPE)
    assert refused["row"].to_list() == [4, 5]  # spreadsheet rows (header = row 1)
    assert report.accepted(False).height == 0  # errors: nothing unless accepted explicitly
    assert not {"Citra Dewi", "Dedi Kurnia"} & set(report.person_changes["name"])
    kalteng_ids = seed_store.query("SELECT agency_id FROM agencies WHERE province_code = '62'")
    assert not set(report.agency_preview["agency_id"]) & set(kalteng_ids["agency_id"])
    result = roster.commit_roster(report, seed_store, accept_valid=True, uploaded_by="unggah17")
    written = seed_store.query(
        "SELECT province_code, name FROM officials WHERE upload_id = $u ORDER BY name",
        {"u": result.upload_id},
    )
    assert written.rows() == [("17", "Ani Lestari"), ("17", "Budi Santoso")]
    # rollback: only uploads wholly inside the scope
    assert upload_scope.upload_in_scope(seed_store, user, result.upload_id)
    assert not upload_scope.upload_in_scope(seed_store, user, first.upload_id)
    other = auth.User("unggah62", "uploader", provinces=("62",))
    assert not upload_scope.upload_in_scope(seed_store, other, result.upload_id)
    ids = [first.upload_id, result.upload_id]
    assert upload_scope.uploads_in_scope(seed_store, user, ids) == [result.upload_id]


# -- audit, errors, admin -------------------------------------------------------------------------


def test_personal_download_is_audited_without_personal_data(seed_store: Store) -> None:
    # the click checks the account in the store again (a removed account gets nothing)
    user = auth.add_user(
        seed_store, "analis17", "analyst", password="analis-rahasia-17", provinces=["17"], actor="t"
    )
    payload = b"Nama,NIP\nAni Lestari,198001012005011001\n"
    build = session.audited_download(
        seed_store, user, lambda: (payload, 1), target="unsigned_list", detail={"format": "csv"}
    )
    downloads = ("download",)
    assert audit.log(seed_store, actions=downloads).height == 0  # nothing until it is built
    assert build() == payload
    row = audit.log(seed_store, actions=downloads).row(0, named=True)
    assert (row["actor"], row["action"], row["target"]) == ("analis17", "download", "unsigned_list")
    assert row["detail"] == '{"format": "csv", "rows": 1, "scope": ["17"]}'
    assert "Ani" not in str(row) and "198001" not in str(row)


def _failing_page() -> None:
    import streamlit as st

    from dashboard.web import session

    row = {"nama": "Ani " + "Lestari", "nip": "19800101" + "2005011001"}  # data, not code

    def page() -> None:
        st.write("sebelum")
        raise ValueError(f"bad row {row['nama']} {row['nip']} in /home/app/secret.py")

    session.guarded(page, "id")


def test_page_errors_show_no_trace_and_no_data(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="netralitas")
    at = AppTest.from_function(_failing_page).run()
    assert not at.exception
    shown = page_text(at)
    assert "Terjadi kesalahan" in shown
    assert "Ani Lestari" not in shown and "198001" not in shown and "Traceback" not in shown
    # the server log says where and what kind, not the message with its data
    assert "ValueError" in caplog.text and "in page" in caplog.text
    assert "Ani Lestari" not in caplog.text and "198001" not in caplog.text


def test_admin_page_lists_accounts_and_audit_without_secrets(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = sign_in(app(users_store, monkeypatch), "admin")
    at.switch_page("views/admin.py").run()
    assert not at.exception and not at.error
    users_table, sessions_table, audit_table = (df.value for df in at.dataframe)
    assert "admin" in set(sessions_table["Nama pengguna"])  # the admin's own session
    assert sorted(users_table["Nama pengguna"]) == sorted(ACCOUNTS)
    assert "masuk" in set(audit_table["Tindakan"])  # the admin's own sign-in
    text = page_text(at)
    assert "$argon2" not in text
    assert not [pw for *_, pw in ACCOUNTS.values() if pw in text]


def _live_session(store: Store, username: str) -> str:
    """The newest live session row of ``username`` (raw ``user_sessions``)."""
    return store.query(
        """SELECT session_id FROM user_sessions WHERE username = $u AND revoked_at IS NULL
           ORDER BY created_at DESC LIMIT 1""",
        {"u": username},
    )["session_id"][0]


def test_admin_ends_a_session_and_that_browser_signs_in_again(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer = sign_in(app(users_store, monkeypatch), "pemantau")
    assert viewer.session_state[session.SESSION_ID_KEY] == _live_session(users_store, "pemantau")
    target = _live_session(users_store, "pemantau")
    admin = sign_in(app(users_store, monkeypatch), "admin")
    admin.switch_page("views/admin.py").run()
    assert f"pemantau · {target}" in admin.selectbox(key="admin_session_pick").options
    admin.selectbox(key="admin_session_pick").set_value(target)
    next(b for b in admin.button if b.label == "Akhiri sesi").click()
    admin.run()
    assert not admin.exception and [s.value for s in admin.success] == ["1 sesi diakhiri."]
    assert f"pemantau · {target}" not in admin.selectbox(key="admin_session_pick").options

    viewer.run()  # the viewer's next click
    assert viewer.text_input(key="signin_username") is not None
    assert [i.value for i in viewer.info] == [
        "Sesi Anda telah diakhiri (oleh administrator atau dari perangkat lain). "
        "Silakan masuk lagi."
    ]
    logged = audit.log(users_store, actions=("session.revoke",)).row(0, named=True)
    assert (logged["actor"], logged["target"], logged["channel"]) == ("admin", "pemantau", "web")
    assert target in logged["detail"]


def test_sign_out_everywhere_ends_the_other_browsers_too(
    users_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = sign_in(app(users_store, monkeypatch), "unggah17")
    second = sign_in(app(users_store, monkeypatch), "unggah17")
    assert (
        first.session_state[session.SESSION_ID_KEY] != second.session_state[session.SESSION_ID_KEY]
    )
    next(b for b in first.button if b.key == "netralitas_signout_everywhere").click()
    first.run()
    assert first.text_input(key="signin_username") is not None
    assert not first.info  # one's own sign-out needs no reason
    second.run()
    assert second.text_input(key="signin_username") is not None
    assert [i.value for i in second.info] == [
        "Sesi Anda telah diakhiri (oleh administrator atau dari perangkat lain). "
        "Silakan masuk lagi."
    ]
    live = users_store.query(
        "SELECT count(*) AS n FROM user_sessions WHERE username = 'unggah17' AND revoked_at IS NULL"
    )
    assert live["n"][0] == 0
    logged = audit.log(users_store, actions=("signout",)).row(0, named=True)
    assert logged["actor"] == "unggah17" and '"everywhere": true' in logged["detail"]


def test_uploader_page_refuses_out_of_scope_rows(
    seed_store: Store, in_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Kalteng's current roster: its people must not appear in the scoped uploader's preview
    base = roster.validate_roster(ROSTER.encode(), "kalteng.csv", store=seed_store)
    roster.commit_roster(base, seed_store, uploaded_by="pusat")
    auth.add_user(
        seed_store, "unggah17", "uploader", password=ACCOUNTS["unggah17"][3], provinces=["17"],
        actor="test",
    )  # fmt: skip
    at = sign_in(app(seed_store, monkeypatch), "unggah17")
    at.switch_page("views/upload.py").run()
    csv = KALTENG_CHANGED.encode()
    at.file_uploader(key="roster_file").upload("campuran.csv", csv, "text/csv")
    at.run()
    at.button(key="roster_check").click().run()
    assert not at.exception
    text = page_text(at)
    # the two rows out of scope: whole in the errors listed above the table, and in it
    assert text.count("di luar wilayah kewenangan") == 2 * 2
    # "left" people of the Kalteng agency (Citra Dewi, Dedi Kurnia) are not previewed here
    assert "Citra Dewi" not in text and "Dedi Kurnia" not in text
    at.radio(key="roster_policy").set_value("valid").run()
    at.button(key="roster_commit").click().run()
    assert not at.exception
    last = seed_store.query(
        "SELECT upload_id FROM uploads WHERE uploaded_by = 'unggah17' ORDER BY uploaded_at DESC"
    )["upload_id"][0]
    written = seed_store.query(
        "SELECT province_code, name FROM officials WHERE upload_id = $u ORDER BY name", {"u": last}
    )
    assert written.rows() == [("17", "Ani Lestari"), ("17", "Budi Santoso")]
    logged = audit.log(seed_store, actions=("upload",)).row(0, named=True)
    assert (logged["actor"], logged["target"]) == ("unggah17", last)
    # the Kalteng upload is not offered for rollback to this uploader
    at.switch_page("views/upload.py").run()
    pick = at.selectbox(key="rollback_pick")
    assert base_id_not_offered(seed_store, pick.options)


def base_id_not_offered(store: Store, options: list) -> bool:
    pusat = store.query("SELECT upload_id FROM uploads WHERE uploaded_by = 'pusat'")["upload_id"]
    return pusat[0] not in options and len(options) >= 1


@pytest.mark.parametrize(("page", "role"), [("upload", "analyst"), ("admin", "uploader")])
def test_pages_check_permissions_when_run_by_name(seed_store: Store, page: str, role: str) -> None:
    # defence in depth: a page file run on its own, outside the navigation and its
    # gate, must refuse by itself
    from dashboard.queries.filters import Filters
    from dashboard.web.context import Ctx

    at = AppTest.from_file(str(Path(APP).parent / "views" / f"{page}.py"), default_timeout=60)
    user = auth.User("orang", role)
    at.session_state["_netralitas_ctx"] = Ctx("id", Filters(), seed_store, (0,), user=user)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Akun Anda tidak berhak membuka halaman ini."]
    assert len(at.dataframe) == 0 and len(at.file_uploader) == 0
