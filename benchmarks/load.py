"""Many simulated readers changing filters at once, over Streamlit's own websocket protocol.

    .venv/bin/python benchmarks/load.py --store PATH|URL [--processes 1] [--users 10]
        [--think 5] [--duration 60] [--pages ringkasan,peta,belum-tanda-tangan,instansi]
        [--prime] [--netralitas OTHER_CHECKOUT/.venv/bin/netralitas]

Each simulated user is one websocket session (no browser): it opens its page as a browser
does (a ``rerun_script`` with the page's URL path), finds the province multiselect among the
elements the server sends, then, every ``--think`` seconds (0 = back to back), picks
another province and sends the rerun a browser sends when that widget changes. The latency
of a change is the time from sending it to the server's ``script_finished``; the bytes are
every frame received for it. Users are spread round-robin over ``--processes`` servers
(``netralitas serve`` started here, on loopback, over the same store). Bounded: the run
stops after ``--duration`` seconds and every request goes to 127.0.0.1.

Prints one JSON object: throughput (changes/s), latency p50/p95/max, bytes per rerun
(median), errors. A change that times out (``--timeout``) or ends with an exception
element counts as an error.

``--prime`` visits every province of every page once before the clock starts, so the run
measures a server whose caches already hold every view (one that has been up for a
while); without it, the first visit of each province (queries, figures) is in the
figures. ``--netralitas`` serves another checkout (its own venv) with this same driver,
to compare versions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
PROVINCE_LABELS = ("Provinsi", "Province")
DEFAULT_PAGES = ("ringkasan", "peta", "belum-tanda-tangan", "instansi")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(store: str, workdir: Path, netralitas: Path | None = None) -> Any:
    """One ``netralitas serve`` on a free loopback port; ended with its process group."""
    port = free_port()
    log = (workdir / f"serve-{port}.log").open("wb")
    proc = subprocess.Popen(
        [str(netralitas or ROOT / ".venv/bin/netralitas"), "serve", "--host", "127.0.0.1"]
        + ["--port", str(port), "--store", str(store)],
        cwd=workdir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start; see {log.name}")
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@dataclass
class Run:
    """What one rerun brought back."""

    seconds: float = 0.0
    nbytes: int = 0
    error: str | None = None
    multiselects: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    # the width measurers on the page (dashboard/web/viewport.py): a browser reports the room
    # each has, and the map is drawn only once it has
    measurers: list[str] = field(default_factory=list)


# what a reader's browser reports to the measurers: a desktop window
REPORTED_SIZE = json.dumps({"size": {"width": 1100, "viewport": 1400}})


def rerun_msg(
    page: str,
    widget_id: str | None = None,
    value: list[str] | None = None,
    measurers: list[str] | None = None,
) -> bytes:
    msg = BackMsg()
    state = msg.rerun_script
    state.page_name = page
    state.query_string = ""
    if widget_id is not None:
        w = state.widget_states.widgets.add()
        w.id = widget_id
        w.string_array_value.data.extend(value or [])
    for measurer in measurers or ():
        w = state.widget_states.widgets.add()
        w.id = measurer
        w.json_value = REPORTED_SIZE
    return msg.SerializeToString()


async def open_page(ws: Any, page: str, timeout: float) -> Run:
    """Open ``page`` as a browser does: the first run, then the run the width report causes
    (the browser's measurers report on mount; the map is drawn in that second run)."""
    first = await one_rerun(ws, rerun_msg(page), timeout)
    if first.error or not first.measurers:
        return first
    return await one_rerun(ws, rerun_msg(page, measurers=first.measurers), timeout)


async def one_rerun(ws: Any, payload: bytes, timeout: float) -> Run:
    """Send a rerun and read frames until the script finishes."""
    run = Run()
    t0 = time.perf_counter()
    await ws.send(payload)
    try:
        async with asyncio.timeout(timeout):
            while True:
                frame = await ws.recv()
                run.nbytes += len(frame)
                fwd = ForwardMsg()
                fwd.ParseFromString(frame)
                kind = fwd.WhichOneof("type")
                if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                    el = fwd.delta.new_element
                    etype = el.WhichOneof("type")
                    if etype == "multiselect":
                        run.multiselects[el.multiselect.label] = (
                            el.multiselect.id,
                            list(el.multiselect.options),
                        )
                    elif etype == "bidi_component" and el.bidi_component.component_name.endswith(
                        "netralitas.viewport"
                    ):
                        run.measurers.append(el.bidi_component.id)
                    elif etype == "exception":
                        run.error = "exception: " + el.exception.type
                elif kind == "script_finished":
                    if fwd.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue
                    break
    except TimeoutError:
        run.error = "timeout"
    run.seconds = time.perf_counter() - t0
    return run


async def user(
    base: str, page: str, think: float, stop_at: float, timeout: float, seed: int, out: list
) -> None:
    rng = random.Random(seed)
    uri = base.replace("http://", "ws://") + "/_stcore/stream"
    try:
        async with websockets.connect(
            uri,
            subprotocols=["streamlit"],
            origin=base,
            max_size=None,
            open_timeout=timeout,
        ) as ws:
            first = await open_page(ws, page, timeout)
            found = [v for k, v in first.multiselects.items() if k in PROVINCE_LABELS]
            if first.error or not found:
                out.append(Run(first.seconds, first.nbytes, first.error or "no province filter"))
                return
            widget_id, options = found[0]
            await asyncio.sleep(rng.uniform(0, think))  # users do not start in step
            while time.monotonic() < stop_at:
                t0 = time.monotonic()
                run = await one_rerun(
                    ws, rerun_msg(page, widget_id, [rng.choice(options)]), timeout
                )
                if time.monotonic() <= stop_at + timeout:
                    out.append(run)
                await asyncio.sleep(max(0.0, think - (time.monotonic() - t0)))
    except (OSError, websockets.WebSocketException) as exc:
        out.append(Run(error=f"connection: {type(exc).__name__}"))


async def drive(bases: list[str], args: argparse.Namespace) -> tuple[list[Run], float]:
    pages = args.pages.split(",")
    out: list[Run] = []
    t0 = time.monotonic()
    stop_at = t0 + args.duration
    await asyncio.gather(
        *(
            user(
                bases[i % len(bases)],
                pages[i % len(pages)],
                args.think,
                stop_at,
                args.timeout,
                i,
                out,
            )
            for i in range(args.users)
        )
    )
    return out, time.monotonic() - t0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def summarise(runs: list[Run], wall: float, args: argparse.Namespace) -> dict[str, Any]:
    ok = [r for r in runs if r.error is None]
    lat = [r.seconds * 1000 for r in ok]
    errors: dict[str, int] = {}
    for r in runs:
        if r.error:
            errors[r.error] = errors.get(r.error, 0) + 1
    return {
        "store": str(args.store),
        "processes": args.processes,
        "users": args.users,
        "think_s": args.think,
        "duration_s": round(wall, 1),
        "changes": len(ok),
        "throughput_per_s": round(len(ok) / wall, 2) if wall else 0.0,
        "latency_ms": {
            "p50": round(pct(lat, 0.5)),
            "p95": round(pct(lat, 0.95)),
            "max": round(max(lat)) if lat else None,
        },
        "kb_per_rerun_median": round(statistics.median([r.nbytes for r in ok]) / 1024, 1)
        if ok
        else None,
        "errors": errors,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", required=True, help="a DuckDB file or a postgresql:// URL")
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--think", type=float, default=5.0, help="seconds between changes per user")
    ap.add_argument("--duration", type=float, default=60.0)
    ap.add_argument("--timeout", type=float, default=60.0, help="per rerun")
    ap.add_argument("--pages", default=",".join(DEFAULT_PAGES))
    ap.add_argument("--warmup", type=int, default=1, help="users that open each page first")
    ap.add_argument("--prime", action="store_true", help="visit every province first")
    ap.add_argument("--netralitas", type=Path, help="the netralitas to serve (another checkout)")
    args = ap.parse_args(argv)
    if "://" not in args.store and not Path(args.store).exists():
        ap.error(f"{args.store} does not exist (make one with `netralitas demo --store ...`)")
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        bases = [
            stack.enter_context(server(args.store, Path(tmp), args.netralitas))
            for _ in range(args.processes)
        ]
        # warm every process's caches of what does not depend on the filter (imports,
        # option lists, boundaries), as a server that has been up for a while has them
        for base in bases:
            for page in args.pages.split(","):
                asyncio.run(_warm(base, page, args.timeout, args.prime))
        runs, wall = asyncio.run(drive(bases, args))
    print(json.dumps(summarise(runs, wall, args)))
    return 0


async def _warm(base: str, page: str, timeout: float, prime: bool = False) -> None:
    uri = base.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(
        uri, subprotocols=["streamlit"], origin=base, max_size=None, open_timeout=timeout
    ) as ws:
        first = await open_page(ws, page, timeout)
        found = [v for k, v in first.multiselects.items() if k in PROVINCE_LABELS]
        if prime and found:
            widget_id, options = found[0]
            for code in options:
                await one_rerun(ws, rerun_msg(page, widget_id, [code]), timeout)


if __name__ == "__main__":
    sys.exit(main())
