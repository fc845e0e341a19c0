"""An organization added with a website or domain, or given a new one, brings its logo [org-logo-on-save]:
with `logos.enabled` on, through the CLI and the API, from local HTTP servers on 127.0.0.1 [safe-fetch]. A
logo that cannot be had leaves the organization saved and says why, in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm import paths
from pcrm.services import logos
from pcrm.sync import fetch
from tests.support.http_fake import closed_port, serve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OTHER_PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
REFUSED = "connection refused (nothing accepts connections there)"
V = "/api/v1"


@pytest.fixture
def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_ENABLE_TEST_SOURCES", "1")
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")


def _icon(body: bytes) -> dict[str, Any]:
    return {"/favicon.ico": (200, {"Content-Type": "image/png"}, body)}


def _file(org_id: str) -> Path:
    return Path(paths.avatars_dir()) / f"org_{org_id}.png"


def _not_found(base: str) -> str:
    return (
        f"no logo found at {base}: {base}/favicon.ico could not be fetched: {REFUSED}; "
        f"{base}/ could not be fetched: {REFUSED}"
    )


def test_orgs_add_and_edit_bring_the_logo_when_logos_are_on(crm: Any, allow_loopback: None) -> None:
    cli = crm.cli
    with serve(_icon(PNG)) as (one, seen), serve(_icon(OTHER_PNG)) as (two, seen_two):
        off = cli.json("orgs", "add", "Initech", "--website", one)  # logos are off by default: no download
        assert "logo" not in off["meta"] and off["data"]["logo_url"] is None and seen == []

        cli("settings", "set", "logos.enabled", "true")
        body = cli.json("orgs", "add", "Globex", "--website", one)
        org = body["data"]
        url = f"/static/avatars/org_{org['id']}.png"
        assert org["logo_url"] == url and body["meta"]["logo"] == {"fetched": True, "logo_url": url}
        assert _file(org["id"]).read_bytes() == PNG and [r["path"] for r in seen] == ["/favicon.ico"]

        # an edit that leaves the website and domain alone downloads nothing
        assert "logo" not in cli.json("orgs", "edit", "Globex", "--notes", "hq moved")["meta"]
        # a new website brings its logo at once, though the last one is less than an hour old
        moved = cli.json("orgs", "edit", "Globex", "--website", two)
        assert moved["meta"]["logo"] == {"fetched": True, "logo_url": url}
        assert _file(org["id"]).read_bytes() == OTHER_PNG and len(seen_two) == 1

        # Initech, added while logos were off, gets its logo when its domain is set
        initech = cli.json("orgs", "edit", "Initech", "--domain", "initech.example")
        assert initech["meta"]["logo"]["fetched"] is True and _file(initech["data"]["id"]).read_bytes() == PNG
        assert len(seen) == 2
    assert cli.json("orgs", "show", "Globex")["data"]["logo_url"] == url


def test_a_logo_that_cannot_be_had_leaves_the_org_saved_and_says_why(crm: Any, allow_loopback: None) -> None:
    crm.cli("settings", "set", "logos.enabled", "true")
    base = f"http://127.0.0.1:{closed_port()}"
    r = crm.cli("orgs", "add", "Globex", "--website", base)
    assert f"logo not fetched: {_not_found(base)}. The organization is saved" in r.stderr
    assert "pcrm orgs logos" in r.stderr and "Traceback" not in r.stderr
    org = crm.cli.json("orgs", "show", "Globex")["data"]
    assert (org["website"], org["logo_url"]) == (base, None)

    body = crm.cli.json("orgs", "add", "Initech", "--website", base)
    assert body["meta"]["logo"] == {
        "fetched": False,
        "logo_url": None,
        "reason": "not_found",
        "message": _not_found(base),
    }
    assert not list(Path(paths.avatars_dir()).glob("org_*"))


def test_the_download_is_short(crm: Any, allow_loopback: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each download gets what is left of SAVE_BUDGET seconds, and none starts once they are spent."""
    crm.cli("settings", "set", "logos.enabled", "true")
    asked: list[float] = []
    real = fetch.get

    def get(url: str, **kw: Any) -> fetch.Answer:
        asked.append(kw["timeout"])
        return real(url, **kw)

    monkeypatch.setattr(fetch, "get", get)
    base = f"http://127.0.0.1:{closed_port()}"
    crm.cli.json("orgs", "add", "Globex", "--website", base)
    assert len(asked) == 2 and all(0 < t <= logos.SAVE_BUDGET for t in asked)

    monkeypatch.setattr(logos, "SAVE_BUDGET", 0.0)
    with serve(_icon(PNG)) as (site, seen):
        logo = crm.cli.json("orgs", "edit", "Globex", "--website", site)["meta"]["logo"]
    assert seen == [] and len(asked) == 2
    assert logo["message"] == (
        f"no logo found at {site}: {site}/favicon.ico was not tried: the 0 s for the logo were spent; "
        f"{site}/ was not tried: the 0 s for the logo were spent"
    )


@pytest.mark.anyio
async def test_the_api_brings_the_logo_on_post_and_patch(empty_twin: Any, allow_loopback: None) -> None:
    t = empty_twin
    t.cli("settings", "set", "logos.enabled", "true")
    with serve(_icon(PNG)) as (one, _), serve(_icon(OTHER_PNG)) as (two, _):
        r = await t.request("POST", f"{V}/organizations", json={"name": "Globex", "website": one})
        assert r.status_code == 201
        t.check_schema("POST", "/organizations", r)
        org, meta = r.json()["data"], r.json()["meta"]
        url = f"/static/avatars/org_{org['id']}.png"  # signed for a browser [avatar-links]
        assert org["logo_url"].startswith(url + "?sig=") and meta["logo"]["fetched"] is True
        assert meta["logo"]["logo_url"].startswith(url + "?sig=") and _file(org["id"]).read_bytes() == PNG

        r = await t.request("PATCH", f"{V}/organizations/{org['id']}", json={"website": two})
        assert r.status_code == 200 and r.json()["meta"]["logo"]["fetched"] is True
        t.check_schema("PATCH", "/organizations/{org_id}", r)
        assert _file(org["id"]).read_bytes() == OTHER_PNG

    base = f"http://127.0.0.1:{closed_port()}"
    r = await t.request("PATCH", f"{V}/organizations/{org['id']}", json={"website": base})
    assert r.status_code == 200 and r.json()["data"]["website"] == base
    t.check_schema("PATCH", "/organizations/{org_id}", r)
    logo = r.json()["meta"]["logo"]
    # the logo it had stays; the answer says why there is no new one
    assert logo["logo_url"].startswith(url + "?sig=") and _file(org["id"]).read_bytes() == OTHER_PNG
    assert (logo["fetched"], logo["reason"], logo["message"]) == (False, "not_found", _not_found(base))


def test_orgs_logos_says_what_came_of_it_in_words(crm: Any, allow_loopback: None) -> None:
    """`pcrm orgs logos ORG` printed the envelope's data as JSON ({"logo_url": null, "reason": ...}), and
    the backfill {"queued": false, "fetched": 0, "failed": 2}; --json keeps the envelope."""
    cli = crm.cli
    cli("settings", "set", "logos.enabled", "true")
    with serve(_icon(PNG)) as (one, _seen):
        cli("orgs", "add", "Globex", "--website", one)
        cli("orgs", "add", "Initech", "--website", f"http://127.0.0.1:{closed_port()}")
        cli("orgs", "add", "Hooli")
        said = {
            "Globex": "not fetched: it was fetched less than an hour ago (--force fetches it again)",
            "Initech": "not fetched: no logo found at its website or domain (try again later with --force)",
            "Hooli": "not fetched: it has no domain or website to fetch it from (give one with "
            "`pcrm orgs edit ORG --domain example.com`)",
        }
        for org, words in said.items():
            r = cli("orgs", "logos", org)
            assert " ".join(r.stdout.split()) == words and "{" not in r.stdout
        gid = cli.json("orgs", "show", "Globex")["data"]["id"]
        r = cli("orgs", "logos", "Globex", "--force")
        assert r.stdout.strip() == f"fetched the logo: /static/avatars/org_{gid}.png"
        assert cli.json("orgs", "logos", "Hooli")["data"]["reason"] == "no_domain_or_website"
        r = cli("orgs", "logos")
        assert r.stdout.strip() == "fetched 0 logos; 1 not found"
        assert "pcrm orgs logos ORG --force" in r.stderr
        cli("orgs", "rm", "Initech", "--yes")
        assert cli("orgs", "logos").stdout.strip() == (
            "no organization with a domain or website is missing a logo"
        )
