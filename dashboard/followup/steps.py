"""The named follow-up steps and an agency's place among them.

An agency with no step recorded is at the first step ("not yet followed up"). Confirming
that a letter was sent moves it one step on, up to "referred to the superior / PPK"; "done"
is only ever set by hand.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import polars as pl

from dashboard import i18n
from schemas.vocab import FOLLOWUP_STEPS

FIRST_STEP = FOLLOWUP_STEPS[0]
DONE_STEP = FOLLOWUP_STEPS[-1]
# the last step a letter can move an agency to
LAST_LETTER_STEP = "referred"


class StepError(ValueError):
    """An unknown step name (message safe to show)."""


def check_step(step: str) -> str:
    if step not in FOLLOWUP_STEPS:
        raise StepError(f"unknown follow-up step {step!r}; one of {', '.join(FOLLOWUP_STEPS)}")
    return step


def step_rank(step: str) -> int:
    return FOLLOWUP_STEPS.index(check_step(step))


def next_step(step: str) -> str:
    """The step a sent letter moves an agency to."""
    rank = step_rank(step)
    if step == DONE_STEP:
        return DONE_STEP
    return FOLLOWUP_STEPS[min(rank + 1, FOLLOWUP_STEPS.index(LAST_LETTER_STEP))]


def step_labels(lang: str, overrides: str | Mapping[str, str] | None = None) -> dict[str, str]:
    """Step code -> name: the catalog's, replaced by the office's own where configured.

    ``overrides`` is the ``letter_settings.step_labels`` JSON (or a mapping); unknown codes
    and non-text values in it are ignored rather than shown.
    """
    labels = {s: i18n.t(f"followup.step.{s}", lang) for s in FOLLOWUP_STEPS}
    if isinstance(overrides, str):
        try:
            overrides = json.loads(overrides)
        except json.JSONDecodeError:
            overrides = None
    if isinstance(overrides, Mapping):
        labels |= {
            k: v.strip()
            for k, v in overrides.items()
            if k in labels and isinstance(v, str) and v.strip()
        }
    return labels


def current_steps(history: pl.DataFrame) -> pl.DataFrame:
    """Per agency and campaign: its latest step with when, who and the note (one row each).

    Latest means the most recently recorded (``taken_at``), so a correction entered later
    wins over an earlier entry with a later ``taken_on``.
    """
    return (
        history.sort("taken_at", "step_id")
        .group_by("agency_id", "campaign", maintain_order=True)
        .agg(
            pl.col("step").last(),
            pl.col("taken_on").last().alias("last_action_on"),
            pl.col("taken_by").last().alias("last_action_by"),
            pl.col("note").last().alias("last_note"),
            pl.len().cast(pl.Int64).alias("actions"),
        )
    )
