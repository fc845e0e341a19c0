"""Avatars the extension names by URL [push-avatars]: fetched from the platforms' image hosts only, over
the SSRF-safe fetcher, from a local HTTP server standing in for the CDN (its host names resolve to 127.0.0.1
through the fetcher's test seam); hosts off the list, redirects and non-images are reported per profile."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pcrm.sync import fetch
from tests.api.test_push import _contacts, _profile
from tests.support.api import bearer, unsigned, web_token
from tests.support.http_fake import serve

pytestmark = pytest.mark.anyio
V = "/api/v1"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00JFIF" + b"\x01" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x02" * 100


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_NOW", "2025-03-01T12:00:00Z")


@pytest.fixture
def ext(account: dict[str, Any]) -> dict[str, str]:
    return bearer(web_token(account["id"], kind="extension"))


@pytest.fixture
def cdn(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """A local 'CDN' every host name resolves to; the fetcher lets 127.0.0.1 through only in tests."""
    routes = {
        "/grace.jpg": (200, {"Content-Type": "image/jpeg"}, JPEG),
        "/kj.png": (200, {"Content-Type": "image/png"}, PNG),
        "/moved.jpg": (302, {"Location": "http://169.254.169.254/"}, b""),
        "/page.jpg": (200, {"Content-Type": "text/html"}, b"<html>not an image</html>"),
    }
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    monkeypatch.setenv("PCRM_ENABLE_TEST_SOURCES", "1")
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")
    with serve(routes) as (url, seen):  # type: ignore[arg-type]
        yield int(url.rsplit(":", 1)[1].rstrip("/")), seen


async def test_linkedin_avatar_urls_from_licdn_only(
    client: Any, ext: dict[str, str], web: dict[str, str], cdn: Any, pcrm_home: Any
) -> None:
    port, seen = cdn
    body = {
        "profiles": [
            _profile("grace-hopper", avatar_url=f"http://media.licdn.com:{port}/grace.jpg"),
            _profile(
                "alan-turing", full_name="Alan Turing", avatar_url=f"http://evil.example:{port}/grace.jpg"
            ),
            _profile(
                "ada-lovelace",
                full_name="Ada Lovelace",
                avatar_url=f"http://media.licdn.com:{port}/moved.jpg",
            ),
            _profile(
                "kat-johnson", full_name="Kat Johnson", avatar_url=f"http://media.licdn.com:{port}/page.jpg"
            ),
        ]
    }
    d = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert d["contacts_created"] == 4
    errors = d["errors"]
    assert (
        errors[0]
        == "profiles[1]: avatar_url host evil.example is not an allowed linkedin image host; ignored"
    )
    assert errors[1].startswith("profiles[2]: avatar_url not downloaded:") and "redirects" in errors[1]
    assert errors[2] == "profiles[3]: avatar_url not downloaded: not a JPEG, PNG, GIF or WebP image"
    assert len(errors) == 3
    assert sorted(r["path"] for r in seen) == ["/grace.jpg", "/moved.jpg", "/page.jpg"]  # never evil.example
    people = {c["full_name"]: c for c in await _contacts(client, web)}
    grace = people["Grace Hopper"]
    assert unsigned(grace["avatar_url"]) == f"/static/avatars/{grace['id']}.jpg"
    saved = pcrm_home / "avatars" / f"{grace['id']}.jpg"
    assert saved.read_bytes() == JPEG
    assert all(not people[n]["avatar_url"] for n in ("Alan Turing", "Ada Lovelace", "Kat Johnson"))
    # pushed again: Grace has her photo, so only the others' URLs are tried again
    seen.clear()
    await client.post(f"{V}/linkedin/push", json=body, headers=ext)
    assert sorted(r["path"] for r in seen) == ["/moved.jpg", "/page.jpg"]


async def test_meta_avatar_urls_from_the_scontent_hosts(
    client: Any, ext: dict[str, str], web: dict[str, str], cdn: Any
) -> None:
    port, seen = cdn
    body = {
        "platform": "instagram",
        "profiles": [
            {
                "platform_id": "1789",
                "name": "Katherine Johnson",
                "avatar_url": f"http://scontent-lhr8-1.cdninstagram.com:{port}/kj.png",
            },
            {
                "platform_id": "1790",
                "name": "Dorothy Vaughan",
                "avatar_url": f"http://lookaside.fbsbx.com:{port}/kj.png",
            },
        ],
    }
    d = (await client.post(f"{V}/meta/push", json=body, headers=ext)).json()["data"]
    assert d["errors"] == [
        "profiles[1]: avatar_url host lookaside.fbsbx.com is not an allowed instagram image host; ignored"
    ]
    people = {c["full_name"]: c for c in await _contacts(client, web)}
    assert (unsigned(people["Katherine Johnson"]["avatar_url"]) or "").endswith(".png")
    assert not people["Dorothy Vaughan"]["avatar_url"]
    assert [r["path"] for r in seen] == ["/kj.png"]


async def test_without_the_test_allowance_the_ssrf_rules_refuse_the_local_cdn(
    client: Any, ext: dict[str, str], cdn: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, seen = cdn
    monkeypatch.delenv(fetch.ALLOW_ENV)  # an allow-listed name resolving to a loopback address
    body = {"profiles": [_profile("grace-hopper", avatar_url=f"http://media.licdn.com:{port}/grace.jpg")]}
    d = (await client.post(f"{V}/linkedin/push", json=body, headers=ext)).json()["data"]
    assert d["contacts_created"] == 1
    assert d["errors"] == [
        "profiles[0]: avatar_url not downloaded: media.licdn.com resolves to a non-public address (127.0.0.1)"
    ]
    assert seen == []
