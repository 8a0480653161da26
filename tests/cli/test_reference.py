"""docs/cli.md is the reference generated from the click commands: it cannot drift."""

from pathlib import Path

from dashboard.access import auth
from dashboard.cli.main import main
from dashboard.cli.reference import permission_table, render, with_permission_table

ROOT = Path(__file__).resolve().parents[2]


def test_the_cli_reference_is_the_one_the_commands_make_now() -> None:
    written = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert written == render(main), "docs/cli.md is out of date: run `make docs`"


def test_every_command_has_a_section() -> None:
    text = render(main)
    for name in ("import", "validate", "rollback", "letters", "remind", "users add", "store copy"):
        assert f"## `netralitas {name}`" in text


def test_the_permission_table_in_the_security_page_is_the_one_in_the_code() -> None:
    page = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    assert page == with_permission_table(page), "docs/security.md is out of date: run `make docs`"
    assert permission_table() in page


def test_the_permission_table_covers_letters_and_follow_up_actions() -> None:
    table = permission_table()
    for action in (auth.LETTERS_WITH_NAMES, auth.FOLLOWUP_ACT, auth.LETTER_SETTINGS):
        assert f"| `{action}` |" in table
    assert "| `letters_with_names` | — | yes | — | yes |" in table
