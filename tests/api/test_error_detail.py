"""[one-envelope]: every error response carries the reference's `detail` beside pcrm's envelope, so clients
written for the reference show pcrm's messages and offer the merge on a contact conflict."""

from __future__ import annotations

from typing import Any

import pytest

from pcrm.errors import STATUS, PcrmError, ValidationError
from tests.support.api import V, assert_detail, assert_error, ok


@pytest.mark.parametrize("code", sorted(STATUS))
def test_every_error_code_has_envelope_and_detail_in_agreement(code: str) -> None:
    from pcrm.api.responses import error
    from pcrm.serialize import loads

    err = (
        ValidationError("bad things", fields=[{"field": "email", "message": "not an email"}])
        if code == "validation_error"
        else PcrmError(f"a {code} problem", code=code, hint="do this")
    )
    resp = error(err)
    body = loads(resp.body)
    assert resp.status_code == STATUS[code]
    assert set(body) == {"data", "error", "meta", "detail"} and body["error"]["code"] == code
    assert_detail(body)
    if code == "validation_error":
        assert body["detail"] == [{"loc": ["body", "email"], "msg": "not an email", "type": "value_error"}]
    else:
        assert body["detail"] == f"a {code} problem"


def test_a_contact_conflict_names_the_other_contact_in_detail(empty_api: Any) -> None:
    ada = ok(
        empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace", "emails": ["ada@example.com"]}),
        201,
    )
    bob = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Bob Byron"}), 201)
    r = empty_api.put(f"{V}/contacts/{bob['data']['id']}", json={"emails": ["ada@example.com"]})
    body = assert_error(r, "conflict", 409)
    assert body["detail"]["conflicting_contact"] == {"id": ada["data"]["id"], "full_name": "Ada Lovelace"}
    assert "Ada Lovelace already has email ada@example.com" in body["detail"]["message"]


def test_a_validation_error_lists_each_field_in_detail(empty_api: Any) -> None:
    body = assert_error(
        empty_api.post(f"{V}/contacts", json={"full_name": "X", "birthday": "32/13"}), "validation_error", 422
    )
    assert [d["loc"][-1] for d in body["detail"]] == ["birthday"]
    assert body["detail"][0]["msg"] == body["error"]["details"]["fields"][0]["message"]


def test_the_cli_json_error_carries_the_same_detail(cli: Any) -> None:
    r = cli.json("contacts", "show", "nobody-at-all", ok=False)
    assert r["detail"] == r["error"]["message"]


@pytest.mark.parametrize(
    "field, held, given",
    [("emails", ["ada@example.com"], [" ADA@example.com"]), ("telegram_username", "ada_tg", "@Ada_TG")],
)
def test_an_edit_giving_another_contacts_address_or_telegram_handle_offers_the_merge(
    empty_api: Any, field: str, held: Any, given: Any
) -> None:
    """The reference's contact page reads detail.conflicting_contact to offer 'Merge' (its saveField for
    emails and telegram_username); the same edit through POST is refused the same way."""
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace", field: held}), 201)["data"]
    bob = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Bob Byron"}), 201)["data"]
    for r in (
        empty_api.put(f"{V}/contacts/{bob['id']}", json={field: given}),
        empty_api.post(f"{V}/contacts", json={"full_name": "Impostor", field: given}),
    ):
        body = assert_error(r, "conflict", 409)
        assert set(body["detail"]) == {"message", "conflicting_contact"}
        assert body["detail"]["conflicting_contact"] == {"id": ada["id"], "full_name": "Ada Lovelace"}
        assert body["detail"]["message"] == body["error"]["message"]
    assert ok(empty_api.get(f"{V}/contacts/{bob['id']}"))["data"][field] in (None, [])


@pytest.mark.parametrize(
    "field, held, said",
    [
        ("emails", ["ada@example.com"], "email ada@example.com"),
        ("telegram_username", "ada_tg", "Telegram username @ada_tg"),
        ("twitter_handle", "adal", "X handle @adal"),
        ("linkedin_url", "https://www.linkedin.com/in/ada-l", "LinkedIn profile ada-l"),
        ("whatsapp_phone", "+442071234567", "WhatsApp number +442071234567"),
        ("instagram_username", "ada.insta", "Instagram username @ada.insta"),
    ],
)
def test_a_conflict_names_the_value_in_the_words_people_use(
    empty_api: Any, field: str, held: Any, said: str
) -> None:
    """The 409's message said the raw field ('Ada Lovelace already has telegram_username ada_tg'); it now
    says what a person calls it, in the envelope's message and detail.message alike, while
    details.field and detail.conflicting_contact keep the API's terms."""
    ada = ok(empty_api.post(f"{V}/contacts", json={"full_name": "Ada Lovelace", field: held}), 201)["data"]
    r = empty_api.post(f"{V}/contacts", json={"full_name": "Impostor", field: held})
    body = assert_error(r, "conflict", 409)
    message = body["error"]["message"]
    assert message == f"Ada Lovelace already has {said}", message
    assert body["detail"]["message"] == message
    assert body["detail"]["conflicting_contact"] == {"id": ada["id"], "full_name": "Ada Lovelace"}
    assert body["error"]["details"]["field"] in {field, "linkedin_profile_id"}


@pytest.mark.parametrize(
    ("holder", "conflict", "shown"),
    [
        # full_name cleared, given and family names of their own kept (parts only read off the cleared name
        # go with it [name-parts]): named by them, as the message names it
        (
            {
                "full_name": "Zoe U.",
                "given_name": "Zoë",
                "family_name": "Ünïcödé",
                "emails": ["z@x.org"],
            },
            {"emails": ["z@x.org"]},
            "Zoë Ünïcödé",
        ),
        (
            {"full_name": "Z", "given_name": "Zoë", "telegram_username": "zoe_tg"},
            {"telegram_username": "zoe_tg"},
            "Zoë",
        ),
        # nameless: by its first address, or its number
        (
            {"full_name": "Nameless", "emails": ["n@x.org"], "twitter_handle": "nn"},
            {"twitter_handle": "nn"},
            "n@x.org",
        ),
        (
            {"full_name": "Nameless", "phones": ["+44 20 7946 0958"], "twitter_handle": "pp"},
            {"twitter_handle": "pp"},
            "+44 20 7946 0958",
        ),
    ],
)
def test_a_conflict_names_a_contact_without_a_full_name_as_pcrm_shows_it(
    empty_api: Any, cli: Any, holder: dict[str, Any], conflict: dict[str, Any], shown: str
) -> None:
    """The reference's page says `conflicting_contact.full_name || "another contact"`: a contact whose
    full_name was cleared came back null there while the message named it ('Zoë Ünïcödé already has ...')."""
    made = ok(empty_api.post(f"{V}/contacts", json=holder), 201)["data"]
    got = ok(empty_api.put(f"{V}/contacts/{made['id']}", json={"full_name": None}))["data"]
    assert not got["full_name"]
    body = assert_error(
        empty_api.post(f"{V}/contacts", json={"full_name": "Other", **conflict}), "conflict", 409
    )
    assert body["detail"]["conflicting_contact"] == {"id": made["id"], "full_name": shown}
    assert body["error"]["details"]["conflicting_contact"]["full_name"] == shown
    args = ["contacts", "add", "--name", "Other Too"]
    for k, v in conflict.items():
        option = {"emails": "--email", "telegram_username": "--telegram", "twitter_handle": "--twitter"}[k]
        args += [option, v[0] if isinstance(v, list) else v]
    res = cli.json(*args, ok=False)
    assert res["error"]["details"]["conflicting_contact"]["full_name"] == shown


def test_paging_bounds_that_no_real_value_reaches_are_not_spelled_out(api: Any) -> None:
    """`?offset=-1` said "offset must be from 0 to 4611686018427387904": a ceiling that only keeps SQLite's
    integers whole, not a range anyone pages through."""
    who = ok(api.get(f"{V}/contacts", params={"page_size": 1}))["data"][0]["id"]
    cases = [
        (f"{V}/contacts/{who}/interactions", {"offset": "-1"}, "offset must be 0 or more, not -1"),
        (
            f"{V}/contacts/{who}/interactions",
            {"offset": str(2**63)},
            f"offset must be at most {2**62:,}, not {2**63:,}",
        ),
        (f"{V}/sync-history", {"offset": "-5"}, "offset must be 0 or more, not -5"),
        (f"{V}/contacts", {"page": "0"}, "page must be 1 or more, not 0"),
        (
            f"{V}/organizations",
            {"page": str(10**10)},
            "page must be at most 1,000,000,000, not 10,000,000,000",
        ),
        # a real range is still given whole
        (f"{V}/contacts/{who}/interactions", {"limit": "0"}, "limit must be from 1 to 200, not 0"),
    ]
    for path, params, message in cases:
        body = assert_error(api.get(path, params=params), "validation_error", 422)
        assert body["error"]["message"] == message
        assert "4611686018427387904" not in str(body)


def test_an_instant_on_a_day_or_at_a_time_that_does_not_exist_is_told_so(api: Any, cli: Any) -> None:
    """POST .../interactions {"occurred_at": "2026-02-29T10:00:00Z"} answered "must be a date or time like
    2026-03-14 or 2026-03-14T09:30", which it looks like; the bare date 2026-02-29 was already "not a real
    date"."""
    who = ok(api.get(f"{V}/contacts", params={"page_size": 1}))["data"][0]["id"]
    before = ok(api.get(f"{V}/contacts/{who}/interactions"))["meta"]["total"]
    for when, message in [
        ("2026-02-29T10:00:00Z", "occurred_at is not a real date: '2026-02-29T10:00:00Z'"),
        ("2026-02-29", "occurred_at is not a real date: '2026-02-29'"),
        ("2026-12-01T25:00", "occurred_at is not a real time of day: '2026-12-01T25:00'"),
        ("2026-12-01T25:00+01:00", "occurred_at is not a real time of day: '2026-12-01T25:00+01:00'"),
        (
            "2026-12-01T10:00:00+25:00",
            (
                "occurred_at has an offset from UTC that no place has (they run from -23:59 to +23:59): "
                "'2026-12-01T10:00:00+25:00'"
            ),
        ),
        (
            "soon-ish",
            "occurred_at must be a date or time like 2026-03-14 or 2026-03-14T09:30, not 'soon-ish'",
        ),
    ]:
        r = api.post(f"{V}/contacts/{who}/interactions", json={"content_preview": "x", "occurred_at": when})
        assert assert_error(r, "validation_error", 422)["error"]["message"] == message
    assert ok(api.get(f"{V}/contacts/{who}/interactions"))["meta"]["total"] == before
    res = cli.json("log", who, "--platform", "call", "--at", "2026-02-29T10:00", ok=False)
    assert res["error"]["message"] == "occurred_at is not a real date: '2026-02-29T10:00'"


def test_a_json_body_after_a_byte_order_mark_is_read(empty_api: Any) -> None:
    """PowerShell 5 and Notepad write a UTF-8 byte-order mark first; JSON's RFC 8259 lets a parser ignore it.
    A body that is not JSON after it is still refused, and so is a mark alone before a takes-no-body op."""
    bom = b"\xef\xbb\xbf"
    headers = {"Content-Type": "application/json"}
    made = ok(
        empty_api.post(f"{V}/contacts", content=bom + b'{"full_name": "Ada Lovelace"}', headers=headers), 201
    )
    assert made["data"]["full_name"] == "Ada Lovelace"
    bad = empty_api.post(f"{V}/contacts", content=bom + b"{nope", headers=headers)
    assert assert_error(bad, "bad_request", 400)["error"]["message"] == "the body is not valid JSON"
    scan = empty_api.post(f"{V}/identity/scan", content=bom + b'{"dry_run": true}', headers=headers)
    assert [d["loc"] for d in assert_error(scan, "validation_error", 422)["detail"]] == [["body", "dry_run"]]
