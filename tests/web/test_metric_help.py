"""Every figure shown as a metric says what it counts: a help text on each one (the "?"
beside it), in the catalogs like every other text."""

from __future__ import annotations

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "dashboard" / "web" / "views"


def _metric_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in sorted(VIEWS.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("Metric", "_metric")
            ):
                calls.append((f"{path.name}:{node.lineno}", node))
    return calls


def test_every_metric_has_a_help_text() -> None:
    calls = _metric_calls()
    assert len(calls) > 20  # the views' metrics are found
    # Metric(label, value, delta, color, help, ...) / _metric(label, now, field, kind, color, help)
    position = {"Metric": 4, "_metric": 5}
    missing = [
        where
        for where, call in calls
        if not any(k.arg in ("help", "help_text") for k in call.keywords)
        and len(call.args) <= position[call.func.id]  # type: ignore[attr-defined]
    ]
    assert missing == []
