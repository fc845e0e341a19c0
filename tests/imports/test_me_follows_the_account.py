"""The user's identity (`me`) follows the account [me-setting]: after `PUT /auth/me {full_name}` every
import and sync that tells your messages from theirs knows you by the new name, the name you had stays one
of yours (an export made before the rename still carries it) until you remove it, and the names you typed
are kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pcrm.services.context import Context
from tests.support.cli import Cli
from tests.support.paths import require_testdata

pytestmark = pytest.mark.anyio
V = "/api/v1"
PASSWORD = "correct horse battery"


def _sample(folder: str, name: str) -> Path:
    return require_testdata() / folder / name


MESSAGES = ("linkedin", "linkedin-network-intelligence__Messages.csv")  # "Test User" is the owner


async def _account(client: Any, name: str, email: str = "qa@example.com") -> dict[str, str]:
    """Register as the reference UI does, log in, and answer the login's Authorization header."""
    body = {"email": email, "password": PASSWORD, "full_name": name}
    r = await client.post(f"{V}/auth/register", json=body)
    assert r.status_code in (200, 201), r.text
    r = await client.post(f"{V}/auth/login", json={"email": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['data']['access_token']}"}


async def _rename(client: Any, web: dict[str, str], name: str) -> None:
    r = await client.put(f"{V}/auth/me", json={"full_name": name}, headers=web)
    assert r.status_code == 200 and r.json()["data"] == {"updated": True}, r.text


async def _upload(client: Any, web: dict[str, str], path: Path) -> Any:
    """What the reference UI sends: the file alone, no `me` field."""
    files = {"file": (path.name, path.read_bytes(), "text/csv")}
    return await client.post(f"{V}/contacts/import/linkedin-messages", files=files, headers=web)


def _me(cli: Cli) -> dict[str, list[str]]:
    return cli.json("settings", "show", "me")["data"]["me"]


async def test_linkedin_messages_import_after_a_rename_knows_you_by_the_new_name(
    client: Any, cli: Cli
) -> None:
    web = await _account(client, "QA Tester")
    cli("settings", "set", "me", "QA Tester, Quinn Tester, qa@example.com, @qa_tester")  # typed by hand
    await _rename(client, web, "Test User")

    r = await _upload(client, web, _sample(*MESSAGES))
    assert r.status_code == 200, r.text
    data = r.json()["data"]
    assert data["new_interactions"] == 11 and data["contacts_created"] == 4  # the four people you wrote with
    alice = next(c for c in cli.json("contacts", "list")["data"] if c["full_name"] == "Alice Johnson")
    got = await client.get(f"{V}/contacts/{alice['id']}/interactions", headers=web)
    directions = sorted(i["direction"] for i in got.json()["data"])
    assert directions == ["inbound", "inbound", "outbound", "outbound"]  # "Test User" wrote two of them
    # `pcrm settings show me` lists the new name, and keeps the old one and what was typed by hand
    me = _me(cli)
    assert me["names"] == ["QA Tester", "Quinn Tester", "Test User"]
    assert me["emails"] == ["qa@example.com"] and me["handles"] == ["qa_tester"]


async def test_the_old_name_stays_yours_until_you_remove_it(client: Any, cli: Cli) -> None:
    """The export was made while the account was called "Test User"; the account is then renamed."""
    web = await _account(client, "Test User")
    await _rename(client, web, "Ada Lovelace")
    r = await _upload(client, web, _sample(*MESSAGES))
    assert r.status_code == 200, r.text
    assert r.json()["data"]["new_interactions"] == 11
    assert _me(cli)["names"] == ["Test User", "Ada Lovelace"]

    # removed by hand, the old name is no longer you, and a later rename does not bring it back
    cli("settings", "set", "me", "Ada Lovelace, qa@example.com")
    await _rename(client, web, "Ada King")
    assert _me(cli)["names"] == ["Ada Lovelace", "Ada King"]
    again = await _upload(client, web, _sample(*MESSAGES))
    assert again.status_code == 400 and "no FROM or TO is you" in again.json()["error"]["message"]


async def test_the_account_name_and_email_count_whatever_me_was_set_to(client: Any, cli: Cli) -> None:
    """`settings set me` replaces the list; the account's current name and email still count (and show)."""
    web = await _account(client, "QA Tester")
    await _rename(client, web, "Test User")
    cli("settings", "set", "me", "Quinn Tester")
    me = _me(cli)
    assert me["names"] == ["Quinn Tester", "Test User"] and me["emails"] == ["qa@example.com"]
    r = await _upload(client, web, _sample(*MESSAGES))
    assert r.status_code == 200 and r.json()["data"]["new_interactions"] == 11, r.text


async def test_chat_exports_know_you_by_the_account_name_after_a_rename(client: Any, cli: Cli) -> None:
    """Telegram's export names its two people; neither was `me` until the account took one of their names."""
    # (a chat named after neither sender: langchain's 'Jimmeny' names its sender 'Jimmeny Marvelton',
    # which tells the two apart without `me` [telegram-names])
    chat = _sample("telegram", "chat-miner__single_export.json")
    web = await _account(client, "QA Tester")
    refused = cli("import", str(chat), "--json", ok=False)
    assert refused.exit_code == 1 and "cannot tell your messages from theirs" in refused.stdout
    await _rename(client, web, "Author 1")
    report = cli.json("import", str(chat))["data"]
    assert report["interactions_created"] >= 1
    people = [c["full_name"] for c in cli.json("contacts", "list")["data"]]
    assert people == ["Author 2"]  # the other side, not you


def test_a_mail_sync_knows_the_account_email_whatever_me_was_set_to(
    ctx: Context, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mail sent from the account's address (an alias the Gmail mailbox sends as) is yours."""
    from pcrm.services import auth, contacts, sync
    from pcrm.sync.google import client as gclient
    from tests.sync.google_fake import FakeGoogle, at

    monkeypatch.setattr(gclient, "_sleep", lambda _s: None)

    auth.register(ctx, {"email": "ada@home.example", "password": PASSWORD, "full_name": "Ada Lovelace"})
    cli("settings", "set", "me", "Ada Lovelace")  # the address left out by hand
    ctx.invalidate_settings()
    contacts.create_contact(ctx, {"full_name": "Alan Turing", "emails": ["alan@example.org"]})
    fake = FakeGoogle()
    box = fake.mailbox("ada@gmail.example")
    box.add_message("s1", "Ada <ada@home.example>", "alan@example.org", "sent from my alias", at=at(1))
    box.add_message("r1", "alan@example.org", "ada@home.example", "a reply", at=at(2))
    assert sync.run(ctx, "gmail", client=fake.client()).data["status"] == "success"
    rows = ctx.conn.execute("SELECT raw_reference_id, direction FROM interactions ORDER BY 1").fetchall()
    assert rows == [("gmail:r1", "inbound"), ("gmail:s1", "outbound")]
