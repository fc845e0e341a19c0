"""X bios: a first-seen bio is stored silently; a changed one is classified into a detected event, an event
interaction and a notification; a location the user edited is kept; the daily X job polls them; `refresh_bio`
does one contact."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from pcrm.services import contacts, jobs, sync, x_contacts
from pcrm.services.context import Context
from pcrm.sync.x import tokens as xtokens
from tests.sync.x.fake import ME, FakeX, XWorld, sample


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeX]:
    f = FakeX(sample(XWorld(), 3, 2))
    monkeypatch.setenv("PCRM_X_CLIENT_ID", "client-1")
    monkeypatch.setenv("PCRM_X_API_URL", f.url)
    xtokens.save_tokens(f.world.access, f.world.refresh, time.time() + 7200, {"id": ME, "username": "ada"})
    yield f
    f.close()


def _rows(ctx: Context, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ctx.conn.execute(sql, args).fetchall()]


def _uuid(ctx: Context, uid: str) -> str:
    return str(
        _rows(
            ctx,
            "SELECT c.uuid FROM contacts c JOIN contact_identities i ON i.contact_id = c.id "
            "WHERE i.platform = 'twitter' AND i.external_id = ?",
            uid,
        )[0][0]
    )


def test_a_changed_bio_is_an_event_an_interaction_and_a_notification(ctx: Context, fake: FakeX) -> None:
    sync.run(ctx, "twitter")
    assert _rows(ctx, "SELECT count(*) FROM detected_events") == [(0,)]  # first-seen bios are silent
    assert _rows(ctx, "SELECT count(*) FROM notifications WHERE notification_type = 'bio_change'") == [(0,)]
    unchanged = x_contacts.poll_bios(ctx).data
    assert unchanged == {"checked": 3, "found": 3, "changed": [], "photos": 0, "photo_errors": []}
    fake.world.users["2002"]["description"] = "Just joined Rocket Labs"
    fake.world.users["2002"]["location"] = "Lisbon"
    res = x_contacts.poll_bios(ctx).data
    uuid = _uuid(ctx, "2002")
    assert res["changed"] == [uuid]
    c = contacts.get_contact(ctx, uuid).data
    # the bio follows X; the location X filled stays: X's free text only fills an empty one
    assert c["twitter_bio"] == "Just joined Rocket Labs" and c["location"] == "Berlin"
    ev = _rows(ctx, "SELECT event_type, json_extract(details, '$.old') FROM detected_events")
    assert ev == [("job_change", "bio of friend 1")]  # classified as every bio change is [ai-events]
    it = _rows(
        ctx,
        "SELECT direction, platform, content_preview FROM interactions WHERE direction = 'event'",
    )
    assert it == [("event", "twitter", "Updated their X bio: Just joined Rocket Labs")]
    notes = _rows(ctx, "SELECT title, body FROM notifications WHERE notification_type = 'bio_change'")
    assert notes == [("@friend1 updated their X bio", "Just joined Rocket Labs")]
    assert x_contacts.poll_bios(ctx).data["changed"] == []  # polled again: nothing new


def test_the_bio_follows_x_but_a_location_the_user_edited_is_kept(ctx: Context, fake: FakeX) -> None:
    sync.run(ctx, "twitter")
    uuid = _uuid(ctx, "2001")
    contacts.update_contact(ctx, uuid, {"location": "Paris"})
    fake.world.users["2001"]["description"] = "something new"
    fake.world.users["2001"]["location"] = "Rome"
    assert x_contacts.poll_bios(ctx).data["changed"] == [uuid]
    c = contacts.get_contact(ctx, uuid).data
    assert c["location"] == "Paris" and c["twitter_bio"] == "something new"


def test_archived_contacts_are_not_polled(ctx: Context, fake: FakeX) -> None:
    sync.run(ctx, "twitter")
    contacts.update_contact(ctx, _uuid(ctx, "2001"), {"priority_level": "archived"})
    assert x_contacts.poll_bios(ctx).data["checked"] == 2


def test_the_daily_x_job_syncs_then_polls_bios(ctx: Context, fake: FakeX) -> None:
    sync.run(ctx, "twitter")
    fake.world.users["2003"]["description"] = "changed"
    out = jobs.run(ctx, "sync:twitter").data["result"]
    assert out["bios"]["changed"] == [_uuid(ctx, "2003")]


def test_refresh_bio_of_one_contact(ctx: Context, fake: FakeX) -> None:
    sync.run(ctx, "twitter")
    uuid = _uuid(ctx, "2001")
    assert x_contacts.refresh_bio(ctx, uuid).data == {"twitter_bio_changed": False}
    fake.world.users["2001"]["description"] = "fresh"
    fake.world.requests.clear()
    assert x_contacts.refresh_bio(ctx, uuid).data == {"twitter_bio_changed": True}
    assert fake.world.requests == [
        "GET /2/users?ids=2001&user.fields=username%2Cname%2Cdescription%2Clocation%2Cprofile_image_url"
    ]
    other = contacts.create_contact(ctx, {"full_name": "No X"}).data["id"]
    assert x_contacts.refresh_bio(ctx, other).data["twitter_bio_changed"] is False


def test_a_contact_known_only_by_handle_is_looked_up_by_name(ctx: Context, fake: FakeX) -> None:
    uuid = contacts.create_contact(
        ctx, {"full_name": "Friend Zero", "twitter_handle": "@friend0", "twitter_bio": "old words"}
    ).data["id"]
    assert x_contacts.refresh_bio(ctx, uuid).data == {"twitter_bio_changed": True}
    c = contacts.get_contact(ctx, uuid).data
    assert c["twitter_bio"] == "bio of friend 0" and c["twitter_user_id"] == "2001"


def test_refresh_bios_asks_x_for_a_contact_with_an_x_account(ctx: Context, fake: FakeX) -> None:
    from pcrm.services import profiles

    sync.run(ctx, "twitter")
    uuid = _uuid(ctx, "2002")
    fake.world.users["2002"]["description"] = "Excited to join Globex"
    got = profiles.refresh_bios(ctx, uuid).data
    assert got == {"twitter_bio_changed": True, "telegram_bio_changed": False}
    assert _rows(ctx, "SELECT event_type FROM detected_events") == [("job_change",)]
    assert profiles.refresh_bios(ctx, uuid).data == {"skipped": True, "reason": "checked_recently"}


def test_a_location_another_source_brought_is_not_replaced_by_x(ctx: Context, fake: FakeX) -> None:
    from pcrm.services import imports

    csv = b"full_name,twitter_handle,location\nFriend Zero,friend0,Munich\n"
    imports.import_file(ctx, csv, "people.csv")
    uuid = _rows(ctx, "SELECT uuid FROM contacts WHERE full_name = 'Friend Zero'")[0][0]
    assert x_contacts.poll_bios(ctx).data["found"] == 1
    c = contacts.get_contact(ctx, uuid).data
    assert (c["twitter_bio"], c["location"]) == ("bio of friend 0", "Munich")  # X's "Berlin" is not taken
    fake.world.users["2001"]["description"] = "moved"
    assert x_contacts.poll_bios(ctx).data["changed"] == [uuid]  # the next day: the bio follows X
    c = contacts.get_contact(ctx, uuid).data
    assert (c["twitter_bio"], c["location"]) == ("moved", "Munich")


def test_undoing_the_bio_poll_batch_removes_the_bio_event_too(ctx: Context, fake: FakeX) -> None:
    from pcrm.services.imports import batches

    sync.run(ctx, "twitter")
    fake.world.users["2002"]["description"] = "Just joined Rocket Labs"
    assert x_contacts.poll_bios(ctx).data["changed"] == [_uuid(ctx, "2002")]
    event = _rows(
        ctx,
        "SELECT b.uuid FROM interactions i JOIN import_batches b ON b.id = i.import_batch_id "
        "WHERE i.direction = 'event'",
    )
    assert len(event) == 1  # the event came with the bio, in the same batch
    batches.undo(ctx, event[0][0])
    assert _rows(ctx, "SELECT count(*) FROM interactions WHERE direction = 'event'") == [(0,)]
    c = contacts.get_contact(ctx, _uuid(ctx, "2002")).data
    assert c["twitter_bio"] == "bio of friend 1"
    notes = _rows(ctx, "SELECT title FROM notifications WHERE notification_type = 'bio_change'")
    assert notes == [("@friend1 updated their X bio",)]


def test_the_hour_of_a_contact_sync_is_not_spent_on_a_handle_x_does_not_know(
    ctx: Context, fake: FakeX
) -> None:
    ghost = contacts.create_contact(ctx, {"full_name": "Ghost", "twitter_handle": "@ghost"}).data["id"]
    got = x_contacts.sync_contact(ctx, ghost).data
    assert got == {  # the reference's code, pcrm's words
        "new_interactions": 0,
        "skipped": True,
        "reason": "no_twitter_id",
        "message": "X knows no such handle",
    }
    fake.world.user("2099", "ghost", "Ghost")  # the handle exists now (a typo fixed, an account made)
    fake.world.dm("2099", "boo")
    assert x_contacts.sync_contact(ctx, ghost).data == {"new_interactions": 1}


def test_the_hour_of_a_contact_sync_is_not_spent_by_any_failure(
    ctx: Context, fake: FakeX, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.sync.x.client import XClient

    friend = contacts.create_contact(ctx, {"full_name": "Friend 0", "twitter_handle": "friend0"}).data["id"]

    def broken(self: XClient, uid: str, token: str | None) -> Any:
        raise ValueError("X answered something unexpected")

    with monkeypatch.context() as m:
        m.setattr(XClient, "conversation_events", broken)
        with pytest.raises(ValueError):
            x_contacts.sync_contact(ctx, friend)
    assert x_contacts.sync_contact(ctx, friend).data == {"new_interactions": 2}
    again = x_contacts.sync_contact(ctx, friend).data  # a sync that worked does spend the hour
    assert again["skipped"] is True and again["reason"] == "synced_recently"
