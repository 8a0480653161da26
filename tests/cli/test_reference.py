"""docs/cli.md is the reference generated from the click commands: it cannot drift."""

from pathlib import Path

from dashboard.cli.main import main
from dashboard.cli.reference import render

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_reference_is_the_one_the_commands_make_now() -> None:
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == render(main), "docs/cli.md is out of date: run `make docs`"


def test_every_command_has_a_section() -> None:
    text = render(main)
    for name in ("import", "validate", "rollback", "letters", "remind", "users add", "store copy"):
        assert f"## `netralitas {name}`" in text
