"""Merges [merge-rules] [reversible-merges] and unmerge: journaled, reversible, never losing an
interaction."""

from __future__ import annotations

from typing import Any

from tests.support.seed import add, add_interaction, bulk_add, seed_suggestion_and_event
from tests.support.store import count_contacts, dump_contact


def test_merge_unions_copies_handle_and_reports_the_real_survivor(cli: Any, ctx: Any) -> None:
    rich = add(
        ctx,
        full_name="Ada Lovelace",
        emails=["ada@analytical.io"],
        company="Analytical",
        title="Countess",
        tags=["math"],
        phones=["+12025550123"],
    )
    poor = add(ctx, full_name="Ada L", emails=["ada.l@gmail.com"], twitter_handle="@AdaL", tags=["Poetry"])
    out = cli.json("contacts", "merge", poor, rich)  # the poorer one is named first
    d = out["data"]
    assert d["id"] == rich and d["merged_contact_id"] == poor  # [merge-rules]: the real survivor
    assert d["merge_id"]
    survivor = cli.json("contacts", "show", rich)["data"]
    assert survivor["emails"] == ["ada@analytical.io", "ada.l@gmail.com"]
    assert survivor["tags"] == ["math", "poetry"]
    assert survivor["twitter_handle"] == "adal"
    assert survivor["full_name"] == "Ada Lovelace"
    cli("contacts", "show", poor, ok=False)
    # the audit row and the identity match survive the deletion
    hist = cli.json("identity", "history")["data"]
    assert hist[0]["id"] == d["merge_id"] and hist[0]["merged_contact_id"] == poor
    m = ctx.conn.execute("SELECT status, contact_b_id, contact_b_uuid FROM identity_matches").fetchone()
    assert m == ("merged", None, poor)


def test_merge_dry_run_changes_nothing(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"])
    b = add(ctx, full_name="Ada L", emails=["ada@y.io"])
    before = (dump_contact(ctx, a), dump_contact(ctx, b))
    out = cli.json("contacts", "merge", a, b, "--dry-run")
    assert out["meta"]["dry_run"] is True and out["data"]["merge_id"] is None
    assert (dump_contact(ctx, a), dump_contact(ctx, b)) == before
    assert cli.json("identity", "history")["data"] == []


def test_merging_a_missing_contact_is_404(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Ada Lovelace")
    out = cli.json("contacts", "merge", a, "00000000-0000-4000-8000-000000000000", ok=False)
    assert out["error"]["code"] == "not_found"
    assert cli.json("contacts", "merge", a, a, ok=False)["error"]["code"] == "validation_error"


def test_merge_never_loses_an_interaction(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"], company="X", tags=["a"])
    b = add(ctx, full_name="Ada L", emails=["ada@y.io"])
    add_interaction(ctx, a, "gmail:1")
    add_interaction(ctx, a, "gmail:2")
    add_interaction(ctx, b, "gmail:2", text="same message seen through the other address")
    add_interaction(ctx, b, "gmail:3")
    add_interaction(ctx, b, None, text="a note")
    out = cli.json("contacts", "merge", a, b)["data"]
    assert out["interactions_moved"] == 2 and out["collisions_journaled"] == 1
    timeline = cli.json("interactions", "list", a, "--limit", "50")["data"]
    assert sorted(i["raw_reference_id"] or "" for i in timeline) == ["", "gmail:1", "gmail:2", "gmail:3"]
    journal = ctx.conn.execute(
        "SELECT json_extract(moved, '$.collisions[0].raw_reference_id'), "
        "json_extract(moved, '$.collisions[0].content_preview') FROM contact_merges"
    ).fetchone()
    assert journal == ("gmail:2", "same message seen through the other address")


def test_unmerge_restores_both_contacts_exactly(cli: Any, ctx: Any) -> None:
    a = add(
        ctx,
        full_name="Ada Lovelace",
        emails=["ada@x.io"],
        company="Analytical",
        tags=["math", "vip"],
        phones=["+12025550123"],
        twitter_handle="ada",
        birthday="1815-12-10",
        location="London",
    )
    b = add(
        ctx,
        given_name="Ada",
        family_name="King",
        emails=["ada@y.io", "ada@x2.io"],
        tags=["poetry"],
        telegram_username="adaking",
        linkedin_url="https://www.linkedin.com/in/ada-king",
        notes="met at the RS",
    )
    from pcrm.store.db import write

    with write(ctx.conn):
        for cid, kind, value in ((a, "url", "https://ada.example"), (b, "nickname", "Enchantress")):
            ctx.conn.execute(
                "INSERT INTO contact_fields(contact_id, kind, label, value) "
                "SELECT id, ?, 'home', ? FROM contacts WHERE uuid = ?",
                (kind, value, cid),
            )
    add_interaction(ctx, a, "gmail:1")
    add_interaction(ctx, b, "gmail:1", text="collides")
    add_interaction(ctx, b, "gmail:9", direction="outbound")
    seed_suggestion_and_event(ctx, b)
    seed_suggestion_and_event(ctx, a)
    before = (dump_contact(ctx, a), dump_contact(ctx, b))
    merged = cli.json("contacts", "merge", a, b)["data"]
    merge_id = merged["merge_id"]
    assert merged["id"] == b  # b holds more data
    assert dump_contact(ctx, a) is None
    after_merge = dump_contact(ctx, b)
    assert len(after_merge["interactions"]) == 2  # a's gmail:1 collided: journaled, not moved
    assert {i["handle"] for i in after_merge["contact_identities"]} >= {"ada", "adaking"}
    assert len(after_merge["follow_up_suggestions"]) == 1
    out = cli.json("contacts", "unmerge", merge_id[:8])
    assert out["data"]["unmerged"] is True and out["data"]["collisions_restored"] == 1
    assert (dump_contact(ctx, a), dump_contact(ctx, b)) == before
    # [rejected-pairs]: the pair is remembered as rejected (method unmerge), so the next scan leaves them
    # apart
    row = ctx.conn.execute("SELECT status, match_method FROM identity_matches").fetchone()
    assert row == ("rejected", "unmerge")
    assert cli.json("identity", "scan")["data"]["matches_found"] == 0
    assert cli.json("contacts", "unmerge", merge_id, ok=False)["error"]["code"] == "bad_request"
    assert cli.json("identity", "history")["data"][0]["unmerged_at"]


def test_unmerge_keeps_later_interactions_on_the_survivor(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"], company="X")
    b = add(ctx, full_name="Ada L", emails=["ada@y.io"])
    add_interaction(ctx, b, "gmail:old")
    merge_id = cli.json("contacts", "merge", a, b)["data"]["merge_id"]
    cli("note", "add", a, "after the merge", "--now", "2099-01-01T00:00:00Z")
    cli("contacts", "unmerge", merge_id, "--now", "2099-01-02T00:00:00Z")
    a_refs = [i["content_preview"] for i in cli.json("interactions", "list", a)["data"]]
    b_refs = [i["raw_reference_id"] for i in cli.json("interactions", "list", b)["data"]]
    assert a_refs == ["after the merge"] and b_refs == ["gmail:old"]


def test_unmerge_keeps_edits_made_to_the_survivor_after_the_merge(cli: Any, ctx: Any) -> None:
    a = add(
        ctx,
        full_name="Ada Lovelace",
        emails=["ada@x.io"],
        company="Analytical",
        tags=["math"],
        phones=["+12025550123"],
    )
    b = add(ctx, full_name="Ada L", emails=["ada@y.io"], tags=["poetry"])
    b_before = dump_contact(ctx, b)
    merge_id = cli.json("contacts", "merge", a, b)["data"]["merge_id"]
    # the user goes on editing the merged contact
    cli("contacts", "edit", a, "--title", "Countess", "--company", "Analytical Engines")
    cli("contacts", "tag", a, "vip")
    cli("contacts", "untag", a, "math")
    cli("contacts", "edit", a, "--email", "ada@x.io", "--email", "ada@y.io", "--email", "countess@engines.io")
    out = cli.json("contacts", "unmerge", merge_id)["data"]
    assert set(out["edits_kept_on_survivor"]) >= {"title", "company", "contact_tags", "contact_emails"}
    survivor = cli.json("contacts", "show", a)["data"]
    assert (survivor["title"], survivor["company"]) == ("Countess", "Analytical Engines")
    assert survivor["tags"] == ["vip"]  # "math" was removed after the merge, "vip" added
    # [hand-edits]: b's address, typed on the survivor after the merge, stays there as typed, and b has it too
    assert survivor["emails"] == ["ada@x.io", "ada@y.io", "countess@engines.io"]
    assert {"title", "company"} <= set(survivor["user_edited_fields"])
    restored = dump_contact(ctx, b)
    assert restored["contact"] == b_before["contact"]  # the other contact comes back exactly
    assert [e["email"] for e in restored["contact_emails"]] == ["ada@y.io"]


def test_unmerge_keeps_handles_and_labels_changed_after_the_merge(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Ann Lee", emails=["ann@x.io"], company="X", twitter_handle="annold")
    b = add(ctx, full_name="Ann L", emails=["ann@y.io"])
    merge_id = cli.json("contacts", "merge", a, b)["data"]["merge_id"]
    cli("contacts", "edit", a, "--twitter", "annb", "--telegram", "annbtg")
    ctx.conn.execute("UPDATE contact_emails SET label = 'work' WHERE email = 'ann@x.io'")
    out = cli.json("contacts", "unmerge", merge_id)["data"]
    assert (
        "contact_identities" in out["edits_kept_on_survivor"]
        and "contact_emails" in out["edits_kept_on_survivor"]
    )
    assert "score_computed_at" not in out["edits_kept_on_survivor"]  # bookkeeping, not an edit
    shown = cli.json("contacts", "show", a)["data"]
    assert (shown["twitter_handle"], shown["telegram_username"]) == ("annb", "annbtg")
    assert ctx.conn.execute("SELECT label FROM contact_emails WHERE email = 'ann@x.io'").fetchone() == (
        "work",
    )


def test_chained_merges_undo_newest_first(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"], company="X", tags=["t1", "t2"])
    b = add(ctx, full_name="Ada L", emails=["ada@y.io"])
    c = add(ctx, full_name="A Lovelace", emails=["ada@z.io"])
    before = (dump_contact(ctx, a), dump_contact(ctx, b), dump_contact(ctx, c))
    first = cli.json("contacts", "merge", a, b)["data"]["merge_id"]
    second = cli.json("contacts", "merge", a, c)["data"]["merge_id"]
    err = cli.json("contacts", "unmerge", first, ok=False)
    assert err["error"]["code"] == "conflict" and second in err["error"]["hint"]
    cli("contacts", "unmerge", second)
    cli("contacts", "unmerge", first)
    assert (dump_contact(ctx, a), dump_contact(ctx, b), dump_contact(ctx, c)) == before


def test_unmerge_twice_names_the_local_day_it_was_undone(cli: Any, ctx: Any) -> None:
    """[local-days]: the day `pcrm identity history` shows, in the user's zone, not the UTC date (Auckland
    is a day ahead at 20:00 UTC)."""
    a = add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"])
    b = add(ctx, full_name="Ada L", emails=["ada@y.io"])
    cli("settings", "set", "timezone", "Pacific/Auckland")
    merge_id = cli.json("contacts", "merge", a, b)["data"]["merge_id"]
    cli("contacts", "unmerge", merge_id, "--now", "2026-06-01T20:00:00Z")
    assert "2026-06-02" in cli("identity", "history").stdout
    err = cli.json("contacts", "unmerge", merge_id, ok=False)["error"]
    assert err["code"] == "bad_request" and err["message"].endswith("already undone on 2026-06-02"), err


def test_unmerge_of_unknown_merge_is_404(cli: Any) -> None:
    out = cli.json("contacts", "unmerge", "0000dead", ok=False)
    assert out["error"]["code"] == "not_found" and "identity history" in out["error"]["hint"]


def test_tier1_merge_of_shared_email_can_be_undone(cli: Any, ctx: Any) -> None:
    a = add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"])
    b = bulk_add(ctx, full_name="Ada Lovelace (work)", emails=["ada@x.io"])
    before = (dump_contact(ctx, a), dump_contact(ctx, b))
    scan = cli.json("identity", "scan")
    assert scan["data"]["auto_merged"] == 1 and count_contacts(ctx) == 1
    cli("contacts", "unmerge", scan["meta"]["merge_ids"][0])
    assert (
        dump_contact(ctx, a),
        dump_contact(ctx, b),
    ) == before  # two contacts sharing one email again [reversible-merges]
    assert cli.json("identity", "scan")["data"]["auto_merged"] == 0  # the rejection holds tier 1 back


def test_editing_a_handle_the_merge_brought_along(cli: Any, ctx: Any) -> None:
    """Found by a stateful property test: after a merge the survivor holds both contacts' handles; setting
    its handle to the other one collided with that row (a raw UNIQUE error, a 500)."""
    a = add(ctx, full_name="Ada Lovelace", twitter_handle="ada")
    b = add(ctx, full_name="Ada Lovelace", twitter_handle="adal")
    survivor = cli.json("contacts", "merge", a, b)["data"]["id"]
    assert cli.json("contacts", "edit", survivor, "--twitter", "adal")["data"]["twitter_handle"] == "adal"
    assert cli.json("contacts", "edit", survivor, "--twitter", "ada")["data"]["twitter_handle"] == "ada"


def test_unmerging_a_chain_when_the_pair_row_was_moved(cli: Any, ctx: Any) -> None:
    """Found by a stateful property test: the second merge moved the first pair's match row, so its old
    rowid pointed at another pair by the time the first merge was undone."""
    a = add(ctx, full_name="Ada Lovelace")
    b = add(ctx, full_name="Ada Lovelace", twitter_handle="ada")
    first = cli.json("contacts", "merge", a, b)["data"]
    c = add(ctx, full_name="Ada Lovelace", emails=["ada@x.io"])
    second = cli.json("contacts", "merge", c, first["id"])["data"]
    cli("contacts", "unmerge", second["merge_id"])
    cli("contacts", "unmerge", first["merge_id"])
    rows = ctx.conn.execute("SELECT status, match_method FROM identity_matches ORDER BY id").fetchall()
    assert rows == [("rejected", "unmerge"), ("rejected", "unmerge")]
    assert {cli.json("contacts", "show", x)["data"]["id"] for x in (a, b, c)} == {a, b, c}
