"""`pcrm orgs duplicates scan --dry-run` (and POST /organizations/scan-duplicates?dry_run=true) says what the
scan would merge and queue, and writes nothing [org-dedupe]: the scan had no dry run while every other command
that changes many rows has one, so the only way to see its merges was to make them."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.anyio


async def test_a_dry_run_scan_says_what_the_scan_would_do_and_writes_nothing(demo_twin: Any) -> None:
    before = demo_twin.dump()
    r = await demo_twin.parity(
        ["orgs", "duplicates", "scan", "--dry-run"],
        "POST",
        "/api/v1/organizations/scan-duplicates?dry_run=true",
    )
    demo_twin.check_schema("POST", "/organizations/scan-duplicates", r)
    dry = r.json()
    assert dry["meta"]["dry_run"] is True
    assert dry["data"]["auto_merged"] >= 1 and dry["data"]["pending_review"] >= 2, dry
    assert all("merge_id" not in m for m in dry["meta"]["merges"]), dry
    assert {m["merged_away"] for m in dry["meta"]["merges"]} & {"Los Pollos", "Los Pollos Hermanos"}
    assert {k: v for k, v in demo_twin.dump().items() if k != "api_tokens"} == {
        k: v for k, v in before.items() if k != "api_tokens"
    }
    said = demo_twin.cli("orgs", "duplicates", "scan", "--dry-run").stdout
    d = dry["data"]
    assert d["auto_merged"] == 1, d  # said in the noun's number: "would merge 1;" named no noun
    first = f"would merge 1 pair; {d['pending_review']} pairs would wait for review (dry run: "
    assert said.startswith(first + "nothing changed)"), said
    assert "would move" in said and "undo" not in said, said
    assert demo_twin.cli.json("orgs", "duplicates")["data"] == []  # nothing queued
    # the scan itself does what the dry run said
    done = demo_twin.cli.json("orgs", "duplicates", "scan")
    assert done["data"] == dry["data"]
    assert demo_twin.cli("orgs", "duplicates", "scan").stdout.startswith("merged 0 pairs; 0 pairs to review")
    assert [{k: v for k, v in m.items() if k != "merge_id"} for m in done["meta"]["merges"]] == dry["meta"][
        "merges"
    ]
