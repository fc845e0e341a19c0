"""`pcrm orgs duplicates` ([org-dedupe] organization dedupe)."""

from __future__ import annotations

from typing import Any

from pcrm.services.org_dedupe import norm_linkedin, norm_website, org_score


def _org(cli: Any, name: str, *args: str) -> str:
    return cli.json("orgs", "add", name, *args)["data"]["id"]


def test_scoring_and_normalisers() -> None:
    assert norm_website("https://www.Globex.com/about") == "globex.com"
    assert norm_linkedin("https://www.linkedin.com/company/globex/") == "company/globex"
    o = lambda name, **kw: {"name": name, **kw}
    assert org_score(o("Goo"), o("Google")) == 0.0  # single-token prefix pair dropped
    assert org_score(o("Acme"), o("ACME")) == 0.5  # exact single-token names kept (queued)
    assert org_score(o("Globex Corporation"), o("Globex Corp")) == 0.5


def test_scan_merges_deterministic_pairs_and_queues_likely_ones(cli: Any) -> None:
    big = _org(cli, "Globex", "--domain", "globex.com")
    small = _org(cli, "Globex Corporation", "--domain", "globex.com")
    cli("contacts", "add", "--name", "Hank Scorpio", "--company", "Globex")
    _org(cli, "Acme")
    _org(cli, "Acme Inc")
    _org(cli, "Initech", "--domain", "initech.com")
    _org(cli, "Initrode", "--domain", "initrode.com")  # shares an anchor, scores too low
    out = cli.json("orgs", "duplicates", "scan")["data"]
    assert out["auto_merged"] == 1 and out["pending_review"] == 1
    assert out["matches_found"] == 2
    assert cli.json("orgs", "show", big)["data"]["id"] == big
    cli("orgs", "show", small, ok=False)
    pending = cli.json("orgs", "duplicates")["data"]
    assert len(pending) == 1 and {pending[0]["org_a"]["name"], pending[0]["org_b"]["name"]} == {
        "Acme",
        "Acme Inc",
    }
    again = cli.json("orgs", "duplicates", "scan")["data"]
    assert again == {"matches_found": 0, "auto_merged": 0, "pending_review": 0}  # idempotent


def test_merge_target_must_be_in_the_pair_and_dismiss(cli: Any) -> None:
    a = _org(cli, "Acme")
    b = _org(cli, "Acme Inc")
    outsider = _org(cli, "Initech")
    cli("contacts", "add", "--name", "Wile E", "--company", "Acme Inc")
    cli.json("orgs", "duplicates", "scan")
    mid = cli.json("orgs", "duplicates")["data"][0]["id"]
    bad = cli.json("orgs", "duplicates", "merge", mid, "--target", outsider, ok=False)
    assert bad["error"]["code"] == "bad_request"
    done = cli.json("orgs", "duplicates", "merge", mid, "--target", b)["data"]
    assert done["merged"] is True and done["target_id"] == b
    cli("orgs", "show", a, ok=False)
    c = _org(cli, "Hooli")
    _org(cli, "Hooli Inc.")
    cli.json("orgs", "duplicates", "scan")
    mid = cli.json("orgs", "duplicates")["data"][0]["id"]
    assert cli.json("orgs", "duplicates", "dismiss", mid)["data"] == {"dismissed": True}
    assert cli.json("orgs", "duplicates")["data"] == []
    assert cli.json("orgs", "duplicates", "scan")["data"]["pending_review"] == 0  # resolved pairs are kept
    assert cli.json("orgs", "show", c)["data"]["id"] == c
    assert cli.json("orgs", "duplicates", "dismiss", "ffff0000", ok=False)["error"]["code"] == "not_found"


def test_scan_and_pair_merges_name_what_they_merged_and_how_to_undo_it(cli: Any) -> None:
    big = _org(cli, "Globex", "--domain", "globex.com")
    small = _org(cli, "Globex Corporation", "--domain", "globex.com")
    cli("contacts", "add", "--name", "Hank Scorpio", "--company", "Globex")
    cli("contacts", "add", "--name", "Mindy Corp", "--company", "Globex Corporation")
    [done] = cli.json("orgs", "duplicates", "scan")["meta"]["merges"]
    assert done == {
        "merge_id": _merge_id(cli, big),
        "kept": "Globex",
        "merged_away": "Globex Corporation",
        "contacts_moved": 1,
        "values_kept": [],
    }
    back = cli.json("orgs", "unmerge", done["merge_id"])["data"]
    assert back["organization_id"] == small and back["contacts_returned"] == 1
    assert cli.json("orgs", "duplicates", "scan")["meta"] == {"merges": []}  # an unmerged pair stays apart

    initech = _org(cli, "Initech", "--domain", "initech.com")
    _org(cli, "Initech Corp", "--domain", "initech.com")
    human = " ".join(cli("orgs", "duplicates", "scan").stdout.split())
    merge_id = _merge_id(cli, initech)
    assert f"Initech Corp → Initech (0 contacts moved) undo: pcrm orgs unmerge {merge_id[:8]}" in human

    _org(cli, "Acme")
    acme_inc = _org(cli, "Acme Inc")
    cli.json("orgs", "duplicates", "scan")
    mid = cli.json("orgs", "duplicates")["data"][0]["id"]
    human = cli("orgs", "duplicates", "merge", mid, "--target", acme_inc).stdout
    assert f"undo: pcrm orgs unmerge {_merge_id(cli, acme_inc)[:8]}" in human


def _merge_id(cli: Any, kept: str) -> str:
    """The id of the one merge into `kept`."""
    [merge_id] = [m["id"] for m in cli.json("orgs", "merges")["data"] if m["target_uuid"] == kept]
    return str(merge_id)


def test_merging_a_pair_again_says_it_was_merged_into_what_and_how_to_undo(cli: Any) -> None:
    """`pcrm orgs duplicates merge ID --target X` run again after the merge said 'no organization
    duplicate with id ...': the pair went with the organization merged away. It now says the pair was
    merged, into what, and the unmerge that undoes it; once unmerged, that it was unmerged."""
    _org(cli, "Acme")
    acme_inc = _org(cli, "Acme Inc")
    cli("contacts", "add", "--name", "Wile E", "--company", "Acme")
    cli.json("orgs", "duplicates", "scan")
    mid = cli.json("orgs", "duplicates")["data"][0]["id"]
    merge_id = cli.json("orgs", "duplicates", "merge", mid, "--target", acme_inc)["meta"]["merge_ids"][0]
    for ref in (mid, mid[:8]):
        again = cli.json("orgs", "duplicates", "merge", ref, "--target", acme_inc, ok=False)["error"]
        assert again["code"] == "conflict"
        assert again["message"].startswith(
            f"this pair was already merged: Acme into Acme Inc (merge {merge_id[:8]}"
        )
        assert again["hint"] == f"undo it with: pcrm orgs unmerge {merge_id[:8]}"
    said = cli("orgs", "duplicates", "dismiss", mid[:8], ok=False)
    assert "already merged: Acme into Acme Inc" in said.stderr + said.stdout
    # the unmerge restores the organization as it was (the note of the pair is not a column)
    back = cli.json("orgs", "unmerge", merge_id[:8])["data"]
    assert back["unmerged"] is True and cli.json("orgs", "show", "Acme")["data"]["name"] == "Acme"
    after = cli.json("orgs", "duplicates", "merge", mid, "--target", acme_inc, ok=False)["error"]
    assert "unmerged since" in after["message"] and "pcrm orgs duplicates" in after["hint"]
    assert (
        cli.json("orgs", "duplicates", "merge", "ffff0000", "--target", acme_inc, ok=False)["error"]["code"]
        == "not_found"
    )
