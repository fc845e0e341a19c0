"""A sync counts people, not the records a source sends of them [sync-counts]: a person two Google accounts
(or several batches) send is one new contact, not also an updated one, and a rerun that brings nothing new
says the people and messages it was sent are there already ("5 unchanged", "2 already stored"), in the CLI's
line, the run's details (`pcrm sync status ID`, `GET /tasks/{id}`), the notification and the jobs' log."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from pcrm.services import google, jobs, sync
from pcrm.services.context import Context
from tests.support.api import V, ok
from tests.support.cli import Cli
from tests.sync.google_fake import FakeGoogle, at, connect_over

ME = "me@example.com"
WORK = "me@work.example"
PEOPLE = 5


def _person(i: int, **kw: Any) -> dict[str, Any]:
    return {
        "resourceName": f"people/c{i}",
        "names": [{"displayName": f"Grace Hopper{i}", "givenName": "Grace", "familyName": f"Hopper{i}"}],
        "emailAddresses": [{"value": f"grace{i}@navy.example"}],
        **kw,
    }


@pytest.fixture
def two_accounts(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> FakeGoogle:
    """Two Google accounts connected for real (tokens in the secret store), both holding the same five
    people (the work account with their phones too) and one mail thread, played by a fake Google."""
    monkeypatch.setenv("PCRM_NOW", "2026-02-01T00:00:00Z")
    google.configure_client(ctx, "cid", "csecret")
    fake = FakeGoogle()
    for email in (ME, WORK):
        google.connect_account(ctx, email, f"rt-{email}")
        box = fake.mailbox(email)
        for i in range(PEOPLE):
            phones = {"phoneNumbers": [{"value": f"+1202555{i:04d}"}]} if email == WORK else {}
            box.add_person(_person(i, **phones))
    mine = fake.boxes[f"rt-{ME}"]
    mine.add_message("g1", "grace0@navy.example", ME, "hello from Grace", at=at(1))
    mine.add_message("g2", ME, "grace0@navy.example", "hello back", at=at(2))
    connect_over(monkeypatch, fake)
    return fake


def _line(cli: Cli, *args: str) -> str:
    out = cli(*args).stdout.strip()
    return out.split(" in ", 1)[0]  # without "in N batches, M ms"


def test_a_person_two_accounts_send_is_one_new_contact_and_a_rerun_says_they_are_unchanged(
    two_accounts: FakeGoogle, cli: Cli, ctx: Context
) -> None:
    # the second account's copy of each person adds their phone to the contact the first made: new, once
    run = cli.json("sync", "google")["data"]
    assert (run["records_created"], run["records_updated"]) == (PEOPLE, 0)
    assert ctx.conn.execute("SELECT count(*) FROM contact_phones").fetchall()[0][0] == PEOPLE
    # nothing changed at Google since: the sync tokens bring nothing
    assert _line(cli, "sync", "google") == "google_contacts: 0 new contacts, 0 updated, 0 new interactions"
    # everyone listed again (as an expired sync token does): sent again as they are, and said so
    cli("sync", "reset", "google_contacts")
    said = _line(cli, "sync", "google")
    assert said == f"google_contacts: 0 new contacts, 0 updated, {PEOPLE} unchanged, 0 new interactions", said
    # the reference's name of the source, as `pcrm sync google` takes it [google-sources]
    assert cli.json("sync", "reset", "google")["data"]["source"] == "google_contacts"
    run = cli.json("sync", "google")["data"]
    details = json.loads(run["details"])
    assert (run["records_created"], run["records_updated"], details["contacts_unchanged"]) == (0, 0, PEOPLE)
    notices = cli.json("notifications", "--all")["data"]
    said = {n["body"] for n in notices if n["title"] == "Google Contacts sync completed"}
    assert said == {
        f"{PEOPLE} new contacts, 0 updated, 0 new interactions",
        "0 new contacts, 0 updated, 0 new interactions",
        f"0 new contacts, 0 updated, {PEOPLE} unchanged, 0 new interactions",
    }


def test_messages_fetched_again_are_said_already_stored_over_the_api(
    two_accounts: FakeGoogle, empty_api: Any, cli: Cli
) -> None:
    for path in ("google", "gmail"):
        started = ok(empty_api.post(f"{V}/contacts/sync/{path}"))["data"]
        sync.wait(started["task_id"], timeout=60)
    cli("sync", "reset", "gmail")
    started = ok(empty_api.post(f"{V}/contacts/sync/gmail"))["data"]
    sync.wait(started["task_id"], timeout=60)
    task = ok(empty_api.get(f"{V}/tasks/{started['task_id']}"))["data"]
    details = json.loads(task["details"])
    assert (task["status"], task["records_created"], task["records_updated"]) == ("success", 0, 0)
    assert (details["interactions_created"], details["interactions_known"]) == (0, 2)
    shown = cli.json("sync", "status", started["task_id"][:8])["data"]
    assert json.loads(shown["details"])["interactions_known"] == 2
    everything = cli.json("sync", "--all")["data"]
    assert everything["gmail"]["interactions_known"] == 0  # its cursor: nothing fetched again


def test_the_jobs_log_says_what_a_scheduled_sync_brought(
    two_accounts: FakeGoogle, ctx: Context, cli: Cli, caplog: pytest.LogCaptureFixture
) -> None:
    cli("sync", "google")
    cli("sync", "reset", "google_contacts")
    with caplog.at_level(logging.INFO, logger="pcrm.jobs"):
        got = jobs.run(ctx, "sync:google_contacts").data["result"]
    assert got["brought"] == f"0 new contacts, 0 updated, {PEOPLE} unchanged, 0 new interactions"
    assert any(f"{PEOPLE} unchanged" in r.getMessage() for r in caplog.records), caplog.text
