"""Imports point one way: domain rules at the bottom, then the store, the queries, the
services, the renderers, and the web pages and command line on top.

Every import counts, including those inside functions; only imports under
``if TYPE_CHECKING:`` are left out (they are erased at run time and name types only). The test
fails on an import from a lower layer into a higher one and on any import cycle between
modules, and names each.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# (layer, module prefixes); lower layers first. The most specific prefix decides.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("domain", ("schemas", "dashboard.domain", "dashboard.i18n", "dashboard.text")),
    ("store", ("dashboard.store",)),
    ("queries", ("dashboard.queries",)),
    (
        "services",
        (
            "dashboard.access",
            "dashboard.ingest",
            "dashboard.followup",
            "dashboard.install",
            "dashboard.geo.boundaries",
        ),
    ),
    ("renderers", ("dashboard.render", "dashboard.geo.maps")),
    ("edges", ("dashboard.web", "dashboard.cli")),
)
# packages whose modules stand on several layers: the package itself is no layer of its own
NEUTRAL = {"dashboard", "dashboard.geo"}


def modules() -> dict[str, Path]:
    found = {}
    for top in ("dashboard", "schemas"):
        for path in (ROOT / top).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), rank)
    return None if best is None else best[1]


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                skipped.update(id(n) for n in ast.walk(inner))
    return skipped


def imports(name: str, path: Path, known: dict[str, Path]) -> list[tuple[str, int]]:
    """(imported module of this tree, line) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _type_checking_nodes(tree)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
            targets = [t if t in known else base for t in targets]
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and (target, node.lineno) not in found:
                found.append((target, node.lineno))
    return found


def graph() -> dict[str, list[tuple[str, int]]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def test_every_module_has_a_layer() -> None:
    missing = [m for m in modules() if m not in NEUTRAL and layer_of(m) is None]
    assert missing == [], f"modules outside every layer (add them to LAYERS): {missing}"


def test_no_import_points_up() -> None:
    upward = []
    for module, targets in graph().items():
        here = layer_of(module)
        for target, line in targets:
            there = layer_of(target)
            if here is not None and there is not None and there > here:
                upward.append(
                    f"{module}:{line} ({LAYERS[here][0]}) imports {target} ({LAYERS[there][0]})"
                )
    assert upward == [], "imports that point up:\n" + "\n".join(sorted(upward))


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles() -> None:
    edges: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph().items():
        edges[module].update(target for target, _ in targets)
        for target, _ in targets:
            edges[target]  # noqa: B018 - every module is a node
    assert cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    edges: dict[str, set[str]] = defaultdict(set, {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert cycles(edges) == [["a", "b", "c"]]


def test_layers_are_read_from_the_most_specific_prefix() -> None:
    assert LAYERS[layer_of("dashboard.geo.maps") or 0][0] == "renderers"
    assert LAYERS[layer_of("dashboard.domain.regions") or 0][0] == "domain"
    assert layer_of("dashboard.geo") is None
