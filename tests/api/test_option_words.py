"""An API answer names the request's fields, never the command line's options [error-detail]: a header-only
CSV posted to /contacts/import/csv said "...or name its format with --format" (and a `format` form field was
then refused as unknown), `strict=true` said "nothing was imported (--strict)" and "import without --strict",
and a bulk update with nothing to change "give --add-tag, --remove-tag, --priority or --company"."""

from __future__ import annotations

import re
from typing import Any

from tests.support.api import V, assert_error

OPTION = re.compile(r"(?<![\w-])--[a-z]")


def _said(body: dict[str, Any]) -> str:
    e, detail = body["error"], body.get("detail")
    items = [str(d.get("msg")) for d in detail] if isinstance(detail, list) else [str(detail or "")]
    return " ".join([e["message"], e["hint"] or "", *items])


def _upload(text: str) -> dict[str, Any]:
    return {"file": ("people.csv", text.encode(), "text/csv")}


def test_an_upload_refused_names_form_fields(api: Any) -> None:
    header_only = api.post(f"{V}/contacts/import/csv", files=_upload("full_name,email\n")).json()
    assert header_only["error"] and not OPTION.search(_said(header_only)), _said(header_only)
    assert "format" in _said(header_only)
    bad_rows = "full_name,email,birthday\nZed Qa,zed@example.com,not a day\nYan Qa,yan@example.com,\n"
    strict = api.post(f"{V}/contacts/import/csv", files=_upload(bad_rows), data={"strict": "true"}).json()
    assert strict["error"] and not OPTION.search(_said(strict)), _said(strict)
    assert "strict=true" in _said(strict)


def test_an_upload_takes_a_format_of_its_route(api: Any) -> None:
    rows = "full_name,email\nZed Qa,zed@example.com\n"
    r = api.post(f"{V}/contacts/import/csv", files=_upload(rows), data={"format": "CSV", "dry_run": "true"})
    assert r.status_code == 200, r.text
    body = assert_error(
        api.post(f"{V}/contacts/import/csv", files=_upload(rows), data={"format": "linkedin"}),
        "validation_error",
        422,
    )
    assert body["detail"][0]["loc"] == ["body", "format"]
    assert "csv, google-csv, outlook-csv" in body["error"]["hint"]
    assert "/api/v1/contacts/import/linkedin" in body["error"]["hint"]


def test_a_bulk_update_with_nothing_to_change_names_the_body_fields(api: Any, demo: dict[str, Any]) -> None:
    r = api.post(f"{V}/contacts/bulk-update", json={"contact_ids": [demo["contact"]]})
    body = assert_error(r, "validation_error", 422)
    assert not OPTION.search(_said(body)), _said(body)
    assert "add_tags, remove_tags, priority_level or company" in body["error"]["hint"]


def test_the_cli_still_names_its_options(cli: Any, demo: dict[str, Any]) -> None:
    r = cli("contacts", "bulk-update", demo["contact"], ok=False)
    assert "hint: give --add-tag, --remove-tag, --priority or --company" in r.stderr, r.stderr


def test_the_other_refusals_found_name_fields_not_options(api: Any, demo: dict[str, Any]) -> None:
    """The same class elsewhere: an organization's bad domain hinted "e.g. --domain analytical.io", a note's
    PATCH of its time "add it again with --at", a snooze into the past "(--days 14)"."""
    org = api.get(f"{V}/organizations").json()["data"][0]["id"]
    suggestion = api.post(f"{V}/suggestions/generate").json()["data"][0]["id"]
    answers = [
        api.patch(f"{V}/organizations/{org}", json={"domain": "bad domain"}),
        api.patch(
            f"{V}/contacts/{demo['contact']}/interactions/{demo['note']}",
            json={"occurred_at": "2026-01-01T00:00:00Z"},
        ),
        api.put(f"{V}/suggestions/{suggestion}", json={"status": "snoozed", "snooze_until": "2020-01-01"}),
    ]
    assert [r.status_code for r in answers] == [422, 422, 422], [r.text for r in answers]
    for r in answers:
        body = r.json()
        assert body["error"]["hint"], r.text
        assert not OPTION.search(_said(body)), _said(body)
