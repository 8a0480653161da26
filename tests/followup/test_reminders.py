"""Reminders against a real SMTP server on loopback (aiosmtpd): recipients, figures, no
names outside each recipient's agency, one send per agency per day, every send logged."""

from __future__ import annotations

import datetime as dt
import email
import json
import socket
from collections.abc import Iterator
from email.message import Message
from email.policy import default as default_policy
from pathlib import Path

import polars as pl
import pytest
from aiosmtpd.controller import Controller
from cli_inprocess import Completed, invoke
from independent_figures import read_sql

from dashboard.access import audit, auth
from dashboard.access import followup as fa
from dashboard.followup import reminders
from dashboard.queries import followup as q
from dashboard.store.database import Store

BOTH_BACKENDS = True  # each test runs on a DuckDB file and on PostgreSQL

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date.today()


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        msg = email.message_from_bytes(envelope.content, policy=default_policy)  # type: ignore[attr-defined]
        self.messages.append((list(envelope.rcpt_tos), msg))  # type: ignore[attr-defined]
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _unsigned(store: Store) -> pl.DataFrame:
    return read_sql(
        store,
        "SELECT agency_id, name, nip FROM officials WHERE superseded_by IS NULL AND NOT signed",
    )


def _setup(store: Store) -> tuple[pl.DataFrame, list[str]]:
    """Three agencies with unsigned officials: two with an address (one allows the list),
    one without; the campaign is overdue, one agency's override is three days ahead."""
    unsigned = _unsigned(store)
    counts = (
        unsigned.group_by("agency_id").len().sort(["len", "agency_id"], descending=[True, False])
    )
    a, b, c = counts["agency_id"].head(3).to_list()
    admin = auth.User("adm", "admin")
    fa.set_deadline(store, admin, TODAY - dt.timedelta(days=5))
    fa.set_deadline(store, admin, TODAY + dt.timedelta(days=3), agency_id=b)
    fa.set_contact(store, admin, a, email="tu@a.example", send_list=True)
    fa.set_contact(store, admin, b, email="tu@b.example", send_list=False)
    fa.set_contact(store, admin, c, email=None)
    return unsigned, [a, b, c]


def _body(msg: Message) -> str:
    return msg.get_content()  # type: ignore[attr-defined,no-any-return]


def test_each_agency_gets_its_own_figures_once_a_day(
    demo_copy: Store, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    unsigned, (a, b, c) = _setup(demo_copy)
    smtp = reminders.SmtpSettings(
        host="127.0.0.1", port=port, sender="bkd@kantor.example", send_names=True
    )
    out = reminders.send_reminders(demo_copy, smtp)
    assert sorted((o.agency_id, o.status) for o in out) == sorted([(a, "sent"), (b, "sent")])
    by_rcpt = {tuple(r): m for r, m in inbox.messages}
    assert set(by_rcpt) == {("tu@a.example",), ("tu@b.example",)}

    for rcpt, agency, listed in (("tu@a.example", a, True), ("tu@b.example", b, False)):
        msg = by_rcpt[(rcpt,)]
        body = _body(msg)
        mine = unsigned.filter(pl.col("agency_id") == agency)
        assert msg["From"] == "bkd@kantor.example"
        assert f"{mine.height} pegawai" in msg["Subject"]
        assert f"dan {mine.height} belum" in body
        others = unsigned.filter(pl.col("agency_id") != agency)
        assert not [n for n in others["nip"].to_list() if n in body]
        assert not [
            n
            for n in others["name"].unique().to_list()
            if n in body and n not in mine["name"].to_list()
        ]
        if listed:
            assert all(n in body for n in mine["nip"].to_list())
        else:
            assert not [n for n in mine["nip"].to_list() if n in body]
    assert "telah lewat" in _body(by_rcpt[("tu@a.example",)])  # overdue
    assert "telah lewat" not in _body(by_rcpt[("tu@b.example",)])  # nearing

    log = q.reminder_sends(demo_copy)
    assert sorted(log["agency_id"].to_list()) == sorted([a, b])
    assert set(log["status"]) == {"sent"} and set(log["send_date"]) == {TODAY}
    assert dict(zip(log["agency_id"], log["names_listed"], strict=True)) == {
        a: unsigned.filter(pl.col("agency_id") == a).height,
        b: 0,
    }

    # a second run the same day sends nothing; the next day sends again
    assert reminders.send_reminders(demo_copy, smtp) == []
    assert len(inbox.messages) == 2
    later = reminders.send_reminders(demo_copy, smtp, as_of=TODAY + dt.timedelta(days=1))
    assert {o.status for o in later} == {"sent"} and len(inbox.messages) == 4


def test_names_stay_out_unless_the_office_switches_them_on(
    demo_copy: Store, smtp_server: tuple[Inbox, int]
) -> None:
    inbox, port = smtp_server
    unsigned, (a, _b, _c) = _setup(demo_copy)
    smtp = reminders.SmtpSettings(host="127.0.0.1", port=port)  # send_names off
    reminders.send_reminders(demo_copy, smtp)
    bodies = "\n".join(_body(m) for _, m in inbox.messages)
    assert len(inbox.messages) == 2
    assert not [n for n in unsigned["nip"].to_list() if n in bodies]


def test_a_refused_connection_is_logged_and_frees_the_day(demo_copy: Store) -> None:
    _setup(demo_copy)
    dead = reminders.SmtpSettings(host="127.0.0.1", port=_free_port(), timeout=2)
    out = reminders.send_reminders(demo_copy, dead)
    assert {o.status for o in out} == {"failed"} and len(out) == 2
    log = q.reminder_sends(demo_copy)
    assert set(log["status"]) == {"failed"}
    assert len(reminders.due_reminders(demo_copy, TODAY)) == 2  # still to be sent


def test_settings_from_environment_and_secrets() -> None:
    s = reminders.settings_from(
        {"NETRALITAS_SMTP_HOST": "mail.kantor", "NETRALITAS_SMTP_PORT": "587"},
        {"smtp": {"host": "ignored", "from": "a@b.example", "starttls": True, "password": "pw"}},
    )
    assert (s.host, s.port, s.sender, s.starttls) == ("mail.kantor", 587, "a@b.example", True)
    assert "pw" not in repr(s)
    with pytest.raises(reminders.ReminderConfigError, match="NETRALITAS_SMTP_HOST"):
        reminders.settings_from({}, {})


def _cli(store: Store, *args: str, env: dict[str, str] | None = None) -> Completed:
    return invoke(*args, "--store", store.location, env=env, cwd=ROOT)


def test_remind_command_dry_run_then_send(demo_copy: Store, smtp_server: tuple[Inbox, int]) -> None:
    inbox, port = smtp_server
    unsigned, (a, b, _c) = _setup(demo_copy)
    dry = _cli(demo_copy, "remind", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    doc = json.loads(dry.stdout)
    assert doc["dry_run"] and sorted(r["agency_id"] for r in doc["reminders"]) == sorted([a, b])
    assert inbox.messages == [] and q.reminder_sends(demo_copy).height == 0

    unconfigured = _cli(demo_copy, "remind", env={"NETRALITAS_SMTP_HOST": ""})
    assert unconfigured.returncode == 1 and "NETRALITAS_SMTP_HOST" in unconfigured.stderr
    assert "Traceback" not in unconfigured.stderr

    env = {"NETRALITAS_SMTP_HOST": "127.0.0.1", "NETRALITAS_SMTP_PORT": str(port)}
    sent = _cli(demo_copy, "remind", "--json", env=env)
    assert sent.returncode == 0, sent.stderr
    doc = json.loads(sent.stdout)
    assert doc["sent"] == 2 and len(inbox.messages) == 2
    counts = {r["agency_id"]: r["unsigned"] for r in doc["reminders"]}
    assert counts == {x: unsigned.filter(pl.col("agency_id") == x).height for x in (a, b)}
    assert not [n for n in unsigned["nip"].to_list() if n in sent.stdout + sent.stderr]
    again = json.loads(_cli(demo_copy, "remind", "--json", env=env).stdout)
    assert again["sent"] == 0 and len(inbox.messages) == 2
    runs = audit.log(demo_copy, actions=("reminder.send",))
    assert runs.height == 2 and runs["channel"].to_list() == ["cli", "cli"]
