"""The ``netralitas`` command run inside the test process (``click.testing.CliRunner``).

A subprocess costs 2.4-2.8 s of interpreter and import start-up before any work; in-process
the same command line runs against the same click group, with the environment, working
directory and stdin it is given, and reports like :class:`subprocess.CompletedProcess`
(``returncode``, ``stdout``, ``stderr``), so the tests read the same values. An exception
the command lets escape is written to ``stderr`` as the traceback a process would print
(exit code 1), so a test that asserts "no traceback" still sees one. Only the tests that
prove the installed entry point start ``netralitas`` as a process.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Mapping
from contextlib import chdir
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from dashboard.cli.main import main


@dataclass(frozen=True)
class Completed:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


def invoke(
    *args: str,
    env: Mapping[str, str | None] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
) -> Completed:
    """Run ``netralitas *args``; ``env`` entries are set (None: removed) for the call only."""
    runner = CliRunner()
    with chdir(cwd or os.getcwd()):
        result = runner.invoke(main, list(args), input=stdin or "", env=dict(env or {}))
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        stderr += "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return Completed(tuple(args), result.exit_code, result.stdout, stderr)
