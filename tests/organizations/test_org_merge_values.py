"""What an organization merge keeps of the one merged away [org-dedupe]: a value that differs from the kept
one's, and its notes, are written into the kept one's notes (never only into the journal), and
`pcrm orgs unmerge` takes them back out, both organizations as they were."""

from __future__ import annotations

from typing import Any


def _org_rows(crm: Any) -> list[tuple[Any, ...]]:
    return crm.sql(
        "SELECT uuid, name, name_fold, domain, industry, location, website, linkedin_url, twitter_handle, "
        "notes, logo_url, created_at FROM organizations ORDER BY uuid"
    )


def _two_globexes(crm: Any, cli: Any) -> None:
    crm.add("Ada", "--company", "Globex")
    crm.add("Bea", "--company", "Globex Inc")
    cli("orgs", "edit", "Globex", "--industry", "Software", "--notes", "Met at the Berlin fair",
        "--website", "https://globex.com", "--location", "Berlin")  # fmt: skip
    cli("orgs", "edit", "Globex Inc", "--industry", "Banking", "--notes", "Old supplier, pays late",
        "--website", "www.globex.com/", "--location", "paris", "--twitter", "globexinc")  # fmt: skip


def test_an_org_merge_keeps_the_differing_values_and_notes_in_view(crm: Any, cli: Any) -> None:
    _two_globexes(crm, cli)
    before = _org_rows(crm)
    res = cli("orgs", "merge", "Globex Inc", "--into", "Globex")
    assert res.exit_code == 0, res.output
    # said by the merge, in words, with the undo
    assert "kept in Globex's notes: Globex Inc's industry Banking, location paris and notes" in res.stdout
    shown = cli("orgs", "show", "Globex").stdout
    for text in ("Met at the Berlin fair", "From Globex Inc (merged in):", "industry: Banking",
                 "location: paris", "Old supplier, pays late"):  # fmt: skip
        assert text in shown
    org = cli.json("orgs", "show", "Globex")["data"]
    # the kept organization's own values stay; an empty one is filled; the same site in another shape is
    # no differing value
    assert (org["industry"], org["location"], org["website"], org["twitter_handle"]) == (
        "Software",
        "Berlin",
        "https://globex.com",
        "globexinc",
    )
    assert org["notes"] == (
        "Met at the Berlin fair\n\nFrom Globex Inc (merged in):\nindustry: Banking\nlocation: paris\n"
        "Old supplier, pays late"
    )
    merge_id = cli.json("orgs", "merges")["data"][0]["id"]
    out = cli.json("orgs", "unmerge", merge_id)["data"]
    assert out["target_notes_restored"] is True and out["target_fields_cleared"] == ["twitter_handle"]
    assert out["target_notes_left"] is False
    assert _org_rows(crm) == before  # both exactly as they were


def test_the_api_answer_lists_what_was_kept(crm: Any, cli: Any) -> None:
    _two_globexes(crm, cli)
    env = cli.json("orgs", "merge", "Globex Inc", "--into", "Globex")
    assert env["data"]["values_kept"] == [
        {"organization": "Globex Inc", "field": "industry", "value": "Banking"},
        {"organization": "Globex Inc", "field": "location", "value": "paris"},
        {"organization": "Globex Inc", "field": "notes", "value": "Old supplier, pays late"},
    ]


def test_notes_only_fill_empty_notes_and_the_same_values_add_nothing(crm: Any, cli: Any) -> None:
    crm.add("Ada", "--company", "Initech")
    crm.add("Bea", "--company", "Initech LLC")
    cli("orgs", "edit", "Initech", "--industry", "Software")
    cli("orgs", "edit", "Initech LLC", "--industry", "software", "--notes", "TPS reports")
    env = cli.json("orgs", "merge", "Initech LLC", "--into", "Initech")
    assert env["data"]["values_kept"] == []
    assert cli.json("orgs", "show", "Initech")["data"]["notes"] == "TPS reports"  # filled, as before
    out = cli.json("orgs", "unmerge", env["meta"]["merge_ids"][0])["data"]
    assert out["target_fields_cleared"] == ["notes"] and out["target_notes_restored"] is False
    assert cli.json("orgs", "show", "Initech")["data"]["notes"] is None


def test_a_differing_value_on_a_kept_org_without_notes_starts_its_notes(crm: Any, cli: Any) -> None:
    crm.add("Ada", "--company", "Hooli")
    crm.add("Bea", "--company", "Hooli XYZ")
    cli("orgs", "edit", "Hooli", "--industry", "Search")
    cli("orgs", "edit", "Hooli XYZ", "--industry", "Video chat", "--notes", "The old site")
    before = _org_rows(crm)
    merge_id = cli.json("orgs", "merge", "Hooli XYZ", "--into", "Hooli")["meta"]["merge_ids"][0]
    notes = cli.json("orgs", "show", "Hooli")["data"]["notes"]
    assert notes == "From Hooli XYZ (merged in):\nindustry: Video chat\nThe old site"
    cli("orgs", "unmerge", merge_id)
    assert _org_rows(crm) == before


def test_unmerging_one_of_two_takes_back_only_its_own_block(crm: Any, cli: Any) -> None:
    crm.add("Ada", "--company", "Globex")
    crm.add("Bea", "--company", "Globex Inc")
    crm.add("Cid", "--company", "Globex Corp")
    cli("orgs", "edit", "Globex", "--industry", "Software", "--notes", "Ours")
    cli("orgs", "edit", "Globex Inc", "--industry", "Banking")
    cli("orgs", "edit", "Globex Corp", "--industry", "Mining")
    before = _org_rows(crm)
    ids = cli.json("orgs", "merge", "Globex Inc", "Globex Corp", "--into", "Globex")["meta"]["merge_ids"]
    assert cli.json("orgs", "show", "Globex")["data"]["notes"] == (
        "Ours\n\nFrom Globex Inc (merged in):\nindustry: Banking\n\n"
        "From Globex Corp (merged in):\nindustry: Mining"
    )
    cli("orgs", "unmerge", ids[0])
    assert cli.json("orgs", "show", "Globex")["data"]["notes"] == (
        "Ours\n\nFrom Globex Corp (merged in):\nindustry: Mining"
    )
    cli("orgs", "unmerge", ids[1])
    assert _org_rows(crm) == before


def test_notes_edited_since_the_merge_stay_as_they_are(crm: Any, cli: Any) -> None:
    crm.add("Ada", "--company", "Globex")
    crm.add("Bea", "--company", "Globex Inc")
    cli("orgs", "edit", "Globex", "--industry", "Software")
    cli("orgs", "edit", "Globex Inc", "--industry", "Banking")
    merge_id = cli.json("orgs", "merge", "Globex Inc", "--into", "Globex")["meta"]["merge_ids"][0]
    cli("orgs", "edit", "Globex", "--notes", "Rewritten by hand")
    res = cli("orgs", "unmerge", merge_id)
    assert "were edited since the merge and are left as they are" in " ".join(res.stderr.split())
    assert cli.json("orgs", "show", "Globex")["data"]["notes"] == "Rewritten by hand"
    assert cli.json("orgs", "show", "Globex Inc")["data"]["industry"] == "Banking"


def test_the_duplicate_scan_keeps_them_too(crm: Any, cli: Any) -> None:
    crm.add("Ada", "--company", "Globex", "--email", "ada@globex.com")
    crm.add("Bea", "--company", "Globex Corp", "--email", "bea@globex.com")
    cli("orgs", "edit", "Globex", "--industry", "Software", "--notes", "Ours")
    cli("orgs", "edit", "Globex Corp", "--industry", "Banking", "--notes", "Theirs")
    before = _org_rows(crm)
    dry = cli("orgs", "duplicates", "scan", "--dry-run").stdout
    assert "would keep in Globex's notes: Globex Corp's industry Banking and notes" in dry
    res = cli("orgs", "duplicates", "scan")
    assert "kept in Globex's notes: Globex Corp's industry Banking and notes" in res.stdout
    assert cli.json("orgs", "show", "Globex")["data"]["notes"] == (
        "Ours\n\nFrom Globex Corp (merged in):\nindustry: Banking\nTheirs"
    )
    cli("orgs", "unmerge", cli.json("orgs", "merges")["data"][0]["id"])
    assert _org_rows(crm) == before


def test_a_pair_merge_names_both_and_says_what_it_kept(crm: Any, cli: Any) -> None:
    cli("orgs", "add", "Initrode Systems", "--industry", "Software")
    cli("orgs", "add", "Initrode Systems Inc", "--industry", "Consulting", "--notes", "billing: Bob")
    cli("orgs", "duplicates", "scan")
    (pair,) = cli.json("orgs", "duplicates")["data"]
    before = _org_rows(crm)
    res = cli("orgs", "duplicates", "merge", pair["id"][:8], "--target", "Initrode Systems")
    kept = cli.json("orgs", "show", "Initrode Systems")["data"]
    # it said 'merged into <id>': neither name, nor what was kept
    assert (
        f"merged Initrode Systems Inc into Initrode Systems ({kept['id'][:8]}); 0 contacts moved"
        in res.stdout
    )
    assert (
        "kept in Initrode Systems's notes: Initrode Systems Inc's industry Consulting and notes" in res.stdout
    )
    assert kept["notes"] == "From Initrode Systems Inc (merged in):\nindustry: Consulting\nbilling: Bob"
    cli("orgs", "unmerge", cli.json("orgs", "merges")["data"][0]["id"])
    assert _org_rows(crm) == before


def test_notes_a_merge_joined_past_the_cap_do_not_block_a_whole_form_edit(
    crm: Any, cli: Any, empty_api: Any
) -> None:
    """Two organizations' notes of 60,000 characters each, joined by a merge, are past the 100,000-character
    cap: a client sending the organization's whole form back (notes as they are) to change its industry got a
    422 for notes the user never typed. The stored notes are taken back as they are; new ones over the cap
    are still refused."""
    crm.add("Ada", "--company", "Globex")
    crm.add("Bea", "--company", "Globex Inc")
    cli("orgs", "edit", "Globex", "--notes", "a" * 60_000)
    cli("orgs", "edit", "Globex Inc", "--notes", "b" * 60_000)
    cli("orgs", "merge", "Globex Inc", "--into", "Globex")
    org = cli.json("orgs", "show", "Globex")["data"]
    assert len(org["notes"]) > 100_000
    form = {k: org[k] for k in ("name", "domain", "website", "notes")}
    r = empty_api.patch(f"/api/v1/organizations/{org['id']}", json={**form, "industry": "Software"})
    assert r.status_code == 200, r.text
    assert r.json()["data"]["industry"] == "Software" and r.json()["data"]["notes"] == org["notes"]
    r = empty_api.patch(f"/api/v1/organizations/{org['id']}", json={"notes": org["notes"] + "c"})
    assert r.status_code == 422 and r.json()["error"]["details"]["fields"][0]["field"] == "notes", r.text


def test_notes_that_are_only_part_of_a_line_of_the_kept_ones_are_not_dropped(crm: Any, cli: Any) -> None:
    """The merged-away organization's notes were left out of the block whenever their text occurred
    anywhere in the kept one's notes: 'Supplier' merged into an organization whose notes read 'Former
    Supplier of parts' vanished from view. Only notes the kept one holds as whole lines are there already."""
    crm.add("Ada", "--company", "Initech")
    crm.add("Bea", "--company", "Initech Ltd")
    cli("orgs", "edit", "Initech", "--notes", "Former Supplier of parts")
    cli("orgs", "edit", "Initech Ltd", "--notes", "Supplier")
    env = cli.json("orgs", "merge", "Initech Ltd", "--into", "Initech")
    kept = {"organization": "Initech Ltd", "field": "notes", "value": "Supplier"}
    assert kept in env["data"]["values_kept"]
    notes = cli.json("orgs", "show", "Initech")["data"]["notes"]
    assert notes == "Former Supplier of parts\n\nFrom Initech Ltd (merged in):\nSupplier"
    # the same notes as a whole line are held already: nothing said twice
    crm.add("Cy", "--company", "Initech Gmbh")
    cli("orgs", "edit", "Initech Gmbh", "--notes", "Supplier")
    again = cli.json("orgs", "merge", "Initech Gmbh", "--into", "Initech")
    assert again["data"]["values_kept"] == []
    assert cli.json("orgs", "show", "Initech")["data"]["notes"] == notes


def test_a_kept_linkedin_url_and_x_handle_are_named_as_pcrm_names_them(crm: Any, cli: Any) -> None:
    """The notes block and the merge's line said `linkedin url: ...` and `twitter handle globex`, the
    column names, where every other sentence of pcrm says `LinkedIn URL` and `X handle @globex`."""
    crm.add("Ada", "--company", "Globex")
    crm.add("Bea", "--company", "Globex Inc")
    cli("orgs", "edit", "Globex", "--linkedin-url", "https://www.linkedin.com/company/globex",
        "--twitter", "globex")  # fmt: skip
    cli("orgs", "edit", "Globex Inc", "--linkedin-url", "https://www.linkedin.com/company/globex-inc",
        "--twitter", "globexinc")  # fmt: skip
    res = cli("orgs", "merge", "Globex Inc", "--into", "Globex")
    said = "Globex Inc's LinkedIn URL https://www.linkedin.com/company/globex-inc and X handle @globexinc"
    assert f"kept in Globex's notes: {said}\n" in res.stdout
    assert cli.json("orgs", "show", "Globex")["data"]["notes"] == (
        "From Globex Inc (merged in):\n"
        "LinkedIn URL: https://www.linkedin.com/company/globex-inc\n"
        "X handle: @globexinc"
    )
    merge_id = cli.json("orgs", "merges")["data"][0]["id"]
    cli("orgs", "unmerge", merge_id)
    assert cli.json("orgs", "show", "Globex")["data"]["notes"] is None  # the block comes out whole
