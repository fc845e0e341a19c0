"""[prepare-off-lane]: no request waits on the network or on files while it holds the daemon's one writer
lane. A local HTTP server on 127.0.0.1 stands in for the image host and for Apollo; it holds its answer until
the test lets it go, so the order of completion is asserted without timing anything."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from pcrm import paths
from pcrm.sync import fetch
from tests.api.test_push import _contacts, _profile
from tests.support.api import bearer, web_token
from tests.support.http_fake import json_answer, serve

pytestmark = pytest.mark.anyio
V = "/api/v1"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00JFIF" + b"\x01" * 200
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
WAIT_S = 20  # only a safety net against a hung test; nothing is timed


class Gate:
    """A server route that answers only once the test opens the gate; `started` is set when it is asked."""

    def __init__(self, answer: tuple[int, dict[str, str], bytes]) -> None:
        self.answer = answer
        self.started = threading.Event()
        self.open = threading.Event()

    def __call__(self, req: Any) -> tuple[int, dict[str, str], bytes]:
        self.started.set()
        self.open.wait(WAIT_S)
        return self.answer

    async def wait_started(self) -> None:
        assert await asyncio.to_thread(self.started.wait, WAIT_S), "the slow server was never asked"


@pytest.fixture
def slow_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, Gate]]]:
    gates = {
        "/slow.jpg": Gate((200, {"Content-Type": "image/jpeg"}, JPEG)),
        "/favicon.ico": Gate((200, {"Content-Type": "image/png"}, PNG)),
        "/api/v1/people/match": Gate(
            json_answer(
                {
                    "person": {
                        "name": "Ada Lovelace",
                        "title": "Chief Analyst",
                        "organization": {"name": "Engines"},
                    }
                }
            )
        ),
    }
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    monkeypatch.setenv("PCRM_ENABLE_TEST_SOURCES", "1")
    monkeypatch.setenv(fetch.ALLOW_ENV, "127.0.0.1")
    with serve(gates) as (url, _seen):  # type: ignore[arg-type]
        try:
            yield url, gates
        finally:
            for g in gates.values():
                g.open.set()


async def _add_contact(client: Any, web: dict[str, str], **kw: Any) -> str:
    r = await client.post(f"{V}/contacts", json={"full_name": "Ada Lovelace", **kw}, headers=web)
    assert r.status_code == 201, r.text
    return str(r.json()["data"]["id"])


async def _write_while_waiting(
    client: Any, web: dict[str, str], slow: asyncio.Task[Any], gate: Gate, status: int = 200
) -> None:
    """While `slow` waits on the gated server, an ordinary write completes; then `slow` completes too."""
    await gate.wait_started()
    cid = await _add_contact(client, web, full_name="Bob Writer")
    r = await client.put(f"{V}/contacts/{cid}", json={"company": "Acme"}, headers=web)
    assert r.status_code == 200, r.text
    assert not slow.done(), "the slow request finished first: the write waited for it"
    gate.open.set()
    r = await asyncio.wait_for(slow, WAIT_S)
    assert r.status_code == status, r.text


async def test_a_push_downloading_avatars_does_not_hold_other_writes(
    client: Any, web: dict[str, str], account: dict[str, Any], slow_server: Any
) -> None:
    url, gates = slow_server
    port = url.rsplit(":", 1)[1]
    ext = bearer(web_token(account["id"], kind="extension"))
    body = {"profiles": [_profile("grace-hopper", avatar_url=f"http://media.licdn.com:{port}/slow.jpg")]}
    push = asyncio.create_task(client.post(f"{V}/linkedin/push", json=body, headers=ext))
    await _write_while_waiting(client, web, push, gates["/slow.jpg"])
    assert push.result().json()["data"]["contacts_created"] == 1
    (grace,) = [c for c in await _contacts(client, web) if c["full_name"] == "Grace Hopper"]
    assert grace["avatar_url"].startswith("/static/avatars/")  # the photo downloaded off-lane was stored


async def test_an_apollo_enrichment_does_not_hold_other_writes(
    client: Any, web: dict[str, str], slow_server: Any
) -> None:
    url, gates = slow_server
    from pcrm import secrets
    from pcrm.services import settings
    from pcrm.services.context import open_context

    secrets.put("apollo", "k")
    with open_context() as ctx:
        settings.set_setting(ctx, "enrichment.apollo", True)
        settings.set_setting(ctx, "enrichment.apollo_url", url)
    cid = await _add_contact(client, web, emails=["ada@example.com"])
    enrich = asyncio.create_task(client.post(f"{V}/contacts/{cid}/enrich", headers=web))
    await _write_while_waiting(client, web, enrich, gates["/api/v1/people/match"])
    got = enrich.result().json()["data"]
    assert got["matched"] is True and {"title", "company"} <= set(got["fields_updated"])


async def test_an_organizations_logo_does_not_hold_other_writes(
    client: Any, web: dict[str, str], slow_server: Any
) -> None:
    """[org-logo-on-save]: adding an organization fetches its logo before the write, off the lane."""
    url, gates = slow_server
    from pcrm.services import settings
    from pcrm.services.context import open_context

    with open_context() as ctx:
        settings.set_setting(ctx, "logos.enabled", True)
    body = {"name": "Globex", "website": url}
    add = asyncio.create_task(client.post(f"{V}/organizations", json=body, headers=web))
    await _write_while_waiting(client, web, add, gates["/favicon.ico"], status=201)
    org = add.result().json()
    assert org["meta"]["logo"]["fetched"] is True and org["data"]["logo_url"].startswith("/static/avatars/")


async def test_authentication_comes_before_any_network_call(
    client: Any, account: dict[str, Any], slow_server: Any
) -> None:
    url, gates = slow_server
    port = url.rsplit(":", 1)[1]
    body = {"profiles": [_profile("grace-hopper", avatar_url=f"http://media.licdn.com:{port}/slow.jpg")]}
    r = await client.post(f"{V}/linkedin/push", json=body, headers=bearer("not-a-token"))
    assert r.status_code == 401
    r = await client.post(f"{V}/contacts/{account['id']}/enrich")
    assert r.status_code == 401
    assert not any(g.started.is_set() for g in gates.values())


async def test_an_avatar_is_served_while_the_writer_lane_is_busy(
    app: Any, client: Any, web: dict[str, str]
) -> None:
    d = paths.avatars_dir()
    d.mkdir(parents=True, exist_ok=True)
    (d / "abc.jpg").write_bytes(JPEG)
    assert (await client.get("/static/avatars/abc.jpg", headers=web)).status_code == 200
    held, release = threading.Event(), threading.Event()

    def hold(ctx: Any) -> None:  # an import, say, holding the one writer
        held.set()
        release.wait(WAIT_S)

    busy = asyncio.create_task(app.state.pcrm.run(hold))
    try:
        assert await asyncio.to_thread(held.wait, WAIT_S)
        r = await client.get("/static/avatars/abc.jpg", headers=web)
        assert r.status_code == 200 and r.content == JPEG
        assert (await client.get("/static/avatars/abc.jpg")).status_code == 401
        assert not busy.done()
    finally:
        release.set()
        await busy


async def test_the_x_code_exchange_runs_while_the_writer_lane_is_busy(
    app: Any, client: Any, web: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.sync.x.fake import CODE, FakeX, XWorld, sample

    fake = FakeX(sample(XWorld(page_size=7), 1, 1))
    monkeypatch.setenv("PCRM_X_CLIENT_ID", "client-1")
    monkeypatch.setenv("PCRM_X_API_URL", fake.url)
    held, release = threading.Event(), threading.Event()

    def hold(ctx: Any) -> None:
        held.set()
        release.wait(WAIT_S)

    try:
        state = (await client.get(f"{V}/auth/twitter/url", headers=web)).json()["data"]["state"]
        busy = asyncio.create_task(app.state.pcrm.run(hold))
        assert await asyncio.to_thread(held.wait, WAIT_S)
        body = {"code": CODE, "state": state}
        connect = asyncio.create_task(client.post(f"{V}/auth/twitter/callback", json=body, headers=web))
        for _ in range(WAIT_S * 10):  # until X is asked: at most half the hold (a bound, not a timing)
            if fake.world.verifiers:
                break
            await asyncio.sleep(0.05)
        assert fake.world.verifiers, "X was not asked while the lane was held"
        assert not connect.done()  # its write waits for the lane
        release.set()
        await busy
        r = await asyncio.wait_for(connect, WAIT_S)
        assert r.json()["data"] == {"connected": True, "username": "ada"}
    finally:
        release.set()
        fake.close()


@pytest.fixture
def held_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[Any]:
    """The scripted llm model as every feature's model; with `hold` set, each call waits for it before it
    answers (`running` counts the calls under way)."""
    from pcrm.services import settings
    from pcrm.services.context import open_context
    from tests.support.llm_fake import MODEL_ID, scripted_fixture

    for state in scripted_fixture(monkeypatch, tmp_path):
        with open_context() as ctx:
            settings.set_setting(ctx, "ai.model", MODEL_ID)
        state.reply = lambda p: "Hi Ada, lovely to hear from you. Coffee soon?"
        try:
            yield state
        finally:
            if state.hold is not None:
                state.hold.set()


async def _draft_while_writing(client: Any, web: dict[str, str], slow: asyncio.Task[Any], model: Any) -> Any:
    """While the model drafts (held), an ordinary write completes; then the draft completes too."""
    for _ in range(WAIT_S * 100):  # until the model is asked (a safety net, nothing timed)
        if model.running:
            break
        await asyncio.sleep(0.01)
    assert model.running == 1, "the model was never asked"
    cid = await _add_contact(client, web, full_name="Bob Writer")
    r = await client.put(f"{V}/contacts/{cid}", json={"company": "Acme"}, headers=web)
    assert r.status_code == 200, r.text
    assert not slow.done() and model.running == 1, "the draft finished first: the write waited for it"
    model.hold.set()
    r = await asyncio.wait_for(slow, WAIT_S)
    assert r.status_code == 200, r.text
    return r.json()["data"]


async def test_an_ai_draft_does_not_hold_other_writes(
    client: Any, web: dict[str, str], held_model: Any
) -> None:
    """POST /contacts/{id}/compose and POST /suggestions/{id}/regenerate asked the model in the daemon's
    one writer lane: while a model drafted (seconds; minutes with retries) every other write waited, a
    note, an MCP agent's write, a WhatsApp webhook. The model now answers off the lane (a prepare step)."""
    from pcrm.services import suggestions
    from pcrm.services.context import open_context

    with open_context() as ctx:
        today = ctx.now().astimezone(ctx.tz()).strftime("%m-%d")
    cid = await _add_contact(client, web, emails=["ada@example.com"], birthday=f"1990-{today}")
    with open_context() as ctx:
        (made,) = suggestions.generate(ctx).data  # her birthday; the model answers at once here
    held_model.hold = threading.Event()
    compose = asyncio.create_task(client.post(f"{V}/contacts/{cid}/compose", json={}, headers=web))
    got = await _draft_while_writing(client, web, compose, held_model)
    assert got["suggested_message"] == "Hi Ada, lovely to hear from you. Coffee soon?"

    held_model.hold = threading.Event()
    held_model.reply = lambda p: "Happy birthday, Ada! Cake soon?"
    again = asyncio.create_task(client.post(f"{V}/suggestions/{made['id']}/regenerate", json={}, headers=web))
    got = await _draft_while_writing(client, web, again, held_model)
    assert got["suggested_message"] == "Happy birthday, Ada! Cake soon?"
    r = await client.get(f"{V}/suggestions", headers=web)
    assert [s["suggested_message"] for s in r.json()["data"]] == [got["suggested_message"]]


async def test_the_other_ai_routes_do_not_hold_other_writes(
    client: Any, web: dict[str, str], held_model: Any
) -> None:
    """extract-bio, auto-tag and tag discovery asked the model in the writer lane too; now off it, each
    writes what the model answered once it has answered."""
    cid = await _add_contact(client, web, full_name="Ada Lovelace | Engines", title="Engineer")
    held_model.hold = threading.Event()
    held_model.reply = lambda p: '{"given_name": "Ada", "family_name": "Lovelace", "company": "Engines"}'
    bio = asyncio.create_task(client.post(f"{V}/contacts/{cid}/extract-bio", headers=web))
    got = await _draft_while_writing(client, web, bio, held_model)
    assert {"given_name", "family_name", "full_name", "company"} <= set(got["fields_updated"])

    held_model.hold = threading.Event()
    held_model.reply = lambda p: '{"Role/Expertise": ["engineer"], "Geography": ["london"]}'
    found = asyncio.create_task(client.post(f"{V}/contacts/tags/discover", headers=web))
    got = await _draft_while_writing(client, web, found, held_model)
    assert got["status"] == "draft" and got["categories"]["Role/Expertise"] == ["engineer"]

    r = await client.put(f"{V}/contacts/tags/taxonomy", json={"status": "approved"}, headers=web)
    assert r.status_code == 200, r.text
    held_model.hold = threading.Event()
    held_model.reply = lambda p: '{"tags": ["engineer"]}'
    tagged = asyncio.create_task(client.post(f"{V}/contacts/{cid}/auto-tag", headers=web))
    got = await _draft_while_writing(client, web, tagged, held_model)
    assert got["tags_added"] == ["engineer"] and "engineer" in got["all_tags"]


async def test_tagging_a_few_contacts_does_not_hold_a_note(
    client: Any, web: dict[str, str], held_model: Any
) -> None:
    """POST /contacts/tags/apply for 20 contacts or fewer (`pcrm tags apply` through the daemon, the web
    app's "auto-tag selected") asked the model inside the writer lane: a note added meanwhile waited for
    the model. The model now answers off the lane; the lane only appends what it chose."""
    ada = await _add_contact(client, web, title="Engineer")
    grace = await _add_contact(client, web, full_name="Grace Hopper", title="Admiral")
    r = await client.put(
        f"{V}/contacts/tags/taxonomy",
        json={"categories": {"Role": ["engineer", "admiral"]}, "status": "approved"},
        headers=web,
    )
    assert r.status_code == 200, r.text
    held_model.hold = threading.Event()
    held_model.reply = lambda p: '{"tags": ["admiral"]}' if "Grace" in p else '{"tags": ["engineer"]}'
    body = {"contact_ids": [ada, grace]}
    tagging = asyncio.create_task(client.post(f"{V}/contacts/tags/apply", json=body, headers=web))
    for _ in range(WAIT_S * 100):  # until the model is asked (a safety net, nothing timed)
        if held_model.running:
            break
        await asyncio.sleep(0.01)
    assert held_model.running, "the model was never asked"
    note = {"platform": "manual", "content_preview": "Met at the conference"}
    r = await client.post(f"{V}/contacts/{ada}/interactions", json=note, headers=web)
    assert r.status_code == 201, r.text
    assert not tagging.done() and held_model.running, "the tagging finished first: the note waited for it"
    held_model.hold.set()
    r = await asyncio.wait_for(tagging, WAIT_S)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["tagged_count"] == 2 and r.json()["data"]["task_id"] is None
    for cid, tag in ((ada, "engineer"), (grace, "admiral")):
        r = await client.get(f"{V}/contacts/{cid}", headers=web)
        assert tag in r.json()["data"]["tags"], r.json()["data"]
