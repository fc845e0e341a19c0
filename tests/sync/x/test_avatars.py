"""X profile photos [x-avatars]: refresh-avatar downloads a contact's X photo at 400x400; the daily X job
gives contacts without a photo theirs (bounded, never replacing a photo they have); a host off the list, http,
a redirect or something that is not an image is refused and reported. X is the fake API server; the photos
come from a local HTTPS 'twimg' (tests/sync/x/twimg.py) through the real SSRF-safe fetcher."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pcrm import paths
from pcrm.services import contacts, sync, x_avatars
from pcrm.services.context import Context
from pcrm.sync.x import tokens as xtokens
from pcrm.sync.x.source import photo_url
from tests.support.api import ok, unsigned
from tests.support.cli import Cli
from tests.sync.x.fake import ME, FakeX, XWorld, sample
from tests.sync.x.twimg import JPEG, PNG, Cdn, cdn

V = "/api/v1"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeX]:
    f = FakeX(sample(XWorld(), 3, 2))  # users 2001, 2002, 2003
    monkeypatch.setenv("PCRM_X_CLIENT_ID", "client-1")
    monkeypatch.setenv("PCRM_X_API_URL", f.url)
    xtokens.save_tokens(f.world.access, f.world.refresh, time.time() + 7200, {"id": ME, "username": "ada"})
    yield f
    f.close()


@pytest.fixture
def twimg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cdn]:
    with cdn(tmp_path, monkeypatch) as c:
        yield c


def _uuid(ctx: Context, uid: str) -> str:
    return str(
        ctx.conn.execute(
            "SELECT c.uuid FROM contacts c JOIN contact_identities i ON i.contact_id = c.id "
            "WHERE i.platform = 'twitter' AND i.external_id = ?",
            (uid,),
        ).fetchall()[0][0]
    )


def _avatar(ctx: Context, uuid: str) -> Any:
    return contacts.get_contact(ctx, uuid).data["avatar_url"]


def _set_photo(fake: FakeX, uid: str, url: str) -> None:
    fake.world.users[uid]["profile_image_url"] = url


def test_photo_url_asks_for_400x400_and_skips_the_default_picture() -> None:
    base = "https://pbs.twimg.com/profile_images/1/abc"
    assert photo_url({"profile_image_url": f"{base}_normal.jpg"}) == f"{base}_400x400.jpg"
    assert photo_url({"profile_image_url": f"{base}_normal"}) == f"{base}_400x400"
    assert photo_url({"profile_image_url": f"{base}.png"}) == f"{base}.png"
    egg = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"
    assert photo_url({"profile_image_url": egg}) is None
    assert photo_url({}) is None


def test_refresh_avatar_downloads_the_x_photo(ctx: Context, fake: FakeX, twimg: Cdn, empty_api: Any) -> None:
    sync.run(ctx, "twitter")
    uuid = _uuid(ctx, "2001")
    _set_photo(fake, "2001", twimg.photo("/profile_images/1/grace_400x400.jpg"))
    fake.world.requests.clear()
    body = ok(empty_api.post(f"{V}/contacts/{uuid}/refresh-avatar"))
    assert body["data"]["changed"] is True
    assert unsigned(body["data"]["avatar_url"]) == f"/static/avatars/{uuid}.jpg"
    assert twimg.seen == [("pbs.twimg.com", "/profile_images/1/grace_400x400.jpg")]
    assert fake.world.requests[0].startswith("GET /2/users?ids=2001&")  # asked X for the current photo
    assert (paths.avatars_dir() / f"{uuid}.jpg").read_bytes() == JPEG
    assert _avatar(ctx, uuid) == f"/static/avatars/{uuid}.jpg"
    again = ok(empty_api.post(f"{V}/contacts/{uuid}/refresh-avatar"))
    # within the day: the stored photo, skipped as the reference says so (its AvatarRefreshData)
    assert {**again["data"], "avatar_url": unsigned(again["data"]["avatar_url"])} == {
        "avatar_url": f"/static/avatars/{uuid}.jpg",
        "changed": False,
        "skipped": True,
        "reason": "checked_recently",
    }
    assert again["meta"] == {}
    # a new photo on X, forced: saved in place of the old one (a PNG now: the old JPEG file goes)
    _set_photo(fake, "2001", twimg.photo("/profile_images/2/grace_400x400.png", PNG))
    got = ok(empty_api.post(f"{V}/contacts/{uuid}/refresh-avatar?force=true"))["data"]
    assert got["changed"] is True and unsigned(got["avatar_url"]) == f"/static/avatars/{uuid}.png"
    assert (paths.avatars_dir() / f"{uuid}.png").read_bytes() == PNG
    assert not (paths.avatars_dir() / f"{uuid}.jpg").exists()
    same = ok(empty_api.post(f"{V}/contacts/{uuid}/refresh-avatar?force=true"))["data"]
    assert same["changed"] is False and unsigned(same["avatar_url"]) == f"/static/avatars/{uuid}.png"


def test_a_contact_known_by_handle_is_asked_for_by_name(
    ctx: Context, fake: FakeX, twimg: Cdn, empty_api: Any
) -> None:
    uuid = contacts.create_contact(ctx, {"full_name": "Friend One", "twitter_handle": "@friend1"}).data["id"]
    _set_photo(fake, "2002", twimg.photo("/profile_images/5/one_400x400.jpg"))
    fake.world.requests.clear()
    got = ok(empty_api.post(f"{V}/contacts/{uuid}/refresh-avatar"))["data"]
    assert got["changed"] is True and unsigned(got["avatar_url"]) == f"/static/avatars/{uuid}.jpg"
    assert fake.world.requests[0].startswith("GET /2/users/by?usernames=friend1&")


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        ("evil", "host evil.example is not an allowed twitter image host"),
        ("http", "host pbs.twimg.com is not an allowed twitter image host"),
        ("redirect", "redirects are not followed"),
        ("html", "not a JPEG, PNG, GIF or WebP image"),
        ("missing", "the host answered 404"),
    ],
)
def test_refused_photos_are_reported_and_nothing_is_saved(
    ctx: Context, fake: FakeX, twimg: Cdn, empty_api: Any, where: str, reason: str
) -> None:
    sync.run(ctx, "twitter")
    uuid = _uuid(ctx, "2002")
    twimg.photo("/p/x_400x400.jpg")  # a good photo, which only the off-list URLs name by their path
    twimg.photo("/p/moved_400x400.jpg", b"", 302, Location="http://169.254.169.254/latest/meta-data/")
    twimg.photo("/p/page_400x400.jpg", b"<html>not an image</html>", **{"Content-Type": "image/jpeg"})
    url = {
        "evil": twimg.url("/p/x_normal.jpg", host="evil.example"),
        "http": twimg.url("/p/x_normal.jpg", scheme="http"),
        "redirect": twimg.url("/p/moved_normal.jpg"),
        "html": twimg.url("/p/page_normal.jpg"),
        "missing": twimg.url("/p/gone_normal.jpg"),
    }[where]
    _set_photo(fake, "2002", url)
    body = ok(empty_api.post(f"{V}/contacts/{uuid}/refresh-avatar"))
    assert body["data"] == {"avatar_url": None, "changed": False}
    assert body["meta"]["reason"].startswith("X profile photo not downloaded: ")
    assert reason in body["meta"]["reason"]
    if where in ("evil", "http"):
        assert twimg.seen == []  # never contacted
    else:
        assert len(twimg.seen) == 1  # the one URL named, nothing it pointed to
    assert _avatar(ctx, uuid) is None and list(paths.avatars_dir().glob(f"{uuid}.*")) == []


def test_a_contact_without_an_x_photo_keeps_what_they_have(
    ctx: Context, fake: FakeX, twimg: Cdn, empty_api: Any
) -> None:
    sync.run(ctx, "twitter")
    uuid = _uuid(ctx, "2003")
    body = ok(empty_api.post(f"{V}/contacts/{uuid}/refresh-avatar"))
    assert body["data"] == {"avatar_url": None, "changed": False}
    assert body["meta"]["reason"] == "@friend2 shows no profile photo on X"
    assert twimg.seen == []


def test_the_daily_x_job_fills_missing_photos_only(ctx: Context, fake: FakeX, twimg: Cdn, cli: Cli) -> None:
    sync.run(ctx, "twitter")
    one, two, three = (_uuid(ctx, u) for u in ("2001", "2002", "2003"))
    contacts.update_contact(ctx, two, {"avatar_url": "/static/avatars/mine.jpg"})  # the user's own photo
    for uid in ("2001", "2002", "2003"):
        _set_photo(fake, uid, twimg.photo(f"/profile_images/{uid}/p_400x400.jpg"))
    fake.world.users["2003"]["profile_image_url"] = twimg.url("/x_normal.jpg", host="evil.example")
    out = cli.json("jobs", "run", "sync:twitter")["data"]["result"]["bios"]
    assert out["photos"] == 1
    assert out["photo_errors"] == [
        "@friend2: X profile photo not downloaded: host evil.example is not an allowed twitter image host"
    ]
    assert twimg.seen == [("pbs.twimg.com", "/profile_images/2001/p_400x400.jpg")]  # not the user's photo
    assert _avatar(ctx, one) == f"/static/avatars/{one}.jpg"
    assert (paths.avatars_dir() / f"{one}.jpg").read_bytes() == JPEG
    assert _avatar(ctx, two) == "/static/avatars/mine.jpg"
    assert _avatar(ctx, three) is None
    # the next poll: the filled photo is not fetched again, the refused one not retried for a week
    twimg.seen.clear()
    again = cli.json("jobs", "run", "sync:twitter")["data"]["result"]["bios"]
    assert (again["photos"], again["photo_errors"], twimg.seen) == (0, [], [])


def test_the_poll_downloads_a_bounded_number_of_photos_a_run(
    ctx: Context, fake: FakeX, twimg: Cdn, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pcrm.services import x_contacts

    monkeypatch.setattr(x_avatars, "PER_RUN", 2)
    sync.run(ctx, "twitter")
    for uid in ("2001", "2002", "2003"):
        _set_photo(fake, uid, twimg.photo(f"/profile_images/{uid}/p_400x400.jpg"))
    assert x_contacts.poll_bios(ctx).data["photos"] == 2
    assert len(twimg.seen) == 2
    assert x_contacts.poll_bios(ctx).data["photos"] == 1
    assert x_contacts.poll_bios(ctx).data["photos"] == 0
    assert len(twimg.seen) == 3
    assert all(_avatar(ctx, _uuid(ctx, u)) for u in ("2001", "2002", "2003"))
