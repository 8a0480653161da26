"""Server time of every dashboard page through the real app (Streamlit AppTest).

    .venv/bin/python benchmarks/pages.py --store PATH

First the very first run of a new process (imports, reference data). Then per
page: the first render of a new session with Streamlit's data cache cleared
before it, so every figure is computed (the default page directly, the others
after landing on it, as a browser does); and four sidebar province changes, each
to a province no page has shown before in this process, so the page's own queries
run while what does not depend on the filter (the option lists) stays cached, as
in a running server (median and max). Keep-alive reads are on, as under
``netralitas serve``. The time includes AppTest's own overhead.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "dashboard" / "web" / "app.py"
CHANGES_PER_PAGE = 4  # at most; fewer when the pages outnumber a quarter of the provinces


def fresh_provinces() -> list[str]:
    """All 38 province codes, largest rosters first (Jawa first): each page gets its own
    four, so no page's filter change is answered from another page's cache."""
    from dashboard.domain import regions

    order = ["35", "33", "32", "31", "36", "12", "73", "62", "17", "11", "94"]
    codes = regions.provinces()["code"].to_list()
    return order + [c for c in codes if c not in order]


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM). ``ru_maxrss`` is not used: Linux
    carries it over ``exec`` from the forking parent, so a child would report the benchmark
    driver's peak when that is larger."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def page_files() -> list[str]:
    """Pages in navigation order, read from the app's own table (no Streamlit import)."""
    import ast

    tree = ast.parse(APP.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES":
            pages_dir = Path("pages")
            for n in tree.body:
                if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PAGES_DIR":
                    pages_dir = Path(ast.unparse(n.value).split("/")[-1].strip(" \"'"))
            return [f"{pages_dir.name}/{elt.elts[0].value}" for elt in node.value.elts]
    raise RuntimeError("PAGES not found in app.py")


def measure_pages(store_path: str) -> dict[str, float]:
    from dashboard.store.database import ENV_KEEP_ALIVE, ENV_STORE

    os.environ[ENV_STORE] = str(store_path)
    os.environ[ENV_KEEP_ALIVE] = "1"
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    out: dict[str, float] = {}
    # the very first run of a new server process: imports, reference data, empty caches
    t = time.perf_counter()
    AppTest.from_file(str(APP), default_timeout=600).run()
    out["server_first_run_ms"] = (time.perf_counter() - t) * 1000
    unseen = fresh_provinces()
    pages = page_files()
    # every change goes to a province no page has shown yet: share the 38 among the pages
    per_page = min(CHANGES_PER_PAGE, len(unseen) // len(pages))
    for i, page in enumerate(pages):
        name = Path(page).stem
        at = AppTest.from_file(str(APP), default_timeout=600)
        if i > 0:
            at.run()  # a new session lands on the default (first) page, then moves
        st.cache_data.clear()  # every figure below is computed, none served from the cache
        st.cache_resource.clear()
        t = time.perf_counter()
        (at.switch_page(page) if i > 0 else at).run()
        out[f"page_{name}_first_ms"] = (time.perf_counter() - t) * 1000
        if at.exception:
            raise SystemExit(f"{page}: exception on screen: {at.exception[0].value}")
        changes = []
        try:
            widget = at.sidebar.multiselect(key="w_prov")
        except KeyError:
            widget = None
        if widget is not None:
            for _ in range(per_page):
                prov = [unseen.pop(0)]
                t = time.perf_counter()
                at.sidebar.multiselect(key="w_prov").set_value(prov).run()
                changes.append(time.perf_counter() - t)
                if at.sidebar.multiselect(key="w_prov").value != prov:  # not a real change
                    raise SystemExit(f"{page}: province filter {prov} was not applied")
                if at.exception:
                    raise SystemExit(f"{page}: exception after filter change")
            out[f"page_{name}_filter_median_ms"] = statistics.median(changes) * 1000
            out[f"page_{name}_filter_max_ms"] = max(changes) * 1000
    out["app_rss_after_all_pages_mb"] = peak_rss_mb()
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    args = ap.parse_args()
    print(json.dumps(measure_pages(str(args.store)), indent=2))
