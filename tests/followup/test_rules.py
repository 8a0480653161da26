"""Follow-up rules on hand-made frames: steps, deadlines, the overdue rule, the effect."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard.followup import effect, overdue, steps
from schemas.vocab import FOLLOWUP_STEPS

D = dt.date
T = dt.datetime


def test_next_step_walks_the_letters_and_stops_at_referral() -> None:
    assert steps.next_step("not_followed_up") == "reminder_1"
    assert steps.next_step("reminder_1") == "reminder_2"
    assert steps.next_step("reminder_2") == "referred"
    assert steps.next_step("referred") == "referred"
    assert steps.next_step("done") == "done"
    with pytest.raises(steps.StepError, match="unknown"):
        steps.next_step("reminder_9")


def test_step_labels_default_indonesian_and_office_overrides() -> None:
    labels = steps.step_labels("id")
    assert labels["not_followed_up"] == "Belum ditindaklanjuti"
    assert list(labels) == list(FOLLOWUP_STEPS)
    custom = steps.step_labels("id", '{"reminder_1": "Teguran I", "bogus": "x", "done": 3}')
    assert custom["reminder_1"] == "Teguran I"
    assert "bogus" not in custom and custom["done"] == labels["done"]
    assert steps.step_labels("id", "{not json") == labels


def _history() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "step_id": ["s1", "s2", "s3", "s4"],
            "agency_id": ["a", "a", "b", "a"],
            "campaign": ["pakta", "pakta", "pakta", "ikrar"],
            "step": ["reminder_1", "reminder_2", "reminder_1", "reminder_1"],
            "taken_on": [D(2024, 1, 2), D(2024, 1, 1), D(2024, 1, 5), D(2024, 1, 9)],
            "taken_at": [T(2024, 1, 2, 9), T(2024, 1, 3, 9), T(2024, 1, 5, 9), T(2024, 1, 9)],
            "taken_by": ["ana", "budi", "ana", "ana"],
            "note": [None, "koreksi", None, None],
            "letter_id": [None, None, None, None],
            "unsigned_at_step": [10, 8, 5, 3],
        },
        schema_overrides={"letter_id": pl.String},
    )


def test_current_step_is_the_latest_recorded_per_campaign() -> None:
    cur = steps.current_steps(_history()).sort("agency_id", "campaign")
    rows = {(r["agency_id"], r["campaign"]): r for r in cur.to_dicts()}
    # recorded later, so it wins although its taken_on is earlier
    assert rows[("a", "pakta")]["step"] == "reminder_2"
    assert rows[("a", "pakta")]["last_action_by"] == "budi"
    assert rows[("a", "pakta")]["actions"] == 2
    assert rows[("a", "ikrar")]["step"] == "reminder_1"
    assert rows[("b", "pakta")]["actions"] == 1


def _deadlines() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "deadline_id": ["d1", "d2", "d3", "d4"],
            "campaign": ["pakta", "pakta", "pakta", "ikrar"],
            "agency_id": [None, None, "b", None],
            "due_date": [D(2024, 1, 10), D(2024, 1, 20), D(2024, 2, 1), D(2023, 1, 1)],
            "set_by": ["x"] * 4,
            "set_at": [T(2024, 1, 1), T(2024, 1, 2), T(2024, 1, 3), T(2024, 1, 4)],
        }
    )


def test_agency_override_beats_the_latest_campaign_deadline() -> None:
    due = overdue.resolve_deadlines(["a", "b"], _deadlines(), "pakta").sort("agency_id")
    assert due["due_date"].to_list() == [D(2024, 1, 20), D(2024, 2, 1)]
    assert due["deadline_source"].to_list() == ["campaign", "agency"]
    none = overdue.resolve_deadlines(["a"], _deadlines().clear(), "pakta")
    assert none["due_date"].to_list() == [None] and none["deadline_source"].to_list() == [None]


def test_overdue_needs_a_passed_deadline_and_unsigned_officials() -> None:
    df = pl.DataFrame(
        {
            "agency_id": ["past", "past_all_signed", "today", "soon", "later", "none"],
            "unsigned": [3, 0, 3, 3, 3, 3],
            "days_outstanding": [10, 10, None, 5, 5, 5],
            "due_date": [
                D(2024, 1, 9),
                D(2024, 1, 1),
                D(2024, 1, 10),
                D(2024, 1, 15),
                D(2024, 3, 1),
                None,
            ],
        }
    )
    out = overdue.mark(df, D(2024, 1, 10), nearing_days=7)
    assert out["overdue"].to_list() == [True, False, False, False, False, False]
    # the deadline day itself is not yet overdue, and it is "nearing"
    assert out["nearing"].to_list() == [False, False, True, True, False, False]
    assert out["priority"].to_list() == [30, 0, 0, 15, 15, 15]


def test_chase_table_orders_by_unsigned_times_days_and_defaults_the_step() -> None:
    figures = pl.DataFrame(
        {
            "agency_id": ["a", "b", "c", "d"],
            "unsigned": [10, 4, 0, 12],
            "days_outstanding": [2, 30, 90, None],
        }
    )
    cur = steps.current_steps(_history())
    out = overdue.chase_table(figures, _deadlines(), cur, "pakta", D(2024, 1, 25))
    assert out["agency_id"].to_list() == ["b", "a", "d"]  # c has nobody left to chase
    assert out["priority"].to_list() == [120, 20, 0]
    assert out["step"].to_list() == ["reminder_1", "reminder_2", "not_followed_up"]
    assert out["overdue"].to_list() == [False, True, True]


def test_step_effect_compares_each_step_with_now() -> None:
    now = pl.DataFrame({"agency_id": ["a", "b"], "unsigned": [2, 5]})
    eff = effect.step_effect(_history().filter(pl.col("campaign") == "pakta"), now)
    assert eff.select("agency_id", "step", "unsigned_at_step", "signed_since").rows() == [
        ("a", "reminder_2", 8, 6),
        ("a", "reminder_1", 10, 8),
        ("b", "reminder_1", 5, 0),
    ]
    by = effect.effect_by_step(eff, FOLLOWUP_STEPS)
    assert by.rows() == [("reminder_1", 2, 15, 7), ("reminder_2", 1, 8, 2)]


def test_signatures_after_each_reminder_until_the_next() -> None:
    reminders = pl.DataFrame(
        {"agency_id": ["a", "a", "b"], "sent_on": [D(2024, 1, 1), D(2024, 1, 10), D(2024, 1, 5)]}
    )
    signed = pl.DataFrame(
        {
            "agency_id": ["a", "a", "a", "a", "b", "c"],
            "signed_date": [
                D(2023, 12, 31),
                D(2024, 1, 1),
                D(2024, 1, 9),
                D(2024, 1, 12),
                D(2024, 1, 4),
                D(2024, 1, 6),
            ],
            "n": [7, 2, 3, 4, 9, 1],
        }
    )
    out = effect.signatures_after_reminders(reminders, signed)
    assert out.rows() == [
        ("a", D(2024, 1, 1), 5),
        ("a", D(2024, 1, 10), 4),
        ("b", D(2024, 1, 5), 0),
    ]
