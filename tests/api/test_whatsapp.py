"""WhatsApp [whatsapp-webhook] [whatsapp-sidecar]: signed webhooks end to end through the API (forged,
missing, replayed, oversized, malformed), the auth/whatsapp routes and `pcrm sync whatsapp` against a fake
sidecar on 127.0.0.1 (real HTTP through the real client), and the CLI on a real store."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.api import ctx
from tests.support.http_fake import json_answer, serve

V = "/api/v1"
HOOK = f"{V}/webhooks/whatsapp"
SECRET = "a" * 64


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_NOW", "2025-03-01T12:00:00Z")


@pytest.fixture
def secret(pcrm_home: Any) -> str:
    from pcrm import secrets

    secrets.put("whatsapp.webhook_secret", SECRET)
    return SECRET


def sign(raw: bytes, key: str = SECRET) -> str:
    return hmac.new(key.encode(), raw, hashlib.sha256).hexdigest()


def post(api: Any, body: Any, *, signature: str | None = "auto", raw: bytes | None = None) -> Any:
    data = raw if raw is not None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "auto":
        headers["X-Webhook-Signature"] = sign(data)
    elif signature is not None:
        headers["X-Webhook-Signature"] = signature
    # no bearer token: the signature is the credential
    return api.post(HOOK, content=data, headers={**headers, "Authorization": ""})


def message(mid: str, number: str = "12025550123@c.us", **kw: Any) -> dict[str, Any]:
    return {
        "message_id": mid,
        "from": number,
        "sender_name": "Grace Hopper",
        "direction": "inbound",
        "body": f"hello {mid}",
        "type": "chat",
        "timestamp": 1740000000,
        **kw,
    }


def realtime(mid: str, **kw: Any) -> dict[str, Any]:
    # what the reference sidecar sends: {type: event, user_id, ...message}; the message's `type` wins
    return {"type": "message_received", "user_id": "pcrm", **message(mid, **kw), "ts": 1740000000000}


def stored() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with ctx() as c:
        people = list(c.conn.execute("SELECT full_name FROM contacts ORDER BY id"))
        msgs = list(
            c.conn.execute(
                "SELECT platform, direction, raw_reference_id, content_preview FROM interactions ORDER BY id"
            )
        )
        runs = list(c.conn.execute("SELECT platform, sync_type, status FROM sync_runs ORDER BY id"))
    return people, msgs, runs


def test_forged_missing_or_unset_signatures_are_401_and_store_nothing(empty_api: Any, pcrm_home: Any) -> None:
    body = realtime("m1")
    # no secret stored yet: nothing is accepted, even a "signed" call
    r = post(empty_api, body)
    assert r.status_code == 401 and "pcrm auth whatsapp secret" in r.json()["error"]["hint"]
    from pcrm import secrets

    secrets.put("whatsapp.webhook_secret", SECRET)
    assert post(empty_api, body, signature=None).status_code == 401
    assert post(empty_api, body, signature=sign(b"{}")).status_code == 401  # another body's signature
    assert post(empty_api, body, signature=sign(json.dumps(body).encode(), "b" * 64)).status_code == 401
    assert post(empty_api, body, signature="zz").status_code == 401
    # a forged signature on garbage is 401, not 400: nothing is parsed before the signature
    assert post(empty_api, None, raw=b"{not json", signature="00").status_code == 401
    assert stored() == ([], [], [])
    assert post(empty_api, body).status_code == 200  # the right one


def test_realtime_message_is_stored_once_with_a_webhook_row(empty_api: Any, secret: str) -> None:
    r = post(empty_api, realtime("m1"))
    assert r.status_code == 200, r.text
    d = r.json()["data"]
    assert (d["received"], d["event"]) == (True, "message_received")
    assert (d["contacts_created"], d["interactions_created"], d["errors"]) == (1, 1, [])
    again = post(empty_api, realtime("m1")).json()["data"]  # a replay adds nothing
    assert (again["contacts_created"], again["interactions_created"]) == (0, 0)
    people, msgs, runs = stored()
    assert people == [("Grace Hopper",)]
    assert msgs == [("whatsapp", "inbound", "whatsapp:m1", "hello m1")]
    assert runs == [("whatsapp", "webhook", "success")]  # the replay changed nothing: no second row
    with ctx() as c:
        ident = list(c.conn.execute("SELECT platform, external_id FROM contact_identities"))
    assert ident == [("whatsapp", "+12025550123")]
    # an explicit event key with a media message: kept as an event, the image not stored
    r = post(empty_api, {"event": "message_received", **realtime("m2"), "type": "image"})
    assert r.json()["data"]["interactions_skipped"] == 1 and len(stored()[1]) == 1


def test_backfill_batch_reports_bad_items_stores_good_and_joins_known_phones(
    empty_api: Any, secret: str
) -> None:
    r = empty_api.post(f"{V}/contacts", json={"full_name": "Alan Turing", "phones": ["+1 (202) 555-0124"]})
    assert r.status_code in (200, 201), r.text
    batch = {
        "type": "backfill_batch",
        "user_id": "pcrm",
        "messages": [
            message("b1", number="1 202-555-0124@c.us", sender_name="Alan Turing"),
            {"from": "12025550125@c.us", "body": "no id"},
            "garbage",
            message("b4", number="120363025@g.us"),
            message("b5", type="ptt"),
            message("b6", direction="outbound", sender_name="Me Myself"),
        ],
    }
    d = post(empty_api, batch).json()["data"]
    assert d["errors"] == [
        "messages[1]: message_id is required",
        "messages[2]: must be an object",
        "messages[3]: from (or phone) must be a WhatsApp number such as 12025550123@c.us",
    ]
    assert (d["interactions_created"], d["interactions_skipped"], d["contacts_created"]) == (2, 1, 1)
    people, msgs, runs = stored()
    # b1 joined Alan by his phone written another way; b6 is the user's own message to a new number, whose
    # sender name (the user's) is not given to the contact
    assert people == [("Alan Turing",), (None,)]
    assert [(m[1], m[2]) for m in msgs] == [("inbound", "whatsapp:b1"), ("outbound", "whatsapp:b6")]
    assert runs == [("whatsapp", "webhook", "partial")]


def test_a_replaced_direction_or_time_is_said_in_errors(empty_api: Any, secret: str) -> None:
    """A message whose direction said neither inbound nor outbound was decided by fromMe, and one whose
    timestamp was no Unix time took the event's, both without a word."""
    batch = {
        "type": "backfill_batch",
        "user_id": "pcrm",
        "ts": 1740000000000,
        "messages": [
            message("w1", direction="sideways", fromMe="yes", timestamp="yesterday"),
            message("w2", direction="OUTBOUND"),
        ],
    }
    d = post(empty_api, batch).json()["data"]
    assert d["errors"] == [
        "messages[0]: direction 'sideways' is neither inbound nor outbound; fromMe decided it",
        "messages[0]: fromMe 'yes' is neither true nor false; inbound was used",
        "messages[0]: timestamp 'yesterday' is no Unix time; the time of the event was used",
    ]
    assert [(m[1], m[2]) for m in stored()[1]] == [("inbound", "whatsapp:w1"), ("outbound", "whatsapp:w2")]


def test_bad_input_statuses(empty_api: Any, secret: str) -> None:
    big = json.dumps({"type": "backfill_batch", "user_id": "pcrm", "pad": "x" * (1024 * 1024)}).encode()
    assert post(empty_api, None, raw=big).status_code == 413
    many = {"type": "backfill_batch", "user_id": "pcrm", "messages": [message(f"x{i}") for i in range(501)]}
    assert post(empty_api, many).status_code == 413
    assert post(empty_api, None, raw=b"{not json").status_code == 400
    assert post(empty_api, {"type": "message_received"}).status_code == 422  # no user_id
    assert post(empty_api, {"type": "nonsense", "user_id": "pcrm"}).status_code == 422
    other = post(empty_api, {**realtime("o1"), "user_id": "someone-else"})
    assert other.status_code == 200 and other.json()["data"]["ignored"] is True
    assert stored() == ([], [], [])


def test_session_events_set_the_state_and_notify(empty_api: Any, secret: str) -> None:
    assert post(
        empty_api, {"type": "session_connected", "user_id": "pcrm", "phone": "12025550199"}
    ).is_success
    post(empty_api, {"type": "session_connected", "user_id": "pcrm"})  # no second notification
    post(empty_api, {"type": "backfill_complete", "user_id": "pcrm"})
    with ctx() as c:
        from pcrm.services import whatsapp

        st = whatsapp.state(c)
        titles = [t for (t,) in c.conn.execute("SELECT title FROM notifications ORDER BY id")]
    assert st == {"connected": True, "phone": "+12025550199", "last_synced_at": "2025-03-01T12:00:00.000Z"}
    assert titles == ["WhatsApp connected"]
    post(empty_api, {"type": "session_disconnected", "user_id": "pcrm"})
    with ctx() as c:
        titles = [t for (t,) in c.conn.execute("SELECT title FROM notifications ORDER BY id")]
    assert titles == ["WhatsApp connected", "WhatsApp disconnected"]


# ------------------------------------------------------------------ the sidecar, faked on 127.0.0.1


class FakeSidecar:
    def __init__(self) -> None:
        self.status = "qr_pending"
        self.contacts = [
            {"id": "12025550130@c.us", "name": "Ada Lovelace"},
            {"id": "120363025@g.us", "name": "A group"},
        ]

    def routes(self, session: str = "pcrm") -> dict[str, Any]:
        base = f"/sessions/{session}"

        def start(req: dict[str, Any]) -> Any:
            return json_answer(
                {"status": self.status, "qr": "2@QRDATA" if self.status == "qr_pending" else None}, 202
            )

        def session_root(req: dict[str, Any]) -> Any:
            if req["method"] == "DELETE":
                self.status = "disconnected"
                return json_answer({"ok": True})
            return json_answer({}, 404)

        return {
            f"{base}/start": start,
            f"{base}/qr": lambda req: json_answer({"qr": "2@QRDATA", "status": self.status}),
            f"{base}/status": lambda req: json_answer({"userId": session, "status": self.status}),
            f"{base}/contacts": lambda req: json_answer(self.contacts),
            f"{base}/backfill": lambda req: json_answer({"status": "started"}, 202),
            base: session_root,
        }


@pytest.fixture
def sidecar(pcrm_home: Any) -> Iterator[tuple[FakeSidecar, list[dict[str, Any]]]]:
    from pcrm.services import settings

    fake = FakeSidecar()
    with serve(fake.routes()) as (url, seen):
        with ctx() as c:
            settings.set_setting(c, "whatsapp.sidecar_url", url)
        yield fake, seen


def test_auth_routes_against_the_sidecar(empty_api: Any, sidecar: Any) -> None:
    fake, seen = sidecar
    d = empty_api.post(f"{V}/auth/whatsapp/connect").json()["data"]
    assert d == {"status": "qr_pending", "qr": "2@QRDATA", "webhook_secret_set": False}
    assert empty_api.get(f"{V}/auth/whatsapp/qr").json()["data"] == {"status": "qr_pending", "qr": "2@QRDATA"}
    fake.status = "connected"
    st = empty_api.get(f"{V}/auth/whatsapp/status").json()["data"]
    assert st["status"] == "connected"
    d = empty_api.delete(f"{V}/auth/whatsapp/disconnect").json()["data"]
    assert d == {"disconnected": True, "sidecar_session_ended": True}
    assert [(r["method"], r["path"]) for r in seen] == [
        ("POST", "/sessions/pcrm/start"),
        ("GET", "/sessions/pcrm/qr"),
        ("GET", "/sessions/pcrm/status"),
        ("DELETE", "/sessions/pcrm"),
    ]


def test_sidecar_down_is_502_and_disconnect_still_forgets(empty_api: Any, pcrm_home: Any) -> None:
    from pcrm.services import settings, whatsapp

    with ctx() as c:
        settings.set_setting(c, "whatsapp.sidecar_url", "http://127.0.0.1:9")  # nothing listens there
        whatsapp.save_state(c, connected=True, phone="+12025550199")
    r = empty_api.post(f"{V}/auth/whatsapp/connect")
    assert r.status_code == 502 and "whatsapp.sidecar_url" in r.json()["error"]["hint"]
    st = empty_api.get(
        f"{V}/auth/whatsapp/status"
    ).json()  # what pcrm knows, and why the sidecar is not asked
    assert st["data"]["status"] == "unreachable" and st["data"]["phone"] == "+12025550199"
    assert st["meta"]["sidecar"] == "http://127.0.0.1:9" and "whatsapp.sidecar_url" in st["meta"]["hint"]
    assert "not answering: connection refused" in st["meta"]["problem"]
    d = empty_api.delete(f"{V}/auth/whatsapp/disconnect").json()["data"]
    assert d == {"disconnected": True, "sidecar_session_ended": False}
    with ctx() as c:
        assert whatsapp.state(c)["connected"] is False


def test_cli_status_with_the_sidecar_down_shows_the_link_and_a_hint(cli: Any) -> None:
    """Exit 0 with what pcrm knows of the link, then why the sidecar was not asked and what fixes it; never an
    exception class name."""
    cli("settings", "set", "whatsapp.sidecar_url", "http://127.0.0.1:9")  # nothing listens there
    r = cli("auth", "whatsapp", "status")
    assert "sidecar session: unreachable" in r.stdout and "connected: no" in r.stdout
    assert "not answering" in r.stderr and "hint: start the WhatsApp sidecar" in r.stderr
    assert "Error" not in r.stdout + r.stderr


def test_cli_secret_status_and_sync(cli: Any, sidecar: Any) -> None:
    from pcrm import secrets

    fake, seen = sidecar
    # not connected until the webhook secret is stored
    r = cli("sync", "whatsapp", ok=False)
    assert "pcrm auth whatsapp secret" in r.stderr
    first = cli("auth", "whatsapp", "secret")
    value = first.stdout.strip()
    assert len(value) == 64 and secrets.get("whatsapp.webhook_secret") == value
    assert "not shown again" in first.stderr
    rotated = cli.json("auth", "whatsapp", "secret")["data"]
    assert rotated["rotated"] is True and rotated["secret"] != value
    assert cli("auth", "whatsapp", "connect").stdout.splitlines() == ["status: qr_pending", "2@QRDATA"]
    # a sync needs a linked session
    r = cli("sync", "whatsapp", ok=False)
    assert "pcrm auth whatsapp connect" in r.stderr
    fake.status = "connected"
    assert cli.json("auth", "whatsapp", "status")["data"]["status"] == "connected"
    cli("sync", "whatsapp")
    people, _msgs, runs = stored()
    assert people == [("Ada Lovelace",)]  # the group is not a person
    backfill = [r for r in seen if r["path"].endswith("/backfill")]
    assert [json.loads(r["body"]) for r in backfill] == [{"daysBack": 30, "batchSize": 50}]
    assert runs[-1][:2] == ("whatsapp", "manual")


def test_a_second_sync_says_the_address_book_it_was_sent_again_is_unchanged(cli: Any, sidecar: Any) -> None:
    """The sidecar sends the whole address book at every sync: a rerun said '0 new contacts, 0 updated' and
    nothing of the people it was sent; they are counted unchanged, once each [sync-counts]."""
    fake, _seen = sidecar
    fake.contacts = [
        {"id": "12025550130@c.us", "name": "Ada Lovelace"},
        {"id": "12025550131@c.us", "pushname": "Bob Stone"},
        {"id": "120363025@g.us", "name": "A group"},
    ]
    cli("auth", "whatsapp", "secret")
    cli("auth", "whatsapp", "connect")
    fake.status = "connected"
    first = cli("sync", "whatsapp").stdout
    assert first.startswith("whatsapp: 2 new contacts, 0 updated, 0 new interactions in "), first
    again = cli("sync", "whatsapp").stdout
    assert again.startswith("whatsapp: 0 new contacts, 0 updated, 2 unchanged, 0 new interactions in "), again
