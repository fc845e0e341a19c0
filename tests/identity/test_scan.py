"""`pcrm identity scan`: tier 1 [deterministic-merges] and tier 2 [match-scoring] end to end on a real
store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.support.seed import add, bulk_add
from tests.support.store import count_contacts


def _names(cli: Any) -> list[str]:
    return sorted(c["full_name"] for c in cli.json("contacts", "list", "--page-size", "100")["data"])


def test_scan_with_no_contacts_is_all_zeros(cli: Any) -> None:
    out = cli.json("identity", "scan")
    assert out["data"] == {"auto_merged": 0, "pending_review": 0, "matches_found": 0}
    assert out["meta"]["auto_merged_ids"] == [] and out["meta"]["pending_review_ids"] == []


def test_tier1_merges_same_email_and_same_phone(cli: Any, pcrm_home: Path) -> None:
    cli(
        "contacts", "add", "--name", "Ada Lovelace", "--email", "ada@analytical.io", "--company", "Analytical"
    )
    cli("contacts", "add", "--name", "Charles Babbage", "--phone", "+1-234-567-8900")
    # (a nickname of one name only: an initial alone, "C. Babbage", is not enough on a phone [shared-keys])
    cli("contacts", "add", "--name", "Charlie Babbage", "--phone", "12345678900", "--tag", "engines")
    # [shared-keys]: the names agree ("Countess" is an extra word), so the address in the notes merges
    cli("contacts", "add", "--name", "Countess Ada Lovelace", "--notes", "address: Ada@Analytical.io")
    cli("contacts", "add", "--name", "Someone Else", "--email", "other@analytical.io")
    ctx = __import__("pcrm.services.context", fromlist=["x"]).open_context()
    bulk_add(ctx, full_name="A. Lovelace", emails=["ada@analytical.io"])
    ctx.close()
    out = cli.json("identity", "scan")
    assert out["meta"]["deterministic_merged"] == 3  # email, phone, email found in notes
    assert len(out["meta"]["auto_merged_ids"]) == out["data"]["auto_merged"] == 3
    names = _names(cli)
    assert "Someone Else" in names  # no false positive on a shared domain
    assert names == ["Ada Lovelace", "Charlie Babbage", "Someone Else"]  # the richer one (a tag) survives
    assert out["meta"]["backup"] and Path(out["meta"]["backup"]).exists()
    babbage = cli.json("contacts", "show", "Charlie Babbage")["data"]
    assert babbage["tags"] == ["engines"] and babbage["phones"]


def test_scan_without_merges_takes_no_backup(cli: Any, pcrm_home: Path) -> None:
    cli("contacts", "add", "--name", "Alex Wearn")
    cli("contacts", "add", "--name", "Alex Wearn")
    out = cli.json("identity", "scan")
    assert out["data"] == {"auto_merged": 0, "pending_review": 1, "matches_found": 1}
    assert out["meta"]["backup"] is None
    assert not (pcrm_home / "backups").exists() or not list((pcrm_home / "backups").iterdir())


def test_dry_run_changes_nothing_and_predicts_exactly(cli: Any, ctx: Any) -> None:
    add(ctx, full_name="Katherine Johnson", emails=["katherine@globex.com"], company="Globex")
    add(ctx, full_name="Kate Johnson", emails=["kj@gmail.com"], company="Globex")
    add(ctx, full_name="Ken Thompson", emails=["ken@globex.com"], company="Globex")
    dry = cli.json("identity", "scan", "--dry-run")
    assert count_contacts(ctx) == 3
    assert cli.json("identity", "matches")["data"] == []
    real = cli.json("identity", "scan")
    assert dry["data"] == real["data"] == {"auto_merged": 1, "pending_review": 0, "matches_found": 1}
    assert count_contacts(ctx) == 2


def test_probabilistic_auto_merge_ignore_and_cross_source_name_only(cli: Any, ctx: Any) -> None:
    add(ctx, full_name="Katherine Johnson", emails=["katherine@globex.com"], company="Globex")
    add(ctx, full_name="Kate Johnson", emails=["kate.j@gmail.com"], company="Globex", twitter_handle="katej")
    add(ctx, full_name="Bob Smith", telegram_user_id="123456")
    add(ctx, full_name="Bob Smith", linkedin_url="https://www.linkedin.com/in/bob-smith-42")
    add(ctx, full_name="Alice Moreau")
    add(ctx, full_name="Zed Quinn")
    out = cli.json("identity", "scan")
    assert out["meta"]["probabilistic_merged"] == 1
    assert out["data"]["pending_review"] == 1
    matches = cli.json("identity", "matches")
    assert matches["meta"]["count"] == 1
    m = matches["data"][0]
    assert {m["contact_a"]["full_name"], m["contact_b"]["full_name"]} == {"Bob Smith"}
    assert m["match_score"] == 0.7 and m["status"] == "pending_review"
    assert m["contact_a"]["emails"] == [] and "tags" in m["contact_a"]  # nested contact data
    assert count_contacts(ctx) == 5


def test_same_source_pairs_are_never_compared(cli: Any, ctx: Any) -> None:
    add(ctx, full_name="Bob Smith", telegram_username="bob1", company="Acme")
    add(ctx, full_name="Bob Smith", telegram_username="bob2", company="Acme")
    out = cli.json("identity", "scan")
    assert out["data"]["matches_found"] == 0
    assert count_contacts(ctx) == 2


def test_rejected_pairs_never_come_back(cli: Any, ctx: Any) -> None:
    add(ctx, full_name="Alex Wearn")
    add(ctx, full_name="Alex Wearn")
    first = cli.json("identity", "scan")
    mid = first["meta"]["pending_review_ids"][0]
    rej = cli.json("identity", "reject", mid)
    assert rej["data"]["status"] == "rejected" and rej["data"]["resolved_at"]
    again = cli.json("identity", "scan")
    assert again["data"]["matches_found"] == 0
    assert cli.json("identity", "matches")["data"] == []


def test_tier1_honours_a_rejection(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Pat Lee", emails=["pat@lee.family"])
    b = add(ctx, full_name="Pat Lee Senior", phones=["+12025550123"])
    cli("contacts", "dismiss-duplicate", a, b)
    # a shared phone appears later: tier 1 would merge, the rejection stops it
    cli("contacts", "edit", a, "--phone", "+1 202 555 0123")
    out = cli.json("identity", "scan")
    assert out["data"]["auto_merged"] == 0
    assert count_contacts(ctx) == 2


def test_scan_is_idempotent(cli: Any, ctx: Any) -> None:
    add(ctx, full_name="Alex Wearn")
    add(ctx, full_name="Alex Wearn")
    add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"])
    bulk_add(ctx, full_name="Ada L", emails=["ada@x.io"])
    cli.json("identity", "scan")
    second = cli.json("identity", "scan")
    assert second["data"] == {"auto_merged": 0, "pending_review": 0, "matches_found": 0}


def test_archived_contacts_are_left_alone(cli: Any, ctx: Any) -> None:
    add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"])
    add(ctx, full_name="Ada Lovelace", emails=["ada@y.io"], priority_level="archived")
    add(ctx, full_name="Old Ada", phones=["+12025550123"], priority_level="archived")
    add(ctx, full_name="New Ada", phones=["+12025550123"])
    assert cli.json("identity", "scan")["data"]["auto_merged"] == 0


def test_run_tier1_for_imports(ctx: Any, pcrm_home: Path) -> None:
    from pcrm.services.identity import run_tier1

    assert run_tier1(ctx) == {"auto_merged": 0, "merge_ids": [], "match_ids": [], "backup": None}
    add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"])
    from pcrm.store.db import write

    with write(ctx.conn):  # an import writes contacts the resolver let through (bulk path)
        from pcrm.store import bulk

        bulk.insert_contacts(ctx.conn, [{"full_name": "A. Lovelace", "emails": ["ada@x.io"]}], ctx.now_iso())
    res = run_tier1(ctx)
    assert res["auto_merged"] == 1 and len(res["merge_ids"]) == 1
    assert res["backup"] and Path(res["backup"]).exists()
    assert count_contacts(ctx) == 1


def test_a_pending_pair_that_now_passes_the_bar_is_merged_by_the_next_scan(cli: Any, ctx: Any) -> None:
    # [review-queue]: two name-only records are asked (the name is all there is) ...
    a = add(ctx, full_name="Alex Wearn")
    b = add(ctx, full_name="Alex Wearn")
    first = cli.json("identity", "scan")
    assert first["data"] == {"auto_merged": 0, "pending_review": 1, "matches_found": 1}
    mid = first["meta"]["pending_review_ids"][0]
    # ... then both gain the same employer: the pair is scored again and passes the auto-merge bar
    for c in (a, b):
        cli("contacts", "edit", c, "--company", "Acme Rockets")
    again = cli.json("identity", "scan")
    assert again["data"]["auto_merged"] == 1 and again["data"]["pending_review"] == 0
    assert count_contacts(ctx) == 1
    assert cli.json("identity", "matches")["data"] == []
    status = ctx.conn.execute("SELECT status FROM identity_matches WHERE uuid = ?", (mid,)).fetchone()
    assert status == ("merged",)  # the queued pair itself, now resolved by the scan


def test_a_pending_pair_that_still_falls_short_stays_queued_once(cli: Any, ctx: Any) -> None:
    add(ctx, full_name="Alex Wearn")
    add(ctx, full_name="Alex Wearn")
    first = cli.json("identity", "scan")
    again = cli.json("identity", "scan")
    assert again["data"] == {"auto_merged": 0, "pending_review": 0, "matches_found": 0}
    assert [m["id"] for m in cli.json("identity", "matches")["data"]] == first["meta"]["pending_review_ids"]


def test_a_mailbox_that_writes_out_another_given_name_is_not_asked_about(cli: Any, ctx: Any) -> None:
    # [match-scoring]: "E. Knuth" <elifknuth645@> is Elif, not Elizabeth; two numbered mailboxes of one
    # name are two people also when one record has a typo ("Hedy Bcker"); each pair was asked before
    add(ctx, full_name="E. Knuth", emails=["elifknuth645@proton.me"])
    add(ctx, full_name="Elizabeth Knuth", emails=["elizabethknuth821@proton.me"], location="Toronto")
    add(ctx, full_name="Hedy Bcker", emails=["hedybecker564@proton.me"])
    add(ctx, full_name="Hedy Becker", emails=["hedybecker268@icloud.com"], birthday="1973-04-14")
    # the mailbox writing out the initial's own name, or a nickname's, is still asked about
    add(ctx, full_name="N. Karimi", emails=["nadiakarimi526@icloud.com"], birthday="1978-05-14")
    add(ctx, full_name="Nadia Karimi", emails=["nadia.karimi@tyrellsystems.com"], company="Tyrell Systems")
    add(ctx, full_name="Kate Tanaka", emails=["katherinetanaka12@icloud.com"])
    add(
        ctx, full_name="Katherine Tanaka", emails=["katherine.tanaka@initechlabs.com"], company="Initech Labs"
    )
    out = cli.json("identity", "scan")
    assert out["data"]["auto_merged"] == 0
    asked = {
        frozenset((m["contact_a"]["full_name"], m["contact_b"]["full_name"]))
        for m in cli.json("identity", "matches")["data"]
    }
    assert asked == {frozenset(("N. Karimi", "Nadia Karimi")), frozenset(("Kate Tanaka", "Katherine Tanaka"))}
