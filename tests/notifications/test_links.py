"""The links pcrm stores in notifications are requests the API answers [notification-inbox]. The "sync
completed" notification links `/contacts?sort=recent` (the reference's own link), and
`GET /api/v1/contacts?sort=recent` answered 422 "unknown sort 'recent'": `recent` is now the `interaction`
sort (the people heard from last), in the API and in `pcrm contacts list --sort recent` [contact-list].
Every link a notification can carry is found in the code, so a new one is checked too."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest

import pcrm
from pcrm.domain.sources import HIDDEN_ENV
from pcrm.sync.memory import ENV
from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
N = ("--now", NOW)
# the reference web UI's settings page (and its tabs): a page of the UI, no one request of the API
PAGES = {"/settings", "/settings?tab=tags"}


def _links_in_code() -> set[str]:
    """Every link literal given to a call that writes a notification (`{}` where an f-string puts an
    id)."""
    found: set[str] = set()
    writers = {"add_notification", "notify", "insert"}
    for path in Path(pcrm.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in writers:
                continue
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value.startswith("/"):
                    found.add(arg.value)
                elif isinstance(arg, ast.JoinedStr):
                    text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in arg.values)
                    if text.startswith("/"):
                        found.add(text)
    return found


async def test_every_notification_link_is_a_request_the_api_answers(demo_twin: Any) -> None:
    links = _links_in_code()
    # the writers found: a sync's, a profile change's (a contact), the suggestions' and the digest's
    assert {"/contacts?sort=recent", "/contacts/{}", "/suggestions", "/settings"} <= links, links
    (uuid,) = demo_twin.sql("SELECT uuid FROM contacts ORDER BY id LIMIT 1")[0]
    for link in sorted(links - PAGES):
        assert re.fullmatch(r"/[a-z0-9/{}?=&_-]+", link), link
        r = await demo_twin.request("GET", "/api/v1" + link.replace("{}", uuid))
        assert r.status_code == 200, (link, r.status_code, r.text)


async def test_a_sync_s_link_lists_the_people_heard_from_last(
    empty_twin: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HIDDEN_ENV, "1")
    monkeypatch.setenv(ENV, "generate:8:30:3")
    assert empty_twin.cli.json("sync", "memory", *N)["data"]["status"] == "success"
    (note,) = [
        n for n in empty_twin.cli.json("notifications")["data"] if n["title"].endswith("sync completed")
    ]
    assert note["link"] == "/contacts?sort=recent"
    r = await empty_twin.request("GET", "/api/v1" + note["link"])
    assert r.status_code == 200, r.text
    by_interaction = await empty_twin.request("GET", "/api/v1/contacts?sort=interaction")
    assert r.json() == by_interaction.json() and len(r.json()["data"]) == 8
    recent = empty_twin.cli.json("contacts", "list", "--sort", "recent")
    assert recent == empty_twin.cli.json("contacts", "list", "--sort", "interaction")
    assert [c["id"] for c in recent["data"]] == [c["id"] for c in r.json()["data"]]
    seen = [c["last_interaction_at"] for c in recent["data"]]
    heard = [t for t in seen if t is not None]
    assert heard and seen[: len(heard)] == sorted(heard, reverse=True)  # the silent ones last
