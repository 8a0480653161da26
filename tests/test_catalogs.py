"""The translation catalogs: every key in both languages, no key unused, placeholders agree."""

from __future__ import annotations

import ast
import json
import string
from pathlib import Path

from dashboard.i18n import CATALOG_DIR, LANGS, catalog

ROOT = Path(__file__).resolve().parents[1]


def _literals_and_prefixes() -> tuple[set[str], set[str]]:
    """Every string literal in the code, and the constant heads of f-strings (``f"nav.{x}"``)."""
    literals: set[str] = set()
    prefixes: set[str] = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values:
                head = node.values[0]
                if isinstance(head, ast.Constant) and isinstance(head.value, str):
                    prefixes.add(head.value)
    return literals, {p for p in prefixes if p.endswith(".") and len(p) > 3}


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_catalog_files_are_the_languages() -> None:
    assert sorted(p.stem for p in CATALOG_DIR.glob("*.json")) == sorted(LANGS)
    for lang in LANGS:  # valid JSON, flat key -> non-empty text
        data = json.loads((CATALOG_DIR / f"{lang}.json").read_text(encoding="utf-8"))
        assert all(isinstance(v, str) and v.strip() for v in data.values())


def test_every_key_in_both_languages_with_the_same_placeholders() -> None:
    ids, ens = catalog("id"), catalog("en")
    assert set(ids) == set(ens), set(ids) ^ set(ens)
    for key in ids:
        assert _fields(ids[key]) == _fields(ens[key]), key


def _namespaces(key: str) -> list[str]:
    """``"audit.action.user.add"`` -> ``["audit", "audit.action", "audit.action.user"]``."""
    parts = key.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def test_no_key_is_unused() -> None:
    """A key is used when it is written out, or built from a namespace the code names
    (``vocab={"kind": "event"}`` -> ``event.<kind>``, ``f"nav.{page}"``)."""
    literals, prefixes = _literals_and_prefixes()
    unused = [
        k
        for k in catalog("id")
        if k not in literals
        and not any(k.startswith(p) for p in prefixes)
        and not any(ns in literals for ns in _namespaces(k))
    ]
    assert unused == []


def test_every_literal_key_used_in_code_exists() -> None:
    """``t("some.key")`` with a key missing from the catalogs would show the raw key."""
    keys = set(catalog("id"))
    missing = []
    for path in (ROOT / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", getattr(node.func, "id", None)) == "t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value not in keys
            ):
                missing.append(f"{path.name}:{node.lineno}:{node.args[0].value}")
    assert missing == []
