"""Two app processes on one PostgreSQL store behind Debian's nginx, as a national deployment
runs them: a roster uploaded through one process is seen through the other.

nginx balances on the browser's ``netralitas_bind`` cookie (``hash ... consistent``: a
browser keeps its process, which holds its Streamlit session and its uploaded files) and,
for this test only, names the process that answered in a response header.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from app_server import Server, free_port, serve
from browser_harness import App, contexts

from dashboard import i18n
from dashboard.install import builtin
from dashboard.store.database import Store
from tests.independent_figures import agency_figures

NGINX = Path("/usr/sbin/nginx")
UPSTREAM_HEADER = "x-netralitas-upstream"

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parents[1] / "uploads" / "make_corpus.py"
)
mc = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(mc)  # type: ignore[union-attr]


def t(key: str, **kw: object) -> str:
    return i18n.t(key, i18n.DEFAULT_LANG, **kw)


def _number(text: str) -> int:
    return int(text.replace(".", "").replace(",", "").strip())


NGINX_CONF = """
daemon off;
worker_processes 1;
{user}
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    client_max_body_size 50m;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream netralitas {{
        hash $cookie_netralitas_bind consistent;
        server {a};
        server {b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://netralitas;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 3600;
            add_header X-Netralitas-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def _host_port(base: str) -> str:
    return base.split("://", 1)[1]


@pytest.fixture
def proxied(pg_cluster: object, tmp_path: Path) -> Iterator[tuple[Server, Store, list[str]]]:
    """nginx on loopback over two ``netralitas serve`` on a fresh PostgreSQL database."""
    if not NGINX.exists():
        pytest.fail("Debian's nginx is missing: `make test` installs it")
    url = pg_cluster.new_database()  # type: ignore[attr-defined]
    store = Store(url)
    builtin.install(store, n_officials=2_000)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with serve(url, tmp_path / "a") as a, serve(url, tmp_path / "b") as b:
        port = free_port()
        conf = tmp_path / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(
                dir=tmp_path,
                user="user root;" if os.getuid() == 0 else "",
                a=_host_port(a.base_url),
                b=_host_port(b.base_url),
                port=port,
            )
        )
        proc = subprocess.Popen(
            [str(NGINX), "-c", str(conf), "-p", str(tmp_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{base}/_stcore/health", timeout=5).read()
                    break
                except OSError:
                    assert proc.poll() is None, (tmp_path / "error.log").read_text()
                    assert time.monotonic() < deadline, "nginx did not answer"
                    time.sleep(0.2)
            upstreams = [_host_port(a.base_url), _host_port(b.base_url)]
            yield Server(base, url, tmp_path / "error.log"), store, upstreams  # type: ignore[arg-type]
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
            shutil.rmtree(tmp_path / "body", ignore_errors=True)


def _upstream_of(app: App) -> str:
    """The process nginx sends this browser to (asked with the browser's own cookies)."""
    response = app.context.request.get(f"{app.server.base_url}/_stcore/health")
    return str(response.headers.get(UPSTREAM_HEADER, ""))


def _one_browser_per_process(
    open_one: object, upstreams: list[str], tries: int = 24
) -> tuple[App, App]:
    """Fresh browsers until one lands on each process (the cookie decides, at random)."""
    found: dict[str, App] = {}
    for _ in range(tries):
        app = open_one()  # type: ignore[operator]
        app.goto()
        found.setdefault(_upstream_of(app), app)
        if all(u in found for u in upstreams):
            return found[upstreams[0]], found[upstreams[1]]
    raise AssertionError(f"no browser reached both processes in {tries} tries: {list(found)}")


def test_an_upload_through_one_process_shows_through_the_other(
    proxied: tuple[Server, Store, list[str]], browser: object, tmp_path: Path
) -> None:
    server, store, upstreams = proxied
    with contexts(browser, server) as open_one:
        uploader, reader = _one_browser_per_process(open_one, upstreams)
        label = t("overview.targeted")
        before = _number(reader.metric(label))
        assert before == int(agency_figures(store)["target"].sum())

        roster = tmp_path / "mukomuko.csv"
        roster.write_bytes(mc.muko_v2_bytes())
        uploader.navigate(t("nav.upload"))
        uploader.page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(roster)
        )
        uploader.wait_idle()
        uploader.page.get_by_role("button", name=t("upload.page.check")).click()
        uploader.wait_idle()
        uploader.page.get_by_role("button", name=t("upload.page.commit"), exact=True).click()
        uploader.wait_idle()
        shot = uploader.screenshot("many-processes-upload")
        assert uploader.problems() == [], shot
        assert _upstream_of(uploader) == upstreams[0]  # the upload went through process A

        expected = int(agency_figures(store)["target"].sum())
        assert expected != before  # the roster replaced the agency's report figure
        reader.page.reload()
        reader.wait_idle()
        shot = reader.screenshot("many-processes-reader")
        assert _upstream_of(reader) == upstreams[1]
        assert _number(reader.metric(label)) == expected, shot
        assert reader.problems() == [], shot
