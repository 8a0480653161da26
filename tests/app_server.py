"""The one harness that starts the app server for tests: ``netralitas serve`` as a real
subprocess on a free loopback port (the browser tests, the edge and session tests and the
two-process deployment behind nginx all use :func:`serve`).

The server is ready when Streamlit's health endpoint answers; if the process dies first the
test fails with the tail of its log. It runs in its own process group (streamlit is its
child), which is ended when the block exits.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NETRALITAS = ROOT / ".venv" / "bin" / "netralitas"
# a patient bound (a loaded 2-core machine imports Streamlit and Polars slowly); a server
# that died is reported at once
SERVER_START_SECONDS = 300
# set by tests/conftest.py for each test: only a test marked ``server`` may start one (so
# the fast tier, which leaves those out, never starts a server by omission)
allowed = True


@dataclass(frozen=True)
class Server:
    base_url: str
    store_path: Path | str  # a DuckDB file or a PostgreSQL URL
    log_path: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(proc: subprocess.Popen, base: str, log_path: Path) -> None:
    """Wait for Streamlit's health endpoint; fail with the log's tail if the server died."""
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        if proc.poll() is not None:
            log = log_path.read_text(errors="replace")[-3000:]
            raise AssertionError(f"app server exited with {proc.returncode}:\n{log}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"app server did not answer on {base} in time")
        time.sleep(0.5)  # polling the health endpoint, not a wait in place of a state


@contextmanager
def serve(
    store_path: Path | str,
    workdir: Path,
    env: Mapping[str, str] | None = None,
    args: Sequence[str] = (),
) -> Iterator[Server]:
    """``netralitas serve`` on loopback over ``store_path`` (a file or a PostgreSQL URL).

    ``workdir`` is its cwd (no ``.streamlit/`` of the repository applies) and holds the log;
    ``env`` is added to this process's environment; ``args`` are further ``serve`` options
    (e.g. ``--no-demo``).
    """
    if not allowed:
        raise AssertionError("this test starts an app server: mark it @pytest.mark.server")
    port = free_port()
    log_path = workdir / "server.log"
    base = f"http://127.0.0.1:{port}"
    cmd = [str(NETRALITAS), "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*cmd, "--store", str(store_path), *args],
            cwd=workdir,
            env={**os.environ, **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: streamlit runs as its child
        )
        try:
            wait_healthy(proc, base, log_path)
            yield Server(base, store_path, log_path)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
