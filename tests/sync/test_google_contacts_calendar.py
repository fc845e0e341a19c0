"""Google Contacts and Google Calendar [google-sources] over the real googleapiclient and a fake Google at
httplib2's boundary: the contract suite, mapping, sync tokens, deletions, future meetings."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pcrm import clock
from pcrm.services import contacts, sync
from pcrm.services.context import Context
from pcrm.sync.google import client as gclient
from pcrm.sync.google.calendar import GoogleCalendarSource, name_from_title
from pcrm.sync.google.contacts import GoogleContactsSource, name_from_email, split_name_org
from tests.sync.contract import SourceContract
from tests.sync.google_fake import FakeGoogle, at

ME = "me@example.com"


@pytest.fixture(autouse=True)
def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gclient, "_sleep", lambda s: None)


def _person(i: int, **kw: Any) -> dict[str, Any]:
    p: dict[str, Any] = {
        "resourceName": f"people/c{i}",
        "names": [{"displayName": f"Grace Hopper{i}", "givenName": "Grace", "familyName": f"Hopper{i}"}],
        "emailAddresses": [{"value": f"grace{i}@navy.example"}],
        "organizations": [{"name": "Navy", "title": "Rear Admiral"}],
    }
    p.update(kw)
    return p


class TestGoogleContactsContract(SourceContract):
    source_cls = GoogleContactsSource
    contacts = 25
    interactions = 0

    def make_client(self, *, fail_at: int | None = None) -> Any:
        fake = FakeGoogle(page_size=10)
        box = fake.mailbox(ME)
        for i in range(self.contacts):
            box.add_person(_person(i))
        fake.fail_at = fail_at
        return fake.client()

    def grow(self, client: Any) -> int:  # pragma: no cover - contacts bring no interactions
        raise NotImplementedError

    def test_new_data_arrives_on_the_next_run(self, ctx: Context) -> None:
        client = self.make_client()
        self.sync(ctx, client)
        box = client.accounts[0].http.boxes[f"rt-{ME}"]
        box.add_person(_person(100))
        run = self.sync(ctx, client)
        assert run["records_created"] == 1
        assert self.count(ctx, "SELECT count(*) FROM contacts") == self.contacts + 1


def test_contacts_mapping_matching_and_deletions(ctx: Context) -> None:
    known = contacts.create_contact(
        ctx, {"full_name": "Ada Lovelace", "emails": ["ada@analytical.example"]}
    ).data
    fake = FakeGoogle()
    box = fake.mailbox(ME)
    box.add_person(
        {
            "resourceName": "people/ada",
            "names": [{"displayName": "Ada Lovelace"}],
            "emailAddresses": [{"value": "ADA@analytical.example"}],
            "phoneNumbers": [{"value": "+12025550123"}],
            "organizations": [{"name": "Analytical Engines", "title": "Analyst"}],
        }
    )
    box.add_person({"resourceName": "people/split", "names": [{"displayName": "Alan Turing | Bletchley"}]})
    box.add_person(
        {"resourceName": "people/mail", "emailAddresses": [{"value": "david.rodriguez7@x.example"}]}
    )
    box.add_person({"resourceName": "people/none", "phoneNumbers": [{"value": "+12025550199"}]})
    client = fake.client()
    sync.run(ctx, "google_contacts", client=client)
    rows = {
        r[0]: r[1:]
        for r in ctx.conn.execute(
            "SELECT full_name, company, title, google_resource_name, priority_level, uuid FROM contacts"
        )
    }
    assert rows["Ada Lovelace"][:4] == ("Analytical Engines", "Analyst", "people/ada", "medium")
    assert rows["Ada Lovelace"][4] == known["id"]  # matched by email, not duplicated
    assert rows["Alan Turing"][0] == "Bletchley"
    assert "David Rodriguez" in rows and len(rows) == 3  # the nameless, emailless person is skipped
    # renamed in Google, email changed: still the same contact (resourceName first); deleted: archived
    box.add_person({"resourceName": "people/ada", "emailAddresses": [{"value": "ada@new.example"}]})
    box.delete_person("people/split")
    run = sync.run(ctx, "google_contacts", client=client).data
    assert run["records_updated"] == 2
    emails = contacts.get_contact(ctx, known["id"]).data["emails"]
    assert emails == ["ada@analytical.example", "ada@new.example"]
    assert ctx.conn.execute(
        "SELECT priority_level FROM contacts WHERE full_name = 'Alan Turing'"
    ).fetchall() == [("archived",)]
    # an expired sync token lists everyone again, changing nothing
    from pcrm.store import sync_cursors

    cur = json.loads(sync_cursors.get(ctx.conn, "google_contacts") or "{}")
    assert cur[ME]["sync"].startswith("sync-")
    from pcrm.store.db import write

    with write(ctx.conn):
        sync_cursors.put(ctx.conn, "google_contacts", json.dumps({ME: {"sync": "expired"}}), ctx.now_iso())
    assert sync.run(ctx, "google_contacts", client=client).data["records_created"] == 0


def test_name_helpers() -> None:
    assert name_from_email("david.rodriguez7@x.io") == "David Rodriguez"
    assert name_from_email("jdoe@x.io") is None
    assert split_name_org("Ada Lovelace - Analytical") == ("Ada Lovelace", "Analytical")
    assert split_name_org("Ada Lovelace") == ("Ada Lovelace", None)
    assert name_from_title("Coffee with Ada Lovelace") == "Ada Lovelace"
    assert name_from_title("Intro between Me and Alan Turing") == "Alan Turing"
    assert name_from_title("Quarterly planning") is None


def _event(eid: str, start: str, attendees: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    e = {
        "id": eid,
        "status": "confirmed",
        "summary": kw.pop("summary", f"Meeting {eid}"),
        "start": {"dateTime": start},
        "updated": kw.pop("updated", "2026-01-01T00:00:00.000Z"),
        "attendees": attendees,
    }
    e.update(kw)
    return e


def _me() -> dict[str, Any]:
    return {"email": ME, "self": True}


class TestGoogleCalendarContract(SourceContract):
    source_cls = GoogleCalendarSource
    contacts = 8
    interactions = 30

    @pytest.fixture(autouse=True)
    def _clock(self) -> Any:
        clock.set_now(at(60))
        yield
        clock.set_now(None)

    def make_client(self, *, fail_at: int | None = None) -> Any:
        fake = FakeGoogle(page_size=10)
        box = fake.mailbox(ME)
        for i in range(self.interactions):
            who = i % self.contacts
            box.events.append(
                _event(
                    f"e{i}",
                    at(i).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    [_me(), {"email": f"guest{who}@example.org", "displayName": f"Guest {who} Person"}],
                )
            )
        box.events[0]["attendees"][1]["displayName"] = "Guest 0 Person"
        fake.fail_at = fail_at
        return fake.client()

    def grow(self, client: Any) -> int:
        box = client.accounts[0].http.boxes[f"rt-{ME}"]
        for i in range(3):
            box.events.append(
                _event(
                    f"n{i}",
                    at(40 + i).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    [_me(), {"email": "guest1@example.org"}],
                    updated="2026-03-06T12:00:00.000Z",
                )
            )
        return 3

    def test_a_field_the_user_edited_is_never_refilled(self, ctx: Context) -> None:
        # calendar brings no company: the protected field here is the name
        client = self.make_client()
        self.sync(ctx, client)
        uuid = ctx.conn.execute("SELECT uuid FROM contacts LIMIT 1").fetchall()[0][0]
        contacts.update_contact(ctx, uuid, {"full_name": "Renamed By Me"})
        sync.reset(ctx, self.name)
        self.sync(ctx, client)
        assert contacts.get_contact(ctx, uuid).data["full_name"] == "Renamed By Me"


def test_calendar_future_meetings_count_only_once_they_pass(ctx: Context) -> None:
    clock.set_now(at(10))
    try:
        fake = FakeGoogle()
        box = fake.mailbox(ME)
        box.events += [
            _event(
                "past", "2026-01-10T10:00:00Z", [_me(), {"email": "ada.lovelace@x.example"}], summary="Sync"
            ),
            _event("soon", "2026-01-25T10:00:00Z", [_me(), {"email": "ada.lovelace@x.example"}]),
            _event("gone", "2026-01-11T10:00:00Z", [_me(), {"email": "b@x.example"}], status="cancelled"),
            _event("alone", "2026-01-11T11:00:00Z", [_me(), {"email": "room@resource.calendar.google.com"}]),
            _event(
                "coffee",
                "2026-01-12",
                [_me(), {"email": "info@corp.example"}],
                summary="Coffee with Alan Turing",
            ),
        ]
        box.events[-1]["start"] = {"date": "2026-01-12"}
        sync.run(ctx, "google_calendar", client=fake.client())
        rows = ctx.conn.execute(
            "SELECT c.full_name, i.raw_reference_id, i.direction, i.occurred_at FROM interactions i "
            "JOIN contacts c ON c.id = i.contact_id ORDER BY 2"
        ).fetchall()
        assert rows == [
            ("Alan Turing", "gcal:coffee:info@corp.example", "mutual", "2026-01-12T00:00:00.000Z"),
            ("Ada Lovelace", "gcal:past:ada.lovelace@x.example", "mutual", "2026-01-10T10:00:00.000Z"),
            ("Ada Lovelace", "gcal:soon:ada.lovelace@x.example", "mutual", "2026-01-25T10:00:00.000Z"),
        ]
        ada = ctx.conn.execute(
            "SELECT last_interaction_at, interaction_count FROM contacts WHERE full_name = 'Ada Lovelace'"
        ).fetchall()
        assert ada == [("2026-01-10T10:00:00.000Z", 1)]  # the future meeting does not count yet
        clock.set_now(at(30))
        from pcrm.services import jobs

        jobs.run(ctx, "meetings")
        ada = ctx.conn.execute(
            "SELECT last_interaction_at FROM contacts WHERE full_name = 'Ada Lovelace'"
        ).fetchall()
        assert ada == [("2026-01-25T10:00:00.000Z",)]
    finally:
        clock.set_now(None)
