"""Organization logos through the SSRF-safe fetcher [safe-fetch], against local HTTP servers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm import paths
from pcrm.services import organizations
from pcrm.services.context import Context
from pcrm.sync import fetch
from tests.support.http_fake import closed_port, serve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def allow_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_ENABLE_TEST_SOURCES", "1")
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")


def _org(ctx: Context, website: str) -> str:
    """An organization with that website, added before logos were turned on (an add with logos on fetches
    the logo itself: tests/organizations/test_logo_on_save.py)."""
    from pcrm.services import settings

    oid = str(organizations.create_organization(ctx, {"name": "Globex", "website": website}).data["id"])
    settings.set_setting(ctx, "logos.enabled", True)
    ctx.invalidate_settings()
    return oid


def test_loopback_private_and_reserved_addresses_are_refused_without_the_test_allowance() -> None:
    for url in (
        "http://127.0.0.1/favicon.ico",
        "http://10.0.0.8/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:192.168.1.1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "ftp://example.com/x",
        "file:///etc/passwd",
    ):
        with pytest.raises(fetch.FetchRefused):
            fetch.get(url)


def test_the_allowance_needs_the_test_switch_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")
    monkeypatch.delenv("PCRM_ENABLE_TEST_SOURCES", raising=False)
    with pytest.raises(fetch.FetchRefused, match="non-public"):
        fetch.get("http://127.0.0.1:9/")


def test_a_hostname_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["93.184.216.34", "192.168.0.10"])
    with pytest.raises(fetch.FetchRefused, match=r"192\.168\.0\.10"):
        fetch.get("https://sneaky.example/favicon.ico")


def test_favicon_is_saved_and_linked(ctx: Context, allow_loopback: None) -> None:
    with serve({"/favicon.ico": (200, {"Content-Type": "image/x-icon"}, PNG)}) as (base, seen):
        oid = _org(ctx, base)
        got = organizations.refresh_logo(ctx, oid).data
    assert got["refreshed"] is True
    assert got["logo_url"] == f"/static/avatars/org_{oid}.png"
    assert (paths.avatars_dir() / f"org_{oid}.png").read_bytes() == PNG
    assert organizations.get_organization(ctx, oid).data["logo_url"] == got["logo_url"]
    # within the hour: skipped unless forced
    assert organizations.refresh_logo(ctx, oid).data["reason"] == "refreshed_recently"
    assert [r["path"] for r in seen] == ["/favicon.ico"]


def test_the_home_pages_icon_link_is_used_when_there_is_no_favicon(
    ctx: Context, allow_loopback: None
) -> None:
    page = (
        b'<html><head><link rel="stylesheet" href="/s.css"><LINK REL="shortcut icon" href="img/i.png"></head>'
    )
    routes: dict[str, Any] = {
        "/": (200, {"Content-Type": "text/html"}, page),
        "/img/i.png": (200, {"Content-Type": "image/png"}, PNG),
    }
    with serve(routes) as (base, seen):
        oid = _org(ctx, base)
        assert organizations.refresh_logo(ctx, oid).data["refreshed"] is True
    assert [r["path"] for r in seen] == ["/favicon.ico", "/", "/img/i.png"]


def test_a_site_not_answering_says_why_in_words(
    ctx: Context, allow_loopback: None, caplog: pytest.LogCaptureFixture
) -> None:
    base = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(fetch.FetchRefused) as refused:
        fetch.get(base + "/favicon.ico")
    why = "connection refused (nothing accepts connections there)"
    assert str(refused.value) == f"{base}/favicon.ico could not be fetched: {why}"
    oid = _org(ctx, base)
    with caplog.at_level("INFO", logger="pcrm.services.logos"):
        got = organizations.refresh_logo(ctx, oid).data
    assert got["reason"] == "not_found"
    assert "connection refused" in caplog.text and "Error" not in caplog.text


def test_redirects_to_loopback_are_not_followed(ctx: Context, allow_loopback: None, monkeypatch: Any) -> None:
    routes: dict[str, Any] = {
        "/favicon.ico": (302, {"Location": "http://127.0.0.1:1/secret"}, b""),
        "/": (301, {"Location": "http://169.254.169.254/"}, b""),
    }
    with serve(routes) as (base, seen):
        oid = _org(ctx, base)
        got = organizations.refresh_logo(ctx, oid).data
    assert got == {"logo_url": None, "refreshed": False, "reason": "not_found"}
    assert [r["path"] for r in seen] == ["/favicon.ico", "/"]


def test_huge_bodies_are_cut_off(ctx: Context, allow_loopback: None) -> None:
    huge = PNG + b"\x00" * (fetch.MAX_BYTES + 10)
    with serve({"/favicon.ico": (200, {"Content-Type": "image/png"}, huge)}) as (base, _):
        with pytest.raises(fetch.FetchRefused, match="larger"):
            fetch.get(base + "/favicon.ico")
        oid = _org(ctx, base)
        assert organizations.refresh_logo(ctx, oid).data["refreshed"] is False
    assert not (paths.avatars_dir() / f"org_{oid}.png").exists()


def test_backfill_from_the_cli_fetches_every_org_without_a_logo(cli: Any, allow_loopback: None) -> None:
    with serve({"/favicon.ico": (200, {"Content-Type": "image/png"}, PNG)}) as (base, _):
        cli("init")
        cli("orgs", "add", "Globex", "--website", base)  # before logos were on: no logo yet
        cli("orgs", "add", "Initech")  # nothing to fetch from
        cli("settings", "set", "logos.enabled", "true")
        got = cli.json("orgs", "logos")
    assert got["data"] == {"queued": False, "fetched": 1, "failed": 0}
    assert len(list(Path(paths.avatars_dir()).glob("org_*.png"))) == 1
