"""The identity routes [review-queue] and the duplicate hints and merges of contacts: the CLI's bytes,
the published schemas, and the status codes behaviour.md gives."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error
from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
N = ("--now", NOW)
UNKNOWN = "0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e"


async def test_scan_and_the_review_queue_answer_the_cli_bytes(demo_twin: Any) -> None:
    # the demo plants a few duplicates, most of them sure enough to merge; two more name-only pairs
    # (queued, never merged [match-thresholds]) give the queue something to merge and to reject
    for name in ("Christine Darden", "Christine Darden", "Dorothy Vaughan", "Dorothy Vaughan"):
        _add(demo_twin, "--name", name)
    r = await demo_twin.parity(
        ["identity", "scan", "--dry-run", *N], "POST", "/api/v1/identity/scan?dry_run=true"
    )
    demo_twin.check_schema("POST", "/identity/scan", r)
    assert r.json()["meta"]["dry_run"] is True and r.json()["meta"]["backup"] is None
    would = r.json()["data"]

    r = await demo_twin.parity(["identity", "scan", *N], "POST", "/api/v1/identity/scan")
    demo_twin.check_schema("POST", "/identity/scan", r)
    scan = r.json()
    assert scan["data"] == would
    assert scan["data"]["auto_merged"] > 0 and scan["data"]["pending_review"] >= 3
    assert len(scan["meta"]["merge_ids"]) == scan["data"]["auto_merged"]
    assert scan["meta"]["backup"].startswith(
        str(demo_twin.home / "backups")
    )  # [automatic-backups]: a scan that merges backs up

    r = await demo_twin.parity(["identity", "matches", *N], "GET", "/api/v1/identity/matches")
    demo_twin.check_schema("GET", "/identity/matches", r)
    queue = r.json()["data"]
    assert r.json()["meta"]["count"] == len(queue) == scan["data"]["pending_review"]
    assert {m["id"] for m in queue} == set(scan["meta"]["pending_review_ids"])
    r = await demo_twin.parity(
        ["identity", "matches", "--explain", *N], "GET", "/api/v1/identity/matches?explain=true"
    )
    demo_twin.check_schema("GET", "/identity/matches", r)
    assert all({"signals", "guards", "score"} <= set(m["explanation"]) for m in r.json()["data"])
    assert_error(
        await demo_twin.request("GET", "/api/v1/identity/matches?explain=maybe"), "validation_error", 422
    )

    to_merge, to_reject = queue[0], queue[1]
    r = await demo_twin.parity(
        ["identity", "merge", to_merge["id"], *N], "POST", f"/api/v1/identity/matches/{to_merge['id']}/merge"
    )
    demo_twin.check_schema("POST", "/identity/matches/{match_id}/merge", r)
    merged = r.json()["data"]
    assert merged["status"] == "merged" and merged["merge_id"]
    assert merged["survivor_id"] in (to_merge["contact_a_id"], to_merge["contact_b_id"])
    gone = ({to_merge["contact_a_id"], to_merge["contact_b_id"]} - {merged["survivor_id"]}).pop()
    assert_error(await demo_twin.request("GET", f"/api/v1/contacts/{gone}"), "not_found", 404)

    r = await demo_twin.parity(
        ["identity", "reject", to_reject["id"], *N],
        "POST",
        f"/api/v1/identity/matches/{to_reject['id']}/reject",
    )
    demo_twin.check_schema("POST", "/identity/matches/{match_id}/reject", r)
    assert r.json()["data"]["status"] == "rejected" and r.json()["data"]["resolved_at"]

    # [review-queue]: 404 unknown, 400 when the match is no longer pending review
    for verb in ("merge", "reject"):
        assert_error(
            await demo_twin.request("POST", f"/api/v1/identity/matches/{UNKNOWN}/{verb}"), "not_found", 404
        )
        for done in (to_merge, to_reject):
            assert_error(
                await demo_twin.request("POST", f"/api/v1/identity/matches/{done['id']}/{verb}"),
                "bad_request",
                400,
            )
    left = (await demo_twin.request("GET", "/api/v1/identity/matches")).json()["data"]
    assert {m["id"] for m in left} == {m["id"] for m in queue[2:]}


def _add(twin: Any, *args: str) -> str:
    return twin.cli.json("contacts", "add", *args, *N)["data"]["id"]


async def test_duplicate_hints_merge_and_dismiss_answer_the_cli_bytes(empty_twin: Any) -> None:
    thin = _add(empty_twin, "--name", "Katherine Johnson", "--email", "kj@nasa.gov")
    rich = _add(
        empty_twin,
        "--name",
        "Katherine Johnson",
        "--email",
        "katherine@nasa.gov",
        "--company",
        "NASA",
        "--title",
        "Mathematician",
        "--phone",
        "+12025550123",
        "--tag",
        "space",
    )
    other = _add(empty_twin, "--name", "Katherine Jonson", "--company", "NASA")
    base = f"/api/v1/contacts/{thin}"

    r = await empty_twin.parity(["contacts", "duplicates", thin, *N], "GET", f"{base}/duplicates")
    empty_twin.check_schema("GET", "/contacts/{contact_id}/duplicates", r)
    hints = {d["id"]: d["score"] for d in r.json()["data"]}
    assert rich in hints and hints[rich] >= 0.40
    r = await empty_twin.parity(
        ["contacts", "duplicates", thin, "--explain", *N], "GET", f"{base}/duplicates?explain=true"
    )
    empty_twin.check_schema("GET", "/contacts/{contact_id}/duplicates", r)
    assert all("signals" in d["explanation"] for d in r.json()["data"])

    assert other in hints
    r = await empty_twin.parity(
        ["contacts", "dismiss-duplicate", thin, other, *N], "POST", f"{base}/dismiss-duplicate/{other}"
    )
    empty_twin.check_schema("POST", "/contacts/{contact_id}/dismiss-duplicate/{other_id}", r)
    assert r.json()["data"] == {"dismissed": True}
    after = (await empty_twin.request("GET", f"{base}/duplicates")).json()["data"]
    assert other not in {d["id"] for d in after} and rich in {d["id"] for d in after}

    r = await empty_twin.parity(
        ["contacts", "merge", thin, rich, "--dry-run", *N], "POST", f"{base}/merge/{rich}?dry_run=true"
    )
    empty_twin.check_schema("POST", "/contacts/{contact_id}/merge/{other_id}", r)
    assert r.json()["meta"] == {"dry_run": True} and r.json()["data"]["merge_id"] is None
    r = await empty_twin.parity(["contacts", "merge", thin, rich, *N], "POST", f"{base}/merge/{rich}")
    empty_twin.check_schema("POST", "/contacts/{contact_id}/merge/{other_id}", r)
    done = r.json()["data"]
    # [merge-rules]: the richer contact survives and the response says so, whichever side of the path it was
    # on
    assert done["id"] == rich and done["merged_contact_id"] == thin and done["merge_id"]
    assert_error(await empty_twin.request("GET", base), "not_found", 404)
    survivor = (await empty_twin.request("GET", f"/api/v1/contacts/{rich}")).json()["data"]
    assert set(survivor["emails"]) == {"kj@nasa.gov", "katherine@nasa.gov"}
    history = empty_twin.cli.json("identity", "history")["data"]
    assert history[0]["id"] == done["merge_id"]


async def test_identity_errors(empty_twin: Any) -> None:
    a = _add(empty_twin, "--name", "Ada Lovelace", "--email", "ada@example.com")
    b = _add(empty_twin, "--name", "Ada King", "--email", "ada.king@example.com")
    before = empty_twin.cli.json("contacts", "list")["data"]
    assert_error(await empty_twin.request("GET", f"/api/v1/contacts/{UNKNOWN}/duplicates"), "not_found", 404)
    assert_error(await empty_twin.request("POST", f"/api/v1/contacts/{a}/merge/{UNKNOWN}"), "not_found", 404)
    assert_error(await empty_twin.request("POST", f"/api/v1/contacts/{UNKNOWN}/merge/{a}"), "not_found", 404)
    assert_error(await empty_twin.request("POST", f"/api/v1/contacts/{a}/merge/{a}"), "validation_error", 422)
    assert_error(
        await empty_twin.request("POST", f"/api/v1/contacts/{a}/merge/{b}?dry_run=perhaps"),
        "validation_error",
        422,
    )
    assert_error(
        await empty_twin.request("POST", f"/api/v1/contacts/{a}/dismiss-duplicate/{UNKNOWN}"),
        "not_found",
        404,
    )
    assert_error(
        await empty_twin.request("POST", f"/api/v1/contacts/{a}/dismiss-duplicate/{a}"),
        "validation_error",
        422,
    )
    assert_error(
        await empty_twin.request("POST", "/api/v1/identity/scan?dry_run=yes&extra=1"), "validation_error", 422
    )
    assert empty_twin.cli.json("contacts", "list")["data"] == before
    r = await empty_twin.request("POST", "/api/v1/identity/scan")
    empty_twin.check_schema("POST", "/identity/scan", r)
    assert r.json()["data"] == {"auto_merged": 0, "pending_review": 0, "matches_found": 0}
    assert r.json()["meta"]["backup"] is None  # nothing merged: no backup
