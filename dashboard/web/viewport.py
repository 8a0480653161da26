"""How much room the browser gives an element (Streamlit tells Python no widths).

A tiny inline component (``st.components.v2``, no build step, no network) measures the width
of the container it is placed in and the window's width, and reports them when they move
by more than a few pixels (first render, rotation, resize). The map fits its view to the
measured width; tables fall back to their key columns on a phone. Until the first report
(or in ``AppTest``, which runs no JavaScript) the callers use conservative defaults; the map
is not drawn before the first report in a browser (:func:`reports_to_come`).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

PHONE_MAX = 640  # Streamlit stacks columns below this window width
_JS = """
export default function (component) {
  const { parentElement, data, setStateValue } = component;
  const known = { ...(data || {}) };
  // what the server last confirmed it knows: the page is settled when this matches the
  // room the element has now (no report due)
  if (known.width) parentElement.dataset.measuredWidth = known.width;
  if (known.viewport) parentElement.dataset.measuredViewport = known.viewport;
  parentElement.dataset.measurer = "1";
  let timer = null;
  const report = () => {
    const width = Math.round(parentElement.getBoundingClientRect().width);
    const viewport = Math.round(window.innerWidth);
    if (width <= 0) return;
    const moved = (a, b) => Math.abs((a || 0) - b) > 6;
    if (moved(known.width, width) || moved(known.viewport, viewport)) {
      known.width = width;
      known.viewport = viewport;
      setStateValue("size", { width: width, viewport: viewport });
    }
  };
  const observer = new ResizeObserver(() => {
    clearTimeout(timer);
    timer = setTimeout(report, 200);
  });
  observer.observe(parentElement);
  report();
  return () => { observer.disconnect(); clearTimeout(timer); };
}
"""
# not isolated, so it measures the real container; no stylesheet (it would apply page-wide)
_HTML = '<div style="width:100%;height:0;margin:0;padding:0"></div>'
_component = st.components.v2.component(
    "netralitas.viewport", html=_HTML, js=_JS, isolate_styles=False
)


@dataclass(frozen=True)
class Size:
    width: int  # of the container the measurer sits in, CSS pixels
    viewport: int  # of the browser window

    @property
    def phone(self) -> bool:
        return self.viewport < PHONE_MAX


def measure(key: str) -> Size | None:
    """The container's and the window's width as last reported (None before the first)."""
    mirror = f"{key}__known"
    # the report this run answers, if any (a widget's value is readable before the call),
    # else the last one: the measurer is told what the server knows now
    reported = st.session_state.get(key)
    previous = _as_size(reported.get("size") if isinstance(reported, dict) else None)
    previous = previous or _as_size(st.session_state.get(mirror))
    result = _component(
        key=key,
        data={"width": previous.width, "viewport": previous.viewport} if previous else {},
        on_size_change=lambda: None,
    )
    size = _as_size(getattr(result, "size", None)) or previous
    if size is not None:
        st.session_state[mirror] = {"width": size.width, "viewport": size.viewport}
    return size


def _as_size(value: object) -> Size | None:
    if not isinstance(value, dict):
        return None
    try:
        width, viewport = int(value["width"]), int(value["viewport"])
    except (KeyError, TypeError, ValueError):
        return None
    return Size(width, viewport) if width > 0 and viewport > 0 else None


PAGE_KEY = "_netralitas_page_size"


def page_size() -> Size | None:
    """The main area's width (one measurer per page run, in the page header)."""
    return measure(PAGE_KEY)


def last_page_size() -> Size | None:
    """What :func:`page_size` last returned (for code further down the page)."""
    return _as_size(st.session_state.get(f"{PAGE_KEY}__known"))


def is_phone(size: Size | None) -> bool:
    return size is not None and size.phone


def reports_to_come() -> bool:
    """Will a browser report the width? Yes when a browser is connected (its request has
    headers; the measurer reports on mount, which reruns the page); no under ``AppTest``,
    which runs the script without a request or a browser, so a caller draws at its
    default at once."""
    try:
        return len(st.context.headers) > 0
    except Exception:  # no script run context at all
        return False
