"""The command-line reference in docs/cli.md, generated from the click commands themselves.

Written from the commands so it cannot drift: `tests/cli/test_reference.py` fails when the
file differs from what :func:`render` makes now (`make docs` rewrites it).
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import click

HEADER = """# Command-line reference

Generated from the commands by `make docs` (`python -m dashboard.cli.reference`); a test fails
when it is out of date. Every command takes `--store PATH|URL` (or `NETRALITAS_STORE`) where it
reads or writes the store; with `--json` it prints exactly one JSON document on stdout.
"""


def _usage(command: click.Command, path: str) -> str:
    ctx = click.Context(command, info_name=path)
    pieces = command.collect_usage_pieces(ctx)
    return " ".join([path, *pieces])


def _cell(text: str) -> str:
    return text.replace("|", r"\|")


def _option_rows(command: click.Command) -> list[str]:
    ctx = click.Context(command)
    rows = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None or param.name == "help":
            continue
        names, text = record
        rows.append(f"| `{_cell(names)}` | {_cell(text)} |")
    return rows


def _commands(group: click.Command, path: str) -> list[tuple[str, click.Command]]:
    found = [(path, group)]
    if isinstance(group, click.Group):
        for name in sorted(group.commands):
            found += _commands(group.commands[name], f"{path} {name}")
    return found


def render(root: click.Command, name: str = "netralitas") -> str:
    """The reference as Markdown: one section per command, in the order `--help` lists them."""
    parts = [HEADER]
    for path, command in _commands(root, name):
        if isinstance(command, click.Group) and path != name:
            continue  # a group's own page only lists its commands, which follow
        parts.append(f"## `{path}`\n")
        help_text = inspect.cleandoc(command.help or "")
        if help_text:
            parts.append(help_text + "\n")
        if path != name:
            parts.append(f"```\n{_usage(command, path)}\n```\n")
            rows = _option_rows(command)
            if rows:
                parts.append("| option | meaning |\n|---|---|\n" + "\n".join(rows) + "\n")
    return "\n".join(parts)


def main() -> None:
    from dashboard.cli.main import main as root

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/cli.md")
    target.write_text(render(root), encoding="utf-8")


if __name__ == "__main__":
    main()
