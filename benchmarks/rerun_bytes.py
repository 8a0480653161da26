"""Bytes one page sends per rerun, by element type: the national view, two provinces, back.

    .venv/bin/python benchmarks/rerun_bytes.py --store PATH [--page ringkasan]
        [--netralitas OTHER_CHECKOUT/.venv/bin/netralitas]

One websocket session (no browser, loopback only, as ``load.py``): it opens the page
(national view), picks province 62, then 31, then none again, twice. Prints one JSON line
per rerun: total kB and kB per element type. A browser that already holds an unchanged
element of 10 kB or more gets only its hash; this counts every element in full.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import sys
import tempfile
from pathlib import Path

import websockets
from load import PROVINCE_LABELS, rerun_msg, server
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STEPS = (("national", None), ("62", ["62"]), ("31", ["31"]), ("national", []), ("national", []))


async def _rerun(ws: websockets.ClientConnection, payload: bytes) -> tuple[dict, dict]:
    sizes: collections.Counter[str] = collections.Counter()
    widgets: dict[str, str] = {}
    await ws.send(payload)
    while True:
        frame = await ws.recv()
        fwd = ForwardMsg()
        fwd.ParseFromString(frame)
        kind = fwd.WhichOneof("type") or ""
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            el = fwd.delta.new_element
            kind = el.WhichOneof("type") or ""
            if kind == "multiselect":
                widgets[el.multiselect.label] = el.multiselect.id
        sizes[kind] += len(frame)
        if kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return dict(sizes), widgets


async def _drive(base: str, page: str) -> None:
    uri = base.replace("http://", "ws://") + "/_stcore/stream"
    async with websockets.connect(
        uri, subprotocols=["streamlit"], origin=base, max_size=None
    ) as ws:
        widget: str | None = None
        for label, value in STEPS:
            sizes, widgets = await _rerun(ws, rerun_msg(page, widget, value))
            widget = widget or next((widgets[k] for k in PROVINCE_LABELS if k in widgets), None)
            top = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
            print(
                json.dumps(
                    {
                        "view": label,
                        "kb": round(sum(sizes.values()) / 1024, 1),
                        "by_element_kb": {k: round(v / 1024, 1) for k, v in top},
                    }
                )
            )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--page", default="ringkasan")
    ap.add_argument("--netralitas", type=Path, help="the netralitas to serve (another checkout)")
    args = ap.parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as tmp,
        server(args.store, Path(tmp), args.netralitas) as base,
    ):
        asyncio.run(_drive(base, args.page))
    return 0


if __name__ == "__main__":
    sys.exit(main())
