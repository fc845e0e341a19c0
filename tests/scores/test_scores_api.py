"""Score recalculation and the activity feed over the API: the CLI's bytes, the published schemas and the
documented errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.api import assert_error
from tests.support.twin import NOW

pytestmark = pytest.mark.anyio
N = ("--now", NOW)


async def test_score_recalculation_and_activity_answer_the_cli_bytes(demo_twin: Any) -> None:
    r = await demo_twin.parity(["score", "recalc", *N], "POST", "/api/v1/contacts/scores/recalculate")
    demo_twin.check_schema("POST", "/contacts/scores/recalculate", r)
    assert r.json()["data"]["updated"] > 0 and "changed" in r.json()["meta"]

    contact = demo_twin.cli.json("contacts", "list", "--sort", "interaction", *N)["data"][0]
    r = await demo_twin.parity(
        ["contacts", "activity", contact["id"], *N], "GET", f"/api/v1/contacts/{contact['id']}/activity"
    )
    demo_twin.check_schema("GET", "/contacts/{contact_id}/activity", r)
    d = r.json()["data"]
    assert set(d["dimensions"]) == {"reciprocity", "recency", "frequency", "breadth", "tenure"}
    assert sum(m["count"] for m in d["monthly_trend"]) > 0
    assert_error(
        await demo_twin.request("GET", "/api/v1/contacts/0b7e1a52-7a3c-4c0e-9d7e-1f2a3b4c5d6e/activity"),
        "not_found",
        404,
    )
