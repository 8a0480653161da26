"""Leaks around the edges: upload history and the sources page outside the user's scope,
security headers, the metrics endpoint, the single-user mode behind proxies, and lock-out
answers that tell real accounts from unknown ones."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_server import serve
from cli_inprocess import invoke
from security_apptest import signed_in
from streamlit.testing.v1 import AppTest

from dashboard.access import auth
from dashboard.store.database import ENV_STORE, Store
from dashboard.web import session

HEAD = ",".join(
    ["nip", "nama", "jabatan", "jenjang_jabatan", "instansi", "provinsi", "kabupaten_kota"]
    + ["status_tanda_tangan", "tanggal_tanda_tangan"]
)
MUKO = "Dinas Pendidikan Kabupaten Mukomuko,Bengkulu,Kabupaten Mukomuko"
KALTENG = "Dinas Pendidikan Kota Palangka Raya,Kalimantan Tengah,Kota Palangka Raya"


def _roster(path: Path, agency: str, nip_tail: str) -> Path:
    rows = [
        f"198001012005011{nip_tail}1,Ani Lestari,Kepala,JPT Pratama,{agency},Sudah,25/09/2023",
        f"198505052010011{nip_tail}2,Budi Hartono,Kepala Bidang,Administrator,{agency},Belum,",
        f"199002022015012{nip_tail}3,Citra Dewi,Kepala Seksi,Pengawas,{agency},Belum,",
    ]
    path.write_text("\r\n".join([HEAD, *rows]) + "\r\n", encoding="utf-8")
    return path


def _import(store: Store, file: Path) -> None:
    env = {ENV_STORE: "/nonexistent/never-used.duckdb"}
    out = invoke("import", str(file), "--store", str(store.path), "--json", env=env)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.fixture
def two_regions(seed_store: Store, tmp_path: Path) -> Store:
    _import(seed_store, _roster(tmp_path / "roster-mukomuko.csv", MUKO, "10"))
    _import(seed_store, _roster(tmp_path / "roster-palangkaraya.csv", KALTENG, "20"))
    auth.add_user(seed_store, "unggah1706", "uploader", password="unggah-rahasia-1706",
                  regencies=["1706"], actor="test")  # fmt: skip
    auth.add_user(seed_store, "admin", "admin", password="admin-rahasia-0001", actor="test")
    return seed_store


def _tables_text(at: AppTest) -> str:
    return "\n".join(df.value.to_csv() for df in at.dataframe)


@pytest.mark.parametrize(
    ("who", "password", "sees_kalteng"),
    [("unggah1706", "unggah-rahasia-1706", False), ("admin", "admin-rahasia-0001", True)],
)
def test_upload_history_and_sources_page_are_scoped(
    two_regions: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    who: str,
    password: str,
    sees_kalteng: bool,
) -> None:
    at = signed_in(two_regions, who, password, tmp_path, monkeypatch)
    for page in ("upload", "sources"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, at.exception
        text = _tables_text(at)
        assert "roster-mukomuko.csv" in text, page  # their own region's upload is listed
        assert ("roster-palangkaraya.csv" in text) is sees_kalteng, page
        if not sees_kalteng:
            assert "Palangka" not in text and "seed" not in text.lower(), page


@pytest.mark.parametrize(
    "header",
    ["X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Client-IP", "True-Client-IP",
     "X-Forwarded-Host"],
)  # fmt: skip
def test_single_user_mode_refuses_every_proxy_header(header: str) -> None:
    local = {"Host": "127.0.0.1:8501"}
    assert session.is_local_request(local, None)
    assert not session.is_local_request({**local, header: "203.0.113.9"}, None)
    assert not session.is_local_request({**local, header.lower(): "203.0.113.9"}, None)


def test_single_user_mode_refuses_a_foreign_origin() -> None:
    local = {"Host": "127.0.0.1:8501"}
    assert session.is_local_request({**local, "Origin": "http://127.0.0.1:8501"}, None)
    assert session.is_local_request({**local, "Origin": "http://localhost:8501"}, None)
    assert not session.is_local_request({**local, "Origin": "http://evil.example"}, None)
    assert not session.is_local_request({**local, "Origin": "http://192.168.1.5:8501"}, None)
    assert not session.is_local_request({"Host": "dashboard.bkd.go.id"}, None)
    assert not session.is_local_request(local, "192.168.1.5")


def test_unknown_accounts_lock_like_real_ones(store: Store) -> None:
    auth.add_user(store, "ani", "analyst", password="kata-sandi-rahasia", actor="test")
    policy = auth.LockoutPolicy(max_failures=3)

    def answers(name: str) -> list[str]:
        return [
            auth.authenticate(store, name, "tebakan-salah", policy=policy).status for _ in range(5)
        ]

    assert (
        answers("ani")
        == answers("siapa.saja")
        == ["failure", "failure", "locked", "locked", "locked"]
    )


# -- the app server --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``netralitas serve`` on loopback, as an office starts it."""
    tmp = tmp_path_factory.mktemp("serve")
    with serve(tmp / "s.duckdb", tmp, env={"HOME": str(tmp)}, args=("--no-demo",)) as server:
        yield server.base_url


def _get(url: str) -> tuple[int, dict[str, str], list[str]]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return (
                r.status,
                {k.lower(): v for k, v in r.headers.items()},
                r.headers.get_all("set-cookie") or [],
            )
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, []


@pytest.mark.parametrize("path", ["/", "/ringkasan", "/_stcore/health", "/favicon.png"])
def test_responses_carry_security_headers(server: str, path: str) -> None:
    status, headers, _ = _get(server + path)
    assert status == 200
    csp = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp
    assert "img-src 'self' data: blob:" in csp  # no outside image (a beacon) can load
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_metrics_endpoint_is_closed(server: str) -> None:
    status, headers, _ = _get(server + "/_stcore/metrics")
    assert status == 404
    assert headers["x-frame-options"] == "DENY"


def test_browser_cookie_is_http_only(server: str) -> None:
    _, _, cookies = _get(server + "/")
    bind = [c for c in cookies if c.startswith("netralitas_bind=")]
    assert bind and "HttpOnly" in bind[0] and "SameSite=Lax" in bind[0]


def test_upload_from_a_browser_that_has_not_signed_in_is_refused_at_the_edge(server: str) -> None:
    """Streamlit takes a file from any session id; the edge refuses it before Streamlit reads
    the body unless the browser's cookie belongs to a signed-in uploader."""
    request = urllib.request.Request(
        f"{server}/_stcore/upload_file/{'0' * 32}/file-1",
        data=b"--b\r\nContent-Disposition: form-data; name=file; filename=a.csv\r\n\r\nx\r\n--b--",
        method="PUT",
        headers={"Content-Type": "multipart/form-data; boundary=b", "Cookie": "netralitas_bind=x"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=60)
    assert refused.value.code == 403 and refused.value.read() == b"Forbidden"


def test_uploads_need_a_signed_in_uploader_within_the_hourly_quota(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dashboard.web import bindings

    monkeypatch.setenv(bindings.ENV_UPLOAD_QUOTA_MB, "1")
    mb = 1024 * 1024
    assert not bindings.upload_allowed(None, 10)
    assert not bindings.upload_allowed("nobody-signed-in", 10)
    bindings.register("v", bindings.Binding("v", "viewer", (), auth.SOURCE_LOCAL))
    bindings.register("u", bindings.Binding("u", "uploader", ("17",), auth.SOURCE_LOCAL))
    try:
        assert not bindings.upload_allowed("v", 10)  # a viewer may not upload at all
        assert bindings.upload_allowed("u", mb // 2, now=0.0)
        assert not bindings.upload_allowed("u", mb // 2 + 1, now=1.0)  # past the quota
        assert bindings.upload_allowed("u", mb // 2, now=2.0)  # exactly the quota
        assert not bindings.upload_allowed("u", 1, now=3.0)
        assert bindings.upload_allowed("u", mb, now=3.0 + bindings.UPLOAD_WINDOW_SECONDS)
    finally:
        bindings.forget("v")
        bindings.forget("u")
