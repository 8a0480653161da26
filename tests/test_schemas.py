"""Schemas reject bad rows with the spreadsheet row, the column and the rule."""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.ingest.validation import validate_rows
from dashboard.store.database import conform
from schemas import Events, Officials, SignatureReports


def _officials(rows: list[dict]) -> pl.DataFrame:
    base = {
        Officials.name: "Ani",
        Officials.position: "Kepala Seksi",
        Officials.position_level: "pengawas",
        Officials.agency_id: "ag",
        Officials.province_code: "17",
        Officials.signed: True,
        Officials.pledged: True,
        Officials.upload_id: "u",
        Officials.is_demo: False,
    }
    return conform(pl.DataFrame([{**base, **r} for r in rows]), Officials)


def test_officials_rows_rejected_with_row_column_rule() -> None:
    df = _officials(
        [
            {Officials.nip: "198001012005011001"},
            {Officials.nip: "1.98E+17"},
            {Officials.nip: "198001012005011003", Officials.position_level: "bos"},
            {Officials.nip: "198001012005011004", Officials.province_code: "Bengkulu"},
        ]
    )
    ok, issues = validate_rows(df, Officials, "id")
    assert ok.height == 1
    found = {(i.row, i.column, i.code) for i in issues}
    assert found == {
        (3, Officials.nip, "pattern"),
        (4, Officials.position_level, "not_allowed"),
        (5, Officials.province_code, "pattern"),
    }
    msg = next(i.message for i in issues if i.row == 3)
    assert "1.98E+17" in msg and "nip" in msg and "format" in msg


def test_messages_follow_the_language() -> None:
    df = _officials([{Officials.nip: "123"}])
    _, issues_id = validate_rows(df, Officials, "id")
    _, issues_en = validate_rows(df, Officials, "en")
    assert issues_id[0].message.startswith("Nilai '123' pada kolom nip")
    assert issues_en[0].message.startswith("Value '123' in column nip")


def test_elected_official_may_have_no_nip() -> None:
    df = _officials([{Officials.nip: None, Officials.position_level: "pejabat_negara"}])
    ok, issues = validate_rows(df, Officials)
    assert ok.height == 1 and issues == []


def test_report_cannot_sign_more_than_target() -> None:
    df = conform(
        pl.DataFrame(
            [
                {
                    SignatureReports.report_id: "r1",
                    SignatureReports.agency_id: "a",
                    SignatureReports.province_code: "17",
                    SignatureReports.as_of: dt.date(2023, 1, 1),
                    SignatureReports.as_of_precision: "year",
                    SignatureReports.target: 53,
                    SignatureReports.signed: 54,
                    SignatureReports.is_demo: False,
                }
            ]
        ),
        SignatureReports,
    )
    ok, issues = validate_rows(df, SignatureReports, "en")
    assert ok.height == 0
    assert [(i.row, i.column, i.code) for i in issues] == [(2, None, "signed_within_target")]


def test_event_date_precision_is_controlled() -> None:
    df = conform(
        pl.DataFrame(
            [
                {
                    Events.event_id: "e",
                    Events.event_date: dt.date(2023, 1, 1),
                    Events.date_precision: "approximately",
                    Events.agency_id: "a",
                    Events.province_code: "17",
                    Events.kind: "pakta",
                    Events.is_demo: False,
                }
            ]
        ),
        Events,
    )
    _, issues = validate_rows(df, Events)
    assert [(i.row, i.column, i.code) for i in issues] == [
        (2, Events.date_precision, "not_allowed")
    ]
