"""A scan says every pair waiting for review, not only its new ones [review-queue]: `pcrm identity scan`
twice answered "0 pairs to review" the second time while `pcrm identity matches` still listed the pair."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.twin import NOW

N = ("--now", NOW)


@pytest.mark.anyio
async def test_a_second_scan_says_the_pair_still_waiting(empty_twin: Any) -> None:
    for email in ("wei.dubois@proton.me", "weidubois.1@gmail.com"):  # a name only: a pair to review
        empty_twin.cli("contacts", "add", "--name", "Wei Dubois", "--email", email, *N)
    first = empty_twin.cli("identity", "scan", *N).stdout
    assert "1 new pair to review\n1 pair waiting: `pcrm identity matches --explain`" in first, first
    assert len(empty_twin.cli.json("identity", "matches", *N)["data"]) == 1

    again = empty_twin.cli("identity", "scan", *N).stdout
    assert again.splitlines() == [
        "merged 0 (0 by email/phone, 0 by score); 0 new pairs to review",
        "1 pair waiting: `pcrm identity matches --explain`",
    ], again
    dry = empty_twin.cli("identity", "scan", "--dry-run", *N).stdout
    assert "1 pair would wait: `pcrm identity matches --explain`" in dry, dry

    r = await empty_twin.parity(["identity", "scan", *N], "POST", "/api/v1/identity/scan")
    empty_twin.check_schema("POST", "/identity/scan", r)
    body = r.json()
    assert body["data"]["pending_review"] == 0 and body["meta"]["pending_total"] == 1

    empty_twin.cli("identity", "reject", _only(empty_twin))
    done = empty_twin.cli("identity", "scan", *N).stdout
    assert done.strip() == "merged 0 (0 by email/phone, 0 by score); 0 new pairs to review", done
    assert empty_twin.cli.json("identity", "scan", *N)["meta"]["pending_total"] == 0


def _only(twin: Any) -> str:
    (pair,) = twin.cli.json("identity", "matches", *N)["data"]
    return str(pair["id"])
